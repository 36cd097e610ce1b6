/* test_policy_ei_de.c - Germany Arbeitslosengeld I (ei/assess, country DE). Money in cents. */
#include "test_policy_common.h"

TestSuite(ei_de, .init = pt_setup, .fini = pt_teardown);

#define BASE                                                                                                           \
    "{'country':'DE','separation_date':'2025-06-30','age':45,'insured_months_30m':24,'insured_months_5y':24,"          \
    "'has_child':false,'leistungsentgelt_daily':10000}"

static json_t *de(const char *over) { return pt_ok("ei-assess", pt_merge(BASE, over)); }
static void de_err(const char *over, op_code c, const char *field) { pt_err("ei-assess", pt_merge(BASE, over), c, field); }

Test(ei_de, rate_with_and_without_child) {
    json_t *r = de(NULL);
    cr_assert(pt_b(r, "eligible"));
    cr_assert_eq(pt_i(r, "daily_amount"), 6000);
    cr_assert_eq(pt_i(r, "monthly_amount"), 180000);
    cr_assert_str_eq(pt_s(r, "currency"), "EUR");
    r = de("{'has_child':true}");
    cr_assert_eq(pt_i(r, "daily_amount"), 6700);
    cr_assert_eq(pt_i(r, "monthly_amount"), 201000);
    cr_assert(pt_trace(r, "daily.leistungssatz (child)", "de.ei.rate_child"));
}

Test(ei_de, bemessungsentgelt_below_cap) {
    json_t *r = de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':20000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 9600); /* 200.00 x 0.8 x 0.6 */
    r = de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':20000,'has_child':true}");
    cr_assert_eq(pt_i(r, "daily_amount"), 10720);
    cr_assert(strstr(pt_s(pt_trace(r, "daily.leistungsentgelt", NULL), "source"), "before income tax"));
}

Test(ei_de, cap_2025) {
    /* BBG 8,050 x 12 / 365 = 264.66; x 0.8 = 211.73; x 0.6 = 127.04, x 0.67 = 141.86 */
    json_t *r = de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':30000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 12704);
    r = de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':30000,'has_child':true}");
    cr_assert_eq(pt_i(r, "daily_amount"), 14186);
    cr_assert_eq(pt_i(r, "monthly_amount"), 14186 * 30);
    /* exactly at the cap and one cent above give the same */
    cr_assert_eq(pt_i(de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':26466}"), "daily_amount"), 12704);
    cr_assert_eq(pt_i(de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':26467}"), "daily_amount"), 12704);
    cr_assert_eq(pt_i(de("{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':26400}"), "daily_amount"), 12672);
}

Test(ei_de, cap_changes_by_year_and_region) {
    const char *b = "{'leistungsentgelt_daily':null,'bemessungsentgelt_daily':40000,'separation_date':'%s'%s}";
    char s[200];
    snprintf(s, sizeof s, b, "2024-12-31", "");
    cr_assert_eq(pt_i(de(s), "daily_amount"), 11915); /* west 248.22 -> 198.58 -> 119.15 */
    snprintf(s, sizeof s, b, "2024-12-31", ",'region':'east'");
    cr_assert_eq(pt_i(de(s), "daily_amount"), 11756); /* east 244.93 -> 195.94 -> 117.56 */
    snprintf(s, sizeof s, b, "2025-01-01", "");
    cr_assert_eq(pt_i(de(s), "daily_amount"), 12704);
    snprintf(s, sizeof s, b, "2026-01-01", "");
    json_t *r = de(s);
    cr_assert_eq(pt_i(r, "daily_amount"), 13335); /* 277.81 -> 222.25 -> 133.35 (2026 BBG is C) */
    cr_assert_str_eq(json_string_value(json_object_get(pt_trace(r, "daily.cap", "de.ei.bbg_month"), "confidence")), "C");
}

Test(ei_de, qualifying_period) {
    json_t *r = de("{'insured_months_30m':11}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "insufficient_qualifying_period");
    cr_assert_eq(pt_i(r, "daily_amount"), 0);
    cr_assert_eq(pt_i(r, "prescribed_days"), 0);
    cr_assert(pt_b(de("{'insured_months_30m':12}"), "eligible"));
}

Test(ei_de, duration_table) {
    struct { int m5y, age, days; } c[] = {
        {12, 45, 180}, {15, 45, 180}, {16, 45, 240}, {19, 45, 240}, {20, 45, 300}, {24, 45, 360},
        {30, 49, 360}, {30, 50, 450}, {36, 54, 450}, {36, 55, 540}, {48, 57, 540}, {48, 58, 720}, {60, 64, 720},
    };
    char s[128];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        snprintf(s, sizeof s, "{'insured_months_30m':12,'insured_months_5y':%d,'age':%d}", c[i].m5y, c[i].age);
        json_t *r = de(s);
        cr_assert_eq(pt_i(r, "prescribed_days"), c[i].days, "%d months, age %d", c[i].m5y, c[i].age);
        cr_assert_eq(pt_i(r, "payable_days"), c[i].days);
    }
}

Test(ei_de, no_waiting_days_and_four_year_window) {
    json_t *r = de("{'report_date':'2025-07-01'}");
    cr_assert(json_is_null(json_object_get(r, "waiting_period")));
    cr_assert_str_eq(pt_s(r, "first_payable_date"), "2025-07-01");
    cr_assert_str_eq(pt_s(r, "benefit_window_end"), "2029-06-30");
    cr_assert_eq(pt_i(r, "total_amount"), 6000 * 360);
    /* registered before the job ended: payable from the day after separation */
    r = de("{'report_date':'2025-04-01'}");
    cr_assert_str_eq(pt_s(r, "first_payable_date"), "2025-07-01");
    r = de("{'report_date':'2029-06-01'}");
    cr_assert_eq(pt_i(r, "payable_days"), 30);
    r = de("{'report_date':'2029-07-01'}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "benefit_window_expired");
}

Test(ei_de, birth_date_gives_completed_age) {
    json_t *r = de("{'age':null,'birth_date':'1975-06-30','insured_months_5y':30}");
    cr_assert_eq(pt_i(r, "prescribed_days"), 450);
    r = de("{'age':null,'birth_date':'1975-07-01','insured_months_5y':30}");
    cr_assert_eq(pt_i(r, "prescribed_days"), 360);
}

Test(ei_de, validation_and_coverage) {
    de_err("{'insured_months_30m':25}", OP_VALIDATION, "insured_months_5y");
    de_err("{'insured_months_30m':31,'insured_months_5y':40}", OP_VALIDATION, "insured_months_30m");
    de_err("{'insured_months_5y':61}", OP_VALIDATION, "insured_months_5y");
    de_err("{'bemessungsentgelt_daily':20000}", OP_VALIDATION, "bemessungsentgelt_daily");
    de_err("{'leistungsentgelt_daily':null}", OP_VALIDATION, "leistungsentgelt_daily");
    de_err("{'insured_months_30m':null}", OP_VALIDATION, "insured_months_30m");
    de_err("{'region':'north'}", OP_VALIDATION, "region");
    de_err("{'separation_reason':'dismissal'}", OP_UNKNOWN_FIELD, "separation_reason");
    de_err("{'separation_date':'2023-12-31'}", OP_POLICY_NOT_FOUND, NULL);
    de_err("{'separation_date':'2027-01-01'}", OP_POLICY_NOT_FOUND, NULL);
}

Test(ei_de, override_rate_child) {
    json_t *r = de("{'has_child':true,'options':{'params':{'de.ei.rate_child':0.7}}}");
    cr_assert_eq(pt_i(r, "daily_amount"), 7000);
    de_err("{'options':{'repeated_recipient_reduction':true}}", OP_UNKNOWN_FIELD, "options.repeated_recipient_reduction");
}
