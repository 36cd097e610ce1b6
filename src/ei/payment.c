/* payment.c - the payment ledger and the daily batch.
 *
 * One ledger row per recognised round, keyed "claim:round" (UNIQUE), written together with the
 * claim's days_paid in one transaction per round.  The bank export is written last from the
 * ledger rows of the batch date, so a batch killed at any point and run again pays every round
 * exactly once and its file lists every payment of the day.  Days inside an employment break
 * (detected employment) are withheld, as are days before the first payable day and after the
 * benefit window. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "ei/ei_int.h"
#include "events/outbox.h"

#define MAX_BREAKS 32

void (*ei_batch_test_pause)(void);

struct claim_pay {
    int64_t daily, payable, paid, fpd, wend;
    int nb;
    int64_t bfrom[MAX_BREAKS], bto[MAX_BREAKS];
};

/* The claim's employment breaks (at most MAX_BREAKS). */
static op_code load_breaks(ctx *c, const char *claim_id, struct claim_pay *k) {
    store_stmt *st = store_prepare(c->db, "SELECT from_date, to_date FROM ei_breaks WHERE claim_id = ?", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    k->nb = 0;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && k->nb < MAX_BREAKS) {
        date_parse(store_col_text(st, 0), &k->bfrom[k->nb]);
        k->bto[k->nb] = INT64_MAX;
        if (!store_col_null(st, 1)) date_parse(store_col_text(st, 1), &k->bto[k->nb]);
        k->nb++;
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

static bool in_break(const struct claim_pay *k, int64_t d) {
    for (int i = 0; i < k->nb; i++)
        if (d >= k->bfrom[i] && d <= k->bto[i]) return true;
    return false;
}

/* A payment that is due but cannot be made - the claim has no payout account, or waits for the
 * review of a duplicate-benefit finding: no ledger row (so it stays due and a later batch pays it
 * once the account is given or the review clears it), a hold row with the reason, and
 * payment.held the first time.  Rounds and early re-employment allowances (round 0, kind
 * early_reemployment, reemploy.c) alike. */
op_code ei_payment_hold(ctx *c, const char *claim_id, int round, const char *kind, const char *reason, const char *person,
                        const char *batch, int64_t days, int64_t amount, bool was_held) {
    op_code rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO ei_payment_holds (claim_id, round, person_id, reason, days, amount, held_since,"
                            " last_batch, kind) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (claim_id, round)"
                            " DO UPDATE SET reason = excluded.reason, days = excluded.days, amount = excluded.amount,"
                            " last_batch = excluded.last_batch",
                            "sissiisss", claim_id, (int64_t)round, person, reason, days, amount, batch, batch, kind);
    if (rc || was_held) return rc;
    json_t *pl = json_pack("{s:s, s:i, s:s, s:I, s:I, s:s}", "claim_id", claim_id, "round", round, "kind", kind, "days",
                           (json_int_t)days, "amount", (json_int_t)amount, "reason", reason);
    rc = event_emit(c, "payment.held", person, pl);
    json_decref(pl);
    return rc;
}

/* The round has its ledger row: it leaves the batch's list (the partial index ei_rounds_to_pay). */
static op_code round_settle(ctx *c, const char *claim_id, int round, const char *ts) {
    return store_exec(c->db, &c->err, NULL,
                      "UPDATE ei_rounds SET settled_at = ? WHERE claim_id = ? AND round = ? AND settled_at IS NULL", "ssi", ts,
                      claim_id, (int64_t)round);
}

/* One listed round in the chunk's transaction: the round, its claim and the access facts in one
 * query.  *paid: 1 paid, 0 withheld/nothing, 2 held (no payout account), -1 already in the ledger (or no longer payable: the
 * round was overridden or the claim rejected since it was listed). */
static op_code pay_round(ctx *c, const char *claim_id, int round, const char *batch, int *paid, int64_t *amount_out,
                         int64_t *offset_out) {
    *paid = -1;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT er.period_from, er.period_to, ec.person_id, ec.daily_amount, ec.payable_days,"
                                 " ec.days_paid, ec.first_payable_date, ec.benefit_window_end, " ACCESS_FACTS_COLS ","
                                 " " EI_ACCOUNT_STATE("ec.id") ","
                                 " EXISTS (SELECT 1 FROM ei_payment_holds h WHERE h.claim_id = er.claim_id AND h.round = er.round),"
                                 " EXISTS (SELECT 1 FROM ei_recoveries o WHERE o.person_id = ec.person_id AND o.status = 'open'),"
                                 " " EI_DUP_HOLD("ec.id") " FROM ei_rounds er JOIN ei_claims ec ON ec.id = er.claim_id, " ACCESS_FACTS_FROM
                                 " WHERE p.id = ec.person_id AND er.claim_id = ? AND er.round = ?"
                                 " AND er.status = 'recognized' AND ec.status <> 'rejected'",
                                 "ssi", c->who.id, claim_id, (int64_t)round);
    if (!st) return c->err.code;
    struct claim_pay k;
    access_facts fa;
    char from[11], to[11], person[ID_LEN];
    snprintf(from, sizeof from, "%s", store_col_text(st, 0));
    snprintf(to, sizeof to, "%s", store_col_text(st, 1));
    snprintf(person, sizeof person, "%s", store_col_text(st, 2));
    k.daily = store_col_int(st, 3);
    k.payable = store_col_int(st, 4);
    k.paid = store_col_int(st, 5);
    k.fpd = INT64_MAX;
    k.wend = INT64_MIN;
    if (!store_col_null(st, 6)) date_parse(store_col_text(st, 6), &k.fpd);
    if (!store_col_null(st, 7)) date_parse(store_col_text(st, 7), &k.wend);
    access_facts_read(st, 8, &fa);
    int64_t account = store_col_int(st, 8 + ACCESS_FACTS_NCOLS);
    bool has_account = account == EI_ACCOUNT_USABLE;
    bool was_held = store_col_int(st, 9 + ACCESS_FACTS_NCOLS) != 0;
    bool owes = store_col_int(st, 10 + ACCESS_FACTS_NCOLS) != 0;
    bool dup_hold = store_col_int(st, 11 + ACCESS_FACTS_NCOLS) != 0;
    store_reset(st);
    access_decision dec;
    op_code rc = access_person_facts(c, PD_UPDATE, "ei_payment", claim_id, person, &fa, &dec);
    if (rc || (rc = load_breaks(c, claim_id, &k))) return rc;
    int64_t f, t, days = 0, withheld = 0;
    date_parse(from, &f);
    date_parse(to, &t);
    for (int64_t d = f; d <= t; d++) {
        if (d < k.fpd || d > k.wend) continue;
        if (in_break(&k, d)) withheld++;
        else days++;
    }
    if (days > k.payable - k.paid) days = k.payable - k.paid > 0 ? k.payable - k.paid : 0;
    int64_t amount = days * k.daily, n = 0;
    char id[ID_LEN], ts[CLOCK_TS_LEN];
    id_uuid7(id);
    clock_now_ts(ts);
    if (amount > 0 && (dup_hold || !has_account)) {
        *paid = 2;
        return ei_payment_hold(c, claim_id, round, "benefit", dup_hold ? EI_HOLD_DUP_REVIEW : EI_ACCOUNT_HOLD(account), person,
                               batch, days, amount, was_held);
    }
    const char *key = arena_printf(c->a, "%s:%d", claim_id, round);
    if ((rc = store_exec(c->db, &c->err, &n,
                         "INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days,"
                         " withheld_days, amount, status, batch_date, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                         " ON CONFLICT (idem_key) DO NOTHING",
                         "ssssissiiisss", id, key, claim_id, person, (int64_t)round, from, to, days, withheld, amount,
                         amount > 0 ? "paid" : "withheld", batch, ts)))
        return rc;
    if ((rc = round_settle(c, claim_id, round, ts))) return rc;
    if (n == 0) return OP_OK; /* paid by an earlier or concurrent run */
    if (was_held && (rc = store_exec(c->db, &c->err, NULL, "DELETE FROM ei_payment_holds WHERE claim_id = ? AND round = ?",
                                     "si", claim_id, (int64_t)round)))
        return rc;
    int64_t offset = 0; /* open recovery orders of the person: collected from this payment */
    if (owes && amount > 0 && (rc = ei_recovery_offset(c, id, key, person, amount, batch, &offset))) return rc;
    store_stmt *up = store_query(c->db, &c->err,
                                 "UPDATE ei_claims SET days_paid = days_paid + ?, status = CASE WHEN days_paid + ? >= payable_days"
                                 " AND status = 'active' THEN 'exhausted' ELSE status END, updated_at = ? WHERE id = ?"
                                 " RETURNING status",
                                 "iiss", days, days, ts, claim_id);
    if (!up) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    bool exhausted_now = strcmp(store_col_text(up, 0), "exhausted") == 0 && k.paid < k.payable;
    store_reset(up);
    if (exhausted_now) {
        char next[11];
        date_format(t + 1, next);
        if ((rc = ei_status_event(c, claim_id, person, "active", "exhausted", next, "all payable days paid"))) return rc;
    }
    json_t *pl = json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:I}", "payment_id", id, "claim_id", claim_id, "round", round,
                           "days", (json_int_t)days, "withheld_days", (json_int_t)withheld, "amount", (json_int_t)amount,
                           "recovery_offset", (json_int_t)offset);
    rc = event_emit(c, amount > 0 ? "payment.recorded" : "payment.withheld", person, pl);
    json_decref(pl);
    *paid = amount > 0;
    *amount_out = amount;
    *offset_out = offset;
    return rc;
}

/* One listed round, line by line (pay_round), with the batch's counters. */
static op_code pay_one(ctx *c, const struct ei_due *due, const char *batch, struct ei_batch_result *res) {
    int paid;
    int64_t amount = 0, offset = 0;
    op_code rc = pay_round(c, due->claim, due->round, batch, &paid, &amount, &offset);
    if (rc) return rc;
    if (paid == 2) {
        res->held++;
    } else if (paid == 1) {
        res->paid++;
        res->amount += amount;
        res->offset += offset;
    } else if (paid == 0) {
        res->withheld++;
    }
    return OP_OK;
}

/* A round of the set-based chunk. */
struct pay_row {
    const char *claim, *person, *from, *to;
    int round;
    int64_t daily, payable, paid, fpd, wend;
    bool special; /* held, owes, employment breaks, no account, duplicate-benefit review: line by line */
};

/* One chunk of the batch: the listed rounds first..last still recognised and unpaid.  The common
 * case - a claim with its usable payout account (EI_ACCOUNT_STATE), no employment break, no open
 * recovery order, no hold and no duplicate-benefit review - is paid set-based: one query for the
 * chunk, the access decisions' audit records, ledger rows and events as multi-row inserts, and
 * the claims' days_paid and the rounds' settled_at one UPDATE each.  Any other claim goes line by
 * line through pay_round(), exactly as before.  *raced: a ledger row of the chunk already existed
 * (another run paid meanwhile): the caller rolls the chunk back and pays it line by line. */
static op_code pay_chunk(ctx *c, const struct ei_due *first, const struct ei_due *last, size_t ndue,
                         const char *batch, struct ei_batch_result *res, bool *raced) {
    *raced = false;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT er.claim_id, er.round, er.period_from, er.period_to, ec.person_id, ec.daily_amount,"
                                   " ec.payable_days, ec.days_paid, ec.first_payable_date, ec.benefit_window_end,"
                                   " " EI_ACCOUNT_STATE("ec.id") " = 1" /* EI_ACCOUNT_USABLE */
                                   " AND NOT EXISTS (SELECT 1 FROM ei_payment_holds h WHERE h.claim_id = er.claim_id)"
                                   " AND NOT EXISTS (SELECT 1 FROM ei_recoveries o WHERE o.person_id = ec.person_id AND o.status = 'open')"
                                   " AND NOT EXISTS (SELECT 1 FROM ei_breaks b WHERE b.claim_id = ec.id)"
                                   " AND NOT " EI_DUP_HOLD("ec.id") ", " ACCESS_FACTS_COLS
                                   " FROM ei_rounds er JOIN ei_claims ec ON ec.id = er.claim_id, " ACCESS_FACTS_FROM
                                   " WHERE p.id = ec.person_id AND " EI_CHUNK_RANGE
                                   " AND CASE WHEN er.status = 'recognized' THEN er.recognition_date END <= ? AND ec.status <> 'rejected'"
                                   " AND NOT EXISTS (SELECT 1 FROM ei_payments x WHERE x.claim_id = er.claim_id AND x.round = er.round)"
                                   " ORDER BY er.claim_id, er.round",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, c->who.id);
    ei_chunk_bind(st, 2, first, last);
    store_bind_text(st, 8, batch);
    size_t n = 0, cap = ndue + 16;
    struct pay_row *r = arena_alloc(c->a, cap * sizeof *r);
    access_facts *af = arena_alloc(c->a, cap * sizeof *af);
    int s = STORE_DONE;
    while (n < cap && (s = store_step(st, &c->err)) == STORE_ROW) {
        struct pay_row *w = &r[n];
        w->claim = arena_strdup(c->a, store_col_text(st, 0));
        w->round = (int)store_col_int(st, 1);
        w->from = arena_strdup(c->a, store_col_text(st, 2));
        w->to = arena_strdup(c->a, store_col_text(st, 3));
        w->person = arena_strdup(c->a, store_col_text(st, 4));
        w->daily = store_col_int(st, 5);
        w->payable = store_col_int(st, 6);
        w->paid = store_col_int(st, 7);
        w->fpd = INT64_MAX;
        w->wend = INT64_MIN;
        if (!store_col_null(st, 8)) date_parse(store_col_text(st, 8), &w->fpd);
        if (!store_col_null(st, 9)) date_parse(store_col_text(st, 9), &w->wend);
        w->special = store_col_int(st, 10) == 0;
        access_facts_read(st, 11, &af[n]);
        n++;
    }
    if (n == cap) s = STORE_DONE; /* more rows than listed: the rest waits for the next pass */
    store_reset(st);
    if (s == STORE_ERROR) return c->err.code;
    /* A claim is special when any of its rounds is (a hold row is per round). */
    for (size_t i = 0, j; i < n; i = j) {
        bool sp = false;
        for (j = i; j < n && strcmp(r[j].claim, r[i].claim) == 0; j++) sp |= r[j].special;
        for (size_t k = i; k < j; k++) r[k].special = sp;
    }
    op_code rc = OP_OK;
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) nc += !r[i].special;
    if (nc) {
        const char **claims = arena_alloc(c->a, nc * sizeof *claims), **persons = arena_alloc(c->a, nc * sizeof *persons);
        access_facts *cf = arena_alloc(c->a, nc * sizeof *cf);
        access_decision *d = arena_alloc(c->a, nc * sizeof *d);
        bool *allowed = arena_alloc(c->a, nc * sizeof *allowed);
        for (size_t i = 0, k = 0; i < n; i++)
            if (!r[i].special) {
                claims[k] = r[i].claim;
                persons[k] = r[i].person;
                cf[k++] = af[i];
            }
        rc = access_person_facts_many(c, PD_UPDATE, "ei_payment", nc, claims, persons, cf, d, allowed);
        for (size_t k = 0; k < nc && !rc; k++)
            if (!allowed[k]) rc = op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access", "%s", d[k].reason);
    }
    enum { LC = 13 };
    const char **led = nc ? arena_alloc(c->a, nc * LC * sizeof *led) : NULL, **ev = nc ? arena_alloc(c->a, nc * 3 * sizeof *ev) : NULL;
    int64_t *days = nc ? arena_alloc(c->a, nc * sizeof *days) : NULL;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    size_t k = 0;
    long paid = 0, withheld = 0;
    int64_t total = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (r[i].special) continue;
        /* an earlier round of the same claim in this chunk has added its days */
        if (i && !r[i - 1].special && strcmp(r[i - 1].claim, r[i].claim) == 0) r[i].paid = r[i - 1].paid + days[k - 1];
        int64_t f, t;
        date_parse(r[i].from, &f);
        date_parse(r[i].to, &t);
        int64_t lo = f > r[i].fpd ? f : r[i].fpd, hi = t < r[i].wend ? t : r[i].wend;
        int64_t dd = hi >= lo ? hi - lo + 1 : 0, left = r[i].payable - r[i].paid > 0 ? r[i].payable - r[i].paid : 0;
        if (dd > left) dd = left;
        int64_t amount = dd * r[i].daily;
        char *id = arena_alloc(c->a, ID_LEN);
        id_uuid7(id);
        const char **l = led + k * LC;
        l[0] = id;
        l[1] = arena_printf(c->a, "%s:%d", r[i].claim, r[i].round);
        l[2] = r[i].claim;
        l[3] = r[i].person;
        l[4] = arena_printf(c->a, "%d", r[i].round);
        l[5] = r[i].from;
        l[6] = r[i].to;
        l[7] = arena_printf(c->a, "%lld", (long long)dd);
        l[8] = "0";
        l[9] = arena_printf(c->a, "%lld", (long long)amount);
        l[10] = amount > 0 ? "paid" : "withheld";
        l[11] = batch;
        l[12] = ts;
        ev[k * 3] = amount > 0 ? "payment.recorded" : "payment.withheld";
        ev[k * 3 + 1] = r[i].person;
        ev[k * 3 + 2] = arena_printf(c->a,
                                     "{\"payment_id\":\"%s\",\"claim_id\":\"%s\",\"round\":%d,\"days\":%lld,\"withheld_days\":0,"
                                     "\"amount\":%lld,\"recovery_offset\":0}",
                                     id, r[i].claim, r[i].round, (long long)dd, (long long)amount);
        days[k++] = dd;
        if ((rc = round_settle(c, r[i].claim, r[i].round, ts))) break;
        if (amount > 0) paid++, total += amount;
        else withheld++;
        /* the claim's days and, when they run out, its status (ei_status_event) */
        store_stmt *up = store_query(c->db, &c->err,
                                     "UPDATE ei_claims SET days_paid = days_paid + ?, status = CASE WHEN days_paid + ? >= payable_days"
                                     " AND status = 'active' THEN 'exhausted' ELSE status END, updated_at = ? WHERE id = ?"
                                     " RETURNING status",
                                     "iiss", dd, dd, ts, r[i].claim);
        if (!up) {
            rc = c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
            break;
        }
        bool exhausted_now = strcmp(store_col_text(up, 0), "exhausted") == 0 && r[i].paid < r[i].payable;
        store_reset(up);
        if (exhausted_now) {
            char next[11];
            date_format(t + 1, next);
            rc = ei_status_event(c, r[i].claim, r[i].person, "active", "exhausted", next, "all payable days paid");
        }
    }
    int64_t inserted = 0;
    if (!rc && k &&
        !(rc = store_insert_rows(c->db, &c->err, &inserted,
                                 "INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days,"
                                 " withheld_days, amount, status, batch_date, created_at)",
                                 LC, k, led, " ON CONFLICT (idem_key) DO NOTHING")) &&
        inserted != (int64_t)k) {
        *raced = true;
        return op_fail(&c->err, OP_CONFLICT, NULL, "%lld of %zu rounds of the chunk were paid meanwhile", (long long)(k - inserted), k);
    }
    if (!rc) rc = event_emit_many(c, k, ev);
    if (rc) return rc;
    res->paid += paid;
    res->withheld += withheld;
    res->amount += total;
    /* the others, line by line */
    for (size_t i = 0; i < n && !rc; i++)
        if (r[i].special) {
            struct ei_due u = {.round = r[i].round};
            snprintf(u.claim, sizeof u.claim, "%s", r[i].claim);
            rc = pay_one(c, &u, batch, res);
        }
    return rc;
}

/* One chunk of the export: the paid rows of the batch date after *last (id order), each with its
 * payout account, read through the access path (one audit record per row: actor system, purpose
 * benefit_administration; decided for the chunk at once, access_person_facts_many).  *got: rows
 * read; a row without an account is counted, not written. */
struct export_row {
    const char *id, *key, *claim, *from, *to, *person, *bank, *acc_enc, *holder_enc;
    int64_t round, days, amount, offset;
};

struct export_arg {
    const char *batch;
    struct ei_batch_result *res;
};

static op_code export_chunk(ctx *c, FILE *f, char last[ID_LEN], size_t limit, size_t *got, void *arg) {
    const char *batch = ((struct export_arg *)arg)->batch;
    struct ei_batch_result *res = ((struct export_arg *)arg)->res;
    *got = 0;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT " ACCESS_FACTS_COLS ", ep.id, ep.idem_key, ep.claim_id, ep.round, ep.period_from,"
                                   " ep.period_to, ep.days, ep.amount, ep.person_id, ba.bank_code, ba.account_enc, ba.holder_enc,"
                                   " (SELECT COALESCE(SUM(o.amount), 0) FROM ei_recovery_offsets o WHERE o.payment_id = ep.id)"
                                   " FROM ei_payments ep LEFT JOIN ei_bank_accounts ba ON ba.claim_id = ep.claim_id, "
                                   ACCESS_FACTS_FROM " WHERE p.id = ep.person_id AND ep.batch_date = ? AND ep.status = 'paid'"
                                   " AND ep.id > ? ORDER BY ep.id LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, c->who.id);
    store_bind_text(st, 2, batch);
    store_bind_text(st, 3, last);
    store_bind_int(st, 4, (int64_t)limit);
    const int o = ACCESS_FACTS_NCOLS;
    struct export_row *rows = arena_alloc(c->a, (limit ? limit : 1) * sizeof *rows);
    access_facts *fa = arena_alloc(c->a, (limit ? limit : 1) * sizeof *fa);
    const char **claims = arena_alloc(c->a, (limit ? limit : 1) * sizeof *claims),
               **persons = arena_alloc(c->a, (limit ? limit : 1) * sizeof *persons);
    size_t n = 0;
    int r = STORE_DONE;
    while (n < limit && (r = store_step(st, &c->err)) == STORE_ROW) {
        (*got)++;
        snprintf(last, ID_LEN, "%s", store_col_text(st, o));
        int64_t amount = store_col_int(st, o + 7), offset = store_col_int(st, o + 12);
        if (amount - offset <= 0) { /* all of it went to recovery orders: nothing to transfer */
            res->fully_offset++;
            continue;
        }
        if (store_col_null(st, o + 9)) { /* paid before accounts were required (payments are held now): not sent */
            res->no_account++;
            continue;
        }
        struct export_row *w = &rows[n];
        w->id = arena_strdup(c->a, store_col_text(st, o));
        w->key = arena_strdup(c->a, store_col_text(st, o + 1));
        w->claim = arena_strdup(c->a, store_col_text(st, o + 2));
        w->round = store_col_int(st, o + 3);
        w->from = arena_strdup(c->a, store_col_text(st, o + 4));
        w->to = arena_strdup(c->a, store_col_text(st, o + 5));
        w->days = store_col_int(st, o + 6);
        w->amount = amount;
        w->person = arena_strdup(c->a, store_col_text(st, o + 8));
        w->bank = arena_strdup(c->a, store_col_text(st, o + 9));
        w->acc_enc = arena_strdup(c->a, store_col_text(st, o + 10));
        w->holder_enc = arena_strdup(c->a, store_col_text(st, o + 11));
        w->offset = offset;
        access_facts_read(st, 0, &fa[n]);
        claims[n] = w->claim;
        persons[n] = w->person;
        n++;
    }
    if (n == limit && *got == limit) r = STORE_DONE;
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    if (!n) return OP_OK;
    access_decision *d = arena_alloc(c->a, n * sizeof *d);
    bool *allowed = arena_alloc(c->a, n * sizeof *allowed);
    op_code rc = access_person_facts_many(c, PD_READ, "ei_bank_account", n, claims, persons, fa, d, allowed);
    for (size_t i = 0; i < n && !rc; i++) {
        struct export_row *w = &rows[i];
        char *acc = NULL, *holder = NULL;
        if (!allowed[i]) {
            rc = op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access", "%s", d[i].reason);
            break;
        }
        if ((rc = ei_bank_open(c, w->claim, w->acc_enc, w->holder_enc, &acc, &holder))) break;
        fprintf(f, "%s,%s,%s,%lld,%s,%s,%lld,%lld,%lld,%lld,KRW,%s,%s,%s,", w->id, w->key, w->claim, (long long)w->round, w->from,
                w->to, (long long)w->days, (long long)w->amount, (long long)w->offset, (long long)(w->amount - w->offset), batch,
                w->bank, acc);
        ei_csv_quoted(f, holder);
        fputc('\n', f);
        memset(acc, 0, strlen(acc));
        memset(holder, 0, strlen(holder));
        res->rows_in_file++;
    }
    return rc;
}

/* The bank file of the batch date (ei_export_file: written whole or not at all). */
static op_code write_export(ctx *c, const char *batch, const char *path, struct ei_batch_result *res) {
    res->rows_in_file = res->no_account = res->fully_offset = 0;
    struct export_arg arg = {batch, res};
    op_code rc = ei_export_file(c, path,
                                "payment_id,idempotency_key,claim_id,round,period_from,period_to,days,amount,recovery_offset,"
                                "net_amount,currency,batch_date,bank_code,account_number,account_holder\n",
                                export_chunk, &arg);
    if (!rc && res->no_account)
        log_warn("pay-batch %s: %ld paid rows have no payout account and are not in the bank file", batch, res->no_account);
    return rc;
}

op_code ei_pay_batch(ctx *c, int64_t day, const char *out_path, struct ei_batch_result *res) {
    op_clear(&c->err); /* a reused context may carry an old error */
    memset(res, 0, sizeof *res);
    const char *abort_env = getenv("OPENPES_EI_PAY_ABORT_AFTER");
    long abort_after = abort_env ? atol(abort_env) : 0;
    char batch[11];
    date_format(day, batch);
    int64_t t0 = clock_mono_us();
    res->evaluated = ei_rounds_evaluate_due(c, day);
    if (res->evaluated < 0) return c->err.code ? c->err.code : OP_STORE;
    if (worker_stopping()) { /* the evaluation may have ended between two chunks: the day is done by the next run */
        res->stopped = true;
        return OP_OK;
    }
    int64_t t1 = clock_mono_us();
    struct ei_chunk k = {0};
    size_t chunk = ei_batch_chunk_size > 0 ? (size_t)ei_batch_chunk_size : 1;
    op_code rc = OP_OK;
    /* Listed once; then again for rounds recognised meanwhile (decided since the first listing began:
     * the rounds held in an earlier pass are not listed, nor counted, twice). */
    char since[CLOCK_TS_LEN];
    clock_now_ts(since);
    for (int pass = 0;; pass++) {
        struct ei_due *due;
        size_t n;
        if ((rc = ei_due_list(c,
                              pass ? "SELECT r.claim_id, r.round FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id"
                                     " WHERE r.status = 'recognized' AND r.settled_at IS NULL AND r.recognition_date <= ?"
                                     " AND r.decided_at >= ? AND c.status <> 'rejected' ORDER BY r.claim_id, r.round"
                                   : "SELECT r.claim_id, r.round FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id"
                                     " WHERE r.status = 'recognized' AND r.settled_at IS NULL AND r.recognition_date <= ?"
                                     " AND c.status <> 'rejected' ORDER BY r.claim_id, r.round", /* ei_rounds_to_pay */
                              batch, pass ? since : NULL, &due, &n)))
            break;
        long held_before = res->held, decided_before = res->paid + res->withheld;
        for (size_t i = 0; i < n && !rc;) {
            size_t end = i + chunk < n ? i + chunk : n;
            if (worker_stopping()) { /* between two chunks: the rest is for the next run */
                res->stopped = true;
                break;
            }
            if (abort_after > 0 && res->paid < abort_after && end - i > (size_t)(abort_after - res->paid))
                end = i + (size_t)(abort_after - res->paid); /* tests: the crash below after exactly N payments */
            struct ei_batch_result keep = *res;
            bool raced;
            if ((rc = ei_batch_chunk_begin(c, &k))) break;
            rc = pay_chunk(c, &due[i], &due[end - 1], end - i, batch, res, &raced);
            rc = ei_batch_chunk_end(c, &k, rc);
            if (rc) *res = keep; /* rolled back */
            if (rc && raced) { /* another run paid some of them meanwhile: this chunk line by line */
                op_clear(&c->err);
                if ((rc = ei_batch_chunk_begin(c, &k))) break;
                for (size_t j = i; !rc && j < end; j++) {
                    rc = pay_one(c, &due[j], batch, res);
                    ei_batch_item_done(c, &k);
                }
                rc = ei_batch_chunk_end(c, &k, rc);
            }
            if (!rc && abort_after > 0 && res->paid >= abort_after) raise(SIGKILL); /* tests: a crash once N payments are committed */
            if (!rc && ei_batch_test_pause) ei_batch_test_pause();
            i = end;
        }
        free(due);
        if (n == 0 || rc || res->stopped || (size_t)(res->held - held_before) == n ||
            res->paid + res->withheld == decided_before)
            break;
    }
    ei_batch_done(c, &k);
    if (rc || res->stopped) return rc; /* stopped: the run that completes the day pays the rest and writes the file */
    int64_t t2 = clock_mono_us(), t3;
    rc = ei_reemploy_pay_due(c, batch, abort_after, res);
    if (rc) return rc;
    t3 = clock_mono_us();
    log_info("pay-batch %s: evaluation: %ld rounds in %.2f s; payments: %ld paid, %ld withheld, %ld held in %.2f s;"
             " early re-employment: %.2f s", batch, res->evaluated, (double)(t1 - t0) / 1e6, res->paid, res->withheld,
             res->held, (double)(t2 - t1) / 1e6, (double)(t3 - t2) / 1e6);
    if (!out_path || res->stopped) return OP_OK;
    rc = write_export(c, batch, out_path, res);
    if (!rc)
        log_info("pay-batch %s: bank export: %ld rows in %.2f s", batch, res->rows_in_file,
                 (double)(clock_mono_us() - t3) / 1e6);
    return rc;
}

static json_t *pay_row(store_stmt *st) {
    json_t *o = json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:s}", "id", ei_sn(st, 0), "kind", ei_sn(st, 10),
                     "idempotency_key",
                     ei_sn(st, 1), "round", (json_int_t)store_col_int(st, 2), "period_from", ei_sn(st, 3), "period_to",
                     ei_sn(st, 4), "days", (json_int_t)store_col_int(st, 5), "withheld_days",
                     (json_int_t)store_col_int(st, 6), "amount", (json_int_t)store_col_int(st, 7), "status",
                     ei_sn(st, 8), "batch_date", ei_sn(st, 9), "currency", "KRW");
    /* deductions for recovery orders: the bank was sent amount - recovery_offset */
    json_object_set_new(o, "recovery_offset", json_integer(store_col_int(st, 11)));
    json_object_set_new(o, "net_amount", json_integer(store_col_int(st, 7) - store_col_int(st, 11)));
    return o;
}

op_code ei_payments_of_claim(ctx *c, const char *claim_id, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    char person[ID_LEN];
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = ei_access(c, PD_READ, "ei_payment", claim_id, person))) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, idem_key, round, period_from, period_to, days, withheld_days, amount, status,"
                                   " batch_date, kind, (SELECT COALESCE(SUM(o.amount), 0) FROM ei_recovery_offsets o"
                                   " WHERE o.payment_id = ei_payments.id) FROM ei_payments WHERE claim_id = ?"
                                   " ORDER BY round = 0, round",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, pay_row(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    json_t *held = json_array();
    st = store_prepare(c->db,
                       "SELECT round, reason, days, amount, held_since, last_batch, kind FROM ei_payment_holds WHERE claim_id = ?"
                       " ORDER BY round = 0, round",
                       &c->err);
    if (!st) r = STORE_ERROR;
    else {
        store_bind_text(st, 1, claim_id);
        while ((r = store_step(st, &c->err)) == STORE_ROW)
            json_array_append_new(held, json_pack("{s:I, s:o, s:o, s:I, s:I, s:o, s:o, s:s, s:s}", "round",
                                                  (json_int_t)store_col_int(st, 0), "kind", ei_sn(st, 6), "reason",
                                                  ei_sn(st, 1), "days",
                                                  (json_int_t)store_col_int(st, 2), "amount", (json_int_t)store_col_int(st, 3),
                                                  "held_since", ei_sn(st, 4), "last_batch", ei_sn(st, 5), "currency", "KRW",
                                                  "status", "held"));
        store_reset(st);
    }
    json_t *rec = NULL;
    if (r == STORE_ERROR || (rc = ei_recoveries_of_claim(c, claim_id, &rec))) {
        json_decref(items);
        json_decref(held);
        json_decref(rec);
        return rc ? rc : c->err.code;
    }
    *out = json_pack("{s:s, s:o, s:o, s:o}", "claim_id", claim_id, "items", items, "held", held, "recoveries", rec);
    return OP_OK;
}
