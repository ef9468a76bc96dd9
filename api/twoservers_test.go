package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestTwoServersOnOnePostgreSQL runs two API servers, each with its own index and
// follower, on one PostgreSQL database: a vacancy written through one is found through
// the other, which learns of it only by polling the change feed.
func TestTwoServersOnOnePostgreSQL(t *testing.T) {
	a := newEnv(t, storetest.Open(t, store.Postgres))
	// The second server opens its own connection pool, as another process would.
	b := newEnv(t, storetest.OpenExisting(t, store.Postgres))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- b.follow.Run(ctx, nil, 50*time.Millisecond) }()

	body := vacancyBody("")
	body["title"] = "Pintor de obra"
	body["skills"] = []map[string]any{{"name": "pintura", "required": true}}
	created := a.must(http.StatusCreated, a.do("POST", "/api/v1/vacancies", a.as(E), body))

	deadline := time.Now().Add(10 * time.Second)
	for {
		page := b.must(http.StatusOK, b.do("GET", "/api/v1/vacancies?q=pintor", b.as(M), nil))
		if items := page["items"].([]any); len(items) == 1 && items[0].(map[string]any)["id"] == created["id"] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second server never found the vacancy written through the first: %v", page)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A delete through the first server disappears from the second.
	a.must(http.StatusNoContent, a.do("DELETE", "/api/v1/vacancies/"+created["id"].(string), a.as(E), nil))
	for {
		page := b.must(http.StatusOK, b.do("GET", "/api/v1/vacancies?q=pintor", b.as(M), nil))
		if len(page["items"].([]any)) == 0 {
			break
		}
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatalf("the deletion never reached the second server: %v", page)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil && err != context.Canceled {
		t.Fatalf("follower: %v", err)
	}
}
