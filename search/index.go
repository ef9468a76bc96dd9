package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/vincula/vincula/models"
)

// Keys of the values the index records about itself (bleve "internal" storage, which
// is written in the same batch as documents).
var (
	keyVersion = []byte("vincula.version")
	keyLastSeq = []byte("vincula.last_seq")
	// keyIncomplete is set when an index is created and cleared when Rebuild has filled
	// it, so that a rebuild killed half-way is started again on the next Open.
	keyIncomplete = []byte("vincula.incomplete")
)

// DefaultBoltTimeout is how long Open waits for the index lock when Options does not
// say: long enough for a restarting process to release it, short enough that a second
// server pointed at the same directory fails at start-up instead of hanging.
const DefaultBoltTimeout = 3 * time.Second

// Options tunes Open.
type Options struct {
	// BoltTimeout is how long to wait for the lock another process holds on the
	// index; zero means DefaultBoltTimeout.
	BoltTimeout time.Duration
	// DataVersion names anything else the documents depend on, such as the
	// eligibility rules version the work spans were computed with; when it changes
	// the index is rebuilt as if the mapping had changed.
	DataVersion string
}

// OpenInfo says what Open found.
type OpenInfo struct {
	// Rebuilt is true when the index was created empty (it did not exist, its
	// mapping or data version differed, it was unreadable, or a rebuild had not
	// finished): the caller must fill it with Rebuild before serving searches.
	Rebuilt bool
	// Reason says why it was rebuilt, for the log.
	Reason string
	// LastSeq is the last change-feed sequence applied to the index.
	LastSeq int64
}

// Index is the bleve index of candidates and vacancies, with an in-memory set of the
// candidates that answers vacancies' match queries. It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	version  string
	vocab    *models.Vocabulary
	analyzer analysis.Analyzer // the text field's, for the candidate set's words

	// writeMu makes Apply one at a time, so that the bleve batches and the changes
	// to cands happen in the same order.
	writeMu sync.Mutex
	// mu guards cands: queries read it together, Apply changes it alone.
	mu    sync.RWMutex
	cands *candidateSet
	// scratch keeps the match queries' per-candidate accumulators for reuse.
	scratch scratchPool
	// parallelFrom overrides the const of the same name, for tests; 0 keeps it.
	parallelFrom int
}

// newIndex wraps an opened bleve index with an empty candidate set.
func newIndex(bi bleve.Index, version string) (*Index, error) {
	an := bi.Mapping().AnalyzerNamed(textAnalyzer)
	if an == nil {
		return nil, fmt.Errorf("search: the index mapping has no %s analyzer", textAnalyzer)
	}
	return &Index{bi: bi, version: version, vocab: models.DefaultVocabulary(), analyzer: an, cands: newCandidateSet()}, nil
}

// Open opens the index in dir, creating it when there is none. An index written with
// another mapping or data version, or left incomplete by an interrupted rebuild, is
// deleted and created empty (OpenInfo.Rebuilt). When another process holds the index,
// Open fails after opts.BoltTimeout with an error wrapping models.ErrConflict.
func Open(dir string, opts Options) (*Index, OpenInfo, error) {
	timeout := opts.BoltTimeout
	if timeout <= 0 {
		timeout = DefaultBoltTimeout
	}
	// bbolt's default is to wait for the file lock forever.
	cfg := map[string]any{"bolt_timeout": timeout.String()}
	version := indexVersion(opts.DataVersion)

	metaPath := filepath.Join(dir, "index_meta.json")
	_, err := os.Stat(metaPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, OpenInfo{}, fmt.Errorf("search: open %s: %w", dir, err)
	}
	if errors.Is(err, os.ErrNotExist) {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			// Never delete a directory that is not an index: dir may be mistyped.
			return nil, OpenInfo{}, models.Errorf(models.ErrInvalid, "search: %s is not empty and holds no search index", dir)
		}
		ix, err := create(dir, version, cfg)
		if err != nil {
			return nil, OpenInfo{}, err
		}
		return ix, OpenInfo{Rebuilt: true, Reason: "no index yet"}, nil
	}

	reason := ""
	bi, err := bleve.OpenUsing(dir, cfg)
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, OpenInfo{}, fmt.Errorf("search: the index in %s is in use by another process (lock not acquired within %s): %w", dir, timeout, models.ErrConflict)
	case err != nil:
		reason = fmt.Sprintf("the index could not be read (%v)", err)
	default:
		var seq int64
		ix, err := newIndex(bi, version)
		if err != nil {
			reason = err.Error()
		} else if seq, reason = ix.current(); reason == "" {
			if reason = ix.loadCandidates(); reason == "" {
				return ix, OpenInfo{LastSeq: seq}, nil
			}
		}
		if err := bi.Close(); err != nil {
			return nil, OpenInfo{}, fmt.Errorf("search: close %s before rebuilding: %w", dir, err)
		}
	}
	// The index is a copy of the database: deleting it loses nothing.
	if err := os.RemoveAll(dir); err != nil {
		return nil, OpenInfo{}, fmt.Errorf("search: remove %s to rebuild it: %w", dir, err)
	}
	ix, err := create(dir, version, cfg)
	if err != nil {
		return nil, OpenInfo{}, err
	}
	return ix, OpenInfo{Rebuilt: true, Reason: reason}, nil
}

// OpenMem returns an empty index held in memory, for tests.
func OpenMem() (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	bi, err := bleve.NewMemOnly(im)
	if err != nil {
		return nil, fmt.Errorf("search: new memory index: %w", err)
	}
	ix, err := newIndex(bi, indexVersion(""))
	if err != nil {
		_ = bi.Close()
		return nil, err
	}
	if err := ix.markCreated(); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return ix, nil
}

func create(dir, version string, cfg map[string]any) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	bi, err := bleve.NewUsing(dir, im, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("search: the index in %s is in use by another process: %w", dir, models.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("search: create index in %s: %w", dir, err)
	}
	ix, err := newIndex(bi, version)
	if err != nil {
		_ = bi.Close()
		return nil, err
	}
	if err := ix.markCreated(); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return ix, nil
}

// indexVersion is what an index records about its own shape: the mapping, the
// vocabulary (its concepts are in every document) and the caller's data version.
func indexVersion(dataVersion string) string {
	return MappingVersion + "|vocabulary=" + models.DefaultVocabulary().Version() + "|data=" + dataVersion
}

func (ix *Index) markCreated() error {
	b := ix.bi.NewBatch()
	b.SetInternal(keyVersion, []byte(ix.version))
	b.SetInternal(keyLastSeq, []byte("0"))
	b.SetInternal(keyIncomplete, []byte("1"))
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("search: record index version: %w", err)
	}
	return nil
}

// current returns the recorded sequence of an opened index, or why it must be
// rebuilt instead.
func (ix *Index) current() (seq int64, rebuildReason string) {
	stored, err := ix.bi.GetInternal(keyVersion)
	if err != nil {
		return 0, fmt.Sprintf("the index could not be read (%v)", err)
	}
	if string(stored) != ix.version {
		return 0, fmt.Sprintf("index version %q differs from %q", stored, ix.version)
	}
	incomplete, err := ix.bi.GetInternal(keyIncomplete)
	if err != nil {
		return 0, fmt.Sprintf("the index could not be read (%v)", err)
	}
	if len(incomplete) > 0 {
		return 0, "the last rebuild did not finish"
	}
	seq, err = ix.LastSeq()
	if err != nil {
		return 0, fmt.Sprintf("the index could not be read (%v)", err)
	}
	return seq, ""
}

// Version is the version string the index records: MappingVersion, the vocabulary
// version and Options.DataVersion.
func (ix *Index) Version() string { return ix.version }

// Close releases the index and its lock.
func (ix *Index) Close() error {
	if err := ix.bi.Close(); err != nil {
		return fmt.Errorf("search: close index: %w", err)
	}
	return nil
}

// Apply writes upserts and deletes and records lastSeq as the last change-feed
// sequence applied, all in one bleve batch, so that the documents and the recorded
// sequence never disagree after a crash. A negative lastSeq leaves the recorded
// sequence as it is (Rebuild's intermediate batches).
func (ix *Index) Apply(ctx context.Context, upserts []Doc, deletes []DocRef, lastSeq int64) error {
	return ix.apply(ctx, upserts, deletes, lastSeq, false)
}

func (ix *Index) apply(ctx context.Context, upserts []Doc, deletes []DocRef, lastSeq int64, complete bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := ix.bi.NewBatch()
	// The candidate set's changes, in batch order: a later operation on the same
	// document wins, in the set as in bleve.
	type setChange struct {
		entry  *candidateEntry
		remove string
	}
	var changes []setChange
	for i := range upserts {
		d := &upserts[i]
		if err := checkRef(d.Ref); err != nil {
			return err
		}
		match := ""
		if d.Ref.Entity == models.ChangeCandidate {
			e := entryOf(d, ix.analyzer)
			match = e.encode()
			changes = append(changes, setChange{entry: &e})
		}
		fields, _ := d.fields(match)
		if err := b.Index(d.Ref.Key(), fields); err != nil {
			return fmt.Errorf("search: index %s: %w", d.Ref.Key(), err)
		}
	}
	for _, r := range deletes {
		if err := checkRef(r); err != nil {
			return err
		}
		b.Delete(r.Key())
		if r.Entity == models.ChangeCandidate {
			changes = append(changes, setChange{remove: r.ID})
		}
	}
	if lastSeq >= 0 {
		b.SetInternal(keyLastSeq, []byte(strconv.FormatInt(lastSeq, 10)))
	}
	if complete {
		b.DeleteInternal(keyIncomplete)
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("search: apply batch: %w", err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, c := range changes {
		if c.entry != nil {
			ix.cands.put(c.entry)
		} else {
			ix.cands.remove(c.remove)
		}
	}
	return nil
}

func checkRef(r DocRef) error {
	if r.Entity != models.ChangeCandidate && r.Entity != models.ChangeVacancy {
		return models.Errorf(models.ErrInvalid, "search: unknown document type %q", r.Entity)
	}
	if r.ID == "" {
		return models.Errorf(models.ErrInvalid, "search: a %s document needs an ID", r.Entity)
	}
	return nil
}

// LastSeq returns the last change-feed sequence applied to the index (0 for a new one).
func (ix *Index) LastSeq() (int64, error) {
	v, err := ix.bi.GetInternal(keyLastSeq)
	if err != nil {
		return 0, fmt.Errorf("search: read last sequence: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	seq, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("search: recorded last sequence %q: %w", v, err)
	}
	return seq, nil
}

// Count returns the number of documents, candidates and vacancies together.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// Snapshot returns every document key ("candidate/ID", "vacancy/ID") with a hash of
// what was indexed for it, so that an index kept current from the change feed can be
// compared with one rebuilt from scratch.
func (ix *Index) Snapshot() (map[string]string, error) {
	out := map[string]string{}
	err := ix.eachDoc(func(r index.IndexReader, key string) error {
		doc, err := r.Document(key)
		if err != nil {
			return err
		}
		hash := ""
		if doc != nil {
			doc.VisitFields(func(f index.Field) {
				if f.Name() == fieldHash {
					hash = string(f.Value())
				}
			})
		}
		out[key] = hash
		return nil
	})
	return out, err
}

// eachDoc calls fn with the key of every document, in no particular order, from one
// point-in-time reader. It walks the index once: paging a sorted search instead
// would cost a full scan per page.
func (ix *Index) eachDoc(fn func(r index.IndexReader, key string) error) error {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("search: list documents: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("search: list documents: %w", err)
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("search: list documents: %w", err)
	}
	defer ids.Close()
	for {
		id, err := ids.Next()
		if err != nil {
			return fmt.Errorf("search: list documents: %w", err)
		}
		if id == nil {
			return nil
		}
		key, err := r.ExternalID(id)
		if err != nil {
			return fmt.Errorf("search: list documents: %w", err)
		}
		if err := fn(r, key); err != nil {
			return fmt.Errorf("search: list documents: %w", err)
		}
	}
}

// loadCandidates fills the candidate set from the match field of every candidate
// document, walking the index once. It returns why the index must be rebuilt instead,
// or "" when the set is loaded.
func (ix *Index) loadCandidates() (rebuildReason string) {
	set := newCandidateSet()
	prefix := candidateType + "/"
	missing := ""
	// add puts the document key's entry into the set; false stops the walk.
	add := func(key string, encoded []byte, found bool) bool {
		id, ok := strings.CutPrefix(key, prefix)
		if !ok {
			return true
		}
		e, ok := decodeEntry(strings.Clone(id), string(encoded))
		if !found || !ok {
			missing = key
			return false
		}
		set.put(&e)
		return true
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Sprintf("the candidates could not be loaded (%v)", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Sprintf("the candidates could not be loaded (%v)", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		// create and Open make scorch indexes only.
		return fmt.Sprintf("the index is not a scorch index (%T)", r)
	}
	err = eachStored(snap, add)
	switch {
	case missing != "":
		return fmt.Sprintf("document %s has no readable match entry", missing)
	case err != nil:
		return fmt.Sprintf("the candidates could not be loaded (%v)", err)
	}
	set.optimize()
	ix.mu.Lock()
	ix.cands = set
	ix.mu.Unlock()
	return ""
}

// eachStored calls fn with the key and the match field of every live document of a
// scorch snapshot, reading each segment's stored fields in document order: looking a
// document up by its key instead costs a dictionary search in every segment, which
// made loading 1,000,000 candidates take half a minute.
func eachStored(snap *scorch.IndexSnapshot, fn func(key string, match []byte, found bool) bool) error {
	for _, seg := range snap.Segments() {
		live := seg.DocNumbersLive()
		if live == nil {
			continue
		}
		it := live.Iterator()
		for it.HasNext() {
			var key string
			var match []byte
			found := false
			err := seg.VisitDocument(uint64(it.Next()), func(field string, _ byte, value []byte, _ []uint64) bool {
				switch field {
				case "_id":
					key = string(value)
				case fieldMatch:
					// The value is only valid during the visit.
					match, found = append([]byte(nil), value...), true
				}
				return true
			})
			if err != nil {
				return err
			}
			if !fn(key, match, found) {
				return errStopWalk
			}
		}
	}
	return nil
}

// errStopWalk ends eachStored early; loadCandidates reports why.
var errStopWalk = errors.New("stop")
