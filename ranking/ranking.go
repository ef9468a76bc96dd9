// Package ranking is Vincula's one ranking service: the candidates of a vacancy, the
// vacancies of a candidate and the ad-hoc candidate search are each one ordering of
// every qualifying record (active and consenting, legally able to work there on the
// date, matching the query) by the score shown, ties by ID, and every page is a slice
// of it with the exact total.
//
// The search index says which records match the text and how relevant each is; beside
// it the service keeps, in memory and in step with the change feed, each candidate's
// compiled eligibility facts and scoring profile (matching.Facts, matching.Profile) and
// every vacancy, decides eligibility and computes the full score of every match there,
// and keeps the best with a heap. Only the page's records are read from the database,
// and each is decided and scored again from its row by matching.Eligibility and
// matching.Scorer, the definition; a record whose row no longer agrees is dropped and
// the page refilled from the ordering, so nothing stale or ineligible is shown.
//
// The text part of a score is the record's relevance scaled by the best relevance among
// all qualifying records of the list: min(1, 4·relevance/best), so that it depends on
// the list, never on the page.
package ranking

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
)

// Index is what the ranking needs of the search index (search.Index implements it).
type Index interface {
	AllCandidates(ctx context.Context, q search.CandidateQuery) (search.Result, error)
	SearchVacancies(ctx context.Context, q search.VacancyQuery) (search.Result, error)
}

// Service ranks. It is safe for concurrent use.
type Service struct {
	store   Store
	index   Index
	rules   *matching.Rules
	weights *matching.Weights
	vocab   *models.Vocabulary
	facts   facts
}

// New returns the ranking service (nil rules and weights mean the embedded ones). It
// loads its copy of the records on first use.
func New(st Store, ix Index, rules *matching.Rules, weights *matching.Weights) *Service {
	if rules == nil {
		rules = matching.DefaultRules()
	}
	if weights == nil {
		weights = matching.DefaultWeights()
	}
	return &Service{store: st, index: ix, rules: rules, weights: weights, vocab: models.DefaultVocabulary()}
}

// Load reads the records now instead of at the first request.
func (s *Service) Load(ctx context.Context) error { return s.sync(ctx) }

// maxOffset bounds a cursor: ten million records, past any list this server ranks.
const maxOffset = 10_000_000

// parseCursor reads where a ranked list continues: "o" and the position of the next
// record in the ordering, base64. An empty cursor is the first page. The cursors of the
// windowed ranking this service replaced ("w" window "." position, windows of at most
// 50,000 × 200 records) still read, as the position they came closest to.
func parseCursor(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	off, ok := 0, false
	if err == nil {
		var w, p int
		switch {
		case exact(string(b), "o%d", &off):
			ok = off >= 0 && off <= maxOffset
		case exact(string(b), "w%d.%d", &w, &p):
			ok = w >= 0 && w <= 50_000 && p >= 0 && p <= 200
			off = w*100 + p
		}
	}
	if !ok {
		var fe models.FieldErrors
		fe.Add("cursor", "is not a cursor this server gave out")
		return 0, fe.Err()
	}
	return off, nil
}

// exact scans s with format and reports whether the whole of s was read.
func exact(s, format string, args ...any) bool {
	n, err := fmt.Sscanf(s, format, args...)
	if err != nil || n != len(args) {
		return false
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = *(a.(*int))
	}
	return fmt.Sprintf(format, vals...) == s
}

// CheckCursor reports whether raw is a cursor of a ranked list (an invalid-input error
// naming "cursor" when it is not).
func CheckCursor(raw string) error {
	_, err := parseCursor(raw)
	return err
}

func cursorAt(off int) *string {
	c := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("o%d", off)))
	return &c
}

// Page is one page of a ranked list.
type Page[T any] struct {
	Items []T
	// Next continues the list; nil on its last page.
	Next *string
	// Total is the number of records in the whole list.
	Total int
}

// WorkDate is the day a vacancy's eligibility is judged (matching.WorkDate).
func WorkDate(v *models.Vacancy, today models.Date) models.Date { return matching.WorkDate(v, today) }

// QueryFor is the eligibility question a vacancy asks of its candidates.
func QueryFor(v *models.Vacancy, today models.Date) matching.Query {
	return matching.VacancyQuery(v, WorkDate(v, today))
}

// TextScore is the text part of a score: a record's relevance scaled by the best
// relevance of its list (a hit at least a quarter as relevant as the best counts fully).
// A vacancy's matches already share a concept with it, and raw relevance rewards the
// vacancy's exact wording: a profile in French, English or Haitian Creole, which
// reaches the vacancy through the vocabulary, would otherwise lose to the same trade
// written in the vacancy's Spanish.
func TextScore(relevance, best float64) float64 {
	if best <= 0 {
		return 0
	}
	return min(1, 4*relevance/best)
}

// VacancyText is what a vacancy asks for, as text for the index.
func VacancyText(v *models.Vacancy) string {
	parts := []string{v.Title}
	for _, sk := range v.Skills {
		parts = append(parts, sk.Name)
	}
	return strings.Join(parts, " ")
}

// CandidateText is what a candidate offers, as text for the index.
func CandidateText(c *models.Candidate) string {
	var parts []string
	for _, sk := range c.Skills {
		parts = append(parts, sk.Name)
	}
	for _, e := range c.Experience {
		parts = append(parts, e.Title)
	}
	parts = append(parts, c.DesiredOccupations...)
	return strings.Join(parts, " ")
}

// ranked is one qualifying record of a list: its ID, relevance and score.
type ranked struct {
	id        string
	relevance float64
	score     float64
	cand      *candidate // the copy it was decided on (candidates' lists)
}

func better(a, b *ranked) int {
	if a.score != b.score {
		return cmp.Compare(b.score, a.score)
	}
	return strings.Compare(a.id, b.id)
}

// bestK keeps the best k records added, in a min-heap whose root is the worst kept.
type bestK struct {
	k int
	h []ranked
}

func (b *bestK) full() bool { return len(b.h) >= b.k }

// worse reports whether the record at i ranks after the one at j.
func (b *bestK) worse(i, j int) bool { return better(&b.h[i], &b.h[j]) > 0 }

func (b *bestK) add(x ranked) {
	if b.k <= 0 {
		return
	}
	if len(b.h) < b.k {
		b.h = append(b.h, x)
		for j := len(b.h) - 1; j > 0; {
			p := (j - 1) / 2
			if !b.worse(j, p) {
				break
			}
			b.h[j], b.h[p] = b.h[p], b.h[j]
			j = p
		}
		return
	}
	if better(&x, &b.h[0]) >= 0 {
		return
	}
	b.h[0] = x
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(b.h) && b.worse(l, w) {
			w = l
		}
		if r < len(b.h) && b.worse(r, w) {
			w = r
		}
		if w == i {
			return
		}
		b.h[i], b.h[w] = b.h[w], b.h[i]
		i = w
	}
}

func (b *bestK) sorted() []ranked {
	slices.SortFunc(b.h, func(x, y ranked) int { return better(&x, &y) })
	return b.h
}

// top returns the best k of list (already scored), in order.
func top(list []ranked, k int) []ranked {
	if k <= 0 {
		return nil
	}
	if k >= len(list) {
		out := slices.Clone(list)
		slices.SortFunc(out, func(a, b ranked) int { return better(&a, &b) })
		return out
	}
	b := bestK{k: k, h: make([]ranked, 0, k)}
	for i := range list {
		b.add(list[i])
	}
	return b.sorted()
}

// scorers returns, for one goroutine, an upper bound of a record's score and its score.
type scorers func() (bound, score func(*ranked) float64)

// bestOf returns the best k of list in order, with their scores. A record is scored in
// full only when its bound reaches the k-th best score kept so far: one whose bound is
// below it cannot be among the best k, whatever its score. Long lists are split over
// two cores, each keeping its own best k.
func bestOf(list []ranked, k int, newScorers scorers) []ranked {
	if k <= 0 {
		return nil
	}
	run := func(part []ranked) *bestK {
		bound, score := newScorers()
		b := &bestK{k: k, h: make([]ranked, 0, min(k, len(part)))}
		for _, x := range part {
			if b.full() && bound(&x) < b.h[0].score {
				continue
			}
			x.score = score(&x)
			b.add(x)
		}
		return b
	}
	if len(list) < parallelFrom {
		return run(list).sorted()
	}
	var other *bestK
	var wg sync.WaitGroup
	wg.Go(func() { other = run(list[len(list)/2:]) })
	b := run(list[:len(list)/2])
	wg.Wait()
	for _, x := range other.h {
		b.add(x)
	}
	return b.sorted()
}

// paginate cuts the page at offset from list (every qualifying record, in no order),
// checking its records with check, which reads their rows and returns those that still
// qualify with the score they have in memory. A record that does not is dropped and
// the page refilled from the records after it.
func paginate[T any](list []ranked, offset, limit int, check func(rs []ranked) (map[string]T, error)) (Page[T], error) {
	return paginateBest(len(list), func(k int) []ranked { return top(list, k) }, offset, limit, check)
}

// paginateBest is paginate over a list of total records whose best k best(k) returns,
// in order and scored.
func paginateBest[T any](total int, best func(k int) []ranked, offset, limit int, check func(rs []ranked) (map[string]T, error)) (Page[T], error) {
	page := Page[T]{Items: []T{}, Total: total}
	dropped := map[string]bool{}
	for k := offset + 2*limit; ; k = 2*k + limit {
		ordered := best(k)
		page.Items = page.Items[:0]
		pos := offset
		for pos < len(ordered) && len(page.Items) < limit {
			n := min(limit-len(page.Items), len(ordered)-pos)
			var batch []ranked
			for _, r := range ordered[pos : pos+n] {
				if !dropped[r.id] {
					batch = append(batch, r)
				}
			}
			pos += n
			ok, err := check(batch)
			if err != nil {
				return page, err
			}
			for _, r := range batch {
				if it, good := ok[r.id]; good {
					page.Items = append(page.Items, it)
				} else {
					dropped[r.id] = true
				}
			}
		}
		if len(page.Items) == limit || k >= total {
			page.Total = total - len(dropped)
			if len(page.Items) == limit && pos < total {
				page.Next = cursorAt(offset + len(page.Items))
			}
			return page, nil
		}
	}
}

// parallelFrom is how many matches make scoring worth splitting over two cores.
const parallelFrom = 2000
