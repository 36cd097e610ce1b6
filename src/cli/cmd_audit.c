/* cmd_audit.c - `openpes audit verify`. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"

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
