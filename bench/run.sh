#!/usr/bin/env bash
# bench/run.sh - `make bench`: GET /api/v1/persons/{id} on openpes against the floor.
#
# 1. A database of BENCH_PERSONS synthetic people (seed BENCH_SEED) made by `openpes seed`,
#    cached under bench/out/ keyed by N and seed (delete bench/out/ to rebuild it).
# 2. A fresh copy of it, a staff account (counsellor at the office the people are registered
#    at, so reads are allowed: checked on a sample), `openpes serve` on a free loopback port.
# 3. wrk with bench/persons.lua: random ids from the seeder's ids file, bearer token.
# 4. The same wrk run against bench-floor (bench/floor.c) on the same database file.
# 5. A table (also bench/out/latest.txt): req/s, p50, p99, non-2xx, the openpes/floor ratio, and
#    the audit rows written during the openpes run next to the successful answers it counted.
#
# Environment: BUILD (build), BENCH_PERSONS (100000), BENCH_SEED (1), BENCH_DURATION seconds per
# run (15), BENCH_WARMUP (3), BENCH_CONNECTIONS (64), BENCH_THREADS (2).  Loopback only; bounded:
# about 2 x (warm-up + duration) plus the one-time seeding.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_PERSONS:-100000}
SEED=${BENCH_SEED:-1}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
OUT=bench/out
BIN=$BUILD/openpes
FLOOR=$BUILD/bench-floor
USER_NAME=bench-counsellor
USER_PASS=bench-pass-2026

for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps installs it)" >&2; exit 1; }
done
for b in "$BIN" "$FLOOR"; do
  [ -x "$b" ] || { echo "bench: $b is missing; run: make BUILD=$BUILD all tools" >&2; exit 1; }
done
mkdir -p "$OUT"

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---- 1. the seeded database (cached) ----
CACHE=$OUT/persons-n$N-s$SEED
KEYS=$CACHE.keys.json
if [ ! -f "$CACHE.db" ] || [ ! -f "$CACHE.ids" ]; then
  echo "bench: seeding $N people (seed $SEED) into $CACHE.db (cached for later runs)"
  rm -f "$CACHE.tmp.db" "$CACHE.tmp.db-wal" "$CACHE.tmp.db-shm" "$CACHE.tmp.ids"
  "$BIN" --db "$CACHE.tmp.db" --keys "$KEYS" --log-level warn \
    seed --persons "$N" --seed "$SEED" --offices 1 --ids-file "$CACHE.tmp.ids" | tee "$CACHE.seed.log"
  sqlite3 "$CACHE.tmp.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  mv "$CACHE.tmp.db" "$CACHE.db"
  rm -f "$CACHE.tmp.db-wal" "$CACHE.tmp.db-shm"
  mv "$CACHE.tmp.ids" "$CACHE.ids"
else
  echo "bench: using cached $CACHE.db"
fi
SEED_LINE=$(grep '^seeded' "$CACHE.seed.log" 2>/dev/null | tail -1 || true)

# ---- 2. a fresh copy, an account, the server ----
RUN=$OUT/run.db
rm -f "$RUN" "$RUN-wal" "$RUN-shm"
cp "$CACHE.db" "$RUN"
IDS=$CACHE.ids
"$BIN" --db "$RUN" --keys "$KEYS" --log-level warn user add --username "$USER_NAME" --password "$USER_PASS" \
  --kind staff --role counsellor --office SYN-01 --name "Bench Counsellor" >/dev/null

wait_port() { # file pid -> port
  for _ in $(seq 1 200); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

rm -f "$OUT/openpes.port"
"$BIN" --db "$RUN" --keys "$KEYS" serve --port 0 --port-file "$OUT/openpes.port" --no-worker --web web \
  >"$OUT/openpes.log" 2>&1 &
OP_PID=$!
PIDS+=("$OP_PID")
OP_PORT=$(wait_port "$OUT/openpes.port" "$OP_PID") || { echo "bench: openpes did not start:" >&2; tail "$OUT/openpes.log" >&2; exit 1; }
OP_URL=http://127.0.0.1:$OP_PORT

LOGIN=$(curl -sS -X POST "$OP_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASS\",\"mode\":\"bearer\"}")
TOKEN=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$LOGIN")
[ -n "$TOKEN" ] || { echo "bench: login failed: $LOGIN" >&2; exit 1; }

# Reads must be allowed (200), not refused: check a sample of ids before measuring.
check_sample() { # base-url prefix auth-header
  local bad=0 id code
  for id in $(shuf -n 20 --random-source=<(yes) "$IDS" | cut -f1); do
    code=$(curl -sS -o "$OUT/sample.json" -w '%{http_code}' -H "$3" "$1$2$id")
    if [ "$code" != 200 ]; then bad=$((bad + 1)); echo "bench: GET $2$id -> $code: $(head -c 300 "$OUT/sample.json")" >&2; fi
  done
  [ "$bad" = 0 ]
}
check_sample "$OP_URL" /api/v1/persons/ "Authorization: Bearer $TOKEN" || { echo "bench: sample reads failed" >&2; exit 1; }

audit_seq() { sqlite3 "$RUN" 'SELECT seq FROM audit_head;'; }
log_lines() { wc -l <"$OUT/openpes.log"; }
answered_2xx() {
  curl -sS "$OP_URL/metrics" | grep '^openpes_http_requests_total{' | grep 'route="/api/v1/persons/{id}"' |
    grep 'class="2xx' | awk '{s += $NF} END {print s + 0}'
}

run_wrk() { # name url prefix token seconds
  wrk -t"$THREADS" -c"$CONNS" -d"$5s" --latency -s bench/persons.lua "$2" -- "$IDS" "$3" "$4" >"$OUT/wrk-$1.txt" 2>&1 || true
  grep '^RESULT' "$OUT/wrk-$1.txt" || { echo "bench: wrk failed:" >&2; cat "$OUT/wrk-$1.txt" >&2; exit 1; }
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

echo "bench: openpes on $OP_URL: warm-up ${WARMUP}s, then ${DURATION}s (wrk -t$THREADS -c$CONNS)"
run_wrk openpes-warmup "$OP_URL" /api/v1/persons/ "$TOKEN" "$WARMUP" >/dev/null
sleep 0.5
S0=$(audit_seq) L0=$(log_lines) M0=$(answered_2xx)
OP=$(run_wrk openpes "$OP_URL" /api/v1/persons/ "$TOKEN" "$DURATION")
sleep 1 # let requests that were in flight when wrk stopped finish
S1=$(audit_seq) L1=$(log_lines) M1=$(answered_2xx)
# Reconcile by correlation id: each answered read (request log, status 200) against the audit
# records written in the same window.
sqlite3 "$RUN" "SELECT correlation_id FROM audit_log WHERE seq > $S0 AND seq <= $S1
                AND action = 'READ' AND resource_type = 'person' AND outcome = 'allow';" | sort >"$OUT/audited.ids"
tail -n +"$((L0 + 1))" "$OUT/openpes.log" | head -n "$((L1 - L0))" | grep '"route":"/api/v1/persons/{id}"' |
  grep '"status":200' | sed -n 's/.*"correlation_id":"\([^"]*\)".*/\1/p' | sort >"$OUT/answered.ids"
kill "$OP_PID"
wait "$OP_PID" 2>/dev/null || true
PIDS=()

# ---- 4. the floor ----
rm -f "$OUT/floor.port"
"$FLOOR" --db "$RUN" --port 0 --port-file "$OUT/floor.port" --daemons "$(nproc)" >"$OUT/floor.log" 2>&1 &
FL_PID=$!
PIDS+=("$FL_PID")
FL_PORT=$(wait_port "$OUT/floor.port" "$FL_PID") || { echo "bench: floor did not start:" >&2; cat "$OUT/floor.log" >&2; exit 1; }
FL_URL=http://127.0.0.1:$FL_PORT
check_sample "$FL_URL" /persons/ "X-Bench: floor" || { echo "bench: floor sample reads failed" >&2; exit 1; }
echo "bench: floor on $FL_URL: warm-up ${WARMUP}s, then ${DURATION}s"
run_wrk floor-warmup "$FL_URL" /persons/ "" "$WARMUP" >/dev/null
FL=$(run_wrk floor "$FL_URL" /persons/ "" "$DURATION")
kill "$FL_PID"
wait "$FL_PID" 2>/dev/null || true
PIDS=()

# ---- 5. report ----
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
OP_RPS=$(field "$OP" rps) FL_RPS=$(field "$FL" rps)
RATIO=$(awk -v a="$OP_RPS" -v b="$FL_RPS" 'BEGIN {printf "%.0f", (b > 0 ? 100 * a / b : 0)}')
AUDIT_ROWS=$((S1 - S0))
AUDITED=$(wc -l <"$OUT/audited.ids")
ANSWERED=$(wc -l <"$OUT/answered.ids")
ANSWERED_METRIC=$((M1 - M0))
MISSING=$(comm -13 "$OUT/audited.ids" "$OUT/answered.ids" | wc -l)
UNANSWERED=$(comm -23 "$OUT/audited.ids" "$OUT/answered.ids" | wc -l)
WRK_OK=$(($(field "$OP" requests) - $(field "$OP" non2xx)))
AUDIT_PASS=0
if [ "$MISSING" = 0 ] && [ "$ANSWERED" = "$ANSWERED_METRIC" ]; then AUDIT_PASS=1; fi
{
  echo "OpenPES benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
  echo "data: $N synthetic people (seed $SEED), SQLite, synchronous=FULL; ${SEED_LINE:-seeding rate not recorded}"
  echo "load: GET person by random id, wrk -t$THREADS -c$CONNS -d${DURATION}s after ${WARMUP}s warm-up, loopback"
  echo
  printf "%-28s %10s %9s %9s %9s %8s\n" "server" "req/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx"
  printf "%-28s %10s %9s %9s %9s %8s\n" "openpes (auth+access+audit)" "$OP_RPS" "$(ms "$(field "$OP" p50_us)")" \
    "$(ms "$(field "$OP" p90_us)")" "$(ms "$(field "$OP" p99_us)")" "$(field "$OP" non2xx)"
  printf "%-28s %10s %9s %9s %9s %8s\n" "floor (MHD+SQLite+jansson)" "$FL_RPS" "$(ms "$(field "$FL" p50_us)")" \
    "$(ms "$(field "$FL" p90_us)")" "$(ms "$(field "$FL" p99_us)")" "$(field "$FL" non2xx)"
  echo
  echo "openpes / floor: $RATIO % of the floor's throughput (goal >= 50 %)"
  echo "audit during the openpes run: $AUDIT_ROWS rows written; successful reads answered: $ANSWERED (server metric: $ANSWERED_METRIC)"
  echo "  answered reads without their audit record: $MISSING (by correlation id; must be 0)"
  echo "  audited reads not answered: $UNANSWERED (wrk hung up at its stop while they waited for their audit batch)"
  echo "  wrk itself counted $WRK_OK 2xx (it does not count answers in flight when it stops)"
  [ "$AUDIT_PASS" = 1 ] && echo "audit check: PASS" || echo "audit check: FAIL"
} | tee "$OUT/latest.txt"
[ "$AUDIT_PASS" = 1 ]
