package matching

import (
	"strings"

	"github.com/vincula/vincula/models"
)

// Profile is a candidate's side of a score, worked out once: what Scorer.Score reads of
// the candidate (skills, experience, desired occupations, languages, location,
// relocation, availability), with its vocabulary look-ups done. Scorer.Score scores
// through a Profile, so ScoreProfile of a candidate's Profile is exactly its Score, and
// a rule added to the score is added to both. A Profile holds nothing Score may not
// read: no name, nationality, gender, birth date, CURP, contact or document.
type Profile struct {
	evidence   []evidence
	experience []pastJob
	languages  []spokenLanguage
	// state is the current state in upper case; municipality is folded.
	state, municipality string
	// municipalityName is the municipality as written, for the notes staff read.
	municipalityName string
	relocate         bool
	preferred        []string // upper case
	availableFrom    models.Date
}

// pastJob is one experience entry as the experience part reads it.
type pastJob struct {
	years float64
	// codes are the ISCO codes of the concepts in its title, then its occupation code.
	codes []string
	// concepts are the concepts named in its title.
	concepts []string
	folded   string
}

// spokenLanguage is a language by its canonical code, at the best level given for it.
type spokenLanguage struct {
	code string
	rank int
}

// NewProfile works out the Profile of candidate c (a nil vocab means
// models.DefaultVocabulary). It is safe for concurrent use.
func NewProfile(c *models.Candidate, vocab *models.Vocabulary) *Profile {
	if vocab == nil {
		vocab = models.DefaultVocabulary()
	}
	return profileOf(c, &lexicon{vocab: vocab, concepts: map[string]models.Concept{}, matches: map[string][]string{}})
}

func profileOf(c *models.Candidate, lx *lexicon) *Profile {
	p := &Profile{
		evidence:         candidateEvidence(c, lx),
		state:            strings.ToUpper(strings.TrimSpace(c.CurrentState)),
		municipality:     models.Fold(c.Municipality),
		municipalityName: strings.TrimSpace(c.Municipality),
		relocate:         c.WillingToRelocate,
		availableFrom:    c.AvailableFrom,
	}
	for _, x := range c.Experience {
		// An occupation code of either scheme stands for its ISCO-08 groups.
		codes := append(lx.codes(x.Title), lx.vocab.ISCOCodes(x.OccupationCode)...)
		p.experience = append(p.experience, pastJob{years: x.Years, codes: codes, concepts: lx.vocab.Match(x.Title), folded: models.Fold(x.Title)})
	}
	for _, l := range c.Languages {
		code, rank := models.CanonicalLanguageCode(l.Code), levelRank(l.Level)
		found := false
		for i := range p.languages {
			if p.languages[i].code == code {
				found = true
				p.languages[i].rank = max(p.languages[i].rank, rank)
			}
		}
		if !found {
			p.languages = append(p.languages, spokenLanguage{code, rank})
		}
	}
	for _, s := range c.PreferredStates {
		p.preferred = append(p.preferred, strings.ToUpper(strings.TrimSpace(s)))
	}
	return p
}

// spokenAt returns the best level rank the candidate speaks code at.
func (p *Profile) spokenAt(code string) (int, bool) {
	for _, l := range p.languages {
		if l.code == code {
			return l.rank, true
		}
	}
	return 0, false
}
