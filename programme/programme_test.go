package programme_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/programme"
	"github.com/vincula/vincula/programme/programmetest"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// show writes a table as "label=count" with hidden cells as "label=-".
func show(cells []programme.Cell) string {
	var parts []string
	for _, c := range cells {
		label := c.Stage + c.Month + c.State + c.Key
		if c.Month != "" {
			label = c.Month + "/" + c.State
		}
		if c.Suppressed {
			parts = append(parts, label+"=-")
		} else {
			parts = append(parts, fmt.Sprintf("%s=%d", label, c.People))
		}
	}
	return strings.Join(parts, " ")
}

// TestDashboardOnPlantedData: on a planted programme the funnel counts each stage's
// people (eligibility by the rules: an expired card, a regional visitor's card, a
// temporary resident without a permit and a child are not eligible), and the
// placements by state and month, gender and nationality hide every cell under 5
// people and, where one hidden cell could be worked out from the hired total, the
// smallest cell shown as well.
func TestDashboardOnPlantedData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := programmetest.Plant(t, st)
		svc := programme.New(st, nil, st.Now(), programmetest.Mexico)
		d, err := svc.Dashboard(context.Background(), p.Admin)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := show(d.Funnel), "registered=30 eligible=26 referred=25 interviewing=22 hired=20"; got != want {
			t.Errorf("funnel: %s, want %s", got, want)
		}
		m0, m1 := p.Months[0], p.Months[1]
		// 2 people in Chiapas in the first month are hidden; 20-6-5-7 would give them
		// away, so the smallest cell shown (5, Chiapas, second month) is hidden too.
		want := fmt.Sprintf("%s/MX-CHP=- %s/MX-NLE=6 %s/MX-CHP=- %s/MX-NLE=7", m0, m0, m1, m1)
		if got := show(d.ByStateMonth); got != want {
			t.Errorf("by state and month: %s, want %s", got, want)
		}
		// One X would be 20-10-9: the 9 men are hidden with it.
		if got, want := show(d.ByGender), "F=10 M=- X=-"; got != want {
			t.Errorf("by gender: %s, want %s", got, want)
		}
		// 4 HN and 1 HT are both under 5, and together 5: nothing more to hide.
		if got, want := show(d.ByNationality), "GT=15 HN=- HT=-"; got != want {
			t.Errorf("by nationality: %s, want %s", got, want)
		}
		for _, c := range append(append(d.ByStateMonth, d.ByGender...), d.ByNationality...) {
			if c.Suppressed && c.People != 0 {
				t.Errorf("a hidden cell carries its count: %+v", c)
			}
		}
		// The figures are kept for CacheFor, then read again.
		c := models.Candidate{FullName: "Persona nueva", Nationality: "GT", BirthDate: models.MustDate("1990-01-01"), CurrentState: "MX-CHP",
			Status: models.CandidateActive, EducationLevel: "none"}
		if err := st.CreateCandidate(context.Background(), &c); err != nil {
			t.Fatal(err)
		}
		if d, _ := svc.Dashboard(context.Background(), p.Admin); d.Funnel[0].People != 30 {
			t.Fatalf("recomputed within CacheFor: %d registered", d.Funnel[0].People)
		}
		storetest.ClockOf(t, st).Advance(programme.CacheFor)
		if d, _ := svc.Dashboard(context.Background(), p.Admin); d.Funnel[0].People != 31 || d.Funnel[1].People != 26 {
			t.Fatalf("after CacheFor: %s", show(d.Funnel))
		}
	})
}

// TestDashboardWho: admins and counsellors see the dashboard; hub staff, organisers,
// employers and migrants do not.
func TestDashboardWho(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	svc := programme.New(st, nil, st.Now(), nil)
	for _, c := range []struct {
		role models.Role
		ok   bool
	}{{models.RoleAdmin, true}, {models.RoleCounsellor, true}, {models.RoleHubStaff, false}, {models.RoleOrganiser, false},
		{models.RoleEmployer, false}, {models.RoleMigrant, false}} {
		_, err := svc.Dashboard(context.Background(), models.User{ID: "u", Role: c.role})
		if c.ok && err != nil || !c.ok && !models.IsKind(err, models.ErrForbidden) {
			t.Errorf("%s: %v", c.role, err)
		}
	}
}

// TestSuppress: primary suppression under 5, and complementary suppression against a
// total until the hidden cells stand for none or at least 5 people.
func TestSuppress(t *testing.T) {
	cases := []struct {
		name  string
		cells []int
		total int
		want  string
	}{
		{"nothing small", []int{5, 9}, 14, "5 9"},
		{"no total: each on its own", []int{3, 9, 1}, -1, "- 9 -"},
		{"one small cell is protected by the next smallest", []int{12, 3, 6}, 21, "12 - -"},
		{"two small cells summing to 5 need no more", []int{10, 4, 1}, 15, "10 - -"},
		{"two small cells summing to 2 take a third", []int{10, 1, 1, 7}, 19, "10 - - -"},
		{"zero left needs nothing more", []int{10, 0}, 10, "10 -"},
		{"a small total hides everything", []int{2, 1}, 3, "- -"},
		{"ties go to the earlier cell", []int{2, 8, 8}, 18, "- - 8"},
		{"overlapping cells: only what can be subtracted counts", []int{6, 2, 6}, 12, "6 - 6"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cells := make([]programme.Cell, len(c.cells))
			for i, n := range c.cells {
				cells[i].People = n
			}
			programme.Suppress(cells, c.total)
			var got []string
			for _, cell := range cells {
				if cell.Suppressed {
					got = append(got, "-")
				} else {
					got = append(got, fmt.Sprint(cell.People))
				}
			}
			if strings.Join(got, " ") != c.want {
				t.Fatalf("got %s, want %s", strings.Join(got, " "), c.want)
			}
		})
	}
}

// BenchmarkDashboard computes the dashboard over 50,000 generated people (each with one
// document, a third of them expired) on top of the planted programme, on each engine:
// go test ./programme -run '^$' -bench Dashboard -benchtime 10x
func BenchmarkDashboard(b *testing.B) {
	for _, d := range storetest.Backends {
		b.Run(string(d), func(b *testing.B) {
			st := storetest.Open(b, d)
			p := programmetest.Plant(b, st)
			ctx := context.Background()
			today := models.DateOf(st.Now()())
			const n = 50000
			cs := make([]models.Candidate, 0, 5000)
			for i := range n {
				expires := today.AddDays(200)
				if i%3 == 0 {
					expires = today.AddDays(-10)
				}
				c := models.Candidate{FullName: fmt.Sprintf("Generada %d", i), Nationality: "GT", BirthDate: models.MustDate("1990-05-05"),
					CurrentState: "MX-CHP", Status: models.CandidateActive, EducationLevel: "none",
					Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: fmt.Sprintf("G-%d", i),
						IssuedOn: today.AddDays(-100), ExpiresOn: expires}}}
				cs = append(cs, c)
				if len(cs) == cap(cs) || i == n-1 {
					if err := st.BulkCreateCandidates(ctx, cs); err != nil {
						b.Fatal(err)
					}
					cs = cs[:0]
				}
			}
			if err := st.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			svc := programme.New(st, nil, st.Now(), programmetest.Mexico)
			clock := storetest.ClockOf(b, st)
			b.ResetTimer()
			for range b.N {
				clock.Advance(programme.CacheFor) // no cached figures: each round reads them
				dash, err := svc.Dashboard(ctx, p.Admin)
				if err != nil {
					b.Fatal(err)
				}
				if dash.Funnel[0].People != n+30 {
					b.Fatalf("registered %d", dash.Funnel[0].People)
				}
			}
		})
	}
}
