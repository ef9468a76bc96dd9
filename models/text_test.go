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
