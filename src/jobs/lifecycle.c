/* lifecycle.c - state changes after posting: closing (date, filled, hired, by hand), the change
 * log behind the partner feed, and outbox events. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "events/outbox.h"
#include "jobs/vacancy_int.h"

op_code jobs_vac_changed(ctx *c, const char *id, const char *kind) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    op_code rc = store_exec(c->db, &c->err, NULL, "INSERT INTO vacancy_changes (vacancy_id, kind, at) VALUES (?, ?, ?)",
                            "sss", id, kind, ts);
    if (rc) return rc;
    char type[32];
    snprintf(type, sizeof type, "vacancy.%s", kind);
    json_t *p = json_pack("{s:s}", "vacancy_id", id);
    rc = event_emit(c, type, id, p);
    json_decref(p);
    return rc;
}

op_code jobs_vetting_log(ctx *c, const char *id, const char *outcome, const char *reasons_json, const char *note) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO vacancy_vetting (vacancy_id, at, actor_type, actor_id, outcome, reasons, note)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      "sssssss", id, ts, actor_type_name(c->who.type), c->who.id, outcome, reasons_json, note);
}

op_code jobs_vacancy_transition(ctx *c, const char *id, int64_t num, const char *from, const char *to,
                                const char *reason) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    bool closing = strcmp(to, "closed") == 0, pub = strcmp(to, "published") == 0;
    int64_t ch = 0;
    op_code rc = store_exec(c->db, &c->err, &ch,
                            "UPDATE vacancies SET status = ?, updated_at = ?, version = version + 1,"
                            " published_at = CASE WHEN ? = 1 THEN ? ELSE published_at END,"
                            " closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END,"
                            " closed_reason = CASE WHEN ? = 1 THEN ? ELSE closed_reason END"
                            " WHERE id = ? AND status = ?",
                            "ssisisisss", to, ts, (int64_t)pub, ts, (int64_t)closing, ts, (int64_t)closing, reason, id, from);
    if (rc) return rc;
    if (ch != 1) return op_fail(&c->err, OP_CONFLICT, "reload the vacancy", "vacancy %s is no longer %s", id, from);
    if (pub) {
        store_stmt *st = store_query(c->db, &c->err, "SELECT title, description FROM vacancies WHERE num = ?", "i", num);
        if (!st) return c->err.code ? c->err.code : OP_INTERNAL;
        char *t = arena_strdup(c->a, store_col_text(st, 0)), *d = arena_strdup(c->a, store_col_text(st, 1));
        store_reset(st);
        if ((rc = jobs_index_put(c, num, t, d))) return rc;
        return jobs_vac_changed(c, id, "published");
    }
    if (strcmp(from, "published") == 0) {
        if ((rc = jobs_index_drop(c, num))) return rc;
        return jobs_vac_changed(c, id, "closed");
    }
    return OP_OK;
}

op_code jobs_vacancy_close(ctx *c, const char *id, const char *reason) {
    if (!id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    store_stmt *st = store_query(c->db, &c->err, "SELECT num, status, employer_id FROM vacancies WHERE id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    int64_t num = store_col_int(st, 0);
    char status[16], emp[ID_LEN];
    snprintf(status, sizeof status, "%s", store_col_text(st, 1));
    snprintf(emp, sizeof emp, "%s", store_col_text(st, 2));
    store_reset(st);
    if (c->who.type == ACTOR_EMPLOYER && strcmp(c->who.employer_id, emp) != 0)
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    if (strcmp(status, "closed") == 0) return op_fail(&c->err, OP_CONFLICT, NULL, "vacancy %s is already closed", id);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    rc = jobs_vacancy_transition(c, id, num, status, "closed", reason);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

op_code vacancy_record_hire(ctx *c, const char *vacancy_id) {
    if (!id_is_uuid(vacancy_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", vacancy_id);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t ch = 0;
    rc = store_exec(c->db, &c->err, &ch,
                    "UPDATE vacancies SET filled = filled + 1, updated_at = ?, version = version + 1"
                    " WHERE id = ? AND status = 'published' AND filled < openings",
                    "ss", ts, vacancy_id);
    if (!rc && ch != 1)
        rc = op_fail(&c->err, OP_CONFLICT, NULL, "vacancy %s is not open (or all its openings are filled)", vacancy_id);
    store_stmt *st = rc ? NULL : store_query(c->db, &c->err, "SELECT num, filled, openings FROM vacancies WHERE id = ?", "s",
                                             vacancy_id);
    if (!rc && !st) rc = c->err.code ? c->err.code : OP_INTERNAL;
    if (!rc) {
        int64_t num = store_col_int(st, 0);
        bool full = store_col_int(st, 1) >= store_col_int(st, 2);
        store_reset(st);
        rc = full ? jobs_vacancy_transition(c, vacancy_id, num, "published", "closed", "filled")
                  : jobs_vac_changed(c, vacancy_id, "changed");
    }
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

op_code jobs_employment_registered(ctx *c, const char *employer_id, const char *vacancy_id,
                                   const char *occupation, bool *matched) {
    *matched = false;
    char vid[ID_LEN] = "";
    if (vacancy_id) {
        snprintf(vid, sizeof vid, "%s", vacancy_id);
    } else {
        store_stmt *st = occupation
                             ? store_query(c->db, &c->err,
                                           "SELECT id FROM vacancies WHERE employer_id = ? AND occupation = ?"
                                           " AND status = 'published' ORDER BY num LIMIT 1",
                                           "ss", employer_id, occupation)
                             : store_query(c->db, &c->err,
                                           "SELECT id FROM vacancies WHERE employer_id = ? AND status = 'published'"
                                           " ORDER BY num LIMIT 1",
                                           "s", employer_id);
        if (!st) return c->err.code;
        snprintf(vid, sizeof vid, "%s", store_col_text(st, 0));
        store_reset(st);
    }
    op_code rc = vacancy_record_hire(c, vid);
    if (rc == OP_CONFLICT && !vacancy_id) {
        op_clear(&c->err);
        return OP_OK;
    }
    *matched = rc == OP_OK;
    return rc;
}

int jobs_close_expired(ctx *c) {
    char today[11];
    date_format(date_today(), today);
    int closed = 0;
    for (;;) { /* batches of 200, each its own transaction */
        store_stmt *st = store_prepare(c->db,
                                       "SELECT id, num FROM vacancies WHERE status = 'published' AND closing_date < ?"
                                       " ORDER BY num LIMIT 200",
                                       &c->err);
        if (!st) return -1;
        store_bind_text(st, 1, today);
        char (*ids)[ID_LEN] = arena_alloc(c->a, 200 * ID_LEN);
        int64_t nums[200];
        int n = 0, r;
        while ((r = store_step(st, &c->err)) == STORE_ROW && n < 200) {
            snprintf(ids[n], ID_LEN, "%s", store_col_text(st, 0));
            nums[n++] = store_col_int(st, 1);
        }
        store_reset(st);
        if (r == STORE_ERROR) return -1;
        if (n == 0) return closed;
        if (store_begin(c->db, &c->err)) return -1;
        for (int i = 0; i < n; i++) {
            if (jobs_vacancy_transition(c, ids[i], nums[i], "published", "closed", "expired")) {
                store_rollback(c->db);
                return -1;
            }
        }
        if (store_commit(c->db, &c->err)) return -1;
        closed += n;
        if (n < 200) return closed;
    }
}
