/* router.c - assemble the route table and match request paths against it. */
#include <stdlib.h>
#include <string.h>

#include "http/route.h"

extern struct route *const route_groups[]; /* src/api/routes.c, NULL-terminated */

static const struct route **flat;
static size_t nflat;

static void build(void) {
    size_t n = 0;
    for (struct route *const *g = route_groups; *g; g++)
        for (const struct route *r = *g; r->method; r++) n++;
    flat = calloc(n + 1, sizeof *flat);
    n = 0;
    for (struct route *const *g = route_groups; *g; g++)
        for (struct route *r = *g; r->method; r++) {
            r->stats = calloc(1, sizeof *r->stats);
            flat[n++] = r;
        }
    nflat = n;
}

const struct route *const *routes_all(void) {
    if (!flat) build();
    return flat;
}

/* Match one pattern; on success fill params (pointers into a private copy are avoided by
 * returning offsets: params point into `path` copies owned by the caller's arena). */
static int match(const char *pat, const char *path, const char **params, char *scratch) {
    int np = 0;
    const char *p = pat, *s = path;
    char *out = scratch;
    while (*p) {
        if (*p == '*' && p[1] == 0) return np; /* rest matches */
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close) return -1;
            const char *end = s;
            while (*end && *end != '/') end++;
            if (end == s || np >= HTTP_MAX_PARAMS) return -1;
            size_t len = (size_t)(end - s);
            memcpy(out, s, len);
            out[len] = 0;
            params[np++] = out;
            out += len + 1;
            s = end;
            p = close + 1;
            continue;
        }
        if (*p != *s) return -1;
        p++;
        s++;
    }
    return *s == 0 ? np : -1;
}

/* params receive pointers into a thread-local scratch buffer valid until the next call;
 * the dispatcher copies them into the request arena. */
const struct route *route_match(const char *method, const char *path, const char **params,
                                int *method_mismatch) {
    static _Thread_local char scratch[4096];
    const struct route *const *all = routes_all();
    *method_mismatch = 0;
    if (strlen(path) >= sizeof scratch) return NULL;
    for (size_t i = 0; i < nflat; i++) {
        const struct route *r = all[i];
        const char *tmp[HTTP_MAX_PARAMS] = {0};
        if (match(r->pattern, path, tmp, scratch) < 0) continue;
        if (strcmp(r->method, method) != 0 &&
            !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
            if (strcmp(r->pattern, "/*") != 0) *method_mismatch = 1;
            continue;
        }
        memcpy(params, tmp, sizeof tmp);
        return r;
    }
    return NULL;
}
