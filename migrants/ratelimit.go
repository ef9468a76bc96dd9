package migrants

import (
	"sync"
	"time"
)

// limiter keeps one token bucket per key (a client address or a phone, per
// endpoint): a bucket holds up to perMinute requests and refills at perMinute a minute,
// so a burst is allowed and a steady flood is not. It lives in memory: each replica
// limits on its own, which bounds guessing per replica; the lockout, kept in the
// database, bounds it across replicas.
type limiter struct {
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
	full   time.Time // when the bucket will be full again if left alone
}

// sweepAbove is how many buckets may be held before full ones are dropped.
const sweepAbove = 10000

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, buckets: map[string]*bucket{}}
}

// allow takes one request from key's bucket. When the bucket is empty it reports false
// and how long until a request would be allowed.
func (l *limiter) allow(key string, perMinute int) (bool, time.Duration) {
	if perMinute <= 0 {
		return true, 0
	}
	t := l.now()
	perSecond := float64(perMinute) / 60
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(t)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(perMinute), last: t}
		l.buckets[key] = b
	}
	if elapsed := t.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(float64(perMinute), b.tokens+elapsed*perSecond)
		b.last = t
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / perSecond * float64(time.Second))
		return false, wait
	}
	b.tokens--
	b.full = t.Add(time.Duration((float64(perMinute) - b.tokens) / perSecond * float64(time.Second)))
	return true, 0
}

// sweep drops the buckets that have refilled, which behave as absent ones, once the
// map has grown large; at most once a minute, so a busy server does not sweep on every
// request.
func (l *limiter) sweep(t time.Time) {
	if len(l.buckets) <= sweepAbove || t.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = t
	for k, b := range l.buckets {
		if !t.Before(b.full) {
			delete(l.buckets, k)
		}
	}
}
