package models

import (
	"slices"
	"sort"
	"strings"
)

// searchEntry is one folded label of a concept, for Search.
type searchEntry struct {
	off, n    uint32 // the folded label is Vocabulary.folded[off:off+n]
	concept   int32
	lang      uint8
	preferred bool
}

// searchLanguages are the languages Search knows; labels in others are searched only
// when no language is asked for.
var searchLanguages = []string{"es", "en", "fr", "ht"}

func langIndex(lang string) uint8 {
	if i := slices.Index(searchLanguages, lang); i >= 0 {
		return uint8(i)
	}
	return uint8(len(searchLanguages))
}

// SearchLimits bound Search: the longest query (in bytes, before folding) and the most
// results.
const (
	MaxVocabularyQuery = 100
	MaxVocabularyLimit = 50
)

// Hit is one result of Search: a concept and the label of it that matched.
type Hit struct {
	ID string
	// Matched is the label the query matched, as written in the vocabulary.
	Matched string
	// Score ranks the hits, higher first: an exact label beats a label that starts with
	// the query, which beats one whose words start with the query's words; a preferred
	// label and a concept of Vincula's own layer (the trades migrants most often name)
	// come first among equals.
	Score int
}

// Search finds the concepts of a kind (ConceptOccupation or ConceptSkill; "" for both)
// whose labels in lang (es, en, fr, ht; "" for all languages) match the query, folded as
// Fold does so that case and accents do not matter: a label equal to the query, a label
// starting with it, or a label with a word starting with each of the query's words, in
// order. At most limit hits (1 to MaxVocabularyLimit) are returned, best first, ties
// broken by the shorter label and then the ID, so the order is stable.
func (v *Vocabulary) Search(q, lang, kind string, limit int) []Hit {
	if len(q) > MaxVocabularyQuery {
		q = q[:MaxVocabularyQuery]
	}
	fq := Fold(q)
	if fq == "" || limit <= 0 {
		return nil
	}
	limit = min(limit, MaxVocabularyLimit)
	qwords := strings.Fields(fq)
	want := uint8(255)
	if lang != "" {
		want = langIndex(lang)
	}
	type best struct {
		score, length int
		entry         int
	}
	found := map[int32]best{}
	for _, k := range v.searchIndex().candidates(qwords) {
		e := &v.entries[k]
		folded := v.folded[e.off : e.off+e.n]
		if want != 255 && e.lang != want {
			continue
		}
		c := &v.concepts[e.concept]
		if kind != "" && c.Kind != kind {
			continue
		}
		var score int
		switch {
		case folded == fq:
			score = 100
		case strings.HasPrefix(folded, fq):
			score = 80
		case wordPrefixes(folded, qwords):
			score = 60
		default:
			continue
		}
		if e.preferred {
			score += 5
		}
		if c.Origin == OriginVincula {
			score += 10
		}
		b, seen := found[e.concept]
		if !seen || score > b.score || (score == b.score && len(folded) < b.length) {
			found[e.concept] = best{score, len(folded), int(k)}
		}
	}
	hits := make([]Hit, 0, len(found))
	lengths := make(map[string]int, len(found))
	for i, b := range found {
		c := &v.concepts[i]
		hits = append(hits, Hit{ID: c.ID, Matched: v.entryLabel(b.entry), Score: b.score})
		lengths[c.ID] = b.length
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		if la, lb := lengths[a.ID], lengths[b.ID]; la != lb {
			return la - lb
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// wordPrefixes reports whether each query word starts a word of the label, in order.
func wordPrefixes(label string, qwords []string) bool {
	words := strings.Fields(label)
	i := 0
	for _, w := range words {
		if i < len(qwords) && strings.HasPrefix(w, qwords[i]) {
			i++
		}
	}
	return i == len(qwords)
}

// entryLabel returns the label, as written, that search entry k was folded from.
func (v *Vocabulary) entryLabel(k int) string {
	e := v.entries[k]
	folded := v.folded[e.off : e.off+e.n]
	for _, labels := range v.labelsOf(int(e.concept)) {
		for _, l := range labels {
			if Fold(l) == folded {
				return l
			}
			if strings.Contains(l, "/") {
				for _, part := range genderedForms(l) {
					if Fold(part) == folded {
						return strings.TrimSpace(part)
					}
				}
			}
		}
	}
	return folded
}

// wordIndex lists every word of every search entry, sorted, with the entries it occurs
// in, so that Search reads only the entries with a word the query's longest word starts.
type wordIndex struct {
	words    []string
	postings [][]int32
}

// searchIndex builds the word index on the first Search, so that a process that never
// searches the vocabulary never pays for it.
func (v *Vocabulary) searchIndex() *wordIndex {
	v.wordsOnce.Do(func() { v.words = v.buildWordIndex() })
	return v.words
}

func (v *Vocabulary) buildWordIndex() *wordIndex {
	m := map[string][]int32{}
	for k, e := range v.entries {
		for _, w := range strings.Fields(v.folded[e.off : e.off+e.n]) {
			if p := m[w]; len(p) == 0 || p[len(p)-1] != int32(k) {
				m[w] = append(p, int32(k))
			}
		}
	}
	ix := &wordIndex{words: make([]string, 0, len(m))}
	for w := range m {
		ix.words = append(ix.words, w)
	}
	slices.Sort(ix.words)
	ix.postings = make([][]int32, len(ix.words))
	for i, w := range ix.words {
		ix.postings[i] = m[w]
	}
	return ix
}

// candidates returns, ascending and without duplicates, the entries with a word that
// starts with the longest of qwords.
func (ix *wordIndex) candidates(qwords []string) []int32 {
	w := qwords[0]
	for _, q := range qwords[1:] {
		if len(q) > len(w) {
			w = q
		}
	}
	lo := sort.SearchStrings(ix.words, w)
	var out []int32
	for i := lo; i < len(ix.words) && strings.HasPrefix(ix.words[i], w); i++ {
		out = append(out, ix.postings[i]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
