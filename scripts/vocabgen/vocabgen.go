// Package vocabgen turns the public classifications (ESCO v1.1.1 in English and French,
// the Spanish and French labels of an earlier ESCO release joined by concept URI, and
// INEGI's SINCO 2019 ↔ ISCO-08 table) into the compact vocabulary file Vincula embeds
// (models/esco.tsv.gz). The output is deterministic: the same inputs give the same bytes,
// which a test checks against the committed file.
//
// The file is gzip-compressed UTF-8 text, one record a line, fields separated by tabs,
// lists inside a field by "|" (labels, the first being the preferred one) or "," (codes
// and skill positions):
//
//	#	comment lines (format, sources, attributions)
//	V	version
//	G	ISCO-08 code	label en	label es	label fr             (every ISCO-08 group)
//	M	SINCO 2019 code	title	ISCO-08 unit groups                 (INEGI's table)
//	K	uuid	k|s	labels en	labels es	labels fr                (skills and knowledge)
//	O	uuid	ISCO-08	ESCO code	labels en	labels es	labels fr	essential	optional
//
// The uuid is the last part of the concept's ESCO URI. Skill records come before
// occupations; an occupation's essential and optional skills are the 0-based positions of
// K records, ascending. Vincula's IDs for the concepts are derived (see SkillID and
// OccupationID), so that the file holds nothing twice.
package vocabgen

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Version names the generated file; the search index records it, so a regenerated
// vocabulary triggers a rebuild.
const Version = "esco-1.1.1+sinco-2019.1"

// Sources are the input files. Each is a .csv file, a .csv.gz file, or a .zip archive
// holding the named CSV.
type Sources struct {
	Classification string // ESCO v1.1.1 English CSV export (zip): occupations_en, skills_en, ISCOGroups_en
	Relations      string // ESCO v1.1.1 relations (zip): occupationSkillRelations
	OccupationsFR  string // ESCO v1.1.1 occupations_fr
	ISCOGroupsFR   string // ESCO v1.1.1 ISCOGroups_fr
	OccupationsES  string // earlier ESCO release: occupations_es
	SkillsES       string // earlier ESCO release: skills_es
	ISCOGroupsES   string // earlier ESCO release: ISCOGroups_es
	SkillsFR       string // earlier ESCO release: skills_fr
	SINCO          string // INEGI SINCO 2019 ↔ ISCO-08 (CSV: sinco2019, sinco_titulo, ciuo08, ...)
}

// SourcesIn returns the sources as laid out in the project's vocab-sources directory.
func SourcesIn(dir string) Sources {
	j := func(p ...string) string { return filepath.Join(append([]string{dir}, p...)...) }
	return Sources{
		Classification: j("esco-1.1.1", "classification-en-csv.zip"),
		Relations:      j("esco-1.1.1", "relations-csv.zip"),
		OccupationsFR:  j("esco-1.1.1", "occupations_fr.csv.gz"),
		ISCOGroupsFR:   j("esco-1.1.1", "ISCOGroups_fr.csv.gz"),
		OccupationsES:  j("esco-older-es-fr", "occupations_es.csv.gz"),
		SkillsES:       j("esco-older-es-fr", "skills_es.csv.gz"),
		ISCOGroupsES:   j("esco-older-es-fr", "ISCOGroups_es.csv.gz"),
		SkillsFR:       j("esco-older-es-fr", "skills_fr.csv.gz"),
		SINCO:          j("sinco-2019", "sinco2019_isco08.csv"),
	}
}

const (
	occupationPrefix = "http://data.europa.eu/esco/occupation/"
	skillPrefix      = "http://data.europa.eu/esco/skill/"
)

// table is a CSV file read into rows addressed by column name.
type table struct {
	cols map[string]int
	rows [][]string
}

func (t *table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

// readTable reads member (e.g. "occupations_en.csv") from path.
func readTable(path, member string) (*table, error) {
	data, err := readFile(path, member)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	t := &table{cols: map[string]int{}, rows: records[1:]}
	for i, c := range records[0] {
		t.cols[strings.TrimSpace(c)] = i
	}
	return t, nil
}

func readFile(path, member string) ([]byte, error) {
	switch {
	case strings.HasSuffix(path, ".zip"):
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		for _, f := range zr.File {
			if filepath.Base(f.Name) == member {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				defer rc.Close()
				return io.ReadAll(rc)
			}
		}
		return nil, fmt.Errorf("%s: no %s in the archive", path, member)
	case strings.HasSuffix(path, ".gz"):
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		return io.ReadAll(zr)
	}
	return os.ReadFile(path)
}

// clean makes a label safe for the format: no tabs, bars or line breaks, single spaces.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '|', '\n', '\r':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// labels returns the preferred label then the alt labels (one a line in ESCO's CSV),
// cleaned and without duplicates.
func labels(pref, alts string) []string {
	var out []string
	add := func(s string) {
		if s = clean(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(pref)
	for _, a := range strings.Split(alts, "\n") {
		add(a)
	}
	return out
}

// SkillID is Vincula's ID of an ESCO skill: "esco_s_" and the first 10 hex digits of its
// uuid (the generator refuses a release where two skills share them).
func SkillID(uuid string) string {
	hex := strings.ReplaceAll(uuid, "-", "")
	return "esco_s_" + hex[:min(10, len(hex))]
}

// OccupationID is Vincula's ID of an ESCO occupation: "esco_o_" and its ESCO code with
// underscores for dots ("7212.3.3" → "esco_o_7212_3_3").
func OccupationID(code string) string { return "esco_o_" + strings.ReplaceAll(code, ".", "_") }

type concept struct {
	id, uuid, kind, isco, code string
	labels                     [3][]string // en, es, fr
	essential, optional        []int
}

// Generate reads the sources and returns the gzip-compressed vocabulary file.
func Generate(src Sources) ([]byte, error) {
	occEN, err := readTable(src.Classification, "occupations_en.csv")
	if err != nil {
		return nil, err
	}
	skEN, err := readTable(src.Classification, "skills_en.csv")
	if err != nil {
		return nil, err
	}
	iscoEN, err := readTable(src.Classification, "ISCOGroups_en.csv")
	if err != nil {
		return nil, err
	}
	rel, err := readTable(src.Relations, "occupationSkillRelations.csv")
	if err != nil {
		return nil, err
	}
	other := map[string]*table{}
	for name, p := range map[string][2]string{
		"occFR": {src.OccupationsFR, "occupations_fr.csv"}, "iscoFR": {src.ISCOGroupsFR, "ISCOGroups_fr.csv"},
		"occES": {src.OccupationsES, "occupations_es.csv"}, "skES": {src.SkillsES, "skills_es.csv"},
		"iscoES": {src.ISCOGroupsES, "ISCOGroups_es.csv"}, "skFR": {src.SkillsFR, "skills_fr.csv"},
	} {
		if other[name], err = readTable(p[0], p[1]); err != nil {
			return nil, err
		}
	}
	// byURI maps a concept URI to its labels in a translated table.
	byURI := func(t *table) map[string][]string {
		m := map[string][]string{}
		for _, r := range t.rows {
			if uri := strings.TrimSpace(t.get(r, "conceptUri")); uri != "" {
				m[uri] = labels(t.get(r, "preferredLabel"), t.get(r, "altLabels"))
			}
		}
		return m
	}
	iscoLabels := func(t *table) map[string]string {
		m := map[string]string{}
		for _, r := range t.rows {
			code := strings.TrimSpace(t.get(r, "code"))
			if code == "" {
				code = strings.TrimPrefix(strings.TrimSpace(t.get(r, "conceptUri")), "http://data.europa.eu/esco/isco/C")
			}
			m[code] = clean(t.get(r, "preferredLabel"))
		}
		return m
	}

	// Skills linked to at least one occupation, with the links.
	type link struct{ occ, skill, kind string }
	var links []link
	linked := map[string]bool{}
	for _, r := range rel.rows {
		l := link{rel.get(r, "occupationUri"), rel.get(r, "skillUri"), rel.get(r, "relationType")}
		if l.kind != "essential" && l.kind != "optional" {
			return nil, fmt.Errorf("relations: unknown relation type %q", l.kind)
		}
		links = append(links, l)
		linked[l.skill] = true
	}

	skES, skFR := byURI(other["skES"]), byURI(other["skFR"])
	var skills []*concept
	skillIDs := map[string]bool{}
	for _, r := range skEN.rows {
		uri := strings.TrimSpace(skEN.get(r, "conceptUri"))
		if !linked[uri] || !strings.HasPrefix(uri, skillPrefix) {
			continue
		}
		uuid := strings.TrimPrefix(uri, skillPrefix)
		c := &concept{uuid: uuid, id: SkillID(uuid), kind: "s"}
		if skEN.get(r, "skillType") == "knowledge" {
			c.kind = "k"
		}
		if skillIDs[c.id] {
			return nil, fmt.Errorf("skills: two skills share the ID %s", c.id)
		}
		skillIDs[c.id] = true
		c.labels = [3][]string{labels(skEN.get(r, "preferredLabel"), skEN.get(r, "altLabels")), skES[uri], skFR[uri]}
		skills = append(skills, c)
	}
	slices.SortStableFunc(skills, func(a, b *concept) int { return strings.Compare(a.uuid, b.uuid) })
	skillPos := map[string]int{}
	for i, s := range skills {
		skillPos[skillPrefix+s.uuid] = i
	}

	occFR, occES := byURI(other["occFR"]), byURI(other["occES"])
	var occs []*concept
	occByURI := map[string]*concept{}
	codes := map[string]bool{}
	for _, r := range occEN.rows {
		uri := strings.TrimSpace(occEN.get(r, "conceptUri"))
		if !strings.HasPrefix(uri, occupationPrefix) {
			continue
		}
		code := strings.TrimSpace(occEN.get(r, "code"))
		c := &concept{uuid: strings.TrimPrefix(uri, occupationPrefix), kind: "o", code: code,
			isco: strings.TrimSpace(occEN.get(r, "iscoGroup")), id: OccupationID(code)}
		if code == "" || codes[code] {
			return nil, fmt.Errorf("occupations: %s has an empty or duplicate code %q", uri, code)
		}
		codes[code] = true
		c.labels = [3][]string{labels(occEN.get(r, "preferredLabel"), occEN.get(r, "altLabels")), occES[uri], occFR[uri]}
		occs = append(occs, c)
		occByURI[uri] = c
	}
	slices.SortFunc(occs, func(a, b *concept) int { return strings.Compare(a.code, b.code) })
	for _, l := range links {
		o, ok := occByURI[l.occ]
		p, ok2 := skillPos[l.skill]
		if !ok || !ok2 {
			continue // a link to a concept the export does not list
		}
		if l.kind == "essential" {
			o.essential = append(o.essential, p)
		} else {
			o.optional = append(o.optional, p)
		}
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "#\tVincula vocabulary, generated by scripts/vocabgen from public classifications; do not edit.\n")
	fmt.Fprintf(&b, "#\tESCO v1.1.1 (English, French occupations) and an earlier ESCO release (Spanish, French skills): ESCO, European Commission, https://esco.ec.europa.eu (Commission Decision 2011/833/EU).\n")
	fmt.Fprintf(&b, "#\tSINCO 2019 ↔ ISCO-08 comparison table. Fuente: INEGI.\n")
	fmt.Fprintf(&b, "V\t%s\n", Version)

	en, es, fr := iscoLabels(iscoEN), iscoLabels(other["iscoES"]), iscoLabels(other["iscoFR"])
	groups := make([]string, 0, len(en))
	for code := range en {
		groups = append(groups, code)
	}
	slices.Sort(groups)
	for _, g := range groups {
		fmt.Fprintf(&b, "G\t%s\t%s\t%s\t%s\n", g, en[g], es[g], fr[g])
	}

	sinco, err := readSINCO(src.SINCO)
	if err != nil {
		return nil, err
	}
	b.WriteString(sinco)

	join := func(ls []string) string { return strings.Join(ls, "|") }
	ints := func(xs []int) string {
		slices.Sort(xs)
		xs = slices.Compact(xs)
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.Itoa(x)
		}
		return strings.Join(s, ",")
	}
	for _, s := range skills {
		fmt.Fprintf(&b, "K\t%s\t%s\t%s\t%s\t%s\n", s.uuid, s.kind, join(s.labels[0]), join(s.labels[1]), join(s.labels[2]))
	}
	for _, o := range occs {
		fmt.Fprintf(&b, "O\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.uuid, o.isco, o.code,
			join(o.labels[0]), join(o.labels[1]), join(o.labels[2]), ints(o.essential), ints(o.optional))
	}

	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// readSINCO returns the M records: each SINCO 2019 unit group with its title and the
// ISCO-08 unit groups INEGI's table maps it to, sorted by code.
func readSINCO(path string) (string, error) {
	t, err := readTable(path, filepath.Base(path))
	if err != nil {
		return "", err
	}
	titles := map[string]string{}
	iscos := map[string][]string{}
	for _, r := range t.rows {
		code, isco := strings.TrimSpace(t.get(r, "sinco2019")), strings.TrimSpace(t.get(r, "ciuo08"))
		if len(code) != 4 {
			continue
		}
		titles[code] = clean(t.get(r, "sinco_titulo"))
		if len(isco) == 4 && !slices.Contains(iscos[code], isco) {
			iscos[code] = append(iscos[code], isco)
		}
	}
	if len(titles) == 0 {
		return "", fmt.Errorf("%s: no SINCO 2019 unit groups", path)
	}
	codes := make([]string, 0, len(titles))
	for c := range titles {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var b strings.Builder
	for _, c := range codes {
		slices.Sort(iscos[c])
		fmt.Fprintf(&b, "M\t%s\t%s\t%s\n", c, titles[c], strings.Join(iscos[c], ","))
	}
	return b.String(), nil
}
