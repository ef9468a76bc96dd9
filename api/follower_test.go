package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// followedEnv is an env whose readiness reports its follower, as `vincula serve` wires it.
func followedEnv(t *testing.T, st *store.Store) *env {
	var f *search.Follower
	e := newEnv(t, st, func(c *api.Config) {
		c.IndexReady = func(ctx context.Context) error { return f.Ready(ctx) }
		c.IndexStatus = func(ctx context.Context) any { s := f.Status(ctx); return &s }
	})
	f = e.follow
	return e
}

// TestBadRecordDoesNotStopTheFeed: a candidate whose document number no longer opens
// (a corrupt row in the database) is in the change feed between two good ones. The
// follower applies the good ones, moves past it, reports it (readiness detail and the
// count behind the metric) while staying ready, and applies it once the row is fixed.
func TestBadRecordDoesNotStopTheFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := followedEnv(t, st)
		ctx := context.Background()
		// The ranking's in-memory copy is loaded now and then follows the feed too.
		vbody := vacancyBody("")
		vbody["state"], vbody["municipality"], vbody["title"] = "MX-CHP", "Tapachula", "Albañil"
		vbody["skills"] = []map[string]any{{"name": "albañilería", "required": false}}
		vacancy := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vbody))["id"].(string)
		e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacancy+"/matches", e.as(E), nil))
		ids := make([]string, 3)
		for i, name := range []string{"Ana Good", "Beto Bad", "Carla Good"} {
			body := candidateBody()
			body["full_name"], body["phone"] = name, "+52962111000"+string(rune('2'+i))
			ids[i] = e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		}
		bad := ids[1]
		good := storetest.RawText(t, st, "SELECT number_enc FROM documents WHERE candidate_id = ?", bad)
		// The ID is one the store made, safe to write into the statement.
		if _, err := st.SQL().Exec("UPDATE documents SET number_enc = 'v1:bm90IGEgY2lwaGVydGV4dCBhdCBhbGwsIGp1c3QgZ2FyYmFnZQ' WHERE candidate_id = '" + bad + "'"); err != nil {
			t.Fatal(err)
		}

		if _, err := e.follow.CatchUp(ctx); err != nil {
			t.Fatalf("one bad record failed the whole catch-up: %v", err)
		}
		latest, _ := st.LatestSeq(ctx)
		if seq, _ := e.index.LastSeq(); seq != latest {
			t.Fatalf("the index stopped at %d of %d", seq, latest)
		}
		docs, err := e.index.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if docs["candidate/"+ids[0]] == "" || docs["candidate/"+ids[2]] == "" || docs["candidate/"+bad] != "" {
			t.Fatalf("indexed %v; want the two good candidates and not the bad one", docs)
		}
		matches := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacancy+"/matches", e.as(E), nil))
		if got := candidateIDs(matches); slices.Contains(got, bad) || len(got) != 2 {
			t.Fatalf("matches with a bad record in the feed: %v; want the two good candidates", got)
		}
		status := e.follow.Status(ctx)
		if status.Failing || status.Failures != 0 || status.SkippedTotal != 1 || len(status.Skipped) != 1 ||
			status.Skipped[0].ID != bad || status.Skipped[0].Seq == 0 || !strings.Contains(status.Skipped[0].Error, "does not open") {
			t.Fatalf("follower status: %+v", status)
		}
		ready := e.must(http.StatusOK, e.do("GET", "/readyz", "", nil))
		report, _ := ready["index_follower"].(map[string]any)
		skipped, _ := report["skipped"].([]any)
		if ready["index"] != "ok" || len(skipped) != 1 || skipped[0].(map[string]any)["id"] != bad || report["skipped_total"] != 1.0 {
			t.Fatalf("readyz: %v", ready)
		}

		// A rebuild from scratch goes past it too.
		fresh, err := search.OpenMem()
		if err != nil {
			t.Fatal(err)
		}
		defer fresh.Close()
		if err := search.Rebuild(ctx, fresh, st, workSpan, nil); err != nil {
			t.Fatalf("a rebuild stopped at the bad record: %v", err)
		}
		if rebuilt, _ := fresh.Snapshot(); rebuilt["candidate/"+ids[0]] == "" || rebuilt["candidate/"+ids[2]] == "" || rebuilt["candidate/"+bad] != "" {
			t.Fatalf("rebuilt %v; want the two good candidates and not the bad one", rebuilt)
		}

		// Later changes keep flowing, and the fixed row is applied at the next catch-up.
		later := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))["id"].(string)
		if _, err := st.SQL().Exec("UPDATE documents SET number_enc = '" + good + "' WHERE candidate_id = '" + bad + "'"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.follow.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		docs, _ = e.index.Snapshot()
		if docs["vacancy/"+later] == "" || docs["candidate/"+bad] == "" {
			t.Fatalf("after the fix: indexed %v", docs)
		}
		if status := e.follow.Status(ctx); len(status.Skipped) != 0 || status.SkippedTotal != 1 {
			t.Fatalf("after the fix: %+v", status)
		}
	})
}

// TestFailingFollowerFailsReadiness: when the change feed cannot be read, a few
// failed catch-ups in a row make /readyz answer 503 naming the lag and the error;
// the first catch-up that works again makes it ready.
func TestFailingFollowerFailsReadiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := followedEnv(t, st)
		ctx := context.Background()
		e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))
		restore := breakFeed(t, st)
		for i := 1; i <= 3; i++ {
			if _, err := e.follow.CatchUp(ctx); err == nil {
				t.Fatal("a catch-up on a broken change feed succeeded")
			}
			r := e.do("GET", "/readyz", "", nil)
			if want := map[bool]int{true: http.StatusServiceUnavailable, false: http.StatusOK}[i == 3]; r.status != want {
				t.Fatalf("after %d failed catch-ups readyz is %d, want %d: %s", i, r.status, want, r.body)
			}
		}
		body := e.must(http.StatusServiceUnavailable, e.do("GET", "/readyz", "", nil))
		msg, _ := body["index"].(string)
		if body["database"] != "ok" || !strings.Contains(msg, "3 catch-ups in a row") || !strings.Contains(msg, "lag") ||
			!strings.Contains(msg, "read changes after") {
			t.Fatalf("readyz while the follower fails: %v", body)
		}
		report := body["index_follower"].(map[string]any)
		if report["failing"] != true || report["consecutive_failures"] != 3.0 || report["last_error"] == "" {
			t.Fatalf("follower report: %v", report)
		}

		restore()
		if _, err := e.follow.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		ready := e.must(http.StatusOK, e.do("GET", "/readyz", "", nil))
		if ready["index_follower"].(map[string]any)["lag"] != 0.0 {
			t.Fatalf("after recovery: %v", ready)
		}
	})
}

// breakFeed renames the change-feed table; the returned function puts it back.
func breakFeed(t *testing.T, st *store.Store) (restore func()) {
	t.Helper()
	if _, err := st.SQL().Exec("ALTER TABLE changes RENAME TO changes_broken"); err != nil {
		t.Fatal(err)
	}
	done := false
	restore = func() {
		if done {
			return
		}
		done = true
		if _, err := st.SQL().Exec("ALTER TABLE changes_broken RENAME TO changes"); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(restore)
	return restore
}

// TestUndecodableChangeRowDoesNotStopTheFeed: SQLite keeps any text in a DATETIME
// column, so a change-feed row can hold a time that cannot be decoded (PostgreSQL's
// types cannot). The follower still reads the feed and applies the change.
func TestUndecodableChangeRowDoesNotStopTheFeed(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := followedEnv(t, st)
	ctx := context.Background()
	id := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))["id"].(string)
	if _, err := st.SQL().Exec("UPDATE changes SET at = 'el martes, más o menos'"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.follow.CatchUp(ctx); err != nil {
		t.Fatalf("a change row with an undecodable time stopped the feed: %v", err)
	}
	if docs, _ := e.index.Snapshot(); docs["vacancy/"+id] == "" {
		t.Fatalf("the change was not applied: %v", docs)
	}
}
