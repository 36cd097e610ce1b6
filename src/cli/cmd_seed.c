/* cmd_seed.c - `openpes seed` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_seed(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: seed: not available yet\n");
    return 2;
}
