/* test_policy_nesp.c - National Employment Support Programme: tracks (nesp/assess) and one-off
 * payments (nesp/allowance). */
#include "test_policy_common.h"

TestSuite(nesp, .init = pt_setup, .fini = pt_teardown);

#define BASE                                                                                                           \
    "{'date':'2025-05-01','age':40,'household_income_pct':50,'household_assets':100000000,'work_days_2y':150,"        \
    "'work_hours_2y':0,'receiving_ei':false,'vulnerable_group':null,'dependents':0,'military_service_years':0}"

static json_t *na(const char *over) { return pt_ok("nesp-assess", pt_merge(BASE, over)); }
static const char *track(const char *over) {
    json_t *t = json_object_get(na(over), "track");
    return json_is_string(t) ? json_string_value(t) : "null";
}

Test(nesp, type1_requirement_and_allowance) {
    json_t *r = na(NULL);
    cr_assert_str_eq(pt_s(r, "track"), "I-requirement");
    cr_assert_eq(pt_i(r, "monthly_allowance"), 500000);
    cr_assert_eq(pt_i(r, "months"), 6);
    cr_assert_eq(pt_i(r, "total_allowance"), 3000000);
    cr_assert_str_eq(pt_s(r, "currency"), "KRW");
    cr_assert_eq(json_array_size(json_object_get(r, "reasons")), 0);
}

Test(nesp, income_and_asset_boundaries) {
    cr_assert_str_eq(track("{'household_income_pct':60}"), "I-requirement");
    cr_assert_str_eq(track("{'household_income_pct':60.5}"), "II-midage");
    cr_assert_str_eq(track("{'household_assets':400000000}"), "I-requirement");
    cr_assert_str_eq(track("{'household_assets':400000001}"), "II-midage");
    /* youth asset limit is 5억 */
    cr_assert_str_eq(track("{'age':30,'household_assets':450000000}"), "I-requirement");
    cr_assert_str_eq(track("{'age':30,'household_assets':500000001,'household_income_pct':50}"), "II-youth");
}

Test(nesp, work_experience_days_or_hours) {
    cr_assert_str_eq(track("{'work_days_2y':100}"), "I-requirement");
    cr_assert_str_eq(track("{'work_days_2y':99}"), "I-selection");
    cr_assert_str_eq(track("{'work_days_2y':0,'work_hours_2y':800}"), "I-requirement");
    cr_assert_str_eq(track("{'work_days_2y':99,'work_hours_2y':799}"), "I-selection");
    json_t *r = na("{'work_days_2y':0}");
    cr_assert_eq(pt_i(r, "monthly_allowance"), 500000, "I-selection gets the same allowance");
}

Test(nesp, youth_special_and_military_extension) {
    cr_assert_str_eq(track("{'age':30,'household_income_pct':100,'household_assets':300000000}"), "I-youth");
    cr_assert_str_eq(track("{'age':30,'household_income_pct':120}"), "I-youth");
    cr_assert_str_eq(track("{'age':30,'household_income_pct':121}"), "II-youth");
    cr_assert_str_eq(track("{'age':34,'household_income_pct':100}"), "I-youth");
    cr_assert_str_eq(track("{'age':35,'household_income_pct':100}"), "II-midage");
    cr_assert_str_eq(track("{'age':36,'household_income_pct':100,'military_service_years':2}"), "I-youth");
    cr_assert_str_eq(track("{'age':37,'household_income_pct':100,'military_service_years':5}"), "I-youth");
    cr_assert_str_eq(track("{'age':38,'household_income_pct':100,'military_service_years':5}"), "II-midage");
    cr_assert_str_eq(track("{'age':17,'household_income_pct':100}"), "null");
    cr_assert_str_eq(track("{'age':18,'household_income_pct':100}"), "I-youth");
}

Test(nesp, type2_tracks_have_no_allowance) {
    json_t *r = na("{'age':25,'household_income_pct':200}");
    cr_assert_str_eq(pt_s(r, "track"), "II-youth");
    cr_assert_eq(pt_i(r, "monthly_allowance"), 0);
    cr_assert_eq(pt_i(r, "total_allowance"), 0);
    cr_assert_str_eq(track("{'age':50,'household_income_pct':100}"), "II-midage");
    r = na("{'age':50,'household_income_pct':101}");
    cr_assert(json_is_null(json_object_get(r, "track")));
    cr_assert_str_eq(pt_reason(r), "income_above_limit");
    cr_assert_str_eq(track("{'vulnerable_group':'homeless','household_income_pct':300}"), "II-vulnerable");
    cr_assert_str_eq(track("{'vulnerable_group':'basic_livelihood'}"), "II-vulnerable");
    cr_assert_str_eq(track("{'vulnerable_group':'defector','age':69}"), "II-vulnerable");
}

Test(nesp, exclusions_and_age_range) {
    json_t *r = na("{'receiving_ei':true}");
    cr_assert(json_is_null(json_object_get(r, "track")));
    cr_assert_str_eq(pt_reason(r), "receiving_ei");
    cr_assert_str_eq(pt_reason(na("{'age':14}")), "age_out_of_range");
    cr_assert_str_eq(pt_reason(na("{'age':70}")), "age_out_of_range");
    cr_assert_str_eq(track("{'age':15}"), "I-requirement");
    cr_assert_str_eq(track("{'age':69}"), "I-requirement");
    cr_assert_str_eq(pt_reason(na("{'age':16,'household_income_pct':70}")), "income_above_limit");
    cr_assert_str_eq(pt_reason(na("{'age':16,'household_assets':400000001}")), "assets_above_limit");
}

Test(nesp, dependants_add_on_by_year) {
    cr_assert_eq(pt_i(na("{'date':'2026-03-01','dependents':4}"), "monthly_allowance"), 1000000);
    cr_assert_eq(pt_i(na("{'date':'2026-03-01','dependents':6}"), "monthly_allowance"), 1000000);
    cr_assert_eq(pt_i(na("{'date':'2026-03-01','dependents':1}"), "total_allowance"), 4200000);
    cr_assert_eq(pt_i(na("{'date':'2025-12-31','dependents':4}"), "monthly_allowance"), 900000);
    cr_assert_eq(pt_i(na("{'date':'2026-01-01'}"), "monthly_allowance"), 600000);
    json_t *r = na("{'date':'2023-12-31','dependents':2}");
    cr_assert_eq(pt_i(r, "monthly_allowance"), 500000, "no add-on before 2024 (C)");
    cr_assert_str_eq(pt_s(pt_trace(r, "allowance.dependents", "kr.nesp.allowance.dependent_addon"), "confidence"), "C");
    cr_assert_eq(pt_i(na("{'date':'2024-01-01','dependents':2}"), "monthly_allowance"), 700000);
}

Test(nesp, thresholds_changed_in_2023) {
    cr_assert_str_eq(track("{'date':'2022-12-31','household_income_pct':55}"), "II-midage");
    cr_assert_str_eq(track("{'date':'2023-01-01','household_income_pct':55}"), "I-requirement");
    cr_assert_str_eq(track("{'date':'2022-06-01','household_assets':350000000}"), "II-midage");
}

Test(nesp, assess_errors) {
    pt_err("nesp-assess", pt_merge(BASE, "{'date':'2020-12-31'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("nesp-assess", pt_merge(BASE, "{'date':'2027-01-01'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("nesp-assess", pt_merge(BASE, "{'country':'DE'}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("nesp-assess", pt_merge(BASE, "{'vulnerable_group':'astronaut'}"), OP_VALIDATION, "vulnerable_group");
    pt_err("nesp-assess", pt_merge(BASE, "{'date':null}"), OP_VALIDATION, "date");
    pt_err("nesp-assess", pt_merge(BASE, "{'age':null}"), OP_VALIDATION, "age");
    pt_err("nesp-assess", pt_merge(BASE, "{'household_income_pct':null}"), OP_VALIDATION, "household_income_pct");
    pt_err("nesp-assess", pt_merge(BASE, "{'household_assets':-5}"), OP_VALIDATION, "household_assets");
    pt_err("nesp-assess", pt_merge(BASE, "{'salary':5}"), OP_UNKNOWN_FIELD, "salary");
}

/* ---- nesp/allowance ---- */

static json_t *al(const char *sq) { return pt_ok("nesp-allowance", pt_json(sq)); }

Test(nesp, early_success) {
    json_t *r = al("{'kind':'early_success','date':'2026-03-01','months_paid':2,'dependents':1,'employed_within_months':2}");
    cr_assert(pt_b(r, "eligible"));
    cr_assert_eq(pt_i(r, "amount"), 1400000); /* (6-2) x 700,000 x 50 % */
    r = al("{'kind':'early_success','date':'2026-03-01','months_paid':2,'dependents':1,'employed_within_months':3}");
    cr_assert(pt_b(r, "eligible"));
    r = al("{'kind':'early_success','date':'2026-03-01','months_paid':2,'dependents':1,'employed_within_months':3.5}");
    cr_assert_not(pt_b(r, "eligible"));
    cr_assert_str_eq(pt_reason(r), "employed_too_late");
    cr_assert_eq(pt_i(r, "amount"), 0);
    r = al("{'kind':'early_success','date':'2026-03-01','months_paid':6,'employed_within_months':1}");
    cr_assert_str_eq(pt_reason(r), "nothing_remaining");
    r = al("{'kind':'early_success','date':'2025-03-01','months_paid':1,'employed_within_months':1}");
    cr_assert_eq(pt_i(r, "amount"), 1250000);
    r = al("{'kind':'early_success','date':'2026-03-01','months_paid':2,'dependents':1,'employed_within_months':2,"
           "'options':{'early_success_include_dependents':false}}");
    cr_assert_eq(pt_i(r, "amount"), 1200000);
    cr_assert(pt_trace(r, "options.switch", "kr.nesp.early_success.include_dependent_addon"));
}

Test(nesp, success_allowance_steps) {
    cr_assert_not(pt_b(al("{'kind':'success','date':'2025-05-01','employed_months':5}"), "eligible"));
    cr_assert_eq(pt_i(al("{'kind':'success','date':'2025-05-01','employed_months':6}"), "amount"), 500000);
    cr_assert_eq(pt_i(al("{'kind':'success','date':'2025-05-01','employed_months':11}"), "amount"), 500000);
    cr_assert_eq(pt_i(al("{'kind':'success','date':'2025-05-01','employed_months':12}"), "amount"), 1500000);
    cr_assert_eq(pt_i(al("{'kind':'success','date':'2025-05-01','employed_months':40}"), "amount"), 1500000);
    json_t *r = al("{'kind':'success','date':'2025-05-01','employed_months':5}");
    cr_assert_str_eq(pt_reason(r), "not_enough_months");
}

Test(nesp, type2_activity_caps) {
    cr_assert_eq(pt_i(al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':150000,'training_months':3}"), "amount"),
                 150000 + 3 * 284000);
    cr_assert_eq(pt_i(al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':300000,'training_months':0}"), "amount"),
                 250000);
    cr_assert_eq(pt_i(al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':250000,'training_months':6}"), "amount"),
                 1954000);
    cr_assert_eq(pt_i(al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':250000,'training_months':10}"), "amount"),
                 1954000);
    json_t *r = al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':250000,'training_months':6,"
                   "'options':{'params':{'kr.nesp.type2.activity_total_max':1000000}}}");
    cr_assert_eq(pt_i(r, "amount"), 1000000);
    cr_assert_not(pt_b(al("{'kind':'type2_activity','date':'2025-05-01','participation_allowance':0,'training_months':0}"), "eligible"));
}

Test(nesp, allowance_errors) {
    pt_err("nesp-allowance", pt_json("{'date':'2025-05-01'}"), OP_VALIDATION, "kind");
    pt_err("nesp-allowance", pt_json("{'kind':'bonus'}"), OP_VALIDATION, "kind");
    pt_err("nesp-allowance", pt_json("{'kind':'early_success','months_paid':1,'employed_within_months':1}"), OP_VALIDATION, "date");
    pt_err("nesp-allowance", pt_json("{'kind':'early_success','date':'2025-05-01','months_paid':7,'employed_within_months':1}"), OP_VALIDATION,
           "months_paid");
    pt_err("nesp-allowance", pt_json("{'kind':'early_success','date':'2025-05-01','months_paid':1}"), OP_VALIDATION, "employed_within_months");
    pt_err("nesp-allowance", pt_json("{'kind':'success','employed_months':6,'training_months':1}"), OP_UNKNOWN_FIELD, "training_months");
    pt_err("nesp-allowance", pt_json("{'kind':'success','date':'2025-05-01'}"), OP_VALIDATION, "employed_months");
    pt_err("nesp-allowance", pt_json("{'kind':'type2_activity','date':'2025-05-01','training_months':1}"), OP_VALIDATION,
           "participation_allowance");
    pt_err("nesp-allowance", pt_json("{'kind':'success','date':'2020-05-01','employed_months':6}"), OP_POLICY_NOT_FOUND, NULL);
}
