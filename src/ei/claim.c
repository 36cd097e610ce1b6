/* claim.c - benefit claims (구직급여 수급자격 신청): facts from the stored insured history, the
 * decision from the KR assess calculator (in-process), the job-seeker registration with its 7-day
 * due date, and the round schedule.  One open (active or suspended) claim per person. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "ei/ei_dup.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "policy/calc.h"
#include "policy/policy.h"

#define CLAIM_COLS                                                                                 \
    "SELECT id, person_id, country, status, separation_date, separation_reason, justified_reason," \
    " report_date, eligible, daily_amount, prescribed_days, payable_days, first_payable_date,"     \
    " benefit_window_end, days_paid, claimant_category, decision, version, created_at, updated_at" \
    " FROM ei_claims"

static bool is_saturday(int64_t d) { return ((d % 7) + 7) % 7 == 2; } /* 1970-01-03 was a Saturday */

op_code ei_claim_owner(ctx *c, const char *claim_id, char person_id[ID_LEN], char status[16]) {
    if (!claim_id || !id_is_uuid(claim_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    store_stmt *st = store_query(c->db, &c->err, "SELECT person_id, status FROM ei_claims WHERE id = ?", "s", claim_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    snprintf(person_id, ID_LEN, "%s", store_col_text(st, 0));
    if (status) snprintf(status, 16, "%s", store_col_text(st, 1));
    store_reset(st);
    return OP_OK;
}

op_code ei_status_event(ctx *c, const char *claim_id, const char *person_id, const char *from, const char *to,
                        const char *effective, const char *reason) {
    if (from && strcmp(from, to) == 0) return OP_OK;
    json_t *pl = json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:s}", "claim_id", claim_id, "person_id", person_id,
                           "previous_status", from, "status", to, "effective_date", effective, "reason", reason);
    op_code rc = event_emit(c, "benefit.status_changed", person_id, pl);
    json_decref(pl);
    return rc;
}

bool ei_open_claim(ctx *c, const char *person_id, char claim_id[ID_LEN], char status[16]) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id, status FROM ei_claims WHERE person_id = ? AND status IN ('active','suspended')",
                                 "s", person_id);
    if (!st) return false;
    snprintf(claim_id, ID_LEN, "%s", store_col_text(st, 0));
    if (status) snprintf(status, 16, "%s", store_col_text(st, 1));
    store_reset(st);
    return true;
}

bool ei_in_break(ctx *c, const char *claim_id, int64_t d) {
    char day[11];
    date_format(d, day);
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT 1 FROM ei_breaks WHERE claim_id = ? AND from_date <= ?"
                                 " AND (to_date IS NULL OR to_date >= ?)",
                                 "sss", claim_id, day, day);
    if (!st) return false;
    store_reset(st);
    return true;
}

/* ---- facts from the insured history ---- */
struct facts {
    int64_t unit_days, months, wages_3m, minutes;
    bool has_minutes, separating_spell, employed_now;
};

static op_code history_facts(ctx *c, const char *person_id, int64_t sep, int64_t report, struct facts *f) {
    memset(f, 0, sizeof *f);
    int64_t base_from = pol_add_months(sep, -18) + 1, w_from = pol_add_months(sep, -3) + 1;
    int64_t nbase = sep - base_from + 1;
    unsigned char *base = arena_alloc(c->a, (size_t)nbase);
    store_stmt *st = store_prepare(c->db, EI_SPELL_SELECT " WHERE person_id = ? AND start_date <= ? ORDER BY start_date",
                                   &c->err);
    if (!st) return c->err.code;
    char sday[11], rday[11];
    date_format(sep, sday);
    date_format(report, rday);
    store_bind_text(st, 1, person_id);
    store_bind_text(st, 2, rday);
    int64_t earliest = sep;
    struct span { int64_t a, b; } spans[256];
    int nsp = 0, r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        int64_t a, b = INT64_MAX;
        date_parse(store_col_text(st, 4), &a);
        if (!store_col_null(st, 5)) date_parse(store_col_text(st, 5), &b);
        if (a > sep) { /* started after the separation: employed again by the report date? */
            if (b >= report) f->employed_now = true;
            continue;
        }
        if (b > sep) { /* still running after the separation day */
            if (b >= report) f->employed_now = true;
            b = sep;
        }
        if (!store_col_null(st, 5) && strcmp(store_col_text(st, 5), sday) == 0) {
            f->separating_spell = true;
            if (!store_col_null(st, 6)) {
                f->has_minutes = true;
                f->minutes = store_col_int(st, 6);
            }
        }
        if (nsp < 256) spans[nsp++] = (struct span){a, b};
        if (a < earliest) earliest = a;
        for (int64_t d = a > base_from ? a : base_from; d <= b; d++)
            if (!is_saturday(d)) base[d - base_from] = 1;
        int64_t wa = a > w_from ? a : w_from;
        if (wa <= b && !store_col_null(st, 7))
            f->wages_3m += store_col_int(st, 7) * 12 * (b - wa + 1) / 365;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    for (int64_t i = 0; i < nbase; i++) f->unit_days += base[i];
    /* insured period in months: the union of the spells up to the separation */
    int64_t n = sep - earliest + 1, days = 0;
    unsigned char *all = arena_alloc(c->a, (size_t)n);
    for (int i = 0; i < nsp; i++)
        for (int64_t d = spans[i].a; d <= spans[i].b; d++) all[d - earliest] = 1;
    for (int64_t i = 0; i < n; i++) days += all[i];
    f->months = days * 12 / 365;
    return OP_OK;
}

/* ---- duplicate-benefit check (hook, ei_dup.h) ---- */

static ei_dup_partner_fn dup_partner;
void ei_claim_set_dup_partner(ei_dup_partner_fn fn) { dup_partner = fn; }

/* At filing, in the claim's transaction: the check's first state, and the event that runs it. */
static op_code dup_begin(ctx *c, const char *claim_id, const char *person_id, const char *ts) {
    char partner[72] = "";
    int has = dup_partner ? dup_partner(c, partner) : 0;
    const char *status = has > 0 ? "pending" : has < 0 ? "failed" : "not_checked";
    const char *error = has < 0 ? arena_strdup(c->a, c->err.detail) : NULL;
    op_clear(&c->err);
    op_code rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO ei_dup_checks (claim_id, person_id, partner_id, status, error, updated_at) VALUES (?,?,?,?,?,?)",
                            "ssssss", claim_id, person_id, has > 0 ? partner : NULL, status, error, ts);
    if (rc || has <= 0) return rc;
    json_t *pl = json_pack("{s:s, s:s, s:s}", "claim_id", claim_id, "person_id", person_id, "partner", partner);
    rc = event_emit(c, "claim.dup_check", arena_printf(c->a, "ei-dup:%s", claim_id), pl);
    json_decref(pl);
    return rc;
}

op_code ei_claim_dup_record(ctx *c, const char *claim_id, const char *status, const char *tid, const json_t *programmes,
                            const char *error) {
    char person[ID_LEN];
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = ei_access(c, PD_UPDATE, "ei_claim", claim_id, person))) return rc;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL,
                      "UPDATE ei_dup_checks SET status = ?, transaction_id = COALESCE(?, transaction_id), programmes = ?, error = ?,"
                      " attempts = attempts + 1, updated_at = ? WHERE claim_id = ? AND status IN ('pending','failed')",
                      "ssssss", status, tid, programmes ? jx_dump(c->a, programmes) : NULL, error, ts, claim_id);
}

op_code ei_claim_dup_review(ctx *c, const char *claim_id, const json_t *in, json_t **out) {
    static const char *const fields[] = {"outcome", "reason", NULL};
    static const char *const outcomes[] = {"no_conflict", "conflict", NULL};
    const char *outcome, *reason;
    char person[ID_LEN];
    bool outer;
    op_clear(&c->err);
    *out = NULL;
    op_code rc;
    if ((rc = jx_only(in, fields, NULL, &c->err)) || (rc = jx_enum(in, "outcome", true, outcomes, &outcome, &c->err)) ||
        (rc = jx_str(in, "reason", true, 500, &reason, &c->err)))
        return rc;
    if (!*reason) return op_fail_field(&c->err, OP_VALIDATION, "reason", "say what the review found", "reason is empty");
    if ((rc = ei_claim_owner(c, claim_id, person, NULL)) || (rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_claim", claim_id, person))) goto out;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    int64_t n = 0;
    if ((rc = store_exec(c->db, &c->err, &n,
                         "UPDATE ei_dup_checks SET review_outcome = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?,"
                         " updated_at = ? WHERE claim_id = ? AND status = 'enrolled' AND review_outcome IS NULL",
                         "ssssss", outcome, reason, c->who.id, ts, ts, claim_id)))
        goto out;
    if (n == 0) {
        rc = op_fail(&c->err, OP_CONFLICT, "GET the claim: duplicate_benefit shows the check and any review",
                     "the claim has no duplicate-benefit finding waiting for review");
        goto out;
    }
    json_t *pl = json_pack("{s:s, s:s}", "claim_id", claim_id, "outcome", outcome);
    rc = event_emit(c, "claim.duplicate_reviewed", person, pl);
    json_decref(pl);
    if (!rc) rc = ei_claim_render(c, claim_id, out);
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* duplicate_benefit {status, partner, transaction_id?, programmes?, error?, attempts, updated_at,
 * review?} and its reason; review_required while the IBR's report of another benefit has not
 * been reviewed (its payments are held meanwhile: payment.c). */
static op_code dup_render(ctx *c, const char *claim_id, json_t *o) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT status, partner_id, transaction_id, programmes, error, attempts, updated_at,"
                                 " review_outcome, review_reason, reviewed_at FROM ei_dup_checks WHERE claim_id = ?",
                                 "s", claim_id);
    if (!st) { /* a refused claim: nothing to check */
        json_object_set_new(o, "duplicate_benefit", json_null());
        json_object_set_new(o, "review_required", json_false());
        return c->err.code;
    }
    const char *status = arena_strdup(c->a, store_col_text(st, 0));
    json_t *d = json_pack("{s:s, s:o, s:o, s:I, s:o}", "status", status, "partner", ei_sn(st, 1), "transaction_id", ei_sn(st, 2),
                          "attempts", (json_int_t)store_col_int(st, 5), "updated_at", ei_sn(st, 6));
    json_t *progs = store_col_null(st, 3) ? NULL : json_loads(store_col_text(st, 3), 0, NULL);
    if (progs) json_object_set_new(d, "programmes", progs);
    if (!store_col_null(st, 4)) json_object_set_new(d, "error", json_string(store_col_text(st, 4)));
    const char *error = store_col_null(st, 4) ? "" : arena_strdup(c->a, store_col_text(st, 4));
    const char *review = store_col_null(st, 7) ? NULL : arena_strdup(c->a, store_col_text(st, 7));
    if (review) /* the reviewer's account is in the audit log; the claimant sees the outcome */
        json_object_set_new(d, "review", json_pack("{s:s, s:o, s:o}", "outcome", review, "reason", ei_sn(st, 8),
                                                   "reviewed_at", ei_sn(st, 9)));
    store_reset(st);
    json_t *reasons = json_object_get(json_object_get(o, "decision"), "reasons");
    bool enrolled = strcmp(status, "enrolled") == 0;
    if (json_is_array(reasons)) {
        if (strcmp(status, "not_checked") == 0)
            pol_reason(reasons, "duplicate_benefit.not_checked", "no IBR is configured: enrolment in other benefit programmes was not checked");
        else if (strcmp(status, "pending") == 0)
            pol_reason(reasons, "duplicate_benefit.pending", "the IBR has not answered yet");
        else if (strcmp(status, "failed") == 0)
            pol_reason(reasons, "duplicate_benefit.failed", "the IBR could not be asked (%s); the check is retried", error);
        else if (enrolled && !review)
            pol_reason(reasons, "duplicate_benefit.enrolled",
                       "the IBR reports enrolment in another benefit programme: a counsellor reviews the claim before payment");
        else if (enrolled && strcmp(review, "no_conflict") == 0)
            pol_reason(reasons, "duplicate_benefit.cleared",
                       "the IBR reported another benefit programme; a counsellor's review found no conflict");
        else if (enrolled)
            pol_reason(reasons, "duplicate_benefit.conflict",
                       "the IBR reported another benefit programme and a counsellor's review confirmed the conflict: payments stay held");
    }
    json_object_set_new(o, "duplicate_benefit", d);
    json_object_set_new(o, "review_required", json_boolean(enrolled && !review));
    return OP_OK;
}

/* ---- filing ---- */

static op_code person_facts(ctx *c, const char *person_id, const char **birth, bool *disabled) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT birth_date, disability FROM persons WHERE id = ?", "s", person_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    *birth = arena_strdup(c->a, store_col_text(st, 0));
    *disabled = store_col_int(st, 1) != 0;
    store_reset(st);
    return OP_OK;
}

static op_code latest_separation(ctx *c, const char *person_id, int64_t report, const char **out) {
    char rday[11];
    date_format(report, rday);
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT MAX(end_date) FROM ei_employment WHERE person_id = ? AND end_date < ?", "ss",
                                 person_id, rday);
    *out = st && !store_col_null(st, 0) ? arena_strdup(c->a, store_col_text(st, 0)) : NULL;
    if (st) store_reset(st);
    if (c->err.code) return c->err.code;
    if (!*out)
        return op_fail_field(&c->err, OP_VALIDATION, "separation_date",
                             "import the insured history first (openpes ei import-employment)",
                             "the person has no insured employment that ended before the report date");
    return OP_OK;
}

static op_code attach_registration(ctx *c, const char *person_id, const char *claim_id, const char *report,
                                   const char *office) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id FROM jobseeker_registrations WHERE person_id = ? AND status IN ('active','suspended')",
                                 "s", person_id);
    op_code rc;
    if (st) {
        store_reset(st);
    } else {
        if (c->err.code) return c->err.code;
        if (!office && c->who.type == ACTOR_STAFF) office = c->who.office_id;
        if (!office)
            return op_fail_field(&c->err, OP_VALIDATION, "office", "name the job centre to register at",
                                 "the person has no open job-seeker registration: give office");
        json_t *body = json_pack("{s:s}", "office", office), *reg = NULL;
        rc = jobseeker_register(c, person_id, body, &reg);
        json_decref(body);
        json_decref(reg);
        if (rc) return rc;
    }
    return jobseeker_set_claim(c, person_id, claim_id, report);
}

op_code ei_claim_file(ctx *c, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    static const char *const keys[] = {"person_id", "separation_date", "separation_reason", "justified_reason",
                                       "report_date", "office", "bank_account", NULL};
    *out = NULL;
    const char *person_id = NULL, *sep_s = NULL, *reason = NULL, *justified = NULL, *report_s = NULL, *office = NULL;
    op_code rc;
    if ((rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_str(in, "person_id", false, 64, &person_id, &c->err)) ||
        (rc = jx_date(in, "separation_date", false, &sep_s, &c->err)) ||
        (rc = jx_str(in, "separation_reason", true, 64, &reason, &c->err)) ||
        (rc = jx_str(in, "justified_reason", false, 64, &justified, &c->err)) ||
        (rc = jx_date(in, "report_date", false, &report_s, &c->err)) ||
        (rc = jx_str(in, "office", false, 64, &office, &c->err)))
        return rc;
    json_t *bank_in = json_object_get(in, "bank_account");
    struct ei_bank bank;
    if (!bank_in || json_is_null(bank_in))
        return op_fail_field(&c->err, OP_VALIDATION, "bank_account",
                             "give the account the benefit is paid into: {bank_code, account_number, holder_name}",
                             "bank_account is required");
    if ((rc = ei_bank_parse(c, bank_in, "bank_account", &bank))) return rc;
    if (c->who.type == ACTOR_CITIZEN) {
        if (!c->who.person_id[0])
            return op_fail(&c->err, OP_VALIDATION, "create your profile first (POST /api/v1/me)",
                           "your account has no person record");
        if (person_id && strcmp(person_id, c->who.person_id) != 0)
            return op_fail_field(&c->err, OP_FORBIDDEN, "person_id", NULL, "citizens file claims for themselves only");
        person_id = c->who.person_id;
    }
    if (!person_id) return op_fail_field(&c->err, OP_VALIDATION, "person_id", NULL, "person_id is required");
    if (!id_is_uuid(person_id)) return op_fail_field(&c->err, OP_NOT_FOUND, "person_id", NULL, "the person does not exist");
    int64_t today = date_today(), report = today, sep = 0;
    if (report_s) date_parse(report_s, &report);
    if (report > today)
        return op_fail_field(&c->err, OP_VALIDATION, "report_date", NULL, "report_date is in the future");
    if (sep_s) {
        date_parse(sep_s, &sep);
        if (sep > today)
            return op_fail_field(&c->err, OP_VALIDATION, "separation_date", NULL, "separation_date is in the future");
        if (sep >= report)
            return op_fail_field(&c->err, OP_VALIDATION, "separation_date", "the report comes after the last day of work",
                                 "separation_date is not before report_date");
    }
    char claim_id[ID_LEN], ts[CLOCK_TS_LEN], rday[11], other[ID_LEN];
    id_uuid7(claim_id);
    date_format(report, rday);
    bool outer;
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    const char *birth = NULL;
    bool disabled = false;
    struct facts f;
    json_t *req = NULL, *res = NULL;
    if ((rc = ei_access(c, PD_UPDATE, "ei_claim", claim_id, person_id))) goto out;
    if (ei_open_claim(c, person_id, other, NULL)) {
        rc = op_fail(&c->err, OP_DUPLICATE, "see GET /api/v1/persons/{id}/claims", "the person already has an open claim");
        goto out;
    }
    if (c->err.code) { rc = c->err.code; goto out; }
    if ((rc = person_facts(c, person_id, &birth, &disabled))) goto out;
    if (!sep_s && (rc = latest_separation(c, person_id, report, &sep_s))) goto out;
    date_parse(sep_s, &sep);
    if ((rc = history_facts(c, person_id, sep, report, &f))) goto out;
    if (!f.separating_spell) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "separation_date", "check the insured history (GET .../employment)",
                           "no insured employment of the person ends on %s", sep_s);
        goto out;
    }
    req = json_pack("{s:s, s:s, s:s, s:b, s:s, s:I, s:I, s:I, s:s}", "country", EI_COUNTRY, "separation_date", sep_s,
                    "birth_date", birth, "disabled", disabled, "separation_reason", reason, "insured_unit_days",
                    (json_int_t)f.unit_days, "insured_months", (json_int_t)f.months, "wages_3m_total",
                    (json_int_t)f.wages_3m, "report_date", rday);
    if (justified) json_object_set_new(req, "justified_reason", json_string(justified));
    if (f.has_minutes) json_object_set_new(req, "daily_contract_hours", json_real((double)f.minutes / 60.0));
    if ((rc = pol_run("ei-assess", c->a, req, &res, &c->err))) goto out;
    bool eligible = json_is_true(json_object_get(res, "eligible"));
    json_t *reasons = json_object_get(res, "reasons");
    if (f.employed_now) {
        eligible = false;
        pol_reason(reasons, "employed", "the insured history shows employment on the report date");
    }
    int64_t birth_d = 0;
    date_parse(birth, &birth_d);
    const char *category = disabled ? "disabled" : pol_age_on(birth_d, sep) >= 60 ? "aged60plus" : "general";
    json_t *decision = json_pack("{s:b, s:O, s:O, s:O, s:{s:I, s:I, s:I, s:o}, s:O}", "eligible", eligible, "reasons",
                                 reasons, "waiting_period", json_object_get(res, "waiting_period"), "total_amount",
                                 json_object_get(res, "total_amount"), "facts", "insured_unit_days",
                                 (json_int_t)f.unit_days, "insured_months", (json_int_t)f.months, "wages_3m_total",
                                 (json_int_t)f.wages_3m, "daily_contract_hours",
                                 f.has_minutes ? json_real((double)f.minutes / 60.0) : json_null(), "trace",
                                 json_object_get(res, "trace"));
    char *dtext = jx_dump(c->a, decision);
    json_decref(decision);
    const char *fpd = json_string_value(json_object_get(res, "first_payable_date"));
    const char *bwe = json_string_value(json_object_get(res, "benefit_window_end"));
    clock_now_ts(ts);
    store_stmt *st = store_prepare(c->db,
                                   "INSERT INTO ei_claims (id, person_id, country, status, separation_date, separation_reason,"
                                   " justified_reason, report_date, eligible, daily_amount, prescribed_days, payable_days,"
                                   " first_payable_date, benefit_window_end, claimant_category, decision, filed_by,"
                                   " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                   &c->err);
    if (!st) { rc = c->err.code; goto out; }
    const char *t1[] = {claim_id, person_id, EI_COUNTRY, eligible ? "active" : "rejected", sep_s, reason, justified, rday};
    for (int i = 0; i < 8; i++) store_bind_text(st, i + 1, t1[i]);
    store_bind_int(st, 9, eligible);
    store_bind_int(st, 10, eligible ? json_integer_value(json_object_get(res, "daily_amount")) : 0);
    store_bind_int(st, 11, json_integer_value(json_object_get(res, "prescribed_days")));
    store_bind_int(st, 12, eligible ? json_integer_value(json_object_get(res, "payable_days")) : 0);
    store_bind_text(st, 13, eligible ? fpd : NULL);
    store_bind_text(st, 14, eligible ? bwe : NULL);
    store_bind_text(st, 15, category);
    store_bind_text(st, 16, dtext);
    store_bind_text(st, 17, c->who.id);
    store_bind_text(st, 18, ts);
    store_bind_text(st, 19, ts);
    int r = store_step(st, &c->err);
    store_reset(st);
    if (r == STORE_ERROR) { rc = c->err.code ? c->err.code : OP_STORE; goto out; }
    if (eligible) {
        int64_t bwe_d;
        date_parse(bwe, &bwe_d);
        if ((rc = ei_rounds_schedule(c, claim_id, report, bwe_d, EI_COUNTRY))) goto out;
        if ((rc = attach_registration(c, person_id, claim_id, rday, office))) goto out;
        if ((rc = ei_bank_check(c, person_id, &bank)) || /* a refused claim keeps none */
            (rc = ei_bank_store(c, claim_id, person_id, &bank)))
            goto out;
        if ((rc = dup_begin(c, claim_id, person_id, ts))) goto out;     /* a refused claim needs no check */
    }
    json_t *pl = json_pack("{s:s, s:s, s:b}", "claim_id", claim_id, "person_id", person_id, "eligible", eligible);
    rc = event_emit(c, "claim.filed", person_id, pl);
    json_decref(pl);
    if (!rc)
        rc = ei_status_event(c, claim_id, person_id, NULL, eligible ? "active" : "rejected", eligible ? fpd : rday,
                             eligible ? "claim granted" : "claim refused");
    if (rc) goto out;
    rc = ei_claim_render(c, claim_id, out);
out:
    memset(&bank, 0, sizeof bank);
    json_decref(req);
    json_decref(res);
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- reading ---- */

static json_t *claim_row(ctx *c, store_stmt *st) {
    json_t *dec = json_loads(store_col_text(st, 16), 0, NULL);
    if (!dec) dec = json_object();
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:o, s:o}",
                          "id", ei_sn(st, 0), "person_id", ei_sn(st, 1), "country", ei_sn(st, 2), "status", ei_sn(st, 3),
                          "separation_date", ei_sn(st, 4), "separation_reason", ei_sn(st, 5), "justified_reason",
                          ei_sn(st, 6), "report_date", ei_sn(st, 7), "eligible", (int)store_col_int(st, 8),
                          "daily_amount", (json_int_t)store_col_int(st, 9), "prescribed_days",
                          (json_int_t)store_col_int(st, 10), "payable_days", (json_int_t)store_col_int(st, 11),
                          "first_payable_date", ei_sn(st, 12), "benefit_window_end", ei_sn(st, 13), "days_paid",
                          (json_int_t)store_col_int(st, 14), "claimant_category", ei_sn(st, 15), "version",
                          (json_int_t)store_col_int(st, 17), "created_at", ei_sn(st, 18), "updated_at", ei_sn(st, 19));
    json_object_set_new(o, "currency", json_string("KRW"));
    json_object_set_new(o, "decision", dec);
    (void)c;
    return o;
}

static json_t *list(ctx *c, const char *sql, const char *id, json_t *(*row)(store_stmt *)) {
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return NULL;
    store_bind_text(st, 1, id);
    json_t *a = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(a, row(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *break_row(store_stmt *st) {
    return json_pack("{s:o, s:o, s:o}", "employment_id", ei_sn(st, 0), "from", ei_sn(st, 1), "to", ei_sn(st, 2));
}

static json_t *round_row(store_stmt *st) {
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "round", (json_int_t)store_col_int(st, 0), "period_from",
                          ei_sn(st, 1), "period_to", ei_sn(st, 2), "recognition_date", ei_sn(st, 3), "status",
                          ei_sn(st, 4), "override_reason", ei_sn(st, 6), "decided_at", ei_sn(st, 7));
    json_t *ev = store_col_null(st, 5) ? NULL : ei_round_evaluation_json(store_col_text(st, 5));
    json_object_set_new(o, "evaluation", ev ? ev : json_null());
    return o;
}

op_code ei_claim_render(ctx *c, const char *claim_id, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err, CLAIM_COLS " WHERE id = ?", "s", claim_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    json_t *o = claim_row(c, st);
    store_reset(st);
    json_t *breaks = list(c, "SELECT employment_id, from_date, to_date FROM ei_breaks WHERE claim_id = ? ORDER BY from_date",
                          claim_id, break_row);
    json_t *rounds = breaks ? list(c,
                                   "SELECT round, period_from, period_to, recognition_date, status, evaluation,"
                                   " override_reason, decided_at FROM ei_rounds WHERE claim_id = ? ORDER BY round",
                                   claim_id, round_row)
                            : NULL;
    if (!rounds) {
        json_decref(o);
        json_decref(breaks);
        return c->err.code ? c->err.code : OP_STORE;
    }
    json_object_set_new(o, "employment_breaks", breaks);
    json_object_set_new(o, "rounds", rounds);
    json_t *sanctions = list(c, EI_SANCTION_SELECT " WHERE claim_id = ? ORDER BY day, id", claim_id, ei_sanction_row);
    if (!sanctions) {
        json_decref(o);
        return c->err.code ? c->err.code : OP_STORE;
    }
    json_object_set_new(o, "sanctions", sanctions);
    st = store_query(c->db, &c->err, "SELECT due_date FROM jobseeker_registrations WHERE claim_id = ? ORDER BY created_at DESC LIMIT 1",
                     "s", claim_id);
    json_object_set_new(o, "registration_due_date", st ? ei_sn(st, 0) : json_null());
    if (st) store_reset(st);
    json_t *early = NULL;
    if (!c->err.code && !ei_reemploy_of_claim(c, claim_id, &early)) json_object_set_new(o, "early_reemployment", early);
    if (!c->err.code) json_object_set_new(o, "bank_account", ei_bank_masked(c, claim_id)); /* masked */
    if (!c->err.code) dup_render(c, claim_id, o);
    *out = o;
    return c->err.code;
}

op_code ei_claim_get(ctx *c, const char *claim_id, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    char person[ID_LEN];
    *out = NULL;
    op_code rc = ei_claim_owner(c, claim_id, person, NULL);
    if (rc || (rc = ei_access(c, PD_READ, "ei_claim", claim_id, person))) return rc;
    return ei_claim_render(c, claim_id, out);
}

op_code ei_claims_of(ctx *c, const char *person_id, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    *out = NULL;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = ei_access(c, PD_READ, "ei_claim", NULL, person_id);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db, "SELECT id FROM ei_claims WHERE person_id = ? ORDER BY created_at DESC, id DESC",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person_id);
    char ids[64][ID_LEN];
    int n = 0, r;
    while (n < 64 && (r = store_step(st, &c->err)) == STORE_ROW) snprintf(ids[n++], ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    if (c->err.code) return c->err.code;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o;
        if ((rc = ei_claim_render(c, ids[i], &o))) {
            json_decref(items);
            return rc;
        }
        json_array_append_new(items, o);
    }
    *out = json_pack("{s:s, s:o, s:i}", "person_id", person_id, "items", items, "count", n);
    return OP_OK;
}
