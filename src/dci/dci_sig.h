/* dci_sig.h - the DCI message signature profile (contracts/dci-ess.md, "Signatures").
 *
 *   keyId="{sender_id}|{key_id}|ed25519",algorithm="ed25519",created="{unix}",
 *   expires="{unix}",headers="(created) (expires) digest",signature="{base64}"
 *
 * (a leading "Signature: " is accepted on input; created may be at most 60 s ahead of our clock,
 * expires must not have passed and the lifetime is at most 3600 s, per the contract's clarifications)
 *
 * over the string "(created): {unix}\n(expires): {unix}\ndigest: BLAKE-512={b64}" where the
 * digest is BLAKE2b-512 of JCS({"header":H,"message":M}). */
#ifndef OPENPES_DCI_SIG_H
#define OPENPES_DCI_SIG_H
#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

#define DCI_SIG_MAX_SKEW 60
#define DCI_SIG_MAX_LIFETIME 3600

char *dci_sig_create(arena *a, const json_t *header, const json_t *message, const char *sender_id,
                     const char *key_id, const unsigned char priv[32], int64_t created, int64_t expires);

struct dci_sig_parts {
    char sender_id[128], key_id[128];
    int64_t created, expires;
};
/* Parse the signature string (no verification). */
op_code dci_sig_parse(const char *sig, struct dci_sig_parts *p, op_err *e);
/* Verify sig over header+message with pub; now = unix seconds.  OP_OK, or OP_FORBIDDEN with
 * detail naming the reason (malformed, expired, not yet valid, digest/signature mismatch). */
op_code dci_sig_verify(arena *a, const char *sig, const json_t *header, const json_t *message,
                       const unsigned char pub[32], int64_t now, op_err *e);

#endif
