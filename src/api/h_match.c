/* h_match.c - recommendation routes: vacancies for a job seeker, candidates for a vacancy
 * (docs/MATCHING.md). */
#include "api/api.h"
#include "match/match.h"

static op_code reply(http_res *rs, op_code rc, json_t *v) { return rc ? rc : http_json(rs, 200, v); }

static op_code person_recs(http_req *rq, http_res *rs) {
    int64_t limit;
    if (http_query_int(rq, "limit", 1, 50, 10, &limit)) return rq->c->err.code;
    json_t *out = NULL;
    op_code rc = match_recommend_vacancies(rq->c, http_param(rq, 0), (int)limit, &out);
    return reply(rs, rc, out);
}

static op_code my_recs(http_req *rq, http_res *rs) {
    int64_t limit;
    if (http_query_int(rq, "limit", 1, 50, 10, &limit)) return rq->c->err.code;
    if (!rq->c->who.person_id[0])
        return op_fail(&rq->c->err, OP_NOT_FOUND, "create your record first (POST /api/v1/me)", "you have no person record yet");
    json_t *out = NULL;
    op_code rc = match_recommend_vacancies(rq->c, rq->c->who.person_id, (int)limit, &out);
    return reply(rs, rc, out);
}

static op_code candidates(http_req *rq, http_res *rs) {
    int64_t limit;
    if (http_query_int(rq, "limit", 1, 50, 10, &limit)) return rq->c->err.code;
    json_t *out = NULL;
    op_code rc = match_recommend_candidates(rq->c, http_param(rq, 0), (int)limit, &out);
    return reply(rs, rc, out);
}

struct route match_routes[] = {
    {"GET", "/api/v1/persons/{id}/recommendations", person_recs, R_STAFF, 0, NULL, 0,
     "vacancies recommended for a job seeker, each with a score and the why", "match", NULL},
    {"GET", "/api/v1/me/recommendations", my_recs, R_CITIZEN, 0, NULL, 0, "vacancies recommended for me, with the why",
     "match", NULL},
    {"GET", "/api/v1/vacancies/{id}/candidates", candidates, R_EMPLOYER | R_STAFF, 0, NULL, 0,
     "job seekers who agreed to be found, ranked for a vacancy (allowed fields only)", "match", NULL},
    ROUTE_END,
};
