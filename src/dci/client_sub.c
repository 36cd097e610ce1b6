/* client_sub.c - OpenPES subscribing to other registries' events (docs/DCI.md "Client side:
 * subscriptions"): our outbound subscribe / unsubscribe / txn-status requests, and our receivers
 * for what comes back - on-subscribe, on-unsubscribe, txn-on-status and notify.
 *
 * Every request names people by national id only for a purpose the partner is configured for,
 * each disclosure decided and audited through the access path (as for queries, client.c).  What
 * we receive is verified with the partner's registered keys (its signature mode), checked against
 * our stored transaction or subscription, replay-checked, and stored in one transaction: a
 * received notification is persisted (its records sealed), audited as a write of the person's
 * data under the subscription's purpose, and emitted as the domain event "partner.notified"
 * {partner, subscription_code, reg_event_type, reference_id, notification_id, person_id?}.  A
 * notification received again (same partner, subscription and reference_id: the partner's retry)
 * is acknowledged and not stored twice. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/client.h"
#include "dci/client_int.h"
#include "dci/dci_sig.h"
#include "dci/envelope.h"
#include "dci/partner.h"
#include "domain/nid.h"
#include "events/outbox.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

#define SUB_PERSONS_MAX 100

static bool listed(const json_t *a, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_is_string(v) && strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

static bool code_ok(const char *s, size_t max) {
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= max && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == n;
}

/* Our receiver URL for action (on-subscribe, on-unsubscribe, txn/on-status): the partner's
 * callback URL (our on-search receiver) with its last segment "on-search" replaced. */
static const char *our_uri(ctx *c, const struct dci_ob *o, const char *segment) {
    const char *cb = o->callback_url, *tail = cb ? strstr(cb, "/on-search") : NULL;
    if (!tail || tail[10]) return NULL;
    return arena_printf(c->a, "%.*s/%s", (int)(tail - cb), cb, segment);
}

static const char *reg_type(const char *kind) { return strcmp(kind, DCI_KIND_IBR) == 0 ? "ns:org:RegistryType:IBR" : "ns:org:RegistryType:Social"; }

/* Sign and POST {header(action, sender_uri), message} to base+path (a 401 once: new token). */
static op_code send_signed(ctx *c, struct dci_ob *o, const char *path, const char *action, const json_t *message, const char *sender_uri,
                           int64_t total, long *st, json_t **ans) {
    char kid[64], mid[ID_LEN], ts[CLOCK_TS_LEN];
    unsigned char priv[32];
    op_code rc = store_begin(c->db, &c->err);
    if (!rc) rc = dci_own_key(c, kid, priv);
    if (!rc) rc = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    if (rc) return rc;
    size_t bl = strlen(o->base_url);
    const char *url = arena_printf(c->a, "%.*s%s", (int)(bl && o->base_url[bl - 1] == '/' ? bl - 1 : bl), o->base_url, path);
    const char *tok = NULL;
    rc = dci_ob_token(c, o, false, &tok);
    for (int attempt = 0; !rc && attempt < 2; attempt++) {
        id_uuid7(mid);
        clock_now_ts(ts);
        json_t *h = jx_arena(c->a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "version", "1.0.0", "message_id", mid, "message_ts",
                                             ts, "action", action, "sender_id", o->client_id, "receiver_id", o->receiver_id, "total_count",
                                             (json_int_t)total, "is_msg_encrypted", 0));
        if (sender_uri) json_object_set_new(h, "sender_uri", json_string(sender_uri));
        int64_t now = clock_now_us() / 1000000;
        char *sig = dci_sig_create(c->a, h, message, o->client_id, kid, priv, now, now + 300);
        if (!sig) {
            rc = op_fail(&c->err, OP_INTERNAL, NULL, "could not sign the request");
            break;
        }
        json_t *env = jx_arena(c->a, json_pack("{s:s, s:O, s:O}", "signature", sig, "header", h, "message", message));
        rc = dci_ob_post(c, o, url, "application/json", tok, jx_dump(c->a, env), st, ans);
        if (!rc && *st == 401 && attempt == 0) {
            rc = dci_ob_token(c, o, true, &tok);
            continue;
        }
        break;
    }
    memset(priv, 0, sizeof priv);
    if (rc) return rc;
    const json_t *ack = json_object_get(*ans, "message");
    if (*st != 200) {
        const char *m = json_string_value(json_object_get(json_array_get(json_object_get(*ans, "errors"), 0), "message"));
        return op_fail(&c->err, OP_UNAVAILABLE, NULL, "registry \"%s\" answered HTTP %ld%s%s", o->id, *st, m ? ": " : "", m ? m : "");
    }
    if (!*ans) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "registry \"%s\" did not answer with JSON", o->id);
    const char *as = json_string_value(json_object_get(ack, "ack_status"));
    if (as && strcmp(as, "ACK") != 0) {
        const json_t *er = json_object_get(ack, "error");
        const char *code = json_string_value(json_object_get(er, "code")), *msg = json_string_value(json_object_get(er, "message"));
        return op_fail(&c->err, OP_UNAVAILABLE, NULL, "registry \"%s\" refused the request: %s %s", o->id, code ? code : "ERR", msg ? msg : "");
    }
    return OP_OK;
}

/* about: the transaction a status request asks about. */
static op_code txn_insert(ctx *c, const char *tid, const struct dci_ob *o, const char *action, const char *mode, const char *purpose,
                          const char *person, const char *about) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO dci_outbound_txns (transaction_id, partner_id, kind, mode, purpose, person_id, status, action, about,"
                      " created_at, updated_at) VALUES (?,?,?,?,?,?,'pending',?,?,?,?)",
                      "ssssssssss", tid, o->id, o->kind, mode, purpose, person, action, about, ts, ts);
}

/* An ACK's correlation id, without touching the status (the callback may have come first). */
static void ack_corr(ctx *c, const char *tid, const char *corr) {
    op_err e = {0};
    store_exec(c->db, &e, NULL, "UPDATE dci_outbound_txns SET correlation_id = COALESCE(correlation_id, ?) WHERE transaction_id = ?", "ss", corr,
               tid);
}

/* ---- subscribe ---- */

/* Decide and audit the disclosure of each national id (the person's when registered with us);
 * *persons: our person ids. */
static op_code disclose(ctx *c, const json_t *nids, const char *purpose, const char *tid, json_t *persons) {
    const char *saved = c->purpose;
    c->purpose = purpose;
    op_code rc = OP_OK;
    size_t i;
    json_t *v;
    json_array_foreach(nids, i, v) {
        char hash[65];
        fieldcrypt_lookup_hash(json_string_value(v), hash);
        store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
        access_decision d;
        if (st) {
            const char *pid = arena_strdup(c->a, store_col_text(st, 0));
            store_reset(st);
            json_array_append_new(persons, json_string(pid));
            rc = access_person(c, PD_READ, "dci_disclosure", tid, pid, &d);
        } else if (c->err.code) {
            rc = c->err.code;
        } else {
            memset(&d, 0, sizeof d);
            rc = access_purpose(c, &d.purpose, &d.legal_basis);
            if (!rc) {
                d.allow = true;
                rc = access_audit(c, PD_READ, "dci_disclosure", tid, NULL, &d);
            }
        }
        if (rc) break;
    }
    c->purpose = saved;
    return rc;
}

/* Apply a SubscribeResponse to our pending subscriptions of transaction tid. */
static op_code apply_on_subscribe(ctx *c, const char *partner, const char *tid, const json_t *m, json_t **summary) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    *summary = jx_arena(c->a, json_array());
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(m, "subscribe_response"), i, it) {
        const char *ref = json_string_value(json_object_get(it, "reference_id")), *st = json_string_value(json_object_get(it, "status"));
        const char *code = json_string_value(json_object_get(json_array_get(json_object_get(it, "subscriptions"), 0), "code"));
        const char *why = json_string_value(json_object_get(it, "status_reason_code"));
        bool ok = st && strcmp(st, "succ") == 0 && code_ok(code, 99);
        op_code rc = store_exec(c->db, &c->err, NULL,
                                "UPDATE dci_outbound_subs SET status = ?, code = ?, reason = ?, updated_at = ?"
                                " WHERE partner_id = ? AND transaction_id = ? AND reference_id = ? AND status = 'pending'",
                                "sssssss", ok ? "subscribe" : "rjct", ok ? code : NULL, ok ? NULL : why ? why : "rjct", ts, partner, tid,
                                ref ? ref : "");
        if (rc) return rc;
        json_t *s = json_pack("{s:s, s:s}", "reference_id", ref ? ref : "", "status", ok ? "subscribe" : "rjct");
        if (ok) json_object_set_new(s, "code", json_string(code));
        else json_object_set_new(s, "reason", json_string(why ? why : "rjct"));
        json_array_append_new(*summary, s);
    }
    return OP_OK;
}

op_code dci_client_subscribe(ctx *c, const struct dci_sub_out *q, json_t **out) {
    *out = NULL;
    if (!q->partner_id || !*q->partner_id) return op_fail_field(&c->err, OP_VALIDATION, "partner", NULL, "partner is required");
    if (!code_ok(q->event_type, 99))
        return op_fail_field(&c->err, OP_VALIDATION, "event_type", NULL, "event_type (the partner's reg_event_type) must be a code of 1-99 characters");
    size_t n = json_array_size(q->national_ids);
    if (!json_is_array(q->national_ids) || n < 1 || n > SUB_PERSONS_MAX)
        return op_fail_field(&c->err, OP_VALIDATION, "national_id", NULL, "name 1-%d people by national id", SUB_PERSONS_MAX);
    if (q->frequency && strlen(q->frequency) > 100)
        return op_fail_field(&c->err, OP_VALIDATION, "frequency", NULL, "frequency is a cron expression of at most 100 characters");
    json_t *nids = jx_arena(c->a, json_array());
    size_t i;
    json_t *v;
    op_code rc;
    json_array_foreach(q->national_ids, i, v) {
        char nid[NID_MAX];
        if ((rc = nid_normalise(NULL, json_string_value(v), nid, &c->err))) return rc;
        json_array_append_new(nids, json_string(nid));
    }
    struct dci_ob o;
    if ((rc = dci_ob_load(c, q->partner_id, &o))) return rc;
    const char *purpose = q->purpose ? q->purpose : strcmp(o.kind, DCI_KIND_SR) == 0 ? "employment_service" : "benefit_administration";
    if (!listed(o.purposes, purpose))
        return op_fail_field(&c->err, OP_FORBIDDEN, "purpose", "add the purpose to the partner's configuration if an agreement covers it",
                             "registry \"%s\" is not configured for purpose \"%s\": no national id is sent", o.id, purpose);
    const char *uri = our_uri(c, &o, "on-subscribe");
    if (!uri)
        return op_fail_field(&c->err, OP_VALIDATION, "partner", "set --callback-url (our .../registry/on-search) on the partner",
                             "subscriptions need the partner's callback URL ending in /on-search: on-subscribe and notify are derived from it");
    char tid[ID_LEN], ref[ID_LEN + 4], ts[CLOCK_TS_LEN];
    id_uuid7(tid);
    snprintf(ref, sizeof ref, "ref-%s", tid);
    clock_now_ts(ts);
    /* the filter: UIN eq each person, joined with "or" (AttributeValue takes no arrays) */
    json_t *filter = jx_arena(c->a, json_array());
    json_array_foreach(nids, i, v) {
        json_t *p = json_pack("{s:I, s:{s:s, s:s, s:O}}", "seq_num", (json_int_t)(i + 1), "expression1", "attribute_name", "UIN", "operator",
                              "eq", "attribute_value", v);
        if (i > 0) json_object_set_new(p, "condition", json_string("or"));
        json_array_append_new(filter, p);
    }
    json_t *crit = json_pack("{s:s, s:s, s:s, s:s, s:O, s:s, s:{s:{s:s}}}", "version", "1.0.0", "reg_type", reg_type(o.kind), "reg_event_type",
                             q->event_type, "filter_type", "predicate", "filter", filter, "notify_record_type",
                             strcmp(o.kind, DCI_KIND_IBR) == 0 ? "Beneficiary" : "SRPerson", "authorize", "purpose", "code", purpose);
    if (q->frequency)
        json_object_set_new(crit, "frequency", json_pack("{s:s, s:s, s:s}", "start_time", ts, "end_time", "2099-12-31T23:59:59Z", "frequency",
                                                         q->frequency));
    json_t *msg = jx_arena(c->a, json_pack("{s:s, s:[{s:s, s:s, s:o}]}", "transaction_id", tid, "subscribe_request", "reference_id", ref,
                                           "timestamp", ts, "subscribe_criteria", crit));
    /* one short transaction: the disclosures, our transaction and the pending subscription */
    json_t *persons = jx_arena(c->a, json_array());
    if ((rc = store_begin(c->db, &c->err))) return rc;
    rc = disclose(c, nids, purpose, tid, persons);
    if (!rc) rc = txn_insert(c, tid, &o, "subscribe", "async", purpose, json_string_value(json_array_get(persons, 0)), NULL);
    if (!rc)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO dci_outbound_subs (partner_id, transaction_id, reference_id, event_type, purpose, frequency, persons,"
                        " status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'pending',?,?)",
                        "sssssssss", o.id, tid, ref, q->event_type, purpose, q->frequency, jx_dump(c->a, persons), ts, ts);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    long st = 0;
    json_t *ans = NULL, *summary = NULL;
    rc = send_signed(c, &o, "/registry/subscribe", "subscribe", msg, uri, 1, &st, &ans);
    const char *hdr_action = json_string_value(json_object_get(json_object_get(ans, "header"), "action"));
    const char *corr = NULL, *status = "pending";
    if (!rc && hdr_action && strcmp(hdr_action, "on-subscribe") == 0) { /* answered inline (sync) */
        if (!(rc = dci_ob_verify(c, &o, ans, &c->err))) {
            const json_t *m = json_object_get(ans, "message");
            corr = json_string_value(json_object_get(m, "correlation_id"));
            if (!(rc = store_begin(c->db, &c->err)) && !(rc = apply_on_subscribe(c, o.id, tid, m, &summary))) rc = store_commit(c->db, &c->err);
            if (rc) store_rollback(c->db);
            status = "answered";
        }
    } else if (!rc) {
        corr = json_string_value(json_object_get(json_object_get(ans, "message"), "correlation_id"));
        if (!corr) rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "registry \"%s\" did not acknowledge the subscription", o.id);
    }
    if (rc) {
        dci_ob_finish(c, tid, "error", NULL, c->err.detail, NULL);
        op_err e = {0};
        store_exec(c->db, &e, NULL, "UPDATE dci_outbound_subs SET status = 'rjct', reason = 'not sent' WHERE transaction_id = ? AND status = 'pending'",
                   "s", tid);
        return rc;
    }
    if (summary) dci_ob_finish(c, tid, status, jx_arena(c->a, json_pack("{s:O}", "subscriptions", summary)), NULL, corr);
    else ack_corr(c, tid, corr);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "transaction_id", tid, "partner", o.id, "action", "subscribe", "purpose", purpose, "status",
                     status);
    if (corr) json_object_set_new(*out, "correlation_id", json_string(corr));
    if (summary) json_object_set(*out, "subscriptions", summary);
    return OP_OK;
}

/* ---- unsubscribe ---- */

static op_code apply_on_unsubscribe(ctx *c, const char *partner, const json_t *m) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(m, "subscription_status"), i, it) {
        const char *code = json_string_value(json_object_get(it, "code")), *st = json_string_value(json_object_get(it, "status"));
        if (!code || !st || strcmp(st, "unsubscribe") != 0) continue;
        op_code rc = store_exec(c->db, &c->err, NULL,
                                "UPDATE dci_outbound_subs SET status = 'unsubscribe', updated_at = ? WHERE partner_id = ? AND code = ?", "sss", ts,
                                partner, code);
        if (rc) return rc;
    }
    return OP_OK;
}

op_code dci_client_unsubscribe(ctx *c, const char *partner_id, const json_t *codes, json_t **out) {
    *out = NULL;
    size_t n = json_array_size(codes), i;
    json_t *v;
    if (!json_is_array(codes) || n < 1 || n > 100) return op_fail_field(&c->err, OP_VALIDATION, "code", NULL, "name 1-100 subscription codes");
    json_array_foreach(codes, i, v) if (!code_ok(json_string_value(v), 99))
        return op_fail_field(&c->err, OP_VALIDATION, "code", NULL, "subscription codes are 1-99 characters");
    struct dci_ob o;
    op_code rc = dci_ob_load(c, partner_id ? partner_id : "", &o);
    if (rc) return rc;
    const char *uri = our_uri(c, &o, "on-unsubscribe");
    if (!uri)
        return op_fail_field(&c->err, OP_VALIDATION, "partner", "set --callback-url (our .../registry/on-search) on the partner",
                             "unsubscribe needs the partner's callback URL ending in /on-search");
    char tid[ID_LEN], ts[CLOCK_TS_LEN];
    id_uuid7(tid);
    clock_now_ts(ts);
    json_t *msg = jx_arena(c->a, json_pack("{s:s, s:s, s:O}", "transaction_id", tid, "timestamp", ts, "subscription_codes", codes));
    if ((rc = store_begin(c->db, &c->err))) return rc;
    if (!(rc = txn_insert(c, tid, &o, "unsubscribe", "async", "system_operation", NULL, NULL))) rc = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    if (rc) return rc;
    long st = 0;
    json_t *ans = NULL;
    rc = send_signed(c, &o, "/registry/unsubscribe", "unsubscribe", msg, uri, (int64_t)n, &st, &ans);
    const char *hdr_action = json_string_value(json_object_get(json_object_get(ans, "header"), "action"));
    const char *corr = NULL, *status = "pending";
    if (!rc && hdr_action && strcmp(hdr_action, "on-unsubscribe") == 0) {
        if (!(rc = dci_ob_verify(c, &o, ans, &c->err))) {
            corr = json_string_value(json_object_get(json_object_get(ans, "message"), "correlation_id"));
            if (!(rc = store_begin(c->db, &c->err)) && !(rc = apply_on_unsubscribe(c, o.id, json_object_get(ans, "message"))))
                rc = store_commit(c->db, &c->err);
            if (rc) store_rollback(c->db);
            status = "answered";
        }
    } else if (!rc) {
        corr = json_string_value(json_object_get(json_object_get(ans, "message"), "correlation_id"));
    }
    if (rc) {
        dci_ob_finish(c, tid, "error", NULL, c->err.detail, NULL);
        return rc;
    }
    if (strcmp(status, "answered") == 0) dci_ob_finish(c, tid, status, NULL, NULL, corr);
    else ack_corr(c, tid, corr);
    *out = json_pack("{s:s, s:s, s:s, s:s}", "transaction_id", tid, "partner", o.id, "action", "unsubscribe", "status", status);
    if (corr) json_object_set_new(*out, "correlation_id", json_string(corr));
    return OP_OK;
}

/* ---- transaction status of one of our outbound transactions ---- */

/* A txn_status answer applied to the original transaction while it is still pending. */
static op_code apply_status(ctx *c, const struct dci_ob *o, const char *orig, const char *action, const json_t *resp, bool *applied) {
    *applied = false;
    const char *st = json_string_value(json_object_get(resp, "status"));
    const json_t *ts = json_object_get(resp, "txn_status");
    if (!st || strcmp(st, "succ") != 0 || !json_is_object(ts)) return OP_OK;
    store_stmt *q = store_query(c->db, &c->err, "SELECT status FROM dci_outbound_txns WHERE transaction_id = ?", "s", orig);
    if (!q) return c->err.code;
    bool pending = strcmp(store_col_text(q, 0), "pending") == 0;
    store_reset(q);
    if (!pending) return OP_OK;
    const char *corr = json_string_value(json_object_get(ts, "correlation_id"));
    if (strcmp(action, "search") == 0) {
        if (!json_array_size(json_object_get(ts, "search_response"))) return OP_OK; /* not answered yet */
        json_t *facts = NULL;
        op_err ne = {0};
        op_code nr = dci_client_normalise(o->kind, ts, &facts, &ne);
        dci_ob_finish(c, orig, nr ? "error" : "answered", facts, nr ? ne.detail : NULL, corr);
        json_decref(facts);
    } else if (strcmp(action, "subscribe") == 0) {
        if (!json_array_size(json_object_get(ts, "subscribe_response"))) return OP_OK;
        json_t *summary;
        op_code rc = store_begin(c->db, &c->err);
        if (!rc) rc = apply_on_subscribe(c, o->id, orig, ts, &summary);
        if (!rc) rc = store_commit(c->db, &c->err);
        if (rc) {
            store_rollback(c->db);
            return rc;
        }
        dci_ob_finish(c, orig, "answered", jx_arena(c->a, json_pack("{s:O}", "subscriptions", summary)), NULL, corr);
    } else if (strcmp(action, "unsubscribe") == 0) {
        op_code rc = store_begin(c->db, &c->err);
        if (!rc) rc = apply_on_unsubscribe(c, o->id, ts);
        if (!rc) rc = store_commit(c->db, &c->err);
        if (rc) {
            store_rollback(c->db);
            return rc;
        }
        dci_ob_finish(c, orig, "answered", NULL, NULL, corr);
    } else {
        return OP_OK;
    }
    *applied = true;
    return OP_OK;
}

struct orig {
    const char *partner, *action, *corr, *status, *about;
};
static op_code load_orig(ctx *c, const char *tid, struct orig *t) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT partner_id, action, correlation_id, status, about FROM dci_outbound_txns WHERE transaction_id = ?",
                                "s", tid ? tid : "");
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "no outbound DCI transaction \"%s\"", tid ? tid : "");
    t->partner = arena_strdup(c->a, store_col_text(q, 0));
    t->action = arena_strdup(c->a, store_col_text(q, 1));
    t->corr = arena_strdup(c->a, store_col_text(q, 2));
    t->status = arena_strdup(c->a, store_col_text(q, 3));
    t->about = arena_strdup(c->a, store_col_text(q, 4));
    store_reset(q);
    return OP_OK;
}

/* The status transaction remembers which transaction it asks about (column about). */
op_code dci_client_status(ctx *c, const char *orig_tid, bool async, json_t **out) {
    *out = NULL;
    struct orig t;
    op_code rc = load_orig(c, orig_tid, &t);
    if (rc) return rc;
    if (strcmp(t.action, "txn-status") == 0)
        return op_fail_field(&c->err, OP_VALIDATION, "id", NULL, "\"%s\" is itself a status request", orig_tid);
    struct dci_ob o;
    if ((rc = dci_ob_load(c, t.partner, &o))) return rc;
    const char *uri = async ? our_uri(c, &o, "txn/on-status") : NULL;
    if (async && !uri)
        return op_fail_field(&c->err, OP_VALIDATION, "partner", "set --callback-url (our .../registry/on-search) on the partner",
                             "an async status request needs the partner's callback URL ending in /on-search");
    char tid[ID_LEN];
    id_uuid7(tid);
    json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "reference_id", arena_printf(c->a, "ref-%s", tid), "txn_type", t.action, "attribute_type",
                            t.corr ? "correlation_id" : "transaction_id", "attribute_value", t.corr ? t.corr : orig_tid);
    json_t *msg = jx_arena(c->a, json_pack("{s:s, s:o}", "transaction_id", tid, "txnstatus_request", req));
    if ((rc = store_begin(c->db, &c->err))) return rc;
    if (!(rc = txn_insert(c, tid, &o, "txn-status", async ? "async" : "sync", "system_operation", NULL, orig_tid))) rc = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    if (rc) return rc;
    long st = 0;
    json_t *ans = NULL;
    rc = send_signed(c, &o, async ? "/registry/txn/status" : "/registry/sync/txn/status", "txn-status", msg, uri, 1, &st, &ans);
    bool applied = false;
    const char *corr = NULL;
    const json_t *resp = NULL;
    if (!rc && !async) {
        const char *a = json_string_value(json_object_get(json_object_get(ans, "header"), "action"));
        if (!a || strcmp(a, "txn-on-status") != 0) rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "registry \"%s\" did not answer with txn-on-status", o.id);
        else if (!(rc = dci_ob_verify(c, &o, ans, &c->err))) {
            resp = json_object_get(json_object_get(ans, "message"), "txnstatus_response");
            rc = apply_status(c, &o, orig_tid, t.action, resp, &applied);
        }
    } else if (!rc) {
        corr = json_string_value(json_object_get(json_object_get(ans, "message"), "correlation_id"));
    }
    if (rc) {
        dci_ob_finish(c, tid, "error", NULL, c->err.detail, NULL);
        return rc;
    }
    const char *pst = resp ? json_string_value(json_object_get(resp, "status")) : NULL;
    if (async) ack_corr(c, tid, corr);
    else dci_ob_finish(c, tid, "answered", jx_arena(c->a, json_pack("{s:s, s:s, s:b}", "about", orig_tid, "status", pst ? pst : "?", "applied", applied)),
                       NULL, NULL);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "transaction_id", tid, "partner", o.id, "action", "txn-status", "about", orig_tid, "status",
                     async ? "pending" : "answered");
    if (pst) json_object_set_new(*out, "partner_status", json_string(pst));
    json_object_set_new(*out, "applied", json_boolean(applied));
    if (corr) json_object_set_new(*out, "correlation_id", json_string(corr));
    return OP_OK;
}

op_code dci_client_subs_list(ctx *c, const char *partner_id, json_t **out) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT partner_id, code, transaction_id, reference_id, event_type, purpose, frequency, status, reason,"
                                   " created_at, updated_at FROM dci_outbound_subs WHERE (CAST(? AS TEXT) IS NULL OR partner_id = ?) ORDER BY num",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, partner_id);
    store_bind_text(st, 2, partner_id);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_object();
        static const char *const cols[] = {"partner", "code", "transaction_id", "reference_id", "event_type", "purpose", "frequency", "status",
                                           "reason", "created_at", "updated_at"};
        for (int i = 0; i < 11; i++)
            if (store_col_text(st, i)) json_object_set_new(o, cols[i], json_string(store_col_text(st, i)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o}", "items", items);
    return OP_OK;
}

/* ---- receivers ---- */

/* Record the message id of a received callback in the caller's transaction; false: a replay. */
static op_code seen(ctx *c, const struct dci_env *env, bool *fresh) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "INSERT INTO dci_seen_messages (sender_id, message_id, seen_at) VALUES (?,?,?)"
                            " ON CONFLICT (sender_id, message_id) DO NOTHING",
                            "sss", env->sender_id, env->message_id, ts);
    *fresh = n == 1;
    return rc;
}

static op_code check_sender(ctx *c, struct dci_ob *o, const struct dci_env *env, const json_t *body, const char **dci_code) {
    if (strcmp(env->sender_id, o->receiver_id) != 0) {
        *dci_code = "err.sender_id.invalid";
        return op_fail(&c->err, OP_FORBIDDEN, NULL, "the sender is not the registry this belongs to");
    }
    op_code rc = dci_ob_verify(c, o, body, &c->err);
    if (rc) *dci_code = json_object_get(body, "signature") ? "err.signature.invalid" : "err.signature.missing";
    return rc;
}

/* The UIN among a record's identifiers (member_identifier / identifiers / identifier, as
 * [{identifier_type, identifier_value}]), normalised; NULL when none. */
static const char *record_uin(ctx *c, const json_t *rec) {
    static const char *const keys[] = {"member_identifier", "identifiers", "identifier", NULL};
    for (int k = 0; keys[k]; k++) {
        const json_t *ids = json_object_get(rec, keys[k]);
        if (json_is_object(ids)) ids = jx_arena(c->a, json_pack("[O]", ids));
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id) {
            const char *t = json_string_value(json_object_get(id, "identifier_type"));
            const char *v = json_string_value(json_object_get(id, "identifier_value"));
            char nid[NID_MAX];
            op_err e = {0};
            if (t && v && (strcmp(t, "UIN") == 0 || strcmp(t, "NationalID") == 0) && !nid_normalise(NULL, v, nid, &e))
                return arena_strdup(c->a, nid);
        }
    }
    return NULL;
}

/* One notify_event item: stored (deduplicated), audited, emitted as partner.notified. */
static op_code receive_item(ctx *c, const char *partner, const struct dci_env *env, const json_t *it, int *stored) {
    const json_t *data = json_object_get(it, "data");
    const char *ref = json_string_value(json_object_get(it, "reference_id"));
    const char *code = json_string_value(json_object_get(data, "subscription_code"));
    const char *et = json_string_value(json_object_get(data, "reg_event_type"));
    if (!dci_id_ok(ref)) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "a notify_event item has no valid reference_id");
    /* the subscription: the item's code, else the partner's only active subscription (of that event type) */
    store_stmt *q = code ? store_query(c->db, &c->err,
                                       "SELECT code, purpose, persons FROM dci_outbound_subs WHERE partner_id = ? AND code = ?", "ss", partner, code)
                         : store_query(c->db, &c->err,
                                       "SELECT code, purpose, persons FROM dci_outbound_subs WHERE partner_id = ? AND status = 'subscribe'"
                                       " AND (CAST(? AS TEXT) IS NULL OR event_type = ?) ORDER BY num",
                                       "sss", partner, et, et);
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_BAD_REQUEST, NULL, "the notification is for no subscription of ours");
    code = arena_strdup(c->a, store_col_text(q, 0));
    const char *purpose = arena_strdup(c->a, store_col_text(q, 1));
    json_t *persons = jx_arena(c->a, json_loads(store_col_text(q, 2) ? store_col_text(q, 2) : "[]", 0, NULL));
    store_reset(q);
    /* the person: a UIN in the first record, else the subscription's only person */
    const json_t *recs = json_object_get(data, "reg_records");
    const char *person = NULL, *uin = record_uin(c, json_is_array(recs) ? json_array_get(recs, 0) : recs);
    if (uin) {
        char hash[65];
        fieldcrypt_lookup_hash(uin, hash);
        store_stmt *p = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
        if (!p && c->err.code) return c->err.code;
        if (p) {
            person = arena_strdup(c->a, store_col_text(p, 0));
            store_reset(p);
        }
    } else if (json_array_size(persons) == 1) {
        person = json_string_value(json_array_get(persons, 0));
    }
    char id[ID_LEN], ts[CLOCK_TS_LEN], *sealed = NULL;
    id_uuid7(id);
    clock_now_ts(ts);
    op_code rc = fieldcrypt_seal(c->a, jx_dump(c->a, it), arena_printf(c->a, "dci_notifications_in.item:%s", id), &sealed, &c->err);
    if (rc) return rc;
    int64_t n = 0;
    if ((rc = store_exec(c->db, &c->err, &n,
                         "INSERT INTO dci_notifications_in (id, partner_id, subscription_code, reference_id, reg_event_type, person_id,"
                         " message_id, item, received_at) VALUES (?,?,?,?,?,?,?,?,?)"
                         " ON CONFLICT (partner_id, subscription_code, reference_id) DO NOTHING",
                         "sssssssss", id, partner, code, ref, et, person, env->message_id, sealed, ts)))
        return rc;
    if (n == 0) return OP_OK; /* received before: the partner's retry */
    rc = dci_client_audit(c, purpose, PD_UPDATE, PD_CREATE, "dci_notification", id, person);
    if (rc) return rc;
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "partner", partner, "subscription_code", code, "reference_id", ref, "notification_id", id);
    if (et) json_object_set_new(ev, "reg_event_type", json_string(et));
    if (person) json_object_set_new(ev, "person_id", json_string(person));
    rc = event_emit(c, "partner.notified", person ? person : arena_printf(c->a, "dci-sub:%s:%s", partner, code), ev);
    json_decref(ev);
    *stored += !rc;
    return rc;
}

int dci_pick_sender(int n, const json_t *const *jwks, const bool *holds_code, const char *kid) {
    bool keep[DCI_PICK_MAX];
    int left = 0;
    if (n < 1 || n > DCI_PICK_MAX) return n < 1 ? 0 : -n;
    for (int i = 0; i < n; i++) keep[i] = true;
    left = n;
    if (left > 1 && kid) { /* the signing key */
        bool has[DCI_PICK_MAX];
        int m = 0;
        for (int i = 0; i < n; i++) {
            has[i] = false;
            size_t k;
            json_t *key;
            json_array_foreach(json_object_get(jwks[i], "keys"), k, key) {
                const char *id = json_string_value(json_object_get(key, "kid"));
                if (id && strcmp(id, kid) == 0) has[i] = true;
            }
            m += has[i];
        }
        if (m > 0) {
            for (int i = 0; i < n; i++) keep[i] = has[i];
            left = m;
        }
    }
    if (left > 1 && holds_code) { /* the subscription codes */
        int m = 0;
        for (int i = 0; i < n; i++) m += keep[i] && holds_code[i];
        if (m > 0) {
            for (int i = 0; i < n; i++) keep[i] = keep[i] && holds_code[i];
            left = m;
        }
    }
    if (left != 1) return -left;
    for (int i = 0; i < n; i++)
        if (keep[i]) return i + 1;
    return 0;
}

/* The registry a notify comes from (dci_pick_sender over the active registries with this sender
 * id).  None, or no single one -> OP_FORBIDDEN. */
static op_code notify_partner(ctx *c, const struct dci_env *env, const json_t *body, const char **out) {
    *out = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT id, jwks FROM dci_outbound WHERE receiver_id = ? AND disabled_at IS NULL ORDER BY id", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, env->sender_id);
    const char *ids[DCI_PICK_MAX];
    const json_t *jw[DCI_PICK_MAX];
    bool holds[DCI_PICK_MAX];
    int n = 0, r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < DCI_PICK_MAX) {
        ids[n] = arena_strdup(c->a, store_col_text(st, 0));
        jw[n++] = jx_arena(c->a, json_loads(store_col_text(st, 1), 0, NULL));
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    if (n == 0) return op_fail(&c->err, OP_FORBIDDEN, NULL, "no registry we subscribe to has this sender_id");
    for (int i = 0; n > 1 && i < n; i++) { /* which of them holds one of the items' subscription codes */
        holds[i] = false;
        size_t k;
        json_t *it;
        json_array_foreach(json_object_get(env->message, "notify_event"), k, it) {
            const char *code = json_string_value(json_object_get(json_object_get(it, "data"), "subscription_code"));
            if (!code || holds[i]) continue;
            store_stmt *q = store_query(c->db, &c->err, "SELECT 1 FROM dci_outbound_subs WHERE partner_id = ? AND code = ?", "ss", ids[i], code);
            if (q) {
                store_reset(q);
                holds[i] = true;
            } else if (c->err.code)
                return c->err.code;
        }
    }
    const char *sig = json_string_value(json_object_get(body, "signature"));
    struct dci_sig_parts sp;
    op_err pe = {0};
    bool signed_ok = sig && !dci_sig_parse(sig, &sp, &pe);
    int pick = dci_pick_sender(n, jw, n > 1 ? holds : NULL, signed_ok ? sp.key_id : NULL);
    if (pick <= 0)
        return op_fail(&c->err, OP_FORBIDDEN, "sign with a key of one registry's JWKS, or name the subscription_code",
                       "%d registries share sender_id \"%s\": neither the signing key nor the subscription codes tell which one sent this",
                       -pick, env->sender_id);
    *out = ids[pick - 1];
    return OP_OK;
}

op_code dci_client_receive(ctx *c, const char *action, const json_t *body, const char **dci_code) {
    const char *const actions[] = {action, NULL};
    struct dci_env env;
    *dci_code = "err.request.bad";
    bool notify = strcmp(action, "notify") == 0;
    op_code rc = dci_envelope_parse(body, actions, NULL, true, &env, dci_code, &c->err);
    if (rc) return rc;
    *dci_code = "err.request.bad";
    const json_t *m = env.message;
    const char *tid = json_string_value(json_object_get(m, "transaction_id"));
    const char *corr = json_string_value(json_object_get(m, "correlation_id"));
    struct orig t = {0};
    const char *partner = NULL;
    if (notify) { /* the partner whose sender id this is */
        if ((rc = notify_partner(c, &env, body, &partner))) {
            *dci_code = "err.sender_id.invalid";
            return rc;
        }
        if (!json_is_array(json_object_get(m, "notify_event")) || json_array_size(json_object_get(m, "notify_event")) == 0 ||
            json_array_size(json_object_get(m, "notify_event")) > 10000)
            return op_fail(&c->err, OP_BAD_REQUEST, NULL, "message.notify_event must hold 1-10000 items");
    } else {
        if ((rc = load_orig(c, tid, &t))) {
            if (rc == OP_NOT_FOUND) op_fail(&c->err, OP_BAD_REQUEST, NULL, "no outbound transaction with this transaction_id");
            return c->err.code;
        }
        static const char *const want[][2] = {{"on-subscribe", "subscribe"}, {"on-unsubscribe", "unsubscribe"}, {"txn-on-status", "txn-status"}};
        for (size_t i = 0; i < 3; i++)
            if (strcmp(action, want[i][0]) == 0 && strcmp(t.action, want[i][1]) != 0)
                return op_fail(&c->err, OP_BAD_REQUEST, NULL, "transaction %s is not a %s request", tid, want[i][1]);
        partner = t.partner;
    }
    struct dci_ob o;
    if ((rc = dci_ob_load(c, partner, &o))) return rc;
    if ((rc = check_sender(c, &o, &env, body, dci_code))) return rc;
    *dci_code = "err.request.bad";
    if (!notify && t.corr && corr && strcmp(t.corr, corr) != 0)
        return op_fail(&c->err, OP_BAD_REQUEST, NULL, "correlation_id does not match the ACK");
    /* the receiver acts for the system, under the purpose of what it receives */
    actor saved = c->who;
    memset(&c->who, 0, sizeof c->who);
    c->who.type = ACTOR_SYSTEM;
    snprintf(c->who.id, sizeof c->who.id, "system:dci-client:%s", partner);
    bool fresh = false;
    int stored = 0;
    json_t *summary = NULL;
    rc = store_begin(c->db, &c->err);
    if (!rc) rc = seen(c, &env, &fresh);
    if (!rc && !fresh) rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "duplicate message_id \"%s\" (replay)", env.message_id);
    if (!rc && notify) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(m, "notify_event"), i, it) if (!rc) rc = receive_item(c, partner, &env, it, &stored);
    } else if (!rc && strcmp(t.status, "pending") != 0 && strcmp(action, "txn-on-status") != 0) {
        rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "the transaction was already answered");
    } else if (!rc && strcmp(action, "on-subscribe") == 0) {
        rc = apply_on_subscribe(c, partner, tid, m, &summary);
    } else if (!rc && strcmp(action, "on-unsubscribe") == 0) {
        rc = apply_on_unsubscribe(c, partner, m);
    }
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    c->who = saved;
    if (rc) return rc;
    if (notify) {
        if (stored) worker_wake();
        log_info("DCI notify from %s: %d new notification(s)", partner, stored);
        return OP_OK;
    }
    if (strcmp(action, "txn-on-status") == 0) {
        const json_t *resp = json_object_get(m, "txnstatus_response");
        const char *about = t.about;
        struct orig a;
        bool applied = false;
        if (about && !load_orig(c, about, &a) && (rc = apply_status(c, &o, about, a.action, resp, &applied))) return rc;
        op_clear(&c->err);
        const char *st = json_string_value(json_object_get(resp, "status"));
        json_t *facts = jx_arena(c->a, json_pack("{s:s, s:s, s:b}", "about", about ? about : "", "status", st ? st : "?", "applied", applied));
        dci_ob_finish(c, tid, "answered", facts, NULL, corr);
        return OP_OK;
    }
    dci_ob_finish(c, tid, "answered", summary ? jx_arena(c->a, json_pack("{s:O}", "subscriptions", summary)) : NULL, NULL, corr);
    return OP_OK;
}
