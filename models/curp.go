package models

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// curpAlphabet is RENAPO's order of characters for the CURP check digit. Ñ sits between
// N and O, so O..Z are worth one more than in plain base 36, and base 36 would give the
// wrong check digit for most CURPs with a letter after N in their first 17 characters.
const curpAlphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"

// curpStates holds the two-letter state codes a CURP uses: those of States, and NE
// ("nacido en el extranjero") for people born abroad, which most migrants are.
var curpStates = func() map[string]bool {
	m := make(map[string]bool, len(States)+1)
	for _, s := range States {
		m[s.CURPCode] = true
	}
	m["NE"] = true
	return m
}()

// ValidCURP reports whether s is a well-formed CURP: 18 characters laid out as RENAPO
// issues them (four letters from the names, the birth date YYMMDD, the sex H, M or X,
// the state of birth or NE, three consonants from the names, a differentiator and a check
// digit that matches). It returns nil, or an *Error of kind ErrInvalid whose message says
// in plain words which part is wrong. s must already be upper case: callers normalise,
// so that what is checked is exactly what is stored.
func ValidCURP(s string) error {
	if p := curpProblem(s); p != "" {
		return Errorf(ErrInvalid, "invalid CURP: %s", p)
	}
	return nil
}

// curpProblem returns what is wrong with s as a CURP, in words that also read after the
// field name ("curp: check digit should be 7, ..."), or "" when nothing is.
func curpProblem(s string) string {
	r := []rune(s)
	if len(r) != 18 {
		return fmt.Sprintf("has %d characters; a CURP has 18", len(r))
	}
	for i := 0; i < 4; i++ {
		if !isCapitalLetter(r[i]) {
			return fmt.Sprintf("character %d (%q) should be a capital letter: the first four characters come from the surnames and the given name", i+1, r[i])
		}
	}
	for i := 4; i < 10; i++ {
		if !isDigit(r[i]) {
			return "characters 5 to 10 should be the birth date as six digits, YYMMDD"
		}
	}
	if !strings.ContainsRune("HMX", r[10]) {
		return fmt.Sprintf("character 11 (%q) should be the sex: H, M or X", r[10])
	}
	if !curpStates[string(r[11:13])] {
		return fmt.Sprintf("characters 12 and 13 (%q) should be a state of birth such as CS (Chiapas), or NE for people born abroad", string(r[11:13]))
	}
	for i := 13; i < 16; i++ {
		if !isCURPConsonant(r[i]) {
			return fmt.Sprintf("character %d (%q) should be a consonant: characters 14 to 16 are the first inner consonants of the surnames and the given name", i+1, r[i])
		}
	}
	if !isDigit(r[16]) && !isCapitalLetter(r[16]) {
		return fmt.Sprintf("character 17 (%q) should be a digit for people born before 2000 or a letter for people born from 2000", r[16])
	}
	if _, ok := curpBirthDate(r); !ok {
		return fmt.Sprintf("the birth date %s (characters 5 to 10) is not a real date", string(r[4:10]))
	}
	want := curpCheckDigit(r[:17])
	if r[17] != want {
		return fmt.Sprintf("check digit should be %c, not %q: the last character does not match the first 17", want, r[17])
	}
	return ""
}

// curpCheckDigit computes RENAPO's check digit over the first 17 characters: each
// character's value in curpAlphabet times its weight (18 for the first, down to 2 for the
// 17th), summed; the digit is what brings the sum up to a multiple of ten.
func curpCheckDigit(first17 []rune) rune {
	// Index runes, not bytes: Ñ takes two bytes in UTF-8, and a byte index would make
	// every character after it worth one too many.
	alphabet := []rune(curpAlphabet)
	sum := 0
	for i, c := range first17 {
		sum += slices.Index(alphabet, c) * (18 - i)
	}
	return rune('0' + (10-sum%10)%10)
}

// curpBirthDate reads the birth date of a CURP whose layout has been checked. The
// differentiator (character 17) tells the century: a digit for births before 2000, a
// letter from 2000 on. The century matters for 29 February of a year ending in 00.
func curpBirthDate(r []rune) (Date, bool) {
	year := 1900
	if isCapitalLetter(r[16]) {
		year = 2000
	}
	year += int(r[4]-'0')*10 + int(r[5]-'0')
	month := int(r[6]-'0')*10 + int(r[7]-'0')
	day := int(r[8]-'0')*10 + int(r[9]-'0')
	return realDate(year, month, day)
}

// realDate returns the date when year, month and day name a day of the calendar;
// time.Date would silently turn 30 February into 2 March.
func realDate(year, month, day int) (Date, bool) {
	if month < 1 || month > 12 || day < 1 {
		return Date{}, false
	}
	d := NewDate(year, time.Month(month), day)
	if d.Time().Day() != day {
		return Date{}, false
	}
	return d, true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isCapitalLetter accepts A–Z and Ñ: RENAPO writes Ñ as X in CURPs, but Ñ is in the
// check-digit alphabet and older records carry it.
func isCapitalLetter(r rune) bool { return (r >= 'A' && r <= 'Z') || r == 'Ñ' }

// isCURPConsonant accepts the letters RENAPO uses for the inner consonants: any capital
// letter but a vowel, with X standing in when a name has no inner consonant.
func isCURPConsonant(r rune) bool {
	return isCapitalLetter(r) && !strings.ContainsRune("AEIOU", r)
}
