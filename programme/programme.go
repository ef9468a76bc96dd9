// Package programme holds the programme dashboard's use case: the funnel from
// registration to hire and the placements by state and month, by gender and by
// nationality, as aggregates only. Every count is of distinct people and any cell
// under Threshold people is suppressed, with complementary suppression so that a
// suppressed cell cannot be worked out from the table's published total (see
// Suppress). It knows no HTTP.
package programme

import (
	"context"
	"sync"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// Threshold is the fewest people a published cell may count.
const Threshold = 5

// CacheFor is how long a computed dashboard is served before it is computed again:
// its queries read every profile (about half a second per 50,000 people on SQLite), so
// a page view must not run them each time. Figures a few minutes old are fine for a
// programme's dashboard, and every table of one view and its downloads come from the
// same moment.
const CacheFor = 2 * time.Minute

// Service runs the dashboard's use case.
type Service struct {
	store *store.Store
	rules *matching.Rules
	now   func() time.Time
	loc   *time.Location

	// mu serialises the computations (one at a time, however many people ask) and
	// guards the last one.
	mu   sync.Mutex
	last *Dashboard
}

// New returns the dashboard's use case on the one clock now; loc is where days and
// months are reckoned (Mexico City). Nil rules are matching's defaults.
func New(st *store.Store, rules *matching.Rules, now func() time.Time, loc *time.Location) *Service {
	if rules == nil {
		rules = matching.DefaultRules()
	}
	if now == nil {
		now = st.Now()
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: st, rules: rules, now: now, loc: loc}
}

// MayRead reports ErrForbidden unless by may see the dashboard: admins and counsellors
// (who run the programme and follow its placements); it holds aggregates only.
func (s *Service) MayRead(by models.User) error {
	switch by.Role {
	case models.RoleAdmin, models.RoleCounsellor:
		return nil
	}
	return models.Errorf(models.ErrForbidden, "only admins and counsellors may see the programme dashboard")
}

// Cell is one published count. When Suppressed, People is zero and the count is not
// shown: it was under Threshold, or hidden so that another hidden cell cannot be
// worked out from the total.
type Cell struct {
	// Stage names a funnel stage ("registered", "eligible", "referred",
	// "interviewing", "hired").
	Stage string
	// Month (YYYY-MM) and State place a cell of the placements by state and month.
	Month, State string
	// Key is the gender ("F", "M", "X" or "" when not stated) or the nationality
	// (ISO 3166-1 alpha-2) of a cell of those breakdowns.
	Key        string
	People     int
	Suppressed bool
}

// Dashboard is what the programme dashboard shows.
type Dashboard struct {
	// Today is the day "eligible" is reckoned on; months are reckoned in Location.
	Today    models.Date
	Location string
	// ComputedAt is when the figures were read (they are kept for CacheFor).
	ComputedAt time.Time
	Funnel     []Cell
	// ByStateMonth, ByGender and ByNationality count the people hired; each is
	// protected against the funnel's hired total.
	ByStateMonth, ByGender, ByNationality []Cell
}

// Stages are the funnel's stages in order.
var Stages = []string{"registered", "eligible", "referred", "interviewing", "hired"}

// Dashboard returns the dashboard for by, computed at most CacheFor ago.
func (s *Service) Dashboard(ctx context.Context, by models.User) (Dashboard, error) {
	if err := s.MayRead(by); err != nil {
		return Dashboard{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.last != nil && now.Sub(s.last.ComputedAt) < CacheFor && !now.Before(s.last.ComputedAt) {
		return *s.last, nil
	}
	d, err := s.compute(ctx, now.In(s.loc))
	if err != nil {
		return Dashboard{}, err
	}
	s.last = &d
	return d, nil
}

func (s *Service) compute(ctx context.Context, now time.Time) (Dashboard, error) {
	today := models.DateOf(now)
	f, err := s.store.ProgrammeFunnel(ctx, s.funnelQuery(today))
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Today: today, Location: s.loc.String(), ComputedAt: now}
	for i, n := range []int{f.Registered, f.Eligible, f.Referred, f.Interviewing, f.Hired} {
		d.Funnel = append(d.Funnel, Cell{Stage: Stages[i], People: n})
	}
	// The funnel's stages are not parts of a whole: each is suppressed on its own.
	Suppress(d.Funnel, -1)
	_, offset := now.Zone()
	cells, err := s.store.PlacementsByStateMonth(ctx, offset/3600)
	if err != nil {
		return Dashboard{}, err
	}
	for _, c := range cells {
		d.ByStateMonth = append(d.ByStateMonth, Cell{Month: c.Month, State: c.State, People: c.People})
	}
	Suppress(d.ByStateMonth, f.Hired)
	for _, by := range []struct {
		attr string
		dst  *[]Cell
	}{{"gender", &d.ByGender}, {"nationality", &d.ByNationality}} {
		cells, err := s.store.PlacementsByPerson(ctx, by.attr)
		if err != nil {
			return Dashboard{}, err
		}
		for _, c := range cells {
			*by.dst = append(*by.dst, Cell{Key: c.Key, People: c.People})
		}
		Suppress(*by.dst, f.Hired)
	}
	return d, nil
}

// funnelQuery turns the matching rules into the store's test of "may work somewhere on
// today": a document of a kind that allows work, with what its rule requires on file,
// issued and not expired (nor past its longest validity) today, held by someone of the
// minimum working age. It leaves out what the rules judge only for one place, date or
// employer (a TVTF's states, a permit's named employer) and the conditions on people
// of 15 to 17 (education, guardian's consent): a count of who may work somewhere, not
// a decision about one vacancy.
func (s *Service) funnelQuery(today models.Date) store.FunnelQuery {
	q := store.FunnelQuery{Today: today, BornBy: today.AddYears(-s.rules.MinimumAge())}
	for _, w := range s.rules.WorkDocuments() {
		c := store.WorkDocumentCondition{Type: string(w.Type), UntilExpiry: w.UntilExpiry}
		for _, r := range w.Requires {
			switch r {
			case "work_permission":
				c.NeedsWorkPermission = true
			case "curp":
				c.NeedsCURP = true
			case "named_employer":
				c.NeedsEmployer = true
			case "filing_state":
				c.NeedsFilingState = true
			case "issued_on":
				c.NeedsIssuedOn = true
			case "expires_on":
				c.NeedsExpiresOn = true
			}
		}
		if w.MaxDays > 0 {
			c.IssuedSince = today.AddDays(-w.MaxDays)
		}
		q.Documents = append(q.Documents, c)
	}
	return q
}

// Suppress hides the cells under Threshold people (primary suppression). When total
// is not negative the cells are parts of that published total (a person may count in
// more than one cell), and a reader could subtract the shown cells from it: while what
// that leaves is between 1 and Threshold-1 people, the smallest cell still shown is
// hidden too (complementary suppression), so the hidden cells together always stand
// for none or for at least Threshold people, and none of them can be worked out. Ties
// go to the earlier cell. Hidden cells have People zero.
func Suppress(cells []Cell, total int) {
	for i := range cells {
		if cells[i].People < Threshold {
			cells[i].Suppressed = true
		}
	}
	if total >= 0 {
		for {
			left := total
			smallest := -1
			for i, c := range cells {
				if c.Suppressed {
					continue
				}
				left -= c.People
				if smallest < 0 || c.People < cells[smallest].People {
					smallest = i
				}
			}
			if left <= 0 || left >= Threshold || smallest < 0 {
				break
			}
			cells[smallest].Suppressed = true
		}
	}
	for i := range cells {
		if cells[i].Suppressed {
			cells[i].People = 0
		}
	}
}
