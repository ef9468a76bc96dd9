package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// spanFunc returns the eligibility engine's superset of where and until when a
// candidate may work, in the form the index stores for its pre-filters.
func spanFunc(rules *matching.Rules) func(*models.Candidate) search.WorkSpan {
	return func(c *models.Candidate) search.WorkSpan {
		s := matching.WorkSpan(c, rules)
		return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
	}
}

func indexDir(cfg config) string {
	if cfg.IndexDir != "" {
		return cfg.IndexDir
	}
	return filepath.Join(cfg.DataDir, "index")
}

// dataVersion names what the indexed documents depend on besides the mapping: the
// eligibility rules (work spans) and the vocabulary (concepts). A change rebuilds.
func dataVersion(rules *matching.Rules) string {
	return "rules " + rules.Version() + "; vocabulary " + models.DefaultVocabulary().Version()
}

// openIndex opens this server's index, rebuilds it from the database when it is new or
// out of date, and applies the change feed up to now.
func (m *Main) openIndex(cfg config, st *store.Store, rules *matching.Rules) (*search.Index, *search.Follower, error) {
	dir := indexDir(cfg)
	ix, info, err := search.Open(dir, search.Options{DataVersion: dataVersion(rules)})
	if err != nil {
		return nil, nil, fmt.Errorf("search index %s: %w (is another vincula process using it?)", dir, err)
	}
	span := spanFunc(rules)
	if info.Rebuilt {
		m.log.Info("building the search index from the database", slog.String("dir", dir), slog.String("why", info.Reason))
		if err := m.rebuild(ix, st, span); err != nil {
			ix.Close()
			return nil, nil, err
		}
	}
	f := search.NewFollower(ix, st, span, m.log)
	start := m.now()
	n, err := f.CatchUp(m.ctx)
	if err != nil {
		ix.Close()
		return nil, nil, fmt.Errorf("search index: catch up with the change feed: %w", err)
	}
	if n > 0 {
		m.log.Info("search index caught up with the change feed", slog.Int("changes", n), slog.Duration("took", m.now().Sub(start)))
	}
	return ix, f, nil
}

func (m *Main) rebuild(ix *search.Index, st *store.Store, span func(*models.Candidate) search.WorkSpan) error {
	return m.rebuildWithBar(ix, st, span, "indexing")
}

// rebuildWithBar rebuilds the index from the database, drawing a progress bar with
// the number of records to index on a terminal (label names the work), and logging
// the progress every few seconds elsewhere.
func (m *Main) rebuildWithBar(ix *search.Index, st *store.Store, span func(*models.Candidate) search.WorkSpan, label string) error {
	start := m.now()
	last := start
	total := 0
	cands, vacs, err := st.CountRecords(m.ctx)
	if err != nil {
		return fmt.Errorf("search index: rebuild: %w", err)
	}
	bar := newCountBar(m.stderr, label, int(cands+vacs), "records", m.now)
	err = search.Rebuild(m.ctx, ix, st, span, func(done int) {
		total = done
		bar.show(done)
		if t := m.now(); !bar.on && t.Sub(last) > 2*time.Second {
			last = t
			m.log.Info("indexing", slog.Int("records", done), slog.Int64("of", cands+vacs))
		}
	})
	bar.finish()
	if err != nil {
		return fmt.Errorf("search index: rebuild: %w", err)
	}
	m.log.Info("search index built", slog.Int("records", total), slog.Duration("took", m.now().Sub(start)))
	return nil
}

// countBar draws how far a count has gone towards its total on a terminal, and
// nothing elsewhere (a log file or a pipe).
type countBar struct {
	w           io.Writer
	on          bool
	label, unit string
	total, done int
	drawn       time.Time
	now         func() time.Time
}

func newCountBar(w io.Writer, label string, total int, unit string, now func() time.Time) *countBar {
	return &countBar{w: w, on: isTerminal(w), label: label, unit: unit, total: total, now: now}
}

// show records the count and redraws at most ten times a second.
func (b *countBar) show(done int) {
	b.done = done
	if !b.on || b.now().Sub(b.drawn) < 100*time.Millisecond {
		return
	}
	b.draw()
}

func (b *countBar) draw() {
	const width = 30
	frac := 1.0
	if b.total > 0 {
		frac = min(float64(b.done)/float64(b.total), 1)
	}
	filled := int(frac * width)
	fmt.Fprintf(b.w, "\r\033[K%s [%s%s] %3.0f%% %d/%d %s", b.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		frac*100, b.done, b.total, b.unit)
	b.drawn = b.now()
}

// finish draws the last count and ends the line.
func (b *countBar) finish() {
	if !b.on {
		return
	}
	b.draw()
	fmt.Fprintln(b.w)
}

// reindex rebuilds the index from the database. The index belongs to one process: when
// a server holds it, the rebuild is requested through the change feed and that server
// carries it out; otherwise it is done here.
func (m *Main) reindex(cfg config) error {
	rules, err := loadRules(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	dir := indexDir(cfg)
	ix, _, err := search.Open(dir, search.Options{DataVersion: dataVersion(rules), BoltTimeout: time.Second})
	if err != nil {
		seq, qerr := st.RequestReindex(m.ctx)
		if qerr != nil {
			return fmt.Errorf("the index at %s is busy (%v) and the rebuild could not be requested: %w", dir, err, qerr)
		}
		fmt.Fprintf(m.stdout, "the index at %s is in use by a running server; requested a rebuild through the change feed (sequence %d): that server rebuilds it\n", dir, seq)
		return nil
	}
	defer ix.Close()
	if err := m.rebuildWithBar(ix, st, spanFunc(rules), "reindexing"); err != nil {
		return err
	}
	n, _ := ix.Count()
	fmt.Fprintf(m.stdout, "index rebuilt at %s: %d documents\n", dir, n)
	return nil
}

// runFollower applies the change feed until ctx ends: at once when this process wrote
// to it or (on PostgreSQL, through Store.Listen) any process did, and by polling for
// what a missed notification or, on SQLite, a command-line import wrote.
func (m *Main) runFollower(ctx context.Context, f *search.Follower, st *store.Store) {
	if err := f.Run(ctx, st.Changed(), time.Second); err != nil && ctx.Err() == nil {
		m.log.Error("search index follower stopped", slog.Any("err", err))
	}
}
