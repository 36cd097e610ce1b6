/* holder.c - is the payout account in the claimant's name?  The holder's name as the claimant
 * typed it is compared with the person's registered name by a comparison key: Unicode
 * compatibility caseless folding (libunistring: toNFKC(toCasefold(...)), so full-width Latin is
 * ASCII, "KIM" is "kim" and decomposed Hangul is composed) with every white-space and punctuation
 * character left out ("홍 길동" = "홍길동", "Min-jun" = "minjun", "O'Neil" = "oneil").  The
 * registered name matches in either order: family + given (Korean order) or given + family.
 *
 * The names are personal data: nothing here logs them, and the keys are wiped after use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "ei/ei_int.h"

/* A character the key leaves out: white space, punctuation, and format/control characters
 * (zero-width joiners, BOM) a copy-and-paste may bring along. */
static bool ignorable(ucs4_t u) {
    return uc_is_property_white_space(u) || uc_is_general_category(u, UC_CATEGORY_P) ||
           uc_is_general_category(u, UC_CATEGORY_Cf) || uc_is_general_category(u, UC_CATEGORY_Cc);
}

op_code ei_name_key(op_err *e, const char *field, const char *name, char key[EI_NAME_KEY_MAX]) {
    key[0] = 0;
    size_t n = name ? strlen(name) : 0;
    if (n > EI_NAME_MAX)
        return op_fail_field(e, OP_VALIDATION, field, "a name has at most 150 bytes", "%s is too long", field);
    if (u8_check((const uint8_t *)name, n))
        return op_fail_field(e, OP_VALIDATION, field, "send the name as UTF-8 text", "%s is not valid UTF-8", field);
    size_t len = 0;
    uint8_t *folded = u8_casefold((const uint8_t *)name, n, NULL, UNINORM_NFKC, NULL, &len);
    if (!folded)
        return op_fail_field(e, OP_INTERNAL, field, NULL, "could not normalise %s", field);
    size_t k = 0;
    op_code rc = OP_OK;
    for (size_t i = 0; i < len;) {
        ucs4_t u;
        int l = u8_mbtouc(&u, folded + i, len - i);
        if (!ignorable(u)) {
            if (k + (size_t)l >= EI_NAME_KEY_MAX) {
                rc = op_fail_field(e, OP_VALIDATION, field, "a name has at most 150 bytes",
                                   "%s is too long once normalised", field);
                break;
            }
            memcpy(key + k, folded + i, (size_t)l);
            k += (size_t)l;
        }
        i += (size_t)l;
    }
    memset(folded, 0, len);
    free(folded);
    key[rc ? 0 : k] = 0;
    if (!rc && k == 0)
        rc = op_fail_field(e, OP_VALIDATION, field, "give the name the account is held in",
                           "%s has no letters", field);
    return rc;
}

op_code ei_holder_matches(op_err *e, const char *holder, const char *family, const char *given, bool *match) {
    char h[EI_NAME_KEY_MAX], f[EI_NAME_KEY_MAX], g[EI_NAME_KEY_MAX], both[2 * EI_NAME_KEY_MAX];
    *match = false;
    op_code rc = ei_name_key(e, "holder_name", holder, h);
    if (rc) return rc;
    /* The registered name: an empty part (one-part names) is allowed, not both. */
    op_err ignore = {0};
    if (ei_name_key(&ignore, "family_name", family, f)) f[0] = 0;
    if (ei_name_key(&ignore, "given_name", given, g)) g[0] = 0;
    if (f[0] || g[0]) {
        snprintf(both, sizeof both, "%s%s", f, g);
        *match = strcmp(h, both) == 0;
        snprintf(both, sizeof both, "%s%s", g, f);
        *match = *match || strcmp(h, both) == 0;
    }
    memset(h, 0, sizeof h);
    memset(f, 0, sizeof f);
    memset(g, 0, sizeof g);
    memset(both, 0, sizeof both);
    return OP_OK;
}
