/* client.c - see client.h. */
#include "dci/client.h"
#include "dci/client_int.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/dci_sig.h"
#include "dci/envelope.h"
#include "dci/partner.h"
#include "domain/nid.h"
#include "events/outbox.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

#define RESP_MAX (4u << 20)
#define TOKEN_MARGIN 30 /* seconds: refresh a cached token this long before it expires */
#define JWKS_REFETCH_S 60 /* an unknown kid fetches a partner's JWKS again at most this often */

static const char *const kinds[] = {DCI_KIND_SR, DCI_KIND_IBR, NULL};
static const char *const modes[] = {"required", "optional", "off", NULL};

/* The access path for an exchange with another registry under `purpose`: about a person when
 * there is one (person_act, the access decision and its audit record), else the purpose alone is
 * checked and the exchange audited without a person (none_act). */
op_code dci_client_audit(ctx *c, const char *purpose, enum pd_action person_act, enum pd_action none_act,
                         const char *rtype, const char *rid, const char *person) {
    const char *saved = c->purpose;
    c->purpose = purpose;
    access_decision d;
    op_code rc;
    if (person) {
        rc = access_person(c, person_act, rtype, rid, person, &d);
    } else {
        memset(&d, 0, sizeof d);
        rc = access_purpose(c, &d.purpose, &d.legal_basis);
        if (!rc) {
            d.allow = true;
            rc = access_audit(c, none_act, rtype, rid, NULL, &d);
        }
    }
    c->purpose = saved;
    return rc;
}

static bool url_ok(const char *u) {
    return u && strlen(u) <= 500 && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0);
}
static bool code_ok(const char *s, size_t max) {
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= max && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == n;
}
static op_code bad(ctx *c, const char *field, const char *msg) { return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "%s", msg); }
static const char *aad(ctx *c, const char *what, const char *id) { return arena_printf(c->a, "dci-outbound-%s:%s", what, id); }

static bool jwks_ok(const json_t *jwks) {
    const json_t *keys = json_object_get(jwks, "keys");
    if (!json_is_array(keys) || json_array_size(keys) < 1 || json_array_size(keys) > 20) return false;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        const char *kty = json_string_value(json_object_get(k, "kty")), *crv = json_string_value(json_object_get(k, "crv"));
        const char *x = json_string_value(json_object_get(k, "x"));
        unsigned char pub[32];
        if (!kty || strcmp(kty, "OKP") || !crv || strcmp(crv, "Ed25519") || !code_ok(json_string_value(json_object_get(k, "kid")), 99) ||
            !x || b64_decode(x, pub, 32) != 32)
            return false;
    }
    return true;
}

op_code dci_outbound_put(ctx *c, const struct dci_outbound_new *n) {
    if (!code_ok(n->id, 64)) return bad(c, "id", "id must be 1-64 of [A-Za-z0-9_.:-]");
    if (!jx_in(n->kind, kinds)) return bad(c, "kind", "kind must be social-registry or ibr");
    if (!url_ok(n->base_url)) return bad(c, "base_url", "base_url must be an http(s) URL");
    if (!url_ok(n->token_url)) return bad(c, "token_url", "token_url must be an http(s) URL");
    if (n->callback_url && !url_ok(n->callback_url)) return bad(c, "callback_url", "callback_url must be an http(s) URL");
    if (!dci_id_ok(n->client_id)) return bad(c, "client_id", "client_id (ours at the partner) must be 1-99 characters");
    if (!n->secret || !*n->secret || strlen(n->secret) > 500) return bad(c, "secret", "secret is required (at most 500 characters)");
    if (!dci_id_ok(n->receiver_id)) return bad(c, "receiver_id", "receiver_id (the partner's sender id) must be 1-99 characters");
    const char *mode = n->sig_mode ? n->sig_mode : "required";
    if (!jx_in(mode, modes)) return bad(c, "sig_mode", "sig_mode must be required, optional or off");
    if (!jwks_ok(n->jwks)) return bad(c, "jwks", "jwks must be {\"keys\":[...]} with 1-20 OKP/Ed25519 keys (kid, x)");
    if (!json_is_array(n->purposes) || json_array_size(n->purposes) < 1 || json_array_size(n->purposes) > 20)
        return bad(c, "purposes", "purposes must be a list of 1-20 purpose codes");
    size_t i;
    json_t *p;
    json_array_foreach(n->purposes, i, p) if (!code_ok(json_string_value(p), 64)) return bad(c, "purposes", "every purpose must be a code");
    int64_t to = n->timeout_s ? n->timeout_s : 10;
    if (to < 1 || to > 60) return bad(c, "timeout_s", "timeout_s must be 1-60");
    if (n->jwks_url && !url_ok(n->jwks_url)) return bad(c, "jwks_url", "jwks_url must be an http(s) URL");
    store_stmt *was = store_query(c->db, &c->err, "SELECT 1 FROM dci_outbound WHERE id = ? AND disabled_at IS NOT NULL", "s", n->id);
    if (was) {
        store_reset(was);
        return op_fail_field(&c->err, OP_CONFLICT, "id", "its history is kept under this id; choose a new id",
                             "registry \"%s\" was removed", n->id);
    }
    if (c->err.code) return c->err.code;
    char *enc;
    op_code rc = fieldcrypt_encrypt(c->a, n->secret, strlen(n->secret), aad(c, "secret", n->id), &enc, &c->err);
    if (rc) return rc;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if ((rc = store_exec(c->db, &c->err, NULL, "DELETE FROM dci_outbound WHERE id = ? AND NOT EXISTS "
                                               "(SELECT 1 FROM dci_outbound_txns t WHERE t.partner_id = dci_outbound.id)",
                         "s", n->id)))
        return rc;
    int64_t ch = 0;
    rc = store_exec(c->db, &c->err, &ch,
                    "UPDATE dci_outbound SET name = ?, kind = ?, base_url = ?, token_url = ?, client_id = ?, secret_enc = ?,"
                    " receiver_id = ?, jwks = ?, sig_mode = ?, purposes = ?, callback_url = ?, timeout_s = ?, token_enc = NULL,"
                    " token_expires = NULL, jwks_url = ?, jwks_fetched_at = ?, updated_at = ? WHERE id = ?",
                    "sssssssssssisiss", n->name ? n->name : n->id, n->kind, n->base_url, n->token_url, n->client_id, enc, n->receiver_id,
                    jx_dump(c->a, n->jwks), mode, jx_dump(c->a, n->purposes), n->callback_url, to, n->jwks_url,
                    n->jwks_url ? clock_now_us() / 1000000 : 0, ts, n->id);
    if (!rc && ch == 0)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO dci_outbound (id, name, kind, base_url, token_url, client_id, secret_enc, receiver_id, jwks, sig_mode,"
                        " purposes, callback_url, timeout_s, jwks_url, jwks_fetched_at, created_at, updated_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        "ssssssssssssisiss", n->id, n->name ? n->name : n->id, n->kind, n->base_url, n->token_url, n->client_id, enc,
                        n->receiver_id, jx_dump(c->a, n->jwks), mode, jx_dump(c->a, n->purposes), n->callback_url, to, n->jwks_url,
                        n->jwks_url ? clock_now_us() / 1000000 : 0, ts, ts);
    return rc;
}

op_code dci_outbound_list(ctx *c, json_t **out) {
    json_t *items = json_array();
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, name, kind, base_url, token_url, client_id, receiver_id, sig_mode, purposes, callback_url,"
                                   " timeout_s, jwks, disabled_at, jwks_url FROM dci_outbound ORDER BY id",
                                   &c->err);
    if (!st) {
        json_decref(items);
        return c->err.code;
    }
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *jw = json_loads(store_col_text(st, 11), 0, NULL), *kids = json_array();
        size_t i;
        json_t *k;
        json_array_foreach(json_object_get(jw, "keys"), i, k) json_array_append(kids, json_object_get(k, "kid"));
        json_decref(jw);
        const char *cb = store_col_text(st, 9);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o}", "id", store_col_text(st, 0),
                                               "name", store_col_text(st, 1), "kind", store_col_text(st, 2), "base_url",
                                               store_col_text(st, 3), "token_url", store_col_text(st, 4), "client_id",
                                               store_col_text(st, 5), "receiver_id", store_col_text(st, 6), "sig_mode",
                                               store_col_text(st, 7), "purposes", json_loads(store_col_text(st, 8), 0, NULL),
                                               "callback_url", cb ? json_string(cb) : json_null(), "timeout_s",
                                               (json_int_t)store_col_int(st, 10), "keys", kids));
        json_t *it = json_array_get(items, json_array_size(items) - 1);
        json_object_set_new(it, "status", json_string(store_col_null(st, 12) ? "active" : "removed"));
        if (!store_col_null(st, 12)) json_object_set_new(it, "removed_at", json_string(store_col_text(st, 12)));
        json_object_set_new(it, "jwks_url", store_col_null(st, 13) ? json_null() : json_string(store_col_text(st, 13)));
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o}", "items", items);
    return OP_OK;
}

op_code dci_outbound_remove(ctx *c, const char *id) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT disabled_at FROM dci_outbound WHERE id = ?", "s", id ? id : "");
    if (!q)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_NOT_FOUND, "id", "see openpes dci partner list", "no registry \"%s\" is configured",
                                           id ? id : "");
    bool gone = !store_col_null(q, 0);
    store_reset(q);
    if (gone) return OP_OK; /* removed before: nothing changes */
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    /* the secret and the cached token are wiped; transactions, subscriptions and notifications stay */
    op_code rc = store_exec(c->db, &c->err, NULL,
                            "UPDATE dci_outbound SET disabled_at = ?, secret_enc = '', token_enc = NULL, token_expires = NULL, updated_at = ?"
                            " WHERE id = ? AND disabled_at IS NULL",
                            "sss", ts, ts, id);
    if (!rc) rc = store_exec(c->db, &c->err, NULL, "UPDATE dci_outbound_subs SET status = 'unsubscribe', reason = 'partner removed', updated_at = ?"
                                                   " WHERE partner_id = ? AND status IN ('pending','subscribe')",
                             "ss", ts, id);
    return rc;
}

op_code dci_outbound_pick(ctx *c, const char *kind, const char *id, char out[72]) {
    if (id) {
        store_stmt *q = store_query(c->db, &c->err, "SELECT kind, disabled_at FROM dci_outbound WHERE id = ?", "s", id);
        if (!q)
            return c->err.code ? c->err.code
                               : op_fail_field(&c->err, OP_NOT_FOUND, "partner", "see openpes dci partner list",
                                               "no registry \"%s\" is configured", id);
        bool same = strcmp(store_col_text(q, 0), kind) == 0, gone = !store_col_null(q, 1);
        store_reset(q);
        if (!same) return op_fail_field(&c->err, OP_VALIDATION, "partner", NULL, "registry \"%s\" is not a %s", id, kind);
        if (gone) return op_fail_field(&c->err, OP_FORBIDDEN, "partner", NULL, "registry \"%s\" was removed", id);
        snprintf(out, 72, "%s", id);
        return OP_OK;
    }
    store_stmt *st = store_prepare(c->db, "SELECT id FROM dci_outbound WHERE kind = ? AND disabled_at IS NULL ORDER BY id LIMIT 2", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, kind);
    int n = 0, r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        if (n++ == 0) snprintf(out, 72, "%s", store_col_text(st, 0));
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    if (n == 0)
        return op_fail_field(&c->err, OP_VALIDATION, "partner", "configure one with openpes dci partner add --kind <kind>",
                             "no %s is configured", kind);
    if (n > 1) return op_fail_field(&c->err, OP_VALIDATION, "partner", "name one with partner", "several registries of kind %s are configured", kind);
    return OP_OK;
}

/* ---- pure parts ---- */

json_t *dci_client_build(const struct dci_client_req *r) {
    if (!r->kind || !r->sender_id || !r->receiver_id || !r->message_id || !r->message_ts || !r->transaction_id ||
        !r->reference_id || !r->national_id || !r->purpose || !jx_in(r->kind, kinds))
        return NULL;
    json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "version", "1.0.0", "message_id", r->message_id, "message_ts",
                          r->message_ts, "action", "search", "sender_id", r->sender_id, "receiver_id", r->receiver_id, "total_count",
                          1, "is_msg_encrypted", 0);
    if (r->sender_uri) json_object_set_new(h, "sender_uri", json_string(r->sender_uri));
    json_t *authorize = json_pack("{s:{s:s}}", "purpose", "code", r->purpose);
    json_t *m;
    bool ibr = strcmp(r->kind, DCI_KIND_IBR) == 0;
    if (!ibr || r->sender_uri) /* a social registry; an IBR asked asynchronously: its /registry/search */
        m = json_pack("{s:s, s:[{s:s, s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}, s:o}}]}", "transaction_id", r->transaction_id,
                      "search_request", "reference_id", r->reference_id, "timestamp", r->message_ts, "search_criteria", "version",
                      "1.0.0", "reg_type", ibr ? "ns:org:RegistryType:IBR" : "ns:org:RegistryType:Social", "query_type", "idtype-value",
                      "query", "type", "UIN", "value", r->national_id, "authorize", authorize);
    else
        m = json_pack("{s:s, s:[{s:s, s:s, s:s, s:{s:{s:s, s:s}}, s:o}]}", "transaction_id", r->transaction_id, "enrolled_criteria",
                      "reference_id", r->reference_id, "timestamp", r->message_ts, "query_type", "idtype-value", "query",
                      "person_identifier", "eq", r->national_id, "type", "UIN", "authorize", authorize);
    return json_pack("{s:o, s:o}", "header", h, "message", m);
}

/* name in the record, its additional_attributes object, or a [{name, value}] list */
static const json_t *attr(const json_t *rec, const char *name) {
    const json_t *v = json_object_get(rec, name);
    if (v) return v;
    const json_t *aa = json_object_get(rec, "additional_attributes");
    if (json_is_object(aa)) return json_object_get(aa, name);
    size_t i;
    json_t *it;
    json_array_foreach(aa, i, it) {
        const char *n = json_string_value(json_object_get(it, "name"));
        if (n && strcmp(n, name) == 0) return json_object_get(it, "value");
    }
    return NULL;
}

static op_code rejected(op_err *e, const json_t *item) {
    const char *code = json_string_value(json_object_get(item, "status_reason_code"));
    const char *msg = json_string_value(json_object_get(item, "status_reason_message"));
    return op_fail(e, OP_BAD_REQUEST, "check the query and the partner's agreement", "the partner rejected the query: %s%s%s",
                   code ? code : "rjct", msg ? " - " : "", msg ? msg : "");
}

static const json_t *first(const json_t *v) { return json_is_array(v) ? json_array_get(v, 0) : v; }

static bool enrolled_code(const char *es) {
    return strcmp(es, "Active") == 0 || strcmp(es, "yes") == 0 || strcmp(es, "Reinstated") == 0 || strcmp(es, "Awaiting Renewal") == 0 ||
           strcmp(es, "Suspended") == 0;
}

/* An IBR's on-search (the async search): Beneficiary records whose programme_identifier (on the
 * record or its member; an object or a list) is {programme: {programme_identifier}, enrolment_status}. */
static op_code ibr_search_facts(const json_t *message, json_t **facts, op_err *e) {
    const char *hint = "the partner's answer does not follow the DCI message grammar";
    const json_t *item = first(json_object_get(message, "search_response"));
    if (!json_is_object(item)) return op_fail(e, OP_BAD_REQUEST, hint, "the answer has no search_response item");
    const char *st = json_string_value(json_object_get(item, "status"));
    if (!st || strcmp(st, "succ") != 0) return rejected(e, item);
    json_t *progs = json_array();
    bool enrolled = false;
    size_t i, j;
    json_t *rec, *p;
    json_array_foreach(json_object_get(json_object_get(item, "data"), "reg_records"), i, rec) {
        const json_t *pi = json_object_get(rec, "programme_identifier");
        if (!pi) pi = json_object_get(json_object_get(rec, "member"), "programme_identifier");
        json_t *list = json_is_array(pi) ? json_incref((json_t *)pi) : json_is_object(pi) ? json_pack("[O]", pi) : json_array();
        json_array_foreach(list, j, p) {
            const json_t *prog = json_object_get(p, "programme");
            const char *id = json_string_value(json_object_get(prog, "programme_identifier"));
            if (!id) id = json_string_value(json_object_get(p, "programme_identifier"));
            const char *es = json_string_value(json_object_get(p, "enrolment_status"));
            if (!es) es = json_string_value(json_object_get(p, "enrollment_status"));
            if (!es) es = json_string_value(json_object_get(p, "enrolled_status"));
            if (!es) {
                json_decref(list);
                json_decref(progs);
                return op_fail(e, OP_BAD_REQUEST, hint, "a Beneficiary programme has no enrolment_status");
            }
            bool on = enrolled_code(es);
            enrolled = enrolled || on;
            json_array_append_new(progs, json_pack("{s:s, s:s, s:b}", "programme", id ? id : "unknown", "enrolled_status", es, "enrolled", on));
        }
        json_decref(list);
    }
    *facts = json_pack("{s:b, s:o}", "enrolled", enrolled, "programmes", progs);
    return OP_OK;
}

op_code dci_client_normalise(const char *kind, const json_t *message, json_t **facts, op_err *e) {
    *facts = NULL;
    const char *hint = "the partner's answer does not follow the DCI message grammar";
    if (!json_is_object(message)) return op_fail(e, OP_BAD_REQUEST, hint, "the answer has no message object");
    if (kind && strcmp(kind, DCI_KIND_SR) == 0) {
        const json_t *item = first(json_object_get(message, "search_response"));
        if (!json_is_object(item)) return op_fail(e, OP_BAD_REQUEST, hint, "the answer has no search_response item");
        const char *st = json_string_value(json_object_get(item, "status"));
        if (!st || strcmp(st, "succ") != 0) return rejected(e, item);
        const json_t *recs = json_object_get(json_object_get(item, "data"), "reg_records");
        const json_t *rec = first(recs);
        json_t *f = json_pack("{s:b}", "found", json_is_object(rec));
        if (json_is_object(rec)) {
            const json_t *pct = attr(rec, "household_income_pct");
            double v = 0;
            char *end = NULL;
            if (json_is_number(pct)) v = json_number_value(pct);
            else if (json_is_string(pct)) v = strtod(json_string_value(pct), &end);
            if (pct && (json_is_number(pct) || (end && *end == 0 && end != json_string_value(pct)))) {
                if (v < 0 || v > 100000) {
                    json_decref(f);
                    return op_fail(e, OP_BAD_REQUEST, hint, "household_income_pct %g is out of range", v);
                }
                json_object_set_new(f, "household_income_pct", json_real(v));
            } else if (pct && !json_is_null(pct)) {
                json_decref(f);
                return op_fail(e, OP_BAD_REQUEST, hint, "household_income_pct is not a number");
            }
            const json_t *bl = attr(rec, "basic_livelihood_status");
            if (json_is_string(bl)) json_object_set_new(f, "basic_livelihood_status", json_string(json_string_value(bl)));
            else if (bl && !json_is_null(bl)) {
                json_decref(f);
                return op_fail(e, OP_BAD_REQUEST, hint, "basic_livelihood_status is not a string");
            }
        }
        *facts = f;
        return OP_OK;
    }
    if (json_object_get(message, "search_response")) return ibr_search_facts(message, facts, e);
    const json_t *items = json_object_get(message, "enrolled_response");
    if (json_is_object(items)) items = json_pack("[O]", items);
    else json_incref((json_t *)items);
    if (!json_is_array(items) || json_array_size(items) == 0) {
        json_decref((json_t *)items);
        return op_fail(e, OP_BAD_REQUEST, hint, "the answer has no enrolled_response item");
    }
    json_t *progs = json_array();
    bool enrolled = false;
    size_t i;
    json_t *it;
    op_code rc = OP_OK;
    json_array_foreach(items, i, it) {
        const char *st = json_string_value(json_object_get(it, "status"));
        const char *es = json_string_value(json_object_get(it, "enrolled_status"));
        if (!st || strcmp(st, "succ") != 0) {
            rc = rejected(e, it);
            break;
        }
        if (!es) {
            rc = op_fail(e, OP_BAD_REQUEST, hint, "an enrolled_response item has no enrolled_status");
            break;
        }
        bool on = enrolled_code(es);
        enrolled = enrolled || on;
        const json_t *pi = json_object_get(it, "programme_identifier");
        const char *prog = json_is_string(pi) ? json_string_value(pi) : json_string_value(json_object_get(pi, "eq"));
        if (!prog) prog = json_string_value(attr(it, "programme"));
        json_array_append_new(progs, json_pack("{s:s, s:s, s:b}", "programme", prog ? prog : "unknown", "enrolled_status", es,
                                               "enrolled", on));
    }
    json_decref((json_t *)items);
    if (rc) {
        json_decref(progs);
        return rc;
    }
    *facts = json_pack("{s:b, s:o}", "enrolled", enrolled, "programmes", progs);
    return OP_OK;
}

/* ---- outbound partners at run time ---- */


op_code dci_ob_load(ctx *c, const char *id, struct dci_ob *o) {
    memset(o, 0, sizeof *o);
    store_stmt *q = store_query(c->db, &c->err,
                                "SELECT kind, base_url, token_url, client_id, secret_enc, receiver_id, sig_mode, callback_url, jwks,"
                                " purposes, timeout_s, token_enc, token_expires, disabled_at, jwks_url, jwks_fetched_at FROM dci_outbound WHERE id = ?",
                                "s", id);
    if (!q)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_NOT_FOUND, "partner", "configure it with openpes dci partner add",
                                           "no registry \"%s\" is configured for queries", id);
    if (!store_col_null(q, 13)) {
        store_reset(q);
        return op_fail_field(&c->err, OP_FORBIDDEN, "partner", "its history is kept; configure a registry under a new id",
                             "registry \"%s\" was removed", id);
    }
    o->jwks_url = store_col_null(q, 14) ? NULL : arena_strdup(c->a, store_col_text(q, 14));
    o->jwks_fetched_at = store_col_int(q, 15);
    o->id = arena_strdup(c->a, id);
    const char **f[] = {&o->kind, &o->base_url, &o->token_url, &o->client_id, NULL, &o->receiver_id, &o->sig_mode, &o->callback_url};
    for (int i = 0; i < 8; i++)
        if (f[i]) *f[i] = arena_strdup(c->a, store_col_text(q, i));
    const char *secret_enc = arena_strdup(c->a, store_col_text(q, 4));
    o->jwks = jx_arena(c->a, json_loads(store_col_text(q, 8), 0, NULL));
    o->purposes = jx_arena(c->a, json_loads(store_col_text(q, 9), 0, NULL));
    o->timeout_s = store_col_int(q, 10);
    const char *tok_enc = arena_strdup(c->a, store_col_text(q, 11));
    o->token_expires = store_col_int(q, 12);
    store_reset(q);
    char *s;
    op_code rc = fieldcrypt_decrypt(c->a, secret_enc, aad(c, "secret", id), &s, NULL, &c->err);
    if (rc) return rc;
    o->secret = s;
    if (tok_enc && fieldcrypt_decrypt(c->a, tok_enc, aad(c, "token", id), &s, NULL, &c->err) == OP_OK) o->token = s;
    op_clear(&c->err);
    return OP_OK;
}

struct buf {
    char *p;
    size_t n;
    bool over;
};
static size_t collect(void *d, size_t sz, size_t n, void *u) {
    struct buf *b = u;
    size_t k = sz * n;
    if (b->n + k > RESP_MAX) {
        b->over = true;
        return 0;
    }
    char *np = realloc(b->p, b->n + k + 1);
    if (!np) return 0;
    b->p = np;
    memcpy(b->p + b->n, d, k);
    b->n += k;
    b->p[b->n] = 0;
    return k;
}

/* The options every call to another registry shares: http(s) only, TLS verified (libcurl's
 * defaults, stated), a total and a connect timeout, no signals, the answer collected into *b. */
static void curl_common(CURL *h, const char *url, long timeout_s, struct buf *b) {
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
}

/* POST; *status the HTTP status, *body the parsed JSON answer (arena-owned, may be NULL). */
op_code dci_ob_post(ctx *c, const struct dci_ob *o, const char *url, const char *ctype, const char *bearer, const char *payload,
                    long *status, json_t **body) {
    *body = NULL;
    *status = 0;
    CURL *h = curl_easy_init();
    if (!h) return op_fail(&c->err, OP_UNAVAILABLE, NULL, "curl init failed");
    struct curl_slist *hd = curl_slist_append(NULL, arena_printf(c->a, "Content-Type: %s", ctype));
    hd = curl_slist_append(hd, "Accept: application/json");
    if (bearer) hd = curl_slist_append(hd, arena_printf(c->a, "Authorization: Bearer %s", bearer));
    struct buf b = {0};
    curl_common(h, url, (long)o->timeout_s, &b);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    op_code rc = OP_OK;
    if (cc == CURLE_OPERATION_TIMEDOUT)
        rc = op_fail(&c->err, OP_UNAVAILABLE, "try again later or raise the partner's timeout_s",
                     "registry \"%s\" did not answer within %lld s", o->id, (long long)o->timeout_s);
    else if (b.over)
        rc = op_fail(&c->err, OP_UNAVAILABLE, NULL, "registry \"%s\" sent an answer larger than %u bytes", o->id, RESP_MAX);
    else if (cc != CURLE_OK)
        rc = op_fail(&c->err, OP_UNAVAILABLE, "check the partner's URL and that it is up", "registry \"%s\" could not be reached: %s",
                     o->id, curl_easy_strerror(cc));
    else if (b.p) {
        json_t *j = json_loads(b.p, 0, NULL);
        if (j) *body = jx_arena(c->a, j);
    }
    free(b.p);
    return rc;
}

/* A bearer token for the partner: the cached one unless it (nearly) expired or force. */
op_code dci_ob_token(ctx *c, struct dci_ob *o, bool force, const char **out) {
    int64_t now = clock_now_us() / 1000000;
    if (!force && o->token && o->token_expires - TOKEN_MARGIN > now) {
        *out = o->token;
        return OP_OK;
    }
    CURL *h = curl_easy_init();
    if (!h) return op_fail(&c->err, OP_UNAVAILABLE, NULL, "curl init failed");
    char *id = curl_easy_escape(h, o->client_id, 0), *sec = curl_easy_escape(h, o->secret, 0);
    const char *form = arena_printf(c->a, "grant_type=client_credentials&client_id=%s&client_secret=%s", id, sec);
    curl_free(id);
    curl_free(sec);
    curl_easy_cleanup(h);
    long st;
    json_t *b;
    op_code rc = dci_ob_post(c, o, o->token_url, "application/x-www-form-urlencoded", NULL, form, &st, &b);
    if (rc) return rc;
    const char *tok = json_string_value(json_object_get(b, "access_token"));
    json_t *ei = json_object_get(b, "expires_in");
    if (st != 200 || !tok || !*tok || strlen(tok) > 2000)
        return op_fail(&c->err, OP_UNAVAILABLE, "check our client id and secret at the partner",
                       "the token endpoint of \"%s\" refused us (HTTP %ld)", o->id, st);
    int64_t life = json_is_integer(ei) && json_integer_value(ei) > 0 ? json_integer_value(ei) : 300;
    o->token = arena_strdup(c->a, tok);
    o->token_expires = now + life;
    char *enc;
    if ((rc = fieldcrypt_encrypt(c->a, tok, strlen(tok), aad(c, "token", o->id), &enc, &c->err))) return rc;
    if (!(rc = store_begin(c->db, &c->err))) {
        rc = store_exec(c->db, &c->err, NULL, "UPDATE dci_outbound SET token_enc = ?, token_expires = ? WHERE id = ?", "sis", enc,
                        o->token_expires, o->id);
        if (!rc) rc = store_commit(c->db, &c->err);
        else store_rollback(c->db);
    }
    *out = o->token;
    return rc;
}

/* GET a JWKS (TLS verified, libcurl defaults stated) and validate it like the file form. */
op_code dci_jwks_fetch(ctx *c, const char *url, int64_t timeout_s, json_t **jwks, op_err *e) {
    *jwks = NULL;
    if (!url_ok(url)) return op_fail_field(e, OP_VALIDATION, "jwks_url", NULL, "jwks_url must be an http(s) URL");
    CURL *h = curl_easy_init();
    if (!h) return op_fail(e, OP_UNAVAILABLE, NULL, "curl init failed");
    struct buf b = {0};
    curl_common(h, url, (long)(timeout_s > 0 ? timeout_s : 10), &b);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    CURLcode cc = curl_easy_perform(h);
    long st = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
    curl_easy_cleanup(h);
    op_code rc = OP_OK;
    json_t *j = cc == CURLE_OK && st == 200 && b.p ? json_loads(b.p, 0, NULL) : NULL;
    if (cc != CURLE_OK)
        rc = op_fail(e, OP_UNAVAILABLE, "check the URL and that the partner publishes its keys there", "the JWKS at %s could not be fetched: %s",
                     url, b.over ? "too large" : curl_easy_strerror(cc));
    else if (st != 200)
        rc = op_fail(e, OP_UNAVAILABLE, "check the URL", "the JWKS at %s could not be fetched: HTTP %ld", url, st);
    else if (!jwks_ok(j))
        rc = op_fail_field(e, OP_VALIDATION, "jwks_url", NULL, "the document at %s is not a JWKS {\"keys\":[...]} of 1-20 OKP/Ed25519 keys (kid, x)",
                           url);
    free(b.p);
    if (rc) json_decref(j);
    else *jwks = j;
    return rc;
}

/* The partner's JWKS again from its jwks_url (force: the periodic refresh; else at most once a
 * minute): stored, and o->jwks replaced.  Never inside a transaction.  true when new keys came. */
static bool ob_refresh_jwks(ctx *c, struct dci_ob *o, bool force) {
    int64_t now = clock_now_us() / 1000000;
    if (!o->jwks_url || store_in_tx(c->db) || (!force && now - o->jwks_fetched_at < JWKS_REFETCH_S)) return false;
    o->jwks_fetched_at = now;
    json_t *jw = NULL;
    op_err e = {0};
    op_code rc = dci_jwks_fetch(c, o->jwks_url, o->timeout_s, &jw, &e);
    if (rc) log_warn("registry %s: %s", o->id, e.detail);
    op_err e2 = {0};
    op_code wr = store_begin(c->db, &e2);
    if (!wr)
        wr = store_exec(c->db, &e2, NULL, "UPDATE dci_outbound SET jwks_fetched_at = ?, jwks = COALESCE(?, jwks) WHERE id = ?", "iss", now,
                        jw ? jx_dump(c->a, jw) : NULL, o->id);
    if (!wr) wr = store_commit(c->db, &e2);
    else store_rollback(c->db);
    if (wr) log_warn("registry %s: the fetched JWKS could not be stored: %s", o->id, e2.detail);
    if (rc) return false;
    o->jwks = jx_arena(c->a, jw);
    return true;
}

int dci_jwks_refresh_due(ctx *c) {
    const char *p = getenv("OPENPES_DCI_JWKS_REFRESH_S");
    int64_t period = p ? atoll(p) : 3600;
    if (period < JWKS_REFETCH_S) period = JWKS_REFETCH_S;
    store_stmt *st = store_prepare(c->db, "SELECT id FROM dci_outbound WHERE jwks_url IS NOT NULL AND disabled_at IS NULL"
                                          " AND COALESCE(jwks_fetched_at, 0) <= ? ORDER BY id", &c->err);
    if (!st) return -1;
    store_bind_int(st, 1, clock_now_us() / 1000000 - period);
    const char *ids[64];
    int n = 0, r, done = 0;
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < 64) ids[n++] = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    if (r == STORE_ERROR) return -1;
    for (int i = 0; i < n; i++) {
        struct dci_ob o;
        if (dci_ob_load(c, ids[i], &o)) {
            op_clear(&c->err);
            continue;
        }
        done += ob_refresh_jwks(c, &o, true);
    }
    /* the partners that call us */
    st = store_prepare(c->db, "SELECT client_id FROM dci_partners WHERE jwks_url IS NOT NULL AND COALESCE(jwks_fetched_at, 0) <= ?"
                              " ORDER BY client_id", &c->err);
    if (!st) return -1;
    store_bind_int(st, 1, clock_now_us() / 1000000 - period);
    n = 0;
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < 64) ids[n++] = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    if (r == STORE_ERROR) return -1;
    for (int i = 0; i < n; i++) done += dci_partner_refresh_keys(c, ids[i], true);
    return done;
}

static bool have_kid(const struct dci_ob *o, const char *kid, unsigned char pub[32]) {
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(o->jwks, "keys"), i, k) {
        const char *id = json_string_value(json_object_get(k, "kid"));
        if (id && strcmp(id, kid) == 0 && b64_decode(json_string_value(json_object_get(k, "x")), pub, 32) == 32) return true;
    }
    return false;
}

/* Verify a signed envelope from the partner per its mode.  OP_OK or OP_BAD_REQUEST. */
op_code dci_ob_verify(ctx *c, struct dci_ob *o, const json_t *env, op_err *e) {
    if (strcmp(o->sig_mode, "off") == 0) return OP_OK;
    const char *sig = json_string_value(json_object_get(env, "signature"));
    if (!sig) {
        if (strcmp(o->sig_mode, "optional") == 0) return OP_OK;
        return op_fail(e, OP_BAD_REQUEST, "the partner must sign its answers", "the answer of \"%s\" is not signed", o->id);
    }
    struct dci_sig_parts sp;
    if (dci_sig_parse(sig, &sp, e)) return e->code = OP_BAD_REQUEST;
    if (strcmp(sp.sender_id, o->receiver_id) != 0)
        return op_fail(e, OP_BAD_REQUEST, NULL, "the answer is signed by \"%s\", not by \"%s\"", sp.sender_id, o->receiver_id);
    unsigned char pub[32];
    bool have = have_kid(o, sp.key_id, pub) || (ob_refresh_jwks(c, o, false) && have_kid(o, sp.key_id, pub));
    if (!have) return op_fail(e, OP_BAD_REQUEST, "update the partner's JWKS", "the answer is signed with unknown key \"%s\"", sp.key_id);
    if (dci_sig_verify(c->a, sig, json_object_get(env, "header"), json_object_get(env, "message"), pub, clock_now_us() / 1000000, e)) {
        const char *why = arena_strdup(c->a, e->detail);
        return op_fail(e, OP_BAD_REQUEST, "the answer was not accepted", "bad signature from \"%s\": %s", o->id, why);
    }
    return OP_OK;
}

static const char *result_aad(ctx *c, const char *tid) { return arena_printf(c->a, "dci_outbound_txns.result:%s", tid); }

op_code dci_ob_finish(ctx *c, const char *tid, const char *status, const json_t *facts, const char *error, const char *corr) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    op_err e = {0};
    /* The registry's facts about a person (income percentile, benefits) are stored sealed. */
    char *sealed = NULL;
    op_code rc = fieldcrypt_seal(c->a, facts ? jx_dump(c->a, facts) : NULL, result_aad(c, tid), &sealed, &e);
    if (!rc) rc = store_begin(c->db, &e);
    if (!rc)
        rc = store_exec(c->db, &e, NULL,
                        "UPDATE dci_outbound_txns SET status = ?, result = ?, error = ?, correlation_id = COALESCE(?, correlation_id),"
                        " updated_at = ? WHERE transaction_id = ?",
                        "ssssss", status, sealed, error, corr, ts, tid);
    if (!rc && strcmp(status, "pending") != 0) { /* an async search answered: its callers (the NESP check) complete */
        store_stmt *q = store_query(c->db, &e, "SELECT partner_id FROM dci_outbound_txns WHERE transaction_id = ? AND action = 'search'"
                                               " AND mode = 'async'", "s", tid);
        if (q) {
            json_t *ev = json_pack("{s:s, s:s, s:s}", "transaction_id", tid, "partner", store_col_text(q, 0), "status", status);
            store_reset(q);
            op_err keep = c->err;
            rc = event_emit(c, "partner.answered", arena_printf(c->a, "dci-out:%s", tid), ev);
            if (rc) e = c->err;
            c->err = keep;
            json_decref(ev);
        } else if (e.code) rc = e.code;
    }
    if (!rc) rc = store_commit(c->db, &e);
    else store_rollback(c->db);
    if (rc) log_error("could not record the outcome of DCI query %s: %s", tid, e.detail);
    return rc;
}

static const char *nz(const char *s, const char *d) { return s ? s : d; }

static bool listed(const json_t *a, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_is_string(v) && strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

/* Decide and audit the disclosure of the national id (the person's, when we know them), store the
 * pending transaction, and fetch our signing key - one short transaction. */
static op_code begin_query(ctx *c, const struct dci_ob *o, const struct dci_query *q, const char *nid, const char *purpose, const char *tid,
                           char kid[64], unsigned char priv[32]) {
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    char hash[65], person[ID_LEN] = "";
    fieldcrypt_lookup_hash(nid, hash);
    store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    if (st) {
        snprintf(person, sizeof person, "%s", store_col_text(st, 0));
        store_reset(st);
    } else if (c->err.code)
        goto fail;
    rc = dci_client_audit(c, purpose, PD_READ, PD_READ, "dci_disclosure", tid, *person ? person : NULL);
    if (rc) goto fail;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if ((rc = store_exec(c->db, &c->err, NULL,
                         "INSERT INTO dci_outbound_txns (transaction_id, partner_id, kind, mode, purpose, person_id, status, created_at,"
                         " updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                         "sssssssss", tid, o->id, o->kind, q->async ? "async" : "sync", purpose, *person ? person : NULL, "pending", ts,
                         ts)))
        goto fail;
    if ((rc = dci_own_key(c, kid, priv))) goto fail;
    return store_commit(c->db, &c->err);
fail:
    store_rollback(c->db);
    return rc ? rc : c->err.code ? c->err.code : OP_STORE;
}

op_code dci_client_query(ctx *c, const struct dci_query *q, json_t **out) {
    *out = NULL;
    if (!q->partner_id || !*q->partner_id) return bad(c, "partner", "partner is required");
    if (!q->national_id) return bad(c, "national_id", "national_id is required");
    char nid[NID_MAX];
    op_code rc = nid_normalise(NULL, q->national_id, nid, &c->err);
    if (rc) return rc;
    struct dci_ob o;
    if ((rc = dci_ob_load(c, q->partner_id, &o))) return rc;
    if (q->kind && strcmp(q->kind, o.kind) != 0)
        return op_fail_field(&c->err, OP_VALIDATION, "kind", NULL, "registry \"%s\" is a %s, not a %s", o.id, o.kind, q->kind);
    const char *purpose = q->purpose ? q->purpose : strcmp(o.kind, DCI_KIND_SR) == 0 ? "employment_service" : "benefit_administration";
    if (!listed(o.purposes, purpose))
        return op_fail_field(&c->err, OP_FORBIDDEN, "purpose", "add the purpose to the partner's configuration if an agreement covers it",
                             "registry \"%s\" is not configured for purpose \"%s\": the national id is not sent", o.id, purpose);
    if (q->async && !o.callback_url)
        return op_fail_field(&c->err, OP_VALIDATION, "async", "set --callback-url (our /registry/on-search) on the partner",
                             "async queries need the partner's callback URL");
    char tid[ID_LEN], mid[ID_LEN], ref[ID_LEN + 4], ts[CLOCK_TS_LEN], kid[64];
    unsigned char priv[32];
    id_uuid7(tid);
    snprintf(ref, sizeof ref, "ref-%s", tid);
    if ((rc = begin_query(c, &o, q, nid, purpose, tid, kid, priv))) return rc;
    const char *path = q->async ? "/registry/search" : strcmp(o.kind, DCI_KIND_IBR) == 0 ? "/registry/sync/enrolled" : "/registry/sync/search";
    size_t bl = strlen(o.base_url);
    const char *url = arena_printf(c->a, "%.*s%s", (int)(bl && o.base_url[bl - 1] == '/' ? bl - 1 : bl), o.base_url, path);
    const char *tok = NULL;
    json_t *ans = NULL;
    long st = 0;
    rc = dci_ob_token(c, &o, false, &tok);
    for (int attempt = 0; !rc && attempt < 2; attempt++) {
        id_uuid7(mid);
        clock_now_ts(ts);
        struct dci_client_req r = {o.kind, o.client_id, o.receiver_id, mid, ts, tid, ref, nid, purpose,
                                   q->async ? o.callback_url : NULL};
        json_t *env = jx_arena(c->a, dci_client_build(&r));
        int64_t now = clock_now_us() / 1000000;
        char *sig = dci_sig_create(c->a, json_object_get(env, "header"), json_object_get(env, "message"), o.client_id, kid, priv, now,
                                   now + 300);
        if (!sig) {
            rc = op_fail(&c->err, OP_INTERNAL, NULL, "could not sign the request");
            break;
        }
        json_object_set_new(env, "signature", json_string(sig));
        rc = dci_ob_post(c, &o, url, "application/json", tok, jx_dump(c->a, env), &st, &ans);
        if (!rc && st == 401 && attempt == 0) { /* the token was revoked or expired early: once more with a new one */
            rc = dci_ob_token(c, &o, true, &tok);
            continue;
        }
        break;
    }
    memset(priv, 0, sizeof priv);
    json_t *facts = NULL;
    const char *corr = NULL;
    const json_t *ack = json_object_get(json_object_get(ans, "message"), "ack_status") ? json_object_get(ans, "message") : NULL;
    if (!rc && st != 200) {
        const char *m = json_string_value(json_object_get(json_array_get(json_object_get(ans, "errors"), 0), "message"));
        rc = op_fail(&c->err, OP_UNAVAILABLE, NULL, "registry \"%s\" answered HTTP %ld%s%s", o.id, st, m ? ": " : "", m ? m : "");
    } else if (!rc && !ans) {
        rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "registry \"%s\" did not answer with JSON", o.id);
    } else if (!rc && ack && strcmp(nz(json_string_value(json_object_get(ack, "ack_status")), ""), "ACK") != 0) {
        const json_t *er = json_object_get(ack, "error");
        rc = op_fail(&c->err, OP_UNAVAILABLE, NULL, "registry \"%s\" refused the request: %s %s", o.id,
                     nz(json_string_value(json_object_get(er, "code")), "ERR"), nz(json_string_value(json_object_get(er, "message")), ""));
    } else if (!rc && q->async) {
        if (!ack) rc = op_fail(&c->err, OP_BAD_REQUEST, NULL, "registry \"%s\" did not acknowledge the async search", o.id);
        else corr = json_string_value(json_object_get(ack, "correlation_id"));
    } else if (!rc) {
        if (!(rc = dci_ob_verify(c, &o, ans, &c->err))) rc = dci_client_normalise(o.kind, json_object_get(ans, "message"), &facts, &c->err);
        jx_arena(c->a, facts);
    }
    if (rc) {
        dci_ob_finish(c, tid, "error", NULL, c->err.detail, NULL);
        return rc;
    }
    dci_ob_finish(c, tid, q->async ? "pending" : "answered", facts, NULL, corr);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "transaction_id", tid, "partner", o.id, "kind", o.kind, "mode",
                     q->async ? "async" : "sync", "purpose", purpose, "status", q->async ? "pending" : "answered");
    if (facts) json_object_set(*out, "facts", facts);
    if (corr) json_object_set_new(*out, "correlation_id", json_string(corr));
    return OP_OK;
}

op_code dci_client_txn_get(ctx *c, const char *tid, json_t **out) {
    store_stmt *q = store_query(c->db, &c->err,
                                "SELECT partner_id, kind, mode, purpose, status, correlation_id, result, error, action, about FROM dci_outbound_txns"
                                " WHERE transaction_id = ?",
                                "s", tid ? tid : "");
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "no outbound DCI transaction \"%s\"", tid ? tid : "");
    const char *corr = store_col_text(q, 5), *res = store_col_text(q, 6), *er = store_col_text(q, 7);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "transaction_id", tid, "partner", store_col_text(q, 0), "kind", store_col_text(q, 1),
                     "mode", store_col_text(q, 2), "purpose", store_col_text(q, 3), "status", store_col_text(q, 4));
    if (corr) json_object_set_new(*out, "correlation_id", json_string(corr));
    char *plain = NULL;
    op_err e = {0};
    if (res && fieldcrypt_unseal(c->a, res, result_aad(c, tid), &plain, &e))
        log_error("outbound DCI transaction %s: the stored facts could not be opened: %s", tid, e.detail);
    if (plain) json_object_set_new(*out, "facts", json_loads(plain, 0, NULL));
    if (er) json_object_set_new(*out, "error", json_string(er));
    json_object_set_new(*out, "action", json_string(store_col_text(q, 8)));
    if (store_col_text(q, 9)) json_object_set_new(*out, "about", json_string(store_col_text(q, 9)));
    store_reset(q);
    return OP_OK;
}

op_code dci_client_on_search(ctx *c, const json_t *body, const char **dci_code) {
    static const char *const actions[] = {"on-search", NULL};
    struct dci_env env;
    op_code rc = dci_envelope_parse(body, actions, NULL, true, &env, dci_code, &c->err);
    if (rc) return rc;
    *dci_code = "err.request.bad";
    const char *tid = json_string_value(json_object_get(env.message, "transaction_id"));
    const char *corr = json_string_value(json_object_get(env.message, "correlation_id"));
    store_stmt *q = store_query(c->db, &c->err,
                                "SELECT partner_id, status, correlation_id FROM dci_outbound_txns WHERE transaction_id = ? AND action = 'search'",
                                "s", tid ? tid : "");
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_BAD_REQUEST, NULL, "no outbound search with this transaction_id");
    const char *pid = arena_strdup(c->a, store_col_text(q, 0)), *status = arena_strdup(c->a, store_col_text(q, 1));
    const char *want = arena_strdup(c->a, store_col_text(q, 2));
    store_reset(q);
    struct dci_ob o;
    if ((rc = dci_ob_load(c, pid, &o))) return rc;
    if (strcmp(env.sender_id, o.receiver_id) != 0) {
        *dci_code = "err.sender_id.invalid";
        return op_fail(&c->err, OP_FORBIDDEN, NULL, "this transaction was sent to another registry");
    }
    if ((rc = dci_ob_verify(c, &o, body, &c->err))) {
        *dci_code = json_object_get(body, "signature") ? "err.signature.invalid" : "err.signature.missing";
        return rc;
    }
    if (want && corr && strcmp(want, corr) != 0) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "correlation_id does not match the ACK");
    if (strcmp(status, "pending") != 0) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "the transaction was already answered");
    if ((rc = dci_replay_check(c, env.sender_id, env.message_id))) {
        if (rc == OP_DUPLICATE) op_fail(&c->err, OP_BAD_REQUEST, NULL, "duplicate message_id (replay)");
        return c->err.code;
    }
    json_t *facts = NULL;
    op_err ne = {0};
    op_code nr = dci_client_normalise(o.kind, env.message, &facts, &ne);
    rc = dci_ob_finish(c, tid, nr ? "error" : "answered", facts, nr ? ne.detail : NULL, corr);
    json_decref(facts);
    if (rc) return op_fail(&c->err, OP_STORE, NULL, "could not store the answer");
    return OP_OK;
}

static op_code run_kind(ctx *c, const char *kind, const char *partner_id, const char *nid, json_t **facts) {
    struct dci_query q = {partner_id, nid, kind, NULL, false};
    json_t *r;
    op_code rc = dci_client_query(c, &q, &r);
    if (rc) return rc;
    *facts = json_incref(json_object_get(r, "facts"));
    json_decref(r);
    return OP_OK;
}

op_code dci_client_nesp_facts(ctx *c, const char *partner_id, const char *national_id, json_t **facts) {
    json_t *f;
    op_code rc = run_kind(c, DCI_KIND_SR, partner_id, national_id, &f);
    if (rc) return rc;
    *facts = json_object();
    json_t *v;
    if ((v = json_object_get(f, "household_income_pct"))) json_object_set(*facts, "household_income_pct", v);
    if ((v = json_object_get(f, "basic_livelihood_status"))) json_object_set(*facts, "basic_livelihood_status", v);
    json_decref(f);
    return OP_OK;
}

op_code dci_client_ibr_enrolled(ctx *c, const char *partner_id, const char *national_id, bool *enrolled, json_t **facts) {
    op_code rc = run_kind(c, DCI_KIND_IBR, partner_id, national_id, facts);
    if (!rc) *enrolled = json_is_true(json_object_get(*facts, "enrolled"));
    return rc;
}
