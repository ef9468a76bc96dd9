package matching

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// defaultRulesJSON is the rules file shipped in the binary. Deployments may load another
// file with LoadRules when the law changes before a new release does.
//
//go:embed rules/eligibility.json
var defaultRulesJSON []byte

// defaultRules parses the embedded file once; it is the only package-level state and it
// never changes after the first call.
var defaultRules = sync.OnceValue(func() *Rules {
	r, err := loadRules(defaultRulesJSON, true)
	if err != nil {
		panic("matching: the embedded eligibility rules are broken: " + err.Error())
	}
	return r
})

// DefaultRules returns the eligibility rules embedded in the binary. It panics only if
// the embedded file is broken, which the package's tests rule out before a release.
func DefaultRules() *Rules { return defaultRules() }

// Rules is a parsed, checked eligibility rules file: one rule per document type saying
// whether, where and until when that document allows paid work. It is read-only once
// loaded and safe for concurrent use.
type Rules struct {
	version string
	byType  map[models.DocumentType]*rule
	// steps are the next steps that apply to any document (or to no document at all).
	steps []nextStep
	// age holds the legal age limits, which gate every decision before the documents.
	age ageRules
}

// Version returns the version string of the rules file, which every decision reports so
// that a decision can be traced to the law as it was encoded at the time.
func (r *Rules) Version() string { return r.version }

// Where a rule allows work.
type stateScope int

const (
	scopeAll         stateScope = iota // every state
	scopeList                          // the states listed in the rule
	scopeFilingState                   // the state written on the document (a COMAR claim)
)

// The values of "until".
const (
	untilExpiresOn = "expires_on"
	untilNone      = "none"
)

// The values of "requires": facts a document (or its holder) must have before the
// document can be a basis for work.
const (
	reqWorkPermission = "work_permission"
	reqCURP           = "curp"
	reqNamedEmployer  = "named_employer"
	reqExpiresOn      = "expires_on"
	reqIssuedOn       = "issued_on"
	reqFilingState    = "filing_state"
)

// knownRequirements lists the requirement names in the order they are checked, which is
// also the order their reasons appear in.
var knownRequirements = []string{reqWorkPermission, reqCURP, reqNamedEmployer, reqFilingState, reqIssuedOn, reqExpiresOn}

// The situations a next step can be tied to with "when". Besides these, each requirement
// gives "missing_<requirement>".
const (
	whenNotAllowed    = "not_allowed"
	whenNoDocument    = "no_document"
	whenNotYetIssued  = "not_yet_issued"
	whenExpired       = "expired"
	whenOutsideStates = "outside_states"
	whenOtherEmployer = "other_employer"
	whenUnverified    = "unverified"
)

func knownWhen(w string) bool {
	switch w {
	case whenNotAllowed, whenNoDocument, whenNotYetIssued, whenExpired, whenOutsideStates, whenOtherEmployer, whenUnverified:
		return true
	}
	req, ok := strings.CutPrefix(w, "missing_")
	return ok && slices.Contains(knownRequirements, req)
}

func knownWhenList() string {
	all := []string{whenNotAllowed, whenNoDocument, whenNotYetIssued, whenExpired, whenOutsideStates, whenOtherEmployer, whenUnverified}
	for _, r := range knownRequirements {
		all = append(all, "missing_"+r)
	}
	return strings.Join(all, ", ")
}

// rule is one checked entry of the rules file.
type rule struct {
	docType models.DocumentType
	name    string
	mayWork bool
	scope   stateScope
	states  []string // sorted; only for scopeList
	until   string
	// requires is in the order of knownRequirements, whatever the file's order.
	requires      []string
	namedEmployer bool
	maxDays       int // 0 = no limit beyond expires_on
	source        string
	steps         []nextStep
}

// nextStep is advice for a counsellor, shown when its conditions hold.
type nextStep struct {
	// text is the step in English and its translations.
	text texts
	// when lists the situations it answers; empty means any reason the document (or,
	// for a file-wide step, the decision) is not a basis.
	when []string
	// states, when set, limits the step to decisions asked for one of these states.
	states []string
	// nationalities, when set, limits the step to holders of these nationalities.
	nationalities []string
}

// The file as written, before it is checked. States and next steps have two shapes each,
// so they are kept raw until the checks, which can then say which rule is at fault.
type rulesFile struct {
	Version   string            `json:"version"`
	NextSteps []json.RawMessage `json:"next_steps"`
	Age       *ageFile          `json:"age"`
	Rules     []json.RawMessage `json:"rules"`
}

type ruleFile struct {
	DocumentType    string            `json:"document_type"`
	Name            string            `json:"name"`
	MayWork         *bool             `json:"may_work"`
	States          json.RawMessage   `json:"states"`
	Until           string            `json:"until"`
	Requires        []string          `json:"requires"`
	MaxValidityDays *int              `json:"max_validity_days"`
	Source          string            `json:"source"`
	NextSteps       []json.RawMessage `json:"next_steps"`
	Notes           string            `json:"notes"`
}

type nextStepFile struct {
	Text string `json:"text"`
	// Translations are the text in the other languages of decisions (es, fr, ht).
	Translations  map[string]string `json:"translations"`
	When          []string          `json:"when"`
	States        []string          `json:"states"`
	Nationalities []string          `json:"nationalities"`
}

// LoadRules parses and checks an eligibility rules file. Parsing is strict (unknown
// fields are refused, so a misspelt field cannot silently drop a condition) and every
// problem found is reported at once, each naming the rule and the field at fault. The
// error is a models.ErrInvalid *models.Error.
//
// The file is {"version", "next_steps"?, "rules": [...]}; each rule has document_type,
// name?, may_work, states ("all", "filing_state" or a list of ISO 3166-2:MX codes),
// until ("expires_on" or "none"), requires (work_permission, curp, named_employer,
// filing_state, issued_on, expires_on), max_validity_days? (counted from issued_on),
// source, next_steps and notes?. A next step is a string or {text, when?, states?,
// nationalities?, translations?}, translations mapping es, fr and ht to the text in that
// language. There must be exactly one rule per document type.
func LoadRules(data []byte) (*Rules, error) { return loadRules(data, false) }

// loadRules parses a rules file; embedded says it is the binary's own, which must be
// complete (the others borrow its age section when they have none).
func loadRules(data []byte, embedded bool) (*Rules, error) {
	var f rulesFile
	if err := decodeStrict(data, &f, "eligibility rules"); err != nil {
		return nil, err
	}

	var fe models.FieldErrors
	r := &Rules{version: strings.TrimSpace(f.Version), byType: make(map[models.DocumentType]*rule)}
	if r.version == "" {
		fe.Add("version", `is missing: the file must say which version of the rules it is (for example "2026-11-01")`)
	}
	r.steps = parseSteps(&fe, "next_steps", "", f.NextSteps, true)
	r.age = parseAge(&fe, f.Age, embedded)
	if len(f.Rules) == 0 {
		fe.Add("rules", "is empty: there must be one rule per document type")
	}
	firstAt := make(map[models.DocumentType]int)
	for i, raw := range f.Rules {
		// Each rule is decoded on its own so that a decoding error can say which rule.
		var rf ruleFile
		rdec := json.NewDecoder(bytes.NewReader(raw))
		rdec.DisallowUnknownFields()
		if err := rdec.Decode(&rf); err != nil {
			field, msg := describeJSONError(err)
			if field != "" {
				field = "." + field
			}
			fe.Add(fmt.Sprintf("rules[%d]%s", i, field), "%s", msg)
			// Count the rule as present, so the author is not also told it is missing.
			var named struct {
				DocumentType models.DocumentType `json:"document_type"`
			}
			if json.Unmarshal(raw, &named) == nil {
				if _, dup := firstAt[named.DocumentType]; !dup {
					firstAt[named.DocumentType] = i
				}
			}
			continue
		}
		ru := parseRule(&fe, i, rf)
		if ru == nil {
			continue
		}
		if j, dup := firstAt[ru.docType]; dup {
			fe.Add(fmt.Sprintf("rules[%d].document_type", i), "%q appears twice (also rules[%d]): each document type has exactly one rule", ru.docType, j)
			continue
		}
		firstAt[ru.docType] = i
		r.byType[ru.docType] = ru
	}
	if len(f.Rules) > 0 {
		for _, t := range models.DocumentTypes {
			if _, ok := firstAt[t]; !ok && !t.ForMinors() {
				fe.Add("rules", "has no rule for document type %q: every document type needs one, even those that do not allow work", t)
			}
		}
	}
	if len(fe) > 0 {
		return nil, &models.Error{Kind: models.ErrInvalid, Message: "eligibility rules are invalid", Fields: fe}
	}
	return r, nil
}

// decodeStrict reads one JSON object into dst, refusing unknown fields and trailing
// data, with an error in plain words prefixed by what the file is: a deployment's data
// file must never be half-understood.
func decodeStrict(data []byte, dst any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		field, msg := describeJSONError(err)
		if field != "" {
			msg = field + " " + msg
		} else if strings.HasPrefix(msg, "has ") {
			msg = "the file " + msg
		}
		return models.Errorf(models.ErrInvalid, "%s: %s", what, msg)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return models.Errorf(models.ErrInvalid, "%s: unexpected data after the JSON object", what)
	}
	return nil
}

// describeJSONError turns the decoder's wording into something a rules author can act
// on: the field at fault (when the decoder knows it) and what is wrong with it.
func describeJSONError(err error) (field, msg string) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "", fmt.Sprintf("not valid JSON (at byte %d): %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		what := fmt.Sprintf("must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		if typ.Field == "" {
			return "", "the value " + what
		}
		return typ.Field, what
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "", "the file is empty or cut short"
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "", "has an unknown field " + name
	}
	return "", strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "bool":
		return "boolean (true or false)"
	case "string":
		return "string"
	case "slice":
		return "list"
	case "struct", "map":
		return "object"
	case "int", "int64", "float64":
		return "number"
	}
	return goKind
}

// parseRule checks one rule; it returns nil when the rule cannot be keyed (its document
// type is missing or unknown), after recording why.
func parseRule(fe *models.FieldErrors, i int, rf ruleFile) *rule {
	at := func(field string) string { return fmt.Sprintf("rules[%d].%s", i, field) }
	t := models.DocumentType(strings.TrimSpace(rf.DocumentType))
	of := fmt.Sprintf(" (in the rule for %s)", t)
	switch {
	case t == "":
		fe.Add(at("document_type"), "is missing")
		return nil
	case t.ForMinors():
		fe.Add(at("document_type"), "%q is not an immigration document: the age section of the rules decides what it does", t)
		return nil
	case !slices.Contains(models.DocumentTypes, t):
		var names []string
		for _, d := range models.DocumentTypes {
			if !d.ForMinors() {
				names = append(names, string(d))
			}
		}
		fe.Add(at("document_type"), "%q is not a known document type (one of %s)", t, strings.Join(names, ", "))
		return nil
	}
	ru := &rule{docType: t, name: strings.TrimSpace(rf.Name), until: rf.Until, source: strings.TrimSpace(rf.Source)}
	if ru.name == "" {
		ru.name = strings.ReplaceAll(string(t), "_", " ")
	}
	if ru.source == "" {
		fe.Add(at("source"), "is missing: the rule for %s must cite its legal source", t)
	}
	if rf.MayWork == nil {
		fe.Add(at("may_work"), "is missing: say true or false%s", of)
		return ru
	}
	ru.mayWork = *rf.MayWork
	ru.steps = parseSteps(fe, at("next_steps"), of, rf.NextSteps, false)

	if !ru.mayWork {
		// A rule that forbids work has nothing to bound; fields that would bound it are
		// refused so nobody believes they have an effect.
		if len(rf.States) > 0 {
			fe.Add(at("states"), "is set but may_work is false, so it would have no effect%s", of)
		}
		if rf.Until != "" {
			fe.Add(at("until"), "is set but may_work is false, so it would have no effect%s", of)
		}
		if len(rf.Requires) > 0 {
			fe.Add(at("requires"), "is set but may_work is false, so it would have no effect%s", of)
		}
		if rf.MaxValidityDays != nil {
			fe.Add(at("max_validity_days"), "is set but may_work is false, so it would have no effect%s", of)
		}
		return ru
	}

	parseStates(fe, at("states"), of, rf.States, ru)

	switch rf.Until {
	case "":
		fe.Add(at("until"), `is missing: the rule for %s allows work, so it must say until when ("expires_on" or "none")`, t)
	case untilExpiresOn, untilNone:
	default:
		fe.Add(at("until"), `%q is not one of "expires_on" or "none"%s`, rf.Until, of)
	}

	seen := make(map[string]bool)
	for _, q := range rf.Requires {
		switch {
		case !slices.Contains(knownRequirements, q):
			fe.Add(at("requires"), "%q is not a known requirement (one of %s)%s", q, strings.Join(knownRequirements, ", "), of)
		case seen[q]:
			fe.Add(at("requires"), "lists %q twice%s", q, of)
		}
		seen[q] = true
	}
	for _, q := range knownRequirements {
		if seen[q] {
			ru.requires = append(ru.requires, q)
		}
	}
	ru.namedEmployer = seen[reqNamedEmployer]
	// What "until" and "states" read from the document must be on it; the file says so
	// explicitly so that a reader of the file sees every condition in "requires".
	if rf.Until == untilExpiresOn && !seen[reqExpiresOn] {
		fe.Add(at("requires"), `must list "expires_on" because until is "expires_on"%s`, of)
	}
	if ru.scope == scopeFilingState && !seen[reqFilingState] {
		fe.Add(at("requires"), `must list "filing_state" because states is "filing_state"%s`, of)
	}

	if rf.MaxValidityDays != nil {
		switch {
		case *rf.MaxValidityDays <= 0:
			fe.Add(at("max_validity_days"), "must be a positive number of days, not %d%s", *rf.MaxValidityDays, of)
		case rf.Until != untilExpiresOn:
			fe.Add(at("max_validity_days"), `only makes sense with until "expires_on"%s`, of)
		default:
			ru.maxDays = *rf.MaxValidityDays
		}
	}
	return ru
}

func parseStates(fe *models.FieldErrors, field, of string, raw json.RawMessage, ru *rule) {
	if len(raw) == 0 || string(raw) == "null" {
		fe.Add(field, `is missing: a rule that allows work must say where ("all", "filing_state" or a list of state codes)%s`, of)
		return
	}
	var word string
	if err := json.Unmarshal(raw, &word); err == nil {
		switch word {
		case "all":
			ru.scope = scopeAll
		case "filing_state":
			ru.scope = scopeFilingState
		default:
			fe.Add(field, `%q is not "all", "filing_state" or a list of state codes%s`, word, of)
		}
		return
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		fe.Add(field, `must be "all", "filing_state" or a list of state codes%s`, of)
		return
	}
	if len(list) == 0 {
		fe.Add(field, "is an empty list: a rule that allows work must allow it somewhere%s", of)
		return
	}
	ru.scope = scopeList
	for _, s := range list {
		switch {
		case !models.ValidState(s):
			fe.Add(field, "%q is not one of the 32 state codes (ISO 3166-2:MX, such as MX-CHP)%s", s, of)
		case slices.Contains(ru.states, s):
			fe.Add(field, "lists %q twice%s", s, of)
		default:
			ru.states = append(ru.states, s)
		}
	}
	slices.Sort(ru.states)
}

// parseSteps checks a list of next steps; fileWide is true for the file's own list,
// where "no_document" makes sense (a rule's steps are about a document it governs).
func parseSteps(fe *models.FieldErrors, field, of string, raws []json.RawMessage, fileWide bool) []nextStep {
	var out []nextStep
	for k, raw := range raws {
		at := fmt.Sprintf("%s[%d]", field, k)
		var s nextStepFile
		var text string
		if err := json.Unmarshal(raw, &text); err == nil {
			s.Text = text
		} else {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&s); err != nil {
				field, msg := describeJSONError(err)
				if field != "" {
					msg = field + " " + msg
				}
				fe.Add(at, "must be a string or an object {text, when, states, nationalities}: %s%s", msg, of)
				continue
			}
		}
		st := nextStep{text: texts{"en": strings.TrimSpace(s.Text)}}
		if st.text["en"] == "" {
			fe.Add(at+".text", "is missing%s", of)
		}
		for l, t := range s.Translations {
			switch {
			case l == "en" || !validLang(l):
				fe.Add(at+".translations", "%q is not a language to translate into (one of %s)%s", l, strings.Join(translatedLanguages, ", "), of)
			case strings.TrimSpace(t) == "":
				fe.Add(at+".translations."+l, "is empty%s", of)
			default:
				st.text[l] = strings.TrimSpace(t)
			}
		}
		for _, w := range s.When {
			switch {
			case !knownWhen(w):
				fe.Add(at+".when", "%q is not a known situation (one of %s)%s", w, knownWhenList(), of)
			case w == whenNoDocument && !fileWide:
				fe.Add(at+".when", `"no_document" belongs in the file's own next_steps, not in a rule's%s`, of)
			default:
				st.when = append(st.when, w)
			}
		}
		for _, c := range s.States {
			if !models.ValidState(c) {
				fe.Add(at+".states", "%q is not one of the 32 state codes (ISO 3166-2:MX)%s", c, of)
				continue
			}
			st.states = append(st.states, c)
		}
		for _, n := range s.Nationalities {
			if !isCountryCode(n) {
				fe.Add(at+".nationalities", "%q is not an ISO 3166-1 alpha-2 country code (two capital letters)%s", n, of)
				continue
			}
			st.nationalities = append(st.nationalities, n)
		}
		out = append(out, st)
	}
	return out
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
