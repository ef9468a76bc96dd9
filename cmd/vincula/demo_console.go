package main

import (
	"context"
	"fmt"
	"io"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
)

// demoPassword is the password of every demo console account (demo data only).
const demoPassword = "vincula-demo-2026"

// demoAccounts are the console's demo sign-ins: the e-mail address and the demo user
// (by its bearer token) it belongs to.
var demoAccounts = []struct{ email, token string }{
	{"ana.gomez@sne.example", "demo-counsellor-chp"},
	{"patricia.garza@sne.example", "demo-counsellor-nle"},
	{"hub.tapachula@demo.example", "demo-hub-tapachula"},
	{"feria@demo.example", "demo-organiser"},
	{"admin@demo.example", "demo-admin"},
	{"rrhh@cafetalera.example", "demo-employer-chp"},
}

// seedConsoleDemo gives the demo users their console passwords, the demo organiser a
// fair to upload into, and the Chiapas office a few referrals to work.
func seedConsoleDemo(ctx context.Context, st *store.Store, userOf map[string]models.User) error {
	acc := accounts.New(st, st.Now(), accounts.Config{})
	for _, a := range demoAccounts {
		if err := acc.SetPassword(ctx, userOf[a.token].ID, a.email, demoPassword); err != nil {
			return fmt.Errorf("demo account %s: %w", a.email, err)
		}
	}
	today := models.DateOf(st.Now()().In(mexicoCity()))
	fair := models.JobFair{ID: "demo-fair-tapachula", Name: "Feria del Empleo para Personas Migrantes — Tapachula", State: "MX-CHP",
		Municipality: "Tapachula", StartsOn: today.AddDays(14), EndsOn: today.AddDays(15), OrganiserID: userOf["demo-organiser"].ID}
	if err := st.CreateJobFair(ctx, &fair); err != nil {
		return err
	}
	pl := placement.New(st, nil, st.Now(), mexicoCity())
	for _, r := range []struct{ candidate, vacancy, note string }{
		{"demo-c-yessenia", "demo-v-cafe-tapachula", "experiencia en corte de café"},
		{"demo-c-jean-baptiste", "demo-v-albanil-palenque", "albañil con 8 años de experiencia"},
		{"demo-c-maria-fernanda", "demo-v-cafe-tapachula", "disponible de inmediato"},
	} {
		if _, err := pl.Create(ctx, userOf["demo-admin"], r.candidate, r.vacancy, r.note); err != nil {
			return fmt.Errorf("demo referral of %s: %w", r.candidate, err)
		}
	}
	return nil
}

func printDemoAccounts(out io.Writer) {
	// The address is the server's (logged as "vincula serving"; 127.0.0.1:8080 unless
	// VINCULA_ADDR says otherwise), which a seed run does not know.
	fmt.Fprintln(out, "web console at /console/ and the migrants' pages at /m/ on the server's address (demo data only), password "+demoPassword+" for:")
	for _, a := range demoAccounts {
		fmt.Fprintf(out, "  %-28s %s\n", a.email, a.token)
	}
}
