/* h_me.c - a citizen's own profile and job-seeker registration at /api/v1/me.
 *
 * The citizen's person id comes from their account (auth fills who.person_id), never from the
 * request.  Everything goes through the same domain functions as the staff routes, so access is
 * decided and audited the same way (purpose "self_service").  Through this path citizens may not
 * change their national id, birth date or names: a counsellor verifies such corrections. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/account.h"
#include "domain/person.h"

#define ME_BODY_MAX 65536
#define SMALL_BODY_MAX 4096

static op_code need_profile(ctx *c) {
    if (c->who.person_id[0]) return OP_OK;
    return op_fail(&c->err, OP_NOT_FOUND, "create your profile with POST /api/v1/me",
                   "your account has no person profile yet");
}

/* GET /api/v1/me */
static op_code me_get(http_req *rq, http_res *rs) {
    const char *out;
    op_code rc = need_profile(rq->c);
    if (rc || (rc = person_get_text(rq->c, rq->c->who.person_id, &out))) return rc;
    return http_json_text(rs, 200, out);
}

/* POST /api/v1/me: create the citizen's own profile and link it to their account. */
static op_code me_create(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    json_t *out;
    if (c->who.person_id[0])
        return op_fail(&c->err, OP_DUPLICATE, "change your profile with PATCH /api/v1/me",
                       "your account already has a person profile");
    op_code rc = person_create(c, rq->body, &out);
    if (rc) return rc;
    const char *id = json_string_value(json_object_get(out, "id"));
    if ((rc = account_link_person(c, c->who.id, id))) {
        json_decref(out);
        return rc;
    }
    snprintf(c->who.person_id, sizeof c->who.person_id, "%s", id);
    http_add_header(rs, "Location", "/api/v1/me");
    return http_json(rs, 201, out);
}

/* PATCH /api/v1/me */
static op_code me_patch(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = need_profile(rq->c);
    if (rc || (rc = person_update(rq->c, rq->c->who.person_id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

/* GET /api/v1/me/jobseeker-registration */
static op_code me_registration_get(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = need_profile(rq->c);
    if (rc || (rc = jobseeker_get(rq->c, rq->c->who.person_id, &out))) return rc;
    return http_json(rs, 200, out);
}

/* POST /api/v1/me/jobseeker-registration {"office"}: at a job centre of the citizen's region. */
static op_code me_registration_create(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = need_profile(rq->c);
    if (rc || (rc = jobseeker_register(rq->c, rq->c->who.person_id, rq->body, &out))) return rc;
    http_add_header(rs, "Location", "/api/v1/me/jobseeker-registration");
    return http_json(rs, 201, out);
}

struct route me_routes[] = {
    {"GET", "/api/v1/me", me_get, R_CITIZEN, 0, NULL, 0, "my person profile", "me", NULL},
    {"POST", "/api/v1/me", me_create, R_CITIZEN | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, 0, NULL, ME_BODY_MAX,
     "create my person profile (national id required) and link it to my account", "me", NULL},
    {"PATCH", "/api/v1/me", me_patch, R_CITIZEN | R_WRITE | R_BODY_JSON, 0, NULL, ME_BODY_MAX,
     "update my profile (not national id, birth date or names: ask a counsellor)", "me", NULL},
    {"GET", "/api/v1/me/jobseeker-registration", me_registration_get, R_CITIZEN, 0, NULL, 0,
     "my current job-seeker registration", "me", NULL},
    {"POST", "/api/v1/me/jobseeker-registration", me_registration_create,
     R_CITIZEN | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, 0, NULL, SMALL_BODY_MAX,
     "register as a job seeker at a job centre in my region", "me", NULL},
    ROUTE_END,
};
