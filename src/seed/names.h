/* names.h - the word lists the synthetic-data generator draws from: Korean family and given names
 * (with romanisations, for e-mail addresses), foreign names by nationality, regions with postal
 * code ranges and streets, occupation profiles (ISCO-08 unit groups with matching education,
 * skills, qualifications and employers).
 *
 * The lists are data only; gen.c decides how they are combined.  Changing a list changes the
 * people a given seed produces (tests pin determinism within one build, not across edits). */
#ifndef OPENPES_SEED_NAMES_H
#define OPENPES_SEED_NAMES_H

/* Korean family name with its approximate share of the population in 1/10,000 (2015 census). */
struct seed_family {
    const char *ko, *rom;
    unsigned weight;
};
struct seed_given {
    const char *ko, *rom;
};
/* Given names by sex and birth cohort: [0] before 1975, [1] 1975-1994, [2] from 1995. */
struct seed_given_list {
    const struct seed_given *names;
    int n;
};

extern const struct seed_family seed_families[];
extern const int seed_nfamilies;
extern const struct seed_given_list seed_given_male[3], seed_given_female[3];

/* Foreign residents: nationality (ISO 3166-1 alpha-2) and Latin-script names.  Lists are
 * NULL-terminated.  family_first: the name is usually written family name first. */
struct seed_foreign {
    const char *nationality;
    unsigned weight;
    const char *const *given_m, *const *given_f, *const *family;
};
extern const struct seed_foreign seed_foreigners[];
extern const int seed_nforeigners;

/* A first-level region (ISO 3166-2:KR) with its postal code range and "district street" pairs. */
struct seed_region {
    const char *code, *name_ko, *name_en;
    int postal_lo, postal_hi;
    const char *const *streets; /* NULL-terminated, "강남구 테헤란로" */
};
extern const struct seed_region seed_regions[];
extern const int seed_nregions;
const struct seed_region *seed_region_find(const char *code);

/* Education levels of the API, in order. */
enum seed_edu {
    EDU_NONE, EDU_PRIMARY, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, EDU_POST_SECONDARY,
    EDU_SHORT_TERTIARY, EDU_BACHELOR, EDU_MASTER, EDU_DOCTORATE, EDU__COUNT
};
extern const char *const seed_edu_names[EDU__COUNT];

/* Employer lists by sector. */
enum seed_sector {
    SEC_IT, SEC_OFFICE, SEC_RETAIL, SEC_FOOD, SEC_CARE, SEC_HEALTH, SEC_EDUCATION, SEC_MANUFACTURING,
    SEC_LOGISTICS, SEC_CONSTRUCTION, SEC_AGRICULTURE, SEC_SERVICES, SEC__COUNT
};
extern const char *const *const seed_employers[SEC__COUNT]; /* each NULL-terminated */

/* An occupation profile.  quals are "name|issuer". */
struct seed_occupation {
    const char *isco, *title_ko, *title_en;
    unsigned weight;
    enum seed_edu edu_lo, edu_hi;
    enum seed_sector sector;
    int salary_base; /* typical monthly salary asked, KRW */
    const char *const *skills, *const *majors, *const *quals;
};
extern const struct seed_occupation seed_occupations[];
extern const int seed_noccupations;

extern const char *const seed_general_skills[]; /* NULL-terminated */
extern const char *const seed_general_quals[];  /* NULL-terminated, "name|issuer" */

#endif
