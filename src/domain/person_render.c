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

/* ---- the read answer, rendered by the database ----
 *
 * GET /api/v1/persons/{id} and GET /api/v1/me answer with text spliced from parts that the
 * database renders in the read's one query (SQLite json_object, PostgreSQL json_build_object):
 * no JSON tree is parsed or built per read (docs/DECISIONS.md 13).  Each part is one object of
 * one field group (F_*); the answer is the parts the actor may see, their outer braces dropped,
 * joined in the order pr_json() uses.  pr_json() builds the same document with jansson for the
 * answers that embed it (search, writes, applications); tests compare the two per field mask. */
enum { DOC_HEAD, DOC_IDENTITY, DOC_CONTACT, DOC_ADDRESS, DOC_EDUCATION, DOC_QUALIFICATIONS, DOC_WORK_HISTORY,
       DOC_SKILLS, DOC_PREFERENCES, DOC_DISABILITY, DOC_REGISTRATION, DOC_TAIL, DOC_NPARTS };

/* O opens an object, E ends a top-level part (PostgreSQL: as text); PART(k) is the profile's
 * array k (else []), PREFS its preferences object (else the empty canonical one), DIS the flag. */
#define DOC_PARTS(O, E, PART, PREFS, DIS)                                                                      \
    O "'id', p.id, 'version', p.version)" E ", " O "'given_name', p.given_name, 'family_name', p.family_name," \
      " 'birth_date', p.birth_date, 'sex', p.sex, 'nationality', p.nationality)" E ", "                       \
    O "'contact', " O "'email', p.email, 'phone', p.phone))" E ", "                                              \
    O "'address', " O "'line', p.address_line, 'postal_code', p.postal_code, 'region_code', p.region_code))" E \
    ", " O "'education', " O "'level', p.education_level, 'major', p.education_major))" E ", "                 \
    O "'qualifications', " PART("qualifications") ")" E ", " O "'work_history', " PART("work_history") ")" E   \
    ", " O "'skills', " PART("skills") ")" E ", " O "'preferences', " PREFS ")" E ", "                         \
    O "'disability', " DIS ")" E ", "                                                                          \
    O "'registration', CASE WHEN r.id IS NULL THEN NULL ELSE " O "'id', r.id, 'person_id', r.person_id,"        \
      " 'status', r.status, 'office', " O "'id', o.id, 'code', o.code, 'name', o.name, 'name_ko', o.name_ko,"  \
      " 'region_code', o.region_code), 'counsellor_id', r.counsellor_id, 'registered_on', r.registered_on,"   \
      " 'due_date', r.due_date, 'claim_id', r.claim_id, 'status_reason', r.status_reason, 'version', r.version," \
      " 'created_at', r.created_at, 'updated_at', r.updated_at) END)" E ", "                                    \
    O "'created_at', p.created_at, 'updated_at', p.updated_at)" E

#define SQ_PART(k) "CASE json_type(p.profile, '$." k "') WHEN 'array' THEN p.profile -> '$." k "' ELSE json_array() END"
#define SQ_PREFS                                                                                     \
    "CASE json_type(p.profile, '$.preferences') WHEN 'object' THEN p.profile -> '$.preferences' ELSE" \
    " json_object('occupations', json_array(), 'regions', json_array(), 'salary_min', NULL,"          \
    " 'salary_period', NULL, 'hours_per_week_max', NULL) END"
#define PG_PART(k)                                                                                          \
    "CASE json_typeof(p.profile::json -> '" k "') WHEN 'array' THEN p.profile::json -> '" k "' ELSE" \
    " json_build_array() END"
#define PG_PREFS                                                                                              \
    "CASE json_typeof(p.profile::json -> 'preferences') WHEN 'object' THEN p.profile::json -> 'preferences'" \
    " ELSE json_build_object('occupations', json_build_array(), 'regions', json_build_array(), 'salary_min'," \
    " NULL, 'salary_period', NULL, 'hours_per_week_max', NULL) END"

#define READ_SQL(PARTS)                                                                            \
    "SELECT " ACCESS_FACTS_COLS ", p.id, p.nid_enc, p.nid_country, " PARTS " FROM " ACCESS_FACTS_FROM \
    " LEFT JOIN offices o ON o.id = r.office_id WHERE p.id = ?"
static const char *READ_SQLITE =
    READ_SQL(DOC_PARTS("json_object(", "", SQ_PART, SQ_PREFS, "json(CASE WHEN p.disability THEN 'true' ELSE 'false' END)"));
static const char *READ_PG =
    READ_SQL(DOC_PARTS("json_build_object(", "::text", PG_PART, PG_PREFS, "(p.disability <> 0)"));

/* The field group of each part (0: always there). */
static const unsigned PART_GROUP[DOC_NPARTS] = {
    [DOC_IDENTITY] = F_IDENTITY,         [DOC_CONTACT] = F_CONTACT,       [DOC_ADDRESS] = F_ADDRESS,
    [DOC_EDUCATION] = F_EDUCATION,       [DOC_QUALIFICATIONS] = F_QUALIFICATIONS,
    [DOC_WORK_HISTORY] = F_WORK_HISTORY, [DOC_SKILLS] = F_SKILLS,         [DOC_PREFERENCES] = F_PREFERENCES,
    [DOC_DISABILITY] = F_DISABILITY,     [DOC_REGISTRATION] = F_REGISTRATION,
};

/* Append an object's members (its text without the outer braces) after a comma when needed. */
static void splice(char **w, const char *obj, size_t n, bool *first) {
    if (!obj) return;
    while (n && obj[n - 1] != '}') n--; /* PostgreSQL's text ends in "}" too; be strict anyway */
    if (n < 2 || obj[0] != '{') return;
    const char *in = obj + 1;
    size_t m = n - 2;
    while (m && (*in == ' ')) in++, m--;
    if (!m) return; /* {} */
    if (!*first) *(*w)++ = ',';
    memcpy(*w, in, m);
    *w += m;
    *first = false;
}

op_code pr_read(ctx *c, enum pd_action act, const char *rtype, const char *id, const char **out) {
    *out = NULL;
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    store_stmt *st = store_query(c->db, &c->err, store_dialect(c->db, READ_SQLITE, READ_PG), "ss", c->who.id, id);
    if (!st && c->err.code) return c->err.code;
    access_facts f = {0};
    access_decision d;
    if (st) access_facts_read(st, 0, &f);
    op_code rc = access_person_facts(c, act, rtype, id, id, &f, &d);
    if (rc) {
        if (st) store_reset(st);
        return rc;
    }
    const int k = ACCESS_FACTS_NCOLS + 3; /* the first part's column */
    size_t len = 64 + NID_MAX;
    const char *part[DOC_NPARTS];
    size_t plen[DOC_NPARTS];
    for (int i = 0; i < DOC_NPARTS; i++) {
        part[i] = store_col_text(st, k + i);
        plen[i] = part[i] ? strlen(part[i]) : 0;
        len += plen[i] + 1;
    }
    char *buf = arena_alloc(c->a, len), *w = buf;
    bool first = true;
    *w++ = '{';
    splice(&w, part[DOC_HEAD], plen[DOC_HEAD], &first);
    if (d.fields & F_NATIONAL_ID) {
        const char *enc = store_col_null(st, ACCESS_FACTS_NCOLS + 1) ? NULL : store_col_text(st, ACCESS_FACTS_NCOLS + 1);
        char *plain = NULL, masked[NID_MAX];
        if (!enc) {
            w += sprintf(w, ",\"national_id_masked\":null");
        } else if (fieldcrypt_decrypt(c->a, enc, pr_nid_aad(c->a, id), &plain, NULL, &c->err)) {
            store_reset(st);
            return c->err.code;
        } else {
            nid_mask(store_col_text(st, ACCESS_FACTS_NCOLS + 2), plain, masked);
            memset(plain, 0, strlen(plain)); /* do not leave the number in the arena */
            json_t *m = json_string(masked);
            w += sprintf(w, ",\"national_id_masked\":");
            w += json_dumpb(m, w, NID_MAX + 8, JSON_ENCODE_ANY);
            json_decref(m);
        }
    }
    for (int i = DOC_IDENTITY; i < DOC_NPARTS; i++)
        if (!PART_GROUP[i] || (d.fields & PART_GROUP[i]))
            splice(&w, part[i], plen[i], &first);
    *w++ = '}';
    *w = 0;
    store_reset(st);
    *out = buf;
    return OP_OK;
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
        json_t *r = NULL;
        if (jsr_current_json(c, p->id, &r)) {
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
