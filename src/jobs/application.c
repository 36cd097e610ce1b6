/* application.c - job applications: apply, the employer's applicant list, state changes.
 *
 * States: applied -> viewed -> interview -> offer -> hired, and rejected / withdrawn from any open
 * state (jobs_application_transition_ok).  The citizen may only withdraw; the vacancy's employer
 * (and staff with access to the person) move the rest.  Every read or change of an applicant goes
 * through the access path (resource "application", purpose employment_service for employers).
 *
 * Events, in the transaction of the change (docs/JOBS.md "Applications"):
 *   application.activity {person_id, date, type: application|interview, application_id, vacancy_id}
 *     - a job-search activity for unemployment recognition (the EI module registers a handler);
 *   application.changed {application_id, vacancy_id, person_id, from, to};
 *   employment.started {person_id, employer_id, vacancy_id, occupation, date} on a hire, which also
 *     fills an opening (vacancy_record_hire). */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person_int.h"
#include "events/outbox.h"
#include "jobs/vacancy_int.h"
#include "privacy/access.h"

static const char *const app_states[] = {"applied", "viewed", "interview", "offer", "hired", "rejected", "withdrawn", NULL};

bool jobs_application_transition_ok(const char *from, const char *to) {
    static const struct {
        const char *from, *to;
    } ok[] = {{"applied", "viewed"},    {"applied", "interview"}, {"applied", "rejected"},  {"applied", "withdrawn"},
              {"viewed", "interview"},  {"viewed", "offer"},      {"viewed", "rejected"},   {"viewed", "withdrawn"},
              {"interview", "offer"},   {"interview", "rejected"}, {"interview", "withdrawn"}, {"offer", "hired"},
              {"offer", "rejected"},    {"offer", "withdrawn"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(ok[i].from, from) == 0 && strcmp(ok[i].to, to) == 0) return true;
    return false;
}

#define APP_COLS                                                                                              \
    "a.id, a.vacancy_id, a.employer_id, a.person_id, a.status, a.note, a.applied_at, a.viewed_at, a.interview_at," \
    " a.offer_at, a.closed_at, a.updated_at, a.version, v.title, v.occupation"

static json_t *s_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *app_json(store_stmt *st) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:{s:s, s:s, s:s}}", "id",
                     store_col_text(st, 0), "vacancy_id", store_col_text(st, 1), "employer_id", store_col_text(st, 2),
                     "person_id", store_col_text(st, 3), "status", store_col_text(st, 4), "note",
                     s_or_null(store_col_text(st, 5)), "applied_at", store_col_text(st, 6), "viewed_at",
                     s_or_null(store_col_text(st, 7)), "interview_at", s_or_null(store_col_text(st, 8)), "offer_at",
                     s_or_null(store_col_text(st, 9)), "closed_at", s_or_null(store_col_text(st, 10)), "updated_at",
                     store_col_text(st, 11), "version", (json_int_t)store_col_int(st, 12), "vacancy", "id",
                     store_col_text(st, 1), "title", store_col_text(st, 13), "occupation", store_col_text(st, 14));
}

static op_code activity(ctx *c, const char *person_id, const char *type, const char *app_id, const char *vacancy_id) {
    char today[11];
    date_format(date_today(), today);
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "person_id", person_id, "date", today, "type", type,
                          "application_id", app_id, "vacancy_id", vacancy_id);
    op_code rc = event_emit(c, "application.activity", person_id, p);
    json_decref(p);
    return rc;
}

static op_code log_event(ctx *c, const char *id, const char *from, const char *to, const char *note, const char *ts) {
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO application_events (application_id, at, from_status, to_status, actor_type, actor_id, note)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      "sssssss", id, ts, from, to, actor_type_name(c->who.type), c->who.id, note);
}

static op_code load(ctx *c, const char *id, json_t **out) {
    if (!id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "application %s does not exist", id);
    store_stmt *st = store_query(c->db, &c->err, "SELECT " APP_COLS " FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
                                                 " WHERE a.id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "application %s does not exist", id);
    *out = app_json(st);
    store_reset(st);
    return OP_OK;
}

/* Who may touch an application: the applicant, the vacancy's employer, staff with access to the
 * person.  Employers of other vacancies get 404 (the application's existence is not disclosed). */
static op_code app_access(ctx *c, enum pd_action act, const json_t *a) {
    const char *id = json_string_value(json_object_get(a, "id")),
               *person = json_string_value(json_object_get(a, "person_id")),
               *emp = json_string_value(json_object_get(a, "employer_id"));
    if (c->who.type == ACTOR_EMPLOYER && strcmp(c->who.employer_id, emp) != 0)
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "application %s does not exist", id);
    if (c->who.type == ACTOR_CITIZEN && strcmp(c->who.person_id, person) != 0)
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "application %s does not exist", id);
    access_decision d;
    return access_person(c, act, "application", id, person, &d);
}

op_code jobs_apply(ctx *c, const char *vacancy_id, const json_t *in, json_t **out) {
    static const char *const fields[] = {"note", NULL};
    const char *note = NULL;
    if (jx_only(in, fields, "", &c->err) || jx_str(in, "note", false, 2000, &note, &c->err)) return c->err.code;
    if (c->who.type != ACTOR_CITIZEN || !c->who.person_id[0])
        return op_fail(&c->err, OP_FORBIDDEN, "create your person record first (POST /api/v1/me)",
                       "only job seekers with a person record can apply");
    if (!id_is_uuid(vacancy_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id);
    char today[11];
    date_format(date_today(), today);
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT employer_id FROM vacancies WHERE id = ? AND status = 'published'"
                                 " AND (closing_date IS NULL OR closing_date >= ?)",
                                 "ss", vacancy_id, today);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail(&c->err, OP_NOT_FOUND, "only open, published vacancies take applications",
                                     "vacancy %s is not open", vacancy_id);
    char emp[ID_LEN], id[ID_LEN], ts[CLOCK_TS_LEN];
    snprintf(emp, sizeof emp, "%s", store_col_text(st, 0));
    store_reset(st);
    const char *person = c->who.person_id;
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    if ((st = store_query(c->db, &c->err, "SELECT id FROM applications WHERE vacancy_id = ? AND person_id = ?", "ss",
                          vacancy_id, person))) {
        store_reset(st);
        rc = op_fail_field(&c->err, OP_DUPLICATE, "vacancy_id", "see GET /api/v1/me/applications",
                           "you have already applied to this vacancy");
        goto out;
    }
    if (c->err.code) {
        rc = c->err.code;
        goto out;
    }
    id_uuid7(id);
    clock_now_ts(ts);
    access_decision d;
    if ((rc = access_person(c, PD_CREATE, "application", id, person, &d))) goto out;
    if ((rc = store_exec(c->db, &c->err, NULL,
                         "INSERT INTO applications (id, vacancy_id, employer_id, person_id, status, note, applied_at, updated_at)"
                         " VALUES (?, ?, ?, ?, 'applied', ?, ?, ?)",
                         "sssssss", id, vacancy_id, emp, person, note, ts, ts)) ||
        (rc = log_event(c, id, NULL, "applied", NULL, ts)) || (rc = activity(c, person, "application", id, vacancy_id)))
        goto out;
    if ((rc = store_commit(c->db, &c->err))) goto out;
    return load(c, id, out);
out:
    store_rollback(c->db);
    return rc;
}

op_code jobs_application_get(ctx *c, const char *id, json_t **out) {
    json_t *a = NULL;
    op_code rc = load(c, id, &a);
    if (!rc) rc = app_access(c, PD_READ, a);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return OP_OK;
}

op_code jobs_application_move(ctx *c, const char *id, const char *to, const char *note, json_t **out) {
    json_t *a = NULL;
    op_code rc = load(c, id, &a);
    if (rc) return rc;
    jx_arena(c->a, a);
    if (!jx_in(to, app_states))
        return op_fail_field(&c->err, OP_VALIDATION, "status", "viewed, interview, offer, hired, rejected or withdrawn",
                             "unknown application status");
    const char *from = json_string_value(json_object_get(a, "status"));
    const char *person = json_string_value(json_object_get(a, "person_id")),
               *vac = json_string_value(json_object_get(a, "vacancy_id")),
               *occ = json_string_value(json_object_get(json_object_get(a, "vacancy"), "occupation"));
    if (c->who.type == ACTOR_CITIZEN && strcmp(to, "withdrawn") != 0) {
        if ((rc = app_access(c, PD_READ, a))) return rc;
        return op_fail_field(&c->err, OP_FORBIDDEN, "status", "the employer moves the application", "you can only withdraw");
    }
    if (c->who.type == ACTOR_EMPLOYER && strcmp(to, "withdrawn") == 0)
        return op_fail_field(&c->err, OP_VALIDATION, "status", "reject the application instead",
                             "only the applicant can withdraw");
    if (!jobs_application_transition_ok(from, to))
        return op_fail_field(&c->err, OP_VALIDATION, "status", NULL, "an application cannot go from %s to %s", from, to);
    rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    if ((rc = app_access(c, PD_UPDATE, a))) goto out;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    const char *col = strcmp(to, "viewed") == 0      ? "viewed_at"
                      : strcmp(to, "interview") == 0 ? "interview_at"
                      : strcmp(to, "offer") == 0     ? "offer_at"
                                                     : "closed_at";
    int64_t ch = 0;
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE applications SET status = ?, %s = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = ?",
             col);
    if ((rc = store_exec(c->db, &c->err, &ch, sql, "sssss", to, ts, ts, id, from))) goto out;
    if (ch != 1) {
        rc = op_fail(&c->err, OP_CONFLICT, "reload the application", "application %s is no longer %s", id, from);
        goto out;
    }
    if ((rc = log_event(c, id, from, to, note, ts))) goto out;
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "application_id", id, "vacancy_id", vac, "person_id", person,
                          "from", from, "to", to);
    rc = event_emit(c, "application.changed", id, p);
    json_decref(p);
    if (rc) goto out;
    if (strcmp(to, "interview") == 0 && (rc = activity(c, person, "interview", id, vac))) goto out;
    if (strcmp(to, "hired") == 0) {
        if ((rc = vacancy_record_hire(c, vac))) goto out;
        char today[11];
        date_format(date_today(), today);
        p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "person_id", person, "employer_id",
                      json_string_value(json_object_get(a, "employer_id")), "vacancy_id", vac, "application_id", id,
                      "occupation", occ, "date", today);
        rc = event_emit(c, "employment.started", person, p);
        json_decref(p);
        if (rc) goto out;
    }
    if ((rc = store_commit(c->db, &c->err))) goto out;
    return load(c, id, out);
out:
    store_rollback(c->db);
    return rc;
}

op_code jobs_my_applications(ctx *c, json_t **out) {
    if (c->who.type != ACTOR_CITIZEN || !c->who.person_id[0]) {
        *out = json_pack("{s:[]}", "items");
        return OP_OK;
    }
    access_decision d;
    op_code rc = access_person(c, PD_READ, "application", c->who.person_id, c->who.person_id, &d);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT " APP_COLS " FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
                                   " WHERE a.person_id = ? ORDER BY a.applied_at DESC, a.id DESC LIMIT 500",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, c->who.person_id);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, app_json(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o}", "items", items);
    return OP_OK;
}

/* The vacancy's applicants, each with the applicant's data the access path allows (audited). */
op_code jobs_vacancy_applications(ctx *c, const char *vacancy_id, const char *status, int limit, int offset, json_t **out) {
    if (!id_is_uuid(vacancy_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id);
    store_stmt *st = store_query(c->db, &c->err, "SELECT employer_id FROM vacancies WHERE id = ?", "s", vacancy_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id);
    char emp[ID_LEN];
    snprintf(emp, sizeof emp, "%s", store_col_text(st, 0));
    store_reset(st);
    op_code rc = jobs_employer_access(c, emp);
    if (rc) return rc;
    if (status && !jx_in(status, app_states))
        return op_fail_field(&c->err, OP_BAD_QUERY, "status", "applied, viewed, interview, offer, hired, rejected or withdrawn",
                             "unknown application status");
    st = store_prepare(c->db,
                       status ? "SELECT " APP_COLS " FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
                                " WHERE a.vacancy_id = ? AND a.status = ? ORDER BY a.applied_at, a.id LIMIT ? OFFSET ?"
                              : "SELECT " APP_COLS " FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
                                " WHERE a.vacancy_id = ? ORDER BY a.applied_at, a.id LIMIT ? OFFSET ?",
                       &c->err);
    if (!st) return c->err.code;
    int k = 1;
    store_bind_text(st, k++, vacancy_id);
    if (status) store_bind_text(st, k++, status);
    store_bind_int(st, k++, limit);
    store_bind_int(st, k, offset);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, app_json(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    /* Applicant data: decided per person; only the allowed are shown, and each one shown is audited. */
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *person = json_string_value(json_object_get(it, "person_id"));
        access_decision d;
        if ((rc = access_decide(c, PD_READ, "application", person, &d)) ||
            (rc = access_audit(c, PD_READ, "application", json_string_value(json_object_get(it, "id")), person, &d)))
            break;
        if (!d.allow) {
            json_object_set_new(it, "applicant", json_null());
            continue;
        }
        struct pdata p;
        if ((rc = pr_load(c, person, &p))) break;
        json_t *pj = pr_json(c, &p, d.fields);
        if (!pj) {
            rc = c->err.code ? c->err.code : OP_INTERNAL;
            break;
        }
        json_object_set_new(it, "applicant", pj);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:i, s:i}", "items", items, "limit", limit, "offset", offset);
    return OP_OK;
}
