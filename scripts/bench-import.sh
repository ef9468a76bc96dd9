#!/usr/bin/env bash
# Bulk-import benchmark (issue 6). For each engine (SQLite, PostgreSQL) and each size,
# on a fresh database: rows per second of `vincula import` to committed rows (the whole
# command: start, both passes over the file, every batch committed) and its peak
# memory (maximum resident set size, from /usr/bin/time -v), so that memory can be seen
# to stay flat as the file grows; then the same file again, when every row is an
# update. Then, with `vincula serve` running on the same database, the time from the
# end of an import until its last row is found by GET /api/v1/vacancies?q= (the change
# feed applied to the server's index).
#
#   bash scripts/bench-import.sh                 # 10,000 and 100,000 rows
#   BENCH_ROWS="10000 100000 300000" bash scripts/bench-import.sh
#
# Needs awk, curl, jq, /usr/bin/time and PostgreSQL on 127.0.0.1:5432 as user postgres
# (psql); it creates and drops its own databases there (vincula_bench_import_*).
set -euo pipefail
cd "$(dirname "$0")/.."

rows_list="${BENCH_ROWS:-10000 100000}"
search_rows="${BENCH_SEARCH_ROWS:-100000}"
pg="env PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -U postgres -d postgres"
pg_base="postgres://postgres@127.0.0.1:5432"
addr="${BENCH_ADDR:-127.0.0.1:18086}"
work="$(mktemp -d "${TMPDIR:-/tmp}/vincula-bench-import.XXXXXX")"
server_pid=""
dbs=()

cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	for db in "${dbs[@]}"; do $pg -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/vincula" ./cmd/vincula

# gen N FILE writes N good rows in the Spanish headers organisers use, 200 employers,
# one external ID per row; the last row's title has a word no other row has.
gen() {
	awk -v n="$1" 'BEGIN {
		split("Nuevo León;Coahuila;Baja California;San Luis Potosí;Sonora;Zacatecas", states, ";")
		print "ID externo;Razón social;RFC;Puesto;Descripción;Habilidades;Escolaridad;Estado;Municipio;Salario mínimo;Salario máximo;Vacantes;Fecha de inicio;Reubicación"
		for (i = 0; i < n; i++) {
			k = i % 200
			title = (i == n - 1) ? "Soldador zafiro" : sprintf("Operador de producción %d", i)
			printf "V-%06d;Empresa %d S.A. de C.V.;EMP%02d%02d%02dAB1;%s;\"Operación de máquinas; turno %d\";ensamble*, montacargas;secundaria;%s;Municipio %d;%d;%d;%d;%02d/03/2027;sí\n",
				i, k, k % 100, 1 + int(k / 100), 1 + k % 28, title, i % 3, states[1 + i % 6], i % 40, 9000 + (i % 5) * 500, 14000 + (i % 5) * 500, 1 + i % 20, 1 + i % 28
		}
	}' > "$2"
}

# fresh ENGINE NAME sets the environment of a new, empty database.
fresh() {
	export VINCULA_DATA_DIR="$work/$2" VINCULA_ADMIN_TOKEN=bench VINCULA_ADDR="$addr" VINCULA_LOG_LEVEL=warn
	export VINCULA_SECRET_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	unset VINCULA_DATABASE_URL
	mkdir -p "$VINCULA_DATA_DIR"
	if [ "$1" = postgres ]; then
		local db="vincula_bench_import_$2"
		$pg -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
		dbs+=("$db")
		export VINCULA_DATABASE_URL="$pg_base/$db?sslmode=disable"
	fi
}

start_server() {
	"$work/vincula" serve >"$work/server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 300); do
		curl -fs "http://$addr/readyz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}

stop_server() {
	kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
}

# new_fair prints the ID of a new job fair (through the running server's API).
new_fair() {
	curl -fs -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' \
		-d '{"name":"Feria de prueba","state":"MX-NLE","starts_on":"2027-03-01","ends_on":"2027-03-02"}' \
		"http://$addr/api/v1/job-fairs" | jq -r .id
}

# timed_import FAIR FILE ROWS runs the import under /usr/bin/time -v and prints
# "seconds rows/s peak-MiB cpu-seconds" (the command's own user and system time, which
# on a shared machine says more than the wall time).
timed_import() {
	/usr/bin/time -v "$work/vincula" import --fair "$1" "$2" >"$work/import.out" 2>"$work/time.txt" ||
		{ cat "$work/import.out" "$work/time.txt" >&2; exit 1; }
	local wall rss cpu
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
	cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$work/time.txt")
	awk -v w="$wall" -v n="$3" -v r="$rss" -v c="$cpu" 'BEGIN { printf "%.2f %.0f %.0f %.2f\n", w, n / w, r / 1024, c }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet -- importer store api cmd models || echo ' with uncommitted changes')"
echo
echo "| engine | rows | seconds | rows/s | peak RSS (MiB) | CPU seconds of the command |"
echo "|---|---|---|---|---|---|"
for n in $rows_list; do gen "$n" "$work/feria-$n.csv"; done
for engine in sqlite postgres; do
	for n in $rows_list; do
		fresh "$engine" "${engine}_$n"
		start_server; fair=$(new_fair); stop_server
		read -r secs rate rss cpu < <(timed_import "$fair" "$work/feria-$n.csv" "$n")
		grep -q "$n rows, $n created, 0 updated, 0 failed" "$work/import.out" || { cat "$work/import.out" >&2; exit 1; }
		echo "| $engine | $n | $secs | $rate | $rss | $cpu |"
		# The same file again: every row updates its vacancy.
		read -r secs rate rss cpu < <(timed_import "$fair" "$work/feria-$n.csv" "$n")
		grep -q "$n rows, 0 created, $n updated, 0 failed" "$work/import.out" || { cat "$work/import.out" >&2; exit 1; }
		echo "| $engine | $n again (all updates) | $secs | $rate | $rss | $cpu |"
	done
done

echo
echo "Searchable after the import ($search_rows rows, \`vincula serve\` running on the same database):"
echo
echo "| engine | import seconds (server running) | last row searchable after the import ended |"
echo "|---|---|---|"
[ -f "$work/feria-$search_rows.csv" ] || gen "$search_rows" "$work/feria-$search_rows.csv"
for engine in sqlite postgres; do
	fresh "$engine" "${engine}_search"
	start_server; fair=$(new_fair)
	start=$(date +%s.%N)
	"$work/vincula" import --fair "$fair" "$work/feria-$search_rows.csv" >"$work/import.out" 2>&1
	ended=$(date +%s.%N)
	found=""
	for _ in $(seq 1 1200); do
		if curl -fs -H 'Authorization: Bearer bench' "http://$addr/api/v1/vacancies?q=zafiro&job_fair_id=$fair" |
			jq -e '.items | length > 0' >/dev/null; then
			found=$(date +%s.%N); break
		fi
		sleep 0.05
	done
	stop_server
	[ -n "$found" ] || { echo "| $engine | - | not found within 60 s |"; continue; }
	awk -v s="$start" -v e="$ended" -v f="$found" -v engine="$engine" 'BEGIN { printf "| %s | %.1f | %.1f s |\n", engine, e - s, f - e }'
done
