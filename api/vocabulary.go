package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// vocabularyRoutes are the look-ups behind clients' and the console's autocomplete:
// occupations and skills by what people call them, with their ESCO, ISCO-08 and
// SINCO 2019 codes.
func (s *Server) vocabularyRoutes() []route {
	query := []string{"q", "lang", "limit"}
	return []route{
		{method: "GET", path: "/api/v1/vocabulary/occupations", summary: "Occupations whose labels match q (es, en, fr, ht; accent- and case-insensitive; exact, prefix and word matches, ranked) with their ESCO URI, ISCO-08 and SINCO 2019 codes",
			roles: models.Roles, handle: s.vocabularyOccupations, response: listResponse[vocabularyItem]{}, query: query},
		{method: "GET", path: "/api/v1/vocabulary/skills", summary: "Skills whose labels match q (es, en, fr, ht; accent- and case-insensitive; exact, prefix and word matches, ranked) with their ESCO URI and the ISCO-08 and SINCO 2019 groups they belong to most",
			roles: models.Roles, handle: s.vocabularySkills, response: listResponse[vocabularyItem]{}, query: query},
	}
}

// vocabularyItem is one result of a vocabulary look-up.
type vocabularyItem struct {
	// ID is the concept's ID in Vincula (what the search index and ranking use).
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Label is the preferred label in the language asked for (Spanish, then English,
	// when the concept has none in it); Matched is the label the query matched.
	Label   string `json:"label"`
	Matched string `json:"matched"`
	// Origin is "vincula" for Vincula's own concepts (attached to ESCO or not) and
	// "esco" for those that come from ESCO alone.
	Origin  string `json:"origin"`
	ESCOURI string `json:"esco_uri,omitempty"`
	// ISCO08 is the ISCO-08 unit group (for a skill, the one its occupations belong to
	// most), with its label.
	ISCO08      string `json:"isco08,omitempty"`
	ISCO08Label string `json:"isco08_label,omitempty"`
	// SINCO2019 are the SINCO 2019 unit groups INEGI's table maps the ISCO-08 group to.
	SINCO2019 []models.SINCOGroup `json:"sinco2019"`
	// Labels holds the preferred label in each language the concept has one in.
	Labels map[string]string `json:"labels"`
}

func (s *Server) vocabularyOccupations(c *gin.Context) {
	s.vocabularySearch(c, models.ConceptOccupation)
}

func (s *Server) vocabularySkills(c *gin.Context) { s.vocabularySearch(c, models.ConceptSkill) }

// vocabularyLangs are the languages ?lang= takes.
var vocabularyLangs = []string{"es", "en", "fr", "ht"}

const defaultVocabularyLimit = 10

func (s *Server) vocabularySearch(c *gin.Context, kind string) {
	var fe models.FieldErrors
	q := queryTextOf(c, &fe)
	switch {
	case len(q) > models.MaxVocabularyQuery:
		fe.Add("q", "is %d bytes long; a vocabulary look-up takes at most %d", len(q), models.MaxVocabularyQuery)
	case models.Fold(q) == "" && len(fe) == 0:
		fe.Add("q", "is required: a word or the start of one")
	}
	lang := c.Query("lang")
	if lang != "" && !slices.Contains(vocabularyLangs, lang) {
		fe.Add("lang", "must be one of es, en, fr, ht")
	}
	limit := defaultVocabularyLimit
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > models.MaxVocabularyLimit {
			fe.Add("limit", "must be a whole number from 1 to %d", models.MaxVocabularyLimit)
		}
		limit = n
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	v := s.vocab
	hits := v.Search(q, lang, kind, limit)
	items := make([]vocabularyItem, 0, len(hits))
	for _, h := range hits {
		k, ok := v.Concept(h.ID)
		if !ok {
			s.writeError(c, fmt.Errorf("vocabulary: hit %s is not a concept", h.ID))
			return
		}
		label := lang
		if label == "" {
			label = "es"
		}
		item := vocabularyItem{ID: k.ID, Kind: k.Kind, Label: v.Label(k.ID, label), Matched: h.Matched,
			Origin: k.Origin, ESCOURI: k.ESCO, ISCO08: k.ISCO, SINCO2019: []models.SINCOGroup{}, Labels: map[string]string{}}
		if name, ok := v.ISCOGroup(k.ISCO, label); ok {
			item.ISCO08Label = name
		}
		for _, code := range v.SINCOOfISCO(k.ISCO) {
			if g, ok := v.SINCO(code); ok {
				item.SINCO2019 = append(item.SINCO2019, g)
			}
		}
		for _, l := range vocabularyLangs {
			if ls := k.Labels[l]; len(ls) > 0 {
				item.Labels[l] = ls[0]
			}
		}
		items = append(items, item)
	}
	s.respond(c, http.StatusOK, newList(items, false, ""))
}
