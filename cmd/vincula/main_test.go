package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/store/storetest"
)

func newMain(t *testing.T, ctx context.Context, env map[string]string) (*Main, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{ctx: ctx, stdout: &out, stderr: &errOut, getenv: func(k string) string { return env[k] },
		now: storetest.NewClock(storetest.Epoch).Now}
	return m, &out, &errOut
}

func TestMigrateThenSeedTwice(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"VINCULA_DATA_DIR": dir}
	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"migrate"}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "sqlite: applied migrations [1 2 3 4 5 6 7 8 9 11 12]") {
		t.Fatalf("migrate said %q", out)
	}
	if !strings.Contains(errOut.String(), "generated a new key") {
		t.Fatalf("no log line about the generated key: %q", errOut)
	}
	if info, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret key file: %v %v", info, err)
	}
	m, out, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"migrate"}); err != nil || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("second migrate: %v %q", err, out)
	}
	m, out, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"seed", "--demo"}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if !strings.Contains(out.String(), "demo data loaded: 4 offices, 5 counsellors, 5 employers, 7 vacancies, 9 candidates") ||
		!strings.Contains(out.String(), "demo-employer-nl") {
		t.Fatalf("seed said %q", out)
	}
	m, out, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"seed", "--demo"}); err != nil || !strings.Contains(out.String(), "already loaded") {
		t.Fatalf("second seed: %v %q", err, out)
	}
}

func TestUnknownCommandAndUsage(t *testing.T) {
	m, _, errOut := newMain(t, context.Background(), nil)
	if err := m.Run([]string{"frobnicate"}); err == nil || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %v %q", err, errOut)
	}
	m, _, errOut = newMain(t, context.Background(), nil)
	if err := m.Run(nil); err == nil || !strings.Contains(errOut.String(), "usage: vincula") {
		t.Fatalf("no command: %v %q", err, errOut)
	}
}

func TestBrokenRulesFileStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(rules, []byte(`{"version": "x", "rules": [{"document_type": "pasaporte_lunar"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _, _ := newMain(t, context.Background(), map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_RULES_FILE": rules,
		"VINCULA_ADDR": "127.0.0.1:0"})
	err := m.Run([]string{"serve"})
	if err == nil || !strings.Contains(err.Error(), "VINCULA_RULES_FILE") || !strings.Contains(err.Error(), "pasaporte_lunar") {
		t.Fatalf("serve with a broken rules file: %v", err)
	}
}

// TestServeAnswersAndShutsDownGracefully runs the server, asks it for readiness with a
// demo token, then cancels its context as SIGTERM would.
func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, _, errOut := newMain(t, ctx, map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_ADDR": addr, "VINCULA_ADMIN_TOKEN": "boot",
		"VINCULA_MIGRANT_LOGIN_PER_MINUTE": "1"})
	done := make(chan error, 1)
	go func() { done <- m.Run([]string{"serve", "--demo"}) }()
	base := "http://" + addr
	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ {
		if resp, err = http.Get(base + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, errOut)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %d", resp.StatusCode)
	}
	for _, token := range []string{"boot", "demo-employer-nl"} {
		req, _ := http.NewRequest("GET", base+"/api/v1/vacancies/demo-v-albanil-palenque", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		r, err := http.DefaultClient.Do(req)
		if err != nil || r.StatusCode != http.StatusOK {
			t.Fatalf("GET a demo vacancy as %s: %v %v", token, err, r)
		}
		r.Body.Close()
	}
	// VINCULA_MIGRANT_LOGIN_PER_MINUTE=1: the second login from this address in a
	// minute is refused, where the default would allow twenty.
	var codes []int
	for range 2 {
		r, err := http.Post(base+"/api/v1/migrants/login", "application/json", strings.NewReader(`{"phone":"+529625550199","pin":"482913"}`))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		codes = append(codes, r.StatusCode)
	}
	if codes[0] == http.StatusTooManyRequests || codes[1] != http.StatusTooManyRequests {
		t.Fatalf("two logins with a limit of one a minute: %v, want the second 429", codes)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if !strings.Contains(errOut.String(), "shutting down") {
		t.Fatalf("no shutdown log: %s", errOut)
	}
}

// TestMigrantLimitsFromEnv: the migrants' limits are read from the environment, and a
// bad value stops start-up naming the variable.
func TestMigrantLimitsFromEnv(t *testing.T) {
	env := map[string]string{"VINCULA_MIGRANT_REGISTER_PER_MINUTE": "3", "VINCULA_MIGRANT_LOGIN_PER_MINUTE": "7",
		"VINCULA_MIGRANT_PER_PHONE_PER_MINUTE": " 2 ", "VINCULA_MIGRANT_LOCK_AFTER": "4",
		"VINCULA_MIGRANT_LOCK_FOR": "30m", "VINCULA_MIGRANT_TOKEN_TTL": "8h"}
	cfg, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := api.MigrantConfig{RegisterPerAddress: 3, LoginPerAddress: 7, PerPhone: 2, LockAfter: 4,
		LockFor: 30 * time.Minute, TokenTTL: 8 * time.Hour}
	if cfg.Migrants != want {
		t.Fatalf("migrant limits: %+v, want %+v", cfg.Migrants, want)
	}
	if cfg, err := configFromEnv(func(string) string { return "" }); err != nil || cfg.Migrants != (api.MigrantConfig{}) {
		t.Fatalf("unset: %+v %v; want zero values, which the API fills with its defaults", cfg.Migrants, err)
	}
	for name, bad := range map[string]string{"VINCULA_MIGRANT_LOCK_AFTER": "0", "VINCULA_MIGRANT_LOGIN_PER_MINUTE": "veinte",
		"VINCULA_MIGRANT_PER_PHONE_PER_MINUTE": "-1", "VINCULA_MIGRANT_LOCK_FOR": "15", "VINCULA_MIGRANT_TOKEN_TTL": "10ms"} {
		_, err := configFromEnv(func(k string) string {
			if k == name {
				return bad
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("%s=%q: %v, want an error naming the variable", name, bad, err)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("127.0.0.1:%d", l.Addr().(*net.TCPAddr).Port)
}

func TestMain(m *testing.M) { storetest.Main(m) }

func TestMigratePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	env := map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_DATABASE_URL": url}
	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"migrate"}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "postgres: applied migrations [1 2 3 4 5 6 7 8 9 11 12]") {
		t.Fatalf("migrate said %q", out)
	}
	m, out, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"migrate"}); err != nil || !strings.Contains(out.String(), "postgres: schema is up to date") {
		t.Fatalf("second migrate: %v %q", err, out)
	}
}
