package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestOverloadSheds: with the cap at two requests in flight and one waiting, excess
// requests get 503 with Retry-After at once while the admitted ones are held; the
// probes answer all along; once released, the admitted and the queued requests
// complete with 200. Over a real loopback server.
func TestOverloadSheds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, func(c *api.Config) { c.MaxInFlight, c.MaxQueued = 2, 1 })
		entered, queued := make(chan struct{}, 8), make(chan struct{}, 8)
		release := make(chan struct{})
		e.server.SetAdmissionHooks(func(*http.Request) { entered <- struct{}{}; <-release },
			func(*http.Request) { queued <- struct{}{} })
		ts := httptest.NewServer(e.server.Handler())
		defer ts.Close()
		client := &http.Client{Timeout: 20 * time.Second}
		get := func(path string) (*http.Response, string) {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+e.as(models.RoleHubStaff))
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return nil, ""
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp, b.String()
		}
		done := make(chan int, 3)
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if resp, _ := get("/api/v1/vacancies"); resp != nil {
					done <- resp.StatusCode
				}
			}()
		}
		<-entered
		<-entered
		<-queued
		for range 5 {
			resp, body := get("/api/v1/employers")
			if resp == nil {
				t.FailNow()
			}
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != api.RetryAfterOverloaded ||
				resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":503`) {
				t.Fatalf("excess request: %d %v %s", resp.StatusCode, resp.Header, body)
			}
		}
		for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
			resp, body := get(p)
			if resp == nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("%s while full: %v", p, resp)
			}
			if p == "/metrics" && (!strings.Contains(body, "vincula_http_requests_in_flight 2") ||
				!strings.Contains(body, "vincula_http_requests_queued 1") ||
				!strings.Contains(body, `route="/api/v1/employers",status="503"} 5`)) {
				t.Fatalf("metrics while full:\n%s", body)
			}
		}
		close(release)
		wg.Wait()
		close(done)
		n := 0
		for status := range done {
			n++
			if status != http.StatusOK {
				t.Fatalf("an admitted request ended %d, want 200", status)
			}
		}
		if n != 3 {
			t.Fatalf("%d admitted requests completed, want 3", n)
		}
		if resp, _ := get("/api/v1/employers"); resp == nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("after the crowd: %v", resp)
		}
	})
}

// TestOpenAPIDeclares503: the OpenAPI document declares the 503 with Retry-After on
// every route that admission control or an outage can refuse, and not on the probes.
func TestOpenAPIDeclares503(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	doc := e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
	paths := doc["paths"].(map[string]any)
	responses := func(path string) map[string]any {
		return paths[path].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)
	}
	r503, ok := responses("/api/v1/vacancies")["503"].(map[string]any)
	if !ok || r503["headers"].(map[string]any)["Retry-After"] == nil {
		t.Fatalf("GET /api/v1/vacancies does not declare a 503 with Retry-After: %v", responses("/api/v1/vacancies"))
	}
	if _, ok := responses("/healthz")["503"]; ok {
		t.Fatal("/healthz declares a 503 from admission control, which it bypasses")
	}
}

// TestQueuedAbandonedIs499: a request that waited for a slot and whose client gave up
// leaves the queue and is counted as 499, and the slot holder still completes.
func TestQueuedAbandonedIs499(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite), func(c *api.Config) { c.MaxInFlight, c.MaxQueued = 1, 1 })
	entered, queued := make(chan struct{}, 4), make(chan struct{}, 4)
	release := make(chan struct{})
	e.server.SetAdmissionHooks(func(*http.Request) { entered <- struct{}{}; <-release },
		func(*http.Request) { queued <- struct{}{} })
	ts := httptest.NewServer(e.server.Handler())
	defer ts.Close()
	token := e.as(models.RoleHubStaff)
	request := func(ctx context.Context) (int, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/v1/vacancies", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	held := make(chan int, 1)
	go func() { status, _ := request(context.Background()); held <- status }()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { _, err := request(ctx); gone <- err }()
	<-queued
	cancel()
	if err := <-gone; err == nil {
		t.Fatal("the abandoned request got an answer")
	}
	// The server notices the client leaving when the connection closes; once the
	// request is counted as 499 it has left the queue.
	counted := func() bool {
		return strings.Contains(string(e.do("GET", "/metrics", "", nil).body), `route="/api/v1/vacancies",status="499"} 1`)
	}
	for deadline := time.Now().Add(10 * time.Second); !counted(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned request was not counted as 499")
		}
	}
	// The queue is free again: a new request waits in it (and is not shed).
	next := make(chan int, 1)
	go func() { status, _ := request(context.Background()); next <- status }()
	<-queued
	close(release)
	if s1, s2 := <-held, <-next; s1 != http.StatusOK || s2 != http.StatusOK {
		t.Fatalf("held request %d, next %d; want 200 both", s1, s2)
	}
	metrics := string(e.do("GET", "/metrics", "", nil).body)
	if !strings.Contains(metrics, `route="/api/v1/vacancies",status="499"} 1`) || strings.Contains(metrics, `status="503"`) {
		t.Fatalf("metrics:\n%s", metrics)
	}
}
