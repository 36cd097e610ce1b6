/* client_int.h - private to the DCI client (client.c: queries; client_sub.c: subscriptions,
 * unsubscribe, transaction status and our receivers for their callbacks). */
#ifndef OPENPES_DCI_CLIENT_INT_H
#define OPENPES_DCI_CLIENT_INT_H
#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"
#include "privacy/access.h"

/* An outbound partner as loaded for a call (arena strings; secret and token decrypted). */
struct dci_ob {
    const char *id, *kind, *base_url, *token_url, *client_id, *secret, *receiver_id, *sig_mode, *callback_url, *token;
    const char *jwks_url; /* NULL: the JWKS was configured from a file */
    json_t *jwks, *purposes;
    int64_t timeout_s, token_expires, jwks_fetched_at;
};

op_code dci_ob_load(ctx *c, const char *id, struct dci_ob *o);
/* POST payload; *status the HTTP status, *body the parsed JSON answer (arena, may be NULL). */
op_code dci_ob_post(ctx *c, const struct dci_ob *o, const char *url, const char *ctype, const char *bearer, const char *payload,
                    long *status, json_t **body);
/* A bearer token at the partner: the cached one unless it (nearly) expired or force. */
op_code dci_ob_token(ctx *c, struct dci_ob *o, bool force, const char **out);
/* The partner's signature on env per its mode (OP_OK or OP_BAD_REQUEST in e). */
/* An unknown kid re-fetches the partner's JWKS from its jwks_url first (at most once a minute,
 * never inside a transaction). */
op_code dci_ob_verify(ctx *c, struct dci_ob *o, const json_t *env, op_err *e);
/* Record an outbound transaction's outcome (own short transaction; facts stored sealed). */
op_code dci_ob_finish(ctx *c, const char *tid, const char *status, const json_t *facts, const char *error, const char *corr);
/* The access path for an exchange with another registry under `purpose` (client.c): about the
 * person when there is one (person NULL: the purpose alone, audited without a person). */
op_code dci_client_audit(ctx *c, const char *purpose, enum pd_action person_act, enum pd_action none_act,
                         const char *rtype, const char *rid, const char *person);

/* Which of n registries sharing one sender id sent a notification (pure; client_sub.c): those whose
 * JWKS holds the signature's kid (when any does), then those holding one of the items' subscription
 * codes (holds_code may be NULL; when any does).  Returns the index + 1 of the only one left, else
 * minus the number left (never "the first").  n at most DCI_PICK_MAX. */
#define DCI_PICK_MAX 16
int dci_pick_sender(int n, const json_t *const *jwks, const bool *holds_code, const char *kid);

#endif
