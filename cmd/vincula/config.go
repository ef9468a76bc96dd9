package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/store"
)

// config is every setting of the binary, read once from the environment.
type config struct {
	Addr           string
	DataDir        string
	IndexDir       string
	DatabaseURL    string
	SecretKey      string
	AdminToken     string
	RulesFile      string
	TrustedProxies []string
	LogLevel       slog.Level
	// LogJSON writes the log as JSON lines (VINCULA_LOG_FORMAT=json) instead of text.
	LogJSON bool
	// HTTP is the HTTP server's timeouts; every field has a default (defaultHTTP).
	HTTP httpTimeouts
	// MaxUploadBytes caps an import upload, on the API and the console; MaxBodyBytes
	// caps every other request body (the API's defaults when 0).
	MaxUploadBytes, MaxBodyBytes int64
	// UploadTimeout is how long an import upload may take (the API's default when 0).
	UploadTimeout time.Duration
	// ImportWorkers is how many uploaded imports run at once (the API's default when 0).
	ImportWorkers int
	Migrants      api.MigrantConfig
	// TokenTTL is how long staff and employer tokens last (api.DefaultTokenTTL when 0).
	TokenTTL time.Duration
	// DBWait is how long start-up keeps retrying an unreachable database.
	DBWait time.Duration
	// MaxInFlight and MaxQueued are api.Config's (0 for the defaults; MaxQueued -1 for
	// no queue).
	MaxInFlight, MaxQueued int
	// PprofAddr, when set, is the loopback address Go's profiler is served on.
	PprofAddr string
	// PublicURL is the console's address as people reach it, for invitation links
	// (http://Addr when unset).
	PublicURL string
	// SecureCookies marks the console's cookies Secure behind a proxy terminating TLS.
	SecureCookies bool
	// WebhooksLoopbackHTTP accepts plain-http webhook endpoints on 127.0.0.1/localhost.
	WebhooksLoopbackHTTP bool
	// WebhooksFirstRetry and WebhooksLease tune the webhook worker (webhooks.Worker's
	// FirstRetry and Lease; its defaults when 0); AlertSweepEvery is how often saved
	// searches and open vacancies are swept for new people (5 minutes when 0).
	WebhooksFirstRetry, WebhooksLease, AlertSweepEvery time.Duration
}

// httpTimeouts are the HTTP server's limits on a connection: to read a request's
// headers, to read it whole, to write the answer, to keep an idle connection, and to
// finish the requests in flight at shutdown.
type httpTimeouts struct {
	ReadHeader, Read, Write, Idle, Shutdown time.Duration
}

// defaultHTTP suits API requests and console pages; import uploads have their own,
// longer, limit (VINCULA_UPLOAD_TIMEOUT).
var defaultHTTP = httpTimeouts{ReadHeader: 5 * time.Second, Read: 60 * time.Second, Write: 60 * time.Second,
	Idle: 120 * time.Second, Shutdown: 20 * time.Second}

// defaultDBWait is how long start-up waits for the database by default: long enough
// for a PostgreSQL started beside the server (a compose file, a reboot) to come up.
const defaultDBWait = 30 * time.Second

func configFromEnv(getenv func(string) string) (config, error) {
	cfg := config{
		Addr:        envOr(getenv, "VINCULA_ADDR", "127.0.0.1:8080"),
		DataDir:     envOr(getenv, "VINCULA_DATA_DIR", "./data"),
		IndexDir:    getenv("VINCULA_INDEX_DIR"),
		DatabaseURL: getenv("VINCULA_DATABASE_URL"),
		SecretKey:   getenv("VINCULA_SECRET_KEY"),
		AdminToken:  getenv("VINCULA_ADMIN_TOKEN"),
		RulesFile:   getenv("VINCULA_RULES_FILE"),
		PprofAddr:   getenv("VINCULA_PPROF_ADDR"),
		// Only "1" or "true": a receiver on the server's own machine, for development.
		WebhooksLoopbackHTTP: getenv("VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP") == "1" || getenv("VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP") == "true",
		PublicURL:            strings.TrimRight(getenv("VINCULA_PUBLIC_URL"), "/"),
	}
	if v := getenv("VINCULA_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("VINCULA_SECURE_COOKIES: %q is not true or false", v)
		}
		cfg.SecureCookies = b
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + cfg.Addr
	}
	for _, p := range strings.Split(getenv("VINCULA_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	switch f := strings.ToLower(strings.TrimSpace(getenv("VINCULA_LOG_FORMAT"))); f {
	case "", "text":
	case "json":
		cfg.LogJSON = true
	default:
		return cfg, fmt.Errorf("VINCULA_LOG_FORMAT: %q is not text or json", f)
	}
	if lvl := getenv("VINCULA_LOG_LEVEL"); lvl != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return cfg, fmt.Errorf("VINCULA_LOG_LEVEL: %w", err)
		}
	}
	cfg.DBWait = defaultDBWait
	cfg.HTTP = defaultHTTP
	if v := getenv("VINCULA_DB_WAIT"); v != "" {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("VINCULA_DB_WAIT: %q is not a duration such as 30s or 2m (0 to not wait)", v)
		}
		cfg.DBWait = d
	}
	for _, c := range []struct {
		name string
		min  int
		to   *int
	}{
		{"VINCULA_MAX_IN_FLIGHT", 1, &cfg.MaxInFlight},
		{"VINCULA_MAX_QUEUED", 0, &cfg.MaxQueued},
	} {
		if v := getenv(c.name); v != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < c.min {
				return cfg, fmt.Errorf("%s: %q is not a whole number of %d or more", c.name, v, c.min)
			}
			*c.to = n
			if c.to == &cfg.MaxQueued && n == 0 {
				*c.to = -1 // no queue: api.Config's 0 is the default
			}
		}
	}
	// The migrants' self-service limits; unset ones keep api.MigrantConfig's defaults.
	m := &cfg.Migrants
	for _, c := range []struct {
		name string
		to   *int
	}{
		{"VINCULA_MIGRANT_REGISTER_PER_MINUTE", &m.RegisterPerAddress},
		{"VINCULA_MIGRANT_LOGIN_PER_MINUTE", &m.LoginPerAddress},
		{"VINCULA_MIGRANT_PER_PHONE_PER_MINUTE", &m.PerPhone},
		{"VINCULA_MIGRANT_LOCK_AFTER", &m.LockAfter},
		{"VINCULA_MIGRANT_FAILURES_PER_ADDRESS", &m.FailuresPerAddress},
	} {
		if v := getenv(c.name); v != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 {
				return cfg, fmt.Errorf("%s: %q is not a whole number of 1 or more", c.name, v)
			}
			*c.to = n
		}
	}
	for _, c := range []struct {
		name string
		to   *time.Duration
	}{
		{"VINCULA_MIGRANT_LOCK_FOR", &m.LockFor},
		{"VINCULA_MIGRANT_TOKEN_TTL", &m.TokenTTL},
		{"VINCULA_TOKEN_TTL", &cfg.TokenTTL},
		{"VINCULA_READ_HEADER_TIMEOUT", &cfg.HTTP.ReadHeader},
		{"VINCULA_READ_TIMEOUT", &cfg.HTTP.Read},
		{"VINCULA_WRITE_TIMEOUT", &cfg.HTTP.Write},
		{"VINCULA_IDLE_TIMEOUT", &cfg.HTTP.Idle},
		{"VINCULA_SHUTDOWN_TIMEOUT", &cfg.HTTP.Shutdown},
		{"VINCULA_UPLOAD_TIMEOUT", &cfg.UploadTimeout},
		{"VINCULA_WEBHOOKS_FIRST_RETRY", &cfg.WebhooksFirstRetry},
		{"VINCULA_WEBHOOKS_LEASE", &cfg.WebhooksLease},
		{"VINCULA_ALERT_SWEEP_EVERY", &cfg.AlertSweepEvery},
	} {
		if v := getenv(c.name); v != "" {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d < time.Second {
				return cfg, fmt.Errorf("%s: %q is not a duration of a second or more (for example 15m or 24h)", c.name, v)
			}
			*c.to = d
		}
	}
	for _, c := range []struct {
		name string
		to   *int64
	}{
		{"VINCULA_MAX_UPLOAD_BYTES", &cfg.MaxUploadBytes},
		{"VINCULA_MAX_BODY_BYTES", &cfg.MaxBodyBytes},
	} {
		if v := getenv(c.name); v != "" {
			n, err := parseBytes(v)
			if err != nil {
				return cfg, fmt.Errorf("%s: %w", c.name, err)
			}
			*c.to = n
		}
	}
	if v := getenv("VINCULA_IMPORT_WORKERS"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 64 {
			return cfg, fmt.Errorf("VINCULA_IMPORT_WORKERS: %q is not a whole number from 1 to 64", v)
		}
		cfg.ImportWorkers = n
	}
	return cfg, nil
}

// parseBytes reads a size: a number of bytes, or one with a unit (KiB, MiB, GiB; KB,
// MB, GB mean the same powers of 1,024, as people use them for files).
func parseBytes(v string) (int64, error) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 64MiB or 1048576 (bytes)", v)
	}
	return n * mult, nil
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// openStore opens the configured database, reading or creating the secret key.
// A store opened to run the migrations itself reads no encrypted value: on PostgreSQL it
// needs no key.
func openStore(m *Main, cfg config, skipMigrations bool) (*store.Store, error) {
	var key []byte
	var err error
	if skipMigrations && cfg.SecretKey == "" && cfg.DatabaseURL != "" {
		key = make([]byte, 32)
		_, err = rand.Read(key)
	} else {
		key, err = secretKey(m, cfg)
	}
	if err != nil {
		return nil, err
	}
	sc := store.Config{DatabaseURL: cfg.DatabaseURL, Key: key, Logger: m.log, SkipMigrations: skipMigrations, Now: m.now}
	if cfg.DatabaseURL == "" {
		sc.SQLitePath = filepath.Join(cfg.DataDir, "vincula.db")
	}
	st, err := m.openWaiting(sc, cfg.DBWait)
	if errors.Is(err, store.ErrWrongKey) && cfg.SecretKey == "" {
		return nil, fmt.Errorf("%w (this start read the key from %s)", err, filepath.Join(cfg.DataDir, "secret.key"))
	}
	return st, err
}

// The first pause between attempts to reach the database, and the longest.
const (
	firstDBRetry = 250 * time.Millisecond
	maxDBRetry   = 5 * time.Second
)

// openWaiting opens the store, retrying while the database is unreachable
// (store.Unavailable: refused, starting up, locked) with pauses that double from
// firstDBRetry up to maxDBRetry, for wait in all; then it gives up naming the wait and
// the last error. Any other error (a bad key, a failed migration, a refused password)
// stops start-up at once.
func (m *Main) openWaiting(sc store.Config, wait time.Duration) (*store.Store, error) {
	deadline := m.now().Add(wait)
	pause := firstDBRetry
	for attempt := 1; ; attempt++ {
		st, err := store.Open(m.ctx, sc)
		if err == nil {
			if attempt > 1 {
				m.log.Info("database reached", slog.Int("attempts", attempt))
			}
			return st, nil
		}
		if !store.Unavailable(err) || m.ctx.Err() != nil {
			return nil, err
		}
		left := deadline.Sub(m.now())
		if left <= 0 {
			return nil, fmt.Errorf("the database cannot be reached; gave up after %s and %d attempts (VINCULA_DB_WAIT sets how long to wait): %w",
				wait, attempt, err)
		}
		pause = min(pause, left)
		m.log.Warn("database unreachable; retrying", slog.Int("attempt", attempt), slog.Duration("in", pause), slog.Any("err", err))
		if err := m.sleep(m.ctx, pause); err != nil {
			return nil, err
		}
		pause = min(2*pause, maxDBRetry)
	}
}

func secretKey(m *Main, cfg config) ([]byte, error) {
	if cfg.SecretKey != "" {
		key, err := store.ParseKey(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("VINCULA_SECRET_KEY: %w", err)
		}
		return key, nil
	}
	if cfg.DatabaseURL != "" {
		// A key generated on each machine would make every server of a shared
		// database unable to read what the others wrote.
		return nil, errors.New("VINCULA_SECRET_KEY is not set: with PostgreSQL (VINCULA_DATABASE_URL) the secret key must be given, " +
			"the same on every server and command using the database (32 bytes as 64 hex digits or base64, for example from `openssl rand -hex 32`); " +
			"it is never generated per machine")
	}
	key, path, created, err := store.LoadOrCreateKey(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if created {
		m.log.Warn("VINCULA_SECRET_KEY is not set: generated a new key that encrypts document numbers; back it up, without it they cannot be read",
			slog.String("path", path))
	}
	return key, nil
}

// loadRules returns the deployment's eligibility rules file, or the embedded rules.
// A broken file stops start-up with the problem named.
func loadRules(cfg config) (*matching.Rules, error) {
	if cfg.RulesFile == "" {
		return matching.DefaultRules(), nil
	}
	data, err := os.ReadFile(cfg.RulesFile)
	if err != nil {
		return nil, fmt.Errorf("VINCULA_RULES_FILE: %w", err)
	}
	rules, err := matching.LoadRules(data)
	if err != nil {
		return nil, fmt.Errorf("VINCULA_RULES_FILE %s: %w", cfg.RulesFile, err)
	}
	return rules, nil
}
