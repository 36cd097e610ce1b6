/* test_policy_common.h - helpers for the policy calculator tests (no database).
 *
 * Requests are written with single quotes ("{'country':'KR'}") and converted to JSON.  pt_kr()
 * and friends merge overrides into a base request (a null value removes the key).  Responses and
 * requests live in one arena freed after each test.  The packs come from the repository's
 * policy/ directory, found relative to this file or to the test binary. */
#ifndef OPENPES_TEST_POLICY_COMMON_H
#define OPENPES_TEST_POLICY_COMMON_H
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/jsonx.h"
#include "policy/calc.h"
#include "policy/pack.h"
#include "policy/policy.h"

static arena *pt_a;
static op_err pt_e;

static inline const char *pt_pack_dir(void) {
    static char dir[PATH_MAX];
    struct stat st;
    const char *env = getenv("OPENPES_TEST_POLICY_DIR");
    if (env && *env) return env;
    snprintf(dir, sizeof dir, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash) {
        snprintf(slash, sizeof dir - (size_t)(slash - dir), "/../../policy");
        if (stat(dir, &st) == 0) return dir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        if ((slash = strrchr(exe, '/'))) *slash = 0;
        snprintf(dir, sizeof dir, "%s/../../policy", exe);
    }
    return dir;
}

static inline void pt_setup(void) {
    pt_a = arena_new(1 << 16);
    memset(&pt_e, 0, sizeof pt_e);
    pol_set_dir(pt_pack_dir());
}

static inline void pt_teardown(void) {
    arena_free(pt_a);
    pt_a = NULL;
}

/* Single-quoted JSON -> json_t (arena-owned). */
static inline json_t *pt_json(const char *sq) {
    char *s = arena_strdup(pt_a, sq);
    for (char *p = s; *p; p++)
        if (*p == '\'') *p = '"';
    json_error_t je;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &je);
    cr_assert(v, "bad test JSON: %s: %s", je.text, s);
    return jx_arena(pt_a, v);
}

/* base with the keys of over merged in (null deletes). */
static inline json_t *pt_merge(const char *base, const char *over) {
    json_t *b = json_deep_copy(pt_json(base));
    jx_arena(pt_a, b);
    if (over) {
        const char *k;
        json_t *v;
        json_t *o = pt_json(over); /* json_object_foreach evaluates its argument repeatedly */
        json_object_foreach(o, k, v) {
            if (json_is_null(v)) json_object_del(b, k);
            else json_object_set(b, k, v);
        }
    }
    return b;
}

/* Run a calculator; returns the response or NULL (pt_e filled). */
static inline json_t *pt_run_json(const char *name, json_t *req) {
    json_t *out = NULL;
    memset(&pt_e, 0, sizeof pt_e);
    op_code rc = pol_run(name, pt_a, req, &out, &pt_e);
    if (rc) return NULL;
    cr_assert(out);
    return jx_arena(pt_a, out);
}

static inline json_t *pt_run(const char *name, const char *sq) { return pt_run_json(name, pt_json(sq)); }

/* Expect success / an error code (and field). */
static inline json_t *pt_ok(const char *name, json_t *req) {
    json_t *r = pt_run_json(name, req);
    cr_assert(r, "%s failed: %s %s (field %s) for %s", name, op_code_str(pt_e.code), pt_e.detail, pt_e.field, jx_dump(pt_a, req));
    return r;
}

static inline void pt_err(const char *name, json_t *req, op_code code, const char *field) {
    json_t *r = pt_run_json(name, req);
    cr_assert_null(r, "%s should fail with %s: %s", name, op_code_str(code), r ? jx_dump(pt_a, r) : "");
    cr_assert_eq(pt_e.code, code, "expected %s, got %s: %s", op_code_str(code), op_code_str(pt_e.code), pt_e.detail);
    if (field) cr_assert_str_eq(pt_e.field, field, "field: %s (%s)", pt_e.field, pt_e.detail);
}

static inline int64_t pt_i(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_integer(v), "\"%s\" is not an integer in %s", key, jx_dump(pt_a, o));
    return json_integer_value(v);
}

static inline bool pt_b(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_boolean(v), "\"%s\" is not a boolean in %s", key, jx_dump(pt_a, o));
    return json_is_true(v);
}

static inline const char *pt_s(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The first reason code, or "" when none. */
static inline const char *pt_reason(const json_t *o) {
    json_t *r = json_array_get(json_object_get(o, "reasons"), 0);
    return r ? json_string_value(json_object_get(r, "code")) : "";
}

static inline bool pt_has_reason(const json_t *o, const char *code) {
    json_t *rs = json_object_get(o, "reasons");
    for (size_t i = 0; i < json_array_size(rs); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(rs, i), "code")), code)) return true;
    return false;
}

/* A trace entry with this rule and parameter (NULL = any), or NULL. */
static inline json_t *pt_trace(const json_t *o, const char *rule, const char *param) {
    json_t *t = json_object_get(o, "trace");
    cr_assert(json_is_array(t), "no trace");
    for (size_t i = 0; i < json_array_size(t); i++) {
        json_t *x = json_array_get(t, i);
        cr_assert(json_is_string(json_object_get(x, "rule")) && json_is_string(json_object_get(x, "parameter")) &&
                      json_object_get(x, "value") && json_is_string(json_object_get(x, "source")),
                  "trace entry without rule/parameter/value/source");
        if (strcmp(json_string_value(json_object_get(x, "rule")), rule) != 0) continue;
        if (param && strcmp(json_string_value(json_object_get(x, "parameter")), param) != 0) continue;
        return x;
    }
    return NULL;
}

#endif
