/* person_int.h - internals shared by person.c, person_validate.c, person_render.c, jobseeker.c
 * and casefile.c.  Not part of the contract (person.h). */
#ifndef OPENPES_PERSON_INT_H
#define OPENPES_PERSON_INT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "domain/nid.h"
#include "privacy/access.h"

#define PERSON_LIST_MAX 50 /* qualifications, work history, skills */
#define PERSON_PREF_MAX 20 /* preferred occupations / regions */

/* One person record in memory.  Strings are arena- or json-owned; NULL = absent.  The four
 * profile parts are canonical JSON values (every key present, null when absent) owned by the
 * context arena. */
struct pdata {
    char id[ID_LEN];
    int64_t version;
    const char *given_name, *family_name, *birth_date, *sex, *nationality;
    const char *email, *phone;
    const char *address_line, *postal_code, *region_code;
    const char *education_level, *education_major;
    bool disability;
    json_t *qualifications, *work_history, *skills, *preferences;
    const char *nid_enc, *nid_hash, *nid_country;
    const char *created_at, *updated_at;
};

/* ---- person_validate.c ---- */

enum pv_mode {
    PV_CREATE, /* a new record: national_id and the names and birth date are required */
    PV_MERGED, /* the merged document of an update: national_id is handled by the caller */
};
/* Validate an API document into p (strings point into doc or c->a).  nid receives the
 * normalised national id in PV_CREATE.  Errors name the JSON path in c->err.field. */
op_code pv_document(ctx *c, const json_t *doc, enum pv_mode mode, struct pdata *p, char nid[NID_MAX]);
/* The field groups (F_*) an update body touches, by its top-level keys. */
unsigned pv_touched_groups(const json_t *patch);
bool pv_region_code(const char *s);  /* ^[A-Z]{2}-[A-Z0-9]{1,3}$ */
/* "family given" lower-cased (ASCII), whitespace collapsed: the search key. */
char *pv_name_key(arena *a, const char *family, const char *given);
/* Re-root an error a jx_* getter reported for a key at `prefix` ("contact", "work_history[2]"). */
op_code pv_at(op_err *e, const char *prefix, op_code rc);
/* Field checkers used by person_validate.c and person_lists.c; errors name prefix.key. */
#define PV_NAME_MAX 100 /* names, majors, skills */
#define PV_TEXT_MAX 200 /* employers, titles, address lines */
op_code pv_bad(ctx *c, const char *prefix, const char *key, const char *hint, const char *what);
/* A trimmed string without control characters, 1..max bytes; "" and null mean absent. */
op_code pv_text(ctx *c, const json_t *o, const char *prefix, const char *key, bool required, size_t max,
                const char **out);
/* A real YYYY-MM-DD date, not before 1900, and not after today when `past`. */
op_code pv_date(ctx *c, const json_t *o, const char *prefix, const char *key, bool required, bool past,
                const char **out);
op_code pv_enum(ctx *c, const json_t *o, const char *prefix, const char *key, const char *const *vals,
                const char **out);
/* An optional object with only `allowed` keys. */
op_code pv_object(ctx *c, const json_t *o, const char *key, const char *const *allowed, json_t **out);
/* person_lists.c: qualifications, work_history, skills, preferences into p (canonical). */
op_code pv_profile(ctx *c, const json_t *doc, struct pdata *p);

/* ---- person_render.c ---- */

/* Load a row; OP_NOT_FOUND when there is none. */
op_code pr_load(ctx *c, const char *id, struct pdata *p);
/* One query for a read: the access facts, the row and the current registration.  Decides and
 * audits through access_person_facts(); the answer (the API document restricted to the actor's
 * field groups, as pr_json() would render it) is JSON text in c->a.  OP_NOT_FOUND when there is
 * no such person. */
op_code pr_read(ctx *c, enum pd_action act, const char *rtype, const char *id, const char **out);

/* ---- jobseeker.c ---- */

/* The columns of a registration r joined with its office o, and their JSON (from column col). */
#define JSR_COLS                                                                                   \
    "r.id, r.person_id, r.status, o.id, o.code, o.name, o.name_ko, o.region_code,"                 \
    " r.counsellor_id, r.registered_on, r.due_date, r.claim_id, r.status_reason, r.version,"       \
    " r.created_at, r.updated_at"
json_t *jsr_row_json(store_stmt *st, int col);
/* The API shape, restricted to the field groups in `fields`; F_REGISTRATION adds the current
 * registration (or null).  Returns NULL with c->err set on failure (e.g. a key mismatch). */
json_t *pr_json(ctx *c, const struct pdata *p, unsigned fields);
/* The full document without national id, ids and timestamps: the base an update is merged
 * into, and the canonical form changes are detected on. */
json_t *pr_doc(const struct pdata *p);
/* The profile column (qualifications, work history, skills, preferences) as JSON text. */
char *pr_profile_text(arena *a, const struct pdata *p);
/* Groups whose values differ between two pr_doc documents. */
unsigned pr_changed_groups(const json_t *before, const json_t *after);
/* ["identity","contact",...] for event payloads. */
json_t *pr_group_names(unsigned groups);
/* The AAD binding an encrypted national id to its row. */
char *pr_nid_aad(arena *a, const char *person_id);

/* ---- jobseeker.c ---- */

/* The person's current registration rendered (the open one, else the most recent), or JSON null
 * when none exists.  Does not audit: callers have already decided access. */
op_code jsr_current_json(ctx *c, const char *person_id, json_t **out);

/* ---- person.c: helpers for the domain files ---- */

/* Turn an allowed decision into an audited refusal: d becomes a deny with `reason`, the deny is
 * audited (group commit), and OP_FORBIDDEN is returned with c->err set. */
op_code pd_refuse(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                  const char *person_id, access_decision *d, const char *reason);
/* access_decide + refusal audit: OP_OK when allowed and `need` (F_* groups) are all visible;
 * the allow is NOT yet audited (call access_audit when the operation goes ahead). */
op_code pd_decide(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                  const char *person_id, unsigned need, access_decision *d);

#endif
