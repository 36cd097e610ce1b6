/* http_int.h - private to src/http/: per-connection state shared by server.c and dispatch.c. */
#ifndef OPENPES_HTTP_INT_H
#define OPENPES_HTTP_INT_H
#include <microhttpd.h>
#include <stdint.h>

#include "http/route.h"

#define HTTP_DEFAULT_BODY_MAX (64 * 1024)
#define HTTP_MAX_QUERY_BYTES 4096
#define HTTP_MAX_QUERY_ARGS 48

struct conn_state {
    arena *a;
    struct MHD_Connection *mc;
    int64_t t0;
    const struct route *route;
    const char *params[HTTP_MAX_PARAMS];
    int method_mismatch;
    char *body;
    size_t len, cap, max;
    int too_large;
    int waiting;  /* suspended for an audit ticket */
    ctx c;
    http_req rq;
    http_res rs;
    op_code rc;   /* the handler's result */
};

/* dispatch.c: run the whole request; leaves the answer in st->rs / st->rc. */
void dispatch_request(struct conn_state *st, const char *method, const char *url);
/* Render st->rc/st->rs into an MHD response and queue it; logs and counts the request. */
enum MHD_Result dispatch_respond(struct conn_state *st, const char *method, const char *url);
/* metrics.c */
void metrics_observe(const struct route *r, int status, int64_t dur_us);

#endif
