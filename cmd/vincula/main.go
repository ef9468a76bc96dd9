// Command vincula runs the Vincula job-matching engine: the API server and the
// commands that migrate, seed, import and reindex its data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	// Mexico City time must be known even on images without a zoneinfo database.
	_ "time/tzdata"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/webhooks"
)

const usage = `usage: vincula <command> [flags]

commands:
  serve [--demo]     run the API server (--demo seeds demo data once and prints its tokens)
  migrate            apply pending database migrations
  reindex            rebuild the search index from the database (through the running server when one holds it)
  import --fair ID [--mode all_or_nothing|valid_rows] [--dry-run] [--sheet NAME] FILE
                     import a job fair's vacancies from a CSV, XLSX or JSON file into the database
                     (exit status 1 when rows failed or the file was refused)
  seed --demo        load the demo data and print the demo users' tokens
  backup FILE        write a consistent copy of the embedded SQLite store to FILE, while the server runs
                     (PostgreSQL: use pg_dump; the key is never in the copy: keep it apart)
  restore FILE       put a backup in place of the embedded SQLite store (stop the server first) and rebuild the index
  healthcheck [--url URL] [--timeout D]
                     exit 0 when the server at VINCULA_ADDR (or URL) is ready (/readyz answers 200), 1 otherwise
  user invite --email ADDR (--name NAME --role ROLE [--employer ID] | --user ID)
                     invite a person to the web console: prints the link where they set their password

environment:
  VINCULA_ADDR             listen address (default 127.0.0.1:8080)
  VINCULA_DATA_DIR         data directory for SQLite, the key, the index and uploaded imports (default ./data)
  VINCULA_INDEX_DIR        this server's search index (default $VINCULA_DATA_DIR/index)
  VINCULA_DATABASE_URL     PostgreSQL URL; SQLite in the data directory when unset
  VINCULA_SECRET_KEY       32-byte key (hex or base64) for document numbers; required with PostgreSQL,
                           generated into the data directory when unset with SQLite
  VINCULA_ADMIN_TOKEN      accepted as an admin bearer token
  VINCULA_RULES_FILE       eligibility rules file replacing the embedded one
  VINCULA_TRUSTED_PROXIES  comma-separated proxies whose X-Forwarded-For is trusted
  VINCULA_LOG_LEVEL        debug, info, warn or error
  VINCULA_LOG_FORMAT       text (default) or json: one JSON object a line
  VINCULA_DB_WAIT          how long start-up retries an unreachable database before giving up (30s; 0 to not wait)
  VINCULA_MAX_IN_FLIGHT    requests served at once; the excess waits or gets 503 (64 per core)
  VINCULA_MAX_QUEUED       requests waiting for a slot beyond that; more get 503 at once (as many as VINCULA_MAX_IN_FLIGHT; 0 for none)
  VINCULA_READ_HEADER_TIMEOUT, VINCULA_READ_TIMEOUT, VINCULA_WRITE_TIMEOUT, VINCULA_IDLE_TIMEOUT
                           the HTTP server's limits to read a request's headers (5s), the whole request (60s),
                           to write an answer (60s) and to keep an idle connection (120s)
  VINCULA_SHUTDOWN_TIMEOUT how long a stop waits for the requests in flight (20s)
  VINCULA_MAX_UPLOAD_BYTES the largest import upload, on the API and the console (64MiB)
  VINCULA_UPLOAD_TIMEOUT   how long an import upload may take to arrive and be answered (15m)
  VINCULA_MAX_BODY_BYTES   the largest JSON request body (1MiB)
  VINCULA_IMPORT_WORKERS   uploaded imports run at once; the others wait their turn (2)
  VINCULA_PPROF_ADDR       serve Go's profiler on this loopback address (unset: not served)
  VINCULA_PUBLIC_URL       the console's address as people reach it, for invitation links (default http://$VINCULA_ADDR)
  VINCULA_SECURE_COOKIES   true marks the console's cookies Secure (behind a proxy that terminates TLS)
  VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP  1 to accept plain-http webhook endpoints on 127.0.0.1 (development)
  VINCULA_WEBHOOKS_FIRST_RETRY          wait after a delivery's first failure, doubled after each further one up to 1h (30s)
  VINCULA_WEBHOOKS_LEASE                how long a delivery being sent is left to its sender before it is sent again (2m)
  VINCULA_ALERT_SWEEP_EVERY             how often saved searches and open vacancies are swept for new people (5m)
  VINCULA_MIGRANT_REGISTER_PER_MINUTE   migrant registrations a client address may send a minute (10)
  VINCULA_MIGRANT_LOGIN_PER_MINUTE      migrant logins a client address may send a minute (20)
  VINCULA_MIGRANT_PER_PHONE_PER_MINUTE  registrations naming one phone a minute (5)
  VINCULA_MIGRANT_LOCK_AFTER            failed logins naming one phone from one address that lock it there (5)
  VINCULA_MIGRANT_FAILURES_PER_ADDRESS  failed logins from one address, any phones, that lock the address (30)
  VINCULA_MIGRANT_LOCK_FOR              how long a lock lasts and a failure counts (15m)
  VINCULA_MIGRANT_TOKEN_TTL             how long a migrant's login lasts (24h)
  VINCULA_TOKEN_TTL                     how long a staff or employer token lasts (720h: 30 days)
`

// Main holds what every command shares.
type Main struct {
	ctx    context.Context
	log    *slog.Logger
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// now is the process's one clock: the store, the API and the commands all read it,
	// and nothing below cmd reads the system clock. Tests set it.
	now func() time.Time
	// sleep pauses for d or until ctx ends (between attempts to reach the database);
	// tests set it to move their clock instead.
	sleep func(ctx context.Context, d time.Duration) error
}

// sleep waits for d, or returns ctx's error when it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{ctx: ctx, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	if err := m.Run(os.Args[1:]); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "vincula:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status and no further message (the command has
// already said what happened).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Run parses the command line and runs one command.
func (m *Main) Run(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.stderr, usage)
		return exitError(2)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.sleep == nil {
		m.sleep = sleep
	}
	cfg, err := configFromEnv(m.getenv)
	if err != nil {
		return err
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		m.log = slog.New(slog.NewJSONHandler(m.stderr, opts))
	} else {
		m.log = slog.New(slog.NewTextHandler(m.stderr, opts))
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.serve(cfg, rest)
	case "migrate":
		return m.migrate(cfg)
	case "reindex":
		return m.reindex(cfg)
	case "import":
		return m.importCmd(cfg, rest)
	case "backup":
		return m.backup(cfg, rest)
	case "restore":
		return m.restore(cfg, rest)
	case "healthcheck":
		return m.healthcheck(cfg, rest)
	case "seed":
		return m.seed(cfg, rest)
	case "user":
		return m.userCmd(cfg, rest)
	case "help", "-h", "--help":
		fmt.Fprint(m.stdout, usage)
		return nil
	}
	fmt.Fprintf(m.stderr, "vincula: unknown command %q\n\n%s", cmd, usage)
	return exitError(2)
}

func (m *Main) migrate(cfg config) error {
	st, err := openStore(m, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(m.ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(m.stdout, "%s: schema is up to date\n", st.Dialect())
		return nil
	}
	fmt.Fprintf(m.stdout, "%s: applied migrations %v\n", st.Dialect(), applied)
	return nil
}

func (m *Main) seed(cfg config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo data")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	if !*demo {
		return errors.New("seed: only --demo is available")
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return seedDemo(m.ctx, st, m.stdout)
}

func (m *Main) serve(cfg config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "seed demo data once and print the demo tokens")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	rules, err := loadRules(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	// Imports whose lease has run out were cut off by a stop; one a live `vincula
	// import` still renews is left alone. The server keeps looking while it runs.
	if n, err := st.FailInterruptedImports(m.ctx, m.now()); err != nil {
		return err
	} else if n > 0 {
		m.log.Warn("imports interrupted by a stop were marked failed; re-run them", slog.Int64("count", n))
	}
	if *demo {
		if err := seedDemo(m.ctx, st, m.stdout); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	ix, follower, err := m.openIndex(cfg, st, rules)
	if err != nil {
		return err
	}
	defer ix.Close()
	followCtx, stopFollower := context.WithCancel(context.Background())
	followDone, listenDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(followDone); m.runFollower(followCtx, follower, st) }()
	// On PostgreSQL, every commit to the change feed (this server's, another
	// replica's, a command's) wakes the follower at once; the poll is the safety net.
	go func() { defer close(listenDone); st.Listen(followCtx) }()
	defer func() { stopFollower(); <-followDone; <-listenDone }()
	srv, err := api.New(st, api.Config{AdminToken: cfg.AdminToken, TrustedProxies: cfg.TrustedProxies, Rules: rules,
		Index: ix, IndexReady: func(ctx context.Context) error {
			if _, err := ix.Count(); err != nil {
				return err
			}
			return follower.Ready(ctx)
		},
		IndexStatus: func(ctx context.Context) any { st := follower.Status(ctx); return &st },
		Collectors:  followerCollectors(follower), UploadDir: filepath.Join(cfg.DataDir, "imports"), Migrants: cfg.Migrants,
		TokenTTL: cfg.TokenTTL, MaxInFlight: cfg.MaxInFlight, MaxQueued: cfg.MaxQueued,
		MaxUploadBytes: cfg.MaxUploadBytes, MaxBodyBytes: cfg.MaxBodyBytes, UploadTimeout: cfg.UploadTimeout, ImportWorkers: cfg.ImportWorkers,
		WebhooksAllowLoopbackHTTP: cfg.WebhooksLoopbackHTTP}, m.log)
	if err != nil {
		return err
	}
	// The ranking's in-memory copy of the records is read before the first request
	// would have to wait for it.
	loading := m.now()
	if err := srv.LoadRanking(m.ctx); err != nil {
		srv.Close()
		return err
	}
	m.log.Info("ranking loaded", slog.Duration("took", m.now().Sub(loading)))
	// The webhook deliveries the store's outbox holds, sent every few seconds; a stop
	// mid-send leaves the claimed ones to be sent again once their lease runs out.
	hookCtx, stopHooks := context.WithCancel(context.Background())
	hooksDone := make(chan struct{})
	hooks := &webhooks.Worker{Store: st, Now: m.now, Log: m.log, FirstRetry: cfg.WebhooksFirstRetry, Lease: cfg.WebhooksLease}
	go func() { defer close(hooksDone); hooks.Run(hookCtx, 2*time.Second) }()
	defer func() { stopHooks(); <-hooksDone }()
	// Runs once the HTTP server has shut down (deferred calls run in reverse order, and
	// before the store closes): background imports stop at their next batch and are
	// marked failed at the next start.
	defer srv.Close()
	sweepCtx, stopSweep := context.WithCancel(m.ctx)
	sweepDone := make(chan struct{})
	go func() { defer close(sweepDone); m.closeEndedVacancies(sweepCtx, srv) }()
	defer func() { stopSweep(); <-sweepDone }()
	alertsDone := make(chan struct{})
	go func() { defer close(alertsDone); m.sweepAlerts(sweepCtx, srv, cfg.AlertSweepEvery) }()
	defer func() { stopSweep(); <-alertsDone }()
	handler, err := withConsole(st, srv, rules, cfg, m)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           handler,
		ReadHeaderTimeout: cfg.HTTP.ReadHeader,
		ReadTimeout:       cfg.HTTP.Read,
		WriteTimeout:      cfg.HTTP.Write,
		IdleTimeout:       cfg.HTTP.Idle,
		MaxHeaderBytes:    64 << 10,
	}
	if cfg.PprofAddr != "" {
		stopPprof, err := servePprof(cfg.PprofAddr)
		if err != nil {
			return err
		}
		defer stopPprof()
		m.log.Info("profiler serving", slog.String("addr", "http://"+cfg.PprofAddr+"/debug/pprof/"))
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.ListenAndServe() }()
	m.log.Info("vincula serving", slog.String("addr", "http://"+cfg.Addr), slog.String("console", cfg.PublicURL+"/console/"), slog.String("migrants", cfg.PublicURL+"/m/"), slog.String("database", string(st.Dialect())),
		slog.String("rules", rules.Version()))
	select {
	case err := <-errc:
		return err
	case <-m.ctx.Done():
	}
	m.log.Info("shutting down: finishing requests in flight")
	ctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.Shutdown)
	defer cancel()
	return httpSrv.Shutdown(ctx)
}
