// Package dedupe finds people registered twice ("one person, once"): the same CURP, or
// the same birth date with the same nationality and a close name (accent- and
// order-insensitive, tolerant of a typo per name and of a missing second surname). A
// shared phone is only a hint: families in the camps share one phone.
package dedupe

import (
	"fmt"
	"strings"

	"github.com/vincula/vincula/models"
)

// Person is what detection reads of a profile.
type Person struct {
	ID          string
	FullName    string
	Nationality string
	BirthDate   models.Date
	Phone       string
	CURP        string
}

// PersonOf takes the fields detection reads from a candidate.
func PersonOf(c models.Candidate) Person {
	return Person{ID: c.ID, FullName: c.FullName, Nationality: c.Nationality, BirthDate: c.BirthDate, Phone: c.Phone, CURP: c.CURP}
}

// Strength says how much a match means.
type Strength string

// A suspect is probably the same person (staff merge or mark as different); a hint is
// worth a look but never proof.
const (
	Suspect Strength = "suspect"
	Hint    Strength = "hint"
)

// Match is another profile that may be the same person, with why.
type Match struct {
	ID       string   `json:"id"`
	Strength Strength `json:"strength"`
	Reasons  []string `json:"reasons"`
	// NameSimilarity is 1 for names equal once folded and reordered, less with typos
	// and missing names, 0 when the names are not close.
	NameSimilarity float64 `json:"name_similarity"`
}

// Compare says whether b may be a as registered again, and why.
func Compare(a, b Person) (Match, bool) {
	m := Match{ID: b.ID}
	sim := NameSimilarity(a.FullName, b.FullName)
	m.NameSimilarity = sim
	sameBirth := !a.BirthDate.IsZero() && a.BirthDate.Equal(b.BirthDate)
	if a.CURP != "" && strings.EqualFold(a.CURP, b.CURP) {
		m.Strength = Suspect
		m.Reasons = append(m.Reasons, "same CURP")
	}
	if sameBirth && sim > 0 {
		if a.Nationality == b.Nationality {
			m.Strength = Suspect
			m.Reasons = append(m.Reasons, fmt.Sprintf("same birth date and nationality, close name (similarity %.2f)", sim))
		} else if m.Strength == "" {
			m.Strength = Hint
			m.Reasons = append(m.Reasons, fmt.Sprintf("same birth date and close name (similarity %.2f), but nationality %s and %s",
				sim, a.Nationality, b.Nationality))
		}
	}
	if p := phoneKey(a.Phone); p != "" && p == phoneKey(b.Phone) {
		if m.Strength == "" {
			m.Strength = Hint
		}
		m.Reasons = append(m.Reasons, "shares a phone number (families often do: not proof)")
	}
	return m, m.Strength != ""
}

// PhoneKey is the part of a phone number compared: its last ten digits, so that
// "+52 962 111 0001" and "9621110001" are the same phone.
func PhoneKey(s string) string { return phoneKey(s) }

func phoneKey(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) < 8 {
		return ""
	}
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	return string(d)
}

// particles are left out of names: "de la Cruz" and "Cruz" are the same surname as
// people write it at a hub.
var particles = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "y": true, "e": true,
	"da": true, "das": true, "do": true, "dos": true, "du": true, "di": true, "van": true, "von": true, "le": true}

// Tokens are a name's words, folded (lower case, no accents, hyphens as spaces) and
// without particles.
func Tokens(name string) []string {
	var out []string
	for _, w := range strings.Fields(models.Fold(name)) {
		if !particles[w] {
			out = append(out, w)
		}
	}
	return out
}

// word is a name's word as written (folded) and as it sounds in Spanish (v as b, z as
// s, no silent h, ll as y, no doubled letters), so that spelling variants compare equal.
type word struct{ text, sound string }

func words(name string) []word {
	t := Tokens(name)
	out := make([]word, 0, len(t))
	for _, w := range t {
		out = append(out, word{w, soundKey(w)})
	}
	return out
}

// wordDistance is the smaller of the edit distances of the written and sounded forms.
func wordDistance(x, y word) int { return min(distance(x.text, y.text), distance(x.sound, y.sound)) }

func soundKey(w string) string {
	w = strings.NewReplacer("ll", "y", "ch", "\x01", "qu", "k", "ph", "f").Replace(w)
	var b strings.Builder
	var last rune
	for _, r := range w {
		switch r {
		case 'h':
			continue
		case 'v', 'w':
			r = 'b'
		case 'z':
			r = 's'
		case 'c':
			r = 'k'
		case 'i':
			r = 'y'
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return strings.ReplaceAll(b.String(), "\x01", "ch")
}

// NameSimilarity is 0 unless every word of the shorter name (at least two words, or
// both names of one word) finds its own word in the other within the typo allowance;
// then it is the share of letters that agree over both names.
func NameSimilarity(a, b string) float64 {
	ta, tb := words(a), words(b)
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	if len(ta) == 0 || (len(ta) == 1 && len(tb) > 1) {
		return 0
	}
	used := make([]bool, len(tb))
	agree, total := 0, 0
	for _, x := range ta {
		best, bestD := -1, 1<<30
		for j, y := range tb {
			if used[j] {
				continue
			}
			if d := wordDistance(x, y); d <= allowance(x.text, y.text) && d < bestD {
				best, bestD = j, d
			}
		}
		if best < 0 {
			return 0
		}
		used[best] = true
		l := max(len(x.text), len(tb[best].text))
		agree += max(l-bestD, 0)
		total += l
	}
	for j, y := range tb {
		if !used[j] {
			total += len(y.text)
		}
	}
	return float64(agree) / float64(total)
}

// allowance is how many edits two words may differ by and still be one name: none
// when both have fewer than four letters, one up to seven, two from eight.
func allowance(x, y string) int {
	n := max(len(x), len(y))
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// distance is the optimal-string-alignment edit distance (insertions, deletions,
// substitutions and swaps of neighbours), on bytes: words are folded to ASCII first,
// and a word outside Latin letters only ever matches itself exactly.
func distance(a, b string) int {
	if a == b {
		return 0
	}
	la, lb := len(a), len(b)
	if d := la - lb; d > 2 || d < -2 {
		return 3
	}
	prev2 := make([]int, lb+1)
	prev := make([]int, lb+1)
	cur := make([]int, lb+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// Find compares p with each of pool (skipping p itself and the IDs in distinct, the
// people staff marked as different) and returns the matches, suspects first.
func Find(p Person, pool []Person, distinct map[string]bool) []Match {
	var suspects, hints []Match
	for _, q := range pool {
		if q.ID == p.ID || distinct[q.ID] {
			continue
		}
		if m, ok := Compare(p, q); ok {
			if m.Strength == Suspect {
				suspects = append(suspects, m)
			} else {
				hints = append(hints, m)
			}
		}
	}
	return append(suspects, hints...)
}
