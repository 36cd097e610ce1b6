/* search.c - vacancy search: the n-gram index, queries with filters, typeahead, partner feed.
 *
 * Matching is defined on normalised text (jobs_norm), so both backends give the same answer:
 *  - a term of 3+ characters matches when it is a substring of title + description; the index is
 *    SQLite FTS5 `trigram` (case_sensitive, input pre-normalised) or PostgreSQL pg_trgm GIN + LIKE;
 *  - a term of 2 characters matches when it is a substring of the title (vacancy_bigrams, a
 *    portable side index of title bigrams);
 *  - 1-character terms are ignored when longer ones exist, refused otherwise;
 *  - every term must match.  Relevance = the number of terms found in the title (computed in SQL,
 *    instr/strpos), then newest first, then num: a total order, identical on both backends. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/vacancy_int.h"

#define MAX_TERMS 8
#define MAX_OFFSET 10000
/* total beyond the current page: counted up to this many rows (0: only "more than this page"). */
#define COUNT_CAP 0

struct terms {
    const char *t[MAX_TERMS];
    int n;
};

/* Split q into terms; OP_BAD_QUERY for queries that cannot be answered with bounded work. */
static op_code parse_terms(ctx *c, const char *q, struct terms *out) {
    memset(out, 0, sizeof *out);
    if (!q || !*q) return OP_OK;
    if (jobs_utf8_len(q) > 100)
        return op_fail_field(&c->err, OP_BAD_QUERY, "q", "use at most 100 characters", "the query is too long");
    char *n = jobs_norm(c->a, q);
    for (char *p = n; *p; p++)
        if (*p == '"' || *p == '%' || *p == '\\') *p = ' '; /* never part of a term */
    n = jobs_norm(c->a, n);
    bool had_short = false;
    for (char *s = strtok(n, " "); s; s = strtok(NULL, " ")) {
        if (jobs_utf8_len(s) < 2) {
            had_short = true;
            continue;
        }
        bool dup = false;
        for (int i = 0; i < out->n; i++) dup |= strcmp(out->t[i], s) == 0;
        if (dup) continue;
        if (out->n == MAX_TERMS)
            return op_fail_field(&c->err, OP_BAD_QUERY, "q", "use at most 8 words", "the query has too many words");
        out->t[out->n++] = s;
    }
    if (out->n == 0 && had_short)
        return op_fail_field(&c->err, OP_BAD_QUERY, "q", "type at least 2 characters, or search by filters only",
                             "a one-character query would match almost everything");
    return OP_OK;
}

/* ---- index maintenance ---- */

op_code jobs_index_drop(ctx *c, int64_t num) {
    op_code rc = store_exec(c->db, &c->err, NULL,
                            store_dialect(c->db, "DELETE FROM vacancy_text WHERE rowid = ?", "DELETE FROM vacancy_fts WHERE num = ?"),
                            "i", num);
    if (!rc && store_kind(c->db) != STORE_PG)
        rc = store_exec(c->db, &c->err, NULL, "DELETE FROM vacancy_title WHERE rowid = ?", "i", num);
    if (!rc) rc = store_exec(c->db, &c->err, NULL, "DELETE FROM vacancy_bigrams WHERE num = ?", "i", num);
    return rc;
}

op_code jobs_index_put(ctx *c, int64_t num, const char *title, const char *description) {
    op_code rc = jobs_index_drop(c, num);
    if (rc) return rc;
    const char *tn = jobs_norm(c->a, title);
    const char *dn = jobs_norm(c->a, description);
    if (store_kind(c->db) == STORE_PG)
        rc = store_exec(c->db, &c->err, NULL, "INSERT INTO vacancy_fts (num, doc) VALUES (?, ?)", "is", num,
                        arena_printf(c->a, "%s %s", tn, dn));
    else
    {
        rc = store_exec(c->db, &c->err, NULL, "INSERT INTO vacancy_text (rowid, title, body) VALUES (?, ?, ?)", "iss", num,
                        tn, dn);
        if (!rc) rc = store_exec(c->db, &c->err, NULL, "INSERT INTO vacancy_title (rowid, title) VALUES (?, ?)", "is", num, tn);
    }
    /* Title bigrams (pairs of code points without a space). */
    const char *p = tn;
    while (!rc && *p) {
        const char *q = p + 1;
        while (((unsigned char)*q & 0xC0) == 0x80) q++;
        if (!*q) break;
        const char *r = q + 1;
        while (((unsigned char)*r & 0xC0) == 0x80) r++;
        if (*p != ' ' && *q != ' ') {
            char *g = arena_strndup(c->a, p, (size_t)(r - p));
            rc = store_exec(c->db, &c->err, NULL,
                            "INSERT INTO vacancy_bigrams (gram, num) VALUES (?, ?) ON CONFLICT (gram, num) DO NOTHING", "si",
                            g, num);
        }
        p = q;
    }
    return rc;
}

/* ---- query building ---- */

struct sqlb {
    char sql[4096];
    size_t n;
    const char *bt[40]; /* bound values: 's' text / 'i' int */
    int64_t bi[40];
    char ty[40];
    int nb;
};
static void sq(struct sqlb *b, const char *s) { b->n += (size_t)snprintf(b->sql + b->n, sizeof b->sql - b->n, "%s", s); }
static void bs(struct sqlb *b, const char *v) { b->ty[b->nb] = 's', b->bt[b->nb++] = v; }
static void bint(struct sqlb *b, int64_t v) { b->ty[b->nb] = 'i', b->bi[b->nb++] = v; }
static void bind_all(const struct sqlb *b, store_stmt *st) {
    for (int i = 0; i < b->nb; i++)
        if (b->ty[i] == 's') store_bind_text(st, i + 1, b->bt[i]);
        else store_bind_int(st, i + 1, b->bi[i]);
}

static op_code bad(ctx *c, const char *field, const char *hint, const char *msg) {
    return op_fail_field(&c->err, OP_BAD_QUERY, field, hint, "%s", msg);
}

static op_code build_where(ctx *c, const struct jobs_query *q, const struct terms *t, struct sqlb *b) {
    char today[11];
    date_format(date_today(), today);
    (void)t;
    sq(b, " AND v.status = 'published' AND (v.closing_date IS NULL OR v.closing_date >= ?)");
    bs(b, arena_strdup(c->a, today));
    if (q->occupation) {
        const struct jobs_isco_row *o = jobs_isco_find(q->occupation);
        if (!o) return bad(c, "occupation", "an ISCO-08 code of 1-4 digits, e.g. 25 or 2512", "unknown occupation code");
        static const char *const col[] = {"", " AND v.occ1 = ?", " AND v.occ2 = ?", " AND v.occ3 = ?", " AND v.occupation = ?"};
        sq(b, col[o->level]);
        bs(b, o->code);
    }
    if (q->region) {
        if (!jobs_region_valid(q->region)) return bad(c, "region", "an ISO 3166-2 code such as KR-11", "unknown region code");
        sq(b, " AND v.region = ?");
        bs(b, q->region);
    }
    const char *period = q->salary_period ? q->salary_period : "month";
    if (!jx_in(period, jobs_periods)) return bad(c, "salary_period", "hour, month or year", "unknown salary period");
    if (q->salary_min >= 0) {
        sq(b, " AND v.salary_month_max >= ?");
        bint(b, jobs_to_monthly(q->salary_min, period, 0));
    }
    if (q->hours_max > 0) {
        sq(b, " AND v.hours_per_week <= ?");
        bint(b, q->hours_max);
    }
    if (q->contract) {
        if (!jx_in(q->contract, jobs_contracts))
            return bad(c, "contract", "permanent, fixed_term, part_time, temporary, daily or internship", "unknown contract type");
        sq(b, " AND v.contract = ?");
        bs(b, q->contract);
    }
    if (q->education) {
        int r = jobs_education_rank(q->education);
        if (r < 0) return bad(c, "education", "none, middle_school, high_school, associate, bachelor, master or doctorate",
                              "unknown education level");
        sq(b, " AND v.education_rank <= ?");
        bint(b, r);
    }
    if (q->employer_size) {
        if (!jx_in(q->employer_size, jobs_sizes)) return bad(c, "employer_size", "micro, small, medium or large", "unknown size class");
        sq(b, " AND v.employer_size = ?");
        bs(b, q->employer_size);
    }
    if (q->posted_since) {
        int64_t d, us;
        char ts[CLOCK_TS_LEN];
        if (date_parse(q->posted_since, &d)) clock_format_ts(d * 86400 * 1000000, ts);
        else if (ts_parse(q->posted_since, &us)) clock_format_ts(us, ts);
        else return bad(c, "posted_since", "YYYY-MM-DD or an RFC 3339 timestamp", "posted_since is not a date");
        sq(b, " AND v.published_at >= ?");
        bs(b, arena_strdup(c->a, ts));
    }
    return OP_OK;
}

/* ---- search ---------------------------------------------------------------------------------
 * Every page is read in index order (num descending = newest submission first) and stops after
 * page_size + 1 rows: the match set is never sorted or counted as a whole.
 *  - SQLite: the FTS5 table vacancy_text(title, body) drives (ORDER BY rowid DESC is served by the
 *    index itself); 2-character terms are point lookups in vacancy_bigrams; with only 2-character
 *    terms the bigram index (gram, num) drives;
 *  - PostgreSQL: pg_trgm / bigram sub-selects with ORDER BY v.num DESC;
 *  - relevance = two tiers: every term found in the title first (SQLite: an FTS5 column filter,
 *    so the tier is read from the index), then the rest, each newest first;
 *  - total: exact when this page is the last one (no count needed); otherwise the lower bound
 *    "this page and at least one more" with total_exact false (COUNT_CAP > 0 would count further). */

enum { TIER_ANY = -1, TIER_REST = 0, TIER_TITLE = 1 };

/* FROM/WHERE for the text terms, the tier and the filters in w; *order gets the index order. */
static void text_from(ctx *c, struct sqlb *b, const struct terms *t, int tier, const struct sqlb *w, const char **order) {
    bool pg = store_kind(c->db) == STORE_PG;
    const char *tri[MAX_TERMS], *bi[MAX_TERMS];
    int ntri = 0, nbi = 0;
    for (int i = 0; i < t->n; i++)
        if (jobs_utf8_len(t->t[i]) >= 3) tri[ntri++] = t->t[i];
        else bi[nbi++] = t->t[i];
    int first_bi = 0;
    *order = "v.num DESC";
    if (!pg && ntri) {
        char *m = NULL;
        for (int i = 0; i < ntri; i++) m = m ? arena_printf(c->a, "%s AND \"%s\"", m, tri[i]) : arena_printf(c->a, "\"%s\"", tri[i]);
        /* The title tier reads the title-only index: its posting lists are short for words that
         * are common in descriptions but rare in titles. */
        sq(b, tier == TIER_TITLE ? " FROM vacancy_title f CROSS JOIN vacancies v CROSS JOIN employers e"
                                   " WHERE vacancy_title MATCH ? AND v.num = f.rowid AND e.id = v.employer_id"
                                 : " FROM vacancy_text f CROSS JOIN vacancies v CROSS JOIN employers e"
                                   " WHERE vacancy_text MATCH ? AND v.num = f.rowid AND e.id = v.employer_id");
        bs(b, m);
        *order = "f.rowid DESC";
    } else if (!pg && nbi) {
        sq(b, " FROM vacancy_bigrams g0 CROSS JOIN vacancies v CROSS JOIN employers e"
              " WHERE g0.gram = ? AND v.num = g0.num AND e.id = v.employer_id");
        bs(b, bi[0]);
        first_bi = 1;
        *order = "g0.num DESC";
    } else {
        sq(b, " FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE 1 = 1");
        for (int i = 0; i < ntri; i++) {
            sq(b, " AND v.num IN (SELECT num FROM vacancy_fts WHERE doc LIKE ?)");
            bs(b, arena_printf(c->a, "%%%s%%", tri[i]));
        }
    }
    for (int i = first_bi; i < nbi; i++) {
        sq(b, pg ? " AND v.num IN (SELECT num FROM vacancy_bigrams WHERE gram = ?)"
                 : " AND EXISTS (SELECT 1 FROM vacancy_bigrams g WHERE g.gram = ? AND g.num = v.num)");
        bs(b, bi[i]);
    }
    if ((tier == TIER_TITLE && pg) || tier == TIER_REST) {
        sq(b, tier == TIER_REST ? " AND NOT (1 = 1" : "");
        for (int i = 0; i < ntri; i++) {
            sq(b, pg ? " AND strpos(v.title_norm, ?) > 0" : " AND instr(v.title_norm, ?) > 0");
            bs(b, tri[i]);
        }
        sq(b, tier == TIER_REST ? ")" : "");
    }
    sq(b, w->sql);
    for (int i = 0; i < w->nb; i++) b->ty[b->nb] = w->ty[i], b->bt[b->nb] = w->bt[i], b->bi[b->nb++] = w->bi[i];
}

/* Append up to `limit` rows after `offset` to items; *got = rows read. */
static op_code page_rows(ctx *c, const struct terms *t, int tier, const struct sqlb *w, bool salary, int64_t limit,
                         int64_t offset, json_t *items, int64_t *got) {
    struct sqlb *b = arena_alloc(c->a, sizeof *b);
    const char *order;
    sq(b, "SELECT " VAC_COLS);
    text_from(c, b, t, tier, w, &order);
    if (salary)
        sq(b, store_dialect(c->db, " ORDER BY v.salary_month_max DESC, v.num DESC",
                            " ORDER BY v.salary_month_max DESC NULLS LAST, v.num DESC"));
    else sq(b, arena_printf(c->a, " ORDER BY %s", order));
    sq(b, " LIMIT ? OFFSET ?");
    bint(b, limit);
    bint(b, offset);
    store_stmt *st = store_prepare(c->db, b->sql, &c->err);
    if (!st) return c->err.code;
    bind_all(b, st);
    int r;
    *got = 0;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = jobs_vac_json(c, st, false);
        if (tier != TIER_ANY) json_object_set_new(o, "score", json_integer(tier));
        json_array_append_new(items, o);
        (*got)++;
    }
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

/* Rows of the query (tier) counted up to cap. */
static op_code count_rows(ctx *c, const struct terms *t, int tier, const struct sqlb *w, int64_t cap, int64_t *n) {
    struct sqlb *b = arena_alloc(c->a, sizeof *b);
    const char *order;
    sq(b, "SELECT COUNT(*) FROM (SELECT 1");
    text_from(c, b, t, tier, w, &order);
    sq(b, " LIMIT ?) x");
    bint(b, cap);
    store_stmt *st = store_prepare(c->db, b->sql, &c->err);
    if (!st) return c->err.code;
    bind_all(b, st);
    *n = 0;
    int r = store_step(st, &c->err);
    if (r == STORE_ROW) *n = store_col_int(st, 0);
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}

op_code jobs_search(ctx *c, const struct jobs_query *q, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    struct terms t;
    if ((rc = parse_terms(c, q->q, &t))) return rc;
    const char *sort = q->sort ? q->sort : (t.n ? "relevance" : "date");
    if (strcmp(sort, "relevance") && strcmp(sort, "date") && strcmp(sort, "salary"))
        return bad(c, "sort", "relevance, date or salary", "unknown sort order");
    if (q->page_size < 1 || q->page_size > 100) return bad(c, "page_size", "1-100", "page_size is out of range");
    if (q->page < 1 || (int64_t)(q->page - 1) * q->page_size >= MAX_OFFSET)
        return bad(c, "page", "narrow the search with words or filters", "results beyond the first 10,000 are not served");
    struct sqlb *w = arena_alloc(c->a, sizeof *w);
    if ((rc = build_where(c, q, &t, w))) return rc;
    bool salary = strcmp(sort, "salary") == 0;
    int ntri = 0;
    for (int i = 0; i < t.n; i++) ntri += jobs_utf8_len(t.t[i]) >= 3;
    /* Relevance tiers matter only with 3+ character terms (2-character ones match titles only). */
    bool rel = strcmp(sort, "relevance") == 0 && t.n;
    bool tiers = rel && ntri;
    int64_t off = (int64_t)(q->page - 1) * q->page_size, want = q->page_size + 1, got = 0, g;
    json_t *items = json_array();
    if (!tiers) {
        rc = page_rows(c, &t, rel ? TIER_TITLE : TIER_ANY, w, salary, want, off, items, &got);
    } else {
        rc = page_rows(c, &t, TIER_TITLE, w, false, want, off, items, &got);
        if (!rc && got < want) {
            /* The title tier ends before this page does: the rest continues after it. */
            int64_t t1 = off + got;
            if (got == 0 && off > 0) rc = count_rows(c, &t, TIER_TITLE, w, off, &t1);
            if (!rc) rc = page_rows(c, &t, TIER_REST, w, false, want - got, off > t1 ? off - t1 : 0, items, &g);
            if (!rc) got += g;
        }
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    bool more = got > q->page_size;
    if (more) json_array_remove(items, (size_t)q->page_size);
    int64_t total;
    bool exact = true;
    if (!more && (got > 0 || off == 0)) {
        total = off + got; /* the last page: exact without counting */
    } else if (more) {
        /* More rows follow: a lower bound, unless counting up to COUNT_CAP is asked for. */
        total = off + q->page_size + 1;
        exact = false;
        if (COUNT_CAP > total) {
            if ((rc = count_rows(c, &t, TIER_ANY, w, COUNT_CAP + 1, &total))) {
                json_decref(items);
                return rc;
            }
            if (total > COUNT_CAP) total = COUNT_CAP;
            else exact = true;
        }
    } else {
        /* An empty page past the end: how many there are (bounded by the offset). */
        if ((rc = count_rows(c, &t, TIER_ANY, w, off, &total))) {
            json_decref(items);
            return rc;
        }
    }
    json_t *terms = json_array();
    for (int i = 0; i < t.n; i++) json_array_append_new(terms, json_string(t.t[i]));
    *out = json_pack("{s:o, s:I, s:b, s:i, s:i, s:s, s:o}", "items", items, "total", (json_int_t)total, "total_exact",
                     exact, "page", q->page, "page_size", q->page_size, "sort", sort, "terms", terms);
    return OP_OK;
}

op_code jobs_search_raw(ctx *c, const char *q, int64_t *count) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    struct terms t;
    if ((rc = parse_terms(c, q, &t))) return rc;
    /* The index alone: the first 20 matching rows of the first term's index, no join, no filters. */
    const char *sql = "SELECT num FROM vacancies WHERE status = 'published' ORDER BY published_at DESC LIMIT 20";
    const char *arg = NULL;
    if (t.n && jobs_utf8_len(t.t[0]) >= 3) {
        bool pg = store_kind(c->db) == STORE_PG;
        sql = pg ? "SELECT num FROM vacancy_fts WHERE doc LIKE ? LIMIT 20"
                 : "SELECT rowid FROM vacancy_text WHERE vacancy_text MATCH ? LIMIT 20";
        arg = pg ? arena_printf(c->a, "%%%s%%", t.t[0]) : arena_printf(c->a, "\"%s\"", t.t[0]);
    } else if (t.n) {
        sql = "SELECT num FROM vacancy_bigrams WHERE gram = ? LIMIT 20";
        arg = t.t[0];
    }
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    if (arg) store_bind_text(st, 1, arg);
    int r;
    *count = 0;
    while ((r = store_step(st, &c->err)) == STORE_ROW) (*count)++;
    store_reset(st);
    return r == STORE_ERROR ? c->err.code : OP_OK;
}
