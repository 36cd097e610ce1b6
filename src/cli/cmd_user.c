/* cmd_user.c - `openpes user add|list`: accounts from the command line (bootstrap the first
 * admin, scripted set-up).  `add` prints the new account id on stdout. */
#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "cli/cli.h"
#include "domain/account.h"
#include "sec/password.h"

static const char usage[] =
    "usage: openpes user add --username U (--password P | --password-stdin) --kind citizen|employer|staff\n"
    "                        [--role R --office CODE] [--person ID] [--employer ID] [--name NAME] [--locale ko|en]\n"
    "       openpes user list [--kind staff|employer|citizen] [--office CODE]\n"
    "       openpes user disable|enable --username U   lock an account (ends its sessions at once) or unlock it\n";

static int user_add(int argc, char **argv) {
    static const char *const valued[] = {"username", "password", "kind", "role", "office", "person", "employer", "name", "locale", NULL};
    static const char *const flags[] = {"password-stdin", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, flags, usage)) return 2;
    struct account_new n = {
        .username = cli_opt(argc, argv, "username"),
        .password = cli_opt(argc, argv, "password"),
        .kind = cli_opt(argc, argv, "kind"),
        .role = cli_opt(argc, argv, "role"),
        .office = cli_opt(argc, argv, "office"),
        .person_id = cli_opt(argc, argv, "person"),
        .employer_id = cli_opt(argc, argv, "employer"),
        .display_name = cli_opt(argc, argv, "name"),
        .locale = cli_opt(argc, argv, "locale"),
    };
    static char pw[PASSWORD_MAX_BYTES + 2];
    if (cli_flag(argc, argv, "password-stdin")) {
        if (n.password) {
            fprintf(stderr, "openpes: use either --password or --password-stdin\n");
            return 2;
        }
        if (!fgets(pw, sizeof pw, stdin)) {
            fprintf(stderr, "openpes: could not read a password from standard input\n");
            return 2;
        }
        pw[strcspn(pw, "\r\n")] = 0;
        n.password = pw;
    }
    if (!n.username || !n.password || !n.kind) {
        fprintf(stderr, "openpes: --username, a password and --kind are required\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-user", NULL, &e)) return cli_fail(&e);
    char id[ID_LEN];
    op_code rc = store_begin(c.db, &c.err);
    if (!rc) rc = account_create(&c, &n, id);
    if (!rc) rc = store_commit(c.db, &c.err);
    int ret = rc ? cli_fail(&c.err) : 0;
    if (!rc) printf("%s\n", id);
    ctx_release(&c);
    memset(pw, 0, sizeof pw);
    return ret;
}

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

static int user_list(int argc, char **argv) {
    static const char *const valued[] = {"kind", "office", NULL};
    static const char *const flags[] = {NULL};
    if (!cli_check_opts(argc, argv, 2, valued, flags, usage)) return 2;
    const char *kind = cli_opt(argc, argv, "kind"), *office = cli_opt(argc, argv, "office");
    if (kind && strcmp(kind, "staff") && strcmp(kind, "employer") && strcmp(kind, "citizen")) {
        fprintf(stderr, "openpes: --kind must be staff, employer or citizen\n");
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-user", NULL, &e)) return cli_fail(&e);
    char office_id[ID_LEN];
    struct account_filter f = {.kind = kind, .limit = 500};
    op_code rc = office ? office_resolve(&c, office, office_id) : OP_OK;
    if (office) f.office_id = office_id;
    printf("%-32s %-8s %-16s %-20s %s\n", "USERNAME", "KIND", "ROLE", "OFFICE", "ID");
    while (!rc) {
        json_t *items;
        const char *next;
        if ((rc = account_list(&c, &f, &items, &next))) break;
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a) {
            json_t *o = json_object_get(a, "office");
            printf("%-32s %-8s %-16s %-20s %s\n", str(a, "username"), str(a, "kind"), str(a, "role"),
                   json_is_object(o) ? str(o, "code") : "-", str(a, "id"));
        }
        json_decref(items);
        if (!next) break;
        f.after = next;
    }
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

static int user_lock(int argc, char **argv, bool disabled) {
    static const char *const valued[] = {"username", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, NULL, usage)) return 2;
    const char *u = cli_opt(argc, argv, "username");
    if (!u) {
        fprintf(stderr, "openpes: --username is required\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-user", NULL, &e)) return cli_fail(&e);
    int64_t ended = 0;
    op_code rc = account_set_disabled(&c, u, disabled, &ended);
    if (!rc) printf("%s %s%s\n", u, disabled ? "disabled" : "enabled",
                    disabled ? arena_printf(c.a, "; %lld sessions ended", (long long)ended) : "");
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

int cmd_user(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "disable") == 0) return user_lock(argc, argv, true);
    if (argc >= 2 && strcmp(argv[1], "enable") == 0) return user_lock(argc, argv, false);
    if (argc >= 2 && strcmp(argv[1], "add") == 0) return user_add(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0) return user_list(argc, argv);
    fputs(usage, stderr);
    return 2;
}
