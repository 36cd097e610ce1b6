/* fuzz_nid.c - national id normalisation: accepted ids are 13 digits and normalising is stable. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/nid.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    char out[NID_MAX], again[NID_MAX];
    op_err e = {0};
    if (nid_normalise(NID_DEFAULT_COUNTRY, s, out, &e) == OP_OK) {
        if (strlen(out) != 13) abort();
        for (int i = 0; i < 13; i++)
            if (!isdigit((unsigned char)out[i])) abort();
        if (nid_normalise(NID_DEFAULT_COUNTRY, out, again, &e) != OP_OK || strcmp(out, again) != 0) abort();
        if (strstr(e.detail, out)) abort(); /* errors never echo the number */
    } else if (strlen(s) >= 6 && strstr(e.detail, s)) {
        abort();
    }
    free(s);
    return 0;
}
