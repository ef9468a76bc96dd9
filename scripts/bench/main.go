// Command bench compares Vincula's matching with the same query done by PostgreSQL
// full-text search alone (issue 7). It generates N candidates and N/50 vacancies with
// scripts/datagen, loads them into Vincula (a fresh PostgreSQL database through the
// store's bulk inserts, then the bleve index rebuilt from it) and into the peer (a
// second fresh database with a Spanish tsvector, a GIN index and the eligibility rules
// in SQL), runs the same open vacancies through both one at a time and with concurrent
// clients, drives the match and search endpoints of an in-process API server on
// loopback, and prints one markdown report. With -cpuprofile it also writes a CPU
// profile of Vincula's match path (api.Matcher.CandidatesFor) under load.
//
//	go run ./scripts/bench -candidates 100000 -cpuprofile /tmp/match.pprof
//
// `make bench` runs it (BENCH_CANDIDATES=1000000 make bench for a million).
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/scripts/datagen"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// benchToday is the reference day of the data and of every eligibility decision, so
// that runs on different days measure the same thing.
var benchToday = models.NewDate(2026, 11, 22)

// benchKey encrypts document numbers in Vincula's store; the data is synthetic.
var benchKey = []byte("vincula-bench-key-32-bytes-long!")

// config is the bench's flags.
type config struct {
	candidates   int
	seed         uint64
	serverURL    string
	vacancies    int
	clients      []int
	requests     int
	httpRequests int
	httpWorkers  int
	httpTimeout  time.Duration
	cpuProfile   string
	profileCalls int
	out          string
	note         string
	keep         bool
	chunk        int
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&c.candidates, "candidates", 100000, "how many candidates to generate (vacancies: a fiftieth of it, at least 200)")
	fs.Uint64Var(&c.seed, "seed", 1, "the data set (scripts/datagen seed)")
	fs.StringVar(&c.serverURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "URL of the PostgreSQL server's maintenance database; the bench creates and drops its own databases there")
	fs.IntVar(&c.vacancies, "vacancies", 200, "how many open vacancies to run through both engines")
	fs.IntVar(&c.requests, "requests", 400, "requests in each throughput run, shared evenly by its concurrent clients")
	fs.IntVar(&c.httpRequests, "http-requests", 400, "requests per endpoint in the HTTP load")
	fs.IntVar(&c.httpWorkers, "http-workers", 8, "concurrent workers in the HTTP load")
	fs.DurationVar(&c.httpTimeout, "http-timeout", 30*time.Second, "time limit of one HTTP request")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of Vincula's match path to this file")
	fs.IntVar(&c.profileCalls, "profile-calls", 400, "match calls made under the CPU profile (two at a time)")
	fs.StringVar(&c.out, "out", "", "also write the markdown report to this file")
	fs.StringVar(&c.note, "note", "", "a line about the checkout (commit, local changes) for the report")
	fs.BoolVar(&c.keep, "keep", false, "keep the databases and the index directory after the run")
	fs.IntVar(&c.chunk, "chunk", 10000, "candidates generated and inserted at a time")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.candidates < 100 || c.vacancies < 1 || c.requests < 1 || c.httpRequests < 1 || c.httpWorkers < 1 || c.chunk < 1 {
		return c, fmt.Errorf("bench: -candidates must be at least 100 and the counts positive")
	}
	c.clients = []int{2, 8}
	return c, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bench holds what the phases of one run share.
type bench struct {
	cfg    config
	g      *datagen.Generator
	admin  pgAdmin
	log    io.Writer
	quiet  *slog.Logger
	rep    *report
	vName  string
	pName  string
	vURL   string
	pURL   string
	dir    string
	open   []models.Vacancy
	nv     int
	closer []func()
	// truth is the true top 20 of a vacancy by brute force, for the sampled ones.
	truth func(ctx context.Context, v models.Vacancy) ([]string, error)
}

// truthEvery samples the vacancies whose first page is checked against brute force.
const truthEvery = 10

func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	b := &bench{
		cfg:   cfg,
		g:     datagen.New(datagen.Config{Seed: cfg.seed, Today: benchToday, Candidates: cfg.candidates}),
		admin: pgAdmin{serverURL: cfg.serverURL},
		log:   stderr,
		quiet: slog.New(slog.NewTextHandler(io.Discard, nil)),
		vName: fmt.Sprintf("vincula_bench_%d", cfg.candidates),
		nv:    max(cfg.candidates/50, 200),
	}
	b.pName = b.vName + "_peer"
	b.rep = &report{candidates: cfg.candidates, seed: cfg.seed, vacancies: b.nv, today: benchToday.String(),
		clients: cfg.clients, requests: cfg.requests, note: cfg.note, machine: machine(), started: time.Now()}
	b.rep.vinc.tput, b.rep.peer.tput = map[int]float64{}, map[int]float64{}
	b.rep.loadavg[0] = loadavg()
	b.rep.pgInfo = fmt.Sprintf("PostgreSQL %s on 127.0.0.1 (shared_buffers %s, work_mem %s)",
		b.admin.setting(ctx, "server_version"), b.admin.setting(ctx, "shared_buffers"), b.admin.setting(ctx, "work_mem"))
	defer func() {
		for i := len(b.closer) - 1; i >= 0; i-- {
			b.closer[i]()
		}
	}()
	for i := 0; i < b.nv && len(b.open) < cfg.vacancies; i++ {
		if v := b.g.Vacancy(i); v.Status == models.VacancyOpen {
			b.open = append(b.open, v)
		}
	}
	b.rep.run = len(b.open)
	if len(b.open) == 0 {
		return fmt.Errorf("no open vacancy among the %d generated", b.nv)
	}

	if err := b.loadVincula(ctx); err != nil {
		return err
	}
	if err := b.loadPeer(ctx); err != nil {
		return err
	}
	if err := b.compare(ctx); err != nil {
		return err
	}
	b.rep.loadavg[1] = loadavg()
	b.rep.wall = time.Since(b.rep.started)
	b.rep.render(stdout)
	if cfg.out != "" {
		f, err := os.Create(cfg.out)
		if err != nil {
			return err
		}
		b.rep.render(f)
		return f.Close()
	}
	return nil
}

// loadVincula creates Vincula's database, loads it and builds the index.
func (b *bench) loadVincula(ctx context.Context) error {
	var err error
	b.progress("Vincula: creating database %s", b.vName)
	if b.vURL, err = b.admin.recreate(ctx, b.vName); err != nil {
		return err
	}
	if !b.cfg.keep {
		b.closer = append(b.closer, func() { b.admin.drop(context.Background(), b.vName) })
	}
	if b.dir, err = os.MkdirTemp("", "vincula-bench-index-"); err != nil {
		return err
	}
	if !b.cfg.keep {
		b.closer = append(b.closer, func() { os.RemoveAll(b.dir) })
	}
	debug.FreeOSMemory()
	resetPeak("self")
	start := time.Now()
	st, err := store.Open(ctx, store.Config{DatabaseURL: b.vURL, Key: benchKey, Logger: b.quiet})
	if err != nil {
		return err
	}
	defer st.Close()
	migrate := time.Since(start)
	vl, err := loadVincula(ctx, st, b.dir, b.g, b.cfg.candidates, b.nv, b.cfg.chunk, func(what string, done int) {
		b.progress("Vincula: %s %d/%d", what, done, b.cfg.candidates)
	})
	if err != nil {
		return err
	}
	vl.database += migrate
	r := &b.rep.vinc
	r.goLoad, _ = peakRSS("self")
	r.pgLoad, _ = b.admin.backendPeak(ctx, b.vName)
	r.load = vl.total()
	r.loadParts = fmt.Sprintf("database %s, index %s", secs(vl.database), secs(vl.index))
	b.rep.settle = vl.settle
	tables, indexes, err := b.admin.tableSizes(ctx, b.vName)
	if err != nil {
		return err
	}
	ixBytes, err := diskUsage(b.dir)
	if err != nil {
		return err
	}
	r.size = tables + indexes + ixBytes
	r.sizeParts = fmt.Sprintf("database tables %s + their indexes %s; bleve index %s", mib(tables), mib(indexes), mib(ixBytes))
	b.progress("Vincula: loaded in %s (%s), index settled in %s", secs(r.load), r.loadParts, secs(vl.settle))
	return nil
}

// loadPeer creates the peer's database and loads it.
func (b *bench) loadPeer(ctx context.Context) error {
	var err error
	b.progress("peer: creating database %s", b.pName)
	if b.pURL, err = b.admin.recreate(ctx, b.pName); err != nil {
		return err
	}
	if !b.cfg.keep {
		b.closer = append(b.closer, func() { b.admin.drop(context.Background(), b.pName) })
	}
	conn, err := pgx.Connect(ctx, b.pURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	debug.FreeOSMemory()
	resetPeak("self")
	pl, err := loadPeer(ctx, conn, b.g, b.cfg.candidates, b.cfg.chunk, func(done int) {
		b.progress("peer: COPY %d/%d", done, b.cfg.candidates)
	})
	if err != nil {
		return err
	}
	r := &b.rep.peer
	r.goLoad, _ = peakRSS("self")
	r.pgLoad, _ = b.admin.backendPeak(ctx, b.pName)
	r.load = pl.total()
	r.loadParts = fmt.Sprintf("COPY %s, tsvector %s, indexes and ANALYZE %s", secs(pl.copy), secs(pl.tsvector), secs(pl.indexes))
	tables, indexes, err := b.admin.tableSizes(ctx, b.pName)
	if err != nil {
		return err
	}
	r.size = tables + indexes
	r.sizeParts = fmt.Sprintf("tables %s + indexes %s", mib(tables), mib(indexes))
	b.progress("peer: loaded in %s (%s)", secs(r.load), r.loadParts)
	return nil
}

// compare runs the vacancies through both engines, then the HTTP load and the profile.
func (b *bench) compare(ctx context.Context) error {
	st, err := store.Open(ctx, store.Config{DatabaseURL: b.vURL, Key: benchKey, Logger: b.quiet})
	if err != nil {
		return err
	}
	defer st.Close()
	opened := time.Now()
	ix, info, err := search.Open(b.dir, search.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	if info.Rebuilt {
		return fmt.Errorf("the index at %s was not reopened as built (%s)", b.dir, info.Reason)
	}
	b.rep.openIndex = time.Since(opened)
	pcfg, err := pgxpool.ParseConfig(b.pURL)
	if err != nil {
		return err
	}
	pcfg.MaxConns = 10
	// The peer's query plans cost little on paper but the JIT compiler still fires on
	// some at a million rows and adds a second; OLTP deployments turn it off.
	pcfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return err
	}
	defer pool.Close()

	m := api.NewMatcher(st, ix, nil, nil)
	loading := time.Now()
	if err := m.Ranking().Load(ctx); err != nil {
		return err
	}
	b.rep.loadRanking = time.Since(loading)
	b.progress("opened the index in %s, loaded the ranking's copy of the records in %s", b.rep.openIndex.Round(time.Millisecond), b.rep.loadRanking.Round(time.Millisecond))
	vinc := func(ctx context.Context, v models.Vacancy) ([]string, error) {
		items, _, err := m.CandidatesFor(ctx, v, benchToday, "", 20)
		if err != nil {
			return nil, fmt.Errorf("vincula: matches for vacancy %s: %w", v.ID, err)
		}
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.Candidate.ID
		}
		return ids, nil
	}
	peer := func(ctx context.Context, v models.Vacancy) ([]string, error) {
		return peerTop(ctx, pool, v, benchToday)
	}

	b.progress("warming both engines up")
	for _, v := range b.open[:min(20, len(b.open))] {
		if _, err := vinc(ctx, v); err != nil {
			return err
		}
		if _, err := peer(ctx, v); err != nil {
			return err
		}
	}
	debug.FreeOSMemory()
	resetPeak("self")
	b.admin.resetBackendPeaks(ctx, b.vName)
	b.admin.resetBackendPeaks(ctx, b.pName)

	b.truth = func(ctx context.Context, v models.Vacancy) ([]string, error) { return trueTop(ctx, b.g, ix, v, 20) }
	b.progress("latency: %d vacancies one at a time, the engines taking turns", len(b.open))
	if err := b.latency(ctx, vinc, peer); err != nil {
		return err
	}
	for _, c := range b.cfg.clients {
		perClient := max(b.cfg.requests/c, 1)
		b.progress("throughput: %d clients × %d requests, Vincula", c, perClient)
		t, err := throughput(ctx, c, perClient, b.open, vinc)
		if err != nil {
			return err
		}
		b.rep.vinc.tput[c] = t
		b.progress("throughput: %d clients × %d requests, peer", c, perClient)
		if t, err = throughput(ctx, c, perClient, b.open, peer); err != nil {
			return err
		}
		b.rep.peer.tput[c] = t
	}
	b.rep.vinc.goQuery, _ = peakRSS("self")
	b.rep.vinc.pgQuery, _ = b.admin.backendPeak(ctx, b.vName)
	b.rep.peer.pgQuery, _ = b.admin.backendPeak(ctx, b.pName)
	pool.Close()

	if err := b.httpLoad(ctx, st, ix); err != nil {
		return err
	}
	return b.profile(ctx, vinc)
}

// latency runs each vacancy through both engines, alternating which goes first so that
// neither is always the one meeting a warm or a busy machine, and checks every hit.
func (b *bench) latency(ctx context.Context, vinc, peer topFunc) error {
	v, p := &b.rep.vinc, &b.rep.peer
	for i, vac := range b.open {
		var vIDs, pIDs []string
		timed := func(top topFunc, lat *latencies, ids *[]string) error {
			start := time.Now()
			got, err := top(ctx, vac)
			*lat = append(*lat, time.Since(start))
			*ids = got
			return err
		}
		first, second := func() error { return timed(vinc, &v.lat, &vIDs) }, func() error { return timed(peer, &p.lat, &pIDs) }
		if i%2 == 1 {
			first, second = second, first
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		if b.truth != nil && i%truthEvery == 0 {
			want, err := b.truth(ctx, vac)
			if err != nil {
				return err
			}
			b.rep.trueTop += len(want)
			for _, id := range want {
				if slices.Contains(vIDs, id) {
					b.rep.trueTopFound++
				}
			}
			b.rep.truthRuns++
		}
		v.hits += len(vIDs)
		p.hits += len(pIDs)
		v.eligible += b.eligible(vac, vIDs)
		p.eligible += b.eligible(vac, pIDs)
		inV := map[string]bool{}
		for _, id := range vIDs {
			inV[id] = true
		}
		for _, id := range pIDs {
			if inV[id] {
				b.rep.overlap++
			}
		}
	}
	return nil
}

// trueTop is the best k candidates of vacancy v by brute force: every record the
// vacancy's text matches (the index's relevance, no filter), drawn again from the
// generator, decided by matching.Eligibility and scored by matching.Scorer, ordered by
// score and then ID.
func trueTop(ctx context.Context, g *datagen.Generator, ix *search.Index, v models.Vacancy, k int) ([]string, error) {
	res, err := ix.AllCandidates(ctx, search.CandidateQuery{Text: ranking.VacancyText(&v), Title: v.Title})
	if err != nil {
		return nil, err
	}
	q := ranking.QueryFor(&v, benchToday)
	type scored struct {
		c     models.Candidate
		rel   float64
		score float64
	}
	var ok []scored
	best := 0.0
	for _, h := range res.Hits {
		var i int
		if _, err := fmt.Sscanf(h.ID, "cand-%d", &i); err != nil {
			continue
		}
		c := g.Candidate(i)
		if c.Status == models.CandidateActive && c.Consent.ShareProfile && matching.Eligibility(&c, q, nil).Eligible {
			ok = append(ok, scored{c: c, rel: h.Score})
			best = max(best, h.Score)
		}
	}
	sc := matching.NewScorer(&v, nil, nil)
	for i := range ok {
		ok[i].score = sc.Score(&ok[i].c, ranking.TextScore(ok[i].rel, best)).Score
	}
	slices.SortFunc(ok, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	ids := make([]string, 0, k)
	for _, s := range ok[:min(k, len(ok))] {
		ids = append(ids, s.c.ID)
	}
	return ids, nil
}

// eligible counts the candidates of ids that Vincula's eligibility engine lets work at
// vacancy v and that are active and consenting, judged on the generated records.
func (b *bench) eligible(v models.Vacancy, ids []string) int {
	q := matching.VacancyQuery(&v, workDate(v, benchToday))
	n := 0
	for _, id := range ids {
		var i int
		if _, err := fmt.Sscanf(id, "cand-%d", &i); err != nil {
			continue
		}
		c := b.g.Candidate(i)
		if c.Status == models.CandidateActive && c.Consent.ShareProfile && matching.Eligibility(&c, q, nil).Eligible {
			n++
		}
	}
	return n
}

// httpLoad serves the API on loopback from the same store and index and drives the
// match and search endpoints.
func (b *bench) httpLoad(ctx context.Context, st *store.Store, ix *search.Index) error {
	var raw [16]byte
	rand.Read(raw[:])
	token := "bench_" + hex.EncodeToString(raw[:])
	uploads, err := os.MkdirTemp("", "vincula-bench-uploads-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(uploads)
	// Noon in Mexico City on the reference day, so the server's "today" is the bench's.
	now := benchToday.Time().Add(18 * time.Hour)
	srv, err := api.New(st, api.Config{Index: ix, AdminToken: token, UploadDir: uploads, Now: func() time.Time { return now }}, b.quiet)
	if err != nil {
		return err
	}
	defer srv.Close()
	base, stop, err := serveLoopback(srv.Handler())
	if err != nil {
		return err
	}
	defer stop()
	var matches, searches []string
	for _, v := range b.open {
		matches = append(matches, "/api/v1/vacancies/"+url.PathEscape(v.ID)+"/matches")
		searches = append(searches, "/api/v1/candidates/search?"+url.Values{"q": {v.Title}, "state": {v.State}}.Encode())
	}
	hctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	// A few requests first, as a running server has had them.
	hammer(hctx, "warm-up", base, token, matches, min(20, len(matches)), 2, b.cfg.httpTimeout)
	debug.FreeOSMemory()
	resetPeak("self")
	for _, e := range []struct {
		name  string
		paths []string
	}{{"GET /api/v1/vacancies/{id}/matches", matches}, {"GET /api/v1/candidates/search?q=…&state=…", searches}} {
		b.progress("HTTP: %d requests to %s, %d workers", b.cfg.httpRequests, e.name, b.cfg.httpWorkers)
		b.rep.http = append(b.rep.http, hammer(hctx, e.name, base, token, e.paths, b.cfg.httpRequests, b.cfg.httpWorkers, b.cfg.httpTimeout))
	}
	b.rep.httpGo, _ = peakRSS("self")
	return nil
}

// profile writes a CPU profile of the match path with two calls at a time, which keeps
// both cores of the reference machine busy.
func (b *bench) profile(ctx context.Context, vinc topFunc) error {
	if b.cfg.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(b.cfg.cpuProfile)
	if err != nil {
		return err
	}
	defer f.Close()
	b.progress("profile: %d match calls, two at a time, into %s", b.cfg.profileCalls, b.cfg.cpuProfile)
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	_, err = throughput(ctx, 2, max(b.cfg.profileCalls/2, 1), b.open, vinc)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	return f.Close()
}
