package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vincula/vincula/models"
)

// fullCandidate fills every field of a profile, personal ones included.
func fullCandidate() models.Candidate {
	given := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	years := 6.0
	return models.Candidate{
		ID:                 "cand-1",
		FullName:           "Wislande Jean-Baptiste Toussaint",
		Nationality:        "HTI",
		BirthDate:          models.MustDate("1991-04-17"),
		Gender:             "F",
		Phone:              "+52 962 555 0147",
		Email:              "wislande.toussaint@example.org",
		CURP:               "JETW910417MNEXSS05",
		CurrentState:       "MX-CHP",
		Municipality:       "Tapachula",
		Hub:                "tapachula",
		WillingToRelocate:  true,
		PreferredStates:    []string{"MX-NLE"},
		Languages:          []models.LanguageSkill{{Code: "ht", Level: "native"}, {Code: "es", Level: "B1"}},
		Skills:             []models.CandidateSkill{{Name: "Costura industrial", Years: &years}},
		Experience:         []models.Experience{{Title: "Operadora de máquina de coser", OccupationCode: "8153", Years: 6, Country: "HTI"}},
		EducationLevel:     "secondary",
		AvailableFrom:      models.MustDate("2026-02-01"),
		DesiredOccupations: []string{"costurera"},
		Consent:            models.Consent{ShareProfile: true, GivenAt: &given},
		Documents: []models.Document{{
			ID: "doc-1", Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH88231407",
			IssuedOn: models.MustDate("2025-01-10"), ExpiresOn: models.MustDate("2026-01-09"),
			Verified: true, VerifiedBy: "staff-7",
		}},
		Status: models.CandidateActive,
	}
}

func TestPersonalDataIsNotIndexed(t *testing.T) {
	ix := newMemIndex(t)
	c := fullCandidate()
	doc := CandidateDoc(&c, WorkSpan{AllStates: true, Until: models.MustDate("2026-01-09")})
	if err := ix.Apply(context.Background(), []Doc{doc}, nil, 1); err != nil {
		t.Fatal(err)
	}
	// The profile is there and findable by what may be searched.
	if got := searchCandidates(t, ix, CandidateQuery{Text: "costura"}); len(got) != 1 {
		t.Fatalf("the profile itself is not found: %v", got)
	}

	secrets := map[string]string{
		"document number": "TVRH88231407",
		"document type":   "visitante_razones_humanitarias",
		"document ID":     "doc-1",
		"verifier":        "staff-7",
		"phone":           "+52 962 555 0147",
		"phone digits":    "5550147",
		"email":           "wislande.toussaint@example.org",
		"email user":      "wislande",
		"CURP":            "JETW910417MNEXSS05",
		"nationality":     "HTI",
		"gender":          "F",
		"birth date":      "1991-04-17",
		"birth year":      "1991",
		"full name":       "Toussaint",
		"given name":      "Wislande",
		"municipality":    "Tapachula",
	}

	fields, err := ix.bi.Fields()
	if err != nil {
		t.Fatal(err)
	}
	terms := allTerms(t, ix, fields)
	for what, secret := range secrets {
		t.Run(what, func(t *testing.T) {
			// No indexed term, in any field, equals or contains the value folded.
			needle := strings.ToLower(models.Fold(secret))
			for _, term := range terms {
				if strings.Contains(term.term, needle) || strings.Contains(strings.ToLower(secret), term.term) && len(term.term) > 2 && !isFilterTerm(term.term) {
					t.Errorf("field %q holds term %q, from %s %q", term.field, term.term, what, secret)
				}
			}
			// And no query on any field finds the profile by it.
			for _, f := range fields {
				for _, q := range []query.Query{matchIn(f, secret), termIn(f, secret), termIn(f, strings.ToLower(secret))} {
					res, err := ix.bi.Search(bleve.NewSearchRequest(q))
					if err != nil {
						t.Fatalf("search %s in %s: %v", secret, f, err)
					}
					if res.Total != 0 {
						t.Errorf("searching %s %q in field %q finds the profile", what, secret, f)
					}
				}
			}
		})
	}

	t.Run("stored fields", func(t *testing.T) {
		d, err := ix.bi.Document(doc.Ref.Key())
		if err != nil || d == nil {
			t.Fatalf("Document: %v", err)
		}
		d.VisitFields(func(f index.Field) {
			// The hash and the candidate set's entry (concepts, analysed skill words,
			// filter terms) are the only stored values; neither may hold a secret.
			if f.Name() != fieldHash && f.Name() != fieldMatch && f.Name() != "_id" {
				t.Errorf("field %q is stored", f.Name())
			}
			for what, secret := range secrets {
				if strings.Contains(strings.ToLower(string(f.Value())), strings.ToLower(secret)) && len(secret) > 2 {
					t.Errorf("stored field %q holds the %s", f.Name(), what)
				}
			}
		})
	})
}

type fieldTerm struct{ field, term string }

// allTerms lists every term of every indexed field.
func allTerms(t *testing.T, ix *Index, fields []string) []fieldTerm {
	t.Helper()
	var out []fieldTerm
	for _, f := range fields {
		dict, err := ix.bi.FieldDict(f)
		if err != nil {
			t.Fatalf("FieldDict(%s): %v", f, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatalf("FieldDict(%s).Next: %v", f, err)
			}
			if e == nil {
				break
			}
			out = append(out, fieldTerm{f, e.Term})
		}
		_ = dict.Close()
	}
	if len(out) == 0 {
		t.Fatal("the index has no terms at all")
	}
	return out
}

// isFilterTerm reports the short codes the filters legitimately hold, which may occur
// inside a secret by chance ("es" in an e-mail address).
func isFilterTerm(s string) bool {
	switch s {
	case "yes", "candidate", "mx-chp", "mx-nle":
		return true
	}
	return false
}

func matchIn(field, text string) query.Query {
	m := query.NewMatchQuery(text)
	m.SetField(field)
	m.Analyzer = textAnalyzer
	return m
}

func termIn(field, text string) query.Query {
	q := query.NewTermQuery(text)
	q.SetField(field)
	return q
}
