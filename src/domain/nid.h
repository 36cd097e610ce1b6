/* nid.h - national identification numbers: validation, normalisation and masking per country.
 *
 * A national id is personal data of the highest sensitivity: callers keep the normalised form
 * only long enough to encrypt and hash it (sec/fieldcrypt.h).  Nothing here logs it, and error
 * details never echo it.
 *
 * Each country is one row of a rule table in nid.c (validate+normalise, mask, birth date); "KR"
 * (Korean resident registration number, 주민등록번호) is the only rule today and the default when
 * country is NULL or empty. */
#ifndef OPENPES_NID_H
#define OPENPES_NID_H
#include <stdbool.h>

#include "base/err.h"

#define NID_DEFAULT_COUNTRY "KR"
#define NID_MAX 32 /* normalised or masked form, including NUL */

/* Validate `in` for `country` and write the normalised form (KR: 13 digits) to out.
 * Returns OP_INVALID_NATIONAL_ID (field "national_id", detail without the number) when it is
 * not valid, OP_VALIDATION when the country has no rule. */
op_code nid_normalise(const char *country, const char *in, char out[NID_MAX], op_err *e);
/* The display form with the individual part hidden (KR: "900101-1******").  norm must be the
 * output of nid_normalise. */
void nid_mask(const char *country, const char *norm, char out[NID_MAX]);
/* The birth date encoded in the number as "YYYY-MM-DD", when the country's number has one. */
bool nid_birth_date(const char *country, const char *norm, char out[11]);

#endif
