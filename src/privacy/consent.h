/* consent.h - the consent hook of the access path.
 *
 * Today every purpose in purpose.c rests on a legal basis other than consent, so the hook
 * allows; the privacy-and-governance stage (ROADMAP 6) stores consent records with withdrawal
 * and makes this consult them for consent-based purposes. */
#ifndef OPENPES_CONSENT_H
#define OPENPES_CONSENT_H
#include <stdbool.h>

#include "core/ctx.h"

bool consent_allows(ctx *c, const char *person_id, const char *purpose);

#endif
