/* ei.h - the employment-insurance benefit lifecycle: insured history, claims, recognition
 * rounds, payments and employment detection.  Rules (amounts, durations, activity quotas) come
 * from the policy calculators (src/policy, called in-process); this module stores, schedules and
 * decides when they apply.  docs/EI.md describes the lifecycle.
 *
 * Every function goes through the access path (privacy/access.h) and so audits itself.  Writes
 * run inside a transaction (the dispatcher's for R_WRITE routes; otherwise their own).  *out is a
 * new reference. */
#ifndef OPENPES_EI_H
#define OPENPES_EI_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ctx.h"

/* ---- insured history (history.c) ---- */
/* The person id for a national id (keyed-hash lookup); OP_NOT_FOUND when nobody has it,
 * OP_INVALID_NATIONAL_ID when it is malformed.  No audit: callers audit the access they make. */
op_code ei_person_by_nid(ctx *c, const char *national_id, char person_id[ID_LEN]);
/* Record one employment spell from a JSON object {national_id, employer_brn | employer_id,
 * employer_name?, start_date, end_date?, daily_contract_hours?, monthly_wage?, insurance_type?}.
 * Same person + employer + start: the stored spell is updated (end date, wage, hours), never
 * duplicated.  *created says whether it was new. */
op_code ei_spell_put(ctx *c, const json_t *in, char spell_id[ID_LEN], bool *created);
/* {"items":[spells...]} for a person. */
op_code ei_history_get(ctx *c, const char *person_id, json_t **out);
/* Bulk import (JSONL, or CSV with a header line).  Each line is validated and committed on its
 * own; rejected lines are written to `report` ("line N: code: detail").  Counts returned. */
op_code ei_import_employment(ctx *c, FILE *in, FILE *report, long *accepted, long *rejected);

/* ---- employment detection (detection.c) ---- */
/* One registration {"event":"start"|"end", national_id, employer_brn | employer_id, employer_name?,
 * vacancy_id?, occupation?, start_date, end_date?, daily_contract_hours?, monthly_wage?,
 * insurance_type?}.  Start: records the spell, suspends the open claim from start_date, withholds
 * later payments, moves the job-seeker registration to placed (or suspended for daily / short
 * work), emits employment.started.  End: closes the spell; a claim suspended by it re-opens
 * inside its benefit window; emits employment.ended.  A repeated registration returns the
 * stored result (*replay = true) and changes nothing. */
op_code ei_registration(ctx *c, const json_t *in, json_t **out, bool *replay);
/* A chunk of registrations, set-based, in the caller's open write transaction (the batch endpoint):
 * the same effects, events, audit records and answers as ei_registration() line after line, with
 * one query per step for the chunk (person lookup with access facts and open claims, spells) and
 * multi-row inserts for the common case (a new spell of a person without an open claim or
 * registration); other lines run the per-line logic.  res[i] is the line's answer: rc (OP_OK or
 * the line's own error, rejected with nothing written) and err, replay.  Returns an error when
 * the chunk could not be done as a whole (a store error, or a line that failed while writing):
 * the caller rolls back and does the lines one per transaction. */
struct ei_reg_result {
    op_code rc;
    op_err err;
    bool replay;
};
op_code ei_registration_batch(ctx *c, json_t *const *in, size_t n, struct ei_reg_result *res);

/* ---- claims (claim.c) ---- */
/* {person_id?, separation_date?, separation_reason, justified_reason?, report_date?, office?,
 * bank_account: {bank_code, account_number, holder_name}} - the payout account is required. */
op_code ei_claim_file(ctx *c, const json_t *in, json_t **out);
op_code ei_claim_get(ctx *c, const char *claim_id, json_t **out);
op_code ei_claims_of(ctx *c, const char *person_id, json_t **out);
/* A counsellor's review of a duplicate-benefit finding (the IBR reported another benefit):
 * {"outcome": "no_conflict" | "conflict", "reason"}.  no_conflict releases the held payments (the
 * next batch pays them); conflict keeps them held while the claim is dealt with (sanction, closing).
 * Once per finding (OP_CONFLICT otherwise); audited; event claim.duplicate_reviewed. */
op_code ei_claim_dup_review(ctx *c, const char *claim_id, const json_t *in, json_t **out);

/* Change the claim's payout account {bank_code, account_number, holder_name} (claimant or staff);
 * the answer shows it masked, with status "confirmed" when the holder's name is the claimant's
 * registered name (NFKC caseless, white space and punctuation aside) and "unconfirmed" otherwise:
 * payments are then held (account_holder_mismatch) until a counsellor confirms the holder.
 * Payments held for want of a usable account are paid by the next batch. */
op_code ei_bank_put(ctx *c, const char *claim_id, const json_t *in, json_t **out);
/* A counsellor confirms an unconfirmed account's holder {reason, version?} (version: the account
 * seen; OP_CONFLICT when it changed since): recorded who/when/why, event
 * claim.bank_account_confirmed, held payments released to the next batch.  An account confirmed
 * already is answered as it is (nothing recorded again). */
op_code ei_bank_confirm(ctx *c, const char *claim_id, const json_t *in, json_t **out);

/* ---- recognition (rounds.c) ---- */
/* Write the round schedule of a new eligible claim (inside the caller's transaction). */
op_code ei_rounds_schedule(ctx *c, const char *claim_id, int64_t report, int64_t window_end,
                           const char *country);
/* Job diary: {date, type, note?}. */
op_code ei_activity_add(ctx *c, const char *claim_id, const json_t *in, json_t **out);
/* The diary: {"claim_id", "items": [{id, date, type, source (diary|platform), note, created_at}]}. */
op_code ei_activities_of(ctx *c, const char *claim_id, json_t **out);
/* Hook for the job-market module: an application (type "application" or "interview") made on the
 * platform on `date` (YYYY-MM-DD) counts for the person's open claim.  No open claim: OP_OK,
 * nothing recorded.  Idempotent per (claim, date, type). */
op_code ei_activity_from_application(ctx *c, const char *person_id, const char *date, const char *type);
/* Evaluate round n with the pack's activity rules (recognition calculator).  A round already
 * decided is returned as it is. */
op_code ei_round_evaluate(ctx *c, const char *claim_id, int round, json_t **out);
/* Counsellor override {recognized, reason}; OP_CONFLICT once the round is paid. */
op_code ei_round_override(ctx *c, const char *claim_id, int round, const json_t *in, json_t **out);
/* Evaluate every scheduled round whose recognition date is on or before `day` (of an open claim),
 * ei_batch_chunk_size rounds per transaction; returns the count or -1 (c->err).  The context waits,
 * when released, until the batch's audit records are in the chain. */
long ei_rounds_evaluate_due(ctx *c, int64_t day);
/* For worker_register_periodic_long (events/outbox.h): evaluate the rounds due today; count or -1. */
int ei_periodic_evaluate(ctx *c);

/* ---- sanctions and appeals (sanction.c) ---- */
/* Propose {type, date, reason} (counsellor): blocked days from the pack's sanction table. */
op_code ei_sanction_propose(ctx *c, const char *claim_id, const json_t *in, json_t **out);
/* kind "decision" {approve, reason} (a supervisor other than the proposer), "appeal" {reason}
 * (claimant or counsellor), "appeal-decision" {upheld, reason} (supervisor).  Approval withholds
 * the blocked days; revocation on appeal restores them and pays what was withheld. */
op_code ei_sanction_step(ctx *c, const char *claim_id, const char *sanction_id, const char *kind, const json_t *in,
                         json_t **out);

/* ---- payments (payment.c) ---- */
/* Rounds decided or paid per transaction by the batches (2000; tests make it small). */
extern int ei_batch_chunk_size;
struct ei_batch_result {
    long evaluated, paid, withheld, rows_in_file;
    long held;       /* rounds and early re-employment allowances due but held: the claim has no payout
                        account (paid once it has one) */
    long no_account; /* paid ledger rows of the day left out of the bank file: no payout account (rows
                        paid before payments were held) */
    long fully_offset; /* paid ledger rows left out of the bank file: all of it went to recovery orders */
    long reemployment, lapsed; /* early re-employment allowances paid (counted in paid too) / lapsed */
    int64_t amount;
    int64_t offset; /* of amount: deducted for open recovery orders (the bank is sent amount - offset) */
    bool stopped;   /* the worker is stopping: the batch ended between two chunks (a later run does the rest) */
};
/* Pay every recognised round due on `day` that has no ledger row: one row per round (idempotency
 * key claim:round), ei_batch_chunk_size rounds per transaction, then write the bank export for every
 * payment of the batch date to `out_path` (written to a temporary file and renamed).  Re-running
 * is safe at any point.  $OPENPES_EI_PAY_ABORT_AFTER=N (tests) kills the process once N payments
 * are committed. */
op_code ei_pay_batch(ctx *c, int64_t day, const char *out_path, struct ei_batch_result *r);
op_code ei_payments_of_claim(ctx *c, const char *claim_id, json_t **out);

/* ---- recovery orders collected by payment notice (recovery_notice.c) ---- */
struct ei_notice_result {
    long issued, overdue, rows_in_file;
    int64_t amount;  /* the notices' amounts due */
    bool stopped;    /* the worker is stopping: the run ended between two chunks (a later run does the rest) */
};
/* The daily step after the payment batch: notices past their due date become overdue; every open
 * order with something outstanding whose person has no claim that can pay (none active or
 * suspended) gets a payment notice (amount + levy - recovered, due the pack's
 * kr.ei.recovery.notice_due_days after `day`, a payer reference with a check digit) and the event
 * recovery.notice_issued, ei_batch_chunk_size orders per transaction, each through the access path;
 * an order has at most one outstanding notice, so a re-run issues nothing twice.  Then the giro
 * file of the notices issued on `day` (out_path NULL: none; FILE.tmp, mode 0600, renamed). */
op_code ei_recovery_notices_due(ctx *c, int64_t day, const char *out_path, struct ei_notice_result *r);
/* A payment received against an order {amount (KRW > 0), paid_on (YYYY-MM-DD, not in the future),
 * reference (the bank's transaction reference)}: the order's recovered grows, a fully repaid order
 * is settled and its notice paid; event claim.recovery_receipt.  Idempotent on the reference: the
 * same receipt again answers as the first time (*replay), the reference with another amount, date
 * or order is OP_CONFLICT; more than is outstanding is OP_VALIDATION (field amount).  Audited as an
 * ei_recovery UPDATE. */
op_code ei_recovery_receipt(ctx *c, const char *recovery_id, const json_t *in, json_t **out, bool *replay);
/* The person's written consent to offsetting a recovery order against benefit (고용보험법 시행령
 * 제81조③④; without it a fraud order takes the pack's tenth, an erroneous payment nothing):
 * {share (0 < share <= 1, of each payment), signed_on, reference}; the same consent again changes
 * nothing.  Recorded by benefit staff. */
op_code ei_recovery_offset_consent(ctx *c, const char *recovery_id, const json_t *in, json_t **out);

/* schedule.c: the daily evaluation + payment batch in the background worker (serve or `openpes worker`).  at "HH:MM" (local time)
 * and dir (bank files DIR/ei-bank-YYYY-MM-DD.csv); at NULL: nothing scheduled (the default). */
op_code ei_schedule_configure(const char *at, const char *dir, op_err *e);
/* For worker_register_periodic_long (every minute, on its own thread): runs the day's batch once
 * the time is reached and no run of the day is recorded (ei_batch_runs); 1 ran, 0 nothing to do,
 * -1 failed (c->err). */
int ei_periodic_pay_batch(ctx *c);
/* The same for a given local day and minute of the day (tests); *ran whether it ran. */
op_code ei_scheduled_batch(ctx *c, int64_t day, int minute_now, bool *ran);

/* queue.c: the caller's office's work lists - kind "rounds" (recognition rounds due and not
 * evaluated) or "sanctions" (waiting for a decision or an appeal decision); each person audited. */
op_code ei_queue(ctx *c, const char *kind, int limit, int offset, json_t **out);

#endif
