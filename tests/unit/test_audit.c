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
    cr_assert_eq(store_exec(s, &e, NULL, "UPDATE audit_log SET purpose = 'statistics' WHERE seq = 3", ""), OP_OK, "%s", e.detail);
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 3 was altered"), "%s", e.detail);
    cr_assert_eq(n, 2);
}

Test(audit, deleted_record_is_reported) {
    store *s = test_db_open();
    add_records(5, true);
    op_err e = {0};
    cr_assert_eq(store_exec(s, &e, NULL, "DELETE FROM audit_log WHERE seq = 2", ""), OP_OK, "%s", e.detail);
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 2 is missing"), "%s", e.detail);
}

Test(audit, truncated_tail_is_reported) {
    store *s = test_db_open();
    add_records(4, true);
    op_err e = {0};
    cr_assert_eq(store_exec(s, &e, NULL, "DELETE FROM audit_log WHERE seq = 4", ""), OP_OK, "%s", e.detail);
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "head says 4"), "%s", e.detail);
}

Test(audit, inserted_record_is_reported) {
    store *s = test_db_open();
    add_records(3, true);
    op_err e = {0};
    /* Shift record 3 to 4 and forge a record 3 that links to 2 but breaks the link of the next. */
    cr_assert_eq(store_exec(s, &e, NULL, "UPDATE audit_log SET seq = 4 WHERE seq = 3", ""), OP_OK, "%s", e.detail);
    cr_assert_eq(store_exec(s, &e, NULL,
                            "INSERT INTO audit_log (seq, ts, actor_type, actor_id, actor_role, actor_office,"
                            " actor_region, action, resource_type, resource_id, person_id, purpose, legal_basis,"
                            " outcome, correlation_id, detail, prev_hash, hash) SELECT 3, ts, actor_type, actor_id,"
                            " actor_role, actor_office, actor_region, action, resource_type, resource_id, person_id,"
                            " purpose, legal_basis, outcome, correlation_id, detail, hash, hash FROM audit_log"
                            " WHERE seq = 2",
                            ""),
                 OP_OK, "%s", e.detail);
    cr_assert_eq(audit_verify(s, NULL, &e), OP_CONFLICT);
    cr_assert(strstr(e.detail, "record 3 was altered"), "the forged record is named: %s", e.detail);
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

static int64_t count(store *s, const char *sql) { return test_count(s, sql); }

static const struct audit_rec WRITE = {.action = "UPDATE", .resource_type = "person", .resource_id = "p",
                                       .person_id = "p", .purpose = "system_operation", .legal_basis = "test",
                                       .outcome = "allow"};

Test(audit, a_write_record_commits_with_the_data_and_is_chained_before_the_context_ends) {
    store *s = test_db_open();
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(store_begin(c.db, &e), OP_OK);
    cr_assert_eq(audit_record(&c, &WRITE), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(c.db, &e), OP_OK);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_pending"), 1, "committed with the data");
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log"), 0, "not chained inside the data's transaction");
    ctx_release(&c);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'UPDATE' AND record_id IS NOT NULL"), 1,
                 "chained by the time the context is released");
    /* SQLite: the pending row is cleaned up by the periodic task, not by the committer (which must
     * not wait for the main file's lock); PostgreSQL: the chain transaction deleted it. */
    bool pg = store_kind(s) == STORE_PG;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(audit_drop_chained_pending(&c), pg ? 0 : 1, "%s", c.err.detail);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_pending"), 0);
    audit_flush();
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log"), 1, "a flush after the clean-up chains nothing again");
    ctx_release(&c);
    audit_stop();
}

Test(audit, a_rolled_back_write_leaves_no_record) {
    store *s = test_db_open();
    op_err e = {0};
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(store_begin(c.db, &e), OP_OK);
    cr_assert_eq(audit_record(&c, &WRITE), OP_OK);
    store_rollback(c.db);
    ctx_release(&c);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_pending"), 0);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log"), 0);
    audit_stop();
}

Test(audit, a_pending_record_already_in_the_chain_is_not_chained_twice) {
    /* A committer that dies after committing the chain and before deleting the pending rows
     * leaves them behind; the next flush must recognise them. */
    store *s = test_db_open();
    add_records(2, true);
    op_err e = {0};
    ctx c0;
    cr_assert(ctx_init_system(&c0, "test", "system_operation", &e));
    cr_assert_eq(audit_drop_chained_pending(&c0), store_kind(s) == STORE_PG ? 0 : 2,
                 "the two chained records are cleaned up (PostgreSQL: by the chain transaction already)");
    ctx_release(&c0);
    cr_assert_eq(store_exec(s, &e, NULL,
                            "INSERT INTO audit_pending (record_id, ts, actor_type, action, resource_type, purpose,"
                            " legal_basis, outcome) SELECT record_id, ts, actor_type, action, resource_type,"
                            " purpose, legal_basis, outcome FROM audit_log WHERE seq = 1",
                            ""),
                 OP_OK, "%s", e.detail);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_pending"), 1);
    audit_flush();
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, 2, "the leftover is not appended again");
    ctx c;
    cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
    cr_assert_eq(audit_drop_chained_pending(&c), 1, "and the clean-up deletes it");
    ctx_release(&c);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_pending"), 0);
    audit_stop();
}

Test(audit, on_sqlite_the_log_lives_in_its_own_file) {
    store *s = test_db_open();
    if (store_kind(s) == STORE_PG) cr_skip_test("PostgreSQL keeps the log in the one database");
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM main.sqlite_master WHERE name IN ('audit_log', 'audit_head')"), 0);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit.sqlite_master WHERE name IN ('audit_log', 'audit_head')"), 2);
    cr_assert_eq(count(s, "PRAGMA audit.page_size"), 1024, "small pages: each record dirties a random index leaf");
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM main.sqlite_master WHERE name = 'audit_pending'"), 1,
                 "records of writes wait in the data's file, in the data's transaction");
}

/* Read audits must not wait for a long write transaction on the data (an import, a payment
 * batch): on SQLite the chain lives in its own file and its transaction locks only that file. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t w_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t w_cv = PTHREAD_COND_INITIALIZER;
static bool w_open, w_done;

static void *long_writer(void *arg) {
    (void)arg;
    op_err e = {0};
    store *s = store_thread(&e);
    cr_assert(s, "%s", e.detail);
    cr_assert_eq(store_begin(s, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(store_exec(s, &e, NULL,
                            "INSERT INTO offices (id, code, name, kind, region_code, created_at) VALUES"
                            " ('01900000-0000-7000-8000-0000000000aa', 'LONG-1', 'Long', 'job_centre', 'KR-11', 'x')",
                            ""),
                 OP_OK, "%s", e.detail);
    pthread_mutex_lock(&w_mu);
    w_open = true;
    pthread_cond_signal(&w_cv);
    pthread_mutex_unlock(&w_mu);
    sleep(3); /* holds the main file's write lock */
    pthread_mutex_lock(&w_mu);
    w_done = true;
    pthread_mutex_unlock(&w_mu);
    store_commit(s, &e);
    store_thread_close();
    return NULL;
}

Test(audit, read_audits_do_not_wait_for_a_long_write_transaction) {
    store *s = test_db_open();
    if (store_kind(s) == STORE_PG) cr_skip_test("PostgreSQL writers do not block each other's other rows");
    pthread_t t;
    pthread_create(&t, NULL, long_writer, NULL);
    pthread_mutex_lock(&w_mu);
    while (!w_open) pthread_cond_wait(&w_cv, &w_mu);
    pthread_mutex_unlock(&w_mu);
    add_records(3, false); /* reads through the group committer; returns once durable */
    pthread_mutex_lock(&w_mu);
    bool writer_still_open = !w_done;
    pthread_mutex_unlock(&w_mu);
    cr_assert(writer_still_open, "the read audits were written while the write transaction was still open");
    pthread_join(t, NULL);
    op_err e = {0};
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, 3);
    audit_stop();
}

/* The audit file's WAL gets a commit's frames in one write (store/sqlite_walbuf.c), and they are
 * on disk before the commit counts as durable: a process that ends right after its records were
 * chained - no close, no flush at exit - leaves them all in the file. */
#include <sqlite3.h>
#include <sys/wait.h>

#include "store/store_int.h"

static int64_t audit_rows_on_disk(void) {
    char path[600];
    snprintf(path, sizeof path, "%s.audit", test_db_url);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit_log", -1, &st, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

Test(audit, on_sqlite_a_chain_commit_reaches_the_wal_in_one_write_before_it_is_durable) {
    store *s = test_db_open();
    if (store_kind(s) == STORE_PG) cr_skip_test("the audit file's VFS is SQLite's");
    int64_t before = audit_rows_on_disk();
    unsigned long long a0, w0, a1, w1;
    sq_walbuf_stats(&a0, &w0);
    add_records(40, false);
    sq_walbuf_stats(&a1, &w1);
    cr_assert_geq(a1 - a0, 40, "SQLite wrote a header and a page per frame (%llu)", a1 - a0);
    cr_assert_lt((w1 - w0) * 8, a1 - a0, "gathered: %llu writes for %llu frame parts", w1 - w0, a1 - a0);
    cr_assert_eq(audit_rows_on_disk(), before + 40, "another connection reads every chained record");

    /* The child starts from nothing of ours: no committer thread, no open connection. */
    audit_stop();
    store_thread_close();
    fflush(NULL);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) { /* chains 25 records, then ends at once: no close, no exit handlers */
        add_records(25, false);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_eq(audit_rows_on_disk(), before + 65, "records chained before the end are in the file");
    op_err e0 = {0};
    s = store_thread(&e0);
    cr_assert(s, "%s", e0.detail);
    op_err e = {0};
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, before + 65);
    audit_stop();
}
