/* account.h - offices and accounts (citizens, employers, staff).  CONTRACT shared by auth, the
 * CLI and the seeder; the implementation is account.c. */
#ifndef OPENPES_ACCOUNT_H
#define OPENPES_ACCOUNT_H
#include "core/ctx.h"

struct office_new {
    const char *code;        /* unique, e.g. "SEOUL-GANGNAM" */
    const char *name;        /* English */
    const char *name_ko;     /* optional */
    const char *kind;        /* job_centre | welfare_office | ministry */
    const char *region_code; /* ISO 3166-2, e.g. "KR-11" */
};
op_code office_create(ctx *c, const struct office_new *o, char id_out[ID_LEN]);
/* Resolve an office by code or id into id_out; OP_NOT_FOUND when absent. */
op_code office_resolve(ctx *c, const char *code_or_id, char id_out[ID_LEN]);

struct account_new {
    const char *username;     /* 3-64 chars [a-z0-9._@-] */
    const char *password;     /* >= 10 chars */
    const char *kind;         /* citizen | employer | staff */
    const char *role;         /* staff only: counsellor | welfare_officer | supervisor | analyst | admin | auditor */
    const char *office;       /* staff only: office code or id */
    const char *person_id;    /* citizen: linked person record (optional at sign-up) */
    const char *employer_id;  /* employer: optional */
    const char *display_name;
    const char *locale;       /* "ko" | "en" */
};
op_code account_create(ctx *c, const struct account_new *n, char id_out[ID_LEN]);
/* Link a citizen account to its person record (after the citizen creates their profile). */
op_code account_link_person(ctx *c, const char *account_id, const char *person_id);

#endif
