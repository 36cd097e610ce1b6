/* nesp_check.h - NESP eligibility checks with a social registry's facts (docs/NESP.md).
 *
 * A counsellor (or supervisor) asks, for a registered person, the configured social registry
 * (an outbound DCI partner of kind social-registry, dci/client.h) for the household income
 * percentile and the basic-livelihood status, then runs the NESP calculator (policy "nesp-assess",
 * contract policy-api.md) with those facts, what the person record provides (age, receipt of the
 * job-seeking allowance, insured work days) and the counsellor's inputs (household assets,
 * dependants ...).  The check is stored (table nesp_checks: inputs, facts and the calculator's
 * answer with its trace sealed with the field key) with the registry, its transaction id and the
 * mode.  Asynchronously the registry answers later at our on-search receiver; the check is then
 * completed by the worker (event partner.answered, nesp_on_partner_answered).
 *
 * Every read of the person and every stored check go through the access path (resource
 * "nesp_check"); the disclosure to the registry is audited by the DCI client.  No database
 * transaction is open during the registry call: the caller must not hold one. */
#ifndef OPENPES_NESP_CHECK_H
#define OPENPES_NESP_CHECK_H
#include <jansson.h>

#include "core/ctx.h"

/* Run a check for person_id with `in` {partner?, date?, household_assets, dependents?,
 * military_service_years?, work_days_2y?, work_hours_2y?, vulnerable_group?, async?}.
 * *out: the stored check (nesp_check_get's form).  Errors: OP_VALIDATION / OP_UNKNOWN_FIELD (input;
 * "partner" when no or several social registries are configured), OP_NOT_FOUND (person, partner),
 * OP_FORBIDDEN (access or purpose), the DCI client's errors (OP_UNAVAILABLE, OP_BAD_REQUEST) - with
 * nothing stored but the audited attempt (and the client's outbound transaction). */
op_code nesp_check_run(ctx *c, const char *person_id, const json_t *in, json_t **out);
/* {id, person_id, partner, transaction_id, mode, status (pending|done|error), inputs, facts?,
 * result? {track, monthly_allowance, currency, months, total_allowance, reasons, trace}, error?,
 * requested_by, created_at, updated_at}; audited as a read of the person's data. */
op_code nesp_check_get(ctx *c, const char *id, json_t **out);
/* The calculator's request (pure; unit-tested): the stored inputs plus the registry's facts -
 * household_income_pct (required: else OP_BAD_REQUEST; a person the registry does not know:
 * OP_NOT_FOUND) and, when the basic-livelihood status is a recipient's ("recipient",
 * "basic_livelihood", "receiving") and the counsellor named no vulnerable group, the pack's
 * vulnerable group "basic_livelihood".  *out a new reference. */
op_code nesp_calc_request(const char *partner, const json_t *inputs, const json_t *facts, json_t **out, op_err *e);
/* Worker: partner.answered {transaction_id} -> completes the pending check of that transaction. */
op_code nesp_on_partner_answered(ctx *c, long long id, const char *type, const char *subject, json_t *payload);

#endif
