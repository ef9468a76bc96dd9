// Command vocabgen writes the compact vocabulary file Vincula embeds (models/esco.tsv.gz)
// from the public classifications. Point it at the project's vocab-sources directory, or
// name each file (ESCO's own downloads work too):
//
//	go run ./scripts/vocabgen/cmd/vocabgen -sources ../shared/vocab-sources -o models/esco.tsv.gz
//	go run ./scripts/vocabgen/cmd/vocabgen -classification classification-en-csv.zip -relations relations-csv.zip ...
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/vincula/vincula/scripts/vocabgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "vocabgen:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("vocabgen", flag.ContinueOnError)
	dir := fs.String("sources", "", "a directory laid out as ../shared/vocab-sources (each file flag below overrides it)")
	out := fs.String("o", "models/esco.tsv.gz", "output file")
	var s vocabgen.Sources
	fs.StringVar(&s.Classification, "classification", "", "ESCO v1.1.1 English CSV export (zip)")
	fs.StringVar(&s.Relations, "relations", "", "ESCO v1.1.1 relations CSV export (zip)")
	fs.StringVar(&s.OccupationsFR, "occupations-fr", "", "ESCO v1.1.1 occupations_fr.csv[.gz]")
	fs.StringVar(&s.ISCOGroupsFR, "isco-fr", "", "ESCO v1.1.1 ISCOGroups_fr.csv[.gz]")
	fs.StringVar(&s.OccupationsES, "occupations-es", "", "ESCO occupations_es.csv[.gz]")
	fs.StringVar(&s.SkillsES, "skills-es", "", "ESCO skills_es.csv[.gz]")
	fs.StringVar(&s.ISCOGroupsES, "isco-es", "", "ESCO ISCOGroups_es.csv[.gz]")
	fs.StringVar(&s.SkillsFR, "skills-fr", "", "ESCO skills_fr.csv[.gz]")
	fs.StringVar(&s.SINCO, "sinco", "", "INEGI SINCO 2019 ↔ ISCO-08 table (CSV)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	src := s
	if *dir != "" {
		def := vocabgen.SourcesIn(*dir)
		for _, p := range []struct {
			v *string
			d string
		}{
			{&src.Classification, def.Classification}, {&src.Relations, def.Relations},
			{&src.OccupationsFR, def.OccupationsFR}, {&src.ISCOGroupsFR, def.ISCOGroupsFR},
			{&src.OccupationsES, def.OccupationsES}, {&src.SkillsES, def.SkillsES},
			{&src.ISCOGroupsES, def.ISCOGroupsES}, {&src.SkillsFR, def.SkillsFR}, {&src.SINCO, def.SINCO},
		} {
			if *p.v == "" {
				*p.v = p.d
			}
		}
	}
	data, err := vocabgen.Generate(src)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}
