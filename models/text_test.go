package models

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Albañil":             "albanil",
		"  Nuevo  León ":      "nuevo leon",
		"SALARIO MÍNIMO":      "salario minimo",
		"maçon":               "macon",
		"Bòs mason":           "bos mason",
		"soldadura (MIG/TIG)": "soldadura mig tig",
		"":                    "",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldTableAgreesWithUnicode checks the fast path against the full Unicode path on
// random strings of the characters it covers and of some it does not.
func TestFoldTableAgreesWithUnicode(t *testing.T) {
	alphabet := []rune("aAzZ09 .,;-_/()ñÑáÁéÉíÍóÓúÚüÜçÇàèìòùâêîôûëïÿœŒæßğşł\u00a0\t\n")
	alphabet = append(alphabet, 'ʃ', 'ɐ', '\u0301', 'Ω', 'д', '中', '\u2019')
	rng := uint64(42)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int((rng >> 33) % uint64(n))
	}
	for i := 0; i < 20000; i++ {
		r := make([]rune, next(12))
		for j := range r {
			r[j] = alphabet[next(len(alphabet))]
		}
		s := string(r)
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Fatalf("Fold(%q) = %q, the Unicode path gives %q", s, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Fold("Operador(a) de montacargas con experiencia en Soldadura MIG, Nuevo León")
	}
}
