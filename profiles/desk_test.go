package profiles_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/profiles"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// deskCURP is a well-formed CURP of a woman born abroad on 30 June 2000.
var deskCURP = models.CompleteCURP("PEMY000630MNERSRA")

func deskOf(today models.Date) profiles.Desk {
	return profiles.Desk{FullName: "  Yessenia   Pérez ", Nationality: "gt", BirthDate: "2000-06-30", CURP: deskCURP, Phone: "+52 962 111 0004",
		CurrentState: "MX-CHP", Hub: "Tapachula", PreferredStates: []string{"MX-NLE"}, EducationLevel: "secondary", ShareProfile: true,
		Languages: []models.LanguageSkill{{Code: "es", Level: "native"}}, Skills: []profiles.DeskSkill{{Name: "corte de café", Years: "3,5"}},
		DesiredOccupations: []string{"cortador de café"},
		Documents: []profiles.DeskDocument{{Type: models.DocVisitanteTrabajadorFronterizo, Number: "TVTF-2026-1",
			IssuedOn: today.AddDays(-30).String(), ExpiresOn: today.AddDays(300).String()}}}
}

// TestDeskCreateAndUpdate: hub staff register a person typed at the desk; every wrong
// field is reported at once (a CURP whose check digit is wrong, a date that is not
// one, years that are not a number) and nothing is saved; the saved profile comes back
// with where the person may work, its documents verified by whoever typed them; an
// edit keeps the verification of an unchanged document and the consent's date of an
// unchanged choice, and re-verifies a changed document. Other roles write nothing.
func TestDeskCreateAndUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := profiles.New(st, nil, st.Now(), nil)
		today := models.DateOf(st.Now()())
		hub := models.User{ID: "u-hub", Role: models.RoleHubStaff}
		for _, role := range []models.Role{models.RoleEmployer, models.RoleOrganiser, models.RoleMigrant} {
			u := models.User{ID: "u-" + string(role), Role: role}
			if _, err := svc.Create(ctx, u, deskOf(today)); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s registered a person: %v", role, err)
			}
			if err := svc.MayRegister(u); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s may register: %v", role, err)
			}
			if _, err := svc.Suggest(u, models.ConceptSkill, "solda", "es", 5); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s used the desk's suggestions: %v", role, err)
			}
		}
		bad := deskOf(today)
		bad.CURP = deskCURP[:17] + string('0'+(deskCURP[17]-'0'+1)%10)
		bad.Documents[0].ExpiresOn = "2027-02-30"
		bad.Skills[0].Years = "tres"
		_, err := svc.Create(ctx, hub, bad)
		e, ok := models.AsError(err)
		if !ok || !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a wrong desk form: %v", err)
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		for _, want := range []string{"curp", "documents[0].expires_on", "skills[0].years"} {
			if !slices.Contains(fields, want) {
				t.Fatalf("fields at fault %q, want %s among them", fields, want)
			}
		}
		if list, _, _ := st.ListCandidates(ctx, store.CandidateFilter{Page: store.Page{Limit: 10}}); len(list) != 0 {
			t.Fatalf("a refused form saved %d profiles", len(list))
		}
		p, err := svc.Create(ctx, hub, deskOf(today))
		if err != nil {
			t.Fatal(err)
		}
		if p.FullName != "Yessenia Pérez" || p.Nationality != "GT" || p.Phone != "+529621110004" || p.CURP != deskCURP ||
			*p.Skills[0].Years != 3.5 || len(p.Eligibility) != 2 || !p.Eligibility[0].Eligible || p.Eligibility[1].Eligible {
			t.Fatalf("registered: %+v, eligibility %+v", p.Candidate, p.Eligibility)
		}
		doc := p.Documents[0]
		if !doc.Verified || doc.VerifiedBy != hub.ID || doc.VerifiedAt == nil || !p.Eligibility[0].Basis.Verified {
			t.Fatalf("the desk's document: %+v", doc)
		}
		given := *p.Consent.GivenAt
		// An hour later a counsellor edits the profile: the document stays as it was
		// checked, a new one is checked by the counsellor.
		storetest.ClockOf(t, st).Advance(time.Hour)
		counsellor := models.User{ID: "u-co", Role: models.RoleCounsellor}
		edit := profiles.DeskOf(p.Candidate)
		edit.Municipality = "Tapachula"
		edit.Documents = append(edit.Documents, profiles.DeskDocument{Type: models.DocConstanciaCOMAR, Number: "COMAR-1",
			IssuedOn: today.AddDays(-5).String(), ExpiresOn: today.AddDays(90).String(), State: "MX-CHP"})
		q, err := svc.Update(ctx, counsellor, p.ID, edit)
		if err != nil {
			t.Fatal(err)
		}
		if q.Municipality != "Tapachula" || len(q.Documents) != 2 || !q.Consent.GivenAt.Equal(given) {
			t.Fatalf("edited: %+v", q.Candidate)
		}
		if d := q.Documents[0]; d.VerifiedBy != hub.ID || !d.VerifiedAt.Equal(*doc.VerifiedAt) {
			t.Fatalf("an unchanged document lost its verification: %+v", d)
		}
		if d := q.Documents[1]; !d.Verified || d.VerifiedBy != counsellor.ID {
			t.Fatalf("the new document: %+v", d)
		}
		edit = profiles.DeskOf(q.Candidate)
		edit.ShareProfile = false
		r, err := svc.Update(ctx, hub, p.ID, edit)
		if err != nil || r.Consent.ShareProfile || r.Consent.GivenAt.Equal(given) {
			t.Fatalf("a changed consent keeps its old date: %+v %v", r.Consent, err)
		}
		if _, err := svc.Update(ctx, hub, "nobody", edit); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("an edit of nobody: %v", err)
		}
		// The same person registered again: the new profile names the first as a suspect.
		again := deskOf(today)
		again.FullName = "Yesenia Peres"
		dup, err := svc.Create(ctx, hub, again)
		if err != nil {
			t.Fatal(err)
		}
		if len(dup.Duplicates) != 1 || dup.Duplicates[0].ID != p.ID || !dup.Duplicates[0].Suspect || !slices.Contains(dup.Duplicates[0].Reasons, "same CURP") {
			t.Fatalf("duplicates of a second registration: %+v", dup.Duplicates)
		}
		var actions []string
		for _, a := range r.Views {
			actions = append(actions, a.Action)
		}
		if !slices.Contains(actions, "candidate.registered") || !slices.Contains(actions, "candidate.updated") {
			t.Fatalf("audit: %q", actions)
		}
	})
}

// TestSuggest: the desk's suggestions come from the vocabulary in the language the
// person speaks, with the Spanish label for the staff who type them.
func TestSuggest(t *testing.T) {
	func(st *store.Store) {
		svc := profiles.New(st, nil, st.Now(), nil)
		hub := models.User{ID: "u-hub", Role: models.RoleHubStaff}
		cases := []struct{ kind, q, lang, label, es string }{
			{models.ConceptOccupation, "bòs mas", "ht", "bòs mason", "albañil"},
			{models.ConceptOccupation, "carret", "es", "carretillero", "montacarguista"},
			{models.ConceptSkill, "soud", "fr", "soudure", "soldadura"},
			{models.ConceptSkill, "weld", "en", "welding", "soldadura"},
		}
		for _, c := range cases {
			hits, err := svc.Suggest(hub, c.kind, c.q, c.lang, 5)
			if err != nil || len(hits) == 0 || hits[0].Label != c.label || hits[0].Spanish != c.es {
				t.Errorf("Suggest(%s, %q, %s) = %+v, %v; want %s / %s first", c.kind, c.q, c.lang, hits, err, c.label, c.es)
			}
		}
		if _, err := svc.Suggest(hub, "employer", "x", "es", 5); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a kind that is not one: %v", err)
		}
	}(storetest.Open(t, store.SQLite))
}

// TestDeskFlagsDuplicates: a person registered a second time at another desk (no CURP
// given, another phone, the name typed without its accent) is flagged for staff against
// the first registration, as the API's registration flags them.
func TestDeskFlagsDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := profiles.New(st, nil, st.Now(), nil)
		today := models.DateOf(st.Now()())
		hub := models.User{ID: "u-hub", Role: models.RoleHubStaff}
		first, err := svc.Create(ctx, hub, deskOf(today))
		if err != nil {
			t.Fatal(err)
		}
		again := deskOf(today)
		again.FullName, again.CURP, again.Phone, again.Hub = "Yessenia Perez", "", "+52 962 555 0190", "Palenque"
		again.Documents[0].Number = "TVTF-2026-2"
		second, err := svc.Create(ctx, hub, again)
		if err != nil {
			t.Fatal(err)
		}
		flags, err := st.DuplicateFlags(ctx, second.Candidate.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(flags) != 1 || flags[0].SuspectID != first.Candidate.ID || flags[0].Strength != "suspect" {
			t.Fatalf("the second registration's flags: %+v (first %s)", flags, first.Candidate.ID)
		}
	})
}
