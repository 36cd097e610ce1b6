#!/usr/bin/env bash
# Run every test layer and finish with one summary line: "N passed, N failed".
#   1. C unit tests (Criterion) on SQLite, then on PostgreSQL
#   2. API scenario tests (node:test, real server over HTTP) on SQLite, then on PostgreSQL
#   3. browser tests (playwright-core + Debian's chromium) on SQLite
#   4. the unit and API suites again under AddressSanitizer + UBSan (build-san/)
# A local PostgreSQL cluster is started when none is configured (scripts/pg-test-cluster.sh).
# Set OPENPES_SKIP="san browser pg" (any subset) to skip layers while iterating.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PASSED=0; FAILED=0; FAILED_LAYERS=()
skip() { [[ " ${OPENPES_SKIP:-} " == *" $1 "* ]]; }

count_criterion() { # log -> adds to totals
  local line; line=$(grep -a 'Synthesis:' "$1" | tail -1)
  local t p f c
  t=$(sed -E 's/.*Tested: ([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.*Failing: ([0-9]+).*/\1/' <<<"$line"); c=$(sed -E 's/.*Crashing: ([0-9]+).*/\1/' <<<"$line")
  [ -n "$line" ] || { FAILED=$((FAILED+1)); return 1; }
  PASSED=$((PASSED+p)); FAILED=$((FAILED+f+c))
  [ "$((f+c))" -eq 0 ]
}

count_node() {
  local p f
  p=$(grep -aE '^ℹ pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -aE '^ℹ fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  [ -n "$p" ] || { FAILED=$((FAILED+1)); return 1; }
  PASSED=$((PASSED+p)); FAILED=$((FAILED+${f:-0}))
  [ "${f:-0}" -eq 0 ]
}

run_layer() { # name, counter, command...
  local name=$1 counter=$2; shift 2
  local log; log=$(mktemp /tmp/openpes-test-XXXXXX.log)
  echo "== $name"
  local t0=$SECONDS
  "$@" >"$log" 2>&1
  local rc=$?
  if ! $counter "$log" || [ $rc -ne 0 ]; then
    FAILED_LAYERS+=("$name")
    grep -aE '✖|FAIL|\[FAIL\]|Assertion|error|Error' "$log" | head -60
    [ $rc -ne 0 ] && ! grep -qaE 'Synthesis|ℹ fail' "$log" && tail -40 "$log"
  fi
  echo "   ($((SECONDS-t0)) s) $(grep -aE 'Synthesis:|^ℹ (pass|fail) ' "$log" | tr '\n' ' ')"
  rm -f "$log"
}

unit_suite() { # bin dir
  local rc=0
  for t in "$1"/tests/test_*; do
    "$t" --jobs 2 --short-filename 2>&1 | sed "s|^|$(basename "$t"): |" || rc=1
  done
  return $rc
}
unit_all() { # merge synthesis lines of several binaries into one
  local out; out=$(unit_suite "$1"); local rc=$?
  echo "$out" | grep -avE 'Synthesis'
  echo "$out" | grep -a 'Synthesis' | sed -E 's/.*Tested: ([0-9]+).*Passing: ([0-9]+).*Failing: ([0-9]+).*Crashing: ([0-9]+).*/\1 \2 \3 \4/' |
    awk '{T+=$1;P+=$2;F+=$3;C+=$4} END {printf "[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | Crashing: %d\n",T,P,F,C}'
  return $rc
}
api_suite() { node --test --test-reporter=spec --test-concurrency=2 tests/api/; }
browser_suite() { node --test --test-reporter=spec --test-concurrency=1 tests/browser/; }

make -j2 all unit >/tmp/openpes-build.log 2>&1 || { cat /tmp/openpes-build.log | grep -v '^CC' | tail -40; echo "0 passed, 1 failed"; exit 1; }

PG_ADMIN=""
# Each test creates its own database, named with this run's tag; at the end the run drops its own
# databases only, so that runs of other checkouts on the same cluster keep theirs.
export OPENPES_TEST_RUN=r$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
drop_run_dbs() {
  [ -n "$PG_ADMIN" ] && psql "$PG_ADMIN" -qAtc "SELECT 'DROP DATABASE ' || datname || ';' FROM pg_database
    WHERE datname LIKE 'ut\_${OPENPES_TEST_RUN}\_%' OR datname LIKE 'api\_${OPENPES_TEST_RUN}\_%'" 2>/dev/null |
    psql "$PG_ADMIN" -q >/dev/null 2>&1 || true
}
if ! skip pg; then
  PG_ADMIN=$(scripts/pg-test-cluster.sh) || { echo "could not start PostgreSQL"; }
  trap drop_run_dbs EXIT
fi

run_layer "unit tests (SQLite)" count_criterion unit_all build
if [ -n "$PG_ADMIN" ]; then
  run_layer "unit tests (PostgreSQL)" count_criterion env OPENPES_TEST_PG_ADMIN="$PG_ADMIN" bash -c "$(declare -f unit_suite unit_all); unit_all build"
fi
run_layer "API tests (SQLite)" count_node api_suite
if [ -n "$PG_ADMIN" ]; then
  run_layer "API tests (PostgreSQL)" count_node env OPENPES_TEST_DB=postgres OPENPES_TEST_PG_ADMIN="$PG_ADMIN" node --test --test-reporter=spec --test-concurrency=2 tests/api/
fi
if ! skip browser && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
  run_layer "browser tests (Chromium)" count_node browser_suite
fi
if ! skip san; then
  if make -j2 SAN=1 all unit >/tmp/openpes-build-san.log 2>&1; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_layer "unit tests (ASan+UBSan)" count_criterion unit_all build-san
    run_layer "API tests (ASan+UBSan)" count_node env OPENPES_BIN="$ROOT/build-san/openpes" node --test --test-reporter=spec --test-concurrency=2 tests/api/
  else
    tail -30 /tmp/openpes-build-san.log; FAILED=$((FAILED+1)); FAILED_LAYERS+=("sanitizer build")
  fi
fi

echo
[ ${#FAILED_LAYERS[@]} -gt 0 ] && echo "failed layers: ${FAILED_LAYERS[*]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ ${#FAILED_LAYERS[@]} -eq 0 ]
