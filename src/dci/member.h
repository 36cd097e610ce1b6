/* member.h - the ESS Member record (DO.EMP.02 shape, contracts/dci-ess.md) built from a person
 * row, the attribute values queries and enrollment checks use, and data minimisation to the
 * fields a data-sharing agreement allows. */
#ifndef OPENPES_DCI_MEMBER_H
#define OPENPES_DCI_MEMBER_H
#include <jansson.h>

#include "base/arena.h"
#include "core/ctx.h"
#include "dci/partner.h"
#include "dci/query.h"

struct dci_member_row {
    const char *id, *nid_enc, *given, *family, *birth_date, *sex, *region, *education, *profile, *created_at,
        *updated_at, *reg_status, *reg_date, *reg_reason,
        *claim_status; /* the status of the person's latest employment-insurance claim, NULL without one */
};

/* benefit_status of the Member record and of queries: the latest claim's status (active,
 * suspended, exhausted, closed, rejected), "none" without a claim (docs/DCI.md). */
const char *dci_benefit_status(const char *claim_status);

/* SELECT list and FROM clause producing dci_member_row columns in order (alias p = persons). */
extern const char DCI_MEMBER_SELECT[];
/* Read the DCI_MEMBER_SELECT columns of the current row (arena copies). */
void dci_member_read(arena *a, store_stmt *st, struct dci_member_row *r);
/* Attribute values (dq_attr order) of one person; strings point into row or static text. */
void dci_member_values(arena *a, const struct dci_member_row *r, const char *vals[DQ_NATTR]);
/* The full Member record; uin may be NULL (then only the OPENPES identifier is listed). */
json_t *dci_member_build(arena *a, const struct dci_member_row *r, const char *uin);
/* Remove everything the agreement does not allow ("@type" always stays). */
void dci_member_minimise(json_t *m, const struct dci_agreement *ag);
/* The record a partner receives under ag (search results, notifications): the UIN decrypted
 * only when the agreement allows member_identifier, then minimised. */
json_t *dci_member_render(ctx *c, const struct dci_member_row *r, const struct dci_agreement *ag);

#endif
