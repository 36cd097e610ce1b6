/* client.h - OpenPES as a DCI client of other registries (contracts/dci-ess.md "Client side";
 * docs/DCI.md "Client side").
 *
 * Outbound partners (table dci_outbound): a registry we query - its base URL, our client id and
 * secret at its token endpoint (the secret and the cached token encrypted with the field key),
 * its JWKS, the signature mode we apply to its answers, the purposes it is configured for (a
 * national id is only ever sent to a partner configured for the query's purpose), an optional
 * callback URL (our on-search receiver) for async queries, and a timeout.
 *
 * Queries (table dci_outbound_txns, state pending/answered/error): a social-registry lookup of a
 * person's household income percentile and basic-livelihood status (facts for the NESP
 * calculator), or an IBR enrollment check (is the person enrolled in another benefit programme).
 * No database transaction is held across a network call. */
#ifndef OPENPES_DCI_CLIENT_H
#define OPENPES_DCI_CLIENT_H
#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"

#define DCI_KIND_SR "social-registry"
#define DCI_KIND_IBR "ibr"

struct dci_outbound_new {
    const char *id, *name, *kind, *base_url, *token_url, *client_id, *secret, *receiver_id, *sig_mode, *callback_url;
    const char *jwks_url;   /* where jwks was fetched from (dci_jwks_fetch), refreshed from there; NULL: a file */
    const json_t *jwks;     /* {"keys":[{kty:OKP, crv:Ed25519, kid, x}]} */
    const json_t *purposes; /* array of purpose codes */
    int64_t timeout_s;      /* 0: default 10 */
};
/* Create or replace (validated; the caller holds a transaction). */
op_code dci_outbound_put(ctx *c, const struct dci_outbound_new *n);
/* {"items":[{id, name, kind, base_url, token_url, client_id, receiver_id, sig_mode, purposes, callback_url,
 * timeout_s, keys:[kid]}]} (no secrets) */
op_code dci_outbound_list(ctx *c, json_t **out);
/* Fetch a JWKS from url (libcurl, TLS verified) and validate it like the file form (1-20 OKP/Ed25519
 * keys).  *jwks a new reference.  OP_VALIDATION (not a JWKS), OP_UNAVAILABLE (unreachable, HTTP error). */
op_code dci_jwks_fetch(ctx *c, const char *url, int64_t timeout_s, json_t **jwks, op_err *e);
/* Periodic: the JWKS of every partner configured with a URL, fetched again once its copy is older
 * than OPENPES_DCI_JWKS_REFRESH_S (default 3600 s).  Returns how many were refreshed. */
int dci_jwks_refresh_due(ctx *c);
/* Remove (the caller holds a transaction): the partner is disabled - its secret and cached token
 * wiped, its subscriptions marked unsubscribed - and its history (transactions, notifications,
 * audit) kept.  A removed partner cannot be queried, its callbacks are refused, its id cannot be
 * re-added.  Removing twice is not an error. */
op_code dci_outbound_remove(ctx *c, const char *id);
/* The partner for a kind (DCI_KIND_SR / DCI_KIND_IBR): `id` when given (it must be of that kind
 * and not removed), else the only active one.  None or several -> OP_VALIDATION (field partner). */
op_code dci_outbound_pick(ctx *c, const char *kind, const char *id, char out[72]);

/* ---- pure parts (unit-tested) ---- */
struct dci_client_req {
    const char *kind, *sender_id, *receiver_id, *message_id, *message_ts, *transaction_id, *reference_id;
    const char *national_id, *purpose;
    const char *sender_uri; /* async: our on-search receiver; NULL for sync */
};
/* {"header":{...},"message":{...}} (unsigned); NULL when a field is missing. */
json_t *dci_client_build(const struct dci_client_req *r);
/* Normalise an answer message (on-search of a social registry, or an IBR enrolled response) into
 * facts: social registry {"found", "household_income_pct"?, "basic_livelihood_status"?};
 * IBR {"found", "enrolled", "programmes":[{programme, enrolled_status}]}.  An item rejected by the
 * partner, or a message of the wrong shape -> OP_BAD_REQUEST with the partner's reason. */
op_code dci_client_normalise(const char *kind, const json_t *message, json_t **facts, op_err *e);

/* ---- queries ---- */
struct dci_query {
    const char *partner_id, *national_id;
    const char *kind;    /* NULL: the partner's kind; else must match */
    const char *purpose; /* NULL: employment_service (social registry) / benefit_administration (IBR) */
    bool async;
};
/* Run one query (no open transaction).  *out: {transaction_id, partner, kind, mode, status
 * ("answered" | "pending"), facts?}.  Errors: OP_NOT_FOUND (partner), OP_VALIDATION (input),
 * OP_FORBIDDEN (purpose not configured / access refused, audited), OP_UNAVAILABLE (network,
 * timeout, token endpoint, ERR reply), OP_BAD_REQUEST (bad signature or malformed answer).
 * The transaction row records the outcome either way. */
op_code dci_client_query(ctx *c, const struct dci_query *q, json_t **out);
/* The stored outbound transaction {transaction_id, partner, kind, mode, purpose, status,
 * correlation_id, facts?, error?}. */
op_code dci_client_txn_get(ctx *c, const char *transaction_id, json_t **out);
/* Our on-search receiver: verify and match a callback.  OP_OK (*ack set), or an error with
 * *dci_code the err.* code for the ERR reply. */
op_code dci_client_on_search(ctx *c, const json_t *body, const char **dci_code);

/* ---- subscriptions at other registries (client_sub.c) ---- */
struct dci_sub_out {
    const char *partner_id, *event_type; /* event_type: the partner's reg_event_type */
    const char *purpose;                 /* NULL: as for queries */
    const char *frequency;               /* a cron expression, or NULL (real time) */
    const json_t *national_ids;          /* the people followed: 1-100 national ids */
};
/* Subscribe (signed, sender_uri our on-subscribe); *out {transaction_id, partner, action, purpose,
 * status ("pending" after an ACK, "answered" when the partner answered inline), correlation_id?,
 * subscriptions?}.  Errors as dci_client_query. */
op_code dci_client_subscribe(ctx *c, const struct dci_sub_out *s, json_t **out);
/* Unsubscribe the partner's subscription codes (sender_uri our on-unsubscribe). */
op_code dci_client_unsubscribe(ctx *c, const char *partner_id, const json_t *codes, json_t **out);
/* Ask the partner about one of our outbound transactions: sync/txn/status (answer applied to a
 * pending transaction at once), or async txn/status (answered at our txn/on-status). */
op_code dci_client_status(ctx *c, const char *transaction_id, bool async, json_t **out);
/* {"items":[{partner, code?, transaction_id, reference_id, event_type, purpose, frequency?, status, reason?}]} */
op_code dci_client_subs_list(ctx *c, const char *partner_id, json_t **out);
/* Our receivers: action "on-subscribe", "on-unsubscribe", "txn-on-status" or "notify".  OP_OK
 * (answer ACK), or an error with *dci_code the err.* code for the ERR reply. */
op_code dci_client_receive(ctx *c, const char *action, const json_t *body, const char **dci_code);

/* Convenience for the NESP calculator: {"household_income_pct", "basic_livelihood_status"} */
op_code dci_client_nesp_facts(ctx *c, const char *partner_id, const char *national_id, json_t **facts);
/* Duplicate-benefit check (IBR): *enrolled, and facts with the programmes. */
op_code dci_client_ibr_enrolled(ctx *c, const char *partner_id, const char *national_id, bool *enrolled, json_t **facts);

/* ---- the duplicate-benefit check of claims (client_dup.c; the EI hook is ei/ei_dup.h) ---- */
/* The claim flow's question "which IBR?": 1 (the only active IBR, in partner), 0 none, -1 several. */
int dci_dup_partner(ctx *c, char partner[72]);
/* Worker: claim.dup_check {claim_id, person_id, partner} -> ask the IBR, record the outcome. */
op_code dci_dup_on_claim(ctx *c, long long id, const char *type, const char *subject, json_t *payload);

#endif
