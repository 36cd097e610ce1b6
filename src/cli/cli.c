/* cli.c - helpers shared by the subcommands. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "sec/keys.h"
#include "store/store.h"

int cli_fail(const op_err *e) {
    fprintf(stderr, "openpes: %s", op_message(e->code));
    if (e->detail[0]) fprintf(stderr, ": %s", e->detail);
    fputc('\n', stderr);
    if (e->hint[0]) fprintf(stderr, "hint: %s\n", e->hint);
    return 1;
}

bool cli_open_db(bool migrate) {
    op_err e = {0};
    store *s = store_thread(&e);
    if (!s) {
        cli_fail(&e);
        return false;
    }
    if (migrate && store_migrate(s, &e)) {
        cli_fail(&e);
        return false;
    }
    if (keys_load(&e)) {
        cli_fail(&e);
        return false;
    }
    return true;
}

const char *cli_opt(int argc, char **argv, const char *name) {
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, name, n) != 0) continue;
        if (argv[i][2 + n] == '=') return argv[i] + 3 + n;
        if (argv[i][2 + n] == 0 && i + 1 < argc) return argv[i + 1];
    }
    return NULL;
}

bool cli_flag(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0) return true;
    return false;
}
