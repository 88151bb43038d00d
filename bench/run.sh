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
  local origin="http://127.0.0.1:$PORT"
  local token
  token=$(curl -s -D - -o /dev/null -H "Origin: $origin" -H "Accept: application/json" \
    --data "login=admin&password=demo-platforma&mode=Staff" "$origin/api/auth/sign-in" |
    sed -n 's/^set-cookie: platforma_session=\([0-9a-f]*\);.*/\1/Ip')
  [ -n "$token" ] || { echo "sign-in for the SSR benchmark failed" >&2; return 1; }
  # The demo tower: 25 floors x 6 entrances x 8 flats + 120 parking spaces (1,320 units).
  local tower
  tower=$(curl -s -X POST -H "Origin: $origin" -H "Accept: application/json" -H "Cookie: platforma_session=$token" \
    "$origin/api/buildings/list" | python3 -c 'import json,sys; print(next(b["id"] for b in json.load(sys.stdin) if b["units"] > 1000))')
  for path in / /staff /staff/companies /staff/buildings "/staff/buildings/$tower"; do
    echo "### $label GET $path (signed in as admin): wrk -t1 -c16 -d15s --latency"
    wrk -t1 -c16 -d15s --latency -H "Cookie: platforma_session=$token" "$origin$path" | grep -E "Requests/sec|^\s+(50|99)%|Non-2xx|Socket errors"
  done
  cat > "$DIR/grid.lua" <<LUA
wrk.method = "POST"
wrk.headers["Origin"] = "$origin"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Cookie"] = "platforma_session=$token"
wrk.body = "id=$tower"
LUA
  echo "### $label POST /api/buildings/grid (the tower's 1,320 units as JSON): wrk -t1 -c16 -d15s --latency -s grid.lua"
  wrk -t1 -c16 -d15s --latency -s "$DIR/grid.lua" "$origin/api/buildings/grid" | grep -E "Requests/sec|^\s+(50|99)%|Non-2xx|Socket errors"
  if [ "$label" = SQLite ]; then
    echo "### $label the tower's grid in Chromium: node bench/grid-browser.mjs (10 loads)"
    (cd end2end && BENCH_ORIGIN="$origin" BENCH_TOWER="$tower" node ../bench/grid-browser.mjs)
  fi
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

# ---- Access (sign-in cost, permission check cost) ------------------------------------------
echo "## access"
# Counts answers by status in each wrk thread and prints any that are not 200 at the end.
cat > "$DIR/status.lua" <<'LUA'
local counts = {}
response = function(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
done = function(summary, latency, requests)
  for status, n in pairs(counts) do if status ~= 200 then io.write("  status ", status, ": ", n, "\n") end end
end
LUA
export DATABASE_URL="sqlite://$DIR/bench.db"
export PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_IP=1000000
start; wait_ready
ORIGIN="http://127.0.0.1:$PORT"
cat > "$DIR/sign-in.lua" <<LUA
wrk.method = "POST"
wrk.headers["Origin"] = "$ORIGIN"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "login=dispatcher&password=demo-platforma&mode=Staff"
LUA
cat "$DIR/status.lua" >> "$DIR/sign-in.lua"
for c in 1 4 16; do
  echo "### sign-in (argon2id 19 MiB t=2), $c concurrent: wrk -t1 -c$c -d15s --latency -s sign-in.lua"
  wrk -t1 -c$c -d15s --latency -s "$DIR/sign-in.lua" "$ORIGIN/api/auth/sign-in" | grep -E "Requests/sec|^\s+(50|99)%|Non-2xx|Socket errors|status"
done
TOKEN=$(curl -s -D - -o /dev/null -H "Origin: $ORIGIN" -H "Accept: application/json" \
  --data "login=dispatcher&password=demo-platforma&mode=Staff" "$ORIGIN/api/auth/sign-in" |
  sed -n 's/^set-cookie: platforma_session=\([0-9a-f]*\);.*/\1/Ip')
for ep in companies/public-contacts auth/me companies/list; do
  # The public call goes without a cookie: the baseline with no session lookup at all.
  cookie="platforma_session=$TOKEN"
  [ "$ep" = companies/public-contacts ] && cookie=""
  cat > "$DIR/call.lua" <<LUA
wrk.method = "POST"
wrk.headers["Origin"] = "$ORIGIN"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.body = "q="
LUA
  cat "$DIR/status.lua" >> "$DIR/call.lua"
  echo "### POST /api/$ep ($([ -z "$cookie" ] && echo 'public, no cookie' || echo 'session + permission check')): wrk -t1 -c16 -d15s --latency"
  wrk -t1 -c16 -d15s --latency -s "$DIR/call.lua" "$ORIGIN/api/$ep" | grep -E "Requests/sec|^\s+(50|99)%|Non-2xx|Socket errors|status"
done
stop
bash "$(dirname "$0")/search.sh"
bash "$(dirname "$0")/import.sh"
