/* test_ei_recovery_notice.c - recovery orders collected by payment notice once payments end
 * (src/ei/recovery_notice.c) on both backends: notices issued once per order while one is
 * outstanding, only when no claim can pay, overdue after the pack's days; receipts idempotent on
 * the bank reference, conflicts and overpayments refused with nothing written; offsets and
 * receipts both count; the daily batch stopped by the worker's stop between two chunks and
 * completed by the next run. */
#include "audit/audit.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "cli/cli.h"
#include "domain/person.h"
#include "ei/ei.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "testlib.h"

static store *db;
static char person_id[ID_LEN], claim_id[ID_LEN];
#define NID "800101-1234567"

static void sys_ctx(ctx *c) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", "benefit_administration", &e), "%s", e.detail);
}

static int64_t count(const char *sql) { return test_count(db, sql); }

static void exec(const char *sql) {
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, sql, ""), OP_OK, "%s: %s", sql, e.detail);
}

/* A person with one claim filed 65 days ago (active: it can still pay). */
static void setup(void) {
    db = test_db_open();
    exec("INSERT INTO offices (id, code, name, kind, region_code, created_at) VALUES ('0190a000-0000-7000-8000-000000000001',"
         " 'SEOUL-01', 'Seoul', 'job_centre', 'KR-11', '2026-01-01T00:00:00.000000Z')");
    ctx c;
    sys_ctx(&c);
    test_person_create(db,
                       json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "national_id", NID, "given_name", "가나",
                                 "family_name", "김", "birth_date", "1980-01-01", "address", "line", "테헤란로 1",
                                 "postal_code", "06236", "region_code", "KR-11"),
                       person_id);
    json_t *in, *out;
    char sep[11], rep[11], id[ID_LEN];
    bool created;
    date_format(date_today() - 70, sep);
    date_format(date_today() - 65, rep);
    in = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f}", "national_id", NID, "employer_brn", "123-45-67890", "start_date",
                   "2022-01-03", "end_date", sep, "monthly_wage", 3000000, "daily_contract_hours", 8.0);
    cr_assert_eq(ei_spell_put(&c, in, id, &created), OP_OK, "%s", c.err.detail);
    json_decref(in);
    in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "person_id", person_id, "separation_reason", "dismissal",
                   "report_date", rep, "office", "SEOUL-01", "bank_account", "bank_code", "088", "account_number",
                   "110-234-567890", "holder_name", "김가나");
    cr_assert_eq(ei_claim_file(&c, in, &out), OP_OK, "%s (%s)", c.err.detail, c.err.field);
    snprintf(claim_id, sizeof claim_id, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
    ctx_release(&c);
}

static void teardown(void) { audit_stop(); }

TestSuite(eirn, .init = setup, .fini = teardown);

static void open_order(const char *key, int64_t amount, int64_t levy, int64_t recovered, const char *status) {
    op_err e = {0};
    char id[ID_LEN];
    id_uuid7(id);
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, from_date, days, amount, levy,"
                            " recovered, status, created_at, updated_at, offset_consent_ppm) VALUES (?,?,?,?,'overpayment',"
                            "'2026-01-01',1,?,?,?,?,'2026-01-01T00:00:00.000000Z','2026-01-01T00:00:00.000000Z',500000)",
                            /* the claimant consented to offsets of half of each payment */
                            "ssssiiis", id, key, claim_id, person_id, amount, levy, recovered, status),
                 OP_OK, "%s", e.detail);
}

static const char *order_id(ctx *c, const char *key) {
    op_err e = {0};
    store_stmt *st = store_query(db, &e, "SELECT id FROM ei_recoveries WHERE idem_key = ?", "s", key);
    cr_assert(st, "%s", e.detail);
    const char *id = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    return id;
}

static long file_rows(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long n = 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) n++;
    fclose(f);
    return n - 1; /* the header */
}

static bool luhn_ok(const char *s) {
    int sum = 0, n = (int)strlen(s);
    for (int i = n - 1, dbl = 0; i >= 0; i--, dbl = !dbl) {
        int d = (s[i] - '0') * (dbl ? 2 : 1);
        sum += d > 9 ? d - 9 : d;
    }
    return sum % 10 == 0;
}

/* Nothing is issued while a claim can pay; once it cannot, one notice per order with something
 * outstanding (amount + levy - recovered), due after the pack's 30 days, with a checked reference,
 * its event, its audit record and a row in the giro file; a re-run issues nothing twice. */
Test(eirn, one_notice_per_order_once_no_claim_can_pay_and_never_twice) {
    ctx c;
    sys_ctx(&c);
    open_order("t:a", 100000, 50000, 30000, "open");
    open_order("t:b", 7000, 0, 0, "open");
    open_order("t:settled", 5000, 0, 5000, "settled");
    open_order("t:cancelled", 5000, 0, 0, "cancelled");
    char path[128], today[11], due[11];
    snprintf(path, sizeof path, "/tmp/openpes-ut-giro-%d.csv", (int)getpid());
    date_format(date_today(), today);
    date_format(date_today() + 30, due);
    struct ei_notice_result r;
    cr_assert_eq(ei_recovery_notices_due(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.issued, 0, "the claim is active: offsets collect");
    cr_assert_eq(file_rows(path), 0);
    exec("UPDATE ei_claims SET status = 'exhausted'");
    cr_assert_eq(ei_recovery_notices_due(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.issued, 2);
    cr_assert_eq(r.amount, 120000 + 7000);
    cr_assert_eq(r.rows_in_file, 2);
    cr_assert_eq(count("SELECT amount_due FROM ei_recovery_notices n JOIN ei_recoveries o ON o.id = n.recovery_id"
                       " WHERE o.idem_key = 't:a'"),
                 120000);
    char q[256];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM ei_recovery_notices WHERE issue_date = '%s' AND due_date = '%s'"
                          " AND status = 'issued' AND seq = 1", today, due);
    cr_assert_eq(count(q), 2);
    op_err e = {0};
    store_stmt *st = store_query(db, &e, "SELECT reference FROM ei_recovery_notices ORDER BY id LIMIT 1", "");
    cr_assert(st);
    char ref[32];
    snprintf(ref, sizeof ref, "%s", store_col_text(st, 0));
    store_reset(st);
    cr_assert_eq(strlen(ref), 16);
    cr_assert(luhn_ok(ref), "the reference %s carries a Luhn check digit", ref);
    ref[3] = ref[3] == '9' ? '0' : (char)(ref[3] + 1);
    cr_assert(!luhn_ok(ref), "a mistyped digit is caught");
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'recovery.notice_issued'"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices n JOIN ei_recoveries o ON o.id = n.recovery_id"
                       " WHERE o.status <> 'open'"),
                 0, "settled and cancelled orders get none");
    ctx_release(&c); /* the audit records are chained */
    sys_ctx(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_recovery' AND action = 'UPDATE'"
                       " AND actor_type = 'system' AND purpose = 'benefit_administration'"),
                 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_recovery_notice' AND action = 'READ'"), 2);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0600, "the giro file is the service account's only");
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    cr_assert_neq(access(tmp, F_OK), 0, "no temporary file is left");
    /* a re-run the same day: nothing new, the file lists the day's notices again */
    cr_assert_eq(ei_recovery_notices_due(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.issued, 0);
    cr_assert_eq(file_rows(path), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices"), 2);
    /* past the due date: overdue, still outstanding, so still no second notice */
    cr_assert_eq(ei_recovery_notices_due(&c, date_today() + 31, NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.overdue, 2);
    cr_assert_eq(r.issued, 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices WHERE status = 'overdue'"), 2);
    unlink(path);
    ctx_release(&c);
}

static json_t *receipt(int64_t amount, const char *paid_on, const char *ref) {
    return json_pack("{s:I, s:s, s:s}", "amount", (json_int_t)amount, "paid_on", paid_on, "reference", ref);
}

static op_code pay(ctx *c, const char *order, json_t *in, json_t **out, bool *replay) {
    op_err e = {0};
    cr_assert_eq(store_begin(db, &e), OP_OK);
    op_code rc = ei_recovery_receipt(c, order, in, out, replay);
    if (rc) store_rollback(db);
    else cr_assert_eq(store_commit(db, &e), OP_OK, "%s", e.detail);
    json_decref(in);
    return rc;
}

/* Receipts: idempotent on the bank reference, a reused reference with another amount is a conflict,
 * more than is outstanding and bad input are refused - each time with nothing written; the last
 * receipt settles the order and pays its notice; the claim's payments show both. */
Test(eirn, receipts_are_idempotent_on_the_reference_and_refuse_conflicts_and_overpayments) {
    ctx c;
    sys_ctx(&c);
    open_order("t:r", 10000, 2000, 1000, "open"); /* 11000 outstanding */
    exec("UPDATE ei_claims SET status = 'closed'");
    struct ei_notice_result nr;
    cr_assert_eq(ei_recovery_notices_due(&c, date_today(), NULL, &nr), OP_OK, "%s", c.err.detail);
    cr_assert_eq(nr.issued, 1);
    const char *order = order_id(&c, "t:r");
    char today[11], tomorrow[11];
    date_format(date_today(), today);
    date_format(date_today() + 1, tomorrow);
    json_t *out = NULL, *again = NULL;
    bool replay;
    cr_assert_eq(pay(&c, order, receipt(4000, today, "BANK-0001"), &out, &replay), OP_OK, "%s", c.err.detail);
    cr_assert(!replay);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(out, "recovery"), "outstanding")), 7000);
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:r'"), 5000);
    cr_assert_eq(pay(&c, order, receipt(4000, today, "BANK-0001"), &again, &replay), OP_OK, "%s", c.err.detail);
    cr_assert(replay, "the same receipt again");
    cr_assert(json_equal(out, again), "answers as the first time");
    json_decref(again);
    json_decref(out);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_receipts"), 1, "no second receipt");
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:r'"), 5000);
    /* refused, nothing changed */
    struct {
        json_t *in;
        op_code code;
        const char *field;
    } bad[] = {
        {receipt(4500, today, "BANK-0001"), OP_CONFLICT, "reference"},
        {receipt(7001, today, "BANK-0002"), OP_VALIDATION, "amount"},
        {receipt(100, tomorrow, "BANK-0003"), OP_VALIDATION, "paid_on"},
        {receipt(0, today, "BANK-0004"), OP_VALIDATION, "amount"},
        {receipt(100, "2026-02-30", "BANK-0005"), OP_VALIDATION, "paid_on"},
        {receipt(100, today, ""), OP_VALIDATION, "reference"},
        {json_pack("{s:i, s:s, s:s, s:i}", "amount", 100, "paid_on", today, "reference", "BANK-0006", "extra", 1),
         OP_UNKNOWN_FIELD, "extra"},
        {json_pack("{s:s, s:s, s:s}", "amount", "100", "paid_on", today, "reference", "BANK-0007"), OP_VALIDATION, "amount"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        op_clear(&c.err);
        cr_assert_eq(pay(&c, order, bad[i].in, &out, &replay), bad[i].code, "case %zu: %s", i, c.err.detail);
        cr_assert_str_eq(c.err.field, bad[i].field, "case %zu", i);
        cr_assert_null(out);
    }
    op_clear(&c.err);
    cr_assert_eq(pay(&c, "0190a000-0000-7000-8000-00000000dead", receipt(1, today, "BANK-0008"), &out, &replay), OP_NOT_FOUND);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_receipts"), 1);
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:r'"), 5000);
    /* the rest: settled, the notice paid */
    cr_assert_eq(pay(&c, order, receipt(7000, today, "BANK-0009"), &out, &replay), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "recovery"), "status")), "settled");
    json_decref(out);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE idem_key = 't:r' AND status = 'settled' AND recovered = 12000"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices WHERE status = 'paid' AND closed_at IS NOT NULL"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'claim.recovery_receipt'"), 2);
    op_clear(&c.err);
    cr_assert_eq(pay(&c, order, receipt(1, today, "BANK-0010"), &out, &replay), OP_CONFLICT, "a settled order takes nothing");
    json_t *pays;
    cr_assert_eq(ei_payments_of_claim(&c, claim_id, &pays), OP_OK, "%s", c.err.detail);
    json_t *o = json_array_get(json_object_get(pays, "recoveries"), 0);
    cr_assert_eq(json_array_size(json_object_get(o, "notices")), 1);
    cr_assert_eq(json_array_size(json_object_get(o, "receipts")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(o, "notices"), 0), "status")), "paid");
    cr_assert_eq(json_integer_value(json_object_get(o, "outstanding")), 0);
    json_decref(pays);
    ctx_release(&c);
}

/* A person who claims again is offset again: receipts and offsets both count, and an order repaid
 * by an offset closes its notice as paid. */
Test(eirn, an_order_with_a_notice_is_still_offset_when_a_claim_pays_again) {
    ctx c;
    sys_ctx(&c);
    open_order("t:o", 1000, 0, 0, "open");
    exec("UPDATE ei_claims SET status = 'exhausted'");
    struct ei_notice_result nr;
    cr_assert_eq(ei_recovery_notices_due(&c, date_today(), NULL, &nr), OP_OK, "%s", c.err.detail);
    cr_assert_eq(nr.issued, 1);
    char today[11];
    date_format(date_today(), today);
    json_t *out;
    bool replay;
    cr_assert_eq(pay(&c, order_id(&c, "t:o"), receipt(300, today, "BANK-1"), &out, &replay), OP_OK, "%s", c.err.detail);
    json_decref(out);
    /* the person is paid again (as by a new claim): a recognised round pays and offsets the rest */
    exec("UPDATE ei_claims SET status = 'active'");
    char d[11];
    date_format(date_today() - 40, d);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "interview"), OP_OK);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert(r.paid >= 1);
    cr_assert_eq(r.offset, 700, "what the receipt left");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE status = 'settled' AND recovered = 1000"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices WHERE status = 'paid'"), 1, "repaid by the offset");
    ctx_release(&c);
}

/* ---- the worker's stop ---- */

static pthread_mutex_t t_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t t_cv = PTHREAD_COND_INITIALIZER;
static int t_paused;

/* After the first committed chunk of notices: say so, then hold until the worker is stopping. */
static void t_hold_until_stop(void) {
    pthread_mutex_lock(&t_mu);
    bool first = t_paused++ == 0;
    pthread_cond_broadcast(&t_cv);
    pthread_mutex_unlock(&t_mu);
    for (int i = 0; first && i < 6000 && !worker_stopping(); i++) nanosleep(&(struct timespec){0, 10000000}, NULL);
}

/* SIGTERM/SIGINT and serve's shutdown call worker_stop_background: the daily batch running on its
 * own thread commits the chunk in hand, starts no other and gives the day back; the next run does
 * the rest - every order exactly one notice - and the giro file lists them all. */
Test(eirn, a_stopping_worker_ends_the_daily_batch_between_two_chunks_and_the_next_run_completes_it) {
    ei_batch_chunk_size = 1;
    ctx c;
    sys_ctx(&c);
    open_order("t:1", 1000, 0, 0, "open");
    open_order("t:2", 2000, 0, 0, "open");
    open_order("t:3", 3000, 0, 0, "open");
    exec("UPDATE ei_claims SET status = 'exhausted'");
    char dir[64], file[128], local[11];
    snprintf(dir, sizeof dir, "/tmp/openpes-ut-stop-%d", (int)getpid());
    cr_assert_eq(mkdir(dir, 0700), 0);
    char *argv[] = {"worker", "--ei-batch-at", "00:00", "--ei-batch-dir", dir, NULL};
    cr_assert_eq(cli_register_workers(5, argv), 0);
    ei_batch_test_pause = t_hold_until_stop;
    worker_start_background();
    pthread_mutex_lock(&t_mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;
    while (!t_paused && pthread_cond_timedwait(&t_cv, &t_mu, &until) == 0) {
    }
    bool started = t_paused > 0;
    pthread_mutex_unlock(&t_mu);
    cr_assert(started, "the daily batch committed its first chunk of notices");
    worker_stop_background(); /* what SIGTERM does: waits for the chunk in hand, not for the batch */
    ei_batch_test_pause = NULL;
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices"), 1, "one chunk committed, no other started");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs"), 0, "the day is given back");
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    int64_t day = date_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    date_format(day, local);
    snprintf(file, sizeof file, "%s/ei-giro-%s.csv", dir, local);
    cr_assert_neq(access(file, F_OK), 0, "the stopped run wrote no giro file");
    bool ran = false;
    cr_assert_eq(ei_scheduled_batch(&c, day, 23 * 60, &ran), OP_OK, "%s", c.err.detail);
    cr_assert(ran, "the next run takes the day");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_notices"), 3);
    cr_assert_eq(count("SELECT COUNT(DISTINCT recovery_id) FROM ei_recovery_notices"), 3, "no order notified twice");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs WHERE status = 'done'"), 1);
    cr_assert_eq(file_rows(file), 3, "the giro file lists the day's notices, the stopped run's too");
    unlink(file);
    snprintf(file, sizeof file, "%s/ei-bank-%s.csv", dir, local);
    unlink(file);
    cr_assert_eq(rmdir(dir), 0, "nothing else left in %s", dir);
    ctx_release(&c);
}
