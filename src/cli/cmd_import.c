/* cmd_import.c - `openpes import` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_import(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: import: not available yet\n");
    return 2;
}
