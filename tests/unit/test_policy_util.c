/* test_policy_util.c - exact rounding, civil-date periods and ages used by the calculators; the
 * CLI/API endpoint table and the error envelope. */
#include "base/clock.h"
#include "test_policy_common.h"

TestSuite(putil, .init = pt_setup, .fini = pt_teardown);

static int64_t d(const char *s) {
    int64_t x;
    cr_assert(date_parse(s, &x), "%s", s);
    return x;
}

static const char *ds(int64_t x) { return pol_date_str(pt_a, x); }

Test(putil, rounding_modes) {
    cr_assert_eq(pol_div_round(7, 2, "down"), 3);
    cr_assert_eq(pol_div_round(7, 2, "up"), 4);
    cr_assert_eq(pol_div_round(7, 2, "half_up"), 4);
    cr_assert_eq(pol_div_round(5, 2, "half_even"), 2);
    cr_assert_eq(pol_div_round(7, 2, "half_even"), 4);
    cr_assert_eq(pol_div_round(13, 10, "half_up"), 1);
    cr_assert_eq(pol_div_round(8, 2, "up"), 4);
    cr_assert_eq(pol_mul_ppm(110000, 600000, "half_up"), 66000);
    cr_assert_eq(pol_mul_ppm(109999, 600000, "half_up"), 65999);
    cr_assert_eq(pol_mul_ppm(3, 500000, "half_up"), 2);
    cr_assert_eq(pol_mul_ppm(3, 500000, "down"), 1);
    cr_assert_eq(pol_muldiv(INT64_MAX / 2, 4, 4, "down"), INT64_MAX / 2, "128-bit intermediate");
}

Test(putil, period_end_civil_code) {
    cr_assert_str_eq(ds(pol_period_end(d("2025-07-01"), 12)), "2026-06-30");
    cr_assert_str_eq(ds(pol_period_end(d("2024-02-29"), 12)), "2025-02-28");
    cr_assert_str_eq(ds(pol_period_end(d("2024-03-31"), 12)), "2025-03-30");
    cr_assert_str_eq(ds(pol_period_end(d("2025-01-31"), 1)), "2025-02-28");
    cr_assert_str_eq(ds(pol_period_end(d("2025-01-01"), 48)), "2028-12-31");
}

Test(putil, add_months_clamps) {
    cr_assert_str_eq(ds(pol_add_months(d("2025-07-01"), -3)), "2025-04-01");
    cr_assert_str_eq(ds(pol_add_months(d("2025-05-31"), -3)), "2025-02-28");
    cr_assert_str_eq(ds(pol_add_months(d("2024-02-29"), 24)), "2026-02-28");
    cr_assert_str_eq(ds(pol_add_months(d("2025-01-15"), -13)), "2023-12-15");
}

Test(putil, ages) {
    cr_assert_eq(pol_age_on(d("1975-06-30"), d("2025-06-30")), 50);
    cr_assert_eq(pol_age_on(d("1975-07-01"), d("2025-06-30")), 49);
    cr_assert_eq(pol_age_on(d("2000-02-29"), d("2025-02-28")), 24);
    cr_assert_eq(pol_age_on(d("2000-02-29"), d("2025-03-01")), 25);
}

Test(putil, endpoints_and_error_envelope) {
    const char *names[] = {"ei-assess", "ei-recognition", "ei-early-reemployment", "ei-sanction", "nesp-assess", "nesp-allowance"};
    for (int i = 0; i < 6; i++) cr_assert(pol_endpoint_by_name(names[i]), "%s", names[i]);
    cr_assert_str_eq(pol_endpoint_by_path("/api/v1/policy/ei/early-reemployment")->name, "ei-early-reemployment");
    cr_assert_null(pol_endpoint_by_name("ei-nothing"));
    json_t *out;
    op_err e = {0};
    cr_assert_eq(pol_run_text("ei-assess", pt_a, "{", 1, &out, &e), OP_BAD_JSON);
    json_t *env = jx_arena(pt_a, pol_error_json(&e));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(env, "error"), "code")), "request.malformed_json");
    cr_assert_null(json_object_get(json_object_get(env, "error"), "field"));
    op_clear(&e);
    cr_assert_eq(pol_run_text("ei-assess", pt_a, "{\"country\":\"KR\"}", 16, &out, &e), OP_VALIDATION);
    env = jx_arena(pt_a, pol_error_json(&e));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(env, "error"), "field")), "separation_date");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(env, "error"), "code")), "validation.failed");
}
