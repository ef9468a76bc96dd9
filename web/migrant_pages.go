package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
)

// migrantPages is the route list of the migrants' pages.
func (s *Server) migrantPages() []mRoute {
	m := MigrantPrefix
	return []mRoute{
		{pattern: "GET " + m + "/{$}", handle: s.mStart},
		{pattern: "GET " + m + "/lang", handle: s.mLang},
		{pattern: "GET " + m + "/register", handle: s.mRegisterForm},
		{pattern: "POST " + m + "/register", handle: s.mRegister},
		{pattern: "GET " + m + "/signin", handle: s.mSignInForm},
		{pattern: "POST " + m + "/signin", handle: s.mSignIn},
		{pattern: "POST " + m + "/signout", auth: true, handle: s.mSignOut},
		{pattern: "GET " + m + "/home", auth: true, handle: s.mHome},
		{pattern: "GET " + m + "/work", auth: true, handle: s.mWork},
		{pattern: "GET " + m + "/vacancies", auth: true, handle: s.mVacancies},
		{pattern: "GET " + m + "/referrals", auth: true, handle: s.mReferrals},
		{pattern: "GET " + m + "/profile", auth: true, handle: s.mProfile},
		{pattern: "POST " + m + "/profile", auth: true, handle: s.mSaveProfile},
		{pattern: "GET " + m + "/data", auth: true, handle: s.mData},
		{pattern: "POST " + m + "/consent", auth: true, handle: s.mConsent},
		{pattern: "POST " + m + "/export", auth: true, handle: s.mExport},
		{pattern: "POST " + m + "/erase", auth: true, handle: s.mErase},
	}
}

func (s *Server) mStart(w http.ResponseWriter, r *http.Request, p *mPage) {
	if p.SignedIn {
		http.Redirect(w, r, MigrantPrefix+"/home", http.StatusSeeOther)
		return
	}
	p.Title = p.T("start.title")
	s.mrender(w, p, "m_start", map[string]any{"Langs": langChoices})
}

// mLang remembers the language chosen (a year) and goes back where the person was.
func (s *Server) mLang(w http.ResponseWriter, r *http.Request, p *mPage) {
	to := r.URL.Query().Get("to")
	if slices.Contains(migrants.Languages, to) {
		c := s.mcookie(r, mLangCookie, to, 365*24*3600)
		http.SetCookie(w, c)
	}
	http.Redirect(w, r, localBack(r.URL.Query().Get("back")), http.StatusSeeOther)
}

// registerData is what the registration form offers.
func registerData() map[string]any {
	return map[string]any{
		"Countries": []string{"GT", "HN", "SV", "NI", "HT", "VE", "CU", "CO", "EC", "XX"},
		"States":    models.States,
		"Education": models.EducationLevels,
		"DocTypes": []models.DocumentType{models.DocVisitanteRazonesHumanitarias, models.DocConstanciaCOMAR,
			models.DocVisitanteTrabajadorFronterizo, models.DocResidentePermanente, models.DocResidenteTemporal,
			models.DocVisitanteActividadesRemuneradas, models.DocVisitanteRegional},
	}
}

func (s *Server) mRegisterForm(w http.ResponseWriter, r *http.Request, p *mPage) {
	p.Title = p.T("reg.title")
	s.mrender(w, p, "m_register", registerData())
}

func dateField(v string) models.Date {
	d, err := models.ParseDate(strings.TrimSpace(v))
	if err != nil {
		return models.Date{}
	}
	return d
}

func (s *Server) mRegister(w http.ResponseWriter, r *http.Request, p *mPage) {
	p.Title = p.T("reg.title")
	svc := s.cfg.Migrants
	if err := svc.AdmitRegistration(clientAddr(r)); err != nil {
		s.mfail(w, r, p, err)
		return
	}
	f := r.PostForm
	pin := f.Get("pin")
	p.Form = f
	f.Del("pin") // never shown again
	cand := models.Candidate{FullName: f.Get("full_name"), Phone: f.Get("phone"), BirthDate: dateField(f.Get("birth_date")),
		Nationality: f.Get("nationality"), CurrentState: f.Get("current_state"), EducationLevel: f.Get("education_level")}
	if dt := models.DocumentType(f.Get("doc_type")); dt != "" {
		d := models.Document{Type: dt, Number: strings.TrimSpace(f.Get("doc_number")), IssuedOn: dateField(f.Get("doc_issued")),
			ExpiresOn: dateField(f.Get("doc_expires")), WorkPermission: f.Get("doc_work") == "yes"}
		if dt == models.DocConstanciaCOMAR {
			d.State = cand.CurrentState // a claim is filed where the person is
		}
		cand.Documents = []models.Document{d}
	}
	answered := f.Get("consent") == "yes" || f.Get("consent") == "no"
	if answered {
		t := s.mNow().UTC()
		cand.Consent = models.Consent{ShareProfile: f.Get("consent") == "yes", GivenAt: &t}
	}
	reg, err := svc.Register(r.Context(), migrants.Registration{Profile: cand, PIN: pin, ConsentAnswered: answered})
	if err != nil {
		var th *migrants.Throttled
		switch {
		case errors.As(err, &th):
			p.Flash = waitText(p, th)
		case models.IsKind(err, models.ErrConflict):
			p.Errors["phone"] = p.T("err.phone_taken")
		case migrantFieldErrors(p, err):
			p.Flash = p.T("err.form")
		default:
			s.mfail(w, r, p, err)
			return
		}
		s.mrenderStatus(w, p, http.StatusUnprocessableEntity, "m_register", registerData())
		return
	}
	s.startSession(w, r, reg.Token, reg.ExpiresAt)
	http.Redirect(w, r, MigrantPrefix+"/home?new=1", http.StatusSeeOther)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, s.mcookie(r, mSessionCookie, token, max(1, int(expires.Sub(s.mNow()).Seconds()))))
	http.SetCookie(w, s.mcookie(r, mPreCSRFCookie, "", -1))
}

func (s *Server) mSignInForm(w http.ResponseWriter, r *http.Request, p *mPage) {
	if p.SignedIn {
		http.Redirect(w, r, MigrantPrefix+"/home", http.StatusSeeOther)
		return
	}
	p.Title = p.T("in.title")
	if r.URL.Query().Get("out") == "1" {
		p.Flash = p.T("out.done")
	}
	s.mrender(w, p, "m_signin", nil)
}

func (s *Server) mSignIn(w http.ResponseWriter, r *http.Request, p *mPage) {
	p.Title = p.T("in.title")
	svc := s.cfg.Migrants
	p.Form.Set("phone", r.PostForm.Get("phone"))
	err := svc.AdmitLogin(clientAddr(r))
	var sess migrants.Session
	if err == nil {
		sess, err = svc.Login(r.Context(), clientAddr(r), r.PostForm.Get("phone"), r.PostForm.Get("pin"))
	}
	if err != nil {
		var th *migrants.Throttled
		status := http.StatusUnauthorized
		switch {
		case errors.As(err, &th):
			p.Flash, status = waitText(p, th), http.StatusTooManyRequests
		case errors.Is(err, migrants.ErrLoginFailed):
			p.Flash = p.T("err.login")
		case migrantFieldErrors(p, err):
			status = http.StatusUnprocessableEntity
		default:
			s.mfail(w, r, p, err)
			return
		}
		s.mrenderStatus(w, p, status, "m_signin", nil)
		return
	}
	s.startSession(w, r, sess.Token, sess.ExpiresAt)
	http.Redirect(w, r, MigrantPrefix+"/home", http.StatusSeeOther)
}

func (s *Server) mSignOut(w http.ResponseWriter, r *http.Request, p *mPage) {
	if err := s.cfg.Migrants.SignOut(r.Context(), p.user); err != nil && !models.IsKind(err, models.ErrNotFound) {
		s.mfail(w, r, p, err)
		return
	}
	http.SetCookie(w, s.mcookie(r, mSessionCookie, "", -1))
	http.Redirect(w, r, MigrantPrefix+"/signin?out=1", http.StatusSeeOther)
}

func (s *Server) mHome(w http.ResponseWriter, r *http.Request, p *mPage) {
	cand, err := s.cfg.Migrants.Profile(r.Context(), p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	p.Title = p.T("home.title")
	if r.URL.Query().Get("new") == "1" {
		p.Flash = p.T("home.welcome")
	}
	s.mrender(w, p, "m_home", map[string]any{"Name": cand.FullName})
}

// place is one state's decision, said in the person's words.
type place struct {
	matching.Decision
	// Why and Next are catalogue keys: the situations behind a refusal and what to do.
	Why, Next []string
	// Rules are the decision's own reasons and next steps, shown when the catalogue
	// has no plainer words for a situation.
	Rules []string
}

func placeOf(d matching.Decision) place {
	pl := place{Decision: d}
	for _, c := range d.Codes {
		if migrants.Has("why." + c) {
			pl.Why = append(pl.Why, "why."+c)
			pl.Next = append(pl.Next, "step."+c)
		}
	}
	if !d.Eligible && len(pl.Why) == 0 {
		pl.Why, pl.Next = []string{"why.other"}, []string{"step.other"}
		pl.Rules = append(slices.Clone(d.Reasons), d.NextSteps...)
	}
	return pl
}

func (s *Server) mWork(w http.ResponseWriter, r *http.Request, p *mPage) {
	ctx := r.Context()
	svc := s.cfg.Migrants
	cand, decisions, err := svc.Places(ctx, p.user, p.Lang)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	sum, err := svc.WhereMayIWork(ctx, p.user, svc.Today())
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	places := make([]place, len(decisions))
	for i, d := range decisions {
		places[i] = placeOf(d)
	}
	p.Title = p.T("nav.work")
	s.mrender(w, p, "m_work", map[string]any{"Summary": sum, "Everywhere": len(sum.States) == len(models.States),
		"Places": places, "Candidate": cand})
}

// fitParts are the parts of a match's score that say why a vacancy fits, in the order
// they are told.
var fitParts = []string{"skills", "occupation", "experience", "languages", "location", "availability", "text"}

// vacancyLine is one vacancy that fits, with the parts that make it fit.
type vacancyLine struct {
	Vacancy models.Vacancy
	Score   float64
	Why     []string
}

func (s *Server) mVacancies(w http.ResponseWriter, r *http.Request, p *mPage) {
	page, err := s.cfg.Migrants.Matches(r.Context(), p.user, "", 20)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	lines := make([]vacancyLine, len(page.Items))
	for i, it := range page.Items {
		l := vacancyLine{Vacancy: it.Vacancy, Score: it.Match.Score}
		asks := map[string]bool{"skills": len(it.Vacancy.Skills) > 0, "languages": len(it.Vacancy.Languages) > 0,
			"experience": it.Vacancy.MinExperienceYears > 0, "occupation": true, "location": true, "availability": true, "text": true}
		for _, part := range fitParts {
			// A part the vacancy asks nothing of says nothing about the person.
			if asks[part] && it.Match.Breakdown[part] >= 0.5 {
				l.Why = append(l.Why, "part."+part)
			}
		}
		lines[i] = l
	}
	p.Title = p.T("nav.vacancies")
	s.mrender(w, p, "m_vacancies", map[string]any{"Lines": lines})
}

func (s *Server) mReferrals(w http.ResponseWriter, r *http.Request, p *mPage) {
	refs, err := s.cfg.Migrants.Referrals(r.Context(), p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	p.Title = p.T("nav.referrals")
	s.mrender(w, p, "m_referrals", map[string]any{"Referrals": refs})
}

// profileLanguages are the languages the profile form asks about, and levelChoices
// the levels it offers in plain words.
var (
	profileLanguages = []string{"es", "en", "fr", "ht", "pt"}
	levelChoices     = []string{"A2", "B2", "C1", "native"}
)

// profileForm fills the form's values from a profile.
func profileForm(c models.Candidate) map[string][]string {
	f := map[string][]string{}
	var skills []string
	for _, sk := range c.Skills {
		skills = append(skills, sk.Name)
	}
	f["skills"] = []string{strings.Join(skills, "\n")}
	for _, l := range c.Languages {
		f["lang_"+l.Code] = []string{nearestLevel(l.Level)}
	}
	for i, e := range c.Experience {
		if i < 3 {
			n := strconv.Itoa(i + 1)
			f["job"+n] = []string{e.Title}
			f["years"+n] = []string{strconv.FormatFloat(e.Years, 'f', -1, 64)}
		}
	}
	f["education_level"] = []string{c.EducationLevel}
	if !c.AvailableFrom.IsZero() {
		f["available_from"] = []string{c.AvailableFrom.String()}
	}
	if c.WillingToRelocate {
		f["relocate"] = []string{"yes"}
	}
	f["preferred_states"] = c.PreferredStates
	return f
}

// nearestLevel shows a CEFR level as the nearest plain choice of the form.
func nearestLevel(l string) string {
	switch l {
	case "A1", "A2":
		return "A2"
	case "B1", "B2":
		return "B2"
	case "C1", "C2":
		return "C1"
	}
	return l
}

func (s *Server) profileData(c models.Candidate) map[string]any {
	return map[string]any{"Candidate": c, "States": models.States, "Education": models.EducationLevels,
		"Languages": profileLanguages, "Levels": levelChoices, "Jobs": []string{"1", "2", "3"}}
}

func (s *Server) mProfile(w http.ResponseWriter, r *http.Request, p *mPage) {
	cand, err := s.cfg.Migrants.Profile(r.Context(), p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	p.Title = p.T("nav.profile")
	p.Form = profileForm(cand)
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = p.T("prof.saved")
	}
	s.mrender(w, p, "m_profile", s.profileData(cand))
}

func (s *Server) mSaveProfile(w http.ResponseWriter, r *http.Request, p *mPage) {
	ctx := r.Context()
	svc := s.cfg.Migrants
	cand, err := svc.Profile(ctx, p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	f := r.PostForm
	p.Form = f
	p.Title = p.T("nav.profile")
	changed := cand
	changed.Skills = nil
	for _, line := range strings.FieldsFunc(f.Get("skills"), func(r rune) bool { return r == '\n' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			changed.Skills = append(changed.Skills, models.CandidateSkill{Name: line})
		}
	}
	changed.Languages = nil
	for _, code := range profileLanguages {
		if lv := f.Get("lang_" + code); slices.Contains(levelChoices, lv) {
			changed.Languages = append(changed.Languages, models.LanguageSkill{Code: code, Level: lv})
		}
	}
	// Languages the form does not ask about are kept as they were.
	for _, l := range cand.Languages {
		if !slices.Contains(profileLanguages, l.Code) {
			changed.Languages = append(changed.Languages, l)
		}
	}
	var past []models.Experience
	for i, e := range cand.Experience {
		if i >= 3 {
			past = append(past, e) // beyond the form's three rows, kept
		}
	}
	changed.Experience = nil
	for _, n := range []string{"1", "2", "3"} {
		title := strings.TrimSpace(f.Get("job" + n))
		if title == "" {
			continue
		}
		years, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f.Get("years"+n)), ",", "."), 64)
		if err != nil {
			years = 0
		}
		changed.Experience = append(changed.Experience, models.Experience{Title: title, Years: years})
	}
	changed.Experience = append(changed.Experience, past...)
	changed.EducationLevel = f.Get("education_level")
	changed.AvailableFrom = dateField(f.Get("available_from"))
	changed.WillingToRelocate = f.Get("relocate") == "yes"
	changed.PreferredStates = nil
	for _, st := range f["preferred_states"] {
		if models.ValidState(st) {
			changed.PreferredStates = append(changed.PreferredStates, st)
		}
	}
	saved, err := svc.UpdateProfile(ctx, p.user, changed)
	if err != nil {
		if !migrantFieldErrors(p, err) {
			s.mfail(w, r, p, err)
			return
		}
		p.Flash = p.T("err.form")
		s.mrenderStatus(w, p, http.StatusUnprocessableEntity, "m_profile", s.profileData(cand))
		return
	}
	_ = saved
	http.Redirect(w, r, MigrantPrefix+"/profile?saved=1", http.StatusSeeOther)
}

func (s *Server) mData(w http.ResponseWriter, r *http.Request, p *mPage) {
	cand, err := s.cfg.Migrants.Profile(r.Context(), p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	p.Title = p.T("nav.data")
	switch r.URL.Query().Get("done") {
	case "consent":
		p.Flash = p.T("data.changed")
	case "confirm":
		p.Errors["confirm"] = p.T("data.erase_need")
	}
	s.mrender(w, p, "m_data", map[string]any{"Sharing": cand.Consent.ShareProfile})
}

func (s *Server) mConsent(w http.ResponseWriter, r *http.Request, p *mPage) {
	share := r.PostForm.Get("share") == "yes"
	if _, err := s.cfg.Migrants.SetConsent(r.Context(), p.user, share); err != nil {
		s.mfail(w, r, p, err)
		return
	}
	http.Redirect(w, r, MigrantPrefix+"/data?done=consent", http.StatusSeeOther)
}

// mExport sends everything held about the person as a JSON file (ARCO access).
func (s *Server) mExport(w http.ResponseWriter, r *http.Request, p *mPage) {
	ex, err := s.cfg.Migrants.Export(r.Context(), p.user)
	if err != nil {
		s.mfail(w, r, p, err)
		return
	}
	type vacancy struct {
		ID           string      `json:"id"`
		Title        string      `json:"title"`
		EmployerName string      `json:"employer_name,omitempty"`
		State        string      `json:"state"`
		StartDate    models.Date `json:"start_date"`
	}
	type referral struct {
		models.Referral
		Vacancy *vacancy `json:"vacancy,omitempty"`
	}
	type login struct {
		TokenExpiresAt   *time.Time `json:"token_expires_at,omitempty"`
		FailedAttempts   int        `json:"failed_attempts"`
		LockedUntil      *time.Time `json:"locked_until,omitempty"`
		CredentialsSince time.Time  `json:"credentials_since"`
	}
	out := struct {
		ExportedAt time.Time           `json:"exported_at"`
		Profile    models.Candidate    `json:"profile"`
		Login      *login              `json:"login,omitempty"`
		Referrals  []referral          `json:"referrals"`
		Audit      []models.AuditEvent `json:"audit"`
	}{ExportedAt: ex.ExportedAt, Profile: ex.Profile, Referrals: []referral{}, Audit: ex.Audit}
	if a := ex.Login; a != nil {
		out.Login = &login{TokenExpiresAt: a.TokenExpiresAt, FailedAttempts: a.FailedAttempts, LockedUntil: a.LockedUntil, CredentialsSince: a.CredentialsSince}
	}
	for _, rf := range ex.Referrals {
		o := referral{Referral: rf.Referral}
		if v := rf.Vacancy; v != nil {
			o.Vacancy = &vacancy{ID: v.ID, Title: v.Title, EmployerName: v.EmployerName, State: v.State, StartDate: v.StartDate}
		}
		out.Referrals = append(out.Referrals, o)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vincula-mis-datos.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// mErase erases the person once they have ticked the box that says they understand.
func (s *Server) mErase(w http.ResponseWriter, r *http.Request, p *mPage) {
	if r.PostForm.Get("confirm") != "yes" {
		http.Redirect(w, r, MigrantPrefix+"/data?done=confirm#erase", http.StatusSeeOther)
		return
	}
	if err := s.cfg.Migrants.Erase(r.Context(), p.user); err != nil {
		s.mfail(w, r, p, err)
		return
	}
	http.SetCookie(w, s.mcookie(r, mSessionCookie, "", -1))
	p.SignedIn = false
	p.CSRF = ""
	p.Path = MigrantPrefix + "/" // where the language switch comes back to
	p.Title = p.T("erased.title")
	s.mrender(w, p, "m_erased", nil)
}
