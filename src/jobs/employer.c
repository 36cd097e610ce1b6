/* employer.c - employer records: Korean business registration number, size class, verification. */
#include <string.h>

#include "auth/authcache.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/jobs.h"

/* 사업자등록번호: 10 digits (dashes allowed as 3-2-5); weights 1,3,7,1,3,7,1,3,5 over the first nine,
 * plus floor(9th * 5 / 10); the check digit makes the sum a multiple of ten. */
bool jobs_brn_valid(const char *brn) {
    int d[10], n = 0;
    size_t len = strlen(brn);
    if (len == 12 && (brn[3] != '-' || brn[6] != '-')) return false;
    if (len != 10 && len != 12) return false;
    for (const char *p = brn; *p; p++) {
        if (*p == '-' && len == 12) continue;
        if (*p < '0' || *p > '9' || n == 10) return false;
        d[n++] = *p - '0';
    }
    if (n != 10) return false;
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += d[i] * w[i];
    sum += d[8] * 5 / 10;
    return (10 - sum % 10) % 10 == d[9];
}

static void brn_canon(const char *in, char out[13]) {
    int j = 0;
    for (const char *p = in; *p && j < 12; p++) {
        if (*p == '-') continue;
        if (j == 3 || j == 6) out[j++] = '-';
        out[j++] = *p;
    }
    out[j] = 0;
}

op_code jobs_employer_access(ctx *c, const char *employer_id) {
    if (c->who.type == ACTOR_STAFF || c->who.type == ACTOR_SYSTEM) return OP_OK;
    if (c->who.type == ACTOR_EMPLOYER && employer_id && strcmp(c->who.employer_id, employer_id) == 0) return OP_OK;
    return op_fail(&c->err, OP_FORBIDDEN, "employer accounts act for their own employer only",
                   "this employer record belongs to another account");
}

static const char *const sizes[] = {"micro", "small", "medium", "large", NULL};

bool jobs_region_valid(const char *r);

op_code jobs_employer_create(ctx *c, const json_t *in, json_t **out) {
    static const char *const fields[] = {"name", "name_ko", "brn", "size_class", "region", "address",
                                         "phone", "email", "website", NULL};
    op_err *e = &c->err;
    const char *name, *name_ko, *brn, *size, *region, *addr, *phone, *email, *web;
    if (jx_only(in, fields, "", e) || jx_str(in, "name", true, 200, &name, e) ||
        jx_str(in, "name_ko", false, 200, &name_ko, e) || jx_str(in, "brn", true, 12, &brn, e) ||
        jx_enum(in, "size_class", true, sizes, &size, e) || jx_str(in, "region", false, 10, &region, e) ||
        jx_str(in, "address", false, 300, &addr, e) || jx_str(in, "phone", false, 30, &phone, e) ||
        jx_str(in, "email", false, 200, &email, e) || jx_str(in, "website", false, 300, &web, e))
        return e->code;
    if (!jobs_brn_valid(brn))
        return op_fail_field(e, OP_VALIDATION, "brn", "10 digits (123-45-67890); the last is a check digit",
                             "business registration number \"%s\" is not valid", brn);
    if (region && !jobs_region_valid(region))
        return op_fail_field(e, OP_VALIDATION, "region", "an ISO 3166-2 code such as KR-11",
                             "region \"%s\" is not known", region);
    if (c->who.type == ACTOR_EMPLOYER && c->who.employer_id[0])
        return op_fail(e, OP_DUPLICATE, "GET /api/v1/employers/{id} shows it",
                       "your account already has an employer record (%s)", c->who.employer_id);
    char canon[13], id[ID_LEN], ts[CLOCK_TS_LEN];
    brn_canon(brn, canon);
    {
        op_err e2 = {0};
        store_stmt *st = store_query(c->db, &e2, "SELECT id FROM employers WHERE brn = ?", "s", canon);
        if (st) {
            store_reset(st);
            return op_fail_field(e, OP_DUPLICATE, "brn", "ask a counsellor to link your account to it",
                                 "an employer with business registration number %s already exists", canon);
        }
    }
    id_uuid7(id);
    clock_now_ts(ts);
    bool staff = c->who.type == ACTOR_STAFF || c->who.type == ACTOR_SYSTEM;
    op_code rc = store_begin(c->db, e);
    if (rc) return rc;
    rc = store_exec(c->db, e, NULL,
                    "INSERT INTO employers (id, brn, name, name_ko, size_class, region, address, phone, email, website,"
                    " verified, verified_by, verified_at, created_by, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "ssssssssssisssss", id, canon, name, name_ko, size, region, addr, phone, email, web,
                    (int64_t)staff, staff ? c->who.id : NULL, staff ? ts : NULL, c->who.id, ts, ts);
    if (!rc && c->who.type == ACTOR_EMPLOYER) {
        int64_t ch = 0;
        rc = store_exec(c->db, e, &ch, "UPDATE accounts SET employer_id = ? WHERE id = ? AND employer_id IS NULL", "ss",
                        id, c->who.id);
        if (!rc && ch != 1) rc = op_fail(e, OP_CONFLICT, NULL, "your account was linked to an employer meanwhile");
        if (!rc) snprintf(c->who.employer_id, sizeof c->who.employer_id, "%s", id);
        if (!rc) authcache_account_changed(c);
    }
    if (!rc) rc = store_commit(c->db, e);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    return jobs_employer_get(c, id, out);
}

op_code jobs_employer_get(ctx *c, const char *id, json_t **out) {
    if (!id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "employer %s does not exist", id);
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id, brn, name, name_ko, size_class, region, address, phone, email, website,"
                                 " verified, verified_at, created_at FROM employers WHERE id = ?",
                                 "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "employer %s does not exist", id);
    static const char *k[] = {"id", "brn", "name", "name_ko", "size_class", "region", "address", "phone", "email",
                              "website"};
    json_t *o = json_object();
    for (int i = 0; i < 10; i++)
        json_object_set_new(o, k[i], store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i)));
    json_object_set_new(o, "verified", json_boolean(store_col_int(st, 10)));
    json_object_set_new(o, "verified_at", store_col_null(st, 11) ? json_null() : json_string(store_col_text(st, 11)));
    json_object_set_new(o, "created_at", json_string(store_col_text(st, 12)));
    store_reset(st);
    if (jobs_employer_access(c, id)) {
        json_decref(o);
        return c->err.code;
    }
    *out = o;
    return OP_OK;
}

op_code jobs_employer_verify(ctx *c, const char *id, json_t **out) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t ch = 0;
    op_code rc = store_exec(c->db, &c->err, &ch,
                            "UPDATE employers SET verified = 1, verified_by = ?, verified_at = ?, updated_at = ?"
                            " WHERE id = ?",
                            "ssss", c->who.id, ts, ts, id);
    if (rc) return rc;
    if (ch == 0) return op_fail(&c->err, OP_NOT_FOUND, NULL, "employer %s does not exist", id);
    return jobs_employer_get(c, id, out);
}
