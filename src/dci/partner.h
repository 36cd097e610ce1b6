/* partner.h - DCI partners (an OAuth2 client + signature mode + public keys from their JWKS),
 * their data-sharing agreements, message-id replay protection and our own signing key
 * (contracts/dci-ess.md "Signatures", "Purpose"; docs/DCI.md). */
#ifndef OPENPES_DCI_PARTNER_H
#define OPENPES_DCI_PARTNER_H
#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"

struct dci_partner_new {
    const char *client_id, *name, *sig_mode, *notify_uri;
    const json_t *jwks; /* {"keys":[{kty:OKP, crv:Ed25519, kid, x}]} or NULL */
    const char *jwks_url; /* where jwks was fetched from (dci_jwks_fetch): its keys replace the partner's,
                             and are fetched again from there; NULL: jwks (if any) came from a file */
};
/* Create or update a partner (the client must exist); keys from jwks are added/replaced. */
op_code dci_partner_put(ctx *c, const struct dci_partner_new *p);

struct dci_agreement_new {
    const char *client_id, *legal_basis, *valid_from, *valid_to; /* valid_to may be NULL */
    const json_t *purposes, *fields, *attributes;                /* arrays of strings */
};
op_code dci_agreement_add(ctx *c, const struct dci_agreement_new *n, char id_out[ID_LEN]);

/* {"items":[{client_id, name, sig_mode, notify_uri, keys:[kid], agreements:[...]}]} */
op_code dci_partner_list(ctx *c, json_t **out);

struct dci_partner {
    char client_id[100], name[128], sig_mode[12];
};
/* OP_NOT_FOUND when the client is not registered as a DCI partner. */
op_code dci_partner_get(ctx *c, const char *client_id, struct dci_partner *p);
/* OP_NOT_FOUND when the partner has no key with this kid.  A partner configured with a JWKS URL
 * has its JWKS fetched again first (at most once a minute; never inside a transaction). */
op_code dci_partner_key(ctx *c, const char *client_id, const char *kid, unsigned char pub[32]);

struct dci_agreement {
    char id[ID_LEN];
    const char *purpose, *legal_basis;
    json_t *fields, *attributes; /* arena-owned */
};
enum dci_agreement_result { DCI_AG_OK, DCI_AG_NONE, DCI_AG_PURPOSE, DCI_AG_EXPIRED };
/* The agreement covering `purpose` (NULL: the default purpose, the first purpose of the newest
 * agreement in force) today.  *res says why none applies. */
op_code dci_agreement_find(ctx *c, const char *client_id, const char *purpose, struct dci_agreement *ag,
                           enum dci_agreement_result *res);
bool dci_agreement_allows_field(const struct dci_agreement *ag, const char *path);
bool dci_agreement_allows_attr(const struct dci_agreement *ag, const char *attr);

/* Fetch the JWKS of a partner configured with a URL again (force: regardless of the once-a-minute
 * limit; never inside a transaction).  true when its keys were replaced. */
bool dci_partner_refresh_keys(ctx *c, const char *client_id, bool force);
/* Record (sender, message_id); OP_DUPLICATE when seen within the last 24 h. */
op_code dci_replay_check(ctx *c, const char *sender_id, const char *message_id);

/* Our signing key (created and stored encrypted on first use). */
op_code dci_own_key(ctx *c, char kid[64], unsigned char priv[32]);
/* {"keys":[{kty,crv,kid,x,use,alg}]} of our active keys. */
op_code dci_jwks(ctx *c, json_t **out);

/* Async transactions for operators, newest first: {"items":[{correlation_id, sender_id,
 * transaction_id, action, status, callback_state, callback_attempts, last_error, created_at,
 * updated_at}]}.  client and callback_state may be NULL (all). */
op_code dci_txn_list(ctx *c, const char *client, const char *callback_state, int limit, json_t **out);

/* The Member paths an agreement may list (NULL-terminated). */
extern const char *const dci_member_fields[];

#endif
