/* cmd_match.c - `openpes match ...`: recommendation weights and their evaluation.
 *   match fit                                      re-fit the factor weights from application outcomes
 *   match evaluate [--seekers N] [--seed S] [--vacancies N]
 *                                                  hit rate at 10 of later hires on seeded data
 *                                                  (--vacancies seeds that many first)
 *   match reindex                                  rebuild the index of findable job seekers by
 *                                                  occupation group (candidate lists) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "jobs/jobs.h"
#include "match/match.h"

static const char usage[] = "usage: openpes match fit\n"
                            "       openpes match evaluate [--seekers N] [--seed S] [--vacancies N]\n"
                            "       openpes match reindex\n";

int cmd_match(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "fit") && strcmp(argv[1], "evaluate") && strcmp(argv[1], "reindex"))) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "match", "statistics", &e)) return cli_fail(&e);
    int ret = 0;
    if (strcmp(argv[1], "reindex") == 0) {
        long n = 0;
        if (jobs_seeker_reindex(&c, &n)) ret = cli_fail(&c.err);
        else printf("%ld job seekers indexed\n", n);
    } else if (strcmp(argv[1], "fit") == 0) {
        struct match_weights w;
        long used = 0;
        if (match_fit(&c, &w, &used)) ret = cli_fail(&c.err);
        else {
            printf("%ld applications used%s\n", used, used < MATCH_FIT_MIN ? " (too few: weights unchanged)" : "");
            for (int i = 0; i < MATCH_NF; i++) printf("  %-10s %4d (default %d)\n", match_factor_names[i], w.w[i], match_default_weights[i]);
        }
    } else {
        const char *s = cli_opt(argc, argv, "seekers"), *sd = cli_opt(argc, argv, "seed"), *nv = cli_opt(argc, argv, "vacancies");
        long seekers = s ? atol(s) : 500;
        unsigned long seed = sd ? strtoul(sd, NULL, 10) : 1;
        if (seekers < 1 || seekers > 1000000) {
            fprintf(stderr, "openpes: --seekers must be 1..1000000\n");
            ret = 2;
        } else if (nv && atol(nv) > 0 && vacancy_seed(&c, atol(nv), seed)) {
            ret = cli_fail(&c.err);
        } else {
            json_t *out = NULL;
            if (match_evaluate(&c, seekers, seed, &out)) ret = cli_fail(&c.err);
            else {
                char *txt = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
                printf("%s\n", txt);
                free(txt);
                json_decref(out);
            }
        }
    }
    ctx_release(&c);
    return ret;
}
