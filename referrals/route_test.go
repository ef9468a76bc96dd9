package referrals

import (
	"errors"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var (
	offVilla = models.Office{ID: "off-1", Name: "Villahermosa", State: "MX-TAB", CoverageStates: []string{"MX-TAB", "MX-CHP"}}
	offTap   = models.Office{ID: "off-2", Name: "Tapachula", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	offMer   = models.Office{ID: "off-3", Name: "Mérida", State: "MX-YUC", CoverageStates: []string{"MX-YUC", "MX-CAM"}}
	offCan   = models.Office{ID: "off-4", Name: "Cancún", State: "MX-ROO", CoverageStates: []string{"MX-ROO", "MX-CAM"}}
	offNat   = models.Office{ID: "off-9", Name: "Nacional", State: "MX-CMX", CoverageStates: []string{"MX-CMX"}, National: true}
)

// allOffices is the country of most cases; tapOnly keeps the office part of the reasons
// short where a case is about counsellors.
var (
	allOffices = []models.Office{offVilla, offTap, offMer, offCan, offNat}
	tapOnly    = []models.Office{offTap, offNat}
)

func lang(code, level string) models.LanguageSkill {
	return models.LanguageSkill{Code: code, Level: level}
}

func cand(state string, langs ...models.LanguageSkill) *models.Candidate {
	return &models.Candidate{ID: "cand-1", FullName: "Jean Pierre", CurrentState: state, Languages: langs}
}

func co(id, name, office string, open, capacity int, langs ...string) models.Counsellor {
	return models.Counsellor{ID: id, Name: name, OfficeID: office, OpenReferrals: open, Capacity: capacity, Active: true, Languages: langs}
}

func inactive(c models.Counsellor) models.Counsellor {
	c.Active = false
	return c
}

func lastAt(c models.Counsellor, at time.Time) models.Counsellor {
	c.LastAssignedAt = &at
	return c
}

func TestRoute(t *testing.T) {
	day := 24 * time.Hour
	spanishOnly := []models.LanguageSkill{lang("es", "native")}
	tests := []struct {
		name           string
		offices        []models.Office
		candidate      *models.Candidate
		counsellors    []models.Counsellor
		wantOffice     string
		wantCounsellor string
		wantReason     string
	}{
		{
			name:      "office covering the candidate's state",
			offices:   allOffices,
			candidate: cand("MX-TAB", spanishOnly...),
			counsellors: []models.Counsellor{
				co("v1", "Valeria", "off-1", 2, 10),
				co("t1", "Tomás", "off-2", 0, 10),
			},
			wantOffice: "off-1", wantCounsellor: "v1",
			wantReason: "office Villahermosa covers MX-TAB; counsellor Valeria has the lightest open caseload, 2/10",
		},
		{
			name:      "office based in the state wins over a lower ID",
			offices:   allOffices,
			candidate: cand("MX-CHP", spanishOnly...),
			counsellors: []models.Counsellor{
				co("v1", "Valeria", "off-1", 0, 10),
				co("t1", "Tomás", "off-2", 4, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t1",
			wantReason: "office Tapachula covers MX-CHP and is based there (2 offices cover it); counsellor Tomás has the lightest open caseload, 4/10",
		},
		{
			name:      "several offices cover the state and none is based there: lowest ID",
			offices:   allOffices,
			candidate: cand("MX-CAM", spanishOnly...),
			counsellors: []models.Counsellor{
				co("k1", "Karla", "off-4", 0, 5),
				co("m1", "Marta", "off-3", 1, 5),
			},
			wantOffice: "off-3", wantCounsellor: "m1",
			wantReason: "office Mérida covers MX-CAM (first by ID of the 2 offices that cover it); counsellor Marta has the lightest open caseload, 1/5",
		},
		{
			name:      "state codes compared as people type them",
			offices:   allOffices,
			candidate: cand(" mx-tab ", spanishOnly...),
			counsellors: []models.Counsellor{
				co("v1", "Valeria", "off-1", 2, 10),
			},
			wantOffice: "off-1", wantCounsellor: "v1",
			wantReason: "office Villahermosa covers MX-TAB; counsellor Valeria has the lightest open caseload, 2/10",
		},
		{
			name:      "no office covers the state: national queue",
			offices:   allOffices,
			candidate: cand("MX-NLE", spanishOnly...),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10),
				co("n1", "Nora", "off-9", 7, 20),
			},
			wantOffice: "off-9", wantCounsellor: "n1",
			wantReason: "no office covers MX-NLE, so it goes to the national queue of office Nacional; counsellor Nora has the lightest open caseload, 7/20",
		},
		{
			name:      "candidate without a current state: national queue",
			offices:   allOffices,
			candidate: cand("", spanishOnly...),
			counsellors: []models.Counsellor{
				co("n1", "Nora", "off-9", 7, 20),
			},
			wantOffice: "off-9", wantCounsellor: "n1",
			wantReason: "the candidate has no current state, so it goes to the national queue of office Nacional; counsellor Nora has the lightest open caseload, 7/20",
		},
		{
			name:      "several national offices: lowest ID",
			offices:   []models.Office{offTap, offNat, {ID: "off-8", Name: "Norte", State: "MX-NLE", National: true}},
			candidate: cand("MX-SON", spanishOnly...),
			counsellors: []models.Counsellor{
				co("n1", "Nora", "off-9", 0, 20),
				co("n8", "Nico", "off-8", 5, 20),
			},
			wantOffice: "off-8", wantCounsellor: "n8",
			wantReason: "no office covers MX-SON, so it goes to the national queue of office Norte; counsellor Nico has the lightest open caseload, 5/20",
		},
		{
			name:      "a speaker of the candidate's language wins over a lighter caseload",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("es", "native"), lang("ht", "native")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 1, 10, "es"),
				co("t2", "Ana", "off-2", 3, 10, "es", "ht"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana speaks ht (the candidate's strongest non-Spanish language); open caseload 3/10",
		},
		{
			name:      "strongest language by level, not by order",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("en", "A2"), lang("ht", "native")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10, "es", "en"),
				co("t2", "Ana", "off-2", 3, 10, "ht"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana speaks ht (the candidate's strongest non-Spanish language); open caseload 3/10",
		},
		{
			name:      "equal levels: the language listed first",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("fr", "C1"), lang("ht", "C1")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10, "ht"),
				co("t2", "Ana", "off-2", 3, 10, "fr"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana speaks fr (the candidate's strongest non-Spanish language); open caseload 3/10",
		},
		{
			name:      "an unknown level ranks below A1",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "fluent"), lang("en", "A1")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10, "ht"),
				co("t2", "Ana", "off-2", 2, 10, "en"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana speaks en (the candidate's strongest non-Spanish language); open caseload 2/10",
		},
		{
			name:      "language codes compared regardless of case",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("HT", "native")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10, "es"),
				co("t2", "Ana", "off-2", 1, 10, "Ht"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana speaks ht (the candidate's strongest non-Spanish language); open caseload 1/10",
		},
		{
			name:      "Spanish in any spelling is no preference",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ES", "native"), lang("spa", "native"), lang("es-MX", "C2")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 2, 10, "es"),
				co("t2", "Ana", "off-2", 1, 10, "ht"),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana has the lightest open caseload, 1/10",
		},
		{
			name:      "speakers of the strongest language full: the next language",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "native"), lang("fr", "B2")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 10, "es"),
				co("t2", "Ana", "off-2", 10, 10, "ht"),
				co("t3", "Luc", "off-2", 5, 10, "fr"),
			},
			wantOffice: "off-2", wantCounsellor: "t3",
			wantReason: "office Tapachula covers MX-CHP; counsellor Luc speaks fr (the candidate's non-Spanish language number 2 by level; every counsellor who speaks ht is at capacity); open caseload 5/10",
		},
		{
			name:      "speaker of the language full: any counsellor with room",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "native")),
			counsellors: []models.Counsellor{
				co("t2", "Ana", "off-2", 10, 10, "ht"),
				co("t1", "Tomás", "off-2", 4, 10),
				co("t3", "Luc", "off-2", 2, 10, "fr"),
			},
			wantOffice: "off-2", wantCounsellor: "t3",
			wantReason: "office Tapachula covers MX-CHP; every counsellor who speaks ht is at capacity, so counsellor Luc takes it with the lightest open caseload, 2/10",
		},
		{
			name:      "nobody active speaks the languages: any counsellor with room",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("quc", "native"), lang("ht", "A2")),
			counsellors: []models.Counsellor{
				inactive(co("t2", "Ana", "off-2", 0, 10, "ht")),
				co("t1", "Tomás", "off-2", 4, 10),
				co("t3", "Luc", "off-2", 2, 10, "fr"),
			},
			wantOffice: "off-2", wantCounsellor: "t3",
			wantReason: "office Tapachula covers MX-CHP; no active counsellor of the office speaks quc, no active counsellor of the office speaks ht, so counsellor Luc takes it with the lightest open caseload, 2/10",
		},
		{
			name:      "fewest open referrals before load ratio",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				co("t2", "Ana", "off-2", 4, 20),
				co("t1", "Tomás", "off-2", 3, 4),
			},
			wantOffice: "off-2", wantCounsellor: "t1",
			wantReason: "office Tapachula covers MX-CHP; counsellor Tomás has the lightest open caseload, 3/4",
		},
		{
			name:      "equal open referrals: lower load ratio",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 3, 5),
				co("t2", "Ana", "off-2", 3, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana has the lightest open caseload, 3/10",
		},
		{
			name:      "no capacity, full or over capacity: skipped",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 0, 0),
				co("t2", "Ana", "off-2", 12, 10),
				co("t4", "Rosa", "off-2", 10, 10),
				co("t3", "Luc", "off-2", 9, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t3",
			wantReason: "office Tapachula covers MX-CHP; counsellor Luc has the lightest open caseload, 9/10",
		},
		{
			name:      "tie on caseload: never assigned goes first",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				lastAt(co("t1", "Tomás", "off-2", 2, 10), t0.Add(-day)),
				co("t2", "Ana", "off-2", 2, 10),
				lastAt(co("t3", "Luc", "off-2", 2, 10), t0.Add(-7*day)),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana has the lightest open caseload, 2/10; tied on caseload, chosen as the longest without a new referral",
		},
		{
			name:      "tie on caseload: longest since last assignment",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				lastAt(co("t1", "Tomás", "off-2", 2, 10), t0.Add(-day)),
				lastAt(co("t3", "Luc", "off-2", 2, 10), t0.Add(-7*day)),
				co("t2", "Ana", "off-2", 3, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t3",
			wantReason: "office Tapachula covers MX-CHP; counsellor Luc has the lightest open caseload, 2/10; tied on caseload, chosen as the longest without a new referral",
		},
		{
			name:      "tie on caseload, never assigned: lowest ID",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				co("t3", "Luc", "off-2", 2, 10),
				co("t2", "Ana", "off-2", 2, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana has the lightest open caseload, 2/10; tied on caseload and last assignment, chosen by lowest ID",
		},
		{
			name:      "tie on caseload and last assignment: lowest ID",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				lastAt(co("t3", "Luc", "off-2", 2, 10), t0.Add(-day)),
				lastAt(co("t2", "Ana", "off-2", 2, 10), t0.Add(-day)),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; counsellor Ana has the lightest open caseload, 2/10; tied on caseload and last assignment, chosen by lowest ID",
		},
		{
			name:      "deactivated counsellors ignored, even speakers with room",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "native")),
			counsellors: []models.Counsellor{
				inactive(co("t1", "Tomás", "off-2", 0, 10, "ht")),
				co("t2", "Ana", "off-2", 5, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; no active counsellor of the office speaks ht, so counsellor Ana takes it with the lightest open caseload, 5/10",
		},
		{
			name:      "counsellors of other offices ignored",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "native")),
			counsellors: []models.Counsellor{
				co("v1", "Valeria", "off-1", 0, 10, "ht"),
				co("n1", "Nora", "off-9", 0, 10, "ht"),
				co("t2", "Ana", "off-2", 6, 10),
			},
			wantOffice: "off-2", wantCounsellor: "t2",
			wantReason: "office Tapachula covers MX-CHP; no active counsellor of the office speaks ht, so counsellor Ana takes it with the lightest open caseload, 6/10",
		},
		{
			name:      "every active counsellor full: office queue",
			offices:   tapOnly,
			candidate: cand("MX-CHP", lang("ht", "native")),
			counsellors: []models.Counsellor{
				co("t1", "Tomás", "off-2", 10, 10, "ht"),
				co("t2", "Ana", "off-2", 5, 5),
				inactive(co("t3", "Luc", "off-2", 0, 10)),
				co("n1", "Nora", "off-9", 0, 10),
			},
			wantOffice: "off-2", wantCounsellor: "",
			wantReason: "office Tapachula covers MX-CHP; all 2 active counsellors of the office are at capacity, so the referral waits unassigned in the office queue",
		},
		{
			name:      "no active counsellor: office queue",
			offices:   tapOnly,
			candidate: cand("MX-CHP"),
			counsellors: []models.Counsellor{
				inactive(co("t1", "Tomás", "off-2", 0, 10)),
			},
			wantOffice: "off-2", wantCounsellor: "",
			wantReason: "office Tapachula covers MX-CHP; the office has no active counsellor, so the referral waits unassigned in the office queue",
		},
		{
			name:        "national office without counsellors: national queue",
			offices:     tapOnly,
			candidate:   cand("MX-NLE"),
			counsellors: []models.Counsellor{co("t1", "Tomás", "off-2", 0, 10)},
			wantOffice:  "off-9", wantCounsellor: "",
			wantReason: "no office covers MX-NLE, so it goes to the national queue of office Nacional; the office has no active counsellor, so the referral waits unassigned in the office queue",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Route(RouteInput{Candidate: tt.candidate, Offices: tt.offices, Counsellors: tt.counsellors})
			if err != nil {
				t.Fatalf("Route: %v", err)
			}
			want := Decision{OfficeID: tt.wantOffice, CounsellorID: tt.wantCounsellor, Reason: tt.wantReason}
			if got != want {
				t.Errorf("Route =\n  %+v\nwant\n  %+v", got, want)
			}
		})
	}
}

func TestRouteErrors(t *testing.T) {
	tests := []struct {
		name      string
		candidate *models.Candidate
		offices   []models.Office
		wantKind  error
		wantMsg   string
	}{
		{
			name:      "no covering office and no national office",
			candidate: cand("MX-NLE"),
			offices:   []models.Office{offTap, offVilla},
			wantKind:  models.ErrNotFound,
			wantMsg:   "no office covers MX-NLE and there is no national office to queue the referral",
		},
		{
			name:      "no office at all, candidate without a state",
			candidate: cand(""),
			offices:   nil,
			wantKind:  models.ErrNotFound,
			wantMsg:   "the candidate has no current state and there is no national office to queue the referral",
		},
		{
			name:      "no candidate",
			candidate: nil,
			offices:   allOffices,
			wantKind:  models.ErrInvalid,
			wantMsg:   "a referral cannot be routed without its candidate",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Route(RouteInput{Candidate: tt.candidate, Offices: tt.offices})
			if !errors.Is(err, tt.wantKind) {
				t.Fatalf("Route error = %v, want kind %v", err, tt.wantKind)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("Route error = %q, want %q", err.Error(), tt.wantMsg)
			}
		})
	}
}

func referral(id, office, counsellor, candidate string, created time.Time) models.Referral {
	return models.Referral{ID: id, OfficeID: office, CounsellorID: counsellor, CandidateID: candidate,
		Status: models.ReferralContacted, CreatedAt: created}
}

func TestReassign(t *testing.T) {
	now := t0
	hour := time.Hour
	candidates := map[string]*models.Candidate{
		"cand-es": cand("MX-CHP", lang("es", "native")),
		"cand-ht": cand("MX-CHP", lang("ht", "native"), lang("es", "A2")),
	}
	hired := referral("r5", "off-2", "c-gone", "cand-es", now.Add(-9*hour))
	hired.Status = models.ReferralHired
	queued := func(id string, created time.Time) models.Referral {
		r := referral(id, "off-2", "", "cand-es", created)
		r.Status = models.ReferralPending
		return r
	}

	type want struct{ referral, counsellor, reason string }
	tests := []struct {
		name        string
		referrals   []models.Referral
		counsellors []models.Counsellor
		want        []want
	}{
		{
			name: "deactivated counsellor: oldest first, language kept, rest queued",
			referrals: []models.Referral{
				referral("r3", "off-2", "c-gone", "cand-es", now.Add(-2*hour)),
				referral("r1", "off-2", "c-gone", "cand-es", now.Add(-4*hour)),
				hired,
				referral("r4", "off-2", "c-gone", "cand-es", now.Add(-1*hour)),
				referral("r2", "off-2", "c-gone", "cand-ht", now.Add(-3*hour)),
			},
			counsellors: []models.Counsellor{
				inactive(co("c-gone", "Gina", "off-2", 4, 10, "ht")),
				co("c-y", "Yara", "off-2", 8, 10),
				co("c-z", "Zoe", "off-2", 9, 10, "ht"),
			},
			want: []want{
				{"r1", "c-y", "re-routed within office Tapachula; counsellor Yara has the lightest open caseload, 8/10"},
				{"r2", "c-z", "re-routed within office Tapachula; counsellor Zoe speaks ht (the candidate's strongest non-Spanish language); open caseload 9/10"},
				{"r3", "c-y", "re-routed within office Tapachula; counsellor Yara has the lightest open caseload, 9/10"},
				{"r4", "", "re-routed within office Tapachula; all 2 active counsellors of the office are at capacity, so the referral waits unassigned in the office queue"},
			},
		},
		{
			name: "deactivated counsellor: each assignment counts before the next",
			referrals: []models.Referral{
				referral("r1", "off-2", "c-gone", "cand-es", now.Add(-3*hour)),
				referral("r2", "off-2", "c-gone", "cand-es", now.Add(-2*hour)),
				referral("r3", "off-2", "c-gone", "cand-es", now.Add(-1*hour)),
			},
			counsellors: []models.Counsellor{
				inactive(co("c-gone", "Gina", "off-2", 3, 10)),
				lastAt(co("c-z", "Zoe", "off-2", 8, 10), now.Add(-1*hour)),
				lastAt(co("c-y", "Yara", "off-2", 8, 10), now.Add(-2*hour)),
			},
			want: []want{
				{"r1", "c-y", "re-routed within office Tapachula; counsellor Yara has the lightest open caseload, 8/10; tied on caseload, chosen as the longest without a new referral"},
				{"r2", "c-z", "re-routed within office Tapachula; counsellor Zoe has the lightest open caseload, 8/10"},
				{"r3", "c-y", "re-routed within office Tapachula; counsellor Yara has the lightest open caseload, 9/10; tied on caseload and last assignment, chosen by lowest ID"},
			},
		},
		{
			name: "capacity freed: the oldest queued referral takes the slot",
			referrals: []models.Referral{
				queued("q1", now.Add(-2*hour)),
				queued("q2", now.Add(-3*hour)),
				queued("q3", now.Add(-1*hour)),
			},
			counsellors: []models.Counsellor{
				co("c-y", "Yara", "off-2", 9, 10),
				co("v1", "Valeria", "off-1", 0, 10),
			},
			want: []want{
				{"q2", "c-y", "re-routed within office Tapachula; counsellor Yara has the lightest open caseload, 9/10"},
				{"q1", "", "re-routed within office Tapachula; the only active counsellor of the office is at capacity, so the referral waits unassigned in the office queue"},
				{"q3", "", "re-routed within office Tapachula; the only active counsellor of the office is at capacity, so the referral waits unassigned in the office queue"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := make([]models.Counsellor, len(tt.counsellors))
			copy(before, tt.counsellors)
			got, err := Reassign(ReassignInput{
				Referrals: tt.referrals, Candidates: candidates, Offices: allOffices, Counsellors: tt.counsellors,
			}, now)
			if err != nil {
				t.Fatalf("Reassign: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Reassign returned %d reassignments, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				wantR := Reassignment{ReferralID: w.referral, Decision: Decision{OfficeID: "off-2", CounsellorID: w.counsellor, Reason: w.reason}}
				if got[i] != wantR {
					t.Errorf("reassignment %d =\n  %+v\nwant\n  %+v", i, got[i], wantR)
				}
			}
			for i := range before {
				if tt.counsellors[i].OpenReferrals != before[i].OpenReferrals || tt.counsellors[i].LastAssignedAt != before[i].LastAssignedAt {
					t.Errorf("Reassign modified its input counsellor %s", before[i].ID)
				}
			}
		})
	}
}

func TestReassignUnknownOffice(t *testing.T) {
	_, err := Reassign(ReassignInput{
		Referrals: []models.Referral{referral("r1", "off-x", "c-gone", "cand-es", t0)},
		Offices:   allOffices,
	}, t0)
	if !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("Reassign error = %v, want kind not found", err)
	}
	if want := `referral r1 belongs to office "off-x", which does not exist`; err.Error() != want {
		t.Errorf("Reassign error = %q, want %q", err.Error(), want)
	}
}

func TestNextQueued(t *testing.T) {
	hour := time.Hour
	q := func(id string, created time.Time) models.Referral {
		return models.Referral{ID: id, OfficeID: "off-2", Status: models.ReferralPending, CreatedAt: created}
	}
	assigned := q("q0", t0.Add(-9*hour))
	assigned.CounsellorID = "t1"
	withdrawn := q("q00", t0.Add(-8*hour))
	withdrawn.Status = models.ReferralWithdrawn
	tests := []struct {
		name   string
		queued []models.Referral
		wantID string
		wantOK bool
	}{
		{name: "empty queue", queued: nil, wantOK: false},
		{name: "oldest first", queued: []models.Referral{q("q1", t0.Add(-2*hour)), q("q2", t0.Add(-3*hour)), q("q3", t0.Add(-1*hour))}, wantID: "q2", wantOK: true},
		{name: "same time: lowest ID", queued: []models.Referral{q("qb", t0), q("qa", t0)}, wantID: "qa", wantOK: true},
		{name: "assigned and closed referrals ignored", queued: []models.Referral{assigned, withdrawn, q("q1", t0)}, wantID: "q1", wantOK: true},
		{name: "only assigned or closed referrals", queued: []models.Referral{assigned, withdrawn}, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextQueued(tt.queued)
			if ok != tt.wantOK || got.ID != tt.wantID {
				t.Errorf("NextQueued = (%q, %v), want (%q, %v)", got.ID, ok, tt.wantID, tt.wantOK)
			}
		})
	}
}
