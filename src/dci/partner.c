/* partner.c - see partner.h. */
#include "dci/partner.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/client.h"
#include "dci/query.h"

const char *const dci_member_fields[] = {
    "member_identifier", "demographic_info", "demographic_info.name", "demographic_info.sex",
    "demographic_info.birth_date", "employment_status", "occupation", "education_level",
    "unemployment_reason", "employment_info", "registration_date", "last_updated",
    "additional_attributes", "additional_attributes.benefit_status", "additional_attributes.nesp_track",
    "additional_attributes.region", "additional_attributes.occupation_title", NULL};

static op_code bad(ctx *c, const char *field, const char *msg) {
    return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "%s", msg);
}

static bool code_ok(const char *s, size_t max) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == n;
}

static op_code add_keys(ctx *c, const char *client_id, const json_t *jwks, const char *ts) {
    const json_t *keys = json_object_get(jwks, "keys");
    if (!json_is_array(keys) || json_array_size(keys) > 20) return bad(c, "jwks", "jwks must be {\"keys\":[...]} with at most 20 keys");
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        const char *kty = json_string_value(json_object_get(k, "kty")), *crv = json_string_value(json_object_get(k, "crv"));
        const char *kid = json_string_value(json_object_get(k, "kid")), *x = json_string_value(json_object_get(k, "x"));
        unsigned char pub[32];
        if (!kty || strcmp(kty, "OKP") != 0 || !crv || strcmp(crv, "Ed25519") != 0)
            return bad(c, "jwks", "only OKP/Ed25519 keys are supported");
        if (!code_ok(kid, 99)) return bad(c, "jwks", "every key needs a kid of 1-99 characters");
        if (!x || b64_decode(x, pub, 32) != 32) return bad(c, "jwks", "x must be a base64url Ed25519 public key (32 bytes)");
        op_code rc = store_exec(c->db, &c->err, NULL, "DELETE FROM dci_partner_keys WHERE client_id = ? AND kid = ?", "ss",
                                client_id, kid);
        if (!rc)
            rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO dci_partner_keys (client_id, kid, public_key, created_at) VALUES (?,?,?,?)", "ssss",
                            client_id, kid, x, ts);
        if (rc) return rc;
    }
    return OP_OK;
}

op_code dci_partner_put(ctx *c, const struct dci_partner_new *p) {
    static const char *const modes[] = {"required", "optional", "off", NULL};
    const char *mode = p->sig_mode ? p->sig_mode : "required";
    if (!jx_in(mode, modes)) return bad(c, "sig_mode", "sig_mode must be required, optional or off");
    if (!p->client_id || !*p->client_id) return bad(c, "client_id", "client_id is required");
    if (p->notify_uri && strncmp(p->notify_uri, "http://", 7) != 0 && strncmp(p->notify_uri, "https://", 8) != 0)
        return bad(c, "notify_uri", "notify_uri must be an http(s) URL");
    store_stmt *q = store_query(c->db, &c->err, "SELECT name FROM clients WHERE id = ?", "s", p->client_id);
    if (!q) {
        if (c->err.code) return c->err.code;
        return op_fail_field(&c->err, OP_NOT_FOUND, "client_id", "create it first with openpes client add",
                             "OAuth2 client \"%s\" does not exist", p->client_id);
    }
    const char *name = p->name ? p->name : arena_strdup(c->a, store_col_text(q, 0));
    store_reset(q);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n, "UPDATE dci_partners SET name = ?, sig_mode = ?, notify_uri = ?, updated_at = ? WHERE client_id = ?",
                            "sssss", name, mode, p->notify_uri, ts, p->client_id);
    if (!rc && n == 0)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO dci_partners (client_id, name, sig_mode, notify_uri, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                        "ssssss", p->client_id, name, mode, p->notify_uri, ts, ts);
    if (!rc && p->jwks_url) { /* the fetched keys are the partner's keys */
        if (strncmp(p->jwks_url, "http://", 7) != 0 && strncmp(p->jwks_url, "https://", 8) != 0)
            return bad(c, "jwks_url", "jwks_url must be an http(s) URL");
        rc = store_exec(c->db, &c->err, NULL, "DELETE FROM dci_partner_keys WHERE client_id = ?", "s", p->client_id);
        if (!rc)
            rc = store_exec(c->db, &c->err, NULL, "UPDATE dci_partners SET jwks_url = ?, jwks_fetched_at = ? WHERE client_id = ?", "sis",
                            p->jwks_url, clock_now_us() / 1000000, p->client_id);
    } else if (!rc && p->jwks) {
        rc = store_exec(c->db, &c->err, NULL, "UPDATE dci_partners SET jwks_url = NULL, jwks_fetched_at = NULL WHERE client_id = ?", "s",
                        p->client_id);
    }
    if (!rc && p->jwks) rc = add_keys(c, p->client_id, p->jwks, ts);
    return rc;
}

bool dci_partner_refresh_keys(ctx *c, const char *client_id, bool force) {
    if (store_in_tx(c->db)) return false;
    store_stmt *q = store_query(c->db, &c->err, "SELECT jwks_url, jwks_fetched_at FROM dci_partners WHERE client_id = ? AND jwks_url IS NOT NULL",
                                "s", client_id);
    if (!q) {
        op_clear(&c->err);
        return false;
    }
    const char *url = arena_strdup(c->a, store_col_text(q, 0));
    int64_t last = store_col_int(q, 1), now = clock_now_us() / 1000000;
    store_reset(q);
    if (!force && now - last < 60) return false;
    json_t *jw = NULL;
    op_err e = {0};
    op_code rc = dci_jwks_fetch(c, url, 5, &jw, &e);
    if (rc) log_warn("partner %s: %s", client_id, e.detail);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    op_err saved = c->err;
    op_clear(&c->err);
    op_code wr = store_begin(c->db, &c->err);
    if (!wr) wr = store_exec(c->db, &c->err, NULL, "UPDATE dci_partners SET jwks_fetched_at = ? WHERE client_id = ?", "is", now, client_id);
    if (!wr && jw) wr = store_exec(c->db, &c->err, NULL, "DELETE FROM dci_partner_keys WHERE client_id = ?", "s", client_id);
    if (!wr && jw) wr = add_keys(c, client_id, jw, ts);
    if (!wr) wr = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    if (wr) log_warn("partner %s: the fetched JWKS could not be stored: %s", client_id, c->err.detail);
    c->err = saved;
    json_decref(jw);
    return !rc && !wr;
}

static op_code str_list(ctx *c, const json_t *a, const char *field, bool (*ok)(const char *), size_t min) {
    if (!json_is_array(a) || json_array_size(a) < min || json_array_size(a) > 40)
        return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "%s must be a list of %zu-40 strings", field, min);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        const char *s = json_string_value(v);
        if (!s || !ok(s)) return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "\"%s\" is not allowed in %s", s ? s : "?", field);
    }
    return OP_OK;
}
static bool purpose_ok(const char *s) { return code_ok(s, 64); }
static bool field_ok(const char *s) { return jx_in(s, dci_member_fields); }
static bool attr_ok(const char *s) {
    return strcmp(s, "UIN") == 0 || strcmp(s, "OPENPES") == 0 || dq_attr_find(s) >= 0;
}

op_code dci_agreement_add(ctx *c, const struct dci_agreement_new *n, char id[ID_LEN]) {
    int64_t d1, d2;
    op_code rc;
    if (!n->valid_from || !date_parse(n->valid_from, &d1)) return bad(c, "valid_from", "valid_from must be a date YYYY-MM-DD");
    if (n->valid_to && (!date_parse(n->valid_to, &d2) || d2 < d1)) return bad(c, "valid_to", "valid_to must be a date on or after valid_from");
    if (!n->legal_basis || !*n->legal_basis || strlen(n->legal_basis) > 300) return bad(c, "legal_basis", "legal_basis is required (at most 300 characters)");
    if ((rc = str_list(c, n->purposes, "purposes", purpose_ok, 1)) || (rc = str_list(c, n->fields, "fields", field_ok, 0)) ||
        (rc = str_list(c, n->attributes, "attributes", attr_ok, 0)))
        return rc;
    struct dci_partner p;
    if ((rc = dci_partner_get(c, n->client_id, &p))) return rc;
    id_uuid7(id);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO dci_agreements (id, client_id, purposes, fields, attributes, legal_basis, valid_from, valid_to, created_at)"
                      " VALUES (?,?,?,?,?,?,?,?,?)",
                      "sssssssss", id, n->client_id, jx_dump(c->a, n->purposes), jx_dump(c->a, n->fields),
                      jx_dump(c->a, n->attributes), n->legal_basis, n->valid_from, n->valid_to, ts);
}

static json_t *parse_list(const char *s) {
    json_t *v = s ? json_loads(s, 0, NULL) : NULL;
    return json_is_array(v) ? v : (json_decref(v), json_array());
}

op_code dci_partner_list(ctx *c, json_t **out) {
    json_t *items = json_array();
    store_stmt *st = store_prepare(c->db, "SELECT client_id, name, sig_mode, notify_uri, created_at, jwks_url FROM dci_partners ORDER BY client_id", &c->err);
    if (!st) goto fail;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:[], s:[]}", "client_id", store_col_text(st, 0), "name", store_col_text(st, 1),
                              "sig_mode", store_col_text(st, 2), "notify_uri",
                              store_col_text(st, 3) ? json_string(store_col_text(st, 3)) : json_null(), "created_at",
                              store_col_text(st, 4), "keys", "agreements");
        if (!store_col_null(st, 5)) json_object_set_new(o, "jwks_url", json_string(store_col_text(st, 5)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) goto fail;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        const char *id = json_string_value(json_object_get(o, "client_id"));
        store_stmt *k = store_prepare(c->db, "SELECT kid FROM dci_partner_keys WHERE client_id = ? ORDER BY kid", &c->err);
        if (!k) goto fail;
        store_bind_text(k, 1, id);
        while ((r = store_step(k, &c->err)) == STORE_ROW) json_array_append_new(json_object_get(o, "keys"), json_string(store_col_text(k, 0)));
        store_reset(k);
        if (r == STORE_ERROR) goto fail;
        store_stmt *g = store_prepare(c->db,
                                      "SELECT id, purposes, fields, attributes, legal_basis, valid_from, valid_to, created_at"
                                      " FROM dci_agreements WHERE client_id = ? ORDER BY created_at, id",
                                      &c->err);
        if (!g) goto fail;
        store_bind_text(g, 1, id);
        while ((r = store_step(g, &c->err)) == STORE_ROW)
            json_array_append_new(json_object_get(o, "agreements"),
                                  json_pack("{s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:s}", "id", store_col_text(g, 0), "purposes",
                                            parse_list(store_col_text(g, 1)), "fields", parse_list(store_col_text(g, 2)),
                                            "attributes", parse_list(store_col_text(g, 3)), "legal_basis", store_col_text(g, 4),
                                            "valid_from", store_col_text(g, 5), "valid_to",
                                            store_col_text(g, 6) ? json_string(store_col_text(g, 6)) : json_null(),
                                            "created_at", store_col_text(g, 7)));
        store_reset(g);
        if (r == STORE_ERROR) goto fail;
    }
    *out = json_pack("{s:o, s:i}", "items", items, "count", (json_int_t)json_array_size(items));
    return OP_OK;
fail:
    json_decref(items);
    return c->err.code ? c->err.code : OP_STORE;
}

op_code dci_partner_get(ctx *c, const char *client_id, struct dci_partner *p) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT name, sig_mode FROM dci_partners WHERE client_id = ?", "s", client_id);
    if (!q)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_NOT_FOUND, "client_id", "register it with openpes partner add",
                                           "\"%s\" is not a registered DCI partner", client_id);
    snprintf(p->client_id, sizeof p->client_id, "%s", client_id);
    snprintf(p->name, sizeof p->name, "%s", store_col_text(q, 0));
    snprintf(p->sig_mode, sizeof p->sig_mode, "%s", store_col_text(q, 1));
    store_reset(q);
    return OP_OK;
}

op_code dci_partner_key(ctx *c, const char *client_id, const char *kid, unsigned char pub[32]) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT public_key FROM dci_partner_keys WHERE client_id = ? AND kid = ?", "ss",
                                client_id, kid);
    if (!q && !c->err.code && dci_partner_refresh_keys(c, client_id, false)) /* an unknown kid: their JWKS again */
        q = store_query(c->db, &c->err, "SELECT public_key FROM dci_partner_keys WHERE client_id = ? AND kid = ?", "ss", client_id, kid);
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "no key \"%s\" registered", kid);
    long n = b64_decode(store_col_text(q, 0), pub, 32);
    store_reset(q);
    return n == 32 ? OP_OK : op_fail(&c->err, OP_NOT_FOUND, NULL, "key \"%s\" is unusable", kid);
}

static bool list_has(const json_t *a, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_is_string(v) && strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

op_code dci_agreement_find(ctx *c, const char *client_id, const char *purpose, struct dci_agreement *ag,
                           enum dci_agreement_result *res) {
    memset(ag, 0, sizeof *ag);
    *res = DCI_AG_NONE;
    char today[11];
    date_format(date_today(), today);
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, purposes, fields, attributes, legal_basis, valid_from, valid_to"
                                   " FROM dci_agreements WHERE client_id = ? ORDER BY created_at DESC, id DESC",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, client_id);
    int r;
    bool any_purpose = false;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *purposes = jx_arena(c->a, parse_list(store_col_text(st, 1)));
        const char *from = store_col_text(st, 5), *to = store_col_text(st, 6);
        bool covers = purpose ? list_has(purposes, purpose) : json_array_size(purposes) > 0;
        if (!covers) continue;
        any_purpose = true;
        if (strcmp(today, from) < 0 || (to && strcmp(today, to) > 0)) continue;
        snprintf(ag->id, sizeof ag->id, "%s", store_col_text(st, 0));
        ag->purpose = purpose ? purpose : arena_strdup(c->a, json_string_value(json_array_get(purposes, 0)));
        ag->legal_basis = arena_strdup(c->a, store_col_text(st, 4));
        ag->fields = jx_arena(c->a, parse_list(store_col_text(st, 2)));
        ag->attributes = jx_arena(c->a, parse_list(store_col_text(st, 3)));
        *res = DCI_AG_OK;
        break;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    if (*res != DCI_AG_OK) *res = any_purpose ? DCI_AG_EXPIRED : (purpose ? DCI_AG_PURPOSE : DCI_AG_NONE);
    return OP_OK;
}

bool dci_agreement_allows_field(const struct dci_agreement *ag, const char *path) {
    /* allowed when the path or one of its parents is listed */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (;;) {
        if (list_has(ag->fields, buf)) return true;
        char *dot = strrchr(buf, '.');
        if (!dot) return false;
        *dot = 0;
    }
}

bool dci_agreement_allows_attr(const struct dci_agreement *ag, const char *attr) { return list_has(ag->attributes, attr); }

