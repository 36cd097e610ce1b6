/* jobs_fixture.h - a fresh database with one verified employer, shared by the job-market unit
 * tests: C is the system context, EMP the employer's id. */
#ifndef OPENPES_JOBS_FIXTURE_H
#define OPENPES_JOBS_FIXTURE_H
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "testlib.h"

static ctx C;
static char EMP[ID_LEN];

static void jobs_fixture_setup(void) {
    test_db_open();
    op_err e = {0};
    cr_assert(ctx_init_system(&C, "test", NULL, &e), "%s", e.detail);
    json_t *in = json_pack("{s:s, s:s, s:s}", "name", "Acme", "brn", "220-81-62517", "size_class", "small"), *out;
    cr_assert_eq(jobs_employer_create(&C, in, &out), OP_OK, "%s", C.err.detail);
    snprintf(EMP, sizeof EMP, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
}
static void jobs_fixture_teardown(void) { ctx_release(&C); }

#endif
