/* nid.c - see nid.h.  To add a country: write its validate/mask/birth functions and add a row to
 * `rules`. */
#include "domain/nid.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"

struct nid_rule {
    const char *country;
    /* Validate and normalise; return a short reason (never containing the number) or NULL. */
    const char *(*normalise)(const char *in, char out[NID_MAX]);
    void (*mask)(const char *norm, char out[NID_MAX]);
    bool (*birth)(const char *norm, char out[11]);
};

/* ---- KR: resident registration number (주민등록번호), YYMMDD-GNNNNNN ----
 *
 * The 7th digit (G) encodes sex and century: 1,2 = born 1900-1999 (citizens), 3,4 = 2000-2099,
 * 5,6 = 1900-1999 and 7,8 = 2000-2099 for registered foreign residents, 9,0 = 1800-1899.
 * The last digit used to be a weighted check digit, but numbers issued since October 2020 carry
 * random digits after G (the region code was dropped and no check digit is computed), so the
 * check digit is deliberately NOT verified: doing so would reject valid new numbers. */

static int kr_century(char g) {
    switch (g) {
    case '1': case '2': case '5': case '6': return 1900;
    case '3': case '4': case '7': case '8': return 2000;
    case '9': case '0': return 1800;
    default: return -1;
    }
}

static bool kr_date(const char *norm, int *y, unsigned *m, unsigned *d) {
    int c = kr_century(norm[6]);
    if (c < 0) return false;
    *y = c + (norm[0] - '0') * 10 + (norm[1] - '0');
    *m = (unsigned)((norm[2] - '0') * 10 + (norm[3] - '0'));
    *d = (unsigned)((norm[4] - '0') * 10 + (norm[5] - '0'));
    char s[11];
    snprintf(s, sizeof s, "%04d-%02u-%02u", *y, *m, *d);
    int64_t days;
    return date_parse(s, &days) && days <= date_today();
}

static const char *kr_normalise(const char *in, char out[NID_MAX]) {
    size_t n = strlen(in), j = 0;
    if (n != 13 && n != 14) return "a resident registration number has 13 digits";
    for (size_t i = 0; i < n; i++) {
        char ch = in[i];
        if (ch == '-' && n == 14 && i == 6) continue;
        if (ch == '-') return "a hyphen is allowed only after the sixth digit";
        if (ch < '0' || ch > '9') return "a resident registration number has only digits";
        out[j++] = ch;
    }
    out[j] = 0;
    if (j != 13) return "a resident registration number has 13 digits";
    if (kr_century(out[6]) < 0) return "the seventh digit must be 1-9 or 0";
    int y;
    unsigned m, d;
    if (!kr_date(out, &y, &m, &d)) return "the first six digits are not a valid birth date";
    return NULL;
}

static void kr_mask(const char *norm, char out[NID_MAX]) {
    snprintf(out, NID_MAX, "%.6s-%c******", norm, norm[6]);
}

static bool kr_birth(const char *norm, char out[11]) {
    int y;
    unsigned m, d;
    if (!kr_date(norm, &y, &m, &d)) return false;
    snprintf(out, 11, "%04d-%02u-%02u", y, m, d);
    return true;
}

static const struct nid_rule rules[] = {
    {"KR", kr_normalise, kr_mask, kr_birth},
};

static const struct nid_rule *rule_for(const char *country) {
    if (!country || !*country) country = NID_DEFAULT_COUNTRY;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].country, country) == 0) return &rules[i];
    return NULL;
}

op_code nid_normalise(const char *country, const char *in, char out[NID_MAX], op_err *e) {
    out[0] = 0;
    const struct nid_rule *r = rule_for(country);
    if (!r)
        return op_fail_field(e, OP_VALIDATION, "national_id", NULL,
                             "national ids of country \"%.8s\" are not supported", country);
    if (!in)
        return op_fail_field(e, OP_INVALID_NATIONAL_ID, "national_id", NULL, "the national id is missing");
    const char *why = r->normalise(in, out);
    if (why) {
        out[0] = 0;
        return op_fail_field(e, OP_INVALID_NATIONAL_ID, "national_id",
                             "check the number on the identity card", "%s", why);
    }
    return OP_OK;
}

void nid_mask(const char *country, const char *norm, char out[NID_MAX]) {
    const struct nid_rule *r = rule_for(country);
    if (r && norm && *norm) r->mask(norm, out);
    else snprintf(out, NID_MAX, "********");
}

bool nid_birth_date(const char *country, const char *norm, char out[11]) {
    const struct nid_rule *r = rule_for(country);
    return r && r->birth && norm && r->birth(norm, out);
}
