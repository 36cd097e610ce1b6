/* test_password.c - argon2id hashing, verification and the password policy. */
#include <time.h>

#include "testlib.h"
#include "sec/password.h"

Test(password, hash_is_argon2id_phc_with_owasp_parameters) {
    char h[PASSWORD_HASH_MAX];
    op_err e = {0};
    cr_assert_eq(password_hash("correct horse battery", h, &e), OP_OK, "%s", e.detail);
    cr_assert(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "got %s", h);
    cr_assert_null(strstr(h, "correct horse"), "the password is not in the hash");
}

Test(password, verify_accepts_the_password_and_rejects_others) {
    char h[PASSWORD_HASH_MAX];
    op_err e = {0};
    cr_assert_eq(password_hash("correct horse battery", h, &e), OP_OK);
    cr_assert_eq(password_verify(h, "correct horse battery"), PW_MATCH);
    cr_assert_eq(password_verify(h, "correct horse batterY"), PW_MISMATCH);
    cr_assert_eq(password_verify(h, ""), PW_MISMATCH);
    cr_assert_eq(password_verify(h, "correct horse battery "), PW_MISMATCH);
}

Test(password, same_password_gets_a_fresh_salt) {
    char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
    op_err e = {0};
    password_hash("same password twice", a, &e);
    password_hash("same password twice", b, &e);
    cr_assert_str_neq(a, b);
    cr_assert_eq(password_verify(a, "same password twice"), PW_MATCH);
    cr_assert_eq(password_verify(b, "same password twice"), PW_MATCH);
}

Test(password, malformed_hashes_never_match) {
    char h[PASSWORD_HASH_MAX];
    op_err e = {0};
    password_hash("correct horse battery", h, &e);
    char truncated[PASSWORD_HASH_MAX];
    snprintf(truncated, sizeof truncated, "%.*s", (int)strlen(h) - 20, h);
    const char *bad[] = {"", "plaintext", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "$argon2id$garbage",
                         "$argon2id$v=19$m=19456,t=2,p=1$$"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(password_verify(bad[i], "correct horse battery"), PW_MALFORMED, "hash %zu: %s", i, bad[i]);
    cr_assert_eq(password_verify(NULL, "x"), PW_MALFORMED);
    /* A truncated hash may still decode (as a shorter output) or not; it must never match. */
    cr_assert_neq(password_verify(truncated, "correct horse battery"), PW_MATCH, "%s", truncated);
}

Test(password, policy_counts_characters_not_bytes) {
    op_err e = {0};
    cr_assert_eq(password_check("123456789", "password", &e), OP_VALIDATION);
    cr_assert_str_eq(e.field, "password");
    cr_assert_eq(password_check("1234567890", "password", &e), OP_OK);
    /* 9 Hangul syllables are 27 bytes but only 9 characters; 10 pass. */
    cr_assert_eq(password_check("가나다라마바사아자", "password", &e), OP_VALIDATION);
    cr_assert_eq(password_check("가나다라마바사아자차", "password", &e), OP_OK);
    cr_assert_eq(password_check(NULL, "password", &e), OP_VALIDATION);
    cr_assert_eq(password_check("", "password", &e), OP_VALIDATION);
}

Test(password, policy_rejects_control_characters_bad_utf8_and_huge_input) {
    op_err e = {0};
    cr_assert_eq(password_check("abcdefghij\n", "password", &e), OP_VALIDATION);
    cr_assert_eq(password_check("abcdefghij\x7f", "password", &e), OP_VALIDATION);
    cr_assert_eq(password_check("abcdefghij\xff", "password", &e), OP_VALIDATION);
    cr_assert_eq(password_check("abcdefghij\xc3", "password", &e), OP_VALIDATION, "truncated sequence");
    cr_assert_eq(password_check("abcdefghij\xc0\xaf", "password", &e), OP_VALIDATION, "overlong encoding");
    char big[PASSWORD_MAX_BYTES + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cr_assert_eq(password_check(big, "password", &e), OP_VALIDATION);
    big[PASSWORD_MAX_BYTES] = 0;
    cr_assert_eq(password_check(big, "password", &e), OP_OK);
}

/* Unknown users must cost a full verification, or response times reveal which names exist. */
/* The work of a dummy verification and a real one, compared as the process's CPU time (argon2 may use threads) (not wall
 * time, which other load on the machine stretches for one and not the other), the least of three
 * rounds each. */
static double cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

Test(password, dummy_verification_costs_about_as_much_as_a_real_one) {
    char h[PASSWORD_HASH_MAX];
    op_err e = {0};
    password_hash("correct horse battery", h, &e);
    double real = 1e9, dummy = 1e9;
    for (int round = 0; round < 3; round++) {
        double t0 = cpu_ms();
        password_verify(h, "wrong guess 123");
        double t1 = cpu_ms();
        password_verify_dummy("wrong guess 123");
        double t2 = cpu_ms();
        if (t1 - t0 < real) real = t1 - t0;
        if (t2 - t1 < dummy) dummy = t2 - t1;
    }
    cr_assert_gt(dummy, real * 0.4, "dummy %.1f ms vs real %.1f ms", dummy, real);
    cr_assert_lt(dummy, real * 2.5, "dummy %.1f ms vs real %.1f ms", dummy, real);
}
