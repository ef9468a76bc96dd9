package web_test

import (
	"context"
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// axe is axe-core's minified build (npm package axe-core, MPL-2.0), injected into each
// page to check its accessibility.
//
//go:embed testdata/axe.min.js
var axe string

// browser starts Debian's chromium headless with a fresh profile. Without chromium the
// test is skipped, except under CI, where it fails (.ci/run installs chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (apt-get install -y chromium); the browser tests must run under CI")
		}
		t.Skip("chromium is not installed: apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// eval runs a script in the page and decodes its result.
func eval[T any](t *testing.T, ctx context.Context, script string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkA11y runs axe-core on the page shown and fails on serious or critical
// violations. With VINCULA_SCREENSHOTS set it also saves a screenshot there.
func checkA11y(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	script := `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`
	run(t, ctx, chromedp.Evaluate[chromedp.Void](axe))
	for _, v := range eval[[]string](t, ctx, script) {
		t.Errorf("page %s: %s", name, v)
	}
	if dir := os.Getenv("VINCULA_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func (c *console) signInBrowser(t *testing.T, ctx context.Context, role models.Role) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/signin"),
		chromedp.SendKeys(chromedp.CSS("#email"), c.emails[role]),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#signin-submit")),
		chromedp.WaitVisible(chromedp.CSS("nav")))
}

func (c *console) signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/console/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#signin-submit")))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

// TestBrowserReferralToHire: a counsellor signs in, finds the referral in their
// caseload and carries it from pending to the employer with notes; the employer
// records the interview and the hire (the moves the state machine gives the
// employer); the counsellor then sees it hired, with every step in its history.
func TestBrowserReferralToHire(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/signin"), chromedp.WaitVisible(chromedp.CSS("#email")))
	checkA11y(t, ctx, "signin")
	c.signInBrowser(t, ctx, models.RoleCounsellor)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/notices"), chromedp.WaitVisible(chromedp.CSS("main p")))
	checkA11y(t, ctx, "notices")
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/referrals"), chromedp.WaitVisible(chromedp.CSS("table")))
	checkA11y(t, ctx, "referrals")
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/console/referrals/`+c.referral+`"]`)), chromedp.WaitVisible(chromedp.CSS("#referral-status")))
	checkA11y(t, ctx, "referral")
	for _, to := range []string{"contacted", "sent_to_employer"} {
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#note"), "paso "+to), chromedp.Click(chromedp.CSS("#move-"+to)),
			chromedp.WaitVisible(chromedp.CSS(`#referral-status[data-status="`+to+`"]`)))
	}
	if got := text(t, ctx, "#referral-status"); got != "enviada al empleador" {
		t.Fatalf("after the counsellor's moves the referral reads %q", got)
	}
	c.signOutBrowser(t, ctx)

	c.signInBrowser(t, ctx, models.RoleEmployer)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/referrals/"+c.referral), chromedp.WaitVisible(chromedp.CSS("#move-interviewing")),
		chromedp.SendKeys(chromedp.CSS("#note"), "entrevista el lunes"), chromedp.Click(chromedp.CSS("#move-interviewing")),
		chromedp.WaitVisible(chromedp.CSS(`#referral-status[data-status="interviewing"]`)), chromedp.SendKeys(chromedp.CSS("#note"), "contratada"),
		chromedp.Click(chromedp.CSS("#move-hired")), chromedp.WaitVisible(chromedp.CSS(`#referral-status[data-status="hired"]`)))
	c.signOutBrowser(t, ctx)

	c.signInBrowser(t, ctx, models.RoleCounsellor)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/referrals/"+c.referral), chromedp.WaitVisible(chromedp.CSS("#referral-status")))
	if got := text(t, ctx, "#referral-status"); got != "contratado/a" {
		t.Fatalf("the counsellor sees the referral as %q, want contratado/a", got)
	}
	history := eval[[]string](t, ctx, `[...document.querySelectorAll('#history-h ~ table tbody tr')].map(r => r.cells[4].textContent)`)
	if strings.Join(history, "|") != "corte de café|paso contacted|paso sent_to_employer|entrevista el lunes|contratada" {
		t.Fatalf("history notes: %q", history)
	}
}

// TestBrowserOrganiserImport: an organiser uploads a sheet with a bad row as a dry run,
// reads the row errors (row, column, value, message), then imports the good rows.
func TestBrowserOrganiserImport(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	sheet := filepath.Join(t.TempDir(), "feria.csv")
	if err := os.WriteFile(sheet, []byte("employer_name,rfc,title,state,municipality,positions,start_date\n"+
		"Cafetalera del Soconusco,CSO050815PL2,Cortador de café,MX-CHP,Tapachula,10,2026-12-15\n"+
		"Cafetalera del Soconusco,CSO050815PL2,Seleccionador,MX-CHP,Tapachula,2,2026-13-01\n"+
		"Constructora Sur,CTR120404QW8,Albañil,MX-CHP,Palenque,4,2026-12-20\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.signInBrowser(t, ctx, models.RoleOrganiser)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/fairs"), chromedp.WaitVisible(chromedp.CSS("table")))
	checkA11y(t, ctx, "fairs")
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/console/fairs/`+c.fair+`"]`)), chromedp.WaitVisible(chromedp.CSS("#file")))
	checkA11y(t, ctx, "fair")
	run(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{sheet}), chromedp.Click(chromedp.CSS("#upload-submit")),
		chromedp.WaitVisible(chromedp.CSS("#row-errors")))
	checkA11y(t, ctx, "import-dry-run")
	rows := eval[[][]string](t, ctx, `[...document.querySelectorAll('#row-errors tbody tr')].map(r => [...r.cells].map(c => c.textContent))`)
	if len(rows) != 1 || rows[0][0] != "3" || rows[0][2] != "2026-13-01" || rows[0][3] == "" {
		t.Fatalf("row errors of the dry run: %q", rows)
	}
	if n := text(t, ctx, "#import-created"); n != "0" {
		t.Fatalf("the dry run created %s", n)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS("#import-confirm")),
		chromedp.WaitVisible(chromedp.CSS(`#import-status[data-status="succeeded"]`)))
	if n, f := text(t, ctx, "#import-created"), text(t, ctx, "#import-failed"); n != "2" || f != "1" {
		t.Fatalf("the import of the good rows: created %s, failed %s", n, f)
	}
	checkA11y(t, ctx, "import-done")
}

// TestBrowserEmployerNoDocuments: an employer's session cannot open a candidate's
// profile or documents, and its referral page shows no document.
func TestBrowserEmployerNoDocuments(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	c.signInBrowser(t, ctx, models.RoleEmployer)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/candidates/"+c.candidate.ID), chromedp.WaitVisible(chromedp.CSS("main")))
	body := text(t, ctx, "main")
	if !strings.Contains(body, "Su función no permite abrir esta página") {
		t.Fatalf("the employer opened the profile: %q", body)
	}
	checkA11y(t, ctx, "forbidden")
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/referrals/"+c.referral), chromedp.WaitVisible(chromedp.CSS("#referral-status")))
	body = text(t, ctx, "main")
	for _, d := range c.candidate.Documents {
		if strings.Contains(body, d.Number) || strings.Contains(body, string(d.Type)) {
			t.Fatalf("the employer's referral page shows a document: %q", body)
		}
	}
	if strings.Contains(body, c.candidate.Phone) {
		t.Fatalf("the employer sees the phone of a pending referral")
	}
	c.signOutBrowser(t, ctx)

	// Staff see the profile with its eligibility and verify the unchecked document.
	c.signInBrowser(t, ctx, models.RoleHubStaff)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/candidates"), chromedp.WaitVisible(chromedp.CSS("#q")))
	checkA11y(t, ctx, "candidates")
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "Yessenia"), chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS(`#q[value="Yessenia"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/console/candidates/`+c.candidate.ID+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/console/candidates/`+c.candidate.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#elig-h")))
	checkA11y(t, ctx, "candidate")
	if got := text(t, ctx, "#elig-h + .card"); !strings.Contains(got, "Puede trabajar en MX-CHP hasta") {
		t.Fatalf("eligibility shown: %q", got)
	}
	unchecked := c.candidate.Documents[1].ID
	run(t, ctx, chromedp.Click(chromedp.CSS("#verify-"+unchecked)), chromedp.WaitVisible(chromedp.CSS(".ok")))
	got, err := c.st.Candidate(context.Background(), c.candidate.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Documents[1].Verified || got.Documents[1].VerifiedBy != c.users[models.RoleHubStaff].ID {
		t.Fatalf("after verify: %+v", got.Documents[1])
	}
}

// TestBrowserInvitation: an admin invites a person from the console; they open the link, sets a password (a short one
// is refused next to the form), and signs in with it; the link then no longer works.
func TestBrowserInvitation(t *testing.T) {
	ctx := browser(t)
	c := newConsole(t, storetest.Open(t, store.SQLite))
	// An admin invites her from the console.
	c.signInBrowser(t, ctx, models.RoleAdmin)
	run(t, ctx, chromedp.Navigate(c.srv.URL+"/console/admin/invitations"), chromedp.WaitVisible(chromedp.CSS("#invite-submit")))
	checkA11y(t, ctx, "admin-invitations")
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#name"), "Eva Ruiz"), chromedp.SetValue(chromedp.CSS("#role"), "hub_staff"),
		chromedp.SendKeys(chromedp.CSS("#email"), "eva@sne.example"), chromedp.Click(chromedp.CSS("#invite-submit")),
		chromedp.WaitVisible(chromedp.CSS("#invite-link")))
	link := text(t, ctx, "#invite-link")
	if !strings.HasPrefix(link, c.srv.URL+"/console/invitation/inv_") {
		t.Fatalf("invitation link %q", link)
	}
	c.signOutBrowser(t, ctx)
	run(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#password")))
	checkA11y(t, ctx, "invitation")
	// minlength stops a short password in the browser; the server refuses it too.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[minlength]').forEach(i => i.removeAttribute('minlength'))`),
		chromedp.SendKeys(chromedp.CSS("#password"), "corta"), chromedp.SendKeys(chromedp.CSS("#password2"), "corta"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(".error")))
	if got := text(t, ctx, ".error"); !strings.Contains(got, "al menos 10") {
		t.Fatalf("a short password: %q", got)
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#password"), "una-contrasena-larga"), chromedp.SendKeys(chromedp.CSS("#password2"), "una-contrasena-larga"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#signin-submit")),
		chromedp.SendKeys(chromedp.CSS("#email"), "eva@sne.example"), chromedp.SendKeys(chromedp.CSS("#password"), "una-contrasena-larga"),
		chromedp.Click(chromedp.CSS("#signin-submit")), chromedp.WaitVisible(chromedp.CSS("#q")))
	if who := text(t, ctx, ".who"); !strings.Contains(who, "Eva Ruiz") {
		t.Fatalf("signed in as %q", who)
	}
	run(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(".error")))
	if got := text(t, ctx, ".error"); !strings.Contains(got, "ya se usó o venció") {
		t.Fatalf("a used invitation: %q", got)
	}
}
