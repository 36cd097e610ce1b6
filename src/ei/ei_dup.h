/* ei_dup.h - the duplicate-benefit check of a claim against an IBR (docs/EI.md "Duplicate
 * benefits"); implemented in claim.c as a hook, so that the EI module knows no DCI partner.
 *
 * The program registers (cli/wiring.c) a function telling which IBR is configured.  When an
 * eligible claim is filed, in the claim's transaction (no network), the claim gets its check:
 * "pending" with the IBR and the event claim.dup_check {claim_id, person_id, partner} (subject
 * "ei-dup:<claim id>", so an unreachable IBR never holds up the person's other events), or
 * "not_checked" when no IBR is configured (behaviour otherwise unchanged).  The worker asks the
 * IBR after the commit and records the outcome with ei_claim_dup_record: "clear", "enrolled"
 * (the claim is flagged for counsellor review) or "failed" (retried by the outbox; the claim
 * stays as filed).  The claim's answer shows it as duplicate_benefit and in decision.reasons. */
#ifndef OPENPES_EI_DUP_H
#define OPENPES_EI_DUP_H
#include <jansson.h>

#include "core/ctx.h"

/* 1: an IBR is configured (its id in partner), 0: none, -1: it cannot be decided (detail in c->err). */
typedef int (*ei_dup_partner_fn)(ctx *c, char partner[72]);
void ei_claim_set_dup_partner(ei_dup_partner_fn fn);
/* Record the IBR's answer in the caller's transaction (audited as an update of the claim):
 * status "clear", "enrolled" (programmes: [{programme, enrolled_status, enrolled}]) or "failed"
 * (error; attempts counted).  A check that is no longer pending/failed is left alone. */
op_code ei_claim_dup_record(ctx *c, const char *claim_id, const char *status, const char *tid, const json_t *programmes,
                            const char *error);

#endif
