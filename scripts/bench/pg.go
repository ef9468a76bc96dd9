package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// pgAdmin creates, drops and measures the bench's databases through the server's
// maintenance database (the URL the bench is given).
type pgAdmin struct {
	serverURL string
}

// databaseURL returns the URL of database name on the same server.
func (a pgAdmin) databaseURL(name string) (string, error) {
	u, err := url.Parse(a.serverURL)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func (a pgAdmin) exec(ctx context.Context, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, a.serverURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// recreate drops database name when it exists and creates it empty; it returns the
// new database's URL. Names are the bench's own (letters, digits, underscores).
func (a pgAdmin) recreate(ctx context.Context, name string) (string, error) {
	if err := a.drop(ctx, name); err != nil {
		return "", err
	}
	if err := a.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return a.databaseURL(name)
}

func (a pgAdmin) drop(ctx context.Context, name string) error {
	if err := a.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// tableSizes returns the bytes of the tables (with their TOAST) and of the indexes of
// the public schema of database name.
func (a pgAdmin) tableSizes(ctx context.Context, name string) (tables, indexes int64, err error) {
	u, err := a.databaseURL(name)
	if err != nil {
		return 0, 0, err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT coalesce(sum(pg_table_size(oid)), 0)::bigint, coalesce(sum(pg_indexes_size(oid)), 0)::bigint
		FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'm')`).Scan(&tables, &indexes)
	return tables, indexes, err
}

// backends returns the process IDs of the server processes connected to database name.
func (a pgAdmin) backends(ctx context.Context, name string) ([]int, error) {
	conn, err := pgx.Connect(ctx, a.serverURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1`, name)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// backendPeak is the highest peak resident set of the server processes connected to
// database name, and how many there are. It reads /proc, so it needs the bench to run
// as root or as the server's user on the same machine; 0 means unknown. A backend's
// resident set includes the shared buffers it touched.
func (a pgAdmin) backendPeak(ctx context.Context, name string) (peak int64, n int) {
	pids, err := a.backends(ctx, name)
	if err != nil {
		return 0, 0
	}
	for _, pid := range pids {
		if v, err := peakRSS(strconv.Itoa(pid)); err == nil {
			peak = max(peak, v)
			n++
		}
	}
	return peak, n
}

// resetBackendPeaks starts a new peak for every server process of database name.
func (a pgAdmin) resetBackendPeaks(ctx context.Context, name string) {
	pids, _ := a.backends(ctx, name)
	for _, pid := range pids {
		resetPeak(strconv.Itoa(pid))
	}
}

// setting returns one server setting, or "?".
func (a pgAdmin) setting(ctx context.Context, name string) string {
	conn, err := pgx.Connect(ctx, a.serverURL)
	if err != nil {
		return "?"
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
		return "?"
	}
	return v
}

// peakRSS reads VmHWM, the peak resident set, of process pid ("self" for this one).
func peakRSS(pid string) (int64, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%s/status", pid)
}

// resetPeak makes VmHWM of process pid start again from its current resident set
// (Linux's clear_refs "5"), so that each phase of the bench has its own peak.
func resetPeak(pid string) {
	_ = os.WriteFile("/proc/"+pid+"/clear_refs", []byte("5"), 0)
}
