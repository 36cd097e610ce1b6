/* cmd_admin.c - placeholders for user/client/office/seed until they land. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_user(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "openpes: user: not available yet\n"); return 2; }
int cmd_client(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "openpes: client: not available yet\n"); return 2; }
int cmd_office(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "openpes: office: not available yet\n"); return 2; }
int cmd_seed(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "openpes: seed: not available yet\n"); return 2; }
