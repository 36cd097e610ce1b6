/* throttle.c - see throttle.h. */
#include "auth/throttle.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

static char *key(ctx *c, const char *name, const char *addr) {
    char *k = arena_printf(c->a, "%s|%s", name ? name : "", addr ? addr : "");
    for (char *p = k; *p && *p != '|'; p++) *p = (char)tolower((unsigned char)*p);
    return k;
}

/* Seconds from now until an RFC 3339 UTC timestamp of ours (clock_format_ts). */
static int seconds_until(const char *ts) {
    struct tm tm = {0};
    if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return THROTTLE_MAX_LOCK;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t s = (int64_t)timegm(&tm) - clock_now_us() / 1000000 + 1;
    return s < 1 ? 1 : s > THROTTLE_MAX_LOCK ? THROTTLE_MAX_LOCK : (int)s;
}

op_code throttle_check(ctx *c, const char *name, const char *addr, int *retry_after) {
    *retry_after = 0;
    store_stmt *st = store_query(c->db, &c->err, "SELECT locked_until FROM auth_failures WHERE key = ?", "s", key(c, name, addr));
    if (!st) return c->err.code;
    char until[CLOCK_TS_LEN] = "", now[CLOCK_TS_LEN];
    if (!store_col_null(st, 0)) snprintf(until, sizeof until, "%s", store_col_text(st, 0));
    store_reset(st);
    clock_now_ts(now);
    if (!until[0] || strcmp(until, now) <= 0) return OP_OK;
    *retry_after = seconds_until(until);
    return op_fail(&c->err, OP_RATE_LIMITED, "wait and try again; ask an administrator if you forgot the password",
                   "too many failed sign-ins for this name from this address; locked until %s", until);
}

op_code throttle_failed(ctx *c, const char *name, const char *addr) {
    char now[CLOCK_TS_LEN], since[CLOCK_TS_LEN];
    int64_t t = clock_now_us();
    clock_format_ts(t, now);
    clock_format_ts(t - (int64_t)THROTTLE_WINDOW * 1000000, since);
    const char *k = key(c, name, addr);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    int64_t failures = 1;
    store_stmt *st = store_query(c->db, &c->err, "SELECT failures, first_at FROM auth_failures WHERE key = ?", "s", k);
    if (st) {
        if (strcmp(store_col_text(st, 1), since) > 0) failures = store_col_int(st, 0) + 1;
        store_reset(st);
    }
    char until[CLOCK_TS_LEN] = "";
    if (failures > THROTTLE_FREE) {
        int64_t lock = (int64_t)1 << (failures - THROTTLE_FREE < 20 ? failures - THROTTLE_FREE : 20);
        clock_format_ts(t + (lock < THROTTLE_MAX_LOCK ? lock : THROTTLE_MAX_LOCK) * 1000000, until);
    }
    if (!c->err.code)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO auth_failures (key, failures, first_at, last_at, locked_until) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
                        " first_at = CASE WHEN excluded.failures = 1 THEN excluded.first_at ELSE auth_failures.first_at END,"
                        " last_at = excluded.last_at, locked_until = excluded.locked_until",
                        "sisss", k, failures, now, now, until[0] ? until : NULL);
    else
        rc = c->err.code;
    if (!rc) return store_commit(c->db, &c->err);
    store_rollback(c->db);
    return rc;
}

op_code throttle_succeeded(ctx *c, const char *name, const char *addr) {
    return store_exec(c->db, &c->err, NULL, "DELETE FROM auth_failures WHERE key = ?", "s", key(c, name, addr));
}
