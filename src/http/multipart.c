/* multipart.c - multipart/form-data bodies, parsed by libmicrohttpd's post processor (never by
 * hand): the route takes the raw body (R_BODY_RAW, bounded by its body limit) and the handler
 * asks for the parts.  The post processor reads the boundary from the request's Content-Type. */
#include <string.h>
#include <strings.h>

#include "http/http_int.h"

struct mp_state {
    arena *a;
    struct http_part *parts;
    int max, n;
    size_t part_max;
    char *buf;  /* the last part's data, grown by doubling */
    size_t cap;
    op_code rc;
    op_err *e;
};

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size) {
    (void)kind;
    (void)transfer_encoding;
    struct mp_state *m = cls;
    struct http_part *p = m->n ? &m->parts[m->n - 1] : NULL;
    /* a new part starts at offset 0 (an empty part may be reported once with no data) */
    if (!p || (off == 0 && (p->len > 0 || strcmp(p->name, key ? key : "") != 0))) {
        if (m->n == m->max) {
            m->rc = op_fail(m->e, OP_BAD_REQUEST, "send only the documented form fields", "the form has more than %d parts", m->max);
            return MHD_NO;
        }
        p = &m->parts[m->n++];
        memset(p, 0, sizeof *p);
        p->name = arena_strdup(m->a, key ? key : "");
        p->filename = filename ? arena_strdup(m->a, filename) : NULL;
        p->content_type = content_type ? arena_strdup(m->a, content_type) : NULL;
        p->data = "";
        m->buf = NULL;
        m->cap = 0;
    }
    if (!size) return MHD_YES;
    if (p->len + size > m->part_max) {
        m->rc = op_fail_field(m->e, OP_TOO_LARGE, p->name, "split the file into smaller ones",
                              "form field \"%s\" exceeds the limit of %zu bytes", p->name, m->part_max);
        return MHD_NO;
    }
    if (p->len + size + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < p->len + size + 1) cap *= 2;
        char *nb = arena_alloc(m->a, cap);
        memcpy(nb, p->data, p->len);
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + p->len, data, size);
    p->len += size;
    m->buf[p->len] = 0;
    p->data = m->buf;
    return MHD_YES;
}

bool http_is_multipart(http_req *rq) {
    const char *ct = http_header(rq, "Content-Type");
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

op_code http_multipart(http_req *rq, struct http_part *parts, int max, int *n, size_t part_max, op_err *e) {
    struct conn_state *st = rq->conn;
    struct mp_state m = {rq->c->a, parts, max, 0, part_max, NULL, 0, OP_OK, e};
    *n = 0;
    if (!http_is_multipart(rq))
        return op_fail(e, OP_BAD_MEDIA_TYPE, "send Content-Type: multipart/form-data", "the body is not multipart/form-data");
    struct MHD_PostProcessor *pp = MHD_create_post_processor(st->mc, 16 * 1024, on_part, &m);
    if (!pp)
        return op_fail(e, OP_BAD_REQUEST, "send the boundary in Content-Type (multipart/form-data; boundary=...)",
                       "the multipart body cannot be read");
    enum MHD_Result r = rq->raw_len ? MHD_post_process(pp, rq->raw, rq->raw_len) : MHD_YES;
    enum MHD_Result done = MHD_destroy_post_processor(pp);
    if (m.rc) return m.rc;
    if (r != MHD_YES || done != MHD_YES)
        return op_fail(e, OP_BAD_REQUEST, "send a complete multipart/form-data body", "the multipart body is malformed or truncated");
    *n = m.n;
    return OP_OK;
}
