package search

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/vincula/vincula/models"
)

// Source is what the follower needs from the database (store.Store implements it).
type Source interface {
	ChangesSince(ctx context.Context, seq int64, limit int) ([]models.Change, error)
	CandidatesByID(ctx context.Context, ids []string) ([]models.Candidate, error)
	VacanciesByID(ctx context.Context, ids []string) ([]models.Vacancy, error)
	EachCandidate(ctx context.Context, batch int, fn func([]models.Candidate) error) error
	EachVacancy(ctx context.Context, batch int, fn func([]models.Vacancy) error) error
	LatestSeq(ctx context.Context) (int64, error)
}

// Batch sizes: BLEVE-NOTES measured 500–2,000 documents per bleve batch as the sweet
// spot on two cores; larger batches index no faster and take several times the memory.
const (
	changeBatch  = 500
	rebuildBatch = 1000
)

// Follower applies the database's change feed to one index. Each server runs its own:
// a killed process resumes from the sequence recorded in the index, and servers
// sharing a database converge because each re-reads the current records.
type Follower struct {
	ix    *Index
	src   Source
	span  func(*models.Candidate) WorkSpan
	log   *slog.Logger
	batch int
	mu    sync.Mutex // one CatchUp at a time: Run and an explicit call may overlap
}

// NewFollower returns a follower that keeps ix current from src, computing each
// candidate's work span with span. A nil log discards messages.
func NewFollower(ix *Index, src Source, span func(*models.Candidate) WorkSpan, log *slog.Logger) *Follower {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Follower{ix: ix, src: src, span: span, log: log, batch: changeBatch}
}

// CatchUp applies every change after the index's recorded sequence, a batch at a
// time, and returns how many changes it applied. Within a batch the changes are
// collapsed per record and the current records are re-read by ID: a record that exists
// is indexed as it is now, one that is gone is deleted, whatever the ops said, so
// applying a batch twice, or out of date, converges to the database. A rebuild
// request in the feed (models.ChangeIndex, models.ChangeRebuild) runs Rebuild.
func (f *Follower) CatchUp(ctx context.Context) (applied int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		seq, err := f.ix.LastSeq()
		if err != nil {
			return applied, err
		}
		changes, err := f.src.ChangesSince(ctx, seq, f.batch)
		if err != nil {
			return applied, fmt.Errorf("search: read changes after %d: %w", seq, err)
		}
		if len(changes) == 0 {
			return applied, nil
		}
		if i := rebuildRequest(changes); i >= 0 {
			// `vincula reindex` asks the server holding the index to rebuild it. The
			// changes before the request need no applying: the rebuild reads every
			// record, and it records a sequence at least as late as the request.
			f.log.Info("search: rebuilding the index as requested through the change feed", "seq", changes[i].Seq)
			if err := Rebuild(ctx, f.ix, f.src, f.span, nil); err != nil {
				return applied, err
			}
			// A source whose latest sequence lags what it already served would make
			// the request come round again forever; the rebuild began after the
			// request was written, so recording the request's sequence is safe.
			if after, err := f.ix.LastSeq(); err != nil {
				return applied, err
			} else if after < changes[i].Seq {
				if err := f.ix.Apply(ctx, nil, nil, changes[i].Seq); err != nil {
					return applied, err
				}
			}
			applied += i + 1
			continue
		}
		if err := f.applyChanges(ctx, changes); err != nil {
			return applied, err
		}
		applied += len(changes)
		if len(changes) < f.batch {
			return applied, nil
		}
	}
}

// rebuildRequest returns the position of the first rebuild request in changes, or -1.
func rebuildRequest(changes []models.Change) int {
	for i, c := range changes {
		if c.Entity == models.ChangeIndex && c.Op == models.ChangeRebuild {
			return i
		}
	}
	return -1
}

func (f *Follower) applyChanges(ctx context.Context, changes []models.Change) error {
	var candidateIDs, vacancyIDs []string
	seen := map[DocRef]bool{}
	for _, c := range changes {
		ref := DocRef{Entity: c.Entity, ID: c.EntityID}
		if seen[ref] {
			continue
		}
		seen[ref] = true
		switch c.Entity {
		case models.ChangeIndex:
			// A rebuild request is handled by CatchUp; other ops mean nothing yet.
		case models.ChangeCandidate:
			candidateIDs = append(candidateIDs, c.EntityID)
		case models.ChangeVacancy:
			vacancyIDs = append(vacancyIDs, c.EntityID)
		default:
			// A newer server may feed entities this one does not index.
			f.log.Warn("search: change of an unknown entity skipped", "seq", c.Seq, "entity", c.Entity)
		}
	}

	var upserts []Doc
	var deletes []DocRef
	if len(candidateIDs) > 0 {
		cs, err := f.src.CandidatesByID(ctx, candidateIDs)
		if err != nil {
			return fmt.Errorf("search: read changed candidates: %w", err)
		}
		found := make(map[string]bool, len(cs))
		for i := range cs {
			found[cs[i].ID] = true
			upserts = append(upserts, CandidateDoc(&cs[i], f.span(&cs[i])))
		}
		for _, id := range candidateIDs {
			if !found[id] {
				deletes = append(deletes, DocRef{Entity: models.ChangeCandidate, ID: id})
			}
		}
	}
	if len(vacancyIDs) > 0 {
		vs, err := f.src.VacanciesByID(ctx, vacancyIDs)
		if err != nil {
			return fmt.Errorf("search: read changed vacancies: %w", err)
		}
		found := make(map[string]bool, len(vs))
		for i := range vs {
			found[vs[i].ID] = true
			upserts = append(upserts, VacancyDoc(&vs[i]))
		}
		for _, id := range vacancyIDs {
			if !found[id] {
				deletes = append(deletes, DocRef{Entity: models.ChangeVacancy, ID: id})
			}
		}
	}
	last := changes[len(changes)-1].Seq
	if err := f.ix.Apply(ctx, upserts, deletes, last); err != nil {
		return err
	}
	f.log.Debug("search: changes applied", "through_seq", last, "changes", len(changes), "upserts", len(upserts), "deletes", len(deletes))
	return nil
}

// Run catches up, then waits for a wake-up (a write made by this server) or the poll
// interval (writes made by another server on the same database send no signal),
// until ctx is done; it then returns nil. A failed catch-up is logged and retried at
// the next wake-up or poll, because the database may be briefly unreachable.
func (f *Follower) Run(ctx context.Context, wake <-chan struct{}, poll time.Duration) error {
	if poll <= 0 {
		poll = time.Second
	}
	timer := time.NewTimer(poll)
	defer timer.Stop()
	for {
		if n, err := f.CatchUp(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			f.log.Error("search: catching up with the change feed failed", "err", err)
		} else if n > 0 {
			f.log.Debug("search: caught up", "changes", n)
		}
		timer.Reset(poll)
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
	}
}

// Lag returns how many change-feed sequences the index is behind the database, for
// metrics and readiness.
func (f *Follower) Lag(ctx context.Context) (int64, error) {
	latest, err := f.src.LatestSeq(ctx)
	if err != nil {
		return 0, fmt.Errorf("search: latest sequence: %w", err)
	}
	applied, err := f.ix.LastSeq()
	if err != nil {
		return 0, err
	}
	return max(latest-applied, 0), nil
}

// Rebuild indexes every candidate and vacancy of src into ix and removes documents of
// records that no longer exist. It reads the feed's latest sequence first and records
// it last: a change made while it runs has a later sequence, so the next CatchUp
// applies it again (re-reading records makes that harmless). progress, when not nil,
// is called with the number of records indexed so far.
func Rebuild(ctx context.Context, ix *Index, src Source, span func(*models.Candidate) WorkSpan, progress func(done int)) error {
	seq, err := src.LatestSeq(ctx)
	if err != nil {
		return fmt.Errorf("search: rebuild: latest sequence: %w", err)
	}
	// Documents already in the index that the database no longer holds must go; an
	// index fresh from Open has none, and then this costs nothing.
	stale := map[string]bool{}
	if n, err := ix.Count(); err != nil {
		return err
	} else if n > 0 {
		err := ix.eachDoc(func(_ index.IndexReader, key string) error {
			stale[key] = true
			return nil
		})
		if err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
	}

	done := 0
	report := func(n int) {
		done += n
		if progress != nil {
			progress(done)
		}
	}
	err = src.EachCandidate(ctx, rebuildBatch, func(cs []models.Candidate) error {
		docs := make([]Doc, len(cs))
		for i := range cs {
			docs[i] = CandidateDoc(&cs[i], span(&cs[i]))
			delete(stale, docs[i].Ref.Key())
		}
		if err := ix.Apply(ctx, docs, nil, -1); err != nil {
			return err
		}
		report(len(cs))
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: rebuild candidates: %w", err)
	}
	err = src.EachVacancy(ctx, rebuildBatch, func(vs []models.Vacancy) error {
		docs := make([]Doc, len(vs))
		for i := range vs {
			docs[i] = VacancyDoc(&vs[i])
			delete(stale, docs[i].Ref.Key())
		}
		if err := ix.Apply(ctx, docs, nil, -1); err != nil {
			return err
		}
		report(len(vs))
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: rebuild vacancies: %w", err)
	}

	deletes := make([]DocRef, 0, len(stale))
	for key := range stale {
		entity, id, ok := strings.Cut(key, "/")
		if !ok {
			continue
		}
		deletes = append(deletes, DocRef{Entity: models.ChangeEntity(entity), ID: id})
	}
	for len(deletes) > rebuildBatch {
		if err := ix.Apply(ctx, nil, deletes[:rebuildBatch], -1); err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
		deletes = deletes[rebuildBatch:]
	}
	// The last batch records the sequence and marks the index complete together.
	if err := ix.apply(ctx, nil, deletes, seq, true); err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	return nil
}
