/* batchfile.c - see batchfile.h.  The multipart body is parsed by libmicrohttpd's post processor
 * (http_multipart); this file reads the FileInfo form, turns the file into an ordinary envelope
 * (csv and jsonl lines: batchlines.c) and hands it to the registry pipeline. */
#include "dci/batchfile.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "sec/sign.h"

/* s cut before its first invalid UTF-8 byte (messages that quote a truncated value). */
static char *u8_cut(char *s) {
    size_t bad;
    if (!dci_utf8_ok((const unsigned char *)s, strlen(s), &bad)) s[bad] = 0;
    return s;
}

/* ---- the form ---- */

static bool form_err(struct dci_call *k, int status, const char *msg, const char *detail, const char *hint) {
    dci_reply_err_hint(k, status, "err.request.bad", msg, u8_cut(arena_strdup(k->c->a, detail)), hint);
    return false;
}

static const struct http_part *field(const struct http_part *parts, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0) return &parts[i];
    return NULL;
}

bool dci_begin_batch(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *const *actions,
                     const char *path_action, const char *const *formats, struct dci_batch *b) {
    static const char *const known[] = {"action", "fileName", "fileFormat", "header", "signature", "transaction_id", NULL};
    if (!dci_auth(k, rq, rs, scope, path_action)) return false;
    ctx *c = k->c;
    memset(b, 0, sizeof *b);
    struct http_part parts[8];
    int n;
    op_err e = {0};
    op_code rc = http_multipart(rq, parts, 8, &n, DCI_BATCH_FILE_MAX, &e);
    if (rc == OP_TOO_LARGE)
        return form_err(k, 413, "the file is too large", arena_printf(c->a, "%s (at most %u bytes)", e.detail, DCI_BATCH_FILE_MAX), e.hint);
    if (rc) return form_err(k, 200, "the multipart body cannot be read", e.detail, e.hint);
    for (int i = 0; i < n; i++) {
        if (!jx_in(parts[i].name, known))
            return form_err(k, 200, "unknown form field", arena_printf(c->a, "form field \"%.40s\" is not part of FileInfo", parts[i].name),
                            "send action, fileName and fileFormat (csv/jsonl: also header, signature, transaction_id)");
        size_t off;
        if (strcmp(parts[i].name, "fileName") != 0 && !dci_utf8_ok((const unsigned char *)parts[i].data, parts[i].len, &off))
            return form_err(k, 200, "form field is not text", arena_printf(c->a, "form field \"%s\" is not UTF-8 text", parts[i].name),
                            "send the form fields as UTF-8 text");
        for (int j = 0; j < i; j++)
            if (strcmp(parts[i].name, parts[j].name) == 0)
                return form_err(k, 200, "repeated form field", arena_printf(c->a, "form field \"%s\" is given twice", parts[i].name),
                                "send each field once; one file per request");
    }
    const struct http_part *action = field(parts, n, "action"), *file = field(parts, n, "fileName"), *fmt = field(parts, n, "fileFormat");
    const struct http_part *hdr = field(parts, n, "header"), *sig = field(parts, n, "signature"), *tid = field(parts, n, "transaction_id");
    if (!action || !*action->data)
        return form_err(k, 200, "action is required", "the FileInfo form has no action field",
                        arena_printf(c->a, "add the form field action=%s", actions[0]));
    if (!jx_in(action->data, actions))
        return form_err(k, 200, "action does not match this endpoint",
                        arena_printf(c->a, "action \"%.40s\" is not \"%s\"", action->data, actions[0]), "send the endpoint's action");
    if (!file || !file->len)
        return form_err(k, 200, "fileName is required", file ? "the file in fileName is empty" : "the FileInfo form has no fileName field",
                        "attach the batch file as the form field fileName");
    b->action = action->data;
    char *fname = arena_strdup(c->a, file->filename && *file->filename ? file->filename : "fileName");
    if (strlen(fname) > 200) fname[200] = 0;
    b->file_name = *u8_cut(fname) ? fname : "fileName";
    b->file_format = fmt && *fmt->data ? fmt->data : "json";
    if (!jx_in(b->file_format, formats)) {
        const char *list = formats[1] ? (formats[2] ? "json, csv or jsonl" : "json or csv") : "json";
        return form_err(k, 200, "fileFormat is not supported",
                        arena_printf(c->a, "fileFormat \"%.20s\" is not supported on this endpoint", b->file_format),
                        arena_printf(c->a, "use %s", list));
    }
    json_t *body = NULL, *signed_msg = NULL;
    if (strcmp(b->file_format, "json") == 0) {
        if (hdr || sig || tid)
            return form_err(k, 200, "header, signature and transaction_id belong in the file",
                            "a json file is the whole envelope {signature, header, message}",
                            "send only action, fileName and fileFormat");
        op_err pe = {0};
        if (jx_parse(c->a, file->data, file->len, &body, &pe))
            return form_err(k, 200, "the file is not a JSON envelope", pe.detail[0] ? pe.detail : "the file is not a JSON object",
                            "a json file holds {signature, header, message} as in a JSON request");
        const json_t *m = json_object_get(body, "message");
        static const char *const lists[] = {"search_request", "subscribe_request", "subscription_codes", NULL};
        for (const char *const *l = lists; *l; l++) b->items += (int64_t)json_array_size(json_object_get(m, *l));
        if (json_is_object(json_object_get(m, "txnstatus_request"))) b->items = 1;
    } else {
        if (!hdr)
            return form_err(k, 200, "header is required", "csv and jsonl files need the envelope's header as a form field",
                            "send the MsgHeader as JSON in the form field header");
        json_t *h = jx_arena(c->a, json_loadb(hdr->data, hdr->len, 0, NULL));
        if (!json_is_object(h))
            return form_err(k, 200, "header is not a JSON object", "the form field header must hold the MsgHeader as a JSON object",
                            "send the MsgHeader as JSON in the form field header");
        if (!tid || !dci_id_ok(tid->data))
            return form_err(k, 200, "transaction_id is required", "csv and jsonl files need transaction_id (1-99 characters) as a form field",
                            "send the form field transaction_id");
        const char *ts = json_string_value(json_object_get(h, "message_ts"));
        int64_t us;
        char now[CLOCK_TS_LEN];
        clock_now_ts(now);
        json_t *items;
        char detail[300];
        const char *hint;
        enum dci_batch_kind kind = strcmp(b->action, "subscribe") == 0     ? DCI_BATCH_SUBSCRIBE
                                   : strcmp(b->action, "unsubscribe") == 0 ? DCI_BATCH_UNSUBSCRIBE
                                   : strcmp(b->action, "txn-status") == 0  ? DCI_BATCH_STATUS
                                                                           : DCI_BATCH_SEARCH;
        const char *dts = ts && ts_parse(ts, &us) ? ts : now;
        if (!dci_batch_items(c->a, kind, b->file_format, file->data, file->len, dts, &items, &b->bad_lines, detail, sizeof detail, &hint))
            return form_err(k, 200, "the file cannot be read", detail, hint);
        b->items = (int64_t)json_array_size(items);
        unsigned char d[64];
        char b64[100];
        digest_blake2b512(file->data, file->len, d);
        b64_encode(d, 64, b64, false);
        signed_msg = jx_arena(c->a, json_pack("{s:s, s:s, s:s}", "transaction_id", tid->data, "file_format", b->file_format, "file_digest",
                                              arena_printf(c->a, "BLAKE-512=%s", b64)));
        /* the message the lines stand for (what is stored and run) */
        json_t *msg = json_pack("{s:s}", "transaction_id", tid->data);
        if (kind == DCI_BATCH_SEARCH) json_object_set(msg, "search_request", items);
        else if (kind == DCI_BATCH_SUBSCRIBE) json_object_set(msg, "subscribe_request", items);
        else if (kind == DCI_BATCH_UNSUBSCRIBE) {
            json_object_set_new(msg, "timestamp", json_string(dts));
            json_object_set(msg, "subscription_codes", items);
        } else { /* one status request a line: answered by one txn-on-status callback a line */
            json_object_set(msg, "txnstatus_request", json_array_get(items, 0));
            b->lines = items;
        }
        body = jx_arena(c->a, json_pack("{s:O, s:o}", "header", h, "message", msg));
        if (sig) json_object_set_new(body, "signature", json_string(sig->data));
    }
    const char *ha = json_string_value(json_object_get(json_object_get(body, "header"), "action"));
    if (ha && strcmp(ha, b->action) != 0)
        return form_err(k, 200, "action does not match the header",
                        arena_printf(c->a, "the form says \"%s\", header.action says \"%.40s\"", b->action, ha), "send the same action in both");
    if (!dci_begin_env(k, body, actions, signed_msg)) return false;
    k->batch = b;
    return true;
}
