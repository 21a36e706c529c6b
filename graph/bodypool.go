package graph

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Listing pages are read into buffers that are used again: a poll reads
// every page of every source (at 10,000 approvals about a hundred pages
// of some 200 KB each), and reading each into a fresh slice, grown as it
// arrives, was most of what a poll allocated. A page's bytes are needed
// only until its entries are fingerprinted and the new ones decoded, so
// listAll gives each buffer back (reply.release) once the page is done.

// maxPooledBody: buffers that grew larger are dropped rather than kept.
const maxPooledBody = 8 << 20

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func getBodyBuf() []byte { return (*bodyPool.Get().(*[]byte))[:0] }

// releasedBody, when set (by the tests), sees every buffer given back
// before it is pooled: they overwrite it, so that anything still pointing
// into a released page shows up as garbage.
var releasedBody func([]byte)

func putBodyBuf(b []byte) {
	if releasedBody != nil {
		releasedBody(b)
	}
	if cap(b) == 0 || cap(b) > maxPooledBody {
		return
	}
	b = b[:0]
	bodyPool.Put(&b)
}

type pooledBodyKey struct{}

// pooledRead is where readPooledBody leaves the body it read for one
// call: azcore's retry policy wraps the response body it returns (to end
// the try's context on Close), so the bytes travel beside it.
type pooledRead struct {
	mu   sync.Mutex
	resp *http.Response // the response whose body buf is
	buf  []byte
}

// withPooledBody marks the calls made with ctx as reading their 2xx body
// into a pooled buffer that the caller releases (reply.release). Each
// call needs its own ctx from it.
func withPooledBody(ctx context.Context) context.Context {
	return context.WithValue(ctx, pooledBodyKey{}, &pooledRead{})
}

func pooledReadOf(ctx context.Context) *pooledRead {
	p, _ := ctx.Value(pooledBodyKey{}).(*pooledRead)
	return p
}

// take returns the pooled body read for resp, if any.
func (p *pooledRead) take(resp *http.Response) ([]byte, bool) {
	if p == nil {
		return nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resp != resp || p.buf == nil {
		return nil, false
	}
	buf := p.buf
	p.resp, p.buf = nil, nil
	return buf, true
}

func (p *pooledRead) put(resp *http.Response, buf []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.buf != nil {
		putBodyBuf(p.buf) // an earlier try's, never taken
	}
	p.resp, p.buf = resp, buf
}

// readPooledBody sits next to the transport, inside the retries, where
// azcore's own body download would be: for a call marked withPooledBody
// (whose download azcore skips) it reads a 2xx body into a pooled buffer.
// A body cut short fails the try as azcore's download would, so a GET is
// retried. Any other reply is left to azcore (an error's body is
// downloaded by it and may be kept by the error).
func readPooledBody(r *policy.Request) (*http.Response, error) {
	resp, err := r.Next()
	pr := pooledReadOf(r.Raw().Context())
	if err != nil || pr == nil || resp == nil || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, err
	}
	buf := getBodyBuf()
	if n := resp.ContentLength; n > int64(cap(buf)) && n <= maxPooledBody {
		putBodyBuf(buf)
		buf = make([]byte, 0, n)
	}
	body := bytes.NewBuffer(buf) // reads into buf's room, growing it only when full
	_, err = body.ReadFrom(resp.Body)
	buf = body.Bytes()
	_ = resp.Body.Close()
	if err != nil {
		putBodyBuf(buf)
		return resp, err
	}
	resp.Body = http.NoBody
	pr.put(resp, buf)
	return resp, nil
}
