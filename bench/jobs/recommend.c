/* recommend.c - recommendation latency, in process (the domain functions the API calls):
 *
 *   bench/jobs/recommend.sh [VACANCIES=130000] [SEEKERS=2000] [ROUNDS=200] [DB_URL]
 *
 * Seeds VACANCIES synthetic vacancies and SEEKERS synthetic people (src/seed) who all agreed to be
 * found by employers, then measures p50/p99 of
 *   seeker:  match_recommend_vacancies (limit 10) for ROUNDS people, and
 *   vacancy: match_recommend_candidates (limit 10) for ROUNDS vacancies,
 * and the hit rate at 10 of `match_evaluate` on the same data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "domain/person.h"
#include "jobs/jobs.h"
#include "match/match.h"
#include "sec/keys.h"
#include "seed/gen.h"

/* Queued audit records (reads of people's data) written before the context's arena goes. */
static void flush_audit(ctx *c) {
    audit_ticket *t = audit_submit(c);
    if (t) audit_ticket_wait(t);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double pct(double *v, int n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[(int)(p * (n - 1) + 0.5)];
}

int main(int argc, char **argv) {
    long nv = argc > 1 ? atol(argv[1]) : 130000, np = argc > 2 ? atol(argv[2]) : 2000;
    int rounds = argc > 3 ? atoi(argv[3]) : 200;
    const char *url = argc > 4 ? argv[4] : NULL;
    char dir[] = "/tmp/openpes-bench-match-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char db[600], keys[600];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(keys, sizeof keys, "%s/keys.json", dir);
    store_set_url(url ? url : db);
    keys_set_path(keys);
    op_err e = {0};
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    store *s = store_thread(&e);
    if (!s || store_migrate(s, &e)) return fprintf(stderr, "db: %s\n", e.detail), 1;
    ctx c;
    if (!ctx_init_system(&c, "bench", NULL, &e)) return 1;
    int64_t t0 = clock_mono_us();
    if (vacancy_seed(&c, nv, 1)) return fprintf(stderr, "seed: %s\n", c.err.detail), 1;
    static const char *const regions[] = {"KR-11", "KR-26", "KR-41", "KR-28", "KR-27"};
    struct seed_opts so = {.regions = regions, .nregions = 5, .foreign_permille = 0};
    char **ids = calloc((size_t)np, sizeof *ids);
    static const char *const occ[] = {"2512", "5321", "2221", "4110", "7212", "8322", "3313", "5120", "9621", "2341"};
    static const char *const skills[] = {"SQL", "Excel", "운전", "Java", "간호", "회계", "용접", "요리", "고객 응대", "C"};
    if (store_begin(c.db, &c.err)) return 1;
    for (long i = 0; i < np; i++) {
        json_t *p = seed_person(7, (uint64_t)i, &so, NULL), *out;
        json_object_set_new(p, "preferences",
                            json_pack("{s:[s], s:[s], s:i, s:s}", "occupations", occ[i % 10], "regions", regions[i % 5],
                                      "salary_min", 2500000 + (i % 7) * 300000, "salary_period", "month"));
        json_object_set_new(p, "skills", json_pack("[s, s]", skills[i % 10], skills[(i / 10) % 10]));
        if (person_create(&c, p, &out)) return fprintf(stderr, "person: %s\n", c.err.detail), 1;
        ids[i] = strdup(json_string_value(json_object_get(out, "id")));
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        if (store_exec(c.db, &c.err, NULL,
                       "INSERT INTO jobseeker_visibility (person_id, findable, fields, updated_at) VALUES (?, 1, 1173, ?)",
                       "ss", ids[i], ts) ||
            jobs_seeker_index(&c, ids[i]))
            return fprintf(stderr, "visibility: %s\n", c.err.detail), 1;
        json_decref(p);
        json_decref(out);
        if (i % 500 == 499) {
            if (store_commit(c.db, &c.err) || store_begin(c.db, &c.err)) return 1;
            flush_audit(&c);
            arena_free(c.a);
            c.a = arena_new(16384);
        }
    }
    if (store_commit(c.db, &c.err)) return 1;
    printf("seeded %ld vacancies and %ld findable job seekers in %.1f s (%s)\n", nv, np, (clock_mono_us() - t0) / 1e6,
           url ? "postgresql" : "sqlite");
    fflush(stdout);
    double *v = malloc(sizeof(double) * (size_t)rounds);
    /* seeker -> vacancies */
    for (int r = 0; r < rounds; r++) {
        flush_audit(&c); /* the reads' audit records, before the arena goes */
        arena_free(c.a);
        c.a = arena_new(16384);
        json_t *out;
        int64_t a = clock_mono_us();
        if (match_recommend_vacancies(&c, ids[(r * 7919) % np], 10, &out)) return fprintf(stderr, "rec: %s\n", c.err.detail), 1;
        v[r] = (clock_mono_us() - a) / 1000.0;
        json_decref(out);
    }
    printf("seeker -> vacancies   p50 %7.3f ms  p99 %7.3f ms  (goal: p50 <= 10 ms)\n", pct(v, rounds, 0.5), pct(v, rounds, 0.99));
    /* vacancy -> candidates */
    store_stmt *st = store_query(c.db, &c.err, "SELECT MIN(num), MAX(num) FROM vacancies WHERE status = 'published'", "");
    int64_t lo = store_col_int(st, 0), hi = store_col_int(st, 1);
    store_reset(st);
    for (int r = 0; r < rounds; r++) {
        flush_audit(&c); /* the reads' audit records, before the arena goes */
        arena_free(c.a);
        c.a = arena_new(16384);
        st = store_query(c.db, &c.err, "SELECT id FROM vacancies WHERE status = 'published' AND num >= ? ORDER BY num LIMIT 1",
                         "i", lo + (int64_t)((r * 104729L) % (hi - lo + 1)));
        char *vid = strdup(store_col_text(st, 0));
        store_reset(st);
        json_t *out;
        int64_t a = clock_mono_us();
        if (match_recommend_candidates(&c, vid, 10, &out)) return fprintf(stderr, "cand: %s\n", c.err.detail), 1;
        v[r] = (clock_mono_us() - a) / 1000.0;
        json_decref(out);
        free(vid);
    }
    printf("vacancy -> candidates p50 %7.3f ms  p99 %7.3f ms  (pool: the occupation index of findable seekers)\n", pct(v, rounds, 0.5),
           pct(v, rounds, 0.99));
    flush_audit(&c);
    json_t *ev;
    if (match_evaluate(&c, 500, 1, &ev)) return fprintf(stderr, "evaluate: %s\n", c.err.detail), 1;
    printf("evaluate (500 synthetic seekers): hit@10 %.3f (default weights %.3f, random %.3f)\n",
           json_real_value(json_object_get(ev, "hit_rate_at_10")),
           json_real_value(json_object_get(ev, "hit_rate_at_10_default_weights")),
           json_real_value(json_object_get(ev, "hit_rate_at_10_random")));
    json_decref(ev);
    if (!url) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0) return 0;
    }
    return 0;
}
