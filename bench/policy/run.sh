#!/usr/bin/env bash
# bench/policy/run.sh - `BENCH=policy make bench`: the entitlement calculator (POST
# /api/v1/policy/ei/assess, issue 3: "assessments per second in-process and over HTTP").
#
# In-process: bench/policy/assess.c runs the calculator on a KR and a DE request for
# BENCH_POLICY_SECS seconds each (parse, compute with trace, render). Over HTTP: `openpes serve
# --no-worker` on a fresh database, a citizen's bearer token, wrk -t2 -c64 posting the same bodies.
# Output: a table on stdout and in bench/out/policy-latest.txt. Environment: BUILD (build),
# BENCH_POLICY_SECS (3), BENCH_DURATION (8, seconds of wrk per request), BENCH_CONNECTIONS (64).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
BUILD=${BUILD:-build}
BIN=$BUILD/openpes
FLOOR=$BUILD/bench-floor # (not used here; bench_require checks it)
SECS=${BENCH_POLICY_SECS:-3}
DUR=${BENCH_DURATION:-8}
CONNS=${BENCH_CONNECTIONS:-64}
OUT=bench/out
mkdir -p "$OUT"
bench_require wrk curl
LIBS="$(bench_libs) -lpthread -lm"
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -I"$(pg_config --includedir)" -o "$BUILD/bench-policy-assess" bench/policy/assess.c \
  "$BUILD/libopenpes.a" $LIBS
ASSESS=$BUILD/bench-policy-assess

printf '%s' '{"country":"KR","separation_date":"2025-06-30","age":45,"separation_reason":"contract_expiry","insured_unit_days":300,"insured_months":40,"avg_daily_wage":120000,"report_date":"2025-07-02"}' >"$OUT/policy-kr.json"
printf '%s' '{"country":"DE","separation_date":"2025-06-30","age":52,"insured_months_30m":30,"insured_months_5y":40,"has_child":true,"bemessungsentgelt_daily":30000}' >"$OUT/policy-de.json"

DB=$OUT/policy-run.db
rm -f "$DB" "$DB"-* "$DB".audit* "$OUT/policy.port"
"$BIN" --db "$DB" --log-level warn user add --username bench-citizen --password bench-pass-2026 --kind citizen >/dev/null
"$BIN" --db "$DB" serve --port 0 --port-file "$OUT/policy.port" --no-worker --web web --log-level warn >"$OUT/policy-openpes.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do [ -s "$OUT/policy.port" ] && break; sleep 0.05; done
URL=http://127.0.0.1:$(cat "$OUT/policy.port")
TOKEN=$(curl -sS -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench-citizen","password":"bench-pass-2026","mode":"bearer"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: login failed" >&2; exit 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

{
  echo "OpenPES calculator benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
  echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-10s %16s %14s | %12s %8s %8s %16s\n" request "in-process /s" "CPU/assess" "HTTP req/s" "p50 ms" "p99 ms" "server CPU/req"
  for c in kr de; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/policy/ei/assess" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' --data-binary @"$OUT/policy-$c.json")
    [ "$code" = 200 ] || { echo "bench: the $c request gets $code" >&2; exit 1; }
    IN=$("$ASSESS" "$SECS" <"$OUT/policy-$c.json")
    t0=$(cpu_ticks $PID)
    W=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s bench/policy/post.lua "$URL/api/v1/policy/ei/assess" -- \
      "$OUT/policy-$c.json" "$TOKEN" | grep '^RESULT')
    t1=$(cpu_ticks $PID)
    v() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
    req=$(v "$W" requests)
    [ "$(v "$W" non2xx)" = 0 ] || { echo "bench: non-2xx answers: $W" >&2; exit 1; }
    printf "%-10s %16s %11s us | %12s %8.2f %8.2f %13d us\n" "$c" "$(v "$IN" per_second)" "$(v "$IN" cpu_us)" \
      "$(v "$W" rps)" "$(echo "$(v "$W" p50_us) / 1000" | bc -l)" "$(echo "$(v "$W" p99_us) / 1000" | bc -l)" \
      $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / req ))
  done
  echo "in-process: parse + calculate (with trace) + render, one thread; HTTP: wrk -t2 -c$CONNS ${DUR}s, bearer token, loopback"
} | tee "$OUT/policy-latest.txt"
