/* test_policy_ei_kr.c - Korea 구직급여 (ei/assess, country KR): every rule and its boundaries. */
#include "test_policy_common.h"

TestSuite(ei_kr, .init = pt_setup, .fini = pt_teardown);

#define BASE                                                                                                           \
    "{'country':'KR','separation_date':'2025-06-30','age':45,'separation_reason':'contract_expiry',"                   \
    "'insured_unit_days':300,'insured_months':40,'avg_daily_wage':120000}"

static json_t *kr(const char *over) { return pt_ok("ei-assess", pt_merge(BASE, over)); }
static void kr_err(const char *over, op_code c, const char *field) { pt_err("ei-assess", pt_merge(BASE, over), c, field); }

Test(ei_kr, happy_path_fields_and_trace) {
    json_t *r = kr("{'report_date':'2025-07-02'}");
    cr_assert(pt_b(r, "eligible"));
    cr_assert_eq(json_array_size(json_object_get(r, "reasons")), 0);
    cr_assert_eq(pt_i(r, "daily_amount"), 66000);
    cr_assert_str_eq(pt_s(r, "currency"), "KRW");
    cr_assert_eq(pt_i(r, "prescribed_days"), 180);
    cr_assert_str_eq(pt_s(json_object_get(r, "waiting_period"), "from"), "2025-07-02");
    cr_assert_str_eq(pt_s(json_object_get(r, "waiting_period"), "to"), "2025-07-08");
    cr_assert_str_eq(pt_s(r, "first_payable_date"), "2025-07-09");
    cr_assert_str_eq(pt_s(r, "benefit_window_end"), "2026-06-30");
    cr_assert_eq(pt_i(r, "payable_days"), 180);
    cr_assert_eq(pt_i(r, "total_amount"), 66000 * 180);
    cr_assert_null(json_object_get(r, "monthly_amount"), "monthly_amount is DE only");
    json_t *cap = pt_trace(r, "daily.cap", "kr.ei.base_cap");
    cr_assert(cap);
    cr_assert_eq(json_integer_value(json_object_get(cap, "value")), 110000);
    cr_assert_str_eq(json_string_value(json_object_get(cap, "confidence")), "A");
    cr_assert(strstr(json_string_value(json_object_get(cap, "source")), "제68조"));
}

Test(ei_kr, without_report_date_timing_is_null) {
    json_t *r = kr(NULL);
    cr_assert(json_is_null(json_object_get(r, "waiting_period")));
    cr_assert(json_is_null(json_object_get(r, "first_payable_date")));
    cr_assert(json_is_null(json_object_get(r, "benefit_window_end")));
    cr_assert_eq(pt_i(r, "payable_days"), 180);
}

/* ---- daily amount: cap, rate, floor ---- */

Test(ei_kr, cap_crossing) {
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':110000}"), "daily_amount"), 66000);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':110001}"), "daily_amount"), 66000);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':109999}"), "daily_amount"), 65999); /* 65999.4 rounds half-up to 65999 */
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':108000}"), "daily_amount"), 64800);
}

Test(ei_kr, floor_crossing_2025) {
    /* 2025 floor = 10,030 x 8 x 0.8 = 64,192; rate amount equals it at 106,987 (64,192.2). */
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':100000}"), "daily_amount"), 64192);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':106987}"), "daily_amount"), 64192);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':106988}"), "daily_amount"), 64193);
    json_t *r = kr("{'avg_daily_wage':50000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 64192);
    cr_assert(strstr(pt_s(pt_trace(r, "daily.amount", NULL), "source"), "floor applies"));
}

Test(ei_kr, cap_change_on_2026_01_01) {
    cr_assert_eq(pt_i(kr("{'separation_date':'2025-12-31','avg_daily_wage':120000}"), "daily_amount"), 66000);
    cr_assert_eq(pt_i(kr("{'separation_date':'2026-01-01','avg_daily_wage':120000}"), "daily_amount"), 68100);
    cr_assert_eq(pt_i(kr("{'separation_date':'2026-01-01','avg_daily_wage':113500}"), "daily_amount"), 68100);
    cr_assert_eq(pt_i(kr("{'separation_date':'2026-01-01','avg_daily_wage':113501}"), "daily_amount"), 68100);
}

Test(ei_kr, floor_by_minimum_wage_year) {
    const char *low = "'avg_daily_wage':50000";
    char b[160];
    struct { const char *date; int64_t floor; } c[] = {
        {"2023-01-01", 61568}, {"2023-12-31", 61568}, {"2024-01-01", 63104}, {"2024-12-31", 63104},
        {"2025-01-01", 64192}, {"2025-12-31", 64192}, {"2026-01-01", 66048}, {"2026-12-31", 66048},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        snprintf(b, sizeof b, "{'separation_date':'%s',%s}", c[i].date, low);
        cr_assert_eq(pt_i(kr(b), "daily_amount"), c[i].floor, "%s", c[i].date);
    }
}

Test(ei_kr, floor_above_cap_in_2026) {
    /* The floor wins even above the cap: with a 2025-style cap of 110,000 simulated in 2026 the
     * cap amount 66,000 is below the 66,048 floor. */
    json_t *r = pt_ok("ei-assess", pt_merge(BASE, "{'separation_date':'2026-03-01','avg_daily_wage':200000,"
                                                  "'options':{'params':{'kr.ei.base_cap':110000}}}"));
    cr_assert_eq(pt_i(r, "daily_amount"), 66048);
}

Test(ei_kr, transitional_floor_guarantee_2022) {
    /* 9,160 x 8 x 0.8 = 58,624 but 60,120 was paid (C). */
    json_t *r = kr("{'separation_date':'2022-06-30','avg_daily_wage':50000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 60120);
    json_t *g = pt_trace(r, "floor.guarantee", "kr.ei.floor_guarantee_8h");
    cr_assert_str_eq(json_string_value(json_object_get(g, "confidence")), "C");
    cr_assert_eq(pt_i(kr("{'separation_date':'2023-01-01','avg_daily_wage':50000}"), "daily_amount"), 61568);
}

Test(ei_kr, part_time_floor) {
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':30000,'daily_contract_hours':4}"), "daily_amount"), 32096);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':30000,'daily_contract_hours':7.5}"), "daily_amount"), 60180);
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':30000,'daily_contract_hours':10}"), "daily_amount"), 64192, "hours capped at 8");
}

Test(ei_kr, average_wage_from_three_months) {
    /* 2025-04-01..2025-06-30 = 91 days */
    json_t *r = kr("{'avg_daily_wage':null,'wages_3m_total':10010000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 66000);
    cr_assert(strstr(pt_s(pt_trace(r, "daily.average_wage", "wages_3m_total / calendar days"), "source"), "91 days"));
    /* 10,000,000 / 91 = 109,890.1 -> truncated 109,890 -> x 0.6 = 65,934 */
    cr_assert_eq(pt_i(kr("{'avg_daily_wage':null,'wages_3m_total':10000000}"), "daily_amount"), 65934);
    r = kr("{'separation_date':'2025-05-31','avg_daily_wage':null,'wages_3m_total':9200000}");
    cr_assert(strstr(pt_s(pt_trace(r, "daily.average_wage", "wages_3m_total / calendar days"), "source"), "92 days"));
    cr_assert_eq(pt_i(r, "daily_amount"), 64192); /* 100,000 x 0.6 = 60,000 < floor */
}

Test(ei_kr, ordinary_wage_used_when_higher) {
    json_t *r = kr("{'separation_date':'2023-06-30','avg_daily_wage':90000,'ordinary_daily_wage':105000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 63000);
    r = kr("{'separation_date':'2023-06-30','avg_daily_wage':105000,'ordinary_daily_wage':90000}");
    cr_assert_eq(pt_i(r, "daily_amount"), 63000);
}

/* ---- prescribed days ---- */

Test(ei_kr, age_49_and_50) {
    cr_assert_eq(pt_i(kr("{'age':49}"), "prescribed_days"), 180);
    cr_assert_eq(pt_i(kr("{'age':50}"), "prescribed_days"), 210);
    /* from birth_date: 50th birthday on the separation date counts */
    cr_assert_eq(pt_i(kr("{'age':null,'birth_date':'1975-07-01'}"), "prescribed_days"), 180);
    cr_assert_eq(pt_i(kr("{'age':null,'birth_date':'1975-06-30'}"), "prescribed_days"), 210);
    json_t *r = kr("{'age':null,'birth_date':'1975-06-30'}");
    cr_assert_eq(json_integer_value(json_object_get(pt_trace(r, "input.age", "birth_date"), "value")), 50);
}

Test(ei_kr, insured_period_bands_under_50) {
    int64_t m[] = {0, 11, 12, 35, 36, 59, 60, 119, 120, 400};
    int64_t d[] = {120, 120, 150, 150, 180, 180, 210, 210, 240, 240};
    char b[64];
    for (size_t i = 0; i < 10; i++) {
        snprintf(b, sizeof b, "{'insured_months':%lld}", (long long)m[i]);
        cr_assert_eq(pt_i(kr(b), "prescribed_days"), d[i], "%lld months", (long long)m[i]);
    }
}

Test(ei_kr, insured_period_bands_50_plus_and_disabled) {
    int64_t m[] = {11, 12, 36, 60, 120};
    int64_t d[] = {120, 180, 210, 240, 270};
    char b[96];
    for (size_t i = 0; i < 5; i++) {
        snprintf(b, sizeof b, "{'age':55,'insured_months':%lld}", (long long)m[i]);
        cr_assert_eq(pt_i(kr(b), "prescribed_days"), d[i]);
        snprintf(b, sizeof b, "{'age':30,'disabled':true,'insured_months':%lld}", (long long)m[i]);
        cr_assert_eq(pt_i(kr(b), "prescribed_days"), d[i], "disabled uses the 50+ row");
    }
}

/* ---- eligibility ---- */

Test(ei_kr, unit_days_boundary) {
    json_t *r = kr("{'insured_unit_days':179}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "insufficient_unit_days");
    cr_assert_eq(pt_i(r, "daily_amount"), 0);
    cr_assert_eq(pt_i(r, "total_amount"), 0);
    cr_assert(pt_b(kr("{'insured_unit_days':180}"), "eligible"));
}

Test(ei_kr, disqualifying_separation) {
    json_t *r = kr("{'separation_reason':'voluntary_quit'}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "disqualifying_separation");
    cr_assert_not(pt_b(kr("{'separation_reason':'serious_fault_dismissal'}"), "eligible"));
    const char *ok[] = {"dismissal", "recommended_resignation", "business_closure", "contract_expiry"};
    char b[96];
    for (int i = 0; i < 4; i++) {
        snprintf(b, sizeof b, "{'separation_reason':'%s'}", ok[i]);
        cr_assert(pt_b(kr(b), "eligible"), "%s", ok[i]);
    }
}

Test(ei_kr, justified_voluntary_quit) {
    const char *codes[] = {"wage_arrears_2m", "commute_3h", "family_care_30d", "child_care", "harassment"};
    char b[128];
    for (int i = 0; i < 5; i++) {
        snprintf(b, sizeof b, "{'separation_reason':'voluntary_quit_justified','justified_reason':'%s'}", codes[i]);
        json_t *r = kr(b);
        cr_assert(pt_b(r, "eligible"), "%s", codes[i]);
        cr_assert(pt_trace(r, "eligibility.justified_quit", "kr.ei.justified_quit_reasons"));
    }
    kr_err("{'separation_reason':'voluntary_quit_justified','justified_reason':'bored'}", OP_VALIDATION, "justified_reason");
    kr_err("{'separation_reason':'voluntary_quit_justified'}", OP_VALIDATION, "justified_reason");
    kr_err("{'separation_reason':'dismissal','justified_reason':'commute_3h'}", OP_VALIDATION, "justified_reason");
}

Test(ei_kr, first_insured_at_65) {
    json_t *r = kr("{'age':70,'first_insured_age':65}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "first_insured_at_65_or_older");
    cr_assert(pt_b(kr("{'age':70,'first_insured_age':64}"), "eligible"));
    kr_err("{'age':40,'first_insured_age':41}", OP_VALIDATION, "first_insured_age");
}

Test(ei_kr, several_reasons_reported) {
    json_t *r = kr("{'insured_unit_days':100,'separation_reason':'voluntary_quit'}");
    cr_assert_eq(json_array_size(json_object_get(r, "reasons")), 2);
    cr_assert(pt_has_reason(r, "insufficient_unit_days"));
    cr_assert(pt_has_reason(r, "disqualifying_separation"));
}

/* ---- timing ---- */

Test(ei_kr, late_report_truncates_payable_days) {
    json_t *r = kr("{'report_date':'2025-12-26'}");
    cr_assert_eq(pt_i(r, "payable_days"), 180);
    r = kr("{'report_date':'2025-12-27'}");
    cr_assert_eq(pt_i(r, "payable_days"), 179);
    cr_assert_eq(pt_i(r, "total_amount"), 179 * 66000);
    r = kr("{'report_date':'2026-03-22'}");
    cr_assert_eq(pt_i(r, "payable_days"), 94);
    cr_assert_eq(pt_i(r, "prescribed_days"), 180);
    cr_assert(strstr(pt_s(pt_trace(r, "timing.payable_days", NULL), "source"), "truncated"));
    r = kr("{'report_date':'2026-06-23'}");
    cr_assert_eq(pt_i(r, "payable_days"), 1);
    cr_assert(pt_b(r, "eligible"));
}

Test(ei_kr, report_after_window_expires) {
    json_t *r = kr("{'report_date':'2026-06-24'}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "benefit_window_expired");
    cr_assert_eq(pt_i(r, "payable_days"), 0);
    cr_assert_eq(pt_i(r, "total_amount"), 0);
}

Test(ei_kr, benefit_window_month_ends) {
    /* 12 months from the day after separation (민법 제160조) */
    json_t *r = kr("{'separation_date':'2024-02-28','report_date':'2024-03-01'}");
    cr_assert_str_eq(pt_s(r, "benefit_window_end"), "2025-02-28");
    r = kr("{'separation_date':'2024-03-30','report_date':'2024-04-01'}");
    cr_assert_str_eq(pt_s(r, "benefit_window_end"), "2025-03-30");
    r = kr("{'separation_date':'2025-12-31','report_date':'2026-01-02'}");
    cr_assert_str_eq(pt_s(r, "benefit_window_end"), "2026-12-31");
}

Test(ei_kr, waiting_period_is_seven_days_from_report) {
    json_t *r = kr("{'report_date':'2025-07-01'}");
    cr_assert_str_eq(pt_s(json_object_get(r, "waiting_period"), "to"), "2025-07-07");
    cr_assert_str_eq(pt_s(r, "first_payable_date"), "2025-07-08");
    kr_err("{'report_date':'2025-06-30'}", OP_VALIDATION, "report_date");
}

/* ---- repeated-recipient reduction: off by default, on via options ---- */

Test(ei_kr, repeated_recipient_off_by_default) {
    json_t *r = kr("{'receipt_count_5y':5,'report_date':'2025-07-02'}");
    cr_assert_eq(pt_i(r, "daily_amount"), 66000);
    cr_assert_str_eq(pt_s(json_object_get(r, "waiting_period"), "to"), "2025-07-08");
    json_t *t = pt_trace(r, "repeated_recipient.switch", "kr.ei.repeated_recipient.enabled");
    cr_assert(json_is_false(json_object_get(t, "value")));
    cr_assert(pt_trace(r, "repeated_recipient.switch", "receipt_count_5y"));
}

Test(ei_kr, repeated_recipient_on_via_switch) {
    json_t *r = kr("{'receipt_count_5y':2,'report_date':'2025-07-02','options':{'repeated_recipient_reduction':true}}");
    cr_assert_eq(pt_i(r, "daily_amount"), 59400); /* 3rd receipt: -10 % */
    cr_assert_str_eq(pt_s(json_object_get(r, "waiting_period"), "to"), "2025-07-29"); /* 28 days */
    cr_assert_str_eq(pt_s(r, "first_payable_date"), "2025-07-30");
    json_t *o = pt_trace(r, "options.switch", "kr.ei.repeated_recipient.enabled");
    cr_assert(o, "the override is shown in the trace");
    cr_assert(json_is_true(json_object_get(pt_trace(r, "repeated_recipient.switch", NULL), "override")));
    cr_assert_eq(pt_i(kr("{'receipt_count_5y':1,'options':{'repeated_recipient_reduction':true}}"), "daily_amount"), 66000);
    cr_assert_eq(pt_i(kr("{'receipt_count_5y':3,'options':{'repeated_recipient_reduction':true}}"), "daily_amount"), 49500);
    cr_assert_eq(pt_i(kr("{'receipt_count_5y':4,'options':{'repeated_recipient_reduction':true}}"), "daily_amount"), 39600);
    cr_assert_eq(pt_i(kr("{'receipt_count_5y':9,'options':{'repeated_recipient_reduction':true}}"), "daily_amount"), 33000);
    cr_assert_eq(pt_i(kr("{'options':{'repeated_recipient_reduction':true}}"), "daily_amount"), 66000);
}

Test(ei_kr, repeated_recipient_on_via_params) {
    json_t *r = kr("{'receipt_count_5y':2,'options':{'params':{'kr.ei.repeated_recipient.enabled':true}}}");
    cr_assert_eq(pt_i(r, "daily_amount"), 59400);
    cr_assert(pt_trace(r, "options.params", "kr.ei.repeated_recipient.enabled"));
}

/* ---- options ---- */

Test(ei_kr, params_override_rate) {
    json_t *r = kr("{'options':{'params':{'kr.ei.rate':0.65}}}");
    cr_assert_eq(pt_i(r, "daily_amount"), 71500);
    json_t *t = pt_trace(r, "daily.rate", "kr.ei.rate");
    cr_assert(json_is_true(json_object_get(t, "override")));
    cr_assert(strstr(pt_s(t, "source"), "override"));
    cr_assert(pt_trace(r, "options.params", "kr.ei.rate"));
}

Test(ei_kr, options_errors) {
    kr_err("{'options':{'params':{'kr.ei.rate':'high'}}}", OP_VALIDATION, "options.params.kr.ei.rate");
    kr_err("{'options':{'params':{'kr.ei.rate':1.5}}}", OP_VALIDATION, "options.params.kr.ei.rate");
    kr_err("{'options':{'params':{'kr.ei.nope':1}}}", OP_VALIDATION, "options.params.kr.ei.nope");
    kr_err("{'options':{'turbo':true}}", OP_UNKNOWN_FIELD, "options.turbo");
    kr_err("{'options':{'repeated_recipient_reduction':'yes'}}", OP_VALIDATION, "options.repeated_recipient_reduction");
    kr_err("{'options':{'repeated_recipient_reduction':true,'params':{'kr.ei.repeated_recipient.enabled':false}}}",
           OP_VALIDATION, "options.params.kr.ei.repeated_recipient.enabled");
    kr_err("{'options':[1]}", OP_VALIDATION, "options");
    kr_err("{'options':{'params':{'kr.ei.duration_days':{'cols_months':[0,36,12],'rows':[]}}}}", OP_VALIDATION,
           "options.params.kr.ei.duration_days");
}

/* ---- pack coverage and validation ---- */

Test(ei_kr, dates_outside_the_pack) {
    kr_err("{'separation_date':'2019-09-30'}", OP_POLICY_NOT_FOUND, NULL);
    kr_err("{'separation_date':'2027-01-01'}", OP_POLICY_NOT_FOUND, NULL);
    cr_assert(pt_b(kr("{'separation_date':'2019-10-01'}"), "eligible"));
    cr_assert(pt_b(kr("{'separation_date':'2026-12-31'}"), "eligible"));
    pt_err("ei-assess", pt_json("{'country':'JP','separation_date':'2025-01-01'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-assess", pt_json("{'country':'kr','separation_date':'2025-01-01'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-assess", pt_json("{'country':'../etc','separation_date':'2025-01-01'}"), OP_POLICY_NOT_FOUND, NULL);
}

Test(ei_kr, missing_and_contradictory_inputs) {
    kr_err("{'country':null}", OP_VALIDATION, "country");
    kr_err("{'separation_date':null}", OP_VALIDATION, "separation_date");
    kr_err("{'separation_date':'2025-02-30'}", OP_VALIDATION, "separation_date");
    kr_err("{'age':null}", OP_VALIDATION, "age");
    kr_err("{'birth_date':'1990-01-01'}", OP_VALIDATION, "birth_date");
    kr_err("{'age':null,'birth_date':'2026-01-01'}", OP_VALIDATION, "birth_date");
    kr_err("{'separation_reason':null}", OP_VALIDATION, "separation_reason");
    kr_err("{'separation_reason':'fired'}", OP_VALIDATION, "separation_reason");
    kr_err("{'insured_unit_days':null}", OP_VALIDATION, "insured_unit_days");
    kr_err("{'insured_months':null}", OP_VALIDATION, "insured_months");
    kr_err("{'insured_months':-1}", OP_VALIDATION, "insured_months");
    kr_err("{'avg_daily_wage':null}", OP_VALIDATION, "avg_daily_wage");
    kr_err("{'wages_3m_total':9000000}", OP_VALIDATION, "wages_3m_total");
    kr_err("{'avg_daily_wage':'lots'}", OP_VALIDATION, "avg_daily_wage");
    kr_err("{'daily_contract_hours':0}", OP_VALIDATION, "daily_contract_hours");
    kr_err("{'disabled':'no'}", OP_VALIDATION, "disabled");
    kr_err("{'insured_months_30m':12}", OP_UNKNOWN_FIELD, "insured_months_30m");
}
