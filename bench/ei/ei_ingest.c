/* ei_ingest.c - in-process ingest rate of job-start registrations (no HTTP): reads national ids on
 * stdin, registers a job start for each, 500 per transaction, as the batch endpoint does: through
 * ei_registration_batch() (set-based), or with EI_INGEST_PERLINE=1 through ei_registration() line
 * by line (the path before it).  usage: ei_ingest DB_URL KEYS_FILE < nids */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "ei/ei.h"
#include "sec/keys.h"
#include "store/store.h"

int main(int argc, char **argv) {
    if (argc != 3) return fprintf(stderr, "usage: ei_ingest DB_URL KEYS_FILE < nids\n"), 2;
    op_err e = {0};
    store_set_url(argv[1]);
    keys_set_path(argv[2]);
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    store *db = store_thread(&e);
    if (!db) return fprintf(stderr, "db: %s\n", e.detail), 1;
    char today[11], line[64];
    date_format(date_today(), today);
    long n = 0, bad = 0;
    int64_t t0 = clock_mono_us();
    ctx c;
    bool more = true, perline = getenv("EI_INGEST_PERLINE") && *getenv("EI_INGEST_PERLINE") == '1';
    json_t *ins[500];
    struct ei_reg_result res[500];
    while (more) {
        if (!ctx_init_system(&c, "bench", "benefit_administration", &e)) return 1;
        if (store_begin(db, &c.err)) return 1;
        int m = 0;
        for (; m < 500; m++) {
            if (!fgets(line, sizeof line, stdin)) {
                more = false;
                break;
            }
            line[strcspn(line, "\n")] = 0;
            ins[m] = json_pack("{s:s, s:s, s:s}", "national_id", line, "employer_brn", "2223344444", "start_date", today);
        }
        if (perline) {
            for (int i = 0; i < m; i++) {
                json_t *out = NULL;
                bool replay;
                if (ei_registration(&c, ins[i], &out, &replay)) bad++;
                json_decref(out);
            }
        } else if (m) {
            if (ei_registration_batch(&c, ins, (size_t)m, res)) return fprintf(stderr, "batch: %s\n", c.err.detail), 1;
            for (int i = 0; i < m; i++)
                if (res[i].rc) bad++;
        }
        for (int i = 0; i < m; i++) json_decref(ins[i]);
        n += m;
        if (store_commit(db, &c.err)) return fprintf(stderr, "commit: %s\n", c.err.detail), 1;
        ctx_release(&c);
    }
    audit_stop(); /* the last records chained: their CPU counts too */
    double s = (double)(clock_mono_us() - t0) / 1e6;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("{\"mode\":\"in-process\",\"lines\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"per_second\":%.0f,"
           "\"cpu_us_per_line\":%.1f}\n",
           n, bad, s, n / s, n ? cpu * 1e6 / (double)n : 0.0);
    return 0;
}
