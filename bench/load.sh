#!/usr/bin/env bash
# Portal and mixed load (docs/performance.md, "Portal and mixed load"): seed a database with
# customers, months of invoices and portal users (bench/seed), serve it with `erekins serve`
# and drive it with many signed-in clients (bench/load).
#
#   bench/load.sh                              the full size: 10,000 customers, 240,000 invoices
#   CUSTOMERS=200 DURATION=10s bench/load.sh   a smoke run
#
# Part A, sqlite: one server on a SQLite file; CONCURRENCY clients read archive pages, then
# download PDFs. Part B, postgres: two servers on one PostgreSQL database (erekins_load,
# created afresh); the mixed scenario round-robin over both. Each run has WARMUP first, not
# counted. The tables go to standard output, JSON and the servers' logs to $LOAD_DIR.
#
# Settings (environment, defaults in brackets): CUSTOMERS [10000], MONTHS [24], USERS
# (customers with a portal user) [200], CONCURRENCY [50], DURATION [30s], WARMUP [10s],
# THINK (each client's pause between requests, on average, in the runs that model people
# using the portal; the -saturated runs and the PDF run have none) [1s],
# DOCUMENTS (users: documents stored for the users' customers only; all: for every invoice)
# [users], PARTS ["sqlite postgres"], MIX [bench/load's default], EREKINS_LOAD_TOKEN (an API
# token for the mixed scenario; without one the API is left out unless bench/seed created
# tokens), LOAD_POSTGRES [postgres://postgres@127.0.0.1:5432], LOAD_DIR [/tmp/erekins-load],
# KEEP=1 keeps the databases.
set -euo pipefail
cd "$(dirname "$0")/.."

customers=${CUSTOMERS:-10000}
months=${MONTHS:-24}
users=${USERS:-200}
concurrency=${CONCURRENCY:-50}
duration=${DURATION:-30s}
think=${THINK:-1s}
warmup=${WARMUP:-10s}
documents=${DOCUMENTS:-users}
parts=${PARTS:-sqlite postgres}
pg=${LOAD_POSTGRES:-postgres://postgres@127.0.0.1:5432}
dir=${LOAD_DIR:-/tmp/erekins-load}
mix_args=()
[ -n "${MIX:-}" ] && mix_args=(-mix "$MIX")
mkdir -p "$dir"

echo "== building"
go build -o "$dir/erekins" ./cmd/erekins
go build -o "$dir/seed" ./bench/seed
go build -o "$dir/load" ./bench/load

# Readings can be submitted only inside a readings window (by default the 27th to the 3rd).
# On other days the window is widened to the whole month, for the seed and the servers
# alike, so the mixed load's readings are accepted; the rules cost the same either way.
day=$(TZ=Europe/Riga date +%-d)
if (( day < 27 && day > 2 )); then
  export EREKINS_WINDOW_OPEN_DAY=2 EREKINS_WINDOW_CLOSE_DAY=1
  echo "== today is outside the default readings window: using window days 2 to 1"
fi

pids=()
stop_servers() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_servers
  if [ -z "${KEEP:-}" ]; then
    rm -f "$dir"/load.db "$dir"/load.db-*
    if [[ " $parts " == *" postgres "* ]]; then
      psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS erekins_load WITH (FORCE)" >/dev/null 2>&1 || true
    fi
  fi
}
trap cleanup EXIT

# serve DB PORT...: starts one server per port on DB and waits until each is ready.
serve() {
  local db=$1; shift
  for port in "$@"; do
    "$dir/erekins" serve --db "$db" --addr "127.0.0.1:$port" >"$dir/serve-$port.log" 2>&1 &
    pids+=($!)
  done
  for port in "$@"; do
    for _ in $(seq 300); do
      curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && continue 2
      sleep 0.2
    done
    echo "server on port $port did not become ready; see $dir/serve-$port.log" >&2
    exit 1
  done
  # The daily billing job runs when a server starts (it finds nothing due: the seed billed
  # up to today); the load starts once it is done, so it does not weigh on the figures.
  local logs=()
  for port in "$@"; do logs+=("$dir/serve-$port.log"); done
  for _ in $(seq 600); do
    grep -q 'msg="billing run"' "${logs[@]}" && return
    sleep 0.2
  done
  echo "== no billing run logged by the servers within 2 minutes (log level above info?); going on"
}

seed() { # seed DB USERSFILE
  /usr/bin/time -f "seed: %e s wall, peak %M KiB" "$dir/seed" -db "$1" -customers "$customers" -months "$months" \
    -users "$users" -documents "$documents" -o "$2"
}

run_load() { # run_load NAME URLS SCENARIO USERSFILE [THINK]
  echo "== $1"
  "$dir/load" -url "$2" -scenario "$3" -users "$4" -c "$concurrency" -d "$duration" -warmup "$warmup" \
    -think "${5:-0s}" "${mix_args[@]}" -json "$dir/result-$1.json"
}

for part in $parts; do
  case $part in
  sqlite)
    echo "== part A: SQLite, $customers customers × $months months, one server"
    rm -f "$dir"/load.db "$dir"/load.db-*
    seed "$dir/load.db" "$dir/users-sqlite.json"
    serve "$dir/load.db" 18080
    run_load sqlite-archive http://127.0.0.1:18080 archive "$dir/users-sqlite.json" "$think"
    run_load sqlite-archive-saturated http://127.0.0.1:18080 archive "$dir/users-sqlite.json"
    run_load sqlite-pdf http://127.0.0.1:18080 pdf "$dir/users-sqlite.json"
    stop_servers
    ;;
  postgres)
    echo "== part B: PostgreSQL, $customers customers × $months months, two servers"
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS erekins_load WITH (FORCE)" -c "CREATE DATABASE erekins_load" >/dev/null
    db="$pg/erekins_load?sslmode=disable"
    seed "$db" "$dir/users-postgres.json"
    serve "$db" 18081 18082
    run_load postgres-mixed http://127.0.0.1:18081,http://127.0.0.1:18082 mixed "$dir/users-postgres.json" "$think"
    run_load postgres-mixed-saturated http://127.0.0.1:18081,http://127.0.0.1:18082 mixed "$dir/users-postgres.json"
    stop_servers
    ;;
  *)
    echo "PARTS: unknown part $part (sqlite, postgres)" >&2
    exit 2
    ;;
  esac
done
echo "== done; results in $dir/result-*.json"
