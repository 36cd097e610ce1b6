#!/usr/bin/env bash
# Build, create a demo database (once) and serve it at http://127.0.0.1:8080.
# OPENPES_DEMO_DB overrides the database file (default var/demo.db); remove var/demo.db* (the
# database, its WAL and its audit log file demo.db.audit) to start over.
# PORT overrides the port.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${OPENPES_DEMO_DB:-var/demo.db}
PORT=${PORT:-8080}
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
  build/openpes --db "$DB" seed --demo            # prints the demo accounts
  build/openpes --db "$DB" seed --vacancies 500 --seed 1
else
  build/openpes --db "$DB" seed --print-accounts
fi
echo
echo "OpenPES is starting at http://127.0.0.1:$PORT  (Ctrl-C stops it)"
exec build/openpes --db "$DB" serve --port "$PORT" --web web
