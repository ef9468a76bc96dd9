package models

import "fmt"

// ValidRFC reports whether s is a well-formed RFC (the SAT taxpayer number): 12
// characters for a company (three letters, the founding date YYMMDD, a three-character
// homoclave) or 13 for a person (four letters, the birth date, the homoclave). The
// homoclave's last character is a check digit that is deliberately not verified: about
// 1.5% of RFCs the SAT really issued fail it (DESIGN.md), and turning away a real
// employer is worse than letting a typo through. It returns nil, or an *Error of kind
// ErrInvalid whose message says which part is wrong. s must already be upper case.
func ValidRFC(s string) error {
	if p := rfcProblem(s); p != "" {
		return Errorf(ErrInvalid, "invalid RFC: %s", p)
	}
	return nil
}

// rfcProblem returns what is wrong with s as an RFC, in words that read after the field
// name, or "" when nothing is.
func rfcProblem(s string) string {
	r := []rune(s)
	var letters int
	switch len(r) {
	case 12:
		letters = 3
	case 13:
		letters = 4
	default:
		return fmt.Sprintf("has %d characters; an RFC has 12 (a company) or 13 (a person)", len(r))
	}
	for i := 0; i < letters; i++ {
		// & appears only in company names ("A&C"), never in a person's.
		if !isCapitalLetter(r[i]) && (r[i] != '&' || letters == 4) {
			what := "a capital letter or Ñ"
			if letters == 3 {
				what = "a capital letter, Ñ or &"
			}
			return fmt.Sprintf("character %d (%q) should be %s: an RFC of %d characters starts with %d letters from the name", i+1, r[i], what, len(r), letters)
		}
	}
	date := r[letters : letters+6]
	for _, c := range date {
		if !isDigit(c) {
			return fmt.Sprintf("characters %d to %d should be a date as six digits, YYMMDD", letters+1, letters+6)
		}
	}
	// The RFC does not say the century. Reading the year as 20YY accepts every date that
	// is real in either century: they differ only on 29 February of a year ending in 00,
	// which 2000 has and 1900 has not.
	year := 2000 + int(date[0]-'0')*10 + int(date[1]-'0')
	month := int(date[2]-'0')*10 + int(date[3]-'0')
	day := int(date[4]-'0')*10 + int(date[5]-'0')
	if _, ok := realDate(year, month, day); !ok {
		return fmt.Sprintf("the date %s (characters %d to %d) is not a real date", string(date), letters+1, letters+6)
	}
	for _, c := range r[letters+6:] {
		if !isDigit(c) && (c < 'A' || c > 'Z') {
			return "the last three characters (the homoclave) should be capital letters or digits"
		}
	}
	return ""
}
