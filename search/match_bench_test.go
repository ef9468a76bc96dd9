package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

// BenchmarkMatchCandidates measures a vacancy's match query (and an ad-hoc search) on
// the in-memory candidate set alone, filled directly (without bleve, so that 1,000,000 profiles take seconds),
// and reports the set's heap size:
//
//	go test ./search/ -run '^$' -bench MatchCandidates -benchtime 200x
func BenchmarkMatchCandidates(b *testing.B) {
	ctx := context.Background()
	onDate := models.MustDate("2026-09-01")
	queries := []struct {
		name string
		q    CandidateQuery
	}{
		{"albanil", CandidateQuery{Text: "Oficial albañil colado de concreto lectura de planos acabados", Title: "Oficial albañil",
			WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 100}},
		{"broad", CandidateQuery{Text: "Ayudante general limpieza de oficinas trabajo en equipo manejo de herramientas", Title: "Ayudante general",
			WorkState: "MX-CHP", OnDate: onDate, EmployerID: "emp-7", Limit: 100}},
		{"no-filters", CandidateQuery{Text: "Soldador soldadura de arco", Title: "Soldador", Limit: 100}},
		// Ad-hoc searches (no title), as the API asks them: a window of 200.
		{"adhoc-title+state", CandidateQuery{Text: "Ayudante general", WorkState: "MX-CHP", OnDate: onDate, Limit: 200}},
		{"adhoc-skills+filters", CandidateQuery{Text: "Oficial albañil colado de concreto lectura de planos acabados",
			WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 200}},
	}
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ix, err := OpenMem()
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range n {
				c, span := benchCandidate(rng, i)
				d := CandidateDoc(&c, span)
				e := entryOf(&d, ix.analyzer)
				ix.cands.put(&e)
			}
			ix.cands.optimize()
			runtime.GC()
			runtime.ReadMemStats(&after)
			// A collection marks every pointer of the heap; the set should add few.
			start := time.Now()
			runtime.GC()
			b.Logf("%d candidates: the set takes %.0f MiB of heap in %d objects; a full collection takes %s",
				n, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), after.HeapObjects-before.HeapObjects, time.Since(start).Round(time.Millisecond))
			for _, qq := range queries {
				b.Run(qq.name, func(b *testing.B) {
					res, err := ix.matchCandidates(ctx, qq.q)
					if err != nil {
						b.Fatal(err)
					}
					cpu := cpuTime()
					for b.Loop() {
						if _, err := ix.matchCandidates(ctx, qq.q); err != nil {
							b.Fatal(err)
						}
					}
					// CPU time, unlike wall time, hardly moves when other work shares
					// the machine.
					b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
					b.ReportMetric(float64(res.Total), "matches")
				})
			}
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAdhocCandidates measures the ad-hoc candidate search (a text without a
// title, GET /api/v1/candidates/search) over generated profiles in an on-disk index
// (Apply fills bleve and the candidate set; 1,000,000 profiles take minutes), one
// query at a time, through SearchCandidates and through bleve alone, and reports
// p50 and p99 over the queries of each case:
//
//	go test ./search/ -run '^$' -bench AdhocCandidates -benchtime 100x -timeout 60m
func BenchmarkAdhocCandidates(b *testing.B) {
	ctx := context.Background()
	onDate := models.MustDate("2026-09-01")
	// The API asks with a vacancy's title and state, a window of 200 at a time.
	var titles []CandidateQuery
	for i, t := range benchTitles {
		titles = append(titles, CandidateQuery{Text: t, WorkState: benchSouth[i%len(benchSouth)], OnDate: onDate, Limit: 200})
	}
	cases := []struct {
		name    string
		queries []CandidateQuery
	}{
		{"titles+state", titles},
		{"skills+filters", []CandidateQuery{{Text: "Oficial albañil colado de concreto lectura de planos acabados",
			WorkState: "MX-NLE", OnDate: onDate, EmployerID: "emp-7", Limit: 200}}},
		{"one-word", []CandidateQuery{{Text: "soldador", Limit: 200}}},
		{"second-window", []CandidateQuery{{Text: "ayudante general", WorkState: "MX-CHP", OnDate: onDate, Offset: 200, Limit: 200}}},
	}
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ix := benchIndex(b, n)
			engines := []struct {
				name   string
				search func(context.Context, CandidateQuery) (Result, error)
			}{{"SearchCandidates", ix.SearchCandidates}, {"bleve", ix.searchCandidatesBleve}}
			for _, e := range engines {
				for _, cc := range cases {
					b.Run(e.name+"/"+cc.name, func(b *testing.B) {
						var matches uint64
						for _, q := range cc.queries {
							res, err := e.search(ctx, q)
							if err != nil {
								b.Fatal(err)
							}
							matches += res.Total
						}
						took := make([]time.Duration, 0, b.N)
						cpu := cpuTime()
						i := 0
						for b.Loop() {
							t := time.Now()
							if _, err := e.search(ctx, cc.queries[i%len(cc.queries)]); err != nil {
								b.Fatal(err)
							}
							took = append(took, time.Since(t))
							i++
						}
						b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
						slices.Sort(took)
						ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
						b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
						b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
						b.ReportMetric(float64(matches)/float64(len(cc.queries)), "matches")
					})
				}
			}
		})
	}
}
