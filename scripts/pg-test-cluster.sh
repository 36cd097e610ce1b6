#!/usr/bin/env bash
# Print a PostgreSQL admin URL for tests.  Uses $OPENPES_PG_URL when set; otherwise starts (once)
# a private cluster under ${OPENPES_PG_DIR:-/tmp/openpes-pg} on port ${OPENPES_PG_PORT:-55432},
# owned by the `postgres` system user when run as root.  Stop it with: pg-test-cluster.sh stop
set -euo pipefail
if [ -n "${OPENPES_PG_URL:-}" ]; then echo "$OPENPES_PG_URL"; exit 0; fi
DIR=${OPENPES_PG_DIR:-/tmp/openpes-pg}
PORT=${OPENPES_PG_PORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "pg-test-cluster: PostgreSQL server binaries not found" >&2; exit 1; }
RUN=()
USER_NAME=$(id -un)
if [ "$(id -u)" -eq 0 ]; then RUN=(runuser -u postgres --); USER_NAME=postgres; fi

if [ "${1:-}" = "stop" ]; then
  [ -d "$DIR/data" ] && "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
    "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U "$USER_NAME" -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
fi
echo "postgres://$USER_NAME@127.0.0.1:$PORT/postgres"
