/* h_nesp.c - NESP eligibility checks with a social registry's facts (docs/NESP.md).
 *
 * POST runs the check: it may call another registry, so the route opens no transaction around
 * the handler (R_OWN_TX); nesp_check_run stores the check in its own short transaction. */
#include "api/api.h"
#include "base/jsonx.h"
#include "nesp/nesp_check.h"

#define NESP_STAFF (ROLE_COUNSELLOR | ROLE_SUPERVISOR)

/* POST /api/v1/persons/{id}/nesp-checks {partner?, date?, household_assets, dependents?, ...} */
static op_code check_create(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = nesp_check_run(rq->c, http_param(rq, 0), rq->body, &out);
    if (rc) return rc;
    http_add_header(rs, "Location", arena_printf(rq->c->a, "/api/v1/nesp-checks/%s", json_string_value(json_object_get(out, "id"))));
    return http_json(rs, 201, out);
}

/* GET /api/v1/nesp-checks/{id} */
static op_code check_get(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = nesp_check_get(rq->c, http_param(rq, 0), &out);
    return rc ? rc : http_json(rs, 200, out);
}

struct route nesp_routes[] = {
    {"POST", "/api/v1/persons/{id}/nesp-checks", check_create, R_STAFF | R_WRITE | R_OWN_TX | R_BODY_JSON, NESP_STAFF, NULL, 4096,
     "NESP eligibility check: the social registry's income percentile and basic-livelihood status, then the NESP calculator"
     " (sync, or async: completed when the registry calls back)",
     "nesp", NULL},
    {"GET", "/api/v1/nesp-checks/{id}", check_get, R_STAFF, NESP_STAFF, NULL, 0, "a stored NESP check: facts, source, answer and trace",
     "nesp", NULL},
    ROUTE_END,
};
