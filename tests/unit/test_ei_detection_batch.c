/* test_ei_detection_batch.c - the set-based batch path of employment detection
 * (ei_registration_batch) gives what ei_registration() line by line gives: the same answers per
 * line (created, repeated, rejected with the same error and field), the same rows (spells with
 * their stored results, claims, breaks, registrations, recovery and allowance records), the same
 * events in the same order per person, and the same audit records.  Both paths run the same
 * lines for two populations of the same shape in one database; every table is then compared
 * person by person, with ids replaced by labels.  On both backends. */
#include "audit/audit.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "ei/ei.h"

#include "testlib.h"

static store *db;

/* One population: A has an open claim (and the registration it made), B, C, D, E have an insured
 * history only. */
#define NP 5
struct pop {
    char id[NP][ID_LEN];
    char claim[ID_LEN];
    char nid[NP][16];
};
static struct pop P, Q;

static void day(int off, char out[11]) { date_format(date_today() + off, out); }

static void sys_ctx(ctx *c) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", "benefit_administration", &e), "%s", e.detail);
}

static void make_pop(struct pop *p, int base) {
    ctx c;
    sys_ctx(&c);
    op_err e = {0};
    char sep[11], rep[11];
    day(-70, sep);
    day(-65, rep);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    for (int i = 0; i < NP; i++) {
        snprintf(p->nid[i], sizeof p->nid[i], "800101-1%06d", base + i);
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "national_id", p->nid[i], "given_name", "가나",
                               "family_name", "김", "birth_date", "1980-01-01", "address", "line", "1", "region_code",
                               "KR-11"),
               *out;
        cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s", c.err.detail);
        snprintf(p->id[i], ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
        json_decref(in);
        json_decref(out);
        json_t *sp = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f}", "national_id", p->nid[i], "employer_brn", "123-45-67890",
                               "start_date", "2022-01-03", "end_date", sep, "monthly_wage", 3000000,
                               "daily_contract_hours", 8.0);
        char sid[ID_LEN];
        bool created;
        cr_assert_eq(ei_spell_put(&c, sp, sid, &created), OP_OK, "%s", c.err.detail);
        json_decref(sp);
    }
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "person_id", p->id[0], "separation_reason",
                           "dismissal", "report_date", rep, "office", "SEOUL-01", "bank_account", "bank_code", "004",
                           "account_number", "123456789012", "holder_name", "김가나"),
           *out;
    cr_assert_eq(ei_claim_file(&c, in, &out), OP_OK, "%s (%s)", c.err.detail, c.err.field);
    snprintf(p->claim, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    ctx_release(&c);
}

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
    make_pop(&P, 100);
    make_pop(&Q, 200);
}

static void teardown(void) { audit_stop(); }

TestSuite(eibatch, .init = setup, .fini = teardown);

/* The batch's lines for a population: {person index or -1 for an unknown id or -2 for a broken
 * line, JSON fields after national_id}. */
struct line {
    int who;
    const char *json; /* the rest of the object; %S = days from today, filled in */
};

static json_t *make_line(const struct pop *p, const struct line *l) {
    char rest[512], *o = rest;
    const char *s = l->json;
    while (*s) { /* "@-30" -> the date 30 days ago */
        if (*s == '@') {
            char *end;
            long off = strtol(s + 1, &end, 10);
            char d[11];
            day((int)off, d);
            o += sprintf(o, "%s", d);
            s = end;
        } else {
            *o++ = *s++;
        }
    }
    *o = 0;
    char buf[700];
    snprintf(buf, sizeof buf, "{\"national_id\":\"%s\"%s%s}",
             l->who >= 0 ? p->nid[l->who] : l->who == -1 ? "990909-1999999" : "bad", *rest ? "," : "", rest);
    json_t *j = json_loads(buf, 0, NULL);
    cr_assert(j, "%s", buf);
    return j;
}

static const struct line LINES[] = {
    {0, "\"employer_brn\":\"222-33-44444\",\"start_date\":\"@-30\""},                 /* A: suspends the claim */
    {1, "\"employer_brn\":\"333-44-55555\",\"start_date\":\"@-5\""},                  /* B: new job */
    {1, "\"start_date\":\"@-5\""},                                                   /* broken: no employer */
    {1, "\"employer_brn\":\"333-44-55555\",\"start_date\":\"@-5\""},                  /* B again: repeat */
    {-1, "\"employer_brn\":\"333-44-55555\",\"start_date\":\"@-5\""},                 /* unknown national id */
    {2, "\"event\":\"end\",\"employer_brn\":\"444-55-66666\",\"start_date\":\"@-100\",\"end_date\":\"@-50\""}, /* C: end of a job not seen before */
    {3, "\"employer_brn\":\"555-66-77777\",\"employer_name\":\"(주)벤치\",\"start_date\":\"@-3\",\"end_date\":\"@20\","
        "\"monthly_wage\":2500000,\"daily_contract_hours\":6.5,\"insurance_type\":\"short_term\""}, /* D: every field */
    {0, "\"event\":\"end\",\"employer_brn\":\"222-33-44444\",\"start_date\":\"@-30\",\"end_date\":\"@-10\""}, /* A: job ends */
    {4, "\"employer_brn\":\"666-77-88888\",\"start_date\":\"@-2\",\"event\":\"nope\""}, /* broken: bad event */
    {4, "\"employer_brn\":\"666-77-88888\",\"start_date\":\"@-2\",\"insurance_type\":\"daily\""}, /* E */
    {4, "\"employer_brn\":\"123-45-67890\",\"start_date\":\"2022-01-03\",\"monthly_wage\":3100000"}, /* E: known spell updated */
};
#define NL (sizeof LINES / sizeof LINES[0])

/* Text of every row of a query about one person, ids replaced by labels, one line per row. */
static void relabel(char *s, const struct pop *p) {
    for (char *q = s; *q; q++) {
        if (strlen(q) < 36 || q[8] != '-' || q[13] != '-' || q[18] != '-' || q[23] != '-') continue;
        bool hex = true;
        for (int i = 0; i < 36 && hex; i++)
            if (i != 8 && i != 13 && i != 18 && i != 23 && !strchr("0123456789abcdef", q[i])) hex = false;
        if (!hex) continue;
        const char *lab = "ID";
        char buf[8];
        for (int i = 0; i < NP; i++)
            if (strncmp(q, p->id[i], 36) == 0) {
                snprintf(buf, sizeof buf, "P%d", i);
                lab = buf;
            }
        if (strncmp(q, p->claim, 36) == 0) lab = "CLAIM";
        size_t ll = strlen(lab);
        memcpy(q, lab, ll);
        memmove(q + ll, q + 36, strlen(q + 36) + 1);
    }
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* sorted: the rows as a multiset (audit records: their order across people is not promised) */
static char *dump(const struct pop *p, int who, const char *sql, bool sorted) {
    op_err e = {0};
    store_stmt *st = store_prepare(db, sql, &e);
    cr_assert(st, "%s: %s", sql, e.detail);
    store_bind_text(st, 1, p->id[who]);
    char *rows[64];
    size_t n = 0;
    while (store_step(st, &e) == STORE_ROW) {
        cr_assert(n < 64);
        char buf[8192] = "";
        for (int i = 0; i < store_ncols(st); i++) {
            const char *v = store_col_text(st, i);
            strncat(buf, v ? v : "NULL", sizeof buf - strlen(buf) - 2);
            strcat(buf, "|");
        }
        relabel(buf, p);
        rows[n++] = strdup(buf);
    }
    store_reset(st);
    if (sorted) qsort(rows, n, sizeof *rows, cmpstr);
    size_t len = 1;
    for (size_t i = 0; i < n; i++) len += strlen(rows[i]) + 1;
    char *out = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        strcat(out, rows[i]);
        strcat(out, "\n");
        free(rows[i]);
    }
    return out;
}

static const struct {
    const char *sql;
    bool sorted;
} TABLES[] = {
    {"SELECT employer_key, employer_id, employer_brn, employer_name, start_date, end_date, daily_minutes, monthly_wage,"
     " insurance_type, source, start_result, end_result FROM ei_employment WHERE person_id = ?",
     true},
    {"SELECT status, days_paid, version, payable_days FROM ei_claims WHERE person_id = ?", true},
    {"SELECT b.from_date, b.to_date FROM ei_breaks b JOIN ei_claims c ON c.id = b.claim_id WHERE c.person_id = ?", true},
    {"SELECT status, status_reason, claim_id FROM jobseeker_registrations WHERE person_id = ?", true},
    {"SELECT reemployment_date, due_date, remaining_days, amount, status FROM ei_reemploy WHERE person_id = ?", true},
    {"SELECT kind, from_date, days, amount, status FROM ei_recoveries WHERE person_id = ?", true},
    /* events: in order per person */
    {"SELECT type, payload, status FROM events WHERE subject = ? ORDER BY id", false},
    {"SELECT actor_type, actor_id, actor_role, action, resource_type, resource_id, purpose, legal_basis, outcome, detail"
     " FROM audit_log WHERE person_id = ?", /* every record is chained once ctx_release returned */
     true},
};

struct answer {
    op_code rc;
    char field[96];
    bool replay;
};

Test(eibatch, same_answers_rows_events_and_audit_as_line_by_line) {
    ctx c;
    op_err e = {0};
    struct answer a[NL], b[NL];
    json_t *in[NL];
    /* P: line by line, in one transaction (the batch endpoint's chunk before the set-based path) */
    sys_ctx(&c);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    for (size_t i = 0; i < NL; i++) {
        json_t *l = make_line(&P, &LINES[i]), *out = NULL;
        a[i].rc = ei_registration(&c, l, &out, &a[i].replay);
        snprintf(a[i].field, sizeof a[i].field, "%s", a[i].rc ? c.err.field : "");
        json_decref(out);
        json_decref(l);
    }
    cr_assert_eq(store_commit(db, &e), OP_OK);
    ctx_release(&c);
    /* Q: the batch */
    sys_ctx(&c);
    struct ei_reg_result res[NL];
    for (size_t i = 0; i < NL; i++) in[i] = make_line(&Q, &LINES[i]);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(ei_registration_batch(&c, in, NL, res), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    for (size_t i = 0; i < NL; i++) {
        b[i].rc = res[i].rc;
        b[i].replay = res[i].replay;
        snprintf(b[i].field, sizeof b[i].field, "%s", res[i].rc ? res[i].err.field : "");
        json_decref(in[i]);
    }
    ctx_release(&c);
    for (size_t i = 0; i < NL; i++) {
        cr_expect_eq(a[i].rc, b[i].rc, "line %zu: %s vs %s", i + 1, op_code_str(a[i].rc), op_code_str(b[i].rc));
        cr_expect_str_eq(a[i].field, b[i].field, "line %zu", i + 1);
        cr_expect_eq(a[i].replay, b[i].replay, "line %zu", i + 1);
    }
    /* the answers are the ones expected */
    const op_code want[NL] = {OP_OK, OP_OK, OP_VALIDATION, OP_OK, OP_NOT_FOUND, OP_OK, OP_OK, OP_OK, OP_VALIDATION, OP_OK, OP_OK};
    for (size_t i = 0; i < NL; i++) cr_expect_eq(b[i].rc, want[i], "line %zu: %s", i + 1, op_code_str(b[i].rc));
    cr_expect(b[3].replay && !b[1].replay);
    for (int w = 0; w < NP; w++)
        for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++) {
            char *x = dump(&P, w, TABLES[t].sql, TABLES[t].sorted), *y = dump(&Q, w, TABLES[t].sql, TABLES[t].sorted);
            cr_expect_str_eq(x, y, "person %d, %s", w, TABLES[t].sql);
            free(x);
            free(y);
        }
    /* and they say what happened: A suspended then active again, B one job and one event, C's new
     * spell ended, the audit has one UPDATE ei_employment per accepted line */
    char *ev = dump(&Q, 0, TABLES[6].sql, false);
    cr_expect(strstr(ev, "\"claim_status\":\"suspended\"") && strstr(ev, "employment.ended"), "%s", ev);
    free(ev);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM events WHERE type = 'employment.started'"), 2 * 5);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM events WHERE type = 'employment.ended'"), 2 * 2);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_employment'"
                                " AND action = 'UPDATE' AND outcome = 'allow'"),
                 2 * (8 + NP)); /* and the insured history of the set-up */
}

/* A refused actor: every line refused, audited once as a refusal, nothing written. */
Test(eibatch, refusals_are_answered_and_audited_once_with_nothing_written) {
    ctx c;
    op_err e = {0};
    sys_ctx(&c);
    c.who.type = ACTOR_PARTNER;
    snprintf(c.who.id, sizeof c.who.id, "partner-without-scope");
    c.who.scopes[0] = 0;
    json_t *in[3];
    struct ei_reg_result res[3];
    for (int i = 0; i < 3; i++) in[i] = make_line(&Q, &LINES[i == 2 ? 5 : i]);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(ei_registration_batch(&c, in, 3, res), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    cr_expect_eq(res[0].rc, OP_FORBIDDEN);
    cr_expect_eq(res[1].rc, OP_FORBIDDEN);
    cr_expect_eq(res[2].rc, OP_FORBIDDEN);
    cr_expect_eq(res[1].rc == OP_FORBIDDEN && strstr(res[1].err.detail, "partner") != NULL, true, "%s", res[1].err.detail);
    for (int i = 0; i < 3; i++) json_decref(in[i]);
    ctx_release(&c); /* the refusals are chained before it returns */
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM ei_employment WHERE source = 'registration'"), 0);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM events WHERE type LIKE 'employment.%'"), 0);
    store *s = db;
    int64_t n;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM audit_log WHERE actor_id = 'partner-without-scope'"
                                " AND outcome = 'deny' AND resource_type = 'ei_employment'"),
                 3);
}

/* A bigger batch than one block of the multi-row statements (64 rows), with repeats. */
Test(eibatch, many_lines_in_blocks) {
    ctx c;
    op_err e = {0};
    sys_ctx(&c);
    enum { N = 150 };
    json_t *in[N];
    struct ei_reg_result res[N];
    cr_assert_eq(store_begin(db, &e), OP_OK);
    for (int i = 0; i < N; i++) {
        char nid[16], d[11];
        snprintf(nid, sizeof nid, "800101-1%06d", 300 + i);
        json_t *pin = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "national_id", nid, "given_name", "가나",
                                "family_name", "김", "birth_date", "1980-01-01", "address", "line", "1", "region_code",
                                "KR-11"),
               *out;
        cr_assert_eq(person_create(&c, pin, &out), OP_OK, "%s", c.err.detail);
        json_decref(pin);
        json_decref(out);
        day(-1 - i % 7, d);
        in[i] = json_pack("{s:s, s:s, s:s}", "national_id", nid, "employer_brn", "777-88-99999", "start_date", d);
    }
    cr_assert_eq(store_commit(db, &e), OP_OK);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(ei_registration_batch(&c, in, N, res), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    for (int i = 0; i < N; i++) cr_expect_eq(res[i].rc, OP_OK, "line %d: %s", i, res[i].err.detail);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM ei_employment WHERE employer_key = '7778899999'"), N);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM events WHERE type = 'employment.started'"), N);
    /* again: every line a repeat, nothing new */
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(ei_registration_batch(&c, in, N, res), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    for (int i = 0; i < N; i++) cr_expect(res[i].rc == OP_OK && res[i].replay, "line %d", i);
    cr_expect_eq(test_count(db, "SELECT COUNT(*) FROM events WHERE type = 'employment.started'"), N);
    for (int i = 0; i < N; i++) json_decref(in[i]);
    ctx_release(&c);
    int64_t n;
    cr_assert_eq(audit_verify(db, &n, &e), OP_OK, "%s", e.detail);
}
