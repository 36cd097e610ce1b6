/* sqlite_walbuf.c - the audit file's WAL written with one write per commit (docs/DECISIONS.md 11).
 *
 * SQLite writes a WAL commit as two pwrite(2) calls per page (the frame header, then the page)
 * and then syncs.  The audit file (1 KiB pages; every record touches a table page and a random
 * leaf of the person index) made the group committer issue about 60 calls per commit, five per
 * audited read.  This VFS ("openpes-audit", used only for the audit file, see audit_file.c)
 * gathers the contiguous appends to a WAL file in memory and writes them with one call, before
 * the sync that makes the commit durable, and before anything that looks at the file (a read,
 * its size, truncation, a lock change, closing).
 *
 * Why this is safe: SQLite publishes a commit's frames to other connections (the WAL index)
 * only after that sync when synchronous=FULL, which the audit file always has (audit_file.c), so
 * no one can read a frame that is still in the buffer; and a crash before the sync loses exactly
 * what the operating system's page cache could lose without the buffer - a commit that was not
 * yet durable, whose answer had not been sent.  Every other file (the audit database itself, and
 * everything of the main database, which uses synchronous=NORMAL) goes straight to the default
 * VFS: its xOpen hands the file to the default VFS unchanged. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum { WALBUF_MAX = 4 << 20 }; /* flushed early past this: a big transaction stays bounded */

typedef struct walbuf_file {
    sqlite3_file base;   /* pMethods = &walbuf_methods */
    sqlite3_file *real;  /* the default VFS's file, placed right after this struct */
    unsigned char *buf;  /* pending bytes of [off, off + len) */
    size_t len, cap;
    sqlite3_int64 off;
} walbuf_file;

static sqlite3_vfs *real_vfs;
static _Atomic unsigned long long st_appends, st_writes; /* pages+headers received, writes made */

void sq_walbuf_stats(unsigned long long *appends, unsigned long long *writes) {
    *appends = st_appends;
    *writes = st_writes;
}
static sqlite3_vfs walbuf_vfs;
static sqlite3_io_methods walbuf_methods;

/* The default VFS takes at most 128 KiB less one byte per write (it masks larger sizes: it
 * expects a page at a time), so the pending bytes go out in pieces of 64 KiB. */
enum { WRITE_MAX = 64 * 1024 };

static int flush(walbuf_file *f) {
    int rc = SQLITE_OK;
    for (size_t done = 0; done < f->len && rc == SQLITE_OK; done += WRITE_MAX) {
        size_t n = f->len - done < WRITE_MAX ? f->len - done : WRITE_MAX;
        st_writes++;
        rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n, f->off + (sqlite3_int64)done);
    }
    f->len = 0;
    return rc;
}

static int wb_write(sqlite3_file *pf, const void *p, int n, sqlite3_int64 off) {
    walbuf_file *f = (walbuf_file *)pf;
    if (n <= 0) return SQLITE_OK;
    st_appends++;
    if (f->len && off != f->off + (sqlite3_int64)f->len) { /* not an append to what is pending */
        int rc = flush(f);
        if (rc != SQLITE_OK) return rc;
    }
    if (f->len + (size_t)n > WALBUF_MAX) {
        int rc = flush(f);
        if (rc != SQLITE_OK) return rc;
        if ((size_t)n > WALBUF_MAX) {
            st_writes++;
            return f->real->pMethods->xWrite(f->real, p, n, off); /* never: SQLite writes a page at a time */
        }
    }
    if (f->len + (size_t)n > f->cap) {
        size_t cap = f->cap ? f->cap : 64 * 1024;
        while (cap < f->len + (size_t)n) cap *= 2;
        unsigned char *b = realloc(f->buf, cap);
        if (!b) { /* no memory for the buffer: write through */
            int rc = flush(f);
            st_writes++;
            return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite(f->real, p, n, off);
        }
        f->buf = b;
        f->cap = cap;
    }
    if (!f->len) f->off = off;
    memcpy(f->buf + f->len, p, (size_t)n);
    f->len += (size_t)n;
    return SQLITE_OK;
}

static int wb_close(sqlite3_file *pf) {
    walbuf_file *f = (walbuf_file *)pf;
    int rc = flush(f);
    int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    free(f->buf);
    f->buf = NULL;
    f->cap = 0;
    return rc != SQLITE_OK ? rc : rc2;
}

/* Everything else flushes first, then asks the real file. */
#define FLUSHED(f, call)                                                                           \
    do {                                                                                           \
        int rc_ = flush(f);                                                                        \
        if (rc_ != SQLITE_OK) return rc_;                                                          \
        return call;                                                                               \
    } while (0)
#define F(pf) ((walbuf_file *)(pf))
#define R(pf) (F(pf)->real)

static int wb_read(sqlite3_file *pf, void *p, int n, sqlite3_int64 off) {
    FLUSHED(F(pf), R(pf)->pMethods->xRead(R(pf), p, n, off));
}
static int wb_truncate(sqlite3_file *pf, sqlite3_int64 size) {
    FLUSHED(F(pf), R(pf)->pMethods->xTruncate(R(pf), size));
}
static int wb_sync(sqlite3_file *pf, int flags) { FLUSHED(F(pf), R(pf)->pMethods->xSync(R(pf), flags)); }
static int wb_size(sqlite3_file *pf, sqlite3_int64 *size) {
    FLUSHED(F(pf), R(pf)->pMethods->xFileSize(R(pf), size));
}
static int wb_lock(sqlite3_file *pf, int l) { FLUSHED(F(pf), R(pf)->pMethods->xLock(R(pf), l)); }
static int wb_unlock(sqlite3_file *pf, int l) { FLUSHED(F(pf), R(pf)->pMethods->xUnlock(R(pf), l)); }
static int wb_check_lock(sqlite3_file *pf, int *out) {
    return R(pf)->pMethods->xCheckReservedLock(R(pf), out);
}
static int wb_fcntl(sqlite3_file *pf, int op, void *arg) { FLUSHED(F(pf), R(pf)->pMethods->xFileControl(R(pf), op, arg)); }
static int wb_sector(sqlite3_file *pf) { return R(pf)->pMethods->xSectorSize(R(pf)); }
static int wb_caps(sqlite3_file *pf) { return R(pf)->pMethods->xDeviceCharacteristics(R(pf)); }
static int wb_fetch(sqlite3_file *pf, sqlite3_int64 off, int n, void **pp) {
    *pp = NULL; /* no memory-mapped reads of a file with pending writes */
    (void)off;
    (void)n;
    return flush(F(pf));
}
static int wb_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p) {
    (void)pf;
    (void)off;
    (void)p;
    return SQLITE_OK;
}

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *pf, int flags, int *out_flags) {
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL)) /* not a WAL: the default VFS's file, as it is */
        return real_vfs->xOpen(real_vfs, name, pf, flags, out_flags);
    walbuf_file *f = (walbuf_file *)pf;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)(f + 1);
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        f->base.pMethods = NULL;
        return rc;
    }
    f->base.pMethods = &walbuf_methods;
    return SQLITE_OK;
}

/* The rest of the VFS is the default one's. */
static int wb_delete(sqlite3_vfs *v, const char *n, int s) { (void)v; return real_vfs->xDelete(real_vfs, n, s); }
static int wb_access(sqlite3_vfs *v, const char *n, int f, int *o) { (void)v; return real_vfs->xAccess(real_vfs, n, f, o); }
static int wb_fullpath(sqlite3_vfs *v, const char *n, int k, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, k, o); }
static void *wb_dlopen(sqlite3_vfs *v, const char *n) { (void)v; return real_vfs->xDlOpen(real_vfs, n); }
static void wb_dlerror(sqlite3_vfs *v, int n, char *m) { (void)v; real_vfs->xDlError(real_vfs, n, m); }
static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return real_vfs->xDlSym(real_vfs, h, s); }
static void wb_dlclose(sqlite3_vfs *v, void *h) { (void)v; real_vfs->xDlClose(real_vfs, h); }
static int wb_random(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int wb_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int wb_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }
static int wb_lasterr(sqlite3_vfs *v, int n, char *m) { (void)v; return real_vfs->xGetLastError(real_vfs, n, m); }
static int wb_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, t); }

static int wb_shm_map(sqlite3_file *pf, int pg, int sz, int extend, void volatile **pp) {
    return R(pf)->pMethods->xShmMap(R(pf), pg, sz, extend, pp);
}
static int wb_shm_lock(sqlite3_file *pf, int off, int n, int flags) {
    return R(pf)->pMethods->xShmLock(R(pf), off, n, flags);
}
static void wb_shm_barrier(sqlite3_file *pf) { R(pf)->pMethods->xShmBarrier(R(pf)); }
static int wb_shm_unmap(sqlite3_file *pf, int del) { return R(pf)->pMethods->xShmUnmap(R(pf), del); }

int sq_walbuf_register(void) {
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs) return SQLITE_ERROR;
    walbuf_methods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = wb_close,
        .xRead = wb_read,
        .xWrite = wb_write,
        .xTruncate = wb_truncate,
        .xSync = wb_sync,
        .xFileSize = wb_size,
        .xLock = wb_lock,
        .xUnlock = wb_unlock,
        .xCheckReservedLock = wb_check_lock,
        .xFileControl = wb_fcntl,
        .xSectorSize = wb_sector,
        .xDeviceCharacteristics = wb_caps,
        .xShmMap = wb_shm_map,
        .xShmLock = wb_shm_lock,
        .xShmBarrier = wb_shm_barrier,
        .xShmUnmap = wb_shm_unmap,
        .xFetch = wb_fetch,
        .xUnfetch = wb_unfetch,
    };
    walbuf_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(walbuf_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = SQ_AUDIT_VFS,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_fullpath,
        .xDlOpen = wb_dlopen,
        .xDlError = wb_dlerror,
        .xDlSym = wb_dlsym,
        .xDlClose = wb_dlclose,
        .xRandomness = wb_random,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_time,
        .xGetLastError = wb_lasterr,
        .xCurrentTimeInt64 = wb_time64,
    };
    return sqlite3_vfs_register(&walbuf_vfs, 0);
}
