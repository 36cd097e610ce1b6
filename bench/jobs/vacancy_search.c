/* vacancy_search.c - vacancy search latency: the API over HTTP vs the raw n-gram index.
 *
 *   bench/jobs/run.sh [N=130000] [ROUNDS=200] [DB_URL]
 *
 * Seeds N synthetic vacancies (vacancy_seed, seed 1) into a fresh database (SQLite file, or an
 * empty PostgreSQL database), starts `openpes serve` on it, then for a fixed query mix measures
 *   raw: the index query alone (jobs_search_raw: FTS5 MATCH / pg_trgm LIKE / bigram lookup, 20 rows)
 *   api: GET /api/v1/vacancies?... over HTTP (keep-alive, one connection): page + total
 * and prints p50/p99 per query and overall, and the api/raw ratio. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "sec/keys.h"

struct q {
    const char *name, *text, *qs; /* text: for the raw index; qs: the API query string */
};
static const struct q mix[] = {
    {"rare-en", "welding", "q=welding"},
    {"common-ko", "모집합니다", "q=%EB%AA%A8%EC%A7%91%ED%95%A9%EB%8B%88%EB%8B%A4"},
    {"korean", "요양보호사", "q=%EC%9A%94%EC%96%91%EB%B3%B4%ED%98%B8%EC%82%AC"},
    {"korean-2ch", "개발", "q=%EA%B0%9C%EB%B0%9C"},
    {"english", "developer", "q=developer"},
    {"english+filters", "developer", "q=developer&region=KR-11&salary_min=3000000"},
    {"filter-only", "", "occupation=25&region=KR-11"},
    {"filter-sort-salary", "", "region=KR-41&contract=permanent&sort=salary"},
};
#define NQ (int)(sizeof mix / sizeof mix[0])

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double pct(double *v, int n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[(int)(p * (n - 1) + 0.5)];
}
static size_t sink(char *p, size_t s, size_t n, void *u) {
    (void)p, (void)u;
    return s * n;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 130000;
    int rounds = argc > 2 ? atoi(argv[2]) : 200;
    const char *bin = argc > 3 ? argv[3] : "build/openpes";
    const char *url = argc > 4 ? argv[4] : NULL;
    char dir[] = "/tmp/openpes-bench-jobs-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char db[600], keys[600], portf[600];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(keys, sizeof keys, "%s/keys.json", dir);
    snprintf(portf, sizeof portf, "%s/port", dir);
    if (url) snprintf(db, sizeof db, "%s", url);
    store_set_url(db);
    keys_set_path(keys);
    op_err e = {0};
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    store *s = store_thread(&e);
    if (!s || store_migrate(s, &e)) return fprintf(stderr, "db: %s\n", e.detail), 1;
    ctx c;
    if (!ctx_init_system(&c, "bench", NULL, &e)) return 1;
    int64_t t0 = clock_mono_us();
    if (vacancy_seed(&c, n, 1)) return fprintf(stderr, "seed: %s\n", c.err.detail), 1;
    printf("seeded %ld vacancies in %.1f s (%s)\n", n, (clock_mono_us() - t0) / 1e6, url ? "postgresql" : "sqlite");
    fflush(stdout);

    double *raw = calloc((size_t)(rounds * NQ), sizeof(double)), *api = calloc((size_t)(rounds * NQ), sizeof(double));
    double per_raw[NQ][2], per_api[NQ][2];
    int64_t hits[NQ];
    for (int qi = 0; qi < NQ; qi++) {
        double *v = malloc(sizeof(double) * (size_t)rounds);
        for (int r = 0; r < rounds; r++) {
            arena_free(c.a);
            c.a = arena_new(16384);
            int64_t a = clock_mono_us();
            if (jobs_search_raw(&c, mix[qi].text, &hits[qi])) return fprintf(stderr, "raw: %s\n", c.err.detail), 1;
            v[r] = raw[qi * rounds + r] = (clock_mono_us() - a) / 1000.0;
        }
        per_raw[qi][0] = pct(v, rounds, 0.5);
        per_raw[qi][1] = pct(v, rounds, 0.99);
        free(v);
    }
    ctx_release(&c);
    store_thread_close();

    pid_t pid = fork();
    if (pid == 0) {
        execl(bin, bin, "--db", db, "--keys", keys, "--log-level", "warn", "serve", "--port", "0", "--port-file", portf,
              (char *)NULL);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 400 && !port; i++) {
        FILE *f = fopen(portf, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1) port = 0;
            fclose(f);
        }
        if (!port) usleep(25000);
    }
    if (!port) return fprintf(stderr, "server did not start\n"), 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    char u[512];
    for (int qi = 0; qi < NQ; qi++) {
        double *v = malloc(sizeof(double) * (size_t)rounds);
        snprintf(u, sizeof u, "http://127.0.0.1:%d/api/v1/vacancies?%s", port, mix[qi].qs);
        curl_easy_setopt(h, CURLOPT_URL, u);
        for (int r = -5; r < rounds; r++) { /* 5 warm-up requests */
            int64_t a = clock_mono_us();
            CURLcode rc = curl_easy_perform(h);
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (rc != CURLE_OK || status != 200) {
                fprintf(stderr, "%s: curl %d status %ld\n", u, rc, status);
                kill(pid, SIGTERM);
                return 1;
            }
            if (r >= 0) v[r] = api[qi * rounds + r] = (clock_mono_us() - a) / 1000.0;
        }
        per_api[qi][0] = pct(v, rounds, 0.5);
        per_api[qi][1] = pct(v, rounds, 0.99);
        free(v);
    }
    curl_easy_cleanup(h);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);

    printf("%-20s %8s %9s %9s %9s %9s %9s\n", "query", "raw_hits", "raw_p50", "raw_p99", "api_p50", "api_p99", "p50_diff");
    for (int qi = 0; qi < NQ; qi++)
        printf("%-20s %8lld %7.3fms %7.3fms %7.3fms %7.3fms %7.3fms\n", mix[qi].name, (long long)hits[qi], per_raw[qi][0],
               per_raw[qi][1], per_api[qi][0], per_api[qi][1], per_api[qi][0] - per_raw[qi][0]);
    int tot = rounds * NQ;
    double rp50 = pct(raw, tot, 0.5), rp99 = pct(raw, tot, 0.99), ap50 = pct(api, tot, 0.5), ap99 = pct(api, tot, 0.99);
    printf("%-20s %8s %7.3fms %7.3fms %7.3fms %7.3fms %7.3fms\n", "ALL", "", rp50, rp99, ap50, ap99, ap50 - rp50);
    printf("api/raw p50 ratio: %.2f  (goal: api p50 <= 2 ms and within 1 ms of the raw index)\n", ap50 / (rp50 > 0 ? rp50 : 1e-3));
    if (!url) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0) return 0;
    }
    return 0;
}
