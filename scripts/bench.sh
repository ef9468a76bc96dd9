#!/usr/bin/env bash
# Compares Vincula's matching with the same query done by PostgreSQL full-text search
# alone, on the same generated data, and prints one markdown report (issue 7).
#   BENCH_CANDIDATES  how many candidates (default 100000; 1000000 for the big run)
#   BENCH_OUT         where the report and the CPU profile go
#                     (default ${TMPDIR:-/tmp}/vincula-bench-report-<candidates>)
#   BENCH_FLAGS       more flags for the bench command (go run ./scripts/bench -h)
# It needs the PostgreSQL on 127.0.0.1:5432 (user postgres), which it starts when it
# can, and creates and drops its own databases there (vincula_bench_<candidates>*).
set -euo pipefail
cd "$(dirname "$0")/.."

n="${BENCH_CANDIDATES:-100000}"
out="${BENCH_OUT:-${TMPDIR:-/tmp}/vincula-bench-report-$n}"
mkdir -p "$out"
bash scripts/ensure-postgres.sh >&2
go build -o bin/bench ./scripts/bench
note="$(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')"
changed="$(git status --porcelain -- api search store matching models 2>/dev/null | awk '{print $2}' | xargs -r -n1 dirname | sort -u | xargs)"
if [ -n "$changed" ]; then note="$note with uncommitted changes in $changed"; fi
# shellcheck disable=SC2086
bin/bench -candidates "$n" -cpuprofile "$out/match.cpu.pprof" -out "$out/report.md" -note "$note" ${BENCH_FLAGS:-}

echo
echo "CPU profile of the match path (api.Matcher.CandidatesFor, two calls at a time), by cumulative time:"
echo
go tool pprof -top -cum -nodecount=40 bin/bench "$out/match.cpu.pprof" 2>/dev/null | sed -n '/flat%/,$p'
echo
echo "The same profile by own time:"
echo
go tool pprof -top -nodecount=25 bin/bench "$out/match.cpu.pprof" 2>/dev/null | sed -n '/flat%/,$p'
echo
echo "Report: $out/report.md. Profile: go tool pprof -http=127.0.0.1:0 bin/bench $out/match.cpu.pprof"
