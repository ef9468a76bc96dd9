package importer

import (
	"testing"

	"github.com/vincula/vincula/models"
)

var foldSeeds = []string{
	"", "Nuevo León", "  ALBAÑIL  ", "Edo. de México", "año_2026", "Ñandú", "über",
	"Crème brûlée", "K'iche'", "a\u0301", "ǅemal", "straße", "Øresund", "São Paulo",
	"x\xffy", "١٢٣", "MX-NLE", "--", "ª", "İstanbul",
}

// fold must be models.Fold exactly: headers, states and keys are compared through it.
func TestFoldIsModelsFold(t *testing.T) {
	for _, s := range foldSeeds {
		t.Run(s, func(t *testing.T) {
			if got, want := fold(s), models.Fold(s); got != want {
				t.Errorf("fold %q, models.Fold %q", got, want)
			}
		})
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range foldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), models.Fold(s); got != want {
			t.Errorf("fold(%q) = %q, models.Fold = %q", s, got, want)
		}
	})
}
