/* jcs.h - RFC 8785 JSON Canonicalization Scheme over jansson values.
 *
 * Used for DCI message digests: object members sorted by the UTF-16 code units of their names,
 * no insignificant whitespace, strings with the minimal escapes, numbers in ECMAScript's
 * shortest round-trip form (integers outside +-2^53 are formatted as the double they become). */
#ifndef OPENPES_JCS_H
#define OPENPES_JCS_H
#include <jansson.h>

#include "base/arena.h"

/* Canonical text of v (arena-owned), or NULL when v holds a non-finite number. */
char *jcs_serialize(arena *a, const json_t *v);

#endif
