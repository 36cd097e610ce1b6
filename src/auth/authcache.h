/* authcache.h - a short-lived in-process cache of resolved credentials.
 *
 * Resolving a token costs a SELECT (session, account, office) on every request.  The cache keeps
 * the resolved actor of a token hash for auth_cache_ttl_ms (default 2000 ms; 0 switches it off),
 * so a client sending many requests with the same token pays the SELECT about once per TTL.
 * - Expiry is checked on every hit, against the session's own expires_at.
 * - A logout in this process forgets the entry at once (session_revoke).
 * - In another process sharing the database, a revoked session or a disabled account stays
 *   usable for at most the TTL: the price of not reading the database per request.  Anything
 *   that must take effect instantly everywhere (an emergency account lock) calls
 *   authcache_clear() in its own process and waits the TTL out in the others.
 * Only successful resolutions are cached; every refusal goes to the database again. */
#ifndef OPENPES_AUTHCACHE_H
#define OPENPES_AUTHCACHE_H
#include <stdbool.h>

#include "base/clock.h"
#include "core/ctx.h"

extern int auth_cache_ttl_ms;

/* The cached actor for (hash, cookie), if fresh and not past expires_at. */
bool authcache_get(const char *hash, bool cookie, actor *who);
void authcache_put(const char *hash, bool cookie, const actor *who, const char expires_at[CLOCK_TS_LEN]);
void authcache_forget(const char *hash);
void authcache_clear(void);
/* An account's person or employer link changed inside c's transaction: drop the cache now and
 * again when the request ends (a concurrent request may have re-read the old row meanwhile). */
static inline void authcache_account_changed(ctx *c) {
    authcache_clear();
    c->auth_changed = true;
}
#endif
