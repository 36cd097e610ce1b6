/* test_policy_reemploy.c - early re-employment allowance (ei/early-reemployment, KR). */
#include "test_policy_common.h"

TestSuite(reemploy, .init = pt_setup, .fini = pt_teardown);

#define BASE                                                                                                           \
    "{'country':'KR','prescribed_days':180,'days_paid':60,'daily_amount':66000,'age_at_separation':40,"               \
    "'reemployment_date':'2025-10-01','expected_tenure_months':12}"

static json_t *re(const char *over) { return pt_ok("ei-early-reemployment", pt_merge(BASE, over)); }

Test(reemploy, half_of_the_remaining_days) {
    json_t *r = re(NULL);
    cr_assert(pt_b(r, "eligible"));
    cr_assert_eq(pt_i(r, "remaining_days"), 120);
    cr_assert_eq(pt_i(r, "amount"), 66000 * 120 / 2);
    cr_assert_str_eq(pt_s(r, "currency"), "KRW");
    cr_assert(pt_trace(r, "amount.payout_ratio", "kr.ei.reemploy.payout_ratio"));
}

Test(reemploy, remaining_half_boundary) {
    cr_assert(pt_b(re("{'days_paid':90}"), "eligible"));
    json_t *r = re("{'days_paid':91}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "too_few_remaining_days");
    cr_assert_eq(pt_i(r, "amount"), 0);
    cr_assert_eq(pt_i(r, "remaining_days"), 89);
    cr_assert(pt_b(re("{'prescribed_days':121,'days_paid':60}"), "eligible"));
    cr_assert_not(pt_b(re("{'prescribed_days':121,'days_paid':61}"), "eligible"));
}

Test(reemploy, tenure_twelve_or_six_months_at_65) {
    json_t *r = re("{'expected_tenure_months':11}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "tenure_too_short");
    cr_assert(pt_b(re("{'age_at_separation':65,'expected_tenure_months':6}"), "eligible"));
    cr_assert_not(pt_b(re("{'age_at_separation':64,'expected_tenure_months':6}"), "eligible"));
    cr_assert_not(pt_b(re("{'age_at_separation':65,'expected_tenure_months':5}"), "eligible"));
}

Test(reemploy, two_year_lockout) {
    cr_assert(pt_b(re("{'previous_allowance_date':'2023-10-01'}"), "eligible"));
    json_t *r = re("{'previous_allowance_date':'2023-10-02'}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "received_within_lockout");
}

Test(reemploy, rounding_down) {
    json_t *r = re("{'prescribed_days':2,'days_paid':1,'daily_amount':66001}");
    cr_assert_eq(pt_i(r, "amount"), 33000);
}

Test(reemploy, errors) {
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'days_paid':181}"), OP_VALIDATION, "days_paid");
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'previous_allowance_date':'2025-10-02'}"), OP_VALIDATION, "previous_allowance_date");
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'reemployment_date':null}"), OP_VALIDATION, "reemployment_date");
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'daily_amount':null}"), OP_VALIDATION, "daily_amount");
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'country':'DE'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-early-reemployment", pt_merge(BASE, "{'reemployment_date':'2019-09-30'}"), OP_POLICY_NOT_FOUND, NULL);
    json_t *r = re("{'options':{'params':{'kr.ei.reemploy.payout_ratio':1}}}");
    cr_assert_eq(pt_i(r, "amount"), 66000 * 120);
}
