// Package web is the console in the browser for SNE counsellors, hub staff, fair
// organisers and admins: server-rendered pages and forms (html/template), sessions in
// a cookie, CSRF tokens on every form, Spanish by default with an English switch, and
// its stylesheet embedded in the binary. No page decides who may see or do what: each
// calls the same use cases as the JSON API (accounts, placement, fairs, profiles, offices,
// programme) and
// shows what they answer.
package web

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/alerts"
	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/offices"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/profiles"
	"github.com/vincula/vincula/programme"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the console is served.
const Prefix = "/console"

// Config is what the console needs: the use cases and a few settings.
type Config struct {
	Accounts  *accounts.Service
	Placement *placement.Service
	Fairs     *fairs.Service
	Profiles  *profiles.Service
	// Offices and Programme are the admin's office and counsellor use cases and the
	// programme dashboard's.
	Offices   *offices.Service
	Programme *programme.Service
	// Matches is a vacancy's ranked candidates (the ranking service the API shares);
	// without it the matches pages answer "not found".
	Matches *placement.Matches
	// Alerts, when set, lists the reader's notices (saved-search alerts).
	Alerts *alerts.Service
	// Migrants, when set, serves the migrants' own pages under MigrantPrefix.
	Migrants *migrants.Service
	// Now is the one clock (overdue referrals are reckoned on it).
	Now func() time.Time
	// UploadDir is where uploaded sheets wait for their import.
	UploadDir string
	// MaxUploadBytes caps an upload (64 MiB when 0).
	MaxUploadBytes int64
	// SecureCookies marks the cookies Secure even when a request did not come over TLS
	// (behind a proxy that terminates it).
	SecureCookies bool
	// Overdue is how long a referral may wait in one state before it is marked overdue
	// (7 days when 0).
	Overdue time.Duration
	Log     *slog.Logger
}

// Server serves the console.
type Server struct {
	cfg  Config
	tmpl map[string]*template.Template
	mux  *http.ServeMux
	log  *slog.Logger
}

// New builds the console.
func New(cfg Config) (*Server, error) {
	if cfg.Accounts == nil || cfg.Placement == nil || cfg.Fairs == nil || cfg.Profiles == nil || cfg.Now == nil ||
		cfg.Offices == nil || cfg.Programme == nil {
		return nil, errors.New("web: the use cases and the clock are required")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 64 << 20
	}
	if cfg.UploadDir == "" {
		cfg.UploadDir = filepath.Join(os.TempDir(), "vincula-uploads")
	}
	if cfg.Overdue <= 0 {
		cfg.Overdue = 7 * 24 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, log: cfg.Log, tmpl: map[string]*template.Template{}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	if cfg.Migrants != nil {
		if err := s.migrantRoutes(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) parseTemplates() error {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		if name == "layout" || strings.HasPrefix(name, "m_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", p)
		if err != nil {
			return err
		}
		s.tmpl[name] = t
	}
	return nil
}

// Handler returns the console's HTTP handler (paths under Prefix).
func (s *Server) Handler() http.Handler { return s.mux }

// page is a route of the console; Public pages need no session.
type page struct {
	pattern string
	public  bool
	handle  func(w http.ResponseWriter, r *http.Request, p *Page)
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix+"/static/", cacheStatic(http.FileServerFS(static))))
	for _, pg := range s.pages() {
		s.mux.HandleFunc(pg.pattern, s.wrap(pg))
	}
	s.mux.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

const (
	sessionCookie = "vincula_session"
	preCSRFCookie = "vincula_csrf"
	langCookie    = "vincula_lang"
)

// wrap resolves the session, the language and the CSRF check of every form, then
// runs the page.
func (s *Server) wrap(pg page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
		p := &Page{Lang: langOf(r), Path: r.URL.Path, server: s}
		if c, err := r.Cookie(sessionCookie); err == nil {
			if sess, err := s.cfg.Accounts.Resume(r.Context(), c.Value); err == nil {
				p.Session = &sess
				p.User = sess.User
			} else if !models.IsKind(err, models.ErrUnauthorized) {
				s.fail(w, r, p, err)
				return
			}
		}
		if p.Session == nil && !pg.public {
			back := url.Values{"next": {r.URL.RequestURI()}}
			http.Redirect(w, r, Prefix+"/signin?"+back.Encode(), http.StatusSeeOther)
			return
		}
		// Forms before a session carry a double-submit token; forms after it, the
		// session's token.
		p.CSRF = s.preCSRF(w, r)
		if p.Session != nil {
			p.CSRF = p.Session.CSRF
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				s.renderStatus(w, p, http.StatusBadRequest, "error", map[string]any{"Message": p.T("err.bad_form")})
				return
			}
			if !sameOrigin(r) || r.PostFormValue("csrf") == "" || r.PostFormValue("csrf") != p.CSRF {
				s.renderStatus(w, p, http.StatusForbidden, "error", map[string]any{"Message": p.T("err.csrf")})
				return
			}
		}
		pg.handle(w, r, p)
	}
}

// sameOrigin refuses a form posted from another site when the browser says where it
// comes from.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return o == ""
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// preCSRF returns the double-submit token of the console's forms shown before sign-in.
func (s *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	return s.preCSRFAt(w, r, Prefix, preCSRFCookie)
}

// preCSRFAt returns the double-submit token kept in the cookie name under path,
// setting the cookie when there is none (the console's and the migrants' pages each
// keep their own).
func (s *Server) preCSRFAt(w http.ResponseWriter, r *http.Request, path, name string) string {
	if c, err := r.Cookie(name); err == nil && len(c.Value) >= 20 {
		return c.Value
	}
	tok := accounts.NewCSRFToken()
	http.SetCookie(w, s.cookieAt(r, path, name, tok, 0))
	r.AddCookie(&http.Cookie{Name: name, Value: tok})
	return tok
}

func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return s.cookieAt(r, Prefix, name, value, maxAge)
}

// cookieAt is an HttpOnly, SameSite=Lax cookie under path, Secure over TLS or when
// configured.
func (s *Server) cookieAt(r *http.Request, path, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.SecureCookies || r.TLS != nil, MaxAge: maxAge}
}

func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "es"
}

// clientAddr is the address failed sign-ins are counted against.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localPath keeps a redirect inside the console.
func localPath(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix + "/"
	}
	return next
}
