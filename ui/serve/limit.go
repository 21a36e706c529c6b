package serve

import (
	"net"
	"sync"
	"time"
)

// rateLimiter allows each remote address a burst of connections, then one
// per interval (a token bucket per address). Addresses idle long enough to
// have a full bucket again are forgotten, so the table stays small.
type rateLimiter struct {
	burst    float64
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(burst int, interval time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{burst: float64(max(burst, 1)), interval: interval, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token for addr's host, reporting whether one was left.
func (l *rateLimiter) allow(addr net.Addr) bool {
	if l == nil || l.interval <= 0 {
		return true
	}
	host := addr.String()
	if ta, ok := addr.(*net.TCPAddr); ok {
		host = ta.IP.String()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	full := time.Duration(l.burst) * l.interval
	if now.Sub(l.sweep) > full {
		for k, b := range l.buckets {
			if now.Sub(b.at) >= full {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[host]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[host] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.interval))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
