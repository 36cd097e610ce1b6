/* nesp.c - National Employment Support Programme track and allowance (POST /api/v1/policy/nesp/assess).
 *
 * 구직자 취업촉진 및 생활안정지원에 관한 법률 (in force 2021-01-01) and MOEL's yearly cut-offs, all in
 * policy/kr.json (kr.nesp.*).  Order of the checks (an engine choice, documented in docs/POLICY.md):
 *   receiving 구직급여 -> no track; age outside 15-69 -> no track;
 *   vulnerable_group (pack code) -> II-vulnerable;
 *   income <= 60 %, assets <= 4억 (youth 5억), >= 100 days or 800 hours in 2 years -> I-requirement;
 *   income <= 60 %, assets <= 4억 -> I-selection;
 *   youth (18-34, + military service up to 3 years), income <= 120 %, assets <= 5억 -> I-youth;
 *   youth -> II-youth;  age >= 35 and income <= 100 % -> II-midage;  else none.
 * Type I: monthly 구직촉진수당 = base + per-dependant add-on (at most 4) for 6 months. */
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"

static const char *const fields[] = {"country", "date", "age", "household_income_pct", "household_assets", "work_days_2y",
                                     "work_hours_2y", "receiving_ei", "vulnerable_group", "dependents",
                                     "military_service_years", "options", NULL};

static bool in_codes(const json_t *codes, const char *s) {
    for (size_t i = 0; i < json_array_size(codes); i++)
        if (strcmp(json_string_value(json_array_get(codes, i)), s) == 0) return true;
    return false;
}

op_code pol_nesp_assess(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *country, *vg;
    int64_t date, age, assets, wdays = 0, whours = 0, deps = 0, mil = 0;
    double income;
    bool ei = false;
    op_code rc;
    if ((rc = pol_req_only(req, fields, e)) || (rc = pol_req_country(req, false, "KR", &country, e)) ||
        (rc = pol_req_date(req, "date", true, &date, NULL, e)) || (rc = jx_int(req, "age", true, 0, 120, &age, NULL, e)) ||
        (rc = jx_num(req, "household_income_pct", true, 0, 100000, &income, NULL, e)) ||
        (rc = jx_int(req, "household_assets", true, 0, INT64_MAX / 4, &assets, NULL, e)) ||
        (rc = jx_int(req, "work_days_2y", false, 0, 731, &wdays, NULL, e)) ||
        (rc = jx_int(req, "work_hours_2y", false, 0, 17544, &whours, NULL, e)) ||
        (rc = jx_bool(req, "receiving_ei", false, &ei, NULL, e)) ||
        (rc = jx_str(req, "vulnerable_group", false, 64, &vg, e)) ||
        (rc = jx_int(req, "dependents", false, 0, 50, &deps, NULL, e)) ||
        (rc = jx_int(req, "military_service_years", false, 0, 10, &mil, NULL, e)))
        return rc;
    pol_calc k;
    if ((rc = pol_calc_begin(&k, a, country, "nesp", date, json_object_get(req, "options"), e))) return rc;
    json_t *reasons = jx_arena(a, json_array());
    const char *track = NULL;
    pol_value pv;
    const json_t *groups = pol_get(&k, "kr.nesp.type2.vulnerable_groups", &pv);
    if (vg && groups && !in_codes(groups, vg)) {
        char list[256] = "";
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(groups) && n < sizeof list - 40; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", json_string_value(json_array_get(groups, i)));
        return op_fail_field(e, OP_VALIDATION, "vulnerable_group", list, "unknown vulnerable_group \"%s\"", vg);
    }
    int64_t amin = pol_int(&k, "eligibility.age", "kr.nesp.age_min"), amax = pol_int(&k, "eligibility.age", "kr.nesp.age_max");
    if (ei) {
        pol_trace(&k, "exclusion.receiving_ei", "receiving_ei", json_true(), "no concurrent receipt with 구직급여");
        pol_reason(reasons, "receiving_ei", "people receiving the job-seeking allowance (구직급여) cannot participate");
    } else if (age < amin || age > amax) {
        pol_reason(reasons, "age_out_of_range", "age %lld is outside %lld to %lld", (long long)age, (long long)amin, (long long)amax);
    } else if (vg) {
        pol_trace_pv(&k, "track.II-vulnerable", &pv, json_string(vg));
        track = "II-vulnerable";
    } else {
        int64_t ymin = pol_int(&k, "youth.age", "kr.nesp.youth.age_min"), ymax = pol_int(&k, "youth.age", "kr.nesp.youth.age_max");
        int64_t mx = pol_int(&k, "youth.age", "kr.nesp.youth.military_extension_max_years");
        int64_t ext = mil < mx ? mil : mx;
        bool youth = age >= ymin && age <= ymax + ext;
        pol_tracef(&k, "youth.age", "youth", json_boolean(youth), "age %lld within %lld to %lld + %lld military years", (long long)age,
                   (long long)ymin, (long long)ymax, (long long)ext);
        double i1 = pol_num(&k, "type1.income", "kr.nesp.type1.income_pct");
        int64_t as1 = pol_int(&k, "type1.assets", "kr.nesp.type1.assets");
        int64_t asy = youth ? pol_int(&k, "type1.assets", "kr.nesp.type1.youth_assets") : as1;
        int64_t nd = pol_int(&k, "type1.work", "kr.nesp.type1.work_days_2y"), nh = pol_int(&k, "type1.work", "kr.nesp.type1.work_hours_2y");
        bool work = wdays >= nd || whours >= nh;
        pol_tracef(&k, "type1.work", "work_days_2y / work_hours_2y", json_pack("[I, I]", (json_int_t)wdays, (json_int_t)whours),
                   "request; %s", work ? "work experience met" : "work experience not met");
        if (income <= i1 && assets <= asy && work) {
            track = "I-requirement";
        } else if (income <= i1 && assets <= as1) {
            track = "I-selection";
            pol_trace(&k, "track.I-selection", "selection", NULL, "selected within the budget (선발형)");
        } else {
            double iy = youth ? pol_num(&k, "track.I-youth", "kr.nesp.youth_special.income_pct") : 0;
            int64_t ay = youth ? pol_int(&k, "track.I-youth", "kr.nesp.youth_special.assets") : 0;
            if (youth && income <= iy && assets <= ay) {
                track = "I-youth";
            } else if (youth) {
                track = "II-youth";
                pol_trace(&k, "track.II-youth", "youth", json_true(), "Type II youth: no income test");
            } else {
                int64_t mmin = pol_int(&k, "track.II-midage", "kr.nesp.type2.midage_age_min");
                double mi = pol_num(&k, "track.II-midage", "kr.nesp.type2.midage_income_pct");
                if (age >= mmin && income <= mi) track = "II-midage";
                else if (age >= mmin)
                    pol_reason(reasons, "income_above_limit", "household income %g %% is above the Type I (%g %%) and Type II middle-age (%g %%) limits",
                               income, i1, mi);
                else if (income > i1)
                    pol_reason(reasons, "income_above_limit", "household income %g %% is above the Type I limit of %g %%", income, i1);
                else
                    pol_reason(reasons, "assets_above_limit", "household assets %lld are above the Type I limit of %lld", (long long)assets,
                               (long long)as1);
            }
        }
    }
    int64_t monthly = 0, months = 0;
    if (track && track[0] == 'I' && track[1] == '-') {
        int64_t base = pol_int(&k, "allowance.base", "kr.nesp.allowance.base_monthly");
        int64_t add = pol_int(&k, "allowance.dependents", "kr.nesp.allowance.dependent_addon");
        int64_t dmax = pol_int(&k, "allowance.dependents", "kr.nesp.allowance.dependent_max");
        int64_t dc = deps < dmax ? deps : dmax;
        monthly = base + dc * add;
        months = pol_int(&k, "allowance.months", "kr.nesp.allowance.months");
        pol_tracef(&k, "allowance.monthly", "base + dependants x add-on", json_integer(monthly), "%lld + %lld x %lld (of %lld dependants)",
                   (long long)base, (long long)dc, (long long)add, (long long)deps);
    } else if (track) {
        pol_trace(&k, "allowance.monthly", "Type II", json_integer(0), "Type II has no job-search promotion allowance (see nesp/allowance type2_activity)");
    }
    if (e->code) return e->code;
    pol_trace(&k, "result", "track", track ? json_string(track) : NULL, track ? "track found" : "no track applies");
    json_t *o = json_object();
    json_object_set_new(o, "track", track ? json_string(track) : json_null());
    json_object_set_new(o, "monthly_allowance", json_integer(monthly));
    json_object_set_new(o, "currency", json_string(k.pack->currency));
    json_object_set_new(o, "months", json_integer(months));
    json_object_set_new(o, "total_allowance", json_integer(monthly * months));
    json_object_set(o, "reasons", reasons);
    *out = pol_finish(&k, o);
    return OP_OK;
}
