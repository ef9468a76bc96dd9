// Command gendata writes generated Vincula data as JSON Lines, one record a line, for
// inspection or for loading elsewhere: optionally the employers, then the candidates,
// then the vacancies. The same flags always print the same bytes.
//
//	go run ./scripts/datagen/cmd/gendata -seed 7 -candidates 1000 -vacancies 100 -today 2026-01-15
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gendata", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "seed of the data set")
	candidates := fs.Int("candidates", 10, "number of candidates to write")
	vacancies := fs.Int("vacancies", 10, "number of vacancies to write")
	employers := fs.Bool("employers", false, "also write the employers, before the candidates")
	today := fs.String("today", datagen.DefaultToday.String(), "reference date, YYYY-MM-DD")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := models.ParseDate(*today)
	if err != nil {
		return err
	}
	g := datagen.New(datagen.Config{Seed: *seed, Today: day, Candidates: *candidates})

	w := bufio.NewWriterSize(stdout, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if *employers {
		for _, e := range g.Employers() {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
	}
	for i := range *candidates {
		if err := enc.Encode(g.Candidate(i)); err != nil {
			return err
		}
	}
	for i := range *vacancies {
		if err := enc.Encode(g.Vacancy(i)); err != nil {
			return err
		}
	}
	return w.Flush()
}
