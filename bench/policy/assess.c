/* bench/policy/assess.c - the entitlement calculator in-process (issue 3: "assessments per second
 * in-process and over HTTP"; bench/policy/run.sh does the HTTP half).
 *
 *   assess SECONDS < request.json
 *
 * Runs the calculator on the request for SECONDS: each assessment parses the JSON text, computes
 * the answer with its trace and renders it, as the API does apart from HTTP; prints one RESULT
 * line.  The request must succeed (exit 1 otherwise), so nothing is timed that only fails. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/err.h"
#include "policy/policy.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double secs = argc > 1 ? atof(argv[1]) : 3;
    static char body[65536];
    size_t len = fread(body, 1, sizeof body - 1, stdin);
    body[len] = 0;
    arena *a = arena_new(0);
    op_err e = {0};
    json_t *out = NULL;
    if (pol_run_text("ei-assess", a, body, len, &out, &e)) {
        fprintf(stderr, "assess: the request fails: %s\n", e.detail);
        return 1;
    }
    json_decref(out);
    long n = 0;
    size_t bytes = 0;
    double t0 = now(), c0 = cpu(), t = t0;
    while (t - t0 < secs) {
        for (int i = 0; i < 256; i++, n++) {
            arena_reset(a);
            if (pol_run_text("ei-assess", a, body, len, &out, &e)) {
                fprintf(stderr, "assess: %s\n", e.detail);
                return 1;
            }
            char *s = json_dumps(out, JSON_COMPACT);
            bytes += strlen(s);
            free(s);
            json_decref(out);
        }
        t = now();
    }
    double c = cpu() - c0;
    printf("RESULT assessments=%ld seconds=%.2f per_second=%.0f cpu_us=%.2f answer_bytes=%zu\n", n, t - t0,
           (double)n / (t - t0), c * 1e6 / (double)n, bytes / (size_t)n);
    arena_free(a);
    return 0;
}
