package matching

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// Weights are the ranking weights, from a rules file a deployment can override. The
// score is the weighted mean of the parts, so only the ratios between weights matter; a
// weight of 0 leaves its part out of the score (it still appears in the breakdown).
type Weights struct {
	// Version names the weights file, so that a ranking can be traced to the weights
	// that produced it.
	Version      string  `json:"version"`
	Text         float64 `json:"text"`
	Skills       float64 `json:"skills"`
	Occupation   float64 `json:"occupation"`
	Experience   float64 `json:"experience"`
	Languages    float64 `json:"languages"`
	Location     float64 `json:"location"`
	Availability float64 `json:"availability"`
	// Rules are the hard facts' thresholds and the evidence rules' credits, from the
	// same file (its "rules" section; a deployment file without one keeps the embedded
	// rules). Weights built by hand without Rules hold no one back, know no generic
	// title, zone or second choice, and count only years in the same occupation.
	Rules RankingRules `json:"rules"`
}

// RankingRules are the thresholds and credits of the rules that come before the
// weighted mean: who is not a candidate for a vacancy at all, who is held back, and how
// much related or vague evidence is worth. Each is explained in the "why" of the weights
// file (matching/rules/ranking.json).
type RankingRules struct {
	// LateStartDays is how many days after the start date a person may become available
	// and still count as available in time; later, they are held back.
	LateStartDays int `json:"late_start_days"`
	// HeldBackFactor multiplies the score of a held-back person (0..1).
	HeldBackFactor float64 `json:"held_back_factor"`
	// RelatedExperience is what a year in a related occupation counts for (0..1).
	RelatedExperience float64 `json:"related_experience"`
	// SecondChoiceCredit is what a related trade earns towards a skill or an occupation
	// (0..1): elementary occupations of one ISCO sub-major group, occupations two links
	// apart in the vocabulary.
	SecondChoiceCredit float64 `json:"second_choice_credit"`
	// GenericTitleCredit is the most a generic title earns on its own (0..1).
	GenericTitleCredit float64 `json:"generic_title_credit"`
	// GenericTitles are folded titles that name no trade.
	GenericTitles []string `json:"generic_titles"`
	// CommuteZones are the municipalities within commuting distance of one another.
	CommuteZones []CommuteZone `json:"commute_zones"`
}

// CommuteZone is a set of municipalities of one state within daily commuting distance.
type CommuteZone struct {
	Name           string   `json:"name"`
	State          string   `json:"state"`
	Municipalities []string `json:"municipalities"`
}

// defaultWeightsJSON is the weights file shipped in the binary; a deployment that wants
// other weights loads its own file with LoadWeights.
//
//go:embed rules/ranking.json
var defaultWeightsJSON []byte

// defaultWeights parses the embedded file once and never changes afterwards.
var defaultWeights = sync.OnceValue(func() Weights {
	w, err := loadWeights(defaultWeightsJSON, nil)
	if err != nil {
		panic("matching: the embedded ranking weights are broken: " + err.Error())
	}
	return *w
})

// DefaultWeights returns the weights embedded in the binary (matching/rules/ranking.json).
// Each call returns a fresh copy, so a caller that changes it changes no one else's
// ranking. It panics only if the embedded file is broken, which the tests rule out.
func DefaultWeights() *Weights {
	w := defaultWeights()
	w.Rules = w.Rules.clone()
	return &w
}

func (r RankingRules) clone() RankingRules {
	r.GenericTitles = slices.Clone(r.GenericTitles)
	zones := make([]CommuteZone, len(r.CommuteZones))
	for i, z := range r.CommuteZones {
		z.Municipalities = slices.Clone(z.Municipalities)
		zones[i] = z
	}
	r.CommuteZones = zones
	return r
}

// weightsFile is the shape of a weights file. The weights are pointers so that a
// missing weight (most likely a typo or an omission) is told apart from a 0.
type weightsFile struct {
	Version string `json:"version"`
	// Notes lets the author say why the weights are what they are; it is not used.
	Notes   string `json:"notes"`
	Weights *struct {
		Text         *float64 `json:"text"`
		Skills       *float64 `json:"skills"`
		Occupation   *float64 `json:"occupation"`
		Experience   *float64 `json:"experience"`
		Languages    *float64 `json:"languages"`
		Location     *float64 `json:"location"`
		Availability *float64 `json:"availability"`
	} `json:"weights"`
	Rules *rulesSection `json:"rules"`
}

// rulesSection is the "rules" section as written; every field must be given.
type rulesSection struct {
	LateStartDays      *int          `json:"late_start_days"`
	HeldBackFactor     *float64      `json:"held_back_factor"`
	RelatedExperience  *float64      `json:"related_experience"`
	SecondChoiceCredit *float64      `json:"second_choice_credit"`
	GenericTitleCredit *float64      `json:"generic_title_credit"`
	GenericTitles      []string      `json:"generic_titles"`
	CommuteZones       []CommuteZone `json:"commute_zones"`
	// Why says why each threshold is what it is; it is not used.
	Why map[string]string `json:"why"`
}

// LoadWeights parses and checks a ranking weights file:
//
//	{"version": "2026-11-01", "notes": "...", "weights": {"text": 0.15, "skills": 0.25,
//	 "occupation": 0.15, "experience": 0.15, "languages": 0.1, "location": 0.1,
//	 "availability": 0.1}}
//
// It is strict, because a silent mistake would skew every ranking without anyone
// noticing: unknown fields, a missing version, a missing weight (write 0 to leave a part
// out), a negative weight and weights that are all zero are refused. The error is a
// models.ErrInvalid *Error naming each problem. The "rules" section (see RankingRules
// and the embedded file) may be left out, and the embedded rules then apply; when given,
// every rule must be.
func LoadWeights(data []byte) (*Weights, error) {
	base := defaultWeights().Rules
	return loadWeights(data, &base)
}

// loadWeights parses a weights file; base is the rules a file without a "rules"
// section gets (nil for the embedded file, which must have one).
func loadWeights(data []byte, base *RankingRules) (*Weights, error) {
	var f weightsFile
	if err := decodeStrict(data, &f, "ranking weights"); err != nil {
		return nil, err
	}

	var fe models.FieldErrors
	w := &Weights{Version: strings.TrimSpace(f.Version)}
	if w.Version == "" {
		fe.Add("version", `is missing: the file must say which version of the weights it is (for example "2026-11-01")`)
	}
	if f.Weights == nil {
		fe.Add("weights", "is missing: the file must give a weight for each of %s", strings.Join(partNames[:], ", "))
		return nil, &models.Error{Kind: models.ErrInvalid, Message: "ranking weights are invalid", Fields: fe}
	}
	fields := [numParts]struct {
		in  *float64
		out *float64
	}{
		{f.Weights.Text, &w.Text},
		{f.Weights.Skills, &w.Skills},
		{f.Weights.Occupation, &w.Occupation},
		{f.Weights.Experience, &w.Experience},
		{f.Weights.Languages, &w.Languages},
		{f.Weights.Location, &w.Location},
		{f.Weights.Availability, &w.Availability},
	}
	var total float64
	for i, fl := range fields {
		name := "weights." + partNames[i]
		switch {
		case fl.in == nil:
			fe.Add(name, "is missing: write 0 to leave the part out of the score")
		case *fl.in < 0:
			fe.Add(name, "must be 0 or more, got %v", *fl.in)
		default:
			*fl.out = *fl.in
			total += *fl.in
		}
	}
	if len(fe) == 0 && total == 0 {
		fe.Add("weights", "are all zero: at least one part must count")
	}
	switch {
	case f.Rules != nil:
		w.Rules = parseRankingRules(&fe, f.Rules)
	case base != nil:
		w.Rules = base.clone()
	default:
		fe.Add("rules", "is missing: the embedded weights file must give the ranking rules")
	}
	if len(fe) > 0 {
		return nil, &models.Error{Kind: models.ErrInvalid, Message: "ranking weights are invalid", Fields: fe}
	}
	return w, nil
}

// parseRankingRules checks a "rules" section: every rule given, shares within 0..1,
// zones in known states with municipalities.
func parseRankingRules(fe *models.FieldErrors, r *rulesSection) RankingRules {
	var out RankingRules
	if r.LateStartDays == nil {
		fe.Add("rules.late_start_days", "is missing")
	} else if out.LateStartDays = *r.LateStartDays; out.LateStartDays < 0 {
		fe.Add("rules.late_start_days", "must be 0 or more, got %d", out.LateStartDays)
	}
	for _, sh := range []struct {
		name string
		in   *float64
		out  *float64
	}{
		{"held_back_factor", r.HeldBackFactor, &out.HeldBackFactor}, // 0 is refused below
		{"related_experience", r.RelatedExperience, &out.RelatedExperience},
		{"second_choice_credit", r.SecondChoiceCredit, &out.SecondChoiceCredit},
		{"generic_title_credit", r.GenericTitleCredit, &out.GenericTitleCredit},
	} {
		switch {
		case sh.in == nil:
			fe.Add("rules."+sh.name, "is missing")
		case *sh.in < 0 || *sh.in > 1:
			fe.Add("rules."+sh.name, "must be between 0 and 1, got %v", *sh.in)
		default:
			*sh.out = *sh.in
		}
	}
	if r.HeldBackFactor != nil && *r.HeldBackFactor == 0 {
		fe.Add("rules.held_back_factor", "must be more than 0: a held-back person keeps their order among the held back")
	}
	for i, t := range r.GenericTitles {
		if f := models.Fold(t); f == "" {
			fe.Add(fmt.Sprintf("rules.generic_titles[%d]", i), "is blank")
		} else if !slices.Contains(out.GenericTitles, f) {
			out.GenericTitles = append(out.GenericTitles, f)
		}
	}
	for i, z := range r.CommuteZones {
		at := fmt.Sprintf("rules.commute_zones[%d]", i)
		z.State = strings.ToUpper(strings.TrimSpace(z.State))
		if !models.ValidState(z.State) {
			fe.Add(at+".state", "%q is not one of the 32 state codes (ISO 3166-2:MX)", z.State)
		}
		if len(z.Municipalities) < 2 {
			fe.Add(at+".municipalities", "must name at least two municipalities")
		}
		out.CommuteZones = append(out.CommuteZones, CommuteZone{Name: z.Name, State: z.State, Municipalities: slices.Clone(z.Municipalities)})
	}
	return out
}

// zonesOf returns, for rules, the commuting zones of each folded municipality, keyed by
// state and folded name.
func zonesOf(r *RankingRules) map[string][]int {
	m := map[string][]int{}
	for i, z := range r.CommuteZones {
		for _, mu := range z.Municipalities {
			k := z.State + "|" + models.Fold(mu)
			m[k] = append(m[k], i)
		}
	}
	return m
}

// The parts of a score, in the order of partNames and of Weights.
const (
	partText = iota
	partSkills
	partOccupation
	partExperience
	partLanguages
	partLocation
	partAvailability
	numParts
)

// partNames are the keys of Match.Breakdown and of the weights file.
var partNames = [numParts]string{"text", "skills", "occupation", "experience", "languages", "location", "availability"}

func (w *Weights) values() [numParts]float64 {
	return [numParts]float64{w.Text, w.Skills, w.Occupation, w.Experience, w.Languages, w.Location, w.Availability}
}

// Match is one scored pair.
type Match struct {
	// Score is the weighted mean of the breakdown, 0..1, rounded to 4 decimals.
	Score float64 `json:"score"`
	// Breakdown holds each part's value in 0..1, rounded to 4 decimals: "text",
	// "skills", "occupation", "experience", "languages", "location", "availability".
	Breakdown map[string]float64 `json:"breakdown"`
	// Excluded is set when a hard fact makes the person no candidate for the vacancy at
	// all (they live in another state, or far away in the same one, and will not move);
	// the ranked lists leave them out. Notes says why.
	Excluded bool `json:"excluded,omitempty"`
	// HeldBack is set when the person is available too long after the start date: the
	// score is the weighted mean times the rules' held-back factor, below the people
	// available in time. Notes says by how much.
	HeldBack bool `json:"held_back,omitempty"`
	// Notes says, in words for staff, what held the person back or excluded them.
	Notes []string `json:"notes,omitempty"`
}

// Tuning constants of the parts. They are judgement calls written down once, not
// deployment settings: changing one changes what a part means, which the weights file
// (how much each part counts) should not be able to do.
const (
	// relatedCredit is what a related concept (an "ayudante de albañil" for an
	// "albañil") earns towards a skill: a partial match, never a full one.
	relatedCredit = 0.5
	// partialTextCredit is what a skill that maps to no concept earns when the
	// candidate's wording is contained in the vacancy's ("costura" for "costura
	// industrial"): the candidate names part of what is asked.
	partialTextCredit = 0.5
	// optionalShare is the share of the skills part that optional skills carry when a
	// vacancy lists both required and optional skills. Optional skills thus break ties
	// among candidates who cover the required ones, and can never make up for a missing
	// required skill by more than this.
	optionalShare = 0.1
	// sameMinorGroup is the ISCO closeness of two occupations of one minor group (the
	// first three digits), whose years count as related experience.
	sameMinorGroup = 0.75
	// lateDays is how many days after the start date availability reaches 0.
	lateDays = 60
)

// The location values.
const (
	sameMunicipality = 1.0
	sameState        = 0.8
	// willingThere is for a candidate in another state who is willing to relocate and
	// lists the vacancy's state among the preferred ones (or lists none).
	willingThere = 0.6
	// willingElsewhere is for a candidate willing to relocate whose preferred states do
	// not include the vacancy's: a counsellor may still ask, but it is a long shot.
	willingElsewhere = 0.3
	// relocationBonus is added for a move to another state when the vacancy offers
	// relocation support. It applies only across states, so a supported move (at most
	// 0.7) never outranks a candidate who already lives in the state (0.8).
	relocationBonus = 0.1
)

// Score scores one candidate for one vacancy. The same function serves both directions
// (the candidates of a vacancy, the vacancies of a candidate); the caller ranks by
// Match.Score after checking eligibility, consent and status, which Score does not.
//
// text is the text relevance of the pair, already normalised to 0..1 by the caller (the
// search index); values outside are clamped. A nil w means DefaultWeights and a nil vocab
// means models.DefaultVocabulary. The parts, each in 0..1:
//
//   - skills: how well the candidate's skills, experience titles and desired
//     occupations cover the vacancy's required skills (all its listed skills when none
//     is required; its title when it lists none; 1 when even the title is empty). A
//     skill is met through the vocabulary: 1 when the candidate shows one of the
//     concepts it names, or the occupation that goes with a skill (or the reverse: the
//     vocabulary links them and they share an ISCO unit group, as "soldador" and
//     "soldadura" do; or ESCO lists the skill as essential to the occupation), 0.5 for
//     another related concept, a skill ESCO lists as optional to the occupation, or
//     another occupation of the same ISCO-08 unit group. A skill that names no concept is
//     compared as folded text: 1 when the candidate's wording equals or contains it
//     (whole words), 0.5 when the candidate's wording is part of it. When a vacancy
//     lists both required and optional skills, optional ones carry 10% of the part.
//   - occupation: the best models.ISCOCloseness between the vacancy's occupation_code
//     (ISCO-08, or SINCO 2019 through the ISCO-08 unit groups INEGI's table maps it to;
//     without one, the ISCO codes of the concepts in its title) and the candidate's
//     experience occupation codes and the ISCO codes of the concepts in experience
//     titles and desired occupations; 0 when either side has no code.
//   - experience: 1 when the vacancy asks for no years; else min(1, relevant years /
//     required years). When the vacancy's occupation is unknown every year counts,
//     because nothing says which are relevant. Otherwise an entry counts when its code
//     (occupation_code or the concepts of its title) is at least in the vacancy's ISCO
//     sub-major group (closeness ≥ 0.5); an entry with no code counts only when its
//     title and the vacancy's title contain one another as folded text, so that vague
//     entries ("de todo un poco") do not pass for relevant experience.
//   - languages: the share of the vacancy's languages the candidate speaks at the level
//     asked or above (codes compared in canonical form, so "spa" meets "es"); 1 when the
//     vacancy lists none. A vacancy language with no known level is met at any level.
//   - location: 1 same state and municipality (folded), 0.8 same state, 0.6 another state
//     when the candidate is willing to relocate there (it is among the preferred states,
//     or none are listed), 0.3 when willing to relocate but not there, 0 when not
//     willing; a vacancy offering relocation support adds 0.1 to a move to another state.
//   - availability: 1 when available_from is not given or is on or before the start
//     date (or the vacancy has none), then linearly down to 0 at 60 days late.
//
// The score is Σ wᵢ·partᵢ / Σ wᵢ over the rounded parts, so that it can be reproduced
// from the breakdown a counsellor sees, rounded to 4 decimals; it is 0 when the weights
// sum to 0. Score never reads a candidate's name, nationality, gender, birth date, CURP,
// contact details or documents: none of them may enter the ranking.
func Score(v *models.Vacancy, c *models.Candidate, text float64, w *Weights, vocab *models.Vocabulary) Match {
	return NewScorer(v, w, vocab).Score(c, text)
}

// Scorer scores many candidates against one vacancy. It works out the vacancy's side
// (its occupation codes, the concepts of its skills) once and remembers vocabulary
// look-ups, which is most of the cost of Score. A Scorer is not safe for concurrent use.
type Scorer struct {
	v        *models.Vacancy
	w        *Weights
	lx       *lexicon
	vacCodes []string
	side     vacancySide
	// generic holds the rules' generic titles (folded).
	generic map[string]bool
}

// vacancySide is what the parts read of the vacancy, worked out once per Scorer.
type vacancySide struct {
	// required and optional are the skill lines skillsPart scores; noSkills is set when
	// the vacancy asks for nothing at all (no skills, no title).
	required, optional []string
	noSkills           bool
	title              string // folded
	languages          []wantedLanguage
	state              string // upper case
	municipality       string // folded
	// zoned maps the folded municipalities of the vacancy's state that belong to a
	// commuting zone to whether one of them is the vacancy's municipality's.
	zoned map[string]bool
	// occupations are the occupation concepts of the vacancy's title.
	occupations []string
	// asked are every skill line the vacancy lists and, without any, its title: what
	// years on a skill count towards.
	asked []string
}

type wantedLanguage struct {
	code string // canonical
	rank int
}

func sideOf(v *models.Vacancy) vacancySide {
	var side vacancySide
	for _, s := range v.Skills {
		if models.Fold(s.Name) == "" {
			continue
		}
		if s.Required {
			side.required = append(side.required, s.Name)
		} else {
			side.optional = append(side.optional, s.Name)
		}
	}
	if len(side.required) == 0 {
		side.required, side.optional = side.optional, nil
	}
	side.title = models.Fold(v.Title)
	if len(side.required) == 0 {
		// A vacancy that lists no skills asks, in effect, for what its title says.
		if side.title == "" {
			side.noSkills = true
		}
		side.required = []string{v.Title}
	}
	for _, l := range v.Languages {
		side.languages = append(side.languages, wantedLanguage{models.CanonicalLanguageCode(l.Code), levelRank(l.Level)})
	}
	side.state = strings.ToUpper(strings.TrimSpace(v.State))
	side.municipality = models.Fold(v.Municipality)
	side.asked = append(slices.Clone(side.required), side.optional...)
	return side
}

// zonesFor fills side.zoned from the rules' commuting zones of the vacancy's state.
func (side *vacancySide) zonesFor(r *RankingRules) {
	if side.state == "" || side.municipality == "" {
		return
	}
	var near []int
	for i, z := range r.CommuteZones {
		if z.State != side.state {
			continue
		}
		for _, m := range z.Municipalities {
			if models.Fold(m) == side.municipality {
				near = append(near, i)
			}
		}
	}
	if len(near) == 0 {
		return // the vacancy's municipality is in no zone: nobody is known to be far
	}
	side.zoned = map[string]bool{}
	for i, z := range r.CommuteZones {
		if z.State != side.state {
			continue
		}
		for _, m := range z.Municipalities {
			f := models.Fold(m)
			side.zoned[f] = side.zoned[f] || slices.Contains(near, i)
		}
	}
}

// NewScorer prepares the scoring of candidates against v (nil w and vocab mean the
// defaults).
func NewScorer(v *models.Vacancy, w *Weights, vocab *models.Vocabulary) *Scorer {
	if w == nil {
		w = DefaultWeights()
	}
	if vocab == nil {
		vocab = models.DefaultVocabulary()
	}
	lx := &lexicon{vocab: vocab, concepts: map[string]models.Concept{}, matches: map[string][]string{}, second: w.Rules.SecondChoiceCredit}
	s := &Scorer{v: v, w: w, lx: lx, vacCodes: vacancyCodes(v, lx), side: sideOf(v), generic: map[string]bool{}}
	s.side.zonesFor(&w.Rules)
	// The occupations of the title, as long as they agree with the occupation code: the
	// code, when there is one, says what the vacancy is.
	coded := len(lx.vocab.ISCOCodes(v.OccupationCode)) > 0
	for _, id := range lx.match(v.Title) {
		if c := lx.concept(id); c.Kind == models.ConceptOccupation && (!coded || slices.Contains(s.vacCodes, c.ISCO)) {
			s.side.occupations = append(s.side.occupations, id)
		}
	}
	for _, t := range w.Rules.GenericTitles {
		s.generic[t] = true
	}
	return s
}

// Score is Score(v, c, text, w, vocab) for the Scorer's vacancy. It scores the
// candidate's Profile, as ScoreProfile does, so the two always agree.
func (s *Scorer) Score(c *models.Candidate, text float64) Match {
	return s.ScoreProfile(profileOf(c, s.lx), text)
}

// ScoreProfile is Score for the candidate whose Profile p is.
func (s *Scorer) ScoreProfile(p *Profile, text float64) Match {
	parts := s.parts(p, text)
	m := Match{Breakdown: make(map[string]float64, numParts)}
	m.Score = s.combine(&parts)
	if late, held := s.heldBack(p); held {
		m.Score = s.holdBack(m.Score)
		m.HeldBack = true
		m.Notes = append(m.Notes, fmt.Sprintf("available %d days after the start date (%s), more than the %d allowed: listed after the people available in time",
			late, s.v.StartDate, s.w.Rules.LateStartDays))
	}
	if why := s.Unreachable(p); why != "" {
		m.Excluded = true
		m.Notes = append(m.Notes, why)
	}
	for i, v := range parts {
		m.Breakdown[partNames[i]] = v
	}
	return m
}

// ScoreOf is ScoreProfile(p, text).Score, without the breakdown: what ranking many
// candidates needs.
func (s *Scorer) ScoreOf(p *Profile, text float64) float64 {
	parts := s.parts(p, text)
	sc := s.combine(&parts)
	if _, held := s.heldBack(p); held {
		sc = s.holdBack(sc)
	}
	return sc
}

// heldBack reports whether p becomes available more than the rules' late_start_days
// after the vacancy's start date, and how many days after it.
func (s *Scorer) heldBack(p *Profile) (int, bool) {
	if p.availableFrom.IsZero() || s.v.StartDate.IsZero() {
		return 0, false
	}
	late := s.v.StartDate.DaysUntil(p.availableFrom)
	return late, s.w.Rules.HeldBackFactor > 0 && late > s.w.Rules.LateStartDays
}

func (s *Scorer) holdBack(score float64) float64 {
	return round4(score * s.w.Rules.HeldBackFactor)
}

// Unreachable says why the person of p is no candidate for the vacancy at all, or ""
// when they are: they live in another state and are not willing to move, or only to
// other states than the vacancy's (their preferred states); or they live
// in the vacancy's state but outside the commuting zone of its municipality (the
// rules' commute_zones), are not willing to move and the vacancy offers no relocation
// support. Nothing unknown excludes anyone: a person or a vacancy without a state, or a
// municipality in no zone, is never called far. It reads only what NewScorer prepared,
// so it may be called from several goroutines at once.
func (s *Scorer) Unreachable(p *Profile) string {
	side := &s.side
	if side.state == "" || p.state == "" {
		return ""
	}
	if p.state != side.state {
		switch {
		case !p.relocate:
			return fmt.Sprintf("lives in %s and is not willing to move to %s", stateName(p.state), stateName(side.state))
		case len(p.preferred) > 0 && !slices.Contains(p.preferred, side.state):
			names := make([]string, len(p.preferred))
			for i, st := range p.preferred {
				names[i] = stateName(st)
			}
			return fmt.Sprintf("lives in %s and is willing to move only to %s, not to %s", stateName(p.state), strings.Join(names, ", "), stateName(side.state))
		}
		return ""
	}
	if p.relocate {
		return ""
	}
	if s.v.RelocationSupport || side.zoned == nil || p.municipality == "" || p.municipality == side.municipality {
		return ""
	}
	if near, zoned := side.zoned[p.municipality]; zoned && !near {
		return fmt.Sprintf("lives in %s, outside the commuting area of %s, is not willing to move, and the vacancy offers no relocation support",
			p.municipalityName, s.v.Municipality)
	}
	return ""
}

// stateName is a state's name, or its code when it is not one.
func stateName(code string) string {
	if st, ok := models.StateByCode(code); ok {
		return st.Name
	}
	return code
}

// Bound is an upper bound of ScoreOf(p, text), never below it, from the parts that cost
// little (text, languages, location, availability) with the others at their maximum
// of 1 (skills, occupation and, when the vacancy asks for years, experience). Every part
// counts towards the score with a weight of 0 or more and the rounding and clamping
// keep order, so no score exceeds its bound: a ranking that wants the best k of many
// candidates scores in full only those whose bound reaches the k-th best score so far.
func (s *Scorer) Bound(p *Profile, text float64) float64 {
	var parts [numParts]float64
	parts[partText] = clamp01(text)
	parts[partSkills], parts[partOccupation], parts[partExperience] = 1, 1, 1
	parts[partLanguages] = languagesPart(&s.side, p)
	parts[partLocation] = locationPart(s.v, &s.side, p)
	parts[partAvailability] = availabilityPart(s.v, p)
	b := s.combine(&parts)
	if _, held := s.heldBack(p); held {
		b = s.holdBack(b)
	}
	return b
}

// parts are the parts of the score of p, before rounding.
func (s *Scorer) parts(p *Profile, text float64) [numParts]float64 {
	v := s.v
	var parts [numParts]float64
	parts[partText] = clamp01(text)
	parts[partSkills] = s.skillsPart(p.evidence)
	parts[partOccupation] = s.occupationPart(p.evidence)
	parts[partExperience] = s.experiencePart(p)
	parts[partLanguages] = languagesPart(&s.side, p)
	parts[partLocation] = locationPart(v, &s.side, p)
	parts[partAvailability] = availabilityPart(v, p)
	return parts
}

// combine rounds each part to 4 decimals in place and returns the weighted mean of the
// rounded parts, rounded to 4 decimals.
func (s *Scorer) combine(parts *[numParts]float64) float64 {
	var sum, total float64
	for i, wi := range s.w.values() {
		parts[i] = round4(parts[i])
		if wi > 0 {
			sum += wi * parts[i]
			total += wi
		}
	}
	if total > 0 {
		return round4(clamp01(sum / total))
	}
	return 0
}

// lexicon wraps the vocabulary for one Score call and remembers the concepts it has
// looked up, since the same few concepts come up again and again.
type lexicon struct {
	vocab    *models.Vocabulary
	concepts map[string]models.Concept
	// matches remembers the concepts found in the vacancy's own texts, which are
	// matched again for every candidate.
	matches map[string][]string
	// second is what a second-choice trade earns (RankingRules.SecondChoiceCredit).
	second float64
}

// match is vocab.Match, remembered for texts seen before.
func (lx *lexicon) match(text string) []string {
	if m, ok := lx.matches[text]; ok {
		return m
	}
	m := lx.vocab.Match(text)
	lx.matches[text] = m
	return m
}

func (lx *lexicon) concept(id string) models.Concept {
	c, ok := lx.concepts[id]
	if !ok {
		c, _ = lx.vocab.Concept(id)
		lx.concepts[id] = c
	}
	return c
}

// credit is what a candidate's concept have earns towards a wanted concept: 1 for the
// same concept; 1 for an occupation and a skill the vocabulary links within one ISCO
// unit group, because the occupation implies the skill (a "soldador" welds, a
// "montacarguista" drives forklifts); relatedCredit for other linked concepts (an
// "ayudante de albañil" for an "albañil"); 0 otherwise.
//
// ESCO's occupation→skill links count the same way: a skill essential to an occupation
// earns 1 either way round (a "Soldador" vacancy is met by "soldadura MIG", a "soldadura"
// skill by a welder), an optional one relatedCredit. Two occupations of one ISCO-08 unit
// group are close trades and earn relatedCredit. A skill whose unit group is one of
// Vincula's occupations' own earns 1 either way round too. Second-choice trades
// (lexicon.secondChoice) earn the rules' second-choice credit.
func (lx *lexicon) credit(want, have string) float64 {
	if want == have {
		return 1
	}
	w, h := lx.concept(want), lx.concept(have)
	if w.Kind != h.Kind {
		occ, skill := w, have
		if h.Kind == models.ConceptOccupation {
			occ, skill = h, want
		}
		switch sk := lx.concept(skill); {
		case slices.Contains(occ.Essential, skill):
			return 1
		case sk.Kind == models.ConceptSkill && len(occ.ISCO) == 4 && sk.ISCO == occ.ISCO && occ.Origin != models.OriginESCO:
			// A skill of the occupation's own unit group: what the trade does (a loader
			// loads and unloads, a room attendant cleans).
			return 1
		case slices.Contains(occ.Optional, skill):
			return relatedCredit
		}
	}
	if !slices.Contains(w.Related, have) && !slices.Contains(h.Related, want) {
		if w.Kind == models.ConceptOccupation && h.Kind == w.Kind && len(w.ISCO) == 4 && w.ISCO == h.ISCO {
			return relatedCredit
		}
		if lx.secondChoice(&w, &h) {
			return lx.second
		}
		return 0
	}
	if w.Kind != h.Kind && len(w.ISCO) == 4 && w.ISCO == h.ISCO {
		return 1
	}
	return relatedCredit
}

// secondChoice reports whether two occupations are each other's second choices: of one
// ISCO-08 minor group; elementary occupations (major group 9, learnt on the job) of one
// sub-major group, as loaders, construction labourers and packers are; or two links
// apart in the vocabulary (a forklift operator and a loader, both linked to the
// warehouse worker) when both are of ISCO-08 skill level 1 or 2 (major groups 4 to 9):
// a fallback stays in the same band of skill, never a foreman or a professional.
func (lx *lexicon) secondChoice(w, h *models.Concept) bool {
	if w.Kind != models.ConceptOccupation || h.Kind != models.ConceptOccupation {
		return false
	}
	if models.ValidISCO(w.ISCO) && models.ValidISCO(h.ISCO) && len(w.ISCO) == 4 && len(h.ISCO) == 4 {
		if w.ISCO[:3] == h.ISCO[:3] || w.ISCO[0] == '9' && w.ISCO[:2] == h.ISCO[:2] {
			return true
		}
	}
	if !models.SkillLevelOneOrTwo(w.ISCO) || !models.SkillLevelOneOrTwo(h.ISCO) {
		return false
	}
	for _, x := range w.Related {
		if slices.Contains(h.Related, x) {
			return true
		}
		if mid := lx.concept(x); mid.Kind == models.ConceptOccupation && slices.Contains(mid.Related, h.ID) {
			return true
		}
	}
	for _, x := range h.Related {
		if mid := lx.concept(x); mid.Kind == models.ConceptOccupation && slices.Contains(mid.Related, w.ID) {
			return true
		}
	}
	return false
}

// codes returns the ISCO codes of the concepts named in text, without duplicates.
func (lx *lexicon) codes(text string) []string {
	var out []string
	for _, id := range lx.match(text) {
		if c := lx.concept(id); models.ValidISCO(c.ISCO) && !slices.Contains(out, c.ISCO) {
			out = append(out, c.ISCO)
		}
	}
	return out
}

// evidence is one thing a candidate wrote about what they can do: a skill, a past job
// title or a desired occupation, with what it means.
type evidence struct {
	folded   string
	concepts []string
	// codes are the ISCO codes it stands for; only occupations (experience and desired
	// occupations) carry them, since the occupation part is about occupations.
	codes []string
	// title is set for experience titles and desired occupations, which a generic title
	// ("ayudante general") makes weak evidence.
	title bool
	// years are the years given on a skill (0 when none).
	years float64
}

func candidateEvidence(c *models.Candidate, lx *lexicon) []evidence {
	var ev []evidence
	add := func(text string, occupation bool, code string, years float64) {
		e := evidence{folded: models.Fold(text), concepts: lx.vocab.Match(text), title: occupation, years: years}
		if occupation {
			e.codes = append(e.codes, lx.vocab.ISCOCodes(code)...)
			for _, k := range lx.codes(text) {
				if !slices.Contains(e.codes, k) {
					e.codes = append(e.codes, k)
				}
			}
		}
		if e.folded != "" || len(e.codes) > 0 {
			ev = append(ev, e)
		}
	}
	for _, s := range c.Skills {
		var years float64
		if s.Years != nil && *s.Years > 0 {
			years = *s.Years
		}
		add(s.Name, false, "", years)
	}
	for _, x := range c.Experience {
		add(x.Title, true, strings.TrimSpace(x.OccupationCode), 0)
	}
	for _, d := range c.DesiredOccupations {
		add(d, true, "", 0)
	}
	return ev
}

// vacancyCodes returns the ISCO-08 codes of the vacancy's occupation code (a SINCO 2019
// code stands for the ISCO-08 unit groups INEGI's table maps it to) or, without one, the
// ISCO codes of the concepts in its title.
func vacancyCodes(v *models.Vacancy, lx *lexicon) []string {
	if codes := lx.vocab.ISCOCodes(v.OccupationCode); len(codes) > 0 {
		return codes
	}
	return lx.codes(v.Title)
}

func (s *Scorer) skillsPart(ev []evidence) float64 {
	side := &s.side
	if side.noSkills {
		return 1
	}
	required, optional := side.required, side.optional
	coverage := s.meanCredit(required, ev)
	if len(optional) == 0 {
		return coverage
	}
	return (1-optionalShare)*coverage + optionalShare*s.meanCredit(optional, ev)
}

func (s *Scorer) meanCredit(skills []string, ev []evidence) float64 {
	var sum float64
	for _, sk := range skills {
		sum += s.skillCredit(sk, ev)
	}
	return sum / float64(len(skills))
}

// weak reports whether e is a generic title, which earns at most the rules'
// generic_title_credit on its own.
func (s *Scorer) weak(e *evidence) bool { return e.title && s.generic[e.folded] }

// cap is the most evidence e may earn.
func (s *Scorer) cap(e *evidence) float64 {
	if s.weak(e) {
		return s.w.Rules.GenericTitleCredit
	}
	return 1
}

// skillCredit is how well the candidate shows one skill. A skill line that names several
// concepts is met by any of them, because employers write alternatives on one line
// ("albañil o ayudante") more often than lists of musts. A generic title earns at most
// the generic-title credit.
func (s *Scorer) skillCredit(skill string, ev []evidence) float64 {
	lx := s.lx
	var best float64
	if wants := lx.match(skill); len(wants) > 0 {
		for _, want := range wants {
			for i := range ev {
				e := &ev[i]
				for _, have := range e.concepts {
					if best = max(best, min(s.cap(e), lx.credit(want, have))); best == 1 {
						return 1
					}
				}
			}
		}
		return best
	}
	folded := models.Fold(skill)
	for i := range ev {
		e := &ev[i]
		switch {
		case e.folded == "":
		case containsWords(e.folded, folded):
			if best = max(best, s.cap(e)); best == 1 {
				return 1
			}
		case containsWords(folded, e.folded):
			best = max(best, min(s.cap(e), partialTextCredit))
		}
	}
	return best
}

// occupationPart is the best closeness of the candidate's occupations to the vacancy's:
// by ISCO code, or through the vocabulary between the occupations of the vacancy's
// title and the candidate's (a related trade earns the related or second-choice credit).
// A generic title earns at most the generic-title credit.
func (s *Scorer) occupationPart(ev []evidence) float64 {
	var best float64
	for i := range ev {
		e := &ev[i]
		limit := s.cap(e)
		for _, a := range s.vacCodes {
			for _, b := range e.codes {
				best = max(best, min(limit, models.ISCOCloseness(a, b)))
			}
		}
		if !e.title {
			continue
		}
		for _, want := range s.side.occupations {
			for _, have := range e.concepts {
				if s.lx.concept(have).Kind == models.ConceptOccupation {
					best = max(best, min(limit, s.lx.credit(want, have)))
				}
			}
		}
	}
	return best
}

// experiencePart is min(1, relevant years / years asked), 1 when no years are asked.
// The relevant years are the larger of two counts, since a person's skills and jobs
// often describe the same years: the years of past jobs, each weighed by how close it is
// to the vacancy's occupation (1 the same occupation, related_experience a related one,
// second_choice_credit a second-choice trade, and at most generic_title_credit for a
// generic title); and the years given on a skill the vacancy asks for, weighed by how
// well it meets it, which count even when no job title is recognised.
func (s *Scorer) experiencePart(p *Profile) float64 {
	v := s.v
	if v.MinExperienceYears <= 0 {
		return 1
	}
	var jobs float64
	for _, x := range p.experience {
		if x.years <= 0 {
			continue
		}
		credit := 1.0
		if len(s.vacCodes) > 0 {
			credit = s.jobCredit(x)
		}
		if s.generic[x.folded] {
			credit = min(credit, s.w.Rules.GenericTitleCredit)
		}
		jobs += x.years * credit
	}
	var skills float64
	for i := range p.evidence {
		e := &p.evidence[i]
		if e.years <= 0 {
			continue
		}
		one := p.evidence[i : i+1]
		var best float64
		for _, sk := range s.side.asked {
			if best = max(best, s.skillCredit(sk, one)); best == 1 {
				break
			}
		}
		skills = max(skills, e.years*best)
	}
	return min(1, max(jobs, skills)/v.MinExperienceYears)
}

// jobCredit is how much a year of past job x counts towards the vacancy's occupation.
func (s *Scorer) jobCredit(x pastJob) float64 {
	r := &s.w.Rules
	if len(x.codes) == 0 && len(x.concepts) == 0 {
		title, want := x.folded, s.side.title
		if title != "" && want != "" && (containsWords(title, want) || containsWords(want, title)) {
			return 1
		}
		return 0
	}
	var best float64
	for _, a := range s.vacCodes {
		for _, b := range x.codes {
			switch c := models.ISCOCloseness(a, b); {
			case c == 1:
				return 1
			case c >= sameMinorGroup:
				best = max(best, r.RelatedExperience)
			}
		}
	}
	for _, want := range s.side.occupations {
		for _, have := range x.concepts {
			switch c := s.lx.credit(want, have); {
			case c == 1:
				return 1
			case c >= relatedCredit:
				best = max(best, r.RelatedExperience)
			case c > 0:
				best = max(best, min(r.RelatedExperience, r.SecondChoiceCredit))
			}
		}
	}
	return best
}

func languagesPart(side *vacancySide, p *Profile) float64 {
	if len(side.languages) == 0 {
		return 1
	}
	met := 0
	for _, l := range side.languages {
		if r, ok := p.spokenAt(l.code); ok && r >= l.rank {
			met++
		}
	}
	return float64(met) / float64(len(side.languages))
}

// levelRank is models.LanguageLevelRank for levels written in any case ("b1", "Native").
func levelRank(level string) int {
	level = strings.TrimSpace(level)
	if strings.EqualFold(level, "native") {
		return models.LanguageLevelRank("native")
	}
	return models.LanguageLevelRank(strings.ToUpper(level))
}

func locationPart(v *models.Vacancy, side *vacancySide, p *Profile) float64 {
	state := side.state
	if state != "" && p.state == state {
		if vm := side.municipality; vm != "" && vm == p.municipality {
			return sameMunicipality
		}
		return sameState
	}
	if !p.relocate {
		return 0
	}
	loc := willingElsewhere
	if len(p.preferred) == 0 || slices.Contains(p.preferred, state) {
		loc = willingThere
	}
	if v.RelocationSupport {
		loc += relocationBonus
	}
	return min(1, loc)
}

func availabilityPart(v *models.Vacancy, p *Profile) float64 {
	if p.availableFrom.IsZero() || v.StartDate.IsZero() {
		return 1
	}
	late := v.StartDate.DaysUntil(p.availableFrom)
	switch {
	case late <= 0:
		return 1
	case late >= lateDays:
		return 0
	}
	return 1 - float64(late)/lateDays
}

// containsWords reports whether the folded text s contains the folded phrase sub as
// whole words, so that "mig" is not found in "amigo".
func containsWords(s, sub string) bool {
	return sub != "" && strings.Contains(" "+s+" ", " "+sub+" ")
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return 0
	}
	return min(1, x)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
