package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// checkPhone fails when a control of the page shown is smaller than 44 × 44 pixels
// (a checkbox or radio button counts with its label) or the page scrolls sideways,
// then runs axe-core on it (checkA11y, which also saves a screenshot when asked).
func checkPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	script := `(() => {
		const bad = [];
		document.querySelectorAll('a, button, select, input:not([type=hidden]), textarea, summary').forEach(e => {
			let el = e;
			if (e.type === 'checkbox' || e.type === 'radio') el = e.closest('label') || e;
			const r = el.getBoundingClientRect();
			if ((r.width === 0 && r.height === 0) || r.right < 0) return;
			if (r.height < 44 || r.width < 44) bad.push((e.id || e.textContent.trim() || e.tagName) + ': ' + Math.round(r.width) + 'x' + Math.round(r.height));
		});
		if (document.documentElement.scrollWidth > window.innerWidth) bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
		return bad;
	})()`
	for _, b := range eval[[]string](t, ctx, script) {
		t.Errorf("page %s at 360×640: %s", name, b)
	}
	checkA11y(t, ctx, name)
}

// setValue sets a select's or a date field's value, as a person picking it would.
func setValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = %q`, sel, value))
}

// download clicks a button that sends a file and returns the file the browser saved.
func download(t *testing.T, ctx context.Context, button string) string {
	t.Helper()
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	allow := true
	run(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &allow})
		return err
	}), chromedp.Click(chromedp.CSS(button)))
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no download")
	return ""
}

// TestBrowserMigrantInEachLanguage: on a 360 × 640 screen, once per language, a
// person chooses the language on the first page, registers with a humanitarian visitor
// card, says what work they have done, sees where they may work and why, sees the
// coffee-picking vacancy that fits them (and is in the employer's matches), withdraws
// consent (and is gone from them), downloads their data and erases themselves. Every
// page passes axe-core and has touch targets of 44 pixels or more.
func TestBrowserMigrantInEachLanguage(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	m := newMigrantSite(t, st)
	base := m.srv.URL
	for i, lang := range migrants.Languages {
		t.Run(lang, func(t *testing.T) {
			ctx := browser(t)
			T := func(key string, args ...any) string { return migrants.T(lang, key, args...) }
			shot := func(page string) string { return "m-" + lang + "-" + page }
			number := fmt.Sprintf("+52962555090%d", i)
			today := models.DateOf(st.Now()())
			run(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(base+"/m/"), chromedp.WaitVisible(chromedp.CSS("#go-register")),
				chromedp.Click(chromedp.CSS(`.choices a[hreflang="`+lang+`"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"] #go-register`)))
			checkPhone(t, ctx, shot("start"))
			run(t, ctx, chromedp.Click(chromedp.CSS("#go-register")), chromedp.WaitVisible(chromedp.CSS("#register-submit")))
			checkPhone(t, ctx, shot("register"))
			// Sent empty, the form comes back with what is wrong beside each field.
			run(t, ctx, chromedp.SendKeys(chromedp.CSS("#full_name"), "Wilner"), chromedp.Click(chromedp.CSS("#register-submit")),
				chromedp.WaitVisible(chromedp.CSS("#pin-err")))
			if got := text(t, ctx, "#consent-err"); got != T("err.consent") {
				t.Errorf("no consent given: %q", got)
			}
			checkPhone(t, ctx, shot("register-refused"))
			run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#full_name').value = ''`))
			run(t, ctx,
				chromedp.SendKeys(chromedp.CSS("#full_name"), "Wilner Pierre Louis"),
				chromedp.SendKeys(chromedp.CSS("#phone"), number),
				chromedp.SendKeys(chromedp.CSS("#pin"), "482916"),
				setValue("#birth_date", "1993-08-14"), setValue("#nationality", "HT"), setValue("#current_state", "MX-CHP"),
				setValue("#education_level", "secondary"), setValue("#doc_type", "visitante_razones_humanitarias"),
				chromedp.SendKeys(chromedp.CSS("#doc_number"), "TVRH-2026-7710"+fmt.Sprint(i)),
				setValue("#doc_issued", today.AddDays(-20).String()), setValue("#doc_expires", today.AddDays(340).String()),
				chromedp.Click(chromedp.CSS("#consent-yes")),
				chromedp.Click(chromedp.CSS("#register-submit")), chromedp.WaitVisible(chromedp.CSS(".tiles")))
			if got := text(t, ctx, ".flash"); got != T("home.welcome") {
				t.Fatalf("after registering: %q", got)
			}
			checkPhone(t, ctx, shot("home"))
			login, err := st.MigrantLoginByPhone(context.Background(), number)
			if err != nil {
				t.Fatal(err)
			}
			id := login.CandidateID

			run(t, ctx, chromedp.Click(chromedp.CSS("#go-profile")), chromedp.WaitVisible(chromedp.CSS("#profile-save")),
				chromedp.SendKeys(chromedp.CSS("#skills"), "corte de café"),
				chromedp.SendKeys(chromedp.CSS("#job1"), "Cortador de café"), chromedp.SendKeys(chromedp.CSS("#years1"), "3"),
				setValue("#lang_ht", "native"), chromedp.Click(chromedp.CSS("#profile-save")), chromedp.WaitVisible(chromedp.CSS(".flash")))
			if got := text(t, ctx, ".flash"); got != T("prof.saved") {
				t.Fatalf("profile saved: %q", got)
			}
			if got := text(t, ctx, ".doc .tag"); got != T("doc.unchecked") {
				t.Errorf("a document typed in by the person: %q", got)
			}
			checkPhone(t, ctx, shot("profile"))

			run(t, ctx, chromedp.Navigate(base+"/m/work"), chromedp.WaitVisible(chromedp.CSS("#summary")))
			if got := text(t, ctx, "#summary .big"); got != T("work.everywhere") {
				t.Errorf("where I may work: %q", got)
			}
			work := text(t, ctx, "main")
			for _, want := range []string{T("work.yes", "Chiapas"), T("work.basis", T("doc.visitante_razones_humanitarias")),
				T("work.until", "") /* the date follows */, T("why.unverified"), T("step.unverified"), T("gloss.inm")} {
				if !strings.Contains(work, strings.TrimSuffix(want, ".")) {
					t.Errorf("the work page lacks %q:\n%s", want, work)
				}
			}
			checkPhone(t, ctx, shot("work"))

			m.sync()
			run(t, ctx, chromedp.Navigate(base+"/m/vacancies"), chromedp.WaitVisible(chromedp.CSS("main h1")))
			vac := text(t, ctx, "main")
			for _, want := range []string{"Cortador de café", T("vac.why"), T("part.skills"), T("vac.salary", 7500, 9000)} {
				if !strings.Contains(vac, want) {
					t.Errorf("the vacancies page lacks %q:\n%s", want, vac)
				}
			}
			checkPhone(t, ctx, shot("vacancies"))
			if !m.matched(id) {
				t.Fatal("the consenting person is not in the employer's matches")
			}

			run(t, ctx, chromedp.Navigate(base+"/m/referrals"), chromedp.WaitVisible(chromedp.CSS("main h1")))
			checkPhone(t, ctx, shot("referrals"))

			run(t, ctx, chromedp.Navigate(base+"/m/data"), chromedp.WaitVisible(chromedp.CSS("#consent-withdraw")))
			checkPhone(t, ctx, shot("data"))
			run(t, ctx, chromedp.Click(chromedp.CSS("#consent-withdraw")), chromedp.WaitVisible(chromedp.CSS("#consent-give")))
			if got := text(t, ctx, "#consent-state"); got != T("data.consent_no") {
				t.Errorf("after withdrawing: %q", got)
			}
			if m.matched(id) {
				t.Fatal("the person who withdrew consent is still in the employer's matches")
			}

			export := download(t, ctx, "#export")
			if !strings.Contains(export, `"id": "`+id+`"`) || !strings.Contains(export, `"share_profile": false`) ||
				!strings.Contains(export, models.AuditCandidateExport) {
				t.Errorf("the download: %.400s", export)
			}

			// Without the box ticked the browser does not send the form.
			run(t, ctx, chromedp.Click(chromedp.CSS("#erase-submit")))
			if _, err := st.Candidate(context.Background(), id); err != nil {
				t.Fatalf("erased without the box ticked: %v", err)
			}
			run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.Click(chromedp.CSS("#erase-submit")), chromedp.WaitVisible(chromedp.CSS("#erased")))
			if got := text(t, ctx, "main h1"); got != T("erased.title") {
				t.Errorf("after erasing: %q", got)
			}
			checkPhone(t, ctx, shot("erased"))
			if _, err := st.Candidate(context.Background(), id); !models.IsKind(err, models.ErrNotFound) {
				t.Fatalf("the profile after erasure: %v", err)
			}
			run(t, ctx, chromedp.Navigate(base+"/m/signin"), chromedp.WaitVisible(chromedp.CSS("#signin-submit")))
			checkPhone(t, ctx, shot("signin"))
		})
	}
}
