/* test_ei_lifecycle.c - the employment-insurance domain (src/ei) on both backends: spell
 * validation, claims decided from the stored history, employment detection (suspension, break,
 * event, registration, idempotent replay, job end), the platform activity hook and the payment
 * ledger (paid once, days after an employment start withheld). */
#include "audit/audit.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "ei/ei.h"
#include "ei/ei_int.h"
#include "cli/cli.h"
#include "events/outbox.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <time.h>

#include <sys/stat.h>

#include "testlib.h"

static store *db;
static char person_id[ID_LEN];
#define NID "800101-1234567"
#define BRN "123-45-67890"

static void day(int off, char out[11]) { date_format(date_today() + off, out); }

static void sys_ctx(ctx *c) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", "benefit_administration", &e), "%s", e.detail);
}

static int64_t count(const char *sql) { return test_count(db, sql); }

static void setup(void) {
    db = test_db_open();
    op_err e = {0};
    char office[ID_LEN];
    id_uuid7(office);
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO offices (id, code, name, kind, region_code, created_at)"
                            " VALUES (?, 'SEOUL-01', 'Seoul', 'job_centre', 'KR-11', '2026-01-01T00:00:00.000000Z')",
                            "s", office),
                 OP_OK, "%s", e.detail);
    test_person_create(db,
                       json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "national_id", NID, "given_name", "가나", "family_name",
                                 "김", "birth_date", "1980-01-01", "address", "line", "테헤란로 1", "region_code", "KR-11"),
                       person_id);
}

static void teardown(void) { audit_stop(); }

TestSuite(ei, .init = setup, .fini = teardown);

static op_code put_spell(ctx *c, const char *start, const char *end) {
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f}", "national_id", NID, "employer_brn", BRN, "start_date", start,
                           "end_date", end, "monthly_wage", 3000000, "daily_contract_hours", 8.0);
    char id[ID_LEN];
    bool created;
    op_code rc = ei_spell_put(c, in, id, &created);
    json_decref(in);
    return rc;
}

#define ACCOUNT "110-234-567890"
/* The payout account every claim is filed with. */
static json_t *with_bank(json_t *in) {
    json_object_set_new(in, "bank_account",
                        json_pack("{s:s, s:s, s:s}", "bank_code", "088", "account_number", ACCOUNT, "holder_name", "김가나"));
    return in;
}

static void file_claim(ctx *c, char claim_id[ID_LEN]) {
    char sep[11], rep[11];
    day(-70, sep);
    day(-65, rep);
    cr_assert_eq(put_spell(c, "2022-01-03", sep), OP_OK, "%s", c->err.detail);
    json_t *in = with_bank(json_pack("{s:s, s:s, s:s, s:s}", "person_id", person_id, "separation_reason", "dismissal",
                                     "report_date", rep, "office", "SEOUL-01")),
           *out;
    cr_assert_eq(ei_claim_file(c, in, &out), OP_OK, "%s (%s)", c->err.detail, c->err.field);
    snprintf(claim_id, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "active");
    json_decref(in);
    json_decref(out);
}

/* file_claim, and an interview 40 days ago (inside round 2) logged in the job diary: the round is
 * recognised when evaluated.  d receives the interview's date. */
static void file_claim_active(ctx *c, char claim_id[ID_LEN], char d[11]) {
    file_claim(c, claim_id);
    day(-40, d);
    cr_assert_eq(ei_activity_from_application(c, person_id, d, "interview"), OP_OK);
}

Test(ei, spell_validation_names_the_field) {
    ctx c;
    sys_ctx(&c);
    struct {
        const char *json, *field;
        op_code code;
    } cases[] = {
        {"{\"national_id\":\"" NID "\",\"start_date\":\"2020-01-01\"}", "employer_brn", OP_VALIDATION},
        {"{\"national_id\":\"" NID "\",\"employer_brn\":\"12\",\"start_date\":\"2020-01-01\"}", "employer_brn", OP_VALIDATION},
        {"{\"national_id\":\"" NID "\",\"employer_brn\":\"" BRN "\",\"start_date\":\"2020-02-30\"}", "start_date", OP_VALIDATION},
        {"{\"national_id\":\"" NID "\",\"employer_brn\":\"" BRN "\",\"start_date\":\"2020-03-01\",\"end_date\":\"2020-01-01\"}",
         "end_date", OP_VALIDATION},
        {"{\"national_id\":\"990909-1999999\",\"employer_brn\":\"" BRN "\",\"start_date\":\"2020-01-01\"}", "national_id",
         OP_NOT_FOUND},
        {"{\"national_id\":\"" NID "\",\"employer_brn\":\"" BRN "\",\"start_date\":\"2020-01-01\",\"x\":1}", "x",
         OP_UNKNOWN_FIELD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *in = json_loads(cases[i].json, 0, NULL);
        char id[ID_LEN];
        bool created;
        op_clear(&c.err);
        cr_assert_eq(ei_spell_put(&c, in, id, &created), cases[i].code, "case %zu: %s", i, c.err.detail);
        cr_assert_str_eq(c.err.field, cases[i].field, "case %zu", i);
        json_decref(in);
    }
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_employment"), 0);
    ctx_release(&c);
}

Test(ei, claim_from_history_and_bad_input) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], rep[11], fut[11];
    day(-65, rep);
    day(5, fut);
    /* No history yet. */
    json_t *in = with_bank(json_pack("{s:s, s:s, s:s, s:s}", "person_id", person_id, "separation_reason", "dismissal",
                                     "report_date", rep, "office", "SEOUL-01")),
           *out = NULL;
    cr_assert_eq(ei_claim_file(&c, in, &out), OP_VALIDATION);
    cr_assert_str_eq(c.err.field, "separation_date");
    json_object_set_new(in, "report_date", json_string(fut));
    op_clear(&c.err);
    cr_assert_eq(ei_claim_file(&c, in, &out), OP_VALIDATION);
    cr_assert_str_eq(c.err.field, "report_date");
    json_decref(in);
    file_claim(&c, claim);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds") >= 10, 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM jobseeker_registrations WHERE claim_id IS NOT NULL"), 1);
    /* A second open claim. */
    in = with_bank(json_pack("{s:s, s:s, s:s}", "person_id", person_id, "separation_reason", "dismissal", "report_date", rep));
    op_clear(&c.err);
    cr_assert_eq(ei_claim_file(&c, in, &out), OP_DUPLICATE);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_claims"), 1);
    json_decref(in);
    ctx_release(&c);
}

Test(ei, detection_suspends_and_replays) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11], end[11];
    file_claim(&c, claim);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'benefit.status_changed'"
                       " AND payload LIKE '%\"status\":\"active\"%' AND payload LIKE '%\"previous_status\":null%'"),
                 1);
    day(-30, start);
    day(-10, end);
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out,
           *again;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    cr_assert(!replay);
    cr_assert_str_eq(json_string_value(json_object_get(out, "claim_status")), "suspended");
    cr_assert_str_eq(json_string_value(json_object_get(out, "registration_status")), "placed");
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'employment.started'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_claims WHERE status = 'suspended'"), 1);
    cr_assert_eq(ei_registration(&c, in, &again, &replay), OP_OK);
    cr_assert(replay);
    cr_assert(json_equal(out, again));
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'employment.started'"), 1);
    /* The suspension is a benefit status change, once (the replay changes nothing). */
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'benefit.status_changed'"
                       " AND payload LIKE '%\"previous_status\":\"active\"%' AND payload LIKE '%\"status\":\"suspended\"%'"),
                 1);
    json_decref(again);
    json_decref(out);
    /* Job end: the claim is active again. */
    json_object_set_new(in, "event", json_string("end"));
    json_object_set_new(in, "end_date", json_string(end));
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(out, "claim_status")), "active");
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'employment.ended'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'benefit.status_changed'"
                       " AND payload LIKE '%\"previous_status\":\"suspended\"%' AND payload LIKE '%\"status\":\"active\"%'"),
                 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'benefit.status_changed'"), 3);
    json_decref(out);
    json_decref(in);
    ctx_release(&c);
}

Test(ei, platform_hook_counts_once) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11];
    day(-40, d);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "application"), OP_OK); /* no claim: nothing */
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_activities"), 0);
    file_claim(&c, claim);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "application"), OP_OK, "%s", c.err.detail);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "application"), OP_OK);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_activities WHERE source = 'platform'"), 1);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "lunch"), OP_VALIDATION);
    ctx_release(&c);
}

Test(ei, payments_once_and_withheld_after_employment) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11], d[11];
    file_claim_active(&c, claim, d);
    day(-30, start);
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(in);
    struct ei_batch_result r;
    char path[128];
    snprintf(path, sizeof path, "/tmp/openpes-ut-bank-%d.csv", (int)getpid());
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 2);
    cr_assert_eq(r.rows_in_file, 2);
    struct stat fs;
    cr_assert_eq(stat(path, &fs), 0);
    cr_assert_eq(fs.st_mode & 0777, 0600, "the bank file is for the service account only (mode %o)", fs.st_mode & 0777);
    cr_assert_eq(count("SELECT SUM(days) FROM ei_payments"), 28);
    cr_assert_eq(count("SELECT SUM(withheld_days) FROM ei_payments"), 7);
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK);
    cr_assert_eq(r.paid, 0);
    cr_assert_eq(r.rows_in_file, 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments"), 2);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 28);
    unlink(path);
    ctx_release(&c);
}

Test(ei, the_payment_that_uses_the_last_payable_day_exhausts_the_claim_once) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11];
    file_claim_active(&c, claim, d);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, "UPDATE ei_claims SET payable_days = 10 WHERE id = ?", "s", claim), OP_OK);
    struct ei_batch_result r;
    char path[128];
    snprintf(path, sizeof path, "/tmp/openpes-ut-bank-x-%d.csv", (int)getpid());
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 10, "capped at the payable days");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_claims WHERE status = 'exhausted'"), 1);
    const char *q = "SELECT COUNT(*) FROM events WHERE type = 'benefit.status_changed'"
                    " AND payload LIKE '%\"previous_status\":\"active\"%' AND payload LIKE '%\"status\":\"exhausted\"%'";
    cr_assert_eq(count(q), 1, "the benefit status change is announced");
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK);
    cr_assert_eq(count(q), 1, "once");
    unlink(path);
    ctx_release(&c);
}

static int64_t unchained_pending(void) {
    return count("SELECT COUNT(*) FROM audit_pending p WHERE NOT EXISTS"
                 " (SELECT 1 FROM audit_log a WHERE a.record_id = p.record_id)");
}

/* One round per transaction: both due rounds decided in two chunks and paid in two, each with its
 * audit record in the chain once the context is released; a second run pays nothing. */
Test(ei, batches_in_chunks_audit_every_round_and_pay_once) {
    ei_batch_chunk_size = 1;
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11];
    file_claim(&c, claim);
    day(-40, d); /* inside round 2 (report -65: round 1 to -52, round 2 to -24, round 3 due in 5 days) */
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "application"), OP_OK, "%s", c.err.detail);
    ctx_release(&c);
    sys_ctx(&c);
    cr_assert_eq(ei_rounds_evaluate_due(&c, date_today()), 2, "%s", c.err.detail);
    ctx_release(&c); /* waits until the batch's records are chained */
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds WHERE status = 'recognized'"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_round' AND action = 'UPDATE'"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'claim.round_decided'"), 2);
    cr_assert_eq(unchained_pending(), 0);
    /* stored: the decision and the calculator's request, no trace; read: the full answer */
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds WHERE evaluation LIKE '%\"request\":{\"country\":\"KR\",\"round\":%'"
                       " AND evaluation NOT LIKE '%\"trace\"%'"),
                 2);
    op_err e = {0};
    store_stmt *st = store_query(db, &e, "SELECT evaluation FROM ei_rounds WHERE round = 2", "");
    cr_assert(st, "%s", e.detail);
    json_t *ev = ei_round_evaluation_json(store_col_text(st, 0));
    store_reset(st);
    cr_assert(json_is_true(json_object_get(ev, "recognized")));
    cr_assert_eq(json_integer_value(json_object_get(ev, "counted_activities")), 1);
    cr_assert_gt(json_array_size(json_object_get(ev, "trace")), 3, "the trace, re-derived from the request");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(ev, "request"), "activities"), 0),
                                                       "date")),
                     d);
    json_decref(ev);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds WHERE status = 'recognized' AND settled_at IS NULL"), 2, "to be paid");
    sys_ctx(&c);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.evaluated, 0);
    cr_assert_eq(r.paid, 2);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_payment' AND action = 'UPDATE'"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'payment.recorded'"), 2);
    cr_assert_eq(unchained_pending(), 0);
    sys_ctx(&c);
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 0);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments"), 2);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 35);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds WHERE status = 'recognized' AND settled_at IS NULL"), 0, "settled");
}

/* A stored evaluation that the pack in force no longer reproduces is shown as decided, and says so. */
Test(ei, a_stored_evaluation_the_pack_reads_differently_is_shown_as_decided) {
    json_t *ev = ei_round_evaluation_json("{\"recognized\":false,\"required_activities\":1,\"counted_activities\":0,"
                                          "\"required_job_search\":0,\"counted_job_search\":0,\"request\":{\"country\":\"KR\","
                                          "\"round\":1,\"claimant_category\":\"general\",\"date\":\"2026-01-05\",\"activities\":[]}}");
    cr_assert(json_is_false(json_object_get(ev, "recognized")), "the decision as made (round 1 needs nothing today)");
    cr_assert(json_is_string(json_object_get(ev, "trace_unavailable")));
    cr_assert_null(json_object_get(ev, "trace"));
    json_decref(ev);
    ev = ei_round_evaluation_json("{\"recognized\":true,\"trace\":[]}"); /* stored whole before DECISIONS 15 */
    cr_assert(json_is_array(json_object_get(ev, "trace")));
    json_decref(ev);
}

static void staff(ctx *c, const char *id, unsigned role) {
    c->who.type = ACTOR_STAFF;
    snprintf(c->who.id, sizeof c->who.id, "%s", id);
    c->who.role = role;
    store_stmt *st = store_query(db, &c->err, "SELECT id FROM offices WHERE code = 'SEOUL-01'", "");
    cr_assert(st);
    snprintf(c->who.office_id, sizeof c->who.office_id, "%s", store_col_text(st, 0));
    store_reset(st);
    snprintf(c->who.region, sizeof c->who.region, "KR-11");
    c->purpose = "benefit_administration";
}

Test(ei, sanction_approval_appeal_and_back_payment) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11];
    file_claim(&c, claim);
    day(-45, d);
    cr_assert_eq(ei_activity_from_application(&c, person_id, d, "interview"), OP_OK);
    day(-40, d);
    json_t *in = json_pack("{s:s, s:s, s:s}", "type", "refusal_job", "date", d, "reason", "refused"), *out;
    staff(&c, "01900000-0000-7000-8000-00000000000a", ROLE_SUPERVISOR);
    cr_assert_eq(ei_sanction_propose(&c, claim, in, &out), OP_OK, "%s", c.err.detail);
    cr_assert_eq(json_integer_value(json_object_get(out, "blocked_days")), 14);
    char sid[ID_LEN];
    snprintf(sid, sizeof sid, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(in);
    json_t *yes = json_pack("{s:b, s:s}", "approve", 1, "reason", "ok");
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "decision", yes, &out), OP_FORBIDDEN); /* the proposer */
    staff(&c, "01900000-0000-7000-8000-00000000000b", ROLE_SUPERVISOR);
    op_clear(&c.err);
    op_code drc = ei_sanction_step(&c, claim, sid, "decision", yes, &out);
    cr_assert_eq(drc, OP_OK, "%d %s", drc, c.err.detail);
    json_decref(out);
    json_decref(yes);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(count("SELECT SUM(days) FROM ei_payments"), 7 + 14);
    json_t *ap = json_pack("{s:s}", "reason", "too far"), *rev = json_pack("{s:b, s:s}", "upheld", 0, "reason", "agreed");
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "appeal", ap, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "appeal-decision", rev, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "appeal-decision", rev, &out), OP_CONFLICT);
    cr_assert_eq(count("SELECT SUM(days) FROM ei_payments"), 35);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 35);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_breaks"), 0);
    json_decref(ap);
    json_decref(rev);
    ctx_release(&c);
}

/* A claimant starts a job early: the allowance is decided at once, paid only when the job has
 * lasted the pack's tenure (12 months), once, whatever the number of batch runs. */
Test(ei, early_reemployment_allowance_paid_after_the_tenure_once) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11];
    file_claim(&c, claim);
    day(-30, start); /* 35 days after the report, almost all payable days unpaid */
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    json_t *early = json_object_get(out, "early_reemployment");
    cr_assert(json_is_true(json_object_get(early, "eligible")), "%s", jx_dump(c.a, early));
    int64_t amount = json_integer_value(json_object_get(early, "amount"));
    cr_assert_gt(amount, 0);
    json_decref(out);
    json_decref(in);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_reemploy WHERE status = 'pending'"), 1);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.reemployment, 0, "not before the job has lasted 12 months");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment'"), 0);
    int64_t due = date_today() - 30 + 366;
    cr_assert_eq(ei_pay_batch(&c, due, NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.reemployment, 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment' AND round = 0"), 1);
    op_err e = {0};
    store_stmt *st = store_query(db, &e, "SELECT amount FROM ei_payments WHERE kind = 'early_reemployment'", "");
    cr_assert(st);
    cr_assert_eq(store_col_int(st, 0), amount, "the amount decided at the job start");
    store_reset(st);
    cr_assert_eq(ei_pay_batch(&c, due + 1, NULL, &r), OP_OK);
    cr_assert_eq(r.reemployment, 0, "paid once");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment'"), 1);
    json_t *cl;
    cr_assert_eq(ei_claim_get(&c, claim, &cl), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(cl, "early_reemployment"), "status")), "paid");
    json_decref(cl);
    ctx_release(&c);
}

Test(ei, early_reemployment_allowance_lapses_when_the_job_ends_early) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11], end[11];
    file_claim(&c, claim);
    day(-30, start);
    day(-5, end);
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_object_set_new(in, "event", json_string("end"));
    json_object_set_new(in, "end_date", json_string(end));
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(in);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today() - 30 + 366, NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.reemployment, 0);
    cr_assert_eq(r.lapsed, 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_reemploy WHERE status = 'lapsed' AND reason LIKE 'the job ended on %'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment'"), 0);
    ctx_release(&c);
}

static void open_order(const char *claim, const char *key, int64_t amount, int64_t levy, const char *created);
static int file_lines_with(const char *path, const char *needle);

/* The allowance is paid like a round: held while the claim has no payout account (announced once,
 * listed with its reason), paid by the first batch after the account is given, offset by the
 * person's open recovery order within the pack's share, in the bank file with its net amount, and
 * never paid or deducted twice. */
Test(ei, early_reemployment_allowance_is_held_without_an_account_offset_and_in_the_bank_file) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11], path[128];
    file_claim(&c, claim);
    day(-30, start);
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    int64_t amount = json_integer_value(json_object_get(json_object_get(out, "early_reemployment"), "amount"));
    cr_assert_gt(amount, 1);
    json_decref(out);
    json_decref(in);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, "DELETE FROM ei_bank_accounts", ""), OP_OK);
    open_order(claim, "t:re", 100000000, 0, "2026-01-01T00:00:00.000000Z");
    snprintf(path, sizeof path, "/tmp/openpes-ut-bank-re-%d.csv", (int)getpid());
    int64_t due = date_today() - 30 + 366;
    struct ei_batch_result r;
    for (int run = 0; run < 2; run++) {
        cr_assert_eq(ei_pay_batch(&c, due + run, path, &r), OP_OK, "%s", c.err.detail);
        cr_assert_eq(r.reemployment, 0, "held, not paid, without an account");
        cr_assert_geq(r.held, 1);
        cr_assert_eq(r.no_account, 0, "nothing paid that the file would leave out");
    }
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment'"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_reemploy WHERE status = 'pending'"), 1, "still due");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payment_holds WHERE round = 0 AND kind = 'early_reemployment'"
                       " AND reason = 'no_bank_account'"),
                 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'payment.held' AND payload LIKE '%early_reemployment%'"), 1,
                 "announced once");
    json_t *pays;
    cr_assert_eq(ei_payments_of_claim(&c, claim, &pays), OP_OK, "%s", c.err.detail);
    json_t *held = json_object_get(pays, "held"), *h = json_array_get(held, json_array_size(held) - 1);
    cr_assert_str_eq(json_string_value(json_object_get(h, "kind")), "early_reemployment", "%s", jx_dump(c.a, pays));
    cr_assert_str_eq(json_string_value(json_object_get(h, "reason")), "no_bank_account");
    cr_assert_eq(json_integer_value(json_object_get(h, "amount")), amount);
    json_decref(pays);
    json_t *acct = json_pack("{s:s, s:s, s:s}", "bank_code", "004", "account_number", "123456-01-234567", "holder_name", "김가나");
    cr_assert_eq(ei_bank_put(&c, claim, acct, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(acct);
    for (int run = 0; run < 2; run++) { /* the first batch after the account pays it; a re-run nothing */
        cr_assert_eq(ei_pay_batch(&c, due + 2, path, &r), OP_OK, "%s", c.err.detail);
        cr_assert_eq(r.reemployment, run == 0, "run %d", run);
        if (run) cr_assert_eq(r.offset, 0, "a re-run deducts nothing");
    }
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE kind = 'early_reemployment' AND status = 'paid'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payment_holds WHERE round = 0"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_reemploy WHERE status = 'paid' AND payment_id IS NOT NULL"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_offsets o JOIN ei_payments p ON p.id = o.payment_id"
                       " WHERE p.kind = 'early_reemployment' AND o.idem_key LIKE 'offset:reemploy:%'"),
                 1);
    cr_assert_eq(count("SELECT o.amount FROM ei_recovery_offsets o JOIN ei_payments p ON p.id = o.payment_id"
                       " WHERE p.kind = 'early_reemployment'"),
                 amount / 2, "half of it (the pack's share) to the open order");
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:re'"),
                 count("SELECT SUM(amount) FROM ei_recovery_offsets"));
    char line[160];
    snprintf(line, sizeof line, ",reemploy:%s,%s,0,", claim, claim);
    cr_assert_eq(file_lines_with(path, line), 1, "in the bank file like a payment row");
    snprintf(line, sizeof line, ",%lld,%lld,%lld,KRW,", (long long)amount, (long long)(amount / 2),
             (long long)(amount - amount / 2));
    cr_assert_eq(file_lines_with(path, line), 1, "with its deduction and net amount");
    cr_assert_eq(file_lines_with(path, ",004,12345601234567,"), 2, "the allowance and the round held with it");
    unlink(path);
    ctx_release(&c);
}

static void pay_two_rounds(ctx *c, char claim[ID_LEN]) {
    char d[11];
    file_claim(c, claim);
    day(-40, d);
    cr_assert_eq(ei_activity_from_application(c, person_id, d, "interview"), OP_OK);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(c, date_today(), NULL, &r), OP_OK, "%s", c->err.detail);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 35, "rounds 1 and 2 paid, up to 24 days ago");
}

static int64_t daily_amount(void) { return count("SELECT daily_amount FROM ei_claims"); }

Test(ei, a_job_registered_after_payment_opens_a_recovery_order_once) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], start[11];
    pay_two_rounds(&c, claim);
    day(-30, start); /* 7 paid days (-30 .. -24) were days of work */
    json_t *in = json_pack("{s:s, s:s, s:s}", "national_id", NID, "employer_brn", "222-33-44444", "start_date", start), *out;
    bool replay;
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK, "%s", c.err.detail);
    json_t *rec = json_object_get(out, "recovery");
    cr_assert_eq(json_integer_value(json_object_get(rec, "days")), 7, "%s", jx_dump(c.a, out));
    cr_assert_eq(json_integer_value(json_object_get(rec, "amount")), 7 * daily_amount());
    cr_assert_eq(json_integer_value(json_object_get(rec, "levy")), 0);
    json_decref(out);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 28, "the recovered days are not used entitlement");
    cr_assert_eq(ei_registration(&c, in, &out, &replay), OP_OK);
    cr_assert(replay);
    json_decref(out);
    json_decref(in);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE kind = 'overpayment' AND status = 'open'"), 1, "once");
    ctx_release(&c);
}

Test(ei, fraud_takes_the_entitlement_and_orders_repayment_with_a_levy_until_revoked) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], sid[ID_LEN];
    pay_two_rounds(&c, claim);
    day(-30, d);
    staff(&c, "01900000-0000-7000-8000-00000000000a", ROLE_SUPERVISOR);
    json_t *in = json_pack("{s:s, s:s, s:s}", "type", "fraud", "date", d, "reason", "worked while claiming"), *out;
    cr_assert_eq(ei_sanction_propose(&c, claim, in, &out), OP_OK, "%s", c.err.detail);
    snprintf(sid, sizeof sid, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(in);
    staff(&c, "01900000-0000-7000-8000-00000000000b", ROLE_SUPERVISOR);
    json_t *bad = json_pack("{s:b, s:s, s:f}", "approve", 1, "reason", "proven", "levy_multiplier", 3.0),
           *none = json_pack("{s:b, s:s}", "approve", 1, "reason", "proven"),
           *yes = json_pack("{s:b, s:s, s:f}", "approve", 1, "reason", "proven", "levy_multiplier", 1.5);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "decision", bad, &out), OP_VALIDATION, "above the pack's maximum of 2");
    cr_assert_str_eq(c.err.field, "levy_multiplier");
    op_clear(&c.err);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "decision", none, &out), OP_VALIDATION, "the levy is decided with it");
    op_clear(&c.err);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "decision", yes, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    int64_t daily = daily_amount();
    cr_assert_eq(count("SELECT days FROM ei_recoveries WHERE kind = 'fraud' AND status = 'open'"), 7);
    cr_assert_eq(count("SELECT amount FROM ei_recoveries WHERE kind = 'fraud'"), 7 * daily);
    cr_assert_eq(count("SELECT levy FROM ei_recoveries WHERE kind = 'fraud'"), (int64_t)llround(7 * daily * 1.5));
    cr_assert_eq(count("SELECT payable_days - days_paid FROM ei_claims"), 0, "no benefit from the day of the fraud");
    json_t *ap = json_pack("{s:s}", "reason", "I was not working"), *rev = json_pack("{s:b, s:s}", "upheld", 0, "reason", "not proven");
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "appeal", ap, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    cr_assert_eq(ei_sanction_step(&c, claim, sid, "appeal-decision", rev, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE status = 'cancelled'"), 1);
    cr_assert_gt(count("SELECT payable_days - days_paid FROM ei_claims"), 0, "the entitlement is back");
    json_t *pays;
    cr_assert_eq(ei_payments_of_claim(&c, claim, &pays), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(pays, "recoveries")), 1);
    json_decref(pays);
    json_decref(bad);
    json_decref(none);
    json_decref(yes);
    json_decref(ap);
    json_decref(rev);
    ctx_release(&c);
}

/* ---- payout accounts ---- */

static json_t *claim_input(void) {
    char rep[11];
    day(-65, rep);
    return json_pack("{s:s, s:s, s:s, s:s}", "person_id", person_id, "separation_reason", "dismissal", "report_date", rep,
                     "office", "SEOUL-01");
}

static void expect_bad_account(ctx *c, json_t *bank, op_code want, const char *field) {
    json_t *in = claim_input(), *out = NULL;
    if (bank) json_object_set_new(in, "bank_account", bank);
    op_clear(&c->err);
    cr_assert_eq(ei_claim_file(c, in, &out), want, "%s", c->err.detail);
    cr_assert_str_eq(c->err.field, field);
    cr_assert_null(out);
    json_decref(in);
}

Test(ei, a_claim_needs_a_valid_payout_account_stored_sealed_and_shown_masked) {
    ctx c;
    sys_ctx(&c);
    char sep[11];
    day(-70, sep);
    cr_assert_eq(put_spell(&c, "2022-01-03", sep), OP_OK, "%s", c.err.detail);
    expect_bad_account(&c, NULL, OP_VALIDATION, "bank_account");
    expect_bad_account(&c, json_string("088-110234567890"), OP_VALIDATION, "bank_account");
    expect_bad_account(&c, json_pack("{s:s, s:s, s:s}", "bank_code", "88", "account_number", ACCOUNT, "holder_name", "김가나"),
                       OP_VALIDATION, "bank_account.bank_code");
    expect_bad_account(&c, json_pack("{s:s, s:s, s:s}", "bank_code", "088", "account_number", "110-ABC-567890", "holder_name", "김가나"),
                       OP_VALIDATION, "bank_account.account_number");
    expect_bad_account(&c, json_pack("{s:s, s:s, s:s}", "bank_code", "088", "account_number", "12345", "holder_name", "김가나"),
                       OP_VALIDATION, "bank_account.account_number");
    expect_bad_account(&c, json_pack("{s:s, s:s, s:s}", "bank_code", "088", "account_number", ACCOUNT, "holder_name", "  "),
                       OP_VALIDATION, "bank_account.holder_name");
    expect_bad_account(&c, json_pack("{s:s, s:s}", "bank_code", "088", "account_number", ACCOUNT), OP_VALIDATION,
                       "bank_account.holder_name");
    expect_bad_account(&c, json_pack("{s:s, s:s, s:s, s:s}", "bank_code", "088", "account_number", ACCOUNT, "holder_name", "김가나",
                                     "iban", "x"),
                       OP_UNKNOWN_FIELD, "bank_account.iban");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_claims"), 0, "nothing written");
    char claim[ID_LEN];
    file_claim(&c, claim);
    /* sealed: neither the number nor the name is in the row */
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_bank_accounts WHERE account_enc LIKE 'v1:%' AND holder_enc LIKE 'v1:%'"
                       " AND account_enc NOT LIKE '%567890%' AND bank_code = '088'"),
                 1);
    json_t *out;
    cr_assert_eq(ei_claim_get(&c, claim, &out), OP_OK);
    json_t *ba = json_object_get(out, "bank_account");
    cr_assert_str_eq(json_string_value(json_object_get(ba, "account_number")), "********7890", "%s", jx_dump(c.a, ba));
    cr_assert_str_eq(json_string_value(json_object_get(ba, "holder_name")), "김**");
    cr_assert_str_eq(json_string_value(json_object_get(ba, "bank_code")), "088");
    json_decref(out);
    /* bound to its row: the sealed values do not open as another claim's */
    op_err e = {0};
    char *acc, *holder;
    store_stmt *st = store_query(db, &e, "SELECT account_enc, holder_enc FROM ei_bank_accounts", "");
    cr_assert(st);
    cr_assert_neq(ei_bank_open(&c, "01900000-0000-7000-8000-0000000000ff", store_col_text(st, 0), store_col_text(st, 1), &acc,
                               &holder),
                  OP_OK);
    cr_assert_eq(ei_bank_open(&c, claim, store_col_text(st, 0), store_col_text(st, 1), &acc, &holder), OP_OK);
    cr_assert_str_eq(acc, "110234567890");
    store_reset(st);
    ctx_release(&c);
}

static int file_lines_with(const char *path, const char *needle) {
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle)) n++;
    fclose(f);
    return n;
}

/* A claim without an account (filed before accounts were required): its rounds are held with the
 * reason, not paid and not dropped; once the account is given the next batch pays them, and the
 * bank file - read in chunks of one row here - carries the account, each read audited. */
Test(ei, payments_are_held_without_an_account_and_paid_once_it_is_given) {
    ei_batch_chunk_size = 1;
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], path[128];
    file_claim_active(&c, claim, d);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, "DELETE FROM ei_bank_accounts", ""), OP_OK);
    snprintf(path, sizeof path, "/tmp/openpes-ut-bank-h-%d.csv", (int)getpid());
    struct ei_batch_result r;
    for (int run = 0; run < 2; run++) {
        cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
        cr_assert_eq(r.paid, 0);
        cr_assert_eq(r.held, 2);
        cr_assert_eq(r.rows_in_file, 0);
    }
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payment_holds WHERE reason = 'no_bank_account'"), 2);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'payment.held'"), 2, "announced once per round");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_rounds WHERE status = 'recognized' AND settled_at IS NULL"), 2, "still to pay");
    json_t *pays;
    cr_assert_eq(ei_payments_of_claim(&c, claim, &pays), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(pays, "held")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(pays, "held"), 0), "reason")),
                     "no_bank_account");
    json_decref(pays);
    json_t *acct = json_pack("{s:s, s:s, s:s}", "bank_code", "004", "account_number", "123456-01-234567", "holder_name", "김, \"가\" 나"),
           *out;
    cr_assert_eq(ei_bank_put(&c, claim, acct, &out), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "bank_account"), "account_number")), "**********4567");
    json_decref(out);
    json_decref(acct);
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 2);
    cr_assert_eq(r.held, 0);
    cr_assert_eq(r.rows_in_file, 2);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payment_holds"), 0);
    cr_assert_eq(count("SELECT days_paid FROM ei_claims"), 35);
    cr_assert_eq(file_lines_with(path, ",004,12345601234567,\"김, \"\"가\"\" 나\""), 2);
    cr_assert_eq(file_lines_with(path, "bank_code,account_number,account_holder"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_bank_account' AND action = 'READ'"
                       " AND purpose = 'benefit_administration' AND actor_type = 'system'"),
                 2, "one audit record per exported row");
    unlink(path);
}

/* ---- collecting recovery orders ---- */

static void open_order(const char *claim, const char *key, int64_t amount, int64_t levy, const char *created) {
    op_err e = {0};
    char id[ID_LEN];
    id_uuid7(id);
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, from_date, days, amount, levy,"
                            " status, created_at, updated_at, offset_consent_ppm, offset_consent_signed_on,"
                            " offset_consent_reference) VALUES (?,?,?,?,'overpayment','2026-01-01',1,?,?,'open',?,?,500000,"
                            "'2026-01-01','test')", /* the claimant consented to half of each payment */
                            "ssssiiss", id, key, claim, person_id, amount, levy, created, created),
                 OP_OK, "%s", e.detail);
}

/* Two open orders of the person: each later payment gives each order at most half of it (the share
 * the claimant consented to, open_order), oldest order first; the small order is settled,
 * the big one's balance goes down and never below zero; a re-run deducts nothing more; the bank
 * file carries the net amounts. */
Test(ei, open_recovery_orders_are_offset_against_later_payments_within_the_packs_share) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], path[128];
    file_claim_active(&c, claim, d);
    int64_t daily = daily_amount(), r1 = 7 * daily, r2 = 28 * daily;
    open_order(claim, "t:small", 10000, 0, "2026-01-01T00:00:00.000000Z");
    open_order(claim, "t:big", 10000000, 500000, "2026-01-02T00:00:00.000000Z");
    snprintf(path, sizeof path, "/tmp/openpes-ut-bank-o-%d.csv", (int)getpid());
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 2);
    /* round 1: the small order in full, the big one half of it; round 2: half to the big one (daily
     * amounts are whole won; halves rounded down) */
    int64_t want = 10000 + r1 / 2 + r2 / 2;
    cr_assert_eq(r.offset, want);
    cr_assert_eq(count("SELECT SUM(amount) FROM ei_recovery_offsets"), want);
    cr_assert_eq(count("SELECT status = 'settled' FROM ei_recoveries WHERE idem_key = 't:small'"), 1, "fully repaid: settled");
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:small'"), 10000);
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:big'"), r1 / 2 + r2 / 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE idem_key = 't:big' AND status = 'open'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE recovered < 0 OR recovered > amount + levy"), 0);
    /* each deduction is linked to its order and payment and at most the share of that payment */
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_offsets o JOIN ei_payments p ON p.id = o.payment_id"
                       " JOIN ei_recoveries r ON r.id = o.recovery_id"),
                 3, "round 1: small and big; round 2: big");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_offsets o JOIN ei_payments p ON p.id = o.payment_id"
                       " WHERE 2 * o.amount > p.amount"),
                 0, "no order more than its share");
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'claim.recovery_offset'"), 3);
    json_t *pays;
    cr_assert_eq(ei_payments_of_claim(&c, claim, &pays), OP_OK);
    json_t *p1 = json_array_get(json_object_get(pays, "items"), 0);
    cr_assert_eq(json_integer_value(json_object_get(p1, "recovery_offset")), 10000 + r1 / 2);
    cr_assert_eq(json_integer_value(json_object_get(p1, "net_amount")), r1 - 10000 - r1 / 2);
    json_t *big = json_array_get(json_object_get(pays, "recoveries"), 1);
    cr_assert_eq(json_integer_value(json_object_get(big, "outstanding")), 10500000 - (want - 10000));
    json_decref(pays);
    char line[128];
    snprintf(line, sizeof line, ",%lld,%lld,%lld,KRW,", (long long)r1, (long long)(10000 + r1 / 2),
             (long long)(r1 - 10000 - r1 / 2));
    cr_assert_eq(file_lines_with(path, line), 1, "the bank is sent the net amount");
    /* a re-run pays and deducts nothing more */
    cr_assert_eq(ei_pay_batch(&c, date_today(), path, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 0);
    cr_assert_eq(r.offset, 0);
    cr_assert_eq(count("SELECT SUM(amount) FROM ei_recovery_offsets"), want);
    cr_assert_eq(count("SELECT SUM(recovered) FROM ei_recoveries"), want);
    unlink(path);
    ctx_release(&c);
}

/* Without written consent (고용보험법 시행령 제81조③④) a fraud order takes the pack's tenth of each
 * payment and an erroneous payment nothing; the consent staff record sets the order's share. */
Test(ei, offsets_follow_the_orders_kind_and_the_claimants_consent) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], ids[3][ID_LEN];
    file_claim_active(&c, claim, d);
    static const char *const kinds[] = {"fraud", "overpayment", "overpayment"};
    op_err e = {0};
    for (int i = 0; i < 3; i++) {
        id_uuid7(ids[i]);
        cr_assert_eq(store_exec(db, &e, NULL,
                                "INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, from_date, days, amount, levy,"
                                " status, created_at, updated_at) VALUES (?,?,?,?,?,'2026-01-01',1,100000000,0,'open',?,?)",
                                "sssssss", ids[i], ids[i], claim, person_id, kinds[i], "2026-01-0" "1T00:00:00Z",
                                "2026-01-01T00:00:00Z"),
                     OP_OK, "%s", e.detail);
    }
    json_t *in = json_pack("{s:f, s:s, s:s}", "share", 0.25, "signed_on", "2026-01-05", "reference", "서면동의-7"), *out;
    cr_assert_eq(ei_recovery_offset_consent(&c, ids[2], in, &out), OP_OK, "%s", c.err.detail);
    cr_assert(json_real_value(json_object_get(json_object_get(out, "offset_consent"), "share")) == 0.25);
    json_decref(out);
    cr_assert_eq(ei_recovery_offset_consent(&c, ids[2], in, &out), OP_OK, "the same consent again");
    json_decref(out);
    json_decref(in);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'claim.recovery_offset_consent'"), 1, "announced once");
    /* bad input changes nothing */
    static const char *const bad[][2] = {{"{\"share\":0,\"signed_on\":\"2026-01-05\",\"reference\":\"x\"}", "share"},
                                         {"{\"share\":1.5,\"signed_on\":\"2026-01-05\",\"reference\":\"x\"}", "share"},
                                         {"{\"share\":0.1,\"signed_on\":\"2999-01-05\",\"reference\":\"x\"}", "signed_on"},
                                         {"{\"share\":0.1,\"signed_on\":\"2026-01-05\",\"reference\":\"\"}", "reference"},
                                         {"{\"share\":0.1,\"signed_on\":\"2026-01-05\"}", "reference"},
                                         {"{\"share\":0.1,\"signed_on\":\"2026-01-05\",\"reference\":\"x\",\"x\":1}", "x"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = json_loads(bad[i][0], 0, NULL);
        op_code want = i == 5 ? OP_UNKNOWN_FIELD : OP_VALIDATION;
        cr_assert_eq(ei_recovery_offset_consent(&c, ids[1], b, &out), want, "case %zu", i);
        cr_assert_str_eq(c.err.field, bad[i][1], "case %zu", i);
        json_decref(b);
    }
    in = json_pack("{s:f, s:s, s:s}", "share", 0.5, "signed_on", "2026-01-05", "reference", "x");
    cr_assert_eq(ei_recovery_offset_consent(&c, "0190a000-0000-7000-8000-00000000dead", in, &out), OP_NOT_FOUND);
    json_decref(in);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE offset_consent_ppm IS NOT NULL"), 1);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.paid, 2);
    int64_t r1 = 7 * daily_amount(), r2 = 28 * daily_amount();
    cr_assert_eq(count(arena_printf(c.a, "SELECT recovered FROM ei_recoveries WHERE id = '%s'", ids[0])), r1 / 10 + r2 / 10,
                 "fraud: a tenth of each payment");
    cr_assert_eq(count(arena_printf(c.a, "SELECT recovered FROM ei_recoveries WHERE id = '%s'", ids[1])), 0,
                 "an erroneous payment without consent: nothing");
    cr_assert_eq(count(arena_printf(c.a, "SELECT recovered FROM ei_recoveries WHERE id = '%s'", ids[2])), r1 / 4 + r2 / 4,
                 "with consent: the consented share");
    cr_assert_eq(r.offset, r1 / 10 + r2 / 10 + r1 / 4 + r2 / 4);
    /* a settled or cancelled order takes no consent */
    cr_assert_eq(store_exec(db, &e, NULL, "UPDATE ei_recoveries SET status = 'cancelled' WHERE id = ?", "s", ids[1]), OP_OK);
    in = json_pack("{s:f, s:s, s:s}", "share", 0.5, "signed_on", "2026-01-05", "reference", "x");
    cr_assert_eq(ei_recovery_offset_consent(&c, ids[1], in, &out), OP_CONFLICT);
    json_decref(in);
    ctx_release(&c);
}

/* An order smaller than the share is repaid in full and closed; a cancelled order is never offset. */
Test(ei, an_order_is_offset_only_while_open_and_never_beyond_its_balance) {
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11];
    file_claim_active(&c, claim, d);
    open_order(claim, "t:tiny", 700, 300, "2026-01-01T00:00:00.000000Z");
    open_order(claim, "t:gone", 5000, 0, "2026-01-02T00:00:00.000000Z");
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, "UPDATE ei_recoveries SET status = 'cancelled' WHERE idem_key = 't:gone'", ""), OP_OK);
    struct ei_batch_result r;
    cr_assert_eq(ei_pay_batch(&c, date_today(), NULL, &r), OP_OK, "%s", c.err.detail);
    cr_assert_eq(r.offset, 1000, "amount + levy, not more");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recovery_offsets"), 1, "one deduction, from the first payment");
    cr_assert_eq(count("SELECT recovered FROM ei_recoveries WHERE idem_key = 't:gone'"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_recoveries WHERE idem_key = 't:tiny' AND status = 'settled'"), 1);
    ctx_release(&c);
}

/* ---- the scheduled daily batch ---- */

Test(ei, the_scheduled_batch_runs_once_a_day_after_its_time) {
    op_err e = {0};
    cr_assert_eq(ei_schedule_configure("7:30", "/tmp", &e), OP_VALIDATION);
    cr_assert_eq(ei_schedule_configure("24:00", "/tmp", &e), OP_VALIDATION);
    cr_assert_eq(ei_schedule_configure("02:30", NULL, &e), OP_VALIDATION);
    cr_assert_str_eq(e.field, "ei-batch-dir");
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], dir[64], file[128];
    file_claim_active(&c, claim, d);
    bool ran = true;
    cr_assert_eq(ei_schedule_configure(NULL, NULL, &e), OP_OK);
    cr_assert_eq(ei_scheduled_batch(&c, date_today(), 23 * 60, &ran), OP_OK);
    cr_assert(!ran, "off unless configured");
    snprintf(dir, sizeof dir, "/tmp/openpes-ut-sched-%d", (int)getpid());
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(ei_schedule_configure("02:30", dir, &e), OP_OK, "%s", e.detail);
    cr_assert_eq(ei_scheduled_batch(&c, date_today(), 2 * 60 + 29, &ran), OP_OK);
    cr_assert(!ran, "not before its time");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments"), 0);
    cr_assert_eq(ei_scheduled_batch(&c, date_today(), 2 * 60 + 30, &ran), OP_OK, "%s", c.err.detail);
    cr_assert(ran);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'"), 2, "evaluated and paid");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs WHERE status = 'done' AND result LIKE '%\"paid\":2%'"), 1);
    char today[11];
    date_format(date_today(), today);
    snprintf(file, sizeof file, "%s/ei-bank-%s.csv", dir, today);
    cr_assert_eq(file_lines_with(file, claim), 2, "the bank file of the day");
    cr_assert_eq(ei_scheduled_batch(&c, date_today(), 23 * 60, &ran), OP_OK);
    cr_assert(!ran, "once a day");
    cr_assert_eq(ei_scheduled_batch(&c, date_today() + 1, 3 * 60, &ran), OP_OK);
    cr_assert(ran, "and again the next day");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs WHERE status = 'done'"), 2);
    ctx_release(&c);
    char next[11];
    date_format(date_today() + 1, next);
    unlink(file);
    snprintf(file, sizeof file, "%s/ei-bank-%s.csv", dir, next);
    unlink(file);
    rmdir(dir);
}

/* ---- the daily batch on its own thread ---- */

static pthread_mutex_t t_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t t_cv = PTHREAD_COND_INITIALIZER;
static int t_paused, t_release, t_pings;

/* Wait (bounded, for a broken build not to hang) until *flag is set by another thread. */
static bool t_wait(int *flag, int secs) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += secs;
    pthread_mutex_lock(&t_mu);
    int r = 0;
    while (!*flag && r != ETIMEDOUT) r = pthread_cond_timedwait(&t_cv, &t_mu, &ts);
    bool ok = *flag != 0;
    pthread_mutex_unlock(&t_mu);
    return ok;
}

static void t_set(int *flag) {
    pthread_mutex_lock(&t_mu);
    (*flag)++;
    pthread_cond_broadcast(&t_cv);
    pthread_mutex_unlock(&t_mu);
}

/* The batch, after its first committed chunk of payments: says so and waits to be let go. */
static void t_batch_pause(void) {
    if (t_paused) return;
    t_set(&t_paused);
    t_wait(&t_release, 120);
}

static op_code t_on_ping(ctx *c, long long id, const char *type, const char *subject, json_t *p) {
    (void)c, (void)id, (void)type, (void)subject, (void)p;
    t_set(&t_pings);
    return OP_OK;
}

/* The daily batch registered as `serve` and `openpes worker` register it (cli_register_workers)
 * runs on a thread of its own: held in the middle of its run (one of two payments committed), the
 * worker still processes an event, and the day stays leased to the run in progress. */
Test(ei, events_are_processed_while_the_daily_batch_runs_on_its_own_thread) {
    ei_batch_chunk_size = 1;
    ctx c;
    sys_ctx(&c);
    char claim[ID_LEN], d[11], dir[64];
    file_claim_active(&c, claim, d);
    snprintf(dir, sizeof dir, "/tmp/openpes-ut-thr-%d", (int)getpid());
    cr_assert_eq(mkdir(dir, 0700), 0);
    char *argv[] = {"worker", "--ei-batch-at", "00:00", "--ei-batch-dir", dir, NULL};
    cr_assert_eq(cli_register_workers(5, argv), 0);
    event_register("t.ping", t_on_ping);
    ei_batch_test_pause = t_batch_pause;
    worker_start_background();
    cr_assert(t_wait(&t_paused, 60), "the daily batch started");
    op_err e = {0};
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(event_emit(&c, "t.ping", person_id, NULL), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    worker_wake();
    bool pinged = t_wait(&t_pings, 60);
    int64_t running = count("SELECT COUNT(*) FROM ei_batch_runs WHERE status = 'running'"),
            paid = count("SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'");
    /* the day is the running batch's: a second runner does nothing */
    store_stmt *st = store_query(db, &e, "SELECT batch_date FROM ei_batch_runs", "");
    cr_assert(st, "%s", e.detail);
    int64_t bday;
    char bdate[11];
    snprintf(bdate, sizeof bdate, "%s", store_col_text(st, 0));
    store_reset(st);
    cr_assert(date_parse(bdate, &bday));
    bool ran = true;
    cr_assert_eq(ei_scheduled_batch(&c, bday, 23 * 60, &ran), OP_OK, "%s", c.err.detail);
    t_set(&t_release);
    /* Stopping (SIGTERM) waits for the chunk in hand: the run ends between two chunks and gives the
     * day back (the payment loop's own check may end it before the second payment, or the steps
     * after the payments do), and the next run does the rest, paying nothing twice. */
    worker_stop_background();
    ei_batch_test_pause = NULL;
    cr_assert(pinged, "an event was processed while the batch ran");
    cr_assert_eq(running, 1, "the batch was still running then");
    cr_assert_eq(paid, 1, "between its two payments");
    cr_assert(!ran, "the day is leased to the run in progress");
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs"), 0, "stopped before its end: the day is given back");
    cr_assert_eq(ei_scheduled_batch(&c, bday, 23 * 60, &ran), OP_OK, "%s", c.err.detail);
    cr_assert(ran);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_batch_runs WHERE status = 'done'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'"), 2, "and the next run finished it, once");
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 't.ping' AND status = 'done'"), 1);
    ctx_release(&c);
    char file[128];
    snprintf(file, sizeof file, "%s/ei-bank-%s.csv", dir, bdate);
    cr_assert_eq(file_lines_with(file, claim), 2, "the bank file of the day");
    unlink(file);
    snprintf(file, sizeof file, "%s/ei-giro-%s.csv", dir, bdate); /* the day's recovery notices (none) */
    unlink(file);
    cr_assert_eq(rmdir(dir), 0, "nothing else left in %s", dir);
}
