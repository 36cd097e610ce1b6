/* cmd_audit.c - `openpes audit verify` and `openpes worker`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "events/outbox.h"

int cmd_audit(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "usage: openpes audit verify\n");
        return 2;
    }
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    int64_t n = 0;
    audit_flush(); /* records of writes still waiting to be chained are verified too */
    store *s = store_thread(&e);
    op_code rc = audit_verify(s, &n, &e);
    if (rc == OP_CONFLICT) {
        printf("audit log BROKEN after %lld intact records: %s\n", (long long)n, e.detail);
        return 3;
    }
    if (rc) return cli_fail(&e);
    printf("audit log intact: %lld records verified\n", (long long)n);
    return 0;
}

int cmd_worker(int argc, char **argv) {
    if (!cli_open_db(true)) return 1;
    cli_register_workers();
    bool once = cli_flag(argc, argv, "once");
    char owner[64];
    snprintf(owner, sizeof owner, "cli-worker:%d", (int)getpid());
    for (;;) {
        op_err e = {0};
        int n = worker_run_once(owner, 500, &e);
        if (n < 0) return cli_fail(&e);
        if (once) {
            printf("%d events processed\n", n);
            return 0;
        }
        if (n == 0) usleep(200000);
    }
}
