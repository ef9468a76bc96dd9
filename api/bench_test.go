package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// benchToday is the reference day of the benchmark data.
var benchToday = models.NewDate(2026, 11, 22)

// benchData returns a store and an index holding n generated candidates (and n/50
// vacancies), built once into a directory under the system temp dir and reused by
// later runs with the same size.
func benchData(b *testing.B, n int) (*store.Store, *search.Index, []models.Vacancy) {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("vincula-bench-%d", n))
	ready := filepath.Join(dir, "ready")
	g := datagen.New(datagen.Config{Seed: 1, Today: benchToday, Candidates: n})
	nv := max(n/50, 200)
	if _, err := os.Stat(ready); err != nil {
		os.RemoveAll(dir)
		st, err := store.Open(ctx, store.Config{SQLitePath: filepath.Join(dir, "vincula.db"), Key: storetest.Key})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := st.BulkCreateEmployers(ctx, g.Employers()); err != nil {
			b.Fatal(err)
		}
		for lo := 0; lo < n; lo += 10000 {
			var cs []models.Candidate
			for i := lo; i < min(lo+10000, n); i++ {
				cs = append(cs, g.Candidate(i))
			}
			if err := st.BulkCreateCandidates(ctx, cs); err != nil {
				b.Fatal(err)
			}
		}
		var vs []models.Vacancy
		for i := 0; i < nv; i++ {
			vs = append(vs, g.Vacancy(i))
		}
		if err := st.BulkCreateVacancies(ctx, vs); err != nil {
			b.Fatal(err)
		}
		loaded := time.Since(start)
		ix, _, err := search.Open(filepath.Join(dir, "index"), search.Options{})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if err := search.Rebuild(ctx, ix, st, workSpan, nil); err != nil {
			b.Fatal(err)
		}
		b.Logf("built benchmark data for %d candidates: database %s, index %s", n, loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		ix.Close()
		st.Close()
		if err := os.WriteFile(ready, nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(ctx, store.Config{SQLitePath: filepath.Join(dir, "vincula.db"), Key: storetest.Key})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	start := time.Now()
	ix, info, err := search.Open(filepath.Join(dir, "index"), search.Options{})
	if err != nil || info.Rebuilt {
		b.Fatalf("open the benchmark index: %v %s (remove %s to rebuild)", err, info.Reason, dir)
	}
	// Open loads the in-memory candidate set from the index's stored entries.
	b.Logf("opened the index of %d candidates in %s", n, time.Since(start).Round(time.Millisecond))
	b.Cleanup(func() { ix.Close() })
	var open []models.Vacancy
	for i := 0; i < nv; i++ {
		if v := g.Vacancy(i); v.Status == models.VacancyOpen {
			open = append(open, v)
		}
	}
	return st, ix, open
}

// BenchmarkVacancyMatches measures the service call the match handler makes (index
// query, exact eligibility, database fetch, scoring) for the first page of 20, one
// request at a time, over the generated vacancies in turn. It reports p50 and p99.
//
//	go test ./api -run '^$' -bench VacancyMatches -benchtime 300x
//	VINCULA_BENCH_CANDIDATES=1000000 go test ./api -run '^$' -bench VacancyMatches -benchtime 300x -timeout 60m
func BenchmarkVacancyMatches(b *testing.B) {
	n := 100000
	if s := os.Getenv("VINCULA_BENCH_CANDIDATES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	st, ix, vacancies := benchData(b, n)
	m := api.NewMatcher(st, ix, nil, nil)
	ctx := context.Background()
	start := time.Now()
	if err := m.Ranking().Load(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded the ranking's copy of %d candidates in %s", n, time.Since(start).Round(time.Millisecond))
	// The heap a server holds for the data: the index (with its candidate set), the
	// ranking's copy of the records and the database's caches, after a collection.
	var mem runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&mem)
	// Warm the caches the way a running server has them warm.
	for _, v := range vacancies[:min(20, len(vacancies))] {
		if _, _, err := m.CandidatesFor(ctx, v, benchToday, "", 20); err != nil {
			b.Fatal(err)
		}
	}
	took := make([]time.Duration, 0, b.N)
	found := 0
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := vacancies[i%len(vacancies)]
		start := time.Now()
		items, _, err := m.CandidatesFor(ctx, v, benchToday, "", 20)
		took = append(took, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		found += len(items)
	}
	b.StopTimer()
	reportLatencies(b, took, cpu)
	b.ReportMetric(float64(found)/float64(b.N), "hits/op")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MiB")
	if kib, ok := peakRSS(); ok {
		b.ReportMetric(float64(kib)/1024, "peak-rss-MiB")
	}
}

// BenchmarkCandidateSearch measures GET /api/v1/candidates/search through the handler
// (text: a vacancy's title, filter: its state; first page of 20, JSON included), one
// request at a time, as the bench's HTTP load asks it. It reports p50 and p99.
//
//	go test ./api -run '^$' -bench CandidateSearch -benchtime 300x
func BenchmarkCandidateSearch(b *testing.B) {
	n := 100000
	if s := os.Getenv("VINCULA_BENCH_CANDIDATES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	st, ix, vacancies := benchData(b, n)
	const token = "bench-admin"
	srv, err := api.New(st, api.Config{Index: ix, AdminToken: token,
		Now: func() time.Time { return benchToday.Time().Add(18 * time.Hour) }}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	h := srv.Handler()
	paths := make([]string, len(vacancies))
	for i, v := range vacancies {
		paths[i] = "/api/v1/candidates/search?" + url.Values{"q": {v.Title}, "state": {v.State}}.Encode()
	}
	get := func(path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	for _, p := range paths[:min(20, len(paths))] {
		get(p)
	}
	took := make([]time.Duration, 0, b.N)
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		get(paths[i%len(paths)])
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	reportLatencies(b, took, cpu)
}

// reportLatencies reports the CPU time a request (from cpu, the process's CPU time at
// the start) and the p50 and p99 of took. CPU time (both cores, the collector
// included) hardly moves when other work shares the machine, unlike the latencies.
func reportLatencies(b *testing.B, took []time.Duration, cpu time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
}

// peakRSS is the process's peak resident memory in KiB (VmHWM, Linux only); it
// includes building the data when the benchmark did.
func peakRSS() (int, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kib, err == nil
		}
	}
	return 0, false
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
