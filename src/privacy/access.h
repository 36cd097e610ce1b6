/* access.h - the one access path for personal data.
 *
 * Every read or write of a person's data - from a handler, the CLI or a worker - calls
 * access_person() first.  It resolves the declared purpose against the actor's role, checks the
 * actor's relation to the person (themself; staff office, assigned counsellor or case member;
 * the consent hook), returns the field groups the actor may see (data minimisation) and writes
 * the audit record: inside the caller's write transaction for allowed writes, through the group
 * committer for reads and for every refusal (a refusal is audited even though the request fails).
 *
 * Rules are documented in docs/ACCESS.md; change them here and there together. */
#ifndef OPENPES_ACCESS_H
#define OPENPES_ACCESS_H
#include <stdbool.h>

#include "core/ctx.h"

enum pd_action { PD_CREATE, PD_READ, PD_UPDATE, PD_DELETE, PD_SEARCH };
const char *pd_action_name(enum pd_action a);

/* Field groups of a person record. */
#define F_IDENTITY (1u << 0)       /* names, birth date, sex, nationality */
#define F_NATIONAL_ID (1u << 1)    /* masked national id */
#define F_CONTACT (1u << 2)        /* email, phone */
#define F_ADDRESS (1u << 3)        /* address, postal code, region */
#define F_EDUCATION (1u << 4)      /* level, major */
#define F_QUALIFICATIONS (1u << 5)
#define F_WORK_HISTORY (1u << 6)
#define F_SKILLS (1u << 7)
#define F_PREFERENCES (1u << 8)
#define F_DISABILITY (1u << 9)     /* sensitive */
#define F_REGISTRATION (1u << 10)  /* job-seeker registration */
#define F_ALL 0x7ffu

typedef struct access_decision {
    bool allow;
    unsigned fields;
    const char *purpose;
    const char *legal_basis;
    char reason[200];
} access_decision;

/* Decide and audit.  Returns OP_OK (allowed), OP_FORBIDDEN (refused, audited, c->err set),
 * OP_NOT_FOUND (no such person; nothing to audit), or a validation/store error. */
op_code access_person(ctx *c, enum pd_action act, const char *resource_type,
                      const char *resource_id, const char *person_id, access_decision *d);
/* ---- the facts a decision needs, loaded with the caller's own row ----
 * A read that loads the person anyway (GET /persons/{id}) selects the facts in the same query:
 * ACCESS_FACTS_COLS over ACCESS_FACTS_FROM (persons p and the current registration r: the open
 * one, else the most recent), binding the actor's account id once, then access_facts_read() the
 * columns and access_person_facts() instead of access_person().  load_facts() in access.c uses
 * the same text, so there is one definition of what a decision knows. */
/* The open registration (at most one: index jsr_one_open), else the most recent (jsr_person, read
 * backwards): two index lookups and no sort.  person_expr appears twice. */
#define ACCESS_CURRENT_REG(person_expr)                                                            \
    "COALESCE((SELECT r2.id FROM jobseeker_registrations r2 WHERE r2.person_id = " person_expr     \
    " AND r2.status IN ('active','suspended')),"                                                   \
    " (SELECT r3.id FROM jobseeker_registrations r3 WHERE r3.person_id = " person_expr            \
    " ORDER BY r3.created_at DESC LIMIT 1))"
#define ACCESS_FACTS_FROM                                                                          \
    "persons p LEFT JOIN jobseeker_registrations r ON r.id = " ACCESS_CURRENT_REG("p.id")
#define ACCESS_FACTS_COLS                                                                          \
    "p.region_code, CASE WHEN r.status IN ('active','suspended') THEN r.office_id END,"           \
    " CASE WHEN r.status IN ('active','suspended') THEN r.counsellor_id END,"                      \
    " (SELECT COUNT(*) FROM case_members m WHERE m.person_id = p.id AND m.account_id = ?"         \
    "   AND m.until_ts IS NULL)"
#define ACCESS_FACTS_NCOLS 4

typedef struct access_facts {
    bool exists;
    char region[16];
    char reg_office[ID_LEN];
    char counsellor[ID_LEN];
    bool case_member;
    bool has_open_registration;
} access_facts;

/* Read ACCESS_FACTS_COLS starting at column `col` of a row. */
void access_facts_read(store_stmt *st, int col, access_facts *f);
/* access_person() with facts the caller loaded (f->exists false: OP_NOT_FOUND). */
op_code access_person_facts(ctx *c, enum pd_action act, const char *resource_type, const char *resource_id,
                            const char *person_id, const access_facts *f, access_decision *d);

/* access_person_facts() for n persons at once (a set-based batch that loaded the facts of all its
 * persons with one query; resource_ids NULL: no resource id, else one per person): each is decided as access_person_facts() would, the
 * allowed records go into the write transaction with one multi-row audit append
 * (audit_record_many), refusals are queued as usual.  allowed[i] tells the outcome (d[i].reason
 * why not).  Returns an error (c->err) only when a decision cannot be made at all (unknown purpose,
 * a person missing from the facts, a store error): then nothing was audited by this call. */
op_code access_person_facts_many(ctx *c, enum pd_action act, const char *rtype, size_t n, const char *const *resource_ids,
                                 const char *const *person_ids, const access_facts *facts, access_decision *d,
                                 bool *allowed);

/* Decide without auditing (to filter search candidates; audit what you return with
 * access_audit). */
op_code access_decide(ctx *c, enum pd_action act, const char *resource_type,
                      const char *person_id, access_decision *d);
op_code access_audit(ctx *c, enum pd_action act, const char *resource_type,
                     const char *resource_id, const char *person_id, const access_decision *d);

/* Purposes: validate c->purpose (or pick the role's default). */
op_code access_purpose(ctx *c, const char **purpose, const char **legal_basis);
/* JSON-able list for GET /api/v1/purposes: code, legal basis, description. */
struct purpose_def {
    const char *code, *legal_basis, *description;
};
const struct purpose_def *purpose_list(void); /* terminated by {NULL} */

/* ---- partner systems (DCI): decided by their data-sharing agreement, not by a role ----
 * The caller (src/dci) looks up the agreement covering the declared purpose; this function turns
 * that into a decision: allowed only for READ/SEARCH by a partner actor, with an agreement in
 * force (agreement_id non-NULL) for the purpose.  The agreement's legal basis is recorded; field
 * minimisation to the agreement's Member fields is done by the DCI renderer (d.fields = F_ALL
 * means "as the agreement allows").  Audit with access_audit() like any decision. */
op_code access_decide_partner(ctx *c, enum pd_action act, const char *purpose, const char *agreement_id,
                              const char *legal_basis, const char *refusal, access_decision *d);

/* ---- referrals between offices (src/referral, docs/REFERRALS.md) ----
 * A referral relates a person to two offices: the sending one and the receiving one (or an external
 * agency).  The referral module loads the referral's offices and passes them in; this decides, for
 * resource type "referral", with the person's access facts:
 *  - create (r NULL): staff whose role and relation may read the person (the staff rules above);
 *  - read/search: staff of the sending or receiving office, and the person's assigned staff
 *    (case team, registration counsellor); the person themself (read-only);
 *  - update (a transition): staff of the sending or receiving office;
 *  - only counsellors, supervisors and welfare officers among staff; only a purpose that covers
 *    referrals; then the consent hook.
 * d->fields: the person's groups a referral shows (identity and contact for staff).
 * access_referral() decides, audits and turns a refusal into OP_FORBIDDEN, like access_person(). */
struct access_referral {
    const char *from_office; /* sending office id */
    const char *to_office;   /* receiving office id, NULL for a referral to an external agency */
};
op_code access_decide_referral(ctx *c, enum pd_action act, const char *person_id, const struct access_referral *r,
                               access_decision *d);
op_code access_referral(ctx *c, enum pd_action act, const char *referral_id, const char *person_id,
                        const struct access_referral *r, access_decision *d);

#endif
