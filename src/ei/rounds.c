/* rounds.c - unemployment recognition (실업인정): the round schedule, the job diary, the
 * platform hook, evaluation with the pack's activity rules (recognition calculator) and the
 * counsellor override.  Round 1 covers the report day up to the day before the first recognition
 * day (the pack's kr.ei.recognition.first_round_days after the report); each later round covers the pack's cycle
 * (kr.ei.recognition.cycle_days) up to the day before its recognition day. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
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
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
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
    return store_tx_end(c->db, &c->err, outer, rc);
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
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if (!(rc = ei_access(c, PD_UPDATE, "ei_activity", claim, person_id)))
        rc = activity_insert(c, claim, date, type, "platform", NULL, id, &created);
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- evaluation ---- */

struct round {
    char from[11], to[11], rdate[11], status[16], category[24];
};

static void round_read(store_stmt *st, int col, struct round *r) {
    snprintf(r->from, 11, "%s", store_col_text(st, col));
    snprintf(r->to, 11, "%s", store_col_text(st, col + 1));
    snprintf(r->rdate, 11, "%s", store_col_text(st, col + 2));
    snprintf(r->status, 16, "%s", store_col_text(st, col + 3));
    snprintf(r->category, 24, "%s", store_col_text(st, col + 4));
}

static op_code load_round(ctx *c, const char *claim_id, int n, struct round *r) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT r.period_from, r.period_to, r.recognition_date, r.status, c.claimant_category"
                                 " FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id WHERE r.claim_id = ? AND r.round = ?",
                                 "si", claim_id, (int64_t)n);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim has no round %d", n);
    round_read(st, 0, r);
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

/* Decide a scheduled round inside the caller's transaction (access already checked). */
static op_code decide_round(ctx *c, const char *claim_id, const char *person, int n, const struct round *rp) {
    struct round r = *rp;
    op_code rc;
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
    int64_t changed = 0; /* only a round still scheduled: another evaluator (the hourly task on its thread, the
                            daily batch on its own, another process) may have decided it since it was read */
    rc = store_exec(c->db, &c->err, &changed,
                    "UPDATE ei_rounds SET status = ?, evaluation = ?, decided_at = ? WHERE claim_id = ? AND round = ?"
                    " AND status = 'scheduled'",
                    "ssssi", ok ? "recognized" : "not_recognized", jx_dump(c->a, res), ts, claim_id, (int64_t)n);
    json_decref(res);
    if (rc || changed == 0) return rc;
    json_t *pl = json_pack("{s:s, s:i, s:b}", "claim_id", claim_id, "round", n, "recognized", ok);
    rc = event_emit(c, "claim.round_decided", person, pl);
    json_decref(pl);
    return rc;
}

/* Evaluate inside the caller's transaction (access already checked). */
static op_code evaluate(ctx *c, const char *claim_id, const char *person, int n) {
    struct round r;
    op_code rc = load_round(c, claim_id, n, &r);
    if (rc || strcmp(r.status, "scheduled") != 0) return rc;
    return decide_round(c, claim_id, person, n, &r);
}

op_code ei_round_evaluate(ctx *c, const char *claim_id, int n, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    char person[ID_LEN];
    bool outer;
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
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
    return store_tx_end(c->db, &c->err, outer, rc);
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
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
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
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- batches ---- */

int ei_batch_chunk_size = 2000;

op_code ei_due_list(ctx *c, const char *sql, const char *day, struct ei_due **out, size_t *n) {
    *out = NULL;
    *n = 0;
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, day);
    size_t cap = 0;
    struct ei_due *v = NULL;
    int s;
    while ((s = store_step(st, &c->err)) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            struct ei_due *g = realloc(v, cap * sizeof *v);
            if (!g) abort(); /* as the arena does */
            v = g;
        }
        snprintf(v[*n].claim, ID_LEN, "%s", store_col_text(st, 0));
        v[(*n)++].round = (int)store_col_int(st, 1);
    }
    store_reset(st);
    if (s == STORE_ERROR) {
        free(v);
        *n = 0;
        return c->err.code;
    }
    *out = v;
    return OP_OK;
}

/* SQLite: a chunk's transaction dirties more pages than the connection's small default cache
 * holds (it would spill them to the WAL mid-transaction); the batch's connection gets a bigger
 * cache until the batch ends.  PostgreSQL: nothing to do. */
#define BATCH_CACHE_SQL "PRAGMA cache_size = -262144" /* KiB: 256 MiB */

op_code ei_batch_chunk_begin(ctx *c, struct ei_chunk *k) {
    if (!k->scratch) {
        k->scratch = arena_new(1 << 20); /* one claim's work fits: reset keeps it */
        store_stmt *st = store_kind(c->db) == STORE_SQLITE ? store_query(c->db, &c->err, "PRAGMA cache_size", "") : NULL;
        if (st) {
            k->cache_pages = store_col_int(st, 0);
            store_reset(st);
            if (store_exec(c->db, &c->err, NULL, BATCH_CACHE_SQL, "")) return c->err.code;
        }
        if (c->err.code) return c->err.code;
    }
    op_code rc = store_tx_begin(c->db, &c->err, &k->outer);
    if (rc) return rc;
    /* What the worker's audit.drop_chained_pending task does every 10 s: keeps the table the
     * audit committer reads small while a batch fills it. */
    if (audit_drop_chained_pending(c) < 0) return store_tx_end(c->db, &c->err, k->outer, c->err.code ? c->err.code : OP_STORE);
    k->keep = c->a;
    c->a = k->scratch;
    return OP_OK;
}

op_code ei_batch_chunk_end(ctx *c, struct ei_chunk *k, op_code rc) {
    c->a = k->keep;
    rc = store_tx_end(c->db, &c->err, k->outer, rc);
    if (k->outer || c->audit_wait) { /* committed (or rolled back): the committer chains the chunk's
                                       * records now; refusals' records leave the scratch arena */
        audit_ticket *t = audit_submit(c);
        if (t) audit_ticket_finish(t);
    }
    arena_reset(k->scratch);
    return rc;
}

void ei_batch_item_done(ctx *c, struct ei_chunk *k) {
    /* A refusal's audit record waits in a ticket whose holder lives in the arena (audit_record):
     * keep the arena until ei_batch_chunk_end has submitted it. */
    if (!c->audit_wait) arena_reset(k->scratch);
}

void ei_batch_done(ctx *c, struct ei_chunk *k) {
    c->audit_flush = true; /* ctx_release waits until the batch's records are chained */
    if (k->cache_pages) {
        op_err e = {0};
        store_exec(c->db, &e, NULL, arena_printf(c->a, "PRAGMA cache_size = %lld", (long long)k->cache_pages), "");
    }
    if (k->scratch) arena_free(k->scratch);
    k->scratch = NULL;
    k->cache_pages = 0;
}

/* One listed round in the chunk's transaction: the round, its claim and the access facts in one
 * query; skipped when the claim was closed or the round decided since it was listed. */
static op_code evaluate_listed(ctx *c, const char *claim_id, int n) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT er.period_from, er.period_to, er.recognition_date, er.status, ec.claimant_category,"
                                 " ec.status, ec.person_id, " ACCESS_FACTS_COLS " FROM ei_rounds er"
                                 " JOIN ei_claims ec ON ec.id = er.claim_id, " ACCESS_FACTS_FROM
                                 " WHERE p.id = ec.person_id AND er.claim_id = ? AND er.round = ?",
                                 "ssi", c->who.id, claim_id, (int64_t)n);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim has no round %d", n);
    struct round r;
    access_facts f;
    char person[ID_LEN];
    round_read(st, 0, &r);
    bool open = strcmp(store_col_text(st, 5), "active") == 0 || strcmp(store_col_text(st, 5), "suspended") == 0;
    snprintf(person, sizeof person, "%s", store_col_text(st, 6));
    access_facts_read(st, 7, &f);
    store_reset(st);
    if (!open) return OP_OK;
    access_decision d;
    op_code rc = access_person_facts(c, PD_UPDATE, "ei_round", claim_id, person, &f, &d);
    if (rc || strcmp(r.status, "scheduled") != 0) return rc;
    return decide_round(c, claim_id, person, n, &r);
}

long ei_rounds_evaluate_due(ctx *c, int64_t day) {
    char d[11];
    date_format(day, d);
    long done = 0;
    size_t chunk = ei_batch_chunk_size > 0 ? (size_t)ei_batch_chunk_size : 1;
    struct ei_chunk k = {0};
    for (;;) { /* listed once; again for rounds that fell due meanwhile */
        struct ei_due *due;
        size_t n;
        if (ei_due_list(c,
                        "SELECT r.claim_id, r.round FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id"
                        " WHERE r.status = 'scheduled' AND r.recognition_date <= ? AND c.status IN ('active','suspended')"
                        " ORDER BY r.claim_id, r.round", /* claim order: neighbours share pages */
                        d, &due, &n)) {
            done = -1;
            break;
        }
        for (size_t i = 0; i < n && done >= 0; i += chunk) {
            size_t end = i + chunk < n ? i + chunk : n;
            op_code rc = ei_batch_chunk_begin(c, &k);
            if (rc) {
                done = -1;
                break;
            }
            for (size_t j = i; !rc && j < end; j++) {
                rc = evaluate_listed(c, due[j].claim, due[j].round);
                ei_batch_item_done(c, &k);
            }
            if (ei_batch_chunk_end(c, &k, rc)) done = -1;
            else done += (long)(end - i);
        }
        free(due);
        if (n == 0 || done < 0) break;
    }
    ei_batch_done(c, &k);
    return done;
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
