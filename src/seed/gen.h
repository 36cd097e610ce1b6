/* gen.h - deterministic synthetic people for demos, tests and benchmarks.
 *
 * Person `index` of seed `seed` depends only on (seed, index): the same pair yields the same
 * person on every run, independent of how many people are generated or in which order, so a
 * benchmark database can be rebuilt exactly and tests can name "the first person of seed 7".
 *
 * National ids (Korean resident registration numbers, "YYMMDD-GSSSSSC") are unique within one
 * seed for every index below seed_max_persons(): the index goes through a keyed pseudo-random
 * permutation (a Feistel network with cycle walking) onto the space of (birth date, sex, serial)
 * triples, so two indexes can never land on the same triple.  Birth date and sex are read back
 * from that triple, which is why they always agree with the id; C is the classic check digit.
 * Different seeds use different permutations and may collide with each other. */
#ifndef OPENPES_SEED_GEN_H
#define OPENPES_SEED_GEN_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Birth dates cover people aged 18-65 in 2026; histories end at a fixed "today" so that the
 * output does not depend on the day the generator runs. */
#define SEED_BIRTH_FIRST "1961-01-01"
#define SEED_BIRTH_LAST "2007-12-31"
#define SEED_ANCHOR "2026-06-30"

/* The API's values for `sex` (docs/api/persons.md). */
#define SEED_SEX_MALE "male"
#define SEED_SEX_FEMALE "female"

struct seed_ident {
    char national_id[15]; /* "YYMMDD-GSSSSSC" */
    char birth_date[11];  /* "YYYY-MM-DD" */
    int64_t birth_days;   /* days since 1970-01-01 */
    bool male, foreign;
};

/* Small deterministic RNG (splitmix64); exposed for the demo loader's choices. */
typedef struct seed_rng {
    uint64_t s;
} seed_rng;
seed_rng seed_rng_for(uint64_t seed, uint64_t index, uint64_t stream);
uint64_t seed_rng_next(seed_rng *r);
uint32_t seed_rng_below(seed_rng *r, uint32_t n); /* uniform in [0, n), n > 0 */

uint64_t seed_max_persons(void);
/* Identity of person `index`.  foreign_permille: share of foreign nationals (gender digits 5-8). */
void seed_ident_make(uint64_t seed, uint64_t index, unsigned foreign_permille, struct seed_ident *id);
/* Validate "YYMMDD-GSSSSSC": digits, real calendar date, century/sex digit 1-8, check digit.
 * On success fills *id (may be NULL). */
bool seed_rrn_parse(const char *rrn, struct seed_ident *id);
int seed_rrn_check_digit(const char *digits12); /* over the 12 digits without the hyphen */

struct seed_opts {
    const char *const *regions; /* region codes people live in; repeat a code to weight it */
    int nregions;
    unsigned foreign_permille;  /* default 60 when 0 is not wanted: set explicitly */
};

/* Hand-written parts of a demo person; NULL fields are generated as usual. */
struct seed_override {
    const char *national_id; /* valid RRN; sets birth date, sex and foreign */
    const char *family_name, *given_name, *nationality, *region_code, *email;
    const char *occupation;  /* ISCO-08 code of the main occupation (must be in names.c) */
};

/* Person `index` as the API's create body (src/domain/person.h).  New reference. */
json_t *seed_person(uint64_t seed, uint64_t index, const struct seed_opts *o,
                    const struct seed_override *ov);

#endif
