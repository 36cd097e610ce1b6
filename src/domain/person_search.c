/* person_search.c - finding people by national id (keyed hash) or by name and birth date.
 *
 * Candidates are decided one by one on the access path: only people the actor may see are
 * returned, each audited as SEARCH.  A national-id search targets one person, so its refusal is
 * audited too; name candidates the actor may not see were not targeted and are left out silently. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/person.h"
#include "domain/person_int.h"
#include "sec/fieldcrypt.h"

#define SEARCH_CANDIDATES 500

#define NAME_KEYS 6

/* The stored key is "family given" (pv_name_key).  People type Korean names without a space
 * ("김민준") and Western names given-first ("Minjun Kim"), so try those forms too: every split
 * point of a space-less name (at UTF-8 character boundaries, family names of 1-3 characters
 * first) and the swapped order of a two-part name.  Returns how many keys were filled. */
static int name_variants(arena *a, const char *key, const char *keys[NAME_KEYS]) {
    int n = 0;
    keys[n++] = key;
    const char *sp = strchr(key, ' ');
    if (sp && !strchr(sp + 1, ' ')) {
        keys[n++] = arena_printf(a, "%s %.*s", sp + 1, (int)(sp - key), key);
    } else if (!sp) {
        for (const char *p = key + 1; *p && n < NAME_KEYS; p++) {
            if (((unsigned char)*p & 0xc0) == 0x80) continue; /* inside a UTF-8 sequence */
            keys[n++] = arena_printf(a, "%.*s %s", (int)(p - key), key, p);
        }
    }
    return n;
}

op_code person_search(ctx *c, const struct person_query *q, json_t **out) {
    *out = NULL;
    const char *purpose, *basis;
    op_code rc = access_purpose(c, &purpose, &basis);
    if (rc == OP_FORBIDDEN) { /* an undeclarable purpose is a refusal: audit it */
        access_decision d = {.allow = false, .purpose = c->purpose, .legal_basis = "none"};
        snprintf(d.reason, sizeof d.reason, "%s", c->err.detail);
        op_err keep = c->err;
        rc = access_audit(c, PD_SEARCH, "person", NULL, NULL, &d);
        c->err = keep;
        return rc ? rc : OP_FORBIDDEN;
    }
    if (rc) return rc;
    int limit = q->limit ? q->limit : 20;
    if (limit < 1 || limit > 100)
        return op_fail_field(&c->err, OP_VALIDATION, "limit", NULL, "limit must be between 1 and 100");
    bool by_nid = q->national_id && *q->national_id, by_name = q->name && *q->name;
    if (by_nid == by_name)
        return op_fail(&c->err, OP_VALIDATION, "give national_id, or name with an optional birth_date",
                       "search by exactly one of national_id and name");
    if (by_nid && q->birth_date)
        return op_fail_field(&c->err, OP_VALIDATION, "birth_date", NULL, "birth_date filters a name search only");
    store_stmt *st;
    if (by_nid) {
        char nid[NID_MAX], hash[65];
        if ((rc = nid_normalise(NID_DEFAULT_COUNTRY, q->national_id, nid, &c->err))) return rc;
        fieldcrypt_lookup_hash(nid, hash);
        memset(nid, 0, sizeof nid);
        st = store_prepare(c->db, "SELECT id FROM persons WHERE nid_hash = ?", &c->err);
        if (!st) return c->err.code;
        store_bind_text(st, 1, hash);
    } else {
        if (strlen(q->name) > 201)
            return op_fail_field(&c->err, OP_VALIDATION, "name", NULL, "name is longer than 201 bytes");
        if (q->birth_date && !date_parse(q->birth_date, NULL))
            return op_fail_field(&c->err, OP_VALIDATION, "birth_date", "use YYYY-MM-DD", "birth_date is not a valid date");
        char *key = pv_name_key(c->a, q->name, NULL);
        if (!*key) return op_fail_field(&c->err, OP_VALIDATION, "name", NULL, "name is empty");
        const char *keys[NAME_KEYS];
        int nk = name_variants(c->a, key, keys);
        /* Every form is an index lookup: exact keys, or the whole query as a family name
         * (the key range ["family ", "family!") - ' ' is 0x20 and '!' 0x21). */
        st = store_prepare(c->db,
                           q->birth_date
                               ? "SELECT id FROM persons WHERE (name_key IN (?, ?, ?, ?, ?, ?)"
                                 " OR (name_key >= ? AND name_key < ?)) AND birth_date = ? ORDER BY id LIMIT ?"
                               : "SELECT id FROM persons WHERE (name_key IN (?, ?, ?, ?, ?, ?)"
                                 " OR (name_key >= ? AND name_key < ?)) ORDER BY id LIMIT ?",
                           &c->err);
        if (!st) return c->err.code;
        for (int i = 0; i < NAME_KEYS; i++) store_bind_text(st, 1 + i, keys[i < nk ? i : 0]);
        store_bind_text(st, NAME_KEYS + 1, arena_printf(c->a, "%s ", key));
        store_bind_text(st, NAME_KEYS + 2, arena_printf(c->a, "%s!", key));
        if (q->birth_date) store_bind_text(st, NAME_KEYS + 3, q->birth_date);
        store_bind_int(st, q->birth_date ? NAME_KEYS + 4 : NAME_KEYS + 3, SEARCH_CANDIDATES);
    }
    /* Collect candidate ids first: deciding access runs queries on the same connection. */
    char (*ids)[ID_LEN] = arena_alloc(c->a, SEARCH_CANDIDATES * sizeof *ids);
    int n = 0, r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && n < SEARCH_CANDIDATES)
        snprintf(ids[n++], ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    if (r == STORE_ERROR) return c->err.code;
    json_t *items = json_array();
    for (int i = 0; i < n && (int)json_array_size(items) < limit; i++) {
        access_decision d;
        if ((rc = access_decide(c, PD_SEARCH, "person", ids[i], &d))) goto fail;
        /* A national-id search targets one person: a refusal is audited.  Name candidates the
         * actor may not see were not targeted and are silently left out. */
        if (!d.allow && !by_nid) continue;
        if ((rc = access_audit(c, PD_SEARCH, "person", ids[i], ids[i], &d))) goto fail;
        if (!d.allow) continue;
        struct pdata p;
        if ((rc = pr_load(c, ids[i], &p))) goto fail;
        json_t *o = pr_json(c, &p, d.fields);
        if (!o) {
            rc = c->err.code ? c->err.code : OP_INTERNAL;
            goto fail;
        }
        json_array_append_new(items, o);
    }
    *out = json_pack("{s:o, s:i}", "items", items, "count", (int)json_array_size(items));
    return OP_OK;
fail:
    json_decref(items);
    return rc;
}
