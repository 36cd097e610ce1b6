/* password.h - password and client-secret hashing with argon2id (libargon2).
 *
 * Hashes are stored as PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), so the
 * parameters travel with each hash and can be raised later without invalidating old ones.
 * Parameters are the OWASP minimum for argon2id: m = 19 MiB, t = 2, p = 1 (about 50 ms here).
 *
 * Verification of an unknown user or client must cost the same as a real one, otherwise the
 * response time tells an attacker which names exist: call password_verify_dummy() instead. */
#ifndef OPENPES_PASSWORD_H
#define OPENPES_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define PASSWORD_MIN_CHARS 10   /* counted in characters (UTF-8 code points), not bytes */
#define PASSWORD_MAX_BYTES 1024 /* bounds the work done on network input */
#define PASSWORD_HASH_MAX 128   /* encoded PHC string incl. NUL */

enum pw_result { PW_MATCH = 0, PW_MISMATCH = 1, PW_MALFORMED = 2 };

/* Check the password policy (length, no NUL/control characters, valid UTF-8).  field names the
 * offending input in the error ("password", "secret"). */
op_code password_check(const char *pw, const char *field, op_err *e);
/* Hash pw into out (PASSWORD_HASH_MAX bytes) with a fresh random salt.  Does not apply the
 * policy (client secrets have their own); fails only on internal errors. */
op_code password_hash(const char *pw, char out[PASSWORD_HASH_MAX], op_err *e);
/* Constant-time verification of pw against an encoded hash.  A malformed or non-argon2id hash
 * is PW_MALFORMED (and logged), never a match. */
enum pw_result password_verify(const char *encoded, const char *pw);
/* Spend the time of one verification against a fixed hash; the result is always "no match". */
void password_verify_dummy(const char *pw);

#endif
