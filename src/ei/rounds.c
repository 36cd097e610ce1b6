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
    json_t *ev = store_col_null(st, 4) ? NULL : ei_round_evaluation_json(store_col_text(st, 4));
    json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "claim_id", claim_id, "round", n,
                          "period_from", ei_sn(st, 0), "period_to", ei_sn(st, 1), "recognition_date", ei_sn(st, 2),
                          "status", ei_sn(st, 3), "evaluation", ev ? ev : json_null(), "override_by", ei_sn(st, 5),
                          "override_reason", ei_sn(st, 6), "decided_at", ei_sn(st, 7));
    store_reset(st);
    return o;
}

/* A round's facts for the recognition rules: its diary entries inside the period. */
struct round_facts {
    const char *claim, *person, *category, *rdate;
    int round;
    size_t n, cap;
    pol_activity *acts; /* c->a */
};

static void facts_add(ctx *c, struct round_facts *f, const char *day, const char *type) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        pol_activity *g = arena_alloc(c->a, cap * sizeof *g);
        if (f->n) memcpy(g, f->acts, f->n * sizeof *g);
        f->acts = g;
        f->cap = cap;
    }
    date_parse(day, &f->acts[f->n].day);
    f->acts[f->n++].type = arena_strdup(c->a, type);
}

/* A code of ours (claimant category, activity type: checked on the way in) as a JSON string
 * body: only [a-z0-9_] needs no escaping, anything else is refused rather than written raw. */
static bool plain_code(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* Decide the round with the pack's rules (pol_recognition_decide: no trace) and render what is
 * stored - the decision and the calculator request it came from, from which the trace is
 * re-derived when the round is read (ei_round_evaluation_json; docs/DECISIONS.md 15) - and the
 * event's payload.  Both rendered by hand: no JSON tree per round in a batch of millions. */
static op_code round_decide(ctx *c, struct round_facts *f, bool *ok, const char **evaluation, const char **payload) {
    int64_t rd;
    pol_recognition r;
    if (!date_parse(f->rdate, &rd) || !plain_code(f->category))
        return op_fail(&c->err, OP_INTERNAL, NULL, "round %d of claim %s has unreadable facts", f->round, f->claim);
    op_code rc = pol_recognition_decide(c->a, EI_COUNTRY, f->round, f->category, f->acts, f->n, rd, &r, &c->err);
    if (rc) return rc;
    size_t cap = 400 + f->n * 56, len;
    char *t = arena_alloc(c->a, cap);
    len = (size_t)snprintf(t, cap,
                           "{\"recognized\":%s,\"required_activities\":%lld,\"counted_activities\":%lld,"
                           "\"required_job_search\":%lld,\"counted_job_search\":%lld,\"request\":{\"country\":\"" EI_COUNTRY
                           "\",\"round\":%d,\"claimant_category\":\"%s\",\"date\":\"%s\",\"activities\":[",
                           r.recognized ? "true" : "false", (long long)r.required, (long long)r.counted,
                           (long long)r.required_js, (long long)r.counted_js, f->round, f->category, f->rdate);
    for (size_t i = 0; i < f->n; i++) { /* sorted by day by the rules */
        char d[11];
        if (!plain_code(f->acts[i].type) || strlen(f->acts[i].type) > 24)
            return op_fail(&c->err, OP_INTERNAL, NULL, "claim %s has an activity of an unknown type", f->claim);
        date_format(f->acts[i].day, d);
        len += (size_t)snprintf(t + len, cap - len, "%s{\"date\":\"%s\",\"type\":\"%s\"}", i ? "," : "", d, f->acts[i].type);
    }
    snprintf(t + len, cap - len, "]}}");
    *ok = r.recognized;
    *evaluation = t;
    *payload = arena_printf(c->a, "{\"claim_id\":\"%s\",\"round\":%d,\"recognized\":%s}", f->claim, f->round,
                            r.recognized ? "true" : "false");
    return OP_OK;
}

/* Record the decision of a round still scheduled: *changed false when another evaluator (the
 * hourly task on its thread, the daily batch on its own, another process) decided it since it was
 * read. */
static op_code round_store(ctx *c, const struct round_facts *f, bool ok, const char *evaluation, const char *ts,
                           bool *changed) {
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "UPDATE ei_rounds SET status = ?, evaluation = ?, decided_at = ? WHERE claim_id = ? AND round = ?"
                            " AND status = 'scheduled'",
                            "ssssi", ok ? "recognized" : "not_recognized", evaluation, ts, f->claim, (int64_t)f->round);
    *changed = n > 0;
    return rc;
}

/* Decide a scheduled round inside the caller's transaction (access already checked). */
static op_code decide_round(ctx *c, const char *claim_id, const char *person, int n, const struct round *r) {
    struct round_facts f = {.claim = claim_id, .person = person, .category = r->category, .rdate = r->rdate, .round = n};
    store_stmt *st = store_prepare(c->db,
                                   "SELECT day, type FROM ei_activities WHERE claim_id = ? AND day >= ? AND day <= ?"
                                   " ORDER BY day, id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, claim_id);
    store_bind_text(st, 2, r->from);
    store_bind_text(st, 3, r->to);
    int s;
    while ((s = store_step(st, &c->err)) == STORE_ROW) facts_add(c, &f, store_col_text(st, 0), store_col_text(st, 1));
    store_reset(st);
    if (s == STORE_ERROR) return c->err.code;
    bool ok = false, changed = false;
    const char *evaluation = NULL, *payload = NULL;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    op_code rc = round_decide(c, &f, &ok, &evaluation, &payload);
    if (rc || (rc = round_store(c, &f, ok, evaluation, ts, &changed)) || !changed) return rc;
    const char *ev[3] = {"claim.round_decided", person, payload};
    return event_emit_many(c, 1, ev);
}

json_t *ei_round_evaluation_json(const char *text) {
    json_t *stored = text ? json_loads(text, 0, NULL) : NULL, *req = json_object_get(stored, "request"), *full = NULL;
    if (!req || json_object_get(stored, "trace")) return stored; /* decided before DECISIONS 15: stored whole */
    arena *a = arena_new(1 << 14);
    op_err e = {0};
    if (pol_run("ei-recognition", a, req, &full, &e) == OP_OK &&
        json_equal(json_object_get(full, "recognized"), json_object_get(stored, "recognized"))) {
        json_object_set(full, "request", req);
        json_decref(stored);
        arena_free(a);
        return full;
    }
    /* the pack in force now reads the request differently (or not at all): the decision as made */
    json_object_set_new(stored, "trace_unavailable",
                        json_string(full ? "the policy pack in force now gives another result for this request"
                                         : e.detail[0] ? e.detail : "the request cannot be evaluated now"));
    json_decref(full);
    arena_free(a);
    return stored;
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

op_code ei_due_list(ctx *c, const char *sql, const char *day, const char *since, struct ei_due **out, size_t *n) {
    *out = NULL;
    *n = 0;
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, day);
    if (since) store_bind_text(st, 2, since);
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

void ei_chunk_bind(store_stmt *st, int col, const struct ei_due *first, const struct ei_due *last) {
    store_bind_text(st, col, first->claim);
    store_bind_text(st, col + 1, last->claim);
    store_bind_text(st, col + 2, first->claim);
    store_bind_int(st, col + 3, first->round);
    store_bind_text(st, col + 4, last->claim);
    store_bind_int(st, col + 5, last->round);
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

/* One chunk of the batch, set-based: the listed rounds first..last that are still scheduled and due, each with its claim, the access facts and the diary
 * entries inside its period, in one query in claim order (a round's rows are adjacent); the
 * access decisions' audit records and the events are written with multi-row statements, the
 * rounds one UPDATE each.  The status and due date are tested through CASE so that the planner
 * walks the claims' key range instead of the due-rounds index (every due round of the day). */
static op_code evaluate_chunk(ctx *c, const struct ei_due *first, const struct ei_due *last, const char *day, long *done) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT er.claim_id, er.round, er.recognition_date, ec.claimant_category, ec.person_id,"
                                   " a.day, a.type, " ACCESS_FACTS_COLS " FROM ei_rounds er JOIN ei_claims ec ON ec.id = er.claim_id"
                                   " LEFT JOIN ei_activities a ON a.claim_id = er.claim_id AND a.day >= er.period_from"
                                   " AND a.day <= er.period_to, " ACCESS_FACTS_FROM
                                   " WHERE p.id = ec.person_id AND " EI_CHUNK_RANGE
                                   " AND CASE WHEN er.status = 'scheduled' THEN er.recognition_date END <= ?"
                                   " AND ec.status IN ('active','suspended') ORDER BY er.claim_id, er.round, a.day, a.id",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, c->who.id);
    ei_chunk_bind(st, 2, first, last);
    store_bind_text(st, 8, day);
    size_t n = 0, cap = 0;
    struct round_facts *f = NULL;
    access_facts *af = NULL;
    const char **claims = NULL, **persons = NULL;
    int s;
    while ((s = store_step(st, &c->err)) == STORE_ROW) {
        const char *claim = store_col_text(st, 0);
        int round = (int)store_col_int(st, 1);
        if (!n || f[n - 1].round != round || strcmp(f[n - 1].claim, claim) != 0) {
            if (n == cap) { /* grown in the chunk's scratch arena */
                cap = cap ? cap * 2 : 256;
                struct round_facts *g = arena_alloc(c->a, cap * sizeof *g);
                access_facts *h = arena_alloc(c->a, cap * sizeof *h);
                const char **ci = arena_alloc(c->a, cap * sizeof *ci), **pi = arena_alloc(c->a, cap * sizeof *pi);
                if (n) {
                    memcpy(g, f, n * sizeof *g);
                    memcpy(h, af, n * sizeof *h);
                    memcpy(ci, claims, n * sizeof *ci);
                    memcpy(pi, persons, n * sizeof *pi);
                }
                f = g, af = h, claims = ci, persons = pi;
            }
            f[n] = (struct round_facts){.claim = arena_strdup(c->a, claim), .person = arena_strdup(c->a, store_col_text(st, 4)),
                                        .category = arena_strdup(c->a, store_col_text(st, 3)),
                                        .rdate = arena_strdup(c->a, store_col_text(st, 2)), .round = round};
            access_facts_read(st, 7, &af[n]);
            claims[n] = f[n].claim;
            persons[n] = f[n].person;
            n++;
        }
        if (!store_col_null(st, 5)) facts_add(c, &f[n - 1], store_col_text(st, 5), store_col_text(st, 6));
    }
    store_reset(st);
    if (s == STORE_ERROR) return c->err.code;
    if (!n) return OP_OK;
    access_decision *d = arena_alloc(c->a, n * sizeof *d);
    bool *allowed = arena_alloc(c->a, n * sizeof *allowed);
    const char **ev = arena_alloc(c->a, n * 3 * sizeof *ev);
    op_code rc = access_person_facts_many(c, PD_UPDATE, "ei_round", n, claims, persons, af, d, allowed);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    size_t ne = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bool ok = false, changed = false;
        const char *evaluation = NULL, *payload = NULL;
        if (!allowed[i]) {
            rc = op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access", "%s", d[i].reason);
        } else if (!(rc = round_decide(c, &f[i], &ok, &evaluation, &payload)) &&
                   !(rc = round_store(c, &f[i], ok, evaluation, ts, &changed)) && changed) {
            ev[ne * 3] = "claim.round_decided";
            ev[ne * 3 + 1] = f[i].person;
            ev[ne * 3 + 2] = payload;
            ne++;
        }
    }
    if (!rc) rc = event_emit_many(c, ne, ev);
    if (!rc) *done += (long)ne;
    return rc;
}

long ei_rounds_evaluate_due(ctx *c, int64_t day) {
    char d[11];
    date_format(day, d);
    long done = 0;
    size_t chunk = ei_batch_chunk_size > 0 ? (size_t)ei_batch_chunk_size : 1;
    struct ei_chunk k = {0};
    bool stopped = false;
    for (;;) { /* listed once; again for rounds that fell due meanwhile */
        struct ei_due *due;
        size_t n;
        if (ei_due_list(c,
                        /* the due rounds from the partial index ei_rounds_due, then sorted into claim order
                         * (neighbours share pages); materialised, or the planner walks every round ever
                         * scheduled in key order to spare the sort */
                        "WITH due AS MATERIALIZED (SELECT r.claim_id, r.round FROM ei_rounds r JOIN ei_claims c"
                        " ON c.id = r.claim_id WHERE r.status = 'scheduled' AND r.recognition_date <= ?"
                        " AND c.status IN ('active','suspended')) SELECT claim_id, round FROM due ORDER BY claim_id, round",
                        d, NULL, &due, &n)) {
            done = -1;
            break;
        }
        long before = done;
        for (size_t i = 0; i < n && done >= 0; i += chunk) {
            size_t end = i + chunk < n ? i + chunk : n;
            if (worker_stopping()) { /* between two chunks: the rest is for the next run */
                stopped = true;
                break;
            }
            op_code rc = ei_batch_chunk_begin(c, &k);
            if (rc) {
                done = -1;
                break;
            }
            rc = evaluate_chunk(c, &due[i], &due[end - 1], d, &done);
            if (ei_batch_chunk_end(c, &k, rc)) done = -1;
        }
        free(due);
        /* nothing decided in a pass (all listed rounds decided elsewhere meanwhile): stop */
        if (n == 0 || done < 0 || done == before || stopped) break;
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
