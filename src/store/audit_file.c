/* audit_file.c - the SQLite audit log's own database file (docs/DECISIONS.md 9).
 *
 * Every SQLite connection attaches <db>.audit as schema "audit", which holds audit_log and
 * audit_head.  Unqualified names resolve to it (main has no such tables), so the SQL elsewhere is
 * the same on both backends; on PostgreSQL the tables stay in the one database.
 *
 * Why a second file: every commit to a WAL database makes every other connection drop its whole
 * page cache.  The audit group committer commits hundreds of times a second - one record per
 * read of personal data - so, in one file, reads never found a page in cache.  With the log in
 * its own file, reads invalidate nothing that reads need.
 *
 * SQLite commits the files of one transaction one after the other, not atomically together, so a
 * write's audit record is not put into the audit file in the write's transaction: it goes into
 * audit_pending in the main file (atomic with the data) and the committer moves it into the
 * chain (audit.c).  The move of an existing database's log into the file is migration 7, below,
 * in two steps that each change one file, so a crash between them loses nothing. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "store/store_int.h"

/* Each record costs a B-tree insert per index, so the table has as few as serve a query: seq is
 * the rowid (INTEGER PRIMARY KEY: appended, no separate index), the person index serves the
 * citizens' access log, and the record_id index covers only the records of writes.  The action
 * check is spelled out: an IN list of more than two values makes SQLite build a temporary index
 * on every insert. */
#define AUDIT_TABLES                                                                               \
    "CREATE TABLE IF NOT EXISTS audit.audit_log ("                                                 \
    "  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL,"                                                 \
    "  actor_type TEXT NOT NULL, actor_id TEXT, actor_role TEXT, actor_office TEXT, actor_region TEXT," \
    "  action TEXT NOT NULL CHECK (action = 'READ' OR action = 'SEARCH' OR action = 'CREATE'"      \
    "    OR action = 'UPDATE' OR action = 'DELETE'),"                                              \
    "  resource_type TEXT NOT NULL, resource_id TEXT, person_id TEXT,"                             \
    "  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, outcome TEXT NOT NULL,"                   \
    "  correlation_id TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, record_id TEXT);" \
    "CREATE INDEX IF NOT EXISTS audit.audit_person ON audit_log(person_id, seq);"                  \
    "CREATE UNIQUE INDEX IF NOT EXISTS audit.audit_record ON audit_log(record_id)"                 \
    "  WHERE record_id IS NOT NULL;"                                                               \
    "CREATE TABLE IF NOT EXISTS audit.audit_head ("                                                \
    "  id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);"

#define LOG_COLS                                                                                   \
    "seq, ts, actor_type, actor_id, actor_role, actor_office, actor_region, action, resource_type," \
    " resource_id, person_id, purpose, legal_basis, outcome, correlation_id, detail, prev_hash, hash"

#define STR_(x) #x
#define STR(x) STR_(x)

/* file:<path>.audit?vfs=openpes-audit, the path percent-encoded as a URI needs. */
static char *audit_uri(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *u = sqlite3_malloc64(n * 3 + sizeof "file:.audit?vfs=" SQ_AUDIT_VFS);
    if (!u) return NULL;
    char *o = u;
    memcpy(o, "file:", 5);
    o += 5;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("/._~-", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    strcpy(o, ".audit?vfs=" SQ_AUDIT_VFS);
    return u;
}

int sq_attach_audit(sqlite3 *db, const char *path) {
    bool memory = strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0;
    char *apath = memory ? sqlite3_mprintf(":memory:") : audit_uri(path);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS audit", -1, &st, NULL);
    if (rc == SQLITE_OK) sqlite3_bind_text(st, 1, apath, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(st);
    sqlite3_free(apath);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_exec(db,
                        "PRAGMA audit.page_size=" STR(SQ_AUDIT_PAGE) "; PRAGMA audit.journal_mode=WAL;"
                        " PRAGMA audit.synchronous=FULL;"
                        " PRAGMA audit.cache_size=-2048;",
                        NULL, NULL, NULL);
}

static bool has_row(store *s, const char *sql, int version, op_err *e) {
    store_stmt *st = version ? store_query(s, e, sql, "i", (int64_t)version) : store_query(s, e, sql, "");
    if (!st) return false;
    store_reset(st);
    return true;
}

op_code sq_check_audit(store *s, op_err *e) {
    if (has_row(s, "SELECT 1 FROM audit.sqlite_master WHERE type = 'table' AND name = 'audit_head'", 0, e)) return OP_OK;
    if (e->code) return e->code;
    return op_fail(e, OP_STORE, "restore <db>.audit from the backup taken with the database",
                   "the audit log file of this database is missing or empty");
}

op_code sq_move_audit(store *s, int version, const char *name, op_err *e) {
    static const char *applied = "SELECT 1 FROM schema_migrations WHERE version = ?";
    static const char *in_main = "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_log'";
    op_code c;
    op_clear(e);
    /* Step 1 (changes only the audit file): create its tables and copy what main holds. */
    if ((c = store_begin(s, e))) return c;
    if (has_row(s, applied, version, e)) return store_rollback(s), OP_OK;
    if (e->code) goto fail;
    bool legacy = has_row(s, in_main, 0, e);
    if (e->code) goto fail;
    if ((c = store_exec_script(s, AUDIT_TABLES, e))) goto fail;
    /* A file left from another database (its own was deleted and a new one created) must not
     * be continued: its chain would collide with this database's. */
    if (has_row(s,
                "SELECT 1 WHERE (SELECT COUNT(*) FROM audit.audit_log) > 0 AND ((SELECT COUNT(*) FROM audit.audit_log)"
                " > (SELECT COUNT(*) FROM main.audit_log) OR (SELECT COUNT(*) FROM main.sqlite_master"
                " WHERE name = 'audit_log') = 0)",
                0, e) &&
        legacy) {
        c = op_fail(e, OP_STORE, "move the stale .audit file away (or restore the database that goes with it)",
                    "the audit log file of this database holds records this database never had");
        goto fail;
    }
    if (e->code) goto fail;
    if (legacy && (c = store_exec_script(s,
                                         "INSERT OR IGNORE INTO audit.audit_log (" LOG_COLS ") SELECT " LOG_COLS
                                         " FROM main.audit_log;"
                                         "INSERT OR REPLACE INTO audit.audit_head (id, seq, hash)"
                                         " SELECT id, seq, hash FROM main.audit_head;",
                                         e)))
        goto fail;
    if (!legacy && (c = store_exec_script(s,
                                          "INSERT OR IGNORE INTO audit.audit_head (id, seq, hash) VALUES (1, 0,"
                                          " '0000000000000000000000000000000000000000000000000000000000000000');",
                                          e)))
        goto fail;
    if ((c = store_commit(s, e))) goto fail;
    /* Step 2 (changes only main): drop main's copy once the file holds all of it; record the version. */
    if ((c = store_begin(s, e))) return c;
    if (has_row(s, applied, version, e)) return store_rollback(s), OP_OK;
    if (e->code) goto fail;
    if (has_row(s, in_main, 0, e)) {
        if (!has_row(s,
                     "SELECT 1 WHERE (SELECT COUNT(*) FROM audit.audit_log) >= (SELECT COUNT(*) FROM main.audit_log)"
                     " AND (SELECT seq FROM audit.audit_head) = (SELECT seq FROM main.audit_head)",
                     0, e)) {
            c = op_fail(e, OP_STORE, "restore the database and its .audit file from a backup",
                        "migration %d: the audit file does not hold the whole audit log", version);
            goto fail;
        }
        if ((c = store_exec_script(s, "DROP TABLE main.audit_log; DROP TABLE main.audit_head;", e))) goto fail;
    }
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if ((c = store_exec(s, e, NULL, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        "iss", (int64_t)version, name, ts)))
        goto fail;
    return store_commit(s, e);
fail:
    store_rollback(s);
    return c ? c : e->code;
}
