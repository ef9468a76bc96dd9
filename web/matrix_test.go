package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestRoleMatrix walks every role over every page of the console, as the API's matrix
// test walks its endpoints: each page answers what the use cases allow the role, and
// without a session every page sends to the sign-in.
func TestRoleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		const (
			C, H, O, A, E = models.RoleCounsellor, models.RoleHubStaff, models.RoleOrganiser, models.RoleAdmin, models.RoleEmployer
		)
		ok, forbidden, missing := http.StatusOK, http.StatusForbidden, http.StatusNotFound
		pages := []struct {
			path string
			want map[models.Role]int
		}{
			{"/console/referrals", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: ok}},
			{"/console/referrals?view=office", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: ok}},
			{"/console/referrals/" + c.referral, map[models.Role]int{C: ok, H: missing, O: missing, A: ok, E: ok}},
			{"/console/fairs", map[models.Role]int{C: ok, H: ok, O: ok, A: ok, E: ok}},
			{"/console/fairs/" + c.fair, map[models.Role]int{C: forbidden, H: forbidden, O: ok, A: ok, E: forbidden}},
			{"/console/candidates", map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/candidates/" + c.candidate.ID, map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/admin/invitations", map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			// The admin's pages and the programme dashboard (web/admin.go).
			{"/console/admin/offices", map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/admin/offices/" + c.office, map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/admin/counsellors", map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/admin/counsellors/" + c.users[C].CounsellorID, map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/admin/users", map[models.Role]int{C: forbidden, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/dashboard", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/dashboard/csv/funnel", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: forbidden}},
			{"/console/dashboard/csv/nationality", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: forbidden}},

			// Everyone reads their own notices.
			{"/console/notices", map[models.Role]int{C: ok, H: ok, O: ok, A: ok, E: ok}},

			// The hub staff's desk and a vacancy's matches.
			{"/console/desk/new", map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/candidates/" + c.candidate.ID + "/edit", map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/vocabulary/skills?q=solda&lang=es", map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/vocabulary/occupations?q=alba&lang=es", map[models.Role]int{C: ok, H: ok, O: forbidden, A: ok, E: forbidden}},
			{"/console/vacancies", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: ok}},
			{"/console/vacancies/" + c.vacancy.ID + "/matches", map[models.Role]int{C: ok, H: forbidden, O: forbidden, A: ok, E: ok}},
			{"/console/vacancies/missing/matches", map[models.Role]int{C: missing, H: forbidden, O: forbidden, A: missing, E: missing}},
		}
		anon := c.client()
		for _, p := range pages {
			if status, _ := anon.get(p.path); status != http.StatusSeeOther {
				t.Errorf("GET %s without a session: %d, want 303 to the sign-in", p.path, status)
			}
		}
		// The desk's and the matches' forms, with requests the use cases refuse on their
		// merits where the role may send them: an empty profile (invalid) and a second
		// referral of the person already referred (a conflict).
		invalid := http.StatusUnprocessableEntity
		forms := []struct {
			path string
			form url.Values
			want map[models.Role]int
		}{
			{"/console/desk/new", url.Values{}, map[models.Role]int{C: invalid, H: invalid, O: forbidden, A: invalid, E: forbidden}},
			{"/console/candidates/" + c.candidate.ID + "/edit", url.Values{}, map[models.Role]int{C: invalid, H: invalid, O: forbidden, A: invalid, E: forbidden}},
			{"/console/vacancies/" + c.vacancy.ID + "/refer", url.Values{"candidate_id": {c.candidate.ID}},
				map[models.Role]int{C: invalid, H: forbidden, O: forbidden, A: invalid, E: invalid}},
		}
		for _, role := range []models.Role{C, H, O, A, E} {
			cl := c.signIn(role)
			for _, f := range forms {
				if status, _, _ := cl.send("/console/fairs", f.path, f.form); status != f.want[role] {
					t.Errorf("%s POST %s: %d, want %d", role, f.path, status, f.want[role])
				}
			}
		}
		for _, role := range []models.Role{C, H, O, A, E} {
			cl := c.signIn(role)
			for _, p := range pages {
				status, body := cl.get(p.path)
				if status != p.want[role] {
					t.Errorf("%s GET %s: %d, want %d", role, p.path, status, p.want[role])
				}
				if status == ok && !strings.Contains(p.path, "/csv/") && !strings.HasPrefix(p.path, "/console/vocabulary/") && !strings.Contains(body, `<html lang="es">`) {
					t.Errorf("%s GET %s: not a console page", role, p.path)
				}
			}
		}
	})
}

// TestSessionCookieAndCSRF: the session cookie is HttpOnly and SameSite=Lax; a form
// without the session's token, or posted from another site, is refused; sign-out ends
// the session.
func TestSessionCookieAndCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		cl := c.client()
		_, body := cl.get("/console/signin")
		token := csrfField.FindStringSubmatch(body)[1]
		res, err := cl.http.PostForm(c.srv.URL+"/console/signin", url.Values{"email": {c.emails[models.RoleCounsellor]}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("sign-in without its CSRF token: %d", res.StatusCode)
		}
		res, err = cl.http.PostForm(c.srv.URL+"/console/signin", url.Values{"csrf": {token}, "email": {c.emails[models.RoleCounsellor]}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		var session *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "vincula_session" {
				session = ck
			}
		}
		if res.StatusCode != http.StatusSeeOther || session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
			t.Fatalf("sign-in: %d, cookie %+v (want HttpOnly, Lax, not Secure over plain HTTP)", res.StatusCode, session)
		}
		// A move without the session's token, and one from another origin, are refused.
		move := url.Values{"to": {"contacted"}, "note": {"x"}, "csrf": {token}}
		res, _ = cl.http.PostForm(c.srv.URL+"/console/referrals/"+c.referral+"/move", move)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("a move with the pre-session token: %d", res.StatusCode)
		}
		_, page := cl.get("/console/referrals/" + c.referral)
		move.Set("csrf", csrfField.FindStringSubmatch(page)[1])
		req, _ := http.NewRequest("POST", c.srv.URL+"/console/referrals/"+c.referral+"/move", strings.NewReader(move.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://elsewhere.example")
		res, _ = cl.http.Do(req)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("a move posted from another site: %d", res.StatusCode)
		}
		if r, _ := c.place.Get(context.Background(), c.users[models.RoleAdmin], c.referral); r.Status != models.ReferralPending {
			t.Fatalf("a refused form moved the referral to %s", r.Status)
		}
		if res := cl.post("/console/referrals", "/console/signout", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: %d", res.StatusCode)
		}
		if status, _ := cl.get("/console/referrals"); status != http.StatusSeeOther {
			t.Fatalf("after sign-out: %d", status)
		}
	})
}

// TestImportErrorsCSV: the downloadable row errors neutralise cells a spreadsheet would
// read as formulas.
func TestImportErrorsCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		ctx := context.Background()
		job := models.ImportJob{JobFairID: c.fair, Status: models.ImportFailed, CreatedBy: c.users[models.RoleOrganiser].ID, DryRun: true,
			Errors: []models.ImportError{{Row: 2, Column: "=cmd", Message: `"=HYPERLINK(1)": is not a number`}, {Row: 3, Column: "puesto", Message: "is empty"}}}
		if err := st.CreateImportJob(ctx, &job, ""); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveImportProgress(ctx, &job); err != nil {
			t.Fatal(err)
		}
		status, body := c.signIn(models.RoleOrganiser).get("/console/imports/" + job.ID + "/errors.csv")
		if status != http.StatusOK {
			t.Fatalf("errors.csv: %d", status)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("errors.csv: %v %q", err, body)
		}
		if rows[1][1] != "'=cmd" || rows[1][2] != "'=HYPERLINK(1)" || rows[1][3] != "is not a number" || rows[2][0] != "3" || rows[2][2] != "" {
			t.Fatalf("errors.csv rows: %q", rows)
		}
		if status, _ := c.signIn(models.RoleCounsellor).get("/console/imports/" + job.ID + "/errors.csv"); status != http.StatusForbidden {
			t.Fatalf("a counsellor downloaded the errors: %d", status)
		}
	})
}

// TestEnglishSwitch: Spanish by default; the switch keeps English for the session's
// pages and goes back to the page it was pressed on.
func TestEnglishSwitch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		cl := c.signIn(models.RoleCounsellor)
		if _, body := cl.get("/console/referrals"); !strings.Contains(body, "Mis canalizaciones") {
			t.Fatal("the console is not in Spanish by default")
		}
		res, err := cl.http.Get(c.srv.URL + "/console/lang/en?back=/console/referrals")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/referrals" {
			t.Fatalf("switch: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body := cl.get("/console/referrals")
		if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "My referrals") {
			t.Fatal("the page is not in English after the switch")
		}
		// The switch sends only back into the console.
		res, _ = cl.http.Get(c.srv.URL + "/console/lang/es?back=https://evil.example/")
		res.Body.Close()
		if res.Header.Get("Location") != "/console/" {
			t.Fatalf("switch back to %q", res.Header.Get("Location"))
		}
	})
}

// TestOverdueMarked: a referral left in one state for more than a week is marked
// overdue in the caseload, in words as well as colour.
func TestOverdueMarked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		cl := c.signIn(models.RoleCounsellor)
		if _, body := cl.get("/console/referrals"); strings.Contains(body, `class="overdue"`) || !strings.Contains(body, "Yessenia Marisol Pérez") {
			t.Fatal("a fresh referral is marked overdue, or its person is not named")
		}
		storetest.ClockOf(t, st).Advance(8 * 24 * time.Hour)
		cl = c.signIn(models.RoleCounsellor)
		_, body := cl.get("/console/referrals")
		if !strings.Contains(body, `class="overdue"`) || !strings.Contains(body, "Atrasada") {
			t.Fatal("a referral waiting 8 days is not marked overdue")
		}
	})
}
