package search

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// matchCandidates answers a candidate query with a Title (a vacancy's matches) from the
// in-memory candidate set instead of bleve. It matches exactly the documents the bleve
// query of narrowBleve matches: a candidate shares a concept of the text (or q.Concepts),
// or a related concept, or holds every word of the title, and passes the same filters.
//
// The relevance mirrors bleve's TF-IDF scoring of that query (up to bleve's constant
// query norm): a term held scores boost·idf²·√tf/√(field length), where idf =
// 1 + ln(candidates / (holders + 1)); the concept disjunction (concepts ×2, related
// ×0.5, the title's words as one clause) and the words of the text are each scaled by
// the share of their clauses the candidate holds. Idf counts candidates only, where
// bleve also counts vacancies, so scores differ slightly from bleve's; the order of
// close hits may differ, the set never does. Ties are broken by record ID.
func (ix *Index) matchCandidates(ctx context.Context, q CandidateQuery) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	// The query side: the same concepts, related concepts and analysed words as the
	// bleve query (runNarrow).
	asked := append(ix.vocab.Match(q.Text), q.Concepts...)
	concepts := sortedSet(asked)
	related := sortedSet(ix.related(asked))
	title := ix.tokens(q.Title)
	words := ix.tokens(q.Text)
	var langs []string
	for _, l := range q.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			langs = append(langs, l)
		}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.cands

	// What matches: any concept, any related concept, or every word of the title.
	var anyOf []*roaring.Bitmap
	for _, c := range concepts {
		if p := s.posting(termKey(kindConcept, c)); p != nil {
			anyOf = append(anyOf, p)
		}
	}
	for _, c := range related {
		if p := s.posting(termKey(kindConcept, c)); p != nil {
			anyOf = append(anyOf, p)
		}
	}
	var titleAll *roaring.Bitmap
	if len(title) > 0 {
		var all []*roaring.Bitmap
		for _, w := range distinct(title) {
			p := s.posting(termKey(kindWord, w))
			if p == nil {
				all = nil
				break
			}
			all = append(all, p)
		}
		if len(all) > 0 {
			titleAll = roaring.FastAnd(all...)
			anyOf = append(anyOf, titleAll)
		}
	}
	matched := roaring.FastOr(anyOf...)

	// The filters, as bleve's: searchable, the work state or "*", the employer or "*",
	// every language. The month is checked per ordinal below.
	matched.And(s.searchable)
	if q.WorkState != "" {
		matched.And(orOf(s.posting(termKey(kindState, q.WorkState)), s.posting(termKey(kindState, anyTerm))))
	}
	if q.EmployerID != "" {
		matched.And(orOf(s.posting(termKey(kindEmployer, q.EmployerID)), s.posting(termKey(kindEmployer, anyTerm))))
	}
	for _, l := range langs {
		matched.And(orOf(s.posting(termKey(kindLanguage, l))))
	}
	if matched.IsEmpty() {
		return Result{Hits: []Hit{}}, nil
	}

	// The relevance, a term at a time over the matched candidates that hold it. The
	// month filter is checked in the last pass instead, which saves a pass over every
	// match; the sums of the candidates it drops are wasted, and cheap.
	sc := ix.scratch.get(s.ordinals())
	defer ix.scratch.put(sc)
	acc := sc.acc
	buf := make([]uint32, 1024)
	// forEach calls fn with the ordinals of p within a subset of matched (only those
	// are reset at the end), a buffer at a time. (Walking p whole against a bitset of
	// matched instead cost more, even for terms held by fewer candidates than matched.)
	forEach := func(p, within *roaring.Bitmap, fn func(ords []uint32)) {
		it := roaring.And(p, within).ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			fn(buf[:n])
		}
	}
	n := float64(s.size())
	idf2 := func(p *roaring.Bitmap) float64 {
		idf := 1 + math.Log(n/float64(p.GetCardinality()+1))
		return idf * idf
	}
	conceptTerm := func(c string, boost float64) {
		p := s.posting(termKey(kindConcept, c))
		if p == nil {
			return
		}
		w := float32(boost * idf2(p))
		forEach(p, matched, func(ords []uint32) {
			for _, o := range ords {
				a := &acc[o]
				a.concepts += w
				a.mustHeld++
			}
		})
	}
	for _, c := range concepts {
		conceptTerm(c, conceptBoost)
	}
	for _, c := range related {
		conceptTerm(c, relatedBoost)
	}
	// The words: the title's count (as one clause) only for the candidates that hold
	// them all, the text's for every holder; one pass per word over its matched
	// holders serves both.
	if titleAll != nil {
		it := roaring.And(titleAll, matched).ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, o := range buf[:n] {
				a := &acc[o]
				a.mustHeld++
				a.inTitle = true
			}
		}
	} else {
		title = nil
	}
	for _, w := range wordsOf(counts(title), counts(words)) {
		p := s.posting(termKey(kindWord, w.word))
		if p == nil {
			continue
		}
		idf := idf2(p)
		inText, inTitle := float32(float64(w.inText)*idf), float32(float64(w.inTitle)*idf)
		held := uint16(w.inText)
		forEach(p, matched, func(ords []uint32) {
			for _, o := range ords {
				a := &acc[o]
				a.words += inText
				a.wordsHeld += held
				if a.inTitle {
					a.title += inTitle
				}
			}
		})
		// bleve scores √tf: each further occurrence adds a step.
		for k := 2; k <= maxTF; k++ {
			pk := s.posting(wordFreqKey(k, w.word))
			if pk == nil {
				break
			}
			step := math.Sqrt(float64(k)) - math.Sqrt(float64(k-1))
			inText, inTitle := float32(float64(w.inText)*idf*step), float32(float64(w.inTitle)*idf*step)
			forEach(pk, matched, func(ords []uint32) {
				for _, o := range ords {
					a := &acc[o]
					a.words += inText
					if a.inTitle {
						a.title += inTitle
					}
				}
			})
		}
	}

	// The month filter, the score, and the best offset+limit by relevance and then
	// record ID.
	dated, lo := !q.OnDate.IsZero(), int32(monthIndex(q.OnDate))
	mustClauses := float64(len(concepts) + len(related) + 1)
	wordClauses := float64(max(len(words), 1))
	top := topHits{k: offset + limit, ids: &s.ids}
	var total uint64
	it := matched.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, ord := range buf[:n] {
			a := &acc[ord]
			if dated && s.until[ord] < lo {
				*a = accumulator{}
				continue
			}
			total++
			tn := float64(s.textNorm[ord])
			score := (float64(a.concepts)*float64(s.conceptNorm[ord])+float64(a.title)*tn)*float64(a.mustHeld)/mustClauses +
				float64(a.words)*tn*float64(a.wordsHeld)/wordClauses
			*a = accumulator{}
			top.push(scored{score: score, ord: ord})
		}
	}
	if uint64(offset) >= total {
		return Result{Total: total, Hits: []Hit{}}, nil
	}
	hits := top.sorted()
	out := Result{Total: total, Hits: make([]Hit, 0, max(len(hits)-offset, 0))}
	for _, h := range hits[min(offset, len(hits)):] {
		out.Hits = append(out.Hits, Hit{ID: s.id(h.ord), Score: h.score})
	}
	return out, nil
}

// tokens analyses text with the text field's analyzer, keeping repeated words, as
// bleve's match query does.
func (ix *Index) tokens(text string) []string {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	ts := ix.analyzer.Analyze([]byte(text))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

func distinct(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// counts returns the distinct words of s with how often each occurs, in word order:
// the relevance is summed in the same order every time, so equal holdings get equal
// scores and pages are stable.
func counts(s []string) []wordFreq {
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	var out []wordFreq
	for _, w := range sorted {
		if n := len(out); n > 0 && out[n-1].word == w {
			out[n-1].freq++
		} else {
			out = append(out, wordFreq{w, 1})
		}
	}
	return out
}

// orOf is the union of the bitmaps that exist (an empty bitmap when none does).
func orOf(bs ...*roaring.Bitmap) *roaring.Bitmap {
	var have []*roaring.Bitmap
	for _, b := range bs {
		if b != nil {
			have = append(have, b)
		}
	}
	return roaring.FastOr(have...)
}

// accumulator is the relevance of one ordinal while a query sums it up: the concept
// and title parts of the concept disjunction, the words of the text, and how many
// clauses of each the candidate holds (bleve's coordination factor).
type accumulator struct {
	concepts, title, words float32
	mustHeld, wordsHeld    uint16
	inTitle                bool // holds every word of the title
}

// queryWord is a word of a match query with how often the title and the text say it.
type queryWord struct {
	word            string
	inTitle, inText int
}

// wordsOf merges the counted words of the title and of the text, in word order.
func wordsOf(title, text []wordFreq) []queryWord {
	var out []queryWord
	i, j := 0, 0
	for i < len(title) || j < len(text) {
		switch {
		case j == len(text) || i < len(title) && title[i].word < text[j].word:
			out = append(out, queryWord{word: title[i].word, inTitle: title[i].freq})
			i++
		case i == len(title) || text[j].word < title[i].word:
			out = append(out, queryWord{word: text[j].word, inText: text[j].freq})
			j++
		default:
			out = append(out, queryWord{word: title[i].word, inTitle: title[i].freq, inText: text[j].freq})
			i++
			j++
		}
	}
	return out
}

// scratch is what a match query works in: an accumulator per ordinal.
type scratch struct {
	acc []accumulator
}

// scratchPool keeps the scratch of finished queries: at 1,000,000 candidates the
// accumulators take 16 MB, too much to allocate and clear per query, and a sync.Pool
// would drop them at every collection. A query leaves every accumulator it touched
// zeroed.
type scratchPool struct {
	mu   sync.Mutex
	free []*scratch
}

// maxScratch is how many scratches the pool keeps: enough for the concurrent
// queries two cores serve.
const maxScratch = 4

func (p *scratchPool) get(n int) *scratch {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.free) - 1; i >= 0; i-- {
		if sc := p.free[i]; len(sc.acc) >= n {
			p.free = slices.Delete(p.free, i, i+1)
			return sc
		}
	}
	// Room for the set to grow before the next allocation.
	return &scratch{acc: make([]accumulator, n+n/8+64)}
}

func (p *scratchPool) put(sc *scratch) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxScratch {
		p.free = append(p.free, sc)
	}
}

type scored struct {
	score float64
	ord   uint32
}

// topHits keeps the k best hits seen, in a min-heap whose root is the worst kept.
type topHits struct {
	k   int
	ids *arena[byte]
	h   []scored
}

// better orders hits: higher score first, then record ID.
func (t *topHits) better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return bytes.Compare(t.ids.get(a.ord), t.ids.get(b.ord)) < 0
}

func (t *topHits) push(x scored) {
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			parent := (i - 1) / 2
			if !t.better(t.h[parent], t.h[i]) {
				break
			}
			t.h[parent], t.h[i] = t.h[i], t.h[parent]
			i = parent
		}
		return
	}
	if !t.better(x, t.h[0]) {
		return
	}
	t.h[0] = x
	for i := 0; ; {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && t.better(t.h[worst], t.h[l]) {
			worst = l
		}
		if r < len(t.h) && t.better(t.h[worst], t.h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.h[i], t.h[worst] = t.h[worst], t.h[i]
		i = worst
	}
}

func (t *topHits) sorted() []scored {
	slices.SortFunc(t.h, func(a, b scored) int {
		if t.better(a, b) {
			return -1
		}
		if t.better(b, a) {
			return 1
		}
		return 0
	})
	return t.h
}
