/* fuzz_signature.c - the DCI Signature string parser: no crash, and accepted values are sane. */
#include <stdlib.h>
#include <string.h>

#include "dci/dci_sig.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    struct dci_sig_parts p;
    op_err e = {0};
    if (dci_sig_parse(s, &p, &e) == OP_OK) {
        if (!p.sender_id[0] || !p.key_id[0] || p.expires <= p.created || p.expires - p.created > DCI_SIG_MAX_LIFETIME)
            abort();
    }
    free(s);
    return 0;
}
