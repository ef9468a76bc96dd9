package matching

import "github.com/vincula/vincula/models"

// WorkDocument is what a database query needs to know of a rule that allows work: the
// document type, what must be on file for it, and whether it ends on its expiry date.
// The programme's dashboard counts eligible people with it in SQL, so the rules
// stay data there too.
type WorkDocument struct {
	Type models.DocumentType
	// Requires lists the conditions of the rule: "work_permission", "curp",
	// "named_employer", "filing_state", "issued_on", "expires_on".
	Requires []string
	// UntilExpiry is true when the document allows work only until its expires_on.
	UntilExpiry bool
	// MaxDays caps the validity from issued_on (0: no cap).
	MaxDays int
}

// WorkDocuments returns the rules that allow work, in document-type order.
func (r *Rules) WorkDocuments() []WorkDocument {
	var out []WorkDocument
	for _, t := range models.DocumentTypes {
		ru, ok := r.byType[t]
		if !ok || !ru.mayWork {
			continue
		}
		out = append(out, WorkDocument{Type: t, Requires: append([]string(nil), ru.requires...),
			UntilExpiry: ru.until == untilExpiresOn, MaxDays: ru.maxDays})
	}
	return out
}

// MinimumAge is the age under which nobody may work.
func (r *Rules) MinimumAge() int { return r.age.minimum }
