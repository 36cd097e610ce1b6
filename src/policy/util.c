/* util.c - exact money arithmetic, civil-date periods and request helpers for the calculators. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "policy/calc.h"

/* ---- arithmetic: integers only; rates are parts per million ---- */

static __int128 div_round128(__int128 num, __int128 den, const char *mode) {
    bool neg = num < 0;
    if (neg) num = -num;
    __int128 q = num / den, r = num % den;
    if (r) {
        if (!strcmp(mode, "up")) q++;
        else if (!strcmp(mode, "half_up")) q += 2 * r >= den;
        else if (!strcmp(mode, "half_even")) q += 2 * r > den || (2 * r == den && (q & 1));
        /* "down": truncate */
    }
    return neg ? -q : q;
}

int64_t pol_div_round(int64_t num, int64_t den, const char *mode) {
    if (den <= 0) return 0;
    return (int64_t)div_round128(num, den, mode);
}

int64_t pol_muldiv(int64_t x, int64_t y, int64_t den, const char *mode) {
    if (den <= 0) return 0;
    return (int64_t)div_round128((__int128)x * y, den, mode);
}

int64_t pol_mul_ppm(int64_t x, int64_t ppm, const char *mode) {
    return (int64_t)div_round128((__int128)x * ppm, 1000000, mode);
}

/* ---- dates ---- */

static int64_t days_in_month(int y, unsigned m) {
    int ny = m == 12 ? y + 1 : y;
    unsigned nm = m == 12 ? 1 : m + 1;
    return date_days_from_civil(ny, nm, 1) - date_days_from_civil(y, m, 1);
}

static void month_shift(int y, unsigned m, int months, int *oy, unsigned *om) {
    int64_t total = (int64_t)y * 12 + (int64_t)(m - 1) + months;
    int64_t yy = total >= 0 ? total / 12 : -((-total + 11) / 12);
    *oy = (int)yy;
    *om = (unsigned)(total - yy * 12) + 1;
}

int64_t pol_add_months(int64_t day, int months) {
    int y, ny;
    unsigned m, d, nm;
    date_civil_from_days(day, &y, &m, &d);
    month_shift(y, m, months, &ny, &nm);
    int64_t dim = days_in_month(ny, nm);
    if ((int64_t)d > dim) d = (unsigned)dim;
    return date_days_from_civil(ny, nm, d);
}

int64_t pol_period_end(int64_t start, int months) {
    int y, ny;
    unsigned m, d, nm;
    date_civil_from_days(start, &y, &m, &d);
    month_shift(y, m, months, &ny, &nm);
    int64_t dim = days_in_month(ny, nm);
    if ((int64_t)d > dim) return date_days_from_civil(ny, nm, (unsigned)dim);
    return date_days_from_civil(ny, nm, d) - 1;
}

int pol_age_on(int64_t birth, int64_t on) {
    int by, oy;
    unsigned bm, bd, om, od;
    date_civil_from_days(birth, &by, &bm, &bd);
    date_civil_from_days(on, &oy, &om, &od);
    int age = oy - by;
    if (om < bm || (om == bm && od < bd)) age--;
    return age;
}

json_t *pol_date_json(int64_t day) {
    char s[11];
    date_format(day, s);
    return json_string(s);
}

char *pol_date_str(arena *a, int64_t day) {
    char s[11];
    date_format(day, s);
    return arena_strdup(a, s);
}

/* ---- requests ---- */

op_code pol_req_date(const json_t *req, const char *key, bool required, int64_t *out, bool *present, op_err *e) {
    const char *s = NULL;
    if (present) *present = false;
    op_code rc = jx_date(req, key, required, &s, e);
    if (rc || !s) return rc;
    date_parse(s, out);
    if (present) *present = true;
    return OP_OK;
}

op_code pol_req_only(const json_t *req, const char *const *allowed, op_err *e) {
    return jx_only(req, allowed, "", e);
}

op_code pol_req_country(const json_t *req, bool required, const char *dflt, const char **out, op_err *e) {
    op_code rc = jx_str(req, "country", required, 16, out, e);
    if (rc) return rc;
    if (!*out) *out = dflt;
    return OP_OK;
}
