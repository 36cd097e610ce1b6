/* sanction.c - sanctions (급여 제한) with supervisor approval, and appeals.
 *
 * A counsellor proposes {type, date, reason}; the sanction calculator (ei/sanction, the pack's
 * escalation table) gives the blocked days and any entitlement reduction, counting the claim's
 * sanctions in force.  A supervisor other than the proposer approves or rejects.  Approved: the
 * blocked days become a break "sanction:<id>" (the payment batch withholds them) and the
 * reduction comes off payable_days.  The claimant (or a counsellor for them) appeals an approved
 * sanction; a supervisor decides: upheld keeps it, revoked removes the break, restores the days
 * and pays, as adjustment rows (key claim:round:revoked:<id>), what was withheld because of it in
 * rounds already paid.
 *
 * A fraud finding (부정수급, 고용보험법 제61조/제62조) is not a calculator event: it blocks every
 * day from the day of the fraudulent receipt or attempt to the end of the benefit window, takes
 * the remaining entitlement away when approved, and opens a recovery order for the days already
 * paid from that day plus the additional levy the approving supervisor sets (recovery.c), at most
 * the pack's kr.ei.fraud.levy_max (levy_max_collusion with the employer's collusion).  Revoking it
 * on appeal cancels the order and restores the entitlement like any sanction. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "policy/policy.h"

static const char *const TYPES[] = {"refusal_job", "refusal_training", "insufficient_search", "missed_appointment",
                                    "fraud", NULL};
#define IN_FORCE "('approved','appealed','upheld')"

json_t *ei_sanction_row(store_stmt *st) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "id", ei_sn(st, 0), "claim_id",
                     ei_sn(st, 1), "type", ei_sn(st, 2), "date", ei_sn(st, 3), "reason", ei_sn(st, 4), "status",
                     ei_sn(st, 5), "blocked_days", (json_int_t)store_col_int(st, 6), "reduction_days",
                     (json_int_t)store_col_int(st, 7), "decision_reason", ei_sn(st, 8), "appeal_reason", ei_sn(st, 9),
                     "appeal_decision_reason", ei_sn(st, 10), "created_at", ei_sn(st, 11), "updated_at", ei_sn(st, 12));
}

static op_code render(ctx *c, const char *sid, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err, EI_SANCTION_SELECT " WHERE id = ?", "s", sid);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the sanction does not exist");
    *out = ei_sanction_row(st);
    store_reset(st);
    return OP_OK;
}

op_code ei_sanction_propose(ctx *c, const char *claim_id, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    static const char *const keys[] = {"type", "date", "reason", NULL};
    const char *type, *day, *reason;
    char person[ID_LEN], status[16], sid[ID_LEN], ts[CLOCK_TS_LEN];
    bool outer;
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, status);
    if (rc || (rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_enum(in, "type", true, TYPES, &type, &c->err)) ||
        (rc = jx_date(in, "date", true, &day, &c->err)) || (rc = jx_str(in, "reason", true, 1000, &reason, &c->err)))
        return rc;
    int64_t d;
    date_parse(day, &d);
    if (d > date_today()) return op_fail_field(&c->err, OP_VALIDATION, "date", NULL, "date is in the future");
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    json_t *req = NULL, *res = NULL, *events = json_array();
    if ((rc = ei_access(c, PD_UPDATE, "ei_sanction", claim_id, person))) goto out;
    if (strcmp(status, "active") != 0 && strcmp(status, "suspended") != 0) {
        rc = op_fail(&c->err, OP_CONFLICT, NULL, "the claim is %s", status);
        goto out;
    }
    store_stmt *st = store_query(c->db, &c->err, "SELECT payable_days, report_date FROM ei_claims WHERE id = ?", "s", claim_id);
    if (!st) { rc = c->err.code ? c->err.code : OP_INTERNAL; goto out; }
    int64_t payable = store_col_int(st, 0), report;
    date_parse(store_col_text(st, 1), &report);
    store_reset(st);
    if (d < report) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "date", NULL, "date is before the claim's report date");
        goto out;
    }
    st = store_prepare(c->db, "SELECT type, day FROM ei_sanctions WHERE claim_id = ? AND status IN " IN_FORCE " ORDER BY day, id",
                       &c->err);
    if (!st) { rc = c->err.code; goto out; }
    store_bind_text(st, 1, claim_id);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(events, json_pack("{s:s, s:s}", "type", store_col_text(st, 0), "date", store_col_text(st, 1)));
    store_reset(st);
    if (r == STORE_ERROR) { rc = c->err.code; goto out; }
    int64_t blocked, reduction;
    if (strcmp(type, "fraud") == 0) {
        int64_t wend = d;
        if ((st = store_query(c->db, &c->err, "SELECT benefit_window_end FROM ei_claims WHERE id = ?", "s", claim_id))) {
            if (!store_col_null(st, 0)) date_parse(store_col_text(st, 0), &wend);
            store_reset(st);
        }
        blocked = wend >= d ? wend - d + 1 : 0;
        reduction = 0; /* the remaining entitlement, taken at approval */
        res = json_pack("{s:s, s:s, s:I}", "rule", "fraud", "source",
                        "고용보험법 제61조 (no benefit from the day of the fraud), 제62조 (repayment and additional levy)",
                        "blocked_days", (json_int_t)blocked);
    } else {
        json_array_append_new(events, json_pack("{s:s, s:s}", "type", type, "date", day));
        req = json_pack("{s:s, s:I, s:O}", "country", EI_COUNTRY, "entitlement_days", (json_int_t)payable, "events", events);
        if ((rc = pol_run("ei-sanction", c->a, req, &res, &c->err))) goto out;
        json_t *pe = json_object_get(res, "per_event");
        json_t *mine = json_array_get(pe, json_array_size(pe) - 1);
        blocked = json_integer_value(json_object_get(mine, "blocked_days"));
        reduction = json_integer_value(json_object_get(mine, "reduction_days"));
    }
    id_uuid7(sid);
    clock_now_ts(ts);
    if ((rc = store_exec(c->db, &c->err, NULL,
                         "INSERT INTO ei_sanctions (id, claim_id, type, day, reason, status, blocked_days, reduction_days,"
                         " evaluation, proposed_by, created_at, updated_at) VALUES (?,?,?,?,?,'proposed',?,?,?,?,?,?)",
                         "sssssiissss", sid, claim_id, type, day, reason, blocked, reduction, jx_dump(c->a, res), c->who.id,
                         ts, ts)))
        goto out;
    json_t *pl = json_pack("{s:s, s:s, s:s}", "claim_id", claim_id, "sanction_id", sid, "status", "proposed");
    rc = event_emit(c, "claim.sanction", person, pl);
    json_decref(pl);
    if (!rc) rc = render(c, sid, out);
out:
    json_decref(events);
    json_decref(req);
    json_decref(res);
    return store_tx_end(c->db, &c->err, outer, rc);
}

struct sanction {
    char claim[ID_LEN], status[16], day[11], proposer[64], type[24];
    int64_t blocked, reduction;
};

static op_code load(ctx *c, const char *claim_id, const char *sid, struct sanction *s) {
    if (!sid || !id_is_uuid(sid)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the sanction does not exist");
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT claim_id, status, day, blocked_days, reduction_days, proposed_by, type FROM ei_sanctions"
                                 " WHERE id = ? AND claim_id = ?",
                                 "ss", sid, claim_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the sanction does not exist");
    snprintf(s->claim, ID_LEN, "%s", store_col_text(st, 0));
    snprintf(s->status, 16, "%s", store_col_text(st, 1));
    snprintf(s->day, 11, "%s", store_col_text(st, 2));
    s->blocked = store_col_int(st, 3);
    s->reduction = store_col_int(st, 4);
    snprintf(s->proposer, 64, "%s", store_col_text(st, 5));
    snprintf(s->type, sizeof s->type, "%s", store_col_text(st, 6));
    store_reset(st);
    return OP_OK;
}

/* Recalculate the rounds already paid: what is due now (the sanction's break removed) minus what
 * the ledger paid becomes an adjustment payment. */
static op_code repay(ctx *c, const char *claim_id, const char *person, const char *sid) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT daily_amount, first_payable_date, benefit_window_end, payable_days - days_paid"
                                 " FROM ei_claims WHERE id = ?",
                                 "s", claim_id);
    if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
    int64_t daily = store_col_int(st, 0), fpd = 0, wend = 0, left = store_col_int(st, 3);
    date_parse(store_col_text(st, 1), &fpd);
    date_parse(store_col_text(st, 2), &wend);
    store_reset(st);
    st = store_prepare(c->db,
                       "SELECT round, MIN(period_from), MAX(period_to), SUM(days) FROM ei_payments WHERE claim_id = ?"
                       " GROUP BY round ORDER BY round",
                       &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    struct { int round; int64_t a, b, paid; char pf[11], pt[11]; } rows[64];
    int n = 0, r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < 64) {
        rows[n].round = (int)store_col_int(st, 0);
        snprintf(rows[n].pf, 11, "%s", store_col_text(st, 1));
        snprintf(rows[n].pt, 11, "%s", store_col_text(st, 2));
        rows[n].paid = store_col_int(st, 3);
        date_parse(rows[n].pf, &rows[n].a);
        date_parse(rows[n].pt, &rows[n].b);
        n++;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    char ts[CLOCK_TS_LEN], today[11];
    clock_now_ts(ts);
    date_format(date_today(), today);
    for (int i = 0; i < n && left > 0; i++) {
        int64_t due = 0;
        for (int64_t d = rows[i].a; d <= rows[i].b; d++)
            if (d >= fpd && d <= wend && !ei_in_break(c, claim_id, d)) due++;
        if (c->err.code) return c->err.code;
        int64_t days = due - rows[i].paid;
        if (days > left) days = left;
        if (days <= 0) continue;
        left -= days;
        char id[ID_LEN];
        id_uuid7(id);
        op_code rc = store_exec(c->db, &c->err, NULL,
                                "INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days,"
                                " withheld_days, amount, status, batch_date, created_at) VALUES (?,?,?,?,?,?,?,?,0,?,'paid',?,?)"
                                " ON CONFLICT (idem_key) DO NOTHING",
                                "ssssissiiss", id, arena_printf(c->a, "%s:%d:revoked:%s", claim_id, rows[i].round, sid),
                                claim_id, person, (int64_t)rows[i].round, rows[i].pf, rows[i].pt, days, days * daily, today, ts);
        if (!rc)
            rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_claims SET days_paid = days_paid + ? WHERE id = ?", "is", days,
                            claim_id);
        if (rc) return rc;
    }
    return OP_OK;
}

/* The levy terms of a fraud approval: levy_multiplier (required) within the pack's maximum. */
static op_code fraud_terms(ctx *c, const json_t *in, bool approving_fraud, double *levy) {
    bool collusion = false, has_levy = json_object_get(in, "levy_multiplier") != NULL;
    if (!approving_fraud) {
        if (has_levy || json_object_get(in, "collusion"))
            return op_fail_field(&c->err, OP_VALIDATION, has_levy ? "levy_multiplier" : "collusion", NULL,
                                 "only the approval of a fraud finding sets a levy");
        return OP_OK;
    }
    const pol_pack *p;
    pol_value v;
    op_code rc = jx_bool(in, "collusion", false, &collusion, NULL, &c->err);
    if (!rc) rc = pol_pack_get(EI_COUNTRY, &p, &c->err);
    if (rc) return rc;
    const char *name = collusion ? "kr.ei.fraud.levy_max_collusion" : "kr.ei.fraud.levy_max";
    if (!pol_param_at(p, name, date_today(), &v) || !json_is_number(v.value))
        return op_fail(&c->err, OP_INTERNAL, "add the parameter to the policy pack", "the KR pack has no %s in force", name);
    return jx_num(in, "levy_multiplier", true, 0, json_number_value(v.value), levy, NULL, &c->err);
}

/* An approved fraud finding: the remaining entitlement goes (recorded as the sanction's
 * reduction, so that a revocation gives it back) and the days paid from the fraud date are
 * ordered back with the levy. */
static op_code fraud_approved(ctx *c, const char *claim_id, const char *person, const char *sid, const char *day,
                              double levy, const char *reason, struct sanction *s) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT payable_days - days_paid FROM ei_claims WHERE id = ?", "s", claim_id);
    if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
    s->reduction = store_col_int(st, 0) > 0 ? store_col_int(st, 0) : 0;
    store_reset(st);
    op_code rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_sanctions SET reduction_days = ? WHERE id = ?", "is",
                            s->reduction, sid);
    if (rc) return rc;
    int64_t from;
    date_parse(day, &from);
    struct ei_recovery rq = {claim_id, person, from, arena_printf(c->a, "sanction:%s", sid), "fraud",
                             arena_printf(c->a, "fraud:%s", sid), sid, levy, reason};
    json_t *order;
    rc = ei_recovery_open(c, &rq, &order);
    json_decref(order);
    return rc;
}

/* kind: "decision" {approve, reason; fraud: levy_multiplier, collusion?} (supervisor), "appeal" {reason},
 * "appeal-decision" {upheld, reason}. */
op_code ei_sanction_step(ctx *c, const char *claim_id, const char *sid, const char *kind, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    static const char *const dkeys[] = {"approve", "reason", "levy_multiplier", "collusion", NULL},
                             *const akeys[] = {"reason", NULL}, *const ukeys[] = {"upheld", "reason", NULL};
    char person[ID_LEN], ts[CLOCK_TS_LEN];
    const char *reason;
    bool flag = false, outer;
    struct sanction s;
    *out = NULL;
    bool decision = strcmp(kind, "decision") == 0, appeal = strcmp(kind, "appeal") == 0;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = jx_only(in, decision ? dkeys : appeal ? akeys : ukeys, NULL, &c->err)) ||
        (!appeal && (rc = jx_bool(in, decision ? "approve" : "upheld", true, &flag, NULL, &c->err))) ||
        (rc = jx_str(in, "reason", true, 1000, &reason, &c->err)))
        return rc;
    if (!*reason) return op_fail_field(&c->err, OP_VALIDATION, "reason", NULL, "reason is empty");
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_sanction", sid, person)) || (rc = load(c, claim_id, sid, &s))) goto out;
    const char *need = decision ? "proposed" : appeal ? "approved" : "appealed";
    if (strcmp(s.status, need) != 0) {
        rc = op_fail(&c->err, OP_CONFLICT, NULL, "the sanction is %s; this step needs %s", s.status, need);
        goto out;
    }
    if (decision && strcmp(s.proposer, c->who.id) == 0) {
        rc = op_fail(&c->err, OP_FORBIDDEN, "another supervisor decides", "you proposed this sanction");
        goto out;
    }
    bool fraud = strcmp(s.type, "fraud") == 0;
    double levy = 0;
    if (decision && (rc = fraud_terms(c, in, fraud && flag, &levy))) goto out;
    clock_now_ts(ts);
    int64_t from, to;
    date_parse(s.day, &from);
    to = from + s.blocked - 1;
    char tday[11];
    date_format(to, tday);
    const char *next;
    if (decision) {
        next = flag ? "approved" : "rejected";
        rc = store_exec(c->db, &c->err, NULL,
                        "UPDATE ei_sanctions SET status = ?, decided_by = ?, decision_reason = ?, updated_at = ? WHERE id = ?",
                        "sssss", next, c->who.id, reason, ts, sid);
        if (!rc && flag && s.blocked > 0)
            rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO ei_breaks (claim_id, employment_id, from_date, to_date) VALUES (?,?,?,?)", "ssss",
                            claim_id, arena_printf(c->a, "sanction:%s", sid), s.day, tday);
        if (!rc && flag && fraud) rc = fraud_approved(c, claim_id, person, sid, s.day, levy, reason, &s);
        if (!rc && flag && s.reduction > 0)
            rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_claims SET payable_days = payable_days - ? WHERE id = ?", "is",
                            s.reduction, claim_id);
    } else if (appeal) {
        next = "appealed";
        rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_sanctions SET status = ?, appeal_reason = ?, updated_at = ? WHERE id = ?",
                        "ssss", next, reason, ts, sid);
    } else {
        next = flag ? "upheld" : "revoked";
        rc = store_exec(c->db, &c->err, NULL,
                        "UPDATE ei_sanctions SET status = ?, appeal_decided_by = ?, appeal_decision_reason = ?, updated_at = ?"
                        " WHERE id = ?",
                        "sssss", next, c->who.id, reason, ts, sid);
        if (!rc && !flag) {
            rc = store_exec(c->db, &c->err, NULL, "DELETE FROM ei_breaks WHERE claim_id = ? AND employment_id = ?", "ss",
                            claim_id, arena_printf(c->a, "sanction:%s", sid));
            if (!rc && fraud) rc = ei_recovery_cancel(c, sid, arena_printf(c->a, "sanction revoked on appeal: %s", reason));
            if (!rc && s.reduction > 0)
                rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_claims SET payable_days = payable_days + ? WHERE id = ?",
                                "is", s.reduction, claim_id);
            if (!rc && s.blocked > 0) rc = repay(c, claim_id, person, sid);
        }
    }
    if (rc) goto out;
    json_t *pl = json_pack("{s:s, s:s, s:s}", "claim_id", claim_id, "sanction_id", sid, "status", next);
    rc = event_emit(c, "claim.sanction", person, pl);
    json_decref(pl);
    if (!rc) rc = render(c, sid, out);
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}
