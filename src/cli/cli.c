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

json_t *cli_load_json(const char *path, const char *what) {
    json_error_t je;
    json_t *v = json_load_file(path, 0, &je);
    if (!v) fprintf(stderr, "openpes: cannot read %s %s: %s\n", what, path, je.text);
    return v;
}

bool cli_flag(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0) return true;
    return false;
}

static bool in_list(const char *const *list, const char *name, size_t n) {
    for (; list && *list; list++)
        if (strlen(*list) == n && strncmp(name, *list, n) == 0) return true;
    return false;
}

bool cli_check_opts(int argc, char **argv, int first, const char *const *valued, const char *const *flags,
                    const char *usage) {
    for (int i = first; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0) {
            fprintf(stderr, "openpes: unexpected argument \"%s\"\n%s", argv[i], usage);
            return false;
        }
        const char *name = argv[i] + 2;
        size_t n = strcspn(name, "=");
        if (in_list(valued, name, n)) {
            if (!name[n]) i++; /* the value is the next argument */
        } else if (name[n] || !in_list(flags, name, n)) {
            fprintf(stderr, "openpes: unknown option \"%s\"\n%s", argv[i], usage);
            return false;
        }
    }
    return true;
}
