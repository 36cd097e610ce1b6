/* fuzz_policy.c - every policy calculator on arbitrary request bodies: the first byte picks the
 * calculator.  Answers are JSON objects; failures are validation or not-found errors with a field
 * or a detail, never anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size < 1) return 0;
    const pol_endpoint *eps = pol_endpoints();
    int n = 0;
    while (eps[n].name) n++;
    const pol_endpoint *ep = &eps[data[0] % n];
    arena *a = arena_new(0);
    json_t *out = NULL;
    op_err e = {0};
    op_code rc = pol_run_text(ep->name, a, (const char *)data + 1, size - 1, &out, &e);
    if (rc == OP_OK) {
        if (!json_is_object(out)) abort();
    } else if (rc != OP_VALIDATION && rc != OP_UNKNOWN_FIELD && rc != OP_POLICY_NOT_FOUND && rc != OP_BAD_JSON) {
        fprintf(stderr, "unexpected %s: %s\n", op_code_str(rc), e.detail);
        abort();
    }
    json_decref(out);
    arena_free(a);
    return 0;
}
