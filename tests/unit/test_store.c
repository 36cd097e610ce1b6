/* test_store.c - the store interface behaves the same on SQLite and PostgreSQL. */
#include "testlib.h"

Test(store, exec_query_and_types) {
    store *s = test_db_open();
    op_err e = {0};
    cr_assert_eq(store_exec_script(s, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)", &e), OP_OK, "%s", e.detail);
    cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO t (k, n, note) VALUES (?, ?, ?)", "sin", "a", (int64_t)9007199254740993LL), OP_OK);
    store_stmt *st = store_query(s, &e, "SELECT n, note, k FROM t WHERE k = ?", "s", "a");
    cr_assert(st);
    cr_assert_eq(store_col_int(st, 0), 9007199254740993LL);
    cr_assert(store_col_null(st, 1));
    cr_assert_null(store_col_text(st, 1));
    cr_assert_str_eq(store_col_text(st, 2), "a");
    store_reset(st);
    cr_assert_null(store_query(s, &e, "SELECT n FROM t WHERE k = ?", "s", "zz"));
    cr_assert_eq(e.code, OP_OK, "no row is not an error");
}

Test(store, unique_violation_is_duplicate) {
    store *s = test_db_open();
    op_err e = {0};
    store_exec_script(s, "CREATE TABLE u (k TEXT PRIMARY KEY)", &e);
    cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO u (k) VALUES (?)", "s", "x"), OP_OK);
    cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO u (k) VALUES (?)", "s", "x"), OP_DUPLICATE);
}

Test(store, rollback_discards_and_nesting_joins) {
    store *s = test_db_open();
    op_err e = {0};
    store_exec_script(s, "CREATE TABLE r (k TEXT PRIMARY KEY)", &e);
    cr_assert_eq(store_begin(s, &e), OP_OK);
    cr_assert_eq(store_begin(s, &e), OP_OK); /* nested joins the outer */
    store_exec(s, &e, NULL, "INSERT INTO r (k) VALUES (?)", "s", "gone");
    cr_assert_eq(store_commit(s, &e), OP_OK); /* inner commit does not commit */
    cr_assert(store_in_tx(s));
    store_rollback(s);
    cr_assert_null(store_query(s, &e, "SELECT k FROM r", ""));
}

Test(store, migrations_are_idempotent) {
    store *s = test_db_open();
    op_err e = {0};
    int v = store_schema_version(s);
    cr_assert_gt(v, 0);
    cr_assert_eq(store_migrate(s, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(store_schema_version(s), v);
}

Test(store, placeholder_inside_literal_is_not_a_parameter) {
    store *s = test_db_open();
    op_err e = {0};
    store_stmt *st = store_query(s, &e, "SELECT '?', ?", "s", "x");
    cr_assert(st, "%s", e.detail);
    cr_assert_str_eq(store_col_text(st, 0), "?");
    cr_assert_str_eq(store_col_text(st, 1), "x");
    store_reset(st);
}
