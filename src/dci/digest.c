/* digest.c - digest delivery of notifications by a subscription's frequency (docs/DCI.md "Digest
 * delivery"; contract: "events are delivered as they happen (real time) unless the cron
 * expression asks for a digest").
 *
 * A subscription whose frequency.frequency is a cron expression that is not all wildcards
 * (cron.h) collects its notifications: a period ends at each fire time, and the notifications of
 * events handled between two fire times travel together in one signed notify sent at the end of
 * the period, their notify_event items in event order (so in order per person).
 *
 * Tables (migration 53): dci_digests, one row per subscription and period (its fire time
 * due_at, the notify's correlation_id, state open/closed), and dci_digest_items, the rendered
 * notify_event items (sealed: they hold Member records) waiting for their period's end.  An
 * item is added in the worker's transaction of its domain event, after taking the period's row
 * with an UPDATE (a row lock on PostgreSQL), and the period is closed by an UPDATE of that same
 * row: an item lands either in a period that is still open, or in the next one - never in a
 * closed one, whatever the interleaving of processes.  Closing a period (the periodic task
 * dci_digest_due) stores the notify as a dci_transactions row with its delivery event and deletes
 * the items, in one transaction; delivery is async.c's path (signed, retried with back-off, failed
 * after 10 attempts, visible to operators).  The digests of one subscription share an outbox
 * subject, so they arrive in period order. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/cron.h"
#include "dci/registry.h"
#include "events/outbox.h"
#include "sec/fieldcrypt.h"

bool dci_digest_cron(ctx *c, const char *frequency, struct dci_cron *cr) {
    json_t *f = frequency ? jx_arena(c->a, json_loads(frequency, 0, NULL)) : NULL;
    const char *expr = json_string_value(json_object_get(f, "frequency"));
    char why[200];
    if (!expr || !expr[strspn(expr, " \t")] || !dci_cron_parse(expr, cr, why, sizeof why)) return false;
    return !cr->every_second;
}

static const char *item_aad(ctx *c, const char *corr, long long event_id) {
    return arena_printf(c->a, "dci_digest_items.item:%s:%lld", corr, event_id);
}

op_code dci_digest_period(ctx *c, const char *code, const char *client, const struct dci_cron *cr, char corr[ID_LEN], bool *open) {
    *open = false;
    char now[CLOCK_TS_LEN], due[CLOCK_TS_LEN], fresh[ID_LEN];
    clock_now_ts(now);
    int64_t due_us = dci_cron_next(cr, clock_now_us());
    op_code rc;
    for (int tries = 0; tries < 8 && due_us >= 0; tries++, due_us = dci_cron_next(cr, due_us)) {
        clock_format_ts(due_us, due);
        id_uuid7(fresh);
        if ((rc = store_exec(c->db, &c->err, NULL,
                             "INSERT INTO dci_digests (correlation_id, subscription_code, client_id, due_at, state, events, created_at)"
                             " VALUES (?,?,?,?,'open',0,?) ON CONFLICT (subscription_code, due_at) DO NOTHING",
                             "sssss", fresh, code, client, due, now)))
            return rc;
        int64_t n = 0;
        if ((rc = store_exec(c->db, &c->err, &n,
                             "UPDATE dci_digests SET events = events + 1 WHERE subscription_code = ? AND due_at = ? AND state = 'open'", "ss",
                             code, due)))
            return rc;
        if (n != 1) continue; /* closed meanwhile: the next period */
        store_stmt *st = store_query(c->db, &c->err, "SELECT correlation_id FROM dci_digests WHERE subscription_code = ? AND due_at = ?", "ss",
                                     code, due);
        if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
        snprintf(corr, ID_LEN, "%s", store_col_text(st, 0));
        store_reset(st);
        *open = true;
        return OP_OK;
    }
    log_warn("DCI subscription %s: its frequency fires no more; the event is not notified", code);
    return OP_OK;
}

op_code dci_digest_add(ctx *c, const char *corr, const char *person, long long event_id, const json_t *item) {
    char now[CLOCK_TS_LEN], *sealed = NULL;
    clock_now_ts(now);
    op_code rc = fieldcrypt_seal(c->a, jx_dump(c->a, item), item_aad(c, corr, event_id), &sealed, &c->err);
    if (rc) return rc;
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO dci_digest_items (correlation_id, person_id, event_id, item, created_at) VALUES (?,?,?,?,?)", "ssiss",
                      corr, person, (int64_t)event_id, sealed, now);
}

/* Close one period whose time has come: its notify stored for delivery, its items deleted. */
static op_code close_one(ctx *c, const char *corr, bool *closed) {
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    int64_t n = 0;
    *closed = false;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "UPDATE dci_digests SET state = 'closed', closed_at = ? WHERE correlation_id = ? AND state = 'open'", "ss", now,
                            corr);
    if (rc || n != 1) return rc;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT d.subscription_code, d.client_id, d.due_at, s.notify_uri, s.event_type FROM dci_digests d"
                                 " JOIN dci_subscriptions s ON s.code = d.subscription_code WHERE d.correlation_id = ?",
                                 "s", corr);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_INTERNAL, NULL, "digest %s has no subscription", corr);
    const char *code = arena_strdup(c->a, store_col_text(st, 0)), *client = arena_strdup(c->a, store_col_text(st, 1)),
               *due = arena_strdup(c->a, store_col_text(st, 2)), *uri = arena_strdup(c->a, store_col_text(st, 3)),
               *et = arena_strdup(c->a, store_col_text(st, 4));
    store_reset(st);
    json_t *items = jx_arena(c->a, json_array()), *events = jx_arena(c->a, json_array());
    store_stmt *it = store_prepare(c->db, "SELECT item, person_id, event_id FROM dci_digest_items WHERE correlation_id = ? ORDER BY event_id, num",
                                   &c->err);
    if (!it) return c->err.code;
    store_bind_text(it, 1, corr);
    int r;
    while ((r = store_step(it, &c->err)) == STORE_ROW) {
        long long ev = (long long)store_col_int(it, 2);
        char *plain = NULL;
        op_err e = {0};
        if (fieldcrypt_unseal(c->a, store_col_text(it, 0), item_aad(c, corr, ev), &plain, &e)) {
            store_reset(it);
            return op_fail(&c->err, OP_INTERNAL, NULL, "digest %s: an item could not be opened: %s", corr, e.detail);
        }
        json_t *item = plain ? json_loads(plain, 0, NULL) : NULL;
        if (item) json_array_append_new(items, item);
        json_array_append_new(events, json_pack("{s:s, s:I}", "person_id", store_col_text(it, 1), "event_id", (json_int_t)ev));
    }
    store_reset(it);
    if (r == STORE_ERROR) return c->err.code;
    int64_t count = (int64_t)json_array_size(items);
    if (count == 0) { /* nothing joined after all (cannot happen: the period is taken with its item) */
        *closed = true;
        return OP_OK;
    }
    json_t *m = jx_arena(c->a, json_pack("{s:s, s:s, s:O}", "transaction_id", corr, "correlation_id", corr, "notify_event", items));
    json_t *req = jx_arena(c->a, json_pack("{s:s, s:s, s:s, s:O}", "subscription_code", code, "reg_event_type", et, "digest_due", due,
                                           "events", events));
    struct dci_txn_new t = {corr, client, corr, "notify", uri, jx_dump(c->a, req), "succ", m, count, count,
                            arena_printf(c->a, "dci.notify:%s:%s", client, code), NULL, NULL, NULL};
    if ((rc = dci_txn_insert(c, &t))) return rc;
    if ((rc = store_exec(c->db, &c->err, NULL, "DELETE FROM dci_digest_items WHERE correlation_id = ?", "s", corr))) return rc;
    *closed = true;
    return OP_OK;
}

int dci_digest_due(ctx *c) {
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    store_stmt *st = store_prepare(c->db, "SELECT correlation_id FROM dci_digests WHERE state = 'open' AND due_at <= ? ORDER BY due_at LIMIT 100",
                                   &c->err);
    if (!st) return -1;
    store_bind_text(st, 1, now);
    const char *due[100];
    int n = 0, r, done = 0;
    while (n < 100 && (r = store_step(st, &c->err)) == STORE_ROW) due[n++] = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    for (int i = 0; i < n; i++) {
        bool closed = false;
        op_code rc = store_begin(c->db, &c->err);
        if (!rc) rc = close_one(c, due[i], &closed);
        if (!rc && closed) rc = store_commit(c->db, &c->err);
        if (rc || !closed) store_rollback(c->db);
        if (rc) {
            log_warn("DCI digest %s could not be closed: %s", due[i], c->err.detail);
            return -1;
        }
        done += closed;
    }
    if (done) worker_wake();
    return done;
}
