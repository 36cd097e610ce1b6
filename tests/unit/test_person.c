/* test_person.c - the person domain: create/get/update/search, validation, field masks, the
 * access path (refusals audited), optimistic concurrency, registrations and case teams. */
#include "audit/audit.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "testlib.h"

#define NID "900101-1234567"

static store *db;
static char office_a[ID_LEN], office_b[ID_LEN], welfare_office[ID_LEN];


static void add_office(char id[ID_LEN], const char *code, const char *kind, const char *region) {
    id_uuid7(id);
    op_err e = {0};
    cr_assert_eq(store_exec(db, &e, NULL,
                            "INSERT INTO offices (id, code, name, name_ko, kind, region_code, created_at)"
                            " VALUES (?,?,?,?,?,?,'2026-01-01T00:00:00.000000Z')",
                            "ssssss", id, code, code, "사무소", kind, region),
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

static void setup(void) {
    db = test_db_open();
    add_office(office_a, "SEOUL-GANGNAM", "job_centre", "KR-11");
    add_office(office_b, "BUSAN-CENTRAL", "job_centre", "KR-26");
    add_office(welfare_office, "SEOUL-WELFARE", "welfare_office", "KR-11");
}

static void teardown(void) { audit_stop(); }

TestSuite(person, .init = setup, .fini = teardown);

static void sys_ctx(ctx *c) {
    op_err e = {0};
    cr_assert(ctx_init_system(c, "test", NULL, &e), "%s", e.detail);
}


static void citizen_ctx(ctx *c, const char *account_id, const char *person_id) {
    sys_ctx(c);
    c->who.type = ACTOR_CITIZEN;
    snprintf(c->who.id, sizeof c->who.id, "%s", account_id);
    snprintf(c->who.person_id, sizeof c->who.person_id, "%s", person_id ? person_id : "");
}

static json_t *parse(const char *s) {
    json_error_t je;
    json_t *v = json_loads(s, 0, &je);
    cr_assert(v, "bad test JSON: %s: %s", je.text, s);
    return v;
}

static const char *FULL =
    "{\"national_id\":\"" NID "\",\"given_name\":\"민준\",\"family_name\":\"김\",\"birth_date\":\"1990-01-01\","
    "\"sex\":\"male\",\"nationality\":\"KR\",\"contact\":{\"email\":\"mj@example.kr\",\"phone\":\"+82 10-1234-5678\"},"
    "\"address\":{\"line\":\"테헤란로 1\",\"postal_code\":\"06236\",\"region_code\":\"KR-11\"},"
    "\"education\":{\"level\":\"bachelor\",\"major\":\"Computer Science\"},"
    "\"qualifications\":[{\"name\":\"정보처리기사\",\"issuer\":\"HRDK\",\"obtained_on\":\"2015-02-01\"}],"
    "\"work_history\":[{\"employer\":\"ACME\",\"occupation\":\"2512\",\"title\":\"Developer\","
    "\"start_date\":\"2015-03-01\",\"end_date\":\"2024-12-31\"}],"
    "\"skills\":[\"C\",\"SQL\"],"
    "\"preferences\":{\"occupations\":[\"2512\"],\"regions\":[\"KR-11\"],\"salary_min\":3000000,"
    "\"salary_period\":\"month\",\"hours_per_week_max\":40},\"disability\":true}";

/* Create FULL (with an optional different national id) as the system; returns the id. */
static void create_full(const char *nid, char id[ID_LEN]) {
    ctx c;
    sys_ctx(&c);
    json_t *in = parse(FULL), *out = NULL;
    if (nid) json_object_set_new(in, "national_id", json_string(nid));
    cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s: %s", c.err.field, c.err.detail);
    snprintf(id, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
    ctx_release(&c);
}

static int64_t count(const char *sql, const char *arg) {
    op_err e = {0};
    store_stmt *st = store_query(db, &e, sql, arg ? "s" : "", arg);
    cr_assert(st, "%s: %s", sql, e.detail);
    int64_t n = store_col_int(st, 0);
    store_reset(st);
    return n;
}

/* Flush the context's queued audit records (reads, refusals) like the dispatcher does. */
static void flush_audit(ctx *c) {
    audit_ticket *t = audit_submit(c);
    if (t) cr_assert(audit_ticket_wait(t));
}

Test(person, create_get_update_as_system) {
    ctx c;
    sys_ctx(&c);
    json_t *in = parse(FULL), *out = NULL;
    cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s: %s", c.err.field, c.err.detail);
    const char *id = json_string_value(json_object_get(out, "id"));
    cr_assert(id_is_uuid(id));
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(out, "national_id_masked")), "900101-1******");
    cr_assert_null(json_object_get(out, "national_id"));
    cr_assert_str_eq(json_string_value(json_object_get(out, "given_name")), "민준");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "address"), "region_code")), "KR-11");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(out, "preferences"), "salary_min")), 3000000);
    cr_assert(json_is_true(json_object_get(out, "disability")));
    cr_assert(json_is_null(json_object_get(out, "registration")));
    char *dump = json_dumps(out, 0);
    cr_assert_null(strstr(dump, "1234567"), "no national id in the response");
    free(dump);
    char pid[ID_LEN];
    snprintf(pid, sizeof pid, "%s", id);
    json_decref(out);

    /* Stored encrypted, hashed, with the search key. */
    op_err e = {0};
    store_stmt *st = store_query(db, &e, "SELECT nid_enc, nid_hash, name_key, profile FROM persons WHERE id = ?", "s", pid);
    cr_assert(st);
    cr_assert(strncmp(store_col_text(st, 0), "v1:", 3) == 0);
    cr_assert_null(strstr(store_col_text(st, 0), "9001011234567"));
    cr_assert_eq(strlen(store_col_text(st, 1)), 64);
    cr_assert_str_eq(store_col_text(st, 2), "김 민준");
    cr_assert(strstr(store_col_text(st, 3), "\"work_history\""));
    store_reset(st);

    /* Event without personal values. */
    st = store_query(db, &e, "SELECT payload FROM events WHERE type = 'person.created' AND subject = ?", "s", pid);
    cr_assert(st, "person.created emitted");
    cr_assert(strstr(store_col_text(st, 0), pid));
    cr_assert_null(strstr(store_col_text(st, 0), "민준"));
    cr_assert_null(strstr(store_col_text(st, 0), "1234567"));
    store_reset(st);

    cr_assert_eq(person_get(&c, pid, &out), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "contact"), "email")), "mj@example.kr");
    json_decref(out);

    /* Merge patch: nested object merges, null clears, lists replace. */
    json_t *patch = parse("{\"version\":1,\"contact\":{\"phone\":null},\"skills\":[\"Go\"],\"education\":{\"major\":\"Math\"}}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_OK, "%s: %s", c.err.field, c.err.detail);
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
    json_t *contact = json_object_get(out, "contact");
    cr_assert_str_eq(json_string_value(json_object_get(contact, "email")), "mj@example.kr");
    cr_assert(json_is_null(json_object_get(contact, "phone")));
    cr_assert_eq(json_array_size(json_object_get(out, "skills")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "education"), "level")), "bachelor");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "education"), "major")), "Math");
    json_decref(out);
    json_decref(patch);
    st = store_query(db, &e, "SELECT payload FROM events WHERE type = 'person.updated' AND subject = ?", "s", pid);
    cr_assert(st, "person.updated emitted");
    cr_assert(strstr(store_col_text(st, 0), "\"contact\""), "%s", store_col_text(st, 0));
    cr_assert(strstr(store_col_text(st, 0), "\"skills\""));
    cr_assert(strstr(store_col_text(st, 0), "\"education\""));
    cr_assert_null(strstr(store_col_text(st, 0), "\"identity\""));
    cr_assert_null(strstr(store_col_text(st, 0), "Math"));
    store_reset(st);

    /* An update that changes nothing keeps the version and emits nothing. */
    patch = parse("{\"skills\":[\"Go\"]}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'person.updated' AND subject = ?", pid), 1);
    json_decref(out);
    json_decref(patch);

    /* Correcting the national id re-encrypts and re-hashes it. */
    patch = parse("{\"national_id\":\"9001011234568\"}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(out, "national_id_masked")), "900101-1******");
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 3);
    json_decref(out);
    json_decref(patch);
    struct person_query q = {.national_id = "900101-1234568"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 1);
    json_decref(out);
    json_decref(in);
    ctx_release(&c);
}

struct bad_case {
    const char *patch; /* merged into FULL; "DEL:key" removes key */
    op_code want;
    const char *field;
};

Test(person, create_validation) {
    static const struct bad_case cases[] = {
        {"{\"nickname\":\"x\"}", OP_UNKNOWN_FIELD, "nickname"},
        {"{\"contact\":{\"fax\":\"1\"}}", OP_UNKNOWN_FIELD, "contact.fax"},
        {"{\"work_history\":[{\"employer\":\"A\",\"salary\":1}]}", OP_UNKNOWN_FIELD, "work_history[0].salary"},
        {"{\"preferences\":{\"remote\":true}}", OP_UNKNOWN_FIELD, "preferences.remote"},
        {"{\"given_name\":5}", OP_VALIDATION, "given_name"},
        {"{\"given_name\":\"   \"}", OP_VALIDATION, "given_name"},
        {"{\"given_name\":\"a\\u0001b\"}", OP_VALIDATION, "given_name"},
        {"DEL:family_name", OP_VALIDATION, "family_name"},
        {"DEL:birth_date", OP_VALIDATION, "birth_date"},
        {"DEL:national_id", OP_VALIDATION, "national_id"},
        {"{\"birth_date\":\"2999-01-01\"}", OP_VALIDATION, "birth_date"},
        {"{\"birth_date\":\"1990-02-30\"}", OP_VALIDATION, "birth_date"},
        {"{\"birth_date\":\"01/01/1990\"}", OP_VALIDATION, "birth_date"},
        {"{\"sex\":\"m\"}", OP_VALIDATION, "sex"},
        {"{\"nationality\":\"kr\"}", OP_VALIDATION, "nationality"},
        {"{\"contact\":{\"email\":\"not-an-email\"}}", OP_VALIDATION, "contact.email"},
        {"{\"contact\":{\"phone\":\"call me\"}}", OP_VALIDATION, "contact.phone"},
        {"{\"contact\":\"x\"}", OP_VALIDATION, "contact"},
        {"{\"address\":{\"region_code\":\"Seoul\"}}", OP_VALIDATION, "address.region_code"},
        {"{\"address\":{\"region_code\":\"KR-1234\"}}", OP_VALIDATION, "address.region_code"},
        {"{\"address\":{\"region_code\":\"kr-11\"}}", OP_VALIDATION, "address.region_code"},
        {"{\"education\":{\"level\":\"phd\"}}", OP_VALIDATION, "education.level"},
        {"{\"work_history\":[{\"employer\":\"A\",\"occupation\":\"9999\"}]}", OP_VALIDATION, "work_history[0].occupation"},
        {"{\"work_history\":[{\"employer\":\"A\",\"occupation\":\"251\"}]}", OP_VALIDATION, "work_history[0].occupation"},
        {"{\"work_history\":[{\"employer\":\"A\",\"start_date\":\"2020-01-01\",\"end_date\":\"2019-01-01\"}]}",
         OP_VALIDATION, "work_history[0].end_date"},
        {"{\"work_history\":[{\"title\":\"x\"}]}", OP_VALIDATION, "work_history[0].employer"},
        {"{\"work_history\":[5]}", OP_VALIDATION, "work_history[0]"},
        {"{\"qualifications\":{\"name\":\"x\"}}", OP_VALIDATION, "qualifications"},
        {"{\"qualifications\":[{\"name\":\"x\",\"obtained_on\":\"2999-01-01\"}]}", OP_VALIDATION,
         "qualifications[0].obtained_on"},
        {"{\"skills\":[\"ok\", 3]}", OP_VALIDATION, "skills[1]"},
        {"{\"skills\":[\"\"]}", OP_VALIDATION, "skills[0]"},
        {"{\"preferences\":{\"occupations\":[\"2512\",\"0000\"]}}", OP_VALIDATION, "preferences.occupations[1]"},
        {"{\"preferences\":{\"regions\":[\"KR_11\"]}}", OP_VALIDATION, "preferences.regions[0]"},
        {"{\"preferences\":{\"salary_min\":-1,\"salary_period\":\"month\"}}", OP_VALIDATION, "preferences.salary_min"},
        {"{\"preferences\":{\"salary_min\":1.5,\"salary_period\":\"month\"}}", OP_VALIDATION, "preferences.salary_min"},
        {"{\"preferences\":{\"salary_min\":100}}", OP_VALIDATION, "preferences.salary_period"},
        {"{\"preferences\":{\"salary_min\":100,\"salary_period\":\"week\"}}", OP_VALIDATION, "preferences.salary_period"},
        {"{\"preferences\":{\"hours_per_week_max\":200}}", OP_VALIDATION, "preferences.hours_per_week_max"},
        {"{\"disability\":\"yes\"}", OP_VALIDATION, "disability"},
        {"{\"id\":\"0190a000-0000-7000-8000-000000000000\"}", OP_VALIDATION, "id"},
        {"{\"version\":3}", OP_VALIDATION, "version"},
        {"{\"national_id\":\"900101-1234\"}", OP_INVALID_NATIONAL_ID, "national_id"},
        {"{\"national_id\":\"901301-1234567\"}", OP_INVALID_NATIONAL_ID, "national_id"},
        {"{\"national_id\":\"\"}", OP_INVALID_NATIONAL_ID, "national_id"},
        {"{\"national_id\":9001011234567}", OP_VALIDATION, "national_id"},
        {NULL, 0, NULL},
    };
    for (const struct bad_case *t = cases; t->patch; t++) {
        ctx c;
        sys_ctx(&c);
        json_t *in = parse(FULL), *out = NULL;
        if (strncmp(t->patch, "DEL:", 4) == 0) {
            json_object_del(in, t->patch + 4);
        } else {
            json_t *p = parse(t->patch);
            json_object_update(in, p);
            json_decref(p);
        }
        op_code rc = person_create(&c, in, &out);
        cr_assert_eq(rc, t->want, "%s: got %s (%s)", t->patch, op_code_str(rc), c.err.detail);
        cr_assert_str_eq(c.err.field, t->field, "%s: field %s (%s)", t->patch, c.err.field, c.err.detail);
        cr_assert_null(out);
        cr_assert_null(strstr(c.err.detail, "1234567"), "%s", c.err.detail);
        json_decref(in);
        ctx_release(&c);
    }
    /* Lists are bounded. */
    ctx c;
    sys_ctx(&c);
    json_t *in = parse(FULL), *skills = json_array(), *out = NULL;
    for (int i = 0; i < 51; i++) json_array_append_new(skills, json_sprintf("skill %d", i));
    json_object_set_new(in, "skills", skills);
    cr_assert_eq(person_create(&c, in, &out), OP_VALIDATION);
    cr_assert_str_eq(c.err.field, "skills");
    json_decref(in);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons", NULL), 0, "nothing was stored");
}

Test(person, duplicate_national_id) {
    char id[ID_LEN];
    create_full(NULL, id);
    ctx c;
    sys_ctx(&c);
    json_t *in = parse(FULL), *out = NULL;
    json_object_set_new(in, "national_id", json_string("9001011234567")); /* same number, unhyphenated */
    json_object_set_new(in, "given_name", json_string("Other"));
    cr_assert_eq(person_create(&c, in, &out), OP_DUPLICATE);
    cr_assert_null(strstr(c.err.detail, id), "the existing id is not disclosed");
    cr_assert_eq(count("SELECT COUNT(*) FROM persons", NULL), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'person.created'", NULL), 1);
    json_decref(in);
    /* Changing another record's national id to a taken one is refused as well. */
    char id2[ID_LEN];
    create_full("850505-2345678", id2);
    json_t *patch = parse("{\"national_id\":\"" NID "\"}");
    cr_assert_eq(person_update(&c, id2, patch, &out), OP_DUPLICATE);
    json_decref(patch);
    ctx_release(&c);
}

Test(person, welfare_officer_field_mask) {
    char pid[ID_LEN], wo[ID_LEN];
    create_full(NULL, pid);
    add_staff(wo, "welfare1", "welfare_officer", welfare_office);
    ctx c;
    test_staff_ctx(&c, wo, ROLE_WELFARE_OFFICER, welfare_office, "KR-11");
    json_t *out = NULL;
    cr_assert_eq(person_get(&c, pid, &out), OP_OK, "%s", c.err.detail);
    for (const char *const *k = (const char *const[]){"id", "version", "national_id_masked", "given_name",
                                                       "birth_date", "contact", "address", "registration", NULL};
         *k; k++)
        cr_assert(json_object_get(out, *k), "welfare officer sees %s", *k);
    for (const char *const *k = (const char *const[]){"education", "qualifications", "work_history", "skills",
                                                       "preferences", "disability", "national_id", NULL};
         *k; k++)
        cr_assert_null(json_object_get(out, *k), "welfare officer does not see %s", *k);
    json_decref(out);
    /* Not on the case team: may not change the record. */
    json_t *patch = parse("{\"contact\":{\"phone\":\"010-1111-2222\"}}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_FORBIDDEN);
    json_decref(patch);
    flush_audit(&c);
    ctx_release(&c);
    /* On the case team: sees education and disability, and may update contact... */
    ctx s;
    sys_ctx(&s);
    cr_assert_eq(case_member_add(&s, pid, wo, "welfare_officer"), OP_OK, "%s", s.err.detail);
    ctx_release(&s);
    test_staff_ctx(&c, wo, ROLE_WELFARE_OFFICER, welfare_office, "KR-11");
    cr_assert_eq(person_get(&c, pid, &out), OP_OK);
    cr_assert(json_object_get(out, "disability"));
    cr_assert(json_object_get(out, "education"));
    cr_assert_null(json_object_get(out, "work_history"));
    json_decref(out);
    patch = parse("{\"contact\":{\"phone\":\"010-1111-2222\"}}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(patch);
    /* ...but not a group outside the mask; the refusal is audited. */
    patch = parse("{\"work_history\":[]}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_FORBIDDEN);
    cr_assert(strstr(c.err.detail, "work_history"), "%s", c.err.detail);
    json_decref(patch);
    flush_audit(&c);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'deny' AND action = 'UPDATE' AND person_id = ?",
                       pid),
                 2);
}

Test(person, other_office_counsellor_refused_and_audited) {
    char pid[ID_LEN], ka[ID_LEN], kb[ID_LEN];
    create_full(NULL, pid);
    add_staff(ka, "couns_a", "counsellor", office_a);
    add_staff(kb, "couns_b", "counsellor", office_b);
    /* Register the person at office A. */
    ctx c;
    test_staff_ctx(&c, ka, ROLE_COUNSELLOR, office_a, "KR-11");
    json_t *body = parse("{\"office\":\"SEOUL-GANGNAM\"}"), *out = NULL;
    json_object_set_new(body, "counsellor_id", json_string(ka));
    cr_assert_eq(jobseeker_register(&c, pid, body, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(body);
    /* Assigned counsellor sees disability. */
    cr_assert_eq(person_get(&c, pid, &out), OP_OK);
    cr_assert(json_object_get(out, "disability"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "registration"), "status")), "active");
    json_decref(out);
    flush_audit(&c);
    ctx_release(&c);

    test_staff_ctx(&c, kb, ROLE_COUNSELLOR, office_b, "KR-26");
    cr_assert_eq(person_get(&c, pid, &out), OP_FORBIDDEN);
    cr_assert_null(out);
    cr_assert_eq(c.err.code, OP_FORBIDDEN);
    json_t *patch = parse("{\"skills\":[]}");
    cr_assert_eq(person_update(&c, pid, patch, &out), OP_FORBIDDEN);
    json_decref(patch);
    cr_assert_eq(jobseeker_get(&c, pid, &out), OP_FORBIDDEN);
    /* A search by national id does not reveal the person and audits the refusal. */
    struct person_query q = {.national_id = NID};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 0);
    json_decref(out);
    flush_audit(&c);
    ctx_release(&c);

    op_err e = {0};
    store_stmt *st = store_query(db, &e,
                                 "SELECT action, actor_role, actor_office, detail FROM audit_log"
                                 " WHERE person_id = ? AND actor_id = ? AND outcome = 'deny' ORDER BY seq",
                                 "ss", pid, kb);
    cr_assert(st, "the refusal is in audit_log");
    cr_assert_str_eq(store_col_text(st, 0), "READ");
    cr_assert_str_eq(store_col_text(st, 1), "counsellor");
    cr_assert_str_eq(store_col_text(st, 2), office_b);
    cr_assert(strstr(store_col_text(st, 3), "another office"), "%s", store_col_text(st, 3));
    store_reset(st);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'deny' AND person_id = ?", pid), 4,
                 "read, update, registration read and search refusals");
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'allow' AND action = 'SEARCH'", NULL), 0);
    int64_t n = 0;
    cr_assert_eq(audit_verify(db, &n, &e), OP_OK, "%s", e.detail);

    /* A supervisor of office A puts counsellor B on the case team: B gets access. */
    char sup[ID_LEN];
    add_staff(sup, "sup_a", "supervisor", office_a);
    test_staff_ctx(&c, sup, ROLE_SUPERVISOR, office_a, "KR-11");
    cr_assert_eq(case_member_add(&c, pid, kb, "member"), OP_OK, "%s", c.err.detail);
    cr_assert_eq(case_member_add(&c, pid, kb, "boss"), OP_VALIDATION);
    cr_assert_eq(case_member_add(&c, pid, "not-a-uuid", "member"), OP_VALIDATION);
    ctx_release(&c);
    test_staff_ctx(&c, kb, ROLE_COUNSELLOR, office_b, "KR-26");
    cr_assert_eq(person_get(&c, pid, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    /* A counsellor may not change case teams. */
    cr_assert_eq(case_member_add(&c, pid, kb, "member"), OP_FORBIDDEN);
    ctx_release(&c);
}

Test(person, version_conflict) {
    char pid[ID_LEN];
    create_full(NULL, pid);
    ctx c;
    sys_ctx(&c);
    json_t *p1 = parse("{\"version\":1,\"sex\":\"unknown\"}"), *p2 = parse("{\"version\":1,\"sex\":\"other\"}"), *out = NULL;
    cr_assert_eq(person_update(&c, pid, p1, &out), OP_OK);
    json_decref(out);
    out = NULL;
    cr_assert_eq(person_update(&c, pid, p2, &out), OP_CONFLICT);
    cr_assert_null(out);
    cr_assert_eq(person_get(&c, pid, &out), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(out, "sex")), "unknown");
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
    json_decref(out);
    json_decref(p1);
    json_decref(p2);
    /* Malformed ids and missing people are not found. */
    cr_assert_eq(person_get(&c, "../etc/passwd", &out), OP_NOT_FOUND);
    cr_assert_eq(person_get(&c, "0190a000-0000-7000-8000-000000000000", &out), OP_NOT_FOUND);
    /* Update validation: required fields cannot be cleared, unknown fields named. */
    json_t *bad = parse("{\"given_name\":null}");
    cr_assert_eq(person_update(&c, pid, bad, &out), OP_VALIDATION);
    cr_assert_str_eq(c.err.field, "given_name");
    json_decref(bad);
    bad = parse("{\"address\":{\"street\":\"x\"}}");
    cr_assert_eq(person_update(&c, pid, bad, &out), OP_UNKNOWN_FIELD);
    cr_assert_str_eq(c.err.field, "address.street");
    json_decref(bad);
    bad = parse("{\"national_id\":null}");
    cr_assert_eq(person_update(&c, pid, bad, &out), OP_INVALID_NATIONAL_ID);
    json_decref(bad);
    ctx_release(&c);
}

Test(person, search_by_name_and_national_id) {
    char p1[ID_LEN], p2[ID_LEN], p3[ID_LEN];
    create_full(NULL, p1);
    create_full("920202-2345678", p2); /* same name, same birth date in FULL */
    ctx c;
    sys_ctx(&c);
    json_t *in = parse(FULL), *out = NULL;
    json_object_set_new(in, "national_id", json_string("750505-1345678"));
    json_object_set_new(in, "family_name", json_string("Park"));
    json_object_set_new(in, "given_name", json_string("Ji_Hoon"));
    json_object_set_new(in, "birth_date", json_string("1975-05-05"));
    cr_assert_eq(person_create(&c, in, &out), OP_OK);
    snprintf(p3, sizeof p3, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(in);

    struct person_query q = {.name = "김 민준"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK, "%s", c.err.detail);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 2);
    json_decref(out);
    q = (struct person_query){.name = "park", .birth_date = "1975-05-05"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "items"), 0), "id")), p3);
    json_decref(out);
    q = (struct person_query){.name = "PARK  ji_hoon"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 1);
    json_decref(out);
    q = (struct person_query){.name = "ji%"}; /* LIKE wildcards are literal */
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 0);
    json_decref(out);
    q = (struct person_query){.name = "park", .birth_date = "1975-05-06"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 0);
    json_decref(out);
    q = (struct person_query){.name = "김", .limit = 1};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 1);
    json_decref(out);
    q = (struct person_query){.national_id = "920202-2345678"};
    cr_assert_eq(person_search(&c, &q, &out), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(out, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "items"), 0), "id")), p2);
    json_decref(out);
    q = (struct person_query){.national_id = "920202-2345"};
    cr_assert_eq(person_search(&c, &q, &out), OP_INVALID_NATIONAL_ID);
    q = (struct person_query){0};
    cr_assert_eq(person_search(&c, &q, &out), OP_VALIDATION);
    q = (struct person_query){.name = "kim", .national_id = NID};
    cr_assert_eq(person_search(&c, &q, &out), OP_VALIDATION);
    q = (struct person_query){.name = "kim", .limit = 101};
    cr_assert_eq(person_search(&c, &q, &out), OP_VALIDATION);
    flush_audit(&c);
    ctx_release(&c);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE action = 'SEARCH' AND outcome = 'allow'", NULL), 6);
}

Test(person, registration_lifecycle) {
    char pid[ID_LEN], ka[ID_LEN], kb[ID_LEN];
    create_full(NULL, pid);
    add_staff(ka, "couns_a", "counsellor", office_a);
    add_staff(kb, "couns_b", "counsellor", office_b);
    ctx c;
    test_staff_ctx(&c, ka, ROLE_COUNSELLOR, office_a, "KR-11");
    json_t *out = NULL, *b;

    /* Body validation. */
    static const struct {
        const char *body;
        op_code want;
        const char *field;
    } bad[] = {
        {"{}", OP_VALIDATION, "office"},
        {"{\"office\":\"NOPE\"}", OP_VALIDATION, "office"},
        {"{\"office\":\"SEOUL-WELFARE\"}", OP_VALIDATION, "office"},
        {"{\"office\":\"SEOUL-GANGNAM\",\"extra\":1}", OP_UNKNOWN_FIELD, "extra"},
        {"{\"office\":\"SEOUL-GANGNAM\",\"registered_on\":\"2999-01-01\"}", OP_VALIDATION, "registered_on"},
        {"{\"office\":\"SEOUL-GANGNAM\",\"claim_report_date\":\"2026-02-30\"}", OP_VALIDATION, "claim_report_date"},
        {"{\"office\":\"SEOUL-GANGNAM\",\"counsellor_id\":\"x\"}", OP_VALIDATION, "counsellor_id"},
        {NULL, 0, NULL},
    };
    for (int i = 0; bad[i].body; i++) {
        b = parse(bad[i].body);
        cr_assert_eq(jobseeker_register(&c, pid, b, &out), bad[i].want, "%s: %s", bad[i].body, c.err.detail);
        cr_assert_str_eq(c.err.field, bad[i].field, "%s", bad[i].body);
        json_decref(b);
    }
    /* A counsellor of another office cannot be assigned. */
    b = parse("{\"office\":\"SEOUL-GANGNAM\"}");
    json_object_set_new(b, "counsellor_id", json_string(kb));
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_VALIDATION);
    cr_assert_str_eq(c.err.field, "counsellor_id");
    json_decref(b);
    /* Staff register only at their own office (audited refusal). */
    b = parse("{\"office\":\"BUSAN-CENTRAL\"}");
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_FORBIDDEN);
    json_decref(b);

    b = parse("{\"office\":\"SEOUL-GANGNAM\",\"registered_on\":\"2026-01-05\",\"claim_report_date\":\"2026-01-10\"}");
    json_object_set_new(b, "counsellor_id", json_string(ka));
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_OK, "%s", c.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "active");
    cr_assert_str_eq(json_string_value(json_object_get(out, "due_date")), "2026-01-17");
    cr_assert_str_eq(json_string_value(json_object_get(out, "registered_on")), "2026-01-05");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "office"), "code")), "SEOUL-GANGNAM");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "office"), "region_code")), "KR-11");
    cr_assert_str_eq(json_string_value(json_object_get(out, "counsellor_id")), ka);
    cr_assert_eq(json_integer_value(json_object_get(out, "version")), 1);
    json_decref(out);
    /* One open registration per person. */
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_DUPLICATE);
    json_decref(b);

    /* Transitions. */
    static const struct {
        const char *patch;
        op_code want;
        const char *status;
    } steps[] = {
        {"{\"status\":\"bogus\"}", OP_VALIDATION, NULL},
        {"{\"status\":\"suspended\",\"status_reason\":\"illness\"}", OP_OK, "suspended"},
        {"{\"status\":\"active\"}", OP_OK, "active"},
        {"{\"version\":1,\"status\":\"suspended\"}", OP_CONFLICT, NULL},
        {"{\"status\":\"placed\"}", OP_OK, "placed"},
        {"{\"status\":\"active\"}", OP_VALIDATION, NULL},
        {"{\"status\":\"closed\"}", OP_VALIDATION, NULL},
        {NULL, 0, NULL},
    };
    for (int i = 0; steps[i].patch; i++) {
        json_t *p = parse(steps[i].patch);
        out = NULL;
        cr_assert_eq(jobseeker_update(&c, pid, p, &out), steps[i].want, "%s: %s", steps[i].patch, c.err.detail);
        if (steps[i].status) cr_assert_str_eq(json_string_value(json_object_get(out, "status")), steps[i].status);
        json_decref(out);
        json_decref(p);
    }
    cr_assert(jobseeker_transition_ok("active", "closed"));
    cr_assert(!jobseeker_transition_ok("closed", "active"));
    cr_assert(!jobseeker_transition_ok("active", "active"));
    cr_assert_eq(count("SELECT COUNT(*) FROM events WHERE type = 'registration.changed' AND subject = ?", pid), 4);
    /* After placement a new registration may be opened. */
    b = parse("{\"office\":\"SEOUL-GANGNAM\"}");
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_OK, "%s", c.err.detail);
    cr_assert(json_is_null(json_object_get(out, "due_date")));
    json_decref(out);
    json_decref(b);
    cr_assert_eq(jobseeker_get(&c, pid, &out), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "active");
    json_decref(out);
    /* The employment-insurance hook sets the claim and due date. */
    cr_assert_eq(jobseeker_set_claim(&c, pid, "claim-1", "2026-03-01"), OP_OK, "%s", c.err.detail);
    cr_assert_eq(jobseeker_get(&c, pid, &out), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(out, "due_date")), "2026-03-08");
    cr_assert_str_eq(json_string_value(json_object_get(out, "claim_id")), "claim-1");
    json_decref(out);
    char due[11];
    jobseeker_due_date("2024-02-25", due);
    cr_assert_str_eq(due, "2024-03-03");
    flush_audit(&c);
    ctx_release(&c);
}

Test(person, citizen_self_service) {
    char acc[ID_LEN];
    id_uuid7(acc);
    ctx c;
    citizen_ctx(&c, acc, NULL);
    json_t *in = parse(FULL), *out = NULL;
    cr_assert_eq(person_create(&c, in, &out), OP_OK, "%s", c.err.detail);
    char pid[ID_LEN];
    snprintf(pid, sizeof pid, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(in);
    ctx_release(&c);

    /* With a record, a citizen cannot create another. */
    citizen_ctx(&c, acc, pid);
    in = parse(FULL);
    json_object_set_new(in, "national_id", json_string("850505-2345678"));
    cr_assert_eq(person_create(&c, in, &out), OP_FORBIDDEN);
    json_decref(in);
    /* Own record: full view; locked fields refused with a clear error. */
    cr_assert_eq(person_get(&c, pid, &out), OP_OK);
    cr_assert(json_object_get(out, "disability"));
    json_decref(out);
    for (const char *const *k = (const char *const[]){"national_id", "birth_date", "given_name", "family_name", NULL}; *k;
         k++) {
        json_t *p = json_pack("{s:s}", *k, "1990-01-02");
        cr_assert_eq(person_update(&c, pid, p, &out), OP_VALIDATION, "%s", *k);
        cr_assert_str_eq(c.err.field, *k);
        cr_assert(strstr(c.err.hint, "counsellor"));
        json_decref(p);
    }
    json_t *p = parse("{\"contact\":{\"email\":\"new@example.kr\"}}");
    cr_assert_eq(person_update(&c, pid, p, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(p);
    /* Someone else's record is refused. */
    char other[ID_LEN];
    create_full("850505-2345678", other);
    cr_assert_eq(person_get(&c, other, &out), OP_FORBIDDEN);
    /* Self-registration: only an office in their region, no counsellor choice. */
    json_t *b = parse("{\"office\":\"BUSAN-CENTRAL\"}");
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_VALIDATION);
    json_decref(b);
    b = parse("{\"office\":\"SEOUL-GANGNAM\",\"registered_on\":\"2026-01-01\"}");
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_UNKNOWN_FIELD);
    json_decref(b);
    b = parse("{\"office\":\"SEOUL-GANGNAM\"}");
    cr_assert_eq(jobseeker_register(&c, pid, b, &out), OP_OK, "%s", c.err.detail);
    json_decref(out);
    json_decref(b);
    cr_assert_eq(jobseeker_get(&c, pid, &out), OP_OK);
    json_decref(out);
    flush_audit(&c);
    ctx_release(&c);
}
