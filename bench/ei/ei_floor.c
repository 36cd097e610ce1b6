/* ei_floor.c - the floor of batch detection on this machine: only the rows a registration of the
 * common case must write (its spell with the stored result, its event, its audit_pending record),
 * with the same multi-row statements (store_insert_rows), 500 per transaction and one commit
 * each, on the benchmark's database - no parsing, no validation, no lookups, no decision, and no
 * audit chain (the committer's share is measured with perf on the real path).
 * usage: ei_floor DB_URL KEYS_FILE < nids   (prints lines/s and CPU per line) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/clock.h"
#include "base/id.h"
#include "sec/keys.h"
#include "store/store.h"

#define CHUNK 500

int main(int argc, char **argv) {
    if (argc != 3) return fprintf(stderr, "usage: ei_floor DB_URL KEYS_FILE < nids\n"), 2;
    op_err e = {0};
    store_set_url(argv[1]);
    keys_set_path(argv[2]);
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    store *db = store_thread(&e);
    if (!db) return fprintf(stderr, "db: %s\n", e.detail), 1;
    /* persons to attach the rows to (the foreign key): the population's, in order */
    size_t np = 0, cap = 1024;
    char (*pid)[ID_LEN] = malloc(cap * sizeof *pid);
    store_stmt *st = store_prepare(db, "SELECT id FROM persons ORDER BY id", &e);
    while (st && store_step(st, &e) == STORE_ROW) {
        if (np == cap) pid = realloc(pid, (cap *= 2) * sizeof *pid);
        snprintf(pid[np++], ID_LEN, "%s", store_col_text(st, 0));
    }
    store_reset(st);
    char today[11], ts[CLOCK_TS_LEN], line[64];
    date_format(date_today(), today);
    static char ids[CHUNK][ID_LEN], rids[CHUNK][ID_LEN], res[CHUNK][400];
    static const char *sp[CHUNK * 16], *ev[CHUNK * 5], *au[CHUNK * 16];
    long n = 0;
    int64_t t0 = clock_mono_us();
    bool more = true;
    while (more) {
        int m = 0;
        clock_now_ts(ts);
        for (; m < CHUNK; m++) {
            if (!fgets(line, sizeof line, stdin)) {
                more = false;
                break;
            }
            const char *p = pid[(size_t)(n + m) % np];
            id_uuid7(ids[m]);
            id_uuid7(rids[m]);
            snprintf(res[m], sizeof res[m],
                     "{\"event\":\"start\",\"employment_id\":\"%s\",\"person_id\":\"%s\",\"start_date\":\"%s\","
                     "\"claim_id\":null,\"claim_status\":null,\"payments_withheld_from\":null,"
                     "\"registration_status\":null,\"vacancy_matched\":false}",
                     ids[m], p, today);
            const char *s[16] = {ids[m], p, "9998887777", NULL, "9998887777", NULL, today, NULL, NULL, NULL,
                                 "regular", "registration", res[m], NULL, ts, ts};
            memcpy(sp + m * 16, s, sizeof s);
            const char *v[5] = {"employment.started", p, res[m], ts, ts};
            memcpy(ev + m * 5, v, sizeof v);
            const char *a[16] = {rids[m], ts, "partner", "ins-agency", NULL, NULL, NULL, "UPDATE", "ei_employment",
                                 NULL, p, "benefit_administration", "Employment Insurance Act", "allow", "corr", NULL};
            memcpy(au + m * 16, a, sizeof a);
        }
        if (!m) break;
        if (store_begin(db, &e) ||
            store_insert_rows(db, &e, NULL,
                              "INSERT INTO audit_pending (record_id, ts, actor_type, actor_id, actor_role, actor_office,"
                              " actor_region, action, resource_type, resource_id, person_id, purpose, legal_basis,"
                              " outcome, correlation_id, detail)",
                              16, (size_t)m, au, NULL) ||
            store_insert_rows(db, &e, NULL,
                              "INSERT INTO ei_employment (id, person_id, employer_key, employer_id, employer_brn,"
                              " employer_name, start_date, end_date, daily_minutes, monthly_wage, insurance_type,"
                              " source, start_result, end_result, created_at, updated_at)",
                              16, (size_t)m, sp, NULL) ||
            store_insert_rows(db, &e, NULL, "INSERT INTO events (type, subject, payload, created_at, available_at)", 5,
                              (size_t)m, ev, NULL) ||
            store_commit(db, &e))
            return fprintf(stderr, "write: %s\n", e.detail), 1;
        n += m;
    }
    double s = (double)(clock_mono_us() - t0) / 1e6;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("{\"mode\":\"floor (rows only)\",\"lines\":%ld,\"seconds\":%.3f,\"per_second\":%.0f,\"cpu_us_per_line\":%.1f}\n", n,
           s, n / s, n ? cpu * 1e6 / (double)n : 0.0);
    free(pid);
    return 0;
}
