/* registry.h - the DCI registry server pipeline shared by every /registry/ and /ess/ endpoint:
 * bearer token and scope, body parsing, envelope (envelope.h), partner, signature per the
 * partner's mode (dci_sig.h), page-size check, message-id replay, then the action; replies are
 * signed with our key.  See docs/DCI.md. */
#ifndef OPENPES_DCI_REGISTRY_H
#define OPENPES_DCI_REGISTRY_H
#include <jansson.h>

#include "dci/envelope.h"
#include "dci/partner.h"
#include "http/route.h"

#define DCI_OUR_ID "openpes"
#define DCI_JSON_MAX (1u << 20)   /* a JSON request body */
#define DCI_ITEMS_MAX 100         /* search/subscribe items in a JSON request */

struct dci_batch;

struct dci_call {
    ctx *c;
    http_req *rq;
    http_res *rs;
    struct dci_env env;
    struct dci_partner partner;
    const char *path_action; /* "sync/search", ... (for audit details) */
    const struct dci_batch *batch; /* a multipart batch file (batchfile.c), else NULL */
};

/* Steps up to and including replay protection.  Returns true to proceed; false when the
 * response (401/403 or ERR) has already been written to rs.  dci_begin = dci_auth (bearer token
 * and scope), the JSON body, then dci_begin_env (envelope, partner, signature over header and
 * signed_message - NULL: the envelope's message -, item limits, replay). */
bool dci_auth(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *path_action);
bool dci_begin_env(struct dci_call *k, const json_t *body, const char *const *actions, const json_t *signed_message);
bool dci_begin(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *const *actions,
               const char *path_action);
/* Write an ERR envelope (HTTP 200) / an HTTP-level error carrying both shapes. */
op_code dci_reply_err(struct dci_call *k, const char *code, const char *msg);
op_code dci_reply_http(struct dci_call *k, int status, const char *code, const char *msg);
/* An error whose error object also carries detail and hint (batch-file problems): status 200 ->
 * the ERR envelope, else the HTTP-level shape (both envelopes). */
op_code dci_reply_err_hint(struct dci_call *k, int status, const char *code, const char *msg, const char *detail, const char *hint);
/* A signed sync reply {signature, header(action, status, counts), message}. */
op_code dci_reply_signed(struct dci_call *k, const char *action, const char *status, int64_t total, int64_t completed,
                         json_t *message);

/* {signature, header, message} signed with our key (callbacks and sync replies); NULL on error. */
json_t *dci_signed_envelope(ctx *c, const char *action, const char *status, int64_t total, int64_t completed,
                            const char *receiver, json_t *message);

/* The worker's handler for "dci." events (async searches and their callbacks); registered by the
 * program (src/cli/wiring.c). */
op_code dci_async_on_event(ctx *c, long long id, const char *type, const char *subject, json_t *payload);

/* An async transaction (dci_transactions): a request we answer by callback, or a notification
 * we send.  response NULL: the worker computes it (search).  subject: the outbox subject of its
 * delivery event (deliveries of one subject go strictly in order); NULL = the correlation id. */
struct dci_txn_new {
    const char *correlation_id, *sender_id, *transaction_id, *action, *sender_uri, *request; /* request: JSON text */
    const char *status;
    const json_t *response;
    int64_t total, completed;
    const char *subject;
    const char *file_name, *file_format; /* a batch file (multipart upload), else NULL */
    const json_t *pages;                 /* the answer in several callbacks (an array of messages), else NULL */
};
/* message split into messages of at most OPENPES_DCI_ASYNC_PAGE items of its array `list`, in
 * order (arena-owned array; one message when it fits). */
json_t *dci_split_pages(ctx *c, const json_t *message, const char *list);
/* Store it and, when there is something to compute or deliver, its "dci.txn" outbox event, in
 * the caller's open transaction. */
op_code dci_txn_insert(ctx *c, const struct dci_txn_new *t);
/* The plain text of a sealed column (request, response, pages) of transaction corr (arena); NULL
 * when the column is NULL or cannot be opened (logged). */
const char *dci_txn_open(ctx *c, const char *corr, const char *col, const char *stored);

/* Actions (search.c, enroll.c, async.c, subscribe.c): write the response; return OP_OK. */
op_code dci_sync_search(struct dci_call *k);
op_code dci_check_enrollment(struct dci_call *k);
op_code dci_async_search(struct dci_call *k);
op_code dci_txn_status(struct dci_call *k, bool sync);
op_code dci_subscribe(struct dci_call *k);
op_code dci_unsubscribe(struct dci_call *k);

/* Subscriptions (subscribe.c).  The worker's handler for the domain events subscribers may
 * follow (registered in src/cli/wiring.c): one signed notify per matching subscription. */
op_code dci_notify_on_event(ctx *c, long long id, const char *type, const char *subject, json_t *payload);
/* The reg_event_type a domain event type is notified as ("employment.started" ->
 * "employment_started"); NULL when subscribers cannot follow it. */
const char *dci_reg_event_type(const char *domain_type);
/* Canonical stored form of a subscription filter: idtype-value becomes a predicate, UIN values
 * become keyed lookup hashes (no national id is stored in clear).  On failure *reason is the
 * SubscribeStatusReasonCode and msg says why. */
bool dci_sub_filter_normalise(ctx *c, const char *filter_type, const json_t *filter, const char **type_out, json_t **filter_out,
                              const char **reason, char *msg, size_t msgn);

/* Digest delivery (digest.c).  dci_digest_cron: true when the stored frequency (JSON text or
 * NULL) asks for a digest, with its cron in *cr.  dci_digest_period: the correlation id of the
 * subscription's open period that a notification of now joins (the period row is taken, in the
 * caller's transaction); *open false when the cron fires no more.  dci_digest_add: store a
 * rendered notify_event item in that period.  dci_digest_due: the periodic task closing the
 * periods whose time has come (one signed notify each); returns how many, -1 on error. */
struct dci_cron;
bool dci_digest_cron(ctx *c, const char *frequency, struct dci_cron *cr);
op_code dci_digest_period(ctx *c, const char *code, const char *client, const struct dci_cron *cr, char corr[ID_LEN], bool *open);
op_code dci_digest_add(ctx *c, const char *corr, const char *person, long long event_id, const json_t *item);
int dci_digest_due(ctx *c);

/* Search in two halves (the async worker runs the second later).  check: the agreement for each
 * item, or *refusal (audited) / *bad (malformed message). exec: the on-search message. */
struct dci_agreement;
op_code dci_search_check(ctx *c, const json_t *msg, size_t max_items, struct dci_agreement **ags, const char **refusal,
                         const char **bad);
/* exec: *messages is an array of on-search messages: one, unless async_page > 0, when the
 * results of predicate/expression items without explicit pagination are split into pages of
 * async_page records, message k holding page k of every item that has one (several callbacks). */
op_code dci_search_exec(ctx *c, const json_t *msg, const struct dci_agreement *ags, int64_t async_page, json_t **messages);
void dci_search_counts(const json_t *message, int64_t *total, int64_t *completed);
/* The same agreement check for any list of items (list "subscribe_request", criteria
 * "subscribe_criteria"); a refusal is audited. */
op_code dci_items_check(ctx *c, const json_t *msg, const char *list, const char *criteria, size_t max_items,
                        struct dci_agreement **ags, const char **refusal, const char **bad);
/* A search_request item carrying this key {code, message} is answered rjct with them: a line of
 * a batch file that could not be read (batchfile.c). */
#define DCI_LINE_ERROR "openpes_line_error"

#endif
