package models

import (
	"errors"
	"testing"
)

// The valid CURPs below are made up for people who do not exist, built by RENAPO's rules,
// with their check digits worked out by hand.
//
// GOMA850312HCSMRN02 is Andrés Gómez Martínez, a man born on 12 March 1985 in Chiapas:
// G (Gómez), O (its first inner vowel), M (Martínez), A (Andrés); 850312; H (hombre);
// CS (Chiapas); M, R, N (the first inner consonants of Gómez, Martínez and Andrés);
// 0 (a digit: born before 2000); and the check digit.
//
// The check digit: each of the first 17 characters is worth its position in
// "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ" (0–9 for digits, A=10 … N=23, Ñ=24, O=25 …
// Z=36), multiplied by a weight that runs from 18 down to 2:
//
//	G 16×18=288   O 25×17=425   M 22×16=352   A 10×15=150
//	8  8×14=112   5  5×13= 65   0  0×12=  0   3  3×11= 33   1  1×10= 10   2  2×9= 18
//	H 17× 8=136   C 12× 7= 84   S 29× 6=174
//	M 22× 5=110   R 28× 4=112   N 23× 3= 69   0  0× 2=  0
//
// The sum is 1215 (letters) + 238 (date) + 394 (sex and state) + 291 (the rest) = 2138;
// 2138 mod 10 = 8, and (10 − 8) mod 10 = 2, which is the 18th character.
func TestValidCURPAccepts(t *testing.T) {
	tests := []struct {
		name string
		curp string
	}{
		{"man born 1985 in Chiapas (worked above)", "GOMA850312HCSMRN02"},
		// María Pérez López, born 25 July 2001 in Nuevo León: the letter A as differentiator
		// marks a birth from 2000. Sum 468+238+336+330+0+13+0+77+20+45+176+161+126+140+
		// 104+84+20 = 2338, so the check digit is 2.
		{"woman born 2001 in Nuevo León", "PELM010725MNLRPRA2"},
		// Jean Pierre, born abroad (NE) on 29 February 1992, a leap day. He has one
		// surname, so X stands for the second surname and for its consonant. Sum 2604 → 6.
		{"born abroad on a leap day", "PIXJ920229HNERXN06"},
		// Born on 29 February 2000, a real day only because the letter A puts the year
		// in 2000 rather than 1900. Sum 2472 → 8.
		{"born on 29 February 2000", "PIXJ000229HNERXNA8"},
		// The CURP python-stdnum documents as valid. Sum 2551 → 9.
		{"python-stdnum's example", "BOXW310820HNERXN09"},
		// Marta Ramírez Vela, Mexico City (DF), sex X. X is worth 34: 34×8 = 272.
		// Sum 2583 → 7.
		{"sex X, born in Mexico City", "RAVM780814XDFMLR07"},
		// Ñ is worth 24 and every later letter one more than in base 36: Ñ×18 = 432 and
		// Ñ×5 = 120. Sum 2493 → 7. Ñ is two bytes in UTF-8, so this also shows the
		// length is counted in characters.
		{"with Ñ", "ÑUXA800101HOCÑXN07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidCURP(tt.curp); err != nil {
				t.Errorf("ValidCURP(%q) = %v, want nil", tt.curp, err)
			}
		})
	}
}

func TestValidCURPRejects(t *testing.T) {
	tests := []struct {
		name string
		curp string
		want string
	}{
		{"empty", "", "invalid CURP: has 0 characters; a CURP has 18"},
		{"one short", "GOMA850312HCSMRN0", "invalid CURP: has 17 characters; a CURP has 18"},
		{"one long", "GOMA850312HCSMRN022", "invalid CURP: has 19 characters; a CURP has 18"},
		{"lower case is not normalised here", "goma850312hcsmrn02",
			`invalid CURP: character 1 ('g') should be a capital letter: the first four characters come from the surnames and the given name`},
		{"digit among the name letters", "G0MA850312HCSMRN02",
			`invalid CURP: character 2 ('0') should be a capital letter: the first four characters come from the surnames and the given name`},
		{"letter in the date", "GOMA85O312HCSMRN02",
			"invalid CURP: characters 5 to 10 should be the birth date as six digits, YYMMDD"},
		{"sex F is not a CURP sex", "GOMA850312FCSMRN02",
			`invalid CURP: character 11 ('F') should be the sex: H, M or X`},
		{"MX is not a CURP state code", "GOMA850312HMXMRN02",
			`invalid CURP: characters 12 and 13 ("MX") should be a state of birth such as CS (Chiapas), or NE for people born abroad`},
		{"vowel where a consonant goes", "GOMA850312HCSARN02",
			`invalid CURP: character 14 ('A') should be a consonant: characters 14 to 16 are the first inner consonants of the surnames and the given name`},
		{"digit where a consonant goes", "GOMA850312HCSM4N02",
			`invalid CURP: character 15 ('4') should be a consonant: characters 14 to 16 are the first inner consonants of the surnames and the given name`},
		{"differentiator neither digit nor letter", "GOMA850312HCSMRN-2",
			`invalid CURP: character 17 ('-') should be a digit for people born before 2000 or a letter for people born from 2000`},
		{"month 13", "GOMA851312HCSMRN00",
			"invalid CURP: the birth date 851312 (characters 5 to 10) is not a real date"},
		{"31 April", "GOMA850431HCSMRN02",
			"invalid CURP: the birth date 850431 (characters 5 to 10) is not a real date"},
		{"day 00", "GOMA850300HCSMRN02",
			"invalid CURP: the birth date 850300 (characters 5 to 10) is not a real date"},
		// 1900 was not a leap year; the digit 0 says the person was born in the 1900s.
		{"29 February 1900", "PIXJ000229HNERXN08",
			"invalid CURP: the birth date 000229 (characters 5 to 10) is not a real date"},
		{"29 February 2001", "PIXJ010229HNERXNA5",
			"invalid CURP: the birth date 010229 (characters 5 to 10) is not a real date"},
		{"wrong check digit", "GOMA850312HCSMRN07",
			`invalid CURP: check digit should be 2, not '7': the last character does not match the first 17`},
		{"check digit a letter", "GOMA850312HCSMRN0A",
			`invalid CURP: check digit should be 2, not 'A': the last character does not match the first 17`},
		// One typo in the name letters changes the sum: R (28×18) instead of G (16×18)
		// adds 216, so the check digit moves from 2 to 6.
		{"typo caught by the check digit", "ROMA850312HCSMRN02",
			`invalid CURP: check digit should be 6, not '2': the last character does not match the first 17`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidCURP(tt.curp)
			if err == nil {
				t.Fatalf("ValidCURP(%q) = nil, want %q", tt.curp, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ValidCURP(%q) =\n  %q\nwant\n  %q", tt.curp, err.Error(), tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ValidCURP(%q) is not ErrInvalid", tt.curp)
			}
		})
	}
}

func TestCURPBirthDate(t *testing.T) {
	tests := []struct {
		curp string
		want string
	}{
		{"GOMA850312HCSMRN02", "1985-03-12"},
		{"PELM010725MNLRPRA2", "2001-07-25"},
		{"PIXJ000229HNERXNA8", "2000-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.curp, func(t *testing.T) {
			got, ok := curpBirthDate([]rune(tt.curp))
			if !ok || got.String() != tt.want {
				t.Errorf("curpBirthDate(%q) = %v, %v; want %s", tt.curp, got, ok, tt.want)
			}
		})
	}
}

func TestCompleteCURP(t *testing.T) {
	// The expected CURPs are the hand-checked valid examples above.
	for _, want := range []string{"GOMA850312HCSMRN02", "PELM010725MNLRPRA2", "BOXW310820HNERXN09"} {
		if got := CompleteCURP(want[:17]); got != want {
			t.Errorf("CompleteCURP(%q) = %q, want %q", want[:17], got, want)
		}
	}
}
