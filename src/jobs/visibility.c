/* visibility.c - a job seeker's consent to be found by employers (candidate lists), and which
 * field groups employers then see.  Kept here, not in the person record: the access path reads
 * it for actor employer + resource "candidate" (docs/ACCESS.md "Employers"). */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/jobs.h"
#include "privacy/access.h"

static const struct {
    const char *name;
    unsigned bit;
} groups[] = {{"identity", F_IDENTITY},
              {"contact", F_CONTACT},
              {"address", F_ADDRESS},
              {"education", F_EDUCATION},
              {"qualifications", F_QUALIFICATIONS},
              {"work_history", F_WORK_HISTORY},
              {"skills", F_SKILLS},
              {"preferences", F_PREFERENCES}};
#define NGROUPS (sizeof groups / sizeof groups[0])

static json_t *names(unsigned f) {
    json_t *a = json_array();
    for (size_t i = 0; i < NGROUPS; i++)
        if (f & groups[i].bit) json_array_append_new(a, json_string(groups[i].name));
    return a;
}

static op_code need_person(ctx *c) {
    if (c->who.type != ACTOR_CITIZEN || !c->who.person_id[0])
        return op_fail(&c->err, OP_FORBIDDEN, "create your person record first (POST /api/v1/me)",
                       "only job seekers with a person record have this setting");
    return OP_OK;
}

op_code jobs_visibility_get(ctx *c, json_t **out) {
    op_code rc = need_person(c);
    if (rc) return rc;
    store_stmt *st = store_query(c->db, &c->err, "SELECT findable, fields, updated_at FROM jobseeker_visibility WHERE person_id = ?",
                                 "s", c->who.person_id);
    if (!st && c->err.code) return c->err.code;
    *out = json_pack("{s:b, s:o, s:o}", "findable", st ? store_col_int(st, 0) != 0 : 0, "fields",
                     names(st ? (unsigned)store_col_int(st, 1) : 0), "updated_at",
                     st ? json_string(store_col_text(st, 2)) : json_null());
    if (st) store_reset(st);
    return OP_OK;
}

/* {findable: bool, fields: [group, ...]} - fields default to identity, education, qualifications,
 * work_history, skills (no contact unless chosen). */
op_code jobs_visibility_set(ctx *c, const json_t *in, json_t **out) {
    op_code rc = need_person(c);
    if (rc) return rc;
    static const char *const keys[] = {"findable", "fields", NULL};
    bool findable = false, has;
    json_t *arr = NULL;
    if (jx_only(in, keys, "", &c->err) || jx_bool(in, "findable", true, &findable, &has, &c->err) ||
        jx_array(in, "fields", false, NGROUPS, &arr, &c->err))
        return c->err.code;
    unsigned f = F_IDENTITY | F_EDUCATION | F_QUALIFICATIONS | F_WORK_HISTORY | F_SKILLS;
    if (arr) {
        f = 0;
        size_t i;
        json_t *it;
        json_array_foreach(arr, i, it) {
            size_t k = 0;
            while (k < NGROUPS && !(json_is_string(it) && strcmp(json_string_value(it), groups[k].name) == 0)) k++;
            if (k == NGROUPS)
                return op_fail_field(&c->err, OP_VALIDATION, "fields",
                                     "identity, contact, address, education, qualifications, work_history, skills, preferences",
                                     "unknown field group");
            f |= groups[k].bit;
        }
    }
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    if ((rc = store_begin(c->db, &c->err))) return rc;
    access_decision d;
    if (!(rc = access_person(c, PD_UPDATE, "jobseeker_visibility", c->who.person_id, c->who.person_id, &d)))
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO jobseeker_visibility (person_id, findable, fields, updated_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (person_id) DO UPDATE SET findable = excluded.findable, fields = excluded.fields,"
                        " updated_at = excluded.updated_at",
                        "siis", c->who.person_id, (int64_t)findable, (int64_t)f, ts);
    if (!rc) rc = jobs_seeker_index(c, c->who.person_id);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    return jobs_visibility_get(c, out);
}
