/* cmd_office.c - `openpes office` (placeholder until it lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_office(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "openpes: office: not available yet\n");
    return 2;
}
