package search

import (
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
)

// candidateSet is the in-memory copy of what a vacancy's match query reads of every
// candidate document: one roaring bitmap of dense ordinals per concept, folded word,
// work-state term, employer term and language, the searchable bitmap, and per
// ordinal the record ID, the work-until month and the field norms. BLEVE-NOTES
// measured that bleve scores every match (about 95 ns each, no top-k pruning), and a
// vacancy's concepts match thousands of profiles; bitmaps intersect those and the
// filters in microseconds, and the relevance is summed term by term over the
// survivors only. The Index keeps it exactly in step with its bleve documents (Apply,
// Open), under Index.mu.
//
// Its per-ordinal data is kept in flat, pointer-free slices (the IDs and the term
// lists in arenas, the ID index keyed by a hash): at 1,000,000 candidates a string and
// a slice per candidate were two million objects for every garbage collection to mark,
// which slowed the requests that ran meanwhile.
type candidateSet struct {
	ids   arena[byte] // per ordinal the record ID; empty for a free ordinal
	live  int
	free  []uint32
	seed  maphash.Seed
	byID  map[uint64]uint32 // maphash of the ID → ordinal
	clash map[string]uint32 // the IDs whose hash another ID held first

	searchable *roaring.Bitmap
	// until is the work-until month of each ordinal (monthIndex, neverExpires), or
	// noWork when the candidate may work nowhere and so has no work terms at all.
	until []int32
	// textNorm and conceptNorm are bleve's TF-IDF field norms, 1/√(field length),
	// as bleve keeps them (float32).
	textNorm    []float32
	conceptNorm []float32

	terms    map[string]uint32 // term key (termKey) → term number
	postings []*roaring.Bitmap // per term number
	termsOf  arena[uint32]     // per ordinal: its term numbers, to remove it again
}

// arena holds a variable-length list per ordinal in one slice. A replaced or cleared
// list leaves garbage behind, which is compacted away once it is half of the slice.
type arena[T any] struct {
	data    []T
	start   []uint32
	size    []uint32
	garbage int
}

func (a *arena[T]) get(ord uint32) []T {
	if int(ord) >= len(a.start) {
		return nil
	}
	return a.data[a.start[ord] : a.start[ord]+a.size[ord]]
}

func (a *arena[T]) set(ord uint32, vals []T) {
	for int(ord) >= len(a.start) {
		a.start = append(a.start, 0)
		a.size = append(a.size, 0)
	}
	a.garbage += int(a.size[ord])
	a.start[ord], a.size[ord] = uint32(len(a.data)), uint32(len(vals))
	a.data = append(a.data, vals...)
	if a.garbage > 1<<16 && a.garbage > len(a.data)/2 {
		a.compact()
	}
}

func (a *arena[T]) compact() {
	data := make([]T, 0, len(a.data)-a.garbage)
	for ord := range a.start {
		vals := a.data[a.start[ord] : a.start[ord]+a.size[ord]]
		a.start[ord] = uint32(len(data))
		data = append(data, vals...)
	}
	a.data, a.garbage = data, 0
}

// noWork is the until value of a candidate without work terms: below any month.
const noWork = math.MinInt32

// maxTF caps the term frequencies the set tells apart; a word a profile repeats more
// often than this scores as if it were repeated maxTF times. bleve scores √tf.
const maxTF = 4

// Term key prefixes: one byte naming what the rest of the key is.
const (
	kindConcept  = 'c'
	kindWord     = 'w' // a word the profile holds at least once
	kindState    = 's'
	kindEmployer = 'e'
	kindLanguage = 'l'
	// A word held at least k times (2 ≤ k ≤ maxTF) is the key "k" + the word: the
	// digit says the frequency, so the ladder costs a bitmap only for repeated words.
)

func termKey(kind byte, value string) string { return string(kind) + value }

func wordFreqKey(k int, word string) string { return strconv.Itoa(k) + word }

func newCandidateSet() *candidateSet {
	return &candidateSet{seed: maphash.MakeSeed(), byID: map[uint64]uint32{}, clash: map[string]uint32{},
		searchable: roaring.New(), terms: map[string]uint32{}}
}

// id returns the record ID of ordinal ord ("" for a free one).
func (s *candidateSet) id(ord uint32) string { return string(s.ids.get(ord)) }

// ordinal finds the ordinal of a record ID.
func (s *candidateSet) ordinal(id string) (uint32, bool) {
	if ord, ok := s.byID[maphash.String(s.seed, id)]; ok && string(s.ids.get(ord)) == id {
		return ord, true
	}
	ord, ok := s.clash[id]
	return ord, ok
}

// candidateEntry is what the set holds of one candidate document, derived from the
// same Doc (and the same analyzer) bleve indexes, and stored in the document's match
// field so that Open can load the set without the database.
type candidateEntry struct {
	id         string
	searchable bool
	works      bool  // the span allows work somewhere: the work terms exist
	until      int32 // monthIndex of the span's end, or neverExpires
	states     []string
	employer   string
	languages  []string
	concepts   []string
	words      []wordFreq // sorted by word
	textLen    int
}

type wordFreq struct {
	word string
	freq int
}

// entryOf derives the set's entry of a candidate document, mirroring fields(): the
// same concept, language and work terms, and the words the text analyzer makes of
// each text value, with their frequencies and the field's length.
func entryOf(d *Doc, an analysis.Analyzer) candidateEntry {
	e := candidateEntry{id: d.Ref.ID, searchable: d.Searchable, until: noWork,
		languages: slices.Clone(d.Languages), concepts: slices.Clone(d.Concepts)}
	if states := workStateTerms(d.Span); len(states) > 0 {
		e.works = true
		e.states = states
		e.until = int32(untilValue(d.Span.Until))
		e.employer = anyTerm
		if d.Span.NeedsEmployer != "" {
			e.employer = d.Span.NeedsEmployer
		}
	}
	freq := map[string]int{}
	for _, s := range d.Text {
		for _, tok := range an.Analyze([]byte(s)) {
			freq[string(tok.Term)]++
			e.textLen++
		}
	}
	for w, n := range freq {
		e.words = append(e.words, wordFreq{w, n})
	}
	slices.SortFunc(e.words, func(a, b wordFreq) int { return strings.Compare(a.word, b.word) })
	return e
}

// The separators of the encoded entry: control characters that no analysed word,
// concept ID, state code, employer ID or language code contains.
const (
	sepPart  = "\x1e"
	sepValue = "\x1f"
	sepFreq  = "\x1d"
)

// encode is the entry as the stored match field. The record ID is the document's
// key and is not repeated.
func (e *candidateEntry) encode() string {
	var b strings.Builder
	b.WriteString(yesNo(e.searchable))
	b.WriteString(sepPart)
	if e.works {
		b.WriteString(strconv.Itoa(int(e.until)))
	}
	b.WriteString(sepPart)
	b.WriteString(strings.Join(e.states, sepValue))
	b.WriteString(sepPart)
	b.WriteString(e.employer)
	b.WriteString(sepPart)
	b.WriteString(strings.Join(e.languages, sepValue))
	b.WriteString(sepPart)
	b.WriteString(strings.Join(e.concepts, sepValue))
	b.WriteString(sepPart)
	for i, w := range e.words {
		if i > 0 {
			b.WriteString(sepValue)
		}
		b.WriteString(w.word)
		if w.freq > 1 {
			b.WriteString(sepFreq)
			b.WriteString(strconv.Itoa(w.freq))
		}
	}
	b.WriteString(sepPart)
	b.WriteString(strconv.Itoa(e.textLen))
	return b.String()
}

// decodeEntry reads an encoded entry back; ok is false when s is not one.
func decodeEntry(id, s string) (e candidateEntry, ok bool) {
	parts := strings.Split(s, sepPart)
	if len(parts) != 8 {
		return e, false
	}
	e = candidateEntry{id: id, searchable: parts[0] == yesTerm, until: noWork, employer: parts[3],
		states: splitValues(parts[2]), languages: splitValues(parts[4]), concepts: splitValues(parts[5])}
	if parts[1] != "" {
		u, err := strconv.ParseInt(parts[1], 10, 32)
		if err != nil {
			return e, false
		}
		e.works, e.until = true, int32(u)
	}
	for _, v := range splitValues(parts[6]) {
		w, f, found := strings.Cut(v, sepFreq)
		n := 1
		if found {
			var err error
			if n, err = strconv.Atoi(f); err != nil || n < 1 {
				return e, false
			}
		}
		e.words = append(e.words, wordFreq{w, n})
	}
	n, err := strconv.Atoi(parts[7])
	if err != nil || n < 0 {
		return e, false
	}
	e.textLen = n
	return e, true
}

func splitValues(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sepValue)
}

// keys lists the term keys of the entry's bitmaps.
func (e *candidateEntry) keys() []string {
	keys := make([]string, 0, len(e.concepts)+len(e.words)+len(e.states)+len(e.languages)+1)
	for _, c := range e.concepts {
		keys = append(keys, termKey(kindConcept, c))
	}
	for _, w := range e.words {
		keys = append(keys, termKey(kindWord, w.word))
		for k := 2; k <= min(w.freq, maxTF); k++ {
			keys = append(keys, wordFreqKey(k, w.word))
		}
	}
	if e.works {
		for _, s := range e.states {
			keys = append(keys, termKey(kindState, s))
		}
		keys = append(keys, termKey(kindEmployer, e.employer))
	}
	for _, l := range e.languages {
		keys = append(keys, termKey(kindLanguage, l))
	}
	return keys
}

// put adds or replaces the candidate of e.
func (s *candidateSet) put(e *candidateEntry) {
	ord, ok := s.ordinal(e.id)
	if ok {
		s.clear(ord)
	} else {
		ord = s.allocate(e.id)
	}
	if e.searchable {
		s.searchable.Add(ord)
	}
	s.until[ord] = e.until
	s.textNorm[ord] = fieldNorm(e.textLen)
	s.conceptNorm[ord] = fieldNorm(len(e.concepts))
	keys := e.keys()
	nums := make([]uint32, 0, len(keys))
	for _, k := range keys {
		t, ok := s.terms[k]
		if !ok {
			t = uint32(len(s.postings))
			s.terms[k] = t
			s.postings = append(s.postings, roaring.New())
		}
		if s.postings[t].CheckedAdd(ord) {
			nums = append(nums, t)
		}
	}
	s.termsOf.set(ord, nums)
}

// remove drops the candidate id, if the set holds it.
func (s *candidateSet) remove(id string) {
	ord, ok := s.ordinal(id)
	if !ok {
		return
	}
	s.clear(ord)
	if h := maphash.String(s.seed, id); s.byID[h] == ord {
		delete(s.byID, h)
	} else {
		delete(s.clash, id)
	}
	s.ids.set(ord, nil)
	s.live--
	s.free = append(s.free, ord)
}

// clear takes ordinal ord out of every bitmap. A term left without candidates keeps
// its (empty) bitmap: words come back, and an empty bitmap costs a few bytes.
func (s *candidateSet) clear(ord uint32) {
	for _, t := range s.termsOf.get(ord) {
		s.postings[t].Remove(ord)
	}
	s.termsOf.set(ord, nil)
	s.searchable.Remove(ord)
	s.until[ord] = noWork
	s.textNorm[ord], s.conceptNorm[ord] = 0, 0
}

// fieldNorm is bleve's TF-IDF norm of a field of n tokens (0 for an empty field,
// which no term matches).
func fieldNorm(n int) float32 {
	if n <= 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(n)))
}

// allocate gives id an ordinal, reusing a freed one so that the ordinals stay dense.
func (s *candidateSet) allocate(id string) uint32 {
	var ord uint32
	if n := len(s.free); n > 0 {
		ord = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		ord = uint32(len(s.until))
		s.until = append(s.until, noWork)
		s.textNorm = append(s.textNorm, 0)
		s.conceptNorm = append(s.conceptNorm, 0)
	}
	s.ids.set(ord, []byte(id))
	s.live++
	h := maphash.String(s.seed, id)
	if _, taken := s.byID[h]; taken {
		s.clash[id] = ord
	} else {
		s.byID[h] = ord
	}
	return ord
}

// ordinals is one more than the highest ordinal ever given out.
func (s *candidateSet) ordinals() int { return len(s.until) }

// posting returns the bitmap of a term key, nil when no candidate ever held it.
func (s *candidateSet) posting(key string) *roaring.Bitmap {
	if t, ok := s.terms[key]; ok {
		return s.postings[t]
	}
	return nil
}

// size is the number of candidates in the set.
func (s *candidateSet) size() int { return s.live }

// optimize compresses the bitmaps after a bulk load (runs of consecutive ordinals
// become run containers).
func (s *candidateSet) optimize() {
	s.searchable.RunOptimize()
	for _, p := range s.postings {
		p.RunOptimize()
	}
}

// dump returns every candidate's entry as held in the bitmaps, encoded, by record
// ID, so that tests can compare a set kept current with one rebuilt or reloaded.
func (s *candidateSet) dump() map[string]string {
	keysOf := make([][]string, s.ordinals())
	for key, t := range s.terms {
		s.postings[t].Iterate(func(ord uint32) bool {
			keysOf[ord] = append(keysOf[ord], key)
			return true
		})
	}
	out := make(map[string]string, s.live)
	for o := range s.ordinals() {
		ord := uint32(o)
		id := s.id(ord)
		if id == "" {
			if len(keysOf[ord]) > 0 || s.searchable.Contains(ord) {
				out["free ordinal "+strconv.Itoa(o)] = "still in a bitmap"
			}
			continue
		}
		if got, ok := s.ordinal(id); !ok || got != ord {
			out[id+" (index)"] = "the ID index does not find its ordinal"
		}
		keys := keysOf[ord]
		slices.Sort(keys)
		out[id] = strings.Join([]string{
			yesNo(s.searchable.Contains(ord)),
			strconv.Itoa(int(s.until[ord])),
			strconv.FormatFloat(float64(s.textNorm[ord]), 'g', -1, 32),
			strconv.FormatFloat(float64(s.conceptNorm[ord]), 'g', -1, 32),
			strings.Join(keys, sepValue),
		}, sepPart)
	}
	return out
}
