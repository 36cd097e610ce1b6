/* cmd_office.c - `openpes office add|list`.  `add` prints the new office id on stdout. */
#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "cli/cli.h"
#include "domain/account.h"

static const char usage[] =
    "usage: openpes office add --code C --name N [--name-ko N] --kind job_centre|welfare_office|ministry --region KR-11\n"
    "       openpes office list\n";

static int office_add(int argc, char **argv) {
    static const char *const valued[] = {"code", "name", "name-ko", "kind", "region", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, NULL, usage)) return 2;
    struct office_new o = {
        .code = cli_opt(argc, argv, "code"),
        .name = cli_opt(argc, argv, "name"),
        .name_ko = cli_opt(argc, argv, "name-ko"),
        .kind = cli_opt(argc, argv, "kind"),
        .region_code = cli_opt(argc, argv, "region"),
    };
    if (!o.code || !o.name || !o.kind || !o.region_code) {
        fprintf(stderr, "openpes: --code, --name, --kind and --region are required\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-office", NULL, &e)) return cli_fail(&e);
    char id[ID_LEN];
    op_code rc = store_begin(c.db, &c.err);
    if (!rc) rc = office_create(&c, &o, id);
    if (!rc) rc = store_commit(c.db, &c.err);
    int ret = rc ? cli_fail(&c.err) : 0;
    if (!rc) printf("%s\n", id);
    ctx_release(&c);
    return ret;
}

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

static int office_list_cmd(int argc, char **argv) {
    static const char *const none[] = {NULL};
    if (!cli_check_opts(argc, argv, 2, none, NULL, usage)) return 2;
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-office", NULL, &e)) return cli_fail(&e);
    json_t *items;
    op_code rc = office_list(&c, &items);
    if (!rc) {
        printf("%-24s %-14s %-7s %-36s %s\n", "CODE", "KIND", "REGION", "ID", "NAME");
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o)
            printf("%-24s %-14s %-7s %-36s %s\n", str(o, "code"), str(o, "kind"), str(o, "region_code"), str(o, "id"),
                   str(o, "name"));
        json_decref(items);
    }
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

int cmd_office(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "add") == 0) return office_add(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0) return office_list_cmd(argc, argv);
    fputs(usage, stderr);
    return 2;
}
