/* outbox.c - see outbox.h. */
#include "events/outbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"

#define LEASE_SECONDS 60
#define MAX_HANDLERS 32

static struct {
    const char *prefix;
    event_handler fn;
} handlers[MAX_HANDLERS];
static int nhandlers;

void event_register(const char *prefix, event_handler fn) {
    if (nhandlers < MAX_HANDLERS) {
        handlers[nhandlers].prefix = prefix;
        handlers[nhandlers++].fn = fn;
    }
}

op_code event_emit(ctx *c, const char *type, const char *subject, const json_t *payload) {
    if (!store_in_tx(c->db))
        return op_fail(&c->err, OP_INTERNAL, NULL, "event \"%s\" emitted outside a transaction", type);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    const char *p = payload ? jx_dump(c->a, payload) : "{}";
    op_code rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO events (type, subject, payload, created_at, available_at)"
                            " VALUES (?, ?, ?, ?, ?)",
                            "sssss", type, subject, p, ts, ts);
    return rc;
}

op_code event_emit_many(ctx *c, size_t n, const char *const *tsp) {
    if (!n) return OP_OK;
    if (!store_in_tx(c->db)) return op_fail(&c->err, OP_INTERNAL, NULL, "events emitted outside a transaction");
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    const char **rows = malloc(n * 5 * sizeof *rows);
    if (!rows) return op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char **r = rows + i * 5;
        r[0] = tsp[i * 3];
        r[1] = tsp[i * 3 + 1];
        r[2] = tsp[i * 3 + 2];
        r[3] = ts;
        r[4] = ts;
    }
    op_code rc = store_insert_rows(c->db, &c->err, NULL, "INSERT INTO events (type, subject, payload, created_at, available_at)",
                                   5, n, rows, NULL);
    free(rows);
    return rc;
}

static void ts_plus(char out[CLOCK_TS_LEN], int64_t secs) { clock_format_ts(clock_now_us() + secs * 1000000, out); }

int worker_run_once(const char *owner, int max, op_err *e) {
    ctx c;
    if (!ctx_init_system(&c, "worker", "system_operation", e)) return -1;
    char now[CLOCK_TS_LEN], until[CLOCK_TS_LEN];
    clock_now_ts(now);
    ts_plus(until, LEASE_SECONDS);
    /* Claim: the outer WHERE re-checks the lease so concurrent claimers cannot both win. */
    static const char *claim =
        "UPDATE events SET lease_owner = ?, lease_until = ?"
        " WHERE status = 'pending' AND available_at <= ? AND (lease_until IS NULL OR lease_until < ?)"
        "   AND id IN (SELECT e.id FROM events e WHERE e.status = 'pending' AND e.available_at <= ?"
        "     AND (e.lease_until IS NULL OR e.lease_until < ?)"
        "     AND NOT EXISTS (SELECT 1 FROM events p WHERE p.subject = e.subject"
        "                     AND p.status = 'pending' AND p.id < e.id)"
        "     ORDER BY e.id LIMIT ?)";
    int done = 0;
    if (store_begin(c.db, e) ||
        store_exec(c.db, e, NULL, claim, "ssssssi", owner, until, now, now, now, now, (int64_t)max) ||
        store_commit(c.db, e)) {
        ctx_release(&c);
        return -1;
    }
    store_stmt *st = store_prepare(c.db,
                                   "SELECT id, type, subject, payload, attempts FROM events"
                                   " WHERE lease_owner = ? AND lease_until = ? AND status = 'pending' ORDER BY id",
                                   e);
    if (!st) {
        ctx_release(&c);
        return -1;
    }
    store_bind_text(st, 1, owner);
    store_bind_text(st, 2, until);
    struct job {
        long long id;
        char *type, *subject, *payload;
        int attempts;
    } *jobs = calloc((size_t)max + 1, sizeof *jobs);
    int n = 0;
    while (n < max && store_step(st, e) == STORE_ROW) {
        jobs[n].id = store_col_int(st, 0);
        jobs[n].type = arena_strdup(c.a, store_col_text(st, 1));
        jobs[n].subject = arena_strdup(c.a, store_col_text(st, 2));
        jobs[n].payload = arena_strdup(c.a, store_col_text(st, 3));
        jobs[n].attempts = (int)store_col_int(st, 4);
        n++;
    }
    store_reset(st);
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        json_t *payload = jx_arena(c.a, json_loads(j->payload, 0, NULL));
        op_code rc = OP_OK;
        op_clear(&c.err);
        if (store_begin(c.db, &c.err)) break;
        for (int h = 0; h < nhandlers && !rc; h++)
            if (strncmp(j->type, handlers[h].prefix, strlen(handlers[h].prefix)) == 0)
                rc = handlers[h].fn(&c, j->id, j->type, j->subject, payload);
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        if (rc == OP_OK) {
            rc = store_exec(c.db, &c.err, NULL,
                            "UPDATE events SET status = 'done', processed_at = ?, lease_owner = NULL, lease_until = NULL"
                            " WHERE id = ?", "si", ts, (int64_t)j->id);
            if (!rc) rc = store_commit(c.db, &c.err);
            if (!rc) done++;
        }
        if (rc) {
            char detail[sizeof c.err.detail + 64];
            snprintf(detail, sizeof detail, "%s: %s", op_code_str(c.err.code ? c.err.code : rc), c.err.detail);
            store_rollback(c.db);
            int attempts = j->attempts + 1;
            int64_t backoff = attempts >= 12 ? 3600 : (1LL << attempts);
            if (backoff > 3600) backoff = 3600;
            char avail[CLOCK_TS_LEN];
            ts_plus(avail, backoff);
            store_exec(c.db, NULL, NULL,
                       "UPDATE events SET attempts = ?, last_error = ?, available_at = ?, lease_owner = NULL,"
                       " lease_until = NULL, status = ? WHERE id = ?",
                       "isssi", (int64_t)attempts, detail, avail,
                       attempts >= EVENT_MAX_ATTEMPTS ? "dead" : "pending", (int64_t)j->id);
            log_warn("event %lld (%s) failed (attempt %d): %s", j->id, j->type, attempts, detail);
        }
    }
    free(jobs);
    ctx_release(&c);
    return done;
}

/* ---- periodic tasks ---- */

#define MAX_PERIODIC 16
static struct {
    const char *name;
    int interval_s;
    int (*fn)(ctx *c);
    int64_t next_us;
    bool own_thread; /* a long task: run by its own thread, never by the event thread */
    pthread_t th;
    bool started;
} periodic[MAX_PERIODIC];
static int nperiodic;

static void add_periodic(const char *name, int interval_s, int (*fn)(ctx *c), bool own_thread) {
    if (nperiodic < MAX_PERIODIC) {
        periodic[nperiodic].name = name;
        periodic[nperiodic].interval_s = interval_s > 0 ? interval_s : 60;
        periodic[nperiodic].fn = fn;
        periodic[nperiodic].next_us = 0; /* first run right away */
        periodic[nperiodic].own_thread = own_thread;
        nperiodic++;
    }
}

void worker_register_periodic(const char *name, int interval_s, int (*fn)(ctx *c)) {
    add_periodic(name, interval_s, fn, false);
}

void worker_register_periodic_long(const char *name, int interval_s, int (*fn)(ctx *c)) {
    add_periodic(name, interval_s, fn, true);
}

static void run_task(int i) {
    op_err e = {0};
    ctx c;
    if (!ctx_init_system(&c, periodic[i].name, "system_operation", &e)) {
        log_warn("periodic %s: %s", periodic[i].name, e.detail);
        return;
    }
    int n = periodic[i].fn(&c);
    if (n < 0) log_warn("periodic %s failed: %s", periodic[i].name, c.err.detail);
    else if (n > 0) log_info("periodic %s: %d done", periodic[i].name, n);
    ctx_release(&c);
}

/* The short tasks that are due, on the event thread. */
static void run_periodic(void) {
    int64_t now = clock_mono_us();
    for (int i = 0; i < nperiodic; i++) {
        if (periodic[i].own_thread || now < periodic[i].next_us) continue;
        periodic[i].next_us = now + (int64_t)periodic[i].interval_s * 1000000;
        run_task(i);
    }
}

int worker_run_periodic_once(void) {
    for (int i = 0; i < nperiodic; i++) run_task(i);
    return nperiodic;
}

/* ---- background threads ---- */

static pthread_t bg;
static bool bg_running;
static volatile bool bg_stop;
static atomic_bool stopping; /* worker_stopping(): read by long tasks' loops without the mutex */

bool worker_stopping(void) { return atomic_load(&stopping); }
static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t long_cv = PTHREAD_COND_INITIALIZER; /* long tasks' threads: broadcast on stop */

void worker_wake(void) {
    pthread_mutex_lock(&bg_mu);
    pthread_cond_signal(&bg_cv);
    pthread_mutex_unlock(&bg_mu);
}

static void deadline_in(struct timespec *ts, int64_t us) {
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += (time_t)(us / 1000000);
    ts->tv_nsec += (long)(us % 1000000) * 1000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

static void *bg_main(void *arg) {
    (void)arg;
    char owner[64], id[ID_LEN];
    id_uuid7(id);
    snprintf(owner, sizeof owner, "worker:%d:%.8s", (int)getpid(), id + 28);
    while (!bg_stop) {
        run_periodic();
        op_err e = {0};
        int n = worker_run_once(owner, 100, &e);
        if (n < 0) log_warn("worker: %s", e.detail);
        if (n > 0) continue;
        pthread_mutex_lock(&bg_mu);
        struct timespec ts;
        deadline_in(&ts, 200 * 1000);
        if (!bg_stop) pthread_cond_timedwait(&bg_cv, &bg_mu, &ts);
        pthread_mutex_unlock(&bg_mu);
    }
    store_thread_close();
    return NULL;
}

/* One long task's thread: runs it every interval_s (first right away) with its own store
 * connection, so a batch of minutes keeps neither events nor the other tasks waiting.  The task
 * is never run twice at once in this process; across processes it keeps its own lease. */
static void *long_main(void *arg) {
    int i = (int)(intptr_t)arg;
    pthread_mutex_lock(&bg_mu);
    while (!bg_stop) {
        int64_t left = periodic[i].next_us - clock_mono_us();
        if (left > 0) {
            struct timespec ts;
            deadline_in(&ts, left);
            pthread_cond_timedwait(&long_cv, &bg_mu, &ts);
            continue;
        }
        periodic[i].next_us = clock_mono_us() + (int64_t)periodic[i].interval_s * 1000000;
        pthread_mutex_unlock(&bg_mu);
        run_task(i);
        pthread_mutex_lock(&bg_mu);
    }
    pthread_mutex_unlock(&bg_mu);
    store_thread_close();
    return NULL;
}

void worker_start_background(void) {
    if (bg_running) return;
    bg_stop = false;
    atomic_store(&stopping, false);
    bg_running = pthread_create(&bg, NULL, bg_main, NULL) == 0;
    if (!bg_running) return;
    for (int i = 0; i < nperiodic; i++) {
        if (!periodic[i].own_thread) continue;
        periodic[i].started = pthread_create(&periodic[i].th, NULL, long_main, (void *)(intptr_t)i) == 0;
        if (!periodic[i].started) log_warn("periodic %s: cannot start its thread", periodic[i].name);
    }
}

void worker_stop_background(void) {
    if (!bg_running) return;
    atomic_store(&stopping, true); /* long tasks stop at their next chunk boundary */
    pthread_mutex_lock(&bg_mu);
    bg_stop = true;
    pthread_cond_broadcast(&bg_cv);
    pthread_cond_broadcast(&long_cv);
    pthread_mutex_unlock(&bg_mu);
    pthread_join(bg, NULL);
    for (int i = 0; i < nperiodic; i++) /* a long task that is running is waited for */
        if (periodic[i].started) {
            pthread_join(periodic[i].th, NULL);
            periodic[i].started = false;
        }
    bg_running = false;
    atomic_store(&stopping, false); /* every long task has returned */
}
