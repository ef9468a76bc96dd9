#!/usr/bin/env bash
# Runs every fuzz target of the module for the given time (default 30s each). New
# interesting inputs land in the package's testdata/fuzz directory; commit those.
set -euo pipefail
cd "$(dirname "$0")/.."
time="${1:-30s}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' "$dir"/*_test.go 2>/dev/null | awk '{print $2}'); do
    echo "== $pkg $target ($time)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time"
  done
done
