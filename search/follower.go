package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
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

	// FailAfter is how many catch-ups in a row must fail before Ready reports the
	// follower as failing (3 by default: three polls, a few seconds, so that a
	// database restart of a moment does not take the server out of rotation).
	FailAfter int

	health sync.Mutex // guards what follows, which Status reads while CatchUp runs
	// failures counts the catch-ups that failed since the last one that succeeded.
	failures  int
	lastError string
	// failedTotal counts every failed catch-up since the start.
	failedTotal int64
	// skipped holds the records whose change could not be applied (their read fails
	// while the database answers: a corrupt row, a value the key cannot open), retried
	// at every catch-up; skippedTotal counts every skip since the start.
	skipped      map[DocRef]SkippedChange
	skippedTotal int64
}

// SkippedChange is a change the follower set aside because its record could not be
// read: the rest of the feed was applied past it.
type SkippedChange struct {
	Seq    int64               `json:"seq"`
	Entity models.ChangeEntity `json:"entity"`
	ID     string              `json:"id"`
	Error  string              `json:"error"`
}

// maxSkipped bounds the skipped changes kept for retry and report; the total still
// counts them all.
const maxSkipped = 100

// FollowerStatus is how the follower stands, for readiness and metrics.
type FollowerStatus struct {
	// Lag is how many sequences the index is behind the database (-1 when the
	// feed's latest sequence cannot be read).
	Lag int64 `json:"lag"`
	// Failures counts the catch-ups that failed in a row; LastError is the last
	// failure's error, kept after a success for the record.
	Failures  int    `json:"consecutive_failures"`
	LastError string `json:"last_error,omitempty"`
	// Skipped lists the changes set aside and still unapplied (at most 100);
	// SkippedTotal counts every change set aside since the start.
	Skipped      []SkippedChange `json:"skipped"`
	SkippedTotal int64           `json:"skipped_total"`
	// Failing is Failures reaching FailAfter: the index no longer follows the feed.
	Failing bool `json:"failing"`
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
//
// A change whose record cannot be read while the database answers (a corrupt row, a
// value the key cannot open) does not stop the feed: it is logged, counted and kept
// in Status, the rest of its batch is applied, and it is retried at every catch-up.
// A failed catch-up (the database does not answer) counts towards Ready's verdict.
func (f *Follower) CatchUp(ctx context.Context) (applied int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retrySkipped(ctx)
	applied, err = f.catchUp(ctx)
	if err != nil && ctx.Err() != nil {
		return applied, err
	}
	f.health.Lock()
	if err != nil {
		f.failures++
		f.failedTotal++
		f.lastError = err.Error()
	} else {
		f.failures = 0
	}
	f.health.Unlock()
	return applied, err
}

func (f *Follower) catchUp(ctx context.Context) (applied int, err error) {
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

	upserts, deletes, bad, err := f.read(ctx, candidateIDs, vacancyIDs)
	if err != nil {
		return err
	}
	last := changes[len(changes)-1].Seq
	if err := f.ix.Apply(ctx, upserts, deletes, last); err != nil {
		return err
	}
	f.settle(upserts, deletes)
	if len(bad) > 0 {
		// The latest change of each record set aside is the one to report.
		seqOf := map[DocRef]int64{}
		for _, c := range changes {
			seqOf[DocRef{Entity: c.Entity, ID: c.EntityID}] = c.Seq
		}
		for ref, err := range bad {
			f.skip(SkippedChange{Seq: seqOf[ref], Entity: ref.Entity, ID: ref.ID, Error: err.Error()})
		}
	}
	f.log.Debug("search: changes applied", "through_seq", last, "changes", len(changes), "upserts", len(upserts), "deletes", len(deletes),
		"skipped", len(bad))
	return nil
}

// read reads the current records of the changed IDs and returns the documents to
// index, the documents to delete (records that are gone) and the records that could
// not be read while the database answers. The error is for a database that does not.
func (f *Follower) read(ctx context.Context, candidateIDs, vacancyIDs []string) (upserts []Doc, deletes []DocRef, bad map[DocRef]error, err error) {
	bad = map[DocRef]error{}
	if len(candidateIDs) > 0 {
		cs, failed, err := readEach(ctx, f.src, candidateIDs, f.src.CandidatesByID)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("search: read changed candidates: %w", err)
		}
		found := make(map[string]bool, len(cs))
		for i := range cs {
			found[cs[i].ID] = true
			upserts = append(upserts, CandidateDoc(&cs[i], f.span(&cs[i])))
		}
		for _, id := range candidateIDs {
			ref := DocRef{Entity: models.ChangeCandidate, ID: id}
			if e, ok := failed[id]; ok {
				bad[ref] = e
			} else if !found[id] {
				deletes = append(deletes, ref)
			}
		}
	}
	if len(vacancyIDs) > 0 {
		vs, failed, err := readEach(ctx, f.src, vacancyIDs, f.src.VacanciesByID)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("search: read changed vacancies: %w", err)
		}
		found := make(map[string]bool, len(vs))
		for i := range vs {
			found[vs[i].ID] = true
			upserts = append(upserts, VacancyDoc(&vs[i]))
		}
		for _, id := range vacancyIDs {
			ref := DocRef{Entity: models.ChangeVacancy, ID: id}
			if e, ok := failed[id]; ok {
				bad[ref] = e
			} else if !found[id] {
				deletes = append(deletes, ref)
			}
		}
	}
	return upserts, deletes, bad, nil
}

// readEach reads ids in one call; when that fails it reads them one by one, so that
// one bad record does not hold back the others, and returns the errors of the ones
// that still fail. If any does, the database must still answer (LatestSeq) for those
// to count as bad records; otherwise the whole read fails, to be retried.
func readEach[T any](ctx context.Context, src Source, ids []string, read func(context.Context, []string) ([]T, error)) ([]T, map[string]error, error) {
	out, batchErr := read(ctx, ids)
	if batchErr == nil {
		return out, nil, nil
	}
	out = out[:0]
	failed := map[string]error{}
	for _, id := range ids {
		one, err := read(ctx, []string{id})
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			failed[id] = err
			continue
		}
		out = append(out, one...)
	}
	if len(failed) > 0 {
		if _, err := src.LatestSeq(ctx); err != nil {
			return nil, nil, fmt.Errorf("%w (and the database does not answer: %v)", batchErr, err)
		}
	}
	return out, failed, nil
}

// skip records a change set aside and reports it.
func (f *Follower) skip(c SkippedChange) {
	f.log.Error("search: a change could not be applied and was set aside; the rest of the feed goes on (it is retried at every catch-up)",
		"seq", c.Seq, "entity", c.Entity, "id", c.ID, "err", c.Error)
	f.health.Lock()
	defer f.health.Unlock()
	f.skippedTotal++
	ref := DocRef{Entity: c.Entity, ID: c.ID}
	if _, ok := f.skipped[ref]; !ok && len(f.skipped) >= maxSkipped {
		return
	}
	if f.skipped == nil {
		f.skipped = map[DocRef]SkippedChange{}
	}
	f.skipped[ref] = c
}

// settle forgets the skipped changes of records that have now been indexed or deleted.
func (f *Follower) settle(upserts []Doc, deletes []DocRef) {
	f.health.Lock()
	defer f.health.Unlock()
	if len(f.skipped) == 0 {
		return
	}
	for _, d := range upserts {
		delete(f.skipped, d.Ref)
	}
	for _, r := range deletes {
		delete(f.skipped, r)
	}
}

// retrySkipped tries the changes set aside again; those whose record now reads are
// applied (without moving the recorded sequence) and forgotten.
func (f *Follower) retrySkipped(ctx context.Context) {
	f.health.Lock()
	var candidateIDs, vacancyIDs []string
	for ref := range f.skipped {
		switch ref.Entity {
		case models.ChangeCandidate:
			candidateIDs = append(candidateIDs, ref.ID)
		case models.ChangeVacancy:
			vacancyIDs = append(vacancyIDs, ref.ID)
		}
	}
	f.health.Unlock()
	if len(candidateIDs)+len(vacancyIDs) == 0 {
		return
	}
	upserts, deletes, bad, err := f.read(ctx, candidateIDs, vacancyIDs)
	if err != nil || len(upserts)+len(deletes) == 0 {
		return
	}
	if err := f.ix.Apply(ctx, upserts, deletes, -1); err != nil {
		f.log.Warn("search: applying the changes set aside failed", "err", err)
		return
	}
	f.settle(upserts, deletes)
	f.log.Info("search: changes set aside were applied", "applied", len(upserts)+len(deletes), "still_set_aside", len(bad))
}

// Status reports how the follower stands: the lag, the failures in a row and the
// last error, and the changes set aside.
func (f *Follower) Status(ctx context.Context) FollowerStatus {
	lag, err := f.Lag(ctx)
	if err != nil {
		lag = -1
	}
	f.health.Lock()
	defer f.health.Unlock()
	st := FollowerStatus{Lag: lag, Failures: f.failures, LastError: f.lastError, SkippedTotal: f.skippedTotal,
		Skipped: make([]SkippedChange, 0, len(f.skipped)), Failing: f.failures >= f.failAfter()}
	for _, c := range f.skipped {
		st.Skipped = append(st.Skipped, c)
	}
	slices.SortFunc(st.Skipped, func(a, b SkippedChange) int { return cmp.Compare(a.Seq, b.Seq) })
	return st
}

// Counts returns the catch-ups failed in a row and the changes set aside since the
// start, without asking the database (for metrics).
func (f *Follower) Counts() (failures int, skippedTotal int64) {
	f.health.Lock()
	defer f.health.Unlock()
	return f.failures, f.skippedTotal
}

// FailedTotal returns how many catch-ups have failed since the start (for metrics).
func (f *Follower) FailedTotal() int64 {
	f.health.Lock()
	defer f.health.Unlock()
	return f.failedTotal
}

func (f *Follower) failAfter() int {
	if f.FailAfter > 0 {
		return f.FailAfter
	}
	return 3
}

// Ready reports an error, naming the lag and the last error, once FailAfter
// catch-ups in a row have failed: the index no longer follows the database, and the
// server should be taken out of rotation until it does again.
func (f *Follower) Ready(ctx context.Context) error {
	st := f.Status(ctx)
	if !st.Failing {
		return nil
	}
	lag := "unknown: the change feed's latest sequence cannot be read"
	if st.Lag >= 0 {
		lag = fmt.Sprintf("%d changes", st.Lag)
	}
	return fmt.Errorf("the index has not followed the change feed for %d catch-ups in a row (lag %s): %s", st.Failures, lag, st.LastError)
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
