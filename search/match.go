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

// matchCandidates answers a scored candidate query from the in-memory candidate set
// instead of bleve: a query with a Title (a vacancy's matches), or an ad-hoc one whose
// text or concepts leave something to score (scoresText). It matches exactly the
// documents the bleve query of searchCandidatesBleve matches, which passes the same
// filters and, with a Title (runNarrow), shares a concept of the text (or q.Concepts),
// or a related concept, or holds every word of the title; without one (run and
// textQuery), shares such a concept or holds any word of the text.
//
// The relevance mirrors bleve's TF-IDF scoring of that query (up to bleve's constant
// query norm): a term held scores boost·idf²·√tf/√(field length), where idf =
// 1 + ln(candidates / (holders + 1)), and a word the text repeats is a term query per
// occurrence, as bleve's match query makes it. With a Title, the concept disjunction
// (concepts ×2, related ×0.5, the title's words as one clause) and the words of the
// text are each scaled by the share of their clauses the candidate holds. Without
// one, the text's words are the match query's disjunction, scaled by the share of
// them held, and that is one clause of the concept disjunction (present, and
// counted, whenever the text is not blank, even when it analyses to no word). Idf
// counts candidates only, where bleve also counts vacancies, so scores differ
// slightly from bleve's; the order of close hits may differ, the set never does.
// Ties are broken by record ID.
func (ix *Index) matchCandidates(ctx context.Context, q CandidateQuery) (Result, error) {
	return ix.scoreCandidates(ctx, q, false)
}

// scoreCandidates is matchCandidates; with all set it returns every match, unsorted,
// with its relevance, and ignores Offset and Limit (AllCandidates).
func (ix *Index) scoreCandidates(ctx context.Context, q CandidateQuery, all bool) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	// The query side: the same concepts, related concepts and analysed words as the
	// bleve query (runNarrow with a title, run without; the vocabulary matches nothing
	// in a blank text, as run asks it nothing).
	narrow := q.Title != ""
	if !narrow && !scoresText(q) {
		if all {
			return ix.filteredCandidates(q), nil
		}
		// Nothing to score: a filter-only query in ID order, bleve's.
		return ix.searchCandidatesBleve(ctx, q)
	}
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

	// What matches: any concept, any related concept, or every word of the title (any
	// word of the text without a title).
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
	if !narrow {
		for _, w := range distinct(words) {
			if p := s.posting(termKey(kindWord, w)); p != nil {
				anyOf = append(anyOf, p)
			}
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

	// The weights of the query's terms, as bleve's TF-IDF weighs them.
	n := float64(s.size())
	idf2 := func(p *roaring.Bitmap) float64 {
		idf := 1 + math.Log(n/float64(p.GetCardinality()+1))
		return idf * idf
	}
	sq := scoredQuery{set: s, titleWords: titleAll, k: offset + limit, all: all,
		mustClauses: float64(len(concepts) + len(related) + 1), wordClauses: float64(max(len(words), 1))}
	if !narrow {
		// The words are one clause of the concept disjunction, if the text is not blank.
		sq.wordsInMust = true
		sq.mustClauses = float64(len(concepts) + len(related))
		if strings.TrimSpace(q.Text) != "" {
			sq.mustClauses++
		}
	}
	if !q.OnDate.IsZero() {
		sq.dated, sq.lo = true, int32(monthIndex(q.OnDate))
	}
	for _, group := range []struct {
		ids   []string
		boost float64
	}{{concepts, conceptBoost}, {related, relatedBoost}} {
		for _, c := range group.ids {
			if p := s.posting(termKey(kindConcept, c)); p != nil {
				sq.concepts = append(sq.concepts, weightedTerm{p: p, text: float32(group.boost * idf2(p))})
			}
		}
	}
	if titleAll == nil {
		title = nil // nobody holds every word of the title
	}
	for _, w := range wordsOf(counts(title), counts(words)) {
		p := s.posting(termKey(kindWord, w.word))
		if p == nil {
			continue
		}
		idf := idf2(p)
		sq.words = append(sq.words, weightedTerm{p: p, text: float32(float64(w.inText) * idf),
			title: float32(float64(w.inTitle) * idf), held: uint16(w.inText)})
		// bleve scores √tf: each further occurrence adds a step.
		for k := 2; k <= maxTF; k++ {
			pk := s.posting(wordFreqKey(k, w.word))
			if pk == nil {
				break
			}
			step := math.Sqrt(float64(k)) - math.Sqrt(float64(k-1))
			sq.words = append(sq.words, weightedTerm{p: pk, text: float32(float64(w.inText) * idf * step),
				title: float32(float64(w.inTitle) * idf * step)})
		}
	}

	sc := ix.scratch.get(s.ordinals())
	var top topHits
	var total uint64
	if lower, upper, ok := halves(matched, ix.parallelFrom); ok {
		// Two cores: each half of the ordinals summed and ranked on its own.
		var other topHits
		var otherTotal uint64
		var wg sync.WaitGroup
		wg.Go(func() { other, otherTotal = sq.score(upper, sc.acc) })
		top, total = sq.score(lower, sc.acc)
		wg.Wait()
		for _, h := range other.h {
			top.add(h, all)
		}
		total += otherTotal
	} else {
		top, total = sq.score(matched, sc.acc)
	}
	// Only now is every accumulator zeroed again; a query that panicked drops its
	// scratch instead.
	ix.scratch.put(sc)
	if all {
		out := Result{Total: total, Hits: make([]Hit, len(top.h))}
		for i, h := range top.h {
			out.Hits[i] = Hit{ID: s.id(h.ord), Score: h.score}
		}
		return out, nil
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

// parallelFrom is the number of matches from which a query is summed on two cores:
// below it, starting a goroutine costs more than it saves.
const parallelFrom = 20000

// halves splits the matches at a container boundary (multiples of 65,536 ordinals)
// into two parts of similar size; ok is false when they are fewer than from (0 means
// parallelFrom) or fit one container.
func halves(matched *roaring.Bitmap, from int) (lower, upper *roaring.Bitmap, ok bool) {
	if from <= 0 {
		from = parallelFrom
	}
	total := matched.GetCardinality()
	if total < uint64(from) {
		return nil, nil, false
	}
	last := uint64(matched.Maximum())
	for mid := uint64(1 << 16); mid <= last; mid += 1 << 16 {
		if matched.Rank(uint32(mid-1)) >= total/2 {
			lower, upper = matched.Clone(), matched.Clone()
			lower.RemoveRange(mid, last+1)
			upper.RemoveRange(0, mid)
			return lower, upper, !lower.IsEmpty() && !upper.IsEmpty()
		}
	}
	return nil, nil, false
}

// weightedTerm is a bitmap of the query with what holding it adds: to the concept
// part or the text's words (text), to the title's clause (title), and to the count of
// the text's words held (held).
type weightedTerm struct {
	p           *roaring.Bitmap
	text, title float32
	held        uint16
}

// scoredQuery is a match query ready to sum relevance over a part of its matches.
type scoredQuery struct {
	set             *candidateSet
	concepts, words []weightedTerm
	titleWords      *roaring.Bitmap // the holders of every title word, or nil
	// wordsInMust: the text's words are a clause of the concept disjunction (an
	// ad-hoc query, without a title), not a clause of their own beside it.
	wordsInMust              bool
	dated                    bool
	lo                       int32 // the month a candidate's work must last until
	mustClauses, wordClauses float64
	k                        int
	all                      bool // keep every match, not the best k
}

// score sums the relevance of the matches in part, a term at a time over the
// candidates of part that hold it, into acc (the entries of part only, left zeroed),
// and returns the best k and how many pass the month filter. That filter is checked
// in the last pass, which saves a pass over every match; the sums of the candidates
// it drops are wasted, and cheap.
func (sq *scoredQuery) score(part *roaring.Bitmap, acc []accumulator) (topHits, uint64) {
	s := sq.set
	buf := make([]uint32, 1024)
	// forEach calls fn with the ordinals of p within part, a buffer at a time.
	// (Walking p whole against a bitset of the matches instead cost more, even for
	// terms held by fewer candidates than matched.)
	forEach := func(p *roaring.Bitmap, fn func(ords []uint32)) {
		it := roaring.And(p, part).ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			fn(buf[:n])
		}
	}
	for _, t := range sq.concepts {
		forEach(t.p, func(ords []uint32) {
			for _, o := range ords {
				a := &acc[o]
				a.concepts += t.text
				a.mustHeld++
			}
		})
	}
	// The title's words count (as one clause) only for the candidates that hold them
	// all, the text's for every holder; one pass per word serves both.
	if sq.titleWords != nil {
		forEach(sq.titleWords, func(ords []uint32) {
			for _, o := range ords {
				a := &acc[o]
				a.mustHeld++
				a.inTitle = true
			}
		})
	}
	for _, t := range sq.words {
		forEach(t.p, func(ords []uint32) {
			for _, o := range ords {
				a := &acc[o]
				a.words += t.text
				a.wordsHeld += t.held
				if a.inTitle {
					a.title += t.title
				}
			}
		})
	}

	// The month filter, the score, and the best k by relevance and then record ID.
	top := topHits{k: sq.k, ids: &s.ids}
	var total uint64
	it := part.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, ord := range buf[:n] {
			a := &acc[ord]
			if sq.dated && s.until[ord] < sq.lo {
				*a = accumulator{}
				continue
			}
			total++
			tn := float64(s.textNorm[ord])
			var score float64
			if !sq.wordsInMust {
				score = (float64(a.concepts)*float64(s.conceptNorm[ord])+float64(a.title)*tn)*float64(a.mustHeld)/sq.mustClauses +
					float64(a.words)*tn*float64(a.wordsHeld)/sq.wordClauses
			} else {
				must := float64(a.mustHeld)
				if a.wordsHeld > 0 {
					must++
				}
				score = (float64(a.concepts)*float64(s.conceptNorm[ord]) + float64(a.words)*tn*float64(a.wordsHeld)/sq.wordClauses) *
					must / sq.mustClauses
			}
			*a = accumulator{}
			top.add(scored{score: score, ord: ord}, sq.all)
		}
	}
	return top, total
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
// accumulators take 20 MB, too much to allocate and clear per query, and a sync.Pool
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

// add keeps x: among the best k, or whatever its score when all is set.
func (t *topHits) add(x scored, all bool) {
	if all {
		t.h = append(t.h, x)
		return
	}
	t.push(x)
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
