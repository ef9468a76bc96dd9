package api

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// MigrantConfig tunes the migrants' self-service endpoints (the use cases' limits and
// token lifetime). Zero fields take the defaults named on each.
type MigrantConfig = migrants.Config

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

// throttled answers a use case's Throttled as a 429 with the time to wait.
func throttled(err error) error {
	var t *migrants.Throttled
	if errors.As(err, &t) {
		if t.Locked {
			return waitProblem(msgLocked, t.Wait)
		}
		return waitProblem(msgRateLimited, t.Wait)
	}
	return err
}

func (s *Server) registerMigrant(c *gin.Context) {
	if err := s.migrants.AdmitRegistration(c.ClientIP()); err != nil {
		s.migrantError(c, throttled(err))
		return
	}
	var req migrantRegistration
	if err := s.decodeMigrant(c, &req, false); err != nil {
		s.migrantError(c, err)
		return
	}
	var cand models.Candidate
	req.apply(&cand, "", s.now())
	reg, err := s.migrants.Register(c.Request.Context(), migrants.Registration{Profile: cand, PIN: req.PIN, ConsentAnswered: req.Consent != nil})
	if err != nil {
		if models.IsKind(err, models.ErrConflict) {
			err = &migrantProblem{id: msgPhoneTaken, status: http.StatusConflict}
		}
		s.migrantError(c, throttled(err))
		return
	}
	s.respond(c, http.StatusCreated, migrantRegistered{CandidateID: reg.CandidateID, Token: reg.Token, ExpiresAt: reg.ExpiresAt})
}

// loginMigrant checks a phone and PIN (migrants.Service.Login): an unknown phone and a
// wrong PIN get the same 401, and repeated failures a 429 with the time left.
func (s *Server) loginMigrant(c *gin.Context) {
	if err := s.migrants.AdmitLogin(c.ClientIP()); err != nil {
		s.migrantError(c, throttled(err))
		return
	}
	var req migrantLoginRequest
	if err := s.decodeMigrant(c, &req, false); err != nil {
		s.migrantError(c, err)
		return
	}
	sess, err := s.migrants.Login(c.Request.Context(), c.ClientIP(), req.Phone, req.PIN)
	if errors.Is(err, migrants.ErrLoginFailed) {
		err = &migrantProblem{id: msgLoginFailed, status: http.StatusUnauthorized}
	}
	if err != nil {
		s.migrantError(c, throttled(err))
		return
	}
	s.respond(c, http.StatusOK, migrantSession{Token: sess.Token, ExpiresAt: sess.ExpiresAt, CandidateID: sess.CandidateID})
}

// myProfile loads the caller's own profile (the use case takes it from the token,
// never from the request).
func (s *Server) myProfile(c *gin.Context) (models.Candidate, bool) {
	cand, err := s.migrants.Profile(c.Request.Context(), userOf(c))
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
	cand, err := s.migrants.UpdateProfile(c.Request.Context(), userOf(c), cand)
	if err != nil {
		if models.IsKind(err, models.ErrConflict) {
			err = &migrantProblem{id: msgPhoneTaken, status: http.StatusConflict}
		}
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, s.staffView(cand))
}

func (s *Server) deleteMe(c *gin.Context) {
	if err := s.migrants.Erase(c.Request.Context(), userOf(c)); err != nil {
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
	ctx, u := c.Request.Context(), userOf(c)
	if state == "" {
		sum, err := s.migrants.WhereMayIWork(ctx, u, date)
		if err != nil {
			s.migrantError(c, err)
			return
		}
		s.respond(c, http.StatusOK, eligibilitySummary{Date: date, Summary: sum})
		return
	}
	// The reasons and next steps are for the person: in their language.
	d, err := s.migrants.Eligibility(ctx, u, state, date, string(languageOf(c.GetHeader("Accept-Language"))))
	if err != nil {
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, d)
}

func (s *Server) myMatches(c *gin.Context) {
	// Checked here too so that a bad limit or cursor is answered in the person's language.
	cursor, limit, err := matchCursorOf(c)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	page, err := s.migrants.Matches(c.Request.Context(), userOf(c), cursor, limit)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	items := make([]vacancyMatch, len(page.Items))
	for i, r := range page.Items {
		items[i] = vacancyMatch{Vacancy: r.Vacancy, Score: r.Match.Score, Breakdown: r.Match.Breakdown, Eligibility: eligibilityOf(r.Decision, false)}
	}
	s.respond(c, http.StatusOK, listResponse[vacancyMatch]{Items: items, NextCursor: page.Next, Total: &page.Total})
}

func (s *Server) myReferrals(c *gin.Context) {
	refs, err := s.migrants.Referrals(c.Request.Context(), userOf(c))
	if err != nil {
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, listResponse[myReferral]{Items: toMyReferrals(refs)})
}

func toMyReferrals(refs []migrants.Referral) []myReferral {
	out := make([]myReferral, len(refs))
	for i, r := range refs {
		out[i] = myReferral{Referral: r.Referral}
		if v := r.Vacancy; v != nil {
			out[i].Vacancy = &referralVacancy{ID: v.ID, Title: v.Title, EmployerName: v.EmployerName, State: v.State,
				Municipality: v.Municipality, StartDate: v.StartDate, Status: v.Status}
		}
	}
	return out
}

// putMyConsent records the person's choice; withdrawal takes effect at once
// (migrants.Service.SetConsent).
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
	consent, err := s.migrants.SetConsent(c.Request.Context(), userOf(c), *req.ShareProfile)
	if err != nil {
		s.migrantError(c, err)
		return
	}
	s.respond(c, http.StatusOK, consent)
}

// exportMe answers with everything held about the person, audited.
func (s *Server) exportMe(c *gin.Context) {
	ex, err := s.migrants.Export(c.Request.Context(), userOf(c))
	if err != nil {
		s.migrantError(c, err)
		return
	}
	out := migrantExport{ExportedAt: ex.ExportedAt, Profile: s.staffView(ex.Profile), Referrals: toMyReferrals(ex.Referrals), Audit: ex.Audit}
	if ex.Login != nil {
		out.Login = toLoginRecord(*ex.Login)
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
	if err := s.migrants.ResetPIN(c.Request.Context(), userOf(c), c.Param("id"), req.PIN); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
