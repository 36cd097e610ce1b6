/* ei_de.c - Germany Arbeitslosengeld I entitlement (POST /api/v1/policy/ei/assess, country "DE").
 *
 * SGB III §142/§143 (12 insured months within the 30-month Rahmenfrist), §147(2) (Anspruchsdauer by
 * insured months in 5 years and completed age), §149 (Leistungssatz 60 %, 67 % with a child),
 * §151/§153 (Bemessungsentgelt capped at the BBG; Leistungsentgelt = Bemessungsentgelt - 20 %
 * Sozialversicherungspauschale - Lohnsteuer - Soli: with bemessungsentgelt_daily the engine stops
 * before income tax), §154 (30 days a month), §161(2) (the claim lapses 4 years after it arose).
 * Every number comes from policy/de.json.  Money in euro cents. */
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"

typedef struct {
    int64_t sep, birth, report, age, m30, m5y, le, be;
    bool has_age, has_birth, has_report, has_le, has_be, child;
    const char *region;
} de_facts;

static const char *const fields[] = {"country", "separation_date", "age", "birth_date", "insured_months_30m",
                                     "insured_months_5y", "has_child", "leistungsentgelt_daily",
                                     "bemessungsentgelt_daily", "report_date", "region", "options", NULL};
static const char *const regions[] = {"west", "east", NULL};

static op_code parse(const json_t *rq, de_facts *f, op_err *e) {
    memset(f, 0, sizeof *f);
    op_code rc;
    if ((rc = pol_req_only(rq, fields, e)) || (rc = pol_req_date(rq, "separation_date", true, &f->sep, NULL, e)) ||
        (rc = jx_int(rq, "age", false, 0, 120, &f->age, &f->has_age, e)) ||
        (rc = pol_req_date(rq, "birth_date", false, &f->birth, &f->has_birth, e)) ||
        (rc = jx_int(rq, "insured_months_30m", true, 0, 1200, &f->m30, NULL, e)) ||
        (rc = jx_int(rq, "insured_months_5y", true, 0, 1200, &f->m5y, NULL, e)) ||
        (rc = jx_bool(rq, "has_child", false, &f->child, NULL, e)) ||
        (rc = jx_int(rq, "leistungsentgelt_daily", false, 0, 100000000, &f->le, &f->has_le, e)) ||
        (rc = jx_int(rq, "bemessungsentgelt_daily", false, 0, 100000000, &f->be, &f->has_be, e)) ||
        (rc = pol_req_date(rq, "report_date", false, &f->report, &f->has_report, e)) ||
        (rc = jx_enum(rq, "region", false, regions, &f->region, e)))
        return rc;
    if (f->has_birth) {
        if (f->birth > f->sep)
            return op_fail_field(e, OP_VALIDATION, "birth_date", NULL, "birth_date is after separation_date");
        int64_t a = pol_age_on(f->birth, f->sep);
        if (f->has_age && a != f->age)
            return op_fail_field(e, OP_VALIDATION, "birth_date", "give age or birth_date",
                                 "birth_date gives age %lld on the separation date, but age is %lld", (long long)a, (long long)f->age);
        f->age = a;
    } else if (!f->has_age)
        return op_fail_field(e, OP_VALIDATION, "age", "give age (completed years) or birth_date", "field \"age\" is required");
    if (f->has_le && f->has_be)
        return op_fail_field(e, OP_VALIDATION, "bemessungsentgelt_daily", "give leistungsentgelt_daily or bemessungsentgelt_daily",
                             "leistungsentgelt_daily and bemessungsentgelt_daily are both given");
    if (!f->has_le && !f->has_be)
        return op_fail_field(e, OP_VALIDATION, "leistungsentgelt_daily", "give leistungsentgelt_daily or bemessungsentgelt_daily",
                             "field \"leistungsentgelt_daily\" is required");
    if (f->m30 > f->m5y)
        return op_fail_field(e, OP_VALIDATION, "insured_months_5y", NULL,
                             "insured_months_5y (%lld) is less than insured_months_30m (%lld), which lie within the 5 years",
                             (long long)f->m5y, (long long)f->m30);
    return OP_OK;
}

/* Leistungsentgelt per day (cents). */
static int64_t leistungsentgelt(pol_calc *k, const de_facts *f, const char *mode) {
    if (f->has_le) {
        pol_trace(k, "daily.leistungsentgelt", "leistungsentgelt_daily", json_integer(f->le), "request (net, after the flat deductions)");
        return f->le;
    }
    pol_value pv;
    const json_t *bbg = pol_get(k, "de.ei.bbg_month", &pv);
    const char *region = f->region ? f->region : pol_str(k, "daily.cap_region", "de.ei.default_region");
    json_t *rv = json_object_get(bbg, region);
    int64_t month = rv ? json_integer_value(rv) : 0;
    if (!rv) {
        /* A region the year's value does not list: use the largest (the pack's only value from 2025). */
        const char *key;
        json_t *x;
        json_object_foreach((json_t *)bbg, key, x) if (json_integer_value(x) > month) month = json_integer_value(x);
    }
    pol_trace_pv(k, "daily.cap", &pv, json_pack("{s:s, s:I}", "region", region, "month", (json_int_t)month));
    int64_t dpy = pol_int(k, "daily.cap", "de.ei.cap_days_per_year");
    int64_t cap = pol_div_round(month * 12, dpy ? dpy : 365, mode);
    int64_t be = f->be < cap ? f->be : cap;
    pol_tracef(k, "daily.cap", "min(bemessungsentgelt_daily, BBG x 12 / days)", json_integer(be), "§151, §341(4) SGB III: min(%lld, %lld)",
               (long long)f->be, (long long)cap);
    int64_t sv = pol_ppm(k, "daily.sv_flat_rate", "de.ei.sv_flat_rate");
    int64_t le = pol_mul_ppm(be, 1000000 - sv, mode);
    pol_tracef(k, "daily.leistungsentgelt", "Bemessungsentgelt - flat rate", json_integer(le),
               "§153 SGB III: %lld x (1 - %g); income tax and Soli not deducted (value before income tax)", (long long)be,
               (double)sv / 1e6);
    return le;
}

op_code pol_ei_de_assess(arena *a, const json_t *req, json_t **out, op_err *e) {
    de_facts f;
    pol_calc k;
    op_code rc = parse(req, &f, e);
    if (rc || (rc = pol_calc_begin(&k, a, "DE", "ei", f.sep, json_object_get(req, "options"), e))) return rc;
    json_t *reasons = jx_arena(a, json_array());
    if (f.has_birth) pol_trace(&k, "input.age", "birth_date", json_integer(f.age), "completed years on the separation date");
    int64_t rahmen = pol_int(&k, "eligibility.rahmenfrist", "de.ei.rahmenfrist_months");
    if (f.m30 > rahmen)
        return op_fail_field(e, OP_VALIDATION, "insured_months_30m", NULL, "insured_months_30m (%lld) exceeds the %lld-month Rahmenfrist",
                             (long long)f.m30, (long long)rahmen);
    int64_t lookback = pol_int(&k, "duration.lookback", "de.ei.duration_lookback_months");
    if (f.m5y > lookback)
        return op_fail_field(e, OP_VALIDATION, "insured_months_5y", NULL, "insured_months_5y (%lld) exceeds the %lld-month lookback",
                             (long long)f.m5y, (long long)lookback);
    int64_t need = pol_int(&k, "eligibility.anwartschaftszeit", "de.ei.qualifying_months");
    bool eligible = f.m30 >= need;
    pol_tracef(&k, "eligibility.anwartschaftszeit", "insured_months_30m", json_integer(f.m30), "request; %s %lld",
               eligible ? "met: at least" : "not met: fewer than", (long long)need);
    if (!eligible)
        pol_reason(reasons, "insufficient_qualifying_period", "%lld insured months within the Rahmenfrist; %lld required",
                   (long long)f.m30, (long long)need);
    int64_t daily = 0, monthly = 0, prescribed = 0, payable = 0, first = 0, wend = 0, wait = 0;
    int64_t dpm = pol_int(&k, "days_per_month", "de.ei.days_per_month");
    if (eligible) {
        const char *mode = pol_rounding(&k, "daily.rounding", "de.ei.rounding.daily");
        int64_t le = leistungsentgelt(&k, &f, mode);
        int64_t rate = pol_ppm(&k, f.child ? "daily.leistungssatz (child)" : "daily.leistungssatz",
                               f.child ? "de.ei.rate_child" : "de.ei.rate");
        daily = pol_mul_ppm(le, rate, mode);
        pol_tracef(&k, "daily.amount", "Leistungsentgelt x Leistungssatz", json_integer(daily), "§149 SGB III: %lld x %g",
                   (long long)le, (double)rate / 1e6);
        monthly = daily * dpm;
        pol_tracef(&k, "monthly.amount", "daily_amount x days per month", json_integer(monthly), "§154 SGB III: %lld x %lld",
                   (long long)daily, (long long)dpm);
        pol_value pv;
        const json_t *steps = pol_table(&k, "de.ei.duration", &pv);
        int64_t months = 0;
        const json_t *used = NULL;
        for (size_t i = 0; i < json_array_size(steps); i++) {
            const json_t *s = json_array_get(steps, i);
            if (f.m5y >= json_integer_value(json_object_get(s, "min_months")) &&
                f.age >= json_integer_value(json_object_get(s, "min_age")) &&
                json_integer_value(json_object_get(s, "months")) > months) {
                months = json_integer_value(json_object_get(s, "months"));
                used = s;
            }
        }
        pol_trace_pv(&k, "duration.anspruchsdauer", &pv, used ? json_deep_copy(used) : json_integer(0));
        prescribed = months * dpm;
        pol_tracef(&k, "duration.prescribed_days", "months x days per month", json_integer(prescribed),
                   "§147(2) SGB III: %lld insured months in 5 years, age %lld: %lld months", (long long)f.m5y, (long long)f.age,
                   (long long)months);
        wait = pol_int(&k, "timing.waiting_period", "de.ei.waiting_days");
        int64_t wmonths = pol_int(&k, "timing.benefit_window", "de.ei.benefit_window_months");
        payable = prescribed;
        if (f.has_report) {
            int64_t start = f.report > f.sep ? f.report : f.sep + 1;
            first = start + wait;
            wend = pol_period_end(f.sep + 1, (int)wmonths);
            pol_trace(&k, "timing.first_payable", "first_payable_date", pol_date_json(first),
                      "from the report day (not before the day after separation), after any waiting days");
            pol_trace(&k, "timing.benefit_window", "benefit_window_end", pol_date_json(wend), "§161(2) SGB III");
            int64_t left = wend - first + 1;
            if (left < 0) left = 0;
            if (left < payable) payable = left;
            pol_trace(&k, "timing.payable_days", "payable_days", json_integer(payable),
                      left < prescribed ? "truncated by the benefit window" : "all prescribed days fit in the window");
            if (!payable) {
                eligible = false;
                pol_reason(reasons, "benefit_window_expired", "the claim lapsed on %s", pol_date_str(a, wend));
            }
        }
    }
    if (e->code) return e->code;
    int64_t total = eligible ? daily * payable : 0;
    if (eligible) pol_tracef(&k, "total", "daily_amount x payable_days", json_integer(total), "%lld x %lld", (long long)daily, (long long)payable);
    json_t *o = json_object();
    json_object_set_new(o, "eligible", json_boolean(eligible));
    json_object_set(o, "reasons", reasons);
    json_object_set_new(o, "daily_amount", json_integer(eligible ? daily : 0));
    json_object_set_new(o, "monthly_amount", json_integer(eligible ? monthly : 0));
    json_object_set_new(o, "currency", json_string(k.pack->currency));
    json_object_set_new(o, "prescribed_days", json_integer(eligible ? prescribed : 0));
    /* SGB III has no waiting days (de.ei.waiting_days = 0), so this is null unless simulated. */
    json_object_set_new(o, "waiting_period", eligible && f.has_report && wait > 0
                                                 ? json_pack("{s:o, s:o}", "from", pol_date_json(first - wait), "to",
                                                             pol_date_json(first - 1))
                                                 : json_null());
    json_object_set_new(o, "first_payable_date", eligible && f.has_report ? pol_date_json(first) : json_null());
    json_object_set_new(o, "benefit_window_end", eligible && f.has_report ? pol_date_json(wend) : json_null());
    json_object_set_new(o, "payable_days", json_integer(eligible ? payable : 0));
    json_object_set_new(o, "total_amount", json_integer(total));
    *out = pol_finish(&k, o);
    return OP_OK;
}
