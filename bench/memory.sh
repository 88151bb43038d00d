#!/usr/bin/env bash
# Memory of the server through an ordinary walk (see docs/benchmarks.md, «Memory»): the release
# server on a fresh SQLite demo database; an administrator opens the staff pages (overview,
# buildings, the 1,320-unit tower's grid, a unit page, people, a client card, search, accounts,
# the audit log), uploads the 19-row sample import, checks and applies it: three times with curl,
# then twice in Chromium (bench/memory-browser.mjs: every page hydrated, the import through the
# screens). RSS (and the peak, VmHWM) is printed after start, after each walk, and after 30 s idle.
# Run with the allocator settings to compare as the environment, e.g.
#   bash bench/memory.sh                      # as shipped
#   MALLOC_ARENA_MAX=2 bash bench/memory.sh   # glibc with two arenas (diagnosis)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-target}/release/platforma"
PORT="${BENCH_PORT:-3196}"
DIR=$(mktemp -d /tmp/platforma-memory.XXXX)
trap 'rm -rf "$DIR"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT
export PLATFORMA_SERVER_ADDR="127.0.0.1:$PORT" PLATFORMA_SERVER_SITE_ROOT=target/site PLATFORMA_LOG_LEVEL=warn
export DATABASE_URL="sqlite://$DIR/memory.db"
ORIGIN="http://127.0.0.1:$PORT"
"$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
"$BIN" serve >/dev/null 2>&1 & PID=$!
for _ in $(seq 1 2000); do curl -fs -o /dev/null "$ORIGIN/readyz" && break; sleep 0.005; done

rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$PID/status"; echo "$1"; }
TOKEN=$(curl -s -D - -o /dev/null -H "Origin: $ORIGIN" -H "Accept: application/json" \
  --data "login=admin&password=demo-platforma&mode=Staff" "$ORIGIN/api/auth/sign-in" |
  sed -n 's/^set-cookie: platforma_session=\([0-9a-f]*\);.*/\1/Ip')
call() { curl -sf -H "Origin: $ORIGIN" -H "Accept: application/json" -H "Cookie: platforma_session=$TOKEN" --data "$2" "$ORIGIN/api/$1"; }
page() { curl -sf -o /dev/null -H "Cookie: platforma_session=$TOKEN" "$ORIGIN$1"; }
ids=$(call buildings/list "" | python3 -c '
import json, sys
b = json.load(sys.stdin)
print(next(x["id"] for x in b if x["units"] > 1000), next(x["id"] for x in b if x["name"] == "Садовая, 3"))')
read -r TOWER SADOVAYA <<<"$ids"
UNIT=$(call buildings/grid "id=$TOWER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["id"])')
PERSON=$(call people/list "filter[q]=" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["person"]["id"])')
{ printf 'building=%s&source=&file_name=import-sample.xlsx&content=' "$SADOVAYA"; base64 -w0 docs/import-sample.xlsx | tr '+/' '-_' | tr -d '='; } > "$DIR/upload.body"

walk() {
  for p in /staff /staff/buildings "/staff/buildings/$TOWER" "/staff/units/$UNIT" /staff/people \
    "/staff/people/$PERSON" "/staff/search?q=%D0%9B%D0%B5%D1%81%D0%BD%D0%B0%D1%8F" /staff/admin/users /staff/admin/audit \
    /staff/people/import; do
    page "$p"
  done
  local id status
  id=$(curl -sf -H "Origin: $ORIGIN" -H "Accept: application/json" -H "Cookie: platforma_session=$TOKEN" \
    --data-binary @"$DIR/upload.body" "$ORIGIN/api/imports/upload")
  call imports/preview "id=$id" >/dev/null
  call imports/start "id=$id&valid_only=true" >/dev/null
  for _ in $(seq 1 100); do
    status=$(call imports/status "id=$id")
    case "$status" in *'"status":"Done"'*|*'"status":"Failed"'*) break ;; esac
    sleep 0.1
  done
  page "/staff/people/import/$id"
}

echo "## memory through an ordinary walk (${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX }release, SQLite)"
rss "after start"
for i in 1 2 3; do walk; rss "after walk $i (curl)"; done
for i in $(seq 1 "${BROWSER_WALKS:-2}"); do
  (cd end2end && BENCH_ORIGIN="$ORIGIN" node ../bench/memory-browser.mjs)
  rss "after walk $i in Chromium (pages hydrated, the sample imported through the screens)"
done
sleep 30
rss "after 30 s idle"
