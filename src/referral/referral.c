/* referral.c - referrals between offices: create, read, list, transitions (contract: referral.h).
 *
 * Every function decides access with access_referral()/access_decide_referral() (privacy/access.c)
 * before it shows or changes a row, so it audits itself; writes join the caller's transaction (or
 * open their own) so that the row, its history entry, its audit record and its event commit
 * together.  The moves themselves are the table in referral_sm.c. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "events/outbox.h"
#include "privacy/access.h"
#include "referral/referral.h"

#define RTYPE "referral"
#define EVENT "referral.updated"

/* ---- transactions (the person domain's pattern: nest in the caller's, else own one) ---- */


/* A decision the operation narrows (a move for the other side): audited refusal. */
static op_code refuse(ctx *c, enum pd_action act, const char *rid, const char *person, access_decision *d,
                      const char *hint, const char *reason) {
    d->allow = false;
    d->fields = 0;
    snprintf(d->reason, sizeof d->reason, "%s", reason);
    op_code rc = access_audit(c, act, RTYPE, rid, person, d);
    if (rc) return rc;
    return op_fail(&c->err, OP_FORBIDDEN, hint, "%s", reason);
}

/* ---- rows ---- */

#define REF_COLS                                                                                   \
    "r.id, r.person_id, r.from_office_id, r.sender_id, r.to_office_id, r.to_agency, r.type, r.reason," \
    " r.purpose, r.legal_basis, r.consent_ref, r.status, r.outcome_code, r.outcome_note, r.version,"   \
    " r.created_at, r.updated_at, r.closed_at, fo.code, fo.name, fo.kind, tof.code, tof.name, tof.kind," \
    " p.given_name, p.family_name, p.email, p.phone"
#define REF_FROM                                                                                   \
    " FROM referrals r JOIN offices fo ON fo.id = r.from_office_id"                                \
    " LEFT JOIN offices tof ON tof.id = r.to_office_id JOIN persons p ON p.id = r.person_id"
enum { NCOLS = 28 };

struct row {
    const char *v[NCOLS];
    int64_t version;
};
enum {
    C_ID, C_PERSON, C_FROM, C_SENDER, C_TO, C_AGENCY, C_TYPE, C_REASON, C_PURPOSE, C_LEGAL, C_CONSENT, C_STATUS,
    C_OUTCOME, C_NOTE, C_VERSION, C_CREATED, C_UPDATED, C_CLOSED, C_FCODE, C_FNAME, C_FKIND, C_TCODE, C_TNAME,
    C_TKIND, C_GIVEN, C_FAMILY, C_EMAIL, C_PHONE
};

static void row_read(ctx *c, store_stmt *st, struct row *r) {
    for (int i = 0; i < NCOLS; i++) r->v[i] = arena_strdup(c->a, store_col_text(st, i));
    r->version = store_col_int(st, C_VERSION);
}

static op_code row_load(ctx *c, const char *id, struct row *r) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT " REF_COLS REF_FROM " WHERE r.id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the referral does not exist");
    row_read(c, st, r);
    store_reset(st);
    return OP_OK;
}

static struct access_referral parties(const struct row *r) {
    return (struct access_referral){r->v[C_FROM], r->v[C_TO]};
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *office_json(const char *id, const char *code, const char *name, const char *kind) {
    if (!id) return json_null();
    return json_pack("{s:s, s:s, s:s, s:s}", "id", id, "code", code, "name", name, "kind", kind);
}

static op_code history_json(ctx *c, const char *id, bool staff_view, json_t **out) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT seq, from_status, to_status, actor_id, actor_office_id, note, at"
                                   " FROM referral_history WHERE referral_id = ? ORDER BY seq",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, id);
    json_t *a = json_array();
    int rc;
    while ((rc = store_step(st, &c->err)) == STORE_ROW) {
        json_t *h = json_pack("{s:I, s:o, s:s, s:o, s:o, s:s}", "seq", (json_int_t)store_col_int(st, 0), "from",
                              str_or_null(store_col_text(st, 1)), "to", store_col_text(st, 2), "office_id",
                              str_or_null(store_col_text(st, 4)), "note", str_or_null(store_col_text(st, 5)), "at",
                              store_col_text(st, 6));
        if (staff_view) json_object_set_new(h, "actor_id", json_string(store_col_text(st, 3)));
        json_array_append_new(a, h);
    }
    store_reset(st);
    if (rc == STORE_ERROR) {
        json_decref(a);
        return c->err.code;
    }
    *out = a;
    return OP_OK;
}

/* The API shape.  fields: the person's groups the decision allows (identity, contact); citizens
 * see no staff account ids (as in their access log). */
static op_code render(ctx *c, const struct row *r, unsigned fields, bool with_history, json_t **out) {
    const char *const *v = r->v;
    bool staff_view = c->who.type != ACTOR_CITIZEN;
    json_t *person = json_pack("{s:s}", "id", v[C_PERSON]);
    if (fields & F_IDENTITY) {
        json_object_set_new(person, "given_name", json_string(v[C_GIVEN]));
        json_object_set_new(person, "family_name", json_string(v[C_FAMILY]));
    }
    if (fields & F_CONTACT) {
        json_object_set_new(person, "email", str_or_null(v[C_EMAIL]));
        json_object_set_new(person, "phone", str_or_null(v[C_PHONE]));
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(v[C_ID]));
    json_object_set_new(o, "person_id", json_string(v[C_PERSON]));
    json_object_set_new(o, "person", person);
    json_object_set_new(o, "from_office", office_json(v[C_FROM], v[C_FCODE], v[C_FNAME], v[C_FKIND]));
    if (staff_view) json_object_set_new(o, "sender_id", json_string(v[C_SENDER]));
    json_object_set_new(o, "to_office", office_json(v[C_TO], v[C_TCODE], v[C_TNAME], v[C_TKIND]));
    json_object_set_new(o, "to_agency", str_or_null(v[C_AGENCY]));
    json_object_set_new(o, "type", json_string(v[C_TYPE]));
    json_object_set_new(o, "reason", json_string(v[C_REASON]));
    json_object_set_new(o, "purpose", json_string(v[C_PURPOSE]));
    json_object_set_new(o, "legal_basis", json_string(v[C_LEGAL]));
    json_object_set_new(o, "consent_ref", str_or_null(v[C_CONSENT]));
    json_object_set_new(o, "status", json_string(v[C_STATUS]));
    json_object_set_new(o, "outcome", v[C_OUTCOME] ? json_pack("{s:s, s:o}", "code", v[C_OUTCOME], "note",
                                                               str_or_null(v[C_NOTE]))
                                                   : json_null());
    if (staff_view) json_object_set_new(o, "next", referral_next_json(v[C_STATUS]));
    json_object_set_new(o, "version", json_integer((json_int_t)r->version));
    json_object_set_new(o, "created_at", json_string(v[C_CREATED]));
    json_object_set_new(o, "updated_at", json_string(v[C_UPDATED]));
    json_object_set_new(o, "closed_at", str_or_null(v[C_CLOSED]));
    if (with_history) {
        json_t *h = NULL;
        op_code rc = history_json(c, v[C_ID], staff_view, &h);
        if (rc) {
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, "history", h);
    }
    *out = o;
    return OP_OK;
}

/* ---- writes: history and event ---- */

static op_code history_add(ctx *c, const char *id, int64_t seq, const char *from, const char *to, const char *office,
                           const char *note, const char *ts) {
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO referral_history (referral_id, seq, from_status, to_status, actor_id,"
                      " actor_office_id, note, at) VALUES (?,?,?,?,?,?,?,?)",
                      "sissssss", id, seq, from, to, c->who.id, office && *office ? office : NULL, note, ts);
}

/* The event carries ids and states only: no reason, note or outcome text (docs/REFERRALS.md). */
static op_code emit(ctx *c, const struct row *r, const char *previous) {
    json_t *pl = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:I}", "referral_id", r->v[C_ID], "person_id",
                           r->v[C_PERSON], "status", r->v[C_STATUS], "previous_status", str_or_null(previous), "type",
                           r->v[C_TYPE], "from_office_id", r->v[C_FROM], "to_office_id", str_or_null(r->v[C_TO]),
                           "to_agency", str_or_null(r->v[C_AGENCY]), "version", (json_int_t)r->version);
    op_code rc = event_emit(c, EVENT, r->v[C_PERSON], pl);
    json_decref(pl);
    return rc;
}

/* ---- validation helpers ---- */

/* Text a person typed: 1..max bytes after trimming, no control characters but newline and tab. */
static op_code text_ok(ctx *c, const char *field, const char *s, size_t max, bool required) {
    if (!s || !*s) {
        if (!required) return OP_OK;
        return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "field \"%s\" is required", field);
    }
    size_t n = strlen(s), blank = 0;
    if (n > max)
        return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "field \"%s\" is longer than %zu bytes", field, max);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            return op_fail_field(&c->err, OP_VALIDATION, field, "remove control characters",
                                 "field \"%s\" contains a control character", field);
        if (*p == ' ' || *p == '\n' || *p == '\t') blank++;
    }
    if (blank == n) return op_fail_field(&c->err, OP_VALIDATION, field, NULL, "field \"%s\" is blank", field);
    return OP_OK;
}

struct office {
    char id[ID_LEN];
    char kind[24];
};

static op_code office_find(ctx *c, const char *field, const char *ref, struct office *o) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT id, kind FROM offices WHERE id = ? OR code = ?", "ss", ref, ref);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_VALIDATION, field, "use an office code such as SEOUL-WELFARE",
                                           "field \"%s\" names no office", field);
    snprintf(o->id, sizeof o->id, "%s", store_col_text(st, 0));
    snprintf(o->kind, sizeof o->kind, "%s", store_col_text(st, 1));
    store_reset(st);
    return OP_OK;
}

/* ---- create ---- */

op_code referral_create(ctx *c, const char *person_id, const struct referral_new *in, json_t **out) {
    *out = NULL;
    char id[ID_LEN], ts[CLOCK_TS_LEN];
    struct office from = {0}, to = {0};
    access_decision d;
    struct row r;
    bool outer;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    id_uuid7(id);
    /* Decide first: a refusal is audited whatever the body holds. */
    if ((rc = access_referral(c, PD_CREATE, id, person_id, NULL, &d))) goto out;
    if (!in->type || !jx_in(in->type, referral_types())) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "type", "welfare_assessment, employment_support, training or other",
                           in->type ? "field \"type\" has an unknown value" : "field \"type\" is required");
        goto out;
    }
    if ((rc = text_ok(c, "reason", in->reason, REFERRAL_REASON_MAX, true)) ||
        (rc = text_ok(c, "consent_ref", in->consent_ref, REFERRAL_CONSENT_REF_MAX, false)))
        goto out;
    if (c->who.type == ACTOR_SYSTEM) {
        if (!in->from_office) {
            rc = op_fail_field(&c->err, OP_VALIDATION, "from_office", NULL, "the system must name the sending office");
            goto out;
        }
        if ((rc = office_find(c, "from_office", in->from_office, &from))) goto out;
    } else {
        if (in->from_office) {
            rc = op_fail_field(&c->err, OP_UNKNOWN_FIELD, "from_office", "staff refer from their own office",
                               "field \"from_office\" is not accepted");
            goto out;
        }
        snprintf(from.id, sizeof from.id, "%s", c->who.office_id);
    }
    if (!in->to_office == !in->to_agency) {
        rc = op_fail_field(&c->err, OP_VALIDATION, in->to_office ? "to_agency" : "to_office",
                           "name either an office (to_office) or a partner agency (to_agency)",
                           "a referral goes to exactly one office or agency");
        goto out;
    }
    if (in->to_office) {
        if ((rc = office_find(c, "to_office", in->to_office, &to))) goto out;
        if (strcmp(to.kind, "job_centre") != 0 && strcmp(to.kind, "welfare_office") != 0) {
            rc = op_fail_field(&c->err, OP_VALIDATION, "to_office", "refer to a job centre or a welfare office",
                               "referrals go to a job centre or a welfare office, not to a \"%s\"", to.kind);
            goto out;
        }
        if (strcmp(to.id, from.id) == 0) {
            rc = op_fail_field(&c->err, OP_VALIDATION, "to_office", "refer to another office",
                               "the receiving office is the sending office");
            goto out;
        }
    } else {
        store_stmt *st = store_query(c->db, &c->err, "SELECT 1 FROM dci_partners WHERE client_id = ?", "s", in->to_agency);
        if (!st) {
            rc = c->err.code ? c->err.code
                             : op_fail_field(&c->err, OP_VALIDATION, "to_agency", "see openpes partner list",
                                             "field \"to_agency\" names no registered partner agency");
            goto out;
        }
        store_reset(st);
    }
    /* One open referral per person, sender, receiver and type: a second one is a duplicate. */
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id, status FROM referrals WHERE person_id = ? AND from_office_id = ? AND type = ?"
                                 " AND COALESCE(to_office_id, '') = ? AND COALESCE(to_agency, '') = ?"
                                 " ORDER BY created_at DESC",
                                 "sssss", person_id, from.id, in->type, in->to_office ? to.id : "",
                                 in->to_agency ? in->to_agency : "");
    if (!st && c->err.code) {
        rc = c->err.code;
        goto out;
    }
    if (st) {
        char other[ID_LEN];
        bool open = !referral_state_terminal(store_col_text(st, 1));
        snprintf(other, sizeof other, "%s", store_col_text(st, 0));
        store_reset(st);
        if (open) {
            rc = op_fail(&c->err, OP_DUPLICATE, arena_printf(c->a, "see GET /api/v1/referrals/%s", other),
                         "an open referral of this person to the same place and of the same type exists");
            goto out;
        }
    }
    clock_now_ts(ts);
    rc = store_exec(c->db, &c->err, NULL,
                    "INSERT INTO referrals (id, person_id, from_office_id, sender_id, to_office_id, to_agency, type,"
                    " reason, purpose, legal_basis, consent_ref, status, version, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)",
                    "ssssssssssssss", id, person_id, from.id, c->who.id, in->to_office ? to.id : NULL,
                    in->to_agency, in->type, in->reason, d.purpose, d.legal_basis, in->consent_ref, REFERRAL_INITIAL,
                    ts, ts);
    if (rc || (rc = history_add(c, id, 1, NULL, REFERRAL_INITIAL, c->who.office_id, NULL, ts))) goto out;
    if ((rc = row_load(c, id, &r)) || (rc = emit(c, &r, NULL))) goto out;
    rc = render(c, &r, d.fields, true, out);
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- read ---- */

op_code referral_get(ctx *c, const char *id, json_t **out) {
    *out = NULL;
    struct row r;
    access_decision d;
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the referral does not exist");
    op_code rc = row_load(c, id, &r);
    if (rc) return rc;
    struct access_referral p = parties(&r);
    if ((rc = access_referral(c, PD_READ, id, r.v[C_PERSON], &p, &d))) return rc;
    return render(c, &r, d.fields, true, out);
}

/* Rows of a prepared, bound statement: each decided; what is returned is audited as SEARCH, and
 * rows the actor may not see are left out.  Reads up to max rows; *more when there was another. */
static op_code list_rows(ctx *c, store_stmt *st, int max, json_t *items, bool *more) {
    struct row *rows = arena_alloc(c->a, (size_t)(max + 1) * sizeof *rows);
    int n = 0, sr;
    while (n <= max && (sr = store_step(st, &c->err)) == STORE_ROW) row_read(c, st, &rows[n++]);
    store_reset(st);
    if (n <= max && sr == STORE_ERROR) return c->err.code;
    *more = n > max;
    if (n > max) n = max;
    for (int i = 0; i < n; i++) {
        access_decision d;
        struct access_referral p = parties(&rows[i]);
        op_code rc = access_decide_referral(c, PD_SEARCH, rows[i].v[C_PERSON], &p, &d);
        if (rc == OP_NOT_FOUND) continue;
        if (rc) return rc;
        if (!d.allow) continue;
        if ((rc = access_audit(c, PD_SEARCH, RTYPE, rows[i].v[C_ID], rows[i].v[C_PERSON], &d))) return rc;
        json_t *o;
        if ((rc = render(c, &rows[i], d.fields, false, &o))) return rc;
        json_array_append_new(items, o);
    }
    return OP_OK;
}

op_code referral_list_person(ctx *c, const char *person_id, json_t **out) {
    *out = NULL;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    store_stmt *st = store_query(c->db, &c->err, "SELECT 1 FROM persons WHERE id = ?", "s", person_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    store_reset(st);
    st = store_prepare(c->db, "SELECT " REF_COLS REF_FROM " WHERE r.person_id = ? ORDER BY r.created_at DESC, r.id DESC",
                       &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person_id);
    json_t *items = json_array();
    bool more;
    op_code rc = list_rows(c, st, REFERRAL_LIST_MAX, items, &more);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:I}", "items", items, "count", (json_int_t)json_array_size(items));
    return OP_OK;
}

op_code referral_list_office(ctx *c, const struct referral_query *q, json_t **out) {
    *out = NULL;
    struct office o = {0};
    bool outbox = q->box && strcmp(q->box, "out") == 0;
    if (q->box && !outbox && strcmp(q->box, "in") != 0)
        return op_fail_field(&c->err, OP_BAD_QUERY, "box", "in (received) or out (sent)", "parameter \"box\" is invalid");
    if (q->status && !referral_state_known(q->status))
        return op_fail_field(&c->err, OP_BAD_QUERY, "status", "sent, received, accepted, in_progress, rejected, completed, closed or withdrawn",
                             "parameter \"status\" names no referral state");
    op_code rc;
    if (q->office && *q->office) {
        store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM offices WHERE id = ? OR code = ?", "ss", q->office, q->office);
        if (!st)
            return c->err.code ? c->err.code
                               : op_fail_field(&c->err, OP_BAD_QUERY, "office", "use an office code", "parameter \"office\" names no office");
        snprintf(o.id, sizeof o.id, "%s", store_col_text(st, 0));
        store_reset(st);
    } else if (c->who.type == ACTOR_STAFF) {
        snprintf(o.id, sizeof o.id, "%s", c->who.office_id);
    } else {
        return op_fail_field(&c->err, OP_BAD_QUERY, "office", "pass office=<code>", "parameter \"office\" is required");
    }
    if (c->who.type != ACTOR_SYSTEM && strcmp(o.id, c->who.office_id) != 0) {
        /* No person is touched, but the refusal is audited like every refusal. */
        access_decision d = {0};
        if ((rc = access_purpose(c, &d.purpose, &d.legal_basis)) == OP_FORBIDDEN) {
            d.purpose = c->purpose;
            d.legal_basis = "none";
        } else if (rc) {
            return rc;
        }
        snprintf(d.reason, sizeof d.reason, "staff list only their own office's referrals");
        if ((rc = access_audit(c, PD_SEARCH, "referral_list", o.id, NULL, &d))) return rc;
        return op_fail(&c->err, OP_FORBIDDEN, "leave out office= to list your own office's referrals", "%s", d.reason);
    }
    const char *sql = arena_printf(c->a, "SELECT " REF_COLS REF_FROM " WHERE r.%s = ?%s ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
                                   outbox ? "from_office_id" : "to_office_id", q->status ? " AND r.status = ?" : "");
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    int i = 1;
    store_bind_text(st, i++, o.id);
    if (q->status) store_bind_text(st, i++, q->status);
    store_bind_int(st, i++, q->limit + 1);
    store_bind_int(st, i++, q->offset);
    json_t *items = json_array();
    bool more;
    if ((rc = list_rows(c, st, q->limit, items, &more))) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:i, s:i}", "items", items, "limit", q->limit, "offset", q->offset);
    if (more) json_object_set_new(*out, "next_offset", json_integer(q->offset + q->limit));
    return OP_OK;
}

/* ---- transitions ---- */

static const char *codes_text(ctx *c, const char *state) {
    const char *const *codes = referral_outcomes(state);
    char *s = arena_strdup(c->a, "");
    for (int i = 0; codes && codes[i]; i++) s = arena_printf(c->a, "%s%s%s", s, i ? ", " : "", codes[i]);
    return s;
}

op_code referral_transition(ctx *c, const char *id, const struct referral_move *m, json_t **out) {
    *out = NULL;
    struct row r;
    access_decision d;
    char ts[CLOCK_TS_LEN], next[200];
    bool outer;
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the referral does not exist");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if ((rc = row_load(c, id, &r))) goto out;
    const char *person = r.v[C_PERSON], *from = r.v[C_STATUS];
    struct access_referral p = parties(&r);
    if ((rc = access_referral(c, PD_UPDATE, id, person, &p, &d))) goto out;
    if (!m->to || !referral_state_known(m->to)) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "to", referral_next_text(from, next, sizeof next),
                           m->to ? "field \"to\" names no referral state" : "field \"to\" is required");
        goto out;
    }
    if (m->has_version && m->version != r.version) {
        rc = op_fail(&c->err, OP_CONFLICT, "GET the referral again and reapply your change",
                     "the referral is at version %lld, not %lld", (long long)r.version, (long long)m->version);
        goto out;
    }
    if ((rc = text_ok(c, "note", m->note, REFERRAL_NOTE_MAX, false))) goto out;
    unsigned sides = 0;
    if (c->who.type == ACTOR_SYSTEM) {
        sides = REF_SENDER | REF_RECEIVER;
    } else {
        bool at_from = strcmp(r.v[C_FROM], c->who.office_id) == 0;
        if (at_from) sides |= REF_SENDER;
        /* An external agency has no accounts here: the sending office records its answers. */
        if ((r.v[C_TO] && strcmp(r.v[C_TO], c->who.office_id) == 0) || (!r.v[C_TO] && at_from)) sides |= REF_RECEIVER;
    }
    switch (referral_check(from, m->to, sides, m->outcome)) {
    case REF_OK:
        break;
    case REF_UNKNOWN_STATE: /* checked above */
    case REF_ILLEGAL:
        referral_next_text(from, next, sizeof next);
        rc = op_fail(&c->err, OP_CONFLICT,
                     next[0] ? arena_printf(c->a, "from \"%s\" a referral may move to: %s", from, next)
                             : arena_printf(c->a, "\"%s\" is final: send a new referral instead", from),
                     "a referral cannot move from \"%s\" to \"%s\"", from, m->to);
        goto out;
    case REF_WRONG_SIDE:
        rc = refuse(c, PD_UPDATE, id, person, &d,
                    sides & REF_RECEIVER ? "ask the sending office" : "ask the receiving office",
                    sides & REF_RECEIVER ? arena_printf(c->a, "only the sending office may move a referral to \"%s\"", m->to)
                                         : arena_printf(c->a, "only the receiving office may move a referral to \"%s\"", m->to));
        goto out;
    case REF_OUTCOME_MISSING:
        rc = op_fail_field(&c->err, OP_VALIDATION, "outcome", codes_text(c, m->to),
                           "moving a referral to \"%s\" needs an outcome code", m->to);
        goto out;
    case REF_OUTCOME_UNKNOWN:
        rc = op_fail_field(&c->err, OP_VALIDATION, "outcome", codes_text(c, m->to),
                           "field \"outcome\" is not an outcome code of \"%s\"", m->to);
        goto out;
    case REF_OUTCOME_NOT_TAKEN:
        rc = op_fail_field(&c->err, OP_VALIDATION, "outcome", "leave out outcome (a note may explain the move)",
                           "a referral moved to \"%s\" takes no outcome", m->to);
        goto out;
    }
    bool takes_outcome = referral_outcomes(m->to) != NULL, final = referral_state_terminal(m->to);
    int64_t n = 0;
    clock_now_ts(ts);
    rc = store_exec(c->db, &c->err, &n,
                    "UPDATE referrals SET status = ?, outcome_code = ?, outcome_note = ?, version = version + 1,"
                    " updated_at = ?, closed_at = ? WHERE id = ? AND version = ?",
                    "ssssssi", m->to, takes_outcome ? m->outcome : NULL, takes_outcome ? m->note : NULL, ts,
                    final ? ts : NULL, id, r.version);
    if (rc) goto out;
    if (n != 1) {
        rc = op_fail(&c->err, OP_CONFLICT, "GET the referral again and reapply your change",
                     "the referral was changed by someone else");
        goto out;
    }
    if ((rc = history_add(c, id, r.version + 1, from, m->to, c->who.office_id, m->note, ts))) goto out;
    const char *previous = arena_strdup(c->a, from);
    if ((rc = row_load(c, id, &r)) || (rc = emit(c, &r, previous))) goto out;
    rc = render(c, &r, d.fields, true, out);
out:
    if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}
