/* access.c - access decisions for personal data (see access.h and docs/ACCESS.md). */
#include "privacy/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "privacy/consent.h"

const char *pd_action_name(enum pd_action a) {
    static const char *n[] = {"CREATE", "READ", "UPDATE", "DELETE", "SEARCH"};
    return a <= PD_SEARCH ? n[a] : "READ";
}

void access_facts_read(store_stmt *st, int col, access_facts *f) {
    memset(f, 0, sizeof *f);
    f->exists = true;
    const char *region = store_col_text(st, col), *o = store_col_text(st, col + 1), *k = store_col_text(st, col + 2);
    snprintf(f->region, sizeof f->region, "%s", region ? region : "");
    f->has_open_registration = o != NULL;
    snprintf(f->reg_office, sizeof f->reg_office, "%s", o ? o : "");
    snprintf(f->counsellor, sizeof f->counsellor, "%s", k ? k : "");
    f->case_member = store_col_int(st, col + 3) > 0;
}

static op_code load_facts(ctx *c, const char *person_id, access_facts *f) {
    memset(f, 0, sizeof *f);
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT " ACCESS_FACTS_COLS " FROM " ACCESS_FACTS_FROM " WHERE p.id = ?", "ss",
                                 c->who.id, person_id);
    if (!st) return c->err.code;
    access_facts_read(st, 0, f);
    store_reset(st);
    return OP_OK;
}

static void deny(access_decision *d, const char *fmt, const char *arg) {
    d->allow = false;
    d->fields = 0;
    snprintf(d->reason, sizeof d->reason, fmt, arg ? arg : "");
}

/* Office-level relation: registered here, or not registered anywhere and living in our region. */
static bool office_scope(const actor *a, const access_facts *f) {
    if (f->has_open_registration) return strcmp(f->reg_office, a->office_id) == 0;
    return f->region[0] && a->region[0] && strncmp(f->region, a->region, strlen(a->region)) == 0;
}

static void decide_staff(const actor *a, enum pd_action act, const char *rtype,
                         const access_facts *f, access_decision *d) {
    bool assigned = f->case_member || (f->counsellor[0] && strcmp(f->counsellor, a->id) == 0);
    switch (a->role) {
    case ROLE_AUDITOR:
        if (strcmp(rtype, "audit_log") == 0 && (act == PD_READ || act == PD_SEARCH)) {
            d->allow = true;
            d->fields = 0;
        } else {
            deny(d, "auditors may read the audit log only%s", NULL);
        }
        return;
    case ROLE_ANALYST:
    case ROLE_ADMIN:
        deny(d, "the %s role has no access to identifiable personal data", role_name(a->role));
        return;
    case ROLE_COUNSELLOR:
        if (act == PD_CREATE || assigned || office_scope(a, f)) {
            d->allow = act != PD_DELETE;
            d->fields = F_ALL & ~(assigned ? 0u : F_DISABILITY);
            if (!d->allow) deny(d, "counsellors may not delete person records%s", NULL);
            return;
        }
        deny(d, "the person is registered with another office and not assigned to you%s", NULL);
        return;
    case ROLE_SUPERVISOR:
        if (act == PD_CREATE || assigned || office_scope(a, f)) {
            d->allow = true;
            d->fields = F_ALL;
            return;
        }
        deny(d, "the person is outside your office%s", NULL);
        return;
    case ROLE_WELFARE_OFFICER:
        if (act == PD_DELETE) {
            deny(d, "welfare officers may not delete person records%s", NULL);
            return;
        }
        if (act == PD_CREATE) {
            /* Facts are not loaded for a create (there is no record yet), so the region test
             * below could never pass: welfare officers register the people they refer. */
            d->allow = true;
            d->fields = F_IDENTITY | F_NATIONAL_ID | F_CONTACT | F_ADDRESS | F_REGISTRATION;
            return;
        }
        if (assigned || (f->region[0] && a->region[0] &&
                         strncmp(f->region, a->region, strlen(a->region)) == 0)) {
            d->allow = true;
            d->fields = F_IDENTITY | F_NATIONAL_ID | F_CONTACT | F_ADDRESS | F_REGISTRATION |
                        (assigned ? F_DISABILITY | F_EDUCATION : 0u);
            if (act != PD_READ && act != PD_SEARCH && !assigned)
                deny(d, "only a welfare officer on the person's case team may change the record%s", NULL);
            return;
        }
        deny(d, "the person lives outside your office's region and is not on your case list%s", NULL);
        return;
    default:
        deny(d, "unknown staff role%s", NULL);
    }
}

/* Employers (job market, docs/ACCESS.md "Employers"), kept apart from the staff rules:
 *  - resource "application": people who applied to one of the employer's vacancies - read, search
 *    and update (moving the application); the groups an application shows;
 *  - resource "candidate": people who made themselves findable by employers
 *    (jobseeker_visibility.findable) - read and search only; the groups they chose there.
 * Anything else is refused. */
#define EMPLOYER_APPLICATION_FIELDS \
    (F_IDENTITY | F_CONTACT | F_EDUCATION | F_QUALIFICATIONS | F_WORK_HISTORY | F_SKILLS)
static op_code decide_employer(ctx *c, enum pd_action act, const char *rtype, const char *person_id,
                               access_decision *d) {
    bool app = rtype && strcmp(rtype, "application") == 0, cand = rtype && strcmp(rtype, "candidate") == 0;
    if (!c->who.employer_id[0] || !person_id || (!app && !cand) ||
        !(act == PD_READ || act == PD_SEARCH || (app && act == PD_UPDATE))) {
        deny(d, "employers see job seekers only as their applicants or as candidates who agreed to be found%s", NULL);
        return OP_OK;
    }
    op_err e = {0};
    store_stmt *st =
        app ? store_query(c->db, &e, "SELECT 1 FROM applications WHERE employer_id = ? AND person_id = ?", "ss",
                          c->who.employer_id, person_id)
            : store_query(c->db, &e, "SELECT fields FROM jobseeker_visibility WHERE person_id = ? AND findable = 1",
                          "s", person_id);
    if (!st && e.code) return op_fail(&c->err, e.code, NULL, "%s", e.detail);
    if (!st) {
        deny(d, app ? "the person has not applied to this employer's vacancies%s"
                    : "the person has not agreed to be found by employers%s", NULL);
        return OP_OK;
    }
    d->allow = true;
    d->fields = app ? EMPLOYER_APPLICATION_FIELDS : ((unsigned)store_col_int(st, 0) & ~(F_NATIONAL_ID | F_DISABILITY));
    store_reset(st);
    return OP_OK;
}

/* Partners outside DCI: the social-insurance agency reports job starts and ends (statutory
 * employment registrations, Employment Insurance Act) with scope insurance.registrations.  It may
 * record employment for benefit administration and nothing else; DCI partners are decided by
 * access_decide_partner() with their data-sharing agreement. */
static void decide_insurance_partner(const actor *a, enum pd_action act, const char *rtype, access_decision *d) {
    const char *sc = a->scopes, *want = "insurance.registrations";
    bool has = false;
    for (const char *p = sc; p && (p = strstr(p, want)); p += strlen(want))
        if ((p == sc || p[-1] == ' ') && (p[strlen(want)] == 0 || p[strlen(want)] == ' ')) has = true;
    if (has && strcmp(rtype, "ei_employment") == 0 && (act == PD_CREATE || act == PD_UPDATE) && d->purpose &&
        strcmp(d->purpose, "benefit_administration") == 0) {
        d->allow = true;
        d->fields = F_IDENTITY;
        return;
    }
    deny(d, "partner systems reach personal data through DCI and their data-sharing agreement%s", NULL);
}

/* A decision starts with the declared purpose (and its legal basis).  A purpose the role may not
 * use is a refusal like any other, audited by the caller: d becomes it and *refused is set. */
static op_code decide_purpose(ctx *c, access_decision *d, bool *refused) {
    memset(d, 0, sizeof *d);
    *refused = false;
    op_code rc = access_purpose(c, &d->purpose, &d->legal_basis);
    if (rc != OP_FORBIDDEN) return rc;
    const char *p = c->purpose;
    deny(d, "purpose \"%s\" is not permitted for this role", p);
    d->purpose = p;
    d->legal_basis = "none";
    *refused = true;
    return OP_OK;
}

static op_code decide(ctx *c, enum pd_action act, const char *rtype, const char *person_id,
                      const access_facts *known, access_decision *d) {
    bool refused;
    op_code rc = decide_purpose(c, d, &refused);
    if (rc || refused) return rc;
    access_facts f = {0};
    if (known) {
        f = *known;
        if (!f.exists) return op_fail(&c->err, OP_NOT_FOUND, NULL, "person \"%s\" does not exist", person_id);
    } else if (act != PD_CREATE) {
        rc = load_facts(c, person_id, &f);
        if (rc) return rc;
        if (!f.exists)
            return op_fail(&c->err, OP_NOT_FOUND, NULL, "person \"%s\" does not exist", person_id);
    }
    switch (c->who.type) {
    case ACTOR_SYSTEM:
        d->allow = true;
        d->fields = F_ALL;
        break;
    case ACTOR_CITIZEN:
        if (person_id && strcmp(person_id, c->who.person_id) == 0 && act != PD_DELETE) {
            d->allow = true;
            d->fields = F_ALL;
        } else if (act == PD_CREATE && strcmp(rtype, "person") == 0 && !c->who.person_id[0]) {
            /* A citizen without a record creates their own (POST /api/v1/me), once. */
            d->allow = true;
            d->fields = F_ALL;
        } else {
            deny(d, "citizens may access only their own record%s", NULL);
        }
        break;
    case ACTOR_STAFF:
        decide_staff(&c->who, act, rtype, &f, d);
        break;
    case ACTOR_EMPLOYER:
        rc = decide_employer(c, act, rtype, person_id, d);
        if (rc) return rc;
        break;
    case ACTOR_PARTNER:
        decide_insurance_partner(&c->who, act, rtype, d);
        break;
    default:
        deny(d, "not authenticated%s", NULL);
    }
    if (d->allow && act != PD_CREATE && !consent_allows(c, person_id, d->purpose)) {
        deny(d, "the person has not consented to processing for \"%s\"", d->purpose);
    }
    return OP_OK;
}

op_code access_audit(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                     const char *person_id, const access_decision *d) {
    struct audit_rec r = {
        .action = pd_action_name(act),
        .resource_type = rtype,
        .resource_id = resource_id,
        .person_id = person_id,
        .purpose = d->purpose,
        .legal_basis = d->legal_basis,
        .outcome = d->allow ? "allow" : "deny",
        .detail = d->allow ? NULL : d->reason,
    };
    return audit_record(c, &r);
}

op_code access_decide(ctx *c, enum pd_action act, const char *rtype, const char *person_id,
                      access_decision *d) {
    return decide(c, act, rtype, person_id, NULL, d);
}

op_code access_person_facts(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                            const char *person_id, const access_facts *f, access_decision *d) {
    op_code rc = decide(c, act, rtype, person_id, f, d);
    if (rc) return rc;
    rc = access_audit(c, act, rtype, resource_id, person_id, d);
    if (rc) return rc;
    if (!d->allow)
        return op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access",
                       "%s", d->reason);
    return OP_OK;
}

op_code access_person(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                      const char *person_id, access_decision *d) {
    return access_person_facts(c, act, rtype, resource_id, person_id, NULL, d);
}

op_code access_person_facts_many(ctx *c, enum pd_action act, const char *rtype, size_t n, const char *const *resource_ids,
                                 const char *const *person_ids, const access_facts *facts, access_decision *d,
                                 bool *allowed) {
    if (!n) return OP_OK;
    struct audit_rec *r = malloc(n * sizeof *r);
    if (!r) return op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
    op_code rc = OP_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = decide(c, act, rtype, person_ids[i], &facts[i], &d[i]);
        allowed[i] = !rc && d[i].allow;
        r[i] = (struct audit_rec){
            .action = pd_action_name(act),
            .resource_type = rtype,
            .resource_id = resource_ids ? resource_ids[i] : NULL,
            .person_id = person_ids[i],
            .purpose = d[i].purpose,
            .legal_basis = d[i].legal_basis,
            .outcome = d[i].allow ? "allow" : "deny",
            .detail = d[i].allow ? NULL : d[i].reason,
        };
    }
    if (!rc) rc = audit_record_many(c, r, n);
    free(r);
    return rc;
}

/* ---- partner systems: data-sharing agreements (docs/ACCESS.md, "Partner systems") ---- */

op_code access_decide_partner(ctx *c, enum pd_action act, const char *purpose, const char *agreement_id,
                              const char *legal_basis, const char *refusal, access_decision *d) {
    memset(d, 0, sizeof *d);
    d->purpose = purpose ? purpose : "unspecified";
    d->legal_basis = legal_basis && agreement_id ? legal_basis : "none";
    if (c->who.type != ACTOR_PARTNER) {
        deny(d, "only partner systems act under a data-sharing agreement%s", NULL);
    } else if (act != PD_READ && act != PD_SEARCH) {
        deny(d, "partner systems may only read and search%s", NULL);
    } else if (!agreement_id) {
        deny(d, "%s", refusal ? refusal : "no data-sharing agreement covers this purpose");
    } else {
        d->allow = true;
        d->fields = F_ALL;
    }
    return OP_OK;
}

/* ---- referrals between offices (docs/ACCESS.md "Referrals", docs/REFERRALS.md) ---- */

/* Purposes under which referrals are processed (the role must also be allowed the purpose). */
static const char *const REFERRAL_PURPOSES[] = {"welfare_referral", "case_management", "employment_service",
                                                "supervision", "self_service", "system_operation", NULL};
#define REFERRAL_FIELDS (F_IDENTITY | F_CONTACT)
#define REFERRAL_ROLES (ROLE_COUNSELLOR | ROLE_SUPERVISOR | ROLE_WELFARE_OFFICER)

static void decide_referral_staff(const actor *a, enum pd_action act, const struct access_referral *r,
                                  const access_facts *f, access_decision *d) {
    if (!(a->role & REFERRAL_ROLES)) {
        deny(d, "the %s role has no access to referrals", role_name(a->role));
        return;
    }
    if (act == PD_DELETE) {
        deny(d, "referrals are never deleted: withdraw or close them%s", NULL);
        return;
    }
    if (act == PD_CREATE) {
        /* The sender must serve the person: the ordinary staff rule for reading the record. */
        decide_staff(a, PD_READ, "person", f, d);
        if (d->allow) d->fields = REFERRAL_FIELDS;
        return;
    }
    bool assigned = f->case_member || (f->counsellor[0] && strcmp(f->counsellor, a->id) == 0);
    bool party = r && a->office_id[0] &&
                 ((r->from_office && strcmp(r->from_office, a->office_id) == 0) ||
                  (r->to_office && strcmp(r->to_office, a->office_id) == 0));
    if (party || (assigned && (act == PD_READ || act == PD_SEARCH))) {
        d->allow = true;
        d->fields = REFERRAL_FIELDS;
        return;
    }
    deny(d, assigned ? "only the sending and receiving offices act on a referral%s"
                     : "the referral is between other offices and the person is not assigned to you%s", NULL);
}

op_code access_decide_referral(ctx *c, enum pd_action act, const char *person_id, const struct access_referral *r,
                               access_decision *d) {
    bool refused;
    op_code rc = decide_purpose(c, d, &refused);
    if (rc || refused) return rc;
    access_facts f;
    if ((rc = load_facts(c, person_id, &f))) return rc;
    if (!f.exists) return op_fail(&c->err, OP_NOT_FOUND, NULL, "person \"%s\" does not exist", person_id);
    bool purpose_ok = false;
    for (const char *const *p = REFERRAL_PURPOSES; *p; p++)
        if (strcmp(*p, d->purpose) == 0) purpose_ok = true;
    if (!purpose_ok) {
        deny(d, "purpose \"%s\" does not cover referrals", d->purpose);
        return OP_OK;
    }
    switch (c->who.type) {
    case ACTOR_SYSTEM:
        d->allow = true;
        d->fields = F_ALL;
        break;
    case ACTOR_CITIZEN:
        if (strcmp(person_id, c->who.person_id) == 0 && (act == PD_READ || act == PD_SEARCH)) {
            d->allow = true;
            d->fields = F_ALL;
        } else {
            deny(d, "citizens may read their own referrals and change none%s", NULL);
        }
        break;
    case ACTOR_STAFF:
        decide_referral_staff(&c->who, act, r, &f, d);
        break;
    default:
        deny(d, "referrals are handled by the staff of the sending and receiving offices%s", NULL);
    }
    if (d->allow && !consent_allows(c, person_id, d->purpose))
        deny(d, "the person has not consented to processing for \"%s\"", d->purpose);
    return OP_OK;
}

op_code access_referral(ctx *c, enum pd_action act, const char *referral_id, const char *person_id,
                        const struct access_referral *r, access_decision *d) {
    op_code rc = access_decide_referral(c, act, person_id, r, d);
    if (rc) return rc;
    if ((rc = access_audit(c, act, "referral", referral_id, person_id, d))) return rc;
    if (!d->allow)
        return op_fail(&c->err, OP_FORBIDDEN, "only the sending and receiving offices (and the person's case team) see a referral",
                       "%s", d->reason);
    return OP_OK;
}
