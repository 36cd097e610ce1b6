/* cmd_seed.c - `openpes seed`: the demo data set, or synthetic people at any scale.
 *
 *   seed --demo                 offices, one account per role, ~200 people (src/seed/demo.c);
 *                               refused when the demo data is already there
 *   seed --print-accounts       the demo accounts and their password
 *   seed --persons N [--seed S] [--offices K] [--registered PCT] [--batch B] [--ids-file F]
 *                               N deterministic synthetic people (same N and S: same people) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "seed/seed.h"

static const char usage[] =
    "usage: openpes seed --demo\n"
    "       openpes seed --print-accounts\n"
    "       openpes seed --persons N [--seed S] [--offices K] [--registered PCT] [--batch B] [--ids-file FILE]\n"
    "       openpes seed --vacancies N [--seed S]\n";

static bool parse_u64(const char *name, const char *v, uint64_t lo, uint64_t hi, uint64_t *out) {
    char *end;
    if (!v || !*v || *v == '-') goto bad;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || x < lo || x > hi) goto bad;
    *out = x;
    return true;
bad:
    fprintf(stderr, "openpes: --%s must be a whole number from %" PRIu64 " to %" PRIu64 "\n%s", name, lo, hi, usage);
    return false;
}

/* Options of `seed`; anything else is refused (a typo must not silently seed something else). */
static const char *const seed_valued[] = {"persons", "vacancies", "seed", "offices", "registered", "batch", "ids-file", NULL};
static const char *const seed_flags[] = {"demo", "print-accounts", NULL};

static int print_accounts(void) {
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    bool present = false;
    if (seed_demo_present(&present, &e)) return cli_fail(&e);
    if (!present) {
        fprintf(stderr, "openpes: this database holds no demo data\nhint: run `openpes seed --demo` first\n");
        return 1;
    }
    seed_demo_print_accounts(stdout);
    return 0;
}

static int demo(void) {
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    if (seed_demo_load(stdout, &e)) return cli_fail(&e);
    printf("\n");
    seed_demo_print_accounts(stdout);
    return 0;
}

static int persons(int argc, char **argv) {
    struct seed_synth_opts o = {.seed = 1, .offices = 4, .registered_pct = 80, .batch = 2000, .progress = stdout};
    uint64_t v;
    if (!parse_u64("persons", cli_opt(argc, argv, "persons"), 1, 100000000, &o.persons)) return 2;
    if (cli_opt(argc, argv, "seed") && !parse_u64("seed", cli_opt(argc, argv, "seed"), 0, UINT64_MAX, &o.seed)) return 2;
    if (cli_opt(argc, argv, "offices")) {
        if (!parse_u64("offices", cli_opt(argc, argv, "offices"), 1, 99, &v)) return 2;
        o.offices = (int)v;
    }
    if (cli_opt(argc, argv, "registered")) {
        if (!parse_u64("registered", cli_opt(argc, argv, "registered"), 0, 100, &v)) return 2;
        o.registered_pct = (unsigned)v;
    }
    if (cli_opt(argc, argv, "batch")) {
        if (!parse_u64("batch", cli_opt(argc, argv, "batch"), 1, 100000, &v)) return 2;
        o.batch = (int)v;
    }
    o.ids_file = cli_opt(argc, argv, "ids-file");
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    struct seed_synth_result r;
    op_code rc = seed_synth_run(&o, &r, &e);
    if (rc) {
        if (r.created) fprintf(stderr, "openpes: %" PRIu64 " people were committed before the failure\n", r.created);
        return cli_fail(&e);
    }
    printf("seeded %" PRIu64 " people (%" PRIu64 " registered as job seekers at %d office%s) in %.1f s: %.0f people/s\n",
           r.created, r.registered, o.offices, o.offices == 1 ? "" : "s", r.seconds,
           r.seconds > 0 ? (double)r.created / r.seconds : 0.0);
    return 0;
}

/* seed --vacancies N [--seed S]: deterministic published vacancies (src/jobs/seed.c). */
static int vacancies(int argc, char **argv) {
    uint64_t n, seed = 1;
    if (!parse_u64("vacancies", cli_opt(argc, argv, "vacancies"), 1, 10000000, &n)) return 2;
    if (cli_opt(argc, argv, "seed") && !parse_u64("seed", cli_opt(argc, argv, "seed"), 0, UINT32_MAX, &seed)) return 2;
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    ctx c;
    if (!ctx_init_system(&c, "seed", "system_operation", &e)) return cli_fail(&e);
    int64_t t0 = clock_mono_us();
    op_code rc = jobs_ensure(&c);
    if (!rc) rc = vacancy_seed(&c, (long)n, (unsigned)seed);
    int ret = rc ? cli_fail(&c.err) : 0;
    if (!rc) {
        double secs = (double)(clock_mono_us() - t0) / 1e6;
        printf("seeded %" PRIu64 " vacancies in %.1f s: %.0f vacancies/s\n", n, secs, secs > 0 ? (double)n / secs : 0.0);
    }
    ctx_release(&c);
    return ret;
}

int cmd_seed(int argc, char **argv) {
    if (!cli_check_opts(argc, argv, 1, seed_valued, seed_flags, usage)) return 2;
    bool d = cli_flag(argc, argv, "demo"), p = cli_flag(argc, argv, "print-accounts");
    bool n = cli_opt(argc, argv, "persons") != NULL, v = cli_opt(argc, argv, "vacancies") != NULL;
    if (d + p + n + v != 1) {
        fprintf(stderr, "openpes: seed: choose one of --demo, --print-accounts, --persons N or --vacancies N\n%s", usage);
        return 2;
    }
    if (p) return print_accounts();
    if (d) return demo();
    if (v) return vacancies(argc, argv);
    return persons(argc, argv);
}
