/* authcache.c - fixed-size, direct-mapped cache of resolved credentials (see authcache.h).
 * A token hash is hex SHA-256, so its first hex digits spread entries evenly over the slots; a
 * collision simply replaces the older entry.  Slots are guarded by striped mutexes. */
#include "auth/authcache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048
#define STRIPES 32

int auth_cache_ttl_ms = 2000;

struct entry {
    char hash[65];
    bool cookie;
    int64_t until_us; /* monotonic; 0 = empty */
    char expires_at[CLOCK_TS_LEN];
    actor who;
};

static struct entry slots[SLOTS];
static pthread_mutex_t stripes[STRIPES] = {[0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER};

static size_t slot_of(const char *hash) {
    char head[9];
    snprintf(head, sizeof head, "%.8s", hash);
    return (size_t)(strtoul(head, NULL, 16) % SLOTS);
}

bool authcache_get(const char *hash, bool cookie, actor *who) {
    if (auth_cache_ttl_ms <= 0) return false;
    size_t i = slot_of(hash);
    struct entry *e = &slots[i];
    pthread_mutex_t *mu = &stripes[i % STRIPES];
    bool hit = false;
    char expires_at[CLOCK_TS_LEN] = "";
    pthread_mutex_lock(mu);
    if (e->until_us > clock_mono_us() && e->cookie == cookie && strcmp(e->hash, hash) == 0) {
        *who = e->who;
        memcpy(expires_at, e->expires_at, sizeof expires_at);
        hit = true;
    }
    pthread_mutex_unlock(mu);
    if (!hit) return false;
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    if (strcmp(expires_at, now) <= 0) { /* expired: the database path reports it */
        memset(who, 0, sizeof *who);
        return false;
    }
    return true;
}

void authcache_put(const char *hash, bool cookie, const actor *who, const char expires_at[CLOCK_TS_LEN]) {
    if (auth_cache_ttl_ms <= 0) return;
    size_t i = slot_of(hash);
    struct entry *e = &slots[i];
    pthread_mutex_lock(&stripes[i % STRIPES]);
    snprintf(e->hash, sizeof e->hash, "%s", hash);
    e->cookie = cookie;
    snprintf(e->expires_at, sizeof e->expires_at, "%s", expires_at);
    e->who = *who;
    e->until_us = clock_mono_us() + (int64_t)auth_cache_ttl_ms * 1000;
    pthread_mutex_unlock(&stripes[i % STRIPES]);
}

void authcache_forget(const char *hash) {
    size_t i = slot_of(hash);
    pthread_mutex_lock(&stripes[i % STRIPES]);
    if (strcmp(slots[i].hash, hash) == 0) memset(&slots[i], 0, sizeof slots[i]);
    pthread_mutex_unlock(&stripes[i % STRIPES]);
}

void authcache_clear(void) {
    for (size_t s = 0; s < STRIPES; s++) pthread_mutex_lock(&stripes[s]);
    memset(slots, 0, sizeof slots);
    for (size_t s = STRIPES; s-- > 0;) pthread_mutex_unlock(&stripes[s]);
}
