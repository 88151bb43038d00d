#!/usr/bin/env bash
# Foundation benchmarks (see docs/benchmarks.md). Run through `./dev bench`, which builds the
# release binary first. Traffic goes to 127.0.0.1 only; every loop is bounded.
#
#   cold start   process start -> first 200 from /readyz (existing, migrated SQLite database), 10 runs
#   idle RSS     resident memory after start and a few page loads
#   wasm size    raw and gzip -9 of the shipped bundle
#   SSR load     wrk against /staff and / (p50/p99), SQLite and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-target}/release/platforma"
PORT="${BENCH_PORT:-3199}"
DIR=$(mktemp -d /tmp/platforma-bench.XXXX)
trap 'rm -rf "$DIR"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }

export PLATFORMA_SERVER_ADDR="127.0.0.1:$PORT" PLATFORMA_SERVER_SITE_ROOT=target/site PLATFORMA_LOG_LEVEL=warn
start() { "$BIN" serve >/dev/null 2>&1 & PID=$!; }
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
wait_ready() {
  for _ in $(seq 1 2000); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz" && return 0
    sleep 0.005
  done
  echo "server did not become ready" >&2; return 1
}

echo "## machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"
export DATABASE_URL="sqlite://$DIR/bench.db"
"$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null

echo "## cold start to first 200 on /readyz (ms), 10 runs"
times=()
for _ in $(seq 1 10); do
  t0=$(date +%s%N); start; wait_ready; t1=$(date +%s%N); stop
  times+=($(( (t1 - t0) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %d, median %d, max %d\n", a[1], a[int((NR+1)/2)], a[NR]}'

echo "## idle RSS"
start; wait_ready
for p in / /staff /staff/companies /cabinet /guard; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"; done
sleep 1
grep VmRSS "/proc/$PID/status"
stop

echo "## wasm bundle"
raw=$(stat -c %s target/site/pkg/platforma.wasm)
gz=$(gzip -9 -c target/site/pkg/platforma.wasm | wc -c)
js=$(stat -c %s target/site/pkg/platforma.js)
css=$(stat -c %s target/site/pkg/platforma.css)
echo "wasm raw $raw B, gzip $gz B; js $js B; css $css B"

load() {
  local label=$1
  start; wait_ready
  for path in / /staff; do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT$path"
    echo "### $label GET $path: wrk -t1 -c16 -d15s --latency"
    wrk -t1 -c16 -d15s --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|^\s+(50|99)%|Non-2xx|Socket errors"
  done
  stop
}
echo "## SSR under load"
load SQLite
if psql "postgres://postgres@127.0.0.1:5432/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS platforma_bench WITH (FORCE)" -c "CREATE DATABASE platforma_bench" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/platforma_bench"
  "$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
  load PostgreSQL
fi
