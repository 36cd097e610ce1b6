/* jobseeker.c - job-seeker registration (구직신청): register, read, change status (person.h).
 *
 * A person has at most one open (active or suspended) registration, enforced by the partial
 * unique index jsr_one_open and checked first for a clear 409.  Status changes follow
 *     active    -> suspended | placed | closed
 *     suspended -> active | placed | closed
 *     placed, closed: terminal (a new registration is needed)
 * Every change emits "registration.changed" {person_id, registration_id, status}. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "domain/person_int.h"
#include "events/outbox.h"

#define RTYPE "jobseeker_registration"
#define DUE_DAYS 7

static const char *const STATUSES[] = {"active", "suspended", "placed", "closed", NULL};

#define JSR_SELECT "SELECT " JSR_COLS " FROM jobseeker_registrations r JOIN offices o ON o.id = r.office_id"
/* The open registration first, else the most recent (the access facts use the same one). */
#define JSR_CURRENT JSR_SELECT " WHERE r.id = " ACCESS_CURRENT_REG("?")

static json_t *sn(store_stmt *st, int i) {
    return store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i));
}

/* Built key by key (json_pack parses its format on every call; this runs on every person read). */
json_t *jsr_row_json(store_stmt *st, int c) {
    if (store_col_null(st, c)) return json_null();
    static const char *const office_keys[] = {"id", "code", "name", "name_ko", "region_code"};
    json_t *office = json_object();
    for (int i = 0; i < 5; i++) json_object_set_new_nocheck(office, office_keys[i], sn(st, c + 3 + i));
    json_t *r = json_object();
    json_object_set_new_nocheck(r, "id", sn(st, c));
    json_object_set_new_nocheck(r, "person_id", sn(st, c + 1));
    json_object_set_new_nocheck(r, "status", sn(st, c + 2));
    json_object_set_new_nocheck(r, "office", office);
    static const char *const keys[] = {"counsellor_id", "registered_on", "due_date", "claim_id", "status_reason"};
    for (int i = 0; i < 5; i++) json_object_set_new_nocheck(r, keys[i], sn(st, c + 8 + i));
    json_object_set_new_nocheck(r, "version", json_integer((json_int_t)store_col_int(st, c + 13)));
    json_object_set_new_nocheck(r, "created_at", sn(st, c + 14));
    json_object_set_new_nocheck(r, "updated_at", sn(st, c + 15));
    return r;
}

static json_t *row_json(store_stmt *st) { return jsr_row_json(st, 0); }

op_code jsr_current_json(ctx *c, const char *person_id, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err, JSR_CURRENT, "ss", person_id, person_id);
    if (!st) {
        *out = c->err.code ? NULL : json_null();
        return c->err.code;
    }
    *out = row_json(st);
    store_reset(st);
    return OP_OK;
}

static op_code render_id(ctx *c, const char *reg_id, json_t **out) {
    store_stmt *st = store_query(c->db, &c->err, JSR_SELECT " WHERE r.id = ?", "s", reg_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_INTERNAL, NULL, "registration vanished");
    *out = row_json(st);
    store_reset(st);
    return OP_OK;
}

void jobseeker_due_date(const char *claim_report_date, char out[11]) {
    int64_t d;
    out[0] = 0;
    if (claim_report_date && date_parse(claim_report_date, &d)) date_format(d + DUE_DAYS, out);
}

bool jobseeker_transition_ok(const char *from, const char *to) {
    if (!from || !to) return false;
    if (strcmp(from, "active") == 0) return jx_in(to, (const char *const[]){"suspended", "placed", "closed", NULL});
    if (strcmp(from, "suspended") == 0) return jx_in(to, (const char *const[]){"active", "placed", "closed", NULL});
    return false; /* placed and closed are terminal */
}

/* Office by code or id. */
struct office {
    char id[ID_LEN];
    char region[16];
    bool job_centre;
};

static op_code office_find(ctx *c, const char *code_or_id, struct office *o) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT id, region_code, kind FROM offices WHERE id = ? OR code = ?",
                                 "ss", code_or_id, code_or_id);
    if (!st) {
        if (c->err.code) return c->err.code;
        return op_fail_field(&c->err, OP_VALIDATION, "office", "use an office code such as SEOUL-GANGNAM",
                             "field \"office\" names no office");
    }
    snprintf(o->id, sizeof o->id, "%s", store_col_text(st, 0));
    snprintf(o->region, sizeof o->region, "%s", store_col_text(st, 1));
    o->job_centre = strcmp(store_col_text(st, 2), "job_centre") == 0;
    store_reset(st);
    return OP_OK;
}

/* counsellor_id must be an enabled staff account with role counsellor at office_id. */
static op_code counsellor_check(ctx *c, const char *acc, const char *office_id) {
    const char *hint = "assign a counsellor of the registration's office";
    if (!id_is_uuid(acc))
        return op_fail_field(&c->err, OP_VALIDATION, "counsellor_id", hint, "field \"counsellor_id\" is not an account id");
    store_stmt *st = store_query(c->db, &c->err, "SELECT kind, role, office_id, disabled FROM accounts WHERE id = ?",
                                 "s", acc);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_VALIDATION, "counsellor_id", hint, "no such staff account");
    bool ok = strcmp(store_col_text(st, 0), "staff") == 0 && !store_col_null(st, 1) &&
              strcmp(store_col_text(st, 1), "counsellor") == 0 && !store_col_null(st, 2) &&
              strcmp(store_col_text(st, 2), office_id) == 0 && store_col_int(st, 3) == 0;
    store_reset(st);
    if (!ok)
        return op_fail_field(&c->err, OP_VALIDATION, "counsellor_id", hint,
                             "the account is not an active counsellor at the registration's office");
    return OP_OK;
}

static op_code emit(ctx *c, const char *person_id, const char *reg_id, const char *status) {
    json_t *pl = json_pack("{s:s, s:s, s:s}", "person_id", person_id, "registration_id", reg_id, "status", status);
    op_code rc = event_emit(c, "registration.changed", person_id, pl);
    json_decref(pl);
    return rc;
}

/* ---- register ---- */

op_code jobseeker_register(ctx *c, const char *person_id, const json_t *in, json_t **out) {
    static const char *const staff_keys[] = {"office", "counsellor_id", "registered_on", "claim_report_date", NULL};
    static const char *const citizen_keys[] = {"office", NULL};
    *out = NULL;
    char reg_id[ID_LEN], today[11], due[11] = "", ts[CLOCK_TS_LEN], region[16] = "";
    const char *office_ref, *counsellor = NULL, *reg_on = NULL, *claim_date = NULL;
    struct office o;
    access_decision d;
    bool outer, citizen = c->who.type == ACTOR_CITIZEN;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    store_stmt *st = store_query(c->db, &c->err, "SELECT region_code FROM persons WHERE id = ?", "s", person_id);
    if (!st) {
        rc = c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
        goto out;
    }
    snprintf(region, sizeof region, "%s", store_col_null(st, 0) ? "" : store_col_text(st, 0));
    store_reset(st);
    id_uuid7(reg_id);
    if ((rc = pd_decide(c, PD_CREATE, RTYPE, reg_id, person_id, 0, &d))) goto out;
    if ((rc = jx_only(in, citizen ? citizen_keys : staff_keys, "", &c->err)) ||
        (rc = jx_str(in, "office", true, 64, &office_ref, &c->err)) ||
        (rc = jx_str(in, "counsellor_id", false, 64, &counsellor, &c->err)) ||
        (rc = jx_date(in, "registered_on", false, &reg_on, &c->err)) ||
        (rc = jx_date(in, "claim_report_date", false, &claim_date, &c->err)))
        goto out;
    date_format(date_today(), today);
    if (reg_on && strcmp(reg_on, today) > 0) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "registered_on", NULL, "field \"registered_on\" is in the future");
        goto out;
    }
    if ((rc = office_find(c, office_ref, &o))) goto out;
    if (!o.job_centre) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "office", "choose a job centre",
                           "job seekers register at a job centre, not at this kind of office");
        goto out;
    }
    if (citizen && !(region[0] && strncmp(region, o.region, strlen(o.region)) == 0)) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "office",
                           region[0] ? "choose a job centre in your region" : "add address.region_code to your profile first",
                           "you can register only at a job centre in the region of your address");
        goto out;
    }
    if (c->who.type == ACTOR_STAFF && strcmp(o.id, c->who.office_id) != 0) {
        rc = pd_refuse(c, PD_CREATE, RTYPE, reg_id, person_id, &d,
                       "staff register job seekers only at their own office");
        goto out;
    }
    if (counsellor && (rc = counsellor_check(c, counsellor, o.id))) goto out;
    if (claim_date) jobseeker_due_date(claim_date, due);
    st = store_query(c->db, &c->err,
                     "SELECT 1 FROM jobseeker_registrations WHERE person_id = ? AND status IN ('active','suspended')",
                     "s", person_id);
    if (st || c->err.code) {
        if (st) store_reset(st);
        rc = c->err.code ? c->err.code
                         : op_fail(&c->err, OP_DUPLICATE, "change the open registration with PATCH instead",
                                   "the person already has an active or suspended registration");
        goto out;
    }
    if ((rc = access_audit(c, PD_CREATE, RTYPE, reg_id, person_id, &d))) goto out;
    clock_now_ts(ts);
    rc = store_exec(c->db, &c->err, NULL,
                    "INSERT INTO jobseeker_registrations (id, person_id, status, office_id, counsellor_id,"
                    " registered_on, due_date, version, created_at, updated_at) VALUES (?,?,'active',?,?,?,?,1,?,?)",
                    "ssssssss", reg_id, person_id, o.id, counsellor, reg_on ? reg_on : today, due[0] ? due : NULL,
                    ts, ts);
    if (rc == OP_DUPLICATE)
        rc = op_fail(&c->err, OP_DUPLICATE, NULL, "the person already has an active or suspended registration");
    if (rc || (rc = emit(c, person_id, reg_id, "active"))) goto out;
    rc = render_id(c, reg_id, out);
out:
    if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- read ---- */

op_code jobseeker_get(ctx *c, const char *person_id, json_t **out) {
    *out = NULL;
    access_decision d;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = pd_decide(c, PD_READ, RTYPE, NULL, person_id, F_REGISTRATION, &d);
    if (rc) return rc;
    json_t *r = NULL;
    if ((rc = jsr_current_json(c, person_id, &r))) return rc;
    const char *rid = json_string_value(json_object_get(r, "id"));
    if ((rc = access_audit(c, PD_READ, RTYPE, rid, person_id, &d))) {
        json_decref(r);
        return rc;
    }
    if (json_is_null(r)) {
        json_decref(r);
        return op_fail(&c->err, OP_NOT_FOUND, "register with POST .../jobseeker-registration",
                       "the person has no job-seeker registration");
    }
    *out = r;
    return OP_OK;
}

/* ---- update ---- */

struct jsr_row {
    char id[ID_LEN], status[16], office[ID_LEN];
    int64_t version;
};

static op_code load_current(ctx *c, const char *person_id, struct jsr_row *r) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id, status, office_id, version FROM jobseeker_registrations WHERE person_id = ?"
                                 " ORDER BY CASE WHEN status IN ('active','suspended') THEN 0 ELSE 1 END,"
                                 " created_at DESC, id DESC LIMIT 1",
                                 "s", person_id);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail(&c->err, OP_NOT_FOUND, "register with POST .../jobseeker-registration",
                                     "the person has no job-seeker registration");
    snprintf(r->id, sizeof r->id, "%s", store_col_text(st, 0));
    snprintf(r->status, sizeof r->status, "%s", store_col_text(st, 1));
    snprintf(r->office, sizeof r->office, "%s", store_col_text(st, 2));
    r->version = store_col_int(st, 3);
    store_reset(st);
    return OP_OK;
}

/* Apply a change to the current registration; the caller has decided access. */
static op_code apply(ctx *c, const char *person_id, const struct jsr_row *r, const char *status,
                     const char *reason, bool set_reason, const char *counsellor, bool set_counsellor,
                     const char *claim_id, const char *due, json_t **out) {
    char ts[CLOCK_TS_LEN];
    int64_t n = 0;
    clock_now_ts(ts);
    op_code rc = store_exec(c->db, &c->err, &n,
                            "UPDATE jobseeker_registrations SET status = ?,"
                            " status_reason = CASE WHEN ? = 1 THEN ? ELSE status_reason END,"
                            " counsellor_id = CASE WHEN ? = 1 THEN ? ELSE counsellor_id END,"
                            " claim_id = COALESCE(?, claim_id), due_date = COALESCE(?, due_date),"
                            " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                            "sisisssssi", status, (int64_t)set_reason, reason, (int64_t)set_counsellor, counsellor,
                            claim_id, due, ts, r->id, r->version);
    if (rc) return rc;
    if (n != 1)
        return op_fail(&c->err, OP_CONFLICT, "GET the registration again and reapply your change",
                       "the registration was changed by someone else");
    if ((rc = emit(c, person_id, r->id, status))) return rc;
    return out ? render_id(c, r->id, out) : OP_OK;
}

op_code jobseeker_update(ctx *c, const char *person_id, const json_t *patch, json_t **out) {
    static const char *const keys[] = {"status", "status_reason", "counsellor_id", "version", NULL};
    if (out) *out = NULL;
    access_decision d;
    struct jsr_row r;
    const char *status = NULL, *reason = NULL, *counsellor = NULL;
    int64_t want = 0;
    bool has_version = false, outer;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if ((rc = pd_decide(c, PD_UPDATE, RTYPE, NULL, person_id, F_REGISTRATION, &d))) goto out;
    if ((rc = jx_only(patch, keys, "", &c->err)) || (rc = jx_enum(patch, "status", false, STATUSES, &status, &c->err)) ||
        (rc = jx_str(patch, "status_reason", false, 500, &reason, &c->err)) ||
        (rc = jx_str(patch, "counsellor_id", false, 64, &counsellor, &c->err)) ||
        (rc = jx_int(patch, "version", false, 1, INT64_MAX, &want, &has_version, &c->err)))
        goto out;
    if ((rc = load_current(c, person_id, &r))) goto out;
    if (has_version && want != r.version) {
        rc = op_fail(&c->err, OP_CONFLICT, "GET the registration again and reapply your change",
                     "the registration is at version %lld, not %lld", (long long)r.version, (long long)want);
        goto out;
    }
    bool terminal = !jx_in(r.status, (const char *const[]){"active", "suspended", NULL});
    if (terminal) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "status", "register the person again with POST",
                           "the registration is %s; a %s registration cannot change", r.status, r.status);
        goto out;
    }
    if (status && strcmp(status, r.status) != 0 && !jobseeker_transition_ok(r.status, status)) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "status", NULL, "a registration cannot go from %s to %s",
                           r.status, status);
        goto out;
    }
    bool set_counsellor = json_object_get(patch, "counsellor_id") != NULL;
    if (counsellor && (rc = counsellor_check(c, counsellor, r.office))) goto out;
    if ((rc = access_audit(c, PD_UPDATE, RTYPE, r.id, person_id, &d))) goto out;
    rc = apply(c, person_id, &r, status ? status : r.status, reason, json_object_get(patch, "status_reason") != NULL,
               counsellor, set_counsellor, NULL, NULL, out);
out:
    if (rc && out && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}

op_code jobseeker_set_claim(ctx *c, const char *person_id, const char *claim_id, const char *claim_report_date) {
    access_decision d;
    struct jsr_row r;
    char due[11];
    json_t *out = NULL;
    bool outer;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    if (!claim_id || !*claim_id || strlen(claim_id) > 64)
        return op_fail_field(&c->err, OP_VALIDATION, "claim_id", NULL, "claim_id is required (at most 64 bytes)");
    jobseeker_due_date(claim_report_date, due);
    if (!due[0])
        return op_fail_field(&c->err, OP_VALIDATION, "claim_report_date", "use YYYY-MM-DD",
                             "claim_report_date is not a valid date");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if ((rc = pd_decide(c, PD_UPDATE, RTYPE, NULL, person_id, F_REGISTRATION, &d))) goto out;
    if ((rc = load_current(c, person_id, &r))) goto out;
    if (!jx_in(r.status, (const char *const[]){"active", "suspended", NULL})) {
        rc = op_fail(&c->err, OP_NOT_FOUND, "the person must register as a job seeker first",
                     "the person has no open job-seeker registration");
        goto out;
    }
    if ((rc = access_audit(c, PD_UPDATE, RTYPE, r.id, person_id, &d))) goto out;
    rc = apply(c, person_id, &r, r.status, NULL, false, NULL, false, claim_id, due, &out);
    json_decref(out);
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}
