/* rounds.c - unemployment recognition (실업인정): the round schedule, the job diary, the
 * platform hook, evaluation with the pack's activity rules (recognition calculator) and the
 * counsellor override.  Round 1 covers the report day up to the day before the first recognition
 * day (the pack's kr.ei.recognition.first_round_days after the report); each later round covers the pack's cycle
 * (kr.ei.recognition.cycle_days) up to the day before its recognition day. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "policy/calc.h"
#include "policy/pack.h"
#include "policy/policy.h"

static const char *const ACTIVITY_TYPES[] = {"application", "interview", "training", "counselling", "job_fair",
                                             "lecture", "startup_prep", "other", NULL};

/* A recognition schedule parameter of the country's pack (<cc>.ei.recognition.<what>) in force on
 * `day`; a pack without it is an error, not a default in code. */
static op_code schedule_days(ctx *c, const char *country, const char *what, int64_t day, int64_t *out) {
    const pol_pack *p;
    pol_value v;
    char name[64];
    snprintf(name, sizeof name, "%c%c.ei.recognition.%s", country[0] | 0x20, country[1] | 0x20, what);
    op_code rc = pol_pack_get(country, &p, &c->err);
    if (rc) return rc;
    if (!pol_param_at(p, name, day, &v) || !json_is_integer(v.value) || json_integer_value(v.value) < 1)
        return op_fail(&c->err, OP_INTERNAL, "add the parameter to the policy pack", "the %s policy pack has no %s in force",
                       country, name);
    *out = json_integer_value(v.value);
    return OP_OK;
}

op_code ei_rounds_schedule(ctx *c, const char *claim_id, int64_t report, int64_t window_end, const char *country) {
    int64_t first, cycle;
    op_code rc = schedule_days(c, country, "first_round_days", report, &first);
    if (!rc) rc = schedule_days(c, country, "cycle_days", report, &cycle);
    if (rc) return rc;
    int64_t from = report, rdate = report + first;
    for (int n = 1; n <= 60; n++) {
        char f[11], t[11], r[11];
        date_format(from, f);
        date_format(rdate - 1, t);
        date_format(rdate, r);
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO ei_rounds (claim_id, round, period_from, period_to, recognition_date, status)"
                        " VALUES (?,?,?,?,?,'scheduled')",
                        "sisss", claim_id, (int64_t)n, f, t, r);
        if (rc) return rc;
        if (rdate - 1 >= window_end) break;
        from = rdate;
        rdate += cycle;
    }
    return OP_OK;
}

static op_code activity_insert(ctx *c, const char *claim_id, const char *day, const char *type, const char *source,
                               const char *note, char id[ID_LEN], bool *created) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    id_uuid7(id);
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "INSERT INTO ei_activities (id, claim_id, day, type, source, note, created_by, created_at)"
                            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                            "ssssssss", id, claim_id, day, type, source, note, c->who.id, ts);
    *created = n > 0;
    return rc;
}

static op_code claim_dates(ctx *c, const char *claim_id, int64_t *report, int64_t *window_end) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT report_date, benefit_window_end FROM ei_claims WHERE id = ?", "s",
                                 claim_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    date_parse(store_col_text(st, 0), report);
    *window_end = INT64_MAX;
    if (!store_col_null(st, 1)) date_parse(store_col_text(st, 1), window_end);
    store_reset(st);
    return OP_OK;
}

op_code ei_activity_add(ctx *c, const char *claim_id, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    static const char *const keys[] = {"date", "type", "note", NULL};
    const char *day, *type, *note = NULL;
    char person[ID_LEN], status[16], id[ID_LEN];
    int64_t d, report, wend;
    bool created, outer;
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, status);
    if (rc || (rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_date(in, "date", true, &day, &c->err)) ||
        (rc = jx_enum(in, "type", true, ACTIVITY_TYPES, &type, &c->err)) ||
        (rc = jx_str(in, "note", false, 500, &note, &c->err)))
        return rc;
    if ((rc = ei_tx_begin(c, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_activity", claim_id, person))) goto out;
    if ((rc = claim_dates(c, claim_id, &report, &wend))) goto out;
    date_parse(day, &d);
    if (strcmp(status, "active") != 0 && strcmp(status, "suspended") != 0) {
        rc = op_fail(&c->err, OP_CONFLICT, NULL, "the claim is %s: the diary is closed", status);
    } else if (d > date_today()) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "date", NULL, "date is in the future");
    } else if (d < report || d > wend) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "date", NULL, "date is outside the claim (from the report date to the benefit window end)");
    } else if (!(rc = activity_insert(c, claim_id, day, type, "diary", note, id, &created))) {
        *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", id, "claim_id", claim_id, "date", day, "type", type,
                         "source", "diary", "note", note ? json_string(note) : json_null());
    }
out:
    return ei_tx_end(c, outer, rc);
}

op_code ei_activity_from_application(ctx *c, const char *person_id, const char *date, const char *type) {
    op_clear(&c->err); /* a reused context may carry an old error */
    char claim[ID_LEN], id[ID_LEN];
    int64_t d;
    bool created, outer;
    if (!type || (strcmp(type, "application") != 0 && strcmp(type, "interview") != 0))
        return op_fail_field(&c->err, OP_VALIDATION, "type", NULL, "type must be application or interview");
    if (!date || !date_parse(date, &d)) return op_fail_field(&c->err, OP_VALIDATION, "date", "use YYYY-MM-DD", "bad date");
    if (!ei_open_claim(c, person_id, claim, NULL)) return c->err.code;
    op_code rc = ei_tx_begin(c, &outer);
    if (rc) return rc;
    if (!(rc = ei_access(c, PD_UPDATE, "ei_activity", claim, person_id)))
        rc = activity_insert(c, claim, date, type, "platform", NULL, id, &created);
    return ei_tx_end(c, outer, rc);
}

/* ---- evaluation ---- */

struct round {
    char from[11], to[11], rdate[11], status[16], category[24];
};

static op_code load_round(ctx *c, const char *claim_id, int n, struct round *r) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT r.period_from, r.period_to, r.recognition_date, r.status, c.claimant_category"
                                 " FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id WHERE r.claim_id = ? AND r.round = ?",
                                 "si", claim_id, (int64_t)n);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim has no round %d", n);
    snprintf(r->from, 11, "%s", store_col_text(st, 0));
    snprintf(r->to, 11, "%s", store_col_text(st, 1));
    snprintf(r->rdate, 11, "%s", store_col_text(st, 2));
    snprintf(r->status, 16, "%s", store_col_text(st, 3));
    snprintf(r->category, 24, "%s", store_col_text(st, 4));
    store_reset(st);
    return OP_OK;
}

static json_t *round_json(ctx *c, const char *claim_id, int n) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT period_from, period_to, recognition_date, status, evaluation, override_by,"
                                 " override_reason, decided_at FROM ei_rounds WHERE claim_id = ? AND round = ?",
                                 "si", claim_id, (int64_t)n);
    if (!st) return NULL;
    json_t *ev = store_col_null(st, 4) ? NULL : json_loads(store_col_text(st, 4), 0, NULL);
    json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "claim_id", claim_id, "round", n,
                          "period_from", ei_sn(st, 0), "period_to", ei_sn(st, 1), "recognition_date", ei_sn(st, 2),
                          "status", ei_sn(st, 3), "evaluation", ev ? ev : json_null(), "override_by", ei_sn(st, 5),
                          "override_reason", ei_sn(st, 6), "decided_at", ei_sn(st, 7));
    store_reset(st);
    return o;
}

/* Evaluate inside the caller's transaction (access already checked). */
static op_code evaluate(ctx *c, const char *claim_id, const char *person, int n) {
    struct round r;
    op_code rc = load_round(c, claim_id, n, &r);
    if (rc || strcmp(r.status, "scheduled") != 0) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT day, type FROM ei_activities WHERE claim_id = ? AND day >= ? AND day <= ?"
                                   " ORDER BY day, id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    store_bind_text(st, 2, r.from);
    store_bind_text(st, 3, r.to);
    json_t *acts = json_array();
    int s;
    while ((s = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(acts, json_pack("{s:s, s:s}", "date", store_col_text(st, 0), "type", store_col_text(st, 1)));
    store_reset(st);
    if (s == STORE_ERROR) {
        json_decref(acts);
        return c->err.code;
    }
    json_t *req = json_pack("{s:s, s:i, s:s, s:o, s:s}", "country", EI_COUNTRY, "round", n, "claimant_category",
                            r.category, "activities", acts, "date", r.rdate), *res = NULL;
    rc = pol_run("ei-recognition", c->a, req, &res, &c->err);
    json_decref(req);
    if (rc) return rc;
    bool ok = json_is_true(json_object_get(res, "recognized"));
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    rc = store_exec(c->db, &c->err, NULL,
                    "UPDATE ei_rounds SET status = ?, evaluation = ?, decided_at = ? WHERE claim_id = ? AND round = ?",
                    "ssssi", ok ? "recognized" : "not_recognized", jx_dump(c->a, res), ts, claim_id, (int64_t)n);
    json_decref(res);
    if (rc) return rc;
    json_t *pl = json_pack("{s:s, s:i, s:b}", "claim_id", claim_id, "round", n, "recognized", ok);
    rc = event_emit(c, "claim.round_decided", person, pl);
    json_decref(pl);
    return rc;
}

op_code ei_round_evaluate(ctx *c, const char *claim_id, int n, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    char person[ID_LEN];
    bool outer;
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = ei_tx_begin(c, &outer))) return rc;
    struct round r;
    if ((rc = ei_access(c, PD_UPDATE, "ei_round", claim_id, person)) || (rc = load_round(c, claim_id, n, &r))) goto out;
    int64_t rd;
    date_parse(r.rdate, &rd);
    if (strcmp(r.status, "scheduled") == 0 && rd > date_today()) {
        rc = op_fail(&c->err, OP_CONFLICT, "wait for the recognition day", "round %d is evaluated on %s", n, r.rdate);
        goto out;
    }
    if ((rc = evaluate(c, claim_id, person, n))) goto out;
    if (!(*out = round_json(c, claim_id, n))) rc = c->err.code ? c->err.code : OP_INTERNAL;
out:
    return ei_tx_end(c, outer, rc);
}

op_code ei_round_override(ctx *c, const char *claim_id, int n, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    static const char *const keys[] = {"recognized", "reason", NULL};
    char person[ID_LEN], ts[CLOCK_TS_LEN];
    bool rec, outer;
    const char *reason;
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_bool(in, "recognized", true, &rec, NULL, &c->err)) ||
        (rc = jx_str(in, "reason", true, 1000, &reason, &c->err)))
        return rc;
    if (!*reason) return op_fail_field(&c->err, OP_VALIDATION, "reason", NULL, "reason is empty");
    if ((rc = ei_tx_begin(c, &outer))) return rc;
    struct round r;
    if ((rc = ei_access(c, PD_UPDATE, "ei_round", claim_id, person)) || (rc = load_round(c, claim_id, n, &r))) goto out;
    store_stmt *st = store_query(c->db, &c->err, "SELECT 1 FROM ei_payments WHERE claim_id = ? AND round = ?", "si",
                                 claim_id, (int64_t)n);
    if (st) {
        store_reset(st);
        rc = op_fail(&c->err, OP_CONFLICT, "a paid round is corrected by an appeal", "round %d is already paid", n);
        goto out;
    }
    if (c->err.code) { rc = c->err.code; goto out; }
    clock_now_ts(ts);
    if ((rc = store_exec(c->db, &c->err, NULL,
                         "UPDATE ei_rounds SET status = ?, override_by = ?, override_reason = ?, decided_at = ?"
                         " WHERE claim_id = ? AND round = ?",
                         "sssssi", rec ? "recognized" : "not_recognized", c->who.id, reason, ts, claim_id, (int64_t)n)))
        goto out;
    json_t *pl = json_pack("{s:s, s:i, s:b, s:b}", "claim_id", claim_id, "round", n, "recognized", rec, "override", 1);
    rc = event_emit(c, "claim.round_decided", person, pl);
    json_decref(pl);
    if (!rc && !(*out = round_json(c, claim_id, n))) rc = c->err.code ? c->err.code : OP_INTERNAL;
out:
    return ei_tx_end(c, outer, rc);
}

long ei_rounds_evaluate_due(ctx *c, int64_t day) {
    char d[11];
    date_format(day, d);
    long done = 0;
    for (;;) { /* in chunks: each round commits on its own */
        store_stmt *st = store_prepare(c->db,
                                       "SELECT r.claim_id, r.round, c.person_id FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id"
                                       " WHERE r.status = 'scheduled' AND r.recognition_date <= ?"
                                       " AND c.status IN ('active','suspended') ORDER BY r.recognition_date, r.claim_id LIMIT 500",
                                       &c->err);
        if (!st) return -1;
        store_bind_text(st, 1, d);
        char (*ids)[2][ID_LEN] = arena_alloc(c->a, sizeof *ids * 500);
        int rounds[500], n = 0, s;
        while ((s = store_step(st, &c->err)) == STORE_ROW) {
            snprintf(ids[n][0], ID_LEN, "%s", store_col_text(st, 0));
            snprintf(ids[n][1], ID_LEN, "%s", store_col_text(st, 2));
            rounds[n++] = (int)store_col_int(st, 1);
        }
        store_reset(st);
        if (s == STORE_ERROR) return -1;
        if (n == 0) return done;
        for (int i = 0; i < n; i++) {
            bool outer;
            op_code rc = ei_tx_begin(c, &outer);
            if (!rc && !(rc = ei_access(c, PD_UPDATE, "ei_round", ids[i][0], ids[i][1])))
                rc = evaluate(c, ids[i][0], ids[i][1], rounds[i]);
            if (ei_tx_end(c, outer, rc)) return -1;
            done++;
        }
    }
}

int ei_periodic_evaluate(ctx *c) {
    long n = ei_rounds_evaluate_due(c, date_today());
    return n < 0 ? -1 : (int)(n > 1000000000 ? 1000000000 : n);
}

op_code ei_activities_of(ctx *c, const char *claim_id, json_t **out) {
    op_clear(&c->err);
    char person[ID_LEN];
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = ei_access(c, PD_READ, "ei_activity", claim_id, person))) return rc;
    store_stmt *st = store_prepare(c->db,
                                   "SELECT id, day, type, source, note, created_at FROM ei_activities WHERE claim_id = ?"
                                   " ORDER BY day, created_at, id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", ei_sn(st, 0), "date", ei_sn(st, 1),
                                               "type", ei_sn(st, 2), "source", ei_sn(st, 3), "note", ei_sn(st, 4),
                                               "created_at", ei_sn(st, 5)));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:s, s:o}", "claim_id", claim_id, "items", items);
    return OP_OK;
}
