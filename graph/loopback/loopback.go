// Package loopback says whether a host or a listen address is this
// machine: the only place plain http may carry a token (the client, the
// config's URL checks) and where the simulator listens unless told
// otherwise. Host names other than localhost are not resolved.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host (no port; brackets allowed around an IPv6
// address) is localhost or a loopback IP.
func Host(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

// Addr reports whether a host:port listen address is on loopback. An
// empty host means every interface, which is not loopback.
func Addr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && host != "" && Host(host)
}
