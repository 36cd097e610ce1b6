/* session.c - tokens, user sessions and partner clients (see session.h). */
#include "auth/session.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/authcache.h"
#include "base/log.h"
#include "sec/password.h"

void token_new(const char *prefix, char out[TOKEN_MAX]) {
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    id_token(out + n, 32); /* 43 chars + NUL */
}

void token_hash(const char *token, char out[TOKEN_HASH_LEN]) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    EVP_Digest(token, strlen(token), d, &dl, EVP_sha256(), NULL);
    hex_encode(d, 32, out);
}

static void ts_after(int64_t seconds, char out[CLOCK_TS_LEN]) {
    clock_format_ts(clock_now_us() + seconds * 1000000, out);
}

/* ---- user sessions ---- */

op_code auth_check_password(ctx *c, const char *username, const char *password,
                            char account_id[ID_LEN]) {
    char lower[72];
    size_t n = strlen(username);
    if (n >= sizeof lower) n = sizeof lower - 1;
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)username[i]);
    lower[n] = 0;
    store_stmt *q = store_query(c->db, &c->err, "SELECT id, password_hash, disabled FROM accounts WHERE username = ?",
                                "s", lower);
    if (!q) {
        if (c->err.code) return c->err.code;
        password_verify_dummy(password);
        goto bad;
    }
    snprintf(account_id, ID_LEN, "%s", store_col_text(q, 0));
    char hash[PASSWORD_HASH_MAX];
    snprintf(hash, sizeof hash, "%s", store_col_text(q, 1));
    bool disabled = store_col_int(q, 2) != 0;
    store_reset(q);
    if (password_verify(hash, password) != PW_MATCH || disabled) goto bad;
    return OP_OK;
bad:
    account_id[0] = 0;
    return op_fail(&c->err, OP_BAD_CREDENTIALS, "check the user name and password",
                   "no active account matches this user name and password");
}

op_code session_create(ctx *c, const char *account_id, bool cookie, struct session_info *out) {
    char hash[TOKEN_HASH_LEN], now[CLOCK_TS_LEN];
    memset(out, 0, sizeof *out);
    token_new(TOKEN_PREFIX_SESSION, out->token);
    token_hash(out->token, hash);
    if (cookie) id_token(out->csrf, 32);
    clock_now_ts(now);
    ts_after(auth_session_ttl, out->expires_at);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    /* Housekeeping: the account's long-expired sessions go (index sessions_account). */
    rc = store_exec(c->db, &c->err, NULL, "DELETE FROM sessions WHERE account_id = ? AND expires_at < ?", "ss",
                    account_id, now);
    if (!rc)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO sessions (token_hash, account_id, kind, csrf_token, created_at, expires_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        "ssssss", hash, account_id, cookie ? "cookie" : "bearer", cookie ? out->csrf : NULL, now,
                        out->expires_at);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

op_code session_revoke(ctx *c, const char *hash) {
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    authcache_forget(hash);
    return store_exec(c->db, &c->err, NULL, "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                      "ss", now, hash);
}

op_code session_expiry(ctx *c, const char *hash, char out[CLOCK_TS_LEN]) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT expires_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL",
                                "s", hash);
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the session does not exist");
    snprintf(out, CLOCK_TS_LEN, "%s", store_col_text(q, 0));
    store_reset(q);
    return OP_OK;
}

/* ---- scopes ---- */

/* RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
static bool scope_char(unsigned char ch) { return ch >= 0x21 && ch <= 0x7e && ch != '"' && ch != '\\'; }

bool scope_list_valid(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > SCOPES_MAX) return false;
    bool in_tok = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            if (!in_tok) return false; /* leading or double space */
            in_tok = false;
        } else if (scope_char((unsigned char)s[i])) {
            in_tok = true;
        } else {
            return false;
        }
    }
    return in_tok; /* no trailing space */
}

static bool scope_has(const char *have, const char *tok, size_t n) {
    for (const char *p = have; *p;) {
        const char *sp = strchr(p, ' ');
        size_t m = sp ? (size_t)(sp - p) : strlen(p);
        if (m == n && memcmp(p, tok, n) == 0) return true;
        p += m + (sp ? 1 : 0);
    }
    return false;
}

bool scope_subset(const char *want, const char *have) {
    for (const char *p = want; *p;) {
        const char *sp = strchr(p, ' ');
        size_t m = sp ? (size_t)(sp - p) : strlen(p);
        if (m && !scope_has(have, p, m)) return false;
        p += m + (sp ? 1 : 0);
    }
    return true;
}

/* ---- partner clients ---- */

static bool client_id_valid(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 48) return false; /* must fit actor.id */
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._:-", s[i])) return false;
    return true;
}

op_code client_create(ctx *c, const struct client_new *n) {
    op_err *e = &c->err;
    if (!client_id_valid(n->id))
        return op_fail_field(e, OP_VALIDATION, "id", "use 1-48 letters, digits, '.', '_', ':' or '-'",
                             "client id \"%s\" is not valid", n->id ? n->id : "");
    if (!n->secret || strlen(n->secret) < CLIENT_SECRET_MIN || strlen(n->secret) > 256)
        return op_fail_field(e, OP_VALIDATION, "secret", "generate one, e.g. `openssl rand -base64 32`",
                             "the client secret must be %d to 256 characters long", CLIENT_SECRET_MIN);
    if (!scope_list_valid(n->scopes))
        return op_fail_field(e, OP_VALIDATION, "scopes", "e.g. \"registry.search registry.subscribe\"",
                             "scopes must be a space-separated list of OAuth2 scope tokens (at most %d bytes)",
                             SCOPES_MAX);
    const char *name = n->name && *n->name ? n->name : n->id;
    if (strlen(name) > 200) return op_fail_field(e, OP_VALIDATION, "name", NULL, "the client name is longer than 200 bytes");
    char hash[PASSWORD_HASH_MAX], now[CLOCK_TS_LEN];
    op_code rc = password_hash(n->secret, hash, e);
    if (rc) return rc;
    clock_now_ts(now);
    if ((rc = store_begin(c->db, e))) return rc;
    rc = store_exec(c->db, e, NULL, "INSERT INTO clients (id, secret_hash, name, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                    "sssss", n->id, hash, name, n->scopes, now);
    if (rc == OP_DUPLICATE)
        op_fail_field(e, OP_DUPLICATE, "id", "choose another client id", "client \"%s\" already exists", n->id);
    if (!rc) rc = store_commit(c->db, e);
    if (rc) store_rollback(c->db);
    return rc;
}

op_code client_check_secret(ctx *c, const char *id, const char *secret, char scopes[SCOPES_MAX + 1]) {
    store_stmt *q = NULL;
    scopes[0] = 0;
    if (client_id_valid(id))
        q = store_query(c->db, &c->err, "SELECT secret_hash, scopes, disabled FROM clients WHERE id = ?", "s", id);
    if (!q) {
        if (c->err.code) return c->err.code;
        password_verify_dummy(secret);
        goto bad;
    }
    char hash[PASSWORD_HASH_MAX];
    snprintf(hash, sizeof hash, "%s", store_col_text(q, 0));
    snprintf(scopes, SCOPES_MAX + 1, "%s", store_col_text(q, 1));
    bool disabled = store_col_int(q, 2) != 0;
    store_reset(q);
    if (password_verify(hash, secret) == PW_MATCH && !disabled) return OP_OK;
bad:
    scopes[0] = 0;
    return op_fail(&c->err, OP_BAD_CREDENTIALS, "check the client id and secret",
                   "no active client matches this id and secret");
}

op_code client_token_issue(ctx *c, const char *client_id, const char *scopes, char token[TOKEN_MAX]) {
    char hash[TOKEN_HASH_LEN], now[CLOCK_TS_LEN], exp[CLOCK_TS_LEN];
    token_new(TOKEN_PREFIX_CLIENT, token);
    token_hash(token, hash);
    clock_now_ts(now);
    ts_after(auth_client_token_ttl, exp);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    /* Housekeeping on the client_tokens(client_id, expires_at) index (migration 4). */
    rc = store_exec(c->db, &c->err, NULL, "DELETE FROM client_tokens WHERE client_id = ? AND expires_at < ?", "ss",
                    client_id, now);
    if (!rc)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO client_tokens (token_hash, client_id, scopes, created_at, expires_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        "sssss", hash, client_id, scopes, now, exp);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

op_code client_list(ctx *c, json_t **items) {
    *items = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT id, name, scopes, disabled, created_at FROM clients ORDER BY id", &c->err);
    if (!st) return c->err.code;
    json_t *a = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:s}", "id", store_col_text(st, 0), "name",
                                           store_col_text(st, 1), "scopes", store_col_text(st, 2), "disabled",
                                           store_col_int(st, 3) != 0, "created_at", store_col_text(st, 4)));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(a);
        return c->err.code;
    }
    *items = a;
    return OP_OK;
}

/* ---- locking accounts and clients ---- */

/* Commit (or roll back) a lock change; a committed one empties this process's credential cache. */
static op_code lock_done(ctx *c, op_code rc) {
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    authcache_clear();
    return OP_OK;
}

op_code account_set_disabled(ctx *c, const char *username, bool disabled, int64_t *ended) {
    char lower[72], ts[CLOCK_TS_LEN];
    size_t n = username ? strlen(username) : 0;
    if (n >= sizeof lower) n = sizeof lower - 1;
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)username[i]);
    lower[n] = 0;
    *ended = 0;
    clock_now_ts(ts);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    int64_t changed = 0;
    rc = store_exec(c->db, &c->err, &changed, "UPDATE accounts SET disabled = ? WHERE username = ?", "is",
                    (int64_t)disabled, lower);
    if (!rc && changed == 0) rc = op_fail(&c->err, OP_NOT_FOUND, "check the user name", "no account \"%s\"", lower);
    if (!rc && disabled)
        rc = store_exec(c->db, &c->err, ended,
                        "UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL AND account_id ="
                        " (SELECT id FROM accounts WHERE username = ?)",
                        "ss", ts, lower);
    return lock_done(c, rc);
}

op_code client_set_disabled(ctx *c, const char *client_id, bool disabled, int64_t *ended) {
    char ts[CLOCK_TS_LEN];
    *ended = 0;
    clock_now_ts(ts);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    int64_t changed = 0;
    rc = store_exec(c->db, &c->err, &changed, "UPDATE clients SET disabled = ? WHERE id = ?", "is", (int64_t)disabled,
                    client_id ? client_id : "");
    if (!rc && changed == 0) rc = op_fail(&c->err, OP_NOT_FOUND, "check the client id", "no client \"%s\"", client_id);
    /* Tokens expire on their own; a locked client's are ended now. */
    if (!rc && disabled)
        rc = store_exec(c->db, &c->err, ended, "UPDATE client_tokens SET expires_at = ? WHERE client_id = ? AND expires_at > ?",
                        "sss", ts, client_id, ts);
    return lock_done(c, rc);
}
