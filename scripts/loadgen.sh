#!/usr/bin/env bash
# Runs the mixed load of scripts/loadgen against a fresh `vincula serve --demo` on this
# machine and profiles the server meanwhile (issue 12, "Outages and crowds").
#
#   LOADGEN_DB=sqlite|postgres   the server's database (sqlite)
#   LOADGEN_CLIENTS=200          concurrent clients
#   LOADGEN_DURATION=60s         how long they send
#   LOADGEN_BIN=path             a vincula binary to load instead of building this tree's
#   LOADGEN_PROFILE=path         where the server's CPU profile goes
#                                (${TMPDIR:-/tmp}/vincula-loadgen-$LOADGEN_DB.pprof)
#
# Everything listens on 127.0.0.1 and lives in a temporary directory, removed at the end
# (the PostgreSQL database too); only the profile is kept.
set -euo pipefail

db="${LOADGEN_DB:-sqlite}"
clients="${LOADGEN_CLIENTS:-200}"
duration="${LOADGEN_DURATION:-60s}"
profile="${LOADGEN_PROFILE:-${TMPDIR:-/tmp}/vincula-loadgen-$db.pprof}"
work="$(mktemp -d "${TMPDIR:-/tmp}/vincula-loadgen.XXXXXX")"
pgdb="vincula_loadgen_$$"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "$db" = postgres ]; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

bin="${LOADGEN_BIN:-}"
if [ -z "$bin" ]; then
  go build -o "$work/vincula" ./cmd/vincula
  bin="$work/vincula"
fi
go build -o "$work/loadgen" ./scripts/loadgen

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
pprof_port="$(free_port)"

export VINCULA_DATA_DIR="$work/data" VINCULA_ADDR="127.0.0.1:$port" VINCULA_PPROF_ADDR="127.0.0.1:$pprof_port"
export VINCULA_LOG_LEVEL=warn
VINCULA_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export VINCULA_SECRET_KEY
unset VINCULA_DATABASE_URL
if [ "$db" = postgres ]; then
  bash scripts/ensure-postgres.sh >/dev/null
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $pgdb" >/dev/null
  export VINCULA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pgdb?sslmode=disable"
fi

"$bin" serve --demo >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null

"$work/loadgen" -url "http://127.0.0.1:$port" -clients "$clients" -duration "$duration" \
  -pprof "http://127.0.0.1:$pprof_port" -cpuprofile "$profile" -label "$db, $clients clients, $duration"
echo
echo "server log: $(grep -c 'level=ERROR' "$work/server.log" || true) errors, $(grep -c 'level=WARN' "$work/server.log" || true) warnings"
grep -m 3 'level=ERROR' "$work/server.log" || true
cp "$bin" "${profile%.pprof}.bin"
echo "CPU profile: $profile (go tool pprof -top ${profile%.pprof}.bin $profile)"
