package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// side is what was measured of one engine.
type side struct {
	load      time.Duration
	loadParts string
	size      int64
	sizeParts string
	// goLoad and goQuery are the bench process's peak resident set during the load and
	// during the queries; pgLoad and pgQuery the largest peak of the engine's
	// PostgreSQL server processes in the same phases.
	goLoad, goQuery int64
	pgLoad, pgQuery int64
	lat             latencies
	// tput maps a number of concurrent clients to requests per second.
	tput map[int]float64
	// hits, eligible: the candidates returned on the first pages and how many of them
	// the eligibility engine (with active status and consent) accepts.
	hits, eligible int
}

// report is everything one run measured.
type report struct {
	candidates, vacancies, run int
	seed                       uint64
	today                      string
	vinc, peer                 side
	// settle is how long Vincula's index went on merging after the rebuild.
	settle time.Duration
	// overlap counts the peer's hits that Vincula also returned on the first page.
	overlap int
	// trueTop counts the records of the sampled vacancies' true top 20 (brute force),
	// trueTopFound those of them on Vincula's first page, truthRuns the vacancies.
	trueTop, trueTopFound, truthRuns int
	// openIndex is how long reopening the built index took (its candidate set
	// included); loadRanking how long the ranking service took to read its copy of the
	// records from the database.
	openIndex, loadRanking time.Duration
	clients                []int
	requests               int
	http                   []httpResult
	httpGo                 int64
	machine                string
	note                   string
	pgInfo                 string
	loadavg                [2]string
	wall                   time.Duration
	started                time.Time
}

func mib(b int64) string {
	if b <= 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func share(part, whole int) string {
	if whole == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", part, whole, 100*float64(part)/float64(whole))
}

// render writes the report as markdown: the comparison table, the HTTP table and
// the conditions of the run.
func (r *report) render(w io.Writer) {
	v, p := &r.vinc, &r.peer
	fmt.Fprintf(w, "### %d candidates (seed %d, %d vacancies, %d open ones run through both)\n\n", r.candidates, r.seed, r.vacancies, r.run)
	fmt.Fprintln(w, "| | Vincula | PostgreSQL peer | Vincula / peer |")
	fmt.Fprintln(w, "|---|---|---|---|")
	row := func(name, a, b, rat string) { fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, a, b, rat) }
	row("load time", secs(v.load)+" ("+v.loadParts+")", secs(p.load)+" ("+p.loadParts+")", ratio(v.load.Seconds(), p.load.Seconds()))
	row("size on disk", mib(v.size)+" ("+v.sizeParts+")", mib(p.size)+" ("+p.sizeParts+")", ratio(float64(v.size), float64(p.size)))
	row("peak memory, load", fmt.Sprintf("%s bench process + %s largest PostgreSQL backend", mib(v.goLoad), mib(v.pgLoad)),
		fmt.Sprintf("%s largest PostgreSQL backend (bench process %s)", mib(p.pgLoad), mib(p.goLoad)),
		ratio(float64(v.goLoad+v.pgLoad), float64(p.pgLoad)))
	row("peak memory, queries", fmt.Sprintf("%s bench process + %s largest PostgreSQL backend", mib(v.goQuery), mib(v.pgQuery)),
		fmt.Sprintf("%s largest PostgreSQL backend", mib(p.pgQuery)),
		ratio(float64(v.goQuery+v.pgQuery), float64(p.pgQuery)))
	for _, q := range []struct {
		name string
		q    float64
	}{{"latency p50, one at a time", 0.50}, {"latency p95, one at a time", 0.95}, {"latency p99, one at a time", 0.99}} {
		a, b := v.lat.quantile(q.q), p.lat.quantile(q.q)
		row(q.name, ms(a), ms(b), ratio(a.Seconds(), b.Seconds()))
	}
	for _, c := range r.clients {
		row(fmt.Sprintf("throughput, %d clients × %d requests", c, max(r.requests/c, 1)),
			fmt.Sprintf("%.1f req/s", v.tput[c]), fmt.Sprintf("%.1f req/s", p.tput[c]), ratio(v.tput[c], p.tput[c]))
	}
	row("hits on the first page (of 20), mean", fmt.Sprintf("%.1f", float64(v.hits)/float64(max(r.run, 1))),
		fmt.Sprintf("%.1f", float64(p.hits)/float64(max(r.run, 1))), "")
	row("eligible share of the first page (matching.Eligibility, active, consenting)", share(v.eligible, v.hits), share(p.eligible, p.hits), "")
	row("peer's first-page candidates also on Vincula's first page", "", share(r.overlap, p.hits), "")
	row(fmt.Sprintf("share of the true top 20 on Vincula's first page (brute force: Eligibility and Scorer over every text match; %d vacancies)", r.truthRuns),
		share(r.trueTopFound, r.trueTop), "", "")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios below 1 mean Vincula takes less (time, space, memory); for throughput, above 1 means Vincula serves more.")
	fmt.Fprintf(w, "Vincula's index went on merging for %s after the rebuild; queries were measured after that.\n", secs(r.settle))
	fmt.Fprintf(w, "Reopening the index took %s; the ranking service's copy of the records (eligibility facts, scoring profiles) loaded from the database in %s.\n\n",
		secs(r.openIndex), secs(r.loadRanking))

	if len(r.http) > 0 {
		fmt.Fprintf(w, "HTTP load on the in-process server (127.0.0.1, admin token, %d concurrent workers):\n\n", r.http[0].workers)
		fmt.Fprintln(w, "| endpoint | requests | requests/s | p50 | p99 | errors |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|")
		for _, h := range r.http {
			fmt.Fprintf(w, "| `%s` | %d | %.1f | %s | %s | %d |\n", h.endpoint, h.requests, h.perSecond(), ms(h.lat.quantile(0.5)), ms(h.lat.quantile(0.99)), h.errors)
		}
		fmt.Fprintf(w, "\nPeak memory of the server process during the HTTP load: %s.\n", mib(r.httpGo))
		for _, h := range r.http {
			if h.firstError != "" {
				fmt.Fprintf(w, "First error on %s: %s\n", h.endpoint, h.firstError)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Machine: %s. %s. Load average %s before, %s after. Run started %s, took %s.\n",
		r.machine, r.pgInfo, r.loadavg[0], r.loadavg[1], r.started.UTC().Format("2006-01-02 15:04 UTC"), r.wall.Round(time.Second))
	if r.note != "" {
		fmt.Fprintf(w, "Checkout: %s.\n", r.note)
	}
}

// machine describes this computer: cores, CPU model, memory, Go version.
func machine() string {
	model, memTotal := "?", "?"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, val, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(val)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
				memTotal = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
			}
		}
		f.Close()
	}
	return fmt.Sprintf("%d cores (%s), %s RAM, %s %s/%s", runtime.NumCPU(), model, memTotal, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// loadavg returns the 1-minute load average.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
