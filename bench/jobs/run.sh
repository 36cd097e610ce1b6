#!/usr/bin/env bash
# bench/jobs/run.sh [N] [ROUNDS] [DB_URL] - vacancy search: API over HTTP vs the raw n-gram index.
# Builds the tool against $BUILD/libopenpes.a (default build/), seeds N vacancies (default 130000)
# into a temporary SQLite database (or DB_URL, an empty PostgreSQL database) and prints p50/p99.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory BUILD="$BUILD" all >/dev/null
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags jansson libcurl) -I$(pg_config --includedir)"
LIBS="$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq openssl libargon2 libcurl) -lunistring -lpthread -lm"
cc $CFLAGS -o "$BUILD/bench-vacancy-search" bench/jobs/vacancy_search.c "$BUILD/libopenpes.a" $LIBS
exec "$BUILD/bench-vacancy-search" "${1:-130000}" "${2:-200}" "$BUILD/openpes" ${3:+"$3"}
