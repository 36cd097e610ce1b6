/* registry.c - see registry.h. */
#include "dci/registry.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "dci/dci_sig.h"

static bool scope_has(const char *scopes, const char *want) {
    size_t n = strlen(want);
    for (const char *p = scopes; (p = strstr(p, want)); p += n)
        if ((p == scopes || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return true;
    return false;
}

op_code dci_reply_err(struct dci_call *k, const char *code, const char *msg) {
    return http_json(k->rs, 200, dci_ack("ERR", k->c->correlation_id, code, msg));
}

op_code dci_reply_http(struct dci_call *k, int status, const char *code, const char *msg) {
    return http_json(k->rs, status, dci_http_error(k->c->correlation_id, code, msg));
}

op_code dci_reply_err_hint(struct dci_call *k, int status, const char *code, const char *msg, const char *detail, const char *hint) {
    json_t *env = status == 200 ? dci_ack("ERR", k->c->correlation_id, code, msg) : dci_http_error(k->c->correlation_id, code, msg);
    json_t *errs[2] = {json_object_get(json_object_get(env, "message"), "error"), json_array_get(json_object_get(env, "errors"), 0)};
    for (int i = 0; i < 2; i++) {
        if (!errs[i]) continue;
        json_object_set_new(errs[i], "detail", json_string(detail ? detail : msg));
        json_object_set_new(errs[i], "hint", json_string(hint ? hint : ""));
    }
    return http_json(k->rs, status, env);
}

static bool fail_err(struct dci_call *k, const char *code, const char *msg) {
    dci_reply_err(k, code, msg);
    return false;
}

/* page_size / page_number >= 1 wherever they appear (envelope-level, contract). */
static const char *paging_bad(const json_t *msg) {
    static const char *const lists[] = {"search_request", "subscribe_request", NULL};
    for (const char *const *l = lists; *l; l++) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(msg, *l), i, it) {
            const json_t *pgs[2] = {json_object_get(json_object_get(it, "search_criteria"), "pagination"),
                                    json_object_get(it, "pagination")};
            for (int j = 0; j < 2; j++) {
                const json_t *ps = json_object_get(pgs[j], "page_size"), *pn = json_object_get(pgs[j], "page_number");
                if (json_is_number(ps) && json_number_value(ps) < 1) return "page_size must be at least 1";
                if (json_is_number(pn) && json_number_value(pn) < 1) return "page_number must be at least 1";
            }
            const char *loc = json_string_value(json_object_get(it, "locale"));
            const json_t *lv = json_object_get(it, "locale");
            if (lv && !json_is_null(lv) &&
                (!loc || strlen(loc) != 3 || strspn(loc, "abcdefghijklmnopqrstuvwxyz") != 3))
                return "locale must be three lower-case letters (ISO 639-3)";
            const json_t *rid = json_object_get(it, "reference_id");
            if (rid && !dci_id_ok(json_string_value(rid))) return "reference_id must be 1-99 characters";
        }
    }
    const json_t *tid = json_object_get(msg, "transaction_id");
    if (tid && !dci_id_ok(json_string_value(tid))) return "transaction_id must be 1-99 characters";
    return NULL;
}

bool dci_auth(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *path_action) {
    memset(k, 0, sizeof *k);
    k->c = rq->c;
    k->rq = rq;
    k->rs = rs;
    k->path_action = path_action;
    ctx *c = k->c;
    /* bearer token (the route is public so that we answer in the DCI shape) */
    if (c->who.type != ACTOR_PARTNER) {
        const char *msg = "a bearer token from POST /oauth2/client/token is required";
        if (c->who.type != ACTOR_NONE) {
            msg = "only partner client tokens may call the registry";
        } else if (http_header(rq, "Authorization")) {
            http_req r2 = *rq;
            r2.route = NULL;
            actor tmp;
            op_err e = {0};
            op_code rc = auth_authenticate(&r2, &tmp, &e);
            msg = rc == OP_TOKEN_EXPIRED ? "the access token has expired" : "the access token is not valid";
        }
        dci_reply_http(k, 401, "err.request.unauthorized", msg);
        return false;
    }
    if (!scope_has(c->who.scopes, scope)) {
        dci_reply_http(k, 403, "err.request.forbidden", arena_printf(c->a, "the token lacks scope \"%s\"", scope));
        return false;
    }
    return true;
}

bool dci_begin(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *const *actions,
               const char *path_action) {
    if (!dci_auth(k, rq, rs, scope, path_action)) return false;
    ctx *c = k->c;
    const char *ct = http_header(rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) return fail_err(k, "err.request.bad", "send Content-Type: application/json");
    if (rq->raw_len > DCI_JSON_MAX) {
        dci_reply_http(k, 413, "err.request.bad", "the body exceeds 1 MiB: send large batches as a multipart file (docs/DCI.md)");
        return false;
    }
    json_t *body = NULL;
    op_err pe = {0};
    if (jx_parse(c->a, rq->raw, rq->raw_len, &body, &pe)) return fail_err(k, "err.request.bad", "the body is not a JSON object");
    return dci_begin_env(k, body, actions, NULL);
}

bool dci_begin_env(struct dci_call *k, const json_t *body, const char *const *actions, const json_t *signed_message) {
    ctx *c = k->c;
    const char *code = NULL;
    op_err e = {0};
    if (dci_envelope_parse(body, actions, c->who.id, true, &k->env, &code, &e)) return fail_err(k, code, e.detail);
    /* partner and signature */
    if (dci_partner_get(c, c->who.id, &k->partner)) {
        op_clear(&c->err);
        dci_reply_http(k, 403, "err.request.forbidden", "this client is not registered as a DCI partner");
        return false;
    }
    const char *mode = k->partner.sig_mode;
    if (strcmp(mode, "off") != 0) {
        if (!k->env.signature) {
            if (strcmp(mode, "required") == 0) return fail_err(k, "err.signature.missing", "this partner must sign its messages");
        } else {
            struct dci_sig_parts sp;
            unsigned char pub[32];
            if (dci_sig_parse(k->env.signature, &sp, &e)) return fail_err(k, "err.signature.invalid", e.detail);
            if (strcmp(sp.sender_id, k->env.sender_id) != 0)
                return fail_err(k, "err.signature.invalid", "the signature's keyId names another sender");
            if (dci_partner_key(c, c->who.id, sp.key_id, pub)) {
                op_clear(&c->err);
                return fail_err(k, "err.signature.invalid", "the signing key is not registered for this partner");
            }
            if (dci_sig_verify(c->a, k->env.signature, k->env.header, signed_message ? signed_message : k->env.message, pub,
                               clock_now_us() / 1000000, &e))
                return fail_err(k, "err.signature.invalid", e.detail);
        }
    }
    /* item-independent limits that are envelope-level, then replay */
    const char *pb = paging_bad(k->env.message);
    if (pb) return fail_err(k, "err.request.bad", pb);
    op_code rc = dci_replay_check(c, k->env.sender_id, k->env.message_id);
    if (rc == OP_DUPLICATE) {
        const char *m = arena_printf(c->a, "duplicate message_id \"%s\" (replay)", k->env.message_id);
        op_clear(&c->err);
        return fail_err(k, "err.request.bad", m);
    }
    if (rc) {
        op_clear(&c->err);
        dci_reply_http(k, 503, "err.service.unavailable", "the registry is temporarily unavailable");
        return false;
    }
    return true;
}

json_t *dci_signed_envelope(ctx *c, const char *action, const char *status, int64_t total, int64_t completed,
                            const char *receiver, json_t *message) {
    char ts[CLOCK_TS_LEN], mid[ID_LEN];
    clock_now_ts(ts);
    id_uuid7(mid);
    json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "version", "1.0.0", "message_id", mid, "message_ts", ts,
                          "action", action, "status", status, "total_count", (json_int_t)total, "completed_count",
                          (json_int_t)completed, "sender_id", DCI_OUR_ID, "receiver_id", receiver);
    char kid[64];
    unsigned char priv[32];
    json_t *out = json_pack("{s:o, s:o}", "header", h, "message", message);
    if (dci_own_key(c, kid, priv) != OP_OK) {
        json_decref(out);
        return NULL;
    }
    int64_t now = clock_now_us() / 1000000;
    char *sig = dci_sig_create(c->a, h, message, DCI_OUR_ID, kid, priv, now, now + 300);
    memset(priv, 0, sizeof priv);
    if (sig) json_object_set_new(out, "signature", json_string(sig));
    return out;
}

op_code dci_reply_signed(struct dci_call *k, const char *action, const char *status, int64_t total, int64_t completed,
                         json_t *message) {
    json_t *out = dci_signed_envelope(k->c, action, status, total, completed, k->env.sender_id, message);
    if (!out) return k->c->err.code ? k->c->err.code : OP_INTERNAL;
    return http_json(k->rs, 200, out);
}
