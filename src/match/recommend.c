/* recommend.c - recommendations both ways and the weight fit over application outcomes.
 *
 * Vacancies for a seeker: candidates are the open vacancies in the ISCO sub-major groups of the
 * occupations sought and worked in (and crosswalk-linked ones), newest MATCH_POOL per group,
 * plus the newest in the regions sought; each is scored in memory and the best `limit` returned.
 * Seekers for a vacancy: the newest MATCH_POOL people who agreed to be found by employers
 * (jobseeker_visibility), scored the same way; the access path decides per person (resource
 * "candidate") and only the allowed field groups are shown; every person returned is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person_int.h"
#include "jobs/vacancy_int.h"
#include "match/match.h"
#include "privacy/access.h"

#define MATCH_POOL 400
#define MAX_POOL 2400

struct scored {
    int score;
    int64_t num;
    int idx;
};
static int by_score(const void *x, const void *y) {
    const struct scored *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return a->num > b->num ? -1 : a->num < b->num;
}

/* Candidates: score, then person id (the ids of the current request, one thread per context). */
static _Thread_local const char **cand_ids;
static int by_score_id(const void *x, const void *y) {
    const struct scored *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return strcmp(cand_ids[a->idx], cand_ids[b->idx]);
}

static json_t *explain(const struct match_weights *w, const double f[MATCH_NF], const char *why[MATCH_NF]) {
    json_t *arr = json_array();
    for (int i = 0; i < MATCH_NF; i++)
        json_array_append_new(arr, json_pack("{s:s, s:f, s:i, s:s}", "factor", match_factor_names[i], "value",
                                             (double)((int)(f[i] * 100 + 0.5)) / 100.0, "weight", w->w[i], "reason", why[i]));
    return arr;
}

static json_t *weights_json(const struct match_weights *w) {
    json_t *o = json_object();
    for (int i = 0; i < MATCH_NF; i++) json_object_set_new(o, match_factor_names[i], json_integer(w->w[i]));
    return o;
}

static void vac_skills(ctx *c, const char *text, struct match_vacancy *v) {
    json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *it;
    v->nskills = 0;
    json_array_foreach(arr, i, it) if (json_is_string(it) && v->nskills < MATCH_MAX_SKILLS) v->skills[v->nskills++] =
        jobs_norm(c->a, json_string_value(it));
    json_decref(arr);
}

#define MV_COLS                                                                                                 \
    "v.num, v.id, v.title, v.title_norm, v.occupation, v.region, v.salary_month_max, v.hours_per_week,"          \
    " v.education_rank, v.experience_years, v.skills"
static void mv_row(ctx *c, store_stmt *st, struct match_vacancy *v) {
    v->num = store_col_int(st, 0);
    v->id = arena_strdup(c->a, store_col_text(st, 1));
    v->title = arena_strdup(c->a, store_col_text(st, 2));
    v->title_norm = arena_strdup(c->a, store_col_text(st, 3));
    v->occupation = arena_strdup(c->a, store_col_text(st, 4));
    v->region = arena_strdup(c->a, store_col_text(st, 5));
    v->salary_month_max = store_col_null(st, 6) ? 0 : store_col_int(st, 6);
    v->hours = (int)store_col_int(st, 7);
    v->edu_rank = (int)store_col_int(st, 8);
    v->exp_years = (int)store_col_int(st, 9);
    vac_skills(c, store_col_text(st, 10), v);
}

/* Append the open vacancies of one candidate query (col = value) to the pool, without repeats. */
static op_code pool_add(ctx *c, const char *col, const char *val, struct match_vacancy *pool, int *n) {
    char today[11], sql[600];
    date_format(date_today(), today);
    snprintf(sql, sizeof sql,
             "SELECT " MV_COLS " FROM vacancies v WHERE v.status = 'published' AND v.%s = ?"
             " AND (v.closing_date IS NULL OR v.closing_date >= ?) ORDER BY v.num DESC LIMIT %d",
             col, MATCH_POOL);
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, val);
    store_bind_text(st, 2, today);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && *n < MAX_POOL) {
        int64_t num = store_col_int(st, 0);
        bool dup = false;
        for (int i = 0; i < *n && !dup; i++) dup = pool[i].num == num;
        if (!dup) mv_row(c, st, &pool[(*n)++]);
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

static op_code seeker_of(ctx *c, const char *person_id, unsigned fields, struct match_seeker *s) {
    struct pdata p;
    op_code rc = pr_load(c, person_id, &p);
    if (rc) return rc;
    rc = match_seeker_from(c, (fields & F_ADDRESS) ? p.region_code : NULL,
                           (fields & F_EDUCATION) ? p.education_level : NULL,
                           (fields & F_EDUCATION) ? p.education_major : NULL, (fields & F_SKILLS) ? p.skills : NULL,
                           (fields & F_WORK_HISTORY) ? p.work_history : NULL,
                           (fields & F_PREFERENCES) ? p.preferences : NULL, true, s);
    if (!rc && (fields & F_QUALIFICATIONS)) match_seeker_qualifications(c->a, s, p.qualifications);
    return rc;
}

/* Rank the pool for a seeker: fills order[] (best first), returns the pool size. */
static int match_rank_pool(ctx *c, const struct match_seeker *s, const struct match_weights *w, struct match_vacancy *pool, int n,
                    struct scored *order) {
    for (int i = 0; i < n; i++) {
        double f[MATCH_NF];
        match_factors(c->a, s, &pool[i], f, NULL);
        order[i] = (struct scored){match_score(w, f), pool[i].num, i};
    }
    qsort(order, (size_t)n, sizeof *order, by_score);
    return n;
}

static op_code match_seeker_pool(ctx *c, const struct match_seeker *s, struct match_vacancy *pool, int *n) {
    op_code rc = OP_OK;
    *n = 0;
    const char *groups[2 * MATCH_MAX_CODES];
    int ng = 0;
    for (int i = 0; i < s->nocc; i++) {
        char *g = arena_strndup(c->a, s->occ[i], 2);
        bool dup = false;
        for (int k = 0; k < ng; k++) dup |= strcmp(groups[k], g) == 0;
        if (!dup && ng < 2 * MATCH_MAX_CODES) groups[ng++] = g;
    }
    for (int i = 0; i < s->nrel; i++) {
        char *g = arena_strndup(c->a, s->rel[i], 2);
        bool dup = false;
        for (int k = 0; k < ng; k++) dup |= strcmp(groups[k], g) == 0;
        if (!dup && ng < 2 * MATCH_MAX_CODES) groups[ng++] = g;
    }
    for (int i = 0; !rc && i < ng; i++) rc = pool_add(c, "occ2", groups[i], pool, n);
    for (int i = 0; !rc && i < s->nregions && i < 4; i++) rc = pool_add(c, "region", s->regions[i], pool, n);
    return rc;
}

op_code match_recommend_vacancies(ctx *c, const char *person_id, int limit, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    if (!person_id || !id_is_uuid(person_id))
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "person %s does not exist", person_id ? person_id : "");
    if (limit < 1 || limit > 50) return op_fail_field(&c->err, OP_BAD_QUERY, "limit", "1-50", "limit is out of range");
    access_decision d;
    if ((rc = access_person(c, PD_READ, "recommendations", person_id, person_id, &d))) return rc;
    struct match_seeker s;
    struct match_weights w;
    if ((rc = seeker_of(c, person_id, d.fields, &s)) || (rc = match_weights_load(c, &w))) return rc;
    struct match_vacancy *pool = arena_alloc(c->a, sizeof *pool * MAX_POOL);
    int n;
    if ((rc = match_seeker_pool(c, &s, pool, &n))) return rc;
    struct scored *order = arena_alloc(c->a, sizeof *order * (size_t)(n ? n : 1));
    match_rank_pool(c, &s, &w, pool, n, order);
    json_t *items = json_array();
    for (int i = 0; i < n && i < limit; i++) {
        struct match_vacancy *v = &pool[order[i].idx];
        double f[MATCH_NF];
        const char *why[MATCH_NF];
        match_factors(c->a, &s, v, f, why);
        json_array_append_new(items, json_pack("{s:{s:s, s:s, s:s, s:s}, s:i, s:o}", "vacancy", "id", v->id, "title",
                                               v->title, "occupation", v->occupation, "region", v->region, "score",
                                               order[i].score, "factors", explain(&w, f, why)));
    }
    *out = json_pack("{s:o, s:i, s:o}", "items", items, "considered", n, "weights", weights_json(&w));
    return OP_OK;
}

/* Candidate pool bounds (people scored per request). */
#define CAND_OWN_GROUP 1500
#define CAND_LINKED_GROUP 300
#define CAND_NO_GROUP 200
#define CAND_MAX 2000

/* One group's findable people, newest index entry first (a prepared statement to step through). */
static store_stmt *group_rows(ctx *c, const char *group, int limit) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT p.id, p.region_code, p.education_level, p.education_major, p.profile, j.fields"
                                   " FROM seeker_occ s JOIN jobseeker_visibility j ON j.person_id = s.person_id"
                                   " AND j.findable = 1 JOIN persons p ON p.id = s.person_id"
                                   " WHERE s.occ2 = ? ORDER BY s.updated_at DESC, s.person_id LIMIT ?",
                                   &c->err);
    if (!st) return NULL;
    store_bind_text(st, 1, group);
    store_bind_int(st, 2, limit);
    return st;
}

op_code match_recommend_candidates(ctx *c, const char *vacancy_id, int limit, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    if (limit < 1 || limit > 50) return op_fail_field(&c->err, OP_BAD_QUERY, "limit", "1-50", "limit is out of range");
    if (!vacancy_id || !id_is_uuid(vacancy_id))
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id ? vacancy_id : "");
    store_stmt *st = store_query(c->db, &c->err, "SELECT " MV_COLS ", v.employer_id FROM vacancies v WHERE v.id = ?", "s",
                                 vacancy_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id);
    struct match_vacancy v;
    mv_row(c, st, &v);
    char *emp = arena_strdup(c->a, store_col_text(st, 11));
    store_reset(st);
    if ((rc = jobs_employer_access(c, emp))) return rc;
    struct match_weights w;
    if ((rc = match_weights_load(c, &w))) return rc;
    const char *xrel[MATCH_MAX_CODES];
    int xw[MATCH_MAX_CODES], nx = 0;
    if ((rc = match_crosswalk(c, v.occupation, xrel, xw, &nx, MATCH_MAX_CODES))) return rc;
    /* The pool: people who agreed to be found, from the index of their occupation groups
     * (jobs/seeker_index.c): the vacancy's own sub-major group, the groups linked to it through
     * crosswalks, and people who show no occupation; newest first, bounded per group. */
    const char *grp[MATCH_MAX_CODES + 2];
    int per[MATCH_MAX_CODES + 2], ng = 0;
    grp[ng] = arena_strndup(c->a, v.occupation ? v.occupation : "", 2);
    per[ng++] = CAND_OWN_GROUP;
    for (int x = 0; x < nx; x++) {
        const char *g = arena_strndup(c->a, xrel[x], 2);
        bool dup = false;
        for (int k = 0; k < ng; k++) dup |= strcmp(grp[k], g) == 0;
        if (!dup && ng < MATCH_MAX_CODES + 1) grp[ng] = g, per[ng++] = CAND_LINKED_GROUP;
    }
    grp[ng] = "";
    per[ng++] = CAND_NO_GROUP;
    struct cand {
        const char *id;
        int score;
        unsigned fields;
    } *cs = arena_alloc(c->a, sizeof *cs * CAND_MAX);
    const char **seen = arena_alloc(c->a, sizeof *seen * 2 * CAND_MAX); /* open addressing on the id */
    int n = 0, r = STORE_DONE;
    for (int g = 0; !rc && g < ng && n < CAND_MAX; g++) {
        st = group_rows(c, grp[g], per[g]);
        if (!st) {
            rc = c->err.code;
            break;
        }
        while (n < CAND_MAX && (r = store_step(st, &c->err)) == STORE_ROW) {
            const char *pid = store_col_text(st, 0);
            size_t h = 0;
            for (const char *q = pid; *q; q++) h = h * 31 + (unsigned char)*q;
            size_t slot = h % (2 * CAND_MAX);
            bool dup = false;
            while (seen[slot] && !(dup = strcmp(seen[slot], pid) == 0)) slot = (slot + 1) % (2 * CAND_MAX);
            if (dup) continue;
            seen[slot] = arena_strdup(c->a, pid);
            unsigned fl = (unsigned)store_col_int(st, 5);
            json_t *prof = json_loads(store_col_text(st, 4) ? store_col_text(st, 4) : "{}", 0, NULL);
            jx_arena(c->a, prof);
            struct match_seeker s;
            /* Score only on what the person agreed to show. */
            if ((rc = match_seeker_from(c, (fl & F_ADDRESS) ? store_col_text(st, 1) : NULL,
                                        (fl & F_EDUCATION) ? store_col_text(st, 2) : NULL,
                                        (fl & F_EDUCATION) ? store_col_text(st, 3) : NULL,
                                        (fl & F_SKILLS) ? json_object_get(prof, "skills") : NULL,
                                        (fl & F_WORK_HISTORY) ? json_object_get(prof, "work_history") : NULL,
                                        (fl & F_PREFERENCES) ? json_object_get(prof, "preferences") : NULL, false, &s)))
                break;
            if (fl & F_QUALIFICATIONS) match_seeker_qualifications(c->a, &s, json_object_get(prof, "qualifications"));
            /* The crosswalk is symmetric: look it up once from the vacancy's side. */
            for (int k = 0; k < s.nocc; k++)
                for (int x = 0; x < nx; x++)
                    if (strcmp(s.occ[k], xrel[x]) == 0 && s.nrel < MATCH_MAX_CODES)
                        s.rel[s.nrel] = v.occupation, s.relw[s.nrel++] = xw[x];
            double f[MATCH_NF];
            match_factors(c->a, &s, &v, f, NULL);
            cs[n].id = seen[slot];
            cs[n].fields = fl;
            cs[n++].score = match_score(&w, f);
        }
        if (!rc && r == STORE_ERROR) rc = c->err.code;
        store_reset(st);
    }
    if (rc) return rc;
    /* best first; ties by person id, for a stable order */
    struct scored *order = arena_alloc(c->a, sizeof *order * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) order[i] = (struct scored){cs[i].score, 0, i};
    cand_ids = (const char **)arena_alloc(c->a, sizeof *cand_ids * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) cand_ids[i] = cs[i].id;
    qsort(order, (size_t)n, sizeof *order, by_score_id);
    json_t *items = json_array();
    for (int i = 0; i < n && (int)json_array_size(items) < limit; i++) {
        const char *pid = cs[order[i].idx].id;
        access_decision d;
        if ((rc = access_decide(c, PD_SEARCH, "candidate", pid, &d))) break;
        if (!d.allow) continue; /* not audited: not returned and not targeted */
        d.fields &= cs[order[i].idx].fields; /* whoever asks (staff too) sees only what the person chose */
        if ((rc = access_audit(c, PD_SEARCH, "candidate", vacancy_id, pid, &d))) break;
        struct pdata p;
        struct match_seeker s;
        if ((rc = pr_load(c, pid, &p)) || (rc = seeker_of(c, pid, d.fields, &s))) break;
        json_t *pj = pr_json(c, &p, d.fields);
        if (!pj) {
            rc = c->err.code ? c->err.code : OP_INTERNAL;
            break;
        }
        double f[MATCH_NF];
        const char *why[MATCH_NF];
        match_factors(c->a, &s, &v, f, why);
        json_array_append_new(items, json_pack("{s:o, s:i, s:o}", "person", pj, "score", match_score(&w, f), "factors",
                                               explain(&w, f, why)));
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:i, s:o}", "items", items, "considered", n, "weights", weights_json(&w));
    return OP_OK;
}

/* ---- learning ---- */

op_code match_fit(ctx *c, struct match_weights *out, long *used) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT a.person_id, a.status, a.interview_at, " MV_COLS
                                   " FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
                                   " ORDER BY a.applied_at DESC, a.id LIMIT 20000",
                                   &c->err);
    if (!st) return c->err.code;
    struct row {
        const char *person;
        bool pos;
        struct match_vacancy v;
    } *rows = NULL;
    long n = 0, cap = 0;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct row *nr = arena_alloc(c->a, sizeof *nr * (size_t)cap);
            if (n) memcpy(nr, rows, sizeof *nr * (size_t)n);
            rows = nr;
        }
        const char *stt = store_col_text(st, 1);
        rows[n].person = arena_strdup(c->a, store_col_text(st, 0));
        rows[n].pos = !store_col_null(st, 2) || strcmp(stt, "interview") == 0 || strcmp(stt, "offer") == 0 ||
                      strcmp(stt, "hired") == 0;
        /* mv_row reads columns from 0: shift by three with a view of the row */
        rows[n].v.num = store_col_int(st, 3);
        rows[n].v.id = arena_strdup(c->a, store_col_text(st, 4));
        rows[n].v.title = arena_strdup(c->a, store_col_text(st, 5));
        rows[n].v.title_norm = arena_strdup(c->a, store_col_text(st, 6));
        rows[n].v.occupation = arena_strdup(c->a, store_col_text(st, 7));
        rows[n].v.region = arena_strdup(c->a, store_col_text(st, 8));
        rows[n].v.salary_month_max = store_col_null(st, 9) ? 0 : store_col_int(st, 9);
        rows[n].v.hours = (int)store_col_int(st, 10);
        rows[n].v.edu_rank = (int)store_col_int(st, 11);
        rows[n].v.exp_years = (int)store_col_int(st, 12);
        vac_skills(c, store_col_text(st, 13), &rows[n].v);
        n++;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    double (*f)[MATCH_NF] = arena_alloc(c->a, sizeof *f * (size_t)(n ? n : 1));
    bool *pos = arena_alloc(c->a, sizeof *pos * (size_t)(n ? n : 1));
    long np = 0;
    for (long k = 0; k < n; k++) {
        struct match_seeker s;
        access_decision d;
        if ((rc = access_person(c, PD_READ, "match_fit", rows[k].person, rows[k].person, &d)) ||
            (rc = seeker_of(c, rows[k].person, d.fields, &s)))
            return rc;
        const char *why[MATCH_NF];
        match_factors(c->a, &s, &rows[k].v, f[k], why);
        pos[k] = rows[k].pos;
        np += pos[k];
    }
    *used = n;
    if (n < MATCH_FIT_MIN || np == 0) return match_weights_load(c, out);
    match_fit_from((const double (*)[MATCH_NF])f, pos, n, out);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if ((rc = store_begin(c->db, &c->err))) return rc;
    for (int i = 0; !rc && i < MATCH_NF; i++)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO match_weights (factor, weight, shown, positive, updated_at) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (factor) DO UPDATE SET weight = excluded.weight, shown = excluded.shown,"
                        " positive = excluded.positive, updated_at = excluded.updated_at",
                        "siiis", match_factor_names[i], (int64_t)out->w[i], (int64_t)n, (int64_t)np, ts);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

/* ---- evaluation on seeded data ---- */

static uint64_t rng_next(uint64_t *x) {
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* Synthetic job seekers, each with a later hire drawn from the open vacancies: the seeker's
 * profile is derived from the hired vacancy with noise (occupation kept 60 %, else a neighbour
 * in its minor or sub-major group; region kept 80 %; about half the skills; education and salary
 * expectation near the vacancy's).  Reports hit@10 (the hire among the first ten recommended)
 * with the current weights, with the defaults, and the random-order expectation. */
op_code match_evaluate(ctx *c, long seekers, uint64_t seed, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    struct match_weights cur, def;
    if ((rc = match_weights_load(c, &cur))) return rc;
    for (int i = 0; i < MATCH_NF; i++) def.w[i] = match_default_weights[i];
    store_stmt *st = store_query(c->db, &c->err, "SELECT COUNT(*), MIN(num), MAX(num) FROM vacancies WHERE status = 'published'", "");
    if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
    int64_t nv = store_col_int(st, 0), lo = store_col_int(st, 1), hi = store_col_int(st, 2);
    store_reset(st);
    if (nv < 20) return op_fail(&c->err, OP_VALIDATION, "seed vacancies first: openpes seed --vacancies N", "too few open vacancies (%lld)", (long long)nv);
    uint64_t x = seed * 2654435761u + 88172645463325252ull;
    long hits = 0, hits_def = 0, done = 0;
    double random_exp = 0, ms = 0;
    for (long k = 0; k < seekers; k++) {
        arena *saved = c->a;
        c->a = arena_new(1 << 16);
        int64_t want = lo + (int64_t)(rng_next(&x) % (uint64_t)(hi - lo + 1));
        st = store_query(c->db, &c->err,
                         "SELECT " MV_COLS " FROM vacancies v WHERE v.status = 'published' AND v.num >= ? ORDER BY v.num LIMIT 1",
                         "i", want);
        if (!st) {
            arena_free(c->a);
            c->a = saved;
            if (c->err.code) return c->err.code;
            continue;
        }
        struct match_vacancy h;
        mv_row(c, st, &h);
        store_reset(st);
        /* a profile near the hire */
        json_t *skills = json_array(), *work = json_array(), *pref = json_object(), *occs = json_array(), *regs = json_array();
        for (int i = 0; i < h.nskills; i++)
            if (rng_next(&x) % 2) json_array_append_new(skills, json_string(h.skills[i]));
        char occ[5];
        snprintf(occ, sizeof occ, "%s", h.occupation);
        uint64_t r = rng_next(&x) % 10;
        if (r >= 6) occ[3] = (char)('1' + rng_next(&x) % 9);
        if (r >= 9) occ[2] = (char)('1' + rng_next(&x) % 9);
        json_array_append_new(occs, json_string(occ));
        json_array_append_new(regs, json_string(rng_next(&x) % 10 < 8 ? h.region : "KR-50"));
        json_object_set_new(pref, "occupations", occs);
        json_object_set_new(pref, "regions", regs);
        json_object_set_new(pref, "salary_min", json_integer(h.salary_month_max * (70 + (int64_t)(rng_next(&x) % 40)) / 100));
        json_object_set_new(pref, "salary_period", json_string("month"));
        if (h.exp_years > 0)
            json_array_append_new(work, json_pack("{s:s, s:s, s:s}", "occupation", occ, "start_date", "2015-01-01", "end_date",
                                                  rng_next(&x) % 2 ? "2024-01-01" : "2015-06-01"));
        static const char *const edu[] = {"none", "lower_secondary", "upper_secondary", "short_tertiary", "bachelor", "master", "doctorate"};
        int e = h.edu_rank + (int)(rng_next(&x) % 3) - 1;
        e = e < 0 ? 0 : e > 6 ? 6 : e;
        struct match_seeker s;
        rc = match_seeker_from(c, NULL, edu[e], NULL, skills, work, pref, true, &s);
        json_decref(skills), json_decref(work), json_decref(pref);
        struct match_vacancy *pool = rc ? NULL : arena_alloc(c->a, sizeof *pool * MAX_POOL);
        int n = 0;
        int64_t t0 = clock_mono_us();
        if (!rc) rc = match_seeker_pool(c, &s, pool, &n);
        if (rc) {
            arena_free(c->a);
            c->a = saved;
            return rc;
        }
        struct scored *order = arena_alloc(c->a, sizeof *order * (size_t)(n ? n : 1));
        bool in_pool = false;
        for (int i = 0; i < n; i++) in_pool |= pool[i].num == h.num;
        if (!in_pool && n < MAX_POOL) pool[n++] = h; /* the hire is always a candidate */
        match_rank_pool(c, &s, &cur, pool, n, order);
        ms += (clock_mono_us() - t0) / 1000.0;
        for (int i = 0; i < n && i < 10; i++) hits += order[i].num == h.num;
        match_rank_pool(c, &s, &def, pool, n, order);
        for (int i = 0; i < n && i < 10; i++) hits_def += order[i].num == h.num;
        random_exp += n > 10 ? 10.0 / n : 1.0;
        done++;
        arena_free(c->a);
        c->a = saved;
    }
    json_t *wj = weights_json(&cur);
    *out = json_pack("{s:I, s:f, s:f, s:f, s:f, s:o}", "seekers", (json_int_t)done, "hit_rate_at_10",
                     done ? (double)hits / done : 0.0, "hit_rate_at_10_default_weights", done ? (double)hits_def / done : 0.0,
                     "hit_rate_at_10_random", done ? random_exp / done : 0.0, "mean_rank_ms", done ? ms / done : 0.0,
                     "weights", wj);
    return OP_OK;
}
