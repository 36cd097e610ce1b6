/* policy.c - the calculator table shared by the API and the CLI, and the error envelope. */
#include "policy/policy.h"

#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"

/* POST /api/v1/policy/ei/assess: the request's country selects the calculator (KR or DE); any
 * other country is policy.not_found. */
op_code pol_ei_assess(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *country;
    op_code rc = pol_req_country(req, true, NULL, &country, e);
    if (rc) return rc;
    if (strcmp(country, "KR") == 0) return pol_ei_kr_assess(a, req, out, e);
    if (strcmp(country, "DE") == 0) return pol_ei_de_assess(a, req, out, e);
    /* A pack may exist for a country without an assessment engine: still "not found". */
    const pol_pack *p;
    if ((rc = pol_pack_get(country, &p, e))) return rc;
    return op_fail(e, OP_POLICY_NOT_FOUND, NULL, "no unemployment-benefit calculator for country \"%s\"", country);
}

static const pol_endpoint endpoints[] = {
    {"ei-assess", "/api/v1/policy/ei/assess", "unemployment benefit entitlement (KR 구직급여, DE ALG I)", pol_ei_assess},
    {"ei-recognition", "/api/v1/policy/ei/recognition", "one unemployment-recognition round (KR 실업인정)", pol_ei_recognition},
    {"ei-early-reemployment", "/api/v1/policy/ei/early-reemployment", "early re-employment allowance (KR 조기재취업수당)",
     pol_ei_reemploy},
    {"ei-sanction", "/api/v1/policy/ei/sanction", "sanctions and blocked periods (KR 지급정지, DE Sperrzeit)", pol_ei_sanction},
    {"nesp-assess", "/api/v1/policy/nesp/assess", "employment support programme track and allowance (KR 국민취업지원제도)",
     pol_nesp_assess},
    {"nesp-allowance", "/api/v1/policy/nesp/allowance", "one-off NESP payments (early success, success, Type II activity)",
     pol_nesp_allowance},
    {NULL, NULL, NULL, NULL},
};

const pol_endpoint *pol_endpoints(void) { return endpoints; }

const pol_endpoint *pol_endpoint_by_name(const char *name) {
    for (const pol_endpoint *p = endpoints; name && p->name; p++)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

const pol_endpoint *pol_endpoint_by_path(const char *path) {
    for (const pol_endpoint *p = endpoints; path && p->name; p++)
        if (strcmp(p->path, path) == 0) return p;
    return NULL;
}

op_code pol_run(const char *name, arena *a, const json_t *req, json_t **out, op_err *e) {
    *out = NULL;
    const pol_endpoint *ep = pol_endpoint_by_name(name);
    if (!ep) return op_fail(e, OP_ROUTE_NOT_FOUND, NULL, "no policy calculator \"%s\"", name ? name : "");
    op_code rc = ep->fn(a, req, out, e);
    if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

op_code pol_run_text(const char *name, arena *a, const char *body, size_t len, json_t **out, op_err *e) {
    json_t *req;
    *out = NULL;
    op_code rc = jx_parse(a, body, len, &req, e);
    return rc ? rc : pol_run(name, a, req, out, e);
}

json_t *pol_error_json(const op_err *e) {
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(op_code_str(e->code)));
    json_object_set_new(o, "message", json_string(op_message(e->code)));
    json_object_set_new(o, "detail", json_string(e->detail));
    json_object_set_new(o, "hint", json_string(e->hint));
    if (e->field[0]) json_object_set_new(o, "field", json_string(e->field));
    return json_pack("{s:o}", "error", o);
}
