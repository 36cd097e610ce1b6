/* envelope.c - see envelope.h. */
#include "dci/envelope.h"

#include <string.h>

#include "base/clock.h"

bool dci_id_ok(const char *s) {
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= DCI_ID_MAX;
}

static op_code bad(op_err *e, const char **dci_code, const char *code, const char *field, const char *fmt, const char *arg) {
    *dci_code = code;
    return op_fail_field(e, strcmp(code, "err.sender_id.invalid") == 0 ? OP_FORBIDDEN : OP_BAD_REQUEST, field,
                         "see the DCI message header specification", fmt, arg ? arg : "");
}

static const char *str_field(const json_t *h, const char *k, bool *wrong_type) {
    json_t *v = json_object_get(h, k);
    if (!v) return NULL;
    if (!json_is_string(v)) {
        *wrong_type = true;
        return NULL;
    }
    return json_string_value(v);
}

op_code dci_envelope_parse(const json_t *body, const char *const *actions, const char *client_id,
                           bool need_message, struct dci_env *out, const char **dci_code, op_err *e) {
    memset(out, 0, sizeof *out);
    *dci_code = NULL;
    if (!json_is_object(body)) return bad(e, dci_code, "err.request.bad", "", "the body must be a JSON object%s", NULL);
    const json_t *h = json_object_get(body, "header");
    if (!json_is_object(h)) return bad(e, dci_code, "err.request.bad", "header", "header is missing or not an object%s", NULL);
    const json_t *m = json_object_get(body, "message");
    if (need_message && !json_is_object(m))
        return bad(e, dci_code, "err.request.bad", "message", "message is missing or not an object%s", NULL);
    json_t *sig = json_object_get(body, "signature");
    if (sig && !json_is_null(sig) && !json_is_string(sig))
        return bad(e, dci_code, "err.signature.invalid", "signature", "signature must be a string%s", NULL);
    out->header = h;
    out->message = json_is_object(m) ? m : NULL;
    out->signature = sig && json_is_string(sig) ? json_string_value(sig) : NULL;

    bool wt = false;
    out->version = str_field(h, "version", &wt);
    if (wt || (out->version && strcmp(out->version, "1.0.0") != 0))
        return bad(e, dci_code, "err.version.not_supported", "header.version", "version \"%s\" is not supported (use 1.0.0)",
                   out->version ? out->version : "?");
    out->message_id = str_field(h, "message_id", &wt);
    if (wt || !dci_id_ok(out->message_id))
        return bad(e, dci_code, "err.request.bad", "header.message_id", "message_id must be a string of 1-%s characters", "99");
    out->message_ts = str_field(h, "message_ts", &wt);
    if (wt || !out->message_ts || !ts_parse(out->message_ts, &out->ts_us))
        return bad(e, dci_code, "err.request.bad", "header.message_ts",
                   "message_ts must be an RFC 3339 date-time with a time zone%s", NULL);
    out->action = str_field(h, "action", &wt);
    bool action_ok = false;
    for (const char *const *a = actions; out->action && *a; a++)
        if (strcmp(out->action, *a) == 0) action_ok = true;
    if (wt || !action_ok)
        return bad(e, dci_code, "err.request.bad", "header.action", "action \"%s\" does not match this endpoint",
                   out->action ? out->action : "");
    out->sender_id = str_field(h, "sender_id", &wt);
    if (wt || !dci_id_ok(out->sender_id))
        return bad(e, dci_code, "err.sender_id.invalid", "header.sender_id", "sender_id must be a string of 1-%s characters", "99");
    if (client_id && strcmp(out->sender_id, client_id) != 0)
        return bad(e, dci_code, "err.sender_id.invalid", "header.sender_id",
                   "sender_id \"%s\" is not the authenticated client", out->sender_id);
    out->receiver_id = str_field(h, "receiver_id", &wt);
    if (wt || (out->receiver_id && !dci_id_ok(out->receiver_id)))
        return bad(e, dci_code, "err.receiver_id.invalid", "header.receiver_id", "receiver_id must be 1-%s characters", "99");
    out->sender_uri = str_field(h, "sender_uri", &wt);
    if (wt || (out->sender_uri && (strlen(out->sender_uri) > 1024 ||
                                   (strncmp(out->sender_uri, "http://", 7) != 0 && strncmp(out->sender_uri, "https://", 8) != 0))))
        return bad(e, dci_code, "err.sender_uri.invalid", "header.sender_uri", "sender_uri must be an http(s) URL%s", NULL);
    json_t *tc = json_object_get(h, "total_count");
    if (!json_is_integer(tc) || json_integer_value(tc) < 0)
        return bad(e, dci_code, "err.request.bad", "header.total_count", "total_count must be a non-negative integer%s", NULL);
    out->total_count = json_integer_value(tc);
    json_t *enc = json_object_get(h, "is_msg_encrypted");
    if (enc && json_is_true(enc))
        return bad(e, dci_code, "err.encryption.invalid", "header.is_msg_encrypted", "encrypted messages are not supported%s", NULL);
    return OP_OK;
}

json_t *dci_ack(const char *ack_status, const char *correlation_id, const char *code, const char *msg) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    json_t *m = json_pack("{s:s, s:s, s:s}", "ack_status", ack_status, "timestamp", ts, "correlation_id", correlation_id);
    if (code) json_object_set_new(m, "error", json_pack("{s:s, s:s}", "code", code, "message", msg ? msg : ""));
    return json_pack("{s:o}", "message", m);
}

json_t *dci_http_error(const char *correlation_id, const char *code, const char *msg) {
    json_t *env = dci_ack("ERR", correlation_id, code, msg);
    json_object_set_new(env, "errors", json_pack("[{s:s, s:s}]", "code", code, "message", msg ? msg : ""));
    return env;
}
