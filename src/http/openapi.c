/* openapi.c - /api/v1/openapi.json generated from the route table, with the error list as the
 * shared error schema.  What the dispatcher enforces is what the document says. */
#include <string.h>

#include "base/jsonx.h"
#include "http/route.h"

static json_t *security_for(const struct route *r) {
    if (r->flags & R_PUBLIC) return json_array();
    json_t *s = json_array();
    if (r->flags & (R_CITIZEN | R_EMPLOYER | R_STAFF)) {
        json_array_append_new(s, json_pack("{s:[]}", "bearer"));
        json_array_append_new(s, json_pack("{s:[]}", "session"));
    }
    if (r->flags & R_PARTNER)
        json_array_append_new(s, json_pack("{s:[s]}", "oauth2", r->scope ? r->scope : ""));
    return s;
}

static json_t *callers(const struct route *r) {
    json_t *a = json_array();
    if (r->flags & R_PUBLIC) json_array_append_new(a, json_string("public"));
    if (r->flags & R_CITIZEN) json_array_append_new(a, json_string("citizen"));
    if (r->flags & R_EMPLOYER) json_array_append_new(a, json_string("employer"));
    if (r->flags & R_STAFF) {
        if (!r->roles) json_array_append_new(a, json_string("staff"));
        for (unsigned b = 1; b && b <= ROLE_AUDITOR; b <<= 1)
            if (r->roles & b) json_array_append_new(a, json_string(role_name(b)));
    }
    if (r->flags & R_PARTNER) json_array_append_new(a, json_string("partner"));
    return a;
}

op_code openapi_handler(http_req *rq, http_res *rs) {
    (void)rq;
    json_t *paths = json_object();
    for (const struct route *const *rp = routes_all(); *rp; rp++) {
        const struct route *r = *rp;
        if (r->flags & R_HIDDEN) continue;
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        char method[8];
        size_t i = 0;
        for (; r->method[i] && i < sizeof method - 1; i++) method[i] = (char)(r->method[i] | 0x20);
        method[i] = 0;
        json_t *op = json_pack("{s:s, s:[s], s:o, s:o, s:b, s:b}", "summary", r->summary ? r->summary : "",
                               "tags", r->tag ? r->tag : "misc", "security", security_for(r),
                               "x-callers", callers(r), "x-writes", (r->flags & R_WRITE) != 0,
                               "x-idempotency-key", (r->flags & R_IDEMPOTENT) != 0);
        json_t *params = json_array();
        for (const char *p = r->pattern; (p = strchr(p, '{'));) {
            const char *e = strchr(p, '}');
            if (!e) break;
            json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, (size_t)(e - p - 1),
                                                    "in", "path", "required", 1, "schema", "type", "string"));
            p = e;
        }
        if (json_array_size(params)) json_object_set_new(op, "parameters", params);
        else json_decref(params);
        if (r->flags & (R_BODY_JSON | R_BODY_FORM | R_BODY_RAW)) {
            const char *ct = r->flags & R_BODY_JSON ? "application/json"
                             : r->flags & R_BODY_FORM ? "application/x-www-form-urlencoded"
                                                      : "application/octet-stream";
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", ct, "schema", "type",
                                          r->flags & R_BODY_JSON ? "object" : "string"));
            json_object_set_new(op, "x-body-limit-bytes", json_integer((json_int_t)(r->body_max ? r->body_max : 65536)));
        }
        json_object_set_new(op, "responses",
                            json_pack("{s:{s:s}, s:{s:s, s:{s:{s:{s:s}}}}}", "200", "description", "success", "default",
                                      "description", "error", "content", "application/json", "schema", "$ref",
                                      "#/components/schemas/Error"));
        json_object_set_new(item, method, op);
    }
    json_t *codes = json_array();
    for (int c = 0; c < OP__COUNT; c++) json_array_append_new(codes, json_string(op_code_str((op_code)c)));
    json_t *err_props = json_pack("{s:{s:s, s:o}, s:{s:s}, s:{s:s}, s:{s:s}}", "code", "type", "string", "enum",
                                  codes, "message", "type", "string", "detail", "type", "string", "hint", "type",
                                  "string");
    json_t *error_schema = json_pack("{s:s, s:[s], s:{s:{s:s, s:[s,s,s,s], s:o}}}", "type", "object", "required",
                                     "error", "properties", "error", "type", "object", "required", "code", "message",
                                     "detail", "hint", "properties", err_props);
    json_t *schemes = json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:s, s:{s:{s:s, s:{}}}}}", "bearer", "type",
                                "http", "scheme", "bearer", "session", "type", "apiKey", "in", "cookie", "name",
                                "openpes_session", "oauth2", "type", "oauth2", "flows", "clientCredentials",
                                "tokenUrl", "/oauth2/client/token", "scopes");
    json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:o}}}", "openapi", "3.0.3", "info", "title",
                            "OpenPES API", "version", "1.0.0", "description",
                            "Public employment services platform. Errors are {error:{code,message,detail,hint}}.",
                            "paths", paths, "components", "securitySchemes", schemes, "schemas", "Error",
                            error_schema);
    if (!doc) return op_fail(&rq->c->err, OP_INTERNAL, NULL, "could not build the OpenAPI document");
    return http_json(rs, 200, doc);
}
