#!/usr/bin/env bash
# bench/jobs/recommend.sh [VACANCIES] [SEEKERS] [ROUNDS] [DB_URL] - recommendation latency both ways
# (in process) and hit rate at 10.  Builds against $BUILD/libopenpes.a (default build/).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory BUILD="$BUILD" all >/dev/null
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags jansson libcurl) -I$(pg_config --includedir)"
LIBS="$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq openssl libargon2 libcurl) -lunistring -lpthread -lm"
cc $CFLAGS -o "$BUILD/bench-recommend" bench/jobs/recommend.c "$BUILD/libopenpes.a" $LIBS
exec "$BUILD/bench-recommend" "${1:-130000}" "${2:-2000}" "${3:-200}" ${4:+"$4"}
