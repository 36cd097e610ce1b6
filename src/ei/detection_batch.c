/* detection_batch.c - employment detection for a chunk of a batch, set-based (docs/EI.md,
 * "Employment detection"; docs/DECISIONS.md 12).
 *
 * ei_registration() does per line: validation, the national-id lookup, the access facts, the
 * decision and its audit record, the spell lookup, the open-claim and registration checks, the
 * spell insert, the event, the stored result - each a statement, so a batch line costs about ten
 * statements (and ten round trips on PostgreSQL).  Here a chunk is done step by step:
 *
 *   1. every line validated, its national id normalised and hashed (no statement);
 *   2. one query per block of hashes: person, the access facts (ACCESS_FACTS_COLS, the same text
 *      the per-line decision loads) and whether the person has an open claim;
 *   3. every decision made with those facts, the allowed records appended to audit_pending with
 *      multi-row inserts, refusals queued as always (access_person_facts_many);
 *   4. one query per block of persons for their spells;
 *   5. lines that need the full logic - a spell that exists already (repeat, update, a job end of a
 *      known spell), an open claim or job-seeker registration, an employer id or vacancy (the job
 *      market hears of the hire), or a person with more than one line in the chunk - run
 *      ei_job_start / ei_job_end as the per-line path does, in line order;
 *   6. the rest - a new spell of a person without an open claim or registration - are a spell row
 *      (its stored result included) and an event each: multi-row inserts.
 *
 * The two groups share no person, so the events of each person stay in line order; the access
 * decision of a simple line rests on facts no other line of the chunk changes (a complex line
 * changes only its own person's claim and registration). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "ei/ei_int.h"
#include "events/outbox.h"

#define LOOKUP_BLOCK 64 /* hashes or persons per lookup statement */

struct bline {
    struct ei_reg_line l;
    char hash[65];
    bool ok;      /* valid, person found, access allowed */
    bool claim;   /* the person has an open claim */
    bool spell;   /* the spell (person, employer, start) exists */
    access_facts f;
    size_t person; /* index into the chunk's persons */
};

/* Open-addressing table from a string key to an index (n <= cap / 2). */
struct tab {
    const char **key;
    size_t *val, cap;
};

static uint64_t fnv(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool tab_init(struct tab *t, size_t n) {
    t->cap = 16;
    while (t->cap < 2 * n + 1) t->cap *= 2;
    t->key = calloc(t->cap, sizeof *t->key);
    t->val = calloc(t->cap, sizeof *t->val);
    return t->key && t->val;
}

static void tab_free(struct tab *t) {
    free(t->key);
    free(t->val);
}

/* The slot of key: its value when present (*found), else where it goes. */
static size_t tab_slot(const struct tab *t, const char *key, bool *found) {
    size_t i = (size_t)fnv(key) & (t->cap - 1);
    while (t->key[i] && strcmp(t->key[i], key) != 0) i = (i + 1) & (t->cap - 1);
    *found = t->key[i] != NULL;
    return i;
}

static char *marks(arena *a, size_t k) { /* "?,?,...,?" */
    char *s = arena_alloc(a, 2 * k + 1), *p = s;
    for (size_t i = 0; i < k; i++) {
        if (i) *p++ = ',';
        *p++ = '?';
    }
    *p = 0;
    return s;
}

/* Step 2: persons, access facts and open claims for the lines' hashes. */
static op_code lookup_persons(ctx *c, struct bline *b, size_t n, const struct tab *byhash) {
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    size_t nk = 0;
    if (!keys) return op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < byhash->cap; i++)
        if (byhash->key[i]) keys[nk++] = byhash->key[i];
    op_code rc = OP_OK;
    for (size_t at = 0; at < nk && !rc;) {
        size_t k = LOOKUP_BLOCK;
        while (k > nk - at) k /= 2;
        const char *sql = arena_printf(c->a,
                                       "SELECT p.id, p.nid_hash, " ACCESS_FACTS_COLS ","
                                       " EXISTS (SELECT 1 FROM ei_claims cl WHERE cl.person_id = p.id"
                                       " AND cl.status IN ('active','suspended'))"
                                       " FROM " ACCESS_FACTS_FROM " WHERE p.nid_hash IN (%s)",
                                       marks(c->a, k));
        store_stmt *st = store_prepare(c->db, sql, &c->err);
        if (!st) {
            rc = c->err.code ? c->err.code : OP_STORE;
            break;
        }
        store_bind_text(st, 1, c->who.id);
        for (size_t j = 0; j < k; j++) store_bind_text(st, (int)j + 2, keys[at + j]);
        int r;
        while ((r = store_step(st, &c->err)) == STORE_ROW) {
            bool found;
            size_t slot = tab_slot(byhash, store_col_text(st, 1), &found);
            if (!found) continue;
            /* every line with this hash: chained through bline.person until resolved */
            for (size_t i = byhash->val[slot]; i < n; i = b[i].person) {
                if (b[i].f.exists) break; /* a second row for the hash: the first stands */
                snprintf(b[i].l.s.person_id, ID_LEN, "%s", store_col_text(st, 0));
                access_facts_read(st, 2, &b[i].f);
                b[i].claim = store_col_int(st, 2 + ACCESS_FACTS_NCOLS) != 0;
            }
        }
        store_reset(st);
        if (r == STORE_ERROR) rc = c->err.code ? c->err.code : OP_STORE;
        at += k;
    }
    free(keys);
    return rc;
}

/* Step 4: which (person, employer, start) spells exist already. */
static op_code lookup_spells(ctx *c, struct bline *b, const size_t *count, const size_t *first, const char **pid,
                             size_t np, const struct tab *byperson) {
    op_code rc = OP_OK;
    for (size_t at = 0; at < np && !rc;) {
        size_t k = LOOKUP_BLOCK;
        while (k > np - at) k /= 2;
        const char *sql = arena_printf(c->a,
                                       "SELECT person_id, employer_key, start_date FROM ei_employment"
                                       " WHERE person_id IN (%s)",
                                       marks(c->a, k));
        store_stmt *st = store_prepare(c->db, sql, &c->err);
        if (!st) return c->err.code ? c->err.code : OP_STORE;
        for (size_t j = 0; j < k; j++) store_bind_text(st, (int)j + 1, pid[at + j]);
        int r;
        while ((r = store_step(st, &c->err)) == STORE_ROW) {
            bool found;
            size_t slot = tab_slot(byperson, store_col_text(st, 0), &found);
            if (!found) continue;
            size_t p = byperson->val[slot];
            if (count[p] != 1) continue; /* a person with several lines takes the per-line path anyway */
            struct bline *l = &b[first[p]];
            if (strcmp(l->l.s.employer_key, store_col_text(st, 1)) == 0 &&
                strcmp(l->l.s.start_date, store_col_text(st, 2)) == 0)
                l->spell = true;
        }
        store_reset(st);
        if (r == STORE_ERROR) rc = c->err.code ? c->err.code : OP_STORE;
        at += k;
    }
    return rc;
}

static const char *num(arena *a, bool has, int64_t v) { return has ? arena_printf(a, "%lld", (long long)v) : NULL; }

op_code ei_registration_batch(ctx *c, json_t *const *in, size_t n, struct ei_reg_result *res) {
    struct bline *b = calloc(n ? n : 1, sizeof *b);
    struct tab byhash = {0}, byperson = {0};
    const char **pid = NULL, **rows = NULL, **ev = NULL;
    size_t *count = NULL, *first = NULL, np = 0;
    access_decision *d = NULL;
    bool *allowed = NULL;
    op_code rc = OP_OK;
    if (!b || !tab_init(&byhash, n) || !tab_init(&byperson, n)) {
        rc = op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
        goto out;
    }
    /* 1. validation; lines with the same hash are chained (bline.person as the link until step 3) */
    size_t *last = calloc(byhash.cap, sizeof *last);
    if (!last) {
        rc = op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        op_clear(&c->err);
        res[i] = (struct ei_reg_result){0};
        b[i].person = SIZE_MAX;
        if ((res[i].rc = ei_registration_check(c, in[i], &b[i].l, b[i].hash))) {
            res[i].err = c->err;
            continue;
        }
        bool found;
        size_t slot = tab_slot(&byhash, b[i].hash, &found);
        if (!found) {
            byhash.key[slot] = b[i].hash;
            byhash.val[slot] = i;
        } else {
            b[last[slot]].person = i;
        }
        last[slot] = i;
    }
    free(last);
    op_clear(&c->err);
    /* 2. persons, facts, open claims */
    if ((rc = lookup_persons(c, b, n, &byhash))) goto out;
    /* 3. the access decisions of the lines whose person exists, audited as one set */
    size_t n1 = n ? n : 1; /* malloc(0) may be NULL */
    const char **dp = malloc(n1 * sizeof *dp);
    access_facts *df = malloc(n1 * sizeof *df);
    size_t *di = malloc(n1 * sizeof *di), nd = 0;
    d = malloc(n1 * sizeof *d);
    allowed = malloc(n1 * sizeof *allowed);
    if (!dp || !df || !di || !d || !allowed) {
        free(dp);
        free(df);
        free(di);
        rc = op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        b[i].person = SIZE_MAX;
        if (res[i].rc) continue;
        if (!b[i].f.exists) {
            op_clear(&c->err);
            res[i].rc = ei_nid_unknown(c);
            res[i].err = c->err;
            continue;
        }
        dp[nd] = b[i].l.s.person_id;
        df[nd] = b[i].f;
        di[nd++] = i;
    }
    op_clear(&c->err);
    rc = access_person_facts_many(c, PD_UPDATE, "ei_employment", nd, NULL, dp, df, d, allowed);
    for (size_t j = 0; j < nd && !rc; j++) {
        size_t i = di[j];
        if (!allowed[j]) {
            op_clear(&c->err);
            res[i].rc = op_fail(&c->err, OP_FORBIDDEN, "ask the person's office or your supervisor for access", "%s",
                                d[j].reason);
            res[i].err = c->err;
            continue;
        }
        b[i].ok = true;
    }
    free(dp);
    free(df);
    free(di);
    if (rc) goto out;
    op_clear(&c->err);
    /* persons of the allowed lines, with their number of lines */
    pid = malloc(n1 * sizeof *pid);
    count = calloc(n ? n : 1, sizeof *count);
    first = malloc((n ? n : 1) * sizeof *first);
    if (!pid || !count || !first) {
        rc = op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!b[i].ok) continue;
        bool found;
        size_t slot = tab_slot(&byperson, b[i].l.s.person_id, &found);
        if (!found) {
            byperson.key[slot] = b[i].l.s.person_id;
            byperson.val[slot] = np;
            first[np] = i;
            pid[np++] = b[i].l.s.person_id;
        }
        b[i].person = byperson.val[slot];
        count[b[i].person]++;
    }
    /* 4. existing spells */
    if ((rc = lookup_spells(c, b, count, first, pid, np, &byperson))) goto out;
    /* 5. lines that need the full logic, in line order */
    size_t nsimple = 0;
    for (size_t i = 0; i < n; i++) {
        if (!b[i].ok) continue;
        const struct ei_reg_line *l = &b[i].l;
        bool simple = count[b[i].person] == 1 && !b[i].spell &&
                      (l->end || (!b[i].claim && !b[i].f.has_open_registration && !l->s.employer_id && !l->vacancy));
        if (simple) {
            nsimple++;
            continue;
        }
        b[i].ok = false; /* done here */
        json_t *o = NULL;
        op_clear(&c->err);
        rc = l->end ? ei_job_end(c, &l->s, &o, &res[i].replay) : ei_job_start(c, &l->s, l->vacancy, l->occupation, &o, &res[i].replay);
        json_decref(o);
        if (rc) goto out; /* written partly: the caller redoes the chunk line by line */
    }
    op_clear(&c->err);
    /* 6. the common case: spell rows with their stored result, and events */
    if (nsimple) {
        enum { SC = 16, EC = 3 }; /* events: type, subject, payload (event_emit_many) */
        rows = malloc(nsimple * SC * sizeof *rows);
        ev = malloc(nsimple * EC * sizeof *ev);
        if (!rows || !ev) {
            rc = op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
            goto out;
        }
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (!b[i].ok) continue;
            const struct ei_spell *s = &b[i].l.s;
            char *id = arena_alloc(c->a, ID_LEN);
            id_uuid7(id);
            /* The result ei_job_start / ei_job_end give without a claim, as jx_dump renders it
             * (compact, in key order): only ids and validated dates, nothing to escape.  The unit
             * tests compare it byte for byte with the per-line path's. */
            const char *dump =
                b[i].l.end
                    ? arena_printf(c->a,
                                   "{\"event\":\"end\",\"employment_id\":\"%s\",\"person_id\":\"%s\",\"end_date\":\"%s\","
                                   "\"claim_id\":null,\"claim_status\":null,\"payments_resume_from\":null,"
                                   "\"registration_status\":null}",
                                   id, s->person_id, s->end_date)
                    : arena_printf(c->a,
                                   "{\"event\":\"start\",\"employment_id\":\"%s\",\"person_id\":\"%s\",\"start_date\":\"%s\","
                                   "\"claim_id\":null,\"claim_status\":null,\"payments_withheld_from\":null,"
                                   "\"registration_status\":null,\"vacancy_matched\":false}",
                                   id, s->person_id, s->start_date);
            const char **row = rows + k * SC, **e = ev + k * EC;
            row[0] = id;
            row[1] = s->person_id;
            row[2] = s->employer_key;
            row[3] = s->employer_id;
            row[4] = s->employer_brn;
            row[5] = s->employer_name;
            row[6] = s->start_date;
            row[7] = s->end_date;
            row[8] = num(c->a, s->has_minutes, s->daily_minutes);
            row[9] = num(c->a, s->has_wage, s->monthly_wage);
            row[10] = s->insurance_type;
            row[11] = "registration";
            row[12] = b[i].l.end ? NULL : dump;
            row[13] = b[i].l.end ? dump : NULL;
            row[14] = ts;
            row[15] = ts;
            e[0] = b[i].l.end ? "employment.ended" : "employment.started";
            e[1] = s->person_id;
            e[2] = dump;
            k++;
        }
        /* The rows ei_spell_store() writes, and the events. */
        if ((rc = store_insert_rows(c->db, &c->err, NULL,
                                    "INSERT INTO ei_employment (id, person_id, employer_key, employer_id, employer_brn,"
                                    " employer_name, start_date, end_date, daily_minutes, monthly_wage, insurance_type,"
                                    " source, start_result, end_result, created_at, updated_at)",
                                    SC, k, rows, NULL)) ||
            (rc = event_emit_many(c, k, ev)))
            goto out;
    }
out:
    free(b);
    tab_free(&byhash);
    tab_free(&byperson);
    free(pid);
    free(count);
    free(first);
    free(d);
    free(allowed);
    free(rows);
    free(ev);
    return rc;
}
