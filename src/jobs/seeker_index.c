/* seeker_index.c - where a vacancy's candidates come from: findable job seekers indexed by the
 * ISCO sub-major groups (first two digits) of the occupations they seek or have worked in.
 *
 * Candidate lists (match/recommend.c) read the newest entries of the vacancy's group and of the
 * groups linked to it through crosswalks, instead of "the newest 2,000 findable people", so that
 * with a national population the pool holds the people whose occupations fit.  Only what the
 * person agreed to show is indexed (preferences, work history), as only that is scored.  People
 * with no occupation shown are indexed under the empty group.
 *
 * Kept in step: in the same transaction when a person changes their visibility
 * (jobs_visibility_set), and through the person.updated event when their profile changes
 * (jobs_on_person_updated, wired in cli/wiring.c).  `openpes match reindex` rebuilds it all. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/person_int.h"
#include "jobs/jobs.h"
#include "privacy/access.h"

#define MAX_GROUPS 24

static void add_group(const char *code, char groups[][3], int *n) {
    if (!code || strlen(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') return;
    for (int i = 0; i < *n; i++)
        if (groups[i][0] == code[0] && groups[i][1] == code[1]) return;
    if (*n < MAX_GROUPS) {
        groups[*n][0] = code[0];
        groups[*n][1] = code[1];
        groups[(*n)++][2] = 0;
    }
}

op_code jobs_seeker_index(ctx *c, const char *person_id) {
    op_code rc = store_exec(c->db, &c->err, NULL, "DELETE FROM seeker_occ WHERE person_id = ?", "s", person_id);
    if (rc) return rc;
    store_stmt *st = store_query(c->db, &c->err, "SELECT fields FROM jobseeker_visibility WHERE person_id = ? AND findable = 1",
                                 "s", person_id);
    if (!st) return c->err.code; /* not findable: no entries */
    unsigned fields = (unsigned)store_col_int(st, 0);
    store_reset(st);
    access_decision d;
    if ((rc = access_person(c, PD_READ, "seeker_index", person_id, person_id, &d))) return rc;
    struct pdata p;
    if ((rc = pr_load(c, person_id, &p))) return rc;
    char groups[MAX_GROUPS][3];
    int n = 0;
    size_t i;
    json_t *it;
    if (fields & F_PREFERENCES) json_array_foreach(json_object_get(p.preferences, "occupations"), i, it) add_group(json_string_value(it), groups, &n);
    if (fields & F_WORK_HISTORY)
        json_array_foreach(p.work_history, i, it) add_group(json_string_value(json_object_get(it, "occupation")), groups, &n);
    if (n == 0) groups[n++][0] = 0;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    for (int k = 0; !rc && k < n; k++)
        rc = store_exec(c->db, &c->err, NULL, "INSERT INTO seeker_occ (occ2, person_id, updated_at) VALUES (?, ?, ?)", "sss",
                        groups[k], person_id, ts);
    return rc;
}

op_code jobs_on_person_updated(ctx *c, long long id, const char *type, const char *subject, json_t *payload) {
    (void)id;
    (void)type;
    (void)payload;
    store_stmt *st = store_query(c->db, &c->err, "SELECT 1 FROM jobseeker_visibility WHERE person_id = ?", "s", subject);
    if (!st) return c->err.code; /* never set: nothing indexed */
    store_reset(st);
    bool outer = !store_in_tx(c->db);
    op_code rc = outer ? store_begin(c->db, &c->err) : OP_OK;
    if (!rc) rc = jobs_seeker_index(c, subject);
    if (outer) {
        if (!rc) rc = store_commit(c->db, &c->err);
        if (rc) store_rollback(c->db);
    }
    return rc;
}

op_code jobs_seeker_reindex(ctx *c, long *count) {
    *count = 0;
    store_stmt *st = store_prepare(c->db, "SELECT person_id FROM jobseeker_visibility ORDER BY person_id", &c->err);
    if (!st) return c->err.code;
    size_t cap = 1024, n = 0;
    char **ids = arena_alloc(c->a, cap * sizeof *ids);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        if (n == cap) {
            char **more = arena_alloc(c->a, 2 * cap * sizeof *more);
            memcpy(more, ids, cap * sizeof *ids);
            ids = more;
            cap *= 2;
        }
        ids[n++] = arena_strdup(c->a, store_col_text(st, 0));
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    op_code rc = OP_OK;
    for (size_t k = 0; !rc && k < n; k += 500) { /* one transaction per 500 people */
        if ((rc = store_begin(c->db, &c->err))) break;
        for (size_t j = k; !rc && j < n && j < k + 500; j++) rc = jobs_seeker_index(c, ids[j]);
        if (!rc) rc = store_commit(c->db, &c->err);
        else store_rollback(c->db);
    }
    if (!rc) *count = (long)n;
    return rc;
}
