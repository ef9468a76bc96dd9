package models

import (
	"testing"

	"golang.org/x/text/language"
)

func TestValidLanguageCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		// ISO 639-1.
		{"es", true}, {"en", true}, {"fr", true}, {"ht", true}, {"pt", true}, {"ar", true},
		{"zu", true}, {"aa", true},
		// Three-letter forms of languages with a two-letter code, both ISO 639-2 forms.
		{"spa", true}, {"eng", true}, {"fra", true}, {"fre", true}, {"por", true},
		{"ara", true}, {"hat", true}, {"deu", true}, {"ger", true}, {"zho", true}, {"chi", true},
		// Languages of Mexico and Guatemala named in the issue.
		{"quc", true}, {"mam", true}, {"kek", true}, {"cak", true}, {"tzo", true},
		{"tzh", true}, {"nah", true}, {"yua", true}, {"zap", true}, {"mix", true},
		{"oto", true}, {"maz", true}, {"toj", true}, {"chj", true}, {"cab", true},
		// A few more of the curated list.
		{"ctu", true}, {"tsz", true}, {"kjb", true}, {"mfs", true}, {"cmn", true},
		// Not codes, or not in the form stored.
		{"", false}, {"e", false}, {"ES", false}, {"Quc", false}, {"es-MX", false},
		{" es", false}, {"español", false}, {"xx", false}, {"zz", false},
		// Real ISO 639-3 codes left out of the curated list: a typo for "spa" must not
		// pass as Sanapaná.
		{"spn", false}, {"qux", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ValidLanguageCode(tt.code); got != tt.want {
				t.Errorf("ValidLanguageCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestCanonicalLanguageCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"es", "es"},
		{"spa", "es"},
		{"SPA", "es"},
		{" Spa ", "es"},
		{"es-MX", "es"},
		{"pt_BR", "pt"},
		{"fre", "fr"},
		{"fra", "fr"},
		{"hat", "ht"},
		{"quc", "quc"},
		{"QUC", "quc"},
		{"mam", "mam"},
		{"xyz", "xyz"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := CanonicalLanguageCode(tt.in); got != tt.want {
				t.Errorf("CanonicalLanguageCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLanguageTablesAgreeWithXText checks the hand-written tables against the IANA
// language subtag data shipped in golang.org/x/text, an independent source: every
// two-letter code is a real language whose ISO 639-2 code maps back to it, and every
// curated three-letter code is a real language code.
func TestLanguageTablesAgreeWithXText(t *testing.T) {
	if got := len(iso6391); got != 184 {
		t.Errorf("%d ISO 639-1 codes, want the 184 ISO assigns", got)
	}
	for code := range iso6391 {
		b, err := language.ParseBase(code)
		if err != nil {
			t.Errorf("x/text does not know ISO 639-1 code %q: %v", code, err)
			continue
		}
		three := b.ISO3()
		if got := CanonicalLanguageCode(three); got != code {
			t.Errorf("CanonicalLanguageCode(%q) = %q, want %q", three, got, code)
		}
	}
	for code := range regionalLanguages {
		if _, err := language.ParseBase(code); err != nil {
			t.Errorf("x/text does not know the curated code %q: %v", code, err)
		}
		if _, dup := iso6392To1[code]; dup {
			t.Errorf("curated code %q also has a two-letter code; it belongs in iso6392To1", code)
		}
	}
}

func TestValidLanguageLevel(t *testing.T) {
	tests := []struct {
		level string
		want  bool
	}{
		{"A1", true}, {"A2", true}, {"B1", true}, {"B2", true}, {"C1", true}, {"C2", true},
		{"native", true},
		{"", false}, {"a1", false}, {"Native", false}, {"NATIVE", false}, {"C3", false},
		{"A0", false}, {"fluent", false}, {"B 1", false},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			if got := ValidLanguageLevel(tt.level); got != tt.want {
				t.Errorf("ValidLanguageLevel(%q) = %v, want %v", tt.level, got, tt.want)
			}
		})
	}
}

func TestLanguageLevelRank(t *testing.T) {
	tests := []struct {
		level string
		want  int
	}{
		{"A1", 1}, {"A2", 2}, {"B1", 3}, {"B2", 4}, {"C1", 5}, {"C2", 6}, {"native", 7},
		{"", 0}, {"a1", 0}, {"fluent", 0},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			if got := LanguageLevelRank(tt.level); got != tt.want {
				t.Errorf("LanguageLevelRank(%q) = %d, want %d", tt.level, got, tt.want)
			}
		})
	}
}
