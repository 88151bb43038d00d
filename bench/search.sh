#!/usr/bin/env bash
# Search benchmark (see docs/benchmarks.md): the demo plus 100,000 people and 50,000 units
# (bench/people-load.py), then wrk against /api/people/search with a mix of queries (names, name + first
# name, phone fragments, whole phones, plates in Latin, accounts, "street house flat"), SQLite and
# PostgreSQL. Needs the release binary (`./dev bench` builds it). Run alone: bash bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-target}/release/platforma"
PORT="${BENCH_PORT:-3198}"
DIR=$(mktemp -d /tmp/platforma-search.XXXX)
trap 'rm -rf "$DIR"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
export PLATFORMA_SERVER_ADDR="127.0.0.1:$PORT" PLATFORMA_SERVER_SITE_ROOT=target/site PLATFORMA_LOG_LEVEL=warn
ORIGIN="http://127.0.0.1:$PORT"

cat > "$DIR/search.lua" <<'LUA'
-- One query after another from a fixed mix, URL-encoded.
local queries = {
  "иванова", "петров сер", "смирнова ольга", "СОКОЛОВ", "воробьев", "8 916 123", "9031234567",
  "+7 925 555", "a123", "х777хх", "5500012345", "нагрузочная 3 кв 125", "лесная 12 кв 7", "кузнецова анна ивановна",
}
local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, nil, nil, "q=" .. enc(queries[(i % #queries) + 1]))
end
local counts = {}
response = function(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
done = function(summary, latency, requests)
  for status, n in pairs(counts) do if status ~= 200 then io.write("  status ", status, ": ", n, "\n") end end
end
LUA

run() {
  local label=$1
  "$BIN" serve >/dev/null 2>&1 & PID=$!
  for _ in $(seq 1 2000); do curl -fs -o /dev/null "$ORIGIN/readyz" && break; sleep 0.005; done
  local token
  token=$(curl -s -D - -o /dev/null -H "Origin: $ORIGIN" -H "Accept: application/json" \
    --data "login=dispatcher&password=demo-platforma&mode=Staff" "$ORIGIN/api/auth/sign-in" |
    sed -n 's/^set-cookie: platforma_session=\([0-9a-f]*\);.*/\1/Ip')
  { echo 'wrk.method = "POST"'
    echo "wrk.headers[\"Origin\"] = \"$ORIGIN\""
    echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
    echo 'wrk.headers["Accept"] = "application/json"'
    echo "wrk.headers[\"Cookie\"] = \"platforma_session=$token\""
    cat "$DIR/search.lua"; } > "$DIR/run.lua"
  echo "### $label POST /api/people/search, 14-query mix, dispatcher (company-wide): wrk -t1 -c8 -d20s --latency -s search.lua"
  wrk -t1 -c8 -d20s --latency -s "$DIR/run.lua" "$ORIGIN/api/people/search" | grep -E "Requests/sec|^\s+(50|75|90|99)%|Non-2xx|Socket errors|status"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

echo "## search with 100k people and 50k units"
export DATABASE_URL="sqlite://$DIR/search.db"
"$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
python3 bench/people-load.py sqlite "$DIR/search.db"
run SQLite
if psql "postgres://postgres@127.0.0.1:5432/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS platforma_search WITH (FORCE)" -c "CREATE DATABASE platforma_search" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/platforma_search"
  "$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
  python3 bench/people-load.py postgres "$DATABASE_URL"
  run PostgreSQL
fi
