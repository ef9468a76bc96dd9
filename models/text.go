package models

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, removes accents (so "Albañil" and "albanil" compare equal, as do
// "Nuevo León" and "nuevo leon"), turns punctuation into spaces and collapses runs of
// white space. It is the one normalisation used for header matching, state names,
// vocabulary look-ups and search text, so that all of them agree.
//
// Ranking folds every text of every candidate it scores, so the common case (Latin
// script) goes through a table built once from the full Unicode path, foldSlow; text
// with other characters takes foldSlow itself. Both give the same result.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if r >= foldTableSize {
			return foldSlow(s)
		}
		f := foldTable[r]
		if f == "" {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteString(f)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// foldTableSize covers ASCII, Latin-1 and Latin Extended-A and B: the letters of
// Spanish, French, Haitian Creole, Portuguese and English. Combining marks (U+0300 on)
// lie above it and send a string to foldSlow.
const foldTableSize = 0x250

var foldTable = func() [foldTableSize]string {
	var t [foldTableSize]string
	for r := rune(0); r < foldTableSize; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		t[r] = foldSlow(string(r))
	}
	return t
}()

func foldSlow(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := true
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}
