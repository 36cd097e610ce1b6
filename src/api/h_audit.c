/* h_audit.c - reading the audit log: auditors by person, and citizens' own access log. */
#include <string.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "privacy/access.h"

/* GET /api/v1/audit?person_id=&limit=&before= : auditor view, every field of every record. */
static op_code audit_list(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    const char *pid = http_query(rq, "person_id");
    if (!pid || !id_is_uuid(pid))
        return op_fail_field(&c->err, OP_BAD_QUERY, "person_id", "pass person_id=<uuid>", "person_id is required");
    int64_t limit, before;
    if (http_query_int(rq, "limit", 1, 500, 100, &limit) ||
        http_query_int(rq, "before", 1, INT64_MAX, INT64_MAX, &before))
        return c->err.code;
    access_decision d;
    op_code rc = access_person(c, PD_READ, "audit_log", pid, pid, &d);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT seq, ts, actor_type, actor_id, actor_role, actor_office, action,"
                                   " resource_type, resource_id, purpose, legal_basis, outcome, correlation_id, detail"
                                   " FROM audit_log WHERE person_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, pid);
    store_bind_int(st, 2, before);
    store_bind_int(st, 3, limit);
    json_t *items = json_array();
    static const char *names[] = {"seq", "ts", "actor_type", "actor_id", "actor_role", "actor_office", "action",
                                  "resource_type", "resource_id", "purpose", "legal_basis", "outcome",
                                  "correlation_id", "detail"};
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "seq", json_integer(store_col_int(st, 0)));
        for (int i = 1; i < 14; i++)
            json_object_set_new(o, names[i], store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    return http_json(rs, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/me/access-log : who read my data - when, which office and role, why; never staff
 * names or account ids. */
static op_code my_access_log(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    const char *pid = c->who.person_id;
    if (!pid[0])
        return op_fail(&c->err, OP_NOT_FOUND, "register your profile first", "your account has no person record");
    int64_t limit, before;
    if (http_query_int(rq, "limit", 1, 500, 100, &limit) ||
        http_query_int(rq, "before", 1, INT64_MAX, INT64_MAX, &before))
        return c->err.code;
    access_decision d;
    op_code rc = access_person(c, PD_READ, "access_log", pid, pid, &d);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT a.seq, a.ts, a.actor_type, a.actor_role, o.name, o.name_ko, o.region_code,"
                                   " a.action, a.resource_type, a.purpose, a.legal_basis, a.outcome"
                                   " FROM audit_log a LEFT JOIN offices o ON o.id = a.actor_office"
                                   " WHERE a.person_id = ? AND a.seq < ? ORDER BY a.seq DESC LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, pid);
    store_bind_int(st, 2, before);
    store_bind_int(st, 3, limit);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "seq", json_integer(store_col_int(st, 0)));
        json_object_set_new(o, "ts", json_string(store_col_text(st, 1)));
        json_object_set_new(o, "actor_type", json_string(store_col_text(st, 2)));
        jx_set_str(o, "role", store_col_text(st, 3));
        if (!store_col_null(st, 4))
            json_object_set_new(o, "office", json_pack("{s:s, s:s?, s:s?}", "name", store_col_text(st, 4), "name_ko",
                                                       store_col_text(st, 5), "region_code", store_col_text(st, 6)));
        json_object_set_new(o, "action", json_string(store_col_text(st, 7)));
        json_object_set_new(o, "resource_type", json_string(store_col_text(st, 8)));
        json_object_set_new(o, "purpose", json_string(store_col_text(st, 9)));
        json_object_set_new(o, "legal_basis", json_string(store_col_text(st, 10)));
        json_object_set_new(o, "outcome", json_string(store_col_text(st, 11)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    return http_json(rs, 200, json_pack("{s:o}", "items", items));
}

struct route audit_routes[] = {
    {"GET", "/api/v1/audit", audit_list, R_STAFF, ROLE_AUDITOR, NULL, 0,
     "audit records about one person (auditors)", "audit", NULL},
    {"GET", "/api/v1/me/access-log", my_access_log, R_CITIZEN, 0, NULL, 0,
     "who accessed my data: when, which office and role, for what purpose", "audit", NULL},
    ROUTE_END,
};
