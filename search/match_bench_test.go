package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

// BenchmarkMatchCandidates measures a vacancy's match query on the in-memory candidate
// set alone, filled directly (without bleve, so that 1,000,000 profiles take seconds),
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
