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
#define COUNT_CAP 1000

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
                            store_dialect(c->db, "DELETE FROM vacancy_fts WHERE rowid = ?", "DELETE FROM vacancy_fts WHERE num = ?"),
                            "i", num);
    if (!rc) rc = store_exec(c->db, &c->err, NULL, "DELETE FROM vacancy_bigrams WHERE num = ?", "i", num);
    return rc;
}

op_code jobs_index_put(ctx *c, int64_t num, const char *title, const char *description) {
    op_code rc = jobs_index_drop(c, num);
    if (rc) return rc;
    const char *tn = jobs_norm(c->a, title);
    const char *doc = arena_printf(c->a, "%s %s", tn, jobs_norm(c->a, description));
    rc = store_exec(c->db, &c->err, NULL,
                    store_dialect(c->db, "INSERT INTO vacancy_fts (rowid, doc) VALUES (?, ?)",
                                  "INSERT INTO vacancy_fts (num, doc) VALUES (?, ?)"),
                    "is", num, doc);
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

/* " AND v.num IN (...)" for the text terms. */
static void text_where(ctx *c, struct sqlb *b, const struct terms *t) {
    bool pg = store_kind(c->db) == STORE_PG;
    char *match = NULL;
    for (int i = 0; i < t->n; i++) {
        if (jobs_utf8_len(t->t[i]) >= 3) {
            if (pg) {
                sq(b, " AND v.num IN (SELECT num FROM vacancy_fts WHERE doc LIKE ?)");
                bs(b, arena_printf(c->a, "%%%s%%", t->t[i]));
            } else {
                match = match ? arena_printf(c->a, "%s AND \"%s\"", match, t->t[i]) : arena_printf(c->a, "\"%s\"", t->t[i]);
            }
        } else {
            sq(b, " AND v.num IN (SELECT num FROM vacancy_bigrams WHERE gram = ?)");
            bs(b, t->t[i]);
        }
    }
    if (match) {
        sq(b, " AND v.num IN (SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ?)");
        bs(b, match);
    }
}

static op_code bad(ctx *c, const char *field, const char *hint, const char *msg) {
    return op_fail_field(&c->err, OP_BAD_QUERY, field, hint, "%s", msg);
}

static op_code build_where(ctx *c, const struct jobs_query *q, const struct terms *t, struct sqlb *b) {
    char today[11];
    date_format(date_today(), today);
    /* With text terms the index drives (rowid lookups); keep the planner off the status indexes. */
    sq(b, t->n ? " WHERE v.status || '' = 'published' AND (v.closing_date IS NULL OR v.closing_date >= ?)"
               : " WHERE v.status = 'published' AND (v.closing_date IS NULL OR v.closing_date >= ?)");
    bs(b, arena_strdup(c->a, today));
    text_where(c, b, t);
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
    /* Page. */
    struct sqlb *b = arena_alloc(c->a, sizeof *b);
    sq(b, "SELECT " VAC_COLS);
    bool rel = strcmp(sort, "relevance") == 0 && t.n;
    if (rel) {
        sq(b, ", (0");
        for (int i = 0; i < t.n; i++) {
            sq(b, store_dialect(c->db, " + (CASE WHEN instr(v.title_norm, ?) > 0 THEN 1 ELSE 0 END)",
                                " + (CASE WHEN strpos(v.title_norm, ?) > 0 THEN 1 ELSE 0 END)"));
            bs(b, t.t[i]);
        }
        sq(b, ") AS score");
    }
    sq(b, " FROM vacancies v JOIN employers e ON e.id = v.employer_id");
    sq(b, w->sql);
    for (int i = 0; i < w->nb; i++) b->ty[b->nb] = w->ty[i], b->bt[b->nb] = w->bt[i], b->bi[b->nb++] = w->bi[i];
    if (rel) sq(b, " ORDER BY score DESC, v.published_at DESC, v.num DESC");
    else if (strcmp(sort, "salary") == 0) sq(b, " ORDER BY COALESCE(v.salary_month_max, -1) DESC, v.num DESC");
    else sq(b, " ORDER BY v.published_at DESC, v.num DESC");
    sq(b, " LIMIT ? OFFSET ?");
    bint(b, q->page_size);
    bint(b, (int64_t)(q->page - 1) * q->page_size);
    store_stmt *st = store_prepare(c->db, b->sql, &c->err);
    if (!st) return c->err.code;
    bind_all(b, st);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = jobs_vac_json(c, st, false);
        if (rel) json_object_set_new(o, "score", json_integer(store_col_int(st, 37)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    /* Total, counted up to a cap so that broad queries stay bounded. */
    struct sqlb *cb = arena_alloc(c->a, sizeof *cb);
    sq(cb, "SELECT COUNT(*) FROM (SELECT 1 FROM vacancies v");
    sq(cb, w->sql);
    sq(cb, " LIMIT ?) x");
    for (int i = 0; i < w->nb; i++) cb->ty[cb->nb] = w->ty[i], cb->bt[cb->nb] = w->bt[i], cb->bi[cb->nb++] = w->bi[i];
    bint(cb, COUNT_CAP + 1);
    int64_t total = 0;
    if (!(st = store_prepare(c->db, cb->sql, &c->err))) {
        json_decref(items);
        return c->err.code;
    }
    bind_all(cb, st);
    if (store_step(st, &c->err) == STORE_ROW) total = store_col_int(st, 0);
    store_reset(st);
    json_t *terms = json_array();
    for (int i = 0; i < t.n; i++) json_array_append_new(terms, json_string(t.t[i]));
    *out = json_pack("{s:o, s:I, s:b, s:i, s:i, s:s, s:o}", "items", items, "total",
                     (json_int_t)(total > COUNT_CAP ? COUNT_CAP : total), "total_exact", total <= COUNT_CAP, "page", q->page,
                     "page_size", q->page_size, "sort", sort, "terms", terms);
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
                 : "SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ? LIMIT 20";
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
