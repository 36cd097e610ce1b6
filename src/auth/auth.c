/* auth.c - who is calling (see auth.h).
 *
 * Credentials, in order: "Authorization: Bearer <token>" (an "ops_" session or an "opc_"
 * partner token), else the "openpes_session" cookie.  Other Authorization schemes (Basic, used by
 * the OAuth2 token endpoint for client authentication) are not credentials here.  Each request
 * costs one indexed SELECT: the token hash is the primary key, and the account and office come
 * with it in the same join, so the actor is complete without further queries.
 *
 * On public routes bad credentials are ignored (the caller is treated as anonymous): a browser
 * holding an expired cookie must still be able to load the portal and log in again. */
#include "auth/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/authcache.h"
#include "auth/session.h"
#include "base/clock.h"

int auth_session_ttl = 8 * 3600;
int auth_client_token_ttl = 3600;

static void copy(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

static op_code bad_token(op_err *e, const char *why) {
    return op_fail(e, OP_TOKEN_INVALID, "log in again (POST /api/v1/auth/login) or request a new token", "%s", why);
}

static op_code user_session(http_req *rq, const char *hash, bool cookie, actor *who, char exp[CLOCK_TS_LEN],
                            op_err *e) {
    store_stmt *q = store_query(rq->c->db, e,
                                "SELECT s.account_id, s.kind, s.csrf_token, s.expires_at, s.revoked_at,"
                                " a.kind, a.role, a.office_id, a.person_id, a.employer_id, a.disabled, o.region_code"
                                " FROM sessions s JOIN accounts a ON a.id = s.account_id"
                                " LEFT JOIN offices o ON o.id = a.office_id WHERE s.token_hash = ?",
                                "s", hash);
    if (!q) return e->code ? e->code : bad_token(e, "the session token is not known");
    op_code rc = OP_OK;
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    /* A cookie session must arrive as a cookie and a bearer session as a bearer token: a bearer
     * session has no CSRF token, so accepting it as a cookie would switch CSRF protection off. */
    if (strcmp(store_col_text(q, 1), cookie ? "cookie" : "bearer") != 0) {
        rc = bad_token(e, cookie ? "the cookie does not hold a cookie session" : "a cookie session cannot be used as a bearer token");
    } else if (!store_col_null(q, 4) || store_col_int(q, 10) != 0) {
        rc = bad_token(e, store_col_null(q, 4) ? "the account is disabled" : "the session was ended (logged out)");
    } else if (strcmp(store_col_text(q, 3), now) <= 0) {
        rc = op_fail(e, OP_TOKEN_EXPIRED, "log in again (POST /api/v1/auth/login)", "the session expired at %s",
                     store_col_text(q, 3));
    } else {
        const char *kind = store_col_text(q, 5);
        who->type = strcmp(kind, "staff") == 0 ? ACTOR_STAFF : strcmp(kind, "employer") == 0 ? ACTOR_EMPLOYER : ACTOR_CITIZEN;
        copy(who->id, sizeof who->id, store_col_text(q, 0));
        if (who->type == ACTOR_STAFF) {
            who->role = role_parse(store_col_text(q, 6));
            copy(who->office_id, sizeof who->office_id, store_col_text(q, 7));
            copy(who->region, sizeof who->region, store_col_text(q, 11));
        }
        copy(who->person_id, sizeof who->person_id, store_col_text(q, 8));
        copy(who->employer_id, sizeof who->employer_id, store_col_text(q, 9));
        who->via_cookie = cookie;
        if (cookie) copy(who->csrf, sizeof who->csrf, store_col_text(q, 2));
        copy(who->session_hash, sizeof who->session_hash, hash);
        copy(exp, CLOCK_TS_LEN, store_col_text(q, 3));
    }
    store_reset(q);
    return rc;
}

static op_code client_session(http_req *rq, const char *hash, actor *who, char exp[CLOCK_TS_LEN], op_err *e) {
    store_stmt *q = store_query(rq->c->db, e,
                                "SELECT t.client_id, t.scopes, t.expires_at, c.disabled"
                                " FROM client_tokens t JOIN clients c ON c.id = t.client_id WHERE t.token_hash = ?",
                                "s", hash);
    if (!q) return e->code ? e->code : bad_token(e, "the access token is not known");
    op_code rc = OP_OK;
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    if (store_col_int(q, 3) != 0) {
        rc = bad_token(e, "the client is disabled");
    } else if (strcmp(store_col_text(q, 2), now) <= 0) {
        rc = op_fail(e, OP_TOKEN_EXPIRED, "request a new token at POST /oauth2/client/token",
                     "the access token expired at %s", store_col_text(q, 2));
    } else {
        who->type = ACTOR_PARTNER;
        copy(who->id, sizeof who->id, store_col_text(q, 0));
        copy(who->scopes, sizeof who->scopes, store_col_text(q, 1));
        copy(who->session_hash, sizeof who->session_hash, hash);
        copy(exp, CLOCK_TS_LEN, store_col_text(q, 2));
    }
    store_reset(q);
    return rc;
}

static op_code authenticate(http_req *rq, actor *who, op_err *e) {
    const char *authz = http_header(rq, "Authorization");
    const char *token = NULL;
    bool cookie = false;
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        token = authz + 7;
        while (*token == ' ') token++;
    } else {
        token = http_cookie(rq, SESSION_COOKIE);
        cookie = token != NULL;
    }
    if (!token) return OP_OK;
    /* Only the exact shape we issue is looked up: prefix + 43 base64url characters. */
    size_t n = strlen(token);
    bool shape = n == 47 && strspn(token + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43;
    bool is_client = strncmp(token, TOKEN_PREFIX_CLIENT, 4) == 0;
    if (!shape || (!is_client && strncmp(token, TOKEN_PREFIX_SESSION, 4) != 0) || (cookie && is_client))
        return bad_token(e, "the token is malformed");
    char hash[TOKEN_HASH_LEN];
    token_hash(token, hash);
    if (authcache_get(hash, cookie, who)) return OP_OK;
    char exp[CLOCK_TS_LEN] = "";
    op_code rc = is_client ? client_session(rq, hash, who, exp, e) : user_session(rq, hash, cookie, who, exp, e);
    if (rc == OP_OK) authcache_put(hash, cookie, who, exp);
    return rc;
}

op_code auth_authenticate(http_req *rq, actor *who, op_err *e) {
    memset(who, 0, sizeof *who);
    op_code rc = authenticate(rq, who, e);
    if (rc == OP_TOKEN_INVALID || rc == OP_TOKEN_EXPIRED) {
        memset(who, 0, sizeof *who);
        if (rq->route && (rq->route->flags & R_PUBLIC)) {
            op_clear(e);
            return OP_OK;
        }
    }
    return rc;
}
