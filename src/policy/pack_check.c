/* pack_check.c - parameter types.  The loader (pack.c) and options.params overrides both
 * validate values here, so a simulated value can never have a shape the calculators do not
 * expect.  The schema (which parameters each country's calculators read) is pack_schema.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "policy/pack.h"

const char *const pol_activity_types[] = {"application", "interview", "training",     "counselling",
                                          "job_fair",    "lecture",   "startup_prep", "other",
                                          NULL};
const char *const pol_claimant_categories[] = {"general", "aged60plus", "disabled", "repeated",
                                               "long_duration", NULL};
const char *const pol_event_types[] = {"quit",          "refusal_job",        "refusal_training",
                                       "insufficient_search", "missed_appointment",
                                       "late_registration",   NULL};
const char *const pol_rounding_modes[] = {"down", "up", "half_up", "half_even", NULL};

/* ---- value checks ---- */

static bool fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *why, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return false;
}

static bool is_nonneg_int(const json_t *v) { return json_is_integer(v) && json_integer_value(v) >= 0; }

static bool is_rate(const json_t *v) {
    if (!json_is_number(v)) return false;
    double d = json_number_value(v);
    if (!isfinite(d) || d < 0 || d > 1) return false;
    double ppm = d * 1e6;
    return fabs(ppm - nearbyint(ppm)) < 1e-6; /* exact in parts per million */
}

/* Keys of a table row: `allowed` plus the annotations every row may carry. */
static bool row_keys(const json_t *row, const char *const *allowed, const char *path, char *why,
                     size_t n) {
    if (!json_is_object(row)) return fail(why, n, "%s must be an object", path);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)row, k, v) {
        if (jx_in(k, allowed)) continue;
        if (strcmp(k, "source") == 0 || strcmp(k, "note") == 0 || strcmp(k, "confidence") == 0) {
            if (!json_is_string(v) || !json_string_length(v))
                return fail(why, n, "%s.%s must be a non-empty string", path, k);
            continue;
        }
        return fail(why, n, "%s has an unknown key \"%s\"", path, k);
    }
    return true;
}

static bool need_int(const json_t *row, const char *key, const char *path, int64_t *out, char *why,
                     size_t n) {
    json_t *v = json_object_get(row, key);
    if (!v) return fail(why, n, "%s.%s is missing", path, key);
    if (!is_nonneg_int(v)) return fail(why, n, "%s.%s must be a non-negative integer", path, key);
    *out = json_integer_value(v);
    return true;
}

static bool check_codes(const json_t *v, const char *path, const char *const *domain, char *why,
                        size_t n) {
    if (!json_is_array(v)) return fail(why, n, "%s must be an array of strings", path);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || !json_string_length(s))
            return fail(why, n, "%s[%zu] must be a non-empty string", path, i);
        if (domain && !jx_in(json_string_value(s), domain))
            return fail(why, n, "%s[%zu]: unknown code \"%s\"", path, i, json_string_value(s));
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_array_get(v, j)), json_string_value(s)) == 0)
                return fail(why, n, "%s[%zu]: duplicate code \"%s\"", path, i, json_string_value(s));
    }
    return true;
}

/* A list of non-negative integers, strictly ascending when `ascending`. */
static bool check_ints(const json_t *v, const char *path, bool ascending, char *why, size_t n) {
    if (!json_is_array(v)) return fail(why, n, "%s must be an array of integers", path);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *x = json_array_get(v, i);
        if (!is_nonneg_int(x)) return fail(why, n, "%s[%zu] must be a non-negative integer", path, i);
        if (ascending && i && json_integer_value(x) <= json_integer_value(json_array_get(v, i - 1)))
            return fail(why, n, "%s is not sorted: %lld after %lld", path, (long long)json_integer_value(x),
                        (long long)json_integer_value(json_array_get(v, i - 1)));
    }
    return true;
}

static bool check_duration_matrix(const json_t *v, char *why, size_t n) {
    static const char *const keys[] = {"cols_months", "rows", "disabled_row", NULL};
    if (!row_keys(v, keys, "value", why, n)) return false;
    json_t *cols = json_object_get(v, "cols_months"), *rows = json_object_get(v, "rows");
    if (!cols) return fail(why, n, "value.cols_months is missing");
    if (!check_ints(cols, "value.cols_months", true, why, n)) return false;
    if (!json_array_size(cols) || json_integer_value(json_array_get(cols, 0)) != 0)
        return fail(why, n, "value.cols_months must start at 0");
    if (!json_is_array(rows) || !json_array_size(rows))
        return fail(why, n, "value.rows must be a non-empty array");
    static const char *const rkeys[] = {"min_age", "days", NULL};
    int64_t prev = -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        char p[48];
        snprintf(p, sizeof p, "value.rows[%zu]", i);
        json_t *r = json_array_get(rows, i);
        int64_t age;
        if (!row_keys(r, rkeys, p, why, n) || !need_int(r, "min_age", p, &age, why, n)) return false;
        if (i == 0 && age != 0) return fail(why, n, "%s.min_age must be 0 (the first band)", p);
        if (age <= prev) return fail(why, n, "value.rows are not sorted: min_age %lld after %lld", (long long)age, (long long)prev);
        prev = age;
        json_t *d = json_object_get(r, "days");
        char dp[64];
        snprintf(dp, sizeof dp, "%s.days", p);
        if (!d) return fail(why, n, "%s is missing", dp);
        if (!check_ints(d, dp, false, why, n)) return false;
        if (json_array_size(d) != json_array_size(cols))
            return fail(why, n, "%s has %zu entries but cols_months has %zu", dp, json_array_size(d), json_array_size(cols));
        for (size_t j = 1; j < json_array_size(d); j++)
            if (json_integer_value(json_array_get(d, j)) < json_integer_value(json_array_get(d, j - 1)))
                return fail(why, n, "%s decreases with a longer insured period (entry %zu)", dp, j);
    }
    json_t *dr = json_object_get(v, "disabled_row");
    if (dr && (!is_nonneg_int(dr) || (size_t)json_integer_value(dr) >= json_array_size(rows)))
        return fail(why, n, "value.disabled_row must be an index into value.rows");
    return true;
}

static bool check_duration_steps(const json_t *v, char *why, size_t n) {
    if (!json_is_array(v) || !json_array_size(v)) return fail(why, n, "value must be a non-empty array");
    static const char *const keys[] = {"min_months", "min_age", "months", NULL};
    int64_t pm = -1, pmo = -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        char p[32];
        snprintf(p, sizeof p, "value[%zu]", i);
        json_t *r = json_array_get(v, i);
        int64_t mm, ma, mo;
        if (!row_keys(r, keys, p, why, n) || !need_int(r, "min_months", p, &mm, why, n) ||
            !need_int(r, "min_age", p, &ma, why, n) || !need_int(r, "months", p, &mo, why, n))
            return false;
        if (mm <= pm) return fail(why, n, "bands are not sorted: %s.min_months %lld after %lld", p, (long long)mm, (long long)pm);
        if (mo <= pmo) return fail(why, n, "%s.months %lld is not longer than the previous band (%lld)", p, (long long)mo, (long long)pmo);
        pm = mm;
        pmo = mo;
    }
    return true;
}

static bool check_recognition(const json_t *v, char *why, size_t n) {
    static const char *const keys[] = {"counted_types", "job_search_types", "categories", NULL};
    if (!row_keys(v, keys, "value", why, n)) return false;
    json_t *ct = json_object_get(v, "counted_types"), *js = json_object_get(v, "job_search_types");
    json_t *cats = json_object_get(v, "categories");
    if (!ct || !check_codes(ct, "value.counted_types", pol_activity_types, why, n)) return ct ? false : fail(why, n, "value.counted_types is missing");
    if (!js || !check_codes(js, "value.job_search_types", pol_activity_types, why, n)) return js ? false : fail(why, n, "value.job_search_types is missing");
    for (size_t i = 0; i < json_array_size(js); i++) {
        bool found = false;
        for (size_t j = 0; j < json_array_size(ct); j++)
            found |= json_equal(json_array_get(js, i), json_array_get(ct, j));
        if (!found) return fail(why, n, "value.job_search_types[%zu] is not a counted type", i);
    }
    if (!json_is_object(cats)) return fail(why, n, "value.categories must be an object");
    const char *k;
    json_t *rows;
    json_object_foreach(cats, k, rows) if (!jx_in(k, pol_claimant_categories)) return fail(why, n, "value.categories has an unknown category \"%s\"", k);
    static const char *const rkeys[] = {"round_from", "required", "job_search", NULL};
    for (const char *const *c = pol_claimant_categories; *c; c++) {
        rows = json_object_get(cats, *c);
        if (!json_is_array(rows) || !json_array_size(rows))
            return fail(why, n, "value.categories.%s must be a non-empty array", *c);
        int64_t prev = 0;
        for (size_t i = 0; i < json_array_size(rows); i++) {
            char p[64];
            snprintf(p, sizeof p, "value.categories.%s[%zu]", *c, i);
            json_t *r = json_array_get(rows, i);
            int64_t rf, rq, jq;
            if (!row_keys(r, rkeys, p, why, n) || !need_int(r, "round_from", p, &rf, why, n) ||
                !need_int(r, "required", p, &rq, why, n) || !need_int(r, "job_search", p, &jq, why, n))
                return false;
            if (i == 0 && rf != 1) return fail(why, n, "%s.round_from must be 1 (the first band)", p);
            if (rf <= prev) return fail(why, n, "value.categories.%s is not sorted: round_from %lld after %lld", *c, (long long)rf, (long long)prev);
            if (jq > rq) return fail(why, n, "%s.job_search (%lld) exceeds required (%lld)", p, (long long)jq, (long long)rq);
            prev = rf;
        }
    }
    return true;
}

static bool check_sanctions(const json_t *v, char *why, size_t n) {
    if (!json_is_object(v)) return fail(why, n, "value must be an object keyed by event type");
    const char *k;
    json_t *r;
    json_object_foreach((json_t *)v, k, r) if (!jx_in(k, pol_event_types)) return fail(why, n, "value has an unknown event type \"%s\"", k);
    static const char *const keys[] = {"days", "group", "hardship_days", "min_reduction_fraction", "reduces_entitlement", NULL};
    for (const char *const *t = pol_event_types; *t; t++) {
        char p[48];
        snprintf(p, sizeof p, "value.%s", *t);
        r = json_object_get(v, *t);
        if (!r) return fail(why, n, "%s is missing (every event type needs a row)", p);
        if (!row_keys(r, keys, p, why, n)) return false;
        json_t *d = json_object_get(r, "days");
        char dp[64];
        snprintf(dp, sizeof dp, "%s.days", p);
        if (!d) return fail(why, n, "%s is missing", dp);
        if (!check_ints(d, dp, false, why, n)) return false;
        if (!json_array_size(d)) return fail(why, n, "%s must not be empty", dp);
        json_t *g = json_object_get(r, "group"), *h = json_object_get(r, "hardship_days");
        json_t *f = json_object_get(r, "min_reduction_fraction"), *re = json_object_get(r, "reduces_entitlement");
        if (g && (!json_is_string(g) || !json_string_length(g))) return fail(why, n, "%s.group must be a non-empty string", p);
        if (h && !is_nonneg_int(h)) return fail(why, n, "%s.hardship_days must be a non-negative integer", p);
        if (f && !is_rate(f)) return fail(why, n, "%s.min_reduction_fraction must be a number from 0 to 1", p);
        if (!json_is_boolean(re)) return fail(why, n, "%s.reduces_entitlement must be true or false", p);
    }
    return true;
}

static bool check_reductions(const json_t *v, char *why, size_t n) {
    if (!json_is_array(v)) return fail(why, n, "value must be an array");
    static const char *const keys[] = {"receipt_from", "reduction", "waiting_days", NULL};
    int64_t prev = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        char p[32];
        snprintf(p, sizeof p, "value[%zu]", i);
        json_t *r = json_array_get(v, i);
        int64_t rf, wd;
        if (!row_keys(r, keys, p, why, n) || !need_int(r, "receipt_from", p, &rf, why, n) ||
            !need_int(r, "waiting_days", p, &wd, why, n))
            return false;
        if (rf <= prev) return fail(why, n, "bands are not sorted: %s.receipt_from %lld after %lld", p, (long long)rf, (long long)prev);
        if (!is_rate(json_object_get(r, "reduction"))) return fail(why, n, "%s.reduction must be a number from 0 to 1", p);
        prev = rf;
    }
    return true;
}

static bool check_steps(const json_t *v, char *why, size_t n) {
    if (!json_is_array(v) || !json_array_size(v)) return fail(why, n, "value must be a non-empty array");
    static const char *const keys[] = {"min", "amount", NULL};
    int64_t prev = -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        char p[32];
        snprintf(p, sizeof p, "value[%zu]", i);
        json_t *r = json_array_get(v, i);
        int64_t mn, am;
        if (!row_keys(r, keys, p, why, n) || !need_int(r, "min", p, &mn, why, n) || !need_int(r, "amount", p, &am, why, n))
            return false;
        if (mn <= prev) return fail(why, n, "bands are not sorted: %s.min %lld after %lld", p, (long long)mn, (long long)prev);
        prev = mn;
    }
    return true;
}

bool pol_type_check(const char *type, const json_t *v, char *why, size_t n) {
    if (!v) return fail(why, n, "value is missing");
    if (!strcmp(type, "int") || !strcmp(type, "money") || !strcmp(type, "days") || !strcmp(type, "months"))
        return is_nonneg_int(v) ? true : fail(why, n, "value must be a non-negative integer (%s)", type);
    if (!strcmp(type, "rate"))
        return is_rate(v) ? true : fail(why, n, "value must be a number from 0 to 1 with at most 6 decimals (rate)");
    if (!strcmp(type, "percent") || !strcmp(type, "number")) {
        double mx = type[0] == 'p' ? 1000 : 1e9;
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0 || json_number_value(v) > mx)
            return fail(why, n, "value must be a number from 0 to %g (%s)", mx, type);
        return true;
    }
    if (!strcmp(type, "bool")) return json_is_boolean(v) ? true : fail(why, n, "value must be true or false (bool)");
    if (!strcmp(type, "string"))
        return json_is_string(v) && json_string_length(v) ? true : fail(why, n, "value must be a non-empty string");
    if (!strcmp(type, "rounding"))
        return json_is_string(v) && jx_in(json_string_value(v), pol_rounding_modes)
                   ? true
                   : fail(why, n, "value must be one of down, up, half_up, half_even (rounding)");
    if (!strcmp(type, "codes")) return check_codes(v, "value", NULL, why, n);
    if (!strcmp(type, "int_list")) return check_ints(v, "value", true, why, n);
    if (!strcmp(type, "region_money")) {
        if (!json_is_object(v) || !json_object_size(v)) return fail(why, n, "value must be a non-empty object of region: money");
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) if (!is_nonneg_int(x)) return fail(why, n, "value.%s must be a non-negative integer (money)", k);
        return true;
    }
    if (!strcmp(type, "duration_matrix")) return check_duration_matrix(v, why, n);
    if (!strcmp(type, "duration_steps")) return check_duration_steps(v, why, n);
    if (!strcmp(type, "recognition_table")) return check_recognition(v, why, n);
    if (!strcmp(type, "sanction_table")) return check_sanctions(v, why, n);
    if (!strcmp(type, "reduction_table")) return check_reductions(v, why, n);
    if (!strcmp(type, "steps")) return check_steps(v, why, n);
    return fail(why, n, "unknown type \"%s\"", type);
}
