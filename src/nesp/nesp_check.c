/* nesp_check.c - see nesp_check.h. */
#include "nesp/nesp_check.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "dci/client.h"
#include "domain/person_int.h"
#include "policy/policy.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

#define NESP_PURPOSE "employment_service"
#define WINDOW_DAYS 730 /* "work_days_2y": the two years up to the check's date */

static const char *const in_fields[] = {"partner", "date", "household_assets", "dependents", "military_service_years", "work_days_2y",
                                        "work_hours_2y", "vulnerable_group", "async", NULL};
/* The registry's basic-livelihood statuses that mean a recipient (기초생활수급자): the pack's
 * Type II vulnerable group "basic_livelihood".  Other statuses (near_poor, none ...) add nothing. */
static const char *const recipient_codes[] = {"recipient", "basic_livelihood", "receiving", NULL};

static const char *aad(ctx *c, const char *col, const char *id) { return arena_printf(c->a, "nesp_checks.%s:%s", col, id); }

/* What the person record gives the calculator: age on the date, receipt of 구직급여 (an active
 * claim), insured work days in the two years up to the date (the union of the spells). */
static op_code person_inputs(ctx *c, const char *person, int64_t date, json_t *inputs, bool need_days, const char **nid_enc) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT birth_date, nid_enc FROM persons WHERE id = ?", "s", person);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    int64_t birth = 0;
    bool have_birth = !store_col_null(st, 0) && date_parse(store_col_text(st, 0), &birth);
    *nid_enc = store_col_null(st, 1) ? NULL : arena_strdup(c->a, store_col_text(st, 1));
    store_reset(st);
    if (!have_birth) return op_fail(&c->err, OP_VALIDATION, "record the person's birth date first", "the person record has no birth date");
    if (!*nid_enc)
        return op_fail(&c->err, OP_VALIDATION, "record the person's national id first",
                       "the person has no national id: the social registry cannot be asked");
    int y, yb;
    unsigned m, d, mb, db;
    date_civil_from_days(date, &y, &m, &d);
    date_civil_from_days(birth, &yb, &mb, &db);
    int age = y - yb - ((m < mb || (m == mb && d < db)) ? 1 : 0);
    json_object_set_new(inputs, "age", json_integer(age < 0 ? 0 : age));
    st = store_query(c->db, &c->err, "SELECT 1 FROM ei_claims WHERE person_id = ? AND status = 'active'", "s", person);
    json_object_set_new(inputs, "receiving_ei", json_boolean(st != NULL));
    if (st) store_reset(st);
    if (c->err.code) return c->err.code;
    if (!need_days) return OP_OK;
    char from[11], to[11];
    int64_t first = date - WINDOW_DAYS + 1;
    date_format(first, from);
    date_format(date, to);
    st = store_prepare(c->db, "SELECT start_date, end_date FROM ei_employment WHERE person_id = ? AND start_date <= ?"
                              " AND (end_date IS NULL OR end_date >= ?)", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person);
    store_bind_text(st, 2, to);
    store_bind_text(st, 3, from);
    unsigned char days[WINDOW_DAYS] = {0};
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        int64_t a = first, b = date;
        if (date_parse(store_col_text(st, 0), &a) && a < first) a = first;
        if (!store_col_null(st, 1) && date_parse(store_col_text(st, 1), &b) && b > date) b = date;
        if (store_col_null(st, 1)) b = date;
        for (int64_t x = a; x <= b; x++) days[x - first] = 1;
    }
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    int64_t n = 0;
    for (int i = 0; i < WINDOW_DAYS; i++) n += days[i];
    json_object_set_new(inputs, "work_days_2y", json_integer(n > 731 ? 731 : n));
    return OP_OK;
}

op_code nesp_calc_request(const char *partner, const json_t *inputs, const json_t *facts, json_t **out, op_err *e) {
    *out = NULL;
    if (!json_is_true(json_object_get(facts, "found")) && json_object_get(facts, "found"))
        return op_fail(e, OP_NOT_FOUND, "check the national id with the registry", "social registry \"%s\" does not know the person", partner);
    const json_t *pct = json_object_get(facts, "household_income_pct");
    if (!json_is_number(pct))
        return op_fail(e, OP_BAD_REQUEST, "the NESP calculator needs the household income percentile",
                       "social registry \"%s\" gave no household income percentile for the person", partner);
    json_t *req = json_deep_copy(inputs);
    json_object_set_new(req, "country", json_string("KR"));
    json_object_set(req, "household_income_pct", (json_t *)pct);
    const char *bl = json_string_value(json_object_get(facts, "basic_livelihood_status"));
    if (bl && jx_in(bl, recipient_codes) && !json_is_string(json_object_get(req, "vulnerable_group")))
        json_object_set_new(req, "vulnerable_group", json_string("basic_livelihood"));
    *out = req;
    return OP_OK;
}

/* The calculator with the registry's facts: request and answer (new references). */
static op_code assess(ctx *c, const char *partner, const json_t *inputs, const json_t *facts, json_t **req_out, json_t **res) {
    *req_out = *res = NULL;
    json_t *req;
    op_code rc = nesp_calc_request(partner, inputs, facts, &req, &c->err);
    if (rc) return rc;
    rc = pol_run("nesp-assess", c->a, req, res, &c->err);
    if (rc) {
        json_decref(req);
        return rc;
    }
    *req_out = req;
    return OP_OK;
}

static char *seal(ctx *c, const char *col, const char *id, const json_t *v, op_code *rc) {
    char *out = NULL;
    *rc = fieldcrypt_seal(c->a, v ? jx_dump(c->a, v) : NULL, aad(c, col, id), &out, &c->err);
    return out;
}

static json_t *unseal(ctx *c, const char *col, const char *id, const char *stored) {
    char *plain = NULL;
    op_err e = {0};
    if (stored && fieldcrypt_unseal(c->a, stored, aad(c, col, id), &plain, &e)) log_error("NESP check %s: %s could not be opened: %s", id, col, e.detail);
    return plain ? json_loads(plain, 0, NULL) : NULL;
}

/* The stored check (no access decision: the callers made it). */
static op_code render(ctx *c, const char *id, json_t **out, char person[ID_LEN]) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT person_id, partner_id, transaction_id, mode, status, inputs, data, error, requested_by, created_at,"
                                 " updated_at FROM nesp_checks WHERE id = ?",
                                 "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "no NESP check \"%s\"", id);
    if (person) snprintf(person, ID_LEN, "%s", store_col_text(st, 0));
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "person_id", store_col_text(st, 0), "partner",
                          store_col_text(st, 1), "transaction_id", store_col_text(st, 2), "mode", store_col_text(st, 3), "status",
                          store_col_text(st, 4), "requested_by", store_col_text(st, 8), "created_at", store_col_text(st, 9), "updated_at",
                          store_col_text(st, 10));
    json_t *inputs = unseal(c, "inputs", id, store_col_text(st, 5)), *data = unseal(c, "data", id, store_col_text(st, 6));
    if (!store_col_null(st, 7)) json_object_set_new(o, "error", json_string(store_col_text(st, 7)));
    store_reset(st);
    json_object_set_new(o, "inputs", inputs ? inputs : json_object());
    if (data) {
        json_object_set(o, "facts", json_object_get(data, "facts"));
        json_object_set(o, "result", json_object_get(data, "result"));
        json_decref(data);
    }
    *out = o;
    return OP_OK;
}

op_code nesp_check_run(ctx *c, const char *person_id, const json_t *in, json_t **out) {
    *out = NULL;
    op_clear(&c->err);
    const char *partner_in = NULL, *date_s = NULL, *vg = NULL;
    int64_t assets = 0, deps = 0, mil = 0, wdays = 0, whours = 0;
    bool async = false, has_wdays = false, has_whours = false, has_deps = false, has_mil = false;
    op_code rc;
    if ((rc = jx_only(in, in_fields, NULL, &c->err)) || (rc = jx_str(in, "partner", false, 64, &partner_in, &c->err)) ||
        (rc = jx_date(in, "date", false, &date_s, &c->err)) ||
        (rc = jx_int(in, "household_assets", true, 0, INT64_MAX / 4, &assets, NULL, &c->err)) ||
        (rc = jx_int(in, "dependents", false, 0, 50, &deps, &has_deps, &c->err)) ||
        (rc = jx_int(in, "military_service_years", false, 0, 10, &mil, &has_mil, &c->err)) ||
        (rc = jx_int(in, "work_days_2y", false, 0, 731, &wdays, &has_wdays, &c->err)) ||
        (rc = jx_int(in, "work_hours_2y", false, 0, 17544, &whours, &has_whours, &c->err)) ||
        (rc = jx_str(in, "vulnerable_group", false, 64, &vg, &c->err)) || (rc = jx_bool(in, "async", false, &async, NULL, &c->err)))
        return rc;
    if (store_in_tx(c->db)) return op_fail(&c->err, OP_INTERNAL, NULL, "a NESP check must not run inside a transaction");
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    if (c->purpose && *c->purpose && strcmp(c->purpose, NESP_PURPOSE) != 0)
        return op_fail(&c->err, OP_FORBIDDEN, "declare X-Purpose: employment_service", "NESP checks are made for purpose %s, not \"%s\"",
                       NESP_PURPOSE, c->purpose);
    const char *saved = c->purpose;
    c->purpose = NESP_PURPOSE;
    int64_t date = date_today();
    if (date_s) date_parse(date_s, &date);
    char id[ID_LEN], ts[CLOCK_TS_LEN], pid[72];
    id_uuid7(id);
    access_decision d;
    json_t *inputs = jx_arena(c->a, json_object()), *ans = NULL, *req = NULL, *res = NULL;
    const char *nid_enc = NULL;
    char *nid = NULL;
    /* the read of the person's record for the check (audited, allowed or refused) */
    if ((rc = access_person(c, PD_READ, "nesp_check", id, person_id, &d))) goto out;
    char day[11];
    date_format(date, day);
    json_object_set_new(inputs, "date", json_string(day));
    json_object_set_new(inputs, "household_assets", json_integer(assets));
    if (has_deps) json_object_set_new(inputs, "dependents", json_integer(deps));
    if (has_mil) json_object_set_new(inputs, "military_service_years", json_integer(mil));
    if (has_wdays) json_object_set_new(inputs, "work_days_2y", json_integer(wdays));
    if (has_whours) json_object_set_new(inputs, "work_hours_2y", json_integer(whours));
    if (vg) json_object_set_new(inputs, "vulnerable_group", json_string(vg));
    if ((rc = person_inputs(c, person_id, date, inputs, !has_wdays, &nid_enc))) goto out;
    if ((rc = dci_outbound_pick(c, DCI_KIND_SR, partner_in, pid))) goto out;
    if ((rc = fieldcrypt_decrypt(c->a, nid_enc, pr_nid_aad(c->a, person_id), &nid, NULL, &c->err))) goto out;
    struct dci_query q = {pid, nid, DCI_KIND_SR, NESP_PURPOSE, async};
    rc = dci_client_query(c, &q, &ans); /* audits the disclosure; stores the outbound transaction */
    memset(nid, 0, strlen(nid));
    if (rc) goto out;
    jx_arena(c->a, ans);
    const char *tid = json_string_value(json_object_get(ans, "transaction_id"));
    if (!async && (rc = assess(c, pid, inputs, json_object_get(ans, "facts"), &req, &res))) goto out;
    json_t *data = res ? jx_arena(c->a, json_pack("{s:O, s:O, s:O}", "facts", json_object_get(ans, "facts"), "request", req, "result", res))
                       : NULL;
    char *sin = seal(c, "inputs", id, inputs, &rc), *sdata = NULL;
    if (!rc && data) sdata = seal(c, "data", id, data, &rc);
    if (rc) goto out;
    clock_now_ts(ts);
    if ((rc = store_begin(c->db, &c->err))) goto out;
    access_decision d2;
    rc = access_person(c, PD_CREATE, "nesp_check", id, person_id, &d2);
    if (!rc)
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO nesp_checks (id, person_id, partner_id, transaction_id, mode, status, inputs, data, requested_by,"
                        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        "sssssssssss", id, person_id, pid, tid, async ? "async" : "sync", async ? "pending" : "done", sin, sdata,
                        c->who.id, ts, ts);
    if (!rc) rc = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    if (!rc && async) { /* the registry may have called back before the check was stored: complete it now */
        json_t *ev = jx_arena(c->a, json_pack("{s:s}", "transaction_id", tid));
        op_code cr = store_begin(c->db, &c->err);
        if (!cr) cr = nesp_on_partner_answered(c, 0, "partner.answered", NULL, ev);
        if (!cr) cr = store_commit(c->db, &c->err);
        else store_rollback(c->db);
        if (cr) log_warn("NESP check %s: could not complete it from the stored answer: %s", id, c->err.detail);
        op_clear(&c->err);
    }
    if (!rc) rc = render(c, id, out, NULL);
out:
    c->purpose = saved;
    json_decref(req);
    json_decref(res);
    return rc;
}

op_code nesp_check_get(ctx *c, const char *id, json_t **out) {
    *out = NULL;
    op_clear(&c->err);
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "no such NESP check");
    store_stmt *st = store_query(c->db, &c->err, "SELECT person_id FROM nesp_checks WHERE id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "no such NESP check");
    char person[ID_LEN];
    snprintf(person, sizeof person, "%s", store_col_text(st, 0));
    store_reset(st);
    access_decision d;
    op_code rc = access_person(c, PD_READ, "nesp_check", id, person, &d);
    return rc ? rc : render(c, id, out, NULL);
}

op_code nesp_on_partner_answered(ctx *c, long long eid, const char *type, const char *subject, json_t *payload) {
    (void)eid;
    (void)type;
    (void)subject;
    const char *tid = json_string_value(json_object_get(payload, "transaction_id"));
    if (!tid) return OP_OK;
    store_stmt *st = store_query(c->db, &c->err, "SELECT id, person_id, partner_id, inputs FROM nesp_checks WHERE transaction_id = ? AND status = 'pending'",
                                 "s", tid);
    if (!st) return c->err.code; /* no check waits for this transaction */
    const char *id = arena_strdup(c->a, store_col_text(st, 0)), *person = arena_strdup(c->a, store_col_text(st, 1));
    const char *partner = arena_strdup(c->a, store_col_text(st, 2)), *sin = arena_strdup(c->a, store_col_text(st, 3));
    store_reset(st);
    json_t *txn = NULL, *inputs = jx_arena(c->a, unseal(c, "inputs", id, sin)), *req = NULL, *res = NULL;
    op_code rc = dci_client_txn_get(c, tid, &txn);
    if (rc) return rc;
    jx_arena(c->a, txn);
    const char *status = json_string_value(json_object_get(txn, "status"));
    if (strcmp(status, "pending") == 0) return OP_OK;
    const char *error = NULL;
    if (strcmp(status, "answered") != 0) {
        error = json_string_value(json_object_get(txn, "error"));
        if (!error || !*error) error = "the registry's answer was an error";
    }
    else if (!inputs) error = "the stored inputs could not be opened";
    else if (assess(c, partner, inputs, json_object_get(txn, "facts"), &req, &res)) error = arena_strdup(c->a, c->err.detail);
    op_clear(&c->err);
    char *sdata = NULL;
    if (!error) sdata = seal(c, "data", id, jx_arena(c->a, json_pack("{s:O, s:o, s:o}", "facts", json_object_get(txn, "facts"), "request", req,
                                                                     "result", res)),
                             &rc);
    else {
        json_decref(req);
        json_decref(res);
    }
    if (rc) return rc;
    const char *saved = c->purpose;
    c->purpose = NESP_PURPOSE;
    access_decision d;
    rc = access_person(c, PD_UPDATE, "nesp_check", id, person, &d);
    c->purpose = saved;
    if (rc) return rc;
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    return store_exec(c->db, &c->err, NULL, "UPDATE nesp_checks SET status = ?, data = ?, error = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                      "sssss", error ? "error" : "done", sdata, error, ts, id);
}
