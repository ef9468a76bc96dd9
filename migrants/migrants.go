// Package migrants holds the use cases of migrants on their own: register with a phone
// and a PIN, sign in, keep their profile, see where they may work and which vacancies
// fit, follow their referrals, give or withdraw consent, export and erase their data.
// The rate limits, the lockout and who may reach which profile live here, so the JSON
// API and the migrants' pages hold them alike. It knows no HTTP.
package migrants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/store"
)

// Config tunes the migrants' use cases. Zero fields take the defaults named on each.
type Config struct {
	// RegisterPerAddress is how many registrations one client address may send a
	// minute (10).
	RegisterPerAddress int
	// LoginPerAddress is how many logins one client address may send a minute (20).
	LoginPerAddress int
	// PerPhone is how many registrations may name one phone a minute (5). Logins are
	// not limited per phone: whoever knows a phone could keep its owner out.
	PerPhone int
	// LockAfter is how many failed logins naming one phone from one client address
	// within LockFor lock that phone at that address (5).
	LockAfter int
	// FailuresPerAddress is how many failed logins from one client address, whatever
	// the phones, within LockFor lock the address out of logging in (30).
	FailuresPerAddress int
	// LockFor is how long a lock lasts, and how long a failure is counted (15 minutes).
	LockFor time.Duration
	// TokenTTL is how long a migrant's token lasts (24 hours).
	TokenTTL time.Duration
}

// WithDefaults fills the zero fields with their defaults.
func (m Config) WithDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&m.RegisterPerAddress, 10)
	def(&m.LoginPerAddress, 20)
	def(&m.PerPhone, 5)
	def(&m.LockAfter, 5)
	def(&m.FailuresPerAddress, 30)
	if m.LockFor <= 0 {
		m.LockFor = 15 * time.Minute
	}
	if m.TokenTTL <= 0 {
		m.TokenTTL = 24 * time.Hour
	}
	return m
}

// Service runs the migrants' use cases.
type Service struct {
	store   *store.Store
	rules   *matching.Rules
	ranking *ranking.Service
	now     func() time.Time
	loc     *time.Location
	cfg     Config
	limiter *limiter
	// atRegistration, when set, is told of each new registration (the suspected
	// duplicates are recorded for staff); the migrant is never told of them.
	atRegistration func(context.Context, models.Candidate)
}

// CheckAtRegistration sets what is told of each new registration (people's duplicate
// check, which records suspects for staff). A failing check never refuses a person.
func (s *Service) CheckAtRegistration(f func(context.Context, models.Candidate)) {
	s.atRegistration = f
}

// New returns the migrants' use cases on the one clock now; loc is where "today" is
// reckoned (Mexico City); rk ranks the vacancies that fit a person.
func New(st *store.Store, rules *matching.Rules, rk *ranking.Service, now func() time.Time, loc *time.Location, cfg Config) *Service {
	if rules == nil {
		rules = matching.DefaultRules()
	}
	if now == nil {
		now = st.Now()
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: st, rules: rules, ranking: rk, now: now, loc: loc, cfg: cfg.WithDefaults(), limiter: newLimiter(now)}
}

// Config is the configuration in force, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// Today is the calendar day where the service reckons it.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

func (s *Service) utcNow() time.Time { return s.now().UTC() }

// Throttled is a refusal to wait: a rate limit (Locked false) or a lockout after
// failed logins (Locked true), with how long to wait.
type Throttled struct {
	Locked bool
	Wait   time.Duration
}

func (t *Throttled) Error() string {
	if t.Locked {
		return fmt.Sprintf("locked after failed logins for %s", t.Wait)
	}
	return fmt.Sprintf("rate-limited for %s", t.Wait)
}

// ErrLoginFailed answers a wrong PIN and an unknown phone alike.
var ErrLoginFailed = models.Errorf(models.ErrUnauthorized, "the phone or the PIN is not correct")

// The field messages of the migrants' own checks, in English as every field message
// is written; each door translates them.
const (
	FieldRequired        = "is required"
	FieldPINRequired     = "is required: 6 or more digits"
	FieldPINDigits       = "must be 6 to 12 digits, and nothing else"
	FieldPINRepeated     = "must not be one digit repeated, such as 111111"
	FieldPINRun          = "must not be a run of digits, such as 123456 or 654321"
	FieldPhoneRequired   = "is required: you log in with this phone number and your PIN"
	FieldConsentRequired = "is required: say whether employers may see your profile, with share_profile true or false"
)

// AdmitRegistration takes one registration from the client address's allowance. Each
// door calls it before it reads the request, so a flood of unreadable requests is
// limited too.
func (s *Service) AdmitRegistration(from string) error {
	return s.allow("register-address:"+from, s.cfg.RegisterPerAddress)
}

// AdmitLogin takes one login from the client address's allowance, before the request
// is read.
func (s *Service) AdmitLogin(from string) error {
	return s.allow("login-address:"+from, s.cfg.LoginPerAddress)
}

func (s *Service) allow(key string, perMinute int) error {
	if ok, wait := s.limiter.allow(key, perMinute); !ok {
		return &Throttled{Wait: wait}
	}
	return nil
}

// Registration is what a person gives to register: the profile (documents in it stay
// unverified), the PIN, and whether they answered the consent question at all.
type Registration struct {
	Profile         models.Candidate
	PIN             string
	ConsentAnswered bool
}

// Registered is a new profile and its first token.
type Registered struct {
	CandidateID string
	Token       string
	ExpiresAt   time.Time
}

// migrantUserName names a migrant's user: the profile holds the person's name, and a
// copy here would only have to be kept current and erased.
const migrantUserName = "migrant self-service"

// Register creates a person's profile with their PIN and signs them in. The caller has
// admitted the request (AdmitRegistration); registrations naming one phone are limited
// here. A phone already registered is a conflict that names no one.
func (s *Service) Register(ctx context.Context, r Registration) (Registered, error) {
	var fe models.FieldErrors
	CheckPIN(&fe, r.PIN)
	if strings.TrimSpace(r.Profile.Phone) == "" {
		fe.Add("phone", FieldPhoneRequired)
	}
	if !r.ConsentAnswered {
		fe.Add("consent", FieldConsentRequired)
	}
	cand := r.Profile
	cand.ID = ""
	// Nobody has seen the originals of what a migrant types in: the documents stay
	// unverified.
	for i := range cand.Documents {
		cand.Documents[i].Verified, cand.Documents[i].VerifiedBy, cand.Documents[i].VerifiedAt = false, "", nil
	}
	cand.Normalize()
	if err := cand.ValidateAt(s.Today()); err != nil {
		e, _ := models.AsError(err)
		for _, f := range e.Fields {
			// The missing consent and phone are already named, in a migrant's words.
			if (!r.ConsentAnswered && strings.HasPrefix(f.Field, "consent")) || (f.Field == "phone" && cand.Phone == "") {
				continue
			}
			fe = append(fe, f)
		}
	}
	if err := fe.Err(); err != nil {
		return Registered{}, err
	}
	if err := s.allow("register-phone:"+s.store.PhoneKey(cand.Phone), s.cfg.PerPhone); err != nil {
		return Registered{}, err
	}
	pinHash, err := hashPIN(r.PIN)
	if err != nil {
		return Registered{}, err
	}
	token, tokenHash := accounts.NewToken()
	u := models.User{Name: migrantUserName}
	expires, err := s.store.RegisterMigrant(ctx, &cand, &u, tokenHash, pinHash, s.cfg.TokenTTL)
	if err != nil {
		return Registered{}, err
	}
	if s.atRegistration != nil {
		s.atRegistration(ctx, cand)
	}
	return Registered{CandidateID: cand.ID, Token: token, ExpiresAt: expires}, nil
}

// Session is a signed-in migrant's token.
type Session struct {
	Token       string
	ExpiresAt   time.Time
	CandidateID string
}

// Login checks a phone and PIN from client address from. The caller has admitted the
// request (AdmitLogin). An unknown phone and a wrong PIN get the same answer after the
// same work (an argon2id check and a failure counted), so a login does not tell which
// phones are registered. Failures are counted per (phone, address) and per address,
// never per phone alone: LockAfter failures from one address lock that phone there,
// FailuresPerAddress lock the address, each for LockFor (a Throttled with Locked), and
// the owner logging in from elsewhere is not locked out.
func (s *Service) Login(ctx context.Context, from, phone, pin string) (Session, error) {
	var fe models.FieldErrors
	if strings.TrimSpace(phone) == "" {
		fe.Add("phone", FieldRequired)
	}
	if pin == "" {
		fe.Add("pin", FieldRequired)
	}
	if err := fe.Err(); err != nil {
		return Session{}, err
	}
	now := s.utcNow()
	cfg := s.cfg
	counts := s.store.LoginThrottles(phone, from, cfg.LockAfter, cfg.FailuresPerAddress, cfg.LockFor)
	if until, err := s.store.LoginLockedUntil(ctx, counts, now); err != nil {
		return Session{}, err
	} else if until.After(now) {
		return Session{}, &Throttled{Locked: true, Wait: until.Sub(now)}
	}
	login, err := s.store.MigrantLoginByPhone(ctx, phone)
	known := err == nil
	if err != nil && !models.IsKind(err, models.ErrNotFound) {
		return Session{}, err
	}
	hash := login.PINHash
	if !known {
		hash = dummyPINHash
	}
	if !verifyPIN(hash, pin) || !known {
		// A phone no one logs in with is counted, and answered, as a wrong PIN is.
		until, err := s.store.RecordLoginFailure(ctx, counts, now)
		switch {
		case err != nil:
			return Session{}, err
		case until.After(now):
			return Session{}, &Throttled{Locked: true, Wait: until.Sub(now)}
		}
		return Session{}, ErrLoginFailed
	}
	if err := s.store.ClearLoginFailures(ctx, counts[0]); err != nil {
		return Session{}, err
	}
	token, tokenHash := accounts.NewToken()
	_, expires, err := s.store.StartMigrantSession(ctx, login.CandidateID, tokenHash, cfg.TokenTTL)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, ExpiresAt: expires, CandidateID: login.CandidateID}, nil
}

// Resume finds the migrant a token belongs to; a token that is unknown, ended, or not
// a migrant's is unauthorized.
func (s *Service) Resume(ctx context.Context, token string) (models.User, error) {
	if token == "" {
		return models.User{}, models.Errorf(models.ErrUnauthorized, "no token")
	}
	u, err := s.store.UserByTokenHash(ctx, accounts.HashToken(token))
	if models.IsKind(err, models.ErrNotFound) || (err == nil && (u.Role != models.RoleMigrant || u.CandidateID == "")) {
		return models.User{}, models.Errorf(models.ErrUnauthorized, "the token is not valid")
	}
	return u, err
}

// SignOut ends the migrant's live token.
func (s *Service) SignOut(ctx context.Context, u models.User) error {
	if u.Role != models.RoleMigrant {
		return models.Errorf(models.ErrForbidden, "only a migrant signs out here")
	}
	return s.store.RevokeUserTokens(ctx, u.ID, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditUserTokensRevoked, SubjectType: "user", SubjectID: u.ID, Detail: "signed out by the person"})
}

// Profile loads the caller's own profile: the candidate comes from the user, never
// from the request, so a migrant can reach no other profile.
func (s *Service) Profile(ctx context.Context, u models.User) (models.Candidate, error) {
	if u.Role != models.RoleMigrant {
		return models.Candidate{}, models.Errorf(models.ErrForbidden, "only migrants reach their own profile here")
	}
	if u.CandidateID == "" {
		return models.Candidate{}, models.Errorf(models.ErrNotFound, "no profile")
	}
	return s.store.Candidate(ctx, u.CandidateID)
}

// UpdateProfile saves the person's changed profile. Documents added or changed become
// unverified; those left as they were keep who checked them. The phone stays required:
// it is how the person logs in.
func (s *Service) UpdateProfile(ctx context.Context, u models.User, changed models.Candidate) (models.Candidate, error) {
	cur, err := s.Profile(ctx, u)
	if err != nil {
		return cur, err
	}
	changed.ID, changed.CreatedAt = cur.ID, cur.CreatedAt
	for i, d := range changed.Documents {
		if prev, ok := sameDocument(cur.Documents, d); ok {
			changed.Documents[i] = prev
		} else {
			changed.Documents[i].ID = ""
			changed.Documents[i].Verified, changed.Documents[i].VerifiedBy, changed.Documents[i].VerifiedAt = false, "", nil
		}
	}
	changed.Normalize()
	var fe models.FieldErrors
	if changed.Phone == "" {
		fe.Add("phone", FieldPhoneRequired)
	}
	if err := changed.ValidateAt(s.Today()); err != nil {
		e, _ := models.AsError(err)
		fe = append(fe, e.Fields...)
	}
	if err := fe.Err(); err != nil {
		return changed, err
	}
	if err := s.store.UpdateMigrantProfile(ctx, &changed); err != nil {
		return changed, err
	}
	return changed, nil
}

func sameDocument(docs []models.Document, d models.Document) (models.Document, bool) {
	for _, o := range docs {
		if o.Type == d.Type && o.Number == d.Number && o.IssuedOn.Equal(d.IssuedOn) && o.ExpiresOn.Equal(d.ExpiresOn) &&
			o.WorkPermission == d.WorkPermission && o.State == d.State && o.EmployerID == d.EmployerID {
			return o, true
		}
	}
	return models.Document{}, false
}

// Erase removes the person's data from the database and the index (ARCO
// cancellation), audited.
func (s *Service) Erase(ctx context.Context, u models.User) error {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return err
	}
	return s.store.EraseCandidate(ctx, cand.ID, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditCandidateErased, SubjectType: "candidate", SubjectID: cand.ID,
		Detail: "erased by the person (ARCO cancellation)"})
}

// Eligibility is the decision for state on date, its reasons and next steps in lang.
func (s *Service) Eligibility(ctx context.Context, u models.User, state string, date models.Date, lang string) (matching.Decision, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return matching.Decision{}, err
	}
	return matching.Eligibility(&cand, matching.Query{State: state, Date: date, Lang: lang}, s.rules), nil
}

// WhereMayIWork says where the person may work on date.
func (s *Service) WhereMayIWork(ctx context.Context, u models.User, date models.Date) (matching.Summary, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return matching.Summary{}, err
	}
	return matching.Summarize(&cand, date, s.rules), nil
}

// Places is the decision, in lang, for today in each state the person is in or would
// move to: the current state first.
func (s *Service) Places(ctx context.Context, u models.User, lang string) (models.Candidate, []matching.Decision, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return cand, nil, err
	}
	today := s.Today()
	states := []string{cand.CurrentState}
	for _, st := range cand.PreferredStates {
		if !slices.Contains(states, st) {
			states = append(states, st)
		}
	}
	var out []matching.Decision
	for _, st := range states {
		if st != "" {
			out = append(out, matching.Eligibility(&cand, matching.Query{State: st, Date: today, Lang: lang}, s.rules))
		}
	}
	return cand, out, nil
}

// Matches ranks the open vacancies where the person may legally work, a page at a time.
func (s *Service) Matches(ctx context.Context, u models.User, cursor string, limit int) (ranking.Page[ranking.Vacancy], error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return ranking.Page[ranking.Vacancy]{}, err
	}
	if s.ranking == nil {
		return ranking.Page[ranking.Vacancy]{}, errors.New("migrants: no ranking service")
	}
	return s.ranking.VacanciesFor(ctx, &cand, s.Today(), cursor, limit)
}

// Referral is one of the person's referrals with its history and the vacancy it is
// about (nil when the vacancy is gone).
type Referral struct {
	models.Referral
	Vacancy *ReferralVacancy
}

// ReferralVacancy is what a person sees of a referral's vacancy.
type ReferralVacancy struct {
	ID           string
	Title        string
	EmployerName string
	State        string
	Municipality string
	StartDate    models.Date
	Status       string
}

// Referrals lists the person's referrals with their histories and vacancies.
func (s *Service) Referrals(ctx context.Context, u models.User) ([]Referral, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.referralsOf(ctx, cand.ID)
}

func (s *Service) referralsOf(ctx context.Context, candidateID string) ([]Referral, error) {
	refs, err := s.store.ReferralsOfCandidate(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.VacancyID
	}
	vacs, err := s.store.VacanciesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]models.Vacancy{}
	for _, v := range vacs {
		byID[v.ID] = v
	}
	employers := map[string]string{}
	out := make([]Referral, len(refs))
	for i, r := range refs {
		out[i] = Referral{Referral: r}
		v, ok := byID[r.VacancyID]
		if !ok {
			continue
		}
		name, seen := employers[v.EmployerID]
		if !seen {
			if e, err := s.store.Employer(ctx, v.EmployerID); err == nil {
				name = e.Name
			}
			employers[v.EmployerID] = name
		}
		out[i].Vacancy = &ReferralVacancy{ID: v.ID, Title: v.Title, EmployerName: name, State: v.State,
			Municipality: v.Municipality, StartDate: v.StartDate, Status: string(v.Status)}
	}
	return out, nil
}

// SetConsent records the person's choice. The profile update writes the change feed,
// so every index drops a withdrawn profile from employers' results, and the match and
// search lists re-check consent on the database record before answering.
func (s *Service) SetConsent(ctx context.Context, u models.User, share bool) (models.Consent, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return models.Consent{}, err
	}
	if cand.Consent.GivenAt == nil || cand.Consent.ShareProfile != share {
		t := s.utcNow()
		cand.Consent = models.Consent{ShareProfile: share, GivenAt: &t}
		if err := s.store.UpdateCandidate(ctx, &cand); err != nil {
			return models.Consent{}, err
		}
	}
	return cand.Consent, nil
}

// Export is everything Vincula holds about a person (ARCO access).
type Export struct {
	ExportedAt time.Time
	Profile    models.Candidate
	// Login is nil for a profile registered by staff that never had a PIN.
	Login     *store.MigrantAccount
	Referrals []Referral
	// Audit lists who saw, listed, exported or changed the profile, oldest first.
	Audit []models.AuditEvent
}

// Export gathers everything held about the person. The export is audited before it
// is assembled, so it lists itself and none goes unrecorded.
func (s *Service) Export(ctx context.Context, u models.User) (Export, error) {
	cand, err := s.Profile(ctx, u)
	if err != nil {
		return Export{}, err
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateExport,
		SubjectType: "candidate", SubjectID: cand.ID, Detail: "exported by the person (ARCO access)"}); err != nil {
		return Export{}, err
	}
	refs, err := s.referralsOf(ctx, cand.ID)
	if err != nil {
		return Export{}, err
	}
	audit, err := s.store.AuditFor(ctx, "candidate", cand.ID)
	if err != nil {
		return Export{}, err
	}
	out := Export{ExportedAt: s.utcNow(), Profile: cand, Referrals: refs, Audit: audit}
	acc, err := s.store.MigrantAccount(ctx, cand.ID)
	switch {
	case err == nil:
		out.Login = &acc
	case !models.IsKind(err, models.ErrNotFound):
		return Export{}, err
	}
	return out, nil
}

// ResetPIN sets a new PIN chosen by the person in front of hub staff, who checked
// their identity; it also gives a staff-registered profile its first login. It clears
// the lockout and ends the live token.
func (s *Service) ResetPIN(ctx context.Context, by models.User, candidateID, pin string) error {
	if by.Role != models.RoleHubStaff {
		return models.Errorf(models.ErrForbidden, "only hub staff reset a PIN, after an in-person identity check")
	}
	var fe models.FieldErrors
	CheckPIN(&fe, pin)
	if err := fe.Err(); err != nil {
		return err
	}
	pinHash, err := hashPIN(pin)
	if err != nil {
		return err
	}
	return s.store.ResetMigrantPIN(ctx, candidateID, pinHash, models.AuditEvent{ActorID: by.ID, ActorRole: by.Role,
		Action: models.AuditMigrantPINReset, SubjectType: "candidate", SubjectID: candidateID, Detail: "after an in-person identity check"})
}

// CheckPIN adds what is wrong with a PIN: 6 to 12 digits, not one digit repeated and
// not a run up or down (wrapping from 9 to 0), which are the first PINs tried.
func CheckPIN(fe *models.FieldErrors, pin string) {
	switch {
	case pin == "":
		fe.Add("pin", FieldPINRequired)
	case len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "":
		fe.Add("pin", FieldPINDigits)
	case strings.Count(pin, pin[:1]) == len(pin):
		fe.Add("pin", FieldPINRepeated)
	case isRun(pin):
		fe.Add("pin", FieldPINRun)
	}
}

func isRun(pin string) bool {
	up, down := true, true
	for i := 1; i < len(pin); i++ {
		step := (int(pin[i]) - int(pin[i-1]) + 10) % 10
		up = up && step == 1
		down = down && step == 9
	}
	return up || down
}
