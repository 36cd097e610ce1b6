#!/usr/bin/env bash
# bench/run.sh - `make bench`: GET /api/v1/persons/{id} on openpes against the floor.
#
# 1. A database of BENCH_PERSONS synthetic people (seed BENCH_SEED) made by `openpes seed`,
#    cached under bench/out/ keyed by N and seed (delete bench/out/ to rebuild it).
# 2. A fresh copy of it, a staff account (counsellor at the office the people are registered
#    at, so reads are allowed: checked on a sample), `openpes serve --no-worker` and bench-floor
#    (bench/floor.c: same listener model, no auth/access/audit) on free loopback ports.
# 3. wrk with bench/persons.lua (random ids from the seeder's ids file; bearer token for openpes),
#    openpes and the floor alternating in BENCH_ROUNDS rounds so that other load on the machine
#    hits both alike.
# 4. A table (also bench/out/latest.txt): req/s, p50/p90/p99, non-2xx, the openpes/floor ratio,
#    and the audit check: every answered read has its audit record, matched by correlation id.
#
# Environment: BUILD (build), BENCH_PERSONS (100000), BENCH_SEED (1), BENCH_DURATION seconds per
# server (15, split over the rounds), BENCH_ROUNDS (3), BENCH_WARMUP (3), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2).  Loopback only; bounded: about 2 x (warm-up + duration) + 10 s, plus the
# one-time seeding (about a minute for 100,000 people).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_PERSONS:-100000}
SEED=${BENCH_SEED:-1}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
OUT=bench/out
BIN=$BUILD/openpes
FLOOR=$BUILD/bench-floor
USER_NAME=bench-counsellor
USER_PASS=bench-pass-2026

. bench/lib.sh # (the working directory is the repository root)
bench_require wrk curl sqlite3
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---- 1. the seeded database (cached) ----
bench_seed_cache persons

# ---- 2. a fresh copy, an account, the server ----
RUN=$OUT/run.db
rm -f "$RUN" "$RUN"-* "$RUN".audit*
cp "$CACHE.db" "$RUN"
cp "$CACHE.db.audit" "$RUN.audit"
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

rm -f "$OUT/openpes.port" "$OUT/floor.port"
"$BIN" --db "$RUN" --keys "$KEYS" serve --port 0 --port-file "$OUT/openpes.port" --no-worker --web web \
  >"$OUT/openpes.log" 2>&1 &
OP_PID=$!
PIDS+=("$OP_PID")
OP_PORT=$(wait_port "$OUT/openpes.port" "$OP_PID") || { echo "bench: openpes did not start:" >&2; tail "$OUT/openpes.log" >&2; exit 1; }
OP_URL=http://127.0.0.1:$OP_PORT
"$FLOOR" --db "$RUN" --port 0 --port-file "$OUT/floor.port" --daemons "$(nproc)" >"$OUT/floor.log" 2>&1 &
FL_PID=$!
PIDS+=("$FL_PID")
FL_PORT=$(wait_port "$OUT/floor.port" "$FL_PID") || { echo "bench: floor did not start:" >&2; cat "$OUT/floor.log" >&2; exit 1; }
FL_URL=http://127.0.0.1:$FL_PORT

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
check_sample "$OP_URL" /api/v1/persons/ "Authorization: Bearer $TOKEN" || { echo "bench: openpes sample reads failed" >&2; exit 1; }
check_sample "$FL_URL" /persons/ "X-Bench: floor" || { echo "bench: floor sample reads failed" >&2; exit 1; }

audit_seq() { sqlite3 "$RUN.audit" 'SELECT seq FROM audit_head;'; }
log_lines() { wc -l <"$OUT/openpes.log"; }
answered_2xx() {
  curl -sS "$OP_URL/metrics" | grep '^openpes_http_requests_total{' | grep 'route="/api/v1/persons/{id}"' |
    grep 'class="2xx' | awk '{s += $NF} END {print s + 0}'
}
run_wrk() { # name url prefix token seconds -> appends the RESULT line to $OUT/result-<name>.txt
  wrk -t"$THREADS" -c"$CONNS" -d"$5s" --latency -s bench/persons.lua "$2" -- "$IDS" "$3" "$4" >"$OUT/wrk-$1.txt" 2>&1 || true
  grep '^RESULT' "$OUT/wrk-$1.txt" >>"$OUT/result-$1.txt" || { echo "bench: wrk failed:" >&2; cat "$OUT/wrk-$1.txt" >&2; exit 1; }
}
op_run() { run_wrk "$1" "$OP_URL" /api/v1/persons/ "$TOKEN" "$2"; }
fl_run() { run_wrk "$1" "$FL_URL" /persons/ "" "$2"; }

# ---- 3./4. measure: openpes and the floor alternate in rounds, so that a change in the load of
# the machine (other processes) affects both alike ----
rm -f "$OUT"/result-*.txt
ROUND_S=$(( (DURATION + ROUNDS - 1) / ROUNDS ))
echo "bench: openpes $OP_URL and floor $FL_URL: warm-up ${WARMUP}s each, then $ROUNDS rounds of ${ROUND_S}s each (wrk -t$THREADS -c$CONNS)"
op_run warmup "$WARMUP"
fl_run warmup "$WARMUP"
sleep 0.5
# Server CPU time (user + system, all threads) is counted too: unlike req/s it hardly depends on
# what else the machine is doing.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
S0=$(audit_seq) L0=$(log_lines) M0=$(answered_2xx) OC0=$(cpu_ticks "$OP_PID") FC0=$(cpu_ticks "$FL_PID")
for r in $(seq 1 "$ROUNDS"); do
  op_run openpes "$ROUND_S"
  fl_run floor "$ROUND_S"
done
sleep 1 # let requests that were in flight when wrk stopped finish
S1=$(audit_seq) L1=$(log_lines) M1=$(answered_2xx) OC1=$(cpu_ticks "$OP_PID") FC1=$(cpu_ticks "$FL_PID")
# Reconcile by correlation id: each answered read (request log, status 200) against the audit
# records written in the same window (the floor writes none).
sqlite3 "$RUN.audit" "SELECT correlation_id FROM audit_log WHERE seq > $S0 AND seq <= $S1
                AND action = 'READ' AND resource_type = 'person' AND outcome = 'allow';" | sort >"$OUT/audited.ids"
tail -n +"$((L0 + 1))" "$OUT/openpes.log" | head -n "$((L1 - L0))" | grep '"route":"/api/v1/persons/{id}"' |
  grep '"status":200' | sed -n 's/.*"correlation_id":"\([^"]*\)".*/\1/p' | sort >"$OUT/answered.ids"
cleanup
PIDS=()

# ---- 5. report ----
# Over the rounds: req/s = all requests / all time; latency = median of the rounds' percentiles.
agg() { # result-file -> "rps p50_us p90_us p99_us non2xx requests"
  awk '
    function val(k,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } }
    function med(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { n++; req += val("requests"); dur += val("duration_us"); bad += val("non2xx")
      p50[n] = val("p50_us"); p90[n] = val("p90_us"); p99[n] = val("p99_us") }
    END { printf "%.1f %d %d %d %d %d\n", req / (dur / 1e6), med(p50, n), med(p90, n), med(p99, n), bad, req }' "$1"
}
read -r OP_RPS OP_P50 OP_P90 OP_P99 OP_BAD OP_REQ < <(agg "$OUT/result-openpes.txt")
read -r FL_RPS FL_P50 FL_P90 FL_P99 FL_BAD FL_REQ < <(agg "$OUT/result-floor.txt")
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
RATIO=$(awk -v a="$OP_RPS" -v b="$FL_RPS" 'BEGIN {printf "%.0f", (b > 0 ? 100 * a / b : 0)}')
ROUNDS_OP=$(awk '{for (i = 2; i <= NF; i++) if ($i ~ /^rps=/) {sub("rps=", "", $i); printf "%s%.0f", s, $i; s = " / "}}' "$OUT/result-openpes.txt")
ROUNDS_FL=$(awk '{for (i = 2; i <= NF; i++) if ($i ~ /^rps=/) {sub("rps=", "", $i); printf "%s%.0f", s, $i; s = " / "}}' "$OUT/result-floor.txt")
TCK=$(getconf CLK_TCK)
OP_CPU=$(awk -v t=$((OC1 - OC0)) -v k="$TCK" -v n="$OP_REQ" 'BEGIN {printf "%.0f", (n > 0 ? t / k * 1e6 / n : 0)}')
FL_CPU=$(awk -v t=$((FC1 - FC0)) -v k="$TCK" -v n="$FL_REQ" 'BEGIN {printf "%.0f", (n > 0 ? t / k * 1e6 / n : 0)}')
CPU_RATIO=$(awk -v a="$OP_CPU" -v b="$FL_CPU" 'BEGIN {printf "%.0f", (a > 0 ? 100 * b / a : 0)}')
AUDIT_ROWS=$((S1 - S0))
ANSWERED=$(wc -l <"$OUT/answered.ids")
ANSWERED_METRIC=$((M1 - M0))
MISSING=$(comm -13 "$OUT/audited.ids" "$OUT/answered.ids" | wc -l)
UNANSWERED=$(comm -23 "$OUT/audited.ids" "$OUT/answered.ids" | wc -l)
AUDIT_PASS=0
if [ "$MISSING" = 0 ] && [ "$ANSWERED" = "$ANSWERED_METRIC" ] && [ "$ANSWERED" -gt 0 ]; then AUDIT_PASS=1; fi
{
  echo "OpenPES benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), load average before: $LOAD_BEFORE"
  echo "data: $N synthetic people (seed $SEED), SQLite, audit file synchronous=FULL, data WAL group-synced"
  echo "seeding: ${SEED_LINE:-not recorded}"
  echo "load: GET person by random id (bearer token for openpes), wrk -t$THREADS -c$CONNS, loopback,"
  echo "      $ROUNDS alternating rounds of ${ROUND_S}s per server after ${WARMUP}s warm-up"
  echo
  printf "%-28s %10s %9s %9s %9s %8s\n" "server" "req/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx"
  printf "%-28s %10s %9s %9s %9s %8s\n" "openpes (auth+access+audit)" "$OP_RPS" "$(ms "$OP_P50")" "$(ms "$OP_P90")" \
    "$(ms "$OP_P99")" "$OP_BAD"
  printf "%-28s %10s %9s %9s %9s %8s\n" "floor (MHD+SQLite+jansson)" "$FL_RPS" "$(ms "$FL_P50")" "$(ms "$FL_P90")" \
    "$(ms "$FL_P99")" "$FL_BAD"
  echo "  (req/s per round: openpes $ROUNDS_OP; floor $ROUNDS_FL)"
  echo
  echo "openpes / floor: $RATIO % of the floor's throughput (goal >= 50 %)"
  echo "server CPU per request: openpes $OP_CPU us, floor $FL_CPU us (floor/openpes $CPU_RATIO %: the throughput ratio when both are CPU-bound)"
  echo "audit during the openpes rounds: $AUDIT_ROWS rows written; successful reads answered: $ANSWERED (server metric: $ANSWERED_METRIC)"
  echo "  answered reads without their audit record: $MISSING (matched by correlation id; must be 0)"
  echo "  audited reads not answered: $UNANSWERED (wrk hung up at a round's end while they waited for their audit batch)"
  [ "$AUDIT_PASS" = 1 ] && echo "audit check: PASS" || echo "audit check: FAIL"
} | tee "$OUT/latest.txt"
[ "$AUDIT_PASS" = 1 ]
