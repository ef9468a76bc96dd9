package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

func TestApplyMovesDocumentsAndSequenceTogether(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	c1, c2 := candidate("c1", "soldador"), candidate("c2", "pintor")

	check := func(t *testing.T, wantSeq int64, wantCount uint64) {
		t.Helper()
		seq, err := ix.LastSeq()
		if err != nil {
			t.Fatal(err)
		}
		n, err := ix.Count()
		if err != nil {
			t.Fatal(err)
		}
		if seq != wantSeq || n != wantCount {
			t.Errorf("LastSeq, Count = %d, %d; want %d, %d", seq, n, wantSeq, wantCount)
		}
	}

	check(t, 0, 0)
	if err := ix.Apply(ctx, []Doc{CandidateDoc(&c1, allStates), CandidateDoc(&c2, allStates)}, nil, 5); err != nil {
		t.Fatal(err)
	}
	check(t, 5, 2)

	if err := ix.Apply(ctx, nil, []DocRef{{Entity: models.ChangeCandidate, ID: "c1"}}, 6); err != nil {
		t.Fatal(err)
	}
	check(t, 6, 1)

	t.Run("negative sequence keeps the recorded one", func(t *testing.T) {
		if err := ix.Apply(ctx, []Doc{CandidateDoc(&c1, allStates)}, nil, -1); err != nil {
			t.Fatal(err)
		}
		check(t, 6, 2)
	})

	t.Run("cancelled context applies nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		c3 := candidate("c3", "chofer")
		if err := ix.Apply(cctx, []Doc{CandidateDoc(&c3, allStates)}, nil, 7); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		check(t, 6, 2)
	})

	t.Run("an invalid document rejects the whole batch", func(t *testing.T) {
		c3 := candidate("c3", "chofer")
		bad := Doc{Ref: DocRef{Entity: models.ChangeCandidate}}
		err := ix.Apply(ctx, []Doc{CandidateDoc(&c3, allStates), bad}, nil, 8)
		if !errors.Is(err, models.ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
		err = ix.Apply(ctx, nil, []DocRef{{Entity: "employer", ID: "e1"}}, 8)
		if !errors.Is(err, models.ErrInvalid) {
			t.Errorf("unknown type: err = %v, want ErrInvalid", err)
		}
		check(t, 6, 2)
	})
}

// openFilled opens a new index in dir and completes an (empty) rebuild, as a server
// does on first start.
func openFilled(t *testing.T, dir string, opts Options) *Index {
	t.Helper()
	ix, info, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !info.Rebuilt {
		t.Fatalf("a new index should report Rebuilt")
	}
	if err := Rebuild(context.Background(), ix, newFakeSource(), spanFromStates, nil); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	return ix
}

func TestOpenKeepsOrRebuilds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// change runs on the filled, open index before it is closed and opened again
		// with reopen's options.
		change      func(t *testing.T, ix *Index)
		reopen      Options
		wantRebuilt bool
		wantReason  string
	}{
		{"same versions: kept", func(*testing.T, *Index) {}, Options{DataVersion: "rules-1"}, false, ""},
		{"data version changed", func(*testing.T, *Index) {}, Options{DataVersion: "rules-2"}, true, "differs"},
		{"mapping version changed", func(t *testing.T, ix *Index) {
			// An index written by an older binary records an older mapping version.
			if err := ix.bi.SetInternal(keyVersion, []byte("search/1|vocabulary=2024.1|data=rules-1")); err != nil {
				t.Fatal(err)
			}
		}, Options{DataVersion: "rules-1"}, true, "differs"},
		{"rebuild interrupted", func(t *testing.T, ix *Index) {
			if err := ix.bi.SetInternal(keyIncomplete, []byte("1")); err != nil {
				t.Fatal(err)
			}
		}, Options{DataVersion: "rules-1"}, true, "did not finish"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			ix := openFilled(t, dir, Options{DataVersion: "rules-1"})
			c := candidate("c1", "soldador")
			if err := ix.Apply(ctx, []Doc{CandidateDoc(&c, allStates)}, nil, 42); err != nil {
				t.Fatal(err)
			}
			tt.change(t, ix)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}

			ix, info, err := Open(dir, tt.reopen)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			t.Cleanup(func() { _ = ix.Close() })
			n, _ := ix.Count()
			if info.Rebuilt != tt.wantRebuilt || !strings.Contains(info.Reason, tt.wantReason) {
				t.Errorf("OpenInfo = %+v, want Rebuilt %v and a reason containing %q", info, tt.wantRebuilt, tt.wantReason)
			}
			if tt.wantRebuilt {
				if n != 0 || info.LastSeq != 0 {
					t.Errorf("rebuilt index has %d documents and LastSeq %d, want an empty one", n, info.LastSeq)
				}
			} else if n != 1 || info.LastSeq != 42 {
				t.Errorf("kept index has %d documents and LastSeq %d, want 1 and 42", n, info.LastSeq)
			}
		})
	}
}

func TestOpenRefusesADirectoryThatIsNotAnIndex(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(dir, Options{})
	if !errors.Is(err, models.ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the directory's file is gone: %v", err)
	}
}

func TestSecondOpenFailsInsteadOfHanging(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	first := openFilled(t, dir, Options{})

	start := time.Now()
	second, _, err := Open(dir, Options{BoltTimeout: 200 * time.Millisecond})
	elapsed := time.Since(start)
	if err == nil {
		_ = second.Close()
		t.Fatal("a second Open of an index in use succeeded")
	}
	if !errors.Is(err, models.ErrConflict) || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("err = %v, want ErrConflict saying the index is in use", err)
	}
	t.Logf("second Open after %s: %v", elapsed, err)
	if elapsed > 3*time.Second {
		t.Errorf("the second Open took %s; it should give up after the 200ms bolt timeout", elapsed)
	}
	// Nothing was deleted: once the first is closed, the index opens as it was.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, info, err := Open(dir, Options{BoltTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	defer again.Close()
	if info.Rebuilt {
		t.Errorf("the index was rebuilt after a refused second open: %+v", info)
	}
}

func TestSnapshotHashesIndexedContent(t *testing.T) {
	ix := newMemIndex(t)
	c1, c2 := candidate("c1", "soldador"), candidate("c2", "soldador")
	v1 := vacancy("v1", "Soldador", "MX-NLE")
	apply(t, ix, CandidateDoc(&c1, allStates), CandidateDoc(&c2, allStates), VacancyDoc(&v1))

	snap, err := ix.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(snap) != 3 || snap["candidate/c1"] == "" || snap["candidate/c2"] == "" || snap["vacancy/v1"] == "" {
		t.Fatalf("Snapshot = %v, want candidate/c1, candidate/c2, vacancy/v1 with hashes", snap)
	}
	// Only the IDs differ, and the ID is the key, not content.
	if snap["candidate/c1"] != snap["candidate/c2"] {
		t.Errorf("equal content hashes differently: %v", snap)
	}
	c2.Skills[0].Name = "pintor"
	apply(t, ix, CandidateDoc(&c2, allStates))
	after, _ := ix.Snapshot()
	if after["candidate/c2"] == snap["candidate/c2"] {
		t.Error("changed content kept its hash")
	}
	apply(t, ix, CandidateDoc(&c2, WorkSpan{States: []string{"MX-NLE"}}))
	spanChanged, _ := ix.Snapshot()
	if spanChanged["candidate/c2"] == after["candidate/c2"] {
		t.Error("a changed work span kept its hash")
	}
}

func TestOpenRebuildsAnUnreadableIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openFilled(t, dir, Options{})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	ix, info, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix.Close()
	if !info.Rebuilt || !strings.Contains(info.Reason, "could not be read") {
		t.Errorf("OpenInfo = %+v, want Rebuilt because the index could not be read", info)
	}
}
