/* test_audit.c - the audit hash chain: appends, group commit, and tamper detection. */
#include "audit/audit.h"
#include "testlib.h"

static void add_records(int n, bool in_tx) {
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    if (in_tx) store_begin(c.db, &e);
    for (int i = 0; i < n; i++) {
        char pid[ID_LEN];
        id_uuid7(pid);
        struct audit_rec r = {.action = "READ", .resource_type = "person", .resource_id = pid, .person_id = pid,
                              .purpose = "system_operation", .legal_basis = "test", .outcome = "allow"};
        cr_assert_eq(audit_record(&c, &r), OP_OK, "%s", c.err.detail);
    }
    if (in_tx) {
        cr_assert_eq(store_commit(c.db, &e), OP_OK);
    } else {
        audit_ticket *t = audit_submit(&c);
        cr_assert(t);
        cr_assert(audit_ticket_wait(t));
    }
    ctx_release(&c);
}

Test(audit, chain_verifies_after_tx_and_group_commit) {
    store *s = test_db_open();
    add_records(3, true);
    add_records(4, false);
    op_err e = {0};
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, 7);
    audit_stop();
}

Test(audit, altered_record_is_reported) {
    store *s = test_db_open();
    add_records(5, true);
    op_err e = {0};
    store_exec(s, &e, NULL, "UPDATE audit_log SET purpose = 'statistics' WHERE seq = 3", "");
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 3 was altered"), "%s", e.detail);
    cr_assert_eq(n, 2);
}

Test(audit, deleted_record_is_reported) {
    store *s = test_db_open();
    add_records(5, true);
    op_err e = {0};
    store_exec(s, &e, NULL, "DELETE FROM audit_log WHERE seq = 2", "");
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 2 is missing"), "%s", e.detail);
}

Test(audit, truncated_tail_is_reported) {
    store *s = test_db_open();
    add_records(4, true);
    op_err e = {0};
    store_exec(s, &e, NULL, "DELETE FROM audit_log WHERE seq = 4", "");
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "head says 4"), "%s", e.detail);
}

Test(audit, inserted_record_is_reported) {
    store *s = test_db_open();
    add_records(3, true);
    op_err e = {0};
    /* Shift record 3 to 4 and forge a record 3 that links to 2 but breaks the link of the next. */
    store_exec(s, &e, NULL, "UPDATE audit_log SET seq = 4 WHERE seq = 3", "");
    store_exec(s, &e, NULL,
               "INSERT INTO audit_log SELECT 3, ts, actor_type, actor_id, actor_role, actor_office, actor_region,"
               " action, resource_type, resource_id, person_id, purpose, legal_basis, outcome, correlation_id,"
               " detail, hash, hash FROM audit_log WHERE seq = 2", "");
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 3"), "%s", e.detail);
}

Test(audit, ctx_release_writes_queued_records) {
    /* CLI commands and worker jobs never call audit_submit themselves: releasing the context
     * must write what was queued, not drop it. */
    store *s = test_db_open();
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    struct audit_rec r = {.action = "READ", .resource_type = "person", .resource_id = "p", .person_id = "p",
                          .purpose = "system_operation", .legal_basis = "test", .outcome = "allow"};
    cr_assert_eq(audit_record(&c, &r), OP_OK);
    cr_assert_eq(audit_record(&c, &r), OP_OK);
    ctx_release(&c);
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, 2, "both queued reads are in the log");
    audit_stop();
}
