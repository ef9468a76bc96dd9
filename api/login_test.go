package api_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestMigrantLoginTellsNoPhoneAndLocksNoOwnerOut: a registered phone and an unknown
// one get the very same answers, locks included; failures lock a phone only at the
// address they came from, and an address only after many; the owner elsewhere logs in.
func TestMigrantLoginTellsNoPhoneAndLocksNoOwnerOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st, withMigrants(api.MigrantConfig{FailuresPerAddress: 12}))
		const owner, unknown = "+529625550160", "+529625550161"
		id, _ := e.register(owner, "482916")
		login := func(phone, pin, address string) response {
			return e.send(call{method: "POST", path: "/api/v1/migrants/login", remote: address + ":4000",
				body: map[string]any{"phone": phone, "pin": pin}})
		}
		const attacker, home = "198.51.100.66", "203.0.113.9"
		for i := 1; i <= 7; i++ {
			known, absent := login(owner, "000001", attacker), login(unknown, "000001", attacker)
			if known.status != absent.status || string(known.body) != string(absent.body) ||
				known.header.Get("Retry-After") != absent.header.Get("Retry-After") {
				t.Fatalf("try %d tells the phones apart: %d %s (Retry-After %q) against %d %s (Retry-After %q)", i,
					known.status, known.body, known.header.Get("Retry-After"), absent.status, absent.body, absent.header.Get("Retry-After"))
			}
			want := http.StatusUnauthorized
			if i >= 5 {
				want = http.StatusTooManyRequests
			}
			p := e.must(want, known)
			if i == 5 && (p["type"] != "https://vincula.example/problems/locked" || known.header.Get("Retry-After") != "900") {
				t.Fatalf("fifth failure: %v (Retry-After %q)", p, known.header.Get("Retry-After"))
			}
			clock.Advance(10 * time.Second)
		}
		// Locked at the attacker's address only: the owner at home logs in, with the right
		// PIN, and the export shows the lock standing elsewhere.
		token := e.must(http.StatusOK, login(owner, "482916", home))["token"].(string)
		exported := e.must(http.StatusOK, e.do("GET", "/api/v1/me/export", token, nil))["login"].(map[string]any)
		if exported["locked_until"] == nil {
			t.Errorf("the export does not show the lock at the other address: %v", exported)
		}
		e.must(http.StatusTooManyRequests, login(owner, "482916", attacker))

		// One address trying many phones is locked out after FailuresPerAddress failures,
		// whatever the phones; the owner at home is not.
		const sweeper = "198.51.100.77"
		for i := range 12 {
			clock.Advance(3 * time.Second) // within the 20 requests a minute an address may send
			got := login(fmt.Sprintf("+5296255502%02d", i), "000001", sweeper)
			want := http.StatusUnauthorized
			if i == 11 {
				want = http.StatusTooManyRequests
			}
			e.must(want, got)
		}
		e.must(http.StatusTooManyRequests, login(owner, "482916", sweeper))
		e.must(http.StatusOK, login(owner, "482916", home))

		// Locks end by themselves; the failure rows that no longer count are deleted.
		clock.Advance(16 * time.Minute)
		e.must(http.StatusUnauthorized, login(unknown, "000001", attacker))
		if n, _ := strconv.Atoi(storetest.RawText(t, st, "SELECT COUNT(*) FROM login_throttles")); n != 2 {
			t.Errorf("%d throttle rows after the locks ended, want the last failure's 2", n)
		}
		e.must(http.StatusOK, login(owner, "482916", attacker))
		e.must(http.StatusOK, login(owner, "482916", sweeper))

		// A PIN reset ends the phone's locks at every address.
		for range 5 {
			login(owner, "000001", attacker)
		}
		e.must(http.StatusTooManyRequests, login(owner, "482916", attacker))
		e.must(http.StatusNoContent, e.do("POST", "/api/v1/candidates/"+id+"/pin-reset", e.as(H), map[string]any{"pin": "739164"}))
		e.must(http.StatusOK, login(owner, "739164", attacker))
	})
}
