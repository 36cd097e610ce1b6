/* seed.h - loading demo and synthetic data (`openpes seed`).
 *
 * Both loaders write only through the domain contracts (account.h, person.h) with a system
 * context whose purpose is system_operation, so every person they create passes the same
 * validation and access path as one created over the API, and is audited. */
#ifndef OPENPES_SEED_H
#define OPENPES_SEED_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

/* ---- demo.c: the demo data set (offices, one account per role, ~200 people) ---- */

#define SEED_DEMO_PASSWORD "demo-pass-2026"

struct seed_demo_office {
    const char *code, *name, *name_ko, *kind, *region_code;
};
struct seed_demo_account {
    const char *username, *kind, *role, *office; /* role/office: staff only */
    const char *display_name;
    const char *locale;
    int person; /* citizens: index into seed_demo_people, else -1 */
    const char *note; /* what the account is for in the demo */
};
/* A hand-written person (the rest of the profile is generated for its index). */
struct seed_demo_person {
    const char *national_id, *family_name, *given_name, *nationality, *region_code, *email, *occupation;
    const char *office;     /* registered at this office (NULL: not registered) */
    const char *counsellor; /* assigned counsellor's user name, or NULL */
    const char *case_team;  /* user name put on the case team, or NULL */
};

extern const struct seed_demo_office seed_demo_offices[];
extern const int seed_demo_noffices;
extern const struct seed_demo_account seed_demo_accounts[];
extern const int seed_demo_naccounts;
extern const struct seed_demo_person seed_demo_people[];
extern const int seed_demo_npeople;
#define SEED_DEMO_SEED 2026u
#define SEED_DEMO_GENERATED 192 /* generated people after the hand-written ones */

/* Load the demo set into the current thread's database in one transaction.  Refuses with
 * OP_DUPLICATE when demo data is already there.  Prints a summary to out. */
op_code seed_demo_load(FILE *out, op_err *e);
/* Whether the demo offices exist (OP_OK + *present). */
op_code seed_demo_present(bool *present, op_err *e);
/* The table of demo accounts: username, password, kind, role, office. */
void seed_demo_print_accounts(FILE *out);

/* ---- synth.c: synthetic people at any scale ---- */

struct seed_synth_opts {
    uint64_t persons;        /* how many */
    uint64_t seed;           /* same (persons, seed) -> same people */
    uint64_t first;          /* index of the first person (default 0) */
    int offices;             /* job centres SYN-01..SYN-K (created when missing); default 4 */
    unsigned registered_pct; /* share registered as job seekers; default 80 */
    int batch;               /* people per transaction; default 2000 */
    const char *ids_file;    /* write "<person id>\t<office code>\n" per person (may be NULL) */
    FILE *progress;          /* progress lines (NULL: quiet) */
};
struct seed_synth_result {
    uint64_t created, registered;
    double seconds;
};
op_code seed_synth_run(const struct seed_synth_opts *o, struct seed_synth_result *r, op_err *e);
/* Office code of synthetic job centre k (1-based) and its region. */
void seed_synth_office_code(int k, char out[16]);
const char *seed_synth_office_region(int k);

#endif
