/* cmd_nesp.c - `openpes nesp check`: a NESP eligibility check with the social registry's facts
 * (docs/NESP.md), run as the system under purpose employment_service; `openpes nesp show`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "nesp/nesp_check.h"

static const char usage[] =
    "usage: openpes nesp check --person ID --assets N [--partner ID] [--date YYYY-MM-DD] [--dependents N]\n"
    "                          [--military-years N] [--work-days N] [--work-hours N] [--vulnerable-group CODE] [--async [--wait S]]\n"
    "       openpes nesp show --id CHECK_ID\n";

static bool set_int(json_t *o, const char *key, const char *v) {
    if (!v) return true;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end) {
        fprintf(stderr, "openpes: --%s must be a whole number\n%s", key, usage);
        return false;
    }
    json_object_set_new(o, key, json_integer(n));
    return true;
}

int cmd_nesp(int argc, char **argv) {
    static const char *const cvalued[] = {"person", "assets", "partner", "date", "dependents", "military-years", "work-days",
                                          "work-hours", "vulnerable-group", "wait", NULL};
    static const char *const cflags[] = {"async", NULL};
    static const char *const svalued[] = {"id", NULL};
    bool check = argc >= 2 && strcmp(argv[1], "check") == 0, show = argc >= 2 && strcmp(argv[1], "show") == 0;
    if ((!check && !show) || (check && !cli_check_opts(argc, argv, 2, cvalued, cflags, usage)) ||
        (show && !cli_check_opts(argc, argv, 2, svalued, NULL, usage))) {
        if (!check && !show) fputs(usage, stderr);
        return 2;
    }
    json_t *in = json_object();
    if (check) {
        if (cli_opt(argc, argv, "partner")) json_object_set_new(in, "partner", json_string(cli_opt(argc, argv, "partner")));
        if (cli_opt(argc, argv, "date")) json_object_set_new(in, "date", json_string(cli_opt(argc, argv, "date")));
        if (cli_opt(argc, argv, "vulnerable-group"))
            json_object_set_new(in, "vulnerable_group", json_string(cli_opt(argc, argv, "vulnerable-group")));
        if (cli_flag(argc, argv, "async")) json_object_set_new(in, "async", json_true());
        if (!set_int(in, "household_assets", cli_opt(argc, argv, "assets")) || !set_int(in, "dependents", cli_opt(argc, argv, "dependents")) ||
            !set_int(in, "military_service_years", cli_opt(argc, argv, "military-years")) ||
            !set_int(in, "work_days_2y", cli_opt(argc, argv, "work-days")) || !set_int(in, "work_hours_2y", cli_opt(argc, argv, "work-hours"))) {
            json_decref(in);
            return 2;
        }
    }
    if (!cli_open_db(true)) {
        json_decref(in);
        return 1;
    }
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-nesp", "employment_service", &e)) {
        json_decref(in);
        return cli_fail(&e);
    }
    json_t *o = NULL;
    op_code rc;
    if (show) {
        rc = nesp_check_get(&c, cli_opt(argc, argv, "id"), &o);
    } else {
        rc = nesp_check_run(&c, cli_opt(argc, argv, "person"), in, &o);
        const char *w = cli_opt(argc, argv, "wait");
        /* --async --wait S: the check is completed by the worker of the serving process */
        for (int64_t t = 0, max = w ? atoll(w) * 1000 : 0; !rc && t < max; t += 100) {
            if (strcmp(json_string_value(json_object_get(o, "status")), "pending") != 0) break;
            usleep(100000);
            json_t *cur;
            if ((rc = nesp_check_get(&c, json_string_value(json_object_get(o, "id")), &cur))) break;
            json_decref(o);
            o = cur;
        }
    }
    json_decref(in);
    int ret;
    if (rc) {
        ret = cli_fail(&c.err);
        json_decref(o);
    } else {
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
        printf("%s\n", s);
        free(s);
        json_decref(o);
        ret = 0;
    }
    ctx_release(&c);
    return ret;
}
