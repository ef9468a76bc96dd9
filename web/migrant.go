package web

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
)

// The migrants' own pages live under MigrantPrefix, apart from the console: their own
// layout (m_layout.html), templates (m_*.html), stylesheet (static/m.css), cookies and
// words (the migrants package's catalogue, in es, en, fr and ht). They are built for an
// inexpensive phone on a slow, metered connection: no JavaScript, system fonts, one
// small stylesheet, every page well under 60 KB.

// MigrantPrefix is where the migrants' pages are served.
const MigrantPrefix = "/m"

const (
	mSessionCookie = "vincula_m"
	mPreCSRFCookie = "vincula_mcsrf"
	mLangCookie    = "vincula_mlang"
)

// mPage is what every migrant template gets.
type mPage struct {
	Lang     string
	Path     string
	Title    string
	SignedIn bool
	CSRF     string
	Flash    string
	// Form holds what was typed, shown again when the server refuses it; Errors the
	// message beside each field, by field name.
	Form   url.Values
	Errors map[string]string
	Data   map[string]any
	user   models.User
	token  string
}

// T says the catalogue's message key in the page's language.
func (p *mPage) T(key string, args ...any) string { return migrants.T(p.Lang, key, args...) }

// Day writes a date in words in the page's language ("1 de marzo de 2027").
func (p *mPage) Day(d models.Date) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	return p.T("date", t.Day(), p.T(fmt.Sprintf("month.%d", int(t.Month()))), strconv.Itoa(t.Year()))
}

// State names a state by its code.
func (p *mPage) State(code string) string {
	if s, ok := models.StateByCode(code); ok {
		return s.Name
	}
	return code
}

// States names states, "a, b and c", in the page's language.
func (p *mPage) States(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = p.State(c)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return p.T("and", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// Val is what was typed in a field.
func (p *mPage) Val(name string) string { return p.Form.Get(name) }

// Has says whether a value was chosen among a field's values (checkboxes, options).
func (p *mPage) Has(name, value string) bool {
	for _, v := range p.Form[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Err is the message beside a field, if any.
func (p *mPage) Err(name string) string { return p.Errors[name] }

// mRoute is one migrant page; auth pages need a signed-in migrant.
type mRoute struct {
	pattern string
	auth    bool
	handle  func(w http.ResponseWriter, r *http.Request, p *mPage)
}

var mFuncs = template.FuncMap{
	"pct":   func(f float64) int { return int(math.Round(f * 100)) },
	"atoi":  func(s string) int { n, _ := strconv.Atoi(s); return n },
	"dayOf": func(t time.Time) models.Date { return models.DateOf(t) },
	"deref": func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	},
}

// LangChoices are the languages the footer offers, each named in itself.
func (p *mPage) LangChoices() []struct{ Code, Name string } { return langChoices }

// parseMigrantTemplates parses each m_*.html page with the migrants' layout.
func (s *Server) parseMigrantTemplates() error {
	pages, err := fs.Glob(templateFS, "templates/m_*.html")
	if err != nil {
		return err
	}
	for _, pg := range pages {
		name := strings.TrimSuffix(filepath.Base(pg), ".html")
		if name == "m_layout" {
			continue
		}
		t, err := template.New("m_layout.html").Funcs(mFuncs).ParseFS(templateFS, "templates/m_layout.html", pg)
		if err != nil {
			return err
		}
		s.tmpl[name] = t
	}
	return nil
}

// migrantRoutes registers the migrants' pages on the console's mux (called from
// routes when the migrants' use cases are configured).
func (s *Server) migrantRoutes() error {
	if err := s.parseMigrantTemplates(); err != nil {
		return err
	}
	css, err := fs.ReadFile(staticFS, "static/m.css")
	if err != nil {
		return err
	}
	s.mux.HandleFunc("GET "+MigrantPrefix+"/m.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(css)
	})
	for _, rt := range s.migrantPages() {
		s.mux.HandleFunc(rt.pattern, s.mwrap(rt))
	}
	s.mux.HandleFunc("GET "+MigrantPrefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, MigrantPrefix+"/", http.StatusSeeOther)
	})
	return nil
}

// mwrap resolves the language, the migrant's session and the CSRF check of every form,
// then runs the page.
func (s *Server) mwrap(rt mRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		chosen := ""
		if c, err := r.Cookie(mLangCookie); err == nil {
			chosen = c.Value
		}
		p := &mPage{Lang: migrants.Lang(chosen, r.Header.Get("Accept-Language")), Path: r.URL.Path, Form: url.Values{}, Errors: map[string]string{}}
		h.Set("Content-Language", p.Lang)
		if c, err := r.Cookie(mSessionCookie); err == nil && c.Value != "" {
			u, err := s.cfg.Migrants.Resume(r.Context(), c.Value)
			switch {
			case err == nil:
				p.user, p.token, p.SignedIn = u, c.Value, true
			case models.IsKind(err, models.ErrUnauthorized):
				http.SetCookie(w, s.mcookie(r, mSessionCookie, "", -1))
			default:
				s.mfail(w, r, p, err)
				return
			}
		}
		if rt.auth && !p.SignedIn {
			http.Redirect(w, r, MigrantPrefix+"/signin", http.StatusSeeOther)
			return
		}
		if p.SignedIn {
			p.CSRF = sessionCSRF(p.token)
		} else {
			p.CSRF = s.mpreCSRF(w, r)
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if err := r.ParseForm(); err != nil {
				s.mrenderStatus(w, p, http.StatusBadRequest, "m_error", map[string]any{"Message": p.T("err.form")})
				return
			}
			if !sameOrigin(r) || r.PostFormValue("csrf") == "" || r.PostFormValue("csrf") != p.CSRF {
				s.mrenderStatus(w, p, http.StatusForbidden, "m_error", map[string]any{"Message": p.T("err.csrf")})
				return
			}
		}
		rt.handle(w, r, p)
	}
}

// sessionCSRF is the form token of a signed-in migrant: derived from their token, so
// nothing more is stored, and unknown to another site.
func sessionCSRF(token string) string { return accounts.HashToken("csrf:" + token)[:32] }

// mpreCSRF returns the double-submit token of the forms shown before sign-in.
func (s *Server) mpreCSRF(w http.ResponseWriter, r *http.Request) string {
	return s.preCSRFAt(w, r, MigrantPrefix, mPreCSRFCookie)
}

func (s *Server) mcookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return s.cookieAt(r, MigrantPrefix, name, value, maxAge)
}

func (s *Server) mrender(w http.ResponseWriter, p *mPage, name string, data map[string]any) {
	s.mrenderStatus(w, p, http.StatusOK, name, data)
}

func (s *Server) mrenderStatus(w http.ResponseWriter, p *mPage, status int, name string, data map[string]any) {
	t := s.tmpl[name]
	if t == nil {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	p.Data = data
	s.execute(w, t, status, p, "render a migrant page", name)
}

// mfail shows a use case's refusal in the person's words; anything unexpected is
// logged and shown as an internal error.
func (s *Server) mfail(w http.ResponseWriter, r *http.Request, p *mPage, err error) {
	status, msg := http.StatusInternalServerError, p.T("err.internal")
	var th *migrants.Throttled
	switch {
	case models.IsKind(err, models.ErrUnauthorized):
		http.SetCookie(w, s.mcookie(r, mSessionCookie, "", -1))
		http.Redirect(w, r, MigrantPrefix+"/signin", http.StatusSeeOther)
		return
	case errors.As(err, &th):
		status, msg = http.StatusTooManyRequests, waitText(p, th)
	case models.IsKind(err, models.ErrNotFound):
		status, msg = http.StatusNotFound, p.T("err.not_found")
	case models.IsKind(err, models.ErrInvalid), models.IsKind(err, models.ErrConflict):
		status, msg = http.StatusUnprocessableEntity, p.T("err.form")
	default:
		s.log.Error("migrant page failed", "path", r.URL.Path, "err", err)
	}
	if p.Title == "" {
		p.Title = p.T("err.title")
	}
	s.mrenderStatus(w, p, status, "m_error", map[string]any{"Message": msg})
}

func waitText(p *mPage, th *migrants.Throttled) string {
	if th.Locked {
		return p.T("err.locked", int(math.Ceil(th.Wait.Minutes())))
	}
	return p.T("err.wait", max(1, int(math.Ceil(th.Wait.Seconds()))))
}

// migrantFieldErrors puts a use case's field errors beside their fields, in the person's
// words: the catalogue's message for the field, or a plain "check this".
func migrantFieldErrors(p *mPage, err error) bool {
	e, ok := models.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return false
	}
	for _, f := range e.Fields {
		name, key := f.Field, "err."+f.Field
		switch {
		case strings.HasPrefix(f.Field, "documents"):
			name, key = "doc", "err.document"
		case strings.HasPrefix(f.Field, "consent"):
			name, key = "consent", "err.consent"
		case strings.HasPrefix(f.Field, "experience"), strings.HasPrefix(f.Field, "skills"), strings.HasPrefix(f.Field, "languages"),
			strings.HasPrefix(f.Field, "preferred_states"):
			name, key = strings.SplitN(f.Field, "[", 2)[0], "err.field"
		case f.Field == "pin":
			key = map[string]string{migrants.FieldPINRequired: "err.pin_digits", migrants.FieldPINDigits: "err.pin_digits",
				migrants.FieldPINRepeated: "err.pin_repeated", migrants.FieldPINRun: "err.pin_run", migrants.FieldRequired: "err.required"}[f.Message]
		case f.Message == migrants.FieldRequired:
			key = "err.required"
		}
		if key == "" || !migrants.Has(key) {
			key = "err.field"
		}
		if _, seen := p.Errors[name]; !seen {
			p.Errors[name] = p.T(key)
		}
	}
	return true
}

// localBack keeps a "back to" path inside the migrants' pages.
func localBack(back string) string {
	if !strings.HasPrefix(back, MigrantPrefix+"/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		return MigrantPrefix + "/"
	}
	return back
}

// langChoices are the languages offered, each named in itself.
var langChoices = []struct{ Code, Name string }{
	{"es", "Español"}, {"en", "English"}, {"fr", "Français"}, {"ht", "Kreyòl ayisyen"},
}

// mNow is the clock's time, for consent and session cookies.
func (s *Server) mNow() time.Time { return s.cfg.Now() }
