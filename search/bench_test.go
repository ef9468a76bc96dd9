package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

// Skill phrases and job titles of the generated profiles: vocabulary labels in four
// languages mixed with free text the vocabulary does not know.
var (
	benchSkills = []string{
		"albañil", "colado de concreto", "lectura de planos", "soldador", "soldadura de arco",
		"pintor de casas", "plomería", "instalación eléctrica", "carpintero", "tablaroca",
		"manejo de montacargas", "limpieza de oficinas", "atención al cliente", "cocinero",
		"ayudante de cocina", "mesero", "cajero", "costura industrial", "máquina de coser",
		"jornalero agrícola", "corte de café", "cosecha de fresa", "empacador", "almacenista",
		"chofer de tráiler", "licencia federal", "cuidado de adultos mayores", "niñera",
		"guardia de seguridad", "control de accesos", "mecánico automotriz", "hojalatero",
		"trabajo en equipo", "turno nocturno", "computación básica", "excel", "inglés",
		"mason", "bricklayer", "welder", "forklift operator", "cook", "housekeeping",
		"maçon", "soudeur", "cuisinier", "bòs mason", "koutiryè", "travayè agrikòl",
		"reparación de celulares", "corte de cabello", "manejo de herramientas",
		"mantenimiento de edificios", "acabados finos", "obra negra", "impermeabilización",
	}
	benchTitles = []string{
		"Ayudante general", "Oficial albañil", "Operador de producción", "Cocinero",
		"Jornalero", "Costurera", "Guardia", "Chofer", "Mesero", "Almacenista",
		"Peón de obra", "Soldador", "Pintor", "Electricista", "Carpintero", "Bricklayer",
		"Machine operator", "Farm worker", "Travayè konstriksyon", "Ouvrier agricole",
	}
	benchSouth = []string{"MX-CHP", "MX-CAM", "MX-TAB", "MX-ROO"}
)

// benchCandidate generates a profile and its work span; the mix of spans roughly
// follows who registers at the southern hubs.
func benchCandidate(rng *rand.Rand, i int) (models.Candidate, WorkSpan) {
	c := candidate(fmt.Sprintf("c%06d", i))
	for range 3 + rng.IntN(6) {
		c.Skills = append(c.Skills, models.CandidateSkill{Name: benchSkills[rng.IntN(len(benchSkills))]})
	}
	for range 1 + rng.IntN(3) {
		c.Experience = append(c.Experience, models.Experience{Title: benchTitles[rng.IntN(len(benchTitles))], Years: float64(rng.IntN(10))})
	}
	c.DesiredOccupations = []string{benchTitles[rng.IntN(len(benchTitles))]}
	if rng.IntN(3) == 0 {
		c.CurrentState = models.States[rng.IntN(len(models.States))].Code
	} else {
		c.CurrentState = benchSouth[rng.IntN(len(benchSouth))]
	}
	c.Languages = []models.LanguageSkill{{Code: "es", Level: "B1"}}
	if rng.IntN(4) == 0 {
		c.Languages = append(c.Languages, models.LanguageSkill{Code: "ht", Level: "native"})
	}
	if rng.IntN(10) == 0 {
		c.Consent.ShareProfile = false
	}
	until := func() models.Date { return models.MustDate("2025-06-01").AddDays(rng.IntN(1300)) }
	var span WorkSpan
	switch p := rng.IntN(100); {
	case p < 35: // permanent or humanitarian visa
		span.AllStates = true
		if rng.IntN(5) < 3 {
			span.Until = until()
		}
	case p < 60: // COMAR claim: one state
		span.States = []string{models.States[rng.IntN(len(models.States))].Code}
		span.Until = until()
	case p < 75: // border worker visa
		span.States = benchSouth
		span.Until = until()
	case p < 85: // permit naming one employer
		span.AllStates = true
		span.Until = until()
		span.NeedsEmployer = fmt.Sprintf("emp-%d", rng.IntN(500))
	default: // no document that allows work
	}
	return c, span
}

// BenchmarkSearchCandidates measures the vacancy → candidates query over 100,000
// generated profiles in an on-disk index (built once, about half a minute):
//
//	go test ./search/ -run '^$' -bench BenchmarkSearchCandidates -benchtime 200x
func BenchmarkSearchCandidates(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	ix := benchIndex(b, n)

	// The api queries with a vacancy's title and skills; a whole advertisement, with its
	// boilerplate, is the costlier case.
	const (
		titleAndSkills = "Oficial albañil colado de concreto lectura de planos acabados"
		wholeAd        = "Se solicita oficial albañil con experiencia en obra negra y acabados, colado de concreto " +
			"y lectura de planos. Ofrecemos transporte, comedor y prestaciones de ley."
	)
	onDate := models.MustDate("2026-09-01")
	queries := []struct {
		name string
		q    CandidateQuery
	}{
		{"text+state+date", CandidateQuery{Text: titleAndSkills, WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 50}},
		{"whole-ad+state+date", CandidateQuery{Text: wholeAd, WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 50}},
		{"state+date", CandidateQuery{WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 50}},
	}
	for _, qq := range queries {
		b.Run(qq.name, func(b *testing.B) {
			res, err := ix.SearchCandidates(ctx, qq.q)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := ix.SearchCandidates(ctx, qq.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Total), "matches")
		})
	}
}

// waitForMerges waits until scorch has persisted every in-memory segment and the
// number of file segments has stopped changing, because merging after a bulk load
// competes with the queries for the two cores.
func waitForMerges(b *testing.B, ix *Index) {
	b.Helper()
	start := time.Now()
	last, stable := -1.0, 0
	for time.Since(start) < 2*time.Minute {
		stats, _ := ix.bi.StatsMap()["index"].(map[string]any)
		mem, _ := stats["num_root_memorysegments"].(uint64)
		files, _ := stats["num_root_filesegments"].(uint64)
		if mem == 0 && float64(files) == last {
			stable++
			if stable == 10 {
				b.Logf("merges settled at %d file segments after %s", files, time.Since(start).Round(time.Millisecond))
				return
			}
		} else {
			stable = 0
		}
		last = float64(files)
		time.Sleep(200 * time.Millisecond)
	}
	b.Log("merges did not settle within 2 minutes")
}

// benchIndex indexes n generated profiles (benchCandidate, seeded alike every time) into
// an on-disk index in a temporary directory, waits for bleve's merges to stop, and
// closes the index when the benchmark ends.
func benchIndex(b *testing.B, n int) *Index {
	b.Helper()
	ctx := context.Background()
	ix, _, err := Open(filepath.Join(b.TempDir(), "index"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]Doc, 0, rebuildBatch)
	for i := range n {
		c, span := benchCandidate(rng, i)
		docs = append(docs, CandidateDoc(&c, span))
		if len(docs) == rebuildBatch || i == n-1 {
			if err := ix.Apply(ctx, docs, nil, -1); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	b.Logf("indexed %d candidates in %s", n, time.Since(start).Round(time.Millisecond))
	waitForMerges(b, ix)
	return ix
}
