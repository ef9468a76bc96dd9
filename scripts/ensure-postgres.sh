#!/usr/bin/env bash
# Makes sure the PostgreSQL that the store and API tests use is up. Tests read
# VINCULA_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); when
# it points at this machine and nothing answers, start the local cluster (installing
# PostgreSQL from Debian's packages if it is missing).
set -euo pipefail

url="${VINCULA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
case "$url" in
  *@127.0.0.1:*|*@localhost:*|*@127.0.0.1/*|*@localhost/*) ;;
  *) echo "ensure-postgres: $url is not local; leaving it alone"; exit 0 ;;
esac

ready() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2 2>/dev/null; }

if command -v pg_isready >/dev/null && ready; then
  echo "ensure-postgres: PostgreSQL is up"
  exit 0
fi
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-postgres: PostgreSQL is not installed and this is not root; install it or set VINCULA_TEST_DATABASE_URL" >&2
    exit 1
  fi
  echo "ensure-postgres: installing PostgreSQL from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  ver=$(ls /etc/postgresql | sort -V | tail -n1)
  # Tests connect as postgres over TCP without a password, as on the CI machines.
  sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "/etc/postgresql/$ver/main/pg_hba.conf"
fi
ver=$(ls /etc/postgresql | sort -V | tail -n1)
echo "ensure-postgres: starting PostgreSQL $ver"
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
for _ in $(seq 1 30); do
  if ready; then echo "ensure-postgres: PostgreSQL is up"; exit 0; fi
  sleep 1
done
echo "ensure-postgres: PostgreSQL did not come up at 127.0.0.1:5432" >&2
exit 1
