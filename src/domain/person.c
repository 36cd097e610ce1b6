/* person.c - the unified person profile: create, read, update, search (contract: person.h).
 *
 * Every function decides access through privacy/access.c before touching a row and audits what it
 * does there; writes join the caller's transaction (or open their own) so that the row, its
 * audit record and its event commit together.  The national id exists in clear only in this
 * file's stack buffers between validation and encryption: it is stored as nid_enc (AES-GCM,
 * bound to the row by its AAD) and nid_hash (keyed HMAC, unique), and leaves only masked. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "domain/person_int.h"
#include "events/outbox.h"
#include "sec/fieldcrypt.h"

/* ---- helpers shared with jobseeker.c / casefile.c ---- */

op_code pd_refuse(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                  const char *person_id, access_decision *d, const char *reason) {
    d->allow = false;
    d->fields = 0;
    snprintf(d->reason, sizeof d->reason, "%s", reason);
    op_code rc = access_audit(c, act, rtype, resource_id, person_id, d);
    if (rc) return rc;
    return op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access", "%s", reason);
}

op_code pd_decide(ctx *c, enum pd_action act, const char *rtype, const char *resource_id,
                  const char *person_id, unsigned need, access_decision *d) {
    op_code rc = access_decide(c, act, rtype, person_id, d);
    if (rc) return rc;
    if (!d->allow) {
        char reason[sizeof d->reason];
        snprintf(reason, sizeof reason, "%s", d->reason);
        return pd_refuse(c, act, rtype, resource_id, person_id, d, reason);
    }
    if ((need & d->fields) != need) {
        char names[160];
        json_t *missing = pr_group_names(need & ~d->fields);
        char *list = jx_dump(c->a, missing);
        json_decref(missing);
        snprintf(names, sizeof names, "your role and relation to the person do not cover the field groups %s", list);
        return pd_refuse(c, act, rtype, resource_id, person_id, d, names);
    }
    return OP_OK;
}

/* ---- create ---- */

static op_code nid_taken(ctx *c, const char *hash, const char *except_id) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    if (!st) return c->err.code;
    bool other = !except_id || strcmp(store_col_text(st, 0), except_id) != 0;
    store_reset(st);
    if (!other) return OP_OK;
    /* The existing record's id is not named: disclosing it would be an unaudited search. */
    return op_fail_field(&c->err, OP_DUPLICATE, "national_id",
                         c->who.type == ACTOR_CITIZEN
                             ? "your record already exists: ask your job centre to link it to your account"
                             : "search for the existing record with POST /api/v1/persons/search",
                         "a person with this national id is already registered");
}

/* Encrypt and hash a normalised national id for row `id`. */
static op_code nid_seal(ctx *c, const char *id, const char *nid, char **enc, char hash[65]) {
    fieldcrypt_lookup_hash(nid, hash);
    return fieldcrypt_encrypt(c->a, nid, strlen(nid), pr_nid_aad(c->a, id), enc, &c->err);
}

static op_code emit(ctx *c, const char *type, const char *id, const char *key, unsigned groups) {
    json_t *pl = json_pack("{s:s, s:o}", "person_id", id, key, pr_group_names(groups));
    op_code rc = event_emit(c, type, id, pl);
    json_decref(pl);
    return rc;
}

/* The groups a new record fills (for the event; no values). */
static unsigned present_groups(const struct pdata *p) {
    unsigned g = F_IDENTITY | F_NATIONAL_ID;
    if (p->email || p->phone) g |= F_CONTACT;
    if (p->address_line || p->postal_code || p->region_code) g |= F_ADDRESS;
    if (p->education_level || p->education_major) g |= F_EDUCATION;
    if (json_array_size(p->qualifications)) g |= F_QUALIFICATIONS;
    if (json_array_size(p->work_history)) g |= F_WORK_HISTORY;
    if (json_array_size(p->skills)) g |= F_SKILLS;
    json_t *pr = p->preferences;
    if (json_array_size(json_object_get(pr, "occupations")) || json_array_size(json_object_get(pr, "regions")) ||
        !json_is_null(json_object_get(pr, "salary_min")) || !json_is_null(json_object_get(pr, "salary_period")) ||
        !json_is_null(json_object_get(pr, "hours_per_week_max")))
        g |= F_PREFERENCES;
    if (p->disability) g |= F_DISABILITY;
    return g;
}

op_code person_create(ctx *c, const json_t *in, json_t **out) {
    *out = NULL;
    struct pdata p = {0};
    char nid[NID_MAX] = "", hash[65], *enc = NULL, ts[CLOCK_TS_LEN];
    access_decision d;
    bool outer;
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    id_uuid7(p.id);
    /* Decide first: a refusal is audited whatever the body holds. */
    if ((rc = access_person(c, PD_CREATE, "person", p.id, p.id, &d))) goto out;
    if ((rc = pv_document(c, in, PV_CREATE, &p, nid))) goto out;
    if ((rc = nid_seal(c, p.id, nid, &enc, hash))) goto out;
    if ((rc = nid_taken(c, hash, NULL))) goto out;
    clock_now_ts(ts);
    rc = store_exec(c->db, &c->err, NULL,
                    "INSERT INTO persons (id, nid_hash, nid_enc, nid_country, given_name, family_name, name_key,"
                    " birth_date, sex, nationality, email, phone, address_line, postal_code, region_code,"
                    " education_level, education_major, disability, profile, version, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)",
                    "sssssssssssssssssisss", p.id, hash, enc, NID_DEFAULT_COUNTRY, p.given_name, p.family_name,
                    pv_name_key(c->a, p.family_name, p.given_name), p.birth_date, p.sex, p.nationality, p.email,
                    p.phone, p.address_line, p.postal_code, p.region_code, p.education_level, p.education_major,
                    (int64_t)p.disability, pr_profile_text(c->a, &p), ts, ts);
    if (rc == OP_DUPLICATE) /* a concurrent create with the same number won the race */
        rc = op_fail_field(&c->err, OP_DUPLICATE, "national_id", NULL,
                           "a person with this national id is already registered");
    if (rc) goto out;
    if ((rc = emit(c, "person.created", p.id, "groups", present_groups(&p)))) goto out;
    if ((rc = pr_load(c, p.id, &p))) goto out;
    if (!(*out = pr_json(c, &p, d.fields))) rc = c->err.code ? c->err.code : OP_INTERNAL;
out:
    memset(nid, 0, sizeof nid);
    if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* ---- read ---- */

op_code person_get_text(ctx *c, const char *id, const char **out) {
    return pr_read(c, PD_READ, "person", id, out);
}

op_code person_get(ctx *c, const char *id, json_t **out) {
    const char *text;
    *out = NULL;
    op_code rc = pr_read(c, PD_READ, "person", id, &text);
    if (rc) return rc;
    if (!(*out = json_loads(text, 0, NULL)))
        return op_fail(&c->err, OP_INTERNAL, NULL, "the stored record did not render as JSON");
    return OP_OK;
}

/* ---- update ---- */

/* RFC 7396 JSON merge patch of `patch` into `target` (modified in place): objects merge
 * recursively, null clears, anything else replaces. */
static void merge_patch(json_t *target, const json_t *patch) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)patch, k, v) {
        if (json_is_object(v)) {
            json_t *cur = json_object_get(target, k);
            if (!json_is_object(cur)) {
                json_object_set_new(target, k, json_object());
                cur = json_object_get(target, k);
            }
            merge_patch(cur, v);
        } else {
            json_object_set(target, k, v);
        }
    }
}

/* Fields a citizen may not change through self-service: a counsellor verifies such changes. */
static const char *const CITIZEN_LOCKED[] = {"national_id", "birth_date", "given_name", "family_name", NULL};

op_code person_update(ctx *c, const char *id, const json_t *patch, json_t **out) {
    *out = NULL;
    struct pdata old, p;
    access_decision d;
    char nid[NID_MAX] = "", hash[65] = "", *enc = NULL, ts[CLOCK_TS_LEN];
    json_t *doc = NULL, *before = NULL, *after = NULL;
    bool outer;
    if (!id || !id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    if (!json_is_object(patch)) return op_fail(&c->err, OP_BAD_JSON, NULL, "the body must be a JSON object");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if ((rc = pd_decide(c, PD_UPDATE, "person", id, id, pv_touched_groups(patch), &d))) goto out;
    if (c->who.type == ACTOR_CITIZEN)
        for (const char *const *k = CITIZEN_LOCKED; *k; k++)
            if (json_object_get(patch, *k)) {
                rc = op_fail_field(&c->err, OP_VALIDATION, *k,
                                   "ask your job centre counsellor, who verifies the change against your identity document",
                                   "field \"%s\" cannot be changed through self-service", *k);
                goto out;
            }
    int64_t want = 0;
    bool has_version = false;
    if ((rc = jx_int(patch, "version", false, 1, INT64_MAX, &want, &has_version, &c->err))) goto out;
    if ((rc = pr_load(c, id, &old))) goto out;
    if (has_version && want != old.version) {
        rc = op_fail(&c->err, OP_CONFLICT, "GET the record again and reapply your change",
                     "the record is at version %lld, not %lld", (long long)old.version, (long long)want);
        goto out;
    }
    /* Merge into the current document, then validate the result as a whole. */
    before = pr_doc(&old);
    doc = json_deep_copy(before);
    json_t *rest = json_deep_copy(patch);
    json_object_del(rest, "version");
    json_t *nv = json_incref(json_object_get(rest, "national_id"));
    json_object_del(rest, "national_id");
    merge_patch(doc, rest);
    json_decref(rest);
    jx_arena(c->a, nv);
    p = old;
    if ((rc = pv_document(c, doc, PV_MERGED, &p, NULL))) goto out;
    unsigned changed = 0;
    if (nv) {
        if (!json_is_string(nv)) {
            rc = op_fail_field(&c->err, OP_INVALID_NATIONAL_ID, "national_id", NULL,
                               "field \"national_id\" must be a string (it cannot be removed)");
            goto out;
        }
        if ((rc = nid_normalise(old.nid_country, json_string_value(nv), nid, &c->err))) goto out;
        if ((rc = nid_seal(c, id, nid, &enc, hash))) goto out;
        if (!old.nid_hash || strcmp(hash, old.nid_hash) != 0) {
            if ((rc = nid_taken(c, hash, id))) goto out;
            changed |= F_NATIONAL_ID;
        }
    }
    after = pr_doc(&p);
    changed |= pr_changed_groups(before, after);
    if ((rc = access_audit(c, PD_UPDATE, "person", id, id, &d))) goto out;
    if (changed) {
        int64_t n = 0;
        clock_now_ts(ts);
        rc = store_exec(c->db, &c->err, &n,
                        "UPDATE persons SET given_name = ?, family_name = ?, name_key = ?, birth_date = ?, sex = ?,"
                        " nationality = ?, email = ?, phone = ?, address_line = ?, postal_code = ?, region_code = ?,"
                        " education_level = ?, education_major = ?, disability = ?, profile = ?,"
                        " nid_hash = ?, nid_enc = ?, version = version + 1, updated_at = ?"
                        " WHERE id = ? AND version = ?",
                        "sssssssssssssisssssi", p.given_name, p.family_name,
                        pv_name_key(c->a, p.family_name, p.given_name), p.birth_date, p.sex, p.nationality, p.email,
                        p.phone, p.address_line, p.postal_code, p.region_code, p.education_level, p.education_major,
                        (int64_t)p.disability, pr_profile_text(c->a, &p),
                        (changed & F_NATIONAL_ID) ? hash : old.nid_hash,
                        (changed & F_NATIONAL_ID) ? enc : old.nid_enc, ts, id, old.version);
        if (rc == OP_DUPLICATE)
            rc = op_fail_field(&c->err, OP_DUPLICATE, "national_id", NULL,
                               "a person with this national id is already registered");
        if (rc) goto out;
        if (n != 1) {
            rc = op_fail(&c->err, OP_CONFLICT, "GET the record again and reapply your change",
                         "the record was changed by someone else");
            goto out;
        }
        if ((rc = emit(c, "person.updated", id, "changed", changed))) goto out;
    }
    if ((rc = pr_load(c, id, &p))) goto out;
    if (!(*out = pr_json(c, &p, d.fields))) rc = c->err.code ? c->err.code : OP_INTERNAL;
out:
    memset(nid, 0, sizeof nid);
    json_decref(doc);
    json_decref(before);
    json_decref(after);
    if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_end(c->db, &c->err, outer, rc);
}
