package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
)

// peerDB returns a connection to a fresh database of its own on the test PostgreSQL
// (VINCULA_TEST_DATABASE_URL, or the local one), dropped when the test ends. Without a
// server the test is skipped, or fails when CI is set.
func peerDB(t *testing.T) (*pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	serverURL := os.Getenv("VINCULA_TEST_DATABASE_URL")
	if serverURL == "" {
		serverURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	var suffix [4]byte
	rand.Read(suffix[:])
	name := "vincula_bench_test_" + hex.EncodeToString(suffix[:])
	admin := pgAdmin{serverURL: serverURL}
	u, err := admin.recreate(ctx, name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI: %v", err)
		}
		t.Skipf("PostgreSQL unreachable (%v); set VINCULA_TEST_DATABASE_URL or start it", err)
	}
	t.Cleanup(func() { admin.drop(context.Background(), name) })
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn, u
}

// loadTestPeer loads cs into the peer's tables of conn.
func loadTestPeer(t *testing.T, conn *pgx.Conn, cs []models.Candidate) {
	t.Helper()
	ctx := context.Background()
	if err := createPeer(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if err := copyPeer(ctx, conn, cs); err != nil {
		t.Fatal(err)
	}
	if _, _, err := finishPeer(ctx, conn); err != nil {
		t.Fatal(err)
	}
}

// eligibleIDs asks the peer which candidates may work in state on day for employer.
func eligibleIDs(t *testing.T, conn *pgx.Conn, state string, day models.Date, employer string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT c.id FROM candidates c WHERE `+eligibleSQL("$1::text", "$2::date", "$3::text", "true")+` ORDER BY c.id`,
		state, day.Time(), employer)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func doc(typ models.DocumentType, issued, expires string) models.Document {
	d := models.Document{Type: typ}
	if issued != "" {
		d.IssuedOn = models.MustDate(issued)
	}
	if expires != "" {
		d.ExpiresOn = models.MustDate(expires)
	}
	return d
}

// handMade are profiles on the edges of each rule, with whether they may work for
// employer emp-1 in Nuevo León and for employer emp-2 in Chiapas on 2026-12-01,
// worked out by hand from DESIGN.md's table.
func handMade() []struct {
	c        models.Candidate
	nle, chp bool
} {
	withCURP := "GOMJ900101HNEMRN09"
	permit := func(employer, issued, expires string) models.Document {
		d := doc(models.DocVisitanteActividadesRemuneradas, issued, expires)
		d.EmployerID = employer
		return d
	}
	temp := func(work bool, issued, expires string) models.Document {
		d := doc(models.DocResidenteTemporal, issued, expires)
		d.WorkPermission = work
		return d
	}
	comar := func(state, issued, expires string) models.Document {
		d := doc(models.DocConstanciaCOMAR, issued, expires)
		d.State = state
		return d
	}
	type hm = struct {
		c        models.Candidate
		nle, chp bool
	}
	person := func(id, curp string, docs ...models.Document) models.Candidate {
		return models.Candidate{ID: id, CURP: curp, CurrentState: "MX-CHP", PreferredStates: []string{}, Status: models.CandidateActive,
			Consent: models.Consent{ShareProfile: true}, Skills: []models.CandidateSkill{{Name: "soldadura"}}, Documents: docs}
	}
	return []hm{
		{person("h01-permanent", "", doc(models.DocResidentePermanente, "2020-01-01", "")), true, true},
		{person("h02-permanent-issued-later", "", doc(models.DocResidentePermanente, "2027-01-01", "")), false, false},
		{person("h03-temporal-no-permit", withCURP, temp(false, "2025-06-01", "2027-06-01")), false, false},
		{person("h04-temporal-permit", withCURP, temp(true, "2025-06-01", "2027-06-01")), true, true},
		{person("h05-temporal-expired", withCURP, temp(true, "2024-11-30", "2026-11-30")), false, false},
		{person("h06-tvrh-last-day", "", doc(models.DocVisitanteRazonesHumanitarias, "2025-12-01", "2026-12-01")), true, true},
		{person("h07-tvrh-no-expiry", "", doc(models.DocVisitanteRazonesHumanitarias, "2025-12-01", "")), false, false},
		{person("h08-tvtf", "", doc(models.DocVisitanteTrabajadorFronterizo, "2026-01-01", "2026-12-31")), false, true},
		// 2025-11-01 + 366 days is 2026-11-02: past its cap on 2026-12-01.
		{person("h09-tvtf-over-a-year", "", doc(models.DocVisitanteTrabajadorFronterizo, "2025-11-01", "2026-12-31")), false, false},
		{person("h10-permit-emp-1", "", permit("emp-1", "2026-10-01", "2027-01-01")), true, false},
		{person("h11-permit-no-issue-date", "", permit("emp-1", "", "2027-01-01")), false, false},
		// 2026-05-01 + 180 days is 2026-10-28.
		{person("h12-permit-over-180-days", "", permit("emp-1", "2026-05-01", "2027-01-01")), false, false},
		{person("h13-comar-nle", withCURP, comar("MX-NLE", "2026-10-01", "2027-01-01")), true, false},
		{person("h14-comar-no-curp", "", comar("MX-NLE", "2026-10-01", "2027-01-01")), false, false},
		{person("h15-regional", "", doc(models.DocVisitanteRegional, "2025-01-01", "2028-01-01")), false, false},
		{person("h16-passport", "", doc(models.DocOther, "2020-01-01", "2030-01-01")), false, false},
		{person("h17-no-documents", ""), false, false},
		{person("h18-regional-and-comar-chp", withCURP, doc(models.DocVisitanteRegional, "2025-01-01", "2028-01-01"),
			comar("MX-CHP", "2026-11-01", "2027-01-01")), false, true},
	}
}

func TestPeerEligibilityHandMade(t *testing.T) {
	conn, _ := peerDB(t)
	cases := handMade()
	var cs []models.Candidate
	for _, hc := range cases {
		cs = append(cs, hc.c)
	}
	loadTestPeer(t, conn, cs)
	day := models.MustDate("2026-12-01")
	nle := eligibleIDs(t, conn, "MX-NLE", day, "emp-1")
	chp := eligibleIDs(t, conn, "MX-CHP", day, "emp-2")
	for _, hc := range cases {
		t.Run(hc.c.ID, func(t *testing.T) {
			if got := slices.Contains(nle, hc.c.ID); got != hc.nle {
				t.Errorf("peer: may work for emp-1 in MX-NLE on %s = %v, want %v", day, got, hc.nle)
			}
			if got := slices.Contains(chp, hc.c.ID); got != hc.chp {
				t.Errorf("peer: may work for emp-2 in MX-CHP on %s = %v, want %v", day, got, hc.chp)
			}
			// The hand-written answers are the engine's too, so the peer is held to
			// the same rules Vincula applies.
			if got := matching.Eligibility(&hc.c, matching.Query{State: "MX-NLE", Date: day, EmployerID: "emp-1"}, nil).Eligible; got != hc.nle {
				t.Errorf("engine: MX-NLE = %v, want %v", got, hc.nle)
			}
			if got := matching.Eligibility(&hc.c, matching.Query{State: "MX-CHP", Date: day, EmployerID: "emp-2"}, nil).Eligible; got != hc.chp {
				t.Errorf("engine: MX-CHP = %v, want %v", got, hc.chp)
			}
		})
	}
}

// TestPeerEligibilityGenerated holds the SQL to the eligibility engine on generated
// profiles (the hubs' document mix), for several states, days and employers.
func TestPeerEligibilityGenerated(t *testing.T) {
	conn, _ := peerDB(t)
	today := models.MustDate("2026-11-22")
	g := datagen.New(datagen.Config{Seed: 7, Today: today, Candidates: 400})
	cs := generate(g, 0, 400)
	loadTestPeer(t, conn, cs)
	// An employer named on some permit, so that the named-employer rule is exercised.
	var named string
	for _, c := range cs {
		for _, d := range c.Documents {
			if d.Type == models.DocVisitanteActividadesRemuneradas && named == "" {
				named = d.EmployerID
			}
		}
	}
	if named == "" {
		t.Fatal("no permit naming an employer among the generated profiles")
	}
	total := 0
	for _, state := range []string{"MX-CHP", "MX-TAB", "MX-NLE", "MX-BCN", "MX-VER", "MX-CMX", "MX-ROO"} {
		for _, day := range []models.Date{today.AddDays(-100), today, today.AddDays(45), today.AddDays(200)} {
			for _, employer := range []string{"", named} {
				t.Run(fmt.Sprintf("%s/%s/%q", state, day, employer), func(t *testing.T) {
					var want []string
					for i := range cs {
						if matching.Eligibility(&cs[i], matching.Query{State: state, Date: day, EmployerID: employer}, nil).Eligible {
							want = append(want, cs[i].ID)
						}
					}
					got := eligibleIDs(t, conn, state, day, employer)
					if !slices.Equal(got, want) {
						t.Errorf("peer says %d may work, the engine %d; only peer: %v; only engine: %v",
							len(got), len(want), minus(got, want), minus(want, got))
					}
					total += len(want)
				})
			}
		}
	}
	// The comparison means something only if many profiles are eligible somewhere and
	// many are not.
	if total < 1000 {
		t.Errorf("only %d eligible answers in all: the generated mix no longer exercises the rules", total)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestPeerQuery checks the peer's whole vacancy query: text match, eligibility,
// active and consenting only.
func TestPeerQuery(t *testing.T) {
	conn, u := peerDB(t)
	cases := handMade()
	var cs []models.Candidate
	for _, hc := range cases {
		cs = append(cs, hc.c)
	}
	inactive := cases[0].c
	inactive.ID, inactive.Status = "h90-inactive", models.CandidateInactive
	noConsent := cases[0].c
	noConsent.ID, noConsent.Consent.ShareProfile = "h91-no-consent", false
	otherTrade := cases[0].c
	otherTrade.ID, otherTrade.Skills = "h92-cook", []models.CandidateSkill{{Name: "cocina"}}
	cs = append(cs, inactive, noConsent, otherTrade)
	loadTestPeer(t, conn, cs)
	pool, err := pgxpool.New(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	v := models.Vacancy{ID: "vac-1", EmployerID: "emp-1", Title: "Soldador", Skills: []models.VacancySkill{{Name: "Soldadura eléctrica"}},
		State: "MX-NLE", StartDate: models.MustDate("2026-12-01")}
	got, err := peerTop(context.Background(), pool, v, models.MustDate("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	// The Nuevo León column of handMade, in ID order (every match ranks the same).
	want := []string{"h01-permanent", "h04-temporal-permit", "h06-tvrh-last-day", "h10-permit-emp-1", "h13-comar-nle"}
	if !slices.Equal(got, want) {
		t.Errorf("peer's page = %v, want %v", got, want)
	}
}
