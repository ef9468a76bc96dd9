package webhooks

import (
	"strings"
	"testing"
	"time"
)

// TestSignVerify: a receiver accepts the body it was sent, and refuses a changed body,
// another secret, and the same request replayed outside the tolerance.
func TestSignVerify(t *testing.T) {
	secret, other := NewSecret(), NewSecret()
	if secret == other || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secrets %q %q", secret, other)
	}
	at := time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"vacancy.filled"}`)
	h := Sign(secret, at, body)
	if !strings.HasPrefix(h, "t=1795370400,v1=") || len(h) != len("t=1795370400,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if err := Verify(secret, h, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("genuine delivery refused: %v", err)
	}
	for name, err := range map[string]error{
		"changed body": Verify(secret, h, []byte(`{"event":"vacancy.filled "}`), at, 5*time.Minute),
		"other secret": Verify(other, h, body, at, 5*time.Minute),
		"replayed":     Verify(secret, h, body, at.Add(6*time.Minute), 5*time.Minute),
		"no header":    Verify(secret, "", body, at, 5*time.Minute),
	} {
		if err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestBackoffDoubles(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if Backoff(30) != time.Hour {
		t.Errorf("Backoff caps at 1h, got %s", Backoff(30))
	}
}

func TestCheckURL(t *testing.T) {
	for raw, loop := range map[string]bool{"https://hr.example.com/h": false, "http://127.0.0.1:8080/h": true, "http://localhost/h": true} {
		if err := CheckURL(raw, loop); err != nil {
			t.Errorf("%s refused: %v", raw, err)
		}
	}
	for raw, loop := range map[string]bool{"http://127.0.0.1/h": false, "http://10.0.0.1/h": true, "ftp://x/y": true,
		"https://u:p@hr.example.com/": false, "/relative": false} {
		if err := CheckURL(raw, loop); err == nil {
			t.Errorf("%s accepted (loopback http %v)", raw, loop)
		}
	}
}
