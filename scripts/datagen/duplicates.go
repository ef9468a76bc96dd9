package datagen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/vincula/vincula/models"
)

// The streams of planted records, apart from the candidates'.
const (
	streamDuplicate uint64 = iota + 100
	streamRelative
)

// Duplicate returns the j-th planted second registration among the first n
// candidates: the person of Candidate(of), registered again at another hub as people
// are: the name without accents, with its surnames swapped or the second one left out,
// with a typo, in capitals; the CURP given again or not; the same phone or a new one.
// The birth date and nationality are the person's. Its ID is dup-<j>.
func (g *Generator) Duplicate(j, n int) (c models.Candidate, of int) {
	r := g.rng(streamDuplicate, j)
	of = r.IntN(n)
	orig := g.Candidate(of)
	c = orig
	c.ID = fmt.Sprintf("dup-%08d", j)
	given, s1, s2 := splitName(orig.FullName)
	if s2 != "" && chance(r, 25) {
		s1, s2 = s2, s1
	} else if s2 != "" && chance(r, 15) {
		s2 = ""
	}
	name := strings.Join(nonEmpty(given, s1, s2), " ")
	if chance(r, 40) {
		name = stripAccents(name)
	}
	if chance(r, 40) {
		name = typo(r, name)
	}
	if chance(r, 10) {
		name = strings.ToUpper(name)
	}
	c.FullName = name
	if !chance(r, 60) {
		c.CURP = ""
	}
	switch p := r.IntN(100); {
	case p < 50:
	case p < 90:
		c.Phone = phone(r, "962")
	default:
		c.Phone = ""
	}
	place := candidatePlaces.pick(r)
	c.CurrentState, c.Municipality, c.Hub = place.state, place.municipality, place.hub
	return c, of
}

// Relative returns the j-th planted relative of one of the first n candidates: a
// different person who shares the family's phone and nationality, and (a sibling, a
// twin, a child) its surnames; a twin also the birth date. Detection must not take
// them for the person. Its ID is rel-<j>.
func (g *Generator) Relative(j, n int) (c models.Candidate, of int) {
	r := g.rng(streamRelative, j)
	of = r.IntN(n)
	orig := g.Candidate(of)
	c = g.Candidate(n + 1_000_000 + j)
	c.ID = fmt.Sprintf("rel-%08d", j)
	c.Nationality, c.Phone = orig.Nationality, orig.Phone
	if c.Phone == "" {
		c.Phone = phone(r, "962")
	}
	given, _, _ := splitName(c.FullName)
	_, s1, s2 := splitName(orig.FullName)
	kind := r.IntN(100)
	if kind < 75 { // sibling, twin or child: the family's surnames
		c.FullName = strings.Join(nonEmpty(given, s1, s2), " ")
	}
	if kind < 15 { // a twin
		c.BirthDate = orig.BirthDate
		og, _, _ := splitName(orig.FullName)
		if strings.EqualFold(stripAccents(og), stripAccents(given)) {
			c.FullName = strings.Join(nonEmpty(given+" "+oneOf(r, names[0].male), s1, s2), " ")
		}
	}
	if c.CURP != "" {
		g2, t1, t2 := splitName(c.FullName)
		c.CURP = buildCURP(r, g2, t1, t2, c.BirthDate, c.Gender)
	}
	return c, of
}

// splitName takes the generator's "given [given] surname [surname]" apart: names of
// three words or more end in two surnames, shorter ones in one.
func splitName(full string) (given, s1, s2 string) {
	w := strings.Fields(full)
	switch {
	case len(w) >= 3:
		return strings.Join(w[:len(w)-2], " "), w[len(w)-2], w[len(w)-1]
	case len(w) == 2:
		return w[0], w[1], ""
	case len(w) == 1:
		return w[0], "", ""
	}
	return "", "", ""
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func stripAccents(s string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

// typo makes one slip in one word of four letters or more: a letter changed, left
// out, doubled, or swapped with the next.
func typo(r *rand.Rand, name string) string {
	w := strings.Fields(name)
	var long []int
	for i, x := range w {
		if len([]rune(x)) >= 4 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return name
	}
	i := oneOf(r, long)
	x := []rune(w[i])
	p := 1 + r.IntN(len(x)-2)
	switch r.IntN(4) {
	case 0:
		x[p] = rune('a' + r.IntN(26))
	case 1:
		x = append(x[:p], x[p+1:]...)
	case 2:
		x = append(x[:p+1], x[p:]...)
	default:
		x[p], x[p+1] = x[p+1], x[p]
	}
	w[i] = string(x)
	return strings.Join(w, " ")
}
