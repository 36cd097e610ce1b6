/* store_sqlite.c - SQLite backend: WAL, synchronous=NORMAL with a group sync after each write
 * transaction (sqlite_sync.c: a commit is durable when store_commit returns), foreign keys on, a
 * busy timeout so concurrent writers queue instead of failing. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

struct sq_stmt {
    struct store_stmt_hdr hdr;
    sqlite3_stmt *st;
    int64_t changes;
};

#define DB(s) ((sqlite3 *)(s)->conn)
#define SQ(st) ((struct sq_stmt *)(st))

static op_code sq_error(sqlite3 *db, int rc, op_err *e, const char *what) {
    int ext = sqlite3_extended_errcode(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return op_fail(e, OP_DUPLICATE, NULL, "%s", sqlite3_errmsg(db));
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return op_fail(e, OP_UNAVAILABLE, "retry the request", "database busy: %s", sqlite3_errmsg(db));
    return op_fail(e, OP_STORE, NULL, "%s: %s", what, sqlite3_errmsg(db));
}

/* Process-wide SQLite settings, before the first connection: memory statistics off (they take a
 * global mutex on every allocation, which serialised all request threads - docs/DECISIONS.md 7);
 * the audit file's VFS (sqlite_walbuf.c), which the audit file is attached with by URI. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static void sq_global_init(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
    sq_walbuf_register();
}

static op_code sq_open(store *s, const char *path, op_err *e) {
    pthread_once(&sq_once, sq_global_init);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
                             NULL);
    if (rc != SQLITE_OK) {
        op_fail(e, OP_STORE, "check the --db path and its directory permissions",
                "could not open database \"%s\": %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return OP_STORE;
    }
    sqlite3_busy_timeout(db, 15000);
    sqlite3_extended_result_codes(db, 1);
    s->conn = db;
    /* A small page cache: every commit by another connection (the audit group committer commits
     * continuously) makes a WAL reader drop its whole cache, so a big cache only costs time to
     * free.  No mmap: each checkpoint made readers remap and fault pages back in (measured:
     * munmap + page faults were 12 % of the read benchmark's CPU). */
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                          "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;";
    char *msg = NULL;
    if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        op_fail(e, OP_STORE, NULL, "could not configure database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return OP_STORE;
    }
    if (sq_attach_audit(db, path) != SQLITE_OK) {
        op_fail(e, OP_STORE, "check that the audit log file (<db>.audit) is writable",
                "could not attach the audit log file of \"%s\": %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return OP_STORE;
    }
    sq_checkpoint_attach(db);
    return OP_OK;
}

static void sq_close(store *s) { sqlite3_close(DB(s)); }

static op_code sq_exec_script(store *s, const char *sql, op_err *e) {
    char *msg = NULL;
    int rc = sqlite3_exec(DB(s), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        op_code c = sq_error(DB(s), rc, e, "could not execute statement");
        sqlite3_free(msg);
        return c;
    }
    return OP_OK;
}

static store_stmt *sq_prepare(store *s, const char *sql, op_err *e) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(DB(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sq_error(DB(s), rc, e, "could not prepare statement");
        return NULL;
    }
    struct sq_stmt *w = calloc(1, sizeof *w);
    w->hdr.owner = s;
    w->st = st;
    return (store_stmt *)w;
}

static void sq_finalize(store_stmt *st) {
    sqlite3_finalize(SQ(st)->st);
    free(st);
}

static void sq_bind_text(store_stmt *st, int i, const char *v) {
    if (v) sqlite3_bind_text(SQ(st)->st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(SQ(st)->st, i);
}
static void sq_bind_text_static(store_stmt *st, int i, const char *v) {
    if (v) sqlite3_bind_text(SQ(st)->st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(SQ(st)->st, i);
}
static void sq_bind_int(store_stmt *st, int i, int64_t v) { sqlite3_bind_int64(SQ(st)->st, i, v); }
static void sq_bind_null(store_stmt *st, int i) { sqlite3_bind_null(SQ(st)->st, i); }

static int sq_step(store_stmt *st, op_err *e) {
    struct sq_stmt *w = SQ(st);
    int rc = sqlite3_step(w->st);
    if (rc == SQLITE_ROW) return STORE_ROW;
    if (rc == SQLITE_DONE) {
        w->changes = sqlite3_changes64(sqlite3_db_handle(w->st));
        return STORE_DONE;
    }
    sq_error(sqlite3_db_handle(w->st), rc, e, "could not execute statement");
    return STORE_ERROR;
}

static int sq_ncols(store_stmt *st) { return sqlite3_column_count(SQ(st)->st); }
static const char *sq_col_name(store_stmt *st, int c) { return sqlite3_column_name(SQ(st)->st, c); }
static const char *sq_col_text(store_stmt *st, int c) {
    return (const char *)sqlite3_column_text(SQ(st)->st, c);
}
static int64_t sq_col_int(store_stmt *st, int c) { return sqlite3_column_int64(SQ(st)->st, c); }
static bool sq_col_null(store_stmt *st, int c) {
    return sqlite3_column_type(SQ(st)->st, c) == SQLITE_NULL;
}
static int64_t sq_changes(store_stmt *st) { return SQ(st)->changes; }
static void sq_reset(store_stmt *st) {
    sqlite3_reset(SQ(st)->st);
    sqlite3_clear_bindings(SQ(st)->st);
}

op_code sq_durable(sqlite3 *db, op_err *e); /* sqlite_sync.c */
static op_code sq_store_durable(store *s, op_err *e) { return sq_durable(DB(s), e); }

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec_script = sq_exec_script,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_text = sq_bind_text,
    .bind_text_static = sq_bind_text_static,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .ncols = sq_ncols,
    .col_name = sq_col_name,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_null = sq_col_null,
    .changes = sq_changes,
    .reset = sq_reset,
    .durable = sq_store_durable,
};
