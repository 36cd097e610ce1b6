/* detection.c - employment detection: an insurance registration of a job start or end.
 *
 * Start (in the caller's one transaction): the spell is recorded; the person's open claim gets an
 * employment break from the start date (status suspended), so the payment batch withholds every
 * later day; the open job-seeker registration becomes "placed" (or "suspended" for daily and
 * short-term work); the job market hears of the hire; "employment.started" is emitted.  The
 * result is stored on the spell: a repeated registration (same person, employer and start) is
 * answered with it and changes nothing.
 * End: the spell gets its end date; a break it caused closes and, while the benefit window
 * lasts and entitlement remains, the claim is active again (a suspended registration too);
 * "employment.ended" is emitted. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "jobs/jobs.h"
#include "policy/calc.h"
#include "policy/policy.h"


static op_code set_registration(ctx *c, const char *person, const char *to, const char *reason, const char **now) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT status FROM jobseeker_registrations WHERE person_id = ? AND status IN ('active','suspended')",
                                 "s", person);
    *now = NULL;
    if (!st) return c->err.code;
    char cur[16];
    snprintf(cur, sizeof cur, "%s", store_col_text(st, 0));
    store_reset(st);
    if (strcmp(cur, to) == 0) {
        *now = arena_strdup(c->a, to);
        return OP_OK;
    }
    json_t *patch = json_pack("{s:s, s:s}", "status", to, "status_reason", reason);
    /* The registration follows from the reported job: the system makes that change (audited as
     * system:ei.detection), whoever reported the job. */
    ctx sys;
    ctx_begin_system(c, "ei.detection", "benefit_administration", &sys);
    op_code rc = jobseeker_update(&sys, person, patch, NULL);
    ctx_end_system(c, &sys);
    json_decref(patch);
    if (!rc) *now = arena_strdup(c->a, to);
    return rc;
}

static op_code stored_result(ctx *c, const char *id, int col, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT start_result, end_result, end_date FROM ei_employment WHERE id = ?",
                                 "s", id);
    *out = NULL;
    if (!st) return c->err.code;
    if (!store_col_null(st, col)) *out = json_loads(store_col_text(st, col), 0, NULL);
    store_reset(st);
    return OP_OK;
}

static op_code spell_id(ctx *c, const struct ei_spell *s, char id[ID_LEN], bool *found) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id FROM ei_employment WHERE person_id = ? AND employer_key = ? AND start_date = ?",
                                 "sss", s->person_id, s->employer_key, s->start_date);
    *found = st != NULL;
    if (st) {
        snprintf(id, ID_LEN, "%s", store_col_text(st, 0));
        store_reset(st);
    }
    return c->err.code;
}

/* Early re-employment allowance (조기재취업수당) the new job may earn, from the calculator: shown in
 * the result and the event; it is paid on application after the tenure it requires. */
static json_t *early_reemployment(ctx *c, const char *claim, const struct ei_spell *s) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT c.payable_days, c.days_paid, c.daily_amount, c.separation_date, p.birth_date"
                                 " FROM ei_claims c JOIN persons p ON p.id = c.person_id WHERE c.id = ?",
                                 "s", claim);
    if (!st) return json_null();
    int64_t payable = store_col_int(st, 0), paid = store_col_int(st, 1), daily = store_col_int(st, 2), sep = 0, birth = 0;
    date_parse(store_col_text(st, 3), &sep);
    bool has_birth = !store_col_null(st, 4) && date_parse(store_col_text(st, 4), &birth);
    store_reset(st);
    if (!has_birth) return json_null();
    int64_t tenure = s->end_date ? (s->end - s->start + 1) * 12 / 365 : 12;
    json_t *req = json_pack("{s:s, s:I, s:I, s:I, s:i, s:s, s:I}", "country", EI_COUNTRY, "prescribed_days",
                            (json_int_t)payable, "days_paid", (json_int_t)paid, "daily_amount", (json_int_t)daily,
                            "age_at_separation", pol_age_on(birth, sep), "reemployment_date", s->start_date,
                            "expected_tenure_months", (json_int_t)tenure),
           *res = NULL, *o = json_null();
    op_err e = {0};
    if (pol_run("ei-early-reemployment", c->a, req, &res, &e) == OP_OK) {
        json_decref(o);
        o = json_pack("{s:O, s:O, s:O, s:O}", "eligible", json_object_get(res, "eligible"), "amount",
                      json_object_get(res, "amount"), "remaining_days", json_object_get(res, "remaining_days"), "reasons",
                      json_object_get(res, "reasons"));
    }
    json_decref(req);
    json_decref(res);
    return o;
}

op_code ei_job_start(ctx *c, const struct ei_spell *s, const char *vacancy, const char *occupation, json_t **out,
                     bool *replay) {
    char id[ID_LEN], claim[ID_LEN], cstatus[16], ts[CLOCK_TS_LEN];
    bool found, created;
    op_code rc = spell_id(c, s, id, &found);
    if (rc) return rc;
    if (found) {
        if ((rc = stored_result(c, id, 0, out))) return rc;
        if (*out) {
            *replay = true;
            return OP_OK;
        }
    }
    if ((rc = ei_spell_store(c, s, "registration", id, &created))) return rc;
    clock_now_ts(ts);
    json_t *res = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b}", "event", "start", "employment_id", id,
                            "person_id", s->person_id, "start_date", s->start_date, "claim_id", json_null(),
                            "claim_status", json_null(), "payments_withheld_from", json_null(), "registration_status",
                            json_null(), "vacancy_matched", 0);
    if (ei_open_claim(c, s->person_id, claim, cstatus)) {
        int64_t n = 0;
        if ((rc = store_exec(c->db, &c->err, &n,
                             "INSERT INTO ei_breaks (claim_id, employment_id, from_date, to_date) VALUES (?,?,?,?)"
                             " ON CONFLICT DO NOTHING",
                             "ssss", claim, id, s->start_date, s->end_date)) ||
            (rc = store_exec(c->db, &c->err, NULL,
                             "UPDATE ei_claims SET status = 'suspended', version = version + 1, updated_at = ? WHERE id = ?",
                             "ss", ts, claim)))
            goto fail;
        json_object_set_new(res, "claim_id", json_string(claim));
        json_object_set_new(res, "claim_status", json_string("suspended"));
        json_object_set_new(res, "payments_withheld_from", json_string(s->start_date));
        if ((rc = ei_status_event(c, claim, s->person_id, cstatus, "suspended", s->start_date, "employment registered")))
            goto fail;
        /* Rounds covering days from the start may have been paid before the registration came. */
        struct ei_recovery rq = {claim, s->person_id, s->start, id, "overpayment", arena_printf(c->a, "overpaid:%s", id),
                                 NULL, 0, arena_printf(c->a, "employment from %s registered after payment", s->start_date)};
        json_t *order;
        if ((rc = ei_recovery_open(c, &rq, &order))) goto fail;
        json_object_set_new(res, "recovery", order);
        if (json_is_object(order) &&
            (rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_claims SET days_paid = days_paid - ? WHERE id = ?", "is",
                             (int64_t)json_integer_value(json_object_get(order, "days")), claim)))
            goto fail;
        json_t *early = early_reemployment(c, claim, s);
        json_object_set_new(res, "early_reemployment", early);
        if ((rc = ei_reemploy_record(c, claim, s->person_id, id, s->start_date, early))) goto fail;
    } else if (c->err.code) {
        rc = c->err.code;
        goto fail;
    }
    bool short_work = strcmp(s->insurance_type, "daily") == 0 || strcmp(s->insurance_type, "short_term") == 0 ||
                      (s->end_date && s->end - s->start < 30);
    const char *reg;
    if ((rc = set_registration(c, s->person_id, short_work ? "suspended" : "placed", "employment registered", &reg)))
        goto fail;
    if (reg) json_object_set_new(res, "registration_status", json_string(reg));
    if (s->employer_id || vacancy) {
        bool matched = false;
        if ((rc = jobs_employment_registered(c, s->employer_id, vacancy, occupation, &matched))) {
            if (rc != OP_NOT_FOUND && rc != OP_CONFLICT) goto fail;
            op_clear(&c->err);
        }
        json_object_set_new(res, "vacancy_matched", json_boolean(matched));
    }
    if ((rc = event_emit(c, "employment.started", s->person_id, res))) goto fail;
    if ((rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_employment SET start_result = ? WHERE id = ?", "ss",
                         jx_dump(c->a, res), id)))
        goto fail;
    *out = res;
    return OP_OK;
fail:
    json_decref(res);
    return rc;
}

op_code ei_job_end(ctx *c, const struct ei_spell *s, json_t **out, bool *replay) {
    char id[ID_LEN], ts[CLOCK_TS_LEN];
    bool found, created;
    op_code rc = spell_id(c, s, id, &found);
    if (rc) return rc;
    if (found) {
        store_stmt *st = store_query(c->db, &c->err, "SELECT end_date FROM ei_employment WHERE id = ? AND end_result IS NOT NULL",
                                     "s", id);
        if (st) {
            bool same = !store_col_null(st, 0) && strcmp(store_col_text(st, 0), s->end_date) == 0;
            store_reset(st);
            if (same) {
                *replay = true;
                return stored_result(c, id, 1, out);
            }
        }
        if (c->err.code) return c->err.code;
    }
    if ((rc = ei_spell_store(c, s, "registration", id, &created))) return rc;
    clock_now_ts(ts);
    json_t *res = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "event", "end", "employment_id", id, "person_id",
                            s->person_id, "end_date", s->end_date, "claim_id", json_null(), "claim_status", json_null(),
                            "payments_resume_from", json_null(), "registration_status", json_null());
    /* Close the breaks this employment caused. */
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT b.claim_id, c.status, c.benefit_window_end, c.payable_days - c.days_paid"
                                 " FROM ei_breaks b JOIN ei_claims c ON c.id = b.claim_id"
                                 " WHERE b.employment_id = ? AND c.status IN ('active','suspended')",
                                 "s", id);
    if (st) {
        char claim[ID_LEN], wend[11], cur[16];
        snprintf(claim, sizeof claim, "%s", store_col_text(st, 0));
        snprintf(cur, sizeof cur, "%s", store_col_text(st, 1));
        snprintf(wend, sizeof wend, "%s", store_col_null(st, 2) ? "" : store_col_text(st, 2));
        int64_t remaining = store_col_int(st, 3), we = 0, resume = s->end + 1;
        store_reset(st);
        date_parse(wend, &we);
        if ((rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_breaks SET to_date = ? WHERE claim_id = ? AND employment_id = ?",
                             "sss", s->end_date, claim, id)))
            goto fail;
        st = store_query(c->db, &c->err, "SELECT 1 FROM ei_breaks WHERE claim_id = ? AND to_date IS NULL", "s", claim);
        bool other_open = st != NULL;
        if (st) store_reset(st);
        if (c->err.code) { rc = c->err.code; goto fail; }
        const char *status = "suspended";
        if (!other_open && remaining > 0 && resume <= we) {
            status = "active";
            char r[11];
            date_format(resume, r);
            json_object_set_new(res, "payments_resume_from", json_string(r));
            if ((rc = ei_status_event(c, claim, s->person_id, cur, "active", r, "employment ended")))
                goto fail;
            const char *reg;
            if ((rc = store_exec(c->db, &c->err, NULL,
                                 "UPDATE ei_claims SET status = 'active', version = version + 1, updated_at = ? WHERE id = ?",
                                 "ss", ts, claim)))
                goto fail;
            st = store_query(c->db, &c->err,
                             "SELECT 1 FROM jobseeker_registrations WHERE person_id = ? AND status = 'suspended'", "s",
                             s->person_id);
            if (st) {
                store_reset(st);
                if ((rc = set_registration(c, s->person_id, "active", "employment ended", &reg))) goto fail;
                json_object_set_new(res, "registration_status", json_string("active"));
            }
            if (c->err.code) { rc = c->err.code; goto fail; }
        } else if (!other_open) {
            status = "closed"; /* nothing left inside the benefit window */
            char r[11];
            date_format(resume, r);
            if ((rc = ei_status_event(c, claim, s->person_id, cur, "closed", r, "employment ended; no entitlement left in the benefit window")))
                goto fail;
            if ((rc = store_exec(c->db, &c->err, NULL,
                                 "UPDATE ei_claims SET status = 'closed', version = version + 1, updated_at = ? WHERE id = ?",
                                 "ss", ts, claim)))
                goto fail;
        }
        json_object_set_new(res, "claim_id", json_string(claim));
        json_object_set_new(res, "claim_status", json_string(status));
    } else if (c->err.code) {
        rc = c->err.code;
        goto fail;
    }
    if ((rc = event_emit(c, "employment.ended", s->person_id, res))) goto fail;
    if ((rc = store_exec(c->db, &c->err, NULL, "UPDATE ei_employment SET end_result = ? WHERE id = ?", "ss",
                         jx_dump(c->a, res), id)))
        goto fail;
    *out = res;
    return OP_OK;
fail:
    json_decref(res);
    return rc;
}

static const char *const EVENTS[] = {"start", "end", NULL};
static const char *const EXTRA[] = {"event", "vacancy_id", "occupation", NULL};

op_code ei_registration_check(ctx *c, const json_t *in, struct ei_reg_line *l, char hash[65]) {
    op_code rc;
    const char *ev = NULL;
    memset(l, 0, sizeof *l);
    if (!json_is_object(in)) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "a registration must be a JSON object");
    if ((rc = jx_enum(in, "event", false, EVENTS, &ev, &c->err)) ||
        (rc = jx_str(in, "vacancy_id", false, 64, &l->vacancy, &c->err)) ||
        (rc = jx_str(in, "occupation", false, 8, &l->occupation, &c->err)))
        return rc;
    l->end = ev && strcmp(ev, "end") == 0;
    if (l->vacancy && !id_is_uuid(l->vacancy))
        return op_fail_field(&c->err, OP_VALIDATION, "vacancy_id", NULL, "vacancy_id is not a vacancy id");
    return ei_spell_check(c, in, EXTRA, l->end, &l->s, hash);
}

op_code ei_registration(ctx *c, const json_t *in, json_t **out, bool *replay) {
    op_clear(&c->err); /* a reused context may carry an old error */
    struct ei_reg_line l;
    char hash[65];
    bool outer;
    *out = NULL;
    *replay = false;
    op_code rc;
    if ((rc = ei_registration_check(c, in, &l, hash))) return rc;
    struct ei_spell s = l.s;
    const char *vacancy = l.vacancy, *occupation = l.occupation;
    bool end = l.end;
    store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    if (!st) return c->err.code ? c->err.code : ei_nid_unknown(c);
    snprintf(s.person_id, ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if (!(rc = ei_access(c, PD_UPDATE, "ei_employment", NULL, s.person_id)))
        rc = end ? ei_job_end(c, &s, out, replay) : ei_job_start(c, &s, vacancy, occupation, out, replay);
    return store_tx_end(c->db, &c->err, outer, rc);
}
