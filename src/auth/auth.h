/* auth.h - who is calling: sessions (cookie or bearer), partner client tokens, passwords.
 *
 * auth_authenticate() is called by the dispatcher for every request.  It returns OP_OK with
 * who->type == ACTOR_NONE when the request carries no credentials, fills *who when it carries
 * valid ones, and fails (OP_TOKEN_INVALID / OP_TOKEN_EXPIRED) when it carries bad ones. */
#ifndef OPENPES_AUTH_H
#define OPENPES_AUTH_H
#include "core/ctx.h"
#include "http/route.h"

op_code auth_authenticate(http_req *rq, actor *who, op_err *e);

/* Session lifetimes (seconds); configurable with serve --session-ttl. */
extern int auth_session_ttl;
extern int auth_client_token_ttl;

#endif
