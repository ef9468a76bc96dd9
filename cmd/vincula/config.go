package main

import (
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
	Migrants       api.MigrantConfig
	// WebhooksLoopbackHTTP accepts plain-http webhook endpoints on 127.0.0.1/localhost.
	WebhooksLoopbackHTTP bool
}

func configFromEnv(getenv func(string) string) (config, error) {
	cfg := config{
		Addr:        envOr(getenv, "VINCULA_ADDR", "127.0.0.1:8080"),
		DataDir:     envOr(getenv, "VINCULA_DATA_DIR", "./data"),
		IndexDir:    getenv("VINCULA_INDEX_DIR"),
		DatabaseURL: getenv("VINCULA_DATABASE_URL"),
		SecretKey:   getenv("VINCULA_SECRET_KEY"),
		AdminToken:  getenv("VINCULA_ADMIN_TOKEN"),
		RulesFile:   getenv("VINCULA_RULES_FILE"),
		// Only "1" or "true": a receiver on the server's own machine, for development.
		WebhooksLoopbackHTTP: getenv("VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP") == "1" || getenv("VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP") == "true",
	}
	for _, p := range strings.Split(getenv("VINCULA_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if lvl := getenv("VINCULA_LOG_LEVEL"); lvl != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return cfg, fmt.Errorf("VINCULA_LOG_LEVEL: %w", err)
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
	} {
		if v := getenv(c.name); v != "" {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d < time.Second {
				return cfg, fmt.Errorf("%s: %q is not a duration of a second or more (for example 15m or 24h)", c.name, v)
			}
			*c.to = d
		}
	}
	return cfg, nil
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// openStore opens the configured database, reading or creating the secret key.
func openStore(m *Main, cfg config, skipMigrations bool) (*store.Store, error) {
	key, err := secretKey(m, cfg)
	if err != nil {
		return nil, err
	}
	sc := store.Config{DatabaseURL: cfg.DatabaseURL, Key: key, Logger: m.log, SkipMigrations: skipMigrations, Now: m.now}
	if cfg.DatabaseURL == "" {
		sc.SQLitePath = filepath.Join(cfg.DataDir, "vincula.db")
	}
	return store.Open(m.ctx, sc)
}

func secretKey(m *Main, cfg config) ([]byte, error) {
	if cfg.SecretKey != "" {
		key, err := store.ParseKey(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("VINCULA_SECRET_KEY: %w", err)
		}
		return key, nil
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
