/* h_admin.c - offices and accounts administration.
 *
 * Any staff member may list offices (they are shown in every staff screen).  Creating offices
 * and staff or employer accounts, and listing accounts, is for admins.  Citizen accounts are
 * never created or listed here: citizens sign up themselves and are reached through their
 * person record, on the audited access path. */
#include <string.h>

#include "api/api.h"
#include "auth/session.h"
#include "base/jsonx.h"
#include "domain/account.h"
#include "sec/password.h"

/* GET /api/v1/offices */
static op_code offices_list(http_req *rq, http_res *rs) {
    json_t *items;
    op_code rc = office_list(rq->c, &items);
    return rc ? rc : http_json(rs, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/v1/offices {"code","name","name_ko","kind","region_code"} */
static op_code offices_create(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"code", "name", "name_ko", "kind", "region_code", NULL};
    static const char *const kinds[] = {"job_centre", "welfare_office", "ministry", NULL};
    ctx *c = rq->c;
    struct office_new o = {0};
    op_code rc;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "code", true, 32, &o.code, &c->err)) ||
        (rc = jx_str(rq->body, "name", true, 200, &o.name, &c->err)) ||
        (rc = jx_str(rq->body, "name_ko", false, 200, &o.name_ko, &c->err)) ||
        (rc = jx_enum(rq->body, "kind", true, kinds, &o.kind, &c->err)) ||
        (rc = jx_str(rq->body, "region_code", true, 6, &o.region_code, &c->err)))
        return rc;
    char id[ID_LEN];
    json_t *office;
    if ((rc = office_create(c, &o, id)) || (rc = office_json(c, id, &office))) return rc;
    return http_json(rs, 201, json_pack("{s:o}", "office", office));
}

/* GET /api/v1/accounts?office=CODE|ID&kind=staff|employer&after=USERNAME&limit=N */
static op_code accounts_list(http_req *rq, http_res *rs) {
    static const char *const kinds[] = {"staff", "employer", NULL};
    ctx *c = rq->c;
    struct account_filter f = {0};
    char office[ID_LEN];
    const char *v;
    if (http_query_int(rq, "limit", 1, 500, 100, &f.limit)) return c->err.code;
    if ((v = http_query(rq, "office")) && *v) {
        op_code rc = office_resolve(c, v, office);
        if (rc == OP_NOT_FOUND)
            return op_fail_field(&c->err, OP_BAD_QUERY, "office", "see GET /api/v1/offices", "office \"%s\" does not exist", v);
        if (rc) return rc;
        f.office_id = office;
    }
    if ((v = http_query(rq, "kind")) && *v) {
        if (!jx_in(v, kinds))
            return op_fail_field(&c->err, OP_BAD_QUERY, "kind", "staff or employer", "kind \"%s\" cannot be listed", v);
        f.kind = v;
    }
    if ((v = http_query(rq, "after")) && *v) {
        if (strlen(v) > 64) return op_fail_field(&c->err, OP_BAD_QUERY, "after", "pass the \"next\" value of the previous page", "the cursor is not valid");
        f.after = v;
    }
    json_t *items;
    const char *next;
    op_code rc = account_list(c, &f, &items, &next);
    if (rc) return rc;
    json_t *o = json_pack("{s:o}", "items", items);
    json_object_set_new(o, "next", next ? json_string(next) : json_null());
    return http_json(rs, 200, o);
}

/* POST /api/v1/accounts: a staff or employer account. */
static op_code accounts_create(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"username", "password", "kind", "role", "office", "employer_id", "display_name",
                                         "locale", NULL};
    static const char *const kinds[] = {"staff", "employer", NULL};
    static const char *const locales[] = {"ko", "en", NULL};
    ctx *c = rq->c;
    struct account_new n = {0};
    op_code rc;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "username", true, 64, &n.username, &c->err)) ||
        (rc = jx_str(rq->body, "password", true, PASSWORD_MAX_BYTES, &n.password, &c->err)) ||
        (rc = jx_str(rq->body, "kind", true, 16, &n.kind, &c->err)))
        return rc;
    if (!jx_in(n.kind, kinds))
        return op_fail_field(&c->err, OP_VALIDATION, "kind", "citizens sign up themselves at POST /api/v1/auth/signup",
                             "field \"kind\" must be \"staff\" or \"employer\"");
    if ((rc = jx_str(rq->body, "role", false, 32, &n.role, &c->err)) || (rc = jx_str(rq->body, "office", false, 64, &n.office, &c->err)) ||
        (rc = jx_str(rq->body, "employer_id", false, 36, &n.employer_id, &c->err)) ||
        (rc = jx_str(rq->body, "display_name", false, 200, &n.display_name, &c->err)) ||
        (rc = jx_enum(rq->body, "locale", false, locales, &n.locale, &c->err)))
        return rc;
    char id[ID_LEN];
    json_t *acc;
    if ((rc = account_create(c, &n, id)) || (rc = account_json(c, id, &acc))) return rc;
    return http_json(rs, 201, json_pack("{s:o}", "account", acc));
}

struct route admin_routes[] = {
    {"GET", "/api/v1/offices", offices_list, R_PUBLIC, 0, NULL, 0, "list offices (the public directory of job centres and welfare offices)", "admin", NULL},
    {"POST", "/api/v1/offices", offices_create, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, ROLE_ADMIN, NULL, 8192,
     "create an office (admins)", "admin", NULL},
    {"GET", "/api/v1/accounts", accounts_list, R_STAFF, ROLE_ADMIN, NULL, 0,
     "list staff and employer accounts, by office and kind (admins)", "admin", NULL},
    /* Not R_IDEMPOTENT: the idempotency record keeps a fast SHA-256 of the body, which holds a password. */
    {"POST", "/api/v1/accounts", accounts_create, R_STAFF | R_WRITE | R_OWN_TX | R_BODY_JSON, ROLE_ADMIN, NULL, 8192,
     "create a staff or employer account (admins)", "admin", NULL},
    ROUTE_END,
};
