package referrals

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

const (
	pending      = models.ReferralPending
	contacted    = models.ReferralContacted
	sent         = models.ReferralSentToEmployer
	interviewing = models.ReferralInterviewing
	hired        = models.ReferralHired
	notHired     = models.ReferralNotHired
	withdrawn    = models.ReferralWithdrawn

	counsellor = models.RoleCounsellor
	admin      = models.RoleAdmin
	employer   = models.RoleEmployer
)

// allowedMoves is the state machine of DESIGN.md written out by hand: every move and the
// roles that may make it. Anything not listed is refused.
var allowedMoves = map[string][]models.Role{
	"pending>contacted":             {counsellor, admin},
	"contacted>sent_to_employer":    {counsellor, admin},
	"sent_to_employer>interviewing": {employer, admin},
	"sent_to_employer>not_hired":    {employer, admin},
	"interviewing>hired":            {employer, admin},
	"interviewing>not_hired":        {employer, admin},
	"pending>withdrawn":             {counsellor, admin},
	"contacted>withdrawn":           {counsellor, admin},
	"sent_to_employer>withdrawn":    {counsellor, admin},
	"interviewing>withdrawn":        {counsellor, admin},
}

// rolesWithMoves are the roles that make at least one move; the others are refused
// before the state is looked at.
var rolesWithMoves = []models.Role{counsellor, admin, employer}

// ownActor returns an actor of the role who owns the subject built by subjectIn.
func ownActor(role models.Role) Actor {
	return Actor{Role: role, UserID: "u-" + string(role), CounsellorID: "c-1", OfficeID: "off-2", EmployerID: "emp-1"}
}

func subjectIn(status models.ReferralStatus) Subject {
	return Subject{
		Referral: models.Referral{
			ID: "ref-1", CandidateID: "cand-1", VacancyID: "vac-1", OfficeID: "off-2",
			CounsellorID: "c-1", Status: status,
		},
		VacancyEmployerID: "emp-1",
	}
}

func TestTransitionMatrix(t *testing.T) {
	if got := len(models.ReferralStatuses) * len(models.ReferralStatuses) * len(models.Roles); got != 7*7*6 {
		t.Fatalf("matrix has %d triples, want 294: the states or roles changed", got)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, from := range models.ReferralStatuses {
		for _, to := range models.ReferralStatuses {
			for _, role := range models.Roles {
				key := fmt.Sprintf("%s>%s", from, to)
				roles, edge := allowedMoves[key]
				want := slices.Contains(roles, role)
				t.Run(key+"/"+string(role), func(t *testing.T) {
					if got := Allowed(from, to, role); got != want {
						t.Errorf("Allowed(%s, %s, %s) = %v, want %v", from, to, role, got, want)
					}
					ev, err := Transition(subjectIn(from), ownActor(role), to, "reason given", now)
					switch {
					case want:
						if err != nil {
							t.Fatalf("Transition: %v", err)
						}
						wantEv := models.ReferralEvent{From: from, To: to, By: "u-" + string(role), At: now, Note: "reason given"}
						if ev != wantEv {
							t.Errorf("event = %+v, want %+v", ev, wantEv)
						}
					case !slices.Contains(rolesWithMoves, role):
						if !errors.Is(err, models.ErrForbidden) {
							t.Errorf("Transition error = %v, want forbidden (role makes no moves)", err)
						}
					case edge:
						if !errors.Is(err, models.ErrForbidden) {
							t.Errorf("Transition error = %v, want forbidden (a move of another role)", err)
						}
					default:
						if !errors.Is(err, models.ErrConflict) {
							t.Errorf("Transition error = %v, want conflict (not a move from %s)", err, from)
						}
					}
				})
			}
		}
	}
}

func TestAllowedTargets(t *testing.T) {
	tests := []struct {
		from models.ReferralStatus
		role models.Role
		want []models.ReferralStatus
	}{
		{pending, counsellor, []models.ReferralStatus{contacted, withdrawn}},
		{pending, admin, []models.ReferralStatus{contacted, withdrawn}},
		{pending, employer, []models.ReferralStatus{}},
		{contacted, counsellor, []models.ReferralStatus{sent, withdrawn}},
		{sent, counsellor, []models.ReferralStatus{withdrawn}},
		{sent, employer, []models.ReferralStatus{interviewing, notHired}},
		{sent, admin, []models.ReferralStatus{interviewing, notHired, withdrawn}},
		{interviewing, employer, []models.ReferralStatus{hired, notHired}},
		{interviewing, admin, []models.ReferralStatus{hired, notHired, withdrawn}},
		{hired, admin, []models.ReferralStatus{}},
		{notHired, counsellor, []models.ReferralStatus{}},
		{withdrawn, admin, []models.ReferralStatus{}},
		{pending, models.RoleMigrant, []models.ReferralStatus{}},
		{sent, models.RoleHubStaff, []models.ReferralStatus{}},
		{interviewing, models.RoleOrganiser, []models.ReferralStatus{}},
		{"lost", admin, []models.ReferralStatus{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"/"+string(tt.role), func(t *testing.T) {
			got := AllowedTargets(tt.from, tt.role)
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AllowedTargets(%s, %s) = %#v, want %#v", tt.from, tt.role, got, tt.want)
			}
		})
	}
}

func TestTransitionErrors(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	otherOffice := subjectIn(contacted)
	otherOffice.Referral.OfficeID = "off-1"
	otherOffice.Referral.CounsellorID = "c-9"
	tests := []struct {
		name        string
		subject     Subject
		actor       Actor
		to          models.ReferralStatus
		note        string
		wantKind    error
		wantMsg     string
		wantAllowed []models.ReferralStatus // Details["allowed"] of a conflict
		wantField   string                  // the field of a validation error
	}{
		{
			name: "not a move from pending", subject: subjectIn(pending), actor: ownActor(counsellor), to: hired,
			wantKind:    models.ErrConflict,
			wantMsg:     `cannot move a referral from "pending" to "hired"; allowed: contacted, withdrawn`,
			wantAllowed: []models.ReferralStatus{contacted, withdrawn},
		},
		{
			name: "no move back", subject: subjectIn(sent), actor: ownActor(admin), to: contacted,
			wantKind:    models.ErrConflict,
			wantMsg:     `cannot move a referral from "sent_to_employer" to "contacted"; allowed: interviewing, not_hired, withdrawn`,
			wantAllowed: []models.ReferralStatus{interviewing, notHired, withdrawn},
		},
		{
			name: "closed referral", subject: subjectIn(hired), actor: ownActor(admin), to: withdrawn, note: "moved away",
			wantKind:    models.ErrConflict,
			wantMsg:     `cannot move a referral from "hired" to "withdrawn"; allowed: none`,
			wantAllowed: []models.ReferralStatus{},
		},
		{
			name: "staying put is not a move", subject: subjectIn(interviewing), actor: ownActor(employer), to: interviewing,
			wantKind:    models.ErrConflict,
			wantMsg:     `cannot move a referral from "interviewing" to "interviewing"; allowed: hired, not_hired`,
			wantAllowed: []models.ReferralStatus{hired, notHired},
		},
		{
			name: "employer skips ahead of the counsellor", subject: subjectIn(pending), actor: ownActor(employer), to: interviewing,
			wantKind:    models.ErrConflict,
			wantMsg:     `cannot move a referral from "pending" to "interviewing"; allowed: none`,
			wantAllowed: []models.ReferralStatus{},
		},
		{
			name: "counsellor reports the employer's outcome", subject: subjectIn(interviewing), actor: ownActor(counsellor), to: hired,
			wantKind: models.ErrForbidden,
			wantMsg:  `role "counsellor" may not move a referral from "interviewing" to "hired"; only the vacancy's employer or an admin may`,
		},
		{
			name: "employer withdraws", subject: subjectIn(sent), actor: ownActor(employer), to: withdrawn, note: "position cancelled",
			wantKind: models.ErrForbidden,
			wantMsg:  `role "employer" may not move a referral from "sent_to_employer" to "withdrawn"; only a counsellor or an admin may`,
		},
		{
			name: "employer contacts the candidate", subject: subjectIn(pending), actor: ownActor(employer), to: contacted,
			wantKind: models.ErrForbidden,
			wantMsg:  `role "employer" may not move a referral from "pending" to "contacted"; only a counsellor or an admin may`,
		},
		{
			name: "migrant makes no moves", subject: subjectIn(pending), actor: ownActor(models.RoleMigrant), to: withdrawn, note: "found a job",
			wantKind: models.ErrForbidden,
			wantMsg:  `role "migrant" may not change the status of a referral`,
		},
		{
			name: "hub staff makes no moves, whatever the target", subject: subjectIn(pending), actor: ownActor(models.RoleHubStaff), to: hired,
			wantKind: models.ErrForbidden,
			wantMsg:  `role "hub_staff" may not change the status of a referral`,
		},
		{
			name: "unknown target state", subject: subjectIn(pending), actor: ownActor(counsellor), to: "lost",
			wantKind:  models.ErrInvalid,
			wantMsg:   "validation failed: to must be one of pending, contacted, sent_to_employer, interviewing, hired, not_hired, withdrawn",
			wantField: "to",
		},
		{
			name: "anonymous actor", subject: subjectIn(pending), actor: Actor{Role: admin}, to: contacted,
			wantKind: models.ErrUnauthorized,
			wantMsg:  "a referral can only be moved by an identified user",
		},
		{
			name: "withdrawal without a reason", subject: subjectIn(contacted), actor: ownActor(counsellor), to: withdrawn, note: "  ",
			wantKind:  models.ErrInvalid,
			wantMsg:   "validation failed: note is required when a referral is withdrawn: say why",
			wantField: "note",
		},
		{
			name: "not hired without a reason", subject: subjectIn(interviewing), actor: ownActor(employer), to: notHired,
			wantKind:  models.ErrInvalid,
			wantMsg:   "validation failed: note is required when a candidate is not hired: say why",
			wantField: "note",
		},
		{
			name: "declined without interview, without a reason", subject: subjectIn(sent), actor: ownActor(employer), to: notHired,
			wantKind:  models.ErrInvalid,
			wantMsg:   "validation failed: note is required when a candidate is not hired: say why",
			wantField: "note",
		},
		// Ownership.
		{
			name: "employer of another vacancy", subject: subjectIn(sent),
			actor: Actor{Role: employer, UserID: "u-e2", EmployerID: "emp-2"}, to: interviewing,
			wantKind: models.ErrForbidden,
			wantMsg:  "this referral is for another employer's vacancy",
		},
		{
			name: "employer of another vacancy learns nothing of the state", subject: subjectIn(pending),
			actor: Actor{Role: employer, UserID: "u-e2", EmployerID: "emp-2"}, to: hired,
			wantKind: models.ErrForbidden,
			wantMsg:  "this referral is for another employer's vacancy",
		},
		{
			name: "employer user without an employer", subject: Subject{Referral: subjectIn(sent).Referral},
			actor: Actor{Role: employer, UserID: "u-e0"}, to: interviewing,
			wantKind: models.ErrForbidden,
			wantMsg:  "this referral is for another employer's vacancy",
		},
		{
			name: "counsellor of another office, not assigned", subject: otherOffice,
			actor: ownActor(counsellor), to: sent,
			wantKind: models.ErrForbidden,
			wantMsg:  "this referral belongs to another office and is not assigned to you",
		},
		{
			name: "counsellor without office or counsellor record", subject: Subject{Referral: models.Referral{Status: pending}},
			actor: Actor{Role: counsellor, UserID: "u-c0"}, to: contacted,
			wantKind: models.ErrForbidden,
			wantMsg:  "this referral belongs to another office and is not assigned to you",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Transition(tt.subject, tt.actor, tt.to, tt.note, now)
			if !errors.Is(err, tt.wantKind) {
				t.Fatalf("Transition error = %v, want kind %v", err, tt.wantKind)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("Transition error =\n  %q\nwant\n  %q", err.Error(), tt.wantMsg)
			}
			e, ok := models.AsError(err)
			if !ok {
				t.Fatalf("Transition error %v is not a *models.Error", err)
			}
			if tt.wantAllowed != nil {
				if got := e.Details["allowed"]; !reflect.DeepEqual(got, tt.wantAllowed) {
					t.Errorf("Details[allowed] = %#v, want %#v", got, tt.wantAllowed)
				}
			}
			if tt.wantField != "" {
				if len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField {
					t.Errorf("Fields = %+v, want one error on %q", e.Fields, tt.wantField)
				}
			}
		})
	}
}

func TestTransitionOwnershipAllowed(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	queued := subjectIn(pending)
	queued.Referral.CounsellorID = ""
	movedAway := subjectIn(contacted)
	movedAway.Referral.OfficeID = "off-1"
	tests := []struct {
		name    string
		subject Subject
		actor   Actor
		to      models.ReferralStatus
	}{
		{"owner employer", subjectIn(sent), Actor{Role: employer, UserID: "u-e1", EmployerID: "emp-1"}, interviewing},
		{"counsellor of the office, not assigned", subjectIn(pending), Actor{Role: counsellor, UserID: "u-c2", CounsellorID: "c-2", OfficeID: "off-2"}, contacted},
		{"counsellor of the office, queued referral", queued, Actor{Role: counsellor, UserID: "u-c2", CounsellorID: "c-2", OfficeID: "off-2"}, contacted},
		{"assigned counsellor of another office", movedAway, Actor{Role: counsellor, UserID: "u-c1", CounsellorID: "c-1", OfficeID: "off-9"}, sent},
		{"admin of no office or employer", subjectIn(interviewing), Actor{Role: admin, UserID: "u-a"}, hired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Transition(tt.subject, tt.actor, tt.to, "", now)
			if err != nil {
				t.Fatalf("Transition: %v", err)
			}
			want := models.ReferralEvent{From: tt.subject.Referral.Status, To: tt.to, By: tt.actor.UserID, At: now}
			if ev != want {
				t.Errorf("event = %+v, want %+v", ev, want)
			}
		})
	}
}

func TestTransitionNoteTrimmed(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev, err := Transition(subjectIn(interviewing), ownActor(employer), notHired, "  no forklift licence \n", now)
	if err != nil {
		t.Fatalf("Transition: %v", err)
	}
	want := models.ReferralEvent{From: interviewing, To: notHired, By: "u-employer", At: now, Note: "no forklift licence"}
	if ev != want {
		t.Errorf("event = %+v, want %+v", ev, want)
	}
}
