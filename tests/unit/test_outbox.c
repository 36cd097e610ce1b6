/* test_outbox.c - transactional outbox: atomic with the change, ordered per subject, retried
 * with back-off, dead-lettered, and never processed twice. */
#include "events/outbox.h"
#include "testlib.h"

static int calls;
static char seen[64][64];
static int fail_type_until; /* fail "x.flaky" until this many calls happened */

static op_code record(ctx *c, long long id, const char *type, const char *subject, json_t *payload) {
    (void)c;
    (void)id;
    (void)payload;
    if (strcmp(type, "x.flaky") == 0 && calls < fail_type_until) {
        calls++;
        return op_fail(&c->err, OP_UNAVAILABLE, NULL, "partner down");
    }
    if (strcmp(type, "x.broken") == 0) return op_fail(&c->err, OP_INTERNAL, NULL, "always fails");
    if (calls < 64) snprintf(seen[calls], sizeof seen[0], "%s/%s", subject, type);
    calls++;
    return OP_OK;
}

static void emit(const char *type, const char *subject, bool commit) {
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(store_begin(c.db, &e), OP_OK);
    json_t *p = json_pack("{s:s}", "k", "v");
    cr_assert_eq(event_emit(&c, type, subject, p), OP_OK, "%s", c.err.detail);
    json_decref(p);
    if (commit) cr_assert_eq(store_commit(c.db, &e), OP_OK);
    else store_rollback(c.db);
    ctx_release(&c);
}

static int64_t count(store *s, const char *sql) { return test_count(s, sql); }

static void init(void) {
    calls = 0;
    fail_type_until = 0;
    memset(seen, 0, sizeof seen);
    event_register("x.", record);
}

Test(outbox, emit_outside_transaction_is_refused, .init = init) {
    test_db_open();
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(event_emit(&c, "x.a", "s1", NULL), OP_INTERNAL);
    ctx_release(&c);
}

Test(outbox, rolled_back_change_leaves_no_event, .init = init) {
    store *s = test_db_open();
    emit("x.a", "s1", false);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events"), 0);
}

Test(outbox, processed_once_and_in_order_per_subject, .init = init) {
    store *s = test_db_open();
    emit("x.a", "p1", true);
    emit("x.b", "p2", true);
    emit("x.c", "p1", true);
    op_err e = {0};
    /* First pass can only take the earliest event of each subject. */
    cr_assert_eq(worker_run_once("w1", 100, &e), 2, "%s", e.detail);
    cr_assert_str_eq(seen[0], "p1/x.a");
    cr_assert_str_eq(seen[1], "p2/x.b");
    cr_assert_eq(worker_run_once("w1", 100, &e), 1);
    cr_assert_str_eq(seen[2], "p1/x.c");
    cr_assert_eq(worker_run_once("w2", 100, &e), 0, "nothing processed twice");
    cr_assert_eq(calls, 3);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events WHERE status = 'done'"), 3);
}

Test(outbox, failure_retries_later_and_blocks_the_subject, .init = init) {
    store *s = test_db_open();
    fail_type_until = 1;
    emit("x.flaky", "p1", true);
    emit("x.after", "p1", true);
    op_err e = {0};
    cr_assert_eq(worker_run_once("w1", 100, &e), 0);
    cr_assert_eq(count(s, "SELECT attempts FROM events WHERE type = 'x.flaky'"), 1);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events WHERE status = 'pending' AND last_error IS NOT NULL"), 1);
    /* Back-off: not available yet, and the later event of the same subject waits behind it. */
    cr_assert_eq(worker_run_once("w1", 100, &e), 0);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events WHERE status = 'done'"), 0);
    store_exec(s, &e, NULL, "UPDATE events SET available_at = '2000-01-01T00:00:00.000000Z' WHERE type = 'x.flaky'", "");
    cr_assert_eq(worker_run_once("w1", 100, &e), 1);
    cr_assert_eq(worker_run_once("w1", 100, &e), 1);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events WHERE status = 'done'"), 2);
}

Test(outbox, repeated_failure_ends_dead, .init = init) {
    store *s = test_db_open();
    emit("x.broken", "p9", true);
    op_err e = {0};
    for (int i = 0; i < EVENT_MAX_ATTEMPTS; i++) {
        store_exec(s, &e, NULL, "UPDATE events SET available_at = '2000-01-01T00:00:00.000000Z'", "");
        worker_run_once("w1", 10, &e);
    }
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM events WHERE status = 'dead'"), 1);
    cr_assert_eq(count(s, "SELECT attempts FROM events"), EVENT_MAX_ATTEMPTS);
}

Test(outbox, expired_lease_is_reclaimed, .init = init) {
    store *s = test_db_open();
    emit("x.a", "p1", true);
    op_err e = {0};
    /* A worker that crashed holding a lease: someone else takes over after it expires. */
    store_exec(s, &e, NULL, "UPDATE events SET lease_owner = 'dead-worker', lease_until = '2999-01-01T00:00:00.000000Z'", "");
    cr_assert_eq(worker_run_once("w1", 10, &e), 0);
    store_exec(s, &e, NULL, "UPDATE events SET lease_until = '2000-01-01T00:00:00.000000Z'", "");
    cr_assert_eq(worker_run_once("w1", 10, &e), 1);
}
