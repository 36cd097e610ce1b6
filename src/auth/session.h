/* session.h - the identity module's internal interface: tokens, sessions, partner clients and
 * the account views shared by the auth and admin handlers and the CLI.
 *
 * Tokens are 32 random bytes in URL-safe base64 behind a prefix that says what they are
 * ("ops_" user sessions, "opc_" partner client tokens), so a leaked token is recognisable
 * (secret scanners) and routed to the right table without a second lookup.  The database keeps
 * only the SHA-256 hex of a token: a copy of the database does not let anyone log in.
 *
 * The offices/accounts contract itself (create, resolve, link) is src/domain/account.h; the
 * view and list functions below are implemented next to it in src/domain/account.c. */
#ifndef OPENPES_SESSION_H
#define OPENPES_SESSION_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "core/ctx.h"

#define TOKEN_PREFIX_SESSION "ops_"
#define TOKEN_PREFIX_CLIENT "opc_"
#define TOKEN_MAX 64        /* prefix + 43 base64url chars + NUL fits */
#define TOKEN_HASH_LEN 65   /* SHA-256 hex + NUL */
#define CSRF_MAX 48
#define SESSION_COOKIE "openpes_session"

/* out = prefix + base64url(32 random bytes). */
void token_new(const char *prefix, char out[TOKEN_MAX]);
/* SHA-256 of the token text as lowercase hex. */
void token_hash(const char *token, char out[TOKEN_HASH_LEN]);

/* ---- user sessions (session.c) ---- */

/* Check a user name and password.  Unknown user, wrong password and disabled account all give
 * OP_BAD_CREDENTIALS after the same amount of hashing work.  username is matched lowercased. */
op_code auth_check_password(ctx *c, const char *username, const char *password,
                            char account_id[ID_LEN]);

struct session_info {
    char token[TOKEN_MAX];
    char csrf[CSRF_MAX]; /* cookie sessions only, else "" */
    char expires_at[CLOCK_TS_LEN];
};
/* Start a session of auth_session_ttl seconds (in the caller's transaction). */
op_code session_create(ctx *c, const char *account_id, bool cookie, struct session_info *out);
/* Revoke by token hash; revoking an already revoked session is not an error. */
op_code session_revoke(ctx *c, const char *token_hash);
/* The expiry of a live session; OP_NOT_FOUND when there is none. */
op_code session_expiry(ctx *c, const char *token_hash, char out[CLOCK_TS_LEN]);

/* ---- partner OAuth2 clients (session.c) ---- */

#define CLIENT_SECRET_MIN 16
#define SCOPES_MAX 255 /* fits actor.scopes */

struct client_new {
    const char *id;     /* 1-48 chars [A-Za-z0-9._:-] */
    const char *secret; /* >= 16 characters; stored as an argon2id hash */
    const char *name;   /* optional; defaults to id */
    const char *scopes; /* space-separated RFC 6749 scope tokens, at least one */
};
op_code client_create(ctx *c, const struct client_new *n);
/* Authenticate a client.  Unknown, disabled and wrong secret all give OP_BAD_CREDENTIALS after
 * the same hashing work.  scopes receives the client's registered scopes. */
op_code client_check_secret(ctx *c, const char *id, const char *secret, char scopes[SCOPES_MAX + 1]);
/* Issue an "opc_" token for the given (already checked) scopes, valid auth_client_token_ttl s. */
op_code client_token_issue(ctx *c, const char *client_id, const char *scopes, char token[TOKEN_MAX]);
/* Every client: [{id, name, scopes, disabled, created_at}]. */
op_code client_list(ctx *c, json_t **items);

/* Lock or unlock an account (by user name) or a partner client (by id).  Locking ends every
 * session or token it holds at once: revoked in the database, and this process's credential
 * cache emptied (other processes notice within the cache TTL, auth/authcache.h).  OP_NOT_FOUND
 * when there is no such account or client. */
op_code account_set_disabled(ctx *c, const char *username, bool disabled, int64_t *ended);
op_code client_set_disabled(ctx *c, const char *client_id, bool disabled, int64_t *ended);

/* Scope lists: valid when non-empty, space-separated RFC 6749 scope-tokens, <= SCOPES_MAX. */
bool scope_list_valid(const char *s);
/* Is every scope of `want` in `have`? */
bool scope_subset(const char *want, const char *have);

/* ---- account views (src/domain/account.c) ---- */

/* The account object of the API: {id, username, kind, role, office:{...}|null, person_id,
 * employer_id, display_name, locale}.  OP_NOT_FOUND when there is no such account. */
op_code account_json(ctx *c, const char *account_id, json_t **out);
/* Every office: [{id, code, name, name_ko, kind, region_code}], ordered by code. */
op_code office_list(ctx *c, json_t **items);
op_code office_json(ctx *c, const char *office_id, json_t **out);

struct account_filter {
    const char *office_id; /* resolved id, or NULL */
    const char *kind;      /* "staff" | "employer" | "citizen" | NULL (= staff and employer) */
    const char *after;     /* keyset cursor: list usernames after this one */
    int64_t limit;
};
/* Accounts ordered by username; *next is the cursor for the following page or NULL. */
op_code account_list(ctx *c, const struct account_filter *f, json_t **items, const char **next);

#endif
