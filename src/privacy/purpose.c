/* purpose.c - the purposes personal data may be processed for, with their legal basis, and
 * which actors may declare which purpose.  The legal bases cite Korean law (the reference
 * deployment); a country configuration replaces this table (roadmap: privacy and governance). */
#include <string.h>

#include "privacy/access.h"

static const struct purpose_def purposes[] = {
    {"self_service", "PIPA Art. 35 (data subject's access to own data)",
     "a person viewing or correcting their own record"},
    {"employment_service", "Employment Security Act Art. 8-9 (job placement and counselling)",
     "registration, counselling and placement of a job seeker"},
    {"case_management", "Framework Act on Employment Policy Art. 15; multi-agency case agreement",
     "integrated case management by the assigned team"},
    {"benefit_administration", "Employment Insurance Act Art. 40-48",
     "deciding and paying unemployment benefits"},
    {"welfare_referral", "Social Security Benefits Act Art. 5; Employment Security Act Art. 9",
     "referral between welfare and employment services"},
    {"supervision", "Employment Security Act Art. 4 (quality assurance of public services)",
     "a supervisor reviewing the work of their office"},
    {"audit", "PIPA Art. 29 and Enforcement Decree Art. 30 (access-log review)",
     "reviewing who accessed personal data"},
    {"statistics", "Statistics Act Art. 33 (de-identified statistics only)",
     "labour market statistics on de-identified data"},
    {"system_operation", "PIPA Art. 15(1)2 (legal obligation; operating the system)",
     "batch jobs, imports and maintenance run by the system"},
    {NULL, NULL, NULL},
};

const struct purpose_def *purpose_list(void) { return purposes; }

static const struct purpose_def *find(const char *code) {
    for (const struct purpose_def *p = purposes; p->code; p++)
        if (strcmp(p->code, code) == 0) return p;
    return NULL;
}

/* Allowed purposes per actor, the first one being the default. */
static const char *const citizen_p[] = {"self_service", NULL};
static const char *const counsellor_p[] = {"employment_service", "case_management", "benefit_administration",
                                           "welfare_referral", NULL};
static const char *const welfare_p[] = {"welfare_referral", "case_management", NULL};
static const char *const supervisor_p[] = {"supervision", "employment_service", "benefit_administration", NULL};
static const char *const analyst_p[] = {"statistics", NULL};
static const char *const admin_p[] = {"system_operation", NULL};
static const char *const auditor_p[] = {"audit", NULL};
static const char *const employer_p[] = {"employment_service", NULL};
static const char *const partner_p[] = {"welfare_referral", "benefit_administration", "statistics", NULL};
static const char *const system_p[] = {"system_operation", "employment_service", "case_management",
                                       "benefit_administration", "welfare_referral", "statistics", NULL};

static const char *const *allowed_for(const actor *a) {
    switch (a->type) {
    case ACTOR_CITIZEN: return citizen_p;
    case ACTOR_EMPLOYER: return employer_p;
    case ACTOR_PARTNER: return partner_p;
    case ACTOR_SYSTEM: return system_p;
    case ACTOR_STAFF:
        switch (a->role) {
        case ROLE_COUNSELLOR: return counsellor_p;
        case ROLE_WELFARE_OFFICER: return welfare_p;
        case ROLE_SUPERVISOR: return supervisor_p;
        case ROLE_ANALYST: return analyst_p;
        case ROLE_ADMIN: return admin_p;
        case ROLE_AUDITOR: return auditor_p;
        default: return NULL;
        }
    default: return NULL;
    }
}

op_code access_purpose(ctx *c, const char **purpose, const char **legal_basis) {
    const char *const *allowed = allowed_for(&c->who);
    if (!allowed) return op_fail(&c->err, OP_UNAUTHENTICATED, "log in first", "no authenticated actor");
    const char *want = c->purpose && *c->purpose ? c->purpose : allowed[0];
    const struct purpose_def *p = find(want);
    if (!p)
        return op_fail_field(&c->err, OP_VALIDATION, "purpose", "see GET /api/v1/purposes",
                             "unknown purpose \"%s\"", want);
    bool ok = false;
    for (const char *const *q = allowed; *q; q++)
        if (strcmp(*q, want) == 0) ok = true;
    if (!ok)
        return op_fail(&c->err, OP_FORBIDDEN, "declare a purpose your role may use (X-Purpose header)",
                       "purpose \"%s\" is not permitted for this role", want);
    *purpose = p->code;
    *legal_basis = p->legal_basis;
    return OP_OK;
}
