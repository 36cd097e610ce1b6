/* fuzz_dates.c - date and timestamp parsing: an accepted date formats back to itself. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    int64_t days, us;
    if (date_parse(s, &days)) {
        char back[11];
        date_format(days, back);
        if (strcmp(back, s) != 0) abort();
    }
    (void)ts_parse(s, &us);
    free(s);
    return 0;
}
