/* jsonx.c - see jsonx.h. */
#include "base/jsonx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

static void decref_cb(void *p) { json_decref(p); }

json_t *jx_arena(arena *a, json_t *v) {
    if (v) arena_on_free(a, decref_cb, v);
    return v;
}

char *jx_dump(arena *a, const json_t *v) {
    /* Straight into the arena (json_dumps would build a malloc'd, doubling buffer to copy): a
     * guess first, then once more with the exact size when the guess was short. */
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15);
    char buf[8192];
    size_t n = v ? json_dumpb(v, buf, sizeof buf, flags) : 0;
    if (n == 0) return arena_strdup(a, "null");
    if (n <= sizeof buf) return arena_strndup(a, buf, n);
    char *r = arena_alloc(a, n + 1);
    if (json_dumpb(v, r, n, flags) != n) return arena_strdup(a, "null");
    r[n] = 0;
    return r;
}

op_code jx_parse(arena *a, const char *buf, size_t len, json_t **out, op_err *e) {
    json_error_t je;
    *out = NULL;
    if (!buf || len == 0)
        return op_fail(e, OP_BAD_JSON, "send a JSON object as the request body", "the body is empty");
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return op_fail(e, OP_BAD_JSON, "check the JSON syntax", "%s at line %d column %d", je.text,
                       je.line, je.column);
    jx_arena(a, v);
    if (!json_is_object(v))
        return op_fail(e, OP_BAD_JSON, "send a JSON object", "the body must be a JSON object");
    *out = v;
    return OP_OK;
}

bool jx_in(const char *s, const char *const *values) {
    if (!s) return false;
    for (; *values; values++)
        if (strcmp(s, *values) == 0) return true;
    return false;
}

op_code jx_only(const json_t *obj, const char *const *allowed, const char *path, op_err *e) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        (void)v;
        if (!jx_in(k, allowed)) {
            char f[96];
            snprintf(f, sizeof f, "%s%s%s", path ? path : "", path && *path ? "." : "", k);
            return op_fail_field(e, OP_UNKNOWN_FIELD, f, "remove the field or check its spelling",
                                 "unknown field \"%s\"", f);
        }
    }
    return OP_OK;
}

static op_code missing(op_err *e, const char *key) {
    return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" is required", key);
}

static op_code wrong_type(op_err *e, const char *key, const char *want) {
    return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" must be %s", key, want);
}

op_code jx_str(const json_t *obj, const char *key, bool required, size_t maxlen,
               const char **out, op_err *e) {
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_string(v)) return wrong_type(e, key, "a string");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n)
        return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" contains a NUL character", key);
    if (required && n == 0)
        return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" must not be empty", key);
    if (maxlen && n > maxlen)
        return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" is longer than %zu bytes",
                             key, maxlen);
    *out = s;
    return OP_OK;
}

op_code jx_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
               int64_t *out, bool *present, op_err *e) {
    json_t *v = json_object_get(obj, key);
    if (present) *present = false;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_integer(v)) return wrong_type(e, key, "an integer");
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return op_fail_field(e, OP_VALIDATION, key, NULL,
                             "field \"%s\" must be between %lld and %lld", key, (long long)min,
                             (long long)max);
    *out = n;
    if (present) *present = true;
    return OP_OK;
}

op_code jx_num(const json_t *obj, const char *key, bool required, double min, double max,
               double *out, bool *present, op_err *e) {
    json_t *v = json_object_get(obj, key);
    if (present) *present = false;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_number(v)) return wrong_type(e, key, "a number");
    double n = json_number_value(v);
    if (!isfinite(n) || n < min || n > max)
        return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" must be between %g and %g",
                             key, min, max);
    *out = n;
    if (present) *present = true;
    return OP_OK;
}

op_code jx_bool(const json_t *obj, const char *key, bool required, bool *out, bool *present,
                op_err *e) {
    json_t *v = json_object_get(obj, key);
    if (present) *present = false;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_boolean(v)) return wrong_type(e, key, "true or false");
    *out = json_is_true(v);
    if (present) *present = true;
    return OP_OK;
}

op_code jx_date(const json_t *obj, const char *key, bool required, const char **out, op_err *e) {
    op_code c = jx_str(obj, key, required, 10, out, e);
    if (c || !*out) return c;
    if (!date_parse(*out, NULL))
        return op_fail_field(e, OP_VALIDATION, key, "use YYYY-MM-DD",
                             "field \"%s\" is not a valid calendar date", key);
    return OP_OK;
}

op_code jx_enum(const json_t *obj, const char *key, bool required, const char *const *values,
                const char **out, op_err *e) {
    op_code c = jx_str(obj, key, required, 64, out, e);
    if (c || !*out) return c;
    if (!jx_in(*out, values)) {
        char list[256] = "";
        size_t n = 0;
        for (const char *const *p = values; *p && n < sizeof list - 40; p++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *p);
        return op_fail_field(e, OP_VALIDATION, key, list, "field \"%s\" has an unknown value \"%s\"",
                             key, *out);
    }
    return OP_OK;
}

op_code jx_array(const json_t *obj, const char *key, bool required, size_t max, json_t **out,
                 op_err *e) {
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_array(v)) return wrong_type(e, key, "an array");
    if (max && json_array_size(v) > max)
        return op_fail_field(e, OP_VALIDATION, key, NULL, "field \"%s\" has more than %zu items",
                             key, max);
    *out = v;
    return OP_OK;
}

op_code jx_object(const json_t *obj, const char *key, bool required, json_t **out, op_err *e) {
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) return required ? missing(e, key) : OP_OK;
    if (!json_is_object(v)) return wrong_type(e, key, "an object");
    *out = v;
    return OP_OK;
}

void jx_set_str(json_t *obj, const char *key, const char *v) {
    if (v) json_object_set_new(obj, key, json_string(v));
}
