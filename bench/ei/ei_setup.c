/* ei_setup.c - bench population for employment detection: N people, each with one insured spell
 * ending 70 days ago; CLAIM_PCT of every hundred (default all) also have an open (active) claim
 * reported 65 days ago.  Prints one national id per line on stdout (the load generators register
 * new jobs for them).  500 people per transaction.
 * usage: ei_setup DB_URL KEYS_FILE N [CLAIM_PCT] */
#include <stdio.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "domain/person.h"
#include "ei/ei.h"
#include "sec/keys.h"
#include "store/store.h"

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: ei_setup DB_URL KEYS_FILE N [CLAIM_PCT]\n");
        return 2;
    }
    long n = atol(argv[3]), pct = argc == 5 ? atol(argv[4]) : 100;
    op_err e = {0};
    store_set_url(argv[1]);
    keys_set_path(argv[2]);
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    store *db = store_thread(&e);
    if (!db || store_migrate(db, &e)) return fprintf(stderr, "db: %s\n", e.detail), 1;
    char sep[11], rep[11];
    date_format(date_today() - 70, sep);
    date_format(date_today() - 65, rep);
    ctx c;
    for (long i = 0; i < n; i++) {
        if (i % 500 == 0 && !ctx_init_system(&c, "bench", "benefit_administration", &e))
            return fprintf(stderr, "%s\n", e.detail), 1;
        char nid[16];
        /* birth dates 1960-01-01 + i/1000 days, serial i%1000: unique and valid */
        int y;
        unsigned m, d;
        date_civil_from_days(date_days_from_civil(1960, 1, 1) + i / 9000, &y, &m, &d);
        snprintf(nid, sizeof nid, "%02d%02u%02u-1%06ld", y % 100, m, d, i % 9000);
        json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "national_id", nid, "given_name", "벤치", "family_name",
                              "김", "birth_date", arena_printf(c.a, "%04d-%02u-%02u", y, m, d), "address", "line", "1",
                              "region_code", "KR-11"),
               *out = NULL;
        json_t *sp = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f}", "national_id", nid, "employer_brn", "1234567890",
                               "start_date", "2020-01-06", "end_date", sep, "monthly_wage", 3000000,
                               "daily_contract_hours", 8.0);
        json_t *cl = NULL;
        char sid[ID_LEN];
        bool created;
        op_code rc = i % 500 == 0 ? store_begin(db, &c.err) : OP_OK;
        if (!rc) rc = person_create(&c, p, &out);
        if (!rc) rc = ei_spell_put(&c, sp, sid, &created);
        if (!rc && i % 100 < pct) {
            cl = json_pack("{s:s, s:s, s:s, s:s}", "person_id", json_string_value(json_object_get(out, "id")),
                           "separation_reason", "dismissal", "report_date", rep, "office", "BENCH-01");
            json_decref(out);
            out = NULL;
            rc = ei_claim_file(&c, cl, &out);
        }
        if (!rc && (i % 500 == 499 || i == n - 1)) rc = store_commit(db, &c.err);
        if (rc) store_rollback(db);
        if (rc) return fprintf(stderr, "person %ld: %s (%s)\n", i, c.err.detail, c.err.field), 1;
        printf("%s\n", nid);
        json_decref(p);
        json_decref(sp);
        json_decref(cl);
        json_decref(out);
        if (i % 500 == 499 || i == n - 1) ctx_release(&c);
    }
    audit_stop();
    return 0;
}
