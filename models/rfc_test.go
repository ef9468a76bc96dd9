package models

import (
	"errors"
	"testing"
)

func TestValidRFCAccepts(t *testing.T) {
	tests := []struct {
		name string
		rfc  string
	}{
		{"person", "GODE561231GR8"},
		// The same person with a check digit the SAT's formula rejects (GR8 is the one it
		// gives). Such RFCs exist in real life, so they are accepted (DESIGN.md).
		{"person, check digit off", "GODE561231GR9"},
		{"person with Ñ", "MUÑA790101KL2"},
		{"company", "ABC010203XY1"},
		{"company with &, founded 29 February 2000", "A&C000229H15"},
		{"company with Ñ", "MUÑ991231AB0"},
		{"the SAT's generic RFC for foreigners", "XEXX010101000"},
		{"homoclave all digits", "GOMA850312123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidRFC(tt.rfc); err != nil {
				t.Errorf("ValidRFC(%q) = %v, want nil", tt.rfc, err)
			}
		})
	}
}

func TestValidRFCRejects(t *testing.T) {
	tests := []struct {
		name string
		rfc  string
		want string
	}{
		{"empty", "", "invalid RFC: has 0 characters; an RFC has 12 (a company) or 13 (a person)"},
		{"11 characters", "ABC010203XY", "invalid RFC: has 11 characters; an RFC has 12 (a company) or 13 (a person)"},
		{"with hyphens, before Normalize", "ABC-010203-XY1", "invalid RFC: has 14 characters; an RFC has 12 (a company) or 13 (a person)"},
		{"lower case", "abc010203XY1",
			`invalid RFC: character 1 ('a') should be a capital letter, Ñ or &: an RFC of 12 characters starts with 3 letters from the name`},
		{"digit in a company's letters", "AB1010203XY1",
			`invalid RFC: character 3 ('1') should be a capital letter, Ñ or &: an RFC of 12 characters starts with 3 letters from the name`},
		{"& in a person's letters", "G&DE561231GR8",
			`invalid RFC: character 2 ('&') should be a capital letter or Ñ: an RFC of 13 characters starts with 4 letters from the name`},
		{"letter in a company's date", "ABC01O203XY1",
			"invalid RFC: characters 4 to 9 should be a date as six digits, YYMMDD"},
		{"letter in a person's date", "GODE5612E1GR8",
			"invalid RFC: characters 5 to 10 should be a date as six digits, YYMMDD"},
		{"month 13", "ABC011301XY1", "invalid RFC: the date 011301 (characters 4 to 9) is not a real date"},
		{"29 February 2001", "A&C010229H15", "invalid RFC: the date 010229 (characters 4 to 9) is not a real date"},
		{"31 June", "GODE560631GR8", "invalid RFC: the date 560631 (characters 5 to 10) is not a real date"},
		{"symbol in the homoclave", "ABC010203XY-", "invalid RFC: the last three characters (the homoclave) should be capital letters or digits"},
		{"lower case homoclave", "ABC010203xy1", "invalid RFC: the last three characters (the homoclave) should be capital letters or digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidRFC(tt.rfc)
			if err == nil {
				t.Fatalf("ValidRFC(%q) = nil, want %q", tt.rfc, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ValidRFC(%q) =\n  %q\nwant\n  %q", tt.rfc, err.Error(), tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ValidRFC(%q) is not ErrInvalid", tt.rfc)
			}
		})
	}
}
