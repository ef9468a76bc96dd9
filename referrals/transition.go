package referrals

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

// Actor is the user asking for a transition, with the scope their role is tied to.
type Actor struct {
	Role         models.Role
	UserID       string
	CounsellorID string
	OfficeID     string
	EmployerID   string
}

// Subject is the referral to move and the employer that owns its vacancy, which decides
// whether an employer actor may touch it.
type Subject struct {
	Referral          models.Referral
	VacancyEmployerID string
}

// movers returns the roles that may move a referral from one state to another, or nil
// when the move is not an edge of the state machine:
//
//	pending → contacted → sent_to_employer → interviewing → hired | not_hired
//	sent_to_employer → not_hired (the employer declines without an interview)
//	any open state → withdrawn
//
// Counsellors carry the referral to the employer and withdraw it; the employer reports
// what happened once it has the candidate. An admin may make every move, counsellor's
// and employer's alike: an admin is the way out when an employer reports an outcome by
// phone instead of through the API, and the event still records who made the move.
func movers(from, to models.ReferralStatus) []models.Role {
	counsellor := []models.Role{models.RoleCounsellor, models.RoleAdmin}
	employer := []models.Role{models.RoleEmployer, models.RoleAdmin}
	switch {
	case from == models.ReferralPending && to == models.ReferralContacted,
		from == models.ReferralContacted && to == models.ReferralSentToEmployer:
		return counsellor
	case from == models.ReferralSentToEmployer && (to == models.ReferralInterviewing || to == models.ReferralNotHired),
		from == models.ReferralInterviewing && (to == models.ReferralHired || to == models.ReferralNotHired):
		return employer
	case to == models.ReferralWithdrawn && known(from) && from.Open():
		return counsellor
	}
	return nil
}

func known(s models.ReferralStatus) bool {
	return slices.Contains(models.ReferralStatuses, s)
}

// Allowed reports whether a user of the given role may move a referral from one state
// to another, ignoring which referral it is (Transition also checks ownership).
func Allowed(from, to models.ReferralStatus, role models.Role) bool {
	return slices.Contains(movers(from, to), role)
}

// AllowedTargets lists, in models.ReferralStatuses order, the states a user of the given
// role may move a referral to from the given state. The slice is never nil, so that it
// encodes as [] in JSON.
func AllowedTargets(from models.ReferralStatus, role models.Role) []models.ReferralStatus {
	out := []models.ReferralStatus{}
	for _, to := range models.ReferralStatuses {
		if Allowed(from, to, role) {
			out = append(out, to)
		}
	}
	return out
}

// mayTransition reports whether the role makes any move at all, so that a migrant
// asking for one is refused outright rather than told which states exist.
func mayTransition(role models.Role) bool {
	for _, from := range models.ReferralStatuses {
		if len(AllowedTargets(from, role)) > 0 {
			return true
		}
	}
	return false
}

// Transition checks that actor may move the referral of s to the state to, and returns
// the event to record. The caller stores the event, sets the referral's status and, for
// a hire, re-checks eligibility and fills a position.
//
// Checks, in order, each with its error kind:
//   - to is a referral state, else ErrInvalid on field "to";
//   - the actor is identified (UserID), else ErrUnauthorized, since every move records who;
//   - the role makes referral moves at all, else ErrForbidden;
//   - the actor may touch this referral: an employer only for its own vacancy, a
//     counsellor only for a referral of its office or assigned to it, else ErrForbidden
//     (checked before the state so that outsiders do not learn it);
//   - the move is an edge from the current state, else ErrConflict naming the states
//     this role may move it to (also in Details["allowed"]);
//   - the role may make that move, else ErrForbidden;
//   - a note, the reason, is given for withdrawn and not_hired, else ErrInvalid on
//     field "note".
func Transition(s Subject, actor Actor, to models.ReferralStatus, note string, now time.Time) (models.ReferralEvent, error) {
	from := s.Referral.Status
	if !known(to) {
		return models.ReferralEvent{}, invalid("to", "must be one of %s", joinStatuses(models.ReferralStatuses))
	}
	if actor.UserID == "" {
		return models.ReferralEvent{}, models.Errorf(models.ErrUnauthorized, "a referral can only be moved by an identified user")
	}
	if !mayTransition(actor.Role) {
		return models.ReferralEvent{}, models.Errorf(models.ErrForbidden, "role %q may not change the status of a referral", actor.Role)
	}
	if err := checkOwnership(s, actor); err != nil {
		return models.ReferralEvent{}, err
	}
	roles := movers(from, to)
	if len(roles) == 0 {
		allowed := AllowedTargets(from, actor.Role)
		list := "none"
		if len(allowed) > 0 {
			list = joinStatuses(allowed)
		}
		return models.ReferralEvent{}, &models.Error{
			Kind:    models.ErrConflict,
			Message: fmt.Sprintf("cannot move a referral from %q to %q; allowed: %s", from, to, list),
			Details: map[string]any{"allowed": allowed},
		}
	}
	if !slices.Contains(roles, actor.Role) {
		return models.ReferralEvent{}, models.Errorf(models.ErrForbidden,
			"role %q may not move a referral from %q to %q; only %s may", actor.Role, from, to, whoMay(roles))
	}
	note = strings.TrimSpace(note)
	if note == "" {
		switch to {
		case models.ReferralWithdrawn:
			return models.ReferralEvent{}, invalid("note", "is required when a referral is withdrawn: say why")
		case models.ReferralNotHired:
			return models.ReferralEvent{}, invalid("note", "is required when a candidate is not hired: say why")
		}
	}
	return models.ReferralEvent{From: from, To: to, By: actor.UserID, At: now, Note: note}, nil
}

// checkOwnership keeps employers and counsellors to their own referrals; admins see all.
func checkOwnership(s Subject, actor Actor) error {
	switch actor.Role {
	case models.RoleEmployer:
		if actor.EmployerID == "" || actor.EmployerID != s.VacancyEmployerID {
			return models.Errorf(models.ErrForbidden, "this referral is for another employer's vacancy")
		}
	case models.RoleCounsellor:
		ofOffice := actor.OfficeID != "" && actor.OfficeID == s.Referral.OfficeID
		assigned := actor.CounsellorID != "" && actor.CounsellorID == s.Referral.CounsellorID
		if !ofOffice && !assigned {
			return models.Errorf(models.ErrForbidden, "this referral belongs to another office and is not assigned to you")
		}
	}
	return nil
}

func whoMay(roles []models.Role) string {
	var names []string
	for _, r := range roles {
		switch r {
		case models.RoleEmployer:
			names = append(names, "the vacancy's employer")
		case models.RoleCounsellor:
			names = append(names, "a counsellor")
		case models.RoleAdmin:
			names = append(names, "an admin")
		default:
			names = append(names, string(r))
		}
	}
	return strings.Join(names, " or ")
}

func joinStatuses(ss []models.ReferralStatus) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

func invalid(field, format string, args ...any) error {
	var fe models.FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}
