/* jsonx.h - validated access to jansson values.
 *
 * Every getter reports a precise error naming the JSON field (op_err.field) and returns
 * OP_OK when the value is valid or absent-and-optional.  Strings returned point into the
 * json_t and live as long as it does.  jx_arena ties a value's lifetime to an arena. */
#ifndef OPENPES_JSONX_H
#define OPENPES_JSONX_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

json_t *jx_arena(arena *a, json_t *v);                /* decref v when a is freed; returns v */
char *jx_dump(arena *a, const json_t *v);             /* compact JSON, arena-owned */
op_code jx_parse(arena *a, const char *buf, size_t len, json_t **out, op_err *e); /* object */

/* Reject keys of obj not in `allowed` (NULL-terminated).  path prefixes field names. */
op_code jx_only(const json_t *obj, const char *const *allowed, const char *path, op_err *e);

op_code jx_str(const json_t *obj, const char *key, bool required, size_t maxlen,
               const char **out, op_err *e);
op_code jx_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
               int64_t *out, bool *present, op_err *e);
op_code jx_num(const json_t *obj, const char *key, bool required, double min, double max,
               double *out, bool *present, op_err *e);
op_code jx_bool(const json_t *obj, const char *key, bool required, bool *out, bool *present,
                op_err *e);
/* A "YYYY-MM-DD" calendar date. */
op_code jx_date(const json_t *obj, const char *key, bool required, const char **out, op_err *e);
/* A string that must be one of `values` (NULL-terminated). */
op_code jx_enum(const json_t *obj, const char *key, bool required, const char *const *values,
                const char **out, op_err *e);
/* An array (optionally of at most max items). */
op_code jx_array(const json_t *obj, const char *key, bool required, size_t max, json_t **out,
                 op_err *e);
op_code jx_object(const json_t *obj, const char *key, bool required, json_t **out, op_err *e);

bool jx_in(const char *s, const char *const *values);
/* Set key only when v is a non-NULL C string / non-null value. */
void jx_set_str(json_t *obj, const char *key, const char *v);

#endif
