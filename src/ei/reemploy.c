/* reemploy.c - paying the early re-employment allowance (조기재취업수당).
 *
 * When a claimant starts a job (detection.c), the ei/early-reemployment calculator decides from
 * the pack whether the allowance applies and how much (half of the unpaid remaining days).  The
 * law pays it only once the new job has lasted the pack's tenure (kr.ei.reemploy.tenure_months),
 * so the decision is recorded as pending with its due date, and the payment batch pays it on or
 * after that date - if the job is still running - as one ledger row (kind early_reemployment,
 * idempotency key reemploy:<claim>), or lapses it when the job ended before the tenure.  The
 * payment is made like a round's: held while the claim has no payout account, offset by the
 * person's open recovery orders, in the bank file. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "policy/pack.h"

/* The due date: the start plus the pack's tenure in months (same day of the month, clamped). */
static op_code due_date(ctx *c, int64_t start, char out[11]) {
    const pol_pack *p;
    pol_value v;
    op_code rc = pol_pack_get(EI_COUNTRY, &p, &c->err);
    if (rc) return rc;
    if (!pol_param_at(p, "kr.ei.reemploy.tenure_months", start, &v) || !json_is_integer(v.value))
        return op_fail(&c->err, OP_INTERNAL, "add the parameter to the policy pack",
                       "the KR policy pack has no kr.ei.reemploy.tenure_months in force");
    int y, m, d;
    char s[11];
    date_format(start, s);
    sscanf(s, "%d-%d-%d", &y, &m, &d);
    m += (int)json_integer_value(v.value);
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d > last ? last : d);
    return OP_OK;
}

op_code ei_reemploy_record(ctx *c, const char *claim_id, const char *person_id, const char *employment_id,
                           const char *start_date, const json_t *decision) {
    if (!json_is_true(json_object_get(decision, "eligible"))) return OP_OK;
    int64_t start;
    char due[11], ts[CLOCK_TS_LEN];
    if (!date_parse(start_date, &start)) return op_fail(&c->err, OP_VALIDATION, NULL, "bad start date");
    op_code rc = due_date(c, start, due);
    if (rc) return rc;
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO ei_reemploy (claim_id, person_id, employment_id, reemployment_date, due_date,"
                      " remaining_days, amount, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'pending',?,?)"
                      " ON CONFLICT (claim_id) DO NOTHING",
                      "sssssiiss", claim_id, person_id, employment_id, start_date, due,
                      (int64_t)json_integer_value(json_object_get(decision, "remaining_days")),
                      (int64_t)json_integer_value(json_object_get(decision, "amount")), ts, ts);
}

/* One pending allowance in its own transaction: paid, held (the claim has no payout account),
 * lapsed, or left (not yet due).  *paid: 1 paid, 2 held, 0 lapsed, -1 nothing done.  Paid like a
 * round (payment.c): ledger row under a unique key, the person's open recovery orders offset from
 * it in the same transaction (only with a new ledger row, so a re-run deducts nothing twice), and
 * held - not paid, not dropped - while the claim has no account. */
static op_code settle(ctx *c, const char *claim_id, const char *batch, int *paid, int64_t *amount_out, int64_t *offset_out) {
    bool outer;
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    *paid = -1;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT r.person_id, r.reemployment_date, r.due_date, r.remaining_days, r.amount, e.end_date,"
                                 " " EI_ACCOUNT_STATE("r.claim_id") ","
                                 " EXISTS (SELECT 1 FROM ei_payment_holds h WHERE h.claim_id = r.claim_id AND h.round = 0),"
                                 " EXISTS (SELECT 1 FROM ei_recoveries o WHERE o.person_id = r.person_id AND o.status = 'open'),"
                                 " " EI_DUP_HOLD("r.claim_id") " FROM ei_reemploy r LEFT JOIN ei_employment e ON e.id = r.employment_id"
                                 " WHERE r.claim_id = ? AND r.status = 'pending'",
                                 "s", claim_id);
    if (!st) {
        rc = c->err.code;
        goto out;
    }
    char person[ID_LEN], from[11], due[11], end[11] = "";
    snprintf(person, sizeof person, "%s", store_col_text(st, 0));
    snprintf(from, sizeof from, "%s", store_col_text(st, 1));
    snprintf(due, sizeof due, "%s", store_col_text(st, 2));
    int64_t days = store_col_int(st, 3), amount = store_col_int(st, 4);
    if (!store_col_null(st, 5)) snprintf(end, sizeof end, "%s", store_col_text(st, 5));
    int64_t account = store_col_int(st, 6);
    bool has_account = account == EI_ACCOUNT_USABLE, was_held = store_col_int(st, 7) != 0, owes = store_col_int(st, 8) != 0;
    bool dup_hold = store_col_int(st, 9) != 0;
    store_reset(st);
    if ((rc = ei_access(c, PD_UPDATE, "ei_payment", claim_id, person))) goto out;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if (end[0] && strcmp(end, due) < 0) { /* the new job did not last the tenure */
        if ((rc = store_exec(c->db, &c->err, NULL,
                             "UPDATE ei_reemploy SET status = 'lapsed', reason = ?, updated_at = ? WHERE claim_id = ?", "sss",
                             arena_printf(c->a, "the job ended on %s, before %s", end, due), ts, claim_id)))
            goto out;
        *paid = 0;
        if (was_held)
            rc = store_exec(c->db, &c->err, NULL, "DELETE FROM ei_payment_holds WHERE claim_id = ? AND round = 0", "s",
                            claim_id);
        goto out;
    }
    if (amount > 0 && (dup_hold || !has_account)) { /* stays pending: a later batch pays it */
        *paid = 2;
        rc = ei_payment_hold(c, claim_id, 0, "early_reemployment", dup_hold ? EI_HOLD_DUP_REVIEW : EI_ACCOUNT_HOLD(account),
                             person, batch, days, amount, was_held);
        goto out;
    }
    char id[ID_LEN];
    id_uuid7(id);
    int64_t n = 0, offset = 0;
    const char *key = arena_printf(c->a, "reemploy:%s", claim_id);
    if ((rc = store_exec(c->db, &c->err, &n,
                         "INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days,"
                         " withheld_days, amount, status, batch_date, created_at, kind)"
                         " VALUES (?,?,?,?,0,?,?,?,0,?,'paid',?,?,'early_reemployment') ON CONFLICT (idem_key) DO NOTHING",
                         "ssssssiiss", id, key, claim_id, person, from, due, days, amount, batch, ts)) ||
        (rc = store_exec(c->db, &c->err, NULL,
                         "UPDATE ei_reemploy SET status = 'paid', payment_id = ?, updated_at = ? WHERE claim_id = ?", "sss",
                         n ? id : NULL, ts, claim_id)))
        goto out;
    if (n == 0) goto out; /* in the ledger already */
    if (was_held && (rc = store_exec(c->db, &c->err, NULL, "DELETE FROM ei_payment_holds WHERE claim_id = ? AND round = 0",
                                     "s", claim_id)))
        goto out;
    if (owes && amount > 0 && (rc = ei_recovery_offset(c, id, key, person, amount, batch, &offset))) goto out;
    json_t *pl = json_pack("{s:s, s:s, s:s, s:I, s:I}", "payment_id", id, "claim_id", claim_id, "kind", "early_reemployment",
                           "amount", (json_int_t)amount, "recovery_offset", (json_int_t)offset);
    rc = event_emit(c, "payment.recorded", person, pl);
    json_decref(pl);
    *paid = 1;
    *amount_out = amount;
    *offset_out = offset;
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}

op_code ei_reemploy_pay_due(ctx *c, const char *batch, long abort_after, struct ei_batch_result *res) {
    char last_due[11] = "", last_claim[ID_LEN] = ""; /* keyset: a held allowance stays pending and must not be listed again */
    for (;;) {
        store_stmt *st = store_prepare(c->db,
                                       "SELECT due_date, claim_id FROM ei_reemploy WHERE status = 'pending' AND due_date <= ?"
                                       " AND (due_date > ? OR (due_date = ? AND claim_id > ?))"
                                       " ORDER BY due_date, claim_id LIMIT 500",
                                       &c->err);
        if (!st) return c->err.code;
        store_bind_text(st, 1, batch);
        store_bind_text(st, 2, last_due);
        store_bind_text(st, 3, last_due);
        store_bind_text(st, 4, last_claim);
        char(*ids)[ID_LEN] = arena_alloc(c->a, 500 * ID_LEN);
        int n = 0, r;
        while ((r = store_step(st, &c->err)) == STORE_ROW && n < 500) {
            snprintf(last_due, sizeof last_due, "%s", store_col_text(st, 0));
            snprintf(ids[n++], ID_LEN, "%s", store_col_text(st, 1));
        }
        store_reset(st);
        if (r == STORE_ERROR) return c->err.code;
        if (n == 0) return OP_OK;
        snprintf(last_claim, sizeof last_claim, "%s", ids[n - 1]);
        for (int i = 0; i < n; i++) {
            if (worker_stopping()) { /* each allowance is its own transaction: stop between two */
                res->stopped = true;
                return OP_OK;
            }
            int paid;
            int64_t amount = 0, offset = 0;
            op_code rc = settle(c, ids[i], batch, &paid, &amount, &offset);
            if (rc) return rc;
            if (paid == 1) {
                res->paid++, res->amount += amount, res->offset += offset, res->reemployment++;
                if (abort_after > 0 && res->paid >= abort_after) raise(SIGKILL); /* tests: a crash after the commit */
            } else if (paid == 2) {
                res->held++;
            } else if (paid == 0) {
                res->lapsed++;
            }
        }
    }
}

op_code ei_reemploy_of_claim(ctx *c, const char *claim_id, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT reemployment_date, due_date, remaining_days, amount, status, reason, payment_id"
                                 " FROM ei_reemploy WHERE claim_id = ?",
                                 "s", claim_id);
    if (!st) {
        *out = json_null();
        return c->err.code;
    }
    *out = json_pack("{s:o, s:o, s:I, s:I, s:o, s:o, s:o}", "reemployment_date", ei_sn(st, 0), "due_date", ei_sn(st, 1),
                     "remaining_days", (json_int_t)store_col_int(st, 2), "amount", (json_int_t)store_col_int(st, 3),
                     "status", ei_sn(st, 4), "reason", ei_sn(st, 5), "payment_id", ei_sn(st, 6));
    store_reset(st);
    return OP_OK;
}
