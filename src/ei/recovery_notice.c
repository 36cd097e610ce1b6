/* recovery_notice.c - collecting a recovery order by payment notice (납부고지) once payments end.
 *
 * An open order is collected first by offsetting the person's later benefit payments
 * (recovery.c).  When the person has no claim left that can pay (no claim active or suspended:
 * exhausted, closed, rejected ...), what is still outstanding is collected by a payment notice the
 * person pays by giro or bank transfer:
 *  - the daily step (ei_recovery_notices_due, after the payment batch) issues one notice per such
 *    order - amount due = amount + levy - recovered at issue, due date = issue date + the pack's
 *    kr.ei.recovery.notice_due_days, a payer reference with a check digit - emits
 *    recovery.notice_issued in the notice's transaction, marks notices past their due date overdue
 *    and writes the giro file of the day's notices (FILE.tmp, mode 0600, renamed).  An order has at
 *    most one outstanding (issued or overdue) notice: a re-run issues nothing twice;
 *  - receipts (ei_recovery_receipt, POST /api/v1/recoveries/{id}/receipts) are recorded against
 *    the order, idempotent on the bank's transaction reference; the order's `recovered` grows as
 *    with offsets, and an order fully repaid is settled and its notice paid.
 * Offsets and receipts both count toward `recovered`: a person who claims again is offset again,
 * and a notice of an order settled meanwhile by offsets is closed as paid.  Every order is read and
 * written through the access path (actor system, purpose benefit_administration, in the batch). */
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "policy/pack.h"

#define REF_MAX 64 /* a bank's transaction reference */

/* The pack's days from issue to due date, in force on the issue day. */
static op_code due_days(ctx *c, int64_t day, int64_t *days) {
    const pol_pack *p;
    pol_value v;
    op_code rc = pol_pack_get(EI_COUNTRY, &p, &c->err);
    if (rc) return rc;
    if (!pol_param_at(p, "kr.ei.recovery.notice_due_days", day, &v) || !json_is_integer(v.value) ||
        json_integer_value(v.value) < 1)
        return op_fail(&c->err, OP_INTERNAL, "add the parameter to the policy pack",
                       "the KR pack has no kr.ei.recovery.notice_due_days in force");
    *days = (int64_t)json_integer_value(v.value);
    return OP_OK;
}

/* The payer reference of an order's seq-th notice: 15 digits from a hash of the two, then a Luhn
 * check digit (a mistyped digit or two swapped neighbours are caught before the bank's file is
 * matched).  Unique in the table; a collision fails the notice's chunk loudly (a store error). */
void ei_notice_reference(const char *recovery_id, int64_t seq, char out[17]) {
    unsigned char h[SHA256_DIGEST_LENGTH];
    char in[ID_LEN + 32];
    int n = snprintf(in, sizeof in, "ei-notice:%s:%lld", recovery_id, (long long)seq);
    SHA256((const unsigned char *)in, (size_t)n, h);
    unsigned long long v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | h[i];
    snprintf(out, 17, "%015llu", v % 1000000000000000ULL);
    int sum = 0;
    for (int i = 14, dbl = 1; i >= 0; i--, dbl = !dbl) { /* Luhn: double every second digit from the right */
        int d = (out[i] - '0') * (dbl ? 2 : 1);
        sum += d > 9 ? d - 9 : d;
    }
    out[15] = (char)('0' + (10 - sum % 10) % 10);
    out[16] = 0;
}

/* Close the order's outstanding notice (status paid or cancelled), in the caller's transaction. */
op_code ei_recovery_notice_close(ctx *c, const char *recovery_id, const char *status) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "UPDATE ei_recovery_notices SET status = ?, closed_at = ?, updated_at = ? WHERE recovery_id = ?"
                      " AND status IN ('issued','overdue')",
                      "ssss", status, ts, ts, recovery_id);
}

/* ---- the daily step ---- */

/* Orders that get a notice on `day`: open, something outstanding, made by the end of the day, no
 * notice outstanding, and the person has no claim that can pay (active or suspended).  *out is
 * malloc'd. */
static op_code list_due(ctx *c, int64_t day, char (**out)[ID_LEN], size_t *n) {
    char next[11];
    date_format(day + 1, next);
    *out = NULL;
    *n = 0;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT o.id FROM ei_recoveries o WHERE o.status = 'open' AND o.amount + o.levy > o.recovered"
                                   " AND o.created_at < ? AND NOT EXISTS (SELECT 1 FROM ei_recovery_notices n WHERE"
                                   " n.recovery_id = o.id AND n.status IN ('issued','overdue')) AND NOT EXISTS (SELECT 1"
                                   " FROM ei_claims ec WHERE ec.person_id = o.person_id AND ec.status IN ('active','suspended'))"
                                   " ORDER BY o.id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, next);
    size_t cap = 0;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            char(*g)[ID_LEN] = realloc(*out, cap * ID_LEN);
            if (!g) abort(); /* as the arena does */
            *out = g;
        }
        snprintf((*out)[(*n)++], ID_LEN, "%s", store_col_text(st, 0));
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        free(*out);
        *out = NULL;
        *n = 0;
        return c->err.code;
    }
    return OP_OK;
}

/* One listed order in the chunk's transaction: the order and the person's access facts in one
 * query, its state checked again (paid, settled, notified or claiming since it was listed: skipped).
 * *issued: 1 when a notice was written, *amount its amount due. */
static op_code issue_one(ctx *c, const char *order, int64_t day, int64_t days, int *issued, int64_t *amount) {
    *issued = 0;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT o.person_id, o.claim_id, o.amount + o.levy - o.recovered, " ACCESS_FACTS_COLS ","
                                 " (SELECT COUNT(*) FROM ei_recovery_notices n WHERE n.recovery_id = o.id),"
                                 " EXISTS (SELECT 1 FROM ei_recovery_notices n WHERE n.recovery_id = o.id"
                                 " AND n.status IN ('issued','overdue')),"
                                 " EXISTS (SELECT 1 FROM ei_claims ec WHERE ec.person_id = o.person_id"
                                 " AND ec.status IN ('active','suspended'))"
                                 " FROM ei_recoveries o, " ACCESS_FACTS_FROM " WHERE p.id = o.person_id AND o.id = ?"
                                 " AND o.status = 'open'",
                                 "ss", c->who.id, order);
    if (!st) return c->err.code; /* no longer open: nothing to do */
    char person[ID_LEN], claim[ID_LEN];
    access_facts fa;
    snprintf(person, sizeof person, "%s", store_col_text(st, 0));
    snprintf(claim, sizeof claim, "%s", store_col_text(st, 1));
    int64_t due = store_col_int(st, 2), seq = store_col_int(st, 3 + ACCESS_FACTS_NCOLS) + 1;
    access_facts_read(st, 3, &fa);
    bool outstanding = store_col_int(st, 4 + ACCESS_FACTS_NCOLS) != 0, claiming = store_col_int(st, 5 + ACCESS_FACTS_NCOLS) != 0;
    store_reset(st);
    if (due <= 0 || outstanding || claiming) return OP_OK;
    access_decision dec;
    op_code rc = access_person_facts(c, PD_UPDATE, "ei_recovery", order, person, &fa, &dec);
    if (rc) return rc;
    char id[ID_LEN], ts[CLOCK_TS_LEN], issue[11], until[11], ref[17];
    id_uuid7(id);
    clock_now_ts(ts);
    date_format(day, issue);
    date_format(day + days, until);
    ei_notice_reference(order, seq, ref);
    int64_t n = 0;
    if ((rc = store_exec(c->db, &c->err, &n,
                         "INSERT INTO ei_recovery_notices (id, recovery_id, seq, person_id, claim_id, reference, amount_due,"
                         " issue_date, due_date, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,'issued',?,?)"
                         " ON CONFLICT (recovery_id, seq) DO NOTHING",
                         "ssisssissss", id, order, seq, person, claim, ref, due, issue, until, ts, ts)))
        return rc;
    if (n == 0) return OP_OK; /* issued by a concurrent run */
    json_t *pl = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "notice_id", id, "recovery_id", order, "claim_id", claim,
                           "reference", ref, "amount_due", (json_int_t)due, "issue_date", issue, "due_date", until);
    rc = event_emit(c, "recovery.notice_issued", person, pl);
    json_decref(pl);
    *issued = 1;
    *amount = due;
    return rc;
}

/* Notices past their due date and still unpaid become overdue (own transaction). */
static op_code mark_overdue(ctx *c, int64_t day, long *n) {
    char d[11], ts[CLOCK_TS_LEN];
    date_format(day, d);
    clock_now_ts(ts);
    int64_t k = 0;
    bool outer;
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (!rc)
        rc = store_exec(c->db, &c->err, &k,
                        "UPDATE ei_recovery_notices SET status = 'overdue', updated_at = ? WHERE status = 'issued' AND due_date < ?",
                        "ss", ts, d);
    *n = (long)k;
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* One chunk of the giro file: the notices issued on `issue` after *last (id order), each read
 * through the access path (one audit record per row: what the printer is sent about the person). */
struct giro_arg {
    const char *issue;
    long *rows;
};

static op_code export_chunk(ctx *c, FILE *f, char last[ID_LEN], size_t limit, size_t *got, void *arg) {
    const char *issue = ((struct giro_arg *)arg)->issue;
    long *rows = ((struct giro_arg *)arg)->rows;
    *got = 0;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT " ACCESS_FACTS_COLS ", n.id, n.reference, n.recovery_id, n.claim_id, n.person_id,"
                                   " n.amount_due, n.issue_date, n.due_date, p.family_name || ' ' || p.given_name,"
                                   " COALESCE(p.postal_code, ''), COALESCE(p.address_line, '') FROM ei_recovery_notices n, "
                                   ACCESS_FACTS_FROM " WHERE p.id = n.person_id AND n.issue_date = ? AND n.status <> 'cancelled'"
                                   " AND n.id > ? ORDER BY n.id LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, c->who.id);
    store_bind_text(st, 2, issue);
    store_bind_text(st, 3, last);
    store_bind_int(st, 4, (int64_t)limit);
    const int o = ACCESS_FACTS_NCOLS;
    op_code rc = OP_OK;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        (*got)++;
        snprintf(last, ID_LEN, "%s", store_col_text(st, o));
        access_facts fa;
        access_decision d;
        access_facts_read(st, 0, &fa);
        if ((rc = access_person_facts(c, PD_READ, "ei_recovery_notice", store_col_text(st, o), store_col_text(st, o + 4), &fa,
                                      &d)))
            break;
        fprintf(f, "%s,%s,%s,%s,%s,%lld,KRW,%s,%s,", store_col_text(st, o), store_col_text(st, o + 1),
                store_col_text(st, o + 2), store_col_text(st, o + 3), store_col_text(st, o + 4),
                (long long)store_col_int(st, o + 5), store_col_text(st, o + 6), store_col_text(st, o + 7));
        ei_csv_quoted(f, store_col_text(st, o + 8));
        fputc(',', f);
        ei_csv_quoted(f, store_col_text(st, o + 9));
        fputc(',', f);
        ei_csv_quoted(f, store_col_text(st, o + 10));
        fputc('\n', f);
        (*rows)++;
    }
    store_reset(st);
    return rc ? rc : r == STORE_ERROR ? c->err.code : OP_OK;
}

/* The giro file of the notices issued on `issue`: FILE.tmp (mode 0600) then renamed, read in
 * chunks like the bank export (payment.c), so a re-run writes the whole day again. */
static op_code write_giro(ctx *c, const char *issue, const char *path, long *rows) {
    *rows = 0;
    struct giro_arg arg = {issue, rows};
    return ei_export_file(c, path,
                          "notice_id,payer_reference,recovery_id,claim_id,person_id,amount_due,currency,issue_date,due_date,"
                          "payer_name,postal_code,address\n",
                          export_chunk, &arg);
}

/* Issue the notices of the listed orders, ei_batch_chunk_size per transaction; stops between
 * chunks when the worker is stopping (r->stopped). */
static op_code issue_listed(ctx *c, int64_t day, char (*due)[ID_LEN], size_t n, struct ei_notice_result *r) {
    int64_t days = 0;
    op_code rc = due_days(c, day, &days);
    if (rc) return rc;
    size_t chunk = ei_batch_chunk_size > 0 ? (size_t)ei_batch_chunk_size : 1;
    struct ei_chunk k = {0};
    for (size_t i = 0; i < n && !rc; i += chunk) {
        if (worker_stopping()) {
            r->stopped = true;
            break;
        }
        size_t end = i + chunk < n ? i + chunk : n;
        if ((rc = ei_batch_chunk_begin(c, &k))) break;
        long issued = 0;
        int64_t amount = 0;
        for (size_t j = i; !rc && j < end; j++) {
            int one;
            int64_t a = 0;
            rc = issue_one(c, due[j], day, days, &one, &a);
            ei_batch_item_done(c, &k);
            issued += one, amount += a;
        }
        rc = ei_batch_chunk_end(c, &k, rc);
        if (!rc) r->issued += issued, r->amount += amount; /* counted once committed */
        if (!rc && ei_batch_test_pause) ei_batch_test_pause();
    }
    ei_batch_done(c, &k);
    return rc;
}

op_code ei_recovery_notices_due(ctx *c, int64_t day, const char *out_path, struct ei_notice_result *r) {
    op_clear(&c->err); /* a reused context may carry an old error */
    memset(r, 0, sizeof *r);
    char issue[11];
    date_format(day, issue);
    op_code rc = mark_overdue(c, day, &r->overdue);
    char(*due)[ID_LEN] = NULL;
    size_t n = 0;
    if (!rc) rc = list_due(c, day, &due, &n);
    if (!rc) rc = issue_listed(c, day, due, n, r);
    free(due);
    if (rc) return rc;
    log_info("recovery notices %s: %ld issued (%lld KRW), %ld overdue%s", issue, r->issued, (long long)r->amount, r->overdue,
             r->stopped ? "; stopped before the end (the worker is stopping)" : "");
    if (!out_path || r->stopped) return OP_OK; /* a stopped run's file is written by the run that completes the day */
    return write_giro(c, issue, out_path, &r->rows_in_file);
}

/* ---- receipts ---- */

/* The stored answer of a receipt (a repeated reference gets the same answer). */
static json_t *receipt_json(store_stmt *st) {
    return json_pack("{s:{s:o, s:o, s:o, s:I, s:s, s:o, s:o}, s:{s:o, s:o, s:I}}", "receipt", "id", ei_sn(st, 0), "reference",
                     ei_sn(st, 1), "notice_id", ei_sn(st, 2), "amount", (json_int_t)store_col_int(st, 3), "currency", "KRW",
                     "paid_on", ei_sn(st, 4), "recorded_at", ei_sn(st, 5), "recovery", "id", ei_sn(st, 6), "status",
                     ei_sn(st, 7), "outstanding", (json_int_t)store_col_int(st, 8));
}

#define RECEIPT_SELECT                                                                             \
    "SELECT id, reference, notice_id, amount, paid_on, created_at, recovery_id, status_after, outstanding_after"  \
    " FROM ei_recovery_receipts"

/* A receipt already recorded under this reference: the same one again is a replay (*out set),
 * anything else with the reference is a conflict.  OP_OK with *out NULL: the reference is new. */
static op_code receipt_replay(ctx *c, const char *order, const char *ref, int64_t amount, const char *paid_on, json_t **out) {
    *out = NULL;
    store_stmt *st = store_query(c->db, &c->err, RECEIPT_SELECT " WHERE reference = ?", "s", ref);
    if (!st) return c->err.code;
    bool same = strcmp(store_col_text(st, 6), order) == 0 && store_col_int(st, 3) == amount &&
                strcmp(store_col_text(st, 4), paid_on) == 0;
    if (same) *out = receipt_json(st);
    store_reset(st);
    if (same) return OP_OK;
    return op_fail_field(&c->err, OP_CONFLICT, "reference",
                         "a bank reference identifies one transfer: check the reference, or GET the claim's payments",
                         "a receipt with reference \"%s\" was recorded with another amount, date or order", ref);
}

static op_code receipt_parse(ctx *c, const json_t *in, int64_t *amount, const char **paid_on, const char **ref) {
    static const char *const fields[] = {"amount", "paid_on", "reference", NULL};
    op_code rc;
    if ((rc = jx_only(in, fields, NULL, &c->err)) ||
        (rc = jx_int(in, "amount", true, 1, 100000000000LL, amount, NULL, &c->err)) ||
        (rc = jx_date(in, "paid_on", true, paid_on, &c->err)) || (rc = jx_str(in, "reference", true, REF_MAX, ref, &c->err)))
        return rc;
    int64_t d;
    date_parse(*paid_on, &d);
    if (d > date_today())
        return op_fail_field(&c->err, OP_VALIDATION, "paid_on", "give the day the bank received the payment",
                             "paid_on %s is in the future", *paid_on);
    if (!**ref) return op_fail_field(&c->err, OP_VALIDATION, "reference", "give the bank's transaction reference", "reference is empty");
    for (const char *p = *ref; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return op_fail_field(&c->err, OP_VALIDATION, "reference", NULL, "reference holds a control character");
    return OP_OK;
}

/* The receipt in the caller's transaction, the order checked and updated. */
static op_code receipt_record(ctx *c, const char *order, const char *person, int64_t amount, const char *paid_on,
                              const char *ref, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT o.status, o.amount + o.levy - o.recovered, (SELECT n.id FROM ei_recovery_notices n"
                                 " WHERE n.recovery_id = o.id AND n.status IN ('issued','overdue')) FROM ei_recoveries o WHERE o.id = ?",
                                 "s", order);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the recovery order does not exist");
    bool open = strcmp(store_col_text(st, 0), "open") == 0;
    const char *status = arena_strdup(c->a, store_col_text(st, 0));
    int64_t outstanding = store_col_int(st, 1);
    const char *notice = store_col_null(st, 2) ? NULL : arena_strdup(c->a, store_col_text(st, 2));
    store_reset(st);
    if (!open)
        return op_fail(&c->err, OP_CONFLICT, "GET the claim's payments: recoveries shows the order",
                       "the recovery order is %s: nothing is outstanding", status);
    if (amount > outstanding)
        return op_fail_field(&c->err, OP_VALIDATION, "amount",
                             "record the outstanding amount; what was paid beyond it is refunded outside the platform",
                             "the amount %lld is more than the %lld KRW outstanding on the order", (long long)amount,
                             (long long)outstanding);
    char id[ID_LEN], ts[CLOCK_TS_LEN];
    id_uuid7(id);
    clock_now_ts(ts);
    op_code rc;
    store_stmt *up = store_query(c->db, &c->err,
                                 "UPDATE ei_recoveries SET recovered = recovered + ?, status = CASE WHEN recovered + ?"
                                 " >= amount + levy THEN 'settled' ELSE status END, updated_at = ? WHERE id = ?"
                                 " AND status = 'open' AND recovered + ? <= amount + levy RETURNING status, amount + levy - recovered",
                                 "iissi", amount, amount, ts, order, amount);
    if (!up)
        return c->err.code ? c->err.code : op_fail(&c->err, OP_CONFLICT, NULL, "the recovery order changed during the receipt");
    bool settled = strcmp(store_col_text(up, 0), "settled") == 0;
    int64_t left = store_col_int(up, 1);
    store_reset(up);
    if ((rc = store_exec(c->db, &c->err, NULL,
                         "INSERT INTO ei_recovery_receipts (id, reference, recovery_id, notice_id, person_id, amount, paid_on,"
                         " outstanding_after, status_after, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         "sssssisiss", id, ref, order, notice, person, amount, paid_on, left, settled ? "settled" : "open", ts)) ||
        (settled && (rc = ei_recovery_notice_close(c, order, "paid"))))
        return rc;
    json_t *pl = json_pack("{s:s, s:s, s:I, s:I, s:s}", "recovery_id", order, "receipt_id", id, "amount", (json_int_t)amount,
                           "outstanding", (json_int_t)left, "status", settled ? "settled" : "open");
    rc = event_emit(c, "claim.recovery_receipt", person, pl);
    json_decref(pl);
    if (rc) return rc;
    st = store_query(c->db, &c->err, RECEIPT_SELECT " WHERE id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
    *out = receipt_json(st);
    store_reset(st);
    return OP_OK;
}

op_code ei_recovery_receipt(ctx *c, const char *recovery_id, const json_t *in, json_t **out, bool *replay) {
    op_clear(&c->err);
    *out = NULL;
    *replay = false;
    int64_t amount;
    const char *paid_on, *ref;
    op_code rc = receipt_parse(c, in, &amount, &paid_on, &ref);
    if (rc) return rc;
    store_stmt *st = id_is_uuid(recovery_id)
                         ? store_query(c->db, &c->err, "SELECT person_id FROM ei_recoveries WHERE id = ?", "s", recovery_id)
                         : NULL;
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the recovery order does not exist");
    char person[ID_LEN];
    snprintf(person, sizeof person, "%s", store_col_text(st, 0));
    store_reset(st);
    bool outer;
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_recovery", recovery_id, person)) ||
        (rc = receipt_replay(c, recovery_id, ref, amount, paid_on, out)))
        goto out;
    if (*out) {
        *replay = true;
        goto out;
    }
    rc = receipt_record(c, recovery_id, person, amount, paid_on, ref, out);
out:
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- the order's collection, for GET .../payments ---- */

op_code ei_recovery_collection(ctx *c, const char *recovery_id, json_t *order) {
    json_t *notices = json_array(), *receipts = json_array();
    json_object_set_new(order, "notices", notices);
    json_object_set_new(order, "receipts", receipts);
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, reference, amount_due, issue_date, due_date, status, closed_at FROM"
                                   " ei_recovery_notices WHERE recovery_id = ? ORDER BY seq",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, recovery_id);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(notices, json_pack("{s:o, s:o, s:I, s:s, s:o, s:o, s:o, s:o}", "id", ei_sn(st, 0),
                                                 "payer_reference", ei_sn(st, 1), "amount_due",
                                                 (json_int_t)store_col_int(st, 2), "currency", "KRW", "issue_date",
                                                 ei_sn(st, 3), "due_date", ei_sn(st, 4), "status", ei_sn(st, 5),
                                                 "closed_at", ei_sn(st, 6)));
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    st = store_prepare(c->db, RECEIPT_SELECT " WHERE recovery_id = ? ORDER BY created_at, id", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, recovery_id);
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *one = receipt_json(st), *rc = json_object_get(one, "receipt");
        json_array_append(receipts, rc);
        json_decref(one);
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}
