// Package webhooks sends the employers' webhook deliveries that the store writes to its
// outbox: it signs each body (HMAC-SHA256 over the timestamp and the body), posts it,
// retries failures with exponential backoff on the injected clock, and leaves the store
// to disable an endpoint that has failed for too long. It also checks endpoint URLs and
// makes signing secrets.
package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/store"
)

// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
const SignatureHeader = "Vincula-Signature"

// NewSecret returns a fresh signing secret, shown to the client once.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("webhooks: crypto/rand failed: " + err.Error())
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b[:])
}

func mac(secret string, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return m.Sum(nil)
}

// Sign returns the signature header value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := t.Unix()
	return fmt.Sprintf("t=%d,v1=%s", ts, hex.EncodeToString(mac(secret, ts, body)))
}

// Verify checks a signature header against body, as a receiver does: the MAC must
// match and the timestamp be within tolerance of now, so a captured request cannot be
// replayed later (receivers also drop event_ids they have processed).
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts int64
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return errors.New("webhooks: bad timestamp in signature")
			}
			ts = n
		case "v1":
			b, err := hex.DecodeString(v)
			if err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	if ts == 0 || len(sigs) == 0 {
		return errors.New("webhooks: signature header lacks t= or v1=")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhooks: signature timestamp is %s away from now", d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return errors.New("webhooks: signature does not match")
}

// CheckURL accepts an https URL with a host; plain http only to a loopback address and
// only when allowLoopbackHTTP (tests, a local receiver in development).
func CheckURL(raw string, allowLoopbackHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || len(raw) > 2048 {
		return errors.New("must be an absolute https URL with a host and no credentials")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if allowLoopbackHTTP && (host == "localhost" || (ip != nil && ip.IsLoopback())) {
			return nil
		}
		if allowLoopbackHTTP {
			return errors.New("must use https (plain http is allowed only to 127.0.0.1 or localhost)")
		}
		return errors.New("must use https")
	}
	return errors.New("must use https")
}

// Backoff is the wait before the attempt after the n-th failed one: 30 s, 1 min,
// 2 min, ... doubling up to 1 h.
func Backoff(n int) time.Duration { return BackoffFrom(30*time.Second, n) }

// BackoffFrom is Backoff starting at first instead of 30 s (still at most 1 h).
func BackoffFrom(first time.Duration, n int) time.Duration {
	d := first
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Worker sends due deliveries.
type Worker struct {
	Store *store.Store
	// Client posts the deliveries; without one, a client with a 10-second timeout.
	Client *http.Client
	// Now is the clock of timestamps and retries (the store's clock when nil).
	Now func() time.Time
	Log *slog.Logger
	// Batch is how many deliveries one pass claims (50 when 0); Lease how long a claimed
	// delivery is left to this worker before another may send it again (2 min when 0).
	Batch int
	Lease time.Duration
	// FirstRetry is the wait after a first failure, doubled after each further one
	// (30 s when 0; see Backoff).
	FirstRetry time.Duration
	// DisableAfter is how long an endpoint may fail without a success before it is
	// disabled (24 h when 0), provided it failed at least MinFailures times (5 when 0).
	DisableAfter time.Duration
	MinFailures  int
}

func (w *Worker) defaults() {
	if w.Client == nil {
		w.Client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	if w.Now == nil {
		w.Now = w.Store.Now()
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.Batch <= 0 {
		w.Batch = 50
	}
	if w.Lease <= 0 {
		w.Lease = 2 * time.Minute
	}
	if w.DisableAfter <= 0 {
		w.DisableAfter = 24 * time.Hour
	}
	if w.MinFailures <= 0 {
		w.MinFailures = 5
	}
	if w.FirstRetry <= 0 {
		w.FirstRetry = 30 * time.Second
	}
}

// RunOnce sends every delivery due now (batch after batch) and reports how many were
// delivered and how many failed.
func (w *Worker) RunOnce(ctx context.Context) (delivered, failed int, err error) {
	w.defaults()
	for {
		due, err := w.Store.ClaimDueDeliveries(ctx, w.Batch, w.Lease)
		if err != nil {
			return delivered, failed, err
		}
		for _, d := range due {
			ok, err := w.send(ctx, d)
			if err != nil {
				return delivered, failed, err
			}
			if ok {
				delivered++
			} else {
				failed++
			}
		}
		if len(due) < w.Batch {
			return delivered, failed, nil
		}
	}
}

// Run sends due deliveries every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	w.defaults()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("webhook deliveries", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (w *Worker) send(ctx context.Context, d store.DueDelivery) (bool, error) {
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return false, w.failed(ctx, d, 0, "bad request: "+err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Vincula-Webhooks/1")
	req.Header.Set("Vincula-Event", string(d.Event))
	req.Header.Set("Vincula-Event-Id", d.EventID)
	req.Header.Set("Vincula-Delivery-Id", d.ID)
	req.Header.Set(SignatureHeader, Sign(d.Secret, w.Now(), body))
	resp, err := w.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err() // stopping: the lease sends it again later
		}
		return false, w.failed(ctx, d, 0, err.Error())
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return true, w.Store.DeliverySucceeded(ctx, d, resp.StatusCode)
	}
	return false, w.failed(ctx, d, resp.StatusCode, "the receiver answered "+resp.Status)
}

func (w *Worker) failed(ctx context.Context, d store.DueDelivery, status int, reason string) error {
	retry := w.Now().Add(BackoffFrom(w.FirstRetry, d.Attempts))
	disabled, err := w.Store.DeliveryFailed(ctx, d, status, reason, retry, w.DisableAfter, w.MinFailures)
	if disabled {
		w.Log.Warn("webhook endpoint disabled after failing too long", slog.String("webhook", d.WebhookID))
	}
	return err
}
