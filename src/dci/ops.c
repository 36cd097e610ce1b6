/* ops.c - operators' views of the DCI registry: async transactions and their callback state
 * (openpes partner transactions, GET /api/v1/partners/transactions; see partner.h). */
#include "base/jsonx.h"
#include "dci/partner.h"

op_code dci_txn_list(ctx *c, const char *client, const char *state, int limit, json_t **out) {
    static const char *const states[] = {"none", "pending", "delivered", "failed", NULL};
    if (state && !jx_in(state, states))
        return op_fail_field(&c->err, OP_VALIDATION, "callback_state", NULL, "callback_state must be none, pending, delivered or failed");
    if (limit < 1 || limit > 1000) limit = 100;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT correlation_id, sender_id, transaction_id, action, status, callback_state, callback_attempts,"
                                   " last_error, created_at, updated_at, file_name, file_format FROM dci_transactions"
                                   " WHERE (CAST(? AS TEXT) IS NULL OR sender_id = ?) AND (CAST(? AS TEXT) IS NULL OR callback_state = ?)"
                                   " ORDER BY created_at DESC, correlation_id DESC LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, client);
    store_bind_text(st, 2, client);
    store_bind_text(st, 3, state);
    store_bind_text(st, 4, state);
    store_bind_int(st, 5, limit);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:s}", "correlation_id", store_col_text(st, 0),
                                               "sender_id", store_col_text(st, 1), "transaction_id", store_col_text(st, 2), "action",
                                               store_col_text(st, 3), "status", store_col_text(st, 4), "callback_state",
                                               store_col_text(st, 5), "callback_attempts", (json_int_t)store_col_int(st, 6), "last_error",
                                               store_col_text(st, 7) ? json_string(store_col_text(st, 7)) : json_null(), "created_at",
                                               store_col_text(st, 8), "updated_at", store_col_text(st, 9));
        if (store_col_text(st, 11))
            json_object_set_new(o, "file", json_pack("{s:s?, s:s}", "name", store_col_text(st, 10), "format", store_col_text(st, 11)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o, s:I}", "items", items, "count", (json_int_t)json_array_size(items));
    return OP_OK;
}
