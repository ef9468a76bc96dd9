package search

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

// history writes a small history to src: creations, updates and deletions of
// candidates and vacancies, in the order a day of use would.
func history(src *fakeSource) {
	src.putCandidate(candidate("c1", "albañil"))
	src.putCandidate(candidate("c2", "soldador"))
	src.putCandidate(candidate("c3", "pintor"))
	src.putVacancy(vacancy("v1", "Albañil", "MX-NLE"))
	src.putVacancy(vacancy("v2", "Costurera", "MX-CHP"))
	c2 := candidate("c2", "soldador de arco")
	c2.PreferredStates = []string{"MX-NLE"}
	src.putCandidate(c2)
	src.deleteCandidate("c3")
	src.deleteVacancy("v2")
}

func TestFollowerCatchUp(t *testing.T) {
	ctx := context.Background()
	src := newFakeSource()
	history(src)
	ix := newMemIndex(t)
	f := NewFollower(ix, src, spanFromStates, nil)

	n, err := f.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("applied %d changes, want 8", n)
	}
	if seq, _ := ix.LastSeq(); seq != 8 {
		t.Errorf("LastSeq = %d, want 8", seq)
	}
	snap, err := ix.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if keys := sorted(slices.Collect(maps.Keys(snap))); !slices.Equal(keys, []string{"candidate/c1", "candidate/c2", "vacancy/v1"}) {
		t.Errorf("indexed %v, want candidate/c1, candidate/c2, vacancy/v1", keys)
	}
	// The update is indexed as the record is now: c2 may only work in Nuevo León.
	if got := searchCandidates(t, ix, CandidateQuery{Text: "soldador", WorkState: "MX-NLE"}); !slices.Equal(got, []string{"c2"}) {
		t.Errorf("NLE welders = %v, want [c2]", got)
	}
	if got := searchCandidates(t, ix, CandidateQuery{Text: "soldador", WorkState: "MX-CHP"}); len(got) != 0 {
		t.Errorf("CHP welders = %v, want none", got)
	}

	t.Run("nothing new", func(t *testing.T) {
		n, err := f.CatchUp(ctx)
		if err != nil || n != 0 {
			t.Errorf("CatchUp = %d, %v; want 0, nil", n, err)
		}
	})

	t.Run("replaying the whole feed changes nothing", func(t *testing.T) {
		if err := ix.Apply(ctx, nil, nil, 0); err != nil {
			t.Fatal(err)
		}
		n, err := f.CatchUp(ctx)
		if err != nil || n != 8 {
			t.Fatalf("CatchUp = %d, %v; want 8, nil", n, err)
		}
		again, _ := ix.Snapshot()
		if !maps.Equal(again, snap) {
			t.Errorf("replay gives %v, want %v", again, snap)
		}
	})

	t.Run("deleted and re-created within one batch", func(t *testing.T) {
		src.putCandidate(candidate("c4", "chofer"))
		src.deleteCandidate("c4")
		src.putCandidate(candidate("c4", "chofer de tráiler"))
		if _, err := f.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if got := searchCandidates(t, ix, CandidateQuery{Text: "trailer"}); !slices.Equal(got, []string{"c4"}) {
			t.Errorf("got %v, want [c4]", got)
		}
	})

	t.Run("unknown entities are skipped", func(t *testing.T) {
		src.mu.Lock()
		src.feed("employer", "e1", models.ChangeUpsert)
		src.mu.Unlock()
		n, err := f.CatchUp(ctx)
		if err != nil || n != 1 {
			t.Errorf("CatchUp = %d, %v; want 1, nil", n, err)
		}
		if seq, _ := ix.LastSeq(); seq != 12 {
			t.Errorf("LastSeq = %d, want 12", seq)
		}
	})
}

func TestFollowerWorksInBatches(t *testing.T) {
	ctx := context.Background()
	src := newFakeSource()
	history(src)
	ix := newMemIndex(t)
	f := NewFollower(ix, src, spanFromStates, nil)
	f.batch = 3

	n, err := f.CatchUp(ctx)
	if err != nil || n != 8 {
		t.Fatalf("CatchUp = %d, %v; want 8, nil", n, err)
	}
	// 3 + 3 + 2: the short third batch says the feed is drained.
	if src.changesCalls != 3 {
		t.Errorf("ChangesSince called %d times, want 3", src.changesCalls)
	}
	snap, _ := ix.Snapshot()
	if keys := sorted(slices.Collect(maps.Keys(snap))); !slices.Equal(keys, []string{"candidate/c1", "candidate/c2", "vacancy/v1"}) {
		t.Errorf("indexed %v", keys)
	}
}

func TestRebuildEqualsCatchUp(t *testing.T) {
	ctx := context.Background()
	src := newFakeSource()
	history(src)
	for i := range 25 {
		c := candidate(fmt.Sprintf("g%02d", i), "soldador", "pintor")
		if i%3 == 0 {
			c.PreferredStates = []string{"MX-COA"}
		}
		src.putCandidate(c)
		if i%4 == 0 {
			src.putVacancy(vacancy(fmt.Sprintf("w%02d", i), "Pintor", "MX-COA"))
		}
		if i%5 == 0 {
			src.deleteCandidate(c.ID)
		}
	}
	latest, _ := src.LatestSeq(ctx)

	followed := newMemIndex(t)
	if _, err := NewFollower(followed, src, spanFromStates, nil).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt := newMemIndex(t)
	// A document whose record is gone must not survive a rebuild.
	ghost := candidate("ghost", "soldador")
	apply(t, rebuilt, CandidateDoc(&ghost, allStates))
	var progress []int
	if err := Rebuild(ctx, rebuilt, src, spanFromStates, func(done int) { progress = append(progress, done) }); err != nil {
		t.Fatal(err)
	}

	a, _ := followed.Snapshot()
	b, _ := rebuilt.Snapshot()
	if !maps.Equal(a, b) {
		t.Errorf("rebuild %v\ndiffers from catch-up %v", b, a)
	}
	// 2 + 20 candidates and 1 + 7 vacancies remain.
	if len(a) != 30 {
		t.Errorf("%d documents, want 30", len(a))
	}
	if !slices.Equal(progress, []int{22, 30}) {
		t.Errorf("progress = %v, want [22 30]", progress)
	}
	for name, ix := range map[string]*Index{"catch-up": followed, "rebuild": rebuilt} {
		if seq, _ := ix.LastSeq(); seq != latest {
			t.Errorf("%s: LastSeq = %d, want %d", name, seq, latest)
		}
	}
	if v, _ := rebuilt.bi.GetInternal(keyIncomplete); len(v) != 0 {
		t.Error("a finished rebuild left the index marked incomplete")
	}

	// Both keep following the feed the same way.
	src.putCandidate(candidate("late", "carpintero"))
	src.deleteCandidate("c1")
	for _, ix := range []*Index{followed, rebuilt} {
		if _, err := NewFollower(ix, src, spanFromStates, nil).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}
	a, _ = followed.Snapshot()
	b, _ = rebuilt.Snapshot()
	if !maps.Equal(a, b) || a["candidate/late"] == "" || a["candidate/c1"] != "" {
		t.Errorf("after more changes: catch-up %v, rebuild %v", a, b)
	}
}

func TestFollowerRebuildsOnRequest(t *testing.T) {
	ctx := context.Background()
	src := newFakeSource()
	history(src)
	ix := newMemIndex(t)
	f := NewFollower(ix, src, spanFromStates, nil)
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	// A document the feed never mentions, as after a bug or a lost change: only a
	// rebuild removes it.
	ghost := candidate("ghost", "soldador")
	apply(t, ix, CandidateDoc(&ghost, allStates))

	src.putCandidate(candidate("c5", "carpintero")) // seq 9
	src.requestRebuild()                            // seq 10
	src.putCandidate(candidate("c6", "pintor"))     // seq 11
	n, err := f.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The rebuild recorded seq 11, which covers c6 too: nothing is left to apply.
	if n != 2 {
		t.Errorf("CatchUp applied %d, want 2 (c5 and the request, both covered by the rebuild)", n)
	}
	snap, _ := ix.Snapshot()
	want := []string{"candidate/c1", "candidate/c2", "candidate/c5", "candidate/c6", "vacancy/v1"}
	if keys := sorted(slices.Collect(maps.Keys(snap))); !slices.Equal(keys, want) {
		t.Errorf("indexed %v, want %v", keys, want)
	}
	if seq, _ := ix.LastSeq(); seq != 11 {
		t.Errorf("LastSeq = %d, want 11", seq)
	}
}

func TestFollowerRun(t *testing.T) {
	waitFor := func(t *testing.T, ix *Index, want uint64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if n, _ := ix.Count(); n == want {
				return
			}
			if time.Now().After(deadline) {
				n, _ := ix.Count()
				t.Fatalf("index has %d documents after 5s, want %d", n, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	tests := []struct {
		name string
		wake bool
		poll time.Duration
	}{
		// A long poll: only the wake-up can bring the change in time.
		{"woken by this server's write", true, time.Hour},
		// No wake-up: another server wrote; polling brings it in.
		{"polling another server's writes", false, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newFakeSource()
			src.putCandidate(candidate("c1", "soldador"))
			ix := newMemIndex(t)
			f := NewFollower(ix, src, spanFromStates, nil)
			ctx, cancel := context.WithCancel(context.Background())
			wake := make(chan struct{}, 1)
			done := make(chan error, 1)
			go func() { done <- f.Run(ctx, wake, tt.poll) }()

			waitFor(t, ix, 1)
			src.putCandidate(candidate("c2", "pintor"))
			if tt.wake {
				wake <- struct{}{}
			}
			waitFor(t, ix, 2)
			if lag, err := f.Lag(context.Background()); err != nil || lag != 0 {
				t.Errorf("Lag = %d, %v; want 0, nil", lag, err)
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v, want nil on shutdown", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not stop when its context ended")
			}
		})
	}
}

func TestFollowerLag(t *testing.T) {
	ctx := context.Background()
	src := newFakeSource()
	history(src)
	ix := newMemIndex(t)
	f := NewFollower(ix, src, spanFromStates, nil)
	if lag, err := f.Lag(ctx); err != nil || lag != 8 {
		t.Errorf("Lag before = %d, %v; want 8, nil", lag, err)
	}
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if lag, err := f.Lag(ctx); err != nil || lag != 0 {
		t.Errorf("Lag after = %d, %v; want 0, nil", lag, err)
	}
}
