/* vacancy_int.h - shared between vacancy.c, lifecycle.c, vetting.c, search.c and seed.c. */
#ifndef OPENPES_JOBS_VACANCY_INT_H
#define OPENPES_JOBS_VACANCY_INT_H
#include "jobs/jobs.h"

extern const char *const jobs_contracts[];
extern const char *const jobs_periods[];
extern const char *const jobs_educations[];
extern const char *const jobs_sizes[];
int jobs_education_rank(const char *e); /* -1 when unknown */
bool jobs_region_valid(const char *r);
/* Salary amount in `period` as a monthly amount (209 paid hours a month at 40 h/week). */
int64_t jobs_to_monthly(int64_t amount, const char *period, int64_t hours_per_week);
/* Normalised title without spaces or ASCII punctuation: the duplicate key. */
char *jobs_title_key(arena *a, const char *title);

/* A validated vacancy (pointers into the JSON it came from). */
struct vac {
    const char *employer_id, *title, *description, *occupation, *region, *address, *salary_period, *contract,
        *education, *closing_date, *source, *source_ref, *preferred_sex, *marital_status, *appearance;
    int64_t salary_min, salary_max, hours_per_week, days_per_week, openings, experience_years, age_min, age_max;
    bool has_salary_min, has_salary_max, has_hours, has_days, has_age_min, has_age_max;
    json_t *skills, *languages, *contact;
};
/* Validate the API shape (the whole vacancy, not a patch). */
op_code jobs_vac_validate(ctx *c, const json_t *in, struct vac *v);
/* Insert (id_out, num_out) or rewrite an existing row from v with status/reasons. */
op_code jobs_vac_write(ctx *c, const struct vac *v, const char *id, int64_t *num, const char *status,
                       const char *reasons_json, const char *employer_size);
/* Run every automatic check (exclude_id: the vacancy itself when re-vetting an edit). */
void jobs_vet_run(ctx *c, const struct vac *v, const char *exclude_id, bool employer_verified, struct jobs_vet *out);
/* Row of VAC_COLS (FROM vacancies v JOIN employers e) as JSON; full = with vetting detail. */
#define VAC_COLS                                                                                                \
    "v.id, v.num, v.employer_id, v.status, v.reasons, v.title, v.description, v.occupation, v.region, v.address," \
    " v.salary_min, v.salary_max, v.salary_period, v.hours_per_week, v.days_per_week, v.contract, v.openings,"    \
    " v.filled, v.education, v.experience_years, v.skills, v.languages, v.closing_date, v.contact,"               \
    " v.restrictions, v.employer_size, v.source, v.source_ref, v.created_at, v.updated_at, v.published_at,"        \
    " v.closed_at, v.closed_reason, v.version, e.name, e.name_ko, e.verified"
json_t *jobs_vac_json(ctx *c, store_stmt *st, bool full);
/* Change log row (feed) + outbox event. */
op_code jobs_vac_changed(ctx *c, const char *id, const char *kind);
op_code jobs_vetting_log(ctx *c, const char *id, const char *outcome, const char *reasons_json, const char *note);

#endif
