/* jobs.h - the job market core (WorkNet): occupation taxonomy, employers, vacancies with vetting,
 * lifecycle, search in Korean and English, and the partner feed.  Design notes: docs/JOBS.md.
 *
 * Every function takes the request/job context; writes open a transaction with store_begin (which
 * joins the dispatcher's when there is one) and emit outbox events in it:
 * vacancy.published, vacancy.changed, vacancy.closed (subject = vacancy id). */
#ifndef OPENPES_JOBS_H
#define OPENPES_JOBS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ctx.h"

/* ---- text (text.c) ---- */
/* Normalised text for matching: ASCII letters lower-cased, runs of white space (incl. U+3000)
 * collapsed to one space, trimmed.  Arena-owned. */
char *jobs_norm(arena *a, const char *s);
size_t jobs_utf8_len(const char *s); /* code points */

/* ---- taxonomy (taxonomy.c, isco_all.c) ---- */
struct jobs_isco_row {
    const char *code;
    int level;
    const char *parent;
    const char *title_en;
};
extern const struct jobs_isco_row jobs_isco_rows[]; /* sorted by code */
extern const unsigned jobs_isco_rows_count;
#define JOBS_ISCO_SCHEME "ISCO-08"
#define JOBS_ISCO_VERSION "2008"

/* An ISCO-08 group at any level ("2", "25", "251", "2512"); NULL when unknown. */
const struct jobs_isco_row *jobs_isco_find(const char *code);
/* True when `code` is `ancestor` or below it in the ISCO tree. */
bool jobs_isco_in_subtree(const char *code, const char *ancestor);
/* Dialect-specific objects (search index) and the ISCO-08 rows in `occupations`: created once per
 * database, on first use.  Safe with concurrent processes. */
op_code jobs_ensure(ctx *c);
/* GET /occupations: items [{scheme, version, code, level, parent, title_en, title_ko}]. */
op_code jobs_occupations(ctx *c, const char *q, const char *scheme, int level, int limit, json_t **out);
/* `openpes import taxonomy FILE`: a scheme CSV or a crosswalk CSV (format in docs/JOBS.md).
 * Writes a line per rejected row to report; *ok / *bad count rows. */
op_code jobs_import_taxonomy(ctx *c, const char *path, FILE *report, long *ok, long *bad);

/* ---- employers (employer.c) ---- */
bool jobs_brn_valid(const char *brn); /* Korean business registration number, "123-45-67890" or 10 digits */
op_code jobs_employer_create(ctx *c, const json_t *in, json_t **out);
op_code jobs_employer_get(ctx *c, const char *id, json_t **out);
op_code jobs_employer_verify(ctx *c, const char *id, json_t **out);
/* Employer accounts may act for their own employer only; staff for any. */
op_code jobs_employer_access(ctx *c, const char *employer_id);

/* ---- vacancies (vacancy.c) ---- */
#define JOBS_DESC_MAX 20000 /* bytes */
op_code jobs_vacancy_create(ctx *c, const json_t *in, json_t **out);
op_code jobs_vacancy_patch(ctx *c, const char *id, const json_t *in, json_t **out);
/* Published vacancies are public; other states only for their employer and staff. */
op_code jobs_vacancy_get(ctx *c, const char *id, json_t **out);
op_code jobs_employer_vacancies(ctx *c, const char *employer_id, const char *status, int limit, int offset,
                                json_t **out);
op_code jobs_vacancy_close(ctx *c, const char *id, const char *reason);
/* Applications module: one more opening filled; closes the vacancy when all are. */
op_code vacancy_record_hire(ctx *c, const char *vacancy_id);
/* Employment-insurance module: an employment registration shows `employer_id` hired someone into
 * `occupation` (ISCO unit group, may be NULL) - or for `vacancy_id` when known (may be NULL).
 * Records a hire on that vacancy, or on the employer's oldest open vacancy of that occupation;
 * *matched says whether one was found. */
op_code jobs_employment_registered(ctx *c, const char *employer_id, const char *vacancy_id,
                                   const char *occupation, bool *matched);
/* Close every published vacancy whose closing date is before today; returns the number closed
 * (or -1 with c->err set).  Called by the worker loop / a periodic job. */
int jobs_close_expired(ctx *c);
/* Search index maintenance (search.c). */
op_code jobs_index_put(ctx *c, int64_t num, const char *title, const char *description);
op_code jobs_index_drop(ctx *c, int64_t num);
/* Internal: state change with change-log row and event. */
op_code jobs_vacancy_transition(ctx *c, const char *id, int64_t num, const char *from, const char *to,
                                const char *reason);

/* ---- vetting (vetting.c) ---- */
struct jobs_reason {
    const char *code;   /* stable: "discrimination.age", "pay.below_minimum_wage" ... */
    const char *action; /* "reject" | "hold" */
    const char *detail;
};
#define JOBS_MAX_REASONS 16
struct jobs_vet {
    struct jobs_reason r[JOBS_MAX_REASONS];
    int n;
};
/* The applicable status: "rejected", "held" or "published". */
const char *jobs_vet_outcome(const struct jobs_vet *v);
json_t *jobs_vet_json(const struct jobs_vet *v);
/* Text checks, exposed for tests: the reason code or NULL. */
const char *jobs_vet_text_discrimination(const char *text, char *detail, size_t n);
bool jobs_vet_text_contact(const char *text, char *detail, size_t n);
/* Minimum wage in force on `date` (days) for `country`, per `period` ("hour"|"month"|"year"), read
 * from the policy pack; false when no pack or value covers it (the check is then skipped). */
bool jobs_min_wage(const char *country, int64_t date, const char *period, int64_t *out);
op_code jobs_vetting_queue(ctx *c, int limit, int offset, json_t **out);
/* Counsellor decision: decision "approve" | "reject", reason code and note. */
op_code jobs_vetting_decide(ctx *c, const char *id, const char *decision, const char *reason, const char *note,
                            json_t **out);

/* ---- search (search.c) ---- */
struct jobs_query {
    const char *q, *occupation, *region, *salary_period, *contract, *education, *employer_size, *posted_since;
    int64_t salary_min; /* -1 = none */
    int hours_max;      /* 0 = none */
    const char *sort;   /* relevance | date | salary */
    int page, page_size;
};
op_code jobs_search(ctx *c, const struct jobs_query *q, json_t **out);
op_code jobs_suggest(ctx *c, const char *q, json_t **out);
/* Partner feed: changes after cursor (0 = use since), up to limit. */
op_code jobs_stream(ctx *c, const char *since, const char *cursor, int limit, json_t **out);
/* The raw index only (benchmarks): number of rows matching text q. */
op_code jobs_search_raw(ctx *c, const char *q, int64_t *count);

/* ---- synthetic data (seed.c) ---- */
/* n published vacancies (and employers for them), deterministic for a given seed. */
op_code vacancy_seed(ctx *c, long n, unsigned seed);

/* ---- bulk intake ---- */
op_code jobs_import_vacancies(ctx *c, const char *path, FILE *report, long *ok, long *bad);


/* ---- applications (application.c; docs/JOBS.md "Applications") ---- */
bool jobs_application_transition_ok(const char *from, const char *to);
/* Citizen applies to a published, open vacancy ({note?}); one application per vacancy. */
op_code jobs_apply(ctx *c, const char *vacancy_id, const json_t *in, json_t **out);
op_code jobs_application_get(ctx *c, const char *id, json_t **out);
/* to: viewed|interview|offer|hired|rejected (employer, staff) or withdrawn (the applicant). */
op_code jobs_application_move(ctx *c, const char *id, const char *to, const char *note, json_t **out);
op_code jobs_my_applications(ctx *c, json_t **out);
/* The vacancy's applicants with the applicant data the access path allows (each read audited). */
op_code jobs_vacancy_applications(ctx *c, const char *vacancy_id, const char *status, int limit, int offset,
                                  json_t **out);

/* ---- findable by employers (visibility.c) ---- */
op_code jobs_visibility_get(ctx *c, json_t **out);
op_code jobs_visibility_set(ctx *c, const json_t *in, json_t **out);

/* ---- the index of findable job seekers by occupation group (seeker_index.c) ---- */
/* Recompute one person's entries (in the caller's transaction). */
op_code jobs_seeker_index(ctx *c, const char *person_id);
/* person.updated handler: re-index a person who has a visibility setting. */
op_code jobs_on_person_updated(ctx *c, long long id, const char *type, const char *subject, json_t *payload);
/* Rebuild for everyone with a visibility setting; *count = people indexed. */
op_code jobs_seeker_reindex(ctx *c, long *count);

#endif
