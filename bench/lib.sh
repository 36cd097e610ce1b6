# bench/lib.sh - shared by the benchmark scripts (sourced; not run on its own).

# bench_require TOOL... : the tools and the two binaries ($BIN, $FLOOR) must exist; creates $OUT.
bench_require() {
  local tool b
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps installs it)" >&2; exit 1; }
  done
  for b in "$BIN" "$FLOOR"; do
    [ -x "$b" ] || { echo "bench: $b is missing; run: make BUILD=$BUILD all tools" >&2; exit 1; }
  done
  mkdir -p "$OUT"
}

# bench_seed_cache NAME [NOTE] : the seeded database $OUT/NAME-n$N-s$SEED.db with its audit log file
# (<db>.audit: the two go together), key file and ids file, made by `openpes seed` the first time
# and reused after.  Sets CACHE, KEYS and SEED_LINE (the seeder's summary line).
bench_seed_cache() {
  CACHE=$OUT/$1-n$N-s$SEED
  KEYS=$CACHE.keys.json
  if [ ! -f "$CACHE.db" ] || [ ! -f "$CACHE.db.audit" ] || [ ! -f "$CACHE.ids" ]; then
    echo "bench: seeding $N people (seed $SEED) into $CACHE.db (cached for later runs${2:+; $2})"
    rm -f "$CACHE".tmp.db* "$CACHE.tmp.ids"
    "$BIN" --db "$CACHE.tmp.db" --keys "$KEYS" --log-level warn \
      seed --persons "$N" --seed "$SEED" --offices 1 --ids-file "$CACHE.tmp.ids" | tee "$CACHE.seed.log"
    sqlite3 "$CACHE.tmp.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    sqlite3 "$CACHE.tmp.db.audit" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    mv "$CACHE.tmp.db" "$CACHE.db"
    mv "$CACHE.tmp.db.audit" "$CACHE.db.audit"
    rm -f "$CACHE".tmp.db*
    mv "$CACHE.tmp.ids" "$CACHE.ids"
  else
    echo "bench: using cached $CACHE.db"
  fi
  SEED_LINE=$(grep '^seeded' "$CACHE.seed.log" 2>/dev/null | tail -1 || true)
}

# The libraries a bench program linked against libopenpes.a needs.
bench_libs() {
  { pkg-config --libs libmicrohttpd jansson sqlite3 libpq openssl libargon2 libcurl 2>/dev/null ||
    echo "-lmicrohttpd -ljansson -lsqlite3 -lpq -lssl -lcrypto -largon2 -lcurl"; } | tr '\n' ' '
  echo "-lunistring" # no pkg-config file on Debian 12
}
