#!/usr/bin/env bash
# bench/ei/run.sh - employment-detection benchmarks (not part of the timed tests).
#   1. EI_BENCH_N people with an open claim (bench/ei/ei_setup.c, linked against libopenpes.a).
#   2. `openpes serve --no-worker` on a free loopback port; a partner token (insurance.registrations).
#   3. In-process ingest (bench/ei/ei_ingest.c: ei_registration_batch, 500 per transaction, as the
#      endpoint does; EI_INGEST_PERLINE=1: ei_registration line by line, the path before it), then
#      batch ingest over HTTP: one x-ndjson batch of EI_BENCH_BATCH job starts: lines/s.
#   4. Steady load: EI_BENCH_RATE single registrations per second for EI_BENCH_SECS seconds, open loop;
#      latency from request to the answer, which is sent after the suspension and its event commit.
#   5. The floor (bench/ei/ei_floor.c): only the rows of the common case (spell, event, audit_pending
#      record) with the same multi-row statements, 500 per transaction - what no batch path can beat.
# Environment: BUILD (build), EI_BENCH_DB (sqlite file in a temp dir; or postgres://...), EI_BENCH_N
# (25000), EI_BENCH_BATCH (10000), EI_BENCH_RATE (1000), EI_BENCH_SECS (5), EI_INGEST_PERLINE, EI_BENCH_CLAIM_PCT (100:
# every registration suspends a claim, the worst case; 12 is about the share of benefit recipients
# among the insured, 1.8 M of 15.6 M).  Server CPU per registration is printed beside each rate: on
# a shared machine it moves less than the wall-clock rate.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${EI_BENCH_N:-25000}
BATCH=${EI_BENCH_BATCH:-10000}
RATE=${EI_BENCH_RATE:-1000}
SECS=${EI_BENCH_SECS:-5}
PCT=${EI_BENCH_CLAIM_PCT:-100}
DIR=$(mktemp -d /tmp/openpes-eibench-XXXXXX)
DB=${EI_BENCH_DB:-$DIR/ei.db}
KEYS=$DIR/keys.json
trap 'kill $SRV 2>/dev/null || true; rm -rf "$DIR"' EXIT
. bench/lib.sh # (the working directory is the repository root)
LIBS=$(bench_libs)
for t in ei_setup ei_ingest ei_floor; do
  cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -I"$(pg_config --includedir)" -o "$DIR/$t" bench/ei/$t.c "$BUILD/libopenpes.a" $LIBS -lpthread -lm
done
OP="$BUILD/openpes --db $DB --keys $KEYS --log-level warn"
$OP migrate >/dev/null
$OP office add --code BENCH-01 --name Bench --kind job_centre --region KR-11 >/dev/null
$OP client add --id ei-bench --secret bench-secret-0123456789 --scopes insurance.registrations >/dev/null
t0=$(date +%s.%N)
"$DIR/ei_setup" "$DB" "$KEYS" "$N" "$PCT" >"$DIR/nids"
echo "setup: $N people ($PCT % with an open claim) in $(echo "$(date +%s.%N) - $t0" | bc) s"
$OP serve --port 0 --port-file "$DIR/port" --no-worker >"$DIR/serve.log" 2>&1 &
SRV=$!
for _ in $(seq 100); do [ -s "$DIR/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$DIR/port")"
TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=ei-bench -d client_secret=bench-secret-0123456789 \
  "$BASE/oauth2/client/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
head -n "$BATCH" "$DIR/nids" >"$DIR/batch"
sed -n "$((BATCH + 1)),$((2 * BATCH))p" "$DIR/nids" >"$DIR/inproc"
tail -n +"$((2 * BATCH + 1))" "$DIR/nids" >"$DIR/steady"
if [ -n "${EI_BENCH_PERF_INPROC:-}" ]; then
  perf record -F 999 -g -o "$EI_BENCH_PERF_INPROC" "$DIR/ei_ingest" "$DB" "$KEYS" <"$DIR/inproc" 2>/dev/null
else
  "$DIR/ei_ingest" "$DB" "$KEYS" <"$DIR/inproc"
fi
[ -n "${EI_BENCH_PERF:-}" ] && { perf record -F 999 -g -p $SRV -o "$EI_BENCH_PERF" 2>/dev/null & PERF=$!; sleep 0.3; }
cpu() { awk '{print $14 + $15}' "/proc/$SRV/stat"; } # server user+system ticks
per_reg() { echo "server CPU per registration: $(echo "scale=1; ($2 - $1) * 1000000 / $(getconf CLK_TCK) / $3" | bc) us"; }
c0=$(cpu)
node bench/ei/load.mjs "$BASE" "$TOKEN" "$DIR/batch" batch "$BATCH"
c1=$(cpu)
per_reg "$c0" "$c1" "$BATCH"
[ -n "${EI_BENCH_PERF:-}" ] && { kill -INT $PERF; wait $PERF || true; }
c0=$(cpu)
node bench/ei/load.mjs "$BASE" "$TOKEN" "$DIR/steady" steady "$RATE" "$SECS"
per_reg "$c0" "$(cpu)" "$((RATE * SECS))"
"$DIR/ei_floor" "$DB" "$KEYS" <"$DIR/inproc"
