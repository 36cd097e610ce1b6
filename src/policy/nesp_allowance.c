/* nesp_allowance.c - one-off NESP payments (POST /api/v1/policy/nesp/allowance).
 *
 * kind "early_success" (조기취업성공수당): employed within kr.nesp.early_success.window_months of
 *   the IAP set-up -> ratio (50 %) of the unpaid remaining 구직촉진수당; whether the dependants add-on
 *   counts is kr.nesp.early_success.include_dependent_addon (C; switch early_success_include_dependents).
 * kind "success" (취업성공수당): cumulative steps by continuous months in the new job (6 -> 500,000,
 *   12 -> +1,000,000).
 * kind "type2_activity": stage-1 participation allowance (at most 250,000) + training allowance
 *   (284,000 x at most 6 months), capped at 1,954,000.
 * The pack date is "date" (required for early_success; today when absent for the others). */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "policy/calc.h"

static const char *const kinds[] = {"early_success", "success", "type2_activity", NULL};

static op_code early_success(pol_calc *k, const json_t *req, json_t *reasons, int64_t *amount) {
    int64_t paid, deps = 0;
    double within;
    op_code rc;
    if ((rc = jx_int(req, "months_paid", true, 0, 120, &paid, NULL, k->e)) ||
        (rc = jx_int(req, "dependents", false, 0, 50, &deps, NULL, k->e)) ||
        (rc = jx_num(req, "employed_within_months", true, 0, 1200, &within, NULL, k->e)))
        return rc;
    int64_t months = pol_int(k, "allowance.months", "kr.nesp.allowance.months");
    if (paid > months)
        return op_fail_field(k->e, OP_VALIDATION, "months_paid", NULL, "months_paid (%lld) exceeds the %lld monthly payments",
                             (long long)paid, (long long)months);
    int64_t base = pol_int(k, "allowance.base", "kr.nesp.allowance.base_monthly");
    int64_t monthly = base;
    if (pol_bool(k, "allowance.dependents", "kr.nesp.early_success.include_dependent_addon")) {
        int64_t add = pol_int(k, "allowance.dependents", "kr.nesp.allowance.dependent_addon");
        int64_t dmax = pol_int(k, "allowance.dependents", "kr.nesp.allowance.dependent_max");
        monthly += (deps < dmax ? deps : dmax) * add;
    }
    int64_t remaining = (months - paid) * monthly;
    pol_tracef(k, "early_success.remaining", "unpaid months x monthly allowance", json_integer(remaining), "(%lld - %lld) x %lld",
               (long long)months, (long long)paid, (long long)monthly);
    int64_t window = pol_int(k, "early_success.window", "kr.nesp.early_success.window_months");
    if (within > (double)window)
        pol_reason(reasons, "employed_too_late", "employed %g months after the IAP set-up; within %lld required", within, (long long)window);
    if (remaining == 0) pol_reason(reasons, "nothing_remaining", "the whole allowance has been paid");
    if (json_array_size(reasons)) return k->e->code;
    int64_t ratio = pol_ppm(k, "early_success.ratio", "kr.nesp.early_success.ratio");
    const char *mode = pol_rounding(k, "early_success.rounding", "kr.nesp.rounding");
    *amount = pol_mul_ppm(remaining, ratio, mode);
    pol_tracef(k, "early_success.amount", "remaining x ratio", json_integer(*amount), "%lld x %g", (long long)remaining, (double)ratio / 1e6);
    return k->e->code;
}

static op_code success(pol_calc *k, const json_t *req, json_t *reasons, int64_t *amount) {
    int64_t m;
    op_code rc = jx_int(req, "employed_months", true, 0, 1200, &m, NULL, k->e);
    if (rc) return rc;
    pol_value pv;
    const json_t *steps = pol_table(k, "kr.nesp.success.steps", &pv);
    json_t *reached = json_array();
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *s = json_array_get(steps, i);
        if (json_integer_value(json_object_get(s, "min")) <= m) {
            *amount += json_integer_value(json_object_get(s, "amount"));
            json_array_append_new(reached, json_deep_copy(s));
        }
    }
    pol_trace_pv(k, "success.steps", &pv, reached);
    pol_tracef(k, "success.amount", "sum of the steps reached", json_integer(*amount), "%lld continuous months employed", (long long)m);
    if (!*amount)
        pol_reason(reasons, "not_enough_months", "%lld continuous months employed; the first step needs %lld", (long long)m,
                   (long long)json_integer_value(json_object_get(json_array_get(steps, 0), "min")));
    return k->e->code;
}

static op_code type2(pol_calc *k, const json_t *req, json_t *reasons, int64_t *amount) {
    int64_t part, tm;
    op_code rc;
    if ((rc = jx_int(req, "participation_allowance", true, 0, 100000000, &part, NULL, k->e)) ||
        (rc = jx_int(req, "training_months", true, 0, 120, &tm, NULL, k->e)))
        return rc;
    int64_t pmax = pol_int(k, "type2.participation", "kr.nesp.type2.participation_max");
    int64_t p = part < pmax ? part : pmax;
    pol_tracef(k, "type2.participation", "min(participation_allowance, max)", json_integer(p), "min(%lld, %lld)", (long long)part, (long long)pmax);
    int64_t monthly = pol_int(k, "type2.training", "kr.nesp.type2.training_monthly_max");
    int64_t mmax = pol_int(k, "type2.training", "kr.nesp.type2.training_months_max");
    int64_t t = (tm < mmax ? tm : mmax) * monthly;
    pol_tracef(k, "type2.training", "min(training_months, max) x monthly", json_integer(t), "min(%lld, %lld) x %lld", (long long)tm,
               (long long)mmax, (long long)monthly);
    int64_t cap = pol_int(k, "type2.cap", "kr.nesp.type2.activity_total_max");
    *amount = p + t < cap ? p + t : cap;
    pol_tracef(k, "type2.amount", "min(participation + training, cap)", json_integer(*amount), "min(%lld, %lld)", (long long)(p + t),
               (long long)cap);
    if (!*amount) pol_reason(reasons, "nothing_payable", "no participation allowance and no training months");
    return k->e->code;
}

op_code pol_nesp_allowance(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *kind, *country;
    int64_t date = 0;
    bool has_date;
    op_code rc;
    if ((rc = jx_enum(req, "kind", true, kinds, &kind, e))) return rc;
    static const char *const f_early[] = {"kind", "country", "date", "months_paid", "dependents", "employed_within_months", "options", NULL};
    static const char *const f_success[] = {"kind", "country", "date", "employed_months", "options", NULL};
    static const char *const f_type2[] = {"kind", "country", "date", "participation_allowance", "training_months", "options", NULL};
    bool early = !strcmp(kind, "early_success"), succ = !strcmp(kind, "success");
    if ((rc = pol_req_only(req, early ? f_early : succ ? f_success : f_type2, e)) ||
        (rc = pol_req_country(req, false, "KR", &country, e)) || (rc = pol_req_date(req, "date", early, &date, &has_date, e)))
        return rc;
    if (!has_date) date = date_today();
    pol_calc k;
    if ((rc = pol_calc_begin(&k, a, country, "nesp", date, json_object_get(req, "options"), e))) return rc;
    pol_tracef(&k, "kind", "kind", json_string(kind), "pack date %s (%s)", pol_date_str(a, date), has_date ? "request" : "today");
    json_t *reasons = jx_arena(a, json_array());
    int64_t amount = 0;
    rc = early ? early_success(&k, req, reasons, &amount) : succ ? success(&k, req, reasons, &amount) : type2(&k, req, reasons, &amount);
    if (rc) return rc;
    bool ok = json_array_size(reasons) == 0 && amount > 0;
    json_t *o = json_object();
    json_object_set_new(o, "eligible", json_boolean(ok));
    json_object_set_new(o, "amount", json_integer(ok ? amount : 0));
    json_object_set_new(o, "currency", json_string(k.pack->currency));
    json_object_set(o, "reasons", reasons);
    *out = pol_finish(&k, o);
    return OP_OK;
}
