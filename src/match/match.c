/* match.c - factors, scores, weights and their fit (see match.h, docs/MATCHING.md). */
#include "match/match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "jobs/jobs.h"
#include "jobs/vacancy_int.h"

const char *const match_factor_names[MATCH_NF] = {"occupation", "skills", "education", "experience",
                                                  "region",     "salary", "hours",     "training"};
const int match_default_weights[MATCH_NF] = {350, 200, 100, 100, 150, 60, 40, 50};

int match_person_edu_rank(const char *level) {
    static const struct {
        const char *p;
        int r;
    } m[] = {{"none", 0},           {"primary", 0},        {"lower_secondary", 1}, {"upper_secondary", 2},
             {"post_secondary", 2}, {"short_tertiary", 3}, {"bachelor", 4},        {"master", 5},
             {"doctorate", 6}};
    if (!level) return -1;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(m[i].p, level) == 0) return m[i].r;
    return -1;
}

/* Similarity of two ISCO unit groups through the hierarchy: same unit 1, minor group 0.6,
 * sub-major 0.3, major 0.1. */
static double isco_sim(const char *a, const char *b) {
    if (!a || !b || strlen(a) < 4 || strlen(b) < 4) return 0;
    if (strncmp(a, b, 4) == 0) return 1.0;
    if (strncmp(a, b, 3) == 0) return 0.6;
    if (strncmp(a, b, 2) == 0) return 0.3;
    if (a[0] == b[0]) return 0.1;
    return 0;
}

/* A reason string, or "" when only the score is wanted. */
#define RS(a, ...) ((a) ? arena_printf((a), __VA_ARGS__) : "")

void match_factors(arena *a, const struct match_seeker *s, const struct match_vacancy *v, double f[MATCH_NF],
                   const char *why[MATCH_NF]) {
    const char *unused[MATCH_NF];
    if (!why) why = unused, a = NULL; /* scoring only: no reasons formatted */
    /* occupation */
    double best = 0;
    const char *via = NULL;
    for (int i = 0; i < s->nocc; i++) {
        double x = isco_sim(s->occ[i], v->occupation);
        if (x > best) best = x, via = s->occ[i];
    }
    bool xw = false;
    for (int i = 0; i < s->nrel; i++)
        if (v->occupation && strcmp(s->rel[i], v->occupation) == 0 && 0.8 * s->relw[i] / 1000.0 > best)
            best = 0.8 * s->relw[i] / 1000.0, via = s->rel[i], xw = true;
    f[MF_OCCUPATION] = best;
    why[MF_OCCUPATION] = !s->nocc ? "no occupation in the profile"
                         : best == 0 ? RS(a, "%s is unrelated to the occupations sought", v->occupation)
                         : xw        ? RS(a, "%s is linked to the profile through a crosswalk", v->occupation)
                         : best == 1 ? RS(a, "same occupation (%s)", v->occupation)
                                     : RS(a, "%s is in the same ISCO %s group as %s", v->occupation,
                                                    best >= 0.6 ? "minor" : best >= 0.3 ? "sub-major" : "major", via);
    /* skills */
    int hit = 0;
    for (int i = 0; i < v->nskills; i++)
        for (int k = 0; k < s->nskills; k++)
            if (strcmp(v->skills[i], s->skills[k]) == 0) {
                hit++;
                break;
            }
    f[MF_SKILLS] = v->nskills ? (double)hit / v->nskills : 0.5;
    why[MF_SKILLS] = v->nskills ? RS(a, "%d of %d required skills", hit, v->nskills) : "no skills listed";
    /* education and major */
    bool major = s->major && *s->major && v->title_norm && strstr(v->title_norm, s->major);
    if (s->edu_rank < 0) f[MF_EDUCATION] = 0.5, why[MF_EDUCATION] = "education unknown";
    else if (s->edu_rank >= v->edu_rank) f[MF_EDUCATION] = 1, why[MF_EDUCATION] = "meets the education required";
    else f[MF_EDUCATION] = pow(0.5, v->edu_rank - s->edu_rank), why[MF_EDUCATION] = "below the education required";
    if (major) {
        f[MF_EDUCATION] = f[MF_EDUCATION] < 0.8 ? f[MF_EDUCATION] + 0.2 : 1.0;
        why[MF_EDUCATION] = RS(a, "%s; major matches the title", why[MF_EDUCATION]);
    }
    /* experience: months in the same ISCO sub-major group (any work when none is coded) */
    int months = 0;
    for (int i = 0; i < s->nwork; i++)
        if (!s->work[i].occ || isco_sim(s->work[i].occ, v->occupation) >= 0.3) months += s->work[i].months;
    if (v->exp_years <= 0) f[MF_EXPERIENCE] = 1, why[MF_EXPERIENCE] = "no experience required";
    else {
        double r = months / (12.0 * v->exp_years);
        f[MF_EXPERIENCE] = r > 1 ? 1 : r;
        why[MF_EXPERIENCE] = RS(a, "%d of %d years of related experience", months / 12, v->exp_years);
    }
    /* region */
    f[MF_REGION] = 0;
    why[MF_REGION] = s->nregions ? RS(a, "%s is outside the regions sought", v->region) : "no region known";
    for (int i = 0; i < s->nregions; i++)
        if (v->region && strcmp(s->regions[i], v->region) == 0) {
            f[MF_REGION] = 1;
            why[MF_REGION] = RS(a, "in %s", v->region);
        } else if (v->region && f[MF_REGION] < 0.3 && strlen(s->regions[i]) == 2 &&
                   strncmp(s->regions[i], v->region, 2) == 0) {
            f[MF_REGION] = 1;
            why[MF_REGION] = RS(a, "in %s", v->region);
        }
    /* commute: a region bordering one sought (regions.c) */
    for (int i = 0; f[MF_REGION] < 0.5 && i < s->nregions; i++)
        if (match_regions_border(s->regions[i], v->region)) {
            f[MF_REGION] = 0.5;
            why[MF_REGION] = RS(a, "%s borders %s (commuting reach)", v->region, s->regions[i]);
        }
    /* completed training and qualifications named by the vacancy (skills or title) */
    f[MF_TRAINING] = s->nquals ? 0.3 : 0;
    why[MF_TRAINING] = s->nquals ? RS(a, "%d qualifications, none named by the vacancy", s->nquals)
                                 : "no completed training or qualification recorded";
    for (int k = 0; k < s->nquals && f[MF_TRAINING] < 1; k++) {
        bool named = v->title_norm && strstr(v->title_norm, s->quals[k]);
        for (int i = 0; !named && i < v->nskills; i++)
            named = strstr(v->skills[i], s->quals[k]) || strstr(s->quals[k], v->skills[i]);
        if (named) {
            f[MF_TRAINING] = 1;
            why[MF_TRAINING] = RS(a, "holds %s, named by the vacancy", s->quals[k]);
        }
    }
    /* salary */
    if (!s->salary_month_min) f[MF_SALARY] = 1, why[MF_SALARY] = "no salary expectation";
    else if (v->salary_month_max >= s->salary_month_min) f[MF_SALARY] = 1, why[MF_SALARY] = "pays the expected salary";
    else {
        f[MF_SALARY] = v->salary_month_max > 0 ? (double)v->salary_month_max / (double)s->salary_month_min : 0;
        why[MF_SALARY] = RS(a, "pays up to %d%% of the expected salary", (int)(f[MF_SALARY] * 100));
    }
    /* hours */
    if (!s->hours_max || !v->hours) f[MF_HOURS] = 1, why[MF_HOURS] = "no hours limit";
    else if (v->hours <= s->hours_max) f[MF_HOURS] = 1, why[MF_HOURS] = "within the weekly hours wanted";
    else f[MF_HOURS] = (double)s->hours_max / v->hours, why[MF_HOURS] = "more hours than wanted";
}

int match_score(const struct match_weights *w, const double f[MATCH_NF]) {
    double num = 0, den = 0;
    for (int i = 0; i < MATCH_NF; i++) num += w->w[i] * f[i], den += w->w[i];
    return den > 0 ? (int)lround(1000.0 * num / den) : 0;
}

op_code match_weights_load(ctx *c, struct match_weights *w) {
    for (int i = 0; i < MATCH_NF; i++) w->w[i] = match_default_weights[i];
    store_stmt *st = store_prepare(c->db, "SELECT factor, weight FROM match_weights", &c->err);
    if (!st) return c->err.code;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        for (int i = 0; i < MATCH_NF; i++)
            if (strcmp(store_col_text(st, 0), match_factor_names[i]) == 0) w->w[i] = (int)store_col_int(st, 1);
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

/* Learning: each factor's weight is its default scaled by its lift among good outcomes -
 * (mean value over applications that reached interview, offer or hire + 0.05) / (mean value over
 * all applications + 0.05) - clamped to [20, 1000].  A factor that is higher for the applications
 * that went well gains weight; one that does not tell them apart keeps its default. */
void match_fit_from(const double (*f)[MATCH_NF], const bool *positive, long n, struct match_weights *out) {
    double all[MATCH_NF] = {0}, pos[MATCH_NF] = {0};
    long np = 0;
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < MATCH_NF; i++) {
            all[i] += f[k][i];
            if (positive[k]) pos[i] += f[k][i];
        }
        np += positive[k];
    }
    for (int i = 0; i < MATCH_NF; i++) {
        if (!n || !np) {
            out->w[i] = match_default_weights[i];
            continue;
        }
        double lift = (pos[i] / np + 0.05) / (all[i] / n + 0.05);
        long w = lround(match_default_weights[i] * lift);
        out->w[i] = (int)(w < 20 ? 20 : w > 1000 ? 1000 : w);
    }
}

/* ---- seekers and vacancies from the database ---- */

/* Strings are copied to the arena: the seeker outlives the JSON it was built from. */
static void add_code(arena *a, const char **arr, int *n, const char *code) {
    if (!code || *n >= MATCH_MAX_CODES) return;
    for (int i = 0; i < *n; i++)
        if (strcmp(arr[i], code) == 0) return;
    arr[(*n)++] = arena_strdup(a, code);
}

static int months_between(const char *start, const char *end) {
    int64_t a, b;
    if (!start || !date_parse(start, &a)) return 0;
    if (!end || !date_parse(end, &b)) b = date_today();
    return b > a ? (int)((b - a) / 30) : 0;
}

op_code match_crosswalk(ctx *c, const char *code, const char **rel, int *relw, int *nrel, int max) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT b.to_code, CASE WHEN a.weight < b.weight THEN a.weight ELSE b.weight END"
                                   " FROM occupation_crosswalk a"
                                   " JOIN occupation_crosswalk b ON b.from_scheme = a.from_scheme"
                                   " AND b.from_version = a.from_version AND b.from_code = a.from_code"
                                   " WHERE a.to_scheme = 'ISCO-08' AND a.to_code = ? AND b.to_scheme = 'ISCO-08'"
                                   " AND b.to_code <> a.to_code ORDER BY 2 DESC, 1 LIMIT 8",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, code);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && *nrel < max) {
        rel[*nrel] = arena_strdup(c->a, store_col_text(st, 0));
        relw[(*nrel)++] = (int)store_col_int(st, 1);
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

void match_seeker_qualifications(arena *a, struct match_seeker *s, const json_t *qualifications) {
    size_t i;
    json_t *it;
    json_array_foreach(qualifications, i, it) {
        const char *name = json_string_value(json_object_get(it, "name"));
        char *norm = name ? jobs_norm(a, name) : NULL;
        if (norm && strlen(norm) >= 2 && s->nquals < MATCH_MAX_CODES) s->quals[s->nquals++] = norm;
    }
}

op_code match_seeker_from(ctx *c, const char *region, const char *edu_level, const char *major, const json_t *skills,
                          const json_t *work_history, const json_t *preferences, bool crosswalk, struct match_seeker *s) {
    memset(s, 0, sizeof *s);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(preferences, "occupations"), i, it) add_code(c->a, s->occ, &s->nocc, json_string_value(it));
    json_array_foreach(work_history, i, it) {
        const char *o = json_string_value(json_object_get(it, "occupation"));
        add_code(c->a, s->occ, &s->nocc, o);
        if (s->nwork < MATCH_MAX_CODES) {
            s->work[s->nwork].occ = o ? arena_strdup(c->a, o) : NULL;
            s->work[s->nwork++].months = months_between(json_string_value(json_object_get(it, "start_date")),
                                                         json_string_value(json_object_get(it, "end_date")));
        }
    }
    json_array_foreach(skills, i, it) if (json_is_string(it) && s->nskills < MATCH_MAX_SKILLS) s->skills[s->nskills++] =
        jobs_norm(c->a, json_string_value(it));
    s->edu_rank = match_person_edu_rank(edu_level);
    s->major = major ? jobs_norm(c->a, major) : NULL;
    json_array_foreach(json_object_get(preferences, "regions"), i, it) add_code(c->a, s->regions, &s->nregions, json_string_value(it));
    if (!s->nregions && region) add_code(c->a, s->regions, &s->nregions, region);
    json_t *sm = json_object_get(preferences, "salary_min");
    const char *sp = json_string_value(json_object_get(preferences, "salary_period"));
    if (json_is_integer(sm) && sp) s->salary_month_min = jobs_to_monthly(json_integer_value(sm), sp, 0);
    json_t *h = json_object_get(preferences, "hours_per_week_max");
    if (json_is_integer(h)) s->hours_max = (int)json_integer_value(h);
    /* Crosswalks: ISCO codes linked to the seeker's through a national scheme (N:M, weighted). */
    for (int k = 0; crosswalk && k < s->nocc && s->nrel < MATCH_MAX_CODES; k++) {
        op_code rc = match_crosswalk(c, s->occ[k], s->rel, s->relw, &s->nrel, MATCH_MAX_CODES);
        if (rc) return rc;
    }
    return OP_OK;
}
