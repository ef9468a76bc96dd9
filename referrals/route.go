package referrals

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

// RouteInput is everything routing looks at. Counsellors must carry their current open
// caseload in OpenReferrals; counsellors of every office may be passed, routing keeps
// those of the chosen office.
type RouteInput struct {
	Candidate *models.Candidate
	// Offices lists all offices; at most one is expected to be National (if several are,
	// the lowest ID is the national queue).
	Offices     []models.Office
	Counsellors []models.Counsellor
}

// Decision is where a referral goes and why. It is stored with the referral
// (Referral.RoutingReason) so that a counsellor or an auditor can see why it landed on a
// desk.
type Decision struct {
	OfficeID string
	// CounsellorID is empty when no counsellor of the office has room: the referral then
	// waits unassigned in the office queue until capacity frees up.
	CounsellorID string
	// Reason says who and why in one plain sentence.
	Reason string
}

// Route picks the office and the counsellor for a new referral.
//
// The office is the one covering the candidate's current state; when several do, the
// office based in that state wins, then the lowest ID. When none does, the national
// office takes it (the national queue); with no national office either the referral
// cannot be placed and an ErrNotFound error says so. (The store creates the national
// queue's office before routing when there is none, so through it a referral is never
// refused for lack of an office.)
//
// Within the office only active counsellors under their capacity are considered. The
// candidate's non-Spanish languages are tried strongest first (level A1 < … < C2 <
// native, ties in the order the candidate listed them): the first language some
// counsellor with room speaks narrows the choice to those speakers. Without such a
// speaker any counsellor with room may take it. Among the remaining counsellors the one
// with the fewest open referrals wins, then the lowest load ratio (open/capacity), then
// the one who has waited longest since their last assignment (never assigned first),
// then the lowest ID. When nobody has room the decision has no counsellor and the
// referral waits in the office queue.
func Route(in RouteInput) (Decision, error) {
	if in.Candidate == nil {
		return Decision{}, models.Errorf(models.ErrInvalid, "a referral cannot be routed without its candidate")
	}
	office, officeWhy, err := pickOffice(strings.ToUpper(strings.TrimSpace(in.Candidate.CurrentState)), in.Offices)
	if err != nil {
		return Decision{}, err
	}
	c, why := pickCounsellor(office.ID, strongestLanguages(in.Candidate), in.Counsellors)
	return Decision{OfficeID: office.ID, CounsellorID: c.ID, Reason: officeWhy + "; " + why}, nil
}

// pickOffice returns the office that takes referrals of candidates living in state, with
// the reason for the choice.
func pickOffice(state string, offices []models.Office) (models.Office, string, error) {
	var covering []models.Office
	if state != "" {
		for _, o := range offices {
			if slices.ContainsFunc(o.CoverageStates, func(s string) bool { return sameCode(s, state) }) {
				covering = append(covering, o)
			}
		}
	}
	if len(covering) > 0 {
		based := func(o models.Office) bool { return sameCode(o.State, state) }
		slices.SortFunc(covering, func(a, b models.Office) int {
			if based(a) != based(b) {
				if based(a) {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.ID, b.ID)
		})
		best := covering[0]
		switch {
		case len(covering) == 1:
			return best, fmt.Sprintf("office %s covers %s", officeName(best), state), nil
		case based(best):
			return best, fmt.Sprintf("office %s covers %s and is based there (%d offices cover it)",
				officeName(best), state, len(covering)), nil
		default:
			return best, fmt.Sprintf("office %s covers %s (first by ID of the %d offices that cover it)",
				officeName(best), state, len(covering)), nil
		}
	}

	var national []models.Office
	for _, o := range offices {
		if o.National {
			national = append(national, o)
		}
	}
	where := "the candidate has no current state"
	if state != "" {
		where = "no office covers " + state
	}
	if len(national) == 0 {
		return models.Office{}, "", models.Errorf(models.ErrNotFound,
			"%s and there is no national office to queue the referral", where)
	}
	best := slices.MinFunc(national, func(a, b models.Office) int { return cmp.Compare(a.ID, b.ID) })
	return best, fmt.Sprintf("%s, so it goes to the national queue of office %s", where, officeName(best)), nil
}

// pickCounsellor chooses among the counsellors of officeID, preferring speakers of langs
// in order, and says why. It returns a zero Counsellor when the referral must wait in
// the office queue.
func pickCounsellor(officeID string, langs []string, counsellors []models.Counsellor) (models.Counsellor, string) {
	var active, room []models.Counsellor
	for _, c := range counsellors {
		if c.OfficeID != officeID || !c.Active {
			continue
		}
		active = append(active, c)
		if c.OpenReferrals < c.Capacity {
			room = append(room, c)
		}
	}
	if len(active) == 0 {
		return models.Counsellor{}, "the office has no active counsellor, so the referral waits unassigned in the office queue"
	}
	if len(room) == 0 {
		if len(active) == 1 {
			return models.Counsellor{}, "the only active counsellor of the office is at capacity, so the referral waits unassigned in the office queue"
		}
		return models.Counsellor{}, fmt.Sprintf("all %d active counsellors of the office are at capacity, so the referral waits unassigned in the office queue", len(active))
	}

	var gaps []string
	for i, lang := range langs {
		speakers := slices.DeleteFunc(slices.Clone(room), func(c models.Counsellor) bool { return !speaks(c, lang) })
		if len(speakers) == 0 {
			gaps = append(gaps, languageGap(lang, active))
			continue
		}
		best, tie := lightest(speakers)
		rank := "the candidate's strongest non-Spanish language"
		if i > 0 {
			rank = fmt.Sprintf("the candidate's non-Spanish language number %d by level; %s", i+1, strings.Join(gaps, ", "))
		}
		return best, fmt.Sprintf("counsellor %s speaks %s (%s); open caseload %s%s",
			counsellorName(best), lang, rank, caseload(best), tie)
	}

	best, tie := lightest(room)
	if len(gaps) == 0 {
		return best, fmt.Sprintf("counsellor %s has the lightest open caseload, %s%s", counsellorName(best), caseload(best), tie)
	}
	return best, fmt.Sprintf("%s, so counsellor %s takes it with the lightest open caseload, %s%s",
		strings.Join(gaps, ", "), counsellorName(best), caseload(best), tie)
}

// languageGap says why no counsellor with room speaks lang: an office manager fixes
// "nobody speaks it" by hiring and "they are all full" by moving caseloads.
func languageGap(lang string, active []models.Counsellor) string {
	if slices.ContainsFunc(active, func(c models.Counsellor) bool { return speaks(c, lang) }) {
		return fmt.Sprintf("every counsellor who speaks %s is at capacity", lang)
	}
	return fmt.Sprintf("no active counsellor of the office speaks %s", lang)
}

// lightest returns the counsellor who should take the next referral among cs (all with
// room) and, when the caseload alone did not decide, a clause saying how the tie was
// broken, so that the fairness rule is visible in the stored reason.
func lightest(cs []models.Counsellor) (models.Counsellor, string) {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, compareForAssignment)
	best := sorted[0]
	if len(sorted) == 1 || compareCaseload(best, sorted[1]) != 0 {
		return best, ""
	}
	if compareLastAssigned(best, sorted[1]) != 0 {
		return best, "; tied on caseload, chosen as the longest without a new referral"
	}
	return best, "; tied on caseload and last assignment, chosen by lowest ID"
}

// compareForAssignment orders counsellors so that the first should take the next referral.
func compareForAssignment(a, b models.Counsellor) int {
	if c := compareCaseload(a, b); c != 0 {
		return c
	}
	if c := compareLastAssigned(a, b); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// compareCaseload puts fewer open referrals first, then the lower load ratio. The ratio
// is compared by cross-multiplying so that no float rounding can break a tie; both
// capacities are positive because only counsellors with room get here.
func compareCaseload(a, b models.Counsellor) int {
	if c := cmp.Compare(a.OpenReferrals, b.OpenReferrals); c != 0 {
		return c
	}
	return cmp.Compare(a.OpenReferrals*b.Capacity, b.OpenReferrals*a.Capacity)
}

// compareLastAssigned puts first whoever has waited longest for a referral; never
// assigned counts as the longest wait.
func compareLastAssigned(a, b models.Counsellor) int {
	switch {
	case a.LastAssignedAt == nil && b.LastAssignedAt == nil:
		return 0
	case a.LastAssignedAt == nil:
		return -1
	case b.LastAssignedAt == nil:
		return 1
	}
	return a.LastAssignedAt.Compare(*b.LastAssignedAt)
}

// levelRank orders language levels; an unknown level ranks below A1 so that a typo
// never outranks a declared level.
func levelRank(level string) int {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "a1":
		return 1
	case "a2":
		return 2
	case "b1":
		return 3
	case "b2":
		return 4
	case "c1":
		return 5
	case "c2":
		return 6
	case "native":
		return 7
	}
	return 0
}

// strongestLanguages returns the candidate's non-Spanish language codes, lower-cased,
// strongest first, each once. Spanish is left out because every counsellor speaks it.
func strongestLanguages(c *models.Candidate) []string {
	if c == nil {
		return nil
	}
	langs := slices.Clone(c.Languages)
	// A stable sort keeps the candidate's own order among equal levels.
	slices.SortStableFunc(langs, func(a, b models.LanguageSkill) int {
		return cmp.Compare(levelRank(b.Level), levelRank(a.Level))
	})
	var out []string
	for _, l := range langs {
		code := strings.ToLower(strings.TrimSpace(l.Code))
		if code == "" || spanish(code) || slices.Contains(out, code) {
			continue
		}
		out = append(out, code)
	}
	return out
}

// spanish reports whether an ISO 639 code (two- or three-letter, possibly with a region)
// is Spanish.
func spanish(code string) bool {
	return code == "es" || code == "spa" || strings.HasPrefix(code, "es-") || strings.HasPrefix(code, "es_")
}

func speaks(c models.Counsellor, lang string) bool {
	return slices.ContainsFunc(c.Languages, func(l string) bool { return sameCode(l, lang) })
}

// sameCode compares state or language codes as people type them (" mx-chp", "HT").
func sameCode(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func caseload(c models.Counsellor) string {
	return fmt.Sprintf("%d/%d", c.OpenReferrals, c.Capacity)
}

func officeName(o models.Office) string {
	if o.Name != "" {
		return o.Name
	}
	return o.ID
}

func counsellorName(c models.Counsellor) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// Reassignment is the new routing of one referral that had to move.
type Reassignment struct {
	ReferralID string
	Decision   Decision
}

// ReassignInput is what Reassign needs. Referrals are the ones to place again: the open
// referrals of a counsellor who was just deactivated (already Active false in
// Counsellors), or the queued referrals of an office whose counsellors gained capacity.
type ReassignInput struct {
	Referrals []models.Referral
	// Candidates holds the referrals' candidates by ID, for the language preference; a
	// missing candidate is routed without one.
	Candidates  map[string]*models.Candidate
	Offices     []models.Office
	Counsellors []models.Counsellor
}

// Reassign routes referrals again within their own office, oldest first (CreatedAt, then
// ID), so that the oldest referral gets the first free slot. The office stays: the
// referral already sits in that office's queue and its staff know it. Each assignment
// counts against the counsellor (one more open referral, last assigned at now) before
// the next referral is routed, so a batch spreads over the office instead of landing on
// one desk. Referrals that find no room come back with an empty CounsellorID: they wait
// in the office queue. Closed referrals are skipped. The input slices are not modified.
func Reassign(in ReassignInput, now time.Time) ([]Reassignment, error) {
	offices := make(map[string]models.Office, len(in.Offices))
	for _, o := range in.Offices {
		offices[o.ID] = o
	}
	refs := slices.DeleteFunc(slices.Clone(in.Referrals), func(r models.Referral) bool { return !r.Status.Open() })
	slices.SortFunc(refs, compareQueued)
	counsellors := slices.Clone(in.Counsellors)

	out := make([]Reassignment, 0, len(refs))
	for _, r := range refs {
		office, ok := offices[r.OfficeID]
		if !ok {
			return nil, models.Errorf(models.ErrNotFound, "referral %s belongs to office %q, which does not exist", r.ID, r.OfficeID)
		}
		c, why := pickCounsellor(office.ID, strongestLanguages(in.Candidates[r.CandidateID]), counsellors)
		if c.ID != "" {
			i := slices.IndexFunc(counsellors, func(x models.Counsellor) bool { return x.ID == c.ID })
			counsellors[i].OpenReferrals++
			at := now
			counsellors[i].LastAssignedAt = &at
		}
		out = append(out, Reassignment{ReferralID: r.ID, Decision: Decision{
			OfficeID:     office.ID,
			CounsellorID: c.ID,
			Reason:       fmt.Sprintf("re-routed within office %s; %s", officeName(office), why),
		}})
	}
	return out, nil
}

// NextQueued returns the referral that should get the next free slot of an office: the
// oldest (CreatedAt, then ID) among the open referrals with no counsellor. It reports
// false when there is none; assigned or closed referrals in queued are ignored.
func NextQueued(queued []models.Referral) (models.Referral, bool) {
	var best models.Referral
	found := false
	for _, r := range queued {
		if r.CounsellorID != "" || !r.Status.Open() {
			continue
		}
		if !found || compareQueued(r, best) < 0 {
			best, found = r, true
		}
	}
	return best, found
}

func compareQueued(a, b models.Referral) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
