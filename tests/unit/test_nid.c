/* test_nid.c - national id validation, normalisation and masking (KR rule). */
#include "base/clock.h"
#include "domain/nid.h"
#include "testlib.h"

struct nid_case {
    const char *in;
    op_code want;
    const char *norm;
};

static bool digit_run(const char *s, int n) {
    int run = 0;
    for (; *s; s++)
        if ((run = (*s >= '0' && *s <= '9') ? run + 1 : 0) >= n) return true;
    return false;
}

Test(nid, kr_table) {
    static const struct nid_case cases[] = {
        {"9001011234567", OP_OK, "9001011234567"},           /* plain, born 1990 */
        {"900101-1234567", OP_OK, "9001011234567"},          /* hyphenated */
        {"900101-2234567", OP_OK, "9001012234567"},          /* female, 1900s */
        {"050315-3123456", OP_OK, "0503153123456"},          /* 2000s */
        {"050315-4123456", OP_OK, "0503154123456"},
        {"850505-5123456", OP_OK, "8505055123456"},          /* foreign resident, 1900s */
        {"010101-7123456", OP_OK, "0101017123456"},          /* foreign resident, 2000s */
        {"991231-9123456", OP_OK, "9912319123456"},          /* 1899 */
        {"991231-0123456", OP_OK, "9912310123456"},
        {"000229-3123456", OP_OK, "0002293123456"},          /* 2000 was a leap year */
        {"9001011234560", OP_OK, "9001011234560"},           /* check digit deliberately not verified */
        {"900230-1234567", OP_INVALID_NATIONAL_ID, NULL},    /* 30 February */
        {"901301-1234567", OP_INVALID_NATIONAL_ID, NULL},    /* month 13 */
        {"900100-1234567", OP_INVALID_NATIONAL_ID, NULL},    /* day 0 */
        {"010229-3123456", OP_INVALID_NATIONAL_ID, NULL},    /* 2001 not a leap year */
        {"990101-3123456", OP_INVALID_NATIONAL_ID, NULL},    /* 2099: in the future */
        {"900101-1234-567", OP_INVALID_NATIONAL_ID, NULL},
        {"90010-11234567", OP_INVALID_NATIONAL_ID, NULL},    /* hyphen in the wrong place */
        {"900101123456", OP_INVALID_NATIONAL_ID, NULL},      /* 12 digits */
        {"90010112345678", OP_INVALID_NATIONAL_ID, NULL},    /* 14 digits */
        {"900101-12345678", OP_INVALID_NATIONAL_ID, NULL},
        {"", OP_INVALID_NATIONAL_ID, NULL},
        {"90O101-1234567", OP_INVALID_NATIONAL_ID, NULL},    /* letter O */
        {"900101-1234S67", OP_INVALID_NATIONAL_ID, NULL},
        {"abcdefghijklm", OP_INVALID_NATIONAL_ID, NULL},
        {" 900101-1234567", OP_INVALID_NATIONAL_ID, NULL},
        {"900101 1234567", OP_INVALID_NATIONAL_ID, NULL},
        {"900101-\xed\x95\x9c" "234567", OP_INVALID_NATIONAL_ID, NULL},
        {NULL, 0, NULL},
    };
    for (const struct nid_case *t = cases; t->in; t++) {
        op_err e = {0};
        char out[NID_MAX];
        op_code rc = nid_normalise("KR", t->in, out, &e);
        cr_assert_eq(rc, t->want, "%s: got %s (%s)", t->in, op_code_str(rc), e.detail);
        if (t->norm) {
            cr_assert_str_eq(out, t->norm);
        } else {
            cr_assert_str_eq(out, "");
            cr_assert_str_eq(e.field, "national_id");
            /* The detail never echoes the number or any run of its digits. */
            cr_assert(!digit_run(e.detail, 3), "%s", e.detail);
            if (*t->in) cr_assert_null(strstr(e.detail, t->in));
        }
    }
}

Test(nid, default_country_and_unknown_country) {
    op_err e = {0};
    char out[NID_MAX];
    cr_assert_eq(nid_normalise(NULL, "900101-1234567", out, &e), OP_OK);
    cr_assert_eq(nid_normalise("", "900101-1234567", out, &e), OP_OK);
    cr_assert_eq(nid_normalise("XX", "900101-1234567", out, &e), OP_VALIDATION);
    cr_assert_eq(nid_normalise("KR", NULL, out, &e), OP_INVALID_NATIONAL_ID);
}

Test(nid, mask_and_birth_date) {
    char m[NID_MAX], d[11];
    nid_mask("KR", "9001011234567", m);
    cr_assert_str_eq(m, "900101-1******");
    nid_mask(NULL, "0503154123456", m);
    cr_assert_str_eq(m, "050315-4******");
    cr_assert(nid_birth_date("KR", "9001011234567", d));
    cr_assert_str_eq(d, "1990-01-01");
    cr_assert(nid_birth_date("KR", "0503153123456", d));
    cr_assert_str_eq(d, "2005-03-15");
    cr_assert(nid_birth_date("KR", "9912310123456", d));
    cr_assert_str_eq(d, "1899-12-31");
}
