/* h_dci.c - DCI registry endpoints under /registry/ and /ess/ (contracts/dci-ess.md), our JWKS,
 * partner-info, and the admin API for partners and data-sharing agreements (docs/DCI.md).
 *
 * Registry routes are public in the table so that authentication failures are answered in the
 * DCI shape (dci_begin checks the partner token and scope itself) and take raw bodies so that a
 * malformed body is an ERR envelope, not the OpenPES error envelope. */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "dci/batchfile.h"
#include "dci/client.h"
#include "dci/registry.h"

static const char *const search_actions[] = {"search", NULL};
static const char *const enrol_actions[] = {"search", "enrollementstatus", "check-enrollment", NULL};

static op_code sync_search(http_req *rq, http_res *rs) {
    struct dci_call k;
    if (!dci_begin(&k, rq, rs, "registry.search", search_actions, "sync/search")) return OP_OK;
    return dci_sync_search(&k);
}

static op_code check_enrollment(http_req *rq, http_res *rs) {
    struct dci_call k;
    if (!dci_begin(&k, rq, rs, "registry.enrollment", enrol_actions, "sync/check-enrollment")) return OP_OK;
    return dci_check_enrollment(&k);
}

static const char *const status_actions[] = {"txn-status", NULL};

static const char *const file_formats[] = {"json", "csv", "jsonl", NULL};

/* Async search: a JSON envelope, or a batch file (multipart/form-data FileInfo, batchfile.h). */
static op_code async_search(http_req *rq, http_res *rs) {
    struct dci_call k;
    struct dci_batch b;
    bool go = http_is_multipart(rq) ? dci_begin_batch(&k, rq, rs, "registry.search", search_actions, "search", file_formats, &b)
                                    : dci_begin(&k, rq, rs, "registry.search", search_actions, "search");
    return go ? dci_async_search(&k) : OP_OK;
}

/* Async status: a JSON envelope, or a batch file of status requests (one callback a line). */
static op_code txn_status(http_req *rq, http_res *rs) {
    struct dci_call k;
    struct dci_batch b;
    bool go = http_is_multipart(rq) ? dci_begin_batch(&k, rq, rs, "registry.search", status_actions, "txn/status", file_formats, &b)
                                    : dci_begin(&k, rq, rs, "registry.search", status_actions, "txn/status");
    return go ? dci_txn_status(&k, false) : OP_OK;
}

static op_code sync_txn_status(http_req *rq, http_res *rs) {
    struct dci_call k;
    if (!dci_begin(&k, rq, rs, "registry.search", status_actions, "sync/txn/status")) return OP_OK;
    return dci_txn_status(&k, true);
}

static const char *const subscribe_actions[] = {"subscribe", NULL};
static const char *const unsubscribe_actions[] = {"unsubscribe", NULL};

static op_code subscribe(http_req *rq, http_res *rs) {
    struct dci_call k;
    struct dci_batch b;
    bool go = http_is_multipart(rq)
                  ? dci_begin_batch(&k, rq, rs, "registry.subscribe", subscribe_actions, "subscribe", file_formats, &b)
                  : dci_begin(&k, rq, rs, "registry.subscribe", subscribe_actions, "subscribe");
    return go ? dci_subscribe(&k) : OP_OK;
}

static op_code unsubscribe(http_req *rq, http_res *rs) {
    struct dci_call k;
    struct dci_batch b;
    bool go = http_is_multipart(rq)
                  ? dci_begin_batch(&k, rq, rs, "registry.subscribe", unsubscribe_actions, "unsubscribe", file_formats, &b)
                  : dci_begin(&k, rq, rs, "registry.subscribe", unsubscribe_actions, "unsubscribe");
    return go ? dci_unsubscribe(&k) : OP_OK;
}

static op_code jwks(http_req *rq, http_res *rs) {
    json_t *o;
    op_code rc = dci_jwks(rq->c, &o);
    return rc ? rc : http_json(rs, 200, o);
}

/* GET /registry/partner-info: the calling partner's signature mode and agreements. */
static op_code partner_info(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    struct dci_call k = {.c = c, .rq = rq, .rs = rs};
    if (c->who.type != ACTOR_PARTNER) return dci_reply_http(&k, 401, "err.request.unauthorized", "a partner bearer token is required");
    struct dci_partner p;
    if (dci_partner_get(c, c->who.id, &p)) {
        op_clear(&c->err);
        return dci_reply_http(&k, 403, "err.request.forbidden", "this client is not registered as a DCI partner");
    }
    json_t *all;
    op_code rc = dci_partner_list(c, &all);
    if (rc) return rc;
    json_t *mine = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(all, "items"), i, o) if (strcmp(json_string_value(json_object_get(o, "client_id")), p.client_id) == 0) mine =
        json_incref(o);
    json_decref(all);
    json_object_set_new(mine, "registry_id", json_string(DCI_OUR_ID));
    return http_json(rs, 200, mine);
}

/* ---- admin API ---- */

static op_code partners_list(http_req *rq, http_res *rs) {
    json_t *o;
    op_code rc = dci_partner_list(rq->c, &o);
    return rc ? rc : http_json(rs, 200, o);
}

/* GET /api/v1/partners/transactions?client=&callback_state=&limit= : async transactions and their
 * callback state, for operators. */
static op_code partners_txns(http_req *rq, http_res *rs) {
    int64_t limit;
    op_code rc = http_query_int(rq, "limit", 1, 1000, 100, &limit);
    if (rc) return rc;
    json_t *o;
    if ((rc = dci_txn_list(rq->c, http_query(rq, "client"), http_query(rq, "callback_state"), (int)limit, &o))) return rc;
    return http_json(rs, 200, o);
}

/* POST /api/v1/partners {"client_id","name"?,"sig_mode"?,"notify_uri"?,"jwks"?} */
static op_code partners_put(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"client_id", "name", "sig_mode", "notify_uri", "jwks", NULL};
    ctx *c = rq->c;
    op_code rc;
    struct dci_partner_new n = {0};
    json_t *jw = NULL;
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "client_id", true, 99, &n.client_id, &c->err)) ||
        (rc = jx_str(rq->body, "name", false, 128, &n.name, &c->err)) || (rc = jx_str(rq->body, "sig_mode", false, 12, &n.sig_mode, &c->err)) ||
        (rc = jx_str(rq->body, "notify_uri", false, 500, &n.notify_uri, &c->err)) || (rc = jx_object(rq->body, "jwks", false, &jw, &c->err)))
        return rc;
    n.jwks = jw;
    if ((rc = dci_partner_put(c, &n))) return rc;
    return http_json(rs, 201, json_pack("{s:s}", "client_id", n.client_id));
}

/* POST /api/v1/partners/{id}/agreements {"purposes","fields","attributes","legal_basis","valid_from","valid_to"?} */
static op_code agreements_add(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"purposes", "fields", "attributes", "legal_basis", "valid_from", "valid_to", NULL};
    ctx *c = rq->c;
    op_code rc;
    struct dci_agreement_new n = {.client_id = http_param(rq, 0)};
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "legal_basis", true, 300, &n.legal_basis, &c->err)) ||
        (rc = jx_date(rq->body, "valid_from", true, &n.valid_from, &c->err)) || (rc = jx_date(rq->body, "valid_to", false, &n.valid_to, &c->err)))
        return rc;
    n.purposes = json_object_get(rq->body, "purposes");
    n.fields = json_object_get(rq->body, "fields");
    n.attributes = json_object_get(rq->body, "attributes");
    char id[ID_LEN];
    if ((rc = dci_agreement_add(c, &n, id))) return rc;
    return http_json(rs, 201, json_pack("{s:s}", "id", id));
}

/* ---- client side: our receivers for registries we query or subscribe to ---- */

/* POST /registry/on-search, /ess/on-search and the others below.  Our receivers: on-search answers to our async searches, and the callbacks and notifications of
 * registries we subscribe to (client_sub.c) - signed by the partner, matched to our transaction
 * or subscription; ERR envelope on a problem.  action NULL: on-search (client.c), acknowledged
 * with our correlation id; the others with the message's own when it is a valid id. */
static op_code receive(http_req *rq, http_res *rs, const char *action) {
    ctx *c = rq->c;
    struct dci_call k = {.c = c, .rq = rq, .rs = rs};
    const char *ct = http_header(rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) return dci_reply_err(&k, "err.request.bad", "send Content-Type: application/json");
    json_t *body = NULL;
    op_err pe = {0};
    if (jx_parse(c->a, rq->raw, rq->raw_len, &body, &pe)) return dci_reply_err(&k, "err.request.bad", "the body is not a JSON object");
    const char *code = NULL;
    op_code rc = action ? dci_client_receive(c, action, body, &code) : dci_client_on_search(c, body, &code);
    if (rc == OP_STORE || rc == OP_INTERNAL) return rc;
    if (rc) {
        const char *msg = arena_strdup(c->a, c->err.detail);
        op_clear(&c->err);
        return dci_reply_err(&k, code ? code : "err.request.bad", msg);
    }
    const char *corr = action ? json_string_value(json_object_get(json_object_get(body, "message"), "correlation_id")) : NULL;
    return http_json(rs, 200, dci_ack("ACK", corr && dci_id_ok(corr) ? corr : c->correlation_id, NULL, NULL));
}
static op_code on_search(http_req *rq, http_res *rs) { return receive(rq, rs, NULL); }
static op_code on_subscribe(http_req *rq, http_res *rs) { return receive(rq, rs, "on-subscribe"); }
static op_code on_unsubscribe(http_req *rq, http_res *rs) { return receive(rq, rs, "on-unsubscribe"); }
static op_code on_status(http_req *rq, http_res *rs) { return receive(rq, rs, "txn-on-status"); }
static op_code on_notify(http_req *rq, http_res *rs) { return receive(rq, rs, "notify"); }

/* GET /api/v1/partners/outbound/subscriptions?partner= : our subscriptions at other registries. */
static op_code outbound_subs(http_req *rq, http_res *rs) {
    json_t *o;
    op_code rc = dci_client_subs_list(rq->c, http_query(rq, "partner"), &o);
    return rc ? rc : http_json(rs, 200, o);
}

/* POST /api/v1/partners/{id}/test-query {"national_id", "kind"?, "purpose"?, "async"?}: a query to a
 * registry we query (dci_outbound id), as the admin (audited through the access path). */
static op_code test_query(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"national_id", "kind", "purpose", "async", NULL};
    ctx *c = rq->c;
    op_code rc;
    struct dci_query q = {.partner_id = http_param(rq, 0)};
    if ((rc = jx_only(rq->body, fields, NULL, &c->err)) || (rc = jx_str(rq->body, "national_id", true, 64, &q.national_id, &c->err)) ||
        (rc = jx_str(rq->body, "kind", false, 20, &q.kind, &c->err)) || (rc = jx_str(rq->body, "purpose", false, 64, &q.purpose, &c->err)) ||
        (rc = jx_bool(rq->body, "async", false, &q.async, NULL, &c->err)))
        return rc;
    if (!q.purpose) q.purpose = c->purpose ? c->purpose : "system_operation";
    json_t *o;
    if ((rc = dci_client_query(c, &q, &o))) return rc;
    return http_json(rs, 200, o);
}

/* GET /api/v1/partners/outbound: registries we query (no secrets). */
static op_code outbound_list(http_req *rq, http_res *rs) {
    json_t *o;
    op_code rc = dci_outbound_list(rq->c, &o);
    return rc ? rc : http_json(rs, 200, o);
}

/* DELETE /api/v1/partners/outbound/{id}: the registry is removed (disabled; its history kept). */
static op_code outbound_remove(http_req *rq, http_res *rs) {
    op_code rc = dci_outbound_remove(rq->c, http_param(rq, 0));
    return rc ? rc : http_json(rs, 200, json_pack("{s:s, s:s}", "id", http_param(rq, 0), "status", "removed"));
}

/* GET /api/v1/partners/outbound/transactions/{id}: one outbound query and its state. */
static op_code outbound_txn(http_req *rq, http_res *rs) {
    json_t *o;
    op_code rc = dci_client_txn_get(rq->c, http_param(rq, 0), &o);
    return rc ? rc : http_json(rs, 200, o);
}

#define DCI_ROUTE(path, fn, scope_summary)                                                                             \
    {"POST", path, fn, R_PUBLIC | R_BODY_RAW, 0, NULL, DCI_JSON_MAX, scope_summary, "dci", NULL}
/* async endpoints that also take a batch file (multipart/form-data FileInfo) */
#define DCI_FILE_ROUTE(path, fn, scope_summary)                                                                        \
    {"POST", path, fn, R_PUBLIC | R_BODY_RAW, 0, NULL, DCI_BATCH_BODY_MAX, scope_summary, "dci", NULL}

struct route dci_routes[] = {
    DCI_ROUTE("/registry/sync/search", sync_search, "DCI sync search (scope registry.search)"),
    DCI_ROUTE("/ess/sync/search", sync_search, "DCI sync search, ESS path (scope registry.search)"),
    DCI_FILE_ROUTE("/registry/search", async_search,
                   "DCI async search (JSON, or a json/csv/jsonl batch file as multipart FileInfo): ACK, then signed on-search callbacks"
                   " (scope registry.search)"),
    DCI_FILE_ROUTE("/ess/search", async_search, "DCI async search, ESS path; JSON or a batch file (scope registry.search)"),
    DCI_FILE_ROUTE("/registry/txn/status", txn_status,
                   "DCI transaction status (JSON, or a json/csv/jsonl batch file): ACK, then txn-on-status callbacks (scope registry.search)"),
    DCI_FILE_ROUTE("/ess/txn/status", txn_status, "DCI transaction status, ESS path; JSON or a batch file (scope registry.search)"),
    DCI_ROUTE("/registry/sync/txn/status", sync_txn_status, "DCI transaction status, answered inline (scope registry.search)"),
    DCI_ROUTE("/ess/sync/txn/status", sync_txn_status, "DCI transaction status inline, ESS path (scope registry.search)"),
    DCI_FILE_ROUTE("/registry/subscribe", subscribe,
                   "DCI subscribe (JSON, or a json/csv/jsonl batch file as multipart FileInfo): ACK, then signed on-subscribe callbacks;"
                   " notify on events (scope registry.subscribe)"),
    DCI_FILE_ROUTE("/ess/subscribe", subscribe, "DCI subscribe, ESS path; JSON or a batch file (scope registry.subscribe)"),
    DCI_FILE_ROUTE("/registry/unsubscribe", unsubscribe,
                   "DCI unsubscribe (JSON, or a json/csv/jsonl batch file): ACK, then a signed on-unsubscribe callback (scope registry.subscribe)"),
    DCI_FILE_ROUTE("/ess/unsubscribe", unsubscribe, "DCI unsubscribe, ESS path; JSON or a batch file (scope registry.subscribe)"),
    DCI_ROUTE("/registry/on-search", on_search, "our receiver for on-search callbacks of registries we query (signed by them)"),
    DCI_ROUTE("/ess/on-search", on_search, "our receiver for on-search callbacks, ESS path"),
    DCI_ROUTE("/registry/on-subscribe", on_subscribe, "our receiver for on-subscribe callbacks of registries we subscribe to (signed by them)"),
    DCI_ROUTE("/ess/on-subscribe", on_subscribe, "our receiver for on-subscribe callbacks, ESS path"),
    DCI_ROUTE("/registry/on-unsubscribe", on_unsubscribe, "our receiver for on-unsubscribe callbacks (signed by the registry)"),
    DCI_ROUTE("/ess/on-unsubscribe", on_unsubscribe, "our receiver for on-unsubscribe callbacks, ESS path"),
    DCI_ROUTE("/registry/txn/on-status", on_status, "our receiver for txn-on-status callbacks (signed by the registry)"),
    DCI_ROUTE("/ess/txn/on-status", on_status, "our receiver for txn-on-status callbacks, ESS path"),
    DCI_ROUTE("/registry/notify", on_notify, "our receiver for notifications of registries we subscribe to (signed by them)"),
    DCI_ROUTE("/ess/notify", on_notify, "our receiver for notifications, ESS path"),
    DCI_ROUTE("/registry/sync/check-enrollment", check_enrollment, "DCI enrollment check (scope registry.enrollment)"),
    DCI_ROUTE("/registry/sync/enrolled", check_enrollment, "DCI enrollment check, IBR name (scope registry.enrollment)"),
    DCI_ROUTE("/ess/sync/check-enrollment", check_enrollment, "DCI enrollment check, ESS path (scope registry.enrollment)"),
    {"GET", "/registry/partner-info", partner_info, R_PUBLIC, 0, NULL, 0, "the calling partner's signature mode and agreements", "dci", NULL},
    {"GET", "/.well-known/jwks.json", jwks, R_PUBLIC, 0, NULL, 0, "our DCI signing keys (JWKS)", "dci", NULL},
    {"GET", "/api/v1/partners", partners_list, R_STAFF, ROLE_ADMIN, NULL, 0, "list DCI partners and their agreements", "dci", NULL},
    {"GET", "/api/v1/partners/transactions", partners_txns, R_STAFF, ROLE_ADMIN, NULL, 0,
     "async DCI transactions and their callback state (operators)", "dci", NULL},
    {"POST", "/api/v1/partners", partners_put, R_STAFF | R_WRITE | R_BODY_JSON, ROLE_ADMIN, NULL, 65536,
     "register or update a DCI partner (client, signature mode, JWKS)", "dci", NULL},
    {"POST", "/api/v1/partners/{id}/agreements", agreements_add, R_STAFF | R_WRITE | R_BODY_JSON, ROLE_ADMIN, NULL, 65536,
     "add a data-sharing agreement", "dci", NULL},
    {"GET", "/api/v1/partners/outbound", outbound_list, R_STAFF, ROLE_ADMIN, NULL, 0, "registries we query as a DCI client", "dci", NULL},
    {"GET", "/api/v1/partners/outbound/subscriptions", outbound_subs, R_STAFF, ROLE_ADMIN, NULL, 0,
     "our subscriptions at other registries (admin)", "dci", NULL},
    {"DELETE", "/api/v1/partners/outbound/{id}", outbound_remove, R_STAFF | R_WRITE, ROLE_ADMIN, NULL, 0,
     "remove a registry we query: disabled, secret and token wiped, callbacks refused; its transactions and notifications kept", "dci", NULL},
    {"GET", "/api/v1/partners/outbound/transactions/{id}", outbound_txn, R_STAFF, ROLE_ADMIN, NULL, 0,
     "one outbound DCI query and its state (pending/answered/error)", "dci", NULL},
    {"POST", "/api/v1/partners/{id}/test-query", test_query, R_STAFF | R_WRITE | R_OWN_TX | R_BODY_JSON, ROLE_ADMIN, NULL, 4096,
     "send a test query to a registry we query (admin; audited)", "dci", NULL},
    ROUTE_END,
};
