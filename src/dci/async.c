/* async.c - asynchronous search and transaction status (contracts/dci-ess.md; DCI-DIGEST 1.6).
 *
 * POST /registry/search: after the pipeline checks and the agreement check, the request is
 * stored in dci_transactions with a new correlation_id and an outbox event "dci.txn" is emitted in
 * the same transaction; the answer is an ACK at once.  The worker runs the search as the partner
 * (so the audit names it), stores the on-search message, commits, and POSTs it signed to
 * sender_uri.  A failed callback is retried by the outbox with exponential back-off (2, 4, 8 … s);
 * the stored result is reused, so the search runs and is audited once.  After EVENT_MAX_ATTEMPTS
 * the callback is "failed" (and the event dead: operators see both).  State is visible through
 * txn/status and sync/txn/status.  txn/status itself answers from the table; its async form
 * stores its txn-on-status message the same way and delivers it by callback. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/batchfile.h"
#include "dci/registry.h"
#include "events/outbox.h"
#include "sec/fieldcrypt.h"

/* A transaction's query, answer and result pages hold national ids and Member records: they are
 * stored sealed (AES-256-GCM under the field key, bound to the transaction and the column), and
 * opened only here.  Rows written before sealing are plain JSON and read as they are. */
static op_code seal(ctx *c, const char *corr, const char *col, const char *plain, char **out) {
    return fieldcrypt_seal(c->a, plain, arena_printf(c->a, "dci_transactions.%s:%s", col, corr), out, &c->err);
}

const char *dci_txn_open(ctx *c, const char *corr, const char *col, const char *stored) {
    char *plain = NULL;
    op_err e = {0};
    if (fieldcrypt_unseal(c->a, stored, arena_printf(c->a, "dci_transactions.%s:%s", col, corr), &plain, &e))
        log_error("dci transaction %s: %s could not be opened: %s", corr, col, e.detail);
    return plain;
}

op_code dci_txn_insert(ctx *c, const struct dci_txn_new *t) {
    char ts[CLOCK_TS_LEN], *request, *response, *pages;
    clock_now_ts(ts);
    op_code rc;
    if ((rc = seal(c, t->correlation_id, "request", t->request, &request)) ||
        (rc = seal(c, t->correlation_id, "response", t->response ? jx_dump(c->a, t->response) : NULL, &response)) ||
        (rc = seal(c, t->correlation_id, "pages", t->pages ? jx_dump(c->a, t->pages) : NULL, &pages)))
        return rc;
    rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO dci_transactions (correlation_id, sender_id, transaction_id, action, sender_uri, request, status,"
                            " response, total_count, completed_count, callback_state, created_at, updated_at, file_name, file_format, pages)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            "ssssssssiissssss", t->correlation_id, t->sender_id, t->transaction_id ? t->transaction_id : "", t->action,
                            t->sender_uri, request, t->status, response, t->total,
                            t->completed, t->sender_uri ? "pending" : "none", ts, ts, t->file_name, t->file_format, pages);
    if (rc || (t->response && !t->sender_uri)) return rc; /* nothing to compute or deliver */
    json_t *pl = json_pack("{s:s}", "correlation_id", t->correlation_id);
    rc = event_emit(c, "dci.txn", t->subject ? t->subject : t->correlation_id, pl);
    json_decref(pl);
    return rc;
}

static op_code store_txn(struct dci_call *k, const char *corr, const char *action, const char *status, json_t *response,
                         int64_t total, int64_t completed) {
    ctx *c = k->c;
    struct dci_txn_new t = {corr, k->env.sender_id, json_string_value(json_object_get(k->env.message, "transaction_id")), action,
                            k->env.sender_uri, jx_dump(c->a, k->env.message), status, response, total, completed, NULL,
                            k->batch ? k->batch->file_name : NULL, k->batch ? k->batch->file_format : NULL, NULL};
    op_code rc = store_begin(c->db, &c->err);
    if (!rc) rc = dci_txn_insert(c, &t);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    else worker_wake();
    return rc;
}

op_code dci_async_search(struct dci_call *k) {
    ctx *c = k->c;
    struct dci_agreement *ags;
    const char *refusal, *bad;
    char corr[ID_LEN];
    id_uuid7(corr);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    op_code rc = dci_search_check(c, k->env.message, k->batch ? DCI_BATCH_ITEMS_MAX : DCI_ITEMS_MAX, &ags, &refusal, &bad);
    if (rc) return rc;
    if (bad) return dci_reply_err(k, "err.request.bad", bad);
    if (refusal) return dci_reply_http(k, 403, "err.request.forbidden", refusal);
    if ((rc = store_txn(k, corr, "search", "rcvd", NULL, 0, 0))) return rc;
    return http_json(k->rs, 200, dci_ack("ACK", corr, NULL, NULL));
}

/* ---- transaction status ---- */

static op_code status_message(ctx *c, const char *sender, const json_t *msg, json_t **out, bool *found) {
    const json_t *r = json_object_get(msg, "txnstatus_request");
    const char *tid = json_string_value(json_object_get(msg, "transaction_id"));
    const char *at = json_string_value(json_object_get(r, "attribute_type"));
    const json_t *av = json_object_get(r, "attribute_value");
    const char *val = json_is_string(av) ? json_string_value(av) : json_string_value(json_array_get(av, 0));
    const char *ref = json_string_value(json_object_get(r, "reference_id"));
    const char *tt = json_string_value(json_object_get(r, "txn_type"));
    *found = false;
    store_stmt *st = NULL;
    /* a transaction id names the newest request of that type (search unless txn_type says otherwise) */
    const char *kind = tt && (strcmp(tt, "subscribe") == 0 || strcmp(tt, "unsubscribe") == 0) ? tt : "search";
    if (at && val && strcmp(at, "transaction_id") == 0)
        st = store_query(c->db, &c->err,
                         "SELECT status, response, callback_state, callback_attempts, last_error, correlation_id, action"
                         " FROM dci_transactions WHERE sender_id = ? AND transaction_id = ? AND action = ?"
                         " ORDER BY created_at DESC",
                         "sss", sender, val, kind);
    else if (at && val && strcmp(at, "correlation_id") == 0)
        st = store_query(c->db, &c->err,
                         "SELECT status, response, callback_state, callback_attempts, last_error, correlation_id, action"
                         " FROM dci_transactions WHERE sender_id = ? AND correlation_id = ?",
                         "ss", sender, val);
    if (!st && c->err.code) return c->err.code;
    json_t *resp = json_pack("{s:s}", "txn_type", tt ? tt : "search");
    if (ref) json_object_set_new(resp, "reference_id", json_string(ref));
    if (st) {
        *found = true;
        const char *status = store_col_text(st, 0),
                   *response = dci_txn_open(c, store_col_text(st, 5), "response", store_col_text(st, 1));
        json_t *ts = response ? json_loads(response, 0, NULL) : NULL;
        if (!ts) ts = json_pack("{s:s, s:s, s:[]}", "transaction_id", val, "correlation_id", store_col_text(st, 5), "search_response");
        json_object_set_new(resp, "status", json_string(status));
        json_object_set_new(resp, "txn_status", ts);
        json_object_set_new(resp, "callback", json_pack("{s:s, s:I, s:o}", "state", store_col_text(st, 2), "attempts",
                                                        (json_int_t)store_col_int(st, 3), "last_error",
                                                        store_col_text(st, 4) ? json_string(store_col_text(st, 4)) : json_null()));
        store_reset(st);
    } else {
        json_object_set_new(resp, "status", json_string("rjct"));
        json_object_set_new(resp, "status_reason_code", json_string("rjct.reference_id.invalid"));
        /* txn_status is required (TxnStatusResponse): an empty answer of the asked kind */
        const char *qid = at && val && strcmp(at, "transaction_id") == 0 && strlen(val) <= 99 ? val : "";
        json_t *empty = json_pack("{s:s, s:s}", "transaction_id", qid, "correlation_id", c->correlation_id);
        if (strcmp(kind, "unsubscribe") == 0) {
            char now[CLOCK_TS_LEN];
            clock_now_ts(now);
            json_object_set_new(empty, "timestamp", json_string(now));
            json_object_set_new(empty, "status", json_string("rjct"));
            json_object_set_new(empty, "subscription_status", json_array());
        } else {
            json_object_set_new(empty, strcmp(kind, "subscribe") == 0 ? "subscribe_response" : "search_response", json_array());
        }
        json_object_set_new(resp, "txn_status", empty);
        json_object_set_new(resp, "status_reason_message",
                            json_string(at && strcmp(at, "transaction_id") != 0 && strcmp(at, "correlation_id") != 0
                                            ? "attribute_type must be transaction_id or correlation_id"
                                            : "no such transaction for this sender"));
    }
    *out = json_pack("{s:s, s:s, s:o}", "transaction_id", tid ? tid : "", "correlation_id", c->correlation_id, "txnstatus_response", resp);
    return OP_OK;
}

/* A csv/jsonl file of status requests: each line answered (a line that could not be read: rjct
 * with its reason), one txn-on-status callback a line, in file order. */
static op_code status_batch(struct dci_call *k, const char *corr) {
    ctx *c = k->c;
    const char *tid = json_string_value(json_object_get(k->env.message, "transaction_id"));
    json_t *pages = jx_arena(c->a, json_array());
    int64_t found_n = 0;
    size_t i;
    json_t *line;
    json_array_foreach(k->batch->lines, i, line) {
        const json_t *le = json_object_get(line, DCI_LINE_ERROR);
        json_t *m;
        bool found = false;
        if (le) {
            char now[CLOCK_TS_LEN];
            clock_now_ts(now);
            m = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:O, s:O, s:{s:s, s:s, s:[]}}}", "transaction_id", tid, "correlation_id", corr,
                          "txnstatus_response", "txn_type", "search", "reference_id", json_string_value(json_object_get(line, "reference_id")),
                          "status", "rjct", "status_reason_code", json_object_get(le, "code"), "status_reason_message",
                          json_object_get(le, "message"), "txn_status", "transaction_id", "", "correlation_id", corr, "search_response");
        } else {
            json_t *one = json_pack("{s:s, s:O}", "transaction_id", tid, "txnstatus_request", line);
            op_code rc = status_message(c, k->env.sender_id, one, &m, &found);
            json_decref(one);
            if (rc) return rc;
            json_object_set_new(m, "correlation_id", json_string(corr));
        }
        found_n += found;
        json_array_append_new(pages, m);
    }
    struct dci_txn_new t = {corr, k->env.sender_id, tid, "txn-status", k->env.sender_uri, jx_dump(c->a, k->env.message),
                            found_n ? "succ" : "rjct", json_array_get(pages, 0), (int64_t)json_array_size(pages), found_n, NULL,
                            k->batch->file_name, k->batch->file_format, pages};
    op_code rc = store_begin(c->db, &c->err);
    if (!rc) rc = dci_txn_insert(c, &t);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    worker_wake();
    return http_json(k->rs, 200, dci_ack("ACK", corr, NULL, NULL));
}

op_code dci_txn_status(struct dci_call *k, bool sync) {
    ctx *c = k->c;
    if (!json_string_value(json_object_get(k->env.message, "transaction_id")) ||
        !json_is_object(json_object_get(k->env.message, "txnstatus_request")))
        return dci_reply_err(k, "err.request.bad", "message.transaction_id and message.txnstatus_request are required");
    char corr[ID_LEN];
    if (!sync) {
        id_uuid7(corr);
        snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    }
    json_t *m;
    bool found;
    op_code rc;
    if (!sync && k->batch && k->batch->lines) return status_batch(k, corr);
    if ((rc = status_message(c, k->env.sender_id, k->env.message, &m, &found))) return rc;
    if (sync) return dci_reply_signed(k, "txn-on-status", found ? "succ" : "rjct", 1, found ? 1 : 0, m);
    rc = store_txn(k, corr, "txn-status", found ? "succ" : "rjct", m, 1, found ? 1 : 0);
    json_decref(m);
    if (rc) return rc;
    return http_json(k->rs, 200, dci_ack("ACK", corr, NULL, NULL));
}

/* ---- worker ---- */

static size_t discard(void *p, size_t sz, size_t n, void *u) {
    (void)p;
    (void)u;
    return sz * n;
}

/* POST body to url; OP_OK on a 2xx answer, else OP_UNAVAILABLE with err. */
static op_code post_json(ctx *c, const char *url, const char *body) {
    CURL *h = curl_easy_init();
    if (!h) return op_fail(&c->err, OP_UNAVAILABLE, NULL, "curl init failed");
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    if (cc != CURLE_OK) return op_fail(&c->err, OP_UNAVAILABLE, NULL, "callback failed: %s", curl_easy_strerror(cc));
    if (code < 200 || code > 299) return op_fail(&c->err, OP_UNAVAILABLE, NULL, "callback answered HTTP %ld", code);
    return OP_OK;
}

struct txn {
    const char *sender, *action, *uri, *request, *status, *response, *cb, *pages, *file_format;
    int64_t total, completed, attempts, pages_sent;
};

static op_code load(ctx *c, const char *corr, struct txn *t) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT sender_id, action, sender_uri, request, status, response, callback_state, total_count,"
                                 " completed_count, callback_attempts, pages, pages_sent, file_format FROM dci_transactions WHERE correlation_id = ?",
                                 "s", corr);
    if (!st) return c->err.code ? c->err.code : OP_NOT_FOUND;
    const char **f[] = {&t->sender, &t->action, &t->uri, &t->request, &t->status, &t->response, &t->cb};
    for (int i = 0; i < 7; i++) *f[i] = arena_strdup(c->a, store_col_text(st, i));
    t->total = store_col_int(st, 7);
    t->completed = store_col_int(st, 8);
    t->attempts = store_col_int(st, 9);
    t->pages = dci_txn_open(c, corr, "pages", store_col_text(st, 10));
    t->request = dci_txn_open(c, corr, "request", t->request);
    t->response = dci_txn_open(c, corr, "response", t->response);
    t->pages_sent = store_col_int(st, 11);
    t->file_format = arena_strdup(c->a, store_col_text(st, 12));
    store_reset(st);
    return OP_OK;
}

/* Records per callback when an async result is split (OPENPES_DCI_ASYNC_PAGE, default 100). */
static int64_t async_page(void) {
    const char *v = getenv("OPENPES_DCI_ASYNC_PAGE");
    long n = v ? atol(v) : 100;
    return n < 1 || n > 1000 ? 100 : n;
}

/* Batch files: at most per items of list in one callback (a message with more is split in order). */
static json_t *split_items(json_t *msgs, size_t per, const char *list) {
    json_t *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m) {
        const json_t *items = json_object_get(m, list);
        size_t n = json_array_size(items);
        for (size_t from = 0; from < n || from == 0; from += per) {
            json_t *part = json_object(), *sub = json_array(), *v;
            const char *key;
            json_object_foreach(m, key, v) if (strcmp(key, list) != 0) json_object_set(part, key, v);
            for (size_t j = from; j < n && j < from + per; j++) json_array_append(sub, json_array_get(items, j));
            json_object_set_new(part, list, sub);
            json_array_append_new(out, part);
            if (n == 0) break;
        }
    }
    json_decref(msgs);
    return out;
}

json_t *dci_split_pages(ctx *c, const json_t *message, const char *list) {
    return jx_arena(c->a, split_items(json_pack("[O]", message), (size_t)async_page(), list));
}

/* Run a stored search as the partner; store its result (committed). */
static op_code run_search(ctx *c, const char *corr, struct txn *t) {
    actor saved = c->who;
    char saved_corr[sizeof c->correlation_id];
    memcpy(saved_corr, c->correlation_id, sizeof saved_corr);
    memset(&c->who, 0, sizeof c->who);
    c->who.type = ACTOR_PARTNER;
    snprintf(c->who.id, sizeof c->who.id, "%s", t->sender);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    json_t *req = jx_arena(c->a, json_loads(t->request, 0, NULL));
    struct dci_agreement *ags;
    const char *refusal = NULL, *bad = NULL;
    json_t *msgs = NULL;
    op_code rc = dci_search_check(c, req, DCI_BATCH_ITEMS_MAX, &ags, &refusal, &bad); /* the limit was checked on receipt */
    if (!rc && !refusal && !bad) rc = dci_search_exec(c, req, ags, async_page(), &msgs);
    if (!rc && msgs && t->file_format) msgs = split_items(msgs, (size_t)async_page(), "search_response");
    if (!rc && !msgs)
        msgs = json_pack("[{s:s, s:s, s:[], s:s}]", "transaction_id", json_string_value(json_object_get(req, "transaction_id")),
                         "correlation_id", corr, "search_response", "status_reason_message", refusal ? refusal : bad);
    if (!rc) {
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        int64_t n, done, any = 0;
        size_t i;
        json_t *m;
        json_array_foreach(msgs, i, m) {
            dci_search_counts(m, &n, &done);
            any += done;
        }
        dci_search_counts(json_array_get(msgs, 0), &n, &done);
        t->status = any > 0 ? "succ" : "rjct";
        t->response = jx_dump(c->a, json_array_get(msgs, 0));
        t->pages = jx_dump(c->a, msgs);
        t->total = n;
        t->completed = done;
        char *sealed_response = NULL, *sealed_pages = NULL;
        if (!(rc = seal(c, corr, "response", t->response, &sealed_response)) &&
            !(rc = seal(c, corr, "pages", t->pages, &sealed_pages)))
            rc = store_exec(c->db, &c->err, NULL,
                            "UPDATE dci_transactions SET status = ?, response = ?, pages = ?, total_count = ?,"
                            " completed_count = ?, updated_at = ? WHERE correlation_id = ?",
                            "sssiiss", t->status, sealed_response, sealed_pages, n, done, ts, corr);
    }
    json_decref(msgs);
    if (!rc) rc = store_commit(c->db, &c->err); /* the result and its audit rows, before any callback */
    if (c->audit_wait) audit_ticket_wait(audit_submit(c)); /* refusals are queued, not in the transaction */
    c->who = saved;
    memcpy(c->correlation_id, saved_corr, sizeof saved_corr);
    if (rc) return rc;
    return store_begin(c->db, &c->err);
}

/* A page of a paged subscribe answer (its items) or of a batch of status requests (one each). */
static void page_counts(const json_t *m, int64_t *n, int64_t *done, const char **status) {
    const json_t *items = json_object_get(m, "subscribe_response"), *r = json_object_get(m, "txnstatus_response");
    size_t i;
    json_t *it;
    if (json_is_array(items)) {
        *n = (int64_t)json_array_size(items);
        *done = 0;
        json_array_foreach(items, i, it) {
            const char *st = json_string_value(json_object_get(it, "status"));
            *done += st && strcmp(st, "succ") == 0;
        }
    } else if (r) {
        const char *st = json_string_value(json_object_get(r, "status"));
        *n = 1;
        *done = st && strcmp(st, "succ") == 0;
    }
    *status = *done > 0 ? "succ" : "rjct";
}

/* The callback's action for a stored transaction's action. */
static const char *callback_action(const char *action) {
    static const char *const map[][2] = {{"search", "on-search"}, {"txn-status", "txn-on-status"}, {"subscribe", "on-subscribe"},
                                         {"unsubscribe", "on-unsubscribe"}, {"notify", "notify"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(action, map[i][0]) == 0) return map[i][1];
    return "txn-on-status";
}

op_code dci_async_on_event(ctx *c, long long id, const char *type, const char *subject, json_t *payload) {
    (void)id;
    (void)type;
    (void)subject;
    const char *corr = json_string_value(json_object_get(payload, "correlation_id"));
    struct txn t;
    op_code rc = corr ? load(c, corr, &t) : OP_NOT_FOUND;
    if (rc == OP_NOT_FOUND) {
        op_clear(&c->err);
        return OP_OK; /* nothing to do */
    }
    if (rc) return rc;
    if (!t.response && strcmp(t.action, "search") == 0 && (rc = run_search(c, corr, &t))) return rc;
    if (!t.uri || strcmp(t.cb, "pending") != 0) return OP_OK;
    json_t *msgs = jx_arena(c->a, t.pages ? json_loads(t.pages, 0, NULL) : json_pack("[o]", json_loads(t.response, 0, NULL)));
    bool search = strcmp(t.action, "search") == 0;
    const char *action = callback_action(t.action);
    /* No transaction is held across the network calls. */
    if ((rc = store_commit(c->db, &c->err))) return rc;
    op_code sent = OP_OK;
    char err[sizeof c->err.detail] = "";
    for (int64_t k = t.pages_sent; k < (int64_t)json_array_size(msgs) && !sent; k++) {
        json_t *m = json_array_get(msgs, (size_t)k);
        int64_t n = t.total, done = t.completed;
        const char *status = t.status;
        if (search) dci_search_counts(m, &n, &done);
        else if (t.pages) page_counts(m, &n, &done, &status);
        json_t *env = dci_signed_envelope(c, action, done > 0 || !search ? status : "rjct", n, done, t.sender, json_incref(m));
        if (!env) {
            sent = c->err.code ? c->err.code : OP_INTERNAL;
            snprintf(err, sizeof err, "could not sign the callback");
            break;
        }
        char *body = jx_dump(c->a, env);
        json_decref(env);
        sent = post_json(c, t.uri, body);
        if (sent) {
            snprintf(err, sizeof err, "%s", c->err.detail);
        } else {
            op_err e1 = {0};
            store_exec(c->db, &e1, NULL, "UPDATE dci_transactions SET pages_sent = ? WHERE correlation_id = ?", "is", k + 1, corr);
        }
    }
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    const char *state = sent == OP_OK ? "delivered" : t.attempts + 1 >= EVENT_MAX_ATTEMPTS ? "failed" : "pending";
    op_err e2 = {0};
    store_exec(c->db, &e2, NULL,
               "UPDATE dci_transactions SET callback_state = ?, callback_attempts = callback_attempts + 1, last_error = ?,"
               " updated_at = ? WHERE correlation_id = ?",
               "ssss", state, sent ? err : NULL, ts, corr);
    if (sent) {
        log_warn("DCI callback to %s for %s failed: %s", t.sender, corr, err);
        op_code r2 = store_begin(c->db, &e2);
        (void)r2;
        return op_fail(&c->err, OP_UNAVAILABLE, NULL, "%s", err);
    }
    return store_begin(c->db, &c->err);
}

/* The worker handler registers itself when the program starts (the DCI module is linked in
 * through h_dci.c); cmd_serve/cmd_worker need no change. */
