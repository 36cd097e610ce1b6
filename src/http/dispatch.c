/* dispatch.c - what happens to every request, in order:
 *   correlation id -> route -> bounds -> authentication -> route flags (caller kind, staff role,
 *   scope, CSRF) -> body parsing -> idempotency replay -> write transaction -> handler ->
 *   commit (with the idempotency record) -> audit hand-off -> JSON response -> log + metrics.
 * Handlers therefore only validate their input, call the domain and render. */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "auth/authcache.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "http/http_int.h"
#include "http/server.h"

static bool valid_corr(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.:", s[i])) return false;
    return true;
}

struct qcount {
    size_t bytes, n;
};
static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v) {
    (void)kind;
    struct qcount *q = cls;
    q->n++;
    q->bytes += strlen(k) + (v ? strlen(v) : 0) + 2;
    return MHD_YES;
}

static bool scope_has(const char *scopes, const char *want) {
    size_t n = strlen(want);
    for (const char *p = scopes; (p = strstr(p, want)); p += n)
        if ((p == scopes || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return true;
    return false;
}

static op_code check_caller(struct conn_state *st) {
    const struct route *r = st->route;
    actor *w = &st->c.who;
    if (r->flags & R_PUBLIC) return OP_OK;
    if (w->type == ACTOR_NONE)
        return op_fail(&st->c.err, OP_UNAUTHENTICATED, "log in at POST /api/v1/auth/login and send the token",
                       "this endpoint requires authentication");
    bool ok = (w->type == ACTOR_CITIZEN && (r->flags & R_CITIZEN)) ||
              (w->type == ACTOR_EMPLOYER && (r->flags & R_EMPLOYER)) ||
              (w->type == ACTOR_STAFF && (r->flags & R_STAFF) && (!r->roles || (r->roles & w->role))) ||
              (w->type == ACTOR_PARTNER && (r->flags & R_PARTNER));
    if (!ok)
        return op_fail(&st->c.err, OP_FORBIDDEN, NULL, "a %s%s%s may not call %s %s",
                       actor_type_name(w->type), w->role ? " with role " : "",
                       w->role ? role_name(w->role) : "", r->method, r->pattern);
    if (w->type == ACTOR_PARTNER && r->scope && !scope_has(w->scopes, r->scope))
        return op_fail(&st->c.err, OP_INSUFFICIENT_SCOPE, "request a token with this scope",
                       "scope \"%s\" is required", r->scope);
    if ((r->flags & R_WRITE) && w->via_cookie) {
        const char *tok = http_header(&st->rq, "X-CSRF-Token");
        if (!tok || !w->csrf[0] || strcmp(tok, w->csrf) != 0)
            return op_fail(&st->c.err, OP_CSRF, "send the csrf_token from the login response in X-CSRF-Token",
                           "cookie-authenticated writes need a matching X-CSRF-Token header");
    }
    return OP_OK;
}

static op_code parse_body(struct conn_state *st) {
    const struct route *r = st->route;
    if (st->too_large)
        return op_fail(&st->c.err, OP_TOO_LARGE, "send a smaller body",
                       "the body exceeds the limit of %zu bytes for this endpoint", st->max);
    st->rq.raw = st->body ? st->body : "";
    st->rq.raw_len = st->len;
    if (r->flags & R_BODY_JSON) {
        const char *ct = http_header(&st->rq, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16) != 0)
            return op_fail(&st->c.err, OP_BAD_MEDIA_TYPE, "send Content-Type: application/json",
                           "expected a JSON body, got \"%s\"", ct ? ct : "no content type");
        return jx_parse(st->a, st->body, st->len, &st->rq.body, &st->c.err);
    }
    if (r->flags & R_BODY_FORM) {
        const char *ct = http_header(&st->rq, "Content-Type");
        if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
            return op_fail(&st->c.err, OP_BAD_MEDIA_TYPE,
                           "send Content-Type: application/x-www-form-urlencoded",
                           "expected a form body, got \"%s\"", ct ? ct : "no content type");
    }
    return OP_OK;
}

/* ---- idempotency ---- */

static void body_hash(struct conn_state *st, const char *method, const char *url, char out[65]) {
    unsigned char d[32];
    unsigned int dl;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m, EVP_sha256(), NULL);
    EVP_DigestUpdate(m, method, strlen(method));
    EVP_DigestUpdate(m, " ", 1);
    EVP_DigestUpdate(m, url, strlen(url));
    EVP_DigestUpdate(m, "\n", 1);
    if (st->len) EVP_DigestUpdate(m, st->body, st->len);
    EVP_DigestFinal_ex(m, d, &dl);
    EVP_MD_CTX_free(m);
    hex_encode(d, 32, out);
}

/* Returns 1 when a stored response was replayed into st->rs, 0 to proceed, <0 on error. */
static int idem_replay(struct conn_state *st, const char *key, const char *hash) {
    store_stmt *q = store_query(st->c.db, &st->c.err,
                                "SELECT request_hash, status, response FROM idempotency_keys"
                                " WHERE actor_id = ? AND idem_key = ?",
                                "ss", st->c.who.id, key);
    if (!q) return st->c.err.code ? -1 : 0;
    int rv;
    if (strcmp(store_col_text(q, 0), hash) != 0) {
        op_fail(&st->c.err, OP_IDEMPOTENCY_REUSED, "use a new Idempotency-Key for a different request",
                "Idempotency-Key \"%s\" was already used with another request body", key);
        rv = -1;
    } else {
        st->rs.status = (int)store_col_int(q, 1);
        st->rs.body = arena_strdup(st->a, store_col_text(q, 2));
        st->rs.body_len = strlen(st->rs.body);
        st->rs.content_type = "application/json";
        http_add_header(&st->rs, "Idempotent-Replayed", "true");
        rv = 1;
    }
    store_reset(q);
    return rv;
}

void dispatch_request(struct conn_state *st, const char *method, const char *url) {
    ctx *c = &st->c;
    http_req *rq = &st->rq;
    c->a = st->a;
    rq->c = c;
    rq->conn = st;
    rq->method = method;
    rq->path = url;
    rq->route = st->route;
    memcpy(rq->params, st->params, sizeof rq->params);
    st->rs.status = 200;

    const char *corr = http_header(rq, "X-Correlation-ID");
    if (valid_corr(corr)) {
        snprintf(c->correlation_id, sizeof c->correlation_id, "%s", corr);
    } else {
        char id[ID_LEN];
        id_uuid7(id);
        snprintf(c->correlation_id, sizeof c->correlation_id, "%s", id);
    }
    if (!st->route) {
        st->rc = st->method_mismatch
                     ? op_fail(&c->err, OP_METHOD_NOT_ALLOWED, "see /api/v1/openapi.json", "%s is not allowed on %s", method, url)
                     : op_fail(&c->err, OP_ROUTE_NOT_FOUND, "see /api/v1/openapi.json", "no endpoint at %s", url);
        return;
    }
    struct qcount qc = {0, 0};
    MHD_get_connection_values(st->mc, MHD_GET_ARGUMENT_KIND, count_arg, &qc);
    if (qc.bytes > HTTP_MAX_QUERY_BYTES || qc.n > HTTP_MAX_QUERY_ARGS) {
        st->rc = op_fail(&c->err, OP_URI_TOO_LONG, "use fewer or shorter query parameters",
                         "the query string exceeds %d bytes or %d parameters", HTTP_MAX_QUERY_BYTES,
                         HTTP_MAX_QUERY_ARGS);
        return;
    }
    c->db = store_thread(&c->err);
    if (!c->db) {
        st->rc = OP_UNAVAILABLE;
        c->err.code = OP_UNAVAILABLE;
        return;
    }
    if ((st->rc = auth_authenticate(rq, &c->who, &c->err))) return;
    if ((st->rc = check_caller(st))) return;
    if ((st->rc = parse_body(st))) return;
    const char *purpose = http_header(rq, "X-Purpose");
    if (!purpose) purpose = http_query(rq, "purpose");
    c->purpose = purpose;

    const struct route *r = st->route;
    const char *idem = (r->flags & R_IDEMPOTENT) ? http_header(rq, "Idempotency-Key") : NULL;
    char hash[65] = "";
    if (idem) {
        if (strlen(idem) == 0 || strlen(idem) > 128) {
            st->rc = op_fail(&c->err, OP_BAD_REQUEST, "use 1-128 characters", "Idempotency-Key is too long or empty");
            return;
        }
        body_hash(st, method, url, hash);
        int rp = idem_replay(st, idem, hash);
        if (rp != 0) {
            st->rc = rp > 0 ? OP_OK : c->err.code;
            return;
        }
    }
    bool dispatcher_tx = (r->flags & R_WRITE) && !(r->flags & R_OWN_TX);
    store_defer_sync(c->db, true); /* the audit committer makes the writes durable (below) */
    if (dispatcher_tx) {
        if ((st->rc = store_begin(c->db, &c->err))) return;
    }
    st->rc = r->fn(rq, &st->rs);
    if (st->rc && c->err.code == OP_OK) c->err.code = st->rc;
    if (!dispatcher_tx && store_in_tx(c->db)) store_rollback(c->db); /* a handler left one open */
    if (dispatcher_tx) {
        if (st->rc) {
            store_rollback(c->db);
        } else {
            if (idem) {
                const char *resp = st->rs.json ? jx_dump(st->a, st->rs.json) : (st->rs.body ? st->rs.body : "{}");
                char ts[CLOCK_TS_LEN];
                clock_now_ts(ts);
                st->rc = store_exec(c->db, &c->err, NULL,
                                    "INSERT INTO idempotency_keys (actor_id, idem_key, method, path,"
                                    " request_hash, status, response, created_at) VALUES (?,?,?,?,?,?,?,?)",
                                    "sssssiss", c->who.id, idem, method, url, hash, (int64_t)st->rs.status, resp, ts);
            }
            if (!st->rc) st->rc = store_commit(c->db, &c->err);
            if (st->rc) {
                store_rollback(c->db);
                if (st->rc == OP_DUPLICATE && idem) {
                    /* A concurrent retry won the race: answer with its stored response. */
                    op_clear(&c->err);
                    int rp = idem_replay(st, idem, hash);
                    st->rc = rp > 0 ? OP_OK : (c->err.code ? c->err.code : OP_CONFLICT);
                    if (st->rs.json) {
                        jx_arena(st->a, st->rs.json);
                        st->rs.json = NULL;
                    }
                }
            }
        }
    }
    if (c->auth_changed) authcache_clear();
    store_defer_sync(c->db, false);
    /* Writes committed without waiting for the disk: the answer waits for the audit committer,
     * which syncs them with the group it commits (src/store/sqlite_sync.c). */
    if (store_take_unsynced(c->db)) c->audit_flush = true;
    st->rs.wait = audit_submit(c);
}

/* ---- rendering ---- */

static json_t *error_json(const ctx *c, op_code rc) {
    op_code code = c->err.code ? c->err.code : rc;
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(op_code_str(code)));
    json_object_set_new(e, "message", json_string(op_message(code)));
    json_object_set_new(e, "detail", json_string(c->err.detail));
    json_object_set_new(e, "hint", json_string(c->err.hint));
    if (c->err.field[0]) json_object_set_new(e, "field", json_string(c->err.field));
    return json_pack("{s:o}", "error", e);
}

enum MHD_Result dispatch_respond(struct conn_state *st, const char *method, const char *url) {
    ctx *c = &st->c;
    http_res *rs = &st->rs;
    int status;
    const char *body;
    char *owned = NULL; /* jansson's buffer, handed to MHD to free (one copy less) */
    size_t len;
    const char *ctype = "application/json";
    if (st->rc) {
        if (rs->json) {
            jx_arena(st->a, rs->json);
            rs->json = NULL;
        }
        op_code code = c->err.code ? c->err.code : st->rc;
        status = op_status(code);
        json_t *ej = jx_arena(st->a, error_json(c, st->rc));
        body = owned = json_dumps(ej, JSON_COMPACT | JSON_REAL_PRECISION(15));
        len = owned ? strlen(owned) : 0;
        if (status >= 500) log_error("request failed: %s: %s", op_code_str(code), c->err.detail);
    } else {
        status = rs->status ? rs->status : 200;
        if (rs->json) {
            jx_arena(st->a, rs->json);
            body = owned = json_dumps(rs->json, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
            len = owned ? strlen(owned) : 0;
        } else {
            body = rs->body ? rs->body : "";
            len = rs->body ? (rs->body_len ? rs->body_len : strlen(rs->body)) : 0;
            if (rs->content_type) ctype = rs->content_type;
        }
    }
    if ((st->rc || rs->json) && !owned) { /* out of memory while rendering */
        body = "{\"error\":{\"code\":\"internal.error\",\"message\":\"out of memory\",\"detail\":\"\",\"hint\":\"\"}}";
        len = strlen(body);
        status = 500;
    }
    struct MHD_Response *resp =
        owned ? MHD_create_response_from_buffer(len, owned, MHD_RESPMEM_MUST_FREE)
              : MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", ctype);
    MHD_add_response_header(resp, "X-Correlation-ID", c->correlation_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    bool is_static = st->route && strcmp(st->route->pattern, "/*") == 0;
    if (!is_static) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (status == 401) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"openpes\"");
    /* A failed request keeps none of the headers its handler set (no half-made cookie), except
     * Retry-After, which belongs to the refusal. */
    for (int i = 0; i < rs->nheaders; i++)
        if (!st->rc || strcasecmp(rs->headers[i][0], "Retry-After") == 0)
            MHD_add_response_header(resp, rs->headers[i][0], rs->headers[i][1]);
    enum MHD_Result ret = MHD_queue_response(st->mc, (unsigned)status, resp);
    MHD_destroy_response(resp);

    int64_t dur = clock_mono_us() - st->t0;
    metrics_observe(st->route, status, dur);
    if (log_min_level <= LOG_INFO && (!st->route || !(st->route->flags & R_NO_METRICS_LOG))) {
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        /* Built by hand: this line is written for every request and jansson's object round
         * trip cost more than the handler's own JSON (docs/DECISIONS.md 7). */
        char line[2048];
        size_t n = 0;
        n += (size_t)snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"request\",\"method\":", ts,
                              status >= 500 ? "error" : "info");
        log_json_str(line, sizeof line, &n, method, 16);
        n += (size_t)snprintf(line + n, sizeof line - n, ",\"path\":");
        log_json_str(line, sizeof line, &n, url, 512);
        n += (size_t)snprintf(line + n, sizeof line - n, ",\"route\":");
        log_json_str(line, sizeof line, &n, st->route ? st->route->pattern : "-", 256);
        n += (size_t)snprintf(line + n, sizeof line - n,
                              ",\"status\":%d,\"dur_ms\":%.3f,\"bytes\":%zu,\"correlation_id\":\"%s\",\"actor_type\":\"%s\"",
                              status, (double)dur / 1000.0, len, c->correlation_id, actor_type_name(c->who.type));
        if (c->who.id[0]) {
            n += (size_t)snprintf(line + n, sizeof line - n, ",\"actor_id\":");
            log_json_str(line, sizeof line, &n, c->who.id, 64);
        }
        if (st->rc)
            n += (size_t)snprintf(line + n, sizeof line - n, ",\"error\":\"%s\"",
                                  op_code_str(c->err.code ? c->err.code : st->rc));
        if (n + 2 < sizeof line) {
            line[n++] = '}';
            line[n] = 0;
            log_json_line(line, n);
        }
    }
    return ret;
}

/* ---- handler helpers ---- */

op_code http_json(http_res *rs, int status, json_t *v) {
    rs->status = status;
    rs->json = v;
    return OP_OK;
}

op_code http_json_text(http_res *rs, int status, const char *text) {
    rs->status = status;
    rs->body = text;
    rs->body_len = strlen(text);
    rs->content_type = "application/json";
    return OP_OK;
}

void http_add_header(http_res *rs, const char *name, const char *value) {
    if (rs->nheaders < HTTP_MAX_HEADERS) {
        rs->headers[rs->nheaders][0] = name;
        rs->headers[rs->nheaders][1] = value;
        rs->nheaders++;
    }
}

op_code http_query_int(http_req *rq, const char *key, int64_t min, int64_t max, int64_t dflt,
                       int64_t *out) {
    const char *v = http_query(rq, key);
    if (!v || !*v) {
        *out = dflt;
        return OP_OK;
    }
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || end == v || n < min || n > max)
        return op_fail_field(&rq->c->err, OP_BAD_QUERY, key, NULL,
                             "query parameter \"%s\" must be an integer between %lld and %lld", key,
                             (long long)min, (long long)max);
    *out = n;
    return OP_OK;
}

const char *http_form(http_req *rq, const char *key) {
    /* Split the urlencoded body; values are decoded with MHD's unescaper. */
    size_t klen = strlen(key);
    const char *p = rq->raw;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', seg);
        if (eq) {
            char *k = arena_strndup(rq->c->a, p, (size_t)(eq - p));
            for (char *x = k; *x; x++) if (*x == '+') *x = ' ';
            MHD_http_unescape(k);
            if (strlen(k) == klen && memcmp(k, key, klen) == 0) {
                char *v = arena_strndup(rq->c->a, eq + 1, seg - (size_t)(eq - p) - 1);
                for (char *x = v; *x; x++) if (*x == '+') *x = ' ';
                MHD_http_unescape(v);
                return v;
            }
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}
