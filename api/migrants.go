package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/argon2"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// MigrantConfig tunes the migrants' self-service endpoints. Zero fields take the
// defaults named on each.
type MigrantConfig struct {
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

func (m MigrantConfig) withDefaults() MigrantConfig {
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

// MigrantProfileFields are the candidate fields of a self-registration. The alias
// gives the embedded request an exported name, so that the OpenAPI document lists its
// fields.
type MigrantProfileFields = candidateRequest

// migrantRegistration is the body of POST /migrants/register: the candidate fields
// and the PIN.
type migrantRegistration struct {
	MigrantProfileFields
	PIN string `json:"pin"`
}

type migrantRegistered struct {
	CandidateID string    `json:"candidate_id"`
	Token       string    `json:"token"`
	ExpiresAt   time.Time `json:"expires_at"`
}

type migrantLoginRequest struct {
	Phone string `json:"phone"`
	PIN   string `json:"pin"`
}

type migrantSession struct {
	Token       string    `json:"token"`
	ExpiresAt   time.Time `json:"expires_at"`
	CandidateID string    `json:"candidate_id"`
}

type consentChange struct {
	ShareProfile *bool `json:"share_profile"`
}

type pinResetRequest struct {
	PIN string `json:"pin"`
}

// eligibilitySummary answers /me/eligibility without a state: where the person may
// work on date.
type eligibilitySummary struct {
	Date models.Date `json:"date"`
	matching.Summary
}

// myReferral is one of the person's referrals with its history and the vacancy it is
// about.
type myReferral struct {
	models.Referral
	Vacancy *referralVacancy `json:"vacancy,omitempty"`
}

type referralVacancy struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	EmployerName string      `json:"employer_name,omitempty"`
	State        string      `json:"state"`
	Municipality string      `json:"municipality,omitempty"`
	StartDate    models.Date `json:"start_date"`
	Status       string      `json:"status"`
}

// migrantExport is everything Vincula holds about a person (ARCO access).
type migrantExport struct {
	ExportedAt time.Time     `json:"exported_at"`
	Profile    candidateView `json:"profile"`
	Login      *loginRecord  `json:"login"`
	Referrals  []myReferral  `json:"referrals"`
	// Audit lists who saw, listed, exported or changed the profile, oldest first.
	Audit []models.AuditEvent `json:"audit"`
}

type loginRecord struct {
	UserID           string     `json:"user_id,omitempty"`
	TokenExpiresAt   *time.Time `json:"token_expires_at,omitempty"`
	FailedAttempts   int        `json:"failed_attempts"`
	LockedUntil      *time.Time `json:"locked_until,omitempty"`
	CredentialsSince time.Time  `json:"credentials_since"`
}

func (s *Server) migrantRoutes() []route {
	me := []models.Role{models.RoleMigrant}
	return []route{
		{method: "POST", path: "/api/v1/migrants/register", summary: "A migrant registers their own profile with a PIN (rate-limited; documents stay unverified until staff check the originals)",
			public: true, handle: s.registerMigrant, request: migrantRegistration{}, response: migrantRegistered{}, status: http.StatusCreated},
		{method: "POST", path: "/api/v1/migrants/login", summary: "A migrant logs in with phone and PIN (rate-limited; repeated failures lock the phone at the address they come from, and the address: 429 with Retry-After; an unregistered phone is answered as a registered one)",
			public: true, handle: s.loginMigrant, request: migrantLoginRequest{}, response: migrantSession{}},
		{method: "GET", path: "/api/v1/me", summary: "The migrant's own profile", roles: me, handle: s.getMe, response: candidateView{}},
		{method: "PATCH", path: "/api/v1/me", summary: "Change one's own profile (documents added or changed become unverified)", roles: me,
			handle: s.patchMe, request: candidateRequest{}, response: candidateView{}},
		{method: "DELETE", path: "/api/v1/me", summary: "Erase oneself (ARCO cancellation)", roles: me, handle: s.deleteMe, status: http.StatusNoContent},
		{method: "GET", path: "/api/v1/me/eligibility", summary: "Where one may work: the decision for state on date, or without state a summary of every state",
			roles: me, handle: s.myEligibility, response: matching.Decision{}, alternatives: []any{eligibilitySummary{}}, query: []string{"state", "date"}},
		{method: "GET", path: "/api/v1/me/matches", summary: "Open vacancies that fit, only where one may legally work", roles: me,
			handle: s.myMatches, response: listResponse[vacancyMatch]{}, query: []string{"limit", "cursor"}},
		{method: "GET", path: "/api/v1/me/referrals", summary: "One's referrals, each with its status and history", roles: me,
			handle: s.myReferrals, response: listResponse[myReferral]{}},
		{method: "PUT", path: "/api/v1/me/consent", summary: "Give or withdraw consent to be shown to employers (withdrawal takes effect at once)", roles: me,
			handle: s.putMyConsent, request: consentChange{}, response: models.Consent{}},
		{method: "GET", path: "/api/v1/me/export", summary: "Everything held about oneself (ARCO access), audited", roles: me,
			handle: s.exportMe, response: migrantExport{}},
		{method: "POST", path: "/api/v1/candidates/:id/documents/:doc_id/verify", summary: "Mark a document as checked against the original",
			roles: []models.Role{models.RoleHubStaff, models.RoleCounsellor}, handle: s.verifyDocument, response: candidateView{}},
		{method: "POST", path: "/api/v1/candidates/:id/pin-reset", summary: "Set a migrant's PIN after an in-person identity check (clears the lockout, ends the live token)",
			roles: []models.Role{models.RoleHubStaff}, handle: s.resetPIN, request: pinResetRequest{}, status: http.StatusNoContent},
	}
}

// isMePath says whether a request is for one of the /me routes.
func isMePath(p string) bool {
	return p == "/api/v1/me" || strings.HasPrefix(p, "/api/v1/me/")
}

// migrantGate runs before the routes' guards and gives, on the /me routes and in the
// migrant's language, the 401 or 403 that the guard would give in English. Callers it
// lets through meet the guard, which finds the same user.
func (s *Server) migrantGate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !isMePath(c.Request.URL.Path) {
			c.Next()
			return
		}
		u, err := s.bearerUser(c)
		if err != nil {
			s.migrantError(c, err)
			return
		}
		if u.Role != models.RoleMigrant {
			s.migrantError(c, &migrantProblem{id: msgForbidden, status: http.StatusForbidden})
			return
		}
		c.Next()
	}
}

// bearerUser finds the caller of a bearer token as authenticate does, but leaves the
// answer to the caller.
func (s *Server) bearerUser(c *gin.Context) (models.User, error) {
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return models.User{}, models.Errorf(models.ErrUnauthorized, "no bearer token")
	}
	hash := HashToken(token)
	if s.adminHash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(s.adminHash)) == 1 {
		return adminUser, nil
	}
	u, err := s.tokenUser(c.Request.Context(), hash)
	if models.IsKind(err, models.ErrNotFound) {
		return u, models.Errorf(models.ErrUnauthorized, "the bearer token is not valid")
	}
	return u, err
}

// withinLimit takes one request from key's bucket, answering 429 with Retry-After
// itself when it is empty.
func (s *Server) withinLimit(c *gin.Context, key string, perMinute int) bool {
	ok, wait := s.limiter.allow(key, perMinute)
	if !ok {
		s.migrantError(c, waitProblem(msgRateLimited, wait))
	}
	return ok
}

// decodeMigrant is bind for the migrant endpoints: it returns the problem instead of
// answering in English.
func (s *Server) decodeMigrant(c *gin.Context, dst any, patch bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &migrantProblem{id: msgTooLarge, status: http.StatusRequestEntityTooLarge, arg: int(s.cfg.MaxBodyBytes)}
		}
		return &migrantProblem{id: msgMalformed, status: http.StatusBadRequest}
	}
	if err := decodeStrict(body, dst, patch); err != nil {
		var syntax *json.SyntaxError
		var fieldErr *models.Error
		switch {
		case errors.As(err, &fieldErr):
			return fieldErr
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, errNotObject):
			return &migrantProblem{id: msgMalformed, status: http.StatusBadRequest}
		default:
			return invalid("", "%s", err.Error())
		}
	}
	return nil
}

func (s *Server) registerMigrant(c *gin.Context) {
	cfg := s.cfg.Migrants
	if !s.withinLimit(c, "register-address:"+c.ClientIP(), cfg.RegisterPerAddress) {
		return
	}
	var req migrantRegistration
	if err := s.decodeMigrant(c, &req, false); err != nil {
		s.migrantError(c, err)
		return
	}
	var fe models.FieldErrors
	checkPIN(&fe, req.PIN)
	if strings.TrimSpace(req.Phone) == "" {
		fe.Add("phone", fieldPhoneRequired)
	}
	if req.Consent == nil {
		fe.Add("consent", fieldConsentRequired)
	}
	var cand models.Candidate
	// Nobody has seen the originals of what a migrant types in: the documents stay
	// unverified.
	req.apply(&cand, "", s.now())
	cand.Normalize()
	if err := cand.ValidateAt(s.today()); err != nil {
		e, _ := models.AsError(err)
		for _, f := range e.Fields {
			// The missing consent and phone are already named, in a migrant's words.
			if (req.Consent == nil && strings.HasPrefix(f.Field, "consent")) || (f.Field == "phone" && cand.Phone == "") {
				continue
			}
			fe = append(fe, f)
		}
	}
	if err := fe.Err(); err != nil {
		s.migrantError(c, err)
		return
	}
	if !s.withinLimit(c, "register-phone:"+s.store.PhoneKey(cand.Phone), cfg.PerPhone) {
		return
	}
	pinHash, err := hashPIN(req.PIN)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	token, tokenHash := NewToken()
	u := models.User{Name: migrantUserName}
	expires, err := s.store.RegisterMigrant(c.Request.Context(), &cand, &u, tokenHash, pinHash, cfg.TokenTTL)
	if err != nil {
		if models.IsKind(err, models.ErrConflict) {
			err = &migrantProblem{id: msgPhoneTaken, status: http.StatusConflict}
		}
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, migrantRegistered{CandidateID: cand.ID, Token: token, ExpiresAt: expires})
}

// migrantUserName names a migrant's user: the profile holds the person's name, and a
// copy here would only have to be kept current and erased.
const migrantUserName = "migrant self-service"

// loginMigrant checks a phone and PIN. An unknown phone and a wrong PIN get the same
// answer after the same work (an argon2id check and a failure counted), so a login
// does not tell which phones are registered. Failures are counted per (phone, client
// address) and per client address, never per phone alone: LockAfter failures from one
// address lock that phone there, FailuresPerAddress lock the address, each for LockFor
// (429 with the time left), and the owner logging in from elsewhere is not locked out.
func (s *Server) loginMigrant(c *gin.Context) {
	cfg := s.cfg.Migrants
	if !s.withinLimit(c, "login-address:"+c.ClientIP(), cfg.LoginPerAddress) {
		return
	}
	var req migrantLoginRequest
	if err := s.decodeMigrant(c, &req, false); err != nil {
		s.migrantError(c, err)
		return
	}
	var fe models.FieldErrors
	if strings.TrimSpace(req.Phone) == "" {
		fe.Add("phone", fieldRequired)
	}
	if req.PIN == "" {
		fe.Add("pin", fieldRequired)
	}
	if err := fe.Err(); err != nil {
		s.migrantError(c, err)
		return
	}
	ctx := c.Request.Context()
	now := s.now()
	counts := s.store.LoginThrottles(req.Phone, c.ClientIP(), cfg.LockAfter, cfg.FailuresPerAddress, cfg.LockFor)
	if until, err := s.store.LoginLockedUntil(ctx, counts, now); err != nil {
		s.migrantError(c, err)
		return
	} else if until.After(now) {
		s.migrantError(c, waitProblem(msgLocked, until.Sub(now)))
		return
	}
	login, err := s.store.MigrantLoginByPhone(ctx, req.Phone)
	known := err == nil
	if err != nil && !models.IsKind(err, models.ErrNotFound) {
		s.migrantError(c, err)
		return
	}
	hash := login.PINHash
	if !known {
		hash = dummyPINHash
	}
	if !verifyPIN(hash, req.PIN) || !known {
		// A phone no one logs in with is counted, and answered, as a wrong PIN is.
		until, err := s.store.RecordLoginFailure(ctx, counts, now)
		switch {
		case err != nil:
			s.migrantError(c, err)
		case until.After(now):
			s.migrantError(c, waitProblem(msgLocked, until.Sub(now)))
		default:
			s.migrantError(c, &migrantProblem{id: msgLoginFailed, status: http.StatusUnauthorized})
		}
		return
	}
	if err := s.store.ClearLoginFailures(ctx, counts[0]); err != nil {
		s.migrantError(c, err)
		return
	}
	token, tokenHash := NewToken()
	_, expires, err := s.store.StartMigrantSession(ctx, login.CandidateID, tokenHash, cfg.TokenTTL)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, migrantSession{Token: token, ExpiresAt: expires, CandidateID: login.CandidateID})
}

// myProfile loads the caller's own profile: the candidate comes from the token, never
// from the request, so a migrant can reach no other profile.
func (s *Server) myProfile(c *gin.Context) (models.Candidate, bool) {
	u := userOf(c)
	if u.CandidateID == "" {
		s.migrantError(c, &migrantProblem{id: msgNotFound, status: http.StatusNotFound})
		return models.Candidate{}, false
	}
	cand, err := s.store.Candidate(c.Request.Context(), u.CandidateID)
	if err != nil {
		s.migrantError(c, err)
		return cand, false
	}
	return cand, true
}

func (s *Server) getMe(c *gin.Context) {
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	s.respond(c, http.StatusOK, s.staffView(cand))
}

func (s *Server) patchMe(c *gin.Context) {
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	req := toCandidateRequest(cand)
	if err := s.decodeMigrant(c, &req, true); err != nil {
		s.migrantError(c, err)
		return
	}
	req.apply(&cand, "", s.now())
	cand.Normalize()
	var fe models.FieldErrors
	if cand.Phone == "" {
		fe.Add("phone", fieldPhoneRequired)
	}
	if err := cand.ValidateAt(s.today()); err != nil {
		e, _ := models.AsError(err)
		fe = append(fe, e.Fields...)
	}
	if err := fe.Err(); err != nil {
		s.migrantError(c, err)
		return
	}
	if err := s.store.UpdateMigrantProfile(c.Request.Context(), &cand); err != nil {
		if models.IsKind(err, models.ErrConflict) {
			err = &migrantProblem{id: msgPhoneTaken, status: http.StatusConflict}
		}
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, s.staffView(cand))
}

func (s *Server) deleteMe(c *gin.Context) {
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	u := userOf(c)
	err := s.store.EraseCandidate(c.Request.Context(), cand.ID, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditCandidateErased, SubjectType: "candidate", SubjectID: cand.ID,
		Detail: "erased by the person (ARCO cancellation)"})
	if err != nil {
		s.migrantError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// myEligibility answers with the decision for ?state= on ?date= (today by default),
// or, without a state, with where the person may work on that date.
func (s *Server) myEligibility(c *gin.Context) {
	var fe models.FieldErrors
	state := strings.ToUpper(strings.TrimSpace(c.Query("state")))
	if state != "" && !models.ValidState(state) {
		fe.Add("state", fieldState)
	}
	date := s.today()
	if raw := c.Query("date"); raw != "" {
		d, err := models.ParseDate(raw)
		if err != nil {
			fe.Add("date", fieldDate)
		}
		date = d
	}
	if err := fe.Err(); err != nil {
		s.migrantError(c, err)
		return
	}
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	if state == "" {
		s.respond(c, http.StatusOK, eligibilitySummary{Date: date, Summary: matching.Summarize(&cand, date, s.rules)})
		return
	}
	// The reasons and next steps are for the person: in their language.
	q := matching.Query{State: state, Date: date, Lang: string(languageOf(c.GetHeader("Accept-Language")))}
	s.respond(c, http.StatusOK, matching.Eligibility(&cand, q, s.rules))
}

func (s *Server) myMatches(c *gin.Context) {
	// Checked here too so that a bad limit or cursor is answered in the person's language.
	if _, _, err := matchCursorOf(c); err != nil {
		s.migrantError(c, err)
		return
	}
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	s.respondVacancyMatches(c, cand)
}

func (s *Server) myReferrals(c *gin.Context) {
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	refs, err := s.referralsOf(c, cand.ID)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, listResponse[myReferral]{Items: refs})
}

// referralsOf returns a candidate's referrals with their histories and vacancies.
func (s *Server) referralsOf(c *gin.Context, candidateID string) ([]myReferral, error) {
	ctx := c.Request.Context()
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
	out := make([]myReferral, len(refs))
	for i, r := range refs {
		out[i] = myReferral{Referral: r}
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
		out[i].Vacancy = &referralVacancy{ID: v.ID, Title: v.Title, EmployerName: name, State: v.State,
			Municipality: v.Municipality, StartDate: v.StartDate, Status: string(v.Status)}
	}
	return out, nil
}

// putMyConsent records the person's choice. The profile update writes the change feed,
// so every index drops a withdrawn profile from employers' results, and the match and
// search endpoints re-check consent on the database record before answering.
func (s *Server) putMyConsent(c *gin.Context) {
	var req consentChange
	if err := s.decodeMigrant(c, &req, false); err != nil {
		s.migrantError(c, err)
		return
	}
	if req.ShareProfile == nil {
		s.migrantError(c, invalid("share_profile", fieldRequired))
		return
	}
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	if cand.Consent.GivenAt == nil || cand.Consent.ShareProfile != *req.ShareProfile {
		t := s.now()
		cand.Consent = models.Consent{ShareProfile: *req.ShareProfile, GivenAt: &t}
		if err := s.store.UpdateCandidate(c.Request.Context(), &cand); err != nil {
			s.migrantError(c, err)
			return
		}
	}
	s.respond(c, http.StatusOK, cand.Consent)
}

// exportMe answers with everything held about the person. The export is audited
// before it is assembled, so it lists itself and none goes unrecorded.
func (s *Server) exportMe(c *gin.Context) {
	cand, ok := s.myProfile(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u := userOf(c)
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateExport,
		SubjectType: "candidate", SubjectID: cand.ID, Detail: "exported by the person (ARCO access)"}); err != nil {
		s.migrantError(c, err)
		return
	}
	refs, err := s.referralsOf(c, cand.ID)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	audit, err := s.store.AuditFor(ctx, "candidate", cand.ID)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	out := migrantExport{ExportedAt: s.now(), Profile: s.staffView(cand), Referrals: refs, Audit: audit}
	acc, err := s.store.MigrantAccount(ctx, cand.ID)
	switch {
	case err == nil:
		out.Login = toLoginRecord(acc)
	case !models.IsKind(err, models.ErrNotFound):
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, out)
}

func toLoginRecord(a store.MigrantAccount) *loginRecord {
	return &loginRecord{UserID: a.UserID, TokenExpiresAt: a.TokenExpiresAt, FailedAttempts: a.FailedAttempts,
		LockedUntil: a.LockedUntil, CredentialsSince: a.CredentialsSince}
}

// verifyDocument records that hub staff or a counsellor checked a document against
// the original. Migrants never reach it (the guard refuses their role), not even for
// their own documents.
func (s *Server) verifyDocument(c *gin.Context) {
	cand, err := s.store.VerifyDocument(c.Request.Context(), c.Param("id"), c.Param("doc_id"), userOf(c).ID, s.now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, s.staffView(cand))
}

// resetPIN sets a new PIN chosen by the person in front of hub staff, who checked
// their identity; it also gives a staff-registered profile its first login.
func (s *Server) resetPIN(c *gin.Context) {
	var req pinResetRequest
	if !s.bind(c, &req, false) {
		return
	}
	var fe models.FieldErrors
	checkPIN(&fe, req.PIN)
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	pinHash, err := hashPIN(req.PIN)
	if err != nil {
		s.writeError(c, err)
		return
	}
	u, id := userOf(c), c.Param("id")
	err = s.store.ResetMigrantPIN(c.Request.Context(), id, pinHash, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditMigrantPINReset, SubjectType: "candidate", SubjectID: id, Detail: "after an in-person identity check"})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// checkPIN adds what is wrong with a PIN: 6 to 12 digits, not one digit repeated and
// not a run up or down (wrapping from 9 to 0), which are the first PINs tried.
func checkPIN(fe *models.FieldErrors, pin string) {
	switch {
	case pin == "":
		fe.Add("pin", fieldPINRequired)
	case len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "":
		fe.Add("pin", fieldPINDigits)
	case strings.Count(pin, pin[:1]) == len(pin):
		fe.Add("pin", fieldPINRepeated)
	case isRun(pin):
		fe.Add("pin", fieldPINRun)
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

// The argon2id parameters of PINs: OWASP's minimum (19 MiB, two passes, one lane).
// They are written into each hash, so they can be raised without breaking old ones.
const (
	pinMemoryKiB = 19 * 1024
	pinPasses    = 2
	pinLanes     = 1
	pinKeyLen    = 32
	pinSaltLen   = 16
	// pinMaxMemoryKiB bounds what a stored hash may ask for.
	pinMaxMemoryKiB = 1 << 20
)

// dummyPINHash is checked against when a phone is unknown, so that the answer takes
// as long as for a wrong PIN.
const dummyPINHash = "$argon2id$v=19$m=19456,t=2,p=1$dmluY3VsYS1kdW1teS1zYQ$3pMHraoYX3hVBIvPXvNoFn9/XTLiJ1GOOwAIJh8ldp4"

// hashPIN returns the argon2id hash of pin in the PHC string form
// ($argon2id$v=19$m=..,t=..,p=..$salt$hash), salt and parameters included.
func hashPIN(pin string) (string, error) {
	salt := make([]byte, pinSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("PIN salt: %w", err)
	}
	key := argon2.IDKey([]byte(pin), salt, pinPasses, pinMemoryKiB, pinLanes, pinKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pinMemoryKiB, pinPasses, pinLanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// verifyPIN reports whether pin matches an encoded argon2id hash, in constant time.
func verifyPIN(encoded, pin string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &lanes); err != nil ||
		memory == 0 || memory > pinMaxMemoryKiB || passes == 0 || lanes == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, passes, memory, lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
