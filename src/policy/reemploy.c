/* reemploy.c - early re-employment allowance, 조기재취업수당 (POST /api/v1/policy/ei/early-reemployment).
 *
 * 고용보험법 제64조 and 시행령 제84조: re-employed with at least half of the prescribed days left
 * (kr.ei.reemploy.min_remaining_ratio), expected tenure of 12 months (6 when 65 or older at
 * separation), no such allowance within the previous 2 years; amount = 구직급여일액 x remaining
 * days x 1/2.  The pack date is reemployment_date.  Germany has no such allowance (SGB III), so
 * the DE pack has no ei_reemploy programme and the answer is policy.not_found.
 * Not modelled (C in RULES.md): re-employment more than 14 days after the report, the claim
 * deadline, re-hiring by the former employer. */
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"

static const char *const fields[] = {"country", "prescribed_days", "days_paid", "daily_amount", "age_at_separation",
                                     "previous_allowance_date", "reemployment_date", "expected_tenure_months", "options", NULL};

op_code pol_ei_reemploy(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *country;
    int64_t presc, paid, daily, age, tenure, prev = 0, reemp;
    bool has_prev;
    op_code rc;
    if ((rc = pol_req_only(req, fields, e)) || (rc = pol_req_country(req, true, NULL, &country, e)) ||
        (rc = jx_int(req, "prescribed_days", true, 1, 10000, &presc, NULL, e)) ||
        (rc = jx_int(req, "days_paid", true, 0, 10000, &paid, NULL, e)) ||
        (rc = jx_int(req, "daily_amount", true, 0, 100000000, &daily, NULL, e)) ||
        (rc = jx_int(req, "age_at_separation", true, 0, 120, &age, NULL, e)) ||
        (rc = pol_req_date(req, "previous_allowance_date", false, &prev, &has_prev, e)) ||
        (rc = pol_req_date(req, "reemployment_date", true, &reemp, NULL, e)) ||
        (rc = jx_int(req, "expected_tenure_months", true, 0, 1200, &tenure, NULL, e)))
        return rc;
    if (paid > presc)
        return op_fail_field(e, OP_VALIDATION, "days_paid", NULL, "days_paid (%lld) exceeds prescribed_days (%lld)",
                             (long long)paid, (long long)presc);
    if (has_prev && prev > reemp)
        return op_fail_field(e, OP_VALIDATION, "previous_allowance_date", NULL,
                             "previous_allowance_date is after reemployment_date");
    pol_calc k;
    if ((rc = pol_calc_begin(&k, a, country, "ei_reemploy", reemp, json_object_get(req, "options"), e))) return rc;
    json_t *reasons = jx_arena(a, json_array());
    int64_t remaining = presc - paid;
    pol_tracef(&k, "remaining_days", "prescribed_days - days_paid", json_integer(remaining), "%lld - %lld", (long long)presc,
               (long long)paid);
    int64_t ratio = pol_ppm(&k, "condition.remaining", "kr.ei.reemploy.min_remaining_ratio");
    /* remaining >= prescribed x ratio, exactly: remaining x 1e6 >= prescribed x ppm */
    if (remaining * 1000000 < presc * ratio)
        pol_reason(reasons, "too_few_remaining_days", "%lld of %lld prescribed days remain; at least %g of them must remain",
                   (long long)remaining, (long long)presc, (double)ratio / 1e6);
    int64_t older = pol_int(&k, "condition.tenure", "kr.ei.reemploy.older_age");
    int64_t need = age >= older ? pol_int(&k, "condition.tenure", "kr.ei.reemploy.tenure_months_older")
                                : pol_int(&k, "condition.tenure", "kr.ei.reemploy.tenure_months");
    pol_tracef(&k, "condition.tenure", "expected_tenure_months", json_integer(tenure), "request; %lld months required (age %lld at separation)",
               (long long)need, (long long)age);
    if (tenure < need)
        pol_reason(reasons, "tenure_too_short", "expected tenure of %lld months; %lld required", (long long)tenure, (long long)need);
    int64_t years = pol_int(&k, "condition.lockout", "kr.ei.reemploy.lockout_years");
    if (has_prev) {
        int64_t until = pol_add_months(prev, (int)(years * 12));
        bool blocked = reemp < until;
        pol_tracef(&k, "condition.lockout", "previous_allowance_date", pol_date_json(prev), "request; %s (lockout until %s)",
                   blocked ? "within the lockout" : "outside the lockout", pol_date_str(a, until));
        if (blocked)
            pol_reason(reasons, "received_within_lockout", "an early re-employment allowance was received on %s, within %lld years",
                       pol_date_str(a, prev), (long long)years);
    }
    bool ok = json_array_size(reasons) == 0;
    int64_t amount = 0;
    if (ok) {
        int64_t pr = pol_ppm(&k, "amount.payout_ratio", "kr.ei.reemploy.payout_ratio");
        const char *mode = pol_rounding(&k, "amount.rounding", "kr.ei.reemploy.rounding");
        amount = pol_muldiv(daily * remaining, pr, 1000000, mode);
        pol_tracef(&k, "amount", "daily_amount x remaining_days x payout_ratio", json_integer(amount), "고용보험법 제64조: %lld x %lld x %g",
                   (long long)daily, (long long)remaining, (double)pr / 1e6);
    }
    if (e->code) return e->code;
    json_t *o = json_object();
    json_object_set_new(o, "eligible", json_boolean(ok));
    json_object_set_new(o, "amount", json_integer(amount));
    json_object_set_new(o, "currency", json_string(k.pack->currency));
    json_object_set_new(o, "remaining_days", json_integer(remaining));
    json_object_set(o, "reasons", reasons);
    *out = pol_finish(&k, o);
    return OP_OK;
}
