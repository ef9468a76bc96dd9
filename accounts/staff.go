package accounts

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// Config sets the lifetimes and limits of staff sign-in; zero fields take the defaults.
type Config struct {
	// InvitationTTL is how long an invitation's link may be used (72 hours).
	InvitationTTL time.Duration
	// IdleTimeout ends a session nobody has used for this long (30 minutes).
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, used or not (12 hours).
	AbsoluteTimeout time.Duration
	// MaxFailures failed sign-ins of one e-mail address, or from one address, within
	// LockFor lock it out for LockFor (5 in 15 minutes).
	MaxFailures int
	LockFor     time.Duration
}

func (c Config) withDefaults() Config {
	if c.InvitationTTL <= 0 {
		c.InvitationTTL = 72 * time.Hour
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 30 * time.Minute
	}
	if c.AbsoluteTimeout <= 0 {
		c.AbsoluteTimeout = 12 * time.Hour
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.LockFor <= 0 {
		c.LockFor = 15 * time.Minute
	}
	return c
}

// Service runs the staff sign-in use cases.
type Service struct {
	store *store.Store
	now   func() time.Time
	cfg   Config
	mu    sync.Mutex
	fails map[string]*failures
}

type failures struct {
	count       int
	first       time.Time
	lockedUntil time.Time
}

// New returns the sign-in use cases on the one clock now.
func New(st *store.Store, now func() time.Time, cfg Config) *Service {
	if now == nil {
		now = st.Now()
	}
	return &Service{store: st, now: now, cfg: cfg.withDefaults(), fails: map[string]*failures{}}
}

// Config returns the configuration in force (defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// Invitation is a new invitation's link token, shown once, and when it expires.
type Invitation struct {
	Token     string
	UserID    string
	ExpiresAt time.Time
}

// Invite invites a person to the console for by (an admin): a new user with the role and
// scope of u (u.ID empty), or an existing user (u.ID set), who sets their password at
// the link of the returned token before it expires.
func (s *Service) Invite(ctx context.Context, by models.User, u models.User) (Invitation, error) {
	if err := s.MayInvite(by); err != nil {
		return Invitation{}, err
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	var fe models.FieldErrors
	if !strings.Contains(u.Email, "@") {
		fe.Add("email", "must be an e-mail address")
	}
	if u.ID == "" {
		if strings.TrimSpace(u.Name) == "" {
			fe.Add("name", "is required")
		}
		switch u.Role {
		case models.RoleAdmin, models.RoleHubStaff, models.RoleOrganiser:
		case models.RoleEmployer:
			if u.EmployerID == "" {
				fe.Add("employer_id", "is required for an employer's user")
			}
		case models.RoleCounsellor:
			fe.Add("role", "counsellors are created with their office and capacity (POST /api/v1/counsellors), then invited by their user's id")
		default:
			fe.Add("role", "must be admin, hub_staff, organiser or employer")
		}
	}
	if err := fe.Err(); err != nil {
		return Invitation{}, err
	}
	if u.ID == "" {
		// The user's bearer token is never shown: they use the console.
		_, hash := NewToken()
		if err := s.store.CreateUser(ctx, &u, hash); err != nil {
			return Invitation{}, err
		}
	} else if _, err := s.store.User(ctx, u.ID); err != nil {
		return Invitation{}, err
	}
	token := "inv_" + randomString(32)
	inv := Invitation{Token: token, UserID: u.ID, ExpiresAt: s.now().Add(s.cfg.InvitationTTL)}
	err := s.store.CreateStaffInvitation(ctx, HashToken(token), store.StaffInvitation{UserID: u.ID, Email: u.Email,
		InvitedBy: by.ID, ExpiresAt: inv.ExpiresAt})
	if err != nil {
		return Invitation{}, err
	}
	err = s.store.RecordAudit(ctx, models.AuditEvent{ActorID: by.ID, ActorRole: by.Role, Action: "user_invited",
		SubjectType: "user", SubjectID: u.ID, Detail: u.Email})
	return inv, err
}

// MayInvite reports ErrForbidden unless by may invite users (admins).
func (s *Service) MayInvite(by models.User) error {
	if by.Role != models.RoleAdmin {
		return models.Errorf(models.ErrForbidden, "only an admin may invite users")
	}
	return nil
}

// OpenInvitation reads the invitation of a link's token while it may still be used.
func (s *Service) OpenInvitation(ctx context.Context, token string) (store.StaffInvitation, error) {
	inv, err := s.store.StaffInvitation(ctx, HashToken(token))
	if err != nil {
		return inv, err
	}
	if inv.UsedAt != nil || !inv.ExpiresAt.After(s.now()) {
		return store.StaffInvitation{}, models.Errorf(models.ErrNotFound, "this invitation has been used or has expired: ask an admin for a new one")
	}
	return inv, nil
}

// Accept sets the password of an invited user and closes the invitation.
func (s *Service) Accept(ctx context.Context, token, password string) (models.User, error) {
	if msg := CheckPassword(password); msg != "" {
		var fe models.FieldErrors
		fe.Add("password", "%s", msg)
		return models.User{}, fe.Err()
	}
	hash, err := HashPassword(password)
	if err != nil {
		return models.User{}, err
	}
	return s.store.AcceptStaffInvitation(ctx, HashToken(token), hash, s.now())
}

// SetPassword gives a user a sign-in without an invitation (the demo data).
func (s *Service) SetPassword(ctx context.Context, userID, email, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetStaffPassword(ctx, userID, email, hash)
}

// Session is a signed-in console session: its cookie value (shown only at sign-in),
// its CSRF token and its user.
type Session struct {
	Token string
	CSRF  string
	User  models.User
}

// ErrThrottled refuses a sign-in after too many failures; Retry says when to try again.
type ErrThrottled struct{ Retry time.Time }

func (e *ErrThrottled) Error() string {
	return "too many failed sign-ins: try again in a few minutes"
}

// SignIn checks an e-mail address and password and opens a session. from is the
// client's address: failures are counted per address and per e-mail address.
func (s *Service) SignIn(ctx context.Context, email, password, from string) (Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"email:" + email, "addr:" + from}
	if err := s.throttled(keys); err != nil {
		return Session{}, err
	}
	u, hash, err := s.store.StaffLogin(ctx, email)
	if err != nil && !models.IsKind(err, models.ErrNotFound) {
		return Session{}, err
	}
	if err != nil {
		VerifyPassword(dummyHash(), password)
		s.failed(keys)
		return Session{}, models.Errorf(models.ErrUnauthorized, "the e-mail address or the password is wrong")
	}
	if !VerifyPassword(hash, password) {
		s.failed(keys)
		return Session{}, models.Errorf(models.ErrUnauthorized, "the e-mail address or the password is wrong")
	}
	s.succeeded(keys[0])
	now := s.now()
	sess := Session{Token: "ses_" + randomString(32), CSRF: randomString(24), User: u}
	err = s.store.CreateStaffSession(ctx, store.StaffSession{IDHash: HashToken(sess.Token), UserID: u.ID, CSRFToken: sess.CSRF,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.AbsoluteTimeout)})
	if err != nil {
		return Session{}, err
	}
	return sess, s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: "signed_in", SubjectType: "user", SubjectID: u.ID})
}

// Resume finds the session of a cookie value: unknown, idle for longer than the idle
// timeout or past its absolute expiry is ErrUnauthorized (and an expired one is ended).
func (s *Service) Resume(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, models.Errorf(models.ErrUnauthorized, "not signed in")
	}
	hash := HashToken(token)
	ss, u, err := s.store.StaffSession(ctx, hash)
	if models.IsKind(err, models.ErrNotFound) {
		return Session{}, models.Errorf(models.ErrUnauthorized, "not signed in")
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if !now.Before(ss.ExpiresAt) || !now.Before(ss.LastSeenAt.Add(s.cfg.IdleTimeout)) {
		_ = s.store.DeleteStaffSession(ctx, hash)
		return Session{}, models.Errorf(models.ErrUnauthorized, "the session has expired: sign in again")
	}
	// Written at most once a minute, so reading pages costs no write each.
	if now.Sub(ss.LastSeenAt) >= time.Minute {
		if err := s.store.TouchStaffSession(ctx, hash, now); err != nil {
			return Session{}, err
		}
	}
	return Session{Token: token, CSRF: ss.CSRFToken, User: u}, nil
}

// SignOut ends the session of a cookie value.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteStaffSession(ctx, HashToken(token))
}

func (s *Service) throttled(keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, k := range keys {
		if f := s.fails[k]; f != nil && now.Before(f.lockedUntil) {
			return &ErrThrottled{Retry: f.lockedUntil}
		}
	}
	return nil
}

func (s *Service) failed(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, k := range keys {
		f := s.fails[k]
		if f == nil || now.Sub(f.first) > s.cfg.LockFor {
			f = &failures{first: now}
			s.fails[k] = f
		}
		f.count++
		if f.count >= s.cfg.MaxFailures {
			f.lockedUntil, f.count, f.first = now.Add(s.cfg.LockFor), 0, now
		}
	}
	// Forget old entries now and then, so the map stays small.
	if len(s.fails) > 10000 {
		for k, f := range s.fails {
			if now.Sub(f.first) > s.cfg.LockFor && !now.Before(f.lockedUntil) {
				delete(s.fails, k)
			}
		}
	}
}

func (s *Service) succeeded(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.fails[key]; f != nil && !s.now().Before(f.lockedUntil) {
		delete(s.fails, key)
	}
}
