package loopback

import "testing"

func TestHostAndAddr(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true,
		"": false, "0.0.0.0": false, "::": false, "10.0.0.1": false, "localhost.evil.test": false,
		"127.0.0.1.evil.test": false, "2130706433": false, "127.1": false,
	} {
		if Host(host) != want {
			t.Errorf("Host(%q) = %v, want %v", host, !want, want)
		}
	}
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:0": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "10.0.0.1:80": false, "127.0.0.1": false,
	} {
		if Addr(addr) != want {
			t.Errorf("Addr(%q) = %v, want %v", addr, !want, want)
		}
	}
}
