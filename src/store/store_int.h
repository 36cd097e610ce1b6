/* store_int.h - private to src/store/: the backend method table. */
#ifndef OPENPES_STORE_INT_H
#define OPENPES_STORE_INT_H
#include "store/store.h"

struct store_ops {
    const char *name;
    op_code (*open)(store *s, const char *url, op_err *e);
    void (*close)(store *s);
    op_code (*exec_script)(store *s, const char *sql, op_err *e);
    store_stmt *(*prepare)(store *s, const char *sql, op_err *e);
    void (*finalize)(store_stmt *st);
    void (*bind_text)(store_stmt *st, int idx, const char *v);
    /* v stays valid and unchanged until the statement is reset (no copy where the backend allows) */
    void (*bind_text_static)(store_stmt *st, int idx, const char *v);
    void (*bind_int)(store_stmt *st, int idx, int64_t v);
    void (*bind_null)(store_stmt *st, int idx);
    int (*step)(store_stmt *st, op_err *e);
    int (*ncols)(store_stmt *st);
    const char *(*col_name)(store_stmt *st, int col);
    const char *(*col_text)(store_stmt *st, int col);
    int64_t (*col_int)(store_stmt *st, int col);
    bool (*col_null)(store_stmt *st, int col);
    int64_t (*changes)(store_stmt *st);
    void (*reset)(store_stmt *st);
    /* After a write transaction's COMMIT: return once it is on disk (NULL: COMMIT is enough). */
    op_code (*durable)(store *s, op_err *e);
};

/* Distinct statements a connection keeps prepared (the code has a few hundred). */
#define STORE_CACHE_SLOTS 2048
#define STORE_CACHE_PROBES 16

struct stmt_slot {
    char *sql;
    uint64_t hash;
    store_stmt *st;
};

/* Most SQL is a string literal, so its address finds its slot without hashing the text
 * (which for the longer queries cost more than the lookup); the text is still compared. */
#define STORE_PTR_SLOTS 1024

struct store {
    const struct store_ops *ops;
    enum store_kind kind;
    void *conn;
    int tx_depth;
    bool writer;       /* holds the process's SQLite writer mutex (store.c) */
    bool defer_sync;   /* store_defer_sync */
    bool unsynced;     /* a deferred write commit is not yet known durable */
    struct stmt_slot cache[STORE_CACHE_SLOTS];
    struct {
        const char *sql;
        unsigned slot;
    } by_ptr[STORE_PTR_SLOTS];
};

/* Common header of every backend statement. */
struct store_stmt_hdr {
    store *owner;
    bool cached;
};

extern const struct store_ops store_sqlite_ops;

/* sqlite_checkpoint.c: WAL checkpoints on a background thread once a WAL holds this many
 * bytes (replaces SQLite's automatic checkpoint inside a commit). */
extern long store_sqlite_checkpoint_bytes;
#define SQ_MAIN_PAGE 4096  /* SQLite's default, used by the main file */
#define SQ_AUDIT_PAGE 1024 /* the audit file's (audit_file.c) */
#define SQ_AUDIT_VFS "openpes-audit" /* its VFS: WAL commits written with one call (sqlite_walbuf.c) */
int sq_walbuf_register(void);
/* Since start: writes SQLite made to audit WAL files, and writes that reached the files. */
void sq_walbuf_stats(unsigned long long *appends, unsigned long long *writes);
struct sqlite3;
void sq_checkpoint_attach(struct sqlite3 *db);

/* audit_file.c: attach <path>.audit as schema "audit" (an SQLite result code), and migration 7,
 * which moves an existing audit log there. */
int sq_attach_audit(struct sqlite3 *db, const char *path);
op_code sq_move_audit(store *s, int version, const char *name, op_err *e);
/* After migrating: OP_STORE when the audit log file is missing (someone deleted <db>.audit). */
op_code sq_check_audit(store *s, op_err *e);
extern const struct store_ops store_pg_ops;

#endif
