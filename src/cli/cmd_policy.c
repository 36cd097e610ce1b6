/* cmd_policy.c - `openpes policy <name> [--pack-dir DIR] < request.json`.
 *
 * Runs one policy calculator on the JSON request read from stdin and prints the JSON response on
 * stdout: the same functions and the same JSON as POST /api/v1/policy/... (src/api/h_policy.c).
 * On error it prints the API's error envelope on stdout and exits 1; usage errors exit 2.
 * No database is opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonx.h"
#include "cli/cli.h"
#include "policy/policy.h"

#define MAX_REQUEST (1u << 20)

static int usage(void) {
    fprintf(stderr, "usage: openpes policy <name> [--pack-dir DIR] < request.json\n\nnames:\n");
    for (const pol_endpoint *p = pol_endpoints(); p->name; p++)
        fprintf(stderr, "  %-22s POST %s\n  %-22s %s\n", p->name, p->path, "", p->summary);
    fprintf(stderr, "\nPacks are read from --pack-dir, $OPENPES_POLICY_DIR, ./policy or <binary>/../policy.\n");
    return 2;
}

int cmd_policy(int argc, char **argv) {
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pack-dir") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--", 2) == 0) {
            if (strncmp(argv[i], "--pack-dir=", 11) == 0) continue;
            if (strcmp(argv[i], "--help") != 0) fprintf(stderr, "openpes: policy: unknown option \"%s\"\n", argv[i]);
            return usage();
        }
        if (name) return usage();
        name = argv[i];
    }
    if (!name || !pol_endpoint_by_name(name)) {
        if (name) fprintf(stderr, "openpes: policy: unknown calculator \"%s\"\n", name);
        return usage();
    }
    const char *dir = cli_opt(argc, argv, "pack-dir");
    if (dir) pol_set_dir(dir);

    char *buf = malloc(MAX_REQUEST + 1);
    if (!buf) return 1;
    size_t len = fread(buf, 1, MAX_REQUEST + 1, stdin);
    arena *a = arena_new(1 << 16);
    op_err e = {0};
    json_t *out = NULL;
    op_code rc;
    if (len > MAX_REQUEST)
        rc = op_fail(&e, OP_TOO_LARGE, "send a smaller request", "the request exceeds %u bytes", MAX_REQUEST);
    else
        rc = pol_run_text(name, a, buf, len, &out, &e);
    free(buf);
    json_t *resp = rc ? pol_error_json(&e) : out;
    fputs(jx_dump(a, resp), stdout);
    fputc('\n', stdout);
    json_decref(resp);
    arena_free(a);
    return rc ? 1 : 0;
}
