/* password.c - argon2id hashing (see password.h). */
#include "sec/password.h"

#include <argon2.h>
#include <string.h>

#include "base/id.h"
#include "base/log.h"

#define PW_T_COST 2
#define PW_M_COST 19456 /* KiB */
#define PW_PARALLEL 1
#define PW_SALT_LEN 16
#define PW_HASH_LEN 32

/* A real argon2id hash with the production parameters (of a password nobody knows), so
 * verifying against it costs exactly what verifying a real account costs. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$b3BlbnBlcy1kdW1teS1zYQ$U0JVwB5QSOpaan2YbLk2jkLZm2nR0fcJChdpRfQdMQ4";

/* Length in code points, or -1 when s is not valid UTF-8 or holds control characters. */
static long utf8_chars(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;
    while (*p) {
        unsigned c = *p;
        int extra;
        if (c < 0x20 || c == 0x7f) return -1;
        if (c < 0x80) extra = 0;
        else if ((c & 0xe0) == 0xc0 && c >= 0xc2) extra = 1;
        else if ((c & 0xf0) == 0xe0) extra = 2;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4) extra = 3;
        else return -1;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xc0) != 0x80) return -1;
        n++;
    }
    return n;
}

op_code password_check(const char *pw, const char *field, op_err *e) {
    if (!pw || !*pw)
        return op_fail_field(e, OP_VALIDATION, field, "choose a password of at least 10 characters",
                             "field \"%s\" is required", field);
    if (strlen(pw) > PASSWORD_MAX_BYTES)
        return op_fail_field(e, OP_VALIDATION, field, NULL, "field \"%s\" is longer than %d bytes", field,
                             PASSWORD_MAX_BYTES);
    long n = utf8_chars(pw);
    if (n < 0)
        return op_fail_field(e, OP_VALIDATION, field, "use printable characters only",
                             "field \"%s\" contains control characters or invalid UTF-8", field);
    if (n < PASSWORD_MIN_CHARS)
        return op_fail_field(e, OP_VALIDATION, field, "a passphrase of several words is easy to remember",
                             "field \"%s\" must be at least %d characters long", field, PASSWORD_MIN_CHARS);
    return OP_OK;
}

op_code password_hash(const char *pw, char out[PASSWORD_HASH_MAX], op_err *e) {
    unsigned char salt[PW_SALT_LEN];
    id_random(salt, sizeof salt);
    int rc = argon2id_hash_encoded(PW_T_COST, PW_M_COST, PW_PARALLEL, pw, strlen(pw), salt, sizeof salt,
                                   PW_HASH_LEN, out, PASSWORD_HASH_MAX);
    if (rc != ARGON2_OK) {
        out[0] = 0;
        return op_fail(e, OP_INTERNAL, NULL, "could not hash the password: %s", argon2_error_message(rc));
    }
    return OP_OK;
}

enum pw_result password_verify(const char *encoded, const char *pw) {
    if (!encoded || !pw || strncmp(encoded, "$argon2id$", 10) != 0) {
        log_warn("stored password hash is not an argon2id PHC string");
        return PW_MALFORMED;
    }
    int rc = argon2id_verify(encoded, pw, strlen(pw));
    if (rc == ARGON2_OK) return PW_MATCH;
    if (rc == ARGON2_VERIFY_MISMATCH) return PW_MISMATCH;
    log_warn("could not verify a password hash: %s", argon2_error_message(rc));
    return PW_MALFORMED;
}

void password_verify_dummy(const char *pw) {
    (void)argon2id_verify(dummy_hash, pw ? pw : "", pw ? strlen(pw) : 0);
}
