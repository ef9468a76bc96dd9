package datagen

import (
	"math/rand/v2"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
)

// vocabTables indexes the shipped vocabulary for drawing: occupations and skills per
// sector, as positions in concepts (file order, so draws are reproducible).
type vocabTables struct {
	concepts    []models.Concept
	occupations map[string][]int // sector → occupations
	skills      map[string][]int // sector → skills
	// generic are skills any job may ask for (safety, teamwork, literacy, …).
	generic []int
	// allOccupations lists every occupation, for desired occupations outside one's trade.
	allOccupations []int
	// relatedSkills holds, per concept, the skills its Related list names.
	relatedSkills [][]int
}

// languageSkills are skill concepts about speaking a language; profiles carry languages
// in their own field, so these are not drawn as trades.
var languageSkills = []string{
	"english_language", "spanish_language", "french_language", "haitian_creole",
	"portuguese_language", "indigenous_language",
}

func newVocabTables(v *models.Vocabulary) vocabTables {
	t := vocabTables{
		concepts:    v.Concepts(),
		occupations: map[string][]int{},
		skills:      map[string][]int{},
	}
	for i, c := range t.concepts {
		switch {
		case c.Kind == models.ConceptOccupation:
			t.occupations[c.Sector] = append(t.occupations[c.Sector], i)
			t.allOccupations = append(t.allOccupations, i)
		case slices.Contains(languageSkills, c.ID):
		case c.Sector == "other":
			t.generic = append(t.generic, i)
			t.skills[c.Sector] = append(t.skills[c.Sector], i)
		default:
			t.skills[c.Sector] = append(t.skills[c.Sector], i)
		}
	}
	index := make(map[string]int, len(t.concepts))
	for i, c := range t.concepts {
		index[c.ID] = i
	}
	t.relatedSkills = make([][]int, len(t.concepts))
	for i, c := range t.concepts {
		for _, id := range c.Related {
			if j, ok := index[id]; ok && t.concepts[j].Kind == models.ConceptSkill && !slices.Contains(languageSkills, id) {
				t.relatedSkills[i] = append(t.relatedSkills[i], j)
			}
		}
	}
	return t
}

// label returns a label of concept i in lang: mostly the preferred one, sometimes a
// synonym, as people write their trade in their own words.
func (t *vocabTables) label(r *rand.Rand, i int, lang string) string {
	labels := t.concepts[i].Labels[lang]
	if len(labels) == 0 {
		labels = t.concepts[i].Labels["es"]
	}
	if len(labels) > 1 && chance(r, 30) {
		return labels[r.IntN(len(labels))]
	}
	return labels[0]
}

// occupationCode returns the concept's ISCO code when it names a 4-digit unit group,
// the only level vacancies and experience carry.
func (t *vocabTables) occupationCode(i int) string {
	if code := t.concepts[i].ISCO; len(code) == 4 {
		return code
	}
	return ""
}

// pickDistinct appends to dst up to n concepts drawn from pool that dst does not hold.
func pickDistinct(r *rand.Rand, dst []int, pool []int, n int) []int {
	for tries := 0; n > 0 && tries < 4*n+8; tries++ {
		c := oneOf(r, pool)
		if slices.Contains(dst, c) {
			continue
		}
		dst = append(dst, c)
		n--
	}
	return dst
}

// capitalise upper-cases the first letter, as titles are written.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
