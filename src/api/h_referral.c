/* h_referral.c - referrals between offices (docs/REFERRALS.md): staff send, list, read and move
 * them; a citizen reads their own at /api/v1/me/referrals.
 *
 * Handlers check the body's shape (unknown fields, types, lengths) and call the referral domain,
 * which decides access (privacy/access.c: access_referral), audits, validates the rest and emits
 * "referral.updated".  Ids in paths that are not UUIDs are answered 404 without detail. */
#include <string.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "referral/referral.h"

#define REFERRAL_BODY_MAX 8192
#define REFERRAL_ROLES (ROLE_COUNSELLOR | ROLE_SUPERVISOR | ROLE_WELFARE_OFFICER)

static op_code path_uuid(http_req *rq, const char *what, const char **id) {
    *id = http_param(rq, 0);
    if (!*id || !id_is_uuid(*id)) return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "the %s does not exist", what);
    return OP_OK;
}

/* POST /api/v1/persons/{id}/referrals {"to_office"|"to_agency", "type", "reason", "consent_ref"?} */
static op_code referrals_create(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"to_office", "to_agency", "type", "reason", "consent_ref", NULL};
    ctx *c = rq->c;
    const char *person;
    struct referral_new in = {0};
    json_t *out;
    op_code rc;
    if ((rc = path_uuid(rq, "person", &person)) || (rc = jx_only(rq->body, fields, NULL, &c->err)) ||
        (rc = jx_str(rq->body, "to_office", false, 64, &in.to_office, &c->err)) ||
        (rc = jx_str(rq->body, "to_agency", false, 64, &in.to_agency, &c->err)) ||
        (rc = jx_str(rq->body, "type", true, 64, &in.type, &c->err)) ||
        (rc = jx_str(rq->body, "reason", true, REFERRAL_REASON_MAX, &in.reason, &c->err)) ||
        (rc = jx_str(rq->body, "consent_ref", false, REFERRAL_CONSENT_REF_MAX, &in.consent_ref, &c->err)) ||
        (rc = referral_create(c, person, &in, &out)))
        return rc;
    http_add_header(rs, "Location",
                    arena_printf(c->a, "/api/v1/referrals/%s", json_string_value(json_object_get(out, "id"))));
    return http_json(rs, 201, out);
}

/* GET /api/v1/persons/{id}/referrals */
static op_code referrals_of_person(http_req *rq, http_res *rs) {
    const char *person;
    json_t *out;
    op_code rc = path_uuid(rq, "person", &person);
    if (rc || (rc = referral_list_person(rq->c, person, &out))) return rc;
    return http_json(rs, 200, out);
}

/* GET /api/v1/referrals?office=&box=in|out&status=&limit=&offset= */
static op_code referrals_of_office(http_req *rq, http_res *rs) {
    int64_t limit, offset;
    json_t *out;
    if (http_query_int(rq, "limit", 1, REFERRAL_LIST_MAX, 50, &limit) ||
        http_query_int(rq, "offset", 0, 1000000, 0, &offset))
        return rq->c->err.code;
    struct referral_query q = {http_query(rq, "office"), http_query(rq, "box"), http_query(rq, "status"), (int)limit,
                               (int)offset};
    op_code rc = referral_list_office(rq->c, &q, &out);
    return rc ? rc : http_json(rs, 200, out);
}

/* GET /api/v1/referrals/{rid} */
static op_code referrals_get(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = path_uuid(rq, "referral", &id);
    if (rc || (rc = referral_get(rq->c, id, &out))) return rc;
    return http_json(rs, 200, out);
}

/* POST /api/v1/referrals/{rid}/transitions {"to", "outcome"?, "note"?, "version"?} */
static op_code referrals_move(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"to", "outcome", "note", "version", NULL};
    ctx *c = rq->c;
    const char *id;
    struct referral_move m = {0};
    json_t *out;
    op_code rc;
    if ((rc = path_uuid(rq, "referral", &id)) || (rc = jx_only(rq->body, fields, NULL, &c->err)) ||
        (rc = jx_str(rq->body, "to", true, 32, &m.to, &c->err)) ||
        (rc = jx_str(rq->body, "outcome", false, 64, &m.outcome, &c->err)) ||
        (rc = jx_str(rq->body, "note", false, REFERRAL_NOTE_MAX, &m.note, &c->err)) ||
        (rc = jx_int(rq->body, "version", false, 1, INT64_MAX, &m.version, &m.has_version, &c->err)) ||
        (rc = referral_transition(c, id, &m, &out)))
        return rc;
    return http_json(rs, 200, out);
}

/* GET /api/v1/me/referrals */
static op_code me_referrals(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    json_t *out;
    if (!c->who.person_id[0])
        return op_fail(&c->err, OP_NOT_FOUND, "create your profile with POST /api/v1/me",
                       "your account has no person profile yet");
    op_code rc = referral_list_person(c, c->who.person_id, &out);
    return rc ? rc : http_json(rs, 200, out);
}

struct route referral_routes[] = {
    {"POST", "/api/v1/persons/{id}/referrals", referrals_create, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON,
     REFERRAL_ROLES, NULL, REFERRAL_BODY_MAX, "refer the person from your office to another office or a partner agency",
     "referrals", NULL},
    {"GET", "/api/v1/persons/{id}/referrals", referrals_of_person, R_STAFF, REFERRAL_ROLES, NULL, 0,
     "the person's referrals that your office sent or receives (or as the person's case team)", "referrals", NULL},
    {"GET", "/api/v1/referrals", referrals_of_office, R_STAFF, REFERRAL_ROLES, NULL, 0,
     "your office's referrals, newest first: received (box=in, default) or sent (box=out); status, limit, offset",
     "referrals", NULL},
    {"GET", "/api/v1/referrals/{rid}", referrals_get, R_STAFF | R_CITIZEN, REFERRAL_ROLES, NULL, 0,
     "one referral with its history (citizens: their own)", "referrals", NULL},
    {"POST", "/api/v1/referrals/{rid}/transitions", referrals_move, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON,
     REFERRAL_ROLES, NULL, REFERRAL_BODY_MAX,
     "move a referral (receiver: received, accepted, rejected, in_progress, completed, closed; sender: withdrawn)",
     "referrals", NULL},
    {"GET", "/api/v1/me/referrals", me_referrals, R_CITIZEN, 0, NULL, 0, "my referrals (read-only)", "me", NULL},
    ROUTE_END,
};
