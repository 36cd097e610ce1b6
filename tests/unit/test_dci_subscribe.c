/* test_dci_subscribe.c - DCI subscriptions (src/dci/subscribe.c): filters (predicate grammar,
 * people named by UIN stored as keyed hashes, idtype-value), the subscription table's rules, and
 * notification on domain events: matching subscriptions only, the agreement's fields only,
 * audited as the partner, queued for delivery in order per partner and person. */
#include "base/jsonx.h"
#include "dci/member.h"
#include "dci/query.h"
#include "dci/registry.h"
#include "domain/nid.h"
#include "domain/person.h"
#include "sec/fieldcrypt.h"
#include "testlib.h"

#define NID_A "800101-1234567"
#define NID_B "810202-2345678"

static store *db;
static ctx C;
static char pid_a[ID_LEN], pid_b[ID_LEN];

static int64_t count(const char *sql, const char *arg) {
    op_err e = {0};
    store_stmt *st = arg ? store_query(db, &e, sql, "s", arg) : store_query(db, &e, sql, "");
    cr_assert(st, "%s: %s", sql, e.detail);
    int64_t n = store_col_int(st, 0);
    store_reset(st);
    return n;
}

static const char *text(const char *sql, const char *arg) {
    op_err e = {0};
    store_stmt *st = store_query(db, &e, sql, "s", arg);
    cr_assert(st, "%s: %s", sql, e.detail);
    const char *v = arena_strdup(C.a, store_col_text(st, 0));
    store_reset(st);
    return v;
}

/* A sealed column (request, response) of the transaction the query finds: "SELECT correlation_id,
 * <col> ...".  The stored text must be sealed, not the plain JSON. */
static const char *opened(const char *col, const char *sql, const char *arg) {
    op_err e = {0};
    store_stmt *st = store_query(db, &e, sql, "s", arg);
    cr_assert(st, "%s: %s", sql, e.detail);
    const char *corr = arena_strdup(C.a, store_col_text(st, 0)), *raw = arena_strdup(C.a, store_col_text(st, 1));
    store_reset(st);
    cr_assert(raw && strncmp(raw, "v1:", 3) == 0, "%s is stored sealed: %.40s", col, raw);
    const char *plain = dci_txn_open(&C, corr, col, raw);
    cr_assert(plain, "%s opens", col);
    cr_assert_null(dci_txn_open(&C, "another-transaction", col, raw), "bound to its transaction");
    return plain;
}

static void person(const char *nid, const char *given, char out[ID_LEN]) {
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "national_id", nid, "given_name", given, "family_name", "김",
                           "birth_date", "1980-01-01", "address", "line", "테헤란로 1", "region_code", "KR-11"),
           *o;
    op_err e = {0};
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(person_create(&C, in, &o), OP_OK, "%s", C.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    snprintf(out, ID_LEN, "%s", json_string_value(json_object_get(o, "id")));
    json_decref(in);
    json_decref(o);
}

/* partner sr1: may receive member_identifier and employment_status, filter by UIN and region */
static void partner(const char *valid_to) {
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO clients (id, secret_hash, name, scopes, created_at)"
                            " VALUES ('sr1', 'x', 'SR', 'registry.subscribe', '2026-01-01T00:00:00Z')",
                            ""),
                 OP_OK, "%s", e.detail);
    struct dci_partner_new p = {.client_id = "sr1", .sig_mode = "off", .notify_uri = "http://127.0.0.1:9/registry/notify"};
    cr_assert_eq(dci_partner_put(&C, &p), OP_OK, "%s", C.err.detail);
    json_t *purposes = json_pack("[s]", "welfare_referral"), *fields = json_pack("[s, s]", "member_identifier", "employment_status"),
           *attrs = json_pack("[s, s]", "UIN", "region");
    struct dci_agreement_new a = {"sr1", "MoU", "2020-01-01", valid_to, purposes, fields, attrs};
    char id[ID_LEN];
    cr_assert_eq(dci_agreement_add(&C, &a, id), OP_OK, "%s", C.err.detail);
    json_decref(purposes);
    json_decref(fields);
    json_decref(attrs);
}

static void setup(void) {
    db = test_db_open();
    op_err e = {0};
    cr_assert(ctx_init_system(&C, "test", "benefit_administration", &e), "%s", e.detail);
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO offices (id, code, name, kind, region_code, created_at)"
                            " VALUES ('o1', 'SEOUL-01', 'Seoul', 'job_centre', 'KR-11', '2026-01-01T00:00:00.000000Z')",
                            ""),
                 OP_OK, "%s", e.detail);
    person(NID_A, "가나", pid_a);
    person(NID_B, "다라", pid_b);
}
static void teardown(void) { ctx_release(&C); }
TestSuite(dci_subscribe, .init = setup, .fini = teardown);

/* Normalise (as subscribe does) and parse (as notify does) a filter given as JSON text. */
static bool filter(const char *ftype, const char *json, struct dq_query *q, const char **reason, char *why, const char **stored) {
    json_t *f = jx_arena(C.a, json_loads(json, JSON_DECODE_ANY, NULL)), *out;
    const char *t;
    if (!dci_sub_filter_normalise(&C, ftype, f, &t, &out, reason, why, 200)) return false;
    if (stored) *stored = jx_dump(C.a, out);
    cr_assert(dq_parse_filter(C.a, t, out, q, reason, why, 200), "%s", why);
    return true;
}

static const char *hash_of(const char *nid) {
    char norm[NID_MAX], h[65];
    op_err e = {0};
    cr_assert_eq(nid_normalise(NULL, nid, norm, &e), OP_OK);
    fieldcrypt_lookup_hash(norm, h);
    return arena_strdup(C.a, h);
}

Test(dci_subscribe, event_types) {
    cr_assert_str_eq(dci_reg_event_type("employment.started"), "employment_started");
    cr_assert_str_eq(dci_reg_event_type("employment.ended"), "employment_ended");
    cr_assert_str_eq(dci_reg_event_type("registration.changed"), "registration_changed");
    cr_assert_str_eq(dci_reg_event_type("benefit.status_changed"), "benefit_status_changed");
    cr_assert_null(dci_reg_event_type("claim.filed"));
    cr_assert_null(dci_reg_event_type("dci.txn"));
    cr_assert_null(dci_reg_event_type(NULL));
}

Test(dci_subscribe, uin_filters_are_stored_as_hashes_and_match_by_hash) {
    struct dq_query q;
    const char *reason, *stored;
    char why[200];
    const char *vals[DQ_NATTR] = {0};
    cr_assert(filter(NULL, "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\",\"operator\":\"eq\",\"attribute_value\":\"" NID_A "\"}}]", &q,
                     &reason, why, &stored));
    cr_assert_null(strstr(stored, "1234567"), "no national id in the stored filter: %s", stored);
    cr_assert_not_null(strstr(stored, hash_of(NID_A)));
    vals[DQ_UIN] = hash_of(NID_A);
    cr_assert(dq_eval(q.root, vals));
    vals[DQ_UIN] = hash_of(NID_B);
    cr_assert_not(dq_eval(q.root, vals));
    vals[DQ_UIN] = NULL; /* a person without a national id */
    cr_assert_not(dq_eval(q.root, vals));

    /* "in", also with the list in a string, combined with a predicate attribute */
    cr_assert(filter("predicate", "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\",\"operator\":\"in\",\"attribute_value\":\"[\\\"" NID_A "\\\",\\\"" NID_B "\\\"]\"},"
                                  "\"condition\":\"and\",\"expression2\":{\"attribute_name\":\"region\",\"operator\":\"eq\",\"attribute_value\":\"KR-11\"}}]",
                     &q, &reason, why, NULL));
    cr_assert(q.attrs_used & (1u << DQ_UIN));
    cr_assert(q.attrs_used & (1u << DQ_REGION));
    vals[DQ_UIN] = hash_of(NID_B);
    vals[DQ_REGION] = "KR-11";
    cr_assert(dq_eval(q.root, vals));
    vals[DQ_REGION] = "KR-26";
    cr_assert_not(dq_eval(q.root, vals));

    /* idtype-value names one person: OPENPES by id */
    cr_assert(filter("idtype-value", "{\"type\":\"OPENPES\",\"value\":\"p-1\"}", &q, &reason, why, &stored));
    cr_assert_not_null(strstr(stored, "\"expression1\""), "stored as a predicate: %s", stored);
    vals[DQ_OPENPES] = "p-1";
    cr_assert(dq_eval(q.root, vals));
    vals[DQ_OPENPES] = "p-2";
    cr_assert_not(dq_eval(q.root, vals));
}

Test(dci_subscribe, bad_filters_are_item_rejections) {
    struct dq_query q;
    const char *reason;
    char why[200];
    cr_assert_not(filter(NULL, "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\",\"operator\":\"eq\",\"attribute_value\":\"800101-12345\"}}]",
                         &q, &reason, why, NULL));
    cr_assert_str_eq(reason, "rjct.person_id.invalid");
    cr_assert_null(strstr(why, "800101"), "the number is not echoed: %s", why);
    cr_assert_not(filter(NULL, "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\",\"operator\":\"gt\",\"attribute_value\":\"" NID_A "\"}}]", &q,
                         &reason, why, NULL));
    cr_assert_str_eq(reason, "rjct.notify_details.invalid");
    cr_assert(strstr(why, "eq or in"), "%s", why);
    cr_assert_not(filter(NULL, "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"salary\",\"operator\":\"eq\",\"attribute_value\":\"1\"}}]", &q,
                         &reason, why, NULL));
    cr_assert_str_eq(reason, "rjct.notify_details.invalid");
    /* people are named in predicates only: an expression cannot carry an unhashed UIN */
    cr_assert_not(filter("expression", "{\"type\":\"ns:org:QueryType:expression\",\"value\":{\"expression\":{\"UIN\":\"" NID_A "\"}}}", &q, &reason,
                         why, NULL));
    cr_assert_not(filter("graphql", "[]", &q, &reason, why, NULL));
    cr_assert_not(filter(NULL, "null", &q, &reason, why, NULL));
    cr_assert_not(filter("idtype-value", "{\"type\":\"PASSPORT\",\"value\":\"x\"}", &q, &reason, why, NULL));
    /* an expression over predicate attributes is fine */
    cr_assert(filter("expression", "{\"type\":\"ns:org:QueryType:expression\",\"value\":{\"expression\":{\"region\":{\"$in\":[\"KR-11\"]}}}}", &q,
                     &reason, why, NULL));
    /* the search grammar itself does not take UIN as a predicate attribute */
    json_t *crit = jx_arena(C.a, json_loads("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\","
                                            "\"operator\":\"eq\",\"attribute_value\":\"x\"}}]}",
                                            0, NULL));
    cr_assert_not(dq_parse(C.a, crit, &q, &reason, why, sizeof why));
    cr_assert_str_eq(reason, "rjct.filter.invalid");
}

/* A stored subscription of sr1 (what subscribe writes). */
static void sub(const char *code, const char *event_type, const char *nid, const char *status, const char *frequency) {
    struct dq_query q;
    const char *reason, *stored;
    char why[200], f[300];
    snprintf(f, sizeof f, "[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"UIN\",\"operator\":\"eq\",\"attribute_value\":\"%s\"}}]", nid);
    cr_assert(filter(NULL, f, &q, &reason, why, &stored), "%s", why);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO dci_subscriptions (code, client_id, transaction_id, reference_id, correlation_id, event_type,"
                            " purpose, filter_type, filter, notify_record_type, frequency, notify_uri, status, created_at, updated_at)"
                            " VALUES (?, 'sr1', 't1', 'r1', 'c1', ?, 'welfare_referral', 'predicate', ?, 'Member', ?,"
                            " 'http://127.0.0.1:9/cb/notify', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                            "sssss", code, event_type, stored, frequency, status),
                 OP_OK, "%s", e.detail);
}

static void fire(const char *type, const char *person, long long event_id) {
    op_err e = {0};
    json_t *p = json_pack("{s:s}", "person_id", person);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(dci_notify_on_event(&C, event_id, type, person, p), OP_OK, "%s", C.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    json_decref(p);
}

Test(dci_subscribe, subscription_rows_are_checked) {
    op_err e = {0};
    partner(NULL);
    sub("s-ok", "referral_updated", NID_A, "subscribe", NULL); /* produced by src/referral */
    cr_assert_neq(store_exec(db, &e, NULL,
                             "INSERT INTO dci_subscriptions (code, client_id, transaction_id, reference_id, correlation_id, event_type,"
                             " purpose, filter_type, filter, notify_record_type, notify_uri, status, created_at, updated_at)"
                             " VALUES ('s-x', 'sr1', 't', 'r', 'c', 'birth', 'p', 'predicate', '[]', 'Member', 'u', 'subscribe', 'x', 'x')",
                             ""),
                  OP_OK, "unknown event types are refused by the table");
    op_clear(&e);
    cr_assert_neq(store_exec(db, &e, NULL,
                             "INSERT INTO dci_subscriptions (code, client_id, transaction_id, reference_id, correlation_id, event_type,"
                             " purpose, filter_type, filter, notify_record_type, notify_uri, status, created_at, updated_at)"
                             " VALUES ('s-ok', 'sr1', 't', 'r', 'c', 'employment_started', 'p', 'predicate', '[]', 'Member', 'u', 'subscribe', 'x', 'x')",
                             ""),
                  OP_OK, "codes are unique");
}

Test(dci_subscribe, notify_matching_subscriptions_with_agreement_fields) {
    partner(NULL);
    sub("s-a", "employment_started", NID_A, "subscribe", NULL);
    sub("s-b", "employment_started", NID_B, "subscribe", NULL);
    sub("s-reg", "registration_changed", NID_A, "subscribe", NULL);
    sub("s-gone", "employment_started", NID_A, "unsubscribe", NULL);
    sub("s-late", "employment_started", NID_A, "subscribe", "{\"start_time\":\"2020-01-01T00:00:00Z\",\"end_time\":\"2021-01-01T00:00:00Z\"}");
    fire("employment.started", pid_a, 42);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 1,
                 "only s-a: s-b filters another person, s-reg another event, s-gone is unsubscribed, s-late has ended");
    const char *resp = opened("response", "SELECT correlation_id, response FROM dci_transactions WHERE action = 'notify' AND sender_id = ?", "sr1");
    json_t *m = jx_arena(C.a, json_loads(resp, 0, NULL));
    json_t *ev = json_array_get(json_object_get(m, "notify_event"), 0), *data = json_object_get(ev, "data");
    cr_assert_str_eq(json_string_value(json_object_get(ev, "reference_id")), "evt-42");
    cr_assert_str_eq(json_string_value(json_object_get(data, "subscription_code")), "s-a");
    cr_assert_str_eq(json_string_value(json_object_get(data, "reg_event_type")), "employment_started");
    json_t *rec = json_array_get(json_object_get(data, "reg_records"), 0);
    cr_assert_eq(json_object_size(rec), 3, "only @type and the agreement's fields: %s", resp);
    cr_assert_str_eq(json_string_value(json_object_get(rec, "employment_status")), "inactive");
    json_t *uin = json_array_get(json_object_get(rec, "member_identifier"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(uin, "identifier_type")), "UIN");
    cr_assert_str_eq(json_string_value(json_object_get(uin, "identifier_value")), "8001011234567");
    /* delivery: to the subscription's URI, through the async path, ordered per partner and person */
    const char *subject = arena_printf(C.a, "dci.notify:sr1:%s", pid_a);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'dci.txn' AND subject = ?", subject), 1);
    cr_assert_str_eq(text("SELECT callback_state || ' ' || sender_uri FROM dci_transactions WHERE action = ?", "notify"),
                     "pending http://127.0.0.1:9/cb/notify");
    /* the disclosure is audited as the partner under the agreement */
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_pending WHERE actor_id = 'sr1' AND action = 'READ' AND resource_type = 'person'"
                       " AND outcome = 'allow' AND legal_basis = 'MoU' AND person_id = ?",
                       pid_a),
                 1);
    /* a second event of the same person queues behind the first */
    fire("registration.changed", pid_a, 43);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'dci.txn' AND subject = ?", subject), 2);
    cr_assert_str_eq(opened("request", "SELECT correlation_id, request FROM dci_transactions WHERE action = 'notify' AND sender_id = ?"
                            " ORDER BY created_at DESC LIMIT 1", "sr1"),
                     arena_printf(C.a, "{\"subscription_code\":\"s-reg\",\"reg_event_type\":\"registration_changed\",\"person_id\":\"%s\",\"event_id\":43}", pid_a));
    /* events nobody can subscribe to do nothing */
    fire("claim.filed", pid_a, 44);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 2);
}

Test(dci_subscribe, agreement_out_of_force_withholds_notify) {
    partner("2021-12-31");
    sub("s-a", "employment_started", NID_A, "subscribe", NULL);
    fire("employment.started", pid_a, 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'dci.txn'", NULL), 0);
    cr_assert_not_null(C.audit_wait, "the refusal is queued for the audit log");
}

static void claim(const char *id, const char *person_id, const char *status, const char *created) {
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO ei_claims (id, person_id, country, status, separation_date, separation_reason, report_date,"
                            " eligible, daily_amount, prescribed_days, payable_days, claimant_category, decision, filed_by,"
                            " created_at, updated_at) VALUES (?, ?, 'KR', ?, '2025-01-01', 'dismissal', '2025-01-02', 1, 60000,"
                            " 120, 120, 'general', '{}', 'test', ?, ?)",
                            "sssss", id, person_id, status, created, created),
                 OP_OK, "%s", e.detail);
}

static struct dci_member_row load_member(const char *person_id) {
    struct dci_member_row r;
    memset(&r, 0, sizeof r);
    store_stmt *st = store_prepare(db, arena_printf(C.a, "%s WHERE p.id = ?", DCI_MEMBER_SELECT), &C.err);
    cr_assert(st, "%s", C.err.detail);
    store_bind_text(st, 1, person_id);
    cr_assert_eq(store_step(st, &C.err), STORE_ROW, "%s", C.err.detail);
    dci_member_read(C.a, st, &r);
    store_reset(st);
    return r;
}

/* benefit_status comes from the latest employment-insurance claim, read in the member query
 * itself, and queries filter on the same value. */
Test(dci_subscribe, benefit_status_from_latest_claim) {
    claim("c-old", pid_a, "closed", "2025-01-02T00:00:00.000000Z");
    claim("c-new", pid_a, "suspended", "2026-03-01T00:00:00.000000Z");
    struct dci_member_row a = load_member(pid_a), b = load_member(pid_b);
    cr_assert_str_eq(a.claim_status, "suspended");
    cr_assert_null(b.claim_status);
    const char *va[DQ_NATTR], *vb[DQ_NATTR];
    dci_member_values(C.a, &a, va);
    dci_member_values(C.a, &b, vb);
    cr_assert_str_eq(va[DQ_BENEFIT_STATUS], "suspended");
    cr_assert_str_eq(vb[DQ_BENEFIT_STATUS], "none");
    json_t *m = jx_arena(C.a, dci_member_build(C.a, &a, NULL));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "additional_attributes"), "benefit_status")), "suspended");
    json_t *crit = jx_arena(C.a, json_loads("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":"
                                            "{\"attribute_name\":\"benefit_status\",\"operator\":\"eq\",\"attribute_value\":\"suspended\"}}]}",
                                            0, NULL));
    struct dq_query q;
    const char *reason;
    char why[200];
    cr_assert(dq_parse(C.a, crit, &q, &reason, why, sizeof why), "%s", why);
    cr_assert(dq_eval(q.root, va));
    cr_assert_not(dq_eval(q.root, vb));
    cr_assert_str_eq(dci_benefit_status("exhausted"), "exhausted");
    cr_assert_str_eq(dci_benefit_status("rejected"), "rejected");
    cr_assert_str_eq(dci_benefit_status(NULL), "none");
    cr_assert_str_eq(dci_benefit_status("bogus"), "none");
}

/* The EI module's benefit.status_changed reaches benefit_status_changed subscribers. */
Test(dci_subscribe, benefit_status_changed_notifies) {
    partner(NULL);
    sub("s-ben", "benefit_status_changed", NID_A, "subscribe", NULL);
    sub("s-emp", "employment_started", NID_A, "subscribe", NULL);
    claim("c-1", pid_a, "active", "2026-03-01T00:00:00.000000Z");
    fire("benefit.status_changed", pid_a, 77);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 1);
    const char *resp = opened("response", "SELECT correlation_id, response FROM dci_transactions WHERE action = 'notify' AND sender_id = ?", "sr1");
    json_t *m = jx_arena(C.a, json_loads(resp, 0, NULL));
    json_t *data = json_object_get(json_array_get(json_object_get(m, "notify_event"), 0), "data");
    cr_assert_str_eq(json_string_value(json_object_get(data, "subscription_code")), "s-ben");
    cr_assert_str_eq(json_string_value(json_object_get(data, "reg_event_type")), "benefit_status_changed");
}

/* Digest delivery (digest.c): items wait in their period; a period closed meanwhile sends a later
 * item to the next one; closing a due period stores one notify with the items in event order,
 * deletes them, and queues delivery on the subscription's subject. */
Test(dci_subscribe, digest_periods_collect_and_close) {
    partner(NULL);
    const char *freq = "{\"frequency\":\"0 0 0 1 1 ?\"}"; /* every 1 January: far enough */
    sub("s-dig", "employment_started", NID_A, "subscribe", freq);
    sub("s-dig2", "registration_changed", NID_B, "subscribe", "{\"frequency\":\"* * * * * ?\"}"); /* wildcards: real time */
    fire("employment.started", pid_a, 50);
    fire("employment.started", pid_a, 51);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 0, "nothing sent before the period ends");
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_digests WHERE subscription_code = ? AND state = 'open' AND events = 2", "s-dig"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_digest_items WHERE item LIKE 'v1:%'", NULL), 2, "items are sealed");
    const char *corr = text("SELECT correlation_id FROM dci_digests WHERE subscription_code = ?", "s-dig");
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_pending WHERE actor_id = 'sr1' AND action = 'READ' AND correlation_id = ?", corr), 2,
                 "the disclosures carry the digest's correlation id");
    fire("registration.changed", pid_b, 52);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify'", NULL), 1, "all wildcards: real time");
    /* the period is due: closed into one notify */
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL, "UPDATE dci_digests SET due_at = '2020-01-01T00:00:00.000000Z'", ""), OP_OK);
    cr_assert_eq(dci_digest_due(&C), 1, "%s", C.err.detail);
    cr_assert_eq(dci_digest_due(&C), 0, "closed once");
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_digest_items", NULL), 0, "the items are gone");
    const char *resp = opened("response", "SELECT correlation_id, response FROM dci_transactions WHERE correlation_id = ?", corr);
    json_t *m = jx_arena(C.a, json_loads(resp, 0, NULL)), *evs = json_object_get(m, "notify_event");
    cr_assert_eq(json_array_size(evs), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(evs, 0), "reference_id")), "evt-50");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(evs, 1), "reference_id")), "evt-51");
    cr_assert_str_eq(json_string_value(json_object_get(m, "correlation_id")), corr);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'dci.txn' AND subject = 'dci.notify:sr1:s-dig'", NULL), 1);
    cr_assert_eq(count("SELECT total_count FROM dci_transactions WHERE correlation_id = ?", corr), 2);
    /* a new event opens a new period */
    fire("employment.started", pid_a, 53);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_digests WHERE subscription_code = ? AND state = 'open'", "s-dig"), 1);
    /* an open period closed by another process before the item joins it: the item goes to the next */
    const char *open1 = text("SELECT due_at FROM dci_digests WHERE state = 'open' AND subscription_code = ?", "s-dig");
    cr_assert_eq(store_exec(db, &e, NULL, "UPDATE dci_digests SET state = 'closed' WHERE state = 'open'", ""), OP_OK);
    fire("employment.started", pid_a, 54);
    const char *open2 = text("SELECT due_at FROM dci_digests WHERE state = 'open' AND subscription_code = ?", "s-dig");
    cr_assert_gt(strcmp(open2, open1), 0, "the next period: %s after %s", open2, open1);
    cr_assert_eq(count("SELECT COUNT(*) FROM dci_digest_items i JOIN dci_digests d ON d.correlation_id = i.correlation_id"
                       " WHERE d.state = 'open' AND i.event_id = 54", NULL), 1);
}
