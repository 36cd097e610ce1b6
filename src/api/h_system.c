/* h_system.c - health, readiness, metrics, the OpenAPI document and reference lists. */
#include <string.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "privacy/access.h"

static op_code healthz(http_req *rq, http_res *rs) {
    (void)rq;
    return http_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

static op_code readyz(http_req *rq, http_res *rs) {
    int v = store_schema_version(rq->c->db);
    if (v <= 0)
        return op_fail(&rq->c->err, OP_UNAVAILABLE, "run `openpes migrate`", "the database schema is not ready");
    return http_json(rs, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version", v));
}

static op_code purposes(http_req *rq, http_res *rs) {
    (void)rq;
    json_t *a = json_array();
    for (const struct purpose_def *p = purpose_list(); p->code; p++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", p->code, "legal_basis", p->legal_basis,
                                           "description", p->description));
    return http_json(rs, 200, json_pack("{s:o}", "purposes", a));
}

struct route system_routes[] = {
    {"GET", "/healthz", healthz, R_PUBLIC | R_NO_METRICS_LOG, 0, NULL, 0, "liveness probe", "system", NULL},
    {"GET", "/readyz", readyz, R_PUBLIC | R_NO_METRICS_LOG, 0, NULL, 0, "readiness probe (database reachable, schema migrated)", "system", NULL},
    {"GET", "/metrics", metrics_handler, R_PUBLIC | R_NO_METRICS_LOG, 0, NULL, 0, "Prometheus metrics", "system", NULL},
    {"GET", "/api/v1/openapi.json", openapi_handler, R_PUBLIC, 0, NULL, 0, "this API description", "system", NULL},
    {"GET", "/api/v1/purposes", purposes, R_PUBLIC, 0, NULL, 0, "processing purposes and their legal basis", "privacy", NULL},
    ROUTE_END,
};
