package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// vincLoad reports how long each step of Vincula's load took.
type vincLoad struct {
	// database is the time in the store's bulk inserts (schema migrations included).
	database time.Duration
	// index is search.Rebuild from the database into a fresh index.
	index time.Duration
	// settle is how long the index went on merging segments after Rebuild returned;
	// queries are measured after it, and it is reported apart from the load.
	settle time.Duration
}

func (v vincLoad) total() time.Duration { return v.database + v.index }

// generate draws candidates [lo, hi) of g on every core.
func generate(g *datagen.Generator, lo, hi int) []models.Candidate {
	out := make([]models.Candidate, hi-lo)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := lo + w; i < hi; i += workers {
				out[i-lo] = g.Candidate(i)
			}
		})
	}
	wg.Wait()
	return out
}

// vacancies draws the first n vacancies of g.
func vacancies(g *datagen.Generator, n int) []models.Vacancy {
	out := make([]models.Vacancy, n)
	for i := range out {
		out[i] = g.Vacancy(i)
	}
	return out
}

// spanOf is the eligibility engine's superset of where and until when a candidate may
// work, as the index stores it (cmd/vincula builds it the same way).
func spanOf(c *models.Candidate) search.WorkSpan {
	s := matching.WorkSpan(c, nil)
	return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
}

// loadVincula fills the empty store st with the employers, candidates [0, n) and
// vacancies [0, nv) of g through the bulk inserts, then builds the index in dir from
// the database, as `vincula reindex` would, and refreshes the planner statistics. Only the store's and the index's work is
// timed, not the generator's.
func loadVincula(ctx context.Context, st *store.Store, dir string, g *datagen.Generator, n, nv, chunk int, progress func(string, int)) (vincLoad, error) {
	var out vincLoad
	start := time.Now()
	if err := st.BulkCreateEmployers(ctx, g.Employers()); err != nil {
		return out, fmt.Errorf("vincula: employers: %w", err)
	}
	out.database += time.Since(start)
	for lo := 0; lo < n; lo += chunk {
		cs := generate(g, lo, min(lo+chunk, n))
		start := time.Now()
		if err := st.BulkCreateCandidates(ctx, cs); err != nil {
			return out, fmt.Errorf("vincula: candidates: %w", err)
		}
		out.database += time.Since(start)
		progress("database", min(lo+chunk, n))
	}
	vs := vacancies(g, nv)
	start = time.Now()
	if err := st.BulkCreateVacancies(ctx, vs); err != nil {
		return out, fmt.Errorf("vincula: vacancies: %w", err)
	}
	// The planner statistics, as the peer's load ends with ANALYZE too.
	if err := st.Analyze(ctx); err != nil {
		return out, fmt.Errorf("vincula: analyze: %w", err)
	}
	out.database += time.Since(start)

	ix, info, err := search.Open(dir, search.Options{})
	if err != nil {
		return out, err
	}
	defer ix.Close()
	if !info.Rebuilt {
		return out, fmt.Errorf("vincula: the index at %s is not fresh", dir)
	}
	start = time.Now()
	last := time.Now()
	err = search.Rebuild(ctx, ix, st, spanOf, func(done int) {
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			progress("index", done)
		}
	})
	if err != nil {
		return out, err
	}
	out.index = time.Since(start)
	start = time.Now()
	if err := settle(ctx, dir, 3*time.Second, 5*time.Minute); err != nil {
		return out, err
	}
	out.settle = time.Since(start)
	return out, nil
}

// settle waits until the files of the index in dir have stopped changing for quiet
// (bleve merges segments in the background after a bulk load, and queries measured
// during merging would measure the merging), or until limit.
func settle(ctx context.Context, dir string, quiet, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	prev, stableSince := "", time.Now()
	for time.Now().Before(deadline) {
		sig, err := dirSignature(dir)
		if err != nil {
			return err
		}
		if sig != prev {
			prev, stableSince = sig, time.Now()
		} else if time.Since(stableSince) >= quiet {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return nil
}

// dirSignature names the files of dir with their sizes, so that any change shows.
func dirSignature(dir string) (string, error) {
	sig := ""
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed by a merge while walking
		}
		sig += fmt.Sprintf("%s:%d;", path, info.Size())
		return nil
	})
	return sig, err
}

// diskUsage is what du reports for dir: the blocks its files take on disk.
func diskUsage(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			total += st.Blocks * 512
		} else {
			total += info.Size()
		}
		return nil
	})
	return total, err
}
