/* cmd_client.c - `openpes client` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_client(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: client: not available yet\n");
    return 2;
}
