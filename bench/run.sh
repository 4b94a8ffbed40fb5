#!/usr/bin/env bash
# Whole-process figures on this machine (docs/performance.md): generate a dataset, import it,
# and bill it, on SQLite and, with BENCH_POSTGRES=postgres://…, on PostgreSQL too.
#
#   bench/run.sh [CONTRACTS]        (default 100000; the files go to $BENCH_DIR, default /tmp/erekins-bench)
#
# The billing run is the product's own: compute, numbering, PDF, UBL, CSV and JSON documents,
# deliveries queued, all stored. Peak memory is the maximum resident set size.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=${BENCH_DIR:-/tmp/erekins-bench}
mkdir -p "$dir"
go build -o "$dir/erekins" ./cmd/erekins
[ -f "$dir/data-$n.json" ] || go run ./bench/gendata -contracts "$n" -o "$dir/data-$n.json"
readings=$(grep -o '"metering_point":' "$dir/data-$n.json" | wc -l)

run() { # run LABEL DB
  local label=$1 db=$2
  echo "== $label: $n contracts, $readings readings"
  /usr/bin/time -f "import: %e s wall, peak %M KiB" "$dir/erekins" import "$dir/data-$n.json" --db "$db"
  /usr/bin/time -f "bill: %e s wall, peak %M KiB" "$dir/erekins" bill --date 2026-11-27 --db "$db" > "$dir/bill-$label.out"
  tail -1 "$dir/bill-$label.out"
}

rm -f "$dir"/bench.db*
run sqlite "$dir/bench.db"
if [ -n "${BENCH_POSTGRES:-}" ]; then
  run postgres "$BENCH_POSTGRES"
fi
