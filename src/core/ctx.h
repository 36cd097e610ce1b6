/* ctx.h - the request (or job) context every domain function receives.
 *
 * It carries: an arena freed once at the end, the authenticated actor, the declared purpose,
 * the correlation id, the database connection (and so the open transaction) and the error of
 * the failed operation.  HTTP handlers, CLI commands and workers all build one. */
#ifndef OPENPES_CTX_H
#define OPENPES_CTX_H
#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/id.h"
#include "store/store.h"

enum actor_type { ACTOR_NONE, ACTOR_CITIZEN, ACTOR_EMPLOYER, ACTOR_STAFF, ACTOR_PARTNER, ACTOR_SYSTEM };

/* Staff roles, as bits so route tables can list several. */
#define ROLE_LIST(X)                                                                               \
    X(COUNSELLOR, "counsellor")                                                                    \
    X(WELFARE_OFFICER, "welfare_officer")                                                          \
    X(SUPERVISOR, "supervisor")                                                                    \
    X(ANALYST, "analyst")                                                                          \
    X(ADMIN, "admin")                                                                              \
    X(AUDITOR, "auditor")

enum role_bit {
#define X(name, str) ROLE_BIT_##name,
    ROLE_LIST(X)
#undef X
        ROLE__COUNT
};
#define X(name, str) ROLE_##name = 1u << ROLE_BIT_##name,
enum role { ROLE_NONE = 0, ROLE_LIST(X) };
#undef X

const char *role_name(unsigned role);          /* single role bit -> "counsellor"; NULL if none */
unsigned role_parse(const char *s);            /* "counsellor" -> ROLE_COUNSELLOR; 0 if unknown */
const char *actor_type_name(enum actor_type t);

typedef struct actor {
    enum actor_type type;
    char id[64];              /* account id, partner client id, or "system:<what>" */
    char person_id[ID_LEN];   /* citizens: their person record */
    char employer_id[ID_LEN]; /* employer accounts */
    unsigned role;            /* staff: one ROLE_* bit */
    char office_id[ID_LEN];   /* staff: their office */
    char region[16];          /* staff: the office's region code */
    char scopes[256];         /* partners: space-separated OAuth2 scopes */
    bool via_cookie;          /* authenticated by session cookie (CSRF applies to writes) */
    char csrf[48];            /* the session's CSRF token, when via_cookie */
    char session_hash[65];    /* token hash of the session used (logout) */
} actor;

typedef struct ctx {
    arena *a;
    store *db;
    actor who;
    const char *purpose; /* declared purpose code (privacy/purpose.c) or NULL for the default */
    char correlation_id[72];
    op_err err;
    /* Read-audit records queued for group commit (audit.h); the answer waits for it. */
    struct audit_ticket *audit_wait;
    /* A write's audit record waits in audit_pending: the answer waits until it is chained. */
    bool audit_flush;
    /* An account's links changed (person or employer): cached credentials are dropped again
     * once the request's transaction has ended (auth/authcache.h). */
    bool auth_changed;
} ctx;

/* A context for CLI commands and workers: actor "system:<name>", its own arena, the thread's
 * store connection.  Returns false (with e filled) when the database cannot be opened. */
bool ctx_init_system(ctx *c, const char *name, const char *purpose, op_err *e);
/* Ends the context: rolls back an open transaction, writes queued audit records (waiting until
 * they are durable) and frees the arena. */
void ctx_release(ctx *c);
/* The system acting on its own account inside a request: a consequence the program derives from
 * an authorised operation (e.g. a reported job start places the person's registration).  The
 * derived context shares the database, transaction, arena and correlation id but acts and is
 * audited as "system:<name>" for `purpose`.  ctx_end_system hands queued audit records and the
 * error back to the request. */
void ctx_begin_system(const ctx *c, const char *name, const char *purpose, ctx *sys);
void ctx_end_system(ctx *c, const ctx *sys);

/* ctx_fail: record an error on the context and return its code. */
#define ctx_fail(c, code, hint, ...) op_fail(&(c)->err, (code), (hint), __VA_ARGS__)

#endif
