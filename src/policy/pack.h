/* pack.h - country policy packs: loading, validation, caching and lookup by date.
 *
 * A pack is one JSON file per country (policy/kr.json, policy/de.json; format in docs/POLICY.md):
 * programmes with a validity range (one per calculator: ei, ei_recognition, ei_reemploy,
 * ei_sanction, nesp) and parameters, each a list of dated values with their legal source and
 * confidence.  The loader rejects a malformed or inconsistent pack with a precise error naming the
 * file, the parameter and the problem (wrong type, unsorted bands, overlapping or gapped validity,
 * missing source, a programme range not covered, a parameter the engine does not know or needs).
 *
 * Directory: pol_set_dir() (CLI --pack-dir) > $OPENPES_POLICY_DIR > ./policy > <binary dir>/../policy
 * (> <binary dir>/../../policy, for test binaries under build/tests/).
 * Packs are loaded on first use per country and cached for the life of the process (the outcome,
 * success or failure, is cached); lookups are thread-safe and packs are never mutated after load.
 * Calculators must not change pack values' reference counts either: copy (json_deep_copy, or
 * new scalars) whatever goes into a response. */
#ifndef OPENPES_POLICY_PACK_H
#define OPENPES_POLICY_PACK_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef struct pol_pack {
    char country[3];  /* "KR" */
    char currency[4]; /* ISO 4217 */
    int minor_digits; /* 0 for KRW, 2 for EUR */
    char path[512];
    json_t *root; /* the whole document (read-only after load) */
    json_t *programmes, *params, *switches;
} pol_pack;

/* One parameter value in force on a date. */
typedef struct pol_value {
    const char *name;
    const json_t *value;
    const char *source;
    const char *confidence; /* "A", "B/C", ...; NULL when the pack gives none */
    const char *valid_from, *valid_to; /* valid_to NULL = open-ended */
    bool overridden;                   /* from options.params (simulation) */
} pol_value;

/* Pack directory.  pol_set_dir(NULL) restores the default resolution.  Both also drop the cache:
 * call them at start-up or in tests, never while requests run. */
void pol_set_dir(const char *dir);
const char *pol_dir(void);

/* The cached pack of a country ("KR").  OP_POLICY_NOT_FOUND when no pack exists for it;
 * OP_INTERNAL with the loader's detail when the file is invalid. */
op_code pol_pack_get(const char *country, const pol_pack **out, op_err *e);

/* Load and validate one file, uncached (tests, tools).  Free with pol_pack_free. */
op_code pol_pack_load_file(const char *path, pol_pack **out, op_err *e);
void pol_pack_free(pol_pack *p);

/* OK when the pack has `programme` and date (days since epoch) is inside its validity;
 * OP_POLICY_NOT_FOUND otherwise, naming both. */
op_code pol_programme_at(const pol_pack *p, const char *programme, int64_t date, op_err *e);

/* The value of parameter `name` on `date`; false when the pack has no such parameter or no
 * value on that date. */
bool pol_param_at(const pol_pack *p, const char *name, int64_t date, pol_value *out);
const json_t *pol_param_def(const pol_pack *p, const char *name); /* the definition object */

/* ---- pack_check.c: types and the engine's schema ---- */

/* Validate a parameter value against a type ("money", "rate", "duration_matrix", ...).  On failure
 * writes a reason (with a path inside the value) to why and returns false. */
bool pol_type_check(const char *type, const json_t *v, char *why, size_t n);
/* The schema row for a parameter of a country's pack, or NULL when the engine does not know it. */
typedef struct pol_schema_row {
    const char *country, *programme, *name, *type;
} pol_schema_row;
const pol_schema_row *pol_schema_find(const char *country, const char *name);
const pol_schema_row *pol_schema_rows(void); /* terminated by a row with name NULL */

/* Enumerations shared by the table types and the calculators. */
extern const char *const pol_activity_types[];  /* application, interview, ... other */
extern const char *const pol_claimant_categories[];
extern const char *const pol_event_types[];     /* quit, refusal_job, ... */
extern const char *const pol_rounding_modes[];  /* down, up, half_up, half_even */

#endif
