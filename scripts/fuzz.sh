#!/usr/bin/env bash
# Build the libFuzzer targets in fuzz/ (clang, ASan+UBSan, coverage) and run each for
# FUZZ_SECONDS (default 30) from its seed corpus in fuzz/corpus/<name>/.  New inputs go to
# build-fuzz/corpus/<name>/ so the committed seeds stay small.  Installs clang when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-30}
if ! command -v clang >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang >/dev/null
fi
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
make --no-print-directory BUILD=build-fuzz CC=clang EXTRA_CFLAGS="$SAN -Wno-unknown-warning-option" -j2 build-fuzz/libopenpes.a >/dev/null
LIBS="$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq openssl libargon2 libcurl) -lunistring"
export OPENPES_POLICY_DIR=$PWD/policy
status=0
for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c); short=${name#fuzz_}
  clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    $(pkg-config --cflags jansson) "$src" build-fuzz/libopenpes.a $LIBS -lpthread -lm -o "build-fuzz/$name"
  mkdir -p "build-fuzz/corpus/$short"
  echo "== $name (${SECS}s)"
  if ! "build-fuzz/$name" -max_total_time="$SECS" -max_len=4096 -print_final_stats=0 \
        "build-fuzz/corpus/$short" "fuzz/corpus/$short" 2>"build-fuzz/$name.log"; then
    status=1; tail -40 "build-fuzz/$name.log"
  else
    grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs' "build-fuzz/$name.log" | tail -1
  fi
done
exit $status
