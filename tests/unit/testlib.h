/* testlib.h - shared set-up for Criterion unit tests.
 *
 * test_db_open() gives each test a fresh, migrated database: an SQLite file in a temp dir, or -
 * when OPENPES_TEST_PG_ADMIN is set (the README test command sets it) - a new PostgreSQL
 * database created through that admin URL.  The store becomes this thread's connection. */
#ifndef OPENPES_TESTLIB_H
#define OPENPES_TESTLIB_H
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/id.h"
#include "core/ctx.h"
#include "domain/person.h"
#include "sec/keys.h"
#include "store/store.h"

static char test_db_url[512];

static inline store *test_db_open(void) {
    const char *admin = getenv("OPENPES_TEST_PG_ADMIN");
    char id[ID_LEN];
    id_uuid7(id);
    if (admin && *admin) {
        char name[64];
        /* OPENPES_TEST_RUN (set by scripts/test-all.sh) tags the databases of one run, so that the
         * run drops only its own and never those of another checkout's run on the same cluster. */
        const char *run = getenv("OPENPES_TEST_RUN");
        snprintf(name, sizeof name, "ut_%.12s%s%.8s%.4s", run && *run ? run : "", run && *run ? "_" : "", id + 28, id + 9);
        PGconn *c = PQconnectdb(admin);
        cr_assert(PQstatus(c) == CONNECTION_OK, "admin connection: %s", PQerrorMessage(c));
        char sql[128];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        PQclear(PQexec(c, sql));
        PQfinish(c);
        const char *slash = strrchr(admin, '/');
        snprintf(test_db_url, sizeof test_db_url, "%.*s/%s", (int)(slash - admin), admin, name);
    } else {
        snprintf(test_db_url, sizeof test_db_url, "/tmp/openpes-ut-%d-%s.db", (int)getpid(), id);
    }
    store_set_url(test_db_url);
    char keyfile[600];
    snprintf(keyfile, sizeof keyfile, "/tmp/openpes-ut-%d-%s.keys.json", (int)getpid(), id);
    keys_set_path(keyfile);
    op_err e = {0};
    cr_assert(keys_load(&e) == OP_OK, "keys: %s", e.detail);
    store *s = store_thread(&e);
    cr_assert(s, "open %s: %s", test_db_url, e.detail);
    cr_assert(store_migrate(s, &e) == OP_OK, "migrate: %s", e.detail);
    return s;
}

/* The single integer a query answers (a COUNT, a SUM, a column of one row); the test fails when the
 * query fails or finds no row. */
static inline int64_t test_count(store *s, const char *sql) {
    op_err e = {0};
    store_stmt *st = store_query(s, &e, sql, "");
    cr_assert(st, "%s: %s", sql, e.detail);
    int64_t n = store_col_int(st, 0);
    store_reset(st);
    return n;
}

/* A person created through the domain API, as the system, in its own transaction: `in` is the
 * person's JSON (a new reference, released here); *id receives the new person's id. */
static inline void test_person_create(store *s, json_t *in, char id[ID_LEN]) {
    ctx c;
    op_err e = {0};
    json_t *out = NULL;
    cr_assert(ctx_init_system(&c, "test", "benefit_administration", &e), "%s", e.detail);
    cr_assert_eq(store_begin(s, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s (%s)", c.err.detail, c.err.field);
    cr_assert_eq(store_commit(s, &e), OP_OK, "%s", e.detail);
    snprintf(id, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
    ctx_release(&c);
}

/* A staff actor built directly (what sign-in would produce), no purpose declared yet. */
static inline void test_staff_ctx(ctx *c, const char *account_id, unsigned role, const char *office, const char *region) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", NULL, &e), "%s", e.detail);
    c->who.type = ACTOR_STAFF;
    snprintf(c->who.id, sizeof c->who.id, "%s", account_id);
    c->who.role = role;
    snprintf(c->who.office_id, sizeof c->who.office_id, "%s", office);
    snprintf(c->who.region, sizeof c->who.region, "%s", region);
}

static inline int test_db_is_pg(void) {
    const char *admin = getenv("OPENPES_TEST_PG_ADMIN");
    return admin && *admin;
}

#endif
