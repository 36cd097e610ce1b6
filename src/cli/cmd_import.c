/* cmd_import.c - `openpes import taxonomy|employers|vacancies FILE [--report FILE]`.
 *
 * Formats: docs/JOBS.md.  Every line/row is its own transaction: accepted ones are committed,
 * rejected ones are listed with the reason in the report (stderr unless --report).  Exit status
 * 0 when every row was accepted, 3 when some were rejected, 1/2 on errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonx.h"
#include "cli/cli.h"
#include "ei/ei.h"
#include "jobs/jobs.h"

static const char usage[] =
    "usage: openpes import taxonomy FILE [--report FILE]    scheme or crosswalk CSV\n"
    "       openpes import employers FILE [--report FILE]   JSONL, one employer per line\n"
    "       openpes import vacancies FILE [--report FILE]   JSONL, one vacancy per line (partner feeds)\n"
    "       openpes import employment FILE [--report FILE]  JSONL or CSV insured employment spells\n";

static op_code import_employers(ctx *c, const char *path, FILE *report, long *ok, long *bad) {
    FILE *fp = fopen(path, "r");
    if (!fp) return op_fail(&c->err, OP_NOT_FOUND, NULL, "cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    while ((len = getline(&line, &cap, fp)) != -1) {
        n++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len) continue;
        op_clear(&c->err);
        json_t *in, *out = NULL;
        op_code rc = jx_parse(c->a, line, (size_t)len, &in, &c->err);
        if (!rc) rc = jobs_employer_create(c, in, &out);
        if (rc) {
            (*bad)++;
            fprintf(report, "line %ld: rejected: %s%s%s%s\n  %s\n", n, op_code_str(rc), c->err.field[0] ? " (" : "",
                    c->err.field, c->err.field[0] ? ")" : "", c->err.detail);
        } else {
            (*ok)++;
            printf("%s %s\n", json_string_value(json_object_get(out, "id")), json_string_value(json_object_get(out, "brn")));
        }
        json_decref(out);
    }
    free(line);
    fclose(fp);
    op_clear(&c->err);
    return OP_OK;
}

int cmd_import(int argc, char **argv) {
    if (argc < 3 || argv[2][0] == '-') {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    const char *what = argv[1], *file = argv[2];
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--report=", 9) == 0) continue;
        fprintf(stderr, "openpes: unknown option \"%s\"\n%s", argv[i], usage);
        return 2;
    }
    if (strcmp(what, "taxonomy") && strcmp(what, "employers") && strcmp(what, "vacancies") && strcmp(what, "employment")) {
        fprintf(stderr, "openpes: import: unknown kind \"%s\"\n%s", what, usage);
        return 2;
    }
    const char *rpath = cli_opt(argc, argv, "report");
    FILE *report = rpath ? fopen(rpath, "w") : stderr;
    if (!report) {
        fprintf(stderr, "openpes: cannot write %s\n", rpath);
        return 1;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "import", "system_operation", &e)) return cli_fail(&e);
    long ok = 0, bad = 0;
    op_code rc;
    if (strcmp(what, "employment") == 0) { /* the same as `openpes ei import-employment` */
        FILE *in = fopen(file, "r");
        rc = in ? ei_import_employment(&c, in, report, &ok, &bad)
                : op_fail(&c.err, OP_NOT_FOUND, "check the path", "cannot read \"%s\"", file);
        if (in) fclose(in);
    } else {
        rc = strcmp(what, "taxonomy") == 0    ? jobs_import_taxonomy(&c, file, report, &ok, &bad)
             : strcmp(what, "employers") == 0 ? import_employers(&c, file, report, &ok, &bad)
                                              : jobs_import_vacancies(&c, file, report, &ok, &bad);
    }
    int ret = rc ? cli_fail(&c.err) : bad ? 3 : 0;
    if (!rc) fprintf(report, "%s: %ld accepted, %ld rejected\n", file, ok, bad);
    if (rpath) fclose(report);
    if (!rc && rpath) fprintf(stderr, "%s: %ld accepted, %ld rejected (report: %s)\n", file, ok, bad, rpath);
    ctx_release(&c);
    return ret;
}
