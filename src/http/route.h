/* route.h - the route table: one row per endpoint, enforced by the dispatcher.
 *
 * A row says who may call the endpoint (flags and staff roles), whether it writes, whether it
 * honours Idempotency-Key, the body it takes and its size limit, and a one-line summary.  The
 * dispatcher (server.c) checks all of that before the handler runs; openapi.c turns the same
 * rows into /api/v1/openapi.json and metrics.c keeps per-row counters and latency histograms.
 *
 * Modules declare their rows in their own file (src/api/h_*.c) as a ROUTE_END-terminated
 * array and list it once in src/api/routes.c. */
#ifndef OPENPES_ROUTE_H
#define OPENPES_ROUTE_H
#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

/* Who may call (any set bit admits that kind of caller). */
#define R_PUBLIC (1u << 0)   /* no authentication required */
#define R_CITIZEN (1u << 1)
#define R_EMPLOYER (1u << 2)
#define R_STAFF (1u << 3)    /* staff; narrowed by route.roles when non-zero */
#define R_PARTNER (1u << 4)  /* OAuth2 client; needs route.scope when set */
#define R_ANY_USER (R_CITIZEN | R_EMPLOYER | R_STAFF)
/* What it does. */
#define R_WRITE (1u << 8)      /* changes state: CSRF-checked for cookie sessions */
#define R_IDEMPOTENT (1u << 9) /* replays the stored response for a repeated Idempotency-Key */
#define R_BODY_JSON (1u << 10) /* body must be a JSON object (parsed into rq->body) */
#define R_BODY_FORM (1u << 11) /* body is application/x-www-form-urlencoded */
#define R_BODY_RAW (1u << 12)  /* body passed through as bytes (e.g. JSONL batches) */
#define R_REDACT_QUERY (1u << 13) /* never log the query string (it may hold personal data) */
#define R_NO_METRICS_LOG (1u << 14) /* health probes: no request-log line */
#define R_HIDDEN (1u << 15)    /* not listed in the OpenAPI document */
#define R_OWN_TX (1u << 16)    /* R_WRITE route whose handler opens its own (short) transaction after
                                  slow work such as password hashing; not combinable with R_IDEMPOTENT */

#define HTTP_MAX_PARAMS 6
#define HTTP_MAX_HEADERS 8
#define LAT_BUCKETS 14

typedef struct http_req {
    ctx *c;
    const struct route *route;
    const char *method;
    const char *path;
    const char *params[HTTP_MAX_PARAMS]; /* {name} segments, in pattern order */
    json_t *body;                        /* R_BODY_JSON */
    const char *raw;                     /* body bytes (NUL-terminated), R_BODY_RAW / R_BODY_FORM */
    size_t raw_len;
    void *conn;                          /* server-private */
} http_req;

struct audit_ticket;

typedef struct http_res {
    int status;
    json_t *json;              /* rendered as the body when set */
    const char *body;          /* or raw bytes */
    size_t body_len;
    const char *content_type;
    const char *headers[HTTP_MAX_HEADERS][2];
    int nheaders;
    struct audit_ticket *wait; /* answer only after this audit batch is durable */
} http_res;

typedef op_code (*http_handler)(http_req *rq, http_res *rs);

struct route_stats {
    _Atomic uint64_t count;
    _Atomic uint64_t errors;   /* 5xx */
    _Atomic uint64_t rejects;  /* 4xx */
    _Atomic uint64_t sum_us;
    _Atomic uint64_t bucket[LAT_BUCKETS + 1];
};

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/persons/{id}"; a trailing "*" matches any rest */
    http_handler fn;
    unsigned flags;
    unsigned roles;       /* staff roles admitted (0 = every staff role) */
    const char *scope;    /* partner scope required */
    size_t body_max;      /* bytes; 0 = 64 KiB default for bodies */
    const char *summary;
    const char *tag;
    struct route_stats *stats;
};
#define ROUTE_END {0}

/* Request helpers usable by handlers. */
const char *http_query(http_req *rq, const char *key);   /* NULL when absent */
const char *http_header(http_req *rq, const char *name); /* NULL when absent */
const char *http_param(http_req *rq, int i);
const char *http_cookie(http_req *rq, const char *name);
/* The peer's IP address as text (behind a reverse proxy: the proxy's). */
const char *http_client_addr(http_req *rq);
/* Parse a query parameter as a bounded integer; absent -> dflt. */
op_code http_query_int(http_req *rq, const char *key, int64_t min, int64_t max, int64_t dflt,
                       int64_t *out);
const char *http_form(http_req *rq, const char *key); /* R_BODY_FORM field, decoded */
/* multipart/form-data (R_BODY_RAW routes; multipart.c, libmicrohttpd's post processor). */
struct http_part {
    const char *name, *filename, *content_type; /* filename / content_type NULL when not given */
    const char *data;                           /* NUL-terminated (the part may hold NULs), arena-owned */
    size_t len;
};
bool http_is_multipart(http_req *rq);
/* The parts of the body, in order (at most max; a part longer than part_max -> OP_TOO_LARGE;
 * malformed or truncated -> OP_BAD_REQUEST, with e filled). */
op_code http_multipart(http_req *rq, struct http_part *parts, int max, int *n, size_t part_max, op_err *e);

/* Response helpers. */
op_code http_json(http_res *rs, int status, json_t *v); /* takes ownership of v */
/* An answer already rendered as JSON text (arena-owned or static). */
op_code http_json_text(http_res *rs, int status, const char *text);
void http_add_header(http_res *rs, const char *name, const char *value); /* values arena-owned */

/* The assembled table (src/api/routes.c). */
const struct route *const *routes_all(void);
const struct route *route_match(const char *method, const char *path, const char **params,
                                int *method_mismatch);

#endif
