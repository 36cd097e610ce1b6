/* test_authcache.c - the in-process cache of resolved credentials (auth/authcache.h). */
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "auth/authcache.h"

#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static actor staff(const char *id) {
    actor a = {0};
    a.type = ACTOR_STAFF;
    a.role = ROLE_COUNSELLOR;
    snprintf(a.id, sizeof a.id, "%s", id);
    snprintf(a.office_id, sizeof a.office_id, "office-1");
    return a;
}

static void in_an_hour(char out[CLOCK_TS_LEN]) { clock_format_ts(clock_now_us() + 3600LL * 1000000, out); }

static void fresh(void) {
    auth_cache_ttl_ms = 2000;
    clock_set_offset_us(0);
    authcache_clear();
}

TestSuite(authcache, .init = fresh, .fini = fresh);

Test(authcache, a_stored_actor_comes_back_for_the_same_hash_and_kind_only) {
    char exp[CLOCK_TS_LEN];
    in_an_hour(exp);
    actor a = staff("acc-1"), got;
    authcache_put(H1, false, &a, exp);
    cr_assert(authcache_get(H1, false, &got));
    cr_assert_str_eq(got.id, "acc-1");
    cr_assert_eq(got.role, ROLE_COUNSELLOR);
    cr_assert_not(authcache_get(H1, true, &got), "a bearer entry does not answer for a cookie");
    cr_assert_not(authcache_get(H2, false, &got), "another token is not answered");
}

Test(authcache, forget_and_clear_drop_entries) {
    char exp[CLOCK_TS_LEN];
    in_an_hour(exp);
    actor a = staff("acc-1"), b = staff("acc-2"), got;
    authcache_put(H1, false, &a, exp);
    authcache_put(H2, false, &b, exp);
    authcache_forget(H1);
    cr_assert_not(authcache_get(H1, false, &got), "a logged-out token is forgotten at once");
    cr_assert(authcache_get(H2, false, &got), "forgetting one token keeps the others");
    authcache_clear();
    cr_assert_not(authcache_get(H2, false, &got));
}

Test(authcache, an_entry_lives_only_for_the_ttl) {
    char exp[CLOCK_TS_LEN];
    in_an_hour(exp);
    actor a = staff("acc-1"), got;
    auth_cache_ttl_ms = 50;
    authcache_put(H1, false, &a, exp);
    cr_assert(authcache_get(H1, false, &got));
    usleep(80 * 1000);
    cr_assert_not(authcache_get(H1, false, &got), "after the TTL the database is asked again");
}

Test(authcache, an_expired_session_is_never_answered_from_the_cache) {
    char exp[CLOCK_TS_LEN];
    clock_format_ts(clock_now_us() + 60LL * 1000000, exp); /* expires in a minute */
    actor a = staff("acc-1"), got;
    auth_cache_ttl_ms = 3600 * 1000;
    authcache_put(H1, false, &a, exp);
    cr_assert(authcache_get(H1, false, &got));
    clock_set_offset_us(61LL * 1000000); /* a minute later */
    cr_assert_not(authcache_get(H1, false, &got), "the session's own expiry is checked on every hit");
    cr_assert_eq(got.type, ACTOR_NONE, "nothing of the actor is left behind on a miss");
}

Test(authcache, ttl_zero_switches_the_cache_off) {
    char exp[CLOCK_TS_LEN];
    in_an_hour(exp);
    actor a = staff("acc-1"), got;
    auth_cache_ttl_ms = 0;
    authcache_put(H1, false, &a, exp);
    cr_assert_not(authcache_get(H1, false, &got));
}
