/* metrics.c - per-route request counters and latency histograms, rendered as Prometheus text
 * at GET /metrics.  Counters live in each route row (route.stats); unmatched requests are
 * counted under route="unmatched". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "audit/audit.h"
#include "http/http_int.h"

static const double bounds_ms[LAT_BUCKETS] = {0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
static struct route_stats unmatched;

void metrics_observe(const struct route *r, int status, int64_t dur_us) {
    struct route_stats *s = r && r->stats ? r->stats : &unmatched;
    atomic_fetch_add(&s->count, 1);
    if (status >= 500) atomic_fetch_add(&s->errors, 1);
    else if (status >= 400) atomic_fetch_add(&s->rejects, 1);
    atomic_fetch_add(&s->sum_us, (uint64_t)(dur_us > 0 ? dur_us : 0));
    double ms = (double)dur_us / 1000.0;
    int b = 0;
    while (b < LAT_BUCKETS && ms > bounds_ms[b]) b++;
    atomic_fetch_add(&s->bucket[b], 1);
}

struct sbuf {
    arena *a;
    char *p;
    size_t len, cap;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(b->a, fmt, ap);
    va_end(ap);
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16384;
        while (cap < b->len + n + 1) cap *= 2;
        char *np = arena_alloc(b->a, cap);
        if (b->len) memcpy(np, b->p, b->len);
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void emit(struct sbuf *b, const char *method, const char *pattern, struct route_stats *s) {
    uint64_t cum = 0;
    for (int i = 0; i <= LAT_BUCKETS; i++) {
        cum += atomic_load(&s->bucket[i]);
        if (i < LAT_BUCKETS)
            put(b, "openpes_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
                method, pattern, bounds_ms[i] / 1000.0, (unsigned long long)cum);
        else
            put(b, "openpes_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
                method, pattern, (unsigned long long)cum);
    }
    put(b, "openpes_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n", method, pattern,
        (double)atomic_load(&s->sum_us) / 1e6);
    put(b, "openpes_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n", method, pattern,
        (unsigned long long)atomic_load(&s->count));
    put(b, "openpes_http_requests_total{method=\"%s\",route=\"%s\",class=\"2xx_3xx\"} %llu\n", method, pattern,
        (unsigned long long)(atomic_load(&s->count) - atomic_load(&s->errors) - atomic_load(&s->rejects)));
    put(b, "openpes_http_requests_total{method=\"%s\",route=\"%s\",class=\"4xx\"} %llu\n", method, pattern,
        (unsigned long long)atomic_load(&s->rejects));
    put(b, "openpes_http_requests_total{method=\"%s\",route=\"%s\",class=\"5xx\"} %llu\n", method, pattern,
        (unsigned long long)atomic_load(&s->errors));
}

op_code metrics_handler(http_req *rq, http_res *rs) {
    struct sbuf b = {rq->c->a, NULL, 0, 0};
    put(&b, "# HELP openpes_http_requests_total Requests by route and status class.\n"
            "# TYPE openpes_http_requests_total counter\n"
            "# HELP openpes_http_request_duration_seconds Request latency by route.\n"
            "# TYPE openpes_http_request_duration_seconds histogram\n");
    for (const struct route *const *r = routes_all(); *r; r++)
        if ((*r)->stats && atomic_load(&(*r)->stats->count)) emit(&b, (*r)->method, (*r)->pattern, (*r)->stats);
    if (atomic_load(&unmatched.count)) emit(&b, "ANY", "unmatched", &unmatched);
    uint64_t batches, records, failures;
    audit_stats(&batches, &records, &failures);
    put(&b, "# HELP openpes_audit_group_commits_total Audit batches committed by the group committer.\n"
            "# TYPE openpes_audit_group_commits_total counter\n"
            "openpes_audit_group_commits_total %llu\n"
            "# HELP openpes_audit_group_records_total Audit records written by the group committer.\n"
            "# TYPE openpes_audit_group_records_total counter\n"
            "openpes_audit_group_records_total %llu\n"
            "# HELP openpes_audit_group_failures_total Audit batches that failed (their requests got 503).\n"
            "# TYPE openpes_audit_group_failures_total counter\n"
            "openpes_audit_group_failures_total %llu\n",
        (unsigned long long)batches, (unsigned long long)records, (unsigned long long)failures);
    rs->body = b.p ? b.p : "";
    rs->body_len = b.len;
    rs->content_type = "text/plain; version=0.0.4";
    return OP_OK;
}
