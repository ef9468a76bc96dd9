package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// tabletShot saves, with VINCULA_SCREENSHOTS set, the page shown at a tablet's width
// (checkA11y saves the laptop's).
func tabletShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("VINCULA_SCREENSHOTS")
	if dir == "" {
		return
	}
	run(t, ctx, chromedp.EmulateViewport(768, 1024))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
	if err := os.WriteFile(filepath.Join(dir, name+"-tablet.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserDeskRegister: hub staff open "registrar persona", type a person's profile
// while the CURP is checked as typed and the occupation is suggested from the
// vocabulary in Haitian Creole; the server refuses a wrong CURP next to its field,
// keeping what was typed; corrected, the profile is saved with its document, and its
// page says where and until when the person may work.
func TestBrowserDeskRegister(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	today := c.place.Today()
	c.signInBrowser(t, ctx, models.RoleHubStaff)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/candidates"), chromedp.WaitVisible(chromedp.CSS("#register-person")),
		chromedp.Click(chromedp.CSS("#register-person")), chromedp.WaitVisible(chromedp.CSS("#full_name")))
	checkA11y(t, ctx, "desk")
	tabletShot(t, ctx, "desk")

	// The CURP as typed: a wrong check digit is named, the right one accepted.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#curp"), strings.ToLower(wilsonCURP[:17])+"X"))
	if got := text(t, ctx, "#curp-check"); !strings.Contains(got, "dígito verificador debería ser "+wilsonCURP[17:]) {
		t.Fatalf("a wrong check digit as typed: %q", got)
	}
	run(t, ctx, clearField("#curp"), chromedp.SendKeys(chromedp.CSS("#curp"), "JOXW94"))
	if got := text(t, ctx, "#curp-check"); got != "Lleva 6 de 18 caracteres." {
		t.Fatalf("half a CURP: %q", got)
	}
	run(t, ctx, clearField("#curp"), chromedp.SendKeys(chromedp.CSS("#curp"), "JOXW941308"))
	if got := text(t, ctx, "#curp-check"); !strings.Contains(got, "fecha de nacimiento") {
		t.Fatalf("a month 13: %q", got)
	}
	run(t, ctx, clearField("#curp"), chromedp.SendKeys(chromedp.CSS("#curp"), wilsonCURP))
	if got := text(t, ctx, "#curp-check"); got != "La CURP está bien formada." {
		t.Fatalf("a right CURP: %q", got)
	}

	// The person says their trade in Haitian Creole; the vocabulary suggests it.
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#speaks"), "ht"), chromedp.SendKeys(chromedp.CSS("#occupation_0"), "bòs mas"),
		chromedp.WaitReady(chromedp.CSS(`#occupation_0-list option[value="bòs mason"]`)))
	if label := eval[string](t, ctx, `document.querySelector('#occupation_0-list option').label`); label != "albañil" {
		t.Fatalf("the suggestion's Spanish label: %q", label)
	}
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#speaks"), "es"), chromedp.SendKeys(chromedp.CSS("#skill_0"), "solda"),
		chromedp.WaitReady(chromedp.CSS(`#skill_0-list option[value="soldadura"]`)),
		clearField("#skill_0"), chromedp.SendKeys(chromedp.CSS("#skill_0"), "soldadura"),
		chromedp.SendKeys(chromedp.CSS("#skill_years_0"), "4"))

	// The rest of the profile, and a document seen at the desk; the CURP mistyped again.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#full_name"), "Wilson Joseph"), chromedp.SendKeys(chromedp.CSS("#nationality"), "HT"),
		chromedp.SetValue(chromedp.CSS("#birth_date"), "1994-03-08"), chromedp.SetValue(chromedp.CSS("#current_state"), "MX-CHP"),
		chromedp.SendKeys(chromedp.CSS("#municipality"), "Tapachula"), chromedp.SetValue(chromedp.CSS("#education_level"), "secondary"),
		chromedp.SetValue(chromedp.CSS("#lang_code_0"), "ht"), chromedp.SetValue(chromedp.CSS("#lang_level_0"), "native"),
		chromedp.Click(chromedp.CSS("#pref-MX-NLE")),
		chromedp.SetValue(chromedp.CSS("#doc_type_0"), "visitante_razones_humanitarias"),
		chromedp.SendKeys(chromedp.CSS("#doc_number_0"), "TVRH-CHP-2026-020202"),
		chromedp.SetValue(chromedp.CSS("#doc_issued_0"), today.AddDays(-20).String()),
		chromedp.SetValue(chromedp.CSS("#doc_expires_0"), today.AddDays(345).String()),
		chromedp.Click(chromedp.CSS("#share_profile")),
		clearField("#curp"), chromedp.SendKeys(chromedp.CSS("#curp"), wilsonCURP[:17]+"X"),
		chromedp.Click(chromedp.CSS("#desk-submit")), chromedp.WaitVisible(chromedp.CSS("#err-curp")))
	checkA11y(t, ctx, "desk-refused")
	if got := text(t, ctx, "#err-curp"); !strings.Contains(got, "La CURP no es válida") {
		t.Fatalf("the server's word on the CURP: %q", got)
	}
	if name := eval[string](t, ctx, `document.querySelector('#full_name').value + '|' + document.querySelector('#doc_number_0').value`); name != "Wilson Joseph|TVRH-CHP-2026-020202" {
		t.Fatalf("the refused form lost what was typed: %q", name)
	}
	run(t, ctx, clearField("#curp"), chromedp.SendKeys(chromedp.CSS("#curp"), wilsonCURP),
		chromedp.Click(chromedp.CSS("#desk-submit")), chromedp.WaitVisible(chromedp.CSS("#saved")))
	checkA11y(t, ctx, "desk-registered")
	tabletShot(t, ctx, "desk-registered")
	if got := text(t, ctx, "#elig-h + .card"); !strings.Contains(got, "Puede trabajar en MX-CHP hasta "+today.AddDays(345).String()) ||
		!strings.Contains(got, "Visitante por razones humanitarias") {
		t.Fatalf("eligibility after registration: %q", got)
	}
	if got := text(t, ctx, "#docs-h + table tbody"); !strings.Contains(got, "Verificado por") {
		t.Fatalf("the desk's document is not recorded as verified: %q", got)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS("#edit-profile")), chromedp.WaitVisible(chromedp.CSS("#desk-submit")))
	checkA11y(t, ctx, "desk-edit")
	if got := eval[string](t, ctx, `document.querySelector('#curp').value + '|' + document.querySelector('#skill_0').value`); got != wilsonCURP+"|soldadura" {
		t.Fatalf("the edit form holds %q", got)
	}
}

// TestBrowserMatchesRefer: a counsellor opens the open vacancies, then a vacancy's
// matches, reads each score's breakdown (bars with their values in text) and refers
// a person with a note; the referral then is in their caseload.
func TestBrowserMatchesRefer(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	c.signInBrowser(t, ctx, models.RoleCounsellor)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/vacancies"), chromedp.WaitVisible(chromedp.CSS("table")))
	checkA11y(t, ctx, "vacancies")
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/console/vacancies/`+c.vacancy.ID+`/matches"]`)),
		chromedp.WaitVisible(chromedp.CSS("#match-"+c.candidate.ID)))
	checkA11y(t, ctx, "matches")
	tabletShot(t, ctx, "matches")
	parts := eval[[]string](t, ctx, `[...document.querySelectorAll('#match-`+c.candidate.ID+` table.parts tbody tr')].map(r =>
		r.cells[0].textContent + '=' + r.querySelector('.val').textContent + ':' + (r.querySelector('.fill').className.match(/w\d+/) || [''])[0])`)
	if len(parts) != 7 || !strings.HasPrefix(parts[0], "Texto=") || !strings.HasPrefix(parts[1], "Habilidades=") {
		t.Fatalf("the breakdown: %q", parts)
	}
	for _, p := range parts {
		// Each bar's width is its value to the nearest 5%.
		name, rest, _ := strings.Cut(p, "=")
		val, class, _ := strings.Cut(rest, ":")
		if class == "" || val == "" {
			t.Fatalf("part %s has no bar or no value: %q", name, p)
		}
	}
	// Yessenia already has an open referral to it: the page says so instead of offering another.
	if got := text(t, ctx, "#match-"+c.candidate.ID+" .referred-already"); !strings.Contains(got, c.referral) {
		t.Fatalf("the open referral is not shown: %q", got)
	}
	// Another person, registered meanwhile, is referred.
	at := c.st.Now()()
	today := c.place.Today()
	jean := models.Candidate{FullName: "Jean Baptiste Louis", Nationality: "HT", BirthDate: models.MustDate("1990-01-02"), CurrentState: "MX-CHP",
		Status: models.CandidateActive, Languages: []models.LanguageSkill{{Code: "ht", Level: "native"}}, EducationLevel: "primary",
		Skills: []models.CandidateSkill{{Name: "corte de café"}}, Consent: models.Consent{ShareProfile: true, GivenAt: &at},
		Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-9", IssuedOn: today.AddDays(-3), ExpiresOn: today.AddDays(200),
			Verified: true, VerifiedBy: "u-hub", VerifiedAt: &at}}}
	jean.Normalize()
	if err := c.st.CreateCandidate(context.Background(), &jean); err != nil {
		t.Fatal(err)
	}
	c.sync()
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/vacancies/"+c.vacancy.ID+"/matches"), chromedp.WaitVisible(chromedp.CSS("#match-"+jean.ID)),
		chromedp.SendKeys(chromedp.CSS("#note-"+jean.ID), "cortó café dos temporadas"), chromedp.Click(chromedp.CSS("#refer-"+jean.ID)),
		chromedp.WaitVisible(chromedp.CSS("#referred")), chromedp.WaitVisible(chromedp.CSS("#match-"+jean.ID+" .referred-already")))
	checkA11y(t, ctx, "matches-referred")
	run(t, ctx, chromedp.Click(chromedp.CSS("#referred a")), chromedp.WaitVisible(chromedp.CSS("#referral-status")))
	if got := text(t, ctx, "#referral-status"); got != "pendiente" {
		t.Fatalf("the new referral reads %q", got)
	}
	notes := eval[[]string](t, ctx, `[...document.querySelectorAll('#history-h ~ table tbody tr')].map(r => r.cells[4].textContent)`)
	if len(notes) != 1 || notes[0] != "cortó café dos temporadas" {
		t.Fatalf("the referral's history: %q", notes)
	}
}

// clearField empties a text field as a person selecting its text and deleting it would.
func clearField(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); el.value = ''; el.dispatchEvent(new Event('input')); })()`)
}
