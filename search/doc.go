// Package search is Vincula's bleve index of candidates and vacancies: an explicit
// mapping, an accent-folding analyzer, multilingual concepts from the shared
// vocabulary, the queries that narrow matching down to a few hundred profiles, and the
// follower that keeps the index current from the database's change feed.
//
// Beside the bleve index, each Index holds the candidates as roaring bitmaps in memory
// (concepts, analysed words, filter terms), kept in step with the bleve documents and
// loaded from them on Open. A vacancy's matches, which share a concept with thousands
// of profiles, and scored ad-hoc searches, whose words do too, are answered from those
// bitmaps with bleve's relevance reproduced, because bleve scores every match it
// finds; filter-only searches, in ID order, still go to bleve.
//
// The index is a rebuildable copy of the database. It holds only what search needs:
// skills, job titles, concepts and coarse filter terms, never document numbers,
// contact details, CURP, nationality, gender or birth date. Its filters are a
// superset of legal eligibility: callers re-check every hit against the database
// record with the eligibility engine.
package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// WorkSpan is the superset of where and until when a candidate may work, from the
// eligibility engine, which the caller runs: search does not import matching.
type WorkSpan struct {
	// AllStates is true when some document allows work in every state.
	AllStates bool
	// States lists the states where some document could allow work.
	States []string
	// Until is the last day any document could allow work; zero means no expiry.
	// A span with no states at all allows work nowhere, whatever Until says.
	Until models.Date
	// NeedsEmployer is set when the only documents that allow work are permits naming
	// this employer.
	NeedsEmployer string
}

// DocRef names one document of the index: a candidate or a vacancy by its ID.
type DocRef struct {
	Entity models.ChangeEntity
	ID     string
}

// Key is the document ID inside the index, "candidate/ID" or "vacancy/ID"; one index
// holds both types, so the type is part of the key.
func (r DocRef) Key() string { return string(r.Entity) + "/" + r.ID }

// Doc is the searchable, non-personal view of a candidate or a vacancy. Build it with
// CandidateDoc or VacancyDoc; nothing else from a record reaches the index.
type Doc struct {
	Ref DocRef
	// Text is the free text that is analysed and scored: skill names, job titles and
	// desired occupations of a candidate; title, description and skills of a vacancy.
	Text []string
	// Concepts are the vocabulary concept IDs mentioned in Text (and named by an
	// occupation code), so that words in different languages meet.
	Concepts []string
	// State is the candidate's current state or the vacancy's state.
	State string

	// The candidate's fields. Searchable is true for an active candidate who consents
	// to share the profile; only those are returned by SearchCandidates. Relocate and
	// PreferredStates are indexed for location filters to come; Languages holds ISO
	// 639 codes; Span becomes the work_states, work_until and work_employer terms.
	Searchable      bool
	Relocate        bool
	PreferredStates []string
	Languages       []string
	Span            WorkSpan

	// The vacancy's fields.
	Status     models.VacancyStatus
	EmployerID string
}

// CandidateDoc builds the index document of a candidate whose eligibility engine
// span is span. It reads only skills, experience titles and occupation codes, desired
// occupations, the current and preferred states, the willingness to relocate,
// language codes, status and consent.
func CandidateDoc(c *models.Candidate, span WorkSpan) Doc {
	vocab := models.DefaultVocabulary()
	d := Doc{
		Ref:             DocRef{Entity: models.ChangeCandidate, ID: c.ID},
		State:           c.CurrentState,
		Searchable:      c.Status == models.CandidateActive && c.Consent.ShareProfile,
		Relocate:        c.WillingToRelocate,
		PreferredStates: sortedSet(c.PreferredStates),
		Span: WorkSpan{
			AllStates:     span.AllStates,
			States:        sortedSet(span.States),
			Until:         span.Until,
			NeedsEmployer: span.NeedsEmployer,
		},
	}
	var concepts []string
	addText := func(s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		d.Text = append(d.Text, s)
		// Each piece is matched on its own so that a label never spans two skills.
		concepts = append(concepts, vocab.Match(s)...)
	}
	for _, s := range c.Skills {
		addText(s.Name)
	}
	for _, e := range c.Experience {
		addText(e.Title)
		concepts = append(concepts, occupationsWithISCO(e.OccupationCode)...)
	}
	for _, o := range c.DesiredOccupations {
		addText(o)
	}
	d.Concepts = sortedSet(concepts)
	langs := make([]string, 0, len(c.Languages))
	for _, l := range c.Languages {
		langs = append(langs, strings.ToLower(strings.TrimSpace(l.Code)))
	}
	d.Languages = sortedSet(langs)
	return d
}

// VacancyDoc builds the index document of a vacancy.
func VacancyDoc(v *models.Vacancy) Doc {
	vocab := models.DefaultVocabulary()
	d := Doc{
		Ref:        DocRef{Entity: models.ChangeVacancy, ID: v.ID},
		State:      v.State,
		Status:     v.Status,
		EmployerID: v.EmployerID,
	}
	var concepts []string
	addText := func(s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		d.Text = append(d.Text, s)
		concepts = append(concepts, vocab.Match(s)...)
	}
	addText(v.Title)
	addText(v.Description)
	for _, s := range v.Skills {
		addText(s.Name)
	}
	concepts = append(concepts, occupationsWithISCO(v.OccupationCode)...)
	d.Concepts = sortedSet(concepts)
	return d
}

// fields is the document as bleve indexes it, and hash is a digest of exactly that,
// so two documents with the same hash are indexed identically. match is a candidate's
// encoded entry of the in-memory candidate set (stored, so that Open can load the set),
// "" for a vacancy; it is part of the digest, so that Snapshot compares it too.
func (d *Doc) fields(match string) (fields map[string]any, hash string) {
	m := map[string]any{
		fieldType:     string(d.Ref.Entity),
		fieldText:     nonNil(d.Text),
		fieldConcepts: nonNil(d.Concepts),
	}
	if d.State != "" {
		m[fieldState] = d.State
	}
	switch d.Ref.Entity {
	case models.ChangeCandidate:
		m[fieldSearchable] = yesNo(d.Searchable)
		m[fieldRelocate] = yesNo(d.Relocate)
		m[fieldPreferred] = nonNil(d.PreferredStates)
		m[fieldLanguages] = nonNil(d.Languages)
		// A span without states allows work nowhere: such a profile gets no work
		// terms, so any state or date filter leaves it out.
		if states := workStateTerms(d.Span); len(states) > 0 {
			m[fieldWorkStates] = states
			m[fieldWorkUntil] = untilValue(d.Span.Until)
			employer := anyTerm
			if d.Span.NeedsEmployer != "" {
				employer = d.Span.NeedsEmployer
			}
			m[fieldWorkEmployer] = employer
		}
	case models.ChangeVacancy:
		if d.Status != "" {
			m[fieldStatus] = string(d.Status)
		}
		if d.EmployerID != "" {
			m[fieldEmployer] = d.EmployerID
		}
	}
	if match != "" {
		m[fieldMatch] = match
	}
	// encoding/json writes map keys in sorted order, so the digest is canonical.
	b, err := json.Marshal(m)
	if err != nil {
		// Only strings, string slices and a float are in m; Marshal cannot fail.
		panic("search: marshal document: " + err.Error())
	}
	sum := sha256.Sum256(b)
	hash = hex.EncodeToString(sum[:16])
	m[fieldHash] = hash
	return m, hash
}

// workStateTerms returns the terms of work_states: "*" alone when the span covers every
// state, so that a query for any state matches it with one extra term instead of the
// profile carrying 32 terms.
func workStateTerms(s WorkSpan) []string {
	if s.AllStates {
		return []string{anyTerm}
	}
	states := sortedSet(s.States)
	valid := 0
	for _, st := range states {
		if models.ValidState(st) {
			valid++
		}
	}
	if valid == len(models.States) {
		return []string{anyTerm}
	}
	return states
}

// neverExpires is the work_until value of a span without an end; it is later than
// the month of any date a query can carry.
const neverExpires = 9999*12 + 11

// untilValue buckets a date by month: a range filter over a few hundred distinct
// months costs bleve far fewer terms than one over every day, and a month is still a
// superset of the exact day (eligibility is re-checked on each hit).
func untilValue(d models.Date) float64 {
	if d.IsZero() {
		return neverExpires
	}
	return float64(monthIndex(d))
}

func monthIndex(d models.Date) int {
	t := d.Time()
	return t.Year()*12 + int(t.Month()) - 1
}

// occupationsByISCO maps an ISCO-08 code to the occupation concepts with that code,
// built once from the shipped vocabulary, which is immutable.
var occupationsByISCO = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, c := range models.DefaultVocabulary().Concepts() {
		if c.Kind == models.ConceptOccupation {
			m[c.ISCO] = append(m[c.ISCO], c.ID)
		}
	}
	return m
})

// occupationsWithISCO returns the occupations of an occupation_code: an ISCO-08 code, or
// a SINCO 2019 one through the ISCO-08 unit groups INEGI's table maps it to.
func occupationsWithISCO(code string) []string {
	if strings.TrimSpace(code) == "" {
		return nil
	}
	codes := models.DefaultVocabulary().ISCOCodes(code)
	if len(codes) == 1 {
		return occupationsByISCO()[codes[0]]
	}
	var out []string
	for _, c := range codes {
		out = append(out, occupationsByISCO()[c]...)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return yesTerm
	}
	return noTerm
}

// sortedSet returns the distinct non-empty values of s in sorted order, so that the
// same record always yields the same document and the same hash.
func sortedSet(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
