/* ei_kr.c - Korea 구직급여 entitlement (POST /api/v1/policy/ei/assess, country "KR").
 *
 * 고용보험법 제40조 (eligibility: 180 unit days, 제58조 disqualifying separation, 제10조② first
 * insured at 65+), 제45-46조 (daily amount = max(min(기초일액, cap) x rate, floor), the floor from
 * the hourly minimum wage x daily hours (at most 8) x 80 %), 제50조 별표1 (prescribed days by age
 * 50+/disabled and 피보험기간), 제49조 (7 waiting days from the report day), 제48조 (12-month
 * benefit window from the day after separation).  Every number comes from policy/kr.json. */
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"
#include "policy/ei_kr.h"

typedef struct {
    bool eligible;
    json_t *reasons;
    int64_t daily, prescribed, payable, wait_days;
    bool has_timing;
    int64_t wait_from, first_payable, window_end;
} kr_result;

static bool in_codes(const json_t *codes, const char *s) {
    for (size_t i = 0; i < json_array_size(codes); i++)
        if (strcmp(json_string_value(json_array_get(codes, i)), s) == 0) return true;
    return false;
}

static op_code eligibility(pol_calc *k, const kr_facts *f, kr_result *r) {
    int64_t need = pol_int(k, "eligibility.unit_days", "kr.ei.qualifying_unit_days");
    pol_int(k, "eligibility.base_period", "kr.ei.base_period_months");
    bool ok = f->unit_days >= need;
    pol_tracef(k, "eligibility.unit_days", "insured_unit_days", json_integer(f->unit_days), "request; %s %lld",
               ok ? "met: at least" : "not met: fewer than", (long long)need);
    if (!ok)
        pol_reason(r->reasons, "insufficient_unit_days", "%lld insured unit days in the base period; %lld required",
                   (long long)f->unit_days, (long long)need);
    pol_value pv;
    const json_t *disq = pol_get(k, "kr.ei.disqualifying_reasons", &pv);
    pol_trace_pv(k, "eligibility.separation_reason", &pv, NULL);
    if (disq && in_codes(disq, f->reason)) {
        pol_tracef(k, "eligibility.separation_reason", "separation_reason", json_string(f->reason), "disqualifying (%s)", pv.source);
        pol_reason(r->reasons, "disqualifying_separation", "separation reason \"%s\" disqualifies (voluntary quit without a justified reason, or dismissal for serious fault)",
                   f->reason);
    } else if (f->justified) {
        const json_t *just = pol_get(k, "kr.ei.justified_quit_reasons", &pv);
        pol_trace_pv(k, "eligibility.justified_quit", &pv, NULL);
        if (just && !in_codes(just, f->justified)) {
            char list[256] = "";
            size_t n = 0;
            for (size_t i = 0; i < json_array_size(just) && n < sizeof list - 40; i++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", json_string_value(json_array_get(just, i)));
            return op_fail_field(k->e, OP_VALIDATION, "justified_reason", list, "unknown justified_reason \"%s\"", f->justified);
        }
        pol_tracef(k, "eligibility.justified_quit", "justified_reason", json_string(f->justified),
                   "accepted as a justified reason (%s)", pv.source);
    } else {
        pol_trace(k, "eligibility.separation_reason", "separation_reason", json_string(f->reason), "not disqualifying");
    }
    if (f->has_first_age) {
        int64_t lim = pol_int(k, "eligibility.coverage_age", "kr.ei.first_insured_age_limit");
        bool out = f->first_age >= lim;
        pol_tracef(k, "eligibility.coverage_age", "first_insured_age", json_integer(f->first_age), "request; %s",
                   out ? "first insured at or above the limit: excluded" : "below the limit: covered");
        if (out)
            pol_reason(r->reasons, "first_insured_at_65_or_older", "first insured at age %lld; people first hired at %lld or older are not covered",
                       (long long)f->first_age, (long long)lim);
    } else {
        pol_trace(k, "eligibility.coverage_age", "first_insured_age", NULL, "not given: assumed insured before the age limit");
    }
    r->eligible = json_array_size(r->reasons) == 0;
    return k->e->code;
}

static void daily_amount(pol_calc *k, const kr_facts *f, kr_result *r) {
    int64_t avg = f->avg;
    if (f->has_w3m) {
        /* The 3 months up to and including the separation date, by calendar days. */
        int64_t start = pol_add_months(f->sep + 1, -3), days = f->sep - start + 1;
        const char *mode = pol_rounding(k, "daily.average_wage", "kr.ei.rounding.base_daily_wage");
        avg = pol_div_round(f->w3m, days, mode);
        char s[11], t[11];
        strcpy(s, pol_date_str(k->a, start));
        strcpy(t, pol_date_str(k->a, f->sep));
        pol_tracef(k, "daily.average_wage", "wages_3m_total / calendar days", json_integer(avg),
                   "근로기준법 제2조①6: %lld / %lld days (%s to %s), rounded %s", (long long)f->w3m, (long long)days, s, t, mode);
    } else {
        pol_trace(k, "daily.average_wage", "avg_daily_wage", json_integer(avg), "request");
    }
    int64_t base = avg;
    if (f->has_ord && f->ord > avg) base = f->ord;
    pol_tracef(k, "daily.base_wage", "기초일액", json_integer(base), "고용보험법 제45조①②: %s",
               f->has_ord && f->ord > avg ? "ordinary_daily_wage (통상임금) is higher than the average wage" : "average daily wage");
    int64_t cap = pol_int(k, "daily.cap", "kr.ei.base_cap");
    int64_t capped = base < cap ? base : cap;
    int64_t rate = pol_ppm(k, "daily.rate", "kr.ei.rate");
    const char *mode = pol_rounding(k, "daily.rounding", "kr.ei.rounding.daily_amount");
    int64_t amount = pol_mul_ppm(capped, rate, mode);
    pol_tracef(k, "daily.rate_applied", "min(기초일액, cap) x rate", json_integer(amount), "min(%lld, %lld) x %g",
               (long long)base, (long long)cap, (double)rate / 1e6);
    /* Floor: minimum wage x daily hours (capped) x floor rate; hours in thousandths. */
    double hours = f->has_hours ? f->hours : pol_num(k, "floor.hours", "kr.ei.default_daily_hours");
    if (f->has_hours) pol_trace(k, "floor.hours", "daily_contract_hours", json_real(f->hours), "request");
    double hmax = pol_num(k, "floor.hours_max", "kr.ei.floor_hours_max");
    int64_t mh = (int64_t)(hours * 1000 + 0.5), mhmax = (int64_t)(hmax * 1000 + 0.5);
    if (mh > mhmax) mh = mhmax;
    int64_t mw = pol_int(k, "floor.min_wage", "kr.ei.min_wage_hourly");
    int64_t frate = pol_ppm(k, "floor.rate", "kr.ei.floor_rate");
    int64_t flr = pol_muldiv(mw * mh, frate, 1000000000, mode); /* exact, rounded once */
    pol_tracef(k, "floor.amount", "min wage x hours x floor rate", json_integer(flr), "고용보험법 제45조④, 제46조①2호: %lld x %g h x %g",
               (long long)mw, (double)mh / 1000, (double)frate / 1e6);
    int64_t g8 = pol_int(k, "floor.guarantee", "kr.ei.floor_guarantee_8h");
    if (g8 > 0) {
        int64_t g = pol_div_round(g8 * mh, mhmax ? mhmax : 8000, mode);
        if (g > flr) {
            flr = g;
            pol_tracef(k, "floor.amount", "transitional guarantee", json_integer(flr), "guarantee %lld scaled to %g h", (long long)g8,
                       (double)mh / 1000);
        }
    }
    r->daily = amount > flr ? amount : flr;
    pol_tracef(k, "daily.amount", "max(min(기초일액, cap) x rate, floor)", json_integer(r->daily),
               "고용보험법 제45조⑤, 제46조②: %s", amount >= flr ? "the rate amount" : "the floor applies (even above the cap)");
}

static void repeated(pol_calc *k, const kr_facts *f, kr_result *r) {
    if (!pol_bool(k, "repeated_recipient.switch", "kr.ei.repeated_recipient.enabled")) {
        if (f->has_receipts)
            pol_trace(k, "repeated_recipient.switch", "receipt_count_5y", json_integer(f->receipts),
                      "ignored: the repeated-recipient reduction is not in force (options.repeated_recipient_reduction enables it)");
        return;
    }
    int64_t nth = (f->has_receipts ? f->receipts : 0) + 1;
    pol_tracef(k, "repeated_recipient.count", "receipt_count_5y + 1", json_integer(nth), "request%s",
               f->has_receipts ? "" : " (receipt_count_5y not given: 0)");
    pol_value pv;
    const json_t *t = pol_table(k, "kr.ei.repeated_recipient.reductions", &pv);
    const json_t *row = NULL;
    for (size_t i = 0; i < json_array_size(t); i++)
        if (json_integer_value(json_object_get(json_array_get(t, i), "receipt_from")) <= nth) row = json_array_get(t, i);
    if (!row) {
        pol_trace_pv(k, "repeated_recipient.reduction", &pv, json_integer(0));
        return;
    }
    pol_trace_pv(k, "repeated_recipient.reduction", &pv, json_deep_copy(row));
    int64_t red = pol_rate_ppm(json_object_get(row, "reduction"));
    const char *mode = pol_rounding(k, "daily.rounding", "kr.ei.rounding.daily_amount");
    r->daily = pol_mul_ppm(r->daily, 1000000 - red, mode);
    r->wait_days = json_integer_value(json_object_get(row, "waiting_days"));
    pol_tracef(k, "repeated_recipient.reduction", "daily amount after reduction", json_integer(r->daily),
               "receipt %lld: -%g, waiting %lld days", (long long)nth, (double)red / 1e6, (long long)r->wait_days);
}

static void duration(pol_calc *k, const kr_facts *f, kr_result *r) {
    pol_value pv;
    const json_t *m = pol_table(k, "kr.ei.duration_days", &pv);
    const json_t *cols = json_object_get(m, "cols_months"), *rows = json_object_get(m, "rows");
    size_t ri = 0, ci = 0;
    for (size_t i = 0; i < json_array_size(rows); i++)
        if (json_integer_value(json_object_get(json_array_get(rows, i), "min_age")) <= f->age) ri = i;
    json_t *dr = json_object_get(m, "disabled_row");
    if (f->disabled && dr && (size_t)json_integer_value(dr) > ri) ri = (size_t)json_integer_value(dr);
    for (size_t i = 0; i < json_array_size(cols); i++)
        if (json_integer_value(json_array_get(cols, i)) <= f->insured_months) ci = i;
    r->prescribed = json_integer_value(json_array_get(json_object_get(json_array_get(rows, ri), "days"), ci));
    json_t *shown = json_pack("{s:I, s:b, s:I, s:I, s:I}", "age", (json_int_t)f->age, "disabled", f->disabled,
                              "row_min_age", json_integer_value(json_object_get(json_array_get(rows, ri), "min_age")),
                              "insured_months_from", json_integer_value(json_array_get(cols, ci)), "days", (json_int_t)r->prescribed);
    pol_trace_pv(k, "duration.prescribed_days", &pv, shown);
}

static void timing(pol_calc *k, const kr_facts *f, kr_result *r) {
    if (!r->wait_days) r->wait_days = pol_int(k, "timing.waiting_period", "kr.ei.waiting_days");
    int64_t months = pol_int(k, "timing.benefit_window", "kr.ei.benefit_window_months");
    r->payable = r->prescribed;
    if (!f->has_report) {
        pol_trace(k, "timing.payable_days", "report_date", NULL, "not given: payable days = prescribed days, no window truncation");
        return;
    }
    r->has_timing = true;
    r->wait_from = f->report;
    r->first_payable = f->report + r->wait_days;
    r->window_end = pol_period_end(f->sep + 1, (int)months);
    pol_trace(k, "timing.benefit_window", "benefit_window_end", pol_date_json(r->window_end),
              "고용보험법 제48조①: from the day after the separation date");
    pol_trace(k, "timing.first_payable", "first_payable_date", pol_date_json(r->first_payable),
              "고용보험법 제49조①: the day after the waiting period counted from report_date");
    int64_t left = r->window_end - r->first_payable + 1;
    if (left < 0) left = 0;
    if (left < r->payable) {
        r->payable = left;
        pol_tracef(k, "timing.payable_days", "payable_days", json_integer(left),
                   "truncated by the benefit window: %lld of %lld prescribed days fit before it ends", (long long)left,
                   (long long)r->prescribed);
    } else {
        pol_trace(k, "timing.payable_days", "payable_days", json_integer(r->payable), "all prescribed days fit in the benefit window");
    }
    if (r->payable == 0) {
        r->eligible = false;
        pol_reason(r->reasons, "benefit_window_expired", "no benefit day remains before the benefit window ends on %s",
                   pol_date_str(k->a, r->window_end));
    }
}

op_code pol_ei_kr_assess(arena *a, const json_t *req, json_t **out, op_err *e) {
    kr_facts f;
    kr_result r = {0};
    pol_calc k;
    op_code rc = ei_kr_parse(req, &f, e);
    if (rc || (rc = pol_calc_begin(&k, a, "KR", "ei", f.sep, json_object_get(req, "options"), e))) return rc;
    r.reasons = jx_arena(a, json_array());
    if (f.has_birth) pol_trace(&k, "input.age", "birth_date", json_integer(f.age), "completed years on the separation date");
    if ((rc = eligibility(&k, &f, &r))) return rc;
    if (r.eligible) {
        daily_amount(&k, &f, &r);
        repeated(&k, &f, &r);
        duration(&k, &f, &r);
        timing(&k, &f, &r);
    }
    if (e->code) return e->code;
    bool pay = r.eligible;
    int64_t total = pay ? r.daily * r.payable : 0;
    if (pay) pol_tracef(&k, "total", "daily_amount x payable_days", json_integer(total), "%lld x %lld", (long long)r.daily, (long long)r.payable);
    json_t *o = json_object();
    json_object_set_new(o, "eligible", json_boolean(r.eligible));
    json_object_set(o, "reasons", r.reasons);
    json_object_set_new(o, "daily_amount", json_integer(pay ? r.daily : 0));
    json_object_set_new(o, "currency", json_string(k.pack->currency));
    json_object_set_new(o, "prescribed_days", json_integer(pay ? r.prescribed : 0));
    json_object_set_new(o, "waiting_period", pay && r.has_timing && r.wait_days > 0
                                                 ? json_pack("{s:o, s:o}", "from", pol_date_json(r.wait_from), "to",
                                                             pol_date_json(r.wait_from + r.wait_days - 1))
                                                 : json_null());
    json_object_set_new(o, "first_payable_date", pay && r.has_timing ? pol_date_json(r.first_payable) : json_null());
    json_object_set_new(o, "benefit_window_end", pay && r.has_timing ? pol_date_json(r.window_end) : json_null());
    json_object_set_new(o, "payable_days", json_integer(pay ? r.payable : 0));
    json_object_set_new(o, "total_amount", json_integer(total));
    *out = pol_finish(&k, o);
    return OP_OK;
}
