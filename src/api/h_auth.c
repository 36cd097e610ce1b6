/* h_auth.c - login, logout, the current session, citizen sign-up, and the OAuth2 client
 * credentials token endpoint for partner systems (DCI authz: POST /oauth2/client/token).
 *
 * The token endpoint answers errors in the RFC 6749 section 5.2 shape ({"error",
 * "error_description"}) that OAuth2 client libraries parse, instead of the OpenPES error
 * envelope: its handler returns OP_OK with its own status and body for those.  Failures the
 * dispatcher detects before the handler (wrong content type, body too large) keep the envelope. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "base/jsonx.h"
#include "domain/account.h"
#include "http/server.h"
#include "sec/password.h"

#define AUTH_BODY_MAX 8192

static const char *cookie_attrs(ctx *c, int max_age) {
    return arena_printf(c->a, "; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s", max_age,
                        server_secure_cookies ? "; Secure" : "");
}

/* Refuse while the (name, address) pair is locked out, with Retry-After (auth/throttle.h). */
static op_code throttled(http_req *rq, http_res *rs, const char *name, const char *addr) {
    int retry = 0;
    op_code rc = throttle_check(rq->c, name, addr, &retry);
    if (rc == OP_RATE_LIMITED) http_add_header(rs, "Retry-After", arena_printf(rq->c->a, "%d", retry));
    return rc;
}

/* Count the failure, then answer with the credentials error it replaces. */
static op_code failed(ctx *c, const char *name, const char *addr) {
    op_err keep = c->err;
    op_clear(&c->err);
    op_code rc = throttle_failed(c, name, addr);
    if (rc) return rc;
    c->err = keep;
    return keep.code;
}

/* POST /api/v1/auth/login {"username","password","mode":"bearer"|"cookie"} */
static op_code login(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"username", "password", "mode", NULL};
    static const char *const modes[] = {"bearer", "cookie", NULL};
    ctx *c = rq->c;
    const char *user, *pw, *mode;
    op_code rc;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "username", true, 64, &user, &c->err)) ||
        (rc = jx_str(rq->body, "password", true, PASSWORD_MAX_BYTES, &pw, &c->err)) ||
        (rc = jx_enum(rq->body, "mode", false, modes, &mode, &c->err)))
        return rc;
    bool cookie = mode && strcmp(mode, "cookie") == 0;
    char account_id[ID_LEN];
    struct session_info s;
    json_t *acc;
    const char *addr = http_client_addr(rq);
    if ((rc = throttled(rq, rs, user, addr))) return rc;
    if ((rc = auth_check_password(c, user, pw, account_id)) == OP_BAD_CREDENTIALS) return failed(c, user, addr);
    if (rc || (rc = throttle_succeeded(c, user, addr)) || (rc = session_create(c, account_id, cookie, &s)) ||
        (rc = account_json(c, account_id, &acc)))
        return rc;
    if (!cookie)
        return http_json(rs, 200, json_pack("{s:s, s:s, s:s, s:o}", "token", s.token, "token_type", "Bearer",
                                            "expires_at", s.expires_at, "account", acc));
    http_add_header(rs, "Set-Cookie", arena_printf(c->a, SESSION_COOKIE "=%s%s", s.token, cookie_attrs(c, auth_session_ttl)));
    return http_json(rs, 200, json_pack("{s:s, s:s, s:o}", "csrf_token", s.csrf, "expires_at", s.expires_at, "account", acc));
}

/* POST /api/v1/auth/logout: end the session that authenticated this request. */
static op_code logout(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    op_code rc = session_revoke(c, c->who.session_hash);
    if (rc) return rc;
    http_add_header(rs, "Set-Cookie", arena_printf(c->a, SESSION_COOKIE "=%s", cookie_attrs(c, 0)));
    return http_json(rs, 200, json_pack("{s:s}", "status", "logged_out"));
}

/* GET /api/v1/auth/session: who am I.  Cookie sessions also get their CSRF token back, so a
 * reloaded page can recover it (the cookie itself is HttpOnly). */
static op_code session_get(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    char exp[CLOCK_TS_LEN];
    json_t *acc;
    op_code rc = session_expiry(c, c->who.session_hash, exp);
    if (rc || (rc = account_json(c, c->who.id, &acc))) return rc;
    json_t *o = json_pack("{s:o, s:s, s:s}", "account", acc, "expires_at", exp, "via", c->who.via_cookie ? "cookie" : "bearer");
    if (c->who.via_cookie) json_object_set_new(o, "csrf_token", json_string(c->who.csrf));
    return http_json(rs, 200, o);
}

/* POST /api/v1/auth/signup: a citizen account without a person record yet; the citizen creates
 * their profile at /api/v1/me, which links it (account_link_person). */
static op_code signup(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"username", "password", "display_name", "locale", "kind", NULL};
    static const char *const locales[] = {"ko", "en", NULL};
    /* Citizens and employers sign themselves up (an employer then registers the business, which
     * staff verify before its vacancies are published); staff accounts are made by administrators. */
    static const char *const kinds[] = {"citizen", "employer", NULL};
    ctx *c = rq->c;
    struct account_new n = {.kind = "citizen"};
    const char *kind = NULL;
    op_code rc;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_enum(rq->body, "kind", false, kinds, &kind, &c->err)) ||
        (rc = jx_str(rq->body, "username", true, 64, &n.username, &c->err)) ||
        (rc = jx_str(rq->body, "password", true, PASSWORD_MAX_BYTES, &n.password, &c->err)) ||
        (rc = jx_str(rq->body, "display_name", false, 200, &n.display_name, &c->err)) ||
        (rc = jx_enum(rq->body, "locale", false, locales, &n.locale, &c->err)))
        return rc;
    if (kind) n.kind = kind;
    char id[ID_LEN];
    json_t *acc;
    if ((rc = account_create(c, &n, id)) || (rc = account_json(c, id, &acc))) return rc;
    return http_json(rs, 201, json_pack("{s:o}", "account", acc));
}

/* ---- OAuth2 client credentials (RFC 6749 section 4.4) ---- */

static op_code oauth_error(http_res *rs, int status, const char *error, const char *desc) {
    return http_json(rs, status, json_pack("{s:s, s:s}", "error", error, "error_description", desc));
}

/* Does `key` occur more than once in the form body?  (RFC 6749 3.2: parameters MUST NOT repeat.) */
static bool form_repeated(const char *raw, const char *key) {
    size_t n = strlen(key);
    int seen = 0;
    for (const char *p = raw; p && *p; p = strchr(p, '&'), p = p ? p + 1 : NULL)
        if (strncmp(p, key, n) == 0 && p[n] == '=') seen++;
    return seen > 1;
}

/* Decode application/x-www-form-urlencoded text in place (RFC 6749 2.3.1 encodes Basic
 * credentials this way).  Returns false on a bad escape. */
static bool form_decode(char *s) {
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2])) return false;
            char hex[3] = {p[1], p[2], 0};
            long v = strtol(hex, NULL, 16);
            if (v == 0) return false;
            *o++ = (char)v;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return true;
}

/* "Basic base64(id:secret)" -> id, secret (arena).  false when malformed. */
static bool basic_credentials(ctx *c, const char *authz, const char **id, const char **secret) {
    const char *b = authz + 6;
    while (*b == ' ') b++;
    size_t cap = strlen(b);
    if (cap == 0 || cap > 1024) return false;
    unsigned char *buf = arena_alloc(c->a, cap + 1);
    long n = b64_decode(b, buf, cap);
    if (n <= 0 || memchr(buf, 0, (size_t)n)) return false;
    buf[n] = 0;
    char *colon = strchr((char *)buf, ':');
    if (!colon) return false;
    *colon = 0;
    if (!form_decode((char *)buf) || !form_decode(colon + 1)) return false;
    *id = (const char *)buf;
    *secret = colon + 1;
    return true;
}

/* POST /oauth2/client/token (form): grant_type=client_credentials, client_id + client_secret in
 * the form or HTTP Basic, optional scope (a subset of the client's scopes; default all of them). */
static op_code client_token(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    static const char *const params[] = {"grant_type", "client_id", "client_secret", "scope", NULL};
    for (const char *const *p = params; *p; p++)
        if (form_repeated(rq->raw, *p))
            return oauth_error(rs, 400, "invalid_request", arena_printf(c->a, "parameter \"%s\" is repeated", *p));
    const char *grant = http_form(rq, "grant_type");
    if (!grant || !*grant) return oauth_error(rs, 400, "invalid_request", "grant_type is required");
    if (strcmp(grant, "client_credentials") != 0)
        return oauth_error(rs, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported");

    const char *authz = http_header(rq, "Authorization");
    bool basic = authz && strncasecmp(authz, "Basic ", 6) == 0;
    const char *id = http_form(rq, "client_id"), *secret = http_form(rq, "client_secret");
    if (basic && (id || secret))
        return oauth_error(rs, 400, "invalid_request", "use either HTTP Basic or form parameters for client authentication, not both");
    if (basic && !basic_credentials(c, authz, &id, &secret)) {
        http_add_header(rs, "WWW-Authenticate", "Basic realm=\"openpes\"");
        return oauth_error(rs, 401, "invalid_client", "the Basic authorization header is malformed");
    }
    if (!id || !*id || !secret || !*secret) {
        if (basic) http_add_header(rs, "WWW-Authenticate", "Basic realm=\"openpes\"");
        return oauth_error(rs, 401, "invalid_client", "client_id and client_secret are required");
    }
    if (strlen(id) > 256 || strlen(secret) > 1024) return oauth_error(rs, 401, "invalid_client", "client authentication failed");
    char have[SCOPES_MAX + 1];
    const char *addr = http_client_addr(rq), *who = arena_printf(c->a, "client:%s", id);
    int retry = 0;
    op_code rc = throttle_check(c, who, addr, &retry);
    if (rc == OP_RATE_LIMITED) {
        op_clear(&c->err);
        http_add_header(rs, "Retry-After", arena_printf(c->a, "%d", retry));
        return oauth_error(rs, 429, "invalid_client", "too many failed attempts; try again later");
    }
    if (rc || (rc = client_check_secret(c, id, secret, have)) == OP_BAD_CREDENTIALS) {
        if (rc != OP_BAD_CREDENTIALS) return rc;
        op_clear(&c->err);
        if ((rc = throttle_failed(c, who, addr))) return rc;
        if (basic) http_add_header(rs, "WWW-Authenticate", "Basic realm=\"openpes\"");
        return oauth_error(rs, 401, "invalid_client", "client authentication failed");
    }
    if (rc || (rc = throttle_succeeded(c, who, addr))) return rc;
    const char *want = http_form(rq, "scope");
    if (want && *want) {
        if (!scope_list_valid(want))
            return oauth_error(rs, 400, "invalid_scope", "scope must be a space-separated list of scope tokens");
        if (!scope_subset(want, have))
            return oauth_error(rs, 400, "invalid_scope", "the requested scope exceeds the scopes granted to this client");
    } else {
        want = have;
    }
    char token[TOKEN_MAX];
    if ((rc = client_token_issue(c, id, want, token))) return rc;
    http_add_header(rs, "Pragma", "no-cache");
    /* expires_in is a string, as the DCI authz schema declares it (RFC 6749 shows a number). */
    return http_json(rs, 200, json_pack("{s:s, s:s, s:s, s:s}", "access_token", token, "token_type", "Bearer", "expires_in",
                                        arena_printf(c->a, "%d", auth_client_token_ttl), "scope", want));
}

struct route auth_routes[] = {
    {"POST", "/api/v1/auth/login", login, R_PUBLIC | R_WRITE | R_OWN_TX | R_BODY_JSON, 0, NULL, AUTH_BODY_MAX,
     "log in with user name and password; returns a bearer token or sets a session cookie", "auth", NULL},
    {"POST", "/api/v1/auth/logout", logout, R_ANY_USER | R_WRITE, 0, NULL, 0, "end the current session", "auth", NULL},
    {"GET", "/api/v1/auth/session", session_get, R_ANY_USER, 0, NULL, 0, "the account and expiry of the current session",
     "auth", NULL},
    {"POST", "/api/v1/auth/signup", signup, R_PUBLIC | R_WRITE | R_OWN_TX | R_BODY_JSON, 0, NULL, AUTH_BODY_MAX,
     "register a citizen account (the profile is created afterwards at /api/v1/me)", "auth", NULL},
    {"POST", "/oauth2/client/token", client_token, R_PUBLIC | R_WRITE | R_OWN_TX | R_BODY_FORM, 0, NULL, 4096,
     "OAuth2 client credentials grant for partner systems (DCI authz); RFC 6749 error bodies", "auth", NULL},
    ROUTE_END,
};
