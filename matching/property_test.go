package matching

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// oracle reads DESIGN.md's table of "Legal eligibility" directly, without the rules
// engine: does document d of candidate c allow paid work in state on date for employer,
// and until when (noExpiry when it does not expire)? A document counts from its issue
// date (when known) to its expiry date, both included.
func oracle(c *models.Candidate, d models.Document, state string, date models.Date, employer string) (ok bool, until models.Date, noExpiry bool) {
	issued := d.IssuedOn.IsZero() || !d.IssuedOn.After(date)
	within := func(last models.Date) bool { return !last.IsZero() && !date.After(last) }
	// The law bounds some documents' life from their issue date; a later expiry typed in
	// does not stretch it.
	capAt := func(days int) models.Date {
		last := d.ExpiresOn
		if !last.IsZero() && !d.IssuedOn.IsZero() && last.After(d.IssuedOn.AddDays(days)) {
			last = d.IssuedOn.AddDays(days)
		}
		return last
	}
	switch d.Type {
	case models.DocResidentePermanente:
		return issued, models.Date{}, true
	case models.DocResidenteTemporal:
		return issued && d.WorkPermission && within(d.ExpiresOn), d.ExpiresOn, false
	case models.DocVisitanteRazonesHumanitarias:
		return issued && within(d.ExpiresOn), d.ExpiresOn, false
	case models.DocVisitanteTrabajadorFronterizo:
		last := capAt(366) // one year, leap years included
		south := state == "MX-CHP" || state == "MX-CAM" || state == "MX-TAB" || state == "MX-ROO"
		return issued && south && within(last), last, false
	case models.DocVisitanteActividadesRemuneradas:
		last := capAt(180)
		return !d.IssuedOn.IsZero() && issued && d.EmployerID != "" && employer == d.EmployerID && within(last), last, false
	case models.DocConstanciaCOMAR:
		return issued && strings.TrimSpace(c.CURP) != "" && d.State != "" && d.State == state && within(d.ExpiresOn), d.ExpiresOn, false
	}
	return false, models.Date{}, false
}

type randomWorld struct {
	rng  *rand.Rand
	base models.Date
}

func (w randomWorld) date() models.Date { return w.base.AddDays(w.rng.Intn(3 * 365)) }

func (w randomWorld) pick(xs []string) string { return xs[w.rng.Intn(len(xs))] }

func (w randomWorld) state() string {
	// Half the questions land on the states the rules single out.
	if w.rng.Intn(2) == 0 {
		return w.pick([]string{"MX-CHP", "MX-CAM", "MX-TAB", "MX-ROO", "MX-NLE", "MX-YUC"})
	}
	return w.pick(allStates)
}

func (w randomWorld) candidate(n int) *models.Candidate {
	c := &models.Candidate{ID: fmt.Sprintf("c%d", n), Nationality: w.pick([]string{"GT", "HN", "HT", "VE"})}
	if w.rng.Intn(2) == 0 {
		c.CURP = curp
	}
	types := append(slices.Clone(models.DocumentTypes), "pasaporte")
	for i := range w.rng.Intn(4) {
		d := models.Document{
			ID:             fmt.Sprintf("d%d", i),
			Type:           types[w.rng.Intn(len(types))],
			WorkPermission: w.rng.Intn(2) == 0,
			Verified:       w.rng.Intn(2) == 0,
			State:          w.pick([]string{"", "MX-CHP", "MX-TAB", "MX-NLE", "MX-CHP", "Chiapas"}),
			EmployerID:     w.pick([]string{"", "emp-1", "emp-2"}),
		}
		if w.rng.Intn(10) > 0 {
			d.IssuedOn = w.date()
		}
		if w.rng.Intn(10) > 0 {
			from := d.IssuedOn
			if from.IsZero() {
				from = w.date()
			}
			// Mostly sensible lengths, sometimes too long for the law or ending
			// before the issue date, as typing mistakes do.
			d.ExpiresOn = from.AddDays(w.rng.Intn(500) - 20)
		}
		c.Documents = append(c.Documents, d)
	}
	return c
}

// TestEligibilityAgainstOracle asks thousands of random questions about random
// candidates and checks each answer against the oracle.
func TestEligibilityAgainstOracle(t *testing.T) {
	rules := DefaultRules()
	w := randomWorld{rng: rand.New(rand.NewSource(20261101)), base: day("2025-01-01")}
	var eligible, refused int
	bases := map[models.DocumentType]int{}
	for n := range 10000 {
		c := w.candidate(n)
		span := WorkSpan(c, rules)
		checkSpanShape(t, c, span)
		for range 6 {
			q := Query{State: w.state(), Date: w.date(), EmployerID: w.pick([]string{"", "emp-1", "emp-2"})}
			dec := Eligibility(c, q, rules)
			if dec.Eligible {
				eligible++
				bases[dec.Basis.DocumentType]++
			} else {
				refused++
			}
			if msg := checkAgainstOracle(c, q, dec); msg != "" {
				t.Fatalf("candidate %+v\nquestion %+v\ndecision %+v\n%s", c.Documents, q, dec, msg)
			}
			if dec.Eligible {
				if msg := checkSpanCovers(span, q); msg != "" {
					t.Fatalf("candidate %+v (curp %q)\nquestion %+v is eligible but the span %+v %s", c.Documents, c.CURP, q, span, msg)
				}
				sum := Summarize(c, q.Date, rules)
				if !sum.EligibleSomewhere || !slices.Contains(sum.States, q.State) {
					t.Fatalf("candidate %+v\nquestion %+v is eligible but the summary is %+v", c.Documents, q, sum)
				}
			}
		}
		// The summary says "eligible somewhere today" exactly when some document allows
		// work in some state for the employer it names (if any).
		today := w.date()
		want := false
		for _, d := range c.Documents {
			for _, s := range allStates {
				if ok, _, _ := oracle(c, d, s, today, d.EmployerID); ok {
					want = true
				}
			}
		}
		if got := Summarize(c, today, rules); got.EligibleSomewhere != want {
			t.Fatalf("candidate %+v (curp %q) on %s: summary %+v, oracle says eligible somewhere = %v", c.Documents, c.CURP, today, got, want)
		}
	}
	t.Logf("%d eligible, %d refused, bases %v", eligible, refused, bases)
	// The random world must exercise both answers and every kind of basis, or the
	// property above proves little.
	if eligible < 5000 || refused < 5000 {
		t.Errorf("only %d eligible and %d refused decisions; the generator is lopsided", eligible, refused)
	}
	for _, typ := range []models.DocumentType{models.DocResidentePermanente, models.DocResidenteTemporal, models.DocVisitanteRazonesHumanitarias,
		models.DocVisitanteTrabajadorFronterizo, models.DocVisitanteActividadesRemuneradas, models.DocConstanciaCOMAR} {
		if bases[typ] < 30 {
			t.Errorf("%s was the basis only %d times", typ, bases[typ])
		}
	}
}

func checkAgainstOracle(c *models.Candidate, q Query, dec Decision) string {
	type hit struct {
		d        models.Document
		until    models.Date
		noExpiry bool
	}
	var hits []hit
	for _, d := range c.Documents {
		if ok, until, none := oracle(c, d, q.State, q.Date, q.EmployerID); ok {
			hits = append(hits, hit{d, until, none})
		}
	}
	if dec.Eligible != (len(hits) > 0) {
		return fmt.Sprintf("eligible = %v but the oracle finds %d documents that allow work", dec.Eligible, len(hits))
	}
	if !dec.Eligible {
		// An adolescent's record (a guardian's authorisation) is never a basis and gets
		// no line of its own.
		want := 0
		for _, d := range c.Documents {
			if !d.Type.ForMinors() {
				want++
			}
		}
		want = max(1, want)
		if len(dec.Reasons) != want || dec.Basis != nil || !dec.ValidUntil.IsZero() {
			return fmt.Sprintf("a refusal needs %d reasons, no basis and no valid_until", want)
		}
		return ""
	}
	i := slices.IndexFunc(hits, func(h hit) bool { return h.d.ID == dec.Basis.DocumentID })
	if i < 0 {
		return "the basis is not a document the oracle accepts"
	}
	b := hits[i]
	if b.d.Type != dec.Basis.DocumentType || b.d.Verified != dec.Basis.Verified || !b.d.ExpiresOn.Equal(dec.Basis.ExpiresOn) {
		return "the basis does not describe its document"
	}
	if b.noExpiry != dec.ValidUntil.IsZero() || (!b.noExpiry && !b.until.Equal(dec.ValidUntil)) {
		return fmt.Sprintf("valid_until %s, the oracle says %s (no expiry %v)", dec.ValidUntil, b.until, b.noExpiry)
	}
	if !slices.Contains(dec.AllowedStates, q.State) {
		return "allowed_states leaves out the state asked"
	}
	for _, h := range hits {
		longer := (h.noExpiry && !b.noExpiry) || (!h.noExpiry && !b.noExpiry && h.until.After(b.until))
		if longer {
			return fmt.Sprintf("document %s is valid longer than the basis", h.d.ID)
		}
		tie := h.noExpiry == b.noExpiry && h.until.Equal(b.until)
		if tie && h.d.Verified && !b.d.Verified {
			return fmt.Sprintf("document %s is as long and verified but the basis is not", h.d.ID)
		}
	}
	return ""
}

func checkSpanCovers(sp Span, q Query) string {
	switch {
	case !slices.Contains(sp.States, q.State):
		return "leaves out the state"
	case !sp.Until.IsZero() && q.Date.After(sp.Until):
		return "ends before the date"
	case sp.NeedsEmployer != "" && sp.NeedsEmployer != q.EmployerID:
		return "asks for another employer"
	}
	return ""
}

func checkSpanShape(t *testing.T, c *models.Candidate, sp Span) {
	t.Helper()
	if sp.States == nil || !slices.IsSorted(sp.States) || sp.AllStates != (len(sp.States) == 32) {
		t.Fatalf("candidate %+v: malformed span %+v", c.Documents, sp)
	}
}
