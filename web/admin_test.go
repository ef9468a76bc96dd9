package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/programme/programmetest"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestAdminFormsOnlyForAdmins: every admin form posted by another role is refused
// (403) and changes nothing; an admin's changes the office's states and deactivates a
// counsellor.
func TestAdminFormsOnlyForAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		ctx := context.Background()
		counsellor := c.users[models.RoleCounsellor].CounsellorID
		before, _ := st.Offices(ctx)
		forms := []struct {
			path string
			form url.Values
		}{
			{"/console/admin/offices", url.Values{"name": {"SNE Sonora"}, "state": {"MX-SON"}, "coverage": {"MX-SON"}}},
			{"/console/admin/offices/" + c.office + "/states", url.Values{"coverage": {"MX-CHP", "MX-TAB"}}},
			{"/console/admin/counsellors/" + counsellor, url.Values{"capacity": {"3"}, "languages": {"es, ht"}}},
			{"/console/admin/counsellors/" + counsellor + "/active", url.Values{"active": {"false"}}},
			{"/console/admin/invitations/0123456789abcdef/revoke", url.Values{}},
			{"/console/admin/offices/" + c.office + "/counsellors", url.Values{"c_name": {"Luis"}, "c_email": {"luis@sne.example"}, "c_capacity": {"5"}}},
		}
		for _, role := range []models.Role{models.RoleCounsellor, models.RoleHubStaff, models.RoleOrganiser, models.RoleEmployer} {
			cl := c.signIn(role)
			for _, f := range forms {
				if res := cl.post("/console/fairs", f.path, f.form); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", role, f.path, res.StatusCode)
				}
			}
		}
		if o, _ := st.Office(ctx, c.office); len(o.CoverageStates) != 1 {
			t.Fatalf("a refused form changed the office: %+v", o)
		}
		if co, _ := st.Counsellor(ctx, counsellor); !co.Active || co.Capacity != 10 {
			t.Fatalf("a refused form changed the counsellor: %+v", co)
		}
		if offices, _ := st.Offices(ctx); len(offices) != len(before) {
			t.Fatalf("a refused form created an office: %d offices", len(offices))
		}
		if cs, _, _ := st.ListCounsellors(ctx, store.CounsellorFilter{}); len(cs) != 1 {
			t.Fatalf("a refused form created a counsellor: %d counsellors", len(cs))
		}
		admin := c.signIn(models.RoleAdmin)
		for _, f := range forms[1:4] {
			if res := admin.post("/console/admin/offices", f.path, f.form); res.StatusCode != http.StatusSeeOther {
				t.Errorf("admin POST %s: %d, want 303", f.path, res.StatusCode)
			}
		}
		if o, _ := st.Office(ctx, c.office); strings.Join(o.CoverageStates, ",") != "MX-CHP,MX-TAB" {
			t.Fatalf("the office's states: %v", o.CoverageStates)
		}
		if co, _ := st.Counsellor(ctx, counsellor); co.Active || co.Capacity != 3 || strings.Join(co.Languages, ",") != "es,ht" {
			t.Fatalf("the counsellor: %+v", co)
		}
		// A counsellor created on the office's page gets the link of an invitation.
		_, page := admin.get("/console/admin/offices/" + c.office)
		res, err := admin.http.PostForm(c.srv.URL+forms[5].path, url.Values{"c_name": {"Luis"}, "c_email": {"luis@sne.example"}, "c_capacity": {"5"},
			"c_languages": {"es, en"}, "csrf": {csrfField.FindStringSubmatch(page)[1]}})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, 64<<10)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(b.String(), "/console/invitation/inv_") {
			t.Fatalf("create a counsellor: %d", res.StatusCode)
		}
		if cs, _, _ := st.ListCounsellors(ctx, store.CounsellorFilter{}); len(cs) != 2 || cs[1].Name != "Luis" || cs[1].Capacity != 5 {
			t.Fatalf("counsellors after the creation: %+v", cs)
		}
		// Unknown invitations are not found, not a server error.
		if res := admin.post("/console/admin/users", forms[4].path, forms[4].form); res.StatusCode != http.StatusNotFound {
			t.Fatalf("revoke an unknown invitation: %d", res.StatusCode)
		}
	})
}

// TestAdminFormErrors: refused values come back beside their fields with what was
// typed kept.
func TestAdminFormErrors(t *testing.T) {
	c := newConsole(t, storetest.Open(t, store.SQLite))
	admin := c.signIn(models.RoleAdmin)
	counsellor := c.users[models.RoleCounsellor].CounsellorID
	_, body := admin.get("/console/admin/counsellors/" + counsellor)
	form := url.Values{"capacity": {"0"}, "languages": {"es, zz9"}, "csrf": {csrfField.FindStringSubmatch(body)[1]}}
	res, err := admin.http.PostForm(c.srv.URL+"/console/admin/counsellors/"+counsellor, form)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	res.Body.Close()
	page := b.String()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="capacity-error"`) || !strings.Contains(page, `value="es, zz9"`) {
		t.Fatalf("a capacity of 0: %d\n%s", res.StatusCode, page)
	}
	_, body = admin.get("/console/admin/offices")
	res, err = admin.http.PostForm(c.srv.URL+"/console/admin/offices", url.Values{"name": {" "}, "state": {"MX-SON"}, "coverage": {"MX-SON"},
		"csrf": {csrfField.FindStringSubmatch(body)[1]}})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	res.Body.Close()
	if page := b.String(); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="name-error"`) ||
		!strings.Contains(page, `value="MX-SON" checked`) || !strings.Contains(page, `<option value="MX-SON" selected>`) {
		t.Fatalf("an office without a name: %d\n%s", res.StatusCode, page)
	}
}

// TestDashboardPageAndCSV: the dashboard of a planted programme shows the funnel and
// hides small cells on the page and in every CSV, where a hidden count is an empty
// cell; the English switch translates the CSV's header.
func TestDashboardPageAndCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		programmetest.Plant(t, st)
		cl := c.signIn(models.RoleCounsellor)
		status, page := cl.get("/console/dashboard")
		if status != http.StatusOK {
			t.Fatalf("dashboard: %d", status)
		}
		// The console's own person (referred, pending) adds one to the first three stages.
		for _, want := range []string{"<th scope=\"row\">Inscritas</th>\n    <td class=\"num\">31</td>", "<th scope=\"row\">Pueden trabajar</th>\n    <td class=\"num\">27</td>",
			"<th scope=\"row\">Canalizadas</th>\n    <td class=\"num\">26</td>", "<th scope=\"row\">Contratadas</th>\n    <td class=\"num\">20</td>",
			"<th scope=\"row\">mujer</th>\n    <td class=\"num\">10</td>"} {
			if !strings.Contains(page, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		if strings.Contains(page, ">9<") || strings.Contains(page, ">1<") || strings.Contains(page, ">4<") {
			t.Error("the dashboard shows a hidden count")
		}
		read := func(table string) [][]string {
			status, body := cl.get("/console/dashboard/csv/" + table)
			if status != http.StatusOK {
				t.Fatalf("%s.csv: %d", table, status)
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		gender := read("gender")
		if len(gender) != 4 || strings.Join(gender[0], ",") != "Género,Personas,Oculto" || strings.Join(gender[1], ",") != "F,10," ||
			strings.Join(gender[2], ",") != "M,,sí" || strings.Join(gender[3], ",") != "X,,sí" {
			t.Fatalf("gender.csv: %q", gender)
		}
		hidden := 0
		for _, row := range read("state-month")[1:] {
			if row[2] == "" {
				hidden++
			} else if row[2] != "6" && row[2] != "7" {
				t.Fatalf("state-month.csv shows %q", row)
			}
		}
		if hidden != 2 {
			t.Fatalf("state-month.csv hides %d cells, want 2", hidden)
		}
		if funnel := read("funnel"); len(funnel) != 6 || funnel[5][0] != "hired" || funnel[5][1] != "20" {
			t.Fatalf("funnel.csv: %q", funnel)
		}
		res, err := cl.http.Get(c.srv.URL + "/console/lang/en?back=/console/dashboard")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if nat := read("nationality"); strings.Join(nat[0], ",") != "Nationality,People,Hidden" || strings.Join(nat[1], ",") != "GT,15," {
			t.Fatalf("nationality.csv in English: %q", nat)
		}
		if _, page := cl.get("/console/dashboard"); !strings.Contains(page, "Programme dashboard") || !strings.Contains(page, "Hired") {
			t.Fatal("the dashboard is not in English after the switch")
		}
	})
}
