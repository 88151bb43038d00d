#!/usr/bin/env bash
# Import benchmark (see docs/benchmarks.md): a 50,000-row XLSX (bench/import_files.py: 10,000
# flats × owners, tenants and occupants with phones and arrears) imported through the HTTP API
# into a new 10,000-unit building, then the same file again (nothing to change), on SQLite and
# PostgreSQL. Reports the upload (read + suggested mapping), the check (parse + plan every row)
# and the apply (start to done) in seconds and rows/s. Needs the release binary (`./dev bench`
# builds it) and openpyxl (installed here if missing). Run alone: bash bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-target}/release/platforma"
PORT="${BENCH_PORT:-3197}"
ROWS="${IMPORT_ROWS:-50000}"
DIR=$(mktemp -d /tmp/platforma-import.XXXX)
trap 'rm -rf "$DIR"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT
python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl
export PLATFORMA_SERVER_ADDR="127.0.0.1:$PORT" PLATFORMA_SERVER_SITE_ROOT=target/site PLATFORMA_LOG_LEVEL=warn
ORIGIN="http://127.0.0.1:$PORT"
python3 bench/import_files.py --bench "$ROWS" "$DIR/bench.xlsx"
echo "file: $ROWS rows, $(du -k "$DIR/bench.xlsx" | cut -f1) KiB"
{ printf 'source=&file_name=bench.xlsx&content='; base64 -w0 "$DIR/bench.xlsx" | tr '+/' '-_' | tr -d '='; } > "$DIR/upload.body"

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
rate() { python3 -c "print(f'{$ROWS / ($2 - $1):,.0f}'.replace(',', ' '))"; }

call() { # endpoint body
  curl -sf -H "Origin: $ORIGIN" -H "Accept: application/json" -H "Cookie: platforma_session=$TOKEN" --data "$2" "$ORIGIN/api/$1"
}

one_import() { # label building
  local t0 t1 t2 t3 id status
  { printf 'building=%s&' "$2"; cat "$DIR/upload.body"; } > "$DIR/request.body"
  t0=$(now)
  id=$(curl -sf -H "Origin: $ORIGIN" -H "Accept: application/json" -H "Cookie: platforma_session=$TOKEN" \
    --data-binary @"$DIR/request.body" "$ORIGIN/api/imports/upload")
  t1=$(now)
  call imports/preview "id=$id" > "$DIR/preview.json"
  t2=$(now)
  call imports/start "id=$id&valid_only=true" >/dev/null
  while :; do
    status=$(call imports/status "id=$id")
    case "$status" in *'"status":"Done"'*|*'"status":"Failed"'*) break ;; esac
    sleep 0.2
  done
  t3=$(now)
  echo "  $1: upload $(secs "$t0" "$t1") s, check $(secs "$t1" "$t2") s ($(rate "$t1" "$t2") rows/s), apply $(secs "$t2" "$t3") s ($(rate "$t2" "$t3") rows/s)"
  echo "    $(echo "$status" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], "created", j["created"], "updated", j["updated"], "unchanged", j["unchanged"], "rejected", j["rejected"])')"
}

run() {
  local label=$1
  "$BIN" serve >/dev/null 2>&1 & PID=$!
  for _ in $(seq 1 2000); do curl -fs -o /dev/null "$ORIGIN/readyz" && break; sleep 0.005; done
  TOKEN=$(curl -s -D - -o /dev/null -H "Origin: $ORIGIN" -H "Accept: application/json" \
    --data "login=admin&password=demo-platforma&mode=Staff" "$ORIGIN/api/auth/sign-in" |
    sed -n 's/^set-cookie: platforma_session=\([0-9a-f]*\);.*/\1/Ip')
  local building
  building=$(call buildings/create "plan[name]=Нагрузка&plan[address][region]=&plan[address][city]=Москва&plan[address][street]=Импортная&plan[address][house]=1&plan[address][block]=&plan[entrances]=10&plan[floors]=25&plan[units_per_floor]=40&plan[commercial_per_entrance]=0&plan[parking_spaces]=0&plan[first_number]=1&plan[numbering]=Continuous")
  echo "### $label: a new building of 10 000 flats"
  one_import "first import" "$building"
  one_import "same file again" "$building"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

echo "## import of a $ROWS-row XLSX"
export DATABASE_URL="sqlite://$DIR/import.db"
"$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
run SQLite
if psql "postgres://postgres@127.0.0.1:5432/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS platforma_import WITH (FORCE)" -c "CREATE DATABASE platforma_import" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/platforma_import"
  "$BIN" migrate >/dev/null && "$BIN" seed-demo >/dev/null
  run PostgreSQL
fi
