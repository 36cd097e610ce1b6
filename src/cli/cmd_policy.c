/* cmd_policy.c - `openpes policy` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_policy(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: policy: not available yet\n");
    return 2;
}
