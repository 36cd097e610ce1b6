/* cmd_user.c - `openpes user` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_user(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: user: not available yet\n");
    return 2;
}
