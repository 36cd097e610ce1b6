/* test_dci_envelope.c - every envelope-level error class of the DCI contract. */
#include "dci/envelope.h"
#include "testlib.h"

static const char *const SEARCH[] = {"search", NULL};

static json_t *req(void) {
    return json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:i, s:s}, s:{s:s}}", "header", "version", "1.0.0", "message_id", "m-1",
                     "message_ts", "2026-11-21T06:00:00+09:00", "action", "search", "sender_id", "sr", "total_count", 1,
                     "sender_uri", "https://sr.example/registry/on-search", "message", "transaction_id", "t-1");
}

static const char *code_for(json_t *body, const char *client) {
    struct dci_env env;
    const char *code = NULL;
    op_err e = {0};
    op_code rc = dci_envelope_parse(body, SEARCH, client, true, &env, &code, &e);
    json_decref(body);
    return rc == OP_OK ? "ok" : code;
}

static json_t *with(const char *key, json_t *v) {
    json_t *b = req();
    json_object_set_new(json_object_get(b, "header"), key, v);
    return b;
}

static json_t *without(const char *key) {
    json_t *b = req();
    json_object_del(json_object_get(b, "header"), key);
    return b;
}

Test(dci_envelope, valid_request_parses) {
    json_t *b = req();
    struct dci_env env;
    const char *code;
    op_err e = {0};
    cr_assert_eq(dci_envelope_parse(b, SEARCH, "sr", true, &env, &code, &e), OP_OK, "%s", e.detail);
    cr_assert_str_eq(env.message_id, "m-1");
    cr_assert_eq(env.total_count, 1);
    cr_assert_eq(env.ts_us, 1795208400LL * 1000000);
    json_decref(b);
}

Test(dci_envelope, error_classes) {
    char long_id[120];
    memset(long_id, 'x', 100);
    long_id[100] = 0;
    cr_assert_str_eq(code_for(json_pack("[]"), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(without("message_id"), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("message_id", json_string(long_id)), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("message_ts", json_string("2026-11-21T06:00:00")), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("message_ts", json_string("yesterday")), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("action", json_string("subscribe")), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("sender_id", json_string("other")), "sr"), "err.sender_id.invalid");
    cr_assert_str_eq(code_for(with("total_count", json_string("1")), "sr"), "err.request.bad");
    cr_assert_str_eq(code_for(with("version", json_string("2.0.0")), "sr"), "err.version.not_supported");
    cr_assert_str_eq(code_for(with("sender_uri", json_string("ftp://x")), "sr"), "err.sender_uri.invalid");
    cr_assert_str_eq(code_for(with("is_msg_encrypted", json_true()), "sr"), "err.encryption.invalid");
    json_t *nomsg = req();
    json_object_del(nomsg, "message");
    cr_assert_str_eq(code_for(nomsg, "sr"), "err.request.bad");
}

Test(dci_envelope, ack_and_http_error_shapes) {
    json_t *a = dci_ack("ACK", "c-1", NULL, NULL);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "message"), "ack_status")), "ACK");
    cr_assert_null(json_object_get(json_object_get(a, "message"), "error"));
    json_decref(a);
    json_t *h = dci_http_error("c-2", "err.request.unauthorized", "no token");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h, "errors"), 0), "code")),
                     "err.request.unauthorized");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(h, "message"), "ack_status")), "ERR");
    json_decref(h);
}
