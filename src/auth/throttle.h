/* throttle.h - failed sign-ins slow down password guessing.
 *
 * Failures are counted per (user name or client id, client address) in the database, so every
 * server process sharing it sees them.  The first THROTTLE_FREE failures within THROTTLE_WINDOW
 * seconds cost nothing; after that each further failure locks the pair out for 2^k seconds
 * (k = failures beyond the free ones), at most THROTTLE_MAX_LOCK.  While locked, attempts are
 * refused with 429 (request.rate_limited, Retry-After) before the password is looked at,
 * so guessing gets no answer and no hashing time.  A success clears the pair.  Behind a reverse
 * proxy every client has the proxy's address, so the pair degrades to the name alone: a locked
 * name is locked for everyone for at most THROTTLE_MAX_LOCK. */
#ifndef OPENPES_THROTTLE_H
#define OPENPES_THROTTLE_H
#include "core/ctx.h"

#define THROTTLE_FREE 5
#define THROTTLE_WINDOW 900    /* s: failures older than this are forgotten */
#define THROTTLE_MAX_LOCK 900  /* s */

/* OP_RATE_LIMITED (with *retry_after seconds) when the pair is locked out now. */
op_code throttle_check(ctx *c, const char *name, const char *addr, int *retry_after);
/* Count a failure (its own small transaction: it must stay when the sign-in fails). */
op_code throttle_failed(ctx *c, const char *name, const char *addr);
op_code throttle_succeeded(ctx *c, const char *name, const char *addr);
#endif
