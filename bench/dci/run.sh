#!/usr/bin/env bash
# bench/dci/run.sh - `BENCH=dci make bench`: the DCI registry endpoints under load (docs/DCI.md).
#
# 1. A database of BENCH_DCI_PERSONS synthetic people (`openpes seed`, one job centre), cached under
#    bench/out/ keyed by N and seed like bench/run.sh's; the ids file carries each person's national id.
# 2. A fresh copy; two partners with the same data-sharing agreement (all Member fields, so every
#    answer decrypts and renders the full record): bench-sr (signatures off) and bench-sig
#    (signatures required, an Ed25519 key from bench/dci/sign.mjs); `openpes serve --no-worker`
#    and bench-floor (bench/floor.c: MHD + SQLite, no auth, no audit) on free loopback ports.
# 3. wrk rounds, each DCI load alternating with the floor (GET /persons/{id}) so that other load on
#    the machine hits both alike:
#      sync      POST /registry/sync/search, idtype-value UIN, bearer token, no signature
#      signed    the same with signature verification: pre-signed bodies, one message_id each
#      async     POST /registry/search (no sender_uri): the ACK (validation, agreement, the stored
#                transaction and its outbox event, committed) per second
#    Every reply is checked in wrk (a sync search must return one record, an async one an ACK).
# 4. The audit check: every answered sync search has its audit records (the person's SEARCH row,
#    matched by correlation id against the request log); every ACK has its stored transaction.
# 5. Notify fan-out: the seeding backlog of events is marked done, the server runs with its worker,
#    bench-sr subscribes (registration_changed, filter employment_status = unemployed) with a
#    receiver (bench/dci/receiver.mjs), then BENCH_DCI_NOTIFY registration.changed events for as
#    many registered people are written at once: notifications delivered per second, end to end.
#
# Environment: BUILD (build), BENCH_DCI_PERSONS (1000000), BENCH_SEED (1), BENCH_DURATION seconds per
# load (15, split over BENCH_ROUNDS rounds, 3), BENCH_WARMUP (3), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2), BENCH_DCI_NOTIFY (10000; 0 skips the notify run), BENCH_DCI_LOADS
# ("sync signed async notify"), BENCH_DCI_SIGNED_RATE (5000: signed bodies made per second of load;
# running out is reported and fails the check, as reused bodies are refused replays).  Output: bench/out/dci-latest.txt (and dci-*.txt, dci-openpes.log).
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
N=${BENCH_DCI_PERSONS:-1000000}
SEED=${BENCH_SEED:-1}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
NOTIFY=${BENCH_DCI_NOTIFY:-10000}
LOADS=${BENCH_DCI_LOADS:-sync signed async notify}
OUT=bench/out
BIN=$BUILD/openpes
FLOOR=$BUILD/bench-floor
SECRET=bench-secret-0123456789abcdef

. bench/lib.sh # (the working directory is the repository root)
bench_require wrk curl sqlite3 node
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
has() { [[ " $LOADS " == *" $1 "* ]]; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap cleanup EXIT

# ---- 1. the seeded database (cached) ----
bench_seed_cache dci "about 5,000 people/s on an idle machine"
IDS=$CACHE.ids
awk -F'\t' 'NF < 3 { bad = 1 } END { exit bad }' "$IDS" ||
  { echo "bench: $IDS has no national ids (made by an older seeder): rm $CACHE.* and run again" >&2; exit 1; }

# ---- 2. a fresh copy, the partners, the servers ----
RUN=$OUT/dci-run.db
fresh_copy() {
  rm -f "$RUN" "$RUN"-* "$RUN".audit*
  cp "$CACHE.db" "$RUN"
  cp "$CACHE.db.audit" "$RUN.audit"
  OP="$BIN --db $RUN --keys $KEYS --log-level warn"
  local fields='member_identifier demographic_info employment_status occupation education_level unemployment_reason employment_info registration_date last_updated additional_attributes'
  node bench/dci/sign.mjs keygen "$OUT/dci-bench-key.pem" "$OUT/dci-bench.jwks.json"
  $OP client add --id bench-sr --secret "$SECRET" --scopes "registry.search registry.subscribe" >/dev/null
  $OP client add --id bench-sig --secret "$SECRET" --scopes "registry.search" >/dev/null
  $OP partner add --client bench-sr --sig-mode off >/dev/null
  $OP partner add --client bench-sig --sig-mode required --jwks "$OUT/dci-bench.jwks.json" >/dev/null
  for p in bench-sr bench-sig; do
    $OP partner agreement add --client "$p" --purposes welfare_referral --fields "$fields" \
      --attributes "UIN employment_status region" --legal-basis "Benchmark MoU" --valid-from 2020-01-01 >/dev/null
  done
}

wait_port() { # file pid -> port
  for _ in $(seq 1 400); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
start_openpes() { # extra serve args...
  rm -f "$OUT/dci-openpes.port"
  "$BIN" --db "$RUN" --keys "$KEYS" serve --port 0 --port-file "$OUT/dci-openpes.port" --web web "$@" \
    >"$OUT/dci-openpes.log" 2>&1 &
  OP_PID=$!
  PIDS+=("$OP_PID")
  OP_PORT=$(wait_port "$OUT/dci-openpes.port" "$OP_PID") || { echo "bench: openpes did not start:" >&2; tail "$OUT/dci-openpes.log" >&2; exit 1; }
  OP_URL=http://127.0.0.1:$OP_PORT
}
token() { # client -> access token
  local t
  t=$(curl -sS -X POST "$OP_URL/oauth2/client/token" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "grant_type=client_credentials&client_id=$1&client_secret=$SECRET" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$t" ] || { echo "bench: no token for $1" >&2; exit 1; }
  echo "$t"
}

fresh_copy
start_openpes --no-worker
rm -f "$OUT/dci-floor.port"
"$FLOOR" --db "$RUN" --port 0 --port-file "$OUT/dci-floor.port" --daemons "$(nproc)" >"$OUT/dci-floor.log" 2>&1 &
FL_PID=$!
PIDS+=("$FL_PID")
FL_PORT=$(wait_port "$OUT/dci-floor.port" "$FL_PID") || { echo "bench: floor did not start:" >&2; cat "$OUT/dci-floor.log" >&2; exit 1; }
FL_URL=http://127.0.0.1:$FL_PORT
TOK_SR=$(token bench-sr)
TOK_SIG=$(token bench-sig)

# A sample answer: one signed on-search with the full Member (checked, and kept for the record).
UIN1=$(head -1 "$IDS" | cut -f3)
curl -sS -X POST "$OP_URL/registry/sync/search" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOK_SR" \
  -d "{\"header\":{\"version\":\"1.0.0\",\"message_id\":\"sample-$$-$(date +%s%N)\",\"message_ts\":\"2026-01-01T00:00:00Z\",\"action\":\"search\",\"sender_id\":\"bench-sr\",\"total_count\":1},\"message\":{\"transaction_id\":\"sample\",\"search_request\":[{\"reference_id\":\"r1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"search_criteria\":{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"$UIN1\"}}}]}}" \
  >"$OUT/dci-sample.json"
grep -q '"reg_records":\[{' "$OUT/dci-sample.json" || { echo "bench: sample search found nobody: $(head -c 400 "$OUT/dci-sample.json")" >&2; exit 1; }

audit_seq() { sqlite3 "$RUN.audit" 'SELECT seq FROM audit_head;'; }
log_lines() { wc -l <"$OUT/dci-openpes.log"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk: name url mode file path token sender seconds
run_wrk() {
  wrk -t"$THREADS" -c"$CONNS" -d"$8s" --latency -s bench/dci/search.lua "$2" -- "$3" "$4" "$5" "$6" "$7" "$THREADS" \
    >"$OUT/dci-wrk-$1.txt" 2>&1 || true
  grep '^RESULT' "$OUT/dci-wrk-$1.txt" >>"$OUT/dci-result-$1.txt" || { echo "bench: wrk failed:" >&2; cat "$OUT/dci-wrk-$1.txt" >&2; exit 1; }
}
fl_run() { # name seconds
  wrk -t"$THREADS" -c"$CONNS" -d"$2s" --latency -s bench/persons.lua "$FL_URL" -- "$IDS" /persons/ "" >"$OUT/dci-wrk-$1.txt" 2>&1 || true
  grep '^RESULT' "$OUT/dci-wrk-$1.txt" >>"$OUT/dci-result-$1.txt" || { echo "bench: wrk (floor) failed:" >&2; cat "$OUT/dci-wrk-$1.txt" >&2; exit 1; }
}
agg() { # result-file -> "rps p50_us p90_us p99_us non2xx requests bad exhausted"
  awk '
    function val(k,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return 0 }
    function med(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { n++; req += val("requests"); dur += val("duration_us"); bad2 += val("non2xx"); badr += val("bad"); ex += val("exhausted")
      p50[n] = val("p50_us"); p90[n] = val("p90_us"); p99[n] = val("p99_us") }
    END { printf "%.1f %d %d %d %d %d %d %d\n", req / (dur / 1e6), med(p50, n), med(p90, n), med(p99, n), bad2, req, badr, ex }' "$1"
}
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
per_round() { awk '{for (i = 2; i <= NF; i++) if ($i ~ /^rps=/) {sub("rps=", "", $i); printf "%s%.0f", s, $i; s = " / "}}' "$1"; }

rm -f "$OUT"/dci-result-*.txt
ROUND_S=$(( (DURATION + ROUNDS - 1) / ROUNDS ))
TCK=$(getconf CLK_TCK)
REPORT=()
AUDIT_FAIL=0
echo "bench: openpes $OP_URL and floor $FL_URL: per load ${WARMUP}s warm-up, then $ROUNDS rounds of ${ROUND_S}s alternating with the floor (wrk -t$THREADS -c$CONNS)"

# measure NAME LABEL MODE FILE PATH TOKEN SENDER: warm-up, rounds alternating with the floor; sets M_* and
# the audit / log windows (S0 S1 L0 L1) and the server CPU per request.  In "file" mode every wrk run
# gets its own slice (FILE.warmup, FILE.1, FILE.2, ...): no message_id is sent twice.
measure() {
  local name=$1 label=$2 f
  shift
  f=$3; [ "$2" = file ] && f=$3.warmup
  run_wrk "$name-warmup" "$OP_URL" "$2" "$f" "$4" "$5" "$6" "$WARMUP"
  fl_run "floor-warmup" "$WARMUP"
  sleep 0.5
  S0=$(audit_seq) L0=$(log_lines) C0=$(cpu_ticks "$OP_PID")
  local fc=0 f0 r
  for r in $(seq 1 "$ROUNDS"); do
    f=$3; [ "$2" = file ] && f=$3.$r
    run_wrk "$name" "$OP_URL" "$2" "$f" "$4" "$5" "$6" "$ROUND_S"
    f0=$(cpu_ticks "$FL_PID")
    fl_run "floor-$name" "$ROUND_S"
    fc=$((fc + $(cpu_ticks "$FL_PID") - f0))
  done
  sleep 1 # requests in flight when wrk stopped finish
  S1=$(audit_seq) L1=$(log_lines) C1=$(cpu_ticks "$OP_PID")
  read -r M_RPS M_P50 M_P90 M_P99 M_NON2XX M_REQ M_BAD M_EX < <(agg "$OUT/dci-result-$name.txt")
  read -r F_RPS F_P50 F_P90 F_P99 F_NON2XX F_REQ F_BAD F_EX < <(agg "$OUT/dci-result-floor-$name.txt")
  # openpes CPU over its rounds only (the floor rounds in between are subtracted as idle time:
  # openpes is idle then, apart from WAL checkpoints)
  M_CPU=$(awk -v t=$((C1 - C0)) -v k="$TCK" -v n="$M_REQ" 'BEGIN {printf "%.0f", (n > 0 ? t / k * 1e6 / n : 0)}')
  F_CPU=$(awk -v t="$fc" -v k="$TCK" -v n="$F_REQ" 'BEGIN {printf "%.0f", (n > 0 ? t / k * 1e6 / n : 0)}')
  REPORT+=("$(printf "%-34s %9s %7s %7s %7s %6s %6s | floor %9s %6s %6s | cpu/req %4s / %3s us" "$label" "$M_RPS" \
    "$(ms "$M_P50")" "$(ms "$M_P90")" "$(ms "$M_P99")" "$M_NON2XX" "$M_BAD" "$F_RPS" "$(ms "$F_P50")" "$(ms "$F_P99")" "$M_CPU" "$F_CPU")")
  REPORT+=("    (req/s per round: $(per_round "$OUT/dci-result-$name.txt"); floor $(per_round "$OUT/dci-result-floor-$name.txt"))")
}

# Every answered sync search (request log: route, status 200) must have its person's SEARCH audit
# record, matched by correlation id; searches audited but not answered (wrk hung up) are counted.
audit_check() { # name route
  sqlite3 "$RUN.audit" "SELECT correlation_id FROM audit_log WHERE seq > $S0 AND seq <= $S1
                  AND action = 'SEARCH' AND resource_type = 'person' AND outcome = 'allow';" | sort >"$OUT/dci-audited.ids"
  tail -n +"$((L0 + 1))" "$OUT/dci-openpes.log" | head -n "$((L1 - L0))" | grep "\"route\":\"$2\"" |
    grep '"status":200' | sed -n 's/.*"correlation_id":"\([^"]*\)".*/\1/p' | sort >"$OUT/dci-answered.ids"
  local rows=$((S1 - S0)) answered missing unanswered dup
  answered=$(wc -l <"$OUT/dci-answered.ids")
  missing=$(comm -13 "$OUT/dci-audited.ids" "$OUT/dci-answered.ids" | wc -l)
  unanswered=$(comm -23 "$OUT/dci-audited.ids" "$OUT/dci-answered.ids" | wc -l)
  dup=$(uniq -d "$OUT/dci-audited.ids" | wc -l)
  local verdict=PASS
  if [ "$missing" != 0 ] || [ "$answered" = 0 ] || [ "$dup" != 0 ] || [ "$M_BAD" != 0 ]; then verdict=FAIL; AUDIT_FAIL=1; fi
  REPORT+=("    audit $1: $rows audit rows; $answered searches answered, $missing of them without their person's SEARCH record, $dup with two; $unanswered audited but not answered (wrk hung up); wrong replies $M_BAD: $verdict")
}

if has sync; then
  measure sync "sync search (bearer, audit)" gen "$IDS" /registry/sync/search "$TOK_SR" bench-sr
  audit_check "sync" /registry/sync/search
fi
if has signed; then
  # enough bodies for the warm-up and every round at up to RATE req/s, one message_id each, a
  # slice per wrk run
  RATE=${BENCH_DCI_SIGNED_RATE:-5000}
  NB=$(( (WARMUP + ROUNDS * ROUND_S) * RATE ))
  echo "bench: signing $NB request bodies"
  node bench/dci/sign.mjs bodies "$OUT/dci-bench-key.pem" "$IDS" bench-sig "$NB" "$OUT/dci-signed.bodies"
  rm -f "$OUT"/dci-signed.bodies.*
  head -n $((WARMUP * RATE)) "$OUT/dci-signed.bodies" >"$OUT/dci-signed.bodies.warmup"
  for r in $(seq 1 "$ROUNDS"); do
    sed -n "$((WARMUP * RATE + (r - 1) * ROUND_S * RATE + 1)),$((WARMUP * RATE + r * ROUND_S * RATE))p" \
      "$OUT/dci-signed.bodies" >"$OUT/dci-signed.bodies.$r"
  done
  rm -f "$OUT/dci-signed.bodies"
  measure signed "sync search signed (+ Ed25519)" file "$OUT/dci-signed.bodies" /registry/sync/search "$TOK_SIG" bench-sig
  [ "$M_EX" = 0 ] || REPORT+=("    the signed bodies ran out (reused ones are replays, refused): raise BENCH_DCI_SIGNED_RATE")
  audit_check "signed" /registry/sync/search
fi
if has async; then
  T0=$(sqlite3 "$RUN" "SELECT COUNT(*) FROM dci_transactions WHERE action = 'search';")
  measure async "async search ACK (stored + event)" gen "$IDS" /registry/search "$TOK_SR" bench-sr
  T1=$(sqlite3 "$RUN" "SELECT COUNT(*) FROM dci_transactions WHERE action = 'search';")
  ACKED=$(tail -n +"$((L0 + 1))" "$OUT/dci-openpes.log" | head -n "$((L1 - L0))" | grep '"route":"/registry/search"' | grep -c '"status":200' || true)
  verdict=PASS
  if [ "$((T1 - T0))" -lt "$ACKED" ] || [ "$ACKED" = 0 ] || [ "$M_BAD" != 0 ]; then verdict=FAIL; AUDIT_FAIL=1; fi
  REPORT+=("    async: $ACKED ACKs answered, $((T1 - T0)) transactions stored with their outbox event (every ACK must have one); wrong replies $M_BAD: $verdict")
fi
cleanup

# ---- 5. notify fan-out ----
if has notify && [ "$NOTIFY" -gt 0 ]; then
  fresh_copy
  # the seeding backlog (person.created, registration.changed) must not be processed now
  sqlite3 "$RUN" "UPDATE events SET status = 'done', processed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE status = 'pending';"
  rm -f "$OUT/dci-recv.port" "$OUT/dci-recv.result" "$OUT/dci-recv.subscribe.json"
  node bench/dci/receiver.mjs "$OUT/dci-recv.port" "$OUT/dci-recv" "$NOTIFY" &
  RECV_PID=$!
  PIDS+=("$RECV_PID")
  RECV_PORT=$(wait_port "$OUT/dci-recv.port" "$RECV_PID") || { echo "bench: receiver did not start" >&2; exit 1; }
  start_openpes
  TOK_SR=$(token bench-sr)
  SUB=$(curl -sS -X POST "$OP_URL/registry/subscribe" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOK_SR" \
    -d "{\"header\":{\"version\":\"1.0.0\",\"message_id\":\"sub-$$-$(date +%s%N)\",\"message_ts\":\"2026-01-01T00:00:00Z\",\"action\":\"subscribe\",\"sender_id\":\"bench-sr\",\"sender_uri\":\"http://127.0.0.1:$RECV_PORT/registry/on-subscribe\",\"total_count\":1},\"message\":{\"transaction_id\":\"bench-sub\",\"subscribe_request\":[{\"reference_id\":\"r1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"subscribe_criteria\":{\"reg_type\":\"ns:org:RegistryType:ESS\",\"reg_event_type\":\"registration_changed\",\"notify_record_type\":\"Member\",\"filter_type\":\"predicate\",\"filter\":[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"employment_status\",\"operator\":\"eq\",\"attribute_value\":\"unemployed\"}}]}}]}}")
  grep -q '"ACK"' <<<"$SUB" || { echo "bench: subscribe refused: $SUB" >&2; exit 1; }
  for _ in $(seq 1 200); do [ -s "$OUT/dci-recv.subscribe.json" ] && break; sleep 0.05; done
  grep -q '"status":"succ"' "$OUT/dci-recv.subscribe.json" || { echo "bench: no on-subscribe: $(cat "$OUT/dci-recv.subscribe.json" 2>/dev/null)" >&2; exit 1; }
  # NOTIFY registration.changed events, one per person with an active registration, written at once
  NT0=$(date +%s%3N)
  sqlite3 -cmd '.timeout 10000' "$RUN" "INSERT INTO events (type, subject, payload, created_at, status, available_at)
    SELECT 'registration.changed', person_id, json_object('person_id', person_id, 'registration_id', id, 'status', status),
           strftime('%Y-%m-%dT%H:%M:%fZ','now', '-1 seconds'), 'pending', strftime('%Y-%m-%dT%H:%M:%fZ','now', '-1 seconds')
    FROM (SELECT person_id, id, status FROM jobseeker_registrations WHERE status = 'active' LIMIT $NOTIFY);"
  C0=$(cpu_ticks "$OP_PID")
  LIMIT_S=$(( NOTIFY / 20 + 60 ))
  for _ in $(seq 1 $((LIMIT_S * 10))); do [ -s "$OUT/dci-recv.result" ] && break; sleep 0.1; done
  C1=$(cpu_ticks "$OP_PID")
  HANDLED_MS=$(sqlite3 -cmd '.timeout 10000' "$RUN" "SELECT CAST(ROUND((julianday(MAX(processed_at)) - julianday(MIN(created_at))) * 86400000) AS INTEGER)
    FROM events WHERE type = 'registration.changed' AND created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', $NT0 / 1000.0 - 2, 'unixepoch');" || echo '?')
  kill "$RECV_PID" 2>/dev/null || true
  sleep 0.3
  read -r _ NN ND NF NL < <(sed 's/[a-z_]*=//g' "$OUT/dci-recv.result" 2>/dev/null || echo "RESULT 0 0 0 0")
  sleep 1
  NROWS=$(sqlite3 -cmd '.timeout 10000' "$RUN" "SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify' AND callback_state = 'delivered';")
  NAUD=$(sqlite3 -cmd '.timeout 10000' "$RUN.audit" "SELECT COUNT(*) FROM audit_log WHERE actor_id = 'bench-sr' AND action = 'READ' AND resource_type = 'person';")
  verdict=PASS
  if [ "$ND" != "$NOTIFY" ] || [ "$NROWS" -lt "$NOTIFY" ] || [ "$NAUD" -lt "$NOTIFY" ]; then verdict=FAIL; AUDIT_FAIL=1; fi
  SPAN=$(( ${NL:-0} - NT0 ))
  RATE=$(awk -v n="$ND" -v ms="$SPAN" 'BEGIN {printf "%.0f", (ms > 0 ? n * 1000 / ms : 0)}')
  NCPU=$(awk -v t=$((C1 - C0)) -v k="$TCK" -v n="$ND" 'BEGIN {printf "%.0f", (n > 0 ? t / k * 1e6 / n : 0)}')
  REPORT+=("$(printf "%-34s %9s notifications/s (%s delivered in %.1f s; the domain events were handled within %s ms); cpu/notify %s us" \
    "notify fan-out ($NOTIFY people)" "$RATE" "$ND" "$(awk -v ms="$SPAN" 'BEGIN {print ms / 1000}')" "$HANDLED_MS" "$NCPU")")
  REPORT+=("    notify check: $ND distinct events notified (want $NOTIFY), $NROWS delivered notify transactions, $NAUD audit READ rows for the partner: $verdict")
  cleanup
fi

# ---- report ----
{
  echo "OpenPES DCI benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), load average before: $LOAD_BEFORE"
  echo "data: $N synthetic people (seed $SEED), SQLite, audit file synchronous=FULL, data WAL group-synced; seeding: ${SEED_LINE:-not recorded}"
  echo "load: wrk -t$THREADS -c$CONNS on loopback, ${WARMUP}s warm-up, $ROUNDS rounds of ${ROUND_S}s per load, each round followed by one of the floor"
  echo "      (GET /persons/{id}, bench/floor.c: no auth, no audit); every reply checked (one record found / ACK)"
  echo
  printf "%-34s %9s %7s %7s %7s %6s %6s | %-15s %6s %6s | %s\n" "load" "req/s" "p50 ms" "p90 ms" "p99 ms" "non2xx" "wrong" "floor req/s" "p50" "p99" "server CPU per request openpes / floor"
  for l in "${REPORT[@]}"; do echo "$l"; done
  [ "$AUDIT_FAIL" = 0 ] && echo "checks: PASS" || echo "checks: FAIL"
} | tee "$OUT/dci-latest.txt"
[ "$AUDIT_FAIL" = 0 ]
