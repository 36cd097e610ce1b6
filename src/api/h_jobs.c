/* h_jobs.c - job market routes: occupations, employers, vacancies, vetting, search, feed. */
#include <string.h>

#include "api/api.h"
#include "base/jsonx.h"
#include "jobs/jobs.h"

#define VACANCY_BODY_MAX (64 * 1024)
#define STAFF_VET (ROLE_COUNSELLOR | ROLE_SUPERVISOR | ROLE_ADMIN)

static op_code reply(http_res *rs, int status, op_code rc, json_t *v) { return rc ? rc : http_json(rs, status, v); }

/* GET /api/v1/occupations?q=&scheme=&level=&limit= */
static op_code occupations(http_req *rq, http_res *rs) {
    int64_t level, limit;
    if (http_query_int(rq, "level", 1, 9, 0, &level) || http_query_int(rq, "limit", 1, 200, 20, &limit))
        return rq->c->err.code;
    const char *scheme = http_query(rq, "scheme");
    if (scheme && (!*scheme || strlen(scheme) > 32))
        return op_fail_field(&rq->c->err, OP_BAD_QUERY, "scheme", "e.g. ISCO-08", "scheme is not valid");
    json_t *out = NULL;
    op_code rc = jobs_occupations(rq->c, http_query(rq, "q"), scheme, (int)level, (int)limit, &out);
    return reply(rs, 200, rc, out);
}

static op_code employer_create(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_employer_create(rq->c, rq->body, &out);
    return reply(rs, 201, rc, out);
}

static op_code employer_get(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_employer_get(rq->c, http_param(rq, 0), &out);
    return reply(rs, 200, rc, out);
}

static op_code employer_verify(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_employer_verify(rq->c, http_param(rq, 0), &out);
    return reply(rs, 200, rc, out);
}

static op_code employer_vacancies(http_req *rq, http_res *rs) {
    int64_t limit, offset;
    if (http_query_int(rq, "limit", 1, 200, 50, &limit) || http_query_int(rq, "offset", 0, 100000, 0, &offset))
        return rq->c->err.code;
    const char *status = http_query(rq, "status");
    static const char *const st[] = {"submitted", "held", "rejected", "published", "closed", NULL};
    if (status && !jx_in(status, st))
        return op_fail_field(&rq->c->err, OP_BAD_QUERY, "status", "held, rejected, published or closed", "unknown status");
    const char *id = http_param(rq, 0);
    if (!id_is_uuid(id)) return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "employer %s does not exist", id);
    json_t *out = NULL;
    op_code rc = jobs_employer_vacancies(rq->c, id, status, (int)limit, (int)offset, &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_create(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_vacancy_create(rq->c, rq->body, &out);
    return reply(rs, 201, rc, out);
}

static op_code vacancy_get(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_vacancy_get(rq->c, http_param(rq, 0), &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_patch(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_vacancy_patch(rq->c, http_param(rq, 0), rq->body, &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_close(http_req *rq, http_res *rs) {
    op_code rc = jobs_vacancy_close(rq->c, http_param(rq, 0), "withdrawn");
    json_t *out = NULL;
    if (!rc) rc = jobs_vacancy_get(rq->c, http_param(rq, 0), &out);
    return reply(rs, 200, rc, out);
}

/* GET /api/v1/vacancies?q=&occupation=&region=&salary_min=&salary_period=&hours_max=&contract=
 *   &education=&employer_size=&posted_since=&sort=&page=&page_size= */
static op_code vacancy_search(http_req *rq, http_res *rs) {
    int64_t smin, hmax, page, size;
    if (http_query_int(rq, "salary_min", 0, 10000000000LL, -1, &smin) ||
        http_query_int(rq, "hours_max", 1, 80, 0, &hmax) || http_query_int(rq, "page", 1, 100000, 1, &page) ||
        http_query_int(rq, "page_size", 1, 100, 20, &size))
        return rq->c->err.code;
    struct jobs_query q = {
        .q = http_query(rq, "q"), .occupation = http_query(rq, "occupation"), .region = http_query(rq, "region"),
        .salary_period = http_query(rq, "salary_period"), .contract = http_query(rq, "contract"),
        .education = http_query(rq, "education"), .employer_size = http_query(rq, "employer_size"),
        .posted_since = http_query(rq, "posted_since"), .sort = http_query(rq, "sort"), .salary_min = smin,
        .hours_max = (int)hmax, .page = (int)page, .page_size = (int)size};
    /* Empty parameters mean "no filter". */
    const char **opt[] = {&q.q, &q.occupation, &q.region, &q.salary_period, &q.contract, &q.education,
                          &q.employer_size, &q.posted_since, &q.sort};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (*opt[i] && !**opt[i]) *opt[i] = NULL;
    json_t *out = NULL;
    op_code rc = jobs_search(rq->c, &q, &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_suggest(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_suggest(rq->c, http_query(rq, "q"), &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_stream(http_req *rq, http_res *rs) {
    int64_t limit;
    if (http_query_int(rq, "limit", 1, 1000, 100, &limit)) return rq->c->err.code;
    json_t *out = NULL;
    op_code rc = jobs_stream(rq->c, http_query(rq, "since"), http_query(rq, "cursor"), (int)limit, &out);
    return reply(rs, 200, rc, out);
}

static op_code vetting_queue(http_req *rq, http_res *rs) {
    int64_t limit, offset;
    if (http_query_int(rq, "limit", 1, 200, 50, &limit) || http_query_int(rq, "offset", 0, 100000, 0, &offset))
        return rq->c->err.code;
    json_t *out = NULL;
    op_code rc = jobs_vetting_queue(rq->c, (int)limit, (int)offset, &out);
    return reply(rs, 200, rc, out);
}

/* POST /api/v1/vacancies/{id}/vetting {"decision":"approve"|"reject","reason":"...","note":"..."} */
static op_code vetting_decide(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"decision", "reason", "note", NULL};
    static const char *const decisions[] = {"approve", "reject", NULL};
    static const char *const reasons[] = {"required.missing", "pay.below_minimum_wage", "discrimination.age",
                                          "discrimination.sex", "discrimination.marital_status",
                                          "discrimination.appearance", "contact.in_description",
                                          "duplicate.open_vacancy", "employer.unverified", "counsellor.rejected",
                                          "counsellor.misleading", "counsellor.illegal_work", NULL};
    op_err *e = &rq->c->err;
    const char *decision, *reason, *note;
    if (jx_only(rq->body, fields, "", e) || jx_enum(rq->body, "decision", true, decisions, &decision, e) ||
        jx_enum(rq->body, "reason", false, reasons, &reason, e) || jx_str(rq->body, "note", false, 2000, &note, e))
        return e->code;
    if (strcmp(decision, "reject") == 0 && !reason)
        return op_fail_field(e, OP_VALIDATION, "reason", "a reason code, e.g. discrimination.age", "a rejection needs a reason");
    json_t *out = NULL;
    op_code rc = jobs_vetting_decide(rq->c, http_param(rq, 0), decision, reason, note, &out);
    return reply(rs, 200, rc, out);
}

/* ---- applications ---- */

static op_code apply(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_apply(rq->c, http_param(rq, 0), rq->body, &out);
    return reply(rs, 201, rc, out);
}

static op_code application_get(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_application_get(rq->c, http_param(rq, 0), &out);
    return reply(rs, 200, rc, out);
}

/* POST /api/v1/applications/{id}/status {"status": "...", "note"?} */
static op_code application_move(http_req *rq, http_res *rs) {
    static const char *const fields[] = {"status", "note", NULL};
    op_err *e = &rq->c->err;
    const char *to, *note;
    if (jx_only(rq->body, fields, "", e) || jx_str(rq->body, "status", true, 20, &to, e) ||
        jx_str(rq->body, "note", false, 2000, &note, e))
        return e->code;
    json_t *out = NULL;
    op_code rc = jobs_application_move(rq->c, http_param(rq, 0), to, note, &out);
    return reply(rs, 200, rc, out);
}

static op_code my_applications(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_my_applications(rq->c, &out);
    return reply(rs, 200, rc, out);
}

static op_code vacancy_applications(http_req *rq, http_res *rs) {
    int64_t limit, offset;
    if (http_query_int(rq, "limit", 1, 200, 50, &limit) || http_query_int(rq, "offset", 0, 100000, 0, &offset))
        return rq->c->err.code;
    const char *status = http_query(rq, "status");
    json_t *out = NULL;
    op_code rc = jobs_vacancy_applications(rq->c, http_param(rq, 0), status && *status ? status : NULL, (int)limit,
                                           (int)offset, &out);
    return reply(rs, 200, rc, out);
}

static op_code visibility_get(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_visibility_get(rq->c, &out);
    return reply(rs, 200, rc, out);
}

static op_code visibility_set(http_req *rq, http_res *rs) {
    json_t *out = NULL;
    op_code rc = jobs_visibility_set(rq->c, rq->body, &out);
    return reply(rs, 200, rc, out);
}

struct route jobs_routes[] = {
    {"GET", "/api/v1/occupations", occupations, R_PUBLIC, 0, NULL, 0,
     "occupation picker: ISCO-08 and national schemes, by code or English/Korean title", "jobs", NULL},
    {"POST", "/api/v1/employers", employer_create, R_EMPLOYER | R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, 0, NULL, 0,
     "register an employer (employer accounts: their own)", "jobs", NULL},
    {"GET", "/api/v1/employers/{id}", employer_get, R_EMPLOYER | R_STAFF, 0, NULL, 0, "an employer record", "jobs", NULL},
    {"POST", "/api/v1/employers/{id}/verification", employer_verify, R_STAFF | R_WRITE, STAFF_VET, NULL, 0,
     "mark an employer's registration as verified", "jobs", NULL},
    {"GET", "/api/v1/employers/{id}/vacancies", employer_vacancies, R_EMPLOYER | R_STAFF, 0, NULL, 0,
     "an employer's vacancies in every state, with vetting reasons", "jobs", NULL},
    {"GET", "/api/v1/vacancies/suggest", vacancy_suggest, R_PUBLIC, 0, NULL, 0, "typeahead: vacancy titles and occupations",
     "jobs", NULL},
    {"GET", "/api/v1/vacancies/stream", vacancy_stream, R_STAFF | R_PARTNER, 0, "vacancies.read", 0,
     "partner feed: published, changed and closed vacancies since a time or cursor", "jobs", NULL},
    {"GET", "/api/v1/vacancies", vacancy_search, R_PUBLIC, 0, NULL, 0,
     "search published vacancies (Korean and English text, filters)", "jobs", NULL},
    {"POST", "/api/v1/vacancies", vacancy_create, R_EMPLOYER | R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, 0, NULL,
     VACANCY_BODY_MAX, "post a vacancy (vetted before publication)", "jobs", NULL},
    {"GET", "/api/v1/vacancies/{id}", vacancy_get, R_PUBLIC, 0, NULL, 0, "one vacancy", "jobs", NULL},
    {"PATCH", "/api/v1/vacancies/{id}", vacancy_patch, R_EMPLOYER | R_STAFF | R_WRITE | R_BODY_JSON, 0, NULL,
     VACANCY_BODY_MAX, "change a vacancy (vetted again)", "jobs", NULL},
    {"POST", "/api/v1/vacancies/{id}/close", vacancy_close, R_EMPLOYER | R_STAFF | R_WRITE, 0, NULL, 0,
     "withdraw a vacancy", "jobs", NULL},
    {"GET", "/api/v1/vetting/queue", vetting_queue, R_STAFF, STAFF_VET, NULL, 0, "vacancies held for review", "jobs", NULL},
    {"POST", "/api/v1/vacancies/{id}/vetting", vetting_decide, R_STAFF | R_WRITE | R_BODY_JSON, STAFF_VET, NULL, 0,
     "approve or reject a held vacancy", "jobs", NULL},
    {"POST", "/api/v1/vacancies/{id}/applications", apply, R_CITIZEN | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, 0, NULL, 0,
     "apply to a vacancy (counts as a job-search activity)", "jobs", NULL},
    {"GET", "/api/v1/vacancies/{id}/applications", vacancy_applications, R_EMPLOYER | R_STAFF, 0, NULL, 0,
     "a vacancy's applicants (employer: own vacancies; applicant data through the access path)", "jobs", NULL},
    {"GET", "/api/v1/applications/{id}", application_get, R_ANY_USER, 0, NULL, 0, "one application", "jobs", NULL},
    {"POST", "/api/v1/applications/{id}/status", application_move, R_ANY_USER | R_WRITE | R_BODY_JSON, 0, NULL, 0,
     "move an application: viewed, interview, offer, hired, rejected (employer) or withdrawn (applicant)", "jobs", NULL},
    {"GET", "/api/v1/me/applications", my_applications, R_CITIZEN, 0, NULL, 0, "my applications", "jobs", NULL},
    {"GET", "/api/v1/me/visibility", visibility_get, R_CITIZEN, 0, NULL, 0,
     "whether employers may find me in candidate lists, and what they see", "jobs", NULL},
    {"PUT", "/api/v1/me/visibility", visibility_set, R_CITIZEN | R_WRITE | R_BODY_JSON, 0, NULL, 0,
     "allow or stop being found by employers {findable, fields[]}", "jobs", NULL},
    ROUTE_END,
};
