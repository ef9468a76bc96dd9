package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/offices"
	"github.com/vincula/vincula/programme"
	"github.com/vincula/vincula/store"
)

// The admin's pages (offices, counsellors, users and invitations) and the programme
// dashboard. Each handler parses the form, makes one use-case call and shows its
// answer; who may do what is decided in offices, accounts and programme.

// fieldErrors maps a validation error's fields to their messages; nil when err is not
// one.
func fieldErrors(err error) map[string]string {
	e, ok := models.AsError(err)
	if !ok || !models.IsKind(err, models.ErrInvalid) {
		return nil
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		key := f.Field
		if i := strings.IndexByte(key, '['); i > 0 {
			key = key[:i]
		}
		if out[key] == "" {
			out[key] = f.Message
		}
	}
	if len(out) == 0 {
		out["form"] = e.Message
	}
	return out
}

func (s *Server) officeList(w http.ResponseWriter, r *http.Request, p *Page) {
	s.renderOffices(w, r, p, http.StatusOK, map[string]string{}, nil)
}

func (s *Server) renderOffices(w http.ResponseWriter, r *http.Request, p *Page, status int, form map[string]string, fields map[string]string) {
	list, err := s.cfg.Offices.Offices(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.renderStatus(w, p, status, "offices", map[string]any{"Offices": list, "States": models.States, "Form": form, "Fields": fields,
		"Covered": covered(r.PostForm["coverage"]), "Flash": r.URL.Query().Get("done") != ""})
}

func (s *Server) createOffice(w http.ResponseWriter, r *http.Request, p *Page) {
	form := map[string]string{"name": strings.TrimSpace(r.PostFormValue("name")), "state": r.PostFormValue("state")}
	o, err := s.cfg.Offices.CreateOffice(r.Context(), p.User, models.Office{Name: form["name"], State: form["state"],
		CoverageStates: r.PostForm["coverage"]})
	if fe := fieldErrors(err); fe != nil {
		s.renderOffices(w, r, p, http.StatusUnprocessableEntity, form, fe)
		return
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin/offices/"+o.ID+"?done=1", http.StatusSeeOther)
}

func (s *Server) officePage(w http.ResponseWriter, r *http.Request, p *Page) {
	o, err := s.cfg.Offices.Office(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "office", map[string]any{"O": o, "States": models.States, "Covered": covered(o.CoverageStates),
		"Flash": r.URL.Query().Get("done") != ""})
}

func covered(states []string) map[string]bool {
	m := map[string]bool{}
	for _, st := range states {
		m[st] = true
	}
	return m
}

func (s *Server) setOfficeStates(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	_, err := s.cfg.Offices.SetCoverage(r.Context(), p.User, id, r.PostForm["coverage"])
	if fe := fieldErrors(err); fe != nil {
		o, gerr := s.cfg.Offices.Office(r.Context(), p.User, id)
		if gerr != nil {
			s.fail(w, r, p, gerr)
			return
		}
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "office", map[string]any{"O": o, "States": models.States,
			"Covered": covered(r.PostForm["coverage"]), "Fields": fe})
		return
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin/offices/"+id+"?done=1", http.StatusSeeOther)
}

// createCounsellor adds a counsellor to the office and shows, once, the link of their
// invitation to the console.
func (s *Server) createCounsellor(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	form := map[string]string{}
	for _, k := range []string{"c_name", "c_email", "c_languages", "c_capacity"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	capacity, err := strconv.Atoi(form["c_capacity"])
	if err != nil {
		capacity = 0 // refused by the use case as "must be at least 1"
	}
	co, inv, err := s.cfg.Offices.CreateCounsellor(r.Context(), p.User, models.Counsellor{Name: form["c_name"], Email: form["c_email"],
		OfficeID: id, Capacity: capacity, Languages: splitList(form["c_languages"])})
	fe := fieldErrors(err)
	if err != nil && fe == nil {
		s.fail(w, r, p, err)
		return
	}
	o, gerr := s.cfg.Offices.Office(r.Context(), p.User, id)
	if gerr != nil {
		s.fail(w, r, p, gerr)
		return
	}
	data := map[string]any{"O": o, "States": models.States, "Covered": covered(o.CoverageStates)}
	if fe != nil {
		data["CForm"], data["CFields"] = form, fe
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "office", data)
		return
	}
	data["Link"], data["Expires"], data["Invited"] = s.invitationLink(r, inv.Token), inv.ExpiresAt, co.Email
	s.render(w, p, "office", data)
}

// splitList splits a typed list of codes at commas, semicolons and spaces.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

// counsellorLine is a counsellor with their office's name and how full their caseload
// is, for the bar beside it.
type counsellorLine struct {
	models.Counsellor
	OfficeName string
	Percent    int
}

func (s *Server) counsellorList(w http.ResponseWriter, r *http.Request, p *Page) {
	list, err := s.cfg.Offices.Offices(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var lines []counsellorLine
	for _, o := range list {
		for _, c := range o.Counsellors {
			lines = append(lines, counsellorLine{Counsellor: c, OfficeName: o.Name, Percent: percent(c.OpenReferrals, c.Capacity)})
		}
	}
	s.render(w, p, "counsellors", map[string]any{"Lines": lines})
}

func percent(n, of int) int {
	if of <= 0 || n <= 0 {
		return 0
	}
	if n >= of {
		return 100
	}
	return n * 100 / of
}

func (s *Server) counsellorPage(w http.ResponseWriter, r *http.Request, p *Page) {
	c, err := s.cfg.Offices.Counsellor(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "counsellor", map[string]any{"C": c, "Percent": percent(c.OpenReferrals, c.Capacity),
		"Form":  map[string]string{"capacity": strconv.Itoa(c.Capacity), "languages": strings.Join(c.Languages, ", ")},
		"Flash": r.URL.Query().Get("done")})
}

func (s *Server) changeCounsellor(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	form := map[string]string{"capacity": strings.TrimSpace(r.PostFormValue("capacity")), "languages": r.PostFormValue("languages")}
	ch := offices.CounsellorChange{}
	capacity, err := strconv.Atoi(form["capacity"])
	if err != nil {
		capacity = 0 // refused by the use case as "must be at least 1"
	}
	langs := splitList(form["languages"])
	ch.Capacity, ch.Languages = &capacity, &langs
	_, err = s.cfg.Offices.ChangeCounsellor(r.Context(), p.User, id, ch)
	if fe := fieldErrors(err); fe != nil {
		c, gerr := s.cfg.Offices.Counsellor(r.Context(), p.User, id)
		if gerr != nil {
			s.fail(w, r, p, gerr)
			return
		}
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "counsellor", map[string]any{"C": c, "Percent": percent(c.OpenReferrals, c.Capacity),
			"Form": form, "Fields": fe})
		return
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin/counsellors/"+id+"?done=saved", http.StatusSeeOther)
}

func (s *Server) setCounsellorActive(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	active := r.PostFormValue("active") == "true"
	if _, err := s.cfg.Offices.ChangeCounsellor(r.Context(), p.User, id, offices.CounsellorChange{Active: &active}); err != nil {
		s.fail(w, r, p, err)
		return
	}
	done := "deactivated"
	if active {
		done = "reactivated"
	}
	http.Redirect(w, r, Prefix+"/admin/counsellors/"+id+"?done="+done, http.StatusSeeOther)
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, p *Page) {
	ctx := r.Context()
	role := r.URL.Query().Get("role")
	users, more, err := s.cfg.Accounts.Users(ctx, p.User, store.UserFilter{Role: role, Page: store.Page{After: r.URL.Query().Get("after"), Limit: 200}})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	invs, err := s.cfg.Accounts.OpenInvitations(ctx, p.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	next := ""
	if more && len(users) > 0 {
		next = Prefix + "/admin/users?role=" + role + "&after=" + users[len(users)-1].ID
	}
	roles := []models.Role{models.RoleAdmin, models.RoleCounsellor, models.RoleHubStaff, models.RoleOrganiser, models.RoleEmployer}
	s.render(w, p, "users", map[string]any{"Users": users, "Invitations": invs, "Role": role, "Roles": roles, "Next": next,
		"Flash": r.URL.Query().Get("done") != ""})
}

func (s *Server) revokeInvitation(w http.ResponseWriter, r *http.Request, p *Page) {
	if _, err := s.cfg.Accounts.RevokeInvitation(r.Context(), p.User, r.PathValue("id")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin/users?done=1", http.StatusSeeOther)
}

// barRow is one line of a dashboard chart: its label, its count or that it is hidden,
// and its bar's length in percent of the chart's longest.
type barRow struct {
	Label   string
	People  int
	Hidden  bool
	Percent int
}

// dashTable is one of the dashboard's tables, drawn as bars.
type dashTable struct {
	ID, Title, Column string
	Rows              []barRow
}

func (s *Server) dashboardTables(p *Page, d programme.Dashboard) []dashTable {
	tables := []dashTable{
		{ID: "funnel", Title: p.T("dash.funnel"), Column: p.T("dash.stage")},
		{ID: "state-month", Title: p.T("dash.by_state_month"), Column: p.T("dash.state_month")},
		{ID: "gender", Title: p.T("dash.by_gender"), Column: p.T("dash.gender")},
		{ID: "nationality", Title: p.T("dash.by_nationality"), Column: p.T("dash.nationality")},
	}
	label := []func(programme.Cell) string{
		func(c programme.Cell) string { return p.T("dash.stage." + c.Stage) },
		func(c programme.Cell) string { return c.Month + " · " + stateName(c.State) },
		func(c programme.Cell) string { return p.T("gender." + c.Key) },
		func(c programme.Cell) string { return countryName(p, c.Key) },
	}
	for i, cells := range [][]programme.Cell{d.Funnel, d.ByStateMonth, d.ByGender, d.ByNationality} {
		most := 0
		for _, c := range cells {
			most = max(most, c.People)
		}
		for _, c := range cells {
			tables[i].Rows = append(tables[i].Rows, barRow{Label: label[i](c), People: c.People, Hidden: c.Suppressed, Percent: percent(c.People, most)})
		}
	}
	return tables
}

func stateName(code string) string {
	for _, st := range models.States {
		if st.Code == code {
			return st.Name
		}
	}
	return code
}

func countryName(p *Page, code string) string {
	if _, ok := messages["country."+code]; ok {
		return p.T("country."+code) + " (" + code + ")"
	}
	return code
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *Page) {
	d, err := s.cfg.Programme.Dashboard(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "dashboard", map[string]any{"D": d, "Tables": s.dashboardTables(p, d), "Threshold": programme.Threshold,
		"Minutes": int(programme.CacheFor.Minutes())})
}

// dashboardCSV downloads one of the dashboard's tables; hidden cells are empty.
func (s *Server) dashboardCSV(w http.ResponseWriter, r *http.Request, p *Page) {
	d, err := s.cfg.Programme.Dashboard(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var header []string
	var cells []programme.Cell
	var key func(programme.Cell) []string
	switch r.PathValue("table") {
	case "funnel":
		header, cells = []string{p.T("dash.stage")}, d.Funnel
		key = func(c programme.Cell) []string { return []string{c.Stage} }
	case "state-month":
		header, cells = []string{p.T("dash.month"), p.T("dash.state")}, d.ByStateMonth
		key = func(c programme.Cell) []string { return []string{c.Month, c.State} }
	case "gender":
		header, cells = []string{p.T("dash.gender")}, d.ByGender
		key = func(c programme.Cell) []string { return []string{c.Key} }
	case "nationality":
		header, cells = []string{p.T("dash.nationality")}, d.ByNationality
		key = func(c programme.Cell) []string { return []string{c.Key} }
	default:
		s.fail(w, r, p, models.Errorf(models.ErrNotFound, "no such table"))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"vincula-%s-%s.csv\"", r.PathValue("table"), d.Today))
	cw := csv.NewWriter(w)
	cw.Write(append(header, p.T("dash.people"), p.T("dash.hidden_col")))
	for _, c := range cells {
		row := key(c)
		for i := range row {
			row[i] = neutralise(row[i])
		}
		if c.Suppressed {
			row = append(row, "", p.T("dash.hidden_yes"))
		} else {
			row = append(row, strconv.Itoa(c.People), "")
		}
		cw.Write(row)
	}
	cw.Flush()
}
