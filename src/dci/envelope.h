/* envelope.h - DCI request envelopes: validation of {signature?, header, message} and the
 * ACK/ERR reply shapes (DCI-DIGEST 1.1-1.4, contracts/dci-ess.md "Envelope rules").
 *
 * Validation covers what the contract makes an envelope-level (synchronous ERR) problem:
 * header fields and types, message_ts with offset, action matching the path, sender_id equal to
 * the authenticated client, identifier lengths, version.  Replay protection and signatures are
 * checked by the caller with the parsed fields. */
#ifndef OPENPES_DCI_ENVELOPE_H
#define OPENPES_DCI_ENVELOPE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

#define DCI_ID_MAX 99

struct dci_env {
    const json_t *header, *message;
    const char *signature; /* NULL when absent */
    const char *version, *message_id, *message_ts, *action, *sender_id, *sender_uri, *receiver_id;
    int64_t total_count;
    int64_t ts_us; /* message_ts as microseconds since the epoch */
};

/* actions: accepted header.action values for this path (NULL-terminated).  client_id: the
 * authenticated partner (NULL skips the check).  On failure returns OP_BAD_REQUEST (or
 * OP_FORBIDDEN for sender mismatch) with *dci_code set to the spec's err.* code. */
op_code dci_envelope_parse(const json_t *body, const char *const *actions, const char *client_id,
                           bool need_message, struct dci_env *out, const char **dci_code, op_err *e);

/* {"message":{"ack_status","timestamp","correlation_id"[,"error":{code,message}]}} */
json_t *dci_ack(const char *ack_status, const char *correlation_id, const char *code, const char *msg);
/* HTTP-level DCI error carrying both HttpErrorResponse and the ERR envelope (contract clarification). */
json_t *dci_http_error(const char *correlation_id, const char *code, const char *msg);
/* A 1..99 character identifier? */
bool dci_id_ok(const char *s);

#endif
