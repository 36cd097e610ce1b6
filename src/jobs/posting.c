/* posting.c - POST/PATCH/GET of vacancies: validation, automatic vetting, rendering. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "events/outbox.h"
#include "jobs/vacancy_int.h"

static json_t *col_str(store_stmt *st, int i) {
    return store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i));
}
static json_t *col_int(store_stmt *st, int i) {
    return store_col_null(st, i) ? json_null() : json_integer(store_col_int(st, i));
}
static json_t *col_json(store_stmt *st, int i) {
    if (store_col_null(st, i)) return json_null();
    json_t *v = json_loads(store_col_text(st, i), 0, NULL);
    return v ? v : json_null();
}

json_t *jobs_vac_json(ctx *c, store_stmt *st, bool full) {
    json_t *o = json_object();
    json_object_set_new(o, "id", col_str(st, 0));
    json_object_set_new(o, "status", col_str(st, 3));
    json_object_set_new(o, "title", col_str(st, 5));
    if (full) {
        json_object_set_new(o, "description", col_str(st, 6));
    } else { /* an excerpt of at most 160 characters */
        const char *d = store_col_text(st, 6);
        size_t i = 0, n = 0;
        while (d[i] && n < 160) {
            i++;
            while (((unsigned char)d[i] & 0xC0) == 0x80) i++;
            n++;
        }
        json_object_set_new(o, "excerpt", json_stringn(d, i));
    }
    json_object_set_new(o, "employer", json_pack("{s:o, s:o, s:o, s:o, s:b}", "id", col_str(st, 2), "name", col_str(st, 34),
                                                 "name_ko", col_str(st, 35), "size_class", col_str(st, 25), "verified",
                                                 (int)store_col_int(st, 36)));
    static const struct { const char *k; int col; char t; } f[] = {
        {"occupation", 7, 's'},      {"region", 8, 's'},        {"address", 9, 's'},         {"salary_min", 10, 'i'},
        {"salary_max", 11, 'i'},     {"salary_period", 12, 's'}, {"hours_per_week", 13, 'i'}, {"days_per_week", 14, 'i'},
        {"contract", 15, 's'},       {"openings", 16, 'i'},     {"filled", 17, 'i'},         {"education", 18, 's'},
        {"experience_years", 19, 'i'}, {"skills", 20, 'j'},     {"languages", 21, 'j'},      {"closing_date", 22, 's'},
        {"contact", 23, 'j'},        {"published_at", 30, 's'}, {"closed_at", 31, 's'},      {"closed_reason", 32, 's'},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        json_object_set_new(o, f[i].k, f[i].t == 's' ? col_str(st, f[i].col) : f[i].t == 'i' ? col_int(st, f[i].col)
                                                                                                : col_json(st, f[i].col));
    const struct jobs_isco_row *occ = jobs_isco_find(store_col_text(st, 7));
    if (occ) json_object_set_new(o, "occupation_title", json_string(occ->title_en));
    if (full) {
        json_object_set_new(o, "reasons", col_json(st, 4));
        json_object_set_new(o, "restrictions", col_json(st, 24));
        json_object_set_new(o, "source", col_str(st, 26));
        json_object_set_new(o, "source_ref", col_str(st, 27));
        json_object_set_new(o, "created_at", col_str(st, 28));
        json_object_set_new(o, "updated_at", col_str(st, 29));
        json_object_set_new(o, "version", col_int(st, 33));
    }
    (void)c;
    return o;
}

/* Load one vacancy row; NULL with OP_NOT_FOUND. */
static store_stmt *load(ctx *c, const char *id) {
    if (!id_is_uuid(id)) {
        op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
        return NULL;
    }
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT " VAC_COLS " FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.id = ?",
                                 "s", id);
    if (!st && !c->err.code) op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    return st;
}

static bool may_manage(ctx *c, const char *employer_id) {
    return c->who.type == ACTOR_STAFF || c->who.type == ACTOR_SYSTEM ||
           (c->who.type == ACTOR_EMPLOYER && strcmp(c->who.employer_id, employer_id) == 0);
}

op_code jobs_vacancy_get(ctx *c, const char *id, json_t **out) {
    store_stmt *st = load(c, id);
    if (!st) return c->err.code;
    bool owner = may_manage(c, store_col_text(st, 2));
    if (!owner && strcmp(store_col_text(st, 3), "published") != 0) {
        store_reset(st);
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    }
    *out = jobs_vac_json(c, st, owner);
    if (!owner) { /* a published vacancy's whole text is public; the excerpt is for result lists */
        json_object_del(*out, "excerpt");
        json_object_set_new(*out, "description", col_str(st, 6));
    }
    store_reset(st);
    return OP_OK;
}

/* The employer's size and verification; OP_VALIDATION when it does not exist. */
static op_code employer_facts(ctx *c, const char *id, char size[12], bool *verified) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT size_class, verified FROM employers WHERE id = ?", "s", id);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail_field(&c->err, OP_VALIDATION, "employer_id", "register it with POST /api/v1/employers",
                                           "employer %s does not exist", id);
    snprintf(size, 12, "%s", store_col_text(st, 0));
    *verified = store_col_int(st, 1) != 0;
    store_reset(st);
    return OP_OK;
}

/* Vet v, write it (insert when *num == 0), log, feed and events. */
static op_code vet_and_write(ctx *c, struct vac *v, const char *id, int64_t *num, const char *old_status) {
    char size[12];
    bool verified = false;
    op_code rc = employer_facts(c, v->employer_id, size, &verified);
    if (rc) return rc;
    struct jobs_vet vet;
    jobs_vet_run(c, v, *num ? id : NULL, verified, &vet);
    const char *status = jobs_vet_outcome(&vet);
    json_t *rj = jx_arena(c->a, jobs_vet_json(&vet));
    const char *reasons = jx_dump(c->a, rj);
    if ((rc = store_begin(c->db, &c->err))) return rc;
    rc = jobs_vac_write(c, v, id, num, status, reasons, size);
    if (!rc) rc = jobs_vetting_log(c, id, status, reasons, NULL);
    bool was_pub = old_status && strcmp(old_status, "published") == 0, is_pub = strcmp(status, "published") == 0;
    if (!rc && is_pub) rc = jobs_vac_changed(c, id, was_pub ? "changed" : "published");
    if (!rc && was_pub && !is_pub) rc = jobs_vac_changed(c, id, "closed");
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}

static const char *employer_for(ctx *c, const char *requested) {
    if (c->who.type == ACTOR_EMPLOYER) {
        if (!c->who.employer_id[0]) {
            op_fail_field(&c->err, OP_VALIDATION, "employer_id", "register your employer with POST /api/v1/employers first",
                          "your account has no employer record");
            return NULL;
        }
        if (requested && strcmp(requested, c->who.employer_id) != 0) {
            op_fail_field(&c->err, OP_FORBIDDEN, "employer_id", "employer accounts post for their own employer only",
                          "you may not post for employer %s", requested);
            return NULL;
        }
        return c->who.employer_id;
    }
    if (!requested) op_fail_field(&c->err, OP_VALIDATION, "employer_id", "staff post on behalf of an employer: name it",
                                  "field \"employer_id\" is required");
    return requested;
}

op_code jobs_vacancy_create(ctx *c, const json_t *in, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    struct vac v;
    if ((rc = jobs_vac_validate(c, in, &v))) return rc;
    if (json_object_get(in, "version")) return op_fail_field(&c->err, OP_UNKNOWN_FIELD, "version", NULL, "version is only for PATCH");
    if (!(v.employer_id = employer_for(c, v.employer_id))) return c->err.code;
    char id[ID_LEN];
    id_uuid7(id);
    int64_t num = 0;
    if ((rc = vet_and_write(c, &v, id, &num, NULL))) return rc;
    return jobs_vacancy_get(c, id, out);
}

/* The stored vacancy in the input shape, for merging a patch. */
static json_t *input_shape(const json_t *full) {
    static const char *const keys[] = {"title", "description", "occupation", "region", "address", "salary_min",
                                       "salary_max", "salary_period", "hours_per_week", "days_per_week", "contract",
                                       "openings", "education", "experience_years", "skills", "languages",
                                       "closing_date", "contact", "source", "source_ref", NULL};
    json_t *o = json_object();
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(full, keys[i]);
        if (v && !json_is_null(v)) json_object_set(o, keys[i], v);
    }
    json_object_set_new(o, "employer_id", json_incref(json_object_get(json_object_get(full, "employer"), "id")));
    json_t *r = json_object_get(full, "restrictions");
    if (json_is_object(r)) json_object_update(o, r);
    return o;
}

op_code jobs_vacancy_patch(ctx *c, const char *id, const json_t *in, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    store_stmt *st = load(c, id);
    if (!st) return c->err.code;
    char emp[ID_LEN], status[16];
    snprintf(emp, sizeof emp, "%s", store_col_text(st, 2));
    snprintf(status, sizeof status, "%s", store_col_text(st, 3));
    int64_t num = store_col_int(st, 1), version = store_col_int(st, 33);
    json_t *full = jx_arena(c->a, jobs_vac_json(c, st, true));
    store_reset(st);
    if (!may_manage(c, emp)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    if (strcmp(status, "closed") == 0)
        return op_fail(&c->err, OP_CONFLICT, "post a new vacancy instead", "vacancy %s is closed", id);
    json_t *ver = json_object_get(in, "version");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) != version))
        return op_fail_field(&c->err, OP_CONFLICT, "version", "reload the vacancy and apply your change again",
                             "the vacancy is at version %lld", (long long)version);
    json_t *eid = json_object_get(in, "employer_id");
    if (eid && !json_equal(eid, json_object_get(json_object_get(full, "employer"), "id")))
        return op_fail_field(&c->err, OP_VALIDATION, "employer_id", NULL, "a vacancy cannot move to another employer");
    json_t *merged = jx_arena(c->a, input_shape(full));
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)in, k, val) {
        if (strcmp(k, "version") == 0) continue;
        if (json_is_null(val)) json_object_del(merged, k);
        else json_object_set(merged, k, val);
    }
    struct vac v;
    if ((rc = jobs_vac_validate(c, merged, &v))) return rc;
    if ((rc = vet_and_write(c, &v, id, &num, status))) return rc;
    return jobs_vacancy_get(c, id, out);
}

op_code jobs_employer_vacancies(ctx *c, const char *employer_id, const char *status, int limit, int offset,
                                json_t **out) {
    if (jobs_employer_access(c, employer_id)) return c->err.code;
    store_stmt *st = store_prepare(c->db,
                                   status ? "SELECT " VAC_COLS " FROM vacancies v JOIN employers e ON e.id = v.employer_id"
                                            " WHERE v.employer_id = ? AND v.status = ? ORDER BY v.num DESC LIMIT ? OFFSET ?"
                                          : "SELECT " VAC_COLS " FROM vacancies v JOIN employers e ON e.id = v.employer_id"
                                            " WHERE v.employer_id = ? ORDER BY v.num DESC LIMIT ? OFFSET ?",
                                   &c->err);
    if (!st) return c->err.code;
    int i = 1;
    store_bind_text(st, i++, employer_id);
    if (status) store_bind_text(st, i++, status);
    store_bind_int(st, i++, limit);
    store_bind_int(st, i++, offset);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, jobs_vac_json(c, st, true));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o}", "items", items);
    return OP_OK;
}
