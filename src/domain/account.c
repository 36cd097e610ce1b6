/* account.c - offices and accounts (contract: account.h; views: auth/session.h).
 *
 * Every function validates its whole input first (field names match the JSON API so handlers
 * can pass errors straight through), then works inside store_begin/commit, which joins the
 * dispatcher's transaction on the HTTP path and is the whole transaction on the CLI path.  On
 * failure the transaction is rolled back before returning. */
#include "domain/account.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/authcache.h"
#include "auth/session.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "sec/password.h"

static const char *const office_kinds[] = {"job_centre", "welfare_office", "ministry", NULL};
static const char *const account_kinds[] = {"citizen", "employer", "staff", NULL};
static const char *const locales[] = {"ko", "en", NULL};

/* ---- validation ---- */

static bool chars_in(const char *s, size_t min, size_t max, const char *extra, bool upper, bool lower) {
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch) || (upper && isupper(ch)) || (lower && islower(ch)) || strchr(extra, ch)) continue;
        return false;
    }
    return true;
}

static bool username_valid(const char *s) { return chars_in(s, 3, 64, "._@-", false, true); }
static bool office_code_valid(const char *s) { return chars_in(s, 2, 32, "_-", true, true); }

/* ISO 3166-2 shape: ^[A-Z]{2}-[A-Z0-9]{1,3}$ */
static bool region_valid(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n < 4 || n > 6 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]) || s[2] != '-') return false;
    for (size_t i = 3; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) return false;
    return true;
}

/* A human-readable name: 1..max bytes, no control characters. */
static op_code name_check(op_err *e, const char *field, const char *s, size_t max, bool required) {
    if (!s) return required ? op_fail_field(e, OP_VALIDATION, field, NULL, "field \"%s\" is required", field) : OP_OK;
    size_t n = strlen(s);
    bool ctl = false;
    for (size_t i = 0; i < n; i++) ctl |= (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
    if (n == 0 || n > max || ctl)
        return op_fail_field(e, OP_VALIDATION, field, NULL,
                             "field \"%s\" must be 1 to %zu bytes without control characters", field, max);
    return OP_OK;
}

static op_code fail_tx(ctx *c, op_code rc) {
    store_rollback(c->db);
    return rc;
}

/* ---- offices ---- */

op_code office_create(ctx *c, const struct office_new *o, char id_out[ID_LEN]) {
    op_err *e = &c->err;
    op_code rc;
    if (!office_code_valid(o->code))
        return op_fail_field(e, OP_VALIDATION, "code", "use 2-32 letters, digits, '-' or '_', e.g. \"SEOUL-GANGNAM\"",
                             "office code \"%s\" is not valid", o->code ? o->code : "");
    if ((rc = name_check(e, "name", o->name, 200, true)) || (rc = name_check(e, "name_ko", o->name_ko, 200, false)))
        return rc;
    if (!jx_in(o->kind, office_kinds))
        return op_fail_field(e, OP_VALIDATION, "kind", "job_centre, welfare_office or ministry",
                             "office kind \"%s\" is not known", o->kind ? o->kind : "");
    if (!region_valid(o->region_code))
        return op_fail_field(e, OP_VALIDATION, "region_code", "use an ISO 3166-2 code such as \"KR-11\"",
                             "region code \"%s\" is not valid", o->region_code ? o->region_code : "");
    char id[ID_LEN], now[CLOCK_TS_LEN];
    id_uuid7(id);
    clock_now_ts(now);
    if ((rc = store_begin(c->db, e))) return rc;
    rc = store_exec(c->db, e, NULL,
                    "INSERT INTO offices (id, code, name, name_ko, kind, region_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "sssssss", id, o->code, o->name, o->name_ko, o->kind, o->region_code, now);
    if (rc == OP_DUPLICATE)
        op_fail_field(e, OP_DUPLICATE, "code", "choose another code or use the existing office",
                      "office \"%s\" already exists", o->code);
    if (rc || (rc = store_commit(c->db, e))) return fail_tx(c, rc);
    if (id_out) snprintf(id_out, ID_LEN, "%s", id);
    return OP_OK;
}

op_code office_resolve(ctx *c, const char *code_or_id, char id_out[ID_LEN]) {
    if (!code_or_id || !*code_or_id || strlen(code_or_id) > 64)
        return op_fail(&c->err, OP_NOT_FOUND, "see GET /api/v1/offices", "no office is named \"%s\"",
                       code_or_id ? code_or_id : "");
    store_stmt *q = store_query(c->db, &c->err,
                                id_is_uuid(code_or_id) ? "SELECT id FROM offices WHERE id = ?" : "SELECT id FROM offices WHERE code = ?",
                                "s", code_or_id);
    if (!q)
        return c->err.code ? c->err.code
                           : op_fail(&c->err, OP_NOT_FOUND, "see GET /api/v1/offices or `openpes office list`",
                                     "office \"%s\" does not exist", code_or_id);
    snprintf(id_out, ID_LEN, "%s", store_col_text(q, 0));
    store_reset(q);
    return OP_OK;
}

/* ---- accounts ---- */

static op_code account_validate(op_err *e, const struct account_new *n) {
    op_code rc;
    if (!username_valid(n->username))
        return op_fail_field(e, OP_VALIDATION, "username", "use 3-64 characters: a-z, 0-9, '.', '_', '@' or '-'",
                             "user name \"%s\" is not valid", n->username ? n->username : "");
    if (!jx_in(n->kind, account_kinds))
        return op_fail_field(e, OP_VALIDATION, "kind", "citizen, employer or staff", "account kind \"%s\" is not known",
                             n->kind ? n->kind : "");
    if ((rc = password_check(n->password, "password", e))) return rc;
    bool staff = strcmp(n->kind, "staff") == 0;
    if (staff && !n->role)
        return op_fail_field(e, OP_VALIDATION, "role", "pass a role and an office", "staff accounts need a role");
    if (staff && !n->office)
        return op_fail_field(e, OP_VALIDATION, "office", "pass the office code", "staff accounts need an office");
    if (!staff && (n->role || n->office))
        return op_fail_field(e, OP_VALIDATION, n->role ? "role" : "office", "leave role and office out",
                             "only staff accounts have a role and an office");
    if (n->role && !role_parse(n->role))
        return op_fail_field(e, OP_VALIDATION, "role", "counsellor, welfare_officer, supervisor, analyst, admin or auditor",
                             "role \"%s\" is not known", n->role);
    if (n->person_id && (strcmp(n->kind, "citizen") != 0 || !id_is_uuid(n->person_id)))
        return op_fail_field(e, OP_VALIDATION, "person_id", "only citizen accounts link to a person record (a UUID)",
                             "person id \"%s\" is not valid for a %s account", n->person_id, n->kind);
    if (n->employer_id && (strcmp(n->kind, "employer") != 0 || !id_is_uuid(n->employer_id)))
        return op_fail_field(e, OP_VALIDATION, "employer_id", "only employer accounts have an employer id (a UUID)",
                             "employer id \"%s\" is not valid for a %s account", n->employer_id, n->kind);
    if ((rc = name_check(e, "display_name", n->display_name, 200, false))) return rc;
    if (n->locale && !jx_in(n->locale, locales))
        return op_fail_field(e, OP_VALIDATION, "locale", "ko or en", "locale \"%s\" is not supported", n->locale);
    return OP_OK;
}

/* The person exists and no other account is linked to it. */
static op_code person_free(ctx *c, const char *person_id, const char *account_id) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT 1 FROM persons WHERE id = ?", "s", person_id);
    if (!q)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_VALIDATION, "person_id", NULL, "person \"%s\" does not exist", person_id);
    store_reset(q);
    q = store_query(c->db, &c->err, "SELECT id FROM accounts WHERE person_id = ? AND id <> ?", "ss", person_id,
                    account_id ? account_id : "");
    if (!q) return c->err.code;
    store_reset(q);
    return op_fail_field(&c->err, OP_DUPLICATE, "person_id", "a person has one citizen account",
                         "person \"%s\" is already linked to another account", person_id);
}

op_code account_create(ctx *c, const struct account_new *n, char id_out[ID_LEN]) {
    op_err *e = &c->err;
    op_code rc = account_validate(e, n);
    if (rc) return rc;
    char id[ID_LEN], office[ID_LEN] = "", now[CLOCK_TS_LEN], hash[PASSWORD_HASH_MAX];
    /* Hash before the transaction: argon2 is deliberately slow and on SQLite the write lock would
     * stall every other writer (the audit group commit included) for its duration. */
    if ((rc = password_hash(n->password, hash, e))) return rc;
    if ((rc = store_begin(c->db, e))) return rc;
    if (n->office && (rc = office_resolve(c, n->office, office))) {
        if (rc == OP_NOT_FOUND)
            rc = op_fail_field(e, OP_VALIDATION, "office", "see GET /api/v1/offices or `openpes office list`",
                               "office \"%s\" does not exist", n->office);
        return fail_tx(c, rc);
    }
    if (n->person_id && (rc = person_free(c, n->person_id, NULL))) return fail_tx(c, rc);
    /* Friendly duplicate check; the UNIQUE constraint still decides races. */
    store_stmt *q = store_query(c->db, e, "SELECT 1 FROM accounts WHERE username = ?", "s", n->username);
    if (q) {
        store_reset(q);
        rc = OP_DUPLICATE;
    } else if (e->code) {
        return fail_tx(c, e->code);
    }
    id_uuid7(id);
    clock_now_ts(now);
    if (!rc)
        rc = store_exec(c->db, e, NULL,
                        "INSERT INTO accounts (id, username, password_hash, kind, role, office_id, person_id, employer_id,"
                        " display_name, locale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sssssssssss", id, n->username, hash, n->kind, n->role, office[0] ? office : NULL, n->person_id,
                        n->employer_id, n->display_name ? n->display_name : n->username, n->locale ? n->locale : "ko", now);
    if (rc == OP_DUPLICATE)
        op_fail_field(e, OP_DUPLICATE, "username", "choose another user name", "user name \"%s\" is taken", n->username);
    if (rc || (rc = store_commit(c->db, e))) return fail_tx(c, rc);
    if (id_out) snprintf(id_out, ID_LEN, "%s", id);
    return OP_OK;
}

op_code account_link_person(ctx *c, const char *account_id, const char *person_id) {
    op_err *e = &c->err;
    if (!account_id || !id_is_uuid(account_id))
        return op_fail(e, OP_NOT_FOUND, NULL, "account \"%s\" does not exist", account_id ? account_id : "");
    if (!person_id || !id_is_uuid(person_id))
        return op_fail_field(e, OP_VALIDATION, "person_id", NULL, "person id \"%s\" is not a UUID", person_id ? person_id : "");
    op_code rc = store_begin(c->db, e);
    if (rc) return rc;
    store_stmt *q = store_query(c->db, e, "SELECT kind, person_id FROM accounts WHERE id = ?", "s", account_id);
    if (!q) return fail_tx(c, e->code ? e->code : op_fail(e, OP_NOT_FOUND, NULL, "account \"%s\" does not exist", account_id));
    bool citizen = strcmp(store_col_text(q, 0), "citizen") == 0;
    char linked[ID_LEN];
    snprintf(linked, sizeof linked, "%s", store_col_null(q, 1) ? "" : store_col_text(q, 1));
    store_reset(q);
    if (!citizen)
        return fail_tx(c, op_fail_field(e, OP_VALIDATION, "person_id", NULL, "only citizen accounts link to a person record"));
    if (strcmp(linked, person_id) == 0) return store_commit(c->db, e); /* already linked: idempotent */
    if (linked[0])
        return fail_tx(c, op_fail(e, OP_CONFLICT, "a citizen account belongs to one person for good",
                                  "the account is already linked to another person record"));
    if ((rc = person_free(c, person_id, account_id))) return fail_tx(c, rc);
    rc = store_exec(c->db, e, NULL, "UPDATE accounts SET person_id = ? WHERE id = ? AND person_id IS NULL", "ss",
                    person_id, account_id);
    if (!rc) authcache_account_changed(c);
    if (rc || (rc = store_commit(c->db, e))) return fail_tx(c, rc);
    return OP_OK;
}

/* ---- views ---- */

#define OFFICE_COLS "o.id, o.code, o.name, o.name_ko, o.kind, o.region_code"
#define ACCOUNT_SELECT                                                                             \
    "SELECT a.id, a.username, a.kind, a.role, a.person_id, a.employer_id, a.display_name, a.locale, " OFFICE_COLS \
    " FROM accounts a LEFT JOIN offices o ON o.id = a.office_id"

static json_t *col(store_stmt *st, int i) { return store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i)); }

static json_t *office_cols(store_stmt *st, int at) {
    if (store_col_null(st, at)) return json_null();
    static const char *k[] = {"id", "code", "name", "name_ko", "kind", "region_code"};
    json_t *o = json_object();
    for (int i = 0; i < 6; i++) json_object_set_new(o, k[i], col(st, at + i));
    return o;
}

static json_t *account_cols(store_stmt *st) {
    static const char *k[] = {"id", "username", "kind", "role", "person_id", "employer_id", "display_name", "locale"};
    json_t *o = json_object();
    for (int i = 0; i < 8; i++) json_object_set_new(o, k[i], col(st, i));
    json_object_set_new(o, "office", office_cols(st, 8));
    return o;
}

op_code account_json(ctx *c, const char *account_id, json_t **out) {
    *out = NULL;
    store_stmt *q = store_query(c->db, &c->err, ACCOUNT_SELECT " WHERE a.id = ?", "s", account_id);
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "account \"%s\" does not exist", account_id);
    *out = account_cols(q);
    store_reset(q);
    return OP_OK;
}

op_code office_json(ctx *c, const char *office_id, json_t **out) {
    *out = NULL;
    store_stmt *q = store_query(c->db, &c->err, "SELECT " OFFICE_COLS " FROM offices o WHERE o.id = ?", "s", office_id);
    if (!q) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "office \"%s\" does not exist", office_id);
    *out = office_cols(q, 0);
    store_reset(q);
    return OP_OK;
}

/* Step st to the end, appending row(st) to a new array. */
static op_code collect(ctx *c, store_stmt *st, json_t *(*row)(store_stmt *), json_t **items) {
    json_t *a = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(a, row(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(a);
        *items = NULL;
        return c->err.code;
    }
    *items = a;
    return OP_OK;
}

static json_t *office_row(store_stmt *st) { return office_cols(st, 0); }

op_code office_list(ctx *c, json_t **items) {
    *items = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT " OFFICE_COLS " FROM offices o ORDER BY o.code", &c->err);
    return st ? collect(c, st, office_row, items) : c->err.code;
}

op_code account_list(ctx *c, const struct account_filter *f, json_t **items, const char **next) {
    *items = NULL;
    *next = NULL;
    /* A handful of fixed SQL shapes (so prepared statements are reused), bound in this order. */
    const char *sql = arena_printf(c->a, ACCOUNT_SELECT " WHERE %s%s%s ORDER BY a.username LIMIT ?",
                                   f->kind ? "a.kind = ?" : "a.kind IN ('staff', 'employer')",
                                   f->office_id ? " AND a.office_id = ?" : "", f->after ? " AND a.username > ?" : "");
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    int i = 1;
    if (f->kind) store_bind_text(st, i++, f->kind);
    if (f->office_id) store_bind_text(st, i++, f->office_id);
    if (f->after) store_bind_text(st, i++, f->after);
    store_bind_int(st, i, f->limit + 1); /* one extra row tells whether there is a next page */
    op_code rc = collect(c, st, account_cols, items);
    if (rc) return rc;
    if ((int64_t)json_array_size(*items) > f->limit) {
        json_array_remove(*items, json_array_size(*items) - 1);
        json_t *last = json_array_get(*items, json_array_size(*items) - 1);
        *next = arena_strdup(c->a, json_string_value(json_object_get(last, "username")));
    }
    return OP_OK;
}
