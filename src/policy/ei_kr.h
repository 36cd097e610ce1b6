/* ei_kr.h - the facts of a Korean ei/assess request (internal to ei_kr.c and ei_kr_input.c). */
#ifndef OPENPES_POLICY_EI_KR_H
#define OPENPES_POLICY_EI_KR_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* Dates are days since 1970-01-01; money in won; has_* tell which optional inputs were given. */
typedef struct {
    int64_t sep, birth, report;
    int64_t age, unit_days, insured_months, first_age, avg, w3m, ord, receipts;
    double hours;
    bool has_birth, has_age, has_first_age, has_avg, has_w3m, has_ord, has_hours, has_report, has_receipts, disabled;
    const char *reason, *justified;
} kr_facts;

/* Parse and check a request: unknown fields, types and ranges, and the contradictions that need
 * no pack (age vs birth_date, both or neither wage, justified_reason vs separation_reason,
 * first_insured_age above age, report_date not after separation_date). */
op_code ei_kr_parse(const json_t *rq, kr_facts *f, op_err *e);

#endif
