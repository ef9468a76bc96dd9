package models

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Concept is one occupation or skill of the vocabulary. The same concept carries labels
// in every language a migrant or an employer may write in, so that "albañil", "mason",
// "maçon" and "bòs mason" all lead to one place.
type Concept struct {
	// ID is a stable slug (lower-case letters, digits and underscores), e.g. "bricklayer";
	// profiles, vacancies and the search index refer to concepts by it.
	ID string `json:"id"`
	// ISCO is the ISCO-08 code: the 4-digit unit group for an occupation ("7112"); for a
	// skill, the unit group it belongs to most.
	ISCO string `json:"isco"`
	// Kind is "occupation" or "skill".
	Kind string `json:"kind"`
	// Sector is one of the sectors listed in Sectors.
	Sector string `json:"sector"`
	// Labels maps a language code (es, en, fr, ht) to its labels; the first is the
	// preferred label, the rest are synonyms. Accent-less variants are not needed
	// because matching folds accents.
	Labels map[string][]string `json:"labels"`
	// Related lists the IDs of closely related concepts (bricklayer ↔
	// construction_labourer), which ranking may count as a partial match.
	Related []string `json:"related,omitempty"`
	// ESCO is the URI of the ESCO v1.1.1 concept this one is: set in vocabulary.json for
	// Vincula's concepts attached to ESCO (their ESCO labels and links then join them),
	// and the concept's own URI for those that come from ESCO alone.
	ESCO string `json:"esco,omitempty"`

	// The fields below are filled in when the vocabulary is loaded, never written in
	// vocabulary.json.

	// Origin is OriginVincula for the concepts of vocabulary.json (attached to ESCO or
	// not) and OriginESCO for those that come from ESCO alone.
	Origin string `json:"-"`
	// SINCO lists the SINCO 2019 unit groups INEGI's table maps the ISCO-08 unit group
	// to (occupations only).
	SINCO []string `json:"-"`
	// Essential and Optional are the IDs of the skills ESCO links to an occupation.
	Essential []string `json:"-"`
	Optional  []string `json:"-"`
}

// The origins of a concept.
const (
	OriginVincula = "vincula"
	OriginESCO    = "esco"
)

// The two kinds of concept.
const (
	ConceptOccupation = "occupation"
	ConceptSkill      = "skill"
)

// Sectors lists the sectors a concept may belong to, in the order reports show them.
var Sectors = []string{
	"construction", "agriculture", "manufacturing", "food_processing", "hospitality",
	"cleaning", "care", "driving", "warehousing", "retail", "security", "textiles", "other",
}

// Vocabulary is a parsed, validated set of concepts with an index from folded labels
// (and word sequences) to concept IDs. It is read-only once built and safe for
// concurrent use.
type Vocabulary struct {
	version string
	// concepts holds Vincula's own concepts (the first own of them, in file order) and
	// then ESCO's.
	concepts []Concept
	own      int
	byID     map[string]int
	byURI    map[string]int
	// index maps every folded label, and every leading word sequence of a multi-word
	// label, to what it is, so that multi-word labels are matched as whole word
	// sequences and the longest one wins. The keys are 64-bit FNV-1a hashes of the
	// folded words (see labelHash): a map without pointers, which the collector does
	// not scan, and looked up word by word without building strings. Two of its
	// half-million keys colliding, or a text's words hitting a key by chance, is a
	// chance of about one in 10^13.
	index map[uint64]labelEntry
	// entries are the folded labels for Search, as offsets into folded (arena while
	// the vocabulary is built).
	entries []searchEntry
	folded  string
	arena   []byte
	// For the concepts from ESCO alone, their labels (en, es, fr, each list joined by
	// "|"; index i-own) and, for every occupation, its ESCO links as concept indices:
	// kept out of Concept until a copy is asked for, so that the collector has few
	// pointers to follow in the vocabulary.
	packed              [][3]string
	essential, optional [][]int32
	esco                *escoTables
	// words indexes entries by word; Search builds it once, on first use.
	wordsOnce sync.Once
	words     *wordIndex
}

// labelEntry is what a folded word sequence is: the label of concept id (-1 when it is
// none's) and whether longer labels start with it.
type labelEntry struct {
	id   int32
	more bool
}

// vocabularyFile is the shape of the embedded JSON file.
type vocabularyFile struct {
	Version  string    `json:"version"`
	Concepts []Concept `json:"concepts"`
}

//go:embed vocabulary.json
var vocabularyJSON []byte

var (
	defaultVocabularyOnce sync.Once
	defaultVocabulary     *Vocabulary
)

// DefaultVocabulary returns the vocabulary shipped in the binary, parsed once: Vincula's
// own concepts (vocabulary.json) on top of ESCO's occupations and skills with their
// links, the ISCO-08 groups and INEGI's SINCO 2019 table (esco.tsv.gz). It panics if an
// embedded file is broken, which a test guards against, because a binary without
// its vocabulary cannot rank anyone.
func DefaultVocabulary() *Vocabulary {
	defaultVocabularyOnce.Do(func() {
		v, err := LoadVocabulary(vocabularyJSON)
		if err != nil {
			panic(fmt.Sprintf("models: embedded vocabulary.json: %v", err))
		}
		if err := v.addESCO(escoFile); err != nil {
			panic(fmt.Sprintf("models: embedded esco.tsv.gz: %v", err))
		}
		defaultVocabulary = v
	})
	return defaultVocabulary
}

// LoadVocabulary parses and validates a vocabulary file. It is strict, because a silent
// mistake in the data (a label pointing at two concepts, a typo in a sector) would skew
// every ranking: unknown fields, duplicate IDs, empty labels, a label naming two concepts
// in one language, a malformed ISCO code, an unknown kind or sector and a Related ID that
// names no concept are all refused. The error is a models.ErrInvalid *Error listing every
// problem, each under the concept it concerns.
func LoadVocabulary(data []byte) (*Vocabulary, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var file vocabularyFile
	if err := dec.Decode(&file); err != nil {
		return nil, Errorf(ErrInvalid, "invalid vocabulary: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Errorf(ErrInvalid, "invalid vocabulary: data after the top-level object")
	}
	if len(file.Concepts) == 0 {
		return nil, Errorf(ErrInvalid, "invalid vocabulary: no concepts")
	}

	v := &Vocabulary{
		version:  file.Version,
		concepts: file.Concepts,
		own:      len(file.Concepts),
		byID:     make(map[string]int, len(file.Concepts)),
		byURI:    map[string]int{},
		index:    map[uint64]labelEntry{},
	}
	var fe FieldErrors
	for i, c := range file.Concepts {
		name := fmt.Sprintf("concepts[%d]", i)
		switch {
		case c.ID == "":
			fe.Add(name+".id", "is empty")
			continue
		case !isSlug(c.ID):
			fe.Add(name+".id", "%q must be lower-case letters, digits and underscores", c.ID)
			continue
		}
		if _, dup := v.byID[c.ID]; dup {
			fe.Add(c.ID+".id", "is a duplicate ID")
			continue
		}
		v.byID[c.ID] = i
		v.concepts[i].Origin = OriginVincula
		if c.ESCO != "" {
			if !strings.HasPrefix(c.ESCO, escoOccupationURI) && !strings.HasPrefix(c.ESCO, escoSkillURI) {
				fe.Add(c.ID+".esco", "%q is not an ESCO occupation or skill URI", c.ESCO)
			} else if other, dup := v.byURI[c.ESCO]; dup {
				fe.Add(c.ID+".esco", "%s is already attached to %s", c.ESCO, file.Concepts[other].ID)
			} else {
				v.byURI[c.ESCO] = i
			}
		}
		if !ValidISCO(c.ISCO) {
			fe.Add(c.ID+".isco", "must be 1 to 4 digits, got %q", c.ISCO)
		}
		if c.Kind != ConceptOccupation && c.Kind != ConceptSkill {
			fe.Add(c.ID+".kind", "must be %q or %q, got %q", ConceptOccupation, ConceptSkill, c.Kind)
		}
		if !slices.Contains(Sectors, c.Sector) {
			fe.Add(c.ID+".sector", "unknown sector %q", c.Sector)
		}
		for _, lang := range []string{"es", "en"} {
			if _, ok := c.Labels[lang]; !ok {
				fe.Add(c.ID+".labels."+lang, "is missing: every concept needs es and en labels")
			}
		}
	}

	// Labels are checked after every ID is known, language by language in a fixed
	// order, so the same file always yields the same errors.
	owner := map[string]map[string]string{} // lang → folded label → concept ID
	for i, c := range file.Concepts {
		if j, ok := v.byID[c.ID]; !ok || j != i {
			continue // a missing or duplicate ID, already reported
		}
		for _, lang := range sortedKeys(c.Labels) {
			field := c.ID + ".labels." + lang
			if !isLanguageCode(lang) {
				fe.Add(field, "%q is not an ISO 639 language code", lang)
				continue
			}
			if owner[lang] == nil {
				owner[lang] = map[string]string{}
			}
			if len(c.Labels[lang]) == 0 {
				fe.Add(field, "has no labels")
				continue
			}
			for j, label := range c.Labels[lang] {
				folded := Fold(label)
				if folded == "" {
					fe.Add(field, "has an empty label")
					continue
				}
				if other, taken := owner[lang][folded]; taken && other != c.ID {
					fe.Add(field, "label %q also names %q", label, other)
					continue
				}
				owner[lang][folded] = c.ID
				v.insert(folded, i, lang, j == 0)
			}
		}
		for _, rel := range c.Related {
			switch _, ok := v.byID[rel]; {
			case rel == c.ID:
				fe.Add(c.ID+".related", "names the concept itself")
			case !ok:
				fe.Add(c.ID+".related", "names %q, which is not a concept", rel)
			}
		}
	}
	if len(fe) > 0 {
		return nil, &Error{Kind: ErrInvalid, Message: "invalid vocabulary", Fields: fe}
	}
	v.folded = string(v.arena)
	return v, nil
}

// insert records that the folded label names concept i and adds it to the labels Search
// reads. The first concept to claim a label keeps it: the same folded label may appear
// in two languages for two concepts, and file order then decides, so that Match is
// deterministic. It reports whether the label was free.
func (v *Vocabulary) insert(folded string, i int, lang string, preferred bool) bool {
	v.entries = append(v.entries, searchEntry{off: uint32(len(v.arena)), n: uint32(len(folded)), concept: int32(i), lang: langIndex(lang), preferred: preferred})
	v.arena = append(v.arena, folded...)
	free := true
	h := uint64(fnvOffset)
	for k := 0; k <= len(folded); k++ {
		if k < len(folded) && folded[k] != ' ' {
			h = fnvByte(h, folded[k])
			continue
		}
		e, ok := v.index[h]
		if !ok {
			e.id = -1
		}
		switch {
		case k < len(folded):
			e.more = true
		case e.id < 0:
			e.id = int32(i)
		default:
			free = int(e.id) == i
		}
		v.index[h] = e
		if k < len(folded) {
			h = fnvByte(h, ' ')
		}
	}
	return free
}

// longest returns the concept named by the longest label that starts at words[pos]
// and the position just past it; id is -1 when no label starts there. At equal length
// the word as written beats its de-pluralised forms. h is the hash of the words before
// pos that lead here, followed by a space (fnvOffset at the start of a label).
func (v *Vocabulary) longest(words []string, pos int, h uint64) (id int32, end int) {
	id, end = -1, pos
	if pos == len(words) {
		return id, end
	}
	w := words[pos]
	for f, n := range wordForms(w) {
		k := h
		for j := 0; j < n; j++ {
			k = fnvByte(k, w[j])
		}
		if f > 0 && n == len(w) {
			continue
		}
		e, ok := v.index[k]
		if !ok {
			continue
		}
		if e.id >= 0 && pos+1 > end {
			id, end = e.id, pos+1
		}
		if e.more {
			if cid, cend := v.longest(words, pos+1, fnvByte(k, ' ')); cid >= 0 && cend > end {
				id, end = cid, cend
			}
		}
	}
	return id, end
}

// FNV-1a, 64 bits, for the label index.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

// wordForms returns the lengths of the word as written and of the cheap singular forms
// a plural may come from ("albaniles" → "albanil", "welders" → "welder"): the forms are
// its prefixes of those lengths. Short words keep their final "s" so that "gas" or "bus"
// do not become other words.
func wordForms(w string) [3]int {
	forms := [3]int{len(w), len(w), len(w)}
	if len(w) > 3 && strings.HasSuffix(w, "s") {
		forms[1] = len(w) - 1
	}
	if len(w) > 4 && strings.HasSuffix(w, "es") {
		forms[2] = len(w) - 2
	}
	return forms
}

// Version is the version string of the vocabulary file. The search index records it so
// that a changed vocabulary (new synonyms) triggers a rebuild.
func (v *Vocabulary) Version() string { return v.version }

// Concepts returns Vincula's own concepts (those of vocabulary.json, attached to ESCO or
// not) in file order; the concepts that come from ESCO alone are reached through Match,
// Concept and Search. The result is a copy: changing it does not change the vocabulary.
func (v *Vocabulary) Concepts() []Concept {
	out := make([]Concept, v.own)
	for i := range out {
		out[i] = v.conceptAt(i)
	}
	return out
}

// Concept returns the concept with the given ID (a copy), and whether there is one.
func (v *Vocabulary) Concept(id string) (Concept, bool) {
	i, ok := v.byID[id]
	if !ok {
		return Concept{}, false
	}
	return v.conceptAt(i), true
}

// Match returns the IDs of the concepts mentioned in free text, in order of first
// appearance and without duplicates. The text is folded with Fold, so case, accents and
// punctuation do not matter; labels match whole words only ("masonry" does not mention
// "mason"), multi-word labels match as whole word sequences, the longest label wins at
// each position, and a plural ending ("-s", "-es") is tried off when the word as
// written names nothing.
func (v *Vocabulary) Match(text string) []string {
	words := strings.Fields(Fold(text))
	var ids []string
	for pos := 0; pos < len(words); {
		i, end := v.longest(words, pos, fnvOffset)
		if i < 0 {
			pos++
			continue
		}
		if id := v.concepts[i].ID; !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		pos = end
	}
	return ids
}

// Label returns the preferred label of a concept in lang, falling back to Spanish and
// then English (every concept has both); it returns "" for an unknown ID.
func (v *Vocabulary) Label(id, lang string) string {
	i, ok := v.byID[id]
	if !ok {
		return ""
	}
	labels := v.labelsOf(i)
	for _, l := range []string{lang, "es", "en"} {
		if len(labels[l]) > 0 {
			return labels[l][0]
		}
	}
	return ""
}

// ISCOCloseness says how close two ISCO-08 codes are, from the shared leading digits of
// the hierarchy: 1 for the same 4-digit unit group, 0.75 for the same minor group (3
// digits), 0.5 for the same sub-major group (2), 0.25 for the same major group (1), and
// 0 otherwise or when either code is empty or not 1 to 4 digits.
func ISCOCloseness(a, b string) float64 {
	if !ValidISCO(a) || !ValidISCO(b) {
		return 0
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	if n == 4 {
		return 1
	}
	// Two equal codes shorter than four digits only share their stated groups.
	return float64(n) * 0.25
}

// SkillLevelOneOrTwo reports whether an ISCO-08 code is in a major group of skill level
// 1 or 2 (4 clerks to 9 elementary occupations), where trades are learnt on the job or
// in a short training, as opposed to managers, professionals and technicians (1 to 3)
// and the armed forces (0).
func SkillLevelOneOrTwo(code string) bool {
	return ValidISCO(code) && code[0] >= '4' && code[0] <= '9'
}

// conceptAt returns a copy of concept i with its packed labels and links filled in.
func (v *Vocabulary) conceptAt(i int) Concept {
	c := v.concepts[i].clone()
	if v.concepts[i].Labels == nil {
		c.Labels = v.labelsOf(i)
	}
	ids := func(links [][]int32) []string {
		if i >= len(links) || len(links[i]) == 0 {
			return nil
		}
		out := make([]string, len(links[i]))
		for k, j := range links[i] {
			out[k] = v.concepts[j].ID
		}
		return out
	}
	c.Essential, c.Optional = ids(v.essential), ids(v.optional)
	return c
}

// labelsOf returns the labels of concept i: its own, or its packed ESCO labels.
func (v *Vocabulary) labelsOf(i int) map[string][]string {
	if v.concepts[i].Labels != nil || i < v.own || i-v.own >= len(v.packed) {
		return v.concepts[i].Labels
	}
	out := make(map[string][]string, 3)
	for l, joined := range v.packed[i-v.own] {
		if joined != "" {
			out[escoLanguages[l]] = strings.Split(joined, "|")
		}
	}
	return out
}

func (c Concept) clone() Concept {
	out := c
	out.Labels = make(map[string][]string, len(c.Labels))
	for lang, labels := range c.Labels {
		out.Labels[lang] = slices.Clone(labels)
	}
	out.Related = slices.Clone(c.Related)
	out.SINCO = slices.Clone(c.SINCO)
	out.Essential = slices.Clone(c.Essential)
	out.Optional = slices.Clone(c.Optional)
	return out
}

// ValidISCO accepts ISCO-08 codes of 1 to 4 digits (a major group down to a unit group).
func ValidISCO(s string) bool {
	if len(s) < 1 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isSlug(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return s != ""
}

// isLanguageCode accepts the 2- or 3-letter lower-case ISO 639 codes the API uses.
func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
