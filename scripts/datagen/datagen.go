// Package datagen generates realistic, deterministic Vincula data of any size: employers,
// candidates and vacancies that look like what the MECAL information hubs and the job
// fairs see (most candidates registered in Chiapas, most vacancies in the northern
// industrial states, humanitarian visas and COMAR constancias as the common documents,
// skills written in Spanish, English, French and Haitian Creole from the shipped
// vocabulary).
//
// The same Config always yields byte-identical data: every record is drawn from a PCG
// generator seeded from (Seed, kind, index), no map is ever iterated and the clock is
// never read, so tests can assert exact results on a few thousand candidates and
// benchmarks can stream a million of them in parallel without holding them in memory.
package datagen

import (
	"math/rand/v2"

	"github.com/vincula/vincula/models"
)

// DefaultToday is the reference date used when Config.Today is zero. It is a fixed day,
// not the clock, so that data generated without a date is still reproducible.
var DefaultToday = models.NewDate(2026, 1, 15)

// Config says which data set to generate. Two generators with equal Configs produce
// identical records.
type Config struct {
	// Seed selects the data set; different seeds give different people and vacancies.
	Seed uint64
	// Today is the reference date: documents are issued and expire, people are born,
	// registered and available relative to it. The zero Date means DefaultToday.
	Today models.Date
	// Employers is the number of employers; zero means Candidates/500 + 5.
	Employers int
	// Candidates is how many candidates the caller expects to draw. It only sizes the
	// default number of employers: Candidate(i) works for any i whatever its value.
	Candidates int
}

// Generator draws employers, candidates and vacancies for one Config. It is read-only
// after New, so Candidate and Vacancy may be called from many goroutines at once.
type Generator struct {
	seed      uint64
	today     models.Date
	employers []models.Employer
	vocab     vocabTables
}

// The streams keep the random sequences of different kinds of record apart, so that a
// candidate and a vacancy with the same index share nothing.
const (
	streamEmployers uint64 = iota + 1
	streamCandidate
	streamVacancy
)

// New builds a generator: it prepares the vocabulary tables and draws the employers,
// which candidates (visitante_actividades_remuneradas permits) and vacancies refer to.
func New(cfg Config) *Generator {
	g := &Generator{seed: cfg.Seed, today: cfg.Today}
	if g.today.IsZero() {
		g.today = DefaultToday
	}
	g.vocab = newVocabTables(models.DefaultVocabulary())
	n := cfg.Employers
	if n <= 0 {
		n = cfg.Candidates/500 + 5
	}
	g.employers = g.makeEmployers(n)
	return g
}

// Today returns the reference date the generator works from.
func (g *Generator) Today() models.Date { return g.today }

// Employers returns the employers, in ID order. The slice is a copy.
func (g *Generator) Employers() []models.Employer {
	out := make([]models.Employer, len(g.employers))
	copy(out, g.employers)
	return out
}

// rng returns the random source of record i of one stream. Seeds go through splitmix64
// so that neighbouring indexes and seeds give unrelated sequences.
func (g *Generator) rng(stream uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(g.seed^splitmix(stream)), splitmix(uint64(i)^(stream<<56))))
}

// splitmix is the finaliser of SplitMix64, a cheap bijective scrambler of 64-bit words.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// weighted is a table of items drawn in proportion to integer weights; integer weights
// keep draws exact across platforms.
type weighted[T any] struct {
	items []T
	cum   []int
}

// choice is one item of a weighted table.
type choice[T any] struct {
	item   T
	weight int
}

func newWeighted[T any](choices ...choice[T]) weighted[T] {
	w := weighted[T]{items: make([]T, len(choices)), cum: make([]int, len(choices))}
	total := 0
	for i, c := range choices {
		total += c.weight
		w.items[i] = c.item
		w.cum[i] = total
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.IntN(w.cum[len(w.cum)-1])
	// Tables are short: a linear scan beats a binary search here.
	for i, c := range w.cum {
		if x < c {
			return w.items[i]
		}
	}
	return w.items[len(w.items)-1]
}

// chance reports true with probability percent/100.
func chance(r *rand.Rand, percent int) bool { return r.IntN(100) < percent }

// oneOf returns a uniformly drawn element of s.
func oneOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }
