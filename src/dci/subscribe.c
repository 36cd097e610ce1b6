/* subscribe.c - subscriptions and notifications (contracts/dci-ess.md "Subscriptions and
 * notifications" and the rules on subscriptions and unknown subscription codes; docs/DCI.md).
 *
 * subscribe / unsubscribe are asynchronous like search: the pipeline and the agreement check run
 * at once (a refused purpose is 403), the subscriptions and the answer are stored with the
 * transaction in one database transaction, the reply is an ACK, and the signed on-subscribe /
 * on-unsubscribe callback goes out through the async machinery (async.c, outbox "dci.txn").
 *
 * Notifications: the worker hands the domain events subscribers may follow to
 * dci_notify_on_event (src/cli/wiring.c).  For each active subscription of that event type whose
 * filter matches the person's state after the event, the Member record is rendered under the
 * partner's agreement, the disclosure audited, and a "notify" transaction stored - all in the
 * worker's transaction of the domain event, so each event yields its notifications exactly once.
 * Delivery is async.c's callback path: signed, retried with back-off, dead-lettered and visible
 * to operators like any callback.  The delivery events of one partner and one person share an
 * outbox subject, so that partner receives that person's notifications in order, and a partner
 * whose endpoint is down holds up nobody else. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/batchfile.h"
#include "dci/cron.h"
#include "dci/member.h"
#include "dci/registry.h"
#include "domain/nid.h"
#include "events/outbox.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

#define REG_TYPE "ns:org:RegistryType:ESS"

static const char *const event_types[] = {"employment_started", "employment_ended", "registration_changed",
                                          "benefit_status_changed", "referral_updated", NULL};

/* Domain events and what subscribers see them as.  benefit.status_changed is the EI module's
 * (emitted when a claim's status changes); referral.updated the referral module's (a referral
 * created or moved: src/referral). */
static const char *const domain_events[][2] = {{"employment.started", "employment_started"},
                                               {"employment.ended", "employment_ended"},
                                               {"registration.changed", "registration_changed"},
                                               {"benefit.status_changed", "benefit_status_changed"},
                                               {"referral.updated", "referral_updated"}};

const char *dci_reg_event_type(const char *domain_type) {
    for (size_t i = 0; i < sizeof domain_events / sizeof domain_events[0]; i++)
        if (domain_type && strcmp(domain_type, domain_events[i][0]) == 0) return domain_events[i][1];
    return NULL;
}

/* ---- filters ---- */

static bool fail(const char **reason, char *msg, size_t msgn, const char *code, const char *text) {
    *reason = code;
    snprintf(msg, msgn, "%s", text);
    return false;
}

/* The keyed lookup hash of a national id (arena); NULL when it is not a valid number. */
static const char *uin_hash(ctx *c, const json_t *v) {
    char nid[NID_MAX], hash[65];
    op_err e = {0};
    if (!json_is_string(v) || nid_normalise(NULL, json_string_value(v), nid, &e)) return NULL;
    fieldcrypt_lookup_hash(nid, hash);
    memset(nid, 0, sizeof nid);
    return arena_strdup(c->a, hash);
}

/* In one predicate expression naming "UIN", replace the number(s) by their hashes. */
static bool hash_uins(ctx *c, json_t *x, const char **reason, char *msg, size_t msgn) {
    const char *name = json_string_value(json_object_get(x, "attribute_name"));
    if (!json_is_object(x) || !name || strcmp(name, "UIN") != 0) return true;
    json_t *v = json_object_get(x, "attribute_value"), *parsed = NULL, *out;
    if (json_is_string(v) && json_string_value(v)[0] == '[') { /* "in" with the list in a string */
        parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
        if (json_is_array(parsed)) v = parsed;
    }
    bool ok = true;
    if (json_is_array(v)) {
        out = json_array();
        size_t i;
        json_t *u;
        json_array_foreach(v, i, u) {
            const char *h = uin_hash(c, u);
            if (!h) ok = false;
            else json_array_append_new(out, json_string(h));
        }
    } else {
        const char *h = uin_hash(c, v);
        ok = h != NULL;
        out = h ? json_string(h) : json_null();
    }
    json_decref(parsed);
    json_object_set_new(x, "attribute_value", out);
    /* the message never echoes a national id */
    return ok || fail(reason, msg, msgn, "rjct.person_id.invalid", "a UIN in the filter is not a valid national id");
}

bool dci_sub_filter_normalise(ctx *c, const char *filter_type, const json_t *filter, const char **type_out, json_t **filter_out,
                              const char **reason, char *msg, size_t msgn) {
    *filter_out = NULL;
    const char *idtype = json_string_value(json_object_get(filter, "type"));
    const char *t = filter_type;
    if (!t) t = json_is_array(filter) ? "predicate" : idtype && strchr(idtype, ':') == NULL ? "idtype-value" : "expression";
    json_t *f;
    if (strcmp(t, "idtype-value") == 0) {
        /* {type, value} names one person: the same as a predicate "type eq value" */
        const json_t *v = json_object_get(filter, "value");
        if (!idtype || (strcmp(idtype, "UIN") != 0 && strcmp(idtype, "OPENPES") != 0) || !json_is_string(v))
            return fail(reason, msg, msgn, "rjct.notify_details.invalid", "an idtype-value filter is {\"type\": \"UIN\"|\"OPENPES\", \"value\"}");
        f = json_pack("[{s:i, s:{s:s, s:s, s:O}}]", "seq_num", 1, "expression1", "attribute_name", idtype, "operator", "eq",
                      "attribute_value", v);
        t = "predicate";
    } else if (strcmp(t, "predicate") == 0 || strcmp(t, "expression") == 0) {
        f = json_deep_copy(filter);
    } else {
        return fail(reason, msg, msgn, "rjct.notify_details.invalid", "filter_type must be predicate, expression or idtype-value");
    }
    jx_arena(c->a, f);
    size_t i;
    json_t *it;
    if (strcmp(t, "predicate") == 0)
        json_array_foreach(f, i, it) if (!hash_uins(c, json_object_get(it, "expression1"), reason, msg, msgn) ||
                                         !hash_uins(c, json_object_get(it, "expression2"), reason, msg, msgn)) return false;
    struct dq_query q;
    if (!dq_parse_filter(c->a, t, f, &q, reason, msg, msgn)) {
        *reason = "rjct.notify_details.invalid"; /* the filter codes of search have no subscribe twin */
        return false;
    }
    *type_out = t;
    *filter_out = f;
    return true;
}

/* ---- subscribe ---- */

/* Where notifications go (contract): sender_uri with a last segment "on-subscribe" replaced by
 * "notify", else the partner's configured notify URI; NULL when there is neither. */
static const char *notify_uri(ctx *c, const char *sender_uri, const char *partner_uri) {
    const char *slash = sender_uri ? strrchr(sender_uri, '/') : NULL;
    if (slash && strcmp(slash + 1, "on-subscribe") == 0)
        return arena_printf(c->a, "%.*snotify", (int)(slash + 1 - sender_uri), sender_uri);
    return partner_uri;
}

static op_code partner_notify_uri(ctx *c, const char *client, const char **uri) {
    *uri = NULL;
    store_stmt *st = store_query(c->db, &c->err, "SELECT notify_uri FROM dci_partners WHERE client_id = ?", "s", client);
    if (!st) return c->err.code;
    *uri = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    return OP_OK;
}

static json_t *rjct(const char *ref, const char *ts, const char *code, const char *msg) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "reference_id", ref ? ref : "", "timestamp", ts, "status", "rjct",
                     "status_reason_code", code, "status_reason_message", msg);
}

/* "employment_started", also with a namespace ("ns:org:RegistryEventType:employment_started"). */
static const char *event_type_of(const json_t *v) {
    const char *s = json_string_value(v);
    const char *colon = s ? strrchr(s, ':') : NULL;
    if (colon) s = colon + 1;
    for (const char *const *e = event_types; s && *e; e++)
        if (strcmp(s, *e) == 0) return *e;
    return NULL;
}

/* EventFrequency {start_time, end_time, frequency (cron, cron.h)}: optional; stored as given. */
static const char *frequency_bad(const json_t *f, char *why, size_t whyn) {
    if (!f || json_is_null(f)) return NULL;
    if (!json_is_object(f)) return "frequency must be {start_time, end_time, frequency}";
    static const char *const times[] = {"start_time", "end_time"};
    int64_t us;
    for (int i = 0; i < 2; i++) {
        const json_t *v = json_object_get(f, times[i]);
        if (v && !json_is_null(v) && (!json_is_string(v) || !ts_parse(json_string_value(v), &us)))
            return "frequency start_time and end_time must be RFC 3339 date-times";
    }
    const json_t *cron = json_object_get(f, "frequency");
    if (cron && !json_is_null(cron) && (!json_is_string(cron) || json_string_length(cron) > 100))
        return "frequency.frequency must be a cron expression of at most 100 characters";
    const char *expr = json_string_value(cron);
    if (expr && expr[strspn(expr, " \t")]) { /* empty: real time */
        struct dci_cron cr;
        if (!dci_cron_parse(expr, &cr, why, whyn)) return why;
        if (dci_cron_next(&cr, clock_now_us()) < 0) return "frequency.frequency never fires again";
    }
    return NULL;
}

struct sub_req {
    struct dci_call *k;
    const char *corr, *tid, *uri, *ts;
};

/* A SubscriptionInfo for the answer (the filter is not echoed: its UINs are stored as hashes). */
static json_t *sub_info(const char *code, const char *ts, const char *et, const json_t *freq, const char *ftype, const char *locale) {
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "version", "1.0.0", "code", code, "status", "subscribe",
                          "timestamp", ts, "reg_type", REG_TYPE, "reg_event_type", et, "filter_type", ftype, "notify_record_type",
                          "Member");
    if (freq && json_is_object(freq)) json_object_set(o, "frequency", (json_t *)freq);
    if (locale) json_object_set_new(o, "locale", json_string(locale));
    return o;
}

/* One subscribe_request item: a subscription, or the item rejected with its reason.  On success
 * the stored copy of the request gets the normalised filter (stored_sc). */
static op_code subscribe_item(struct sub_req *r, const json_t *items, size_t idx, const struct dci_agreement *ag, json_t *stored_sc,
                              json_t **res, bool *ok) {
    ctx *c = r->k->c;
    const json_t *it = json_array_get(items, idx);
    const char *ref = json_string_value(json_object_get(it, "reference_id"));
    const char *its = json_string_value(json_object_get(it, "timestamp"));
    const char *locale = json_string_value(json_object_get(it, "locale"));
    const json_t *sc = json_object_get(it, "subscribe_criteria");
    *ok = false;
    const json_t *le = json_object_get(it, DCI_LINE_ERROR); /* a line of a batch file that could not be read */
    if (le)
        return *res = rjct(ref, r->ts, json_string_value(json_object_get(le, "code")), json_string_value(json_object_get(le, "message"))),
               OP_OK;
    if (!ref) return *res = rjct(NULL, r->ts, "rjct.reference_id.invalid", "reference_id is required"), OP_OK;
    for (size_t j = 0; j < idx; j++) {
        const char *prev = json_string_value(json_object_get(json_array_get(items, j), "reference_id"));
        if (prev && strcmp(ref, prev) == 0)
            return *res = rjct(ref, r->ts, "rjct.reference_id.duplicate", "reference_id repeats an earlier item"), OP_OK;
    }
    int64_t us;
    if (!its || !ts_parse(its, &us))
        return *res = rjct(ref, r->ts, "rjct.timestamp.invalid", "timestamp must be an RFC 3339 date-time"), OP_OK;
    if (!json_is_object(sc))
        return *res = rjct(ref, r->ts, "rjct.notify_details.invalid", "subscribe_criteria must be an object"), OP_OK;
    const char *rt = json_string_value(json_object_get(sc, "reg_type"));
    if (rt && strcmp(rt, REG_TYPE) != 0 && strcmp(rt, "ESS") != 0)
        return *res = rjct(ref, r->ts, "rjct.notify_details.invalid", "reg_type must be ns:org:RegistryType:ESS"), OP_OK;
    const char *et = event_type_of(json_object_get(sc, "reg_event_type"));
    if (!et)
        return *res = rjct(ref, r->ts, "rjct.notify_types.invalid",
                           "reg_event_type must be employment_started, employment_ended, registration_changed, "
                           "benefit_status_changed or referral_updated"),
               OP_OK;
    const char *nrt = json_string_value(json_object_get(sc, "notify_record_type"));
    if (nrt && strcmp(nrt, "Member") != 0 && strcmp(nrt, "spdci:Member") != 0)
        return *res = rjct(ref, r->ts, "rjct.notify_details.invalid", "notify_record_type must be Member"), OP_OK;
    const json_t *freq = json_object_get(sc, "frequency");
    char fwhy[240];
    const char *fb = frequency_bad(freq, fwhy, sizeof fwhy);
    if (fb) return *res = rjct(ref, r->ts, "rjct.notify_details.invalid", fb), OP_OK;
    if (!r->uri)
        return *res = rjct(ref, r->ts, "rjct.notify_details.invalid",
                           "no notify URI: send a sender_uri ending in /on-subscribe, or have the partner's notify URI registered"),
               OP_OK;
    const char *ftype, *reason;
    char why[200];
    json_t *filter;
    if (!dci_sub_filter_normalise(c, json_string_value(json_object_get(sc, "filter_type")), json_object_get(sc, "filter"), &ftype,
                                  &filter, &reason, why, sizeof why))
        return *res = rjct(ref, r->ts, reason, why), OP_OK;
    struct dq_query q;
    dq_parse_filter(c->a, ftype, filter, &q, &reason, why, sizeof why);
    for (int a = 0; a < DQ_NATTR; a++)
        if ((q.attrs_used & (1u << a)) && !dci_agreement_allows_attr(ag, dq_attr_name(a)))
            return *res = rjct(ref, r->ts, "rjct.notify_details.invalid",
                               arena_printf(c->a, "the data-sharing agreement does not allow filtering by \"%s\"", dq_attr_name(a))),
                   OP_OK;
    char *ftext = json_dumps(filter, JSON_COMPACT | JSON_SORT_KEYS);
    const char *fstore = arena_strdup(c->a, ftext);
    free(ftext);
    json_object_set(stored_sc, "filter", filter);
    /* The same subscription again (a partner retrying) would double every notification. */
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT code FROM dci_subscriptions WHERE client_id = ? AND event_type = ? AND filter = ?"
                                 " AND notify_uri = ? AND status = 'subscribe'",
                                 "ssss", r->k->env.sender_id, et, fstore, r->uri);
    if (!st && c->err.code) return c->err.code;
    if (st) {
        const char *code = arena_strdup(c->a, store_col_text(st, 0));
        store_reset(st);
        *res = rjct(ref, r->ts, "rjct.event.already_subscribed", "an identical subscription is active");
        json_object_set_new(*res, "subscriptions", json_pack("[o]", sub_info(code, r->ts, et, freq, ftype, locale)));
        return OP_OK;
    }
    char id[ID_LEN];
    id_uuid7(id);
    const char *code = arena_printf(c->a, "sub-%s", id);
    op_code rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO dci_subscriptions (code, client_id, transaction_id, reference_id, correlation_id, event_type,"
                            " purpose, filter_type, filter, notify_record_type, frequency, notify_uri, locale, status, created_at, updated_at)"
                            " VALUES (?,?,?,?,?,?,?,?,?,'Member',?,?,?,'subscribe',?,?)",
                            "sssssssssssssss", code, r->k->env.sender_id, r->tid, ref, r->corr, et, ag->purpose, ftype, fstore,
                            json_is_object(freq) ? jx_dump(c->a, freq) : NULL, r->uri, locale, r->ts, r->ts);
    if (rc) return rc;
    *res = json_pack("{s:s, s:s, s:s, s:[o]}", "reference_id", ref, "timestamp", r->ts, "status", "succ", "subscriptions",
                     sub_info(code, r->ts, et, freq, ftype, locale));
    if (locale) json_object_set_new(*res, "locale", json_string(locale));
    *ok = true;
    return OP_OK;
}

/* End of subscribe / unsubscribe: commit what was stored, wake the worker for the callback, ACK. */
static op_code commit_and_ack(ctx *c, struct dci_call *k, const char *corr, op_code rc) {
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    worker_wake();
    return http_json(k->rs, 200, dci_ack("ACK", corr, NULL, NULL));
}

op_code dci_subscribe(struct dci_call *k) {
    ctx *c = k->c;
    const json_t *msg = k->env.message;
    char corr[ID_LEN], ts[CLOCK_TS_LEN];
    id_uuid7(corr);
    clock_now_ts(ts);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    struct dci_agreement *ags;
    const char *refusal, *bad, *puri;
    op_code rc = dci_items_check(c, msg, "subscribe_request", "subscribe_criteria", k->batch ? DCI_BATCH_ITEMS_MAX : DCI_ITEMS_MAX, &ags,
                                 &refusal, &bad);
    if (rc) return rc;
    if (bad) return dci_reply_err(k, "err.request.bad", bad);
    if (refusal) return dci_reply_http(k, 403, "err.request.forbidden", refusal);
    if ((rc = partner_notify_uri(c, k->env.sender_id, &puri))) return rc;
    struct sub_req r = {k, corr, json_string_value(json_object_get(msg, "transaction_id")), notify_uri(c, k->env.sender_uri, puri), ts};
    /* The stored request keeps normalised filters only: no national id in clear at rest. */
    json_t *stored = jx_arena(c->a, json_deep_copy(msg));
    const json_t *items = json_object_get(msg, "subscribe_request");
    json_t *out = jx_arena(c->a, json_array());
    int64_t done = 0;
    if ((rc = store_begin(c->db, &c->err))) return rc;
    for (size_t i = 0; i < json_array_size(items) && !rc; i++) {
        json_t *sc = json_object_get(json_array_get(json_object_get(stored, "subscribe_request"), i), "subscribe_criteria");
        if (json_is_object(sc)) json_object_set_new(sc, "filter", json_null());
        json_t *res = NULL;
        bool ok;
        rc = subscribe_item(&r, items, i, &ags[i], json_is_object(sc) ? sc : jx_arena(c->a, json_object()), &res, &ok);
        if (res) json_array_append_new(out, res);
        done += ok;
    }
    if (!rc) { /* the request itself, as for a search */
        access_decision d;
        access_decide_partner(c, PD_SEARCH, ags[0].purpose, ags[0].id, ags[0].legal_basis, NULL, &d);
        rc = access_audit(c, PD_SEARCH, "dci_request", r.tid, NULL, &d);
    }
    if (!rc) {
        json_t *m = jx_arena(c->a, json_pack("{s:s, s:s, s:O}", "transaction_id", r.tid, "correlation_id", corr, "subscribe_response", out));
        struct dci_txn_new t = {corr, k->env.sender_id, r.tid, "subscribe", k->env.sender_uri, jx_dump(c->a, stored),
                                done > 0 ? "succ" : "rjct", m, (int64_t)json_array_size(items), done, NULL,
                                k->batch ? k->batch->file_name : NULL, k->batch ? k->batch->file_format : NULL, NULL};
        if (k->batch) { /* a file's answer: callbacks of at most OPENPES_DCI_ASYNC_PAGE items, in file order */
            t.pages = dci_split_pages(c, m, "subscribe_response");
            t.response = json_array_get(t.pages, 0);
        }
        rc = dci_txn_insert(c, &t);
    }
    return commit_and_ack(c, k, corr, rc);
}

/* ---- unsubscribe ---- */

/* 1 unsubscribed now, 0 already unsubscribed, -1 unknown (or another partner's: not revealed). */
static op_code cancel(ctx *c, const char *client, const char *code, const char *ts, int *state) {
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "UPDATE dci_subscriptions SET status = 'unsubscribe', updated_at = ?"
                            " WHERE code = ? AND client_id = ? AND status = 'subscribe'",
                            "sss", ts, code, client);
    if (rc) return rc;
    *state = 1;
    if (n == 1) return OP_OK;
    store_stmt *st = store_query(c->db, &c->err, "SELECT 1 FROM dci_subscriptions WHERE code = ? AND client_id = ?", "ss", code, client);
    if (!st && c->err.code) return c->err.code;
    *state = st ? 0 : -1;
    if (st) store_reset(st);
    return OP_OK;
}

op_code dci_unsubscribe(struct dci_call *k) {
    ctx *c = k->c;
    const json_t *msg = k->env.message, *codes = json_object_get(msg, "subscription_codes");
    const char *tid = json_string_value(json_object_get(msg, "transaction_id"));
    if (!tid) return dci_reply_err(k, "err.request.bad", "message.transaction_id is required");
    size_t max = k->batch ? DCI_BATCH_ITEMS_MAX : 100;
    if (!json_is_array(codes) || json_array_size(codes) == 0 || json_array_size(codes) > max)
        return dci_reply_err(k, "err.request.bad", arena_printf(c->a, "subscription_codes must hold 1-%zu codes", max));
    size_t i;
    json_t *v;
    json_array_foreach(codes, i, v) if (!dci_id_ok(json_string_value(v)))
        return dci_reply_err(k, "err.request.bad", "every subscription code is a string of 1-99 characters");
    char corr[ID_LEN], ts[CLOCK_TS_LEN];
    id_uuid7(corr);
    clock_now_ts(ts);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    json_t *list = jx_arena(c->a, json_array());
    int unknown = 0, already = 0;
    op_code rc = store_begin(c->db, &c->err);
    json_array_foreach(codes, i, v) {
        int state;
        if (rc || (rc = cancel(c, k->env.sender_id, json_string_value(v), ts, &state))) break;
        if (state < 0) unknown++; /* omitted from subscription_status (contract) */
        else json_array_append_new(list, json_pack("{s:O, s:s}", "code", v, "status", "unsubscribe"));
        already += state == 0;
    }
    if (!rc) {
        const char *status = unknown || already ? "rjct" : "succ";
        json_t *m = jx_arena(c->a, json_pack("{s:s, s:s, s:s, s:s, s:O}", "transaction_id", tid, "correlation_id", corr, "timestamp", ts,
                                             "status", status, "subscription_status", list));
        if (unknown) {
            json_object_set_new(m, "status_reason_code", json_string("rjct.subscription_code.invalid"));
            json_object_set_new(m, "status_reason_message",
                                json_string(arena_printf(c->a, "%d of the subscription codes are not this partner's subscriptions", unknown)));
        } else if (already) {
            json_object_set_new(m, "status_reason_code", json_string("rjct.event.already_unsubscribed"));
            json_object_set_new(m, "status_reason_message", json_string("already unsubscribed"));
        }
        struct dci_txn_new t = {corr, k->env.sender_id, tid, "unsubscribe", k->env.sender_uri, jx_dump(c->a, msg), status, m,
                                (int64_t)json_array_size(codes), (int64_t)json_array_size(codes) - unknown - already, NULL,
                                k->batch ? k->batch->file_name : NULL, k->batch ? k->batch->file_format : NULL, NULL};
        rc = dci_txn_insert(c, &t);
    }
    return commit_and_ack(c, k, corr, rc);
}

/* ---- notify ---- */

struct sub {
    const char *code, *client, *purpose, *filter_type, *filter, *uri, *locale, *frequency;
};

static op_code active_subs(ctx *c, const char *et, struct sub **out, size_t *n) {
    *n = 0;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT code, client_id, purpose, filter_type, filter, notify_uri, locale, frequency"
                                   " FROM dci_subscriptions WHERE event_type = ? AND status = 'subscribe' ORDER BY num",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, et);
    size_t cap = 8;
    *out = arena_alloc(c->a, cap * sizeof **out);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        if (*n == cap) {
            struct sub *bigger = arena_alloc(c->a, (cap *= 2) * sizeof *bigger);
            memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
        }
        struct sub *s = &(*out)[(*n)++];
        const char **f[] = {&s->code, &s->client, &s->purpose, &s->filter_type, &s->filter, &s->uri, &s->locale, &s->frequency};
        for (int i = 0; i < 8; i++) *f[i] = arena_strdup(c->a, store_col_text(st, i));
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

/* Inside the frequency's [start_time, end_time] when given.  Its cron expression decides between
 * real time and digest delivery (notify_one). */
static bool in_window(ctx *c, const char *frequency) {
    json_t *f = frequency ? jx_arena(c->a, json_loads(frequency, 0, NULL)) : NULL;
    int64_t now = clock_now_us(), t;
    const char *from = json_string_value(json_object_get(f, "start_time")), *to = json_string_value(json_object_get(f, "end_time"));
    if (from && ts_parse(from, &t) && now < t) return false;
    if (to && ts_parse(to, &t) && now > t) return false;
    return true;
}

static op_code load_person(ctx *c, const char *person, struct dci_member_row *row, const char **nid_hash, bool *found) {
    *found = false;
    store_stmt *st = store_prepare(c->db, arena_printf(c->a, "%s WHERE p.id = ?", DCI_MEMBER_SELECT), &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person);
    int r = store_step(st, &c->err);
    if (r == STORE_ROW) dci_member_read(c->a, st, row);
    store_reset(st);
    if (r != STORE_ROW) return r == STORE_ERROR ? c->err.code : OP_OK;
    store_stmt *h = store_query(c->db, &c->err, "SELECT nid_hash FROM persons WHERE id = ?", "s", person);
    if (!h && c->err.code) return c->err.code;
    *nid_hash = h ? arena_strdup(c->a, store_col_text(h, 0)) : NULL;
    if (h) store_reset(h);
    *found = true;
    return OP_OK;
}

/* One notification: rendered under the partner's agreement as the partner (the audit names it),
 * audited, stored for delivery - at once, or, for a digest subscription, as an item of the
 * current period's notify (digest.c; the audit rows carry that notify's correlation id).  An
 * agreement no longer in force refuses it (audited). */
static op_code notify_one(ctx *c, const struct sub *s, const struct dci_member_row *row, long long event_id, const char *et) {
    actor saved = c->who;
    char saved_corr[sizeof c->correlation_id], corr[ID_LEN], ts[CLOCK_TS_LEN];
    memcpy(saved_corr, c->correlation_id, sizeof saved_corr);
    memset(&c->who, 0, sizeof c->who);
    c->who.type = ACTOR_PARTNER;
    snprintf(c->who.id, sizeof c->who.id, "%s", s->client);
    struct dci_cron cr;
    bool digest = dci_digest_cron(c, s->frequency, &cr), open = true;
    struct dci_agreement ag;
    enum dci_agreement_result res;
    access_decision d;
    id_uuid7(corr);
    op_code rc = dci_agreement_find(c, s->client, s->purpose, &ag, &res);
    /* a digest's items join the current period: its notify's correlation id */
    if (!rc && res == DCI_AG_OK && digest) rc = dci_digest_period(c, s->code, s->client, &cr, corr, &open);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    clock_now_ts(ts);
    if (rc || !open) {
        /* an error, or a frequency that fires no more: nothing to notify */
    } else if (res != DCI_AG_OK) {
        access_decide_partner(c, PD_READ, s->purpose, NULL, NULL, "no data-sharing agreement for the subscription's purpose is in force", &d);
        rc = access_audit(c, PD_READ, "person", row->id, row->id, &d);
        log_info("DCI notify for subscription %s withheld: %s", s->code, d.reason);
    } else {
        access_decide_partner(c, PD_READ, ag.purpose, ag.id, ag.legal_basis, NULL, &d);
        json_t *rec = dci_member_render(c, row, &ag);
        json_t *item = jx_arena(c->a, json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:[o]}}", "reference_id",
                                                arena_printf(c->a, "evt-%lld", event_id), "timestamp", ts, "data", "version", "1.0.0",
                                                "reg_type", REG_TYPE, "reg_event_type", et, "subscription_code", s->code,
                                                "reg_record_type", "Member", "reg_records", rec));
        if (s->locale) json_object_set_new(item, "locale", json_string(s->locale));
        rc = access_audit(c, PD_READ, "person", row->id, row->id, &d);
        if (!rc && digest) {
            rc = dci_digest_add(c, corr, row->id, event_id, item);
        } else if (!rc) {
            json_t *m = jx_arena(c->a, json_pack("{s:s, s:s, s:[O]}", "transaction_id", corr, "correlation_id", corr, "notify_event", item));
            json_t *req = jx_arena(c->a, json_pack("{s:s, s:s, s:s, s:I}", "subscription_code", s->code, "reg_event_type", et, "person_id",
                                                   row->id, "event_id", (json_int_t)event_id));
            struct dci_txn_new t = {corr, s->client, corr, "notify", s->uri, jx_dump(c->a, req), "succ", m, 1, 1,
                                    arena_printf(c->a, "dci.notify:%s:%s", s->client, row->id), NULL, NULL, NULL};
            rc = dci_txn_insert(c, &t);
        }
    }
    c->who = saved;
    memcpy(c->correlation_id, saved_corr, sizeof saved_corr);
    return rc;
}

op_code dci_notify_on_event(ctx *c, long long id, const char *type, const char *subject, json_t *payload) {
    const char *et = dci_reg_event_type(type);
    const char *person = json_string_value(json_object_get(payload, "person_id"));
    if (!person) person = subject;
    struct sub *subs = NULL;
    size_t n = 0;
    op_code rc = et && person ? active_subs(c, et, &subs, &n) : OP_OK;
    if (rc || !et || !person || n == 0) return rc;
    struct dci_member_row row;
    const char *nid_hash = NULL, *vals[DQ_NATTR];
    bool found;
    if ((rc = load_person(c, person, &row, &nid_hash, &found)) || !found) return rc; /* erased since: nothing to tell */
    dci_member_values(c->a, &row, vals); /* the person's state after the event */
    vals[DQ_UIN] = nid_hash;
    for (size_t i = 0; i < n && !rc; i++) {
        struct dq_query q;
        const char *reason;
        char why[200];
        json_t *f = jx_arena(c->a, json_loads(subs[i].filter, 0, NULL));
        if (!dq_parse_filter(c->a, subs[i].filter_type, f, &q, &reason, why, sizeof why)) {
            log_warn("DCI subscription %s has an unusable filter: %s", subs[i].code, why);
            continue;
        }
        if (!in_window(c, subs[i].frequency) || !dq_eval(q.root, vals)) continue;
        rc = notify_one(c, &subs[i], &row, id, et);
    }
    return rc;
}
