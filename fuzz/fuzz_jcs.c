/* fuzz_jcs.c - RFC 8785 canonicalisation: the output must parse, and canonicalising it again must
 * give the same bytes (idempotence).  The second parse reads integers as doubles, which is what JCS
 * numbers are (jansson rejects integers beyond int64 such as 899999999999999999000). */
#include <stdlib.h>
#include <string.h>

#include "dci/jcs.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!v) return 0;
    arena *a = arena_new(0);
    char *c1 = jcs_serialize(a, v);
    if (c1) {
        json_t *w = json_loads(c1, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
        if (!w) abort(); /* canonical output must be JSON */
        char *c2 = jcs_serialize(a, w);
        if (!c2 || strcmp(c1, c2) != 0) abort(); /* and a fixed point */
        json_decref(w);
    }
    arena_free(a);
    json_decref(v);
    return 0;
}
