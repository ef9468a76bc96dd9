package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/vincula/vincula/accounts"
)

// TestUserInviteAndDemoAccounts: `vincula user invite` prints a console link whose
// token sets the new user's password, and the demo data's console accounts sign in
// with the password `seed --demo` prints.
func TestUserInviteAndDemoAccounts(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_PUBLIC_URL": "https://vincula.example/"}
	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"seed", "--demo"}); err != nil {
		t.Fatalf("seed: %v %s", err, errOut)
	}
	if !strings.Contains(out.String(), "password "+demoPassword) || !strings.Contains(out.String(), "ana.gomez@sne.example") {
		t.Fatalf("seed does not print the console accounts: %q", out)
	}
	m, out, errOut = newMain(t, context.Background(), env)
	if err := m.Run([]string{"user", "invite", "--email", "eva@sne.example", "--name", "Eva", "--role", "hub_staff"}); err != nil {
		t.Fatalf("user invite: %v %s", err, errOut)
	}
	link := regexp.MustCompile(`https://vincula\.example/console/invitation/(inv_[A-Za-z0-9_-]+)`).FindStringSubmatch(out.String())
	if link == nil {
		t.Fatalf("no invitation link in %q", out)
	}
	m, _, errOut = newMain(t, context.Background(), env)
	if err := m.Run([]string{"user", "invite", "--email", "nobody"}); err == nil || !strings.Contains(errOut.String(), "--email") {
		t.Fatalf("an invitation without a valid address: %v %q", err, errOut)
	}

	cfg, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ = newMain(t, context.Background(), env)
	st, err := openStore(m, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	acc := accounts.New(st, m.now, accounts.Config{})
	if _, err := acc.Accept(ctx, link[1], "una-contrasena-larga"); err != nil {
		t.Fatalf("accept the printed invitation: %v", err)
	}
	for _, who := range []struct{ email, pw string }{{"eva@sne.example", "una-contrasena-larga"}, {"ana.gomez@sne.example", demoPassword}, {"feria@demo.example", demoPassword}} {
		if _, err := acc.SignIn(ctx, who.email, who.pw, "127.0.0.1"); err != nil {
			t.Fatalf("sign in as %s: %v", who.email, err)
		}
	}
}
