/* fuzz_envelope.c - DCI envelope validation never crashes, and what it accepts is well-formed. */
#include <stdlib.h>
#include <string.h>

#include "dci/envelope.h"

static const char *const actions[] = {"search", "on-search", NULL};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!v) return 0;
    struct dci_env env;
    const char *code = NULL;
    op_err e = {0};
    op_code rc = dci_envelope_parse(v, actions, "partner-1", true, &env, &code, &e);
    if (rc == OP_OK) {
        if (!dci_id_ok(env.message_id) || !env.action || strcmp(env.sender_id, "partner-1") != 0 || env.total_count < 0)
            abort();
    } else if (!code || strncmp(code, "err.", 4) != 0) {
        abort(); /* every refusal carries a spec error code */
    }
    json_decref(v);
    return 0;
}
