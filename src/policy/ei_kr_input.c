/* ei_kr_input.c - request parsing for the Korean ei/assess calculator (ei_kr.c); the fields are the
 * contract's KR request (policy-api.md) plus "options". */
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"
#include "policy/ei_kr.h"

static const char *const fields[] = {"country", "separation_date", "age", "birth_date", "disabled", "separation_reason",
                                     "justified_reason", "insured_unit_days", "insured_months", "first_insured_age",
                                     "avg_daily_wage", "wages_3m_total", "ordinary_daily_wage", "daily_contract_hours",
                                     "report_date", "receipt_count_5y", "options", NULL};
static const char *const sep_reasons[] = {"contract_expiry", "dismissal", "recommended_resignation", "business_closure",
                                          "voluntary_quit", "voluntary_quit_justified", "serious_fault_dismissal", NULL};

op_code ei_kr_parse(const json_t *rq, kr_facts *f, op_err *e) {
    memset(f, 0, sizeof *f);
    op_code rc;
    if ((rc = pol_req_only(rq, fields, e)) || (rc = pol_req_date(rq, "separation_date", true, &f->sep, NULL, e)) ||
        (rc = jx_int(rq, "age", false, 0, 120, &f->age, &f->has_age, e)) ||
        (rc = pol_req_date(rq, "birth_date", false, &f->birth, &f->has_birth, e)) ||
        (rc = jx_bool(rq, "disabled", false, &f->disabled, NULL, e)) ||
        (rc = jx_enum(rq, "separation_reason", true, sep_reasons, &f->reason, e)) ||
        (rc = jx_str(rq, "justified_reason", false, 64, &f->justified, e)) ||
        (rc = jx_int(rq, "insured_unit_days", true, 0, 100000, &f->unit_days, NULL, e)) ||
        (rc = jx_int(rq, "insured_months", true, 0, 1200, &f->insured_months, NULL, e)) ||
        (rc = jx_int(rq, "first_insured_age", false, 0, 120, &f->first_age, &f->has_first_age, e)) ||
        (rc = jx_int(rq, "avg_daily_wage", false, 0, 1000000000, &f->avg, &f->has_avg, e)) ||
        (rc = jx_int(rq, "wages_3m_total", false, 0, 100000000000LL, &f->w3m, &f->has_w3m, e)) ||
        (rc = jx_int(rq, "ordinary_daily_wage", false, 0, 1000000000, &f->ord, &f->has_ord, e)) ||
        (rc = jx_num(rq, "daily_contract_hours", false, 0.01, 24, &f->hours, &f->has_hours, e)) ||
        (rc = pol_req_date(rq, "report_date", false, &f->report, &f->has_report, e)) ||
        (rc = jx_int(rq, "receipt_count_5y", false, 0, 100, &f->receipts, &f->has_receipts, e)))
        return rc;
    if (f->has_birth) {
        if (f->birth > f->sep)
            return op_fail_field(e, OP_VALIDATION, "birth_date", NULL, "birth_date is after separation_date");
        int64_t a = pol_age_on(f->birth, f->sep);
        if (f->has_age && a != f->age)
            return op_fail_field(e, OP_VALIDATION, "birth_date", "give age or birth_date",
                                 "birth_date gives age %lld on the separation date, but age is %lld", (long long)a,
                                 (long long)f->age);
        f->age = a;
    } else if (!f->has_age)
        return op_fail_field(e, OP_VALIDATION, "age", "give age (on the separation date) or birth_date",
                             "field \"age\" is required");
    if (f->has_avg && f->has_w3m)
        return op_fail_field(e, OP_VALIDATION, "wages_3m_total", "give avg_daily_wage or wages_3m_total",
                             "avg_daily_wage and wages_3m_total are both given");
    if (!f->has_avg && !f->has_w3m)
        return op_fail_field(e, OP_VALIDATION, "avg_daily_wage", "give avg_daily_wage or wages_3m_total",
                             "field \"avg_daily_wage\" is required");
    bool jq = strcmp(f->reason, "voluntary_quit_justified") == 0;
    if (jq && !f->justified)
        return op_fail_field(e, OP_VALIDATION, "justified_reason", NULL,
                             "field \"justified_reason\" is required with voluntary_quit_justified");
    if (!jq && f->justified)
        return op_fail_field(e, OP_VALIDATION, "justified_reason", "send it only with voluntary_quit_justified",
                             "justified_reason contradicts separation_reason \"%s\"", f->reason);
    if (f->has_first_age && f->first_age > f->age)
        return op_fail_field(e, OP_VALIDATION, "first_insured_age", NULL,
                             "first_insured_age %lld is above the age %lld on the separation date",
                             (long long)f->first_age, (long long)f->age);
    if (f->has_report && f->report <= f->sep)
        return op_fail_field(e, OP_VALIDATION, "report_date", "unemployment is reported after the separation date",
                             "report_date must be after separation_date");
    return OP_OK;
}
