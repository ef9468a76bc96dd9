// Command loadgen sends a mixed load to a Vincula server seeded with `vincula serve
// --demo` on this machine: concurrent clients each loop over reads (the vacancy list,
// a vacancy's matches, the candidate search) and writes (new candidates, new vacancies,
// referrals of the candidates they created to the vacancies they created), for a fixed
// time, and it prints the latencies (p50, p95, p99, max), the errors and the throughput
// per kind of request as a Markdown table. A 503 is counted apart ("shed") and its
// client waits the Retry-After, as a well-behaved client does.
//
//	go run ./scripts/loadgen -url http://127.0.0.1:8080 -clients 200 -duration 60s
//
// It talks only to a loopback address; with -cpuprofile it also saves a CPU profile of
// the server taken during the run (the server started with VINCULA_PPROF_ADDR).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// op is one kind of request, with its share of the load.
type op struct {
	name   string
	weight int
	do     func(c *client) (int, error)
}

// client is one simulated user: its own random source, and the records it created.
type client struct {
	id         int
	base       string
	http       *http.Client
	rnd        *rand.Rand
	vacancies  []string // every open vacancy seen at start
	mine       []string // the vacancies this client posted
	candidates []string // the candidates this client registered
}

// sample is one request's outcome.
type sample struct {
	op     int
	status int
	took   time.Duration
}

var seq atomic.Int64

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server (a loopback address)")
	clients := flag.Int("clients", 200, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long to send")
	timeout := flag.Duration("timeout", 30*time.Second, "a request's timeout (counted as an error)")
	pprofURL := flag.String("pprof", "", "the server's pprof address (VINCULA_PPROF_ADDR), for -cpuprofile")
	cpuProfile := flag.String("cpuprofile", "", "save a CPU profile of the server taken over the run's middle to this file")
	label := flag.String("label", "", "a label for the report's heading")
	flag.Parse()
	if err := loopbackOnly(*base); err != nil {
		fatal(err)
	}
	if *cpuProfile != "" {
		if *pprofURL == "" {
			fatal(fmt.Errorf("-cpuprofile needs -pprof"))
		}
		if err := loopbackOnly(*pprofURL); err != nil {
			fatal(err)
		}
	}
	transport := &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients, IdleConnTimeout: time.Minute}
	hc := &http.Client{Timeout: *timeout, Transport: transport}
	vacancies, err := openVacancies(hc, *base)
	if err != nil {
		fatal(fmt.Errorf("list the demo vacancies (is the server running with --demo?): %w", err))
	}
	ops := []op{
		{"GET /vacancies", 35, listVacancies},
		{"GET /vacancies/{id}/matches", 20, vacancyMatches},
		{"GET /candidates/search", 20, searchCandidates},
		{"POST /candidates", 10, createCandidate},
		{"POST /vacancies", 8, createVacancy},
		{"POST /referrals", 7, createReferral},
	}
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var profileErr error
	var profileDone sync.WaitGroup
	if *cpuProfile != "" {
		profileDone.Add(1)
		go func() {
			defer profileDone.Done()
			profileErr = saveProfile(*pprofURL, *cpuProfile, *duration)
		}()
	}
	results := make([][]sample, *clients)
	errorsSeen := make([]map[int]string, len(ops))
	for i := range errorsSeen {
		errorsSeen[i] = map[int]string{}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &client{id: i, base: *base, http: hc, rnd: rand.New(rand.NewPCG(uint64(i), 42)), vacancies: vacancies}
			for ctx.Err() == nil {
				n, k := c.rnd.IntN(total), 0
				for n >= ops[k].weight {
					n -= ops[k].weight
					k++
				}
				t0 := time.Now()
				status, err := ops[k].do(c)
				took := time.Since(t0)
				if ctx.Err() != nil && err != nil {
					break // cut off by the end of the run
				}
				results[i] = append(results[i], sample{op: k, status: status, took: took})
				if err != nil && status != http.StatusServiceUnavailable {
					mu.Lock()
					if _, ok := errorsSeen[k][status]; !ok {
						errorsSeen[k][status] = fmt.Sprint(err)
					}
					mu.Unlock()
				}
				if status == http.StatusServiceUnavailable {
					wait(ctx, time.Second)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	profileDone.Wait()
	report(*label, *clients, wall, ops, results, errorsSeen)
	if profileErr != nil {
		fatal(fmt.Errorf("cpu profile: %w", profileErr))
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}

// loopbackOnly refuses any address but this machine's.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address: loadgen only loads this machine", raw)
	}
	return nil
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// The demo tokens (cmd/vincula/demo.go).
const (
	admin    = "demo-admin"
	employer = "demo-employer-nl"
	hubStaff = "demo-hub-tapachula"
)

// send makes one request and reads the answer; into, when set, receives the JSON body
// of a 2xx.
func (c *client) send(method, path, token string, body any, into any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, truncate(data))
	}
	if into != nil {
		if err := json.Unmarshal(data, into); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func openVacancies(hc *http.Client, base string) ([]string, error) {
	c := &client{base: base, http: hc}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if _, err := c.send("GET", "/api/v1/vacancies?status=open&limit=100", admin, nil, &page); err != nil {
		return nil, err
	}
	var ids []string
	for _, v := range page.Items {
		ids = append(ids, v.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no open vacancy")
	}
	return ids, nil
}

var words = []string{"operador", "soldador", "albañil", "montacargas", "cosecha", "café", "producción", "costura", "cocina", "almacén"}

func listVacancies(c *client) (int, error) {
	path := "/api/v1/vacancies?limit=20"
	switch c.rnd.IntN(3) {
	case 0:
		path += "&state=MX-NLE"
	case 1:
		path += "&q=" + url.QueryEscape(words[c.rnd.IntN(len(words))])
	}
	return c.send("GET", path, employer, nil, nil)
}

func vacancyMatches(c *client) (int, error) {
	id := c.vacancies[c.rnd.IntN(len(c.vacancies))]
	return c.send("GET", "/api/v1/vacancies/"+id+"/matches?limit=20", admin, nil, nil)
}

func searchCandidates(c *client) (int, error) {
	path := "/api/v1/candidates/search?state=MX-NLE&limit=20&q=" + url.QueryEscape(words[c.rnd.IntN(len(words))])
	return c.send("GET", path, employer, nil, nil)
}

func createCandidate(c *client) (int, error) {
	n := seq.Add(1)
	body := map[string]any{
		"full_name": fmt.Sprintf("Carga %d Pérez", n), "nationality": "HT", "birth_date": "1991-04-12", "gender": "M",
		"phone": fmt.Sprintf("+52962%07d", n%10_000_000), "current_state": "MX-CHP", "municipality": "Tapachula",
		"hub": "Tapachula", "willing_to_relocate": true, "preferred_states": []string{"MX-NLE"},
		"languages":       []map[string]any{{"code": "ht", "level": "native"}, {"code": "es", "level": "B1"}},
		"skills":          []map[string]any{{"name": "soldadura", "years": 3}, {"name": words[c.rnd.IntN(len(words))], "years": 2}},
		"experience":      []map[string]any{{"title": "soldador", "occupation_code": "7212", "years": 3, "country": "HT"}},
		"education_level": "secondary", "available_from": "2026-12-01", "desired_occupations": []string{"soldador"},
		"consent": map[string]any{"share_profile": true},
		"documents": []map[string]any{{"type": "visitante_razones_humanitarias", "number": fmt.Sprintf("TVRH-CHP-2026-%07d", n),
			"issued_on": "2026-07-01", "expires_on": "2027-07-01"}},
	}
	var out struct {
		ID string `json:"id"`
	}
	status, err := c.send("POST", "/api/v1/candidates", hubStaff, body, &out)
	if err == nil {
		c.candidates = append(c.candidates, out.ID)
	}
	return status, err
}

func createVacancy(c *client) (int, error) {
	body := map[string]any{
		"title": "Soldador(a) de " + words[c.rnd.IntN(len(words))], "description": "Soldadura MIG en línea de producción",
		"skills":    []map[string]any{{"name": "soldadura", "required": true}},
		"languages": []any{}, "min_experience_years": 1, "education_level": "secondary", "state": "MX-NLE",
		"municipality": "Apodaca", "salary_min": 11000, "salary_max": 14000, "positions": 3, "start_date": "2027-01-15",
	}
	var out struct {
		ID string `json:"id"`
	}
	status, err := c.send("POST", "/api/v1/vacancies", employer, body, &out)
	if err == nil {
		c.mine = append(c.mine, out.ID)
	}
	return status, err
}

// createReferral refers a candidate this client registered, and has not referred yet,
// to a vacancy it posted (making them first when it has none).
func createReferral(c *client) (int, error) {
	if len(c.mine) == 0 {
		return createVacancy(c)
	}
	if len(c.candidates) == 0 {
		return createCandidate(c)
	}
	cand := c.candidates[len(c.candidates)-1]
	c.candidates = c.candidates[:len(c.candidates)-1]
	body := map[string]any{"candidate_id": cand, "vacancy_id": c.mine[c.rnd.IntN(len(c.mine))]}
	return c.send("POST", "/api/v1/referrals", admin, body, nil)
}

// saveProfile takes a CPU profile of the server over the middle of the run.
func saveProfile(pprofURL, path string, run time.Duration) error {
	seconds := max(1, int((run / 2).Seconds()))
	time.Sleep(run / 4)
	hc := &http.Client{Timeout: time.Duration(seconds+30) * time.Second}
	resp, err := hc.Get(strings.TrimRight(pprofURL, "/") + "/debug/pprof/profile?seconds=" + strconv.Itoa(seconds))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof answered %d", resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func report(label string, clients int, wall time.Duration, ops []op, results [][]sample, errorsSeen []map[int]string) {
	byOp := make([][]time.Duration, len(ops)+1)
	ok, shed, failed := make([]int, len(ops)+1), make([]int, len(ops)+1), make([]int, len(ops)+1)
	all := len(ops)
	var shedLat []time.Duration
	for _, rs := range results {
		for _, s := range rs {
			for _, k := range []int{s.op, all} {
				switch {
				case s.status >= 200 && s.status < 300:
					ok[k]++
					byOp[k] = append(byOp[k], s.took)
				case s.status == http.StatusServiceUnavailable:
					shed[k]++
					if k == all {
						shedLat = append(shedLat, s.took)
					}
				default:
					failed[k]++
					byOp[k] = append(byOp[k], s.took)
				}
			}
		}
	}
	if label != "" {
		fmt.Printf("### %s\n\n", label)
	}
	fmt.Printf("%d clients for %s: %d answered, %.0f a second (%.0f successful a second)\n\n", clients, wall.Round(time.Second),
		ok[all]+shed[all]+failed[all], float64(ok[all]+shed[all]+failed[all])/wall.Seconds(), float64(ok[all])/wall.Seconds())
	fmt.Println("| request | ok | shed (503) | errors | p50 | p95 | p99 | max |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for k := range byOp {
		name := "all"
		if k < len(ops) {
			name = ops[k].name
		}
		lat := byOp[k]
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("| %s | %d | %d | %d | %s | %s | %s | %s |\n", name, ok[k], shed[k], failed[k],
			pct(lat, 0.50), pct(lat, 0.95), pct(lat, 0.99), pct(lat, 1))
	}
	fmt.Println()
	fmt.Println("Latencies are of the answered requests that were not shed (successes and errors).")
	if len(shedLat) > 0 {
		sort.Slice(shedLat, func(i, j int) bool { return shedLat[i] < shedLat[j] })
		fmt.Printf("The 503s were answered in %s at the median, %s at p99.\n", pct(shedLat, 0.5), pct(shedLat, 0.99))
	}
	for k, seen := range errorsSeen {
		for status, msg := range seen {
			fmt.Printf("- %s: first error with status %d: %s\n", ops[k].name, status, msg)
		}
	}
}

func pct(sorted []time.Duration, p float64) string {
	if len(sorted) == 0 {
		return "—"
	}
	i := int(p*float64(len(sorted))) - 1
	i = min(max(i, 0), len(sorted)-1)
	d := sorted[i]
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
}
