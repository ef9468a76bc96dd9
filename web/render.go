package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
)

// Page is what every template gets: the language, the user, the form token, and the
// page's own data.
type Page struct {
	Lang    string
	Path    string
	Title   string
	User    models.User
	Session *accounts.Session
	CSRF    string
	// Flash is a message shown above the page (a move done, an import started).
	Flash  string
	Data   map[string]any
	server *Server
}

// T translates a message key into the page's language.
func (p *Page) T(key string) string { return translate(p.Lang, key) }

// Tf translates and formats.
func (p *Page) Tf(key string, args ...any) string {
	return fmt.Sprintf(translate(p.Lang, key), args...)
}

// Status names a referral state in the page's language.
func (p *Page) Status(s models.ReferralStatus) string { return translate(p.Lang, "status."+string(s)) }

// Role names a role in the page's language.
func (p *Page) Role(r models.Role) string { return translate(p.Lang, "role."+string(r)) }

// Is says whether the signed-in user has one of the roles (for the menu only: pages
// ask the use cases).
func (p *Page) Is(roles ...string) bool {
	for _, r := range roles {
		if string(p.User.Role) == r {
			return true
		}
	}
	return false
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
	"day": func(d models.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	},
	"join":      strings.Join,
	"stateName": stateName,
	"percent":   scorePercent,
	"list":      func(v ...string) []string { return v },
	"inc":       func(i int) int { return i + 1 },
	"fieldErr":  func(f deskForm, field string) fieldProblem { return fieldProblem{M: f.Err(field), ID: f.ErrID(field)} },
	"barClass":  barClass,
}

func (s *Server) render(w http.ResponseWriter, p *Page, name string, data map[string]any) {
	s.renderStatus(w, p, http.StatusOK, name, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, p *Page, status int, name string, data map[string]any) {
	t := s.tmpl[name]
	if t == nil {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	p.Data = data
	if p.Title == "" {
		p.Title = p.T("title." + name)
	}
	s.execute(w, t, status, p, "render a console page", name)
}

// execute renders t with p into a buffer first, so that a template error is a clean
// 500 (logged as what, with the page's name) rather than half a page.
func (s *Server) execute(w http.ResponseWriter, t *template.Template, status int, p any, what, name string) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error(what, "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows a use case's refusal as a page: not found, forbidden, or the message of
// an invalid or conflicting request; anything else is an internal error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *Page, err error) {
	status, msg := http.StatusInternalServerError, p.T("err.internal")
	switch {
	case models.IsKind(err, models.ErrUnauthorized):
		http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
		return
	case models.IsKind(err, models.ErrNotFound):
		status, msg = http.StatusNotFound, p.T("err.not_found")
	case models.IsKind(err, models.ErrForbidden):
		status, msg = http.StatusForbidden, p.T("err.forbidden")
	case models.IsKind(err, models.ErrInvalid), models.IsKind(err, models.ErrConflict), models.IsKind(err, models.ErrNotEligible):
		status, msg = http.StatusUnprocessableEntity, errorText(err)
	default:
		s.log.Error("console page failed", "path", r.URL.Path, "err", err)
	}
	p.Title = p.T("title.error")
	s.renderStatus(w, p, status, "error", map[string]any{"Message": msg})
}

// errorText is a domain error's message with its field errors.
func errorText(err error) string {
	e, ok := models.AsError(err)
	if !ok {
		return err.Error()
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += "; " + f.Field + ": " + f.Message
	}
	return msg
}

// fieldProblem is what the template "ferr" draws: a field's problem and its element's id.
type fieldProblem struct{ M, ID string }
