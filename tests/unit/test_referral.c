/* test_referral.c - the referral state machine (src/referral/referral_sm.c): every allowed move
 * with its side and outcome rule, a sample of refused ones, terminal states, hints. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/jsonx.h"
#include "referral/referral.h"

#define S REF_SENDER
#define R REF_RECEIVER
#define BOTH (REF_SENDER | REF_RECEIVER)

/* The allowed moves, written out independently of the table: from, to, side, outcome needed. */
static const struct {
    const char *from, *to;
    unsigned side;
    bool outcome;
} ALLOWED[] = {
    {"sent", "received", R, false},       {"sent", "withdrawn", S, false},
    {"received", "accepted", R, false},   {"received", "rejected", R, true},
    {"received", "withdrawn", S, false},  {"accepted", "in_progress", R, false},
    {"accepted", "closed", R, true},      {"in_progress", "completed", R, true},
    {"in_progress", "closed", R, true},
};
#define NALLOWED (sizeof ALLOWED / sizeof ALLOWED[0])

static bool listed(const char *from, const char *to) {
    for (size_t i = 0; i < NALLOWED; i++)
        if (strcmp(ALLOWED[i].from, from) == 0 && strcmp(ALLOWED[i].to, to) == 0) return true;
    return false;
}

Test(referral_sm, every_allowed_move_by_its_side_only) {
    for (size_t i = 0; i < NALLOWED; i++) {
        const char *from = ALLOWED[i].from, *to = ALLOWED[i].to;
        const char *oc = ALLOWED[i].outcome ? referral_outcomes(to)[0] : NULL;
        cr_assert_eq(referral_check(from, to, ALLOWED[i].side, oc), REF_OK, "%s -> %s", from, to);
        cr_assert_eq(referral_check(from, to, BOTH, oc), REF_OK, "%s -> %s (both sides)", from, to);
        unsigned other = ALLOWED[i].side == S ? R : S;
        cr_assert_eq(referral_check(from, to, other, oc), REF_WRONG_SIDE, "%s -> %s by the other side", from, to);
        cr_assert_eq(referral_check(from, to, 0, oc), REF_WRONG_SIDE, "%s -> %s by nobody", from, to);
    }
}

Test(referral_sm, the_table_allows_nothing_else) {
    /* every pair of known states that is not listed above is illegal, whatever the side */
    const char *const *st = referral_states();
    int pairs = 0;
    for (int i = 0; st[i]; i++)
        for (int j = 0; st[j]; j++) {
            if (listed(st[i], st[j])) continue;
            const char *oc = referral_outcomes(st[j]) ? referral_outcomes(st[j])[0] : NULL;
            cr_assert_eq(referral_check(st[i], st[j], BOTH, oc), REF_ILLEGAL, "%s -> %s", st[i], st[j]);
            pairs++;
        }
    cr_assert_eq(pairs, 8 * 8 - (int)NALLOWED);
}

Test(referral_sm, sample_of_refused_moves) {
    cr_assert_eq(referral_check("sent", "accepted", BOTH, NULL), REF_ILLEGAL); /* must be received first */
    cr_assert_eq(referral_check("sent", "completed", BOTH, "employed"), REF_ILLEGAL);
    cr_assert_eq(referral_check("accepted", "withdrawn", BOTH, NULL), REF_ILLEGAL); /* too late to withdraw */
    cr_assert_eq(referral_check("completed", "in_progress", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("withdrawn", "sent", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("received", "received", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("sent", "archived", BOTH, NULL), REF_UNKNOWN_STATE);
    cr_assert_eq(referral_check("sent", NULL, BOTH, NULL), REF_UNKNOWN_STATE);
    cr_assert_eq(referral_check("bogus", "received", BOTH, NULL), REF_ILLEGAL);
}

Test(referral_sm, outcome_rules) {
    /* required on rejected, completed and closed; one of the state's codes; refused elsewhere */
    cr_assert_eq(referral_check("received", "rejected", R, NULL), REF_OUTCOME_MISSING);
    cr_assert_eq(referral_check("received", "rejected", R, "employed"), REF_OUTCOME_UNKNOWN);
    cr_assert_eq(referral_check("received", "rejected", R, "not_eligible"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "completed", R, NULL), REF_OUTCOME_MISSING);
    cr_assert_eq(referral_check("in_progress", "completed", R, "employed"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "closed", R, "no_contact"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "closed", R, "not_eligible"), REF_OUTCOME_UNKNOWN);
    cr_assert_eq(referral_check("sent", "received", R, "employed"), REF_OUTCOME_NOT_TAKEN);
    cr_assert_eq(referral_check("sent", "withdrawn", S, "other"), REF_OUTCOME_NOT_TAKEN);
    cr_assert_null(referral_outcomes("accepted"));
    cr_assert_not_null(referral_outcomes("closed"));
}

Test(referral_sm, terminal_states_and_hints) {
    const char *const terminal[] = {"rejected", "completed", "closed", "withdrawn", NULL};
    for (const char *const *t = terminal; *t; t++) {
        cr_assert(referral_state_terminal(*t), "%s", *t);
        char buf[64];
        cr_assert_str_empty(referral_next_text(*t, buf, sizeof buf));
        json_t *n = referral_next_json(*t);
        cr_assert_eq(json_array_size(n), 0);
        json_decref(n);
    }
    cr_assert_not(referral_state_terminal(REFERRAL_INITIAL));
    cr_assert(referral_state_terminal("no-such-state"));
    char buf[200];
    cr_assert_str_eq(referral_next_text("received", buf, sizeof buf),
                     "accepted (receiver), rejected (receiver), withdrawn (sender)");
    json_t *n = referral_next_json("sent");
    cr_assert_eq(json_array_size(n), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(n, 1), "by")), "sender");
    json_decref(n);
    char tiny[12]; /* a short buffer truncates, never overflows */
    cr_assert_leq(strlen(referral_next_text("received", tiny, sizeof tiny)), sizeof tiny - 1);
}

Test(referral_sm, types) {
    cr_assert(jx_in("welfare_assessment", referral_types()));
    cr_assert(jx_in("employment_support", referral_types()));
    cr_assert(jx_in("training", referral_types()));
    cr_assert(jx_in("other", referral_types()));
    cr_assert_not(jx_in("housing", referral_types()));
}

/* ---- the domain and the access path, on the test database (SQLite, or PostgreSQL with
 * OPENPES_TEST_PG_ADMIN) ---- */

#include "audit/audit.h"
#include "domain/person.h"
#include "privacy/access.h"
#include "testlib.h"

static store *db;
static char job_a[ID_LEN], job_b[ID_LEN], welfare_w[ID_LEN], ministry[ID_LEN];
static char k_a[ID_LEN], k_b[ID_LEN], wo[ID_LEN], wo2[ID_LEN], analyst[ID_LEN];
static char person[ID_LEN];

static void add_office(char id[ID_LEN], const char *code, const char *kind, const char *region) {
    id_uuid7(id);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO offices (id, code, name, kind, region_code, created_at)"
                            " VALUES (?,?,?,?,?,'2026-01-01T00:00:00.000000Z')",
                            "sssss", id, code, code, kind, region),
                 OP_OK, "%s", e.detail);
}

static void add_staff(char id[ID_LEN], const char *name, const char *role, const char *office) {
    id_uuid7(id);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO accounts (id, username, password_hash, kind, role, office_id, display_name,"
                            " created_at) VALUES (?,?,'x','staff',?,?,?,'2026-01-01T00:00:00.000000Z')",
                            "sssss", id, name, role, office, name),
                 OP_OK, "%s", e.detail);
}

static void sys_ctx(ctx *c) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", NULL, &e), "%s", e.detail);
}


static int64_t count(const char *sql) { return test_count(db, sql); }

static void setup(void) {
    db = test_db_open();
    add_office(job_a, "SEOUL-GANGNAM", "job_centre", "KR-11");
    add_office(job_b, "BUSAN", "job_centre", "KR-26");
    add_office(welfare_w, "SEOUL-WELFARE", "welfare_office", "KR-11");
    add_office(ministry, "MOEL", "ministry", "KR-50");
    add_staff(k_a, "k.a", "counsellor", job_a);
    add_staff(k_b, "k.b", "counsellor", job_b);
    add_staff(wo, "wo", "welfare_officer", welfare_w);
    add_staff(wo2, "wo2", "welfare_officer", welfare_w);
    add_staff(analyst, "an", "analyst", ministry);
    ctx c;
    sys_ctx(&c);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "national_id", "900101-1234567", "given_name", "하은",
                           "family_name", "정", "birth_date", "1990-01-01", "address", "region_code", "KR-11"),
           *out = NULL;
    cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s: %s", c.err.field, c.err.detail);
    snprintf(person, sizeof person, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
    ctx_release(&c);
}

static void teardown(void) { audit_stop(); }

TestSuite(referral, .init = setup, .fini = teardown);

/* The welfare officer (region KR-11) refers the person to job centre A; returns the id. */
static void send(char id[ID_LEN]) {
    ctx c;
    test_staff_ctx(&c, wo, ROLE_WELFARE_OFFICER, welfare_w, "KR-11");
    struct referral_new in = {.to_office = "SEOUL-GANGNAM", .type = "employment_support", .reason = "ready for work"};
    json_t *out = NULL;
    cr_assert_eq(referral_create(&c, person, &in, &out), OP_OK, "%s: %s", c.err.field, c.err.detail);
    snprintf(id, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "sent");
    json_decref(out);
    ctx_release(&c);
}

static op_code decide(ctx *c, enum pd_action act, const char *to_office, access_decision *d) {
    struct access_referral r = {welfare_w, to_office};
    return access_decide_referral(c, act, person, &r, d);
}

Test(referral, access_decisions) {
    access_decision d;
    ctx c;
    /* receiving office: reads and moves; identity and contact only */
    test_staff_ctx(&c, k_a, ROLE_COUNSELLOR, job_a, "KR-11");
    cr_assert_eq(decide(&c, PD_UPDATE, job_a, &d), OP_OK);
    cr_assert(d.allow, "%s", d.reason);
    cr_assert_eq(d.fields, F_IDENTITY | F_CONTACT);
    cr_assert_eq(decide(&c, PD_DELETE, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    /* a purpose the role may use but that does not cover referrals */
    c.purpose = "benefit_administration";
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    cr_assert(strstr(d.reason, "does not cover referrals"), "%s", d.reason);
    ctx_release(&c);
    /* another office: neither reads nor moves; nor may it refer someone it does not serve */
    test_staff_ctx(&c, k_b, ROLE_COUNSELLOR, job_b, "KR-26");
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    cr_assert_eq(access_decide_referral(&c, PD_CREATE, person, NULL, &d), OP_OK);
    cr_assert_not(d.allow);
    ctx_release(&c);
    /* the sender's colleague (same office) acts; the analyst never */
    test_staff_ctx(&c, wo2, ROLE_WELFARE_OFFICER, welfare_w, "KR-11");
    cr_assert_eq(decide(&c, PD_UPDATE, job_a, &d), OP_OK);
    cr_assert(d.allow, "%s", d.reason);
    ctx_release(&c);
    test_staff_ctx(&c, analyst, ROLE_ANALYST, ministry, "KR-50");
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    ctx_release(&c);
    /* the citizen: reads their own, changes nothing; another citizen nothing */
    sys_ctx(&c);
    c.who.type = ACTOR_CITIZEN;
    snprintf(c.who.id, sizeof c.who.id, "citizen-account");
    snprintf(c.who.person_id, sizeof c.who.person_id, "%s", person);
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert(d.allow, "%s", d.reason);
    cr_assert_eq(decide(&c, PD_UPDATE, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    id_uuid7(c.who.person_id);
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    ctx_release(&c);
    /* no such person */
    test_staff_ctx(&c, k_a, ROLE_COUNSELLOR, job_a, "KR-11");
    char ghost[ID_LEN];
    id_uuid7(ghost);
    struct access_referral r = {welfare_w, job_a};
    cr_assert_eq(access_decide_referral(&c, PD_READ, ghost, &r, &d), OP_NOT_FOUND);
    ctx_release(&c);
}

Test(referral, case_member_reads_but_does_not_act) {
    ctx c;
    sys_ctx(&c);
    cr_assert_eq(store_begin(c.db, &c.err), OP_OK);
    cr_assert_eq(case_member_add(&c, person, k_b, "member"), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(c.db, &c.err), OP_OK);
    ctx_release(&c);
    access_decision d;
    test_staff_ctx(&c, k_b, ROLE_COUNSELLOR, job_b, "KR-26");
    cr_assert_eq(decide(&c, PD_READ, job_a, &d), OP_OK);
    cr_assert(d.allow, "%s", d.reason);
    cr_assert_eq(decide(&c, PD_UPDATE, job_a, &d), OP_OK);
    cr_assert_not(d.allow);
    ctx_release(&c);
}

Test(referral, create_and_move_write_row_history_event_and_audit) {
    char id[ID_LEN];
    send(id);
    cr_assert_eq(count("SELECT COUNT(*) FROM referrals WHERE status = 'sent' AND version = 1"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM referral_history"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'referral.updated'"), 1);
    /* the event carries no free text */
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'referral.updated' AND payload LIKE '%ready for work%'"), 0);
    ctx c;
    test_staff_ctx(&c, k_a, ROLE_COUNSELLOR, job_a, "KR-11");
    struct referral_move m = {.to = "received", .version = 1, .has_version = true};
    json_t *out = NULL;
    cr_assert_eq(referral_transition(&c, id, &m, &out), OP_OK, "%s", c.err.detail);
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
    json_decref(out);
    /* the receiver may not withdraw: refused, audited, nothing written */
    struct referral_move w = {.to = "withdrawn"};
    cr_assert_eq(referral_transition(&c, id, &w, &out), OP_FORBIDDEN);
    cr_assert_null(out);
    /* illegal and stale */
    struct referral_move bad = {.to = "completed", .outcome = "employed"};
    cr_assert_eq(referral_transition(&c, id, &bad, &out), OP_CONFLICT);
    cr_assert(strstr(c.err.hint, "accepted (receiver)"), "%s", c.err.hint);
    struct referral_move stale = {.to = "accepted", .version = 1, .has_version = true};
    cr_assert_eq(referral_transition(&c, id, &stale, &out), OP_CONFLICT);
    audit_ticket *t = audit_submit(&c);
    if (t) cr_assert(audit_ticket_wait(t));
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM referrals WHERE status = 'received' AND version = 2"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM referral_history"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'referral.updated'"), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'referral' AND action = 'UPDATE'"
                       " AND outcome = 'deny' AND detail LIKE 'only the sending office%'"),
                 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'referral' AND action = 'CREATE'"
                       " AND outcome = 'allow' AND purpose = 'welfare_referral'"),
                 1);
}

Test(referral, create_validation_writes_nothing) {
    ctx c;
    test_staff_ctx(&c, wo, ROLE_WELFARE_OFFICER, welfare_w, "KR-11");
    json_t *out = NULL;
    struct referral_new bad[] = {
        {.to_office = "SEOUL-GANGNAM", .type = "housing", .reason = "x"},
        {.to_office = "SEOUL-GANGNAM", .type = "training", .reason = " \n "},
        {.to_office = "MOEL", .type = "training", .reason = "x"},
        {.to_office = "SEOUL-WELFARE", .type = "training", .reason = "x"},
        {.to_office = "SEOUL-GANGNAM", .to_agency = "sr", .type = "training", .reason = "x"},
        {.to_agency = "no-such-agency", .type = "training", .reason = "x"},
        {.to_office = "SEOUL-GANGNAM", .type = "training", .reason = "x", .from_office = "BUSAN"},
    };
    const char *fields[] = {"type", "reason", "to_office", "to_office", "to_agency", "to_agency", "from_office"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_neq(referral_create(&c, person, &bad[i], &out), OP_OK, "case %zu", i);
        cr_assert_str_eq(c.err.field, fields[i], "case %zu: %s", i, c.err.detail);
        cr_assert_null(out);
    }
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM referrals"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'referral.updated'"), 0);
}
