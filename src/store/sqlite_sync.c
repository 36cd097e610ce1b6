/* sqlite_sync.c - group sync of the SQLite WAL after write transactions (see store_int.h).
 *
 * A data connection runs with synchronous=NORMAL: COMMIT writes its frames to the WAL but does
 * not wait for the disk.  store_commit then calls sq_durable, which returns only once an
 * fdatasync of the WAL has started after this commit's frames were written - so a commit is
 * still durable before anyone is told it happened.  Commits that finish while a sync runs are
 * covered together by the next one: one disk flush for a whole group of concurrent writers,
 * instead of one each in turn behind the write lock (measured: single employment registrations
 * saturated at ~370/s, one fsync each; docs/DECISIONS.md 10).
 *
 * Why this is as safe as synchronous=FULL: frames are only ever overwritten when the WAL
 * restarts, which requires a checkpoint that has copied them into the database file, and with
 * synchronous=NORMAL SQLite syncs the WAL before a checkpoint and the database after it.  The
 * leader syncs through its own connection's WAL handle (SQLITE_FCNTL_JOURNAL_POINTER), in its
 * own thread; fdatasync applies to the file, whichever handle wrote the frames. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store_int.h"

#define GROUPS 4

struct group {
    char path[512]; /* the database file; "" when the slot is free */
    uint64_t written, synced;
    bool syncing;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct group groups[GROUPS];

static int sync_wal(sqlite3 *db) {
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) == SQLITE_OK && f && f->pMethods)
        return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
    /* This connection has not opened the WAL (it has not read the file yet): flush it by name. */
    const char *path = sqlite3_db_filename(db, "main");
    char wal[4096];
    if (!path || snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal) return SQLITE_ERROR;
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? SQLITE_OK : SQLITE_IOERR; /* no WAL: nothing written */
    int rc = fdatasync(fd) == 0 ? SQLITE_OK : SQLITE_IOERR;
    close(fd);
    return rc;
}

static struct group *group_of(const char *path) {
    struct group *free_slot = NULL;
    for (int i = 0; i < GROUPS; i++) {
        if (strcmp(groups[i].path, path) == 0) return &groups[i];
        if (!groups[i].path[0] && !free_slot) free_slot = &groups[i];
    }
    if (free_slot && strlen(path) < sizeof free_slot->path) {
        strcpy(free_slot->path, path);
        return free_slot;
    }
    return NULL;
}

op_code sq_durable(sqlite3 *db, op_err *e) {
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !path[0]) return OP_OK; /* in memory: nothing to sync */
    pthread_mutex_lock(&mu);
    struct group *g = group_of(path);
    int rc = SQLITE_OK;
    if (!g) { /* more databases than slots: sync alone */
        pthread_mutex_unlock(&mu);
        rc = sync_wal(db);
    } else {
        uint64_t mine = ++g->written; /* this commit's frames are written */
        while (g->synced < mine && rc == SQLITE_OK) {
            if (g->syncing) {
                pthread_cond_wait(&cv, &mu);
                continue;
            }
            g->syncing = true;
            uint64_t upto = g->written;
            pthread_mutex_unlock(&mu);
            rc = sync_wal(db);
            pthread_mutex_lock(&mu);
            g->syncing = false;
            if (rc == SQLITE_OK) g->synced = upto;
            pthread_cond_broadcast(&cv);
        }
        pthread_mutex_unlock(&mu);
    }
    if (rc != SQLITE_OK)
        return op_fail(e, OP_STORE, "check the disk holding the database",
                       "could not make the transaction durable: the WAL sync failed (%d)", rc);
    return OP_OK;
}
