/* recovery.c - recovery orders (반환명령): benefit paid for days that turn out not to be payable.
 *
 * Two sources:
 *  - a job start registered after rounds covering days from the start were already paid
 *    (kind overpayment, from detection.c), and
 *  - an approved fraud finding (kind fraud, from sanction.c): every day paid from the day of the
 *    fraudulent receipt or attempt is recovered, plus the additional levy the supervisor set
 *    (at most the pack's kr.ei.fraud.levy_max times the amount, kr.ei.fraud.levy_max_collusion
 *    with the employer's collusion; 고용보험법 제62조).
 * The days are counted per ledger row: days of its period from the given day that were payable
 * (from the first payable day, inside the benefit window, outside any break other than the one
 * that caused the recovery), at most the days the row paid.  An order is unique per source
 * (idem_key), so a repeated registration or decision never orders twice.
 *
 * Collection: an open order is offset (충당) against the person's later benefit payments
 * (ei_recovery_offset, called by the payment batch in the payment's own transaction), oldest
 * order first, each order at most its share of the payment (고용보험법 시행령 제81조③④): the
 * person's written consent when recorded (ei_recovery_offset_consent), else the pack's
 * kr.ei.recovery.offset_rate_<kind> - a tenth for fraud orders, nothing for erroneous payments;
 * together never more than the payment.  Each deduction is a row of ei_recovery_offsets linked to the order and the payment (unique
 * "offset:<payment key>:<order>"), the order's `recovered` grows by it and an order fully repaid
 * is settled.  The bank is sent the payment less its deductions.  What is still outstanding once
 * the person has no claim that can pay is collected by payment notice (recovery_notice.c); offsets
 * and receipts both count toward `recovered`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "policy/calc.h"
#include "policy/pack.h"
#include "ei/ei_int.h"
#include "events/outbox.h"

#define MAX_BREAKS 32

static op_code days_paid_from(ctx *c, const char *claim_id, int64_t from_day, const char *except_break, int64_t *days,
                              int64_t *daily) {
    *days = 0;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT daily_amount, first_payable_date, benefit_window_end FROM ei_claims WHERE id = ?", "s",
                                 claim_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    int64_t fpd = INT64_MAX, wend = INT64_MIN;
    *daily = store_col_int(st, 0);
    if (!store_col_null(st, 1)) date_parse(store_col_text(st, 1), &fpd);
    if (!store_col_null(st, 2)) date_parse(store_col_text(st, 2), &wend);
    store_reset(st);
    int64_t bf[MAX_BREAKS], bt[MAX_BREAKS];
    int nb = 0, r;
    st = store_prepare(c->db, "SELECT from_date, to_date, employment_id FROM ei_breaks WHERE claim_id = ?", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    while ((r = store_step(st, &c->err)) == STORE_ROW && nb < MAX_BREAKS) {
        if (except_break && strcmp(store_col_text(st, 2), except_break) == 0) continue;
        date_parse(store_col_text(st, 0), &bf[nb]);
        bt[nb] = INT64_MAX;
        if (!store_col_null(st, 1)) date_parse(store_col_text(st, 1), &bt[nb]);
        nb++;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    char from[11];
    date_format(from_day, from);
    st = store_prepare(c->db,
                       "SELECT period_from, period_to, days FROM ei_payments WHERE claim_id = ? AND status = 'paid'"
                       " AND kind = 'benefit' AND period_to >= ?",
                       &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    store_bind_text(st, 2, from);
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        int64_t a, b, n = 0;
        date_parse(store_col_text(st, 0), &a);
        date_parse(store_col_text(st, 1), &b);
        for (int64_t d = a > from_day ? a : from_day; d <= b; d++) {
            bool brk = false;
            for (int i = 0; i < nb && !brk; i++) brk = d >= bf[i] && d <= bt[i];
            if (d >= fpd && d <= wend && !brk) n++;
        }
        int64_t row_days = store_col_int(st, 2);
        *days += n < row_days ? n : row_days;
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

op_code ei_recovery_open(ctx *c, const struct ei_recovery *in, json_t **order) {
    *order = json_null();
    int64_t days, daily;
    op_code rc = days_paid_from(c, in->claim_id, in->from_day, in->except_break, &days, &daily);
    if (rc || days == 0) return rc;
    int64_t amount = days * daily, levy = (int64_t)llround((double)amount * in->levy_multiplier);
    char id[ID_LEN], ts[CLOCK_TS_LEN], from[11];
    id_uuid7(id);
    clock_now_ts(ts);
    date_format(in->from_day, from);
    int64_t n = 0;
    if ((rc = store_exec(c->db, &c->err, &n,
                         "INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, sanction_id, from_date, days,"
                         " amount, levy, status, reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,'open',?,?,?)"
                         " ON CONFLICT (idem_key) DO NOTHING",
                         "sssssssiiisss", id, in->idem_key, in->claim_id, in->person_id, in->kind, in->sanction_id, from,
                         days, amount, levy, in->reason, ts, ts)))
        return rc;
    if (n == 0) return OP_OK; /* ordered before */
    *order = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "id", id, "kind", in->kind, "from_date", from, "days",
                       (json_int_t)days, "amount", (json_int_t)amount, "levy", (json_int_t)levy);
    json_t *pl = json_pack("{s:s, s:s, s:s, s:I}", "recovery_id", id, "claim_id", in->claim_id, "kind", in->kind, "amount",
                           (json_int_t)(amount + levy));
    rc = event_emit(c, "claim.recovery", in->person_id, pl);
    json_decref(pl);
    return rc;
}

op_code ei_recovery_cancel(ctx *c, const char *sanction_id, const char *reason) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    op_code rc = store_exec(c->db, &c->err, NULL, /* their outstanding payment notices go with them */
                            "UPDATE ei_recovery_notices SET status = 'cancelled', closed_at = ?, updated_at = ? WHERE"
                            " status IN ('issued','overdue') AND recovery_id IN (SELECT id FROM ei_recoveries WHERE"
                            " sanction_id = ? AND status = 'open')",
                            "sss", ts, ts, sanction_id);
    return rc ? rc : store_exec(c->db, &c->err, NULL,
                                "UPDATE ei_recoveries SET status = 'cancelled', reason = ?, updated_at = ? WHERE sanction_id = ?"
                                " AND status = 'open'",
                                "sss", reason, ts, sanction_id);
}

/* The person's written consent to offsetting (고용보험법 시행령 제81조③④), as recorded. */
#define CONSENT_COLS                                                                               \
    "offset_consent_ppm, offset_consent_signed_on, offset_consent_reference, offset_consent_by,"  \
    " offset_consent_at"

static json_t *consent_json(store_stmt *st, int col) {
    if (store_col_null(st, col)) return json_null();
    return json_pack("{s:f, s:o, s:o, s:o, s:o}", "share", (double)store_col_int(st, col) / 1e6, "signed_on",
                     ei_sn(st, col + 1), "reference", ei_sn(st, col + 2), "recorded_by", ei_sn(st, col + 3), "recorded_at",
                     ei_sn(st, col + 4));
}

op_code ei_recoveries_of_claim(ctx *c, const char *claim_id, json_t **out) {
    *out = json_array();
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, kind, sanction_id, from_date, days, amount, levy, status, reason, created_at,"
                                   " recovered, " CONSENT_COLS " FROM ei_recoveries WHERE claim_id = ? ORDER BY created_at, id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        int64_t total = store_col_int(st, 5) + store_col_int(st, 6), got = store_col_int(st, 10);
        json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:s}", "id", ei_sn(st, 0),
                                              "kind", ei_sn(st, 1), "sanction_id", ei_sn(st, 2), "from_date", ei_sn(st, 3),
                                              "days", (json_int_t)store_col_int(st, 4), "amount",
                                              (json_int_t)store_col_int(st, 5), "levy", (json_int_t)store_col_int(st, 6),
                                              "status", ei_sn(st, 7), "reason", ei_sn(st, 8), "created_at", ei_sn(st, 9),
                                              "currency", "KRW");
        json_object_set_new(o, "recovered", json_integer(got));
        json_object_set_new(o, "outstanding", json_integer(strcmp(store_col_text(st, 7), "cancelled") == 0 ? 0 : total - got));
        json_object_set_new(o, "offset_consent", consent_json(st, 11));
        json_array_append_new(*out, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    op_code rc = OP_OK; /* each order's payment notices and receipts (after the listing: one statement at a time) */
    for (size_t i = 0; !rc && i < json_array_size(*out); i++) {
        json_t *o = json_array_get(*out, i);
        rc = ei_recovery_collection(c, json_string_value(json_object_get(o, "id")), o);
    }
    return rc;
}

/* The pack's share (parts per million) of a payment that may be offset for an order of `kind`
 * without the person's written consent, on the batch date. */
static op_code offset_ppm(ctx *c, const char *batch, const char *kind, int64_t *ppm) {
    const pol_pack *p;
    pol_value v;
    int64_t day;
    char name[64];
    snprintf(name, sizeof name, "kr.ei.recovery.offset_rate_%s", kind);
    date_parse(batch, &day);
    op_code rc = pol_pack_get(EI_COUNTRY, &p, &c->err);
    if (rc) return rc;
    if (!pol_param_at(p, name, day, &v) || !json_is_number(v.value) || json_number_value(v.value) < 0 ||
        json_number_value(v.value) > 1)
        return op_fail(&c->err, OP_INTERNAL, "add the parameter to the policy pack", "the KR pack has no %s in force on %s",
                       name, batch);
    *ppm = pol_rate_ppm(v.value);
    return OP_OK;
}

#define MAX_OPEN_ORDERS 16

op_code ei_recovery_offset(ctx *c, const char *payment_id, const char *payment_key, const char *person_id, int64_t amount,
                           const char *batch, int64_t *offset) {
    *offset = 0;
    if (amount <= 0) return OP_OK;
    struct {
        char id[ID_LEN], kind[16];
        int64_t outstanding, consent_ppm; /* 0: no consent recorded */
    } open[MAX_OPEN_ORDERS];
    int n = 0, r;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, amount + levy - recovered, kind, COALESCE(offset_consent_ppm, 0) FROM ei_recoveries"
                                   " WHERE person_id = ? AND status = 'open' ORDER BY created_at, id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person_id);
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < MAX_OPEN_ORDERS) {
        snprintf(open[n].id, ID_LEN, "%s", store_col_text(st, 0));
        open[n].outstanding = store_col_int(st, 1);
        snprintf(open[n].kind, sizeof open[n].kind, "%s", store_col_text(st, 2));
        open[n++].consent_ppm = store_col_int(st, 3);
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    if (n == 0) return OP_OK;
    op_code rc = OP_OK;
    int64_t room = amount; /* what is left of the payment */
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    for (int i = 0; i < n && room > 0; i++) {
        int64_t ppm = open[i].consent_ppm;
        if (!ppm && (rc = offset_ppm(c, batch, open[i].kind, &ppm))) return rc;
        int64_t share = pol_mul_ppm(amount, ppm, "down"); /* never more than the share */
        int64_t take = open[i].outstanding < share ? open[i].outstanding : share, k = 0;
        if (take > room) take = room;
        if (take <= 0) continue;
        char id[ID_LEN];
        id_uuid7(id);
        const char *key = arena_printf(c->a, "offset:%s:%s", payment_key, open[i].id);
        if ((rc = store_exec(c->db, &c->err, &k,
                             "INSERT INTO ei_recovery_offsets (id, idem_key, recovery_id, payment_id, person_id, amount,"
                             " batch_date, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (idem_key) DO NOTHING",
                             "sssssiss", id, key, open[i].id, payment_id, person_id, take, batch, ts)))
            return rc;
        if (k == 0) continue; /* deducted before (cannot happen with a new payment; kept as the guard) */
        store_stmt *up = store_query(c->db, &c->err,
                                     "UPDATE ei_recoveries SET recovered = recovered + ?, status = CASE WHEN recovered + ?"
                                     " >= amount + levy THEN 'settled' ELSE status END, updated_at = ? WHERE id = ?"
                                     " AND status = 'open' AND recovered + ? <= amount + levy RETURNING status,"
                                     " amount + levy - recovered",
                                     "iissi", take, take, ts, open[i].id, take);
        if (!up)
            return c->err.code ? c->err.code
                               : op_fail(&c->err, OP_CONFLICT, NULL, "recovery order %s changed during the offset", open[i].id);
        bool settled = strcmp(store_col_text(up, 0), "settled") == 0;
        int64_t left = store_col_int(up, 1);
        store_reset(up);
        if (settled && (rc = ei_recovery_notice_close(c, open[i].id, "paid"))) return rc; /* repaid by offsets */
        json_t *pl = json_pack("{s:s, s:s, s:I, s:I, s:s}", "recovery_id", open[i].id, "payment_id", payment_id, "offset",
                               (json_int_t)take, "outstanding", (json_int_t)left, "status", settled ? "settled" : "open");
        rc = event_emit(c, "claim.recovery_offset", person_id, pl);
        json_decref(pl);
        if (rc) return rc;
        room -= take;
        *offset += take;
    }
    return OP_OK;
}

op_code ei_recovery_offset_consent(ctx *c, const char *recovery_id, const json_t *in, json_t **out) {
    op_clear(&c->err);
    *out = NULL;
    static const char *const keys[] = {"share", "signed_on", "reference", NULL};
    double share;
    const char *signed_on, *ref;
    int64_t signed_day;
    op_code rc;
    if ((rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_num(in, "share", true, 0, 1, &share, NULL, &c->err)) ||
        (rc = jx_date(in, "signed_on", true, &signed_on, &c->err)) ||
        (rc = jx_str(in, "reference", true, 100, &ref, &c->err)))
        return rc;
    int64_t ppm = llround(share * 1e6);
    if (ppm <= 0)
        return op_fail_field(&c->err, OP_VALIDATION, "share", "a share of each payment, above 0 and at most 1",
                             "share must be above 0");
    if (fabs(share * 1e6 - (double)ppm) > 1e-3)
        return op_fail_field(&c->err, OP_VALIDATION, "share", "at most six decimal places", "share is too precise");
    date_parse(signed_on, &signed_day);
    if (signed_day > date_today())
        return op_fail_field(&c->err, OP_VALIDATION, "signed_on", NULL, "signed_on is in the future");
    if (!*ref) return op_fail_field(&c->err, OP_VALIDATION, "reference", "the consent document's number", "reference is empty");
    store_stmt *st = id_is_uuid(recovery_id)
                         ? store_query(c->db, &c->err, "SELECT person_id, status FROM ei_recoveries WHERE id = ?", "s", recovery_id)
                         : NULL;
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the recovery order does not exist");
    char person[ID_LEN], status[16];
    snprintf(person, sizeof person, "%s", store_col_text(st, 0));
    snprintf(status, sizeof status, "%s", store_col_text(st, 1));
    store_reset(st);
    bool outer;
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_recovery", recovery_id, person))) goto out;
    if (strcmp(status, "open") != 0) {
        rc = op_fail(&c->err, OP_CONFLICT, NULL, "the recovery order is %s: nothing is offset any more", status);
        goto out;
    }
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t changed = 0; /* the same consent again changes nothing and announces nothing */
    if ((rc = store_exec(c->db, &c->err, &changed,
                         "UPDATE ei_recoveries SET offset_consent_ppm = ?, offset_consent_signed_on = ?,"
                         " offset_consent_reference = ?, offset_consent_by = ?, offset_consent_at = ?, updated_at = ?"
                         " WHERE id = ? AND status = 'open' AND NOT (COALESCE(offset_consent_ppm, 0) = ?"
                         " AND COALESCE(offset_consent_signed_on, '') = ? AND COALESCE(offset_consent_reference, '') = ?)",
                         "issssssiss", ppm, signed_on, ref, c->who.id, ts, ts, recovery_id, ppm, signed_on, ref)))
        goto out;
    if (changed) {
        json_t *pl = json_pack("{s:s, s:f, s:s, s:s}", "recovery_id", recovery_id, "share", (double)ppm / 1e6, "signed_on",
                               signed_on, "reference", ref);
        rc = event_emit(c, "claim.recovery_offset_consent", person, pl);
        json_decref(pl);
        if (rc) goto out;
    }
    st = store_query(c->db, &c->err, "SELECT kind, " CONSENT_COLS " FROM ei_recoveries WHERE id = ?", "s", recovery_id);
    if (!st) {
        rc = c->err.code ? c->err.code : OP_STORE;
        goto out;
    }
    *out = json_pack("{s:s, s:o, s:o}", "recovery_id", recovery_id, "kind", ei_sn(st, 0), "offset_consent", consent_json(st, 1));
    store_reset(st);
out:
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}
