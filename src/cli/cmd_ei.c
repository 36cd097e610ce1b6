/* cmd_ei.c - `openpes ei ...`: employment-insurance batch work.
 *   ei import-employment FILE [--report FILE]   insured history, JSONL or CSV (also `import employment`)
 *   ei evaluate --date D                         evaluate every recognition round due on D
 *   ei pay-batch --date D --out FILE             evaluate due rounds, pay recognised ones, write the bank export
 *   ei recovery-notices --date D --out FILE      payment notices for recovery orders nothing pays any more, giro file */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "ei/ei.h"

static const char usage[] =
    "usage: openpes ei import-employment FILE [--report FILE]\n"
    "       openpes ei evaluate [--date YYYY-MM-DD]\n"
    "       openpes ei pay-batch [--date YYYY-MM-DD] --out FILE\n"
    "       openpes ei recovery-notices [--date YYYY-MM-DD] --out FILE\n";

static int day_opt(int argc, char **argv, int64_t *day) {
    const char *d = cli_opt(argc, argv, "date");
    *day = date_today();
    if (d && !date_parse(d, day)) {
        fprintf(stderr, "openpes: --date must be YYYY-MM-DD\n");
        return 2;
    }
    return 0;
}

static int import_employment(int argc, char **argv) {
    if (argc < 3 || argv[2][0] == '-') {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    const char *file = argv[2], *rpath = cli_opt(argc, argv, "report");
    FILE *in = fopen(file, "r");
    if (!in) {
        fprintf(stderr, "openpes: cannot open %s\n", file);
        return 1;
    }
    FILE *report = rpath ? fopen(rpath, "w") : stderr;
    if (!report) {
        fclose(in);
        fprintf(stderr, "openpes: cannot write %s\n", rpath);
        return 1;
    }
    int ret = 1;
    if (cli_open_db(true)) {
        ctx c;
        op_err e = {0};
        if (!ctx_init_system(&c, "ei-import", "benefit_administration", &e)) {
            ret = cli_fail(&e);
        } else {
            long ok = 0, bad = 0;
            op_code rc = ei_import_employment(&c, in, report, &ok, &bad);
            ret = rc ? cli_fail(&c.err) : bad ? 3 : 0;
            if (!rc) {
                fprintf(report, "%s: %ld accepted, %ld rejected\n", file, ok, bad);
                if (rpath) fprintf(stderr, "%s: %ld accepted, %ld rejected (report: %s)\n", file, ok, bad, rpath);
            }
            ctx_release(&c);
        }
    }
    fclose(in);
    if (rpath) fclose(report);
    return ret;
}

/* ei recovery-notices: the daily step of the batch on its own (docs/EI.md, recovery orders). */
static int recovery_notices(int argc, char **argv) {
    static const char *const valued[] = {"date", "out", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, NULL, usage)) return 2;
    int64_t day;
    int r = day_opt(argc, argv, &day);
    if (r) return r;
    const char *out = cli_opt(argc, argv, "out");
    if (!out) {
        fprintf(stderr, "openpes: ei recovery-notices needs --out FILE\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "ei-recovery-notices", "benefit_administration", &e)) return cli_fail(&e);
    struct ei_notice_result res;
    int ret = 0;
    if (ei_recovery_notices_due(&c, day, out, &res)) ret = cli_fail(&c.err);
    else
        printf("{\"issued\":%ld,\"amount_due\":%lld,\"overdue\":%ld,\"rows_in_file\":%ld,\"file\":\"%s\"}\n", res.issued,
               (long long)res.amount, res.overdue, res.rows_in_file, out);
    ctx_release(&c);
    return ret;
}

int cmd_ei(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    if (strcmp(argv[1], "import-employment") == 0) return import_employment(argc, argv);
    if (strcmp(argv[1], "recovery-notices") == 0) return recovery_notices(argc, argv);
    bool pay = strcmp(argv[1], "pay-batch") == 0;
    if (!pay && strcmp(argv[1], "evaluate") != 0) {
        fprintf(stderr, "openpes: ei: unknown command \"%s\"\n%s", argv[1], usage);
        return 2;
    }
    int64_t day;
    int r = day_opt(argc, argv, &day);
    if (r) return r;
    const char *out = cli_opt(argc, argv, "out");
    if (pay && !out) {
        fprintf(stderr, "openpes: ei pay-batch needs --out FILE\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, pay ? "ei-pay-batch" : "ei-evaluate", "benefit_administration", &e)) return cli_fail(&e);
    int ret = 0;
    if (pay) {
        struct ei_batch_result res;
        if (ei_pay_batch(&c, day, out, &res)) ret = cli_fail(&c.err);
        else
            printf("{\"evaluated\":%ld,\"paid\":%ld,\"withheld\":%ld,\"held_no_account\":%ld,\"early_reemployment\":%ld,"
                   "\"lapsed\":%ld,\"amount\":%lld,\"recovery_offset\":%lld,\"rows_in_file\":%ld,\"not_in_file_no_account\":%ld,"
                   "\"not_in_file_fully_offset\":%ld,\"file\":\"%s\"}\n",
                   res.evaluated, res.paid, res.withheld, res.held, res.reemployment, res.lapsed, (long long)res.amount,
                   (long long)res.offset, res.rows_in_file, res.no_account, res.fully_offset, out);
    } else {
        long n = ei_rounds_evaluate_due(&c, day);
        if (n < 0) ret = cli_fail(&c.err);
        else printf("{\"evaluated\":%ld}\n", n);
    }
    ctx_release(&c);
    return ret;
}
