package api

import (
	"errors"

	"github.com/vincula/vincula/models"
)

// errNotReferable is what an employer learns when a person cannot be referred to its
// vacancy for a reason that is theirs to keep: their immigration document, asylum
// claim or age. Staff get the full reasons.
var errNotReferable = errors.New("not referable")

// employerNotFound is the answer an employer gets for a person it may not see: the
// same as reading a person that does not exist (GET /candidates/{id}).
func employerNotFound(id string) error {
	return models.Errorf(models.ErrNotFound, "candidate %s not found", id)
}

// forEmployer hides from an employer why a person may not be referred: an
// eligibility refusal becomes the generic problem.
func forEmployer(u models.User, err error) error {
	if u.Role != models.RoleEmployer || !errors.Is(err, models.ErrNotEligible) {
		return err
	}
	return &models.Error{Kind: errNotReferable, Message: "this person cannot be referred to this vacancy"}
}
