package search

import (
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/vincula/vincula/models"
)

// MappingVersion names the shape of the index: the mapping, the analyzer and the way
// documents are built from records. Change it whenever any of them changes; an index
// recorded with another version is thrown away and rebuilt from the database on Open.
// The vocabulary version is added to it (see Index.Version), because new synonyms
// change the concepts field of existing documents.
const MappingVersion = "search/4"

// Field names of the index. Only what a query filters or scores on is indexed, and
// only the hash and a candidate's match entry are stored.
const (
	fieldType         = "type"
	fieldText         = "text"
	fieldConcepts     = "concepts"
	fieldState        = "state"
	fieldRelocate     = "relocate"
	fieldPreferred    = "preferred_states"
	fieldWorkStates   = "work_states"
	fieldWorkUntil    = "work_until"
	fieldWorkEmployer = "work_employer"
	fieldSearchable   = "searchable"
	fieldLanguages    = "languages"
	fieldStatus       = "status"
	fieldEmployer     = "employer_id"
	fieldHash         = "hash"
	// fieldMatch is the stored, unindexed copy of a candidate's entry in the
	// in-memory candidate set (candidateEntry.encode), read back by Open.
	fieldMatch = "match"
)

// Names of the analysis components registered in the mapping.
const (
	textAnalyzer  = "vincula_text"
	stopTokenMap  = "vincula_stop_words"
	stopFilter    = "vincula_stop"
	anyTerm       = "*" // the work_states / work_employer term that means "no restriction"
	yesTerm       = "yes"
	noTerm        = "no"
	candidateType = string(models.ChangeCandidate)
	vacancyType   = string(models.ChangeVacancy)
)

// newMapping returns the explicit mapping of the index. The default mapping is off, so
// a field that is not listed here is never indexed: a personal field added to a record
// cannot leak into search by accident.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.DefaultMapping.Enabled = false
	im.DefaultMapping.Dynamic = false
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.TypeField = fieldType
	im.DefaultType = "" // documents without a known type are not indexed at all
	im.DefaultAnalyzer = keyword.Name

	if err := im.AddCustomTokenMap(stopTokenMap, map[string]any{
		"type":   tokenmap.Name,
		"tokens": stopWords(),
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter(stopFilter, map[string]any{
		"type":           stop.Name,
		"stop_token_map": stopTokenMap,
	}); err != nil {
		return nil, err
	}
	// asciifolding runs before the tokenizer, so "Albañil", "ALBANIL" and "albañil"
	// all become "albanil"; stop words are removed because a vacancy's whole
	// description is used as a query, and "de", "la" or "the" would otherwise match,
	// and make bleve score, nearly every profile.
	if err := im.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, stopFilter},
	}); err != nil {
		return nil, err
	}

	cand := bleve.NewDocumentStaticMapping()
	cand.AddFieldMappingsAt(fieldType, keywordField())
	cand.AddFieldMappingsAt(fieldText, textField())
	cand.AddFieldMappingsAt(fieldConcepts, keywordField())
	cand.AddFieldMappingsAt(fieldState, keywordField())
	cand.AddFieldMappingsAt(fieldRelocate, keywordField())
	cand.AddFieldMappingsAt(fieldPreferred, keywordField())
	cand.AddFieldMappingsAt(fieldWorkStates, keywordField())
	cand.AddFieldMappingsAt(fieldWorkUntil, numericField())
	cand.AddFieldMappingsAt(fieldWorkEmployer, keywordField())
	cand.AddFieldMappingsAt(fieldSearchable, keywordField())
	cand.AddFieldMappingsAt(fieldLanguages, keywordField())
	cand.AddFieldMappingsAt(fieldHash, hashField())
	cand.AddFieldMappingsAt(fieldMatch, hashField())
	im.AddDocumentMapping(candidateType, cand)

	vac := bleve.NewDocumentStaticMapping()
	vac.AddFieldMappingsAt(fieldType, keywordField())
	vac.AddFieldMappingsAt(fieldText, textField())
	vac.AddFieldMappingsAt(fieldConcepts, keywordField())
	vac.AddFieldMappingsAt(fieldState, keywordField())
	vac.AddFieldMappingsAt(fieldStatus, keywordField())
	vac.AddFieldMappingsAt(fieldEmployer, keywordField())
	vac.AddFieldMappingsAt(fieldHash, hashField())
	im.AddDocumentMapping(vacancyType, vac)

	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

// The field defaults of bleve store the value, keep term vectors and doc values and feed
// _all; the queries here need none of that (no highlighting, phrases, sorting on fields
// or facets), and each costs disk, memory and indexing time.

func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = textAnalyzer
	lean(f)
	return f
}

func keywordField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	lean(f)
	return f
}

func numericField() *mapping.FieldMapping {
	f := bleve.NewNumericFieldMapping()
	lean(f)
	return f
}

// hashField is stored and not indexed: Snapshot (and Open, for the match field) reads
// it back, no query looks at it.
func hashField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	lean(f)
	f.Index = false
	f.Store = true
	return f
}

func lean(f *mapping.FieldMapping) {
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
}

// stopWords returns the Spanish and English stop words, folded the way the analyzer
// folds text, because the stop filter runs after asciifolding ("está" arrives as
// "esta").
func stopWords() []any {
	seen := map[string]bool{}
	for _, list := range [][]byte{es.SpanishStopWords, en.EnglishStopWords} {
		tm := analysis.NewTokenMap()
		if err := tm.LoadBytes(list); err != nil {
			continue // the lists are compiled into bleve; a parse error cannot happen
		}
		for w := range tm {
			// The raw form keeps contractions such as "don't", which the tokenizer
			// leaves whole and Fold would split.
			seen[w] = true
			if f := models.Fold(w); f != "" && !containsSpace(f) {
				seen[f] = true
			}
		}
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	out := make([]any, len(words))
	for i, w := range words {
		out[i] = w
	}
	return out
}

func containsSpace(s string) bool {
	return slices.Contains([]byte(s), ' ')
}
