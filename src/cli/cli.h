/* cli.h - subcommands of the openpes binary (one file each, cmd_<name>.c) and shared options.
 *
 * Global options come before the subcommand: `openpes --db URL [--log-level L] <command> ...`.
 * The database URL defaults to $OPENPES_DB, then "openpes.db". */
#ifndef OPENPES_CLI_H
#define OPENPES_CLI_H
#include <jansson.h>
#include <stdbool.h>

#include "base/err.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
    const char *summary;
};

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_office(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_partner(int argc, char **argv);
int cmd_ei(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_dci(int argc, char **argv);
int cmd_nesp(int argc, char **argv);

/* Event handlers and periodic tasks that connect the modules (wiring.c); serve and worker, with
 * their options (--ei-batch-at HH:MM --ei-batch-dir DIR: the daily EI batch).  0, or the exit
 * status after a message on stderr for a bad option. */
int cli_register_workers(int argc, char **argv);

/* Open the global store connection for this thread and migrate it; prints the error. */
bool cli_open_db(bool migrate);
/* Print an op_err the way every command does: "openpes: message: detail\nhint: ...". */
int cli_fail(const op_err *e);
/* Find "--name value" or "--name=value" in argv; NULL when absent. */
const char *cli_opt(int argc, char **argv, const char *name);
/* A JSON file named by an option (e.g. --jwks); NULL with a message on stderr when unreadable. */
json_t *cli_load_json(const char *path, const char *what);
bool cli_flag(int argc, char **argv, const char *name);
/* Reject arguments from argv[first] on that are not "--name value", "--name=value" (names in
 * `valued`) or "--flag" (names in `flags`; either list may be NULL): a typo must never be silently
 * ignored.  Prints the problem and `usage` to stderr and returns false. */
bool cli_check_opts(int argc, char **argv, int first, const char *const *valued, const char *const *flags,
                    const char *usage);

#endif
