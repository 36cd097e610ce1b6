/* audit.c - hash-chained audit log with a group-commit thread (see audit.h). */
#include "audit/audit.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* A queued record owns copies of its strings (the request arena dies before the commit). */
struct qrec {
    struct qrec *next;
    char ts[CLOCK_TS_LEN];
    char record_id[ID_LEN]; /* a write's record moved from audit_pending; "" for queued records */
    int64_t pending_id;     /* its audit_pending.id */
    bool skip;              /* append_lists: already in the chain */
    char *f[14]; /* actor_type actor_id actor_role actor_office actor_region action resource_type
                    resource_id person_id purpose legal_basis outcome correlation_id detail; they
                    point into text[] (one allocation per record, freed by whichever thread is last) */
    char text[];
};

struct audit_ticket {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs;
    bool done, ok;
    void (*resume)(void *);
    void *arg;
    struct qrec *recs;
    bool flush;                /* records of writes wait in audit_pending: chain them first */
    struct audit_ticket *next; /* queue link */
    struct holder *holder;     /* arena-owned back pointer until submitted */
};

/* Lives in the request arena: drops a bundle that was never submitted (error paths). */
struct holder {
    audit_ticket *t;
};

/* The per-context pending bundle hangs off ctx->audit_wait until audit_submit. */

static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static audit_ticket *q_head, *q_tail;
static size_t q_n; /* tickets queued */

/* Commit delay: a batch that is not yet full waits this long for more tickets before it
 * commits.  Each commit costs a WAL write and an fdatasync whatever it holds (about 0.4 ms of
 * CPU on the benchmark machine), so fewer, fuller commits leave more CPU for requests; a read's
 * answer waits at most this much longer.  Measured in bench/README.md. */
int audit_commit_delay_us = 0;
#define BATCH_FULL 64
static _Atomic uint64_t st_batches, st_records, st_failures;

void audit_stats(uint64_t *batches, uint64_t *records, uint64_t *failures) {
    *batches = st_batches;
    *records = st_records;
    *failures = st_failures;
}
static bool running, stopping;
static pthread_t committer;

/* A record with its 14 field values copied into one allocation (NULL stays NULL). */
static struct qrec *rec_new(const char *const v[14]) {
    size_t len[14], total = 0;
    for (int i = 0; i < 14; i++) total += v[i] ? (len[i] = strlen(v[i])) + 1 : 0;
    struct qrec *q = calloc(1, sizeof *q + total);
    if (!q) abort(); /* as strdup's callers did: the record cannot be dropped silently */
    char *p = q->text;
    for (int i = 0; i < 14; i++) {
        if (!v[i]) continue;
        memcpy(p, v[i], len[i] + 1);
        q->f[i] = p;
        p += len[i] + 1;
    }
    return q;
}

static struct qrec *rec_of(const ctx *c, const struct audit_rec *r) {
    const char *v[14] = {
        actor_type_name(c->who.type),
        c->who.id[0] ? c->who.id : NULL,
        role_name(c->who.role),
        c->who.office_id[0] ? c->who.office_id : NULL,
        c->who.region[0] ? c->who.region : NULL,
        r->action,
        r->resource_type,
        r->resource_id,
        r->person_id,
        r->purpose ? r->purpose : "unspecified",
        r->legal_basis ? r->legal_basis : "unspecified",
        r->outcome ? r->outcome : "allow",
        c->correlation_id[0] ? c->correlation_id : NULL,
        r->detail,
    };
    return rec_new(v);
}

static void free_rec(struct qrec *q) { free(q); }

/* SHA-256 fetched from the provider once, not on every record. */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static void sha256_fetch(void) { sha256 = EVP_MD_fetch(NULL, "SHA256", NULL); }

/* hash = SHA-256(prev_hash | seq | ts | fields...) with 0x1f between fields: the message is put
 * together in one buffer and hashed with one update, on a digest context kept per thread. */
static pthread_key_t hash_key; /* the thread's EVP_MD_CTX, freed when the thread ends */
static pthread_once_t hash_key_once = PTHREAD_ONCE_INIT;
static void hash_ctx_free(void *m) { EVP_MD_CTX_free(m); }
static void hash_key_make(void) { pthread_key_create(&hash_key, hash_ctx_free); }

static void rec_hash(int64_t seq, const char *ts, char *const *f, const char *prev, char out[65]) {
    pthread_once(&sha256_once, sha256_fetch);
    pthread_once(&hash_key_once, hash_key_make);
    EVP_MD_CTX *hash_ctx = pthread_getspecific(hash_key);
    if (!hash_ctx) {
        if (!(hash_ctx = EVP_MD_CTX_new())) abort();
        pthread_setspecific(hash_key, hash_ctx);
    }
    char small[2048], *msg = small;
    size_t cap = 64 + 24 + strlen(ts) + 16;
    for (int i = 0; i < 14; i++) cap += f[i] ? strlen(f[i]) : 0;
    cap += strlen(prev);
    if (cap > sizeof small && !(msg = malloc(cap))) abort();
    size_t n = (size_t)snprintf(msg, cap, "%s\x1f%lld\x1f%s", prev, (long long)seq, ts);
    for (int i = 0; i < 14; i++) {
        msg[n++] = 0x1f;
        if (f[i]) {
            size_t l = strlen(f[i]);
            memcpy(msg + n, f[i], l);
            n += l;
        }
    }
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestInit_ex(hash_ctx, sha256 ? sha256 : EVP_sha256(), NULL);
    EVP_DigestUpdate(hash_ctx, msg, n);
    EVP_DigestFinal_ex(hash_ctx, d, &dl);
    if (msg != small) free(msg);
    hex_encode(d, 32, out);
}

static const char *HEAD_SQL_SQLITE = "SELECT seq, hash FROM audit_head WHERE id = 1";
static const char *HEAD_SQL_PG = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
#define FIELD_COLS                                                                                 \
    "actor_type, actor_id, actor_role, actor_office, actor_region, action, resource_type,"         \
    " resource_id, person_id, purpose, legal_basis, outcome, correlation_id, detail"

/* "?,?,...,?" (k marks) into buf. */
static const char *marks(char *buf, size_t k) {
    char *p = buf;
    for (size_t i = 0; i < k; i++) {
        if (i) *p++ = ',';
        *p++ = '?';
    }
    *p = 0;
    return buf;
}

#define ID_BLOCK 64 /* ids per "IN (...)" statement */

/* Pending records already in the chain (a committer died between chaining them and deleting them
 * from audit_pending, or another process's committer took them first) get skip = true: one query
 * per block of record ids. */
static op_code mark_chained(store *s, struct qrec **recs, size_t n, op_err *e) {
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    char *sql = malloc(96 + 2 * ID_BLOCK);
    size_t k = 0;
    op_code rc = OP_OK;
    if (!ids || !sql) rc = op_fail(e, OP_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        if (recs[i]->record_id[0]) ids[k++] = recs[i]->record_id;
    for (size_t at = 0; at < k && !rc;) {
        size_t m = ID_BLOCK;
        while (m > k - at) m /= 2;
        char mk[2 * ID_BLOCK + 1];
        snprintf(sql, 96 + 2 * ID_BLOCK, "SELECT record_id FROM audit_log WHERE record_id IN (%s)", marks(mk, m));
        store_stmt *st = store_prepare(s, sql, e);
        if (!st) {
            rc = e && e->code ? e->code : OP_STORE;
            break;
        }
        for (size_t j = 0; j < m; j++) store_bind_text(st, (int)j + 1, ids[at + j]);
        int r;
        while ((r = store_step(st, e)) == STORE_ROW) { /* rare: a linear search will do */
            const char *id = store_col_text(st, 0);
            for (size_t i = 0; i < n; i++)
                if (strcmp(recs[i]->record_id, id) == 0) recs[i]->skip = true;
        }
        store_reset(st);
        if (r == STORE_ERROR) rc = e && e->code ? e->code : OP_STORE;
        at += m;
    }
    free(ids);
    free(sql);
    return rc;
}

/* Append the records of `n` lists to the chain: the head is read once and written once; the
 * hashes are computed in order, the rows inserted with multi-row statements (store_insert_rows). */
static op_code append_lists(store *s, struct qrec *const *lists, size_t n, op_err *e) {
    store_stmt *st = store_query(s, e, store_dialect(s, HEAD_SQL_SQLITE, HEAD_SQL_PG), "");
    if (!st) return e && e->code ? e->code : op_fail(e, OP_STORE, NULL, "audit head missing");
    int64_t seq = store_col_int(st, 0);
    char prev[65];
    snprintf(prev, sizeof prev, "%s", store_col_text(st, 1));
    store_reset(st);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        for (struct qrec *q = lists[i]; q; q = q->next) total++;
    if (!total) return OP_OK;
    struct qrec **recs = malloc(total * sizeof *recs);
    const char **vals = malloc(total * 19 * sizeof *vals);
    char (*hashes)[65] = malloc(total * sizeof *hashes), (*seqs)[24] = malloc(total * sizeof *seqs);
    op_code rc = OP_OK;
    if (!recs || !vals || !hashes || !seqs) rc = op_fail(e, OP_INTERNAL, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n && !rc; i++)
        for (struct qrec *q = lists[i]; q; q = q->next) {
            q->skip = false;
            recs[k++] = q;
        }
    if (!rc) rc = mark_chained(s, recs, total, e);
    size_t m = 0;
    for (size_t i = 0; i < total && !rc; i++) {
        struct qrec *q = recs[i];
        if (q->skip) continue;
        seq++;
        const char *p = m ? hashes[m - 1] : prev;
        rec_hash(seq, q->ts, q->f, p, hashes[m]);
        snprintf(seqs[m], sizeof seqs[m], "%lld", (long long)seq);
        const char **v = vals + m * 19;
        v[0] = seqs[m];
        v[1] = q->ts;
        for (int f = 0; f < 14; f++) v[2 + f] = q->f[f];
        v[16] = p;
        v[17] = hashes[m];
        v[18] = q->record_id[0] ? q->record_id : NULL;
        m++;
    }
    if (!rc && m)
        rc = store_insert_rows(s, e, NULL,
                               "INSERT INTO audit_log (seq, ts, actor_type, actor_id, actor_role, actor_office, actor_region,"
                               " action, resource_type, resource_id, person_id, purpose, legal_basis, outcome,"
                               " correlation_id, detail, prev_hash, hash, record_id)",
                               19, m, vals, NULL);
    if (!rc && m)
        rc = store_exec(s, e, NULL, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", "is", seq, hashes[m - 1]);
    free(recs);
    free(vals);
    free(hashes);
    free(seqs);
    return rc;
}

static struct qrec *make_rec(const ctx *c, const struct audit_rec *r) {
    struct qrec *q = rec_of(c, r);
    clock_now_ts(q->ts);
    return q;
}

static audit_ticket *ticket_new(void) {
    audit_ticket *t = calloc(1, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->refs = 2; /* the submitter's and the committer's */
    return t;
}

static void ticket_release(audit_ticket *t) {
    pthread_mutex_lock(&t->mu);
    int left = --t->refs;
    pthread_mutex_unlock(&t->mu);
    if (left) return;
    for (struct qrec *q = t->recs; q;) {
        struct qrec *n = q->next;
        free_rec(q);
        q = n;
    }
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}

static void ctx_cleanup(void *p) {
    struct holder *h = p;
    if (h->t) {
        h->t->refs = 1;
        ticket_release(h->t);
    }
}

op_code audit_record(ctx *c, const struct audit_rec *r) {
    bool deny = r->outcome && strcmp(r->outcome, "allow") != 0;
    if (!deny && c->db && store_in_tx(c->db)) { /* commits or rolls back with the data */
        struct qrec *q = make_rec(c, r);
        char rid[ID_LEN];
        id_uuid7(rid);
        op_code rc = store_exec(c->db, &c->err, NULL,
                                "INSERT INTO audit_pending (record_id, ts, " FIELD_COLS ")"
                                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                "ssssssssssssssss", rid, q->ts, q->f[0], q->f[1], q->f[2], q->f[3], q->f[4],
                                q->f[5], q->f[6], q->f[7], q->f[8], q->f[9], q->f[10], q->f[11], q->f[12],
                                q->f[13]);
        free_rec(q);
        c->audit_flush = true; /* the answer waits until the committer has chained it */
        return rc;
    }
    audit_ticket *t = c->audit_wait;
    if (!t) {
        t = ticket_new();
        t->holder = arena_alloc(c->a, sizeof *t->holder);
        t->holder->t = t;
        c->audit_wait = t;
        arena_on_free(c->a, ctx_cleanup, t->holder);
    }
    struct qrec *q = make_rec(c, r);
    q->next = t->recs;
    t->recs = q; /* reversed; audit_submit restores order */
    return OP_OK;
}

op_code audit_record_many(ctx *c, const struct audit_rec *r, size_t n) {
    if (!n) return OP_OK;
    if (!c->db || !store_in_tx(c->db)) {
        for (size_t i = 0; i < n; i++) {
            op_code rc = audit_record(c, &r[i]);
            if (rc) return rc;
        }
        return OP_OK;
    }
    /* The same row audit_record() writes for each, in one multi-row INSERT per block.  The actor's
     * fields are the context's, common to every record. */
    const char **v = malloc(n * 16 * sizeof *v);
    char (*ids)[ID_LEN] = malloc(n * sizeof *ids), ts[CLOCK_TS_LEN];
    if (!v || !ids) {
        free(v);
        free(ids);
        return op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
    }
    clock_now_ts(ts);
    size_t k = 0;
    op_code rc = OP_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        if (r[i].outcome && strcmp(r[i].outcome, "allow") != 0) { /* refusals: queued, outside the transaction */
            rc = audit_record(c, &r[i]);
            continue;
        }
        const char **f = v + k * 16;
        id_uuid7(ids[k]);
        f[0] = ids[k];
        f[1] = ts;
        f[2] = actor_type_name(c->who.type);
        f[3] = c->who.id[0] ? c->who.id : NULL;
        f[4] = role_name(c->who.role);
        f[5] = c->who.office_id[0] ? c->who.office_id : NULL;
        f[6] = c->who.region[0] ? c->who.region : NULL;
        f[7] = r[i].action;
        f[8] = r[i].resource_type;
        f[9] = r[i].resource_id;
        f[10] = r[i].person_id;
        f[11] = r[i].purpose ? r[i].purpose : "unspecified";
        f[12] = r[i].legal_basis ? r[i].legal_basis : "unspecified";
        f[13] = r[i].outcome ? r[i].outcome : "allow";
        f[14] = c->correlation_id[0] ? c->correlation_id : NULL;
        f[15] = r[i].detail;
        k++;
    }
    if (!rc && k) {
        rc = store_insert_rows(c->db, &c->err, NULL, "INSERT INTO audit_pending (record_id, ts, " FIELD_COLS ")", 16,
                               k, v, NULL);
        c->audit_flush = true; /* the answer waits until the committer has chained them */
    }
    free(v);
    free(ids);
    return rc;
}

static void *committer_main(void *arg);

void audit_start(void) {
    pthread_mutex_lock(&q_mu);
    if (!running) {
        running = true;
        stopping = false;
        pthread_create(&committer, NULL, committer_main, NULL);
    }
    pthread_mutex_unlock(&q_mu);
}

void audit_stop(void) {
    pthread_mutex_lock(&q_mu);
    if (!running) {
        pthread_mutex_unlock(&q_mu);
        return;
    }
    stopping = true;
    pthread_cond_broadcast(&q_cv);
    pthread_mutex_unlock(&q_mu);
    pthread_join(committer, NULL);
    pthread_mutex_lock(&q_mu);
    running = false;
    pthread_mutex_unlock(&q_mu);
}

audit_ticket *audit_submit(ctx *c) {
    audit_ticket *t = c->audit_wait;
    if (!t && !c->audit_flush) return NULL;
    if (t) {
        c->audit_wait = NULL;
        t->holder->t = NULL;
        t->holder = NULL;
    } else {
        t = ticket_new();
    }
    t->flush = c->audit_flush;
    c->audit_flush = false;
    /* restore insertion order */
    struct qrec *rev = NULL;
    for (struct qrec *q = t->recs; q;) {
        struct qrec *n = q->next;
        q->next = rev;
        rev = q;
        q = n;
    }
    t->recs = rev;
    audit_start();
    pthread_mutex_lock(&q_mu);
    t->next = NULL;
    bool first = !q_head;
    if (q_tail) q_tail->next = t;
    else q_head = t;
    q_tail = t;
    q_n = first ? 1 : q_n + 1;
    if (first || q_n == BATCH_FULL) pthread_cond_signal(&q_cv);
    pthread_mutex_unlock(&q_mu);
    return t;
}

static void complete(audit_ticket *t, bool ok) {
    pthread_mutex_lock(&t->mu);
    t->done = true;
    t->ok = ok;
    pthread_cond_broadcast(&t->cv);
    if (t->resume) t->resume(t->arg);
    pthread_mutex_unlock(&t->mu);
    ticket_release(t);
}

#define PENDING_CHUNK 500

/* Where the committer's scan of audit_pending starts (only the committer thread touches it).
 * Chained rows stay in audit_pending until audit_drop_chained_pending, every few seconds; at a
 * high write rate that is hundreds of thousands of rows, and a scan from the start for each
 * flush cost more than the writes (measured on the employment-registration ingest).
 * SQLite: ids grow in commit order (AUTOINCREMENT, one writer at a time), so a row committed
 * after this committer's last scan has a larger id than any it has seen: the scan starts past
 * the largest id it has chained.  PostgreSQL: a sequence hands out ids at insert time and
 * transactions commit out of order, so no such bound holds; there the chain transaction deletes
 * the pending rows it chained (the chain and audit_pending are in the same database).  The
 * committer thread's connection, and so its database, is fixed for the thread's life. */
static int64_t pending_seen;

/* Up to PENDING_CHUNK records of writes waiting in audit_pending and not yet in the chain, oldest
 * first.  SQLite: rows already in the chain at the start of the scan (chained earlier, or by
 * another process, and not yet deleted by the periodic clean-up) move pending_seen past them at
 * once, so that the next scan does not probe them again - a server started on a database with
 * many of them (after a bulk import or seeding, or run without the worker that deletes them) did
 * one probe per such row on every flush. */
static op_code load_pending(store *s, struct qrec **out, size_t *n, op_err *e) {
    *out = NULL;
    *n = 0;
    bool sqlite = store_kind(s) == STORE_SQLITE;
    store_stmt *st = store_prepare(
        s,
        sqlite ? "SELECT id, record_id, ts, " FIELD_COLS ", EXISTS (SELECT 1 FROM audit_log a WHERE a.record_id = p.record_id)"
                 " FROM audit_pending p WHERE p.id > ? ORDER BY id LIMIT 500"
               : "SELECT id, record_id, ts, " FIELD_COLS ", 0 FROM audit_pending p WHERE p.id > ? AND NOT EXISTS"
                 " (SELECT 1 FROM audit_log a WHERE a.record_id = p.record_id) ORDER BY id LIMIT 500",
        e);
    if (!st) return e->code;
    struct qrec **tail = out;
    for (;;) {
        store_bind_int(st, 1, sqlite ? pending_seen : 0);
        int r, rows = 0;
        while ((r = store_step(st, e)) == STORE_ROW) {
            rows++;
            if (store_col_int(st, 17)) { /* already chained (SQLite only) */
                if (!*n) pending_seen = store_col_int(st, 0); /* everything up to here is chained */
                continue;
            }
            const char *v[14];
            for (int i = 0; i < 14; i++) v[i] = store_col_null(st, 3 + i) ? NULL : store_col_text(st, 3 + i);
            struct qrec *q = rec_new(v);
            q->pending_id = store_col_int(st, 0);
            snprintf(q->record_id, sizeof q->record_id, "%s", store_col_text(st, 1));
            snprintf(q->ts, sizeof q->ts, "%s", store_col_text(st, 2));
            *tail = q;
            tail = &q->next;
            (*n)++;
        }
        store_reset(st);
        if (r == STORE_ERROR) return e->code;
        /* A full scan of chained rows only: look further (pending_seen moved past them). */
        if (!sqlite || *n || rows < PENDING_CHUNK) return OP_OK;
    }
}

/* PostgreSQL: the pending rows of this chain transaction go with it (see pending_seen). */
static op_code drop_pending(store *s, const struct qrec *pending, op_err *e) {
    if (store_kind(s) != STORE_PG) return OP_OK;
    char mk[2 * ID_BLOCK + 1], sql[64 + 2 * ID_BLOCK];
    while (pending) { /* one statement per block of ids */
        size_t m = 0;
        const struct qrec *q = pending;
        for (; q && m < ID_BLOCK; q = q->next) m++;
        size_t b = ID_BLOCK;
        while (b > m) b /= 2;
        snprintf(sql, sizeof sql, "DELETE FROM audit_pending WHERE id IN (%s)", marks(mk, b));
        store_stmt *st = store_prepare(s, sql, e);
        if (!st) return e && e->code ? e->code : OP_STORE;
        for (size_t j = 0; j < b; j++, pending = pending->next) store_bind_int(st, (int)j + 1, pending->pending_id);
        int r = store_step(st, e);
        store_reset(st);
        if (r == STORE_ERROR) return e && e->code ? e->code : OP_STORE;
    }
    return OP_OK;
}

/* SQLite: the next scan starts past the rows this committed chain took (see pending_seen). */
static void pending_advance(const struct qrec *pending) {
    for (const struct qrec *q = pending; q; q = q->next)
        if (q->pending_id > pending_seen) pending_seen = q->pending_id;
}

static void free_list(struct qrec *q) {
    while (q) {
        struct qrec *n = q->next;
        free_rec(q);
        q = n;
    }
}

int audit_drop_chained_pending(ctx *c) {
    int64_t n = 0;
    if (store_exec(c->db, &c->err, &n,
                   "DELETE FROM audit_pending WHERE EXISTS"
                   " (SELECT 1 FROM audit_log a WHERE a.record_id = audit_pending.record_id)",
                   ""))
        return -1;
    return (int)n;
}

/* On SQLite the chain's file is attached to every connection, and BEGIN IMMEDIATE would take the
 * write lock of the main file too, making read audits wait for any long write transaction (an
 * import, a payment batch).  So the chain transaction begins deferred and its first statement
 * writes the audit head: that takes the audit file's write lock only. */
static op_code begin_chain(store *s, op_err *e) {
    op_code rc = store_begin_read(s, e);
    if (!rc && store_kind(s) == STORE_SQLITE)
        rc = store_exec(s, e, NULL, "UPDATE audit_head SET seq = seq WHERE id = 1", "");
    return rc;
}

/* One batch: the tickets' records, and - when a ticket asks for it - every record of a write
 * waiting in audit_pending (and not chained yet).  The chain commits on its own; the pending rows
 * it took stay until audit_drop_chained_pending (a periodic task) deletes them, so that this
 * thread - which read answers wait for - never waits for the main file's write lock.  A record
 * is never chained twice: load_pending skips and append_lists re-checks chained record ids. */
static op_code commit_batch(store *s, audit_ticket *batch, op_err *e) {
    bool flush = false;
    size_t nt = 1;
    for (audit_ticket *t = batch; t; t = t->next) {
        flush |= t->flush;
        nt++;
    }
    struct qrec **lists = malloc(nt * sizeof *lists);
    op_code rc = OP_OK;
    bool first = true, more;
    /* Every record this batch must chain was committed before the batch began (its ticket was
     * queued after its commit), so one pass in id order over the pending rows finds them all: each
     * chunk starts where the previous one ended (pending_seen; PostgreSQL: the rows are gone). */
    do {
        struct qrec *pending = NULL;
        size_t np = 0;
        if (flush && (rc = load_pending(s, &pending, &np, e))) break;
        /* The waiting requests' data transactions committed without a disk sync (dispatch.c):
         * one sync covers them all, before their answers go. */
        if (flush && first && (rc = store_sync(s, e))) {
            free_list(pending);
            break;
        }
        size_t n = 0;
        lists[n++] = pending;
        bool any = false; /* writes without personal data wait only for the sync above */
        for (audit_ticket *t = batch; first && t; t = t->next) {
            lists[n++] = t->recs;
            any |= t->recs != NULL;
        }
        if ((any || pending) && !(rc = begin_chain(s, e))) {
            rc = append_lists(s, lists, n, e);
            if (!rc) rc = drop_pending(s, pending, e);
            if (!rc) rc = store_commit(s, e);
            if (rc) store_rollback(s);
        }
        if (!rc) {
            pending_advance(pending);
            uint64_t recs = 0;
            for (size_t i = 0; i < n; i++)
                for (struct qrec *q = lists[i]; q; q = q->next) recs++;
            st_batches++;
            st_records += recs;
        }
        free_list(pending);
        more = !rc && np == PENDING_CHUNK;
        first = false;
    } while (more);
    free(lists);
    return rc;
}

void audit_flush(void) {
    audit_ticket *t = ticket_new();
    t->flush = true;
    audit_start();
    pthread_mutex_lock(&q_mu);
    bool first = !q_head;
    if (q_tail) q_tail->next = t;
    else q_head = t;
    q_tail = t;
    q_n = first ? 1 : q_n + 1;
    pthread_cond_signal(&q_cv);
    pthread_mutex_unlock(&q_mu);
    if (!audit_ticket_wait(t)) log_error("could not move the records of writes into the audit chain");
}

static void *committer_main(void *arg) {
    (void)arg;
    pending_seen = 0; /* a new committer may serve another database: its first scan is a full one */
    for (;;) {
        pthread_mutex_lock(&q_mu);
        while (!q_head && !stopping) pthread_cond_wait(&q_cv, &q_mu);
        if (q_head && !stopping && audit_commit_delay_us > 0 && q_n < BATCH_FULL) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)audit_commit_delay_us * 1000;
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
            while (!stopping && q_n < BATCH_FULL && pthread_cond_timedwait(&q_cv, &q_mu, &until) == 0) {
            }
        }
        audit_ticket *batch = q_head;
        q_head = q_tail = NULL;
        q_n = 0;
        bool stop = stopping && !batch;
        pthread_mutex_unlock(&q_mu);
        if (stop) break;
        op_err e = {0};
        store *s = store_thread(&e);
        bool ok = s != NULL;
        if (ok) ok = commit_batch(s, batch, &e) == OP_OK;
        if (!ok) {
            log_error("audit group commit failed: %s", e.detail);
            st_failures++;
        }
        for (audit_ticket *t = batch; t;) {
            audit_ticket *n = t->next;
            complete(t, ok);
            t = n;
        }
    }
    store_thread_close();
    return NULL;
}

bool audit_ticket_wait(audit_ticket *t) {
    pthread_mutex_lock(&t->mu);
    while (!t->done) pthread_cond_wait(&t->cv, &t->mu);
    bool ok = t->ok;
    pthread_mutex_unlock(&t->mu);
    ticket_release(t);
    return ok;
}

bool audit_ticket_park(audit_ticket *t, void (*park)(void *), void (*resume)(void *), void *arg) {
    pthread_mutex_lock(&t->mu);
    if (t->done) {
        pthread_mutex_unlock(&t->mu);
        return false;
    }
    park(arg);
    t->resume = resume;
    t->arg = arg;
    pthread_mutex_unlock(&t->mu);
    return true;
}

bool audit_ticket_finish(audit_ticket *t) {
    pthread_mutex_lock(&t->mu);
    bool ok = t->done && t->ok;
    pthread_mutex_unlock(&t->mu);
    ticket_release(t);
    return ok;
}

/* ---- verification ---- */

op_code audit_verify(store *s, int64_t *count, op_err *e) {
    static const char *sql =
        "SELECT seq, ts, actor_type, actor_id, actor_role, actor_office, actor_region, action,"
        " resource_type, resource_id, person_id, purpose, legal_basis, outcome, correlation_id,"
        " detail, prev_hash, hash FROM audit_log ORDER BY seq";
    store_stmt *st = store_prepare(s, sql, e);
    if (!st) return e->code;
    char prev[65] = ZERO_HASH;
    int64_t expect = 1, n = 0;
    op_code rc = OP_OK;
    int r;
    while ((r = store_step(st, e)) == STORE_ROW) {
        int64_t seq = store_col_int(st, 0);
        char *f[14];
        for (int i = 0; i < 14; i++) f[i] = (char *)store_col_text(st, 2 + i);
        const char *ts = store_col_text(st, 1), *ph = store_col_text(st, 16), *h = store_col_text(st, 17);
        if (seq != expect) {
            rc = op_fail(e, OP_CONFLICT, "restore the audit log from a backup and investigate",
                         "record %lld is missing: the chain jumps from %lld to %lld (deleted records)",
                         (long long)expect, (long long)(expect - 1), (long long)seq);
            break;
        }
        if (!ph || strcmp(ph, prev) != 0) {
            rc = op_fail(e, OP_CONFLICT, "restore the audit log from a backup and investigate",
                         "record %lld does not link to record %lld (a record was inserted or replaced)",
                         (long long)seq, (long long)(seq - 1));
            break;
        }
        char calc[65];
        rec_hash(seq, ts ? ts : "", f, prev, calc);
        if (!h || strcmp(h, calc) != 0) {
            rc = op_fail(e, OP_CONFLICT, "restore the audit log from a backup and investigate",
                         "record %lld was altered: its content does not match its hash", (long long)seq);
            break;
        }
        memcpy(prev, h, sizeof prev);
        expect++;
        n++;
    }
    store_reset(st);
    if (r == STORE_ERROR) return e->code;
    if (rc == OP_OK) {
        store_stmt *hd = store_query(s, e, "SELECT seq, hash FROM audit_head WHERE id = 1", "");
        if (!hd) return op_fail(e, OP_CONFLICT, NULL, "the audit head record is missing");
        int64_t hseq = store_col_int(hd, 0);
        const char *hh = store_col_text(hd, 1);
        if (hseq != n || !hh || strcmp(hh, prev) != 0)
            rc = op_fail(e, OP_CONFLICT, "restore the audit log from a backup and investigate",
                         "the log ends at record %lld but the head says %lld (records deleted at the end)",
                         (long long)n, (long long)hseq);
        store_reset(hd);
    }
    if (count) *count = n;
    return rc;
}
