/* store.h - the one storage interface of OpenPES.
 *
 * A `store` is one connection to either an SQLite file or a PostgreSQL database.  Domain code
 * writes portable SQL with `?` placeholders (translated to $n for PostgreSQL) and uses the small
 * statement API below; nothing above this layer includes sqlite3.h or libpq-fe.h.
 *
 * Portable SQL rules (docs/STORAGE.md): TEXT, INTEGER/BIGINT only (booleans are 0/1, JSON is
 * TEXT, timestamps are RFC 3339 UTC text); `ON CONFLICT`, `RETURNING` and partial indexes are
 * fine on both; where dialects truly differ use store_dialect(s, sqlite_sql, pg_sql).
 *
 * Connections are not thread-safe: each thread uses its own (store_thread()).  Prepared
 * statements are cached per connection by SQL text; a statement must be store_reset() before
 * it can be used again (store_exec and the row helpers do that). */
#ifndef OPENPES_STORE_H
#define OPENPES_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct store store;
typedef struct store_stmt store_stmt;

enum store_kind { STORE_SQLITE = 1, STORE_PG = 2 };
enum { STORE_DONE = 0, STORE_ROW = 1, STORE_ERROR = -1 };

/* url: "postgres://..." / "postgresql://...", or an SQLite path ("sqlite:path" or a plain path). */
op_code store_open(const char *url, store **out, op_err *e);
void store_close(store *s);
enum store_kind store_kind(const store *s);
const char *store_dialect(const store *s, const char *sqlite_sql, const char *pg_sql);

/* The process-wide database URL and a lazily opened connection for the calling thread. */
void store_set_url(const char *url);
const char *store_get_url(void);
store *store_thread(op_err *e);
void store_thread_close(void);

/* Transactions.  store_begin opens a write transaction with the write lock taken up front (on
 * SQLite the main file's only, not the attached audit file's: see store.c); store_begin_read a
 * deferred one. */
op_code store_begin(store *s, op_err *e);
op_code store_begin_read(store *s, op_err *e);
op_code store_commit(store *s, op_err *e);
void store_rollback(store *s);
bool store_in_tx(const store *s);
/* A domain operation's transaction, joining the caller's when there is one: store_tx_begin tells
 * in *outer whether this call opened the outermost level.  store_tx_end commits on rc == OP_OK;
 * on failure the outermost level rolls back, an inner one only pops its level (keeping e) and
 * leaves the rollback to the owner.  Returns rc, or the commit's error. */
op_code store_tx_begin(store *s, op_err *e, bool *outer);
op_code store_tx_end(store *s, op_err *e, bool outer, op_code rc);

/* Durability.  A write transaction is on disk when store_commit returns - unless the connection
 * defers it (HTTP request threads, which must not block): then store_commit only notes it, and
 * store_take_unsynced tells the caller to have it made durable before answering (the audit
 * committer does, for the whole group of waiting requests: store_sync). */
void store_defer_sync(store *s, bool on);
bool store_take_unsynced(store *s);
op_code store_sync(store *s, op_err *e); /* every write committed so far by this process is on disk */

store_stmt *store_prepare(store *s, const char *sql, op_err *e);
void store_bind_text(store_stmt *st, int idx, const char *v); /* 1-based; NULL binds NULL */
void store_bind_int(store_stmt *st, int idx, int64_t v);
void store_bind_null(store_stmt *st, int idx);
int store_step(store_stmt *st, op_err *e); /* STORE_ROW, STORE_DONE or STORE_ERROR */
int store_ncols(store_stmt *st);
const char *store_col_name(store_stmt *st, int col);
const char *store_col_text(store_stmt *st, int col); /* 0-based; NULL when SQL NULL */
int64_t store_col_int(store_stmt *st, int col);
bool store_col_null(store_stmt *st, int col);
int64_t store_changes(store_stmt *st);
void store_reset(store_stmt *st);

/* Bind by a type string ('s' const char *, 'i' int64_t, 'n' nothing/NULL) and run to the end.
 * *changes (may be NULL) receives the number of affected rows. */
op_code store_exec(store *s, op_err *e, int64_t *changes, const char *sql, const char *types, ...);
/* Bind and step once: returns the statement positioned on the first row (caller reads columns
 * and calls store_reset), or NULL with *found=false when there is no row / on error (e set). */
store_stmt *store_query(store *s, op_err *e, const char *sql, const char *types, ...);
/* Multi-row INSERT: `head` is "INSERT INTO t (a, b, c)" naming ncols columns, `tail` (or NULL)
 * follows the VALUES list (" ON CONFLICT DO NOTHING").  vals holds nrows * ncols text values row
 * after row (NULL binds NULL; integers as decimal text).  The rows go in statements of at most
 * STORE_ROWS_MAX rows and 999 parameters (PostgreSQL: 4 x STORE_ROWS_MAX rows, since each
 * statement is a round trip), then of halving sizes, so that a table needs a few cached statement
 * texts, not one per row count.  *changes (may be NULL): rows inserted. */
#define STORE_ROWS_MAX 64
op_code store_insert_rows(store *s, op_err *e, int64_t *changes, const char *head, int ncols, size_t nrows,
                          const char *const *vals, const char *tail);
/* Several ;-separated statements with no parameters (schema scripts). */
op_code store_exec_script(store *s, const char *sql, op_err *e);

/* Schema migrations (src/store/migrations.c).  Idempotent; safe with concurrent processes. */
op_code store_migrate(store *s, op_err *e);
int store_schema_version(store *s);

#endif
