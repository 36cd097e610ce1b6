/* store.c - backend-independent part of the store: dispatch, statement cache, transactions,
 * per-thread connections and the exec/query helpers. */
#include "store/store.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "store/store_int.h"

#define HDR(st) ((struct store_stmt_hdr *)(st))

op_code store_open(const char *url, store **out, op_err *e) {
    *out = NULL;
    if (!url || !*url) return op_fail(e, OP_INTERNAL, "pass --db", "no database URL configured");
    store *s = calloc(1, sizeof *s);
    if (!s) return op_fail(e, OP_INTERNAL, NULL, "out of memory");
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        s->ops = &store_pg_ops;
        s->kind = STORE_PG;
    } else {
        s->ops = &store_sqlite_ops;
        s->kind = STORE_SQLITE;
        if (strncmp(url, "sqlite:", 7) == 0) url += 7;
    }
    op_code c = s->ops->open(s, url, e);
    if (c) {
        free(s);
        return c;
    }
    *out = s;
    return OP_OK;
}

static void writer_unlock(store *s);

void store_close(store *s) {
    if (!s) return;
    writer_unlock(s); /* a thread that ends inside a write transaction */
    for (int i = 0; i < STORE_CACHE_SLOTS; i++) {
        if (s->cache[i].st) s->ops->finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    s->ops->close(s);
    free(s);
}

enum store_kind store_kind(const store *s) { return s->kind; }

const char *store_dialect(const store *s, const char *sqlite_sql, const char *pg_sql) {
    return s->kind == STORE_PG ? pg_sql : sqlite_sql;
}

/* ---- per-thread connections ---- */

static char *g_url;
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_destroy(void *p) { store_close(p); }
static void tls_init(void) { pthread_key_create(&tls_key, tls_destroy); }

void store_set_url(const char *url) {
    free(g_url);
    g_url = url ? strdup(url) : NULL;
}

const char *store_get_url(void) { return g_url; }

store *store_thread(op_err *e) {
    pthread_once(&tls_once, tls_init);
    store *s = pthread_getspecific(tls_key);
    if (s) return s;
    if (store_open(g_url, &s, e)) return NULL;
    pthread_setspecific(tls_key, s);
    return s;
}

void store_thread_close(void) {
    pthread_once(&tls_once, tls_init);
    store *s = pthread_getspecific(tls_key);
    if (s) {
        store_close(s);
        pthread_setspecific(tls_key, NULL);
    }
}

/* ---- transactions ---- */

/* SQLite: a write transaction takes the main file's write lock at once (as BEGIN IMMEDIATE would)
 * through a write that changes nothing - but only the main file's: BEGIN IMMEDIATE would lock
 * every attached file, the audit log's too, and make the audit committer (and with it every read
 * of personal data) wait for any long write transaction.  The audit committer locks only the
 * audit file the same way (audit.c).  Data transactions never write the audit file. */
/* Transaction control.  SQLite: each statement is prepared once per connection (the statement
 * cache) instead of parsed by sqlite3_exec on every transaction - a few per cent of a small
 * write's CPU.  PostgreSQL: a simple query. */
static op_code tx_stmt(store *s, const char *sql, op_err *e) {
    if (s->kind != STORE_SQLITE) return store_exec_script(s, sql, e);
    op_err ignore = {0};
    store_stmt *st = store_prepare(s, sql, e ? e : &ignore);
    if (!st) return e ? e->code : OP_STORE;
    int r = store_step(st, e ? e : &ignore);
    store_reset(st);
    return r == STORE_ERROR ? (e && e->code ? e->code : OP_STORE) : OP_OK;
}

static op_code tx_begin_write(store *s, op_err *e) {
    if (s->kind != STORE_SQLITE) return tx_stmt(s, "BEGIN", e);
    op_code c = tx_stmt(s, "BEGIN", e);
    if (!c && (c = tx_stmt(s, "UPDATE main.schema_migrations SET version = version WHERE 0", e))) tx_stmt(s, "ROLLBACK", NULL);
    return c;
}

/* SQLite: the writers of one process queue on this mutex before they take the file's write lock.
 * SQLite's busy handler makes a writer that finds the lock taken sleep 1, 2, 5, 10 ... 100 ms
 * before it tries again, so concurrent write requests - single employment registrations at
 * 1,000/s - waited tens to hundreds of milliseconds for a lock held a fraction of a millisecond.
 * A mutex hands the lock on at once, in arrival order.  Writers of other processes (a CLI import
 * beside the server) still meet at the file lock and its busy handler.  One mutex for all
 * SQLite databases of the process: a process writes one database (per-thread connections share
 * one URL); a thread never opens a second write transaction while it holds one. */
static pthread_mutex_t sq_writer = PTHREAD_MUTEX_INITIALIZER;
#define SQ_WRITER_WAIT_S 15 /* as the busy timeout (store_sqlite.c) */

static op_code writer_lock(store *s, op_err *e) {
    if (s->kind != STORE_SQLITE) return OP_OK;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SQ_WRITER_WAIT_S;
    if (pthread_mutex_timedlock(&sq_writer, &until) != 0)
        return op_fail(e, OP_UNAVAILABLE, "retry the request", "database busy: another write took too long");
    s->writer = true;
    return OP_OK;
}

static void writer_unlock(store *s) {
    if (!s->writer) return;
    s->writer = false;
    pthread_mutex_unlock(&sq_writer);
}

op_code store_begin(store *s, op_err *e) {
    if (s->tx_depth++) return OP_OK; /* nested: join the outer transaction */
    op_code c = writer_lock(s, e);
    if (!c) c = tx_begin_write(s, e);
    if (c) {
        s->tx_depth = 0;
        writer_unlock(s);
    }
    return c;
}

op_code store_begin_read(store *s, op_err *e) {
    if (s->tx_depth++) return OP_OK;
    op_code c = tx_stmt(s, "BEGIN", e);
    if (c) s->tx_depth = 0;
    return c;
}

op_code store_commit(store *s, op_err *e) {
    if (s->tx_depth == 0) return op_fail(e, OP_INTERNAL, NULL, "commit without a transaction");
    if (--s->tx_depth) return OP_OK;
    op_code c = tx_stmt(s, "COMMIT", e);
    if (c) tx_stmt(s, "ROLLBACK", NULL);
    bool wrote = s->writer;
    writer_unlock(s); /* the next writer may go on while this one waits for the disk */
    if (!c && wrote && s->ops->durable) {
        if (s->defer_sync) s->unsynced = true;
        else c = s->ops->durable(s, e);
    }
    return c;
}

void store_rollback(store *s) {
    if (s->tx_depth == 0) return;
    s->tx_depth = 0;
    tx_stmt(s, "ROLLBACK", NULL);
    writer_unlock(s);
}

bool store_in_tx(const store *s) { return s->tx_depth > 0; }

op_code store_tx_begin(store *s, op_err *e, bool *outer) {
    *outer = !store_in_tx(s);
    return store_begin(s, e);
}

op_code store_tx_end(store *s, op_err *e, bool outer, op_code rc) {
    if (rc == OP_OK) {
        rc = store_commit(s, e);
        if (rc && outer) store_rollback(s);
        return rc;
    }
    if (outer) {
        store_rollback(s);
    } else {
        op_err keep = *e; /* pop our nesting level; the owner rolls back */
        store_commit(s, e);
        *e = keep;
    }
    return rc;
}

void store_defer_sync(store *s, bool on) { s->defer_sync = on; }

bool store_take_unsynced(store *s) {
    bool u = s->unsynced;
    s->unsynced = false;
    return u;
}

op_code store_sync(store *s, op_err *e) { return s->ops->durable ? s->ops->durable(s, e) : OP_OK; }

/* ---- statements ---- */

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

store_stmt *store_prepare(store *s, const char *sql, op_err *e) {
    unsigned p = (unsigned)(((uintptr_t)sql >> 4) % STORE_PTR_SLOTS);
    if (s->by_ptr[p].sql == sql) {
        struct stmt_slot *hit = &s->cache[s->by_ptr[p].slot];
        if (hit->st && strcmp(hit->sql, sql) == 0) return hit->st;
    }
    /* Open addressing: a statement lives in the first free slot of its probe sequence, and the
     * cache never evicts, so a lookup stops at the first empty slot. */
    uint64_t h = fnv1a(sql);
    unsigned idx = (unsigned)(h % STORE_CACHE_SLOTS);
    struct stmt_slot *slot = NULL;
    for (int probe = 0; probe < STORE_CACHE_PROBES; probe++, idx = (idx + 1) % STORE_CACHE_SLOTS) {
        slot = &s->cache[idx];
        if (!slot->st) break;
        if (slot->hash == h && strcmp(slot->sql, sql) == 0) {
            s->by_ptr[p].sql = sql;
            s->by_ptr[p].slot = idx;
            return slot->st;
        }
    }
    store_stmt *st = s->ops->prepare(s, sql, e);
    if (!st) return NULL;
    if (!slot->st) {
        slot->sql = strdup(sql);
        slot->hash = h;
        slot->st = st;
        HDR(st)->cached = true;
        s->by_ptr[p].sql = sql;
        s->by_ptr[p].slot = idx;
    } else {
        HDR(st)->cached = false; /* probe sequence full: transient statement, finalized on reset */
    }
    return st;
}

void store_bind_text(store_stmt *st, int idx, const char *v) { HDR(st)->owner->ops->bind_text(st, idx, v); }
void store_bind_int(store_stmt *st, int idx, int64_t v) { HDR(st)->owner->ops->bind_int(st, idx, v); }
void store_bind_null(store_stmt *st, int idx) { HDR(st)->owner->ops->bind_null(st, idx); }
int store_step(store_stmt *st, op_err *e) { return HDR(st)->owner->ops->step(st, e); }
int store_ncols(store_stmt *st) { return HDR(st)->owner->ops->ncols(st); }
const char *store_col_name(store_stmt *st, int c) { return HDR(st)->owner->ops->col_name(st, c); }
const char *store_col_text(store_stmt *st, int c) { return HDR(st)->owner->ops->col_text(st, c); }
int64_t store_col_int(store_stmt *st, int c) { return HDR(st)->owner->ops->col_int(st, c); }
bool store_col_null(store_stmt *st, int c) { return HDR(st)->owner->ops->col_null(st, c); }
int64_t store_changes(store_stmt *st) { return HDR(st)->owner->ops->changes(st); }

void store_reset(store_stmt *st) {
    if (!st) return;
    store *s = HDR(st)->owner;
    if (HDR(st)->cached)
        s->ops->reset(st);
    else
        s->ops->finalize(st);
}

op_code store_exec_script(store *s, const char *sql, op_err *e) { return s->ops->exec_script(s, sql, e); }

static void bind_va(store_stmt *st, const char *types, va_list ap) {
    int i = 1;
    for (const char *t = types; t && *t; t++, i++) {
        switch (*t) {
        case 's': store_bind_text(st, i, va_arg(ap, const char *)); break;
        case 'i': store_bind_int(st, i, va_arg(ap, int64_t)); break;
        default: store_bind_null(st, i); break;
        }
    }
}

op_code store_exec(store *s, op_err *e, int64_t *changes, const char *sql, const char *types, ...) {
    store_stmt *st = store_prepare(s, sql, e);
    if (!st) return e ? e->code : OP_STORE;
    va_list ap;
    va_start(ap, types);
    bind_va(st, types, ap);
    va_end(ap);
    int r;
    while ((r = store_step(st, e)) == STORE_ROW) {
    }
    if (changes) *changes = r == STORE_DONE ? store_changes(st) : 0;
    store_reset(st);
    return r == STORE_DONE ? OP_OK : (e ? e->code : OP_STORE);
}

op_code store_insert_rows(store *s, op_err *e, int64_t *changes, const char *head, int ncols, size_t nrows,
                          const char *const *vals, const char *tail) {
    /* PostgreSQL: every statement is a round trip, and up to 65535 parameters are fine. */
    bool pg = store_kind(s) == STORE_PG;
    size_t max = pg ? 4 * STORE_ROWS_MAX : STORE_ROWS_MAX, done = 0, limit = pg ? 65535 : 999;
    if (changes) *changes = 0;
    if (ncols < 1) return op_fail(e, OP_INTERNAL, NULL, "store_insert_rows: no columns");
    while (max > 1 && max * (size_t)ncols > limit) max /= 2;
    size_t hl = strlen(head), tl = tail ? strlen(tail) : 0;
    char *sql = malloc(hl + 8 + max * ((size_t)ncols * 2 + 3) + tl + 1);
    if (!sql) return op_fail(e, OP_INTERNAL, NULL, "out of memory");
    op_code rc = OP_OK;
    while (done < nrows && !rc) {
        size_t k = max;
        while (k > nrows - done) k /= 2;
        char *p = sql;
        memcpy(p, head, hl);
        p += hl;
        memcpy(p, " VALUES ", 8);
        p += 8;
        for (size_t r = 0; r < k; r++) {
            if (r) *p++ = ',';
            *p++ = '(';
            for (int c = 0; c < ncols; c++) {
                if (c) *p++ = ',';
                *p++ = '?';
            }
            *p++ = ')';
        }
        if (tl) memcpy(p, tail, tl);
        p[tl] = 0;
        store_stmt *st = store_prepare(s, sql, e);
        if (!st) {
            rc = e && e->code ? e->code : OP_STORE;
            break;
        }
        const char *const *v = vals + done * (size_t)ncols;
        /* the values outlive this statement's one step and reset: bound without a copy */
        for (size_t i = 0; i < k * (size_t)ncols; i++) HDR(st)->owner->ops->bind_text_static(st, (int)i + 1, v[i]);
        int r = store_step(st, e);
        if (r == STORE_DONE && changes) *changes += store_changes(st);
        store_reset(st);
        if (r != STORE_DONE) rc = e && e->code ? e->code : OP_STORE;
        done += k;
    }
    free(sql);
    return rc;
}

store_stmt *store_query(store *s, op_err *e, const char *sql, const char *types, ...) {
    store_stmt *st = store_prepare(s, sql, e);
    if (!st) return NULL;
    va_list ap;
    va_start(ap, types);
    bind_va(st, types, ap);
    va_end(ap);
    int r = store_step(st, e);
    if (r == STORE_ROW) return st;
    store_reset(st);
    if (r == STORE_DONE && e) op_clear(e);
    return NULL;
}
