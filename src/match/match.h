/* match.h - explainable two-way recommendations between job seekers and vacancies, and the
 * weights that learn from outcomes.  Design notes: docs/MATCHING.md.
 *
 * A (seeker, vacancy) pair gets eight factor values in [0, 1] (occupation through the ISCO
 * hierarchy and crosswalks, skills, education and major, experience, region and commute, salary,
 * hours, completed training and qualifications); the
 * score is their weighted mean x 1000 with per-mille weights from `match_weights` (defaults below
 * until `match_fit` has run).  Every result carries the factor values, weights and a reason. */
#ifndef OPENPES_MATCH_H
#define OPENPES_MATCH_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

enum match_factor {
    MF_OCCUPATION,
    MF_SKILLS,
    MF_EDUCATION,
    MF_EXPERIENCE,
    MF_REGION,
    MF_SALARY,
    MF_HOURS,
    MF_TRAINING,
    MATCH_NF
};
extern const char *const match_factor_names[MATCH_NF];
extern const int match_default_weights[MATCH_NF]; /* per mille */

#define MATCH_MAX_CODES 24
#define MATCH_MAX_SKILLS 50
struct match_seeker {
    const char *occ[MATCH_MAX_CODES]; /* ISCO unit groups: preferred and worked in */
    int nocc;
    const char *rel[MATCH_MAX_CODES]; /* related through crosswalks, with weight (per mille) */
    int relw[MATCH_MAX_CODES], nrel;
    const char *skills[MATCH_MAX_SKILLS]; /* normalised (jobs_norm) */
    int nskills;
    int edu_rank; /* on the vacancy scale (jobs_education_rank), -1 unknown */
    const char *major; /* normalised, may be NULL */
    struct {
        const char *occ;
        int months;
    } work[MATCH_MAX_CODES];
    int nwork;
    const char *regions[MATCH_MAX_CODES]; /* preferred, else home */
    int nregions;
    int64_t salary_month_min; /* 0 = none */
    int hours_max;            /* 0 = none */
    const char *quals[MATCH_MAX_CODES]; /* completed training and qualifications, normalised names */
    int nquals;
};

struct match_vacancy {
    int64_t num;
    const char *id, *title, *title_norm, *occupation, *region;
    int64_t salary_month_max;
    int hours, edu_rank, exp_years;
    const char *skills[MATCH_MAX_SKILLS]; /* normalised */
    int nskills;
};

struct match_weights {
    int w[MATCH_NF];
};

/* Factor values in [0,1] and a short reason for each (static or arena strings); why = NULL: values only. */
void match_factors(arena *a, const struct match_seeker *s, const struct match_vacancy *v, double f[MATCH_NF],
                   const char *why[MATCH_NF]);
/* Weighted mean of the factors, 0..1000. */
int match_score(const struct match_weights *w, const double f[MATCH_NF]);
/* Current weights (table match_weights, defaults for missing rows). */
op_code match_weights_load(ctx *c, struct match_weights *w);
/* Person's education level (person scale) on the vacancy scale; -1 unknown. */
int match_person_edu_rank(const char *level);

/* Build a seeker from a person's profile parts (any may be NULL: the groups the actor may not see);
 * crosswalk: look up the crosswalk-linked ISCO codes (one query per occupation). */
op_code match_seeker_from(ctx *c, const char *region, const char *edu_level, const char *major, const json_t *skills,
                          const json_t *work_history, const json_t *preferences, bool crosswalk, struct match_seeker *s);
/* Add the person's qualifications (profile "qualifications": certificates, licences, completed
 * courses) to s; call only when the person shows that field group. */
void match_seeker_qualifications(arena *a, struct match_seeker *s, const json_t *qualifications);
/* regions.c: whether two first-level regions share a border (commuting reach). */
bool match_regions_border(const char *a, const char *b);
/* ISCO unit groups linked to `code` through a national scheme's crosswalk, with weights (per mille). */
op_code match_crosswalk(ctx *c, const char *code, const char **rel, int *relw, int *nrel, int max);

/* GET /persons/{id}/recommendations, /me/recommendations: {items: [{vacancy, score, factors[]}], weights}. */
op_code match_recommend_vacancies(ctx *c, const char *person_id, int limit, json_t **out);
/* GET /vacancies/{id}/candidates: findable job seekers, allowed fields only, each read audited. */
op_code match_recommend_candidates(ctx *c, const char *vacancy_id, int limit, json_t **out);

/* Re-fit the weights from application outcomes (docs/MATCHING.md "Learning").  *used = applications
 * used; weights unchanged (and *used < MATCH_FIT_MIN) when there are too few outcomes. */
#define MATCH_FIT_MIN 5
op_code match_fit(ctx *c, struct match_weights *out, long *used);
/* Pure form of the fit for tests: n pairs of factor vectors with a positive flag. */
void match_fit_from(const double (*f)[MATCH_NF], const bool *positive, long n, struct match_weights *out);

/* `openpes match evaluate`: hit rate at 10 of later hires for `seekers` synthetic job seekers drawn
 * from the open vacancies (docs/MATCHING.md "Evaluation"). */
op_code match_evaluate(ctx *c, long seekers, uint64_t seed, json_t **out);

#endif
