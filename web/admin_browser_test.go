package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/programme/programmetest"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestBrowserAdmin: an admin adds a state to an office, deactivates a counsellor and
// revokes a pending invitation, in the browser; axe-core finds no serious or critical
// violation on any of the admin's pages.
func TestBrowserAdmin(t *testing.T) {
	ctx := browser(t)
	st := storetest.Open(t, store.SQLite)
	c := newConsole(t, st)
	bg := context.Background()
	inv, err := accounts.New(st, st.Now(), accounts.Config{}).Invite(bg, c.users[models.RoleAdmin],
		models.User{Name: "Olga Ramírez", Email: "olga@sne.example", Role: models.RoleOrganiser})
	if err != nil {
		t.Fatal(err)
	}
	c.signInBrowser(t, ctx, models.RoleAdmin)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/admin/offices"), chromedp.WaitVisible(chromedp.CSS("#create-office")))
	checkA11y(t, ctx, "admin-offices")
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/console/admin/offices/`+c.office+`"]`)), chromedp.WaitVisible(chromedp.CSS("#save-states")))
	checkA11y(t, ctx, "admin-office")
	run(t, ctx, chromedp.Click(chromedp.CSS("#cov-MX-TAB")), chromedp.Click(chromedp.CSS("#save-states")),
		chromedp.WaitVisible(chromedp.CSS("#office-saved")))
	if got := text(t, ctx, "#office-covers"); got != "Chiapas, Tabasco" {
		t.Fatalf("the office covers %q after the change", got)
	}
	if o, _ := st.Office(bg, c.office); strings.Join(o.CoverageStates, ",") != "MX-CHP,MX-TAB" {
		t.Fatalf("stored coverage: %v", o.CoverageStates)
	}
	// A new counsellor for the office, with their invitation's link shown once.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#c_name"), "Luis Fernando Ruiz"), chromedp.SendKeys(chromedp.CSS("#c_email"), "luis@sne.example"),
		chromedp.Click(chromedp.CSS("#create-counsellor")), chromedp.WaitVisible(chromedp.CSS("#invite-link")))
	checkA11y(t, ctx, "admin-office-new-counsellor")
	if link := text(t, ctx, "#invite-link"); !strings.Contains(link, "/console/invitation/inv_") {
		t.Fatalf("the new counsellor's link: %q", link)
	}

	counsellor := c.users[models.RoleCounsellor].CounsellorID
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/admin/counsellors"), chromedp.WaitVisible(chromedp.CSS("table")))
	checkA11y(t, ctx, "admin-counsellors")
	run(t, ctx, chromedp.Click(chromedp.CSS("#counsellor-"+counsellor)), chromedp.WaitVisible(chromedp.CSS("#deactivate")))
	checkA11y(t, ctx, "admin-counsellor")
	run(t, ctx, chromedp.Click(chromedp.CSS("#deactivate")), chromedp.WaitVisible(chromedp.CSS(`#counsellor-status[data-active="false"]`)))
	if got := text(t, ctx, "#counsellor-done"); !strings.Contains(got, "desactivado/a") {
		t.Fatalf("after deactivating: %q", got)
	}
	if co, _ := st.Counsellor(bg, counsellor); co.Active || co.OpenReferrals != 0 {
		t.Fatalf("stored counsellor: %+v", co)
	}

	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/admin/users"), chromedp.WaitVisible(chromedp.CSS("#users-h")))
	checkA11y(t, ctx, "admin-users")
	handle := accounts.HashToken(inv.Token)[:16]
	run(t, ctx, chromedp.Click(chromedp.CSS("#revoke-"+handle)), chromedp.WaitVisible(chromedp.CSS("#revoked")))
	if _, err := accounts.New(st, st.Now(), accounts.Config{}).OpenInvitation(bg, inv.Token); !models.IsKind(err, models.ErrNotFound) {
		t.Fatalf("the revoked link still opens: %v", err)
	}
}

// TestBrowserDashboard: a counsellor opens the programme dashboard of a planted
// programme and reads its funnel; hidden cells say so in words; axe-core finds no
// serious or critical violation, in Spanish or in English.
func TestBrowserDashboard(t *testing.T) {
	ctx := browser(t)
	st := storetest.Open(t, store.SQLite)
	c := newConsole(t, st)
	programmetest.Plant(t, st)
	c.signInBrowser(t, ctx, models.RoleCounsellor)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/dashboard"), chromedp.WaitVisible(chromedp.CSS("#table-funnel")))
	checkA11y(t, ctx, "dashboard")
	funnel := eval[[]string](t, ctx, `[...document.querySelectorAll('#table-funnel tbody tr')].map(r => r.querySelector('th').textContent.trim() + '=' + r.querySelector('td').textContent.trim())`)
	if got, want := strings.Join(funnel, " "), "Inscritas=31 Pueden trabajar=27 Canalizadas=26 Entrevistadas=22 Contratadas=20"; got != want {
		t.Fatalf("funnel: %s, want %s", got, want)
	}
	gender := eval[[]string](t, ctx, `[...document.querySelectorAll('#table-gender tbody td.num')].map(td => td.textContent.trim())`)
	if strings.Join(gender, " ") != "10 oculto oculto" {
		t.Fatalf("by gender: %q", gender)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/console/lang/en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #table-funnel`)))
	checkA11y(t, ctx, "dashboard-en")
}
