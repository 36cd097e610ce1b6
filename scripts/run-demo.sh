#!/usr/bin/env bash
# Build, create a demo database (once) and serve it at http://127.0.0.1:8080.
# OPENPES_DEMO_DB overrides the database file (default var/demo.db); remove it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${OPENPES_DEMO_DB:-var/demo.db}
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
  build/openpes --db "$DB" seed --demo
fi
build/openpes --db "$DB" seed --print-accounts 2>/dev/null || true
echo
echo "OpenPES is starting at http://127.0.0.1:8080  (Ctrl-C stops it)"
exec build/openpes --db "$DB" serve --port "${PORT:-8080}" --web web
