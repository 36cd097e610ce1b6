/* h_person.c - person profiles, search, job-seeker registrations and case teams (staff).
 *
 * Handlers validate the request shape, call the person domain (which decides access, audits and
 * emits events) and render.  Person ids in paths that are not UUIDs are answered 404 without
 * detail.  National ids are accepted in query strings only on GET /api/v1/persons, whose route
 * is R_REDACT_QUERY; the portal uses POST /api/v1/persons/search so they stay out of URLs. */
#include <string.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "domain/person.h"

#define PERSON_BODY_MAX 65536
#define SMALL_BODY_MAX 4096
#define STAFF_PERSON_ROLES (ROLE_COUNSELLOR | ROLE_SUPERVISOR | ROLE_WELFARE_OFFICER)
#define REGISTRAR_ROLES (ROLE_COUNSELLOR | ROLE_SUPERVISOR)

/* The {id} path parameter, or a 404 that reveals nothing. */
static op_code path_id(http_req *rq, const char **id) {
    *id = http_param(rq, 0);
    if (!*id || !id_is_uuid(*id))
        return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    return OP_OK;
}

static op_code created(http_req *rq, http_res *rs, json_t *v, const char *location) {
    http_add_header(rs, "Location", location);
    (void)rq;
    return http_json(rs, 201, v);
}

/* POST /api/v1/persons */
static op_code persons_create(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = person_create(rq->c, rq->body, &out);
    if (rc) return rc;
    return created(rq, rs, out,
                   arena_printf(rq->c->a, "/api/v1/persons/%s", json_string_value(json_object_get(out, "id"))));
}

/* GET /api/v1/persons/{id} */
static op_code persons_get(http_req *rq, http_res *rs) {
    const char *id, *out;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = person_get_text(rq->c, id, &out))) return rc;
    return http_json_text(rs, 200, out);
}

/* PATCH /api/v1/persons/{id} */
static op_code persons_patch(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = person_update(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code search(http_req *rq, http_res *rs, const struct person_query *q) {
    json_t *out;
    op_code rc = person_search(rq->c, q, &out);
    return rc ? rc : http_json(rs, 200, out);
}

/* GET /api/v1/persons?national_id=... | ?name=...&birth_date=...&limit=N */
static op_code persons_search_query(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    int64_t limit;
    if (http_query_int(rq, "limit", 1, 100, 20, &limit)) return c->err.code;
    struct person_query q = {
        .national_id = http_query(rq, "national_id"),
        .name = http_query(rq, "name"),
        .birth_date = http_query(rq, "birth_date"),
        .limit = (int)limit,
    };
    if (q.birth_date && !*q.birth_date) q.birth_date = NULL;
    if (!(q.national_id && *q.national_id) && !(q.name && *q.name))
        return op_fail(&c->err, OP_BAD_QUERY, "pass national_id, or name with an optional birth_date",
                       "a search needs national_id or name");
    return search(rq, rs, &q);
}

/* POST /api/v1/persons/search {"national_id"} | {"name","birth_date"?,"limit"?} */
static op_code persons_search_body(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"national_id", "name", "birth_date", "limit", NULL};
    ctx *c = rq->c;
    struct person_query q = {0};
    int64_t limit = 20;
    op_code rc;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) ||
        (rc = jx_str(rq->body, "national_id", false, 32, &q.national_id, &c->err)) ||
        (rc = jx_str(rq->body, "name", false, 201, &q.name, &c->err)) ||
        (rc = jx_date(rq->body, "birth_date", false, &q.birth_date, &c->err)) ||
        (rc = jx_int(rq->body, "limit", false, 1, 100, &limit, NULL, &c->err)))
        return rc;
    q.limit = (int)limit;
    return search(rq, rs, &q);
}

/* POST /api/v1/persons/{id}/jobseeker-registration */
static op_code registration_create(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = jobseeker_register(rq->c, id, rq->body, &out))) return rc;
    return created(rq, rs, out, arena_printf(rq->c->a, "/api/v1/persons/%s/jobseeker-registration", id));
}

/* GET /api/v1/persons/{id}/jobseeker-registration */
static op_code registration_get(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = jobseeker_get(rq->c, id, &out))) return rc;
    return http_json(rs, 200, out);
}

/* PATCH /api/v1/persons/{id}/jobseeker-registration */
static op_code registration_patch(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = jobseeker_update(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

/* POST /api/v1/persons/{id}/case-members {"account_id","role"} */
static op_code case_members_add(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"account_id", "role", NULL};
    ctx *c = rq->c;
    const char *id, *account, *role;
    op_code rc = path_id(rq, &id);
    if (rc || (rc = jx_only(rq->body, fields, NULL, &c->err)) ||
        (rc = jx_str(rq->body, "account_id", true, 64, &account, &c->err)) ||
        (rc = jx_str(rq->body, "role", true, 32, &role, &c->err)) || (rc = case_member_add(c, id, account, role)))
        return rc;
    return http_json(rs, 201, json_pack("{s:s, s:s, s:s}", "person_id", id, "account_id", account, "role", role));
}

struct route person_routes[] = {
    {"POST", "/api/v1/persons", persons_create, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, STAFF_PERSON_ROLES,
     NULL, PERSON_BODY_MAX, "create a person profile (national id required; answered masked)", "persons", NULL},
    {"GET", "/api/v1/persons", persons_search_query, R_STAFF | R_REDACT_QUERY, 0, NULL, 0,
     "search persons by national_id, or by name with birth_date (prefer POST /api/v1/persons/search)", "persons",
     NULL},
    {"POST", "/api/v1/persons/search", persons_search_body, R_STAFF | R_BODY_JSON, 0, NULL, SMALL_BODY_MAX,
     "search persons with the query in the body (keeps national ids out of URLs)", "persons", NULL},
    {"GET", "/api/v1/persons/{id}", persons_get, R_STAFF, 0, NULL, 0,
     "read a person profile (fields limited by role and relation)", "persons", NULL},
    {"PATCH", "/api/v1/persons/{id}", persons_patch, R_STAFF | R_WRITE | R_BODY_JSON, 0, NULL, PERSON_BODY_MAX,
     "update a person profile (JSON merge patch; optional version for optimistic concurrency)", "persons", NULL},
    {"POST", "/api/v1/persons/{id}/jobseeker-registration", registration_create,
     R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, REGISTRAR_ROLES, NULL, SMALL_BODY_MAX,
     "register a person as a job seeker at your office", "registrations", NULL},
    {"GET", "/api/v1/persons/{id}/jobseeker-registration", registration_get, R_STAFF, 0, NULL, 0,
     "the person's current job-seeker registration", "registrations", NULL},
    {"PATCH", "/api/v1/persons/{id}/jobseeker-registration", registration_patch, R_STAFF | R_WRITE | R_BODY_JSON,
     REGISTRAR_ROLES, NULL, SMALL_BODY_MAX, "change the registration's status, reason or counsellor", "registrations",
     NULL},
    {"POST", "/api/v1/persons/{id}/case-members", case_members_add, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON,
     ROLE_SUPERVISOR, NULL, SMALL_BODY_MAX, "add a staff member to the person's case team", "persons", NULL},
    ROUTE_END,
};
