/* person_render.c - loading person rows and rendering them through a field mask. */
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "domain/person_int.h"
#include "sec/fieldcrypt.h"

#define PERSON_COLS                                                                                \
    "p.id, p.version, p.given_name, p.family_name, p.birth_date, p.sex, p.nationality, p.email,"    \
    " p.phone, p.address_line, p.postal_code, p.region_code, p.education_level, p.education_major," \
    " p.disability, p.profile, p.nid_enc, p.nid_hash, p.nid_country, p.created_at, p.updated_at"
#define PERSON_NCOLS 21

static const char *col(ctx *c, store_stmt *st, int i) {
    return store_col_null(st, i) ? NULL : arena_strdup(c->a, store_col_text(st, i));
}

/* A profile part from the stored JSON, or its empty canonical form. */
static json_t *part(ctx *c, json_t *profile, const char *key, bool object) {
    json_t *v = json_object_get(profile, key);
    if (object ? json_is_object(v) : json_is_array(v)) return jx_arena(c->a, json_incref(v));
    if (!object) return jx_arena(c->a, json_array());
    return jx_arena(c->a, json_pack("{s:[], s:[], s:n, s:n, s:n}", "occupations", "regions",
                                    "salary_min", "salary_period", "hours_per_week_max"));
}

/* The PERSON_COLS of a row, from column k, into p. */
static void read_row(ctx *c, store_stmt *st, int k, struct pdata *p) {
    snprintf(p->id, sizeof p->id, "%s", store_col_text(st, k));
    p->version = store_col_int(st, k + 1);
    p->given_name = col(c, st, k + 2);
    p->family_name = col(c, st, k + 3);
    p->birth_date = col(c, st, k + 4);
    p->sex = col(c, st, k + 5);
    p->nationality = col(c, st, k + 6);
    p->email = col(c, st, k + 7);
    p->phone = col(c, st, k + 8);
    p->address_line = col(c, st, k + 9);
    p->postal_code = col(c, st, k + 10);
    p->region_code = col(c, st, k + 11);
    p->education_level = col(c, st, k + 12);
    p->education_major = col(c, st, k + 13);
    p->disability = store_col_int(st, k + 14) != 0;
    const char *profile = store_col_null(st, k + 15) ? NULL : store_col_text(st, k + 15);
    p->nid_enc = col(c, st, k + 16);
    p->nid_hash = col(c, st, k + 17);
    p->nid_country = col(c, st, k + 18);
    p->created_at = col(c, st, k + 19);
    p->updated_at = col(c, st, k + 20);
    json_t *pj = profile ? jx_arena(c->a, json_loads(profile, 0, NULL)) : NULL;
    p->qualifications = part(c, pj, "qualifications", false);
    p->work_history = part(c, pj, "work_history", false);
    p->skills = part(c, pj, "skills", false);
    p->preferences = part(c, pj, "preferences", true);
}

op_code pr_load(ctx *c, const char *id_in, struct pdata *p) {
    char id[ID_LEN];
    snprintf(id, sizeof id, "%s", id_in ? id_in : ""); /* id_in may point into *p */
    memset(p, 0, sizeof *p);
    if (!id_is_uuid(id))
        return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    store_stmt *st = store_query(c->db, &c->err, "SELECT " PERSON_COLS " FROM persons p WHERE p.id = ?", "s", id);
    if (!st)
        return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    read_row(c, st, 0, p);
    store_reset(st);
    return OP_OK;
}

op_code pr_get(ctx *c, enum pd_action act, const char *rtype, const char *id, struct pdata *p,
               access_decision *d) {
    memset(p, 0, sizeof *p);
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT " ACCESS_FACTS_COLS ", " PERSON_COLS ", " JSR_COLS " FROM " ACCESS_FACTS_FROM
                                 " LEFT JOIN offices o ON o.id = r.office_id WHERE p.id = ?",
                                 "ss", c->who.id, id);
    if (!st && c->err.code) return c->err.code;
    access_facts f = {0};
    if (st) {
        access_facts_read(st, 0, &f);
        read_row(c, st, ACCESS_FACTS_NCOLS, p);
        p->registration = jx_arena(c->a, jsr_row_json(st, ACCESS_FACTS_NCOLS + PERSON_NCOLS));
        store_reset(st);
    }
    return access_person_facts(c, act, rtype, id, id, &f, d);
}

static json_t *take(json_t *v, bool share) { return share ? json_incref(v) : json_deep_copy(v); }

static json_t *s_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* {k1: v1, k2: v2[, k3: v3]} of strings or nulls (keys are literals). */
static json_t *str_object(const char *k1, const char *v1, const char *k2, const char *v2, const char *k3, const char *v3) {
    json_t *o = json_object();
    json_object_set_new_nocheck(o, k1, s_or_null(v1));
    json_object_set_new_nocheck(o, k2, s_or_null(v2));
    if (k3) json_object_set_new_nocheck(o, k3, s_or_null(v3));
    return o;
}

char *pr_nid_aad(arena *a, const char *person_id) {
    return arena_printf(a, "persons.nid_enc:%s", person_id);
}

/* Build the document; `fields` selects groups, `api` adds id/version/timestamps/registration. */
static json_t *build(ctx *c, const struct pdata *p, unsigned fields, bool api) {
    json_t *o = json_object();
    if (api) {
        json_object_set_new(o, "id", json_string(p->id));
        json_object_set_new(o, "version", json_integer(p->version));
    }
    if (api && (fields & F_NATIONAL_ID)) {
        char *plain = NULL, masked[NID_MAX];
        if (!p->nid_enc) {
            json_object_set_new(o, "national_id_masked", json_null());
        } else if (fieldcrypt_decrypt(c->a, p->nid_enc, pr_nid_aad(c->a, p->id), &plain, NULL, &c->err)) {
            json_decref(o);
            return NULL;
        } else {
            nid_mask(p->nid_country, plain, masked);
            memset(plain, 0, strlen(plain)); /* do not leave the number in the arena */
            json_object_set_new(o, "national_id_masked", json_string(masked));
        }
    }
    if (fields & F_IDENTITY) {
        json_object_set_new(o, "given_name", s_or_null(p->given_name));
        json_object_set_new(o, "family_name", s_or_null(p->family_name));
        json_object_set_new(o, "birth_date", s_or_null(p->birth_date));
        json_object_set_new(o, "sex", s_or_null(p->sex));
        json_object_set_new(o, "nationality", s_or_null(p->nationality));
    }
    if (fields & F_CONTACT)
        json_object_set_new_nocheck(o, "contact", str_object("email", p->email, "phone", p->phone, NULL, NULL));
    if (fields & F_ADDRESS)
        json_object_set_new_nocheck(o, "address", str_object("line", p->address_line, "postal_code", p->postal_code,
                                                       "region_code", p->region_code));
    if (fields & F_EDUCATION)
        json_object_set_new_nocheck(o, "education",
                                    str_object("level", p->education_level, "major", p->education_major, NULL, NULL));
    /* The API document shares the profile parts with p (read-only from here on); the document
     * an update merges into (pr_doc) gets copies. */
    if (fields & F_QUALIFICATIONS) json_object_set_new(o, "qualifications", take(p->qualifications, api));
    if (fields & F_WORK_HISTORY) json_object_set_new(o, "work_history", take(p->work_history, api));
    if (fields & F_SKILLS) json_object_set_new(o, "skills", take(p->skills, api));
    if (fields & F_PREFERENCES) json_object_set_new(o, "preferences", take(p->preferences, api));
    if (fields & F_DISABILITY) json_object_set_new(o, "disability", json_boolean(p->disability));
    if (api && (fields & F_REGISTRATION)) {
        json_t *r = p->registration ? json_incref(p->registration) : NULL;
        if (!r && jsr_current_json(c, p->id, &r)) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "registration", r);
    }
    if (api) {
        json_object_set_new(o, "created_at", s_or_null(p->created_at));
        json_object_set_new(o, "updated_at", s_or_null(p->updated_at));
    }
    return o;
}

json_t *pr_json(ctx *c, const struct pdata *p, unsigned fields) { return build(c, p, fields, true); }

json_t *pr_doc(const struct pdata *p) { return build(NULL, p, F_ALL & ~(F_NATIONAL_ID | F_REGISTRATION), false); }

char *pr_profile_text(arena *a, const struct pdata *p) {
    json_t *o = json_pack("{s:O, s:O, s:O, s:O}", "qualifications", p->qualifications, "work_history",
                          p->work_history, "skills", p->skills, "preferences", p->preferences);
    char *s = jx_dump(a, o);
    json_decref(o);
    return s;
}

static const struct {
    unsigned group;
    const char *name;
    const char *keys[5];
} GROUPS[] = {
    {F_IDENTITY, "identity", {"given_name", "family_name", "birth_date", "sex", "nationality"}},
    {F_NATIONAL_ID, "national_id", {NULL}},
    {F_CONTACT, "contact", {"contact"}},
    {F_ADDRESS, "address", {"address"}},
    {F_EDUCATION, "education", {"education"}},
    {F_QUALIFICATIONS, "qualifications", {"qualifications"}},
    {F_WORK_HISTORY, "work_history", {"work_history"}},
    {F_SKILLS, "skills", {"skills"}},
    {F_PREFERENCES, "preferences", {"preferences"}},
    {F_DISABILITY, "disability", {"disability"}},
    {F_REGISTRATION, "registration", {NULL}},
};
#define NGROUPS (sizeof GROUPS / sizeof GROUPS[0])

unsigned pr_changed_groups(const json_t *before, const json_t *after) {
    unsigned g = 0;
    for (size_t i = 0; i < NGROUPS; i++)
        for (int k = 0; k < 5 && GROUPS[i].keys[k]; k++)
            if (!json_equal(json_object_get(before, GROUPS[i].keys[k]),
                            json_object_get(after, GROUPS[i].keys[k])))
                g |= GROUPS[i].group;
    return g;
}

json_t *pr_group_names(unsigned groups) {
    json_t *a = json_array();
    for (size_t i = 0; i < NGROUPS; i++)
        if (groups & GROUPS[i].group) json_array_append_new(a, json_string(GROUPS[i].name));
    return a;
}
