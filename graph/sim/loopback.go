package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Loopback is a Server served on a free loopback port, for a program that
// runs the simulator in-process (approvals demo, approvals serve --demo,
// the bench). Close it when done.
type Loopback struct {
	// URL is the Graph root, e.g. http://127.0.0.1:34567.
	URL string

	srv          *Server
	hs           *http.Server
	stopActivity context.CancelFunc
	wg           sync.WaitGroup
	once         sync.Once
}

// StartLoopback serves srv on 127.0.0.1 and, when activity is positive,
// makes other approvers act and requests arrive at that interval, until
// Close.
func StartLoopback(srv *Server, activity time.Duration) (*Loopback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the simulated tenant: %w", err)
	}
	actCtx, stop := context.WithCancel(context.Background())
	l := &Loopback{
		URL:          "http://" + ln.Addr().String(),
		srv:          srv,
		hs:           &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
		stopActivity: stop,
	}
	l.wg.Go(func() { _ = l.hs.Serve(ln) })
	if activity > 0 {
		l.wg.Go(func() { srv.RunActivity(actCtx, activity) })
	}
	return l, nil
}

// ARMURL is the Azure Resource Manager root the simulator serves.
func (l *Loopback) ARMURL() string { return l.URL + ARMPrefix }

// Server is the simulator being served.
func (l *Loopback) Server() *Server { return l.srv }

// Close stops the activity, releases requests held by faults, lets
// requests in flight finish (up to 2 s) and stops serving. It is safe to
// call more than once.
func (l *Loopback) Close() {
	l.once.Do(func() {
		l.stopActivity()
		l.srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if l.hs.Shutdown(ctx) != nil {
			_ = l.hs.Close()
		}
		l.wg.Wait()
	})
}

// ErrNoApprovers is Approver's error for a tenant nobody approves in.
var ErrNoApprovers = errors.New("the simulated tenant has no approvers")

// UnknownApproverError is Approver's error for a name that is no
// approver's.
type UnknownApproverError struct {
	As        string
	Approvers []string // every approver's UPN, the demo identity first
}

func (e *UnknownApproverError) Error() string {
	return fmt.Sprintf("%q is not an approver in this tenant; try one of: %s", e.As, strings.Join(e.Approvers, ", "))
}

// Approver finds an approver by UPN, id or display name (case-insensitive);
// "" is the demo identity (the first approver).
func (s *Server) Approver(as string) (User, error) {
	approvers := s.Approvers()
	if len(approvers) == 0 {
		return User{}, ErrNoApprovers
	}
	if as == "" {
		return approvers[0], nil
	}
	names := make([]string, 0, len(approvers))
	for _, u := range approvers {
		if strings.EqualFold(as, u.UserPrincipalName) || strings.EqualFold(as, u.ID) || strings.EqualFold(as, u.DisplayName) {
			return u, nil
		}
		names = append(names, u.UserPrincipalName)
	}
	return User{}, &UnknownApproverError{As: as, Approvers: names}
}
