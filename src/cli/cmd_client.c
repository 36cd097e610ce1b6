/* cmd_client.c - `openpes client add|list`: partner systems that obtain OAuth2 tokens with the
 * client credentials grant (POST /oauth2/client/token).  The secret is stored as an argon2id
 * hash and cannot be shown again. */
#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: openpes client add --id ID (--secret S | --secret-stdin) --scopes \"a b\" [--name NAME]\n"
    "       openpes client list\n"
    "       openpes client disable|enable --id ID   lock a client (ends its tokens at once) or unlock it\n";

static int client_add(int argc, char **argv) {
    static const char *const valued[] = {"id", "secret", "scopes", "name", NULL};
    static const char *const flags[] = {"secret-stdin", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, flags, usage)) return 2;
    struct client_new n = {
        .id = cli_opt(argc, argv, "id"),
        .secret = cli_opt(argc, argv, "secret"),
        .scopes = cli_opt(argc, argv, "scopes"),
        .name = cli_opt(argc, argv, "name"),
    };
    static char secret[1026];
    if (cli_flag(argc, argv, "secret-stdin")) {
        if (n.secret || !fgets(secret, sizeof secret, stdin)) {
            fprintf(stderr, "openpes: use either --secret or --secret-stdin (one line on standard input)\n");
            return 2;
        }
        secret[strcspn(secret, "\r\n")] = 0;
        n.secret = secret;
    }
    if (!n.id || !n.secret || !n.scopes) {
        fprintf(stderr, "openpes: --id, a secret and --scopes are required\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-client", NULL, &e)) return cli_fail(&e);
    op_code rc = store_begin(c.db, &c.err);
    if (!rc) rc = client_create(&c, &n);
    if (!rc) rc = store_commit(c.db, &c.err);
    int ret = rc ? cli_fail(&c.err) : 0;
    if (!rc) printf("%s\n", n.id);
    ctx_release(&c);
    memset(secret, 0, sizeof secret);
    return ret;
}

static int client_list_cmd(int argc, char **argv) {
    static const char *const none[] = {NULL};
    if (!cli_check_opts(argc, argv, 2, none, none, usage)) return 2;
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-client", NULL, &e)) return cli_fail(&e);
    json_t *items;
    op_code rc = client_list(&c, &items);
    if (!rc) {
        printf("%-32s %-8s %-32s %s\n", "ID", "STATUS", "NAME", "SCOPES");
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o)
            printf("%-32s %-8s %-32s %s\n", json_string_value(json_object_get(o, "id")),
                   json_is_true(json_object_get(o, "disabled")) ? "disabled" : "active",
                   json_string_value(json_object_get(o, "name")), json_string_value(json_object_get(o, "scopes")));
        json_decref(items);
    }
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

static int client_lock(int argc, char **argv, bool disabled) {
    static const char *const valued[] = {"id", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, NULL, usage)) return 2;
    const char *id = cli_opt(argc, argv, "id");
    if (!id) {
        fprintf(stderr, "openpes: --id is required\n%s", usage);
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-client", NULL, &e)) return cli_fail(&e);
    int64_t ended = 0;
    op_code rc = client_set_disabled(&c, id, disabled, &ended);
    if (!rc) printf("%s %s%s\n", id, disabled ? "disabled" : "enabled",
                    disabled ? arena_printf(c.a, "; %lld tokens ended", (long long)ended) : "");
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

int cmd_client(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "disable") == 0) return client_lock(argc, argv, true);
    if (argc >= 2 && strcmp(argv[1], "enable") == 0) return client_lock(argc, argv, false);
    if (argc >= 2 && strcmp(argv[1], "add") == 0) return client_add(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0) return client_list_cmd(argc, argv);
    fputs(usage, stderr);
    return 2;
}
