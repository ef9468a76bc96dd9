package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
)

func (s *Server) pages() []page {
	return []page{
		{pattern: "GET " + Prefix + "/{$}", handle: s.home},
		{pattern: "GET " + Prefix + "/signin", public: true, handle: s.signInForm},
		{pattern: "POST " + Prefix + "/signin", public: true, handle: s.signIn},
		{pattern: "POST " + Prefix + "/signout", handle: s.signOut},
		{pattern: "GET " + Prefix + "/invitation/{token}", public: true, handle: s.invitationForm},
		{pattern: "POST " + Prefix + "/invitation/{token}", public: true, handle: s.acceptInvitation},
		{pattern: "GET " + Prefix + "/lang/{code}", public: true, handle: s.switchLang},
		{pattern: "GET " + Prefix + "/referrals", handle: s.referrals},
		{pattern: "GET " + Prefix + "/referrals/{id}", handle: s.referral},
		{pattern: "POST " + Prefix + "/referrals/{id}/move", handle: s.moveReferral},
		{pattern: "GET " + Prefix + "/fairs", handle: s.fairList},
		{pattern: "GET " + Prefix + "/fairs/{id}", handle: s.fair},
		{pattern: "POST " + Prefix + "/fairs/{id}/imports", handle: s.upload},
		{pattern: "GET " + Prefix + "/imports/{id}", handle: s.importJob},
		{pattern: "POST " + Prefix + "/imports/{id}/confirm", handle: s.confirmImport},
		{pattern: "GET " + Prefix + "/imports/{id}/errors.csv", handle: s.importErrorsCSV},
		{pattern: "GET " + Prefix + "/candidates", handle: s.candidates},
		{pattern: "POST " + Prefix + "/candidates", handle: s.candidates},
		{pattern: "GET " + Prefix + "/candidates/{id}", handle: s.candidate},
		{pattern: "POST " + Prefix + "/candidates/{id}/documents/{doc}/verify", handle: s.verifyDocument},
		{pattern: "GET " + Prefix + "/admin/invitations", handle: s.inviteForm},
		{pattern: "POST " + Prefix + "/admin/invitations", handle: s.invite},

		// Admin: offices and their states, counsellors, users and invitations; the
		// programme dashboard (web/admin.go).
		{pattern: "GET " + Prefix + "/admin/offices", handle: s.officeList},
		{pattern: "POST " + Prefix + "/admin/offices", handle: s.createOffice},
		{pattern: "GET " + Prefix + "/admin/offices/{id}", handle: s.officePage},
		{pattern: "POST " + Prefix + "/admin/offices/{id}/states", handle: s.setOfficeStates},
		{pattern: "POST " + Prefix + "/admin/offices/{id}/counsellors", handle: s.createCounsellor},
		{pattern: "GET " + Prefix + "/admin/counsellors", handle: s.counsellorList},
		{pattern: "GET " + Prefix + "/admin/counsellors/{id}", handle: s.counsellorPage},
		{pattern: "POST " + Prefix + "/admin/counsellors/{id}", handle: s.changeCounsellor},
		{pattern: "POST " + Prefix + "/admin/counsellors/{id}/active", handle: s.setCounsellorActive},
		{pattern: "GET " + Prefix + "/admin/users", handle: s.userList},
		{pattern: "POST " + Prefix + "/admin/invitations/{id}/revoke", handle: s.revokeInvitation},
		{pattern: "GET " + Prefix + "/dashboard", handle: s.dashboard},
		{pattern: "GET " + Prefix + "/dashboard/csv/{table}", handle: s.dashboardCSV},
		// The reader's notices (notices.go).
		{pattern: "GET " + Prefix + "/notices", handle: s.notices},
		// The hub staff's desk and a vacancy's matches (desk.go, matches.go).
		{pattern: "GET " + Prefix + "/desk/new", handle: s.deskNew},
		{pattern: "POST " + Prefix + "/desk/new", handle: s.deskCreate},
		{pattern: "GET " + Prefix + "/candidates/{id}/edit", handle: s.deskEdit},
		{pattern: "POST " + Prefix + "/candidates/{id}/edit", handle: s.deskUpdate},
		{pattern: "GET " + Prefix + "/vocabulary/{kind}", handle: s.vocabulary},
		{pattern: "GET " + Prefix + "/vacancies", handle: s.vacancyList},
		{pattern: "GET " + Prefix + "/vacancies/{id}/matches", handle: s.vacancyMatches},
		{pattern: "POST " + Prefix + "/vacancies/{id}/refer", handle: s.refer},
	}
}

// home sends each role to the first thing it looks for (CONSOLE.md).
func (s *Server) home(w http.ResponseWriter, r *http.Request, p *Page) {
	to := Prefix + "/referrals"
	switch p.User.Role {
	case models.RoleOrganiser:
		to = Prefix + "/fairs"
	case models.RoleHubStaff:
		to = Prefix + "/candidates"
	case models.RoleAdmin:
		to = Prefix + "/admin/counsellors"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request, p *Page) {
	if p.Session != nil {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	s.render(w, p, "signin", map[string]any{"Next": localPath(r.URL.Query().Get("next"))})
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request, p *Page) {
	email := r.PostFormValue("email")
	next := localPath(r.PostFormValue("next"))
	sess, err := s.cfg.Accounts.SignIn(r.Context(), email, r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		var th *accounts.ErrThrottled
		msg := p.T("signin.wrong")
		status := http.StatusUnauthorized
		switch {
		case errors.As(err, &th):
			msg, status = p.T("signin.throttled"), http.StatusTooManyRequests
		case !models.IsKind(err, models.ErrUnauthorized):
			s.fail(w, r, p, err)
			return
		}
		s.renderStatus(w, p, status, "signin", map[string]any{"Next": next, "Email": email, "Error": msg})
		return
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, sess.Token, int(s.cfg.Accounts.Config().AbsoluteTimeout.Seconds())))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, p *Page) {
	if err := s.cfg.Accounts.SignOut(r.Context(), p.Session.Token); err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request, p *Page) {
	inv, err := s.cfg.Accounts.OpenInvitation(r.Context(), r.PathValue("token"))
	if err != nil {
		s.renderStatus(w, p, http.StatusNotFound, "error", map[string]any{"Message": p.T("invite.gone")})
		return
	}
	s.render(w, p, "invitation", map[string]any{"Email": inv.Email, "Token": r.PathValue("token")})
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request, p *Page) {
	token := r.PathValue("token")
	inv, err := s.cfg.Accounts.OpenInvitation(r.Context(), token)
	if err != nil {
		s.renderStatus(w, p, http.StatusNotFound, "error", map[string]any{"Message": p.T("invite.gone")})
		return
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "invitation", map[string]any{"Email": inv.Email, "Token": token, "Error": p.T("invite.mismatch")})
		return
	}
	if _, err := s.cfg.Accounts.Accept(r.Context(), token, pw); err != nil {
		if models.IsKind(err, models.ErrInvalid) {
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "invitation", map[string]any{"Email": inv.Email, "Token": token, "Error": p.T("invite.short")})
			return
		}
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

func (s *Server) switchLang(w http.ResponseWriter, r *http.Request, p *Page) {
	code := r.PathValue("code")
	if code != "en" {
		code = "es"
	}
	c := s.cookie(r, langCookie, code, 365*24*3600)
	http.SetCookie(w, c)
	http.Redirect(w, r, localPath(r.URL.Query().Get("back")), http.StatusSeeOther)
}

// referralRow is one line of a caseload or queue.
type referralRow struct {
	placement.Line
	Overdue bool
}

func (s *Server) referrals(w http.ResponseWriter, r *http.Request, p *Page) {
	q := r.URL.Query()
	view := q.Get("view")
	f := placement.Filter{Status: q.Get("status"), Page: store.Page{Limit: 200, After: q.Get("after")}}
	if view == "office" {
		f.Office = p.User.OfficeID
	}
	items, more, err := s.cfg.Placement.Caseload(r.Context(), p.User, f)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	now := s.cfg.Now()
	rows := make([]referralRow, len(items))
	for i, it := range items {
		rows[i] = referralRow{Line: it, Overdue: it.Status.Open() && now.Sub(it.UpdatedAt) > s.cfg.Overdue}
	}
	next := ""
	if more && len(items) > 0 {
		v := q
		v.Set("after", items[len(items)-1].ID)
		next = Prefix + "/referrals?" + v.Encode()
	}
	s.render(w, p, "referrals", map[string]any{"Rows": rows, "View": view, "Status": f.Status, "Statuses": models.ReferralStatuses,
		"Next": next, "Office": p.User.OfficeID != ""})
}

func (s *Server) referral(w http.ResponseWriter, r *http.Request, p *Page) {
	ref, err := s.cfg.Placement.Get(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "referral", map[string]any{"R": ref, "Flash": r.URL.Query().Get("done") != ""})
}

func (s *Server) moveReferral(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	_, err := s.cfg.Placement.Move(r.Context(), p.User, id, models.ReferralStatus(r.PostFormValue("to")), r.PostFormValue("note"))
	if err != nil {
		if models.IsKind(err, models.ErrInvalid) || models.IsKind(err, models.ErrConflict) || models.IsKind(err, models.ErrNotEligible) {
			ref, gerr := s.cfg.Placement.Get(r.Context(), p.User, id)
			if gerr != nil {
				s.fail(w, r, p, gerr)
				return
			}
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "referral", map[string]any{"R": ref, "Error": errorText(err), "Note": r.PostFormValue("note")})
			return
		}
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/referrals/"+id+"?done=1", http.StatusSeeOther)
}

func (s *Server) fairList(w http.ResponseWriter, r *http.Request, p *Page) {
	items, _, err := s.cfg.Fairs.Fairs(r.Context(), p.User, store.Page{Limit: 200})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "fairs", map[string]any{"Fairs": items})
}

func (s *Server) fair(w http.ResponseWriter, r *http.Request, p *Page) {
	f, err := s.cfg.Fairs.ImportInto(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "fair", map[string]any{"Fair": f})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, p *Page) {
	ctx := r.Context()
	fair, err := s.cfg.Fairs.ImportInto(ctx, p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "fair", map[string]any{"Fair": fair, "Error": p.T("upload.nofile")})
		return
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	if ext != ".csv" && ext != ".xlsx" && ext != ".json" && ext != ".txt" && ext != ".tsv" {
		s.renderStatus(w, p, http.StatusUnprocessableEntity, "fair", map[string]any{"Fair": fair, "Error": p.T("upload.type")})
		return
	}
	if hdr.Size > s.cfg.MaxUploadBytes {
		s.renderStatus(w, p, http.StatusRequestEntityTooLarge, "fair", map[string]any{"Fair": fair, "Error": p.T("upload.large")})
		return
	}
	id := fairs.NewJobID()
	path := filepath.Join(s.cfg.UploadDir, id+ext)
	if err := save(file, path); err != nil {
		s.fail(w, r, p, err)
		return
	}
	mode := models.ImportAllOrNothing
	if r.PostFormValue("mode") == string(models.ImportValidRows) {
		mode = models.ImportValidRows
	}
	dry := r.PostFormValue("dry_run") != "false"
	job, err := s.cfg.Fairs.Start(ctx, p.User, fair, id, fairs.Upload{Path: path, Name: filepath.Base(hdr.Filename), Mode: mode, DryRun: dry, Keep: dry})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/imports/"+job.ID, http.StatusSeeOther)
}

func save(src multipart.File, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// errorLine is a row error with the cell's value split off the message when the
// message quotes it first, as the importer's messages do.
type errorLine struct {
	Row                    int
	Column, Value, Message string
}

func errorLines(errs []models.ImportError) []errorLine {
	out := make([]errorLine, len(errs))
	for i, e := range errs {
		l := errorLine{Row: e.Row, Column: e.Column, Message: e.Message}
		if q, err := strconv.QuotedPrefix(e.Message); err == nil {
			if v, err := strconv.Unquote(q); err == nil {
				l.Value = v
				l.Message = strings.TrimLeft(strings.TrimPrefix(e.Message, q), ": ")
			}
		}
		out[i] = l
	}
	return out
}

func (s *Server) importJob(w http.ResponseWriter, r *http.Request, p *Page) {
	job, err := s.cfg.Fairs.Job(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	running := job.Status == models.ImportQueued || job.Status == models.ImportRunning
	pct := 0
	if job.TotalRows > 0 {
		pct = job.ProcessedRows * 100 / job.TotalRows
	}
	s.render(w, p, "import", map[string]any{"Job": job, "Running": running, "Percent": pct, "Errors": errorLines(job.Errors),
		"CanConfirm": job.DryRun && !running && job.TotalRows > job.Failed})
}

func (s *Server) confirmImport(w http.ResponseWriter, r *http.Request, p *Page) {
	job, err := s.cfg.Fairs.Confirm(r.Context(), p.User, r.PathValue("id"), models.ImportValidRows)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/imports/"+job.ID, http.StatusSeeOther)
}

// neutralise keeps a spreadsheet from reading a cell as a formula: a cell beginning
// with = + - @ (or a tab or carriage return) gets a leading apostrophe.
func neutralise(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Server) importErrorsCSV(w http.ResponseWriter, r *http.Request, p *Page) {
	job, err := s.cfg.Fairs.Job(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"errores-%s.csv\"", job.ID))
	cw := csv.NewWriter(w)
	cw.Write([]string{p.T("errors.row"), p.T("errors.column"), p.T("errors.value"), p.T("errors.message")})
	for _, e := range errorLines(job.Errors) {
		cw.Write([]string{strconv.Itoa(e.Row), neutralise(e.Column), neutralise(e.Value), neutralise(e.Message)})
	}
	cw.Flush()
}

// candidates is the search: the terms arrive in a POST body, never in the URL, where
// names would end up in logs and browser history.
func (s *Server) candidates(w http.ResponseWriter, r *http.Request, p *Page) {
	q := strings.TrimSpace(r.PostFormValue("q"))
	if len(q) > 256 {
		q = q[:256]
	}
	items, _, err := s.cfg.Profiles.Search(r.Context(), p.User, store.CandidateFilter{Q: q, Status: r.PostFormValue("status"), Page: store.Page{Limit: 50}})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "candidates", map[string]any{"Items": items, "Q": q})
}

func (s *Server) candidate(w http.ResponseWriter, r *http.Request, p *Page) {
	prof, err := s.cfg.Profiles.Get(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "candidate", map[string]any{"P": prof, "Flash": r.URL.Query().Get("done") != "", "Saved": r.URL.Query().Get("saved") != ""})
}

func (s *Server) verifyDocument(w http.ResponseWriter, r *http.Request, p *Page) {
	id := r.PathValue("id")
	if _, err := s.cfg.Profiles.VerifyDocument(r.Context(), p.User, id, r.PathValue("doc")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, Prefix+"/candidates/"+id+"?done=1", http.StatusSeeOther)
}

// inviteRoles are the roles an admin invites from the console (counsellors are created
// with their office and capacity on the office's page, or through the API and then
// invited by user id).
var inviteRoles = []models.Role{models.RoleHubStaff, models.RoleOrganiser, models.RoleEmployer, models.RoleAdmin}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request, p *Page) {
	if err := s.cfg.Accounts.MayInvite(p.User); err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "invitations", map[string]any{"Roles": inviteRoles, "Form": map[string]string{}})
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request, p *Page) {
	form := map[string]string{}
	for _, k := range []string{"name", "email", "role", "employer_id", "user_id"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	inv, err := s.cfg.Accounts.Invite(r.Context(), p.User, models.User{ID: form["user_id"], Name: form["name"], Email: form["email"],
		Role: models.Role(form["role"]), EmployerID: form["employer_id"]})
	if err != nil {
		if e, ok := models.AsError(err); ok && models.IsKind(err, models.ErrInvalid) {
			fields := map[string]string{}
			for _, f := range e.Fields {
				fields[f.Field] = f.Message
			}
			s.renderStatus(w, p, http.StatusUnprocessableEntity, "invitations", map[string]any{"Roles": inviteRoles, "Form": form, "Fields": fields})
			return
		}
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "invitations", map[string]any{"Roles": inviteRoles, "Form": map[string]string{},
		"Link": s.invitationLink(r, inv.Token), "Expires": inv.ExpiresAt, "Email": form["email"]})
}

// invitationLink is the address of an invitation's page, where the person sets their
// password.
func (s *Server) invitationLink(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + Prefix + "/invitation/" + token
}
