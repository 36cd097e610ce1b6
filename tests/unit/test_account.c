/* test_account.c - offices, accounts, password login, sessions and partner clients against a
 * real database (SQLite, or PostgreSQL with OPENPES_TEST_PG_ADMIN). */
#include "testlib.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "domain/account.h"

static ctx C;

static void setup(void) {
    test_db_open();
    op_err e = {0};
    cr_assert(ctx_init_system(&C, "test", NULL, &e), "%s", e.detail);
}
static void teardown(void) { ctx_release(&C); }

static void office(const char *code, char id[ID_LEN]) {
    struct office_new o = {.code = code, .name = "Gangnam Job Centre", .name_ko = "강남고용센터", .kind = "job_centre",
                           .region_code = "KR-11"};
    cr_assert_eq(office_create(&C, &o, id), OP_OK, "%s", C.err.detail);
}

static op_code staff(const char *username, const char *role, const char *office_code, char id[ID_LEN]) {
    struct account_new n = {.username = username, .password = "staff-password-1", .kind = "staff", .role = role,
                            .office = office_code, .display_name = "Kim"};
    op_clear(&C.err);
    return account_create(&C, &n, id);
}

TestSuite(account, .init = setup, .fini = teardown);

Test(account, office_create_and_resolve_by_code_and_id) {
    char id[ID_LEN], got[ID_LEN];
    office("SEOUL-GANGNAM", id);
    cr_assert(id_is_uuid(id));
    cr_assert_eq(office_resolve(&C, "SEOUL-GANGNAM", got), OP_OK);
    cr_assert_str_eq(got, id);
    cr_assert_eq(office_resolve(&C, id, got), OP_OK);
    cr_assert_str_eq(got, id);
    cr_assert_eq(office_resolve(&C, "NOWHERE", got), OP_NOT_FOUND);
    json_t *o;
    cr_assert_eq(office_json(&C, id, &o), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(o, "region_code")), "KR-11");
    cr_assert_str_eq(json_string_value(json_object_get(o, "name_ko")), "강남고용센터");
    json_decref(o);
}

Test(account, office_duplicates_and_bad_input_are_refused) {
    char id[ID_LEN];
    office("BUSAN-1", id);
    struct office_new o = {.code = "BUSAN-1", .name = "Other", .kind = "job_centre", .region_code = "KR-26"};
    cr_assert_eq(office_create(&C, &o, id), OP_DUPLICATE);
    cr_assert_str_eq(C.err.field, "code");
    cr_assert_not(store_in_tx(C.db), "the failed create left no transaction open");
    struct office_new bad[] = {
        {.code = "X", .name = "n", .kind = "job_centre", .region_code = "KR-11"},          /* code too short */
        {.code = "OK-1", .name = "n", .kind = "school", .region_code = "KR-11"},           /* kind */
        {.code = "OK-1", .name = "n", .kind = "ministry", .region_code = "kr-11"},         /* region lowercase */
        {.code = "OK-1", .name = "n", .kind = "ministry", .region_code = "KR-1234"},       /* region too long */
        {.code = "OK-1", .name = "n", .kind = "ministry", .region_code = "KR11"},          /* no dash */
        {.code = "OK-1", .name = "", .kind = "ministry", .region_code = "KR-11"},          /* empty name */
        {.code = "OK 1", .name = "n", .kind = "ministry", .region_code = "KR-11"},         /* space in code */
    };
    const char *fields[] = {"code", "kind", "region_code", "region_code", "region_code", "name", "code"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        op_clear(&C.err);
        cr_assert_eq(office_create(&C, &bad[i], id), OP_VALIDATION, "case %zu", i);
        cr_assert_str_eq(C.err.field, fields[i], "case %zu: field %s", i, C.err.field);
    }
    struct office_new ok = {.code = "SEJONG", .name = "Ministry", .kind = "ministry", .region_code = "KR-50"};
    cr_assert_eq(office_create(&C, &ok, id), OP_OK, "%s", C.err.detail);
}

Test(account, staff_account_create_and_view) {
    char oid[ID_LEN], id[ID_LEN];
    office("SEOUL-GANGNAM", oid);
    cr_assert_eq(staff("kim.c", "counsellor", "SEOUL-GANGNAM", id), OP_OK, "%s", C.err.detail);
    json_t *a;
    cr_assert_eq(account_json(&C, id, &a), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(a, "username")), "kim.c");
    cr_assert_str_eq(json_string_value(json_object_get(a, "role")), "counsellor");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "office"), "code")), "SEOUL-GANGNAM");
    cr_assert(json_is_null(json_object_get(a, "person_id")));
    cr_assert_str_eq(json_string_value(json_object_get(a, "locale")), "ko");
    json_decref(a);
    /* The password is stored only as an argon2id hash. */
    store_stmt *q = store_query(C.db, &C.err, "SELECT password_hash FROM accounts WHERE id = ?", "s", id);
    cr_assert(q);
    cr_assert(strncmp(store_col_text(q, 0), "$argon2id$", 10) == 0);
    store_reset(q);
}

Test(account, duplicate_username_is_refused) {
    char oid[ID_LEN], id[ID_LEN];
    office("SEOUL-GANGNAM", oid);
    cr_assert_eq(staff("kim.c", "counsellor", "SEOUL-GANGNAM", id), OP_OK);
    cr_assert_eq(staff("kim.c", "supervisor", "SEOUL-GANGNAM", id), OP_DUPLICATE);
    cr_assert_str_eq(C.err.field, "username");
    cr_assert_not(store_in_tx(C.db));
}

Test(account, staff_needs_role_and_existing_office_others_must_not_have_them) {
    char oid[ID_LEN], id[ID_LEN];
    office("SEOUL-GANGNAM", oid);
    cr_assert_eq(staff("staff1", "counsellor", NULL, id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "office");
    cr_assert_eq(staff("staff1", NULL, "SEOUL-GANGNAM", id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "role");
    cr_assert_eq(staff("staff1", "janitor", "SEOUL-GANGNAM", id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "role");
    cr_assert_eq(staff("staff1", "counsellor", "NO-SUCH-OFFICE", id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "office");
    cr_assert_not(store_in_tx(C.db));
    struct account_new cit = {.username = "citizen1", .password = "citizen-pass-1", .kind = "citizen", .role = "counsellor"};
    op_clear(&C.err);
    cr_assert_eq(account_create(&C, &cit, id), OP_VALIDATION);
    cit.role = NULL;
    cit.office = "SEOUL-GANGNAM";
    cr_assert_eq(account_create(&C, &cit, id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "office");
    cit.office = NULL;
    cit.employer_id = "01a1fcb1-395d-7262-8d3d-61e7656bedab";
    cr_assert_eq(account_create(&C, &cit, id), OP_VALIDATION, "employer id on a citizen");
    cit.employer_id = NULL;
    cr_assert_eq(account_create(&C, &cit, id), OP_OK, "%s", C.err.detail);
}

Test(account, usernames_passwords_kinds_and_locales_are_validated) {
    char id[ID_LEN];
    const char *bad_names[] = {"ab", "Kim", "kim c", "kim/c", "a234567890123456789012345678901234567890123456789012345678901234x"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        struct account_new n = {.username = bad_names[i], .password = "citizen-pass-1", .kind = "citizen"};
        op_clear(&C.err);
        cr_assert_eq(account_create(&C, &n, id), OP_VALIDATION, "%s", bad_names[i]);
        cr_assert_str_eq(C.err.field, "username");
    }
    struct account_new n = {.username = "lee@example.kr", .password = "short", .kind = "citizen"};
    cr_assert_eq(account_create(&C, &n, id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "password");
    n.password = "long enough pw";
    n.kind = "robot";
    cr_assert_eq(account_create(&C, &n, id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "kind");
    n.kind = "citizen";
    n.locale = "fr";
    cr_assert_eq(account_create(&C, &n, id), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "locale");
    n.locale = "en";
    cr_assert_eq(account_create(&C, &n, id), OP_OK, "%s", C.err.detail);
}

Test(account, password_login_is_uniform_for_unknown_user_wrong_password_and_disabled) {
    char oid[ID_LEN], id[ID_LEN], got[ID_LEN];
    office("SEOUL-GANGNAM", oid);
    cr_assert_eq(staff("kim.c", "counsellor", "SEOUL-GANGNAM", id), OP_OK);
    cr_assert_eq(auth_check_password(&C, "kim.c", "staff-password-1", got), OP_OK);
    cr_assert_str_eq(got, id);
    cr_assert_eq(auth_check_password(&C, "KIM.C", "staff-password-1", got), OP_OK, "user names match lowercased");
    op_clear(&C.err);
    cr_assert_eq(auth_check_password(&C, "kim.c", "staff-password-2", got), OP_BAD_CREDENTIALS);
    char detail_wrong[sizeof C.err.detail];
    strcpy(detail_wrong, C.err.detail);
    op_clear(&C.err);
    cr_assert_eq(auth_check_password(&C, "nobody", "staff-password-1", got), OP_BAD_CREDENTIALS);
    cr_assert_str_eq(C.err.detail, detail_wrong, "unknown user and wrong password look the same");
    store_exec(C.db, &C.err, NULL, "UPDATE accounts SET disabled = 1 WHERE id = ?", "s", id);
    op_clear(&C.err);
    cr_assert_eq(auth_check_password(&C, "kim.c", "staff-password-1", got), OP_BAD_CREDENTIALS);
}

Test(account, sessions_store_only_the_token_hash) {
    char oid[ID_LEN], id[ID_LEN], hash[TOKEN_HASH_LEN];
    office("SEOUL-GANGNAM", oid);
    staff("kim.c", "counsellor", "SEOUL-GANGNAM", id);
    struct session_info s;
    cr_assert_eq(session_create(&C, id, true, &s), OP_OK, "%s", C.err.detail);
    cr_assert(strncmp(s.token, "ops_", 4) == 0 && strlen(s.token) == 47, "%s", s.token);
    cr_assert_eq(strlen(s.csrf), 43);
    token_hash(s.token, hash);
    cr_assert_null(store_query(C.db, &C.err, "SELECT 1 FROM sessions WHERE token_hash = ? OR csrf_token = ?", "ss", s.token, s.token));
    store_stmt *q = store_query(C.db, &C.err, "SELECT kind, expires_at FROM sessions WHERE token_hash = ?", "s", hash);
    cr_assert(q);
    cr_assert_str_eq(store_col_text(q, 0), "cookie");
    cr_assert_str_eq(store_col_text(q, 1), s.expires_at);
    store_reset(q);
    char exp[CLOCK_TS_LEN];
    cr_assert_eq(session_expiry(&C, hash, exp), OP_OK);
    cr_assert_eq(session_revoke(&C, hash), OP_OK);
    cr_assert_eq(session_expiry(&C, hash, exp), OP_NOT_FOUND);
}

Test(account, link_person_once_and_only_for_citizens) {
    char oid[ID_LEN], sid[ID_LEN], a1[ID_LEN], a2[ID_LEN], pid[ID_LEN], ts[CLOCK_TS_LEN];
    office("SEOUL-GANGNAM", oid);
    staff("kim.c", "counsellor", "SEOUL-GANGNAM", sid);
    struct account_new n = {.username = "lee", .password = "citizen-pass-1", .kind = "citizen"};
    cr_assert_eq(account_create(&C, &n, a1), OP_OK);
    n.username = "park";
    cr_assert_eq(account_create(&C, &n, a2), OP_OK);
    id_uuid7(pid);
    clock_now_ts(ts);
    cr_assert_eq(account_link_person(&C, a1, pid), OP_VALIDATION, "the person must exist");
    cr_assert_eq(store_exec(C.db, &C.err, NULL,
                            "INSERT INTO persons (id, given_name, family_name, name_key, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                            "ssssss", pid, "Minji", "Lee", "lee minji", ts, ts), OP_OK, "%s", C.err.detail);
    cr_assert_eq(account_link_person(&C, a1, pid), OP_OK, "%s", C.err.detail);
    cr_assert_eq(account_link_person(&C, a1, pid), OP_OK, "linking again is idempotent");
    cr_assert_eq(account_link_person(&C, a2, pid), OP_DUPLICATE, "one account per person");
    cr_assert_eq(account_link_person(&C, sid, pid), OP_VALIDATION, "staff accounts do not link");
    char other[ID_LEN];
    id_uuid7(other);
    cr_assert_eq(account_link_person(&C, a1, other), OP_CONFLICT, "a linked account cannot move to another person");
    cr_assert_eq(account_link_person(&C, "01a1fcb1-395d-7262-8d3d-61e7656bedab", pid), OP_NOT_FOUND);
    cr_assert_not(store_in_tx(C.db));
    json_t *a;
    account_json(&C, a1, &a);
    cr_assert_str_eq(json_string_value(json_object_get(a, "person_id")), pid);
    json_decref(a);
}

Test(account, list_pages_by_username_and_filters_by_office) {
    char o1[ID_LEN], o2[ID_LEN], id[ID_LEN];
    office("OFFICE-A", o1);
    office("OFFICE-B", o2);
    cr_assert_eq(staff("a.one", "counsellor", "OFFICE-A", id), OP_OK);
    cr_assert_eq(staff("a.two", "supervisor", "OFFICE-A", id), OP_OK);
    cr_assert_eq(staff("a.three", "admin", "OFFICE-A", id), OP_OK);
    cr_assert_eq(staff("b.one", "counsellor", "OFFICE-B", id), OP_OK);
    struct account_new cit = {.username = "citizen", .password = "citizen-pass-1", .kind = "citizen"};
    cr_assert_eq(account_create(&C, &cit, id), OP_OK);
    struct account_filter f = {.office_id = o1, .limit = 2};
    json_t *items;
    const char *next;
    cr_assert_eq(account_list(&C, &f, &items, &next), OP_OK, "%s", C.err.detail);
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "username")), "a.one");
    cr_assert_str_eq(next, "a.three");
    json_decref(items);
    f.after = next;
    cr_assert_eq(account_list(&C, &f, &items, &next), OP_OK);
    cr_assert_eq(json_array_size(items), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "username")), "a.two");
    cr_assert_null(next);
    json_decref(items);
    struct account_filter all = {.limit = 100};
    cr_assert_eq(account_list(&C, &all, &items, &next), OP_OK);
    cr_assert_eq(json_array_size(items), 4, "citizens are not listed by default");
    json_decref(items);
}

Test(account, clients_authenticate_with_hashed_secrets_and_scopes) {
    struct client_new n = {.id = "dci-registry", .secret = "a-long-client-secret", .scopes = "registry.search registry.subscribe"};
    cr_assert_eq(client_create(&C, &n), OP_OK, "%s", C.err.detail);
    cr_assert_eq(client_create(&C, &n), OP_DUPLICATE);
    struct client_new bad = {.id = "x y", .secret = "a-long-client-secret", .scopes = "a"};
    cr_assert_eq(client_create(&C, &bad), OP_VALIDATION);
    bad.id = "ok";
    bad.secret = "short";
    cr_assert_eq(client_create(&C, &bad), OP_VALIDATION);
    bad.secret = "a-long-client-secret";
    bad.scopes = "a  b";
    cr_assert_eq(client_create(&C, &bad), OP_VALIDATION);
    char scopes[SCOPES_MAX + 1];
    cr_assert_eq(client_check_secret(&C, "dci-registry", "a-long-client-secret", scopes), OP_OK);
    cr_assert_str_eq(scopes, "registry.search registry.subscribe");
    cr_assert_eq(client_check_secret(&C, "dci-registry", "a-long-client-secreT", scopes), OP_BAD_CREDENTIALS);
    cr_assert_eq(client_check_secret(&C, "nobody", "a-long-client-secret", scopes), OP_BAD_CREDENTIALS);
    char token[TOKEN_MAX], hash[TOKEN_HASH_LEN];
    cr_assert_eq(client_token_issue(&C, "dci-registry", "registry.search", token), OP_OK, "%s", C.err.detail);
    cr_assert(strncmp(token, "opc_", 4) == 0);
    token_hash(token, hash);
    store_stmt *q = store_query(C.db, &C.err, "SELECT scopes FROM client_tokens WHERE token_hash = ?", "s", hash);
    cr_assert(q);
    cr_assert_str_eq(store_col_text(q, 0), "registry.search");
    store_reset(q);
}

Test(scopes, subset_and_syntax) {
    cr_assert(scope_subset("a", "a b"));
    cr_assert(scope_subset("b a", "a b"));
    cr_assert_not(scope_subset("c", "a b"));
    cr_assert_not(scope_subset("a.b", "a.bc a"), "no prefix matches");
    cr_assert_not(scope_subset("ab", "a b"));
    cr_assert(scope_list_valid("registry.search mapper.link"));
    cr_assert_not(scope_list_valid(""));
    cr_assert_not(scope_list_valid(" a"));
    cr_assert_not(scope_list_valid("a "));
    cr_assert_not(scope_list_valid("a\"b"));
    cr_assert_not(scope_list_valid("a\tb"));
}
