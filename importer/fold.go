package importer

import (
	"strings"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
)

// spanishBase maps the accented letters of Spanish to the letter models.Fold turns them
// into.
var spanishBase = map[rune]rune{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n',
	'Á': 'a', 'É': 'e', 'Í': 'i', 'Ó': 'o', 'Ú': 'u', 'Ü': 'u', 'Ñ': 'n',
}

// fold returns exactly models.Fold(s), quickly for the text of nearly every cell
// (ASCII and Spanish letters) and by calling models.Fold for anything else. An import
// folds a dozen cells per row, and models.Fold builds a Unicode normalisation chain on
// every call, which made it most of the cost of a 100,000-row import.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if r >= utf8.RuneSelf {
			base, ok := spanishBase[r]
			if !ok {
				return models.Fold(s)
			}
			r = base
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
			space = false
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}
