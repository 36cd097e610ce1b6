/* test_store_sync.c - write durability and concurrency of the store (docs/DECISIONS.md 10):
 * deferred syncs, concurrent writers, bounded WALs, and the audit committer's scan of pending
 * write records across many flushes and clean-ups. */
#include <pthread.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "core/ctx.h"
#include "store/store_int.h"
#include "testlib.h"

static int64_t count(store *s, const char *sql) { return test_count(s, sql); } /* testlib.h */

Test(store_sync, a_deferred_commit_is_reported_once_and_synced_on_request) {
    store *s = test_db_open();
    op_err e = {0};
    cr_assert_eq(store_exec_script(s, "CREATE TABLE d (k TEXT PRIMARY KEY)", &e), OP_OK, "%s", e.detail);
    cr_assert_eq(store_begin(s, &e), OP_OK);
    store_exec(s, &e, NULL, "INSERT INTO d (k) VALUES (?)", "s", "blocking");
    cr_assert_eq(store_commit(s, &e), OP_OK, "%s", e.detail);
    cr_assert(!store_take_unsynced(s), "a commit without deferral is durable when it returns");

    store_defer_sync(s, true);
    cr_assert_eq(store_begin(s, &e), OP_OK);
    store_exec(s, &e, NULL, "INSERT INTO d (k) VALUES (?)", "s", "deferred");
    cr_assert_eq(store_commit(s, &e), OP_OK, "%s", e.detail);
    store_defer_sync(s, false);
    /* SQLite defers the sync; PostgreSQL's COMMIT is durable by itself. */
    cr_assert_eq(store_take_unsynced(s), !test_db_is_pg(), "a deferred commit is reported");
    cr_assert(!store_take_unsynced(s), "and only once");
    cr_assert_eq(store_sync(s, &e), OP_OK, "%s", e.detail);

    /* A read transaction is no write: nothing to sync. */
    store_defer_sync(s, true);
    cr_assert_eq(store_begin_read(s, &e), OP_OK);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM d"), 2);
    cr_assert_eq(store_commit(s, &e), OP_OK);
    store_defer_sync(s, false);
    cr_assert(!store_take_unsynced(s));
}

#define WRITERS 4
#define TX_EACH 60

static void *writer(void *arg) {
    long w = (long)arg;
    op_err e = {0};
    store *s = store_thread(&e);
    long ok = 0;
    for (int i = 0; s && i < TX_EACH; i++) {
        if (store_begin(s, &e)) continue;
        char k[32];
        snprintf(k, sizeof k, "%ld-%d", w, i);
        if (store_exec(s, &e, NULL, "INSERT INTO w (k, n) VALUES (?, ?)", "si", k, (int64_t)i) ||
            store_exec(s, &e, NULL, "UPDATE c SET n = n + 1 WHERE id = 1", "")) {
            store_rollback(s);
            continue;
        }
        if (store_commit(s, &e) == OP_OK) ok++;
    }
    store_thread_close();
    return (void *)ok;
}

Test(store_sync, concurrent_writers_all_commit_and_none_is_lost) {
    store *s = test_db_open();
    op_err e = {0};
    cr_assert_eq(store_exec_script(s, "CREATE TABLE w (k TEXT PRIMARY KEY, n BIGINT); CREATE TABLE c (id BIGINT PRIMARY KEY, n BIGINT);"
                                      " INSERT INTO c (id, n) VALUES (1, 0)",
                                   &e),
                 OP_OK, "%s", e.detail);
    pthread_t t[WRITERS];
    for (long i = 0; i < WRITERS; i++) pthread_create(&t[i], NULL, writer, (void *)i);
    long ok = 0;
    for (int i = 0; i < WRITERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok += (long)r;
    }
    cr_assert_eq(ok, WRITERS * TX_EACH, "every write transaction committed (no busy failures)");
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM w"), WRITERS * TX_EACH);
    cr_assert_eq(count(s, "SELECT n FROM c WHERE id = 1"), WRITERS * TX_EACH, "no lost update");
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* An SQLite database with a table of 8 KB rows, its WAL emptied first (the migrations wrote
 * megabytes) and the checkpoint threshold at 256 KiB; then n transactions of one row each.
 * Returns the database file's size before the rows. */
static long write_rows(store *s, int n) {
    op_err e = {0};
    store_sqlite_checkpoint_bytes = 256 << 10;
    cr_assert_eq(store_exec_script(s, "CREATE TABLE big (k INTEGER PRIMARY KEY, v TEXT)", &e), OP_OK, "%s", e.detail);
    cr_assert_eq(store_exec_script(s, "PRAGMA main.wal_checkpoint(TRUNCATE)", &e), OP_OK, "%s", e.detail);
    long db0 = file_size(test_db_url);
    char v[8001];
    memset(v, 'x', sizeof v - 1);
    v[sizeof v - 1] = 0;
    for (int i = 0; i < n; i++) {
        cr_assert_eq(store_begin(s, &e), OP_OK);
        cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO big (k, v) VALUES (?, ?)", "is", (int64_t)i, v), OP_OK, "%s", e.detail);
        cr_assert_eq(store_commit(s, &e), OP_OK, "%s", e.detail);
    }
    return db0;
}

Test(store_sync, sustained_writes_keep_the_wal_bounded_and_reach_the_database_file) {
    if (test_db_is_pg()) cr_skip_test("SQLite WAL");
    store *s = test_db_open();
    long db0 = write_rows(s, 400); /* ~3.2 MB, one writer that never pauses */
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", test_db_url);
    cr_assert_lt(file_size(wal), 2L << 20, "the WAL stays near its bound (%ld bytes)", file_size(wal));
    cr_assert_gt(file_size(test_db_url), db0 + (1L << 20), "checkpoints copied the rows into the database file");
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM big"), 400);
}

Test(store_sync, the_background_checkpoint_copies_frames) {
    /* Below the writer's own limit (4 x the threshold) only the background checkpointer copies:
     * its fresh connection once answered "not in WAL mode" and copied nothing. */
    if (test_db_is_pg()) cr_skip_test("SQLite WAL");
    store *s = test_db_open();
    long db0 = write_rows(s, 60); /* ~480 KB: past the threshold, short of 4 x */
    for (int i = 0; i < 100 && file_size(test_db_url) < db0 + (200L << 10); i++) usleep(50000);
    cr_assert_gt(file_size(test_db_url), db0 + (200L << 10), "the checkpointer copied the frames (%ld -> %ld bytes)", db0,
                 file_size(test_db_url));
}

static const struct audit_rec WRITE = {.action = "UPDATE", .resource_type = "person", .resource_id = "p",
                                       .person_id = "p", .purpose = "system_operation", .legal_basis = "test",
                                       .outcome = "allow"};

Test(store_sync, every_write_record_is_chained_once_across_flushes_and_clean_ups) {
    store *s = test_db_open();
    op_err e = {0};
    int64_t total = 0;
    for (int round = 0; round < 5; round++) {
        ctx c;
        cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
        cr_assert_eq(store_begin(c.db, &e), OP_OK);
        for (int i = 0; i <= round * 3; i++, total++) cr_assert_eq(audit_record(&c, &WRITE), OP_OK, "%s", c.err.detail);
        cr_assert_eq(store_commit(c.db, &e), OP_OK);
        ctx_release(&c); /* waits until the committer has chained them */
        cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log WHERE record_id IS NOT NULL"), total, "round %d", round);
        if (round % 2 == 1) { /* the periodic clean-up between rounds */
            cr_assert(ctx_init_system(&c, "test", "system_operation", &e));
            cr_assert_geq(audit_drop_chained_pending(&c), 0, "%s", c.err.detail);
            ctx_release(&c);
        }
        audit_flush(); /* a flush with nothing new chains nothing again */
        cr_assert_eq(count(s, "SELECT COUNT(*) FROM audit_log WHERE record_id IS NOT NULL"), total);
    }
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(n, total);
    audit_stop();
}
