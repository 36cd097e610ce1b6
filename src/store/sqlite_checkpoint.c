/* sqlite_checkpoint.c - WAL checkpoints on a background thread (see store_int.h).
 *
 * SQLite's automatic checkpoint runs inside whichever commit pushes the WAL past its threshold,
 * so that commit - usually the audit group committer's, with every parked read waiting on it -
 * also copies thousands of pages into the database file and fsyncs it.  Measured on the read
 * benchmark: the committer stalled, the connections waiting for their audit record idled, and
 * throughput fell by a quarter.  Instead every connection reports the WAL size after its commits
 * (sqlite3_wal_hook, which replaces the automatic checkpoint) and, past the threshold, wakes one
 * checkpointer thread that opens its own connection and runs a PASSIVE checkpoint: it copies
 * what no reader still needs and blocks no reader or writer.  A bigger threshold also lets the
 * pages that every commit touches (the audit head, the tails of tables and indexes) be copied
 * once per checkpoint instead of once per thousand pages. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/store_int.h"

long store_sqlite_checkpoint_bytes = 32L << 20; /* of WAL, whatever the page size */

#define MAX_PENDING 8
#define WAL_MAX_FACTOR 4 /* see wal_hook */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char *pending[MAX_PENDING]; /* database files waiting for a checkpoint */
static bool started;

static void checkpoint(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        log_warn("checkpoint: could not open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return;
    }
    sqlite3_busy_timeout(db, 1000);
    /* A fresh connection learns that the file is in WAL mode only when it first reads it; before
     * that a checkpoint is a no-op answering "not in WAL mode" (-1 frames).  It was, until this
     * read was added: no background checkpoint ever copied a frame. */
    sqlite3_exec(db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL);
    int logged = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) log_warn("checkpoint of %s failed: %s", path, sqlite3_errmsg(db));
    sqlite3_close(db);
}

static void *checkpointer(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        char *path = NULL;
        while (!path) {
            for (int i = 0; i < MAX_PENDING && !path; i++)
                if (pending[i]) {
                    path = pending[i];
                    pending[i] = NULL;
                }
            if (!path) pthread_cond_wait(&cv, &mu);
        }
        pthread_mutex_unlock(&mu);
        checkpoint(path);
        free(path);
    }
    return NULL;
}

/* Queue `path` unless it is queued already; false when the queue is full. */
static bool request(const char *path) {
    bool ok = false;
    pthread_mutex_lock(&mu);
    if (!started) {
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        started = pthread_create(&t, &at, checkpointer, NULL) == 0;
        pthread_attr_destroy(&at);
    }
    int free_slot = -1;
    for (int i = 0; i < MAX_PENDING; i++) {
        if (pending[i] && strcmp(pending[i], path) == 0) ok = true;
        else if (!pending[i] && free_slot < 0) free_slot = i;
    }
    if (!ok && started && free_slot >= 0 && (pending[free_slot] = strdup(path))) ok = true;
    if (ok) pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return ok;
}

static int wal_hook(void *arg, sqlite3 *db, const char *schema, int pages) {
    (void)arg;
    /* The threshold is in bytes: the audit file has smaller pages than the main file.  Readers
     * never read the audit file, so its WAL may grow as large as the main file's. */
    long page_size = strcmp(schema, "audit") == 0 ? SQ_AUDIT_PAGE : SQ_MAIN_PAGE;
    long bytes = (long)pages * page_size;
    if (bytes < store_sqlite_checkpoint_bytes) return SQLITE_OK;
    const char *path = sqlite3_db_filename(db, schema);
    if (!path || !path[0]) return SQLITE_OK; /* in-memory or temporary: nothing to copy to */
    /* A WAL is only started again from its beginning by a write that finds every frame copied.
     * Under sustained writes (an import, a seed, a batch) the background checkpoint never catches
     * up with the writer, and the WAL grew without bound (1.8 GB while seeding 8,000 claims, every
     * read slower for it).  Far past the threshold the writer copies the frames itself, as
     * SQLite would have, so its next transaction can start the WAL again. */
    if (bytes >= WAL_MAX_FACTOR * store_sqlite_checkpoint_bytes || !request(path))
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

void sq_checkpoint_attach(sqlite3 *db) { sqlite3_wal_hook(db, wal_hook, NULL); }
