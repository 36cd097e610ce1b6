/* isco.c - see isco.h. */
#include "domain/isco.h"

#include <stdlib.h>
#include <string.h>

static int cmp(const void *k, const void *el) {
    return strcmp(k, ((const struct isco_unit *)el)->code);
}

static const struct isco_unit *find(const char *code) {
    if (!code || strlen(code) != 4) return NULL;
    return bsearch(code, isco_units, isco_units_count, sizeof isco_units[0], cmp);
}

bool isco_unit_exists(const char *s) { return find(s) != NULL; }

const char *isco_title(const char *code) {
    const struct isco_unit *u = find(code);
    return u ? u->title : NULL;
}
