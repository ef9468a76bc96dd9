package matching

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

func day(s string) models.Date { return models.MustDate(s) }

// allStates is the 32 codes written out, so the tests do not take them from the code
// under test.
var allStates = []string{
	"MX-AGU", "MX-BCN", "MX-BCS", "MX-CAM", "MX-CHH", "MX-CHP", "MX-CMX", "MX-COA",
	"MX-COL", "MX-DUR", "MX-GRO", "MX-GUA", "MX-HID", "MX-JAL", "MX-MEX", "MX-MIC",
	"MX-MOR", "MX-NAY", "MX-NLE", "MX-OAX", "MX-PUE", "MX-QUE", "MX-ROO", "MX-SIN",
	"MX-SLP", "MX-SON", "MX-TAB", "MX-TAM", "MX-TLA", "MX-VER", "MX-YUC", "MX-ZAC",
}

var southern = []string{"MX-CAM", "MX-CHP", "MX-ROO", "MX-TAB"}

const curp = "GOPM900101MNEXRR09"

// The documents of the table. Each is valid from its issue date to its expiry date.
var (
	// residente permanente, issued 2020-03-01, no expiry.
	rp = models.Document{ID: "rp", Type: models.DocResidentePermanente, IssuedOn: day("2020-03-01"), Verified: true}
	// residente temporal with a work permit, 2026-01-10 .. 2026-12-31.
	rt = models.Document{ID: "rt", Type: models.DocResidenteTemporal, IssuedOn: day("2026-01-10"), ExpiresOn: day("2026-12-31"), WorkPermission: true, Verified: true}
	// TVRH, 2026-02-01 .. 2027-01-31.
	tvrh = models.Document{ID: "tvrh", Type: models.DocVisitanteRazonesHumanitarias, IssuedOn: day("2026-02-01"), ExpiresOn: day("2027-01-31"), Verified: true}
	// TVTF, 2026-03-01 .. 2027-03-01 (365 days).
	tvtf = models.Document{ID: "tvtf", Type: models.DocVisitanteTrabajadorFronterizo, IssuedOn: day("2026-03-01"), ExpiresOn: day("2027-03-01"), Verified: true}
	// Permit for employer emp-1, 2026-05-01 .. 2026-10-28 (exactly 180 days).
	varp = models.Document{ID: "var", Type: models.DocVisitanteActividadesRemuneradas, IssuedOn: day("2026-05-01"), ExpiresOn: day("2026-10-28"), EmployerID: "emp-1", Verified: true}
	// TVR, 2025-06-01 .. 2030-06-01.
	tvr = models.Document{ID: "tvr", Type: models.DocVisitanteRegional, IssuedOn: day("2025-06-01"), ExpiresOn: day("2030-06-01"), Verified: true}
	// COMAR constancia filed in Chiapas, 2026-04-01 .. 2026-07-30.
	comar = models.Document{ID: "comar", Type: models.DocConstanciaCOMAR, IssuedOn: day("2026-04-01"), ExpiresOn: day("2026-07-30"), State: "MX-CHP", Verified: true}
	// A passport.
	other = models.Document{ID: "otro", Type: models.DocOther, IssuedOn: day("2024-01-01"), ExpiresOn: day("2034-01-01"), Verified: true}
)

// with returns a copy of d changed by f.
func with(d models.Document, f func(*models.Document)) models.Document {
	f(&d)
	return d
}

func person(curp string, docs ...models.Document) *models.Candidate {
	return &models.Candidate{ID: "c1", FullName: "Ana", Nationality: "HN", CURP: curp, Documents: docs}
}

type want struct {
	eligible   bool
	basis      models.DocumentType
	basisID    string
	verified   bool
	validUntil string   // "" is no date
	allowed    []string // checked as written; nil means "[]"
	reason     string   // a substring of one reason
	reasons    int      // number of reason lines
	step       string   // a substring of one next step
	noStep     string   // a substring no next step may contain
}

func TestEligibility(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		name string
		c    *models.Candidate
		q    Query
		want want
	}{
		// residente permanente: everywhere, no expiry.
		{"rp anywhere", person("", rp), Query{State: "MX-NLE", Date: day("2027-01-15")},
			want{eligible: true, basis: models.DocResidentePermanente, basisID: "rp", verified: true, allowed: allStates}},
		{"rp decades later", person("", rp), Query{State: "MX-CHP", Date: day("2060-01-01")},
			want{eligible: true, basis: models.DocResidentePermanente, basisID: "rp", verified: true, allowed: allStates}},
		{"rp minor's card date ignored", person("", with(rp, func(d *models.Document) { d.ExpiresOn = day("2025-01-01") })), Query{State: "MX-YUC", Date: day("2027-01-15")},
			want{eligible: true, basis: models.DocResidentePermanente, basisID: "rp", verified: true, allowed: allStates}},
		{"rp on its issue date", person("", rp), Query{State: "MX-YUC", Date: day("2020-03-01")},
			want{eligible: true, basis: models.DocResidentePermanente, basisID: "rp", verified: true, allowed: allStates}},
		{"rp before it was issued", person("", rp), Query{State: "MX-YUC", Date: day("2020-02-29")},
			want{reason: "residente permanente card: issued on 2020-03-01, after the date asked (2020-02-29)", reasons: 1, step: "Check the issue date"}},

		// residente temporal: everywhere, only with a work permit, until expires_on.
		{"rt before expiry", person("", rt), Query{State: "MX-NLE", Date: day("2026-06-15")},
			want{eligible: true, basis: models.DocResidenteTemporal, basisID: "rt", verified: true, validUntil: "2026-12-31", allowed: allStates}},
		{"rt in yucatan", person("", rt), Query{State: "MX-YUC", Date: day("2026-06-15")},
			want{eligible: true, basis: models.DocResidenteTemporal, basisID: "rt", verified: true, validUntil: "2026-12-31", allowed: allStates}},
		{"rt on expiry", person("", rt), Query{State: "MX-NLE", Date: day("2026-12-31")},
			want{eligible: true, basis: models.DocResidenteTemporal, basisID: "rt", verified: true, validUntil: "2026-12-31", allowed: allStates}},
		{"rt after expiry", person("", rt), Query{State: "MX-NLE", Date: day("2027-01-01")},
			want{reason: "residente temporal card: expired on 2026-12-31, before the date asked (2027-01-01)", reasons: 1, step: "ask INM to renew it", noStep: "work permit"}},
		{"rt without work permission", person("", with(rt, func(d *models.Document) { d.WorkPermission = false })), Query{State: "MX-NLE", Date: day("2026-06-15")},
			want{reason: "no INM work permit on it (work_permission is false)", reasons: 1, step: "an employer with an INM employer registration", noStep: "renew"}},
		{"rt without work permission and expired", person("", with(rt, func(d *models.Document) { d.WorkPermission = false })), Query{State: "MX-NLE", Date: day("2027-02-01")},
			want{reason: "residente temporal card: no INM work permit on it (work_permission is false); expired on 2026-12-31", reasons: 1, step: "renew"}},
		{"rt without expiry date", person("", with(rt, func(d *models.Document) { d.ExpiresOn = models.Date{} })), Query{State: "MX-NLE", Date: day("2026-06-15")},
			want{reason: "no expiry date (expires_on) on file", reasons: 1, step: "Enter the expiry date"}},
		{"rt before issue", person("", rt), Query{State: "MX-NLE", Date: day("2026-01-09")},
			want{reason: "issued on 2026-01-10, after the date asked (2026-01-09)", reasons: 1}},

		// TVRH: everywhere until expires_on.
		{"tvrh before expiry", person("", tvrh), Query{State: "MX-SON", Date: day("2026-08-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"tvrh on expiry", person("", tvrh), Query{State: "MX-BCN", Date: day("2027-01-31")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"tvrh after expiry", person("", tvrh), Query{State: "MX-BCN", Date: day("2027-02-01")},
			want{reason: "TVRH (visitante por razones humanitarias): expired on 2027-01-31, before the date asked (2027-02-01)", reasons: 1, step: "The TVRH has expired"}},

		// TVTF: four southern states, until expires_on, at most 366 days.
		{"tvtf chiapas", person("", tvtf), Query{State: "MX-CHP", Date: day("2026-09-01")},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-01", allowed: southern}},
		{"tvtf campeche before expiry", person("", tvtf), Query{State: "MX-CAM", Date: day("2026-03-01")},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-01", allowed: southern}},
		{"tvtf tabasco on expiry", person("", tvtf), Query{State: "MX-TAB", Date: day("2027-03-01")},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-01", allowed: southern}},
		{"tvtf quintana roo after expiry", person("", tvtf), Query{State: "MX-ROO", Date: day("2027-03-02")},
			want{reason: "expired on 2027-03-01, before the date asked (2027-03-02)", reasons: 1, step: "The TVTF has expired"}},
		{"tvtf nuevo leon", person("", tvtf), Query{State: "MX-NLE", Date: day("2026-09-01")},
			want{allowed: southern, reasons: 1, step: "only allows work in Chiapas, Campeche, Tabasco and Quintana Roo",
				reason: "TVTF (visitante trabajador fronterizo): allows work only in Campeche, Chiapas, Quintana Roo and Tabasco (MX-CAM, MX-CHP, MX-ROO, MX-TAB), not in Nuevo León (MX-NLE)"}},
		{"tvtf yucatan", person("", tvtf), Query{State: "MX-YUC", Date: day("2026-09-01")},
			want{allowed: southern, reasons: 1, reason: "not in Yucatán (MX-YUC)"}},
		{"tvtf yucatan after expiry", person("", tvtf), Query{State: "MX-YUC", Date: day("2027-04-01")},
			want{reasons: 1, reason: "expired on 2027-03-01, before the date asked (2027-04-01); allows work only in Campeche, Chiapas, Quintana Roo and Tabasco"}},
		{"tvtf expiry beyond a year is cut to 366 days", person("", with(tvtf, func(d *models.Document) { d.ExpiresOn = day("2027-09-01") })), Query{State: "MX-CHP", Date: day("2027-03-02")},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-02", allowed: southern}},
		{"tvtf past its 366 days", person("", with(tvtf, func(d *models.Document) { d.ExpiresOn = day("2027-09-01") })), Query{State: "MX-CHP", Date: day("2027-03-03")},
			want{reasons: 1, reason: "valid at most 366 days from its issue on 2026-03-01, that is until 2027-03-02 (not 2027-09-01 as entered)"}},

		// Permit for remunerated activities: its employer only, at most 180 days.
		{"var named employer", person("", varp), Query{State: "MX-NLE", Date: day("2026-07-01"), EmployerID: "emp-1"},
			want{eligible: true, basis: models.DocVisitanteActividadesRemuneradas, basisID: "var", verified: true, validUntil: "2026-10-28", allowed: allStates}},
		{"var on expiry", person("", varp), Query{State: "MX-COA", Date: day("2026-10-28"), EmployerID: "emp-1"},
			want{eligible: true, basis: models.DocVisitanteActividadesRemuneradas, basisID: "var", verified: true, validUntil: "2026-10-28", allowed: allStates}},
		{"var after expiry", person("", varp), Query{State: "MX-COA", Date: day("2026-10-29"), EmployerID: "emp-1"},
			want{reasons: 1, reason: "expired on 2026-10-28, before the date asked (2026-10-29)", step: "at most 180 days"}},
		{"var other employer", person("", varp), Query{State: "MX-NLE", Date: day("2026-07-01"), EmployerID: "emp-2"},
			want{allowed: allStates, reasons: 1, reason: "the permit is only valid for vacancies of employer emp-1, not of employer emp-2", step: "refer the person to that employer's vacancies"}},
		{"var no employer asked", person("", varp), Query{State: "MX-NLE", Date: day("2026-07-01")},
			want{allowed: allStates, reasons: 1, reason: "the permit is only valid for vacancies of employer emp-1", step: "refer the person to that employer's vacancies"}},
		{"var names no employer", person("", with(varp, func(d *models.Document) { d.EmployerID = "" })), Query{State: "MX-NLE", Date: day("2026-07-01"), EmployerID: "emp-1"},
			want{reasons: 1, reason: "the employer named on the permit is not on file (employer_id is empty)", step: "Record the employer named on the permit", noStep: "refer the person"}},
		{"var without issue date", person("", with(varp, func(d *models.Document) { d.IssuedOn = models.Date{} })), Query{State: "MX-NLE", Date: day("2026-07-01"), EmployerID: "emp-1"},
			want{reasons: 1, reason: "no issue date (issued_on) on file", step: "Enter the issue date"}},
		{"var expiry beyond 180 days is cut", person("", with(varp, func(d *models.Document) { d.ExpiresOn = day("2027-05-01") })), Query{State: "MX-NLE", Date: day("2026-10-28"), EmployerID: "emp-1"},
			want{eligible: true, basis: models.DocVisitanteActividadesRemuneradas, basisID: "var", verified: true, validUntil: "2026-10-28", allowed: allStates}},
		{"var past its 180 days", person("", with(varp, func(d *models.Document) { d.ExpiresOn = day("2027-05-01") })), Query{State: "MX-NLE", Date: day("2026-11-15"), EmployerID: "emp-1"},
			want{reasons: 1, reason: "valid at most 180 days from its issue on 2026-05-01, that is until 2026-10-28 (not 2027-05-01 as entered)"}},

		// TVR: never.
		{"tvr in chiapas", person("", tvr), Query{State: "MX-CHP", Date: day("2026-07-01")},
			want{reasons: 1, reason: "TVR (visitante regional): does not allow paid work", step: "apply to INM for a TVTF"}},
		{"tvr in nuevo leon", person("", tvr), Query{State: "MX-NLE", Date: day("2026-07-01")},
			want{reasons: 1, reason: "TVR (visitante regional): does not allow paid work", step: "a TVRH (visitante por razones humanitarias) from INM, or", noStep: "TVTF"}},

		// COMAR constancia: with a CURP, in the filing state, until expires_on.
		{"comar filing state", person(curp, comar), Query{State: "MX-CHP", Date: day("2026-05-01")},
			want{eligible: true, basis: models.DocConstanciaCOMAR, basisID: "comar", verified: true, validUntil: "2026-07-30", allowed: []string{"MX-CHP"}}},
		{"comar on expiry", person(curp, comar), Query{State: "MX-CHP", Date: day("2026-07-30")},
			want{eligible: true, basis: models.DocConstanciaCOMAR, basisID: "comar", verified: true, validUntil: "2026-07-30", allowed: []string{"MX-CHP"}}},
		{"comar after expiry", person(curp, comar), Query{State: "MX-CHP", Date: day("2026-07-31")},
			want{reasons: 1, reason: "COMAR constancia (asylum claim in process): expired on 2026-07-30", step: "renewed at COMAR"}},
		{"comar other state", person(curp, comar), Query{State: "MX-NLE", Date: day("2026-05-01")},
			want{allowed: []string{"MX-CHP"}, reasons: 1, reason: "allows work only in Chiapas (MX-CHP), the state where the claim was filed, not in Nuevo León (MX-NLE)", step: "ask COMAR to move the claim"}},
		{"comar neighbouring southern state", person(curp, comar), Query{State: "MX-TAB", Date: day("2026-05-01")},
			want{allowed: []string{"MX-CHP"}, reasons: 1, reason: "not in Tabasco (MX-TAB)"}},
		{"comar without curp", person("", comar), Query{State: "MX-CHP", Date: day("2026-05-01")},
			want{reasons: 1, reason: "the candidate has no CURP on file", step: "CURP temporal"}},
		{"comar blank curp", person("   ", comar), Query{State: "MX-CHP", Date: day("2026-05-01")},
			want{reasons: 1, reason: "the candidate has no CURP on file"}},
		{"comar without filing state", person(curp, with(comar, func(d *models.Document) { d.State = "" })), Query{State: "MX-CHP", Date: day("2026-05-01")},
			want{reasons: 1, reason: "the state where the claim was filed is not on file", step: "Record the state where the claim was filed", noStep: "move the claim"}},
		{"comar with a bad filing state", person(curp, with(comar, func(d *models.Document) { d.State = "Chiapas" })), Query{State: "MX-CHP", Date: day("2026-05-01")},
			want{reasons: 1, reason: `the filing state on file, "Chiapas", is not a state code`}},

		// Nothing that allows work.
		{"other document", person(curp, other), Query{State: "MX-NLE", Date: day("2026-05-01")},
			want{reasons: 1, reason: "other document: does not allow paid work", step: "A counsellor can explain the options"}},
		{"unknown document type", person(curp, with(other, func(d *models.Document) { d.Type = "pasaporte" })), Query{State: "MX-NLE", Date: day("2026-05-01")},
			want{reasons: 1, reason: `document of type "pasaporte": not a document type the rules know`, step: "A counsellor can explain the options"}},
		{"no document", person(curp), Query{State: "MX-NLE", Date: day("2026-05-01")},
			want{reasons: 1, reason: "no immigration document on file", step: "Register the person's immigration documents"}},
		{"nil candidate", nil, Query{State: "MX-NLE", Date: day("2026-05-01")},
			want{reasons: 1, reason: "no immigration document on file"}},

		// Bad questions.
		{"unknown state", person("", rp), Query{State: "NL", Date: day("2026-05-01")},
			want{allowed: allStates, reasons: 1, reason: `"NL" is not a Mexican state code`}},
		{"no state", person("", rp), Query{Date: day("2026-05-01")},
			want{allowed: allStates, reasons: 1, reason: "no state given"}},
		{"no date", person("", rp), Query{State: "MX-NLE"},
			want{reasons: 1, reason: "no date given"}},

		// Several documents.
		{"longest valid wins: tvtf over tvrh in chiapas", person("", tvrh, tvtf), Query{State: "MX-CHP", Date: day("2026-09-01")},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-01", allowed: southern}},
		{"tvrh where the tvtf does not reach", person("", tvtf, tvrh), Query{State: "MX-NLE", Date: day("2026-09-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"expired tvrh and a valid residente temporal", person("", with(tvrh, func(d *models.Document) { d.ExpiresOn = day("2026-03-31") }), rt), Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocResidenteTemporal, basisID: "rt", verified: true, validUntil: "2026-12-31", allowed: allStates}},
		{"tvr and tvrh", person("", tvr, tvrh), Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"tvr and an expired tvrh", person("", tvr, tvrh), Query{State: "MX-NLE", Date: day("2027-06-01")},
			want{reasons: 2, reason: "TVRH (visitante por razones humanitarias): expired on 2027-01-31", step: "The TVRH has expired"}},
		{"document issued after the date is passed over", person("", with(rp, func(d *models.Document) { d.IssuedOn = day("2026-09-01") }), tvrh), Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"no expiry beats a later date", person("", with(rt, func(d *models.Document) { d.ExpiresOn = day("2040-12-31") }), rp), Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocResidentePermanente, basisID: "rp", verified: true, allowed: allStates}},
		{"tie goes to the verified document",
			person("", with(tvrh, func(d *models.Document) { d.ID = "a"; d.Verified = false }), with(tvrh, func(d *models.Document) { d.ID = "b"; d.IssuedOn = day("2026-04-01") })),
			Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "b", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"tie between verified documents goes to the earliest issued",
			person("", with(tvrh, func(d *models.Document) { d.ID = "a"; d.IssuedOn = day("2026-04-01") }), with(tvrh, func(d *models.Document) { d.ID = "b"; d.IssuedOn = day("2026-02-15") })),
			Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "b", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"full tie goes to the smaller id",
			person("", with(tvrh, func(d *models.Document) { d.ID = "z" }), with(tvrh, func(d *models.Document) { d.ID = "m" })),
			Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "m", verified: true, validUntil: "2027-01-31", allowed: allStates}},
		{"a longer unverified document wins over a shorter verified one",
			person("", rt, with(tvrh, func(d *models.Document) { d.Verified = false })),
			Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: false, validUntil: "2027-01-31", allowed: allStates, step: "mark it verified"}},
		{"the named-employer permit beats a shorter tvtf for its employer",
			person("", varp, with(tvtf, func(d *models.Document) { d.ExpiresOn = day("2026-08-31") })),
			Query{State: "MX-CHP", Date: day("2026-07-01"), EmployerID: "emp-1"},
			want{eligible: true, basis: models.DocVisitanteActividadesRemuneradas, basisID: "var", verified: true, validUntil: "2026-10-28", allowed: allStates}},
		{"for another employer the tvtf is the basis",
			person("", varp, with(tvtf, func(d *models.Document) { d.ExpiresOn = day("2026-08-31") })),
			Query{State: "MX-CHP", Date: day("2026-07-01"), EmployerID: "emp-2"},
			want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2026-08-31", allowed: southern}},
		{"one reason per document",
			person("", tvr, with(rt, func(d *models.Document) { d.WorkPermission = false }), tvtf),
			Query{State: "MX-JAL", Date: day("2026-06-01")},
			want{allowed: southern, reasons: 3, reason: "residente temporal card: no INM work permit", step: "only allows work in Chiapas", noStep: "apply to INM for a TVTF"}},
		{"the same advice is given once",
			person("", tvr, with(tvr, func(d *models.Document) { d.ID = "tvr2" })),
			Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{reasons: 2, reason: "TVR (visitante regional): does not allow paid work"}},
		{"unverified basis is still eligible", person("", with(tvrh, func(d *models.Document) { d.Verified = false })), Query{State: "MX-NLE", Date: day("2026-06-01")},
			want{eligible: true, basis: models.DocVisitanteRazonesHumanitarias, basisID: "tvrh", verified: false, validUntil: "2027-01-31", allowed: allStates, step: "mark it verified"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Eligibility(tc.c, tc.q, rules)
			checkDecision(t, got, tc.q, tc.want)
		})
	}
}

func checkDecision(t *testing.T, got Decision, q Query, w want) {
	t.Helper()
	if got.Eligible != w.eligible {
		t.Fatalf("eligible = %v, want %v (reasons %q)", got.Eligible, w.eligible, got.Reasons)
	}
	if got.State != q.State || !got.Date.Equal(q.Date) {
		t.Errorf("state, date = %q, %s; want the question's %q, %s", got.State, got.Date, q.State, q.Date)
	}
	if got.RulesVersion != "2026-11-01" {
		t.Errorf("rules_version = %q, want 2026-11-01", got.RulesVersion)
	}
	if got.Reasons == nil || got.NextSteps == nil || got.AllowedStates == nil {
		t.Errorf("nil list in %+v; reasons, next_steps and allowed_states must encode as []", got)
	}
	if w.eligible {
		if got.Basis == nil {
			t.Fatal("eligible without a basis")
		}
		if got.Basis.DocumentType != w.basis || got.Basis.DocumentID != w.basisID || got.Basis.Verified != w.verified {
			t.Errorf("basis = %+v, want %s %s verified=%v", *got.Basis, w.basis, w.basisID, w.verified)
		}
		if got.Basis.Source == "" {
			t.Error("basis has no legal source")
		}
		if len(got.Reasons) != 0 {
			t.Errorf("eligible with reasons %q", got.Reasons)
		}
	} else {
		if got.Basis != nil {
			t.Errorf("not eligible but basis = %+v", *got.Basis)
		}
		if len(got.Reasons) != w.reasons {
			t.Errorf("%d reasons %q, want %d", len(got.Reasons), got.Reasons, w.reasons)
		}
		if w.reason == "" {
			t.Error("bad test: a refusal must name the reason it expects")
		}
	}
	if got.ValidUntil.String() != w.validUntil {
		t.Errorf("valid_until = %q, want %q", got.ValidUntil, w.validUntil)
	}
	wantAllowed := w.allowed
	if wantAllowed == nil {
		wantAllowed = []string{}
	}
	if !slices.Equal(got.AllowedStates, wantAllowed) {
		t.Errorf("allowed_states = %q, want %q", got.AllowedStates, wantAllowed)
	}
	if w.reason != "" && !slices.ContainsFunc(got.Reasons, func(r string) bool { return strings.Contains(r, w.reason) }) {
		t.Errorf("no reason contains %q; reasons: %q", w.reason, got.Reasons)
	}
	if w.step != "" && !slices.ContainsFunc(got.NextSteps, func(s string) bool { return strings.Contains(s, w.step) }) {
		t.Errorf("no next step contains %q; next steps: %q", w.step, got.NextSteps)
	}
	if w.noStep != "" && slices.ContainsFunc(got.NextSteps, func(s string) bool { return strings.Contains(s, w.noStep) }) {
		t.Errorf("a next step contains %q; next steps: %q", w.noStep, got.NextSteps)
	}
	if !w.eligible && len(got.NextSteps) == 0 && w.step != "" {
		t.Error("refusal without next steps")
	}
	seen := map[string]bool{}
	for _, s := range got.NextSteps {
		if seen[s] {
			t.Errorf("next step given twice: %q", s)
		}
		seen[s] = true
	}
}

func TestEligibilityDoesNotShareRuleState(t *testing.T) {
	c := person("", tvtf)
	q := Query{State: "MX-CHP", Date: day("2026-09-01")}
	first := Eligibility(c, q, DefaultRules())
	first.AllowedStates[0] = "MX-NLE"
	again := Eligibility(c, q, DefaultRules())
	if !slices.Equal(again.AllowedStates, southern) {
		t.Fatalf("changing one decision's allowed_states changed the next: %q", again.AllowedStates)
	}
}

func TestDecisionJSON(t *testing.T) {
	tests := []struct {
		name string
		c    *models.Candidate
		q    Query
		want string
	}{
		{"refused", person(""), Query{State: "MX-NLE", Date: day("2027-01-15")},
			`{"eligible":false,"state":"MX-NLE","date":"2027-01-15","basis":null,"valid_until":null,"allowed_states":[],` +
				`"reasons":["no immigration document on file"],"next_steps":["Register the person's immigration documents (card, constancia or permit) at an information hub or with a counsellor; without one on file nobody can tell where they may work."],"rules_version":"2026-11-01"}`},
		{"no expiry", person("", rp), Query{State: "MX-NLE", Date: day("2027-01-15")},
			`{"eligible":true,"state":"MX-NLE","date":"2027-01-15","basis":{"document_type":"residente_permanente","expires_on":null,"verified":true,"document_id":"rp",` +
				`"source":"Ley de Migración art. 52 fr. IX (residente permanente, with permission to work) and art. 54 (fr. I: recognised refugees and people with complementary protection)"},` +
				`"valid_until":null,"allowed_states":["` + strings.Join(allStates, `","`) + `"],"reasons":[],"next_steps":[],"rules_version":"2026-11-01"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(Eligibility(tc.c, tc.q, DefaultRules()))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

func TestEligibilityNilRulesMeansDefault(t *testing.T) {
	got := Eligibility(person("", rt), Query{State: "MX-NLE", Date: day("2026-06-15")}, nil)
	if !got.Eligible || got.RulesVersion != "2026-11-01" {
		t.Fatalf("got %+v, want eligible under the 2026-11-01 rules", got)
	}
}

func TestSummarize(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		name  string
		c     *models.Candidate
		today string
		want  Summary
	}{
		{"nothing", person(""), "2026-06-01", Summary{States: []string{}}},
		{"nil candidate", nil, "2026-06-01", Summary{States: []string{}}},
		{"tvr only", person("", tvr), "2026-06-01", Summary{States: []string{}}},
		{"permanent", person("", rp), "2026-06-01",
			Summary{EligibleSomewhere: true, States: allStates, BasisVerified: true}},
		{"tvtf", person("", tvtf), "2026-06-01",
			Summary{EligibleSomewhere: true, States: southern, ValidUntil: day("2027-03-01"), BasisVerified: true}},
		{"tvtf expiring in 30 days", person("", tvtf), "2027-01-30",
			Summary{EligibleSomewhere: true, States: southern, ValidUntil: day("2027-03-01"), ExpiringSoon: true, BasisVerified: true}},
		{"tvtf expiring in 31 days", person("", tvtf), "2027-01-29",
			Summary{EligibleSomewhere: true, States: southern, ValidUntil: day("2027-03-01"), BasisVerified: true}},
		{"tvtf on its last day", person("", tvtf), "2027-03-01",
			Summary{EligibleSomewhere: true, States: southern, ValidUntil: day("2027-03-01"), ExpiringSoon: true, BasisVerified: true}},
		{"tvtf expired", person("", tvtf), "2027-03-02", Summary{States: []string{}}},
		{"comar without curp", person("", comar), "2026-05-01", Summary{States: []string{}}},
		{"comar", person(curp, comar), "2026-05-01",
			Summary{EligibleSomewhere: true, States: []string{"MX-CHP"}, ValidUntil: day("2026-07-30"), BasisVerified: true}},
		{"named employer only", person("", varp), "2026-07-01",
			Summary{EligibleSomewhere: true, States: allStates, ValidUntil: day("2026-10-28"), BasisVerified: true, NamedEmployerOnly: "emp-1"}},
		{"named employer and comar", person(curp, varp, comar), "2026-07-01",
			Summary{EligibleSomewhere: true, States: allStates, ValidUntil: day("2026-10-28"), BasisVerified: true}},
		{"latest of two, union of states", person("", with(tvtf, func(d *models.Document) { d.Verified = false }), with(tvrh, func(d *models.Document) { d.ExpiresOn = day("2026-12-01") })), "2026-06-01",
			Summary{EligibleSomewhere: true, States: allStates, ValidUntil: day("2027-03-01"), BasisVerified: false}},
		{"no expiry wins", person("", rp, tvtf), "2026-06-01",
			Summary{EligibleSomewhere: true, States: allStates, BasisVerified: true}},
		{"unverified permanent", person("", with(rp, func(d *models.Document) { d.Verified = false })), "2026-06-01",
			Summary{EligibleSomewhere: true, States: allStates}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.c, day(tc.today), rules)
			if got.EligibleSomewhere != tc.want.EligibleSomewhere || !slices.Equal(got.States, tc.want.States) ||
				!got.ValidUntil.Equal(tc.want.ValidUntil) || got.ExpiringSoon != tc.want.ExpiringSoon ||
				got.BasisVerified != tc.want.BasisVerified || got.NamedEmployerOnly != tc.want.NamedEmployerOnly {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSummaryJSON(t *testing.T) {
	b, err := json.Marshal(Summarize(person(curp, comar), day("2026-07-10"), DefaultRules()))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"eligible_somewhere":true,"states":["MX-CHP"],"valid_until":"2026-07-30","expiring_soon":true,"basis_verified":true}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestWorkSpan(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		name string
		c    *models.Candidate
		want Span
	}{
		{"nothing", person(""), Span{States: []string{}}},
		{"nil candidate", nil, Span{States: []string{}}},
		{"tvr and a passport", person("", tvr, other), Span{States: []string{}}},
		{"permanent", person("", rp), Span{AllStates: true, States: allStates}},
		{"expired tvtf still spans its states and date", person("", tvtf), Span{States: southern, Until: day("2027-03-01")}},
		{"tvtf cut to 366 days", person("", with(tvtf, func(d *models.Document) { d.ExpiresOn = day("2028-01-01") })), Span{States: southern, Until: day("2027-03-02")}},
		{"rt without permit", person("", with(rt, func(d *models.Document) { d.WorkPermission = false })), Span{States: []string{}}},
		{"comar without curp", person("", comar), Span{States: []string{}}},
		{"comar", person(curp, comar), Span{States: []string{"MX-CHP"}, Until: day("2026-07-30")}},
		{"tvtf and comar", person(curp, comar, tvtf), Span{States: southern, Until: day("2027-03-01")}},
		{"tvtf and rt: latest date", person("", tvtf, rt), Span{AllStates: true, States: allStates, Until: day("2027-03-01")}},
		{"no expiry makes until zero", person("", tvtf, rp), Span{AllStates: true, States: allStates}},
		{"named employer", person("", varp), Span{AllStates: true, States: allStates, Until: day("2026-10-28"), NeedsEmployer: "emp-1"}},
		{"two named employers", person("", varp, with(varp, func(d *models.Document) { d.ID = "var2"; d.EmployerID = "emp-2" })),
			Span{AllStates: true, States: allStates, Until: day("2026-10-28")}},
		{"named employer and tvtf", person("", varp, tvtf), Span{AllStates: true, States: allStates, Until: day("2027-03-01")}},
		{"expires before it is issued", person("", with(tvrh, func(d *models.Document) { d.ExpiresOn = day("2026-01-01") })), Span{States: []string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := WorkSpan(tc.c, rules)
			if got.AllStates != tc.want.AllStates || !slices.Equal(got.States, tc.want.States) ||
				!got.Until.Equal(tc.want.Until) || got.NeedsEmployer != tc.want.NeedsEmployer {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
