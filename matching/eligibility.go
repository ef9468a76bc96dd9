// Package matching decides who may legally work where and when, and ranks candidates
// for vacancies. It is pure: the rules and the date come in as arguments and nothing is
// read from disk, the network or the clock.
package matching

import (
	"slices"
	"strings"

	"github.com/vincula/vincula/models"
)

// Query is what an eligibility decision is asked about: a place and a day, and, when the
// question comes from a vacancy, the vacancy's employer (a permit that names one employer
// only counts for that employer's vacancies) and the vacancy itself, whose conditions
// (hazardous, night work, alcohol, hours) decide for people of 15 to 17. Build it with
// VacancyQuery when a vacancy asks.
type Query struct {
	State      string
	Date       models.Date
	EmployerID string
	Vacancy    *models.Vacancy
	// Lang is the language the reasons and next steps are written in (one of
	// Languages); empty means English.
	Lang string
}

// WorkDate is the day a vacancy's work is judged on: its start date, or today when that
// has passed or is not set.
func WorkDate(v *models.Vacancy, today models.Date) models.Date {
	if v.StartDate.IsZero() || v.StartDate.Before(today) {
		return today
	}
	return v.StartDate
}

// VacancyQuery is the question a vacancy asks of a candidate: its state, its employer
// and its conditions, on the work date given (see WorkDate).
func VacancyQuery(v *models.Vacancy, date models.Date) Query {
	return Query{State: v.State, Date: date, EmployerID: v.EmployerID, Vacancy: v}
}

// Basis is the document a positive decision rests on.
type Basis struct {
	DocumentType models.DocumentType `json:"document_type"`
	ExpiresOn    models.Date         `json:"expires_on"`
	// Verified is false while nobody has checked the original; the decision is still
	// positive, and callers decide what an unverified basis blocks (a referral, for one).
	Verified   bool   `json:"verified"`
	DocumentID string `json:"document_id"`
	// Source is the legal source of the rule that lets the document count.
	Source string `json:"source"`
}

// Decision is the answer to "may this person work in this state on this day", in the
// shape of the API's eligibility response. Reasons, NextSteps and AllowedStates are never
// nil, so they encode as [] rather than null.
type Decision struct {
	Eligible bool        `json:"eligible"`
	State    string      `json:"state"`
	Date     models.Date `json:"date"`
	Basis    *Basis      `json:"basis"`
	// ValidUntil is the last day the basis allows work; zero (JSON null) means no expiry
	// or, when not eligible, no basis.
	ValidUntil models.Date `json:"valid_until"`
	// AllowedStates is where the basis allows work (all 32 codes when everywhere). When
	// not eligible, it is where the documents that are valid on the date allow work, so a
	// counsellor sees where the person could be placed instead.
	AllowedStates []string `json:"allowed_states"`
	// Reasons says, when not eligible, why each document is not a basis, one line each.
	Reasons      []string `json:"reasons"`
	NextSteps    []string `json:"next_steps"`
	RulesVersion string   `json:"rules_version"`
	// ProtectionPathway marks a child under the minimum working age on the date: staff
	// refer them to child protection (DIF), never to a job.
	ProtectionPathway bool `json:"protection_pathway,omitempty"`
	// Restrictions lists, for a person of 15 to 17 on the date, the limits the law puts
	// on the work they may take (with the day they end); absent for adults.
	Restrictions []string `json:"restrictions,omitempty"`
	// Codes names, without words, the situations behind a refusal (no_document, expired,
	// outside_states, missing_work_permission, ...) and "unverified" on an unchecked
	// basis, each once, so that a page can explain them in its own words. It is not part
	// of the API's answer.
	Codes []string `json:"-"`
}

// failure is one reason a document is not a basis: a situation code that next steps can
// be tied to, and the words shown to people.
type failure struct {
	code string
	text string
}

// docCheck is what one document allows on one day, before the place and the employer are
// taken into account.
type docCheck struct {
	lang     string
	index    int
	doc      *models.Document
	rule     *rule
	label    string
	failures []failure
	// states is where the document allows work once its conditions hold.
	states []string
	// validUntil is the last day it allows work; zero means no expiry.
	validUntil models.Date
	// capped is true when the rule's maximum validity ends before the expiry entered.
	capped bool
}

func (d *docCheck) fail(code, format string, args ...any) {
	d.failures = append(d.failures, failure{code, tr(d.lang, format, args...)})
}

func (d *docCheck) ok() bool { return len(d.failures) == 0 }

// check applies a document's rule on day at. A zero at skips the date tests, which is
// how WorkSpan asks "could this document ever allow work".
func (r *Rules) check(c *models.Candidate, i int, at models.Date, lang string) docCheck {
	d := &c.Documents[i]
	ru, known := r.byType[d.Type]
	if !known {
		// Unknown papers are treated as "otro", so its advice applies to them too.
		dc := docCheck{lang: lang, index: i, doc: d, rule: r.byType[models.DocOther], label: tr(lang, "document of type %q", d.Type)}
		dc.fail(whenNotAllowed, "not a document type the rules know, so it is not a basis for work")
		return dc
	}
	dc := docCheck{lang: lang, index: i, doc: d, rule: ru, label: ru.name}
	if !ru.mayWork {
		dc.fail(whenNotAllowed, "does not allow paid work")
		return dc
	}
	for _, req := range ru.requires {
		code := "missing_" + req
		switch req {
		case reqWorkPermission:
			if !d.WorkPermission {
				dc.fail(code, "no INM work permit on it (work_permission is false)")
			}
		case reqCURP:
			if strings.TrimSpace(c.CURP) == "" {
				dc.fail(code, "the candidate has no CURP on file, and this document allows work only with one")
			}
		case reqNamedEmployer:
			if d.EmployerID == "" {
				dc.fail(code, "the employer named on the permit is not on file (employer_id is empty)")
			}
		case reqFilingState:
			switch {
			case d.State == "":
				dc.fail(code, "the state where the claim was filed is not on file")
			case !models.ValidState(d.State):
				dc.fail(code, "the filing state on file, %q, is not a state code", d.State)
			}
		case reqIssuedOn:
			if d.IssuedOn.IsZero() {
				dc.fail(code, "no issue date (issued_on) on file, which this document needs")
			}
		case reqExpiresOn:
			if d.ExpiresOn.IsZero() {
				dc.fail(code, "no expiry date (expires_on) on file, which this document needs")
			}
		}
	}
	switch ru.scope {
	case scopeAll:
		dc.states = models.StateCodes()
	case scopeList:
		dc.states = slices.Clone(ru.states)
	case scopeFilingState:
		if models.ValidState(d.State) {
			dc.states = []string{d.State}
		}
	}
	if ru.until == untilExpiresOn && !d.ExpiresOn.IsZero() {
		dc.validUntil = d.ExpiresOn
		if ru.maxDays > 0 && !d.IssuedOn.IsZero() {
			if limit := d.IssuedOn.AddDays(ru.maxDays); d.ExpiresOn.After(limit) {
				dc.validUntil, dc.capped = limit, true
			}
		}
	}
	if at.IsZero() {
		return dc
	}
	if dc.notYetIssued(at) {
		dc.fail(whenNotYetIssued, "issued on %s, after the date asked (%s)", d.IssuedOn, at)
	}
	if dc.expiredOn(at) {
		if dc.capped {
			dc.fail(whenExpired, "valid at most %d days from its issue on %s, that is until %s (not %s as entered), before the date asked (%s)",
				ru.maxDays, d.IssuedOn, dc.validUntil, d.ExpiresOn, at)
		} else {
			dc.fail(whenExpired, "expired on %s, before the date asked (%s)", dc.validUntil, at)
		}
	}
	return dc
}

// notYetIssued and expiredOn are check's date tests: the document is issued after
// day at, or stops allowing work before it.
func (d *docCheck) notYetIssued(at models.Date) bool {
	return !d.doc.IssuedOn.IsZero() && d.doc.IssuedOn.After(at)
}

func (d *docCheck) expiredOn(at models.Date) bool {
	return !d.validUntil.IsZero() && at.After(d.validUntil)
}

// placed reports whether placeAndEmployer has something to say about the document
// (a known document type that allows work).
func (d *docCheck) placed() bool { return d.rule.mayWork && d.doc.Type == d.rule.docType }

// outsideStates and otherEmployer are placeAndEmployer's tests: the document allows
// work in other states only, or names another employer than q's.
func (d *docCheck) outsideStates(q Query) bool {
	return len(d.states) > 0 && !slices.Contains(d.states, q.State)
}

func (d *docCheck) otherEmployer(q Query) bool {
	return d.rule.namedEmployer && d.doc.EmployerID != "" && q.EmployerID != d.doc.EmployerID
}

// placeAndEmployer adds the failures that depend on where the work is and for whom. It
// stays silent where check already said what is missing (no filing state, no employer).
func placeAndEmployer(dc *docCheck, q Query) {
	if !dc.placed() {
		return
	}
	if dc.outsideStates(q) {
		if dc.rule.scope == scopeFilingState {
			dc.fail(whenOutsideStates, "allows work only in %s, the state where the claim was filed, not in %s", stateList(dc.states, q.Lang), stateList([]string{q.State}, q.Lang))
		} else {
			dc.fail(whenOutsideStates, "allows work only in %s, not in %s", stateList(dc.states, q.Lang), stateList([]string{q.State}, q.Lang))
		}
	}
	if dc.otherEmployer(q) {
		switch q.EmployerID {
		case "":
			dc.fail(whenOtherEmployer, "the permit is only valid for vacancies of employer %s", dc.doc.EmployerID)
		default:
			dc.fail(whenOtherEmployer, "the permit is only valid for vacancies of employer %s, not of employer %s", dc.doc.EmployerID, q.EmployerID)
		}
	}
}

// outlasts orders possible bases: the one valid longest wins (no expiry beats any date);
// then a verified one, then the earliest issued (a known issue date before an unknown
// one), then the document ID and its position, so the choice never depends on chance.
func outlasts(a, b *docCheck) bool {
	if a.validUntil.IsZero() != b.validUntil.IsZero() {
		return a.validUntil.IsZero()
	}
	if !a.validUntil.Equal(b.validUntil) {
		return a.validUntil.After(b.validUntil)
	}
	if a.doc.Verified != b.doc.Verified {
		return a.doc.Verified
	}
	ai, bi := a.doc.IssuedOn, b.doc.IssuedOn
	if ai.IsZero() != bi.IsZero() {
		return !ai.IsZero()
	}
	if !ai.Equal(bi) {
		return ai.Before(bi)
	}
	if a.doc.ID != b.doc.ID {
		return a.doc.ID < b.doc.ID
	}
	return a.index < b.index
}

// Eligibility decides whether candidate c may work in q.State on q.Date (for q.EmployerID,
// when given) under rules. A nil rules means DefaultRules. A document counts on its
// expiry date, not before its issue date, and only when every condition of its rule
// holds; among the documents that count, the one valid longest is the basis.
func Eligibility(c *models.Candidate, q Query, rules *Rules) Decision {
	if rules == nil {
		rules = DefaultRules()
	}
	dec := Decision{
		State: q.State, Date: q.Date, RulesVersion: rules.version,
		AllowedStates: []string{}, Reasons: []string{}, NextSteps: []string{},
	}
	if q.Date.IsZero() {
		dec.Reasons = append(dec.Reasons, tr(q.Lang, "no date given: eligibility is decided for a day"))
		return dec
	}
	if rules.age.gate(c, q, &dec) {
		return dec
	}
	var docs []models.Document
	if c != nil {
		docs = c.Documents
	}
	var checks []docCheck
	var allowed []string
	for i := range docs {
		if docs[i].Type.ForMinors() {
			continue // an adolescent's record, read by the age gate, never a basis
		}
		dc := rules.check(c, i, q.Date, q.Lang)
		if dc.ok() {
			allowed = union(allowed, dc.states)
		}
		checks = append(checks, dc)
	}
	if allowed != nil {
		dec.AllowedStates = allowed
	}
	if !models.ValidState(q.State) {
		if q.State == "" {
			dec.Reasons = append(dec.Reasons, tr(q.Lang, "no state given: eligibility is decided for one state"))
		} else {
			dec.Reasons = append(dec.Reasons, tr(q.Lang, "%q is not a Mexican state code (ISO 3166-2:MX, such as MX-NLE)", q.State))
		}
		return dec
	}
	var basis *docCheck
	for i := range checks {
		// Place and employer are checked even on a document already refused for its
		// dates, so the reasons say everything that has to change.
		placeAndEmployer(&checks[i], q)
		if checks[i].ok() && (basis == nil || outlasts(&checks[i], basis)) {
			basis = &checks[i]
		}
	}
	steps := newStepList(c, q.State, q.Lang)
	if basis != nil {
		dec.Eligible = true
		dec.Basis = &Basis{
			DocumentType: basis.doc.Type, ExpiresOn: basis.doc.ExpiresOn, Verified: basis.doc.Verified,
			DocumentID: basis.doc.ID, Source: basis.rule.source,
		}
		dec.ValidUntil = basis.validUntil
		dec.AllowedStates = basis.states
		if !basis.doc.Verified {
			dec.Codes = []string{whenUnverified}
			steps.add(basis.rule.steps, []string{whenUnverified}, false)
			steps.add(rules.steps, []string{whenUnverified}, false)
		}
		dec.NextSteps = steps.list
		return dec
	}
	if len(checks) == 0 {
		dec.Codes = append(dec.Codes, whenNoDocument)
		dec.Reasons = append(dec.Reasons, tr(q.Lang, "no immigration document on file"))
		steps.add(rules.steps, []string{whenNoDocument}, false)
	}
	for i := range checks {
		dc := &checks[i]
		texts := make([]string, len(dc.failures))
		codes := make([]string, len(dc.failures))
		for k, f := range dc.failures {
			texts[k], codes[k] = f.text, f.code
			if !slices.Contains(dec.Codes, f.code) {
				dec.Codes = append(dec.Codes, f.code)
			}
		}
		dec.Reasons = append(dec.Reasons, tr(q.Lang, "%s: %s", dc.label, strings.Join(texts, "; ")))
		steps.add(dc.rule.steps, codes, true)
		steps.add(rules.steps, codes, false)
	}
	// File-wide steps without a situation apply to any refusal, once.
	steps.add(rules.steps, nil, true)
	dec.NextSteps = steps.list
	return dec
}

// stepList collects next steps without repeating one that two documents share.
type stepList struct {
	c     *models.Candidate
	state string
	lang  string
	list  []string
}

func newStepList(c *models.Candidate, state, lang string) *stepList {
	return &stepList{c: c, state: state, lang: lang, list: []string{}}
}

// add appends the steps that answer one of the situations in codes. Steps without a
// "when" answer any situation, but only where anyWhen is set: a rule's general advice
// fits any failure of its document, while a file-wide general step is added once per
// refusal rather than once per document.
func (s *stepList) add(steps []nextStep, codes []string, anyWhen bool) {
	for _, st := range steps {
		if len(st.when) == 0 && !anyWhen {
			continue
		}
		if len(st.when) > 0 && !slices.ContainsFunc(st.when, func(w string) bool { return slices.Contains(codes, w) }) {
			continue
		}
		if len(st.states) > 0 && !slices.Contains(st.states, s.state) {
			continue
		}
		if len(st.nationalities) > 0 && (s.c == nil || !slices.Contains(st.nationalities, s.c.Nationality)) {
			continue
		}
		if text := st.text.in(s.lang); !slices.Contains(s.list, text) {
			s.list = append(s.list, text)
		}
	}
}

// union returns the sorted union of two sets of state codes.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// stateList names states for people: "Campeche, Chiapas and Tabasco (MX-CAM, MX-CHP,
// MX-TAB)"; all 32 are "any state".
func stateList(codes []string, lang string) string {
	if len(codes) == len(models.States) {
		return tr(lang, "any state")
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if s, ok := models.StateByCode(c); ok {
			names[i] = s.Name
		}
	}
	var joined string
	switch len(names) {
	case 0:
		return tr(lang, "no state")
	case 1:
		joined = names[0]
	default:
		joined = tr(lang, "%s and %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
	}
	return joined + " (" + strings.Join(codes, ", ") + ")"
}

// Summary is the short answer for staff views: can the person work anywhere today, where,
// until when, and is that resting on a checked document.
type Summary struct {
	EligibleSomewhere bool     `json:"eligible_somewhere"`
	States            []string `json:"states"`
	// ValidUntil is the last day any valid document allows work; zero (null) when one
	// does not expire or when none is valid.
	ValidUntil models.Date `json:"valid_until"`
	// ExpiringSoon is true when ValidUntil is at most 30 days after today.
	ExpiringSoon  bool `json:"expiring_soon"`
	BasisVerified bool `json:"basis_verified"`
	// NamedEmployerOnly is the employer a permit names when such permits are the only
	// valid documents: the person may work, but for that employer alone.
	NamedEmployerOnly string `json:"named_employer_only,omitempty"`
}

// expiringSoonDays is how far ahead staff views warn that work permission ends; a month
// is the time an INM or COMAR renewal needs to be started in.
const expiringSoonDays = 30

// Summarize tells staff where candidate c may work today under rules (nil means
// DefaultRules). A permit naming one employer counts as "eligible somewhere", with that
// employer in NamedEmployerOnly when nothing else is valid.
func Summarize(c *models.Candidate, today models.Date, rules *Rules) Summary {
	if rules == nil {
		rules = DefaultRules()
	}
	s := Summary{States: []string{}}
	if c == nil || today.IsZero() {
		return s
	}
	if rules.age.gate(c, Query{Date: today}, &Decision{}) {
		return s // under the minimum age, or an adolescent without what the law asks: eligible nowhere
	}
	var basis *docCheck
	noExpiry, onlyNamed := false, true
	for i := range c.Documents {
		if c.Documents[i].Type.ForMinors() {
			continue
		}
		dc := rules.check(c, i, today, "")
		if !dc.ok() {
			continue
		}
		s.States = union(s.States, dc.states)
		if dc.validUntil.IsZero() {
			noExpiry = true
		} else if dc.validUntil.After(s.ValidUntil) {
			s.ValidUntil = dc.validUntil
		}
		onlyNamed = onlyNamed && dc.rule.namedEmployer
		if basis == nil || outlasts(&dc, basis) {
			basis = &dc
		}
	}
	if basis == nil {
		return s
	}
	s.EligibleSomewhere = true
	s.BasisVerified = basis.doc.Verified
	if noExpiry {
		s.ValidUntil = models.Date{}
	} else {
		s.ExpiringSoon = today.DaysUntil(s.ValidUntil) <= expiringSoonDays
	}
	if onlyNamed {
		s.NamedEmployerOnly = basis.doc.EmployerID
	}
	return s
}

// Span is a loose, never-too-narrow description of where and until when a candidate's
// documents could ever allow work, for the search index to pre-filter on. Search results
// are re-checked with Eligibility, so a Span may include too much but never too little.
type Span struct {
	// AllStates is true when States holds all 32 codes.
	AllStates bool
	// States is every state where some document could allow work, sorted.
	States []string
	// Until is the last day any document could allow work; zero means one never
	// expires (or, with States empty, that none allows work at all).
	Until models.Date
	// NeedsEmployer is set when every document that could allow work is a permit naming
	// this one employer, so only that employer's vacancies can match.
	NeedsEmployer string
}

// WorkSpan returns the Span of candidate c under rules (nil means DefaultRules). Only
// conditions that hold on every date (a missing work permit or CURP, a missing expiry
// date, a document that expires before it is issued) exclude a document.
func WorkSpan(c *models.Candidate, rules *Rules) Span {
	if rules == nil {
		rules = DefaultRules()
	}
	sp := Span{States: []string{}}
	if c == nil {
		return sp
	}
	noExpiry, onlyNamed, found := false, true, false
	employers := map[string]bool{}
	for i := range c.Documents {
		if c.Documents[i].Type.ForMinors() {
			continue
		}
		dc := rules.check(c, i, models.Date{}, "")
		if !dc.ok() || len(dc.states) == 0 {
			continue
		}
		if !dc.validUntil.IsZero() && !dc.doc.IssuedOn.IsZero() && dc.doc.IssuedOn.After(dc.validUntil) {
			continue // issued after it ends: valid on no day at all
		}
		found = true
		sp.States = union(sp.States, dc.states)
		if dc.validUntil.IsZero() {
			noExpiry = true
		} else if dc.validUntil.After(sp.Until) {
			sp.Until = dc.validUntil
		}
		if dc.rule.namedEmployer {
			employers[dc.doc.EmployerID] = true
		} else {
			onlyNamed = false
		}
	}
	if noExpiry {
		sp.Until = models.Date{}
	}
	sp.AllStates = len(sp.States) == len(models.States)
	if found && onlyNamed && len(employers) == 1 {
		for e := range employers {
			sp.NeedsEmployer = e
		}
	}
	return sp
}
