/* batchfile.h - DCI batch files: the multipart/form-data FileInfo variant of the async endpoints
 * (DCI-DIGEST 1.1): form fields action, fileName (the file), fileFormat (json default, csv,
 * jsonl).  A json file is an ordinary envelope {signature?, header, message}; a csv or jsonl file
 * holds the search requests (one a line) and the envelope's header, signature and transaction id
 * come as form fields, the signature covering {header, message: {transaction_id, file_format,
 * file_digest}}.  The file then runs through the same pipeline as a JSON body.  Formats, limits
 * and per-line errors: docs/DCI.md "Batch files". */
#ifndef OPENPES_DCI_BATCHFILE_H
#define OPENPES_DCI_BATCHFILE_H
#include <jansson.h>

#include "dci/registry.h"

#define DCI_BATCH_FILE_MAX (4u << 20)                      /* bytes in the file */
#define DCI_BATCH_BODY_MAX (DCI_BATCH_FILE_MAX + (64u << 10)) /* the whole multipart body (route limit) */
#define DCI_BATCH_ITEMS_MAX 10000                          /* search requests in one file */
#define DCI_CSV_MAX_FIELDS 32

struct dci_batch {
    const char *action, *file_name, *file_format;
    int64_t items, bad_lines;
    json_t *lines; /* csv/jsonl txn-status files: every txnstatus_request (arena); else NULL */
};

/* The multipart form of an async endpoint: bearer token and scope (dci_auth), the form and the
 * file (problems -> ERR with detail and hint, nothing stored), then dci_begin_env.  formats: the
 * fileFormat values this endpoint takes.  Returns true to proceed with k->batch = b; false when
 * the reply has been written. */
bool dci_begin_batch(struct dci_call *k, http_req *rq, http_res *rs, const char *scope, const char *const *actions,
                     const char *path_action, const char *const *formats, struct dci_batch *b);

/* What a file's lines are: the endpoint's kind of request. */
enum dci_batch_kind { DCI_BATCH_SEARCH, DCI_BATCH_SUBSCRIBE, DCI_BATCH_UNSUBSCRIBE, DCI_BATCH_STATUS };

/* A csv or jsonl file -> request items of that kind (arena-owned array): search_request,
 * subscribe_request or txnstatus_request objects, or subscription codes (strings).  A line that cannot be read
 * becomes an item {reference_id (or "line-N"), timestamp, DCI_LINE_ERROR: {code, message}}.
 * default_ts: the timestamp of items that give none.  A problem with the whole file (not text,
 * no header row, unknown column, no requests, too many) -> false with detail and *hint. */
bool dci_batch_items(arena *a, enum dci_batch_kind kind, const char *format, const char *data, size_t len, const char *default_ts,
                     json_t **items, int64_t *bad_lines, char *detail, size_t dn, const char **hint);
/* Valid UTF-8 without NUL bytes (no overlong forms, surrogates or code points past U+10FFFF, which
 * jansson would refuse); else false with *bad = the offset of the first bad sequence. */
bool dci_utf8_ok(const unsigned char *s, size_t n, size_t *bad);

#endif
