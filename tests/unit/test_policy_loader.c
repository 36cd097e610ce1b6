/* test_policy_loader.c - the pack loader rejects malformed and inconsistent packs with precise
 * errors (file, parameter, problem); directory resolution; the thread-safe cache. */
#include <pthread.h>

#include "test_policy_common.h"

static char tmpdir[64];

static void cleanup(void) {
    if (tmpdir[0]) {
        char p[128];
        snprintf(p, sizeof p, "%s/kr.json", tmpdir);
        unlink(p);
        snprintf(p, sizeof p, "%s/de.json", tmpdir);
        unlink(p);
        rmdir(tmpdir);
    }
    pt_teardown();
}

TestSuite(loader, .init = pt_setup, .fini = cleanup);

/* The real pack of a country as JSON (arena-owned). */
static json_t *real_pack(const char *cc) {
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s.json", pt_pack_dir(), cc);
    json_error_t je;
    json_t *v = json_load_file(path, 0, &je);
    cr_assert(v, "%s: %s", path, je.text);
    return jx_arena(pt_a, v);
}

static const char *write_pack(const char *name, const json_t *doc, const char *raw) {
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/openpes-pol-XXXXXX");
        cr_assert(mkdtemp(tmpdir));
    }
    char *path = arena_printf(pt_a, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    if (raw) fputs(raw, f);
    else json_dumpf(doc, f, JSON_INDENT(1));
    fclose(f);
    return path;
}

/* Load a mutated pack and expect an error containing every needle. */
static void expect_bad(const json_t *doc, const char *n1, const char *n2) {
    const char *path = write_pack("kr.json", doc, NULL);
    pol_pack *p = NULL;
    op_err e = {0};
    op_code rc = pol_pack_load_file(path, &p, &e);
    cr_assert_eq(rc, OP_INTERNAL, "expected rejection (%s), got %d", n1, rc);
    cr_assert_null(p);
    cr_assert(strstr(e.detail, path), "names the file: %s", e.detail);
    cr_assert(strstr(e.detail, n1), "\"%s\" in: %s", n1, e.detail);
    if (n2) cr_assert(strstr(e.detail, n2), "\"%s\" in: %s", n2, e.detail);
}

static json_t *param(json_t *doc, const char *name) { return json_object_get(json_object_get(doc, "params"), name); }
static json_t *val(json_t *doc, const char *name, size_t i) { return json_array_get(json_object_get(param(doc, name), "values"), i); }

Test(loader, shipped_packs_load) {
    const char *cc[] = {"kr", "de"};
    for (int i = 0; i < 2; i++) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/%s.json", pt_pack_dir(), cc[i]);
        pol_pack *p = NULL;
        op_err e = {0};
        cr_assert_eq(pol_pack_load_file(path, &p, &e), OP_OK, "%s", e.detail);
        cr_assert_eq(p->minor_digits, i == 0 ? 0 : 2);
        cr_assert_str_eq(p->currency, i == 0 ? "KRW" : "EUR");
        pol_pack_free(p);
    }
}

Test(loader, every_schema_parameter_is_shipped_with_a_source) {
    const pol_pack *kr, *de;
    op_err e = {0};
    cr_assert_eq(pol_pack_get("KR", &kr, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(pol_pack_get("DE", &de, &e), OP_OK, "%s", e.detail);
    for (const pol_schema_row *r = pol_schema_rows(); r->name; r++) {
        const pol_pack *p = !strcmp(r->country, "KR") ? kr : de;
        cr_assert(pol_param_def(p, r->name), "%s missing", r->name);
    }
}

Test(loader, malformed_json) {
    const char *path = write_pack("kr.json", NULL, "{\"format\": 1, \"country\": ");
    pol_pack *p = NULL;
    op_err e = {0};
    cr_assert_eq(pol_pack_load_file(path, &p, &e), OP_INTERNAL);
    cr_assert(strstr(e.detail, path) && strstr(e.detail, "line 1"), "%s", e.detail);
    path = write_pack("kr.json", NULL, "[1,2]");
    cr_assert_eq(pol_pack_load_file(path, &p, &e), OP_INTERNAL);
    cr_assert(strstr(e.detail, "top level"), "%s", e.detail);
    path = write_pack("kr.json", NULL, "{\"format\":1,\"format\":1}");
    cr_assert_eq(pol_pack_load_file(path, &p, &e), OP_INTERNAL, "duplicate keys are rejected");
}

Test(loader, overlapping_periods) {
    json_t *d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.base_cap", 1), "valid_from", json_string("2025-12-01"));
    expect_bad(d, "\"kr.ei.base_cap\"", "overlaps");
}

Test(loader, open_ended_period_followed_by_another) {
    json_t *d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.base_cap", 0), "valid_to", json_null());
    expect_bad(d, "\"kr.ei.base_cap\"", "open-ended");
}

Test(loader, gap_between_periods) {
    json_t *d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.base_cap", 1), "valid_from", json_string("2026-02-01"));
    expect_bad(d, "\"kr.ei.base_cap\"", "gap in validity from 2026-01-01 to 2026-01-31");
}

Test(loader, unsorted_periods) {
    json_t *d = real_pack("kr");
    json_t *vals = json_object_get(param(d, "kr.ei.min_wage_hourly"), "values");
    json_t *first = json_deep_copy(json_array_get(vals, 0));
    json_array_remove(vals, 0);
    json_array_append_new(vals, first);
    expect_bad(d, "\"kr.ei.min_wage_hourly\"", "not sorted");
}

Test(loader, missing_source) {
    json_t *d = real_pack("kr");
    json_object_del(val(d, "kr.ei.rate", 0), "source");
    expect_bad(d, "\"kr.ei.rate\"", "missing source");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "source", json_string(""));
    expect_bad(d, "\"kr.ei.rate\"", "source");
}

Test(loader, wrong_value_types) {
    json_t *d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "value", json_string("0.6"));
    expect_bad(d, "\"kr.ei.rate\"", "number from 0 to 1");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "value", json_real(0.1234567));
    expect_bad(d, "\"kr.ei.rate\"", "6 decimals");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.base_cap", 0), "value", json_real(110000.5));
    expect_bad(d, "\"kr.ei.base_cap\"", "integer");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.repeated_recipient.enabled", 0), "value", json_string("off"));
    expect_bad(d, "\"kr.ei.repeated_recipient.enabled\"", "true or false");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rounding.daily_amount", 0), "value", json_string("bankers"));
    expect_bad(d, "\"kr.ei.rounding.daily_amount\"", "half_up");
}

Test(loader, declared_type_must_match_the_engine) {
    json_t *d = real_pack("kr");
    json_object_set_new(param(d, "kr.ei.rate"), "type", json_string("money"));
    expect_bad(d, "\"kr.ei.rate\"", "wrong type \"money\" (expected \"rate\")");
    d = real_pack("kr");
    json_object_set_new(param(d, "kr.ei.rate"), "programme", json_string("nesp"));
    expect_bad(d, "\"kr.ei.rate\"", "engine reads it in \"ei\"");
}

Test(loader, unsorted_bands) {
    json_t *d = real_pack("kr");
    json_t *v = json_object_get(val(d, "kr.ei.duration_days", 0), "value");
    json_object_set_new(v, "cols_months", json_pack("[i,i,i,i,i]", 0, 36, 12, 60, 120));
    expect_bad(d, "\"kr.ei.duration_days\"", "value.cols_months is not sorted: 12 after 36");
    d = real_pack("kr");
    v = json_object_get(val(d, "kr.ei.duration_days", 0), "value");
    json_object_set_new(json_array_get(json_object_get(v, "rows"), 1), "min_age", json_integer(0));
    expect_bad(d, "\"kr.ei.duration_days\"", "rows are not sorted");
    d = real_pack("de");
    json_t *steps = json_object_get(json_array_get(json_object_get(json_object_get(json_object_get(d, "params"), "de.ei.duration"), "values"), 0), "value");
    json_object_set_new(json_array_get(steps, 2), "min_months", json_integer(14));
    const char *path = write_pack("de.json", d, NULL);
    pol_pack *p = NULL;
    op_err e = {0};
    cr_assert_eq(pol_pack_load_file(path, &p, &e), OP_INTERNAL);
    cr_assert(strstr(e.detail, "de.ei.duration") && strstr(e.detail, "not sorted"), "%s", e.detail);
    d = real_pack("kr");
    json_t *steps2 = json_object_get(val(d, "kr.nesp.success.steps", 0), "value");
    json_object_set_new(json_array_get(steps2, 1), "min", json_integer(3));
    expect_bad(d, "\"kr.nesp.success.steps\"", "not sorted");
}

Test(loader, inconsistent_tables) {
    json_t *d = real_pack("kr");
    json_t *v = json_object_get(val(d, "kr.ei.duration_days", 0), "value");
    json_array_remove(json_object_get(json_array_get(json_object_get(v, "rows"), 0), "days"), 4);
    expect_bad(d, "\"kr.ei.duration_days\"", "has 4 entries but cols_months has 5");
    d = real_pack("kr");
    v = json_object_get(val(d, "kr.ei.recognition.table", 0), "value");
    json_t *g = json_array_get(json_object_get(json_object_get(v, "categories"), "general"), 2);
    json_object_set_new(g, "job_search", json_integer(3));
    expect_bad(d, "\"kr.ei.recognition.table\"", "job_search (3) exceeds required (2)");
    d = real_pack("kr");
    v = json_object_get(val(d, "kr.ei.sanction.table", 0), "value");
    json_object_del(v, "missed_appointment");
    expect_bad(d, "\"kr.ei.sanction.table\"", "value.missed_appointment is missing");
    d = real_pack("kr");
    v = json_object_get(val(d, "kr.ei.recognition.table", 0), "value");
    json_object_del(json_object_get(v, "categories"), "disabled");
    expect_bad(d, "\"kr.ei.recognition.table\"", "categories.disabled");
}

Test(loader, missing_and_unknown_parameters) {
    json_t *d = real_pack("kr");
    json_object_del(json_object_get(d, "params"), "kr.ei.waiting_days");
    expect_bad(d, "missing parameter \"kr.ei.waiting_days\"", "programme \"ei\"");
    d = real_pack("kr");
    json_object_set(json_object_get(d, "params"), "kr.ei.wating_days", param(d, "kr.ei.rate"));
    expect_bad(d, "\"kr.ei.wating_days\"", "not known");
    d = real_pack("kr");
    json_object_set(json_object_get(d, "params"), "de.ei.rate", param(d, "kr.ei.rate"));
    expect_bad(d, "\"de.ei.rate\"", "must start with \"kr.\"");
}

Test(loader, programme_coverage) {
    json_t *d = real_pack("kr");
    json_array_remove(json_object_get(param(d, "kr.ei.min_wage_hourly"), "values"), 7);
    expect_bad(d, "\"kr.ei.min_wage_hourly\"", "ends 2025-12-31 but programme \"ei\" runs to 2026-12-31");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "valid_from", json_string("2020-01-01"));
    expect_bad(d, "\"kr.ei.rate\"", "starts 2020-01-01, after programme \"ei\" starts (2019-10-01)");
    d = real_pack("kr");
    json_object_set_new(json_object_get(json_object_get(d, "programmes"), "ei"), "valid_to", json_null());
    expect_bad(d, "ends 2026-12-31 but programme \"ei\" runs open-ended", NULL);
}

Test(loader, header_fields) {
    json_t *d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "confidence", json_string("D"));
    expect_bad(d, "\"kr.ei.rate\"", "confidence");
    d = real_pack("kr");
    json_object_set_new(d, "currency", json_string("won"));
    expect_bad(d, "currency", NULL);
    d = real_pack("kr");
    json_object_set_new(d, "format", json_integer(2));
    expect_bad(d, "format", NULL);
    d = real_pack("kr");
    json_object_set_new(d, "colour", json_string("blue"));
    expect_bad(d, "colour", NULL);
    d = real_pack("kr");
    json_object_set_new(json_object_get(d, "switches"), "faster", json_string("kr.ei.rate"));
    expect_bad(d, "switch \"faster\"", "not a bool parameter");
    d = real_pack("kr");
    json_object_set_new(json_object_get(json_object_get(d, "programmes"), "ei"), "valid_from", json_string("2019-13-01"));
    expect_bad(d, "programme \"ei\"", "valid_from");
    d = real_pack("kr");
    json_object_set_new(val(d, "kr.ei.rate", 0), "valid_to", json_string("2019-01-01"));
    expect_bad(d, "\"kr.ei.rate\"", "before valid_from");
}

Test(loader, unknown_countries_do_not_fill_the_registry) {
    /* Found by fuzz/fuzz_policy.c: each unknown country used to take a registry slot, so 16
     * requests with made-up codes turned every later request into internal.error. */
    const pol_pack *p;
    op_err e = {0};
    char cc[3] = "AA";
    for (int i = 0; i < 200; i++) {
        cc[0] = (char)('A' + i / 26 % 26);
        cc[1] = (char)('A' + i % 26);
        if (!strcmp(cc, "KR") || !strcmp(cc, "DE")) continue;
        cr_assert_eq(pol_pack_get(cc, &p, &e), OP_POLICY_NOT_FOUND, "%s: %s", cc, e.detail);
    }
    cr_assert_eq(pol_pack_get("KR", &p, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(pol_pack_get("DE", &p, &e), OP_OK, "%s", e.detail);
}

Test(loader, directory_cache_and_errors_in_requests) {
    /* A broken kr.json in a directory: requests get internal.error naming the file. */
    json_t *d = real_pack("kr");
    json_object_del(val(d, "kr.ei.rate", 0), "source");
    const char *path = write_pack("kr.json", d, NULL);
    pol_set_dir(tmpdir);
    const pol_pack *p;
    op_err e = {0};
    cr_assert_eq(pol_pack_get("KR", &p, &e), OP_INTERNAL);
    cr_assert(strstr(e.detail, path), "%s", e.detail);
    pt_err("ei-assess", pt_json("{'country':'KR','separation_date':'2025-06-30','age':45,'separation_reason':'dismissal',"
                                "'insured_unit_days':300,'insured_months':40,'avg_daily_wage':1}"),
           OP_INTERNAL, NULL);
    cr_assert_eq(pol_pack_get("DE", &p, &e), OP_POLICY_NOT_FOUND, "no de.json in that directory");
    /* A file named for one country declaring another. */
    write_pack("de.json", real_pack("kr"), NULL);
    pol_set_dir(tmpdir);
    cr_assert_eq(pol_pack_get("DE", &p, &e), OP_INTERNAL);
    cr_assert(strstr(e.detail, "declares country \"KR\""), "%s", e.detail);
}

Test(loader, env_directory) {
    write_pack("de.json", real_pack("de"), NULL);
    setenv("OPENPES_POLICY_DIR", tmpdir, 1);
    pol_set_dir(NULL);
    cr_assert_str_eq(pol_dir(), tmpdir);
    const pol_pack *p;
    op_err e = {0};
    cr_assert_eq(pol_pack_get("DE", &p, &e), OP_OK, "%s", e.detail);
    cr_assert(strstr(p->path, tmpdir));
    unsetenv("OPENPES_POLICY_DIR");
}

static void *get_kr(void *arg) {
    (void)arg;
    const pol_pack *p = NULL;
    op_err e = {0};
    for (int i = 0; i < 200; i++) pol_pack_get("KR", &p, &e);
    return (void *)p;
}

Test(loader, loaded_once_and_thread_safe) {
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, get_kr, NULL);
    void *res[8];
    for (int i = 0; i < 8; i++) pthread_join(t[i], &res[i]);
    for (int i = 0; i < 8; i++) {
        cr_assert_not_null(res[i]);
        cr_assert_eq(res[i], res[0], "one cached pack");
    }
}

Test(loader, country_codes_never_become_paths) {
    const pol_pack *p;
    op_err e = {0};
    const char *bad[] = {"", "K", "KRW", "kr", "../", "K/", NULL};
    for (int i = 0; bad[i]; i++) cr_assert_eq(pol_pack_get(bad[i], &p, &e), OP_POLICY_NOT_FOUND, "%s", bad[i]);
    cr_assert_eq(pol_pack_get(NULL, &p, &e), OP_POLICY_NOT_FOUND);
    cr_assert_eq(pol_pack_get("ZZ", &p, &e), OP_POLICY_NOT_FOUND);
}
