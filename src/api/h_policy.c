/* h_policy.c - policy calculator endpoints (contract: /work/shared/contracts/policy-api.md).
 *
 * Pure calculators over the country packs (src/policy/): no database, no personal data.  Callable
 * by any authenticated user; they are not writes.  The CLI `openpes policy <name>` runs the same
 * functions on the same JSON (src/cli/cmd_policy.c). */
#include "api/api.h"
#include "policy/policy.h"

static op_code run(http_req *rq, http_res *rs, const char *name) {
    json_t *out = NULL;
    op_code rc = pol_run(name, rq->c->a, rq->body, &out, &rq->c->err);
    if (rc) return rc;
    return http_json(rs, 200, out);
}

static op_code ei_assess(http_req *rq, http_res *rs) { return run(rq, rs, "ei-assess"); }
static op_code ei_recognition(http_req *rq, http_res *rs) { return run(rq, rs, "ei-recognition"); }
static op_code ei_reemploy(http_req *rq, http_res *rs) { return run(rq, rs, "ei-early-reemployment"); }
static op_code ei_sanction(http_req *rq, http_res *rs) { return run(rq, rs, "ei-sanction"); }
static op_code nesp_assess(http_req *rq, http_res *rs) { return run(rq, rs, "nesp-assess"); }
static op_code nesp_allowance(http_req *rq, http_res *rs) { return run(rq, rs, "nesp-allowance"); }

#define POLICY_ROUTE(path, fn, summary) {"POST", path, fn, R_ANY_USER | R_BODY_JSON, 0, NULL, 0, summary, "policy", NULL}

struct route policy_routes[] = {
    POLICY_ROUTE("/api/v1/policy/ei/assess", ei_assess, "unemployment benefit entitlement (KR 구직급여, DE ALG I)"),
    POLICY_ROUTE("/api/v1/policy/ei/recognition", ei_recognition, "one unemployment-recognition round: activity quota"),
    POLICY_ROUTE("/api/v1/policy/ei/early-reemployment", ei_reemploy, "early re-employment allowance (KR 조기재취업수당)"),
    POLICY_ROUTE("/api/v1/policy/ei/sanction", ei_sanction, "sanctions and blocked periods (KR 지급정지, DE Sperrzeit)"),
    POLICY_ROUTE("/api/v1/policy/nesp/assess", nesp_assess, "employment support programme track and allowance (KR NESP)"),
    POLICY_ROUTE("/api/v1/policy/nesp/allowance", nesp_allowance, "one-off NESP payments: early success, success, Type II activity"),
    ROUTE_END,
};
