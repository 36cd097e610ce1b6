/* taxonomy.c - occupation code lists: ISCO-08 compiled in (isco_all.c) and loaded into
 * `occupations` on first use, national schemes and N:M crosswalks imported from CSV. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/jobs.h"

static int cmp_code(const void *k, const void *r) {
    return strcmp((const char *)k, ((const struct jobs_isco_row *)r)->code);
}

const struct jobs_isco_row *jobs_isco_find(const char *code) {
    if (!code || !*code || strlen(code) > 4) return NULL;
    for (const char *p = code; *p; p++)
        if (*p < '0' || *p > '9') return NULL;
    return bsearch(code, jobs_isco_rows, jobs_isco_rows_count, sizeof jobs_isco_rows[0], cmp_code);
}

bool jobs_isco_in_subtree(const char *code, const char *ancestor) {
    size_t n = strlen(ancestor);
    return n && strncmp(code, ancestor, n) == 0;
}

/* ---- one-time set-up per database ---- */

static pthread_mutex_t ensure_mu = PTHREAD_MUTEX_INITIALIZER;
static char ensured_url[1024];

static bool have_rel(ctx *c, const char *name) {
    op_err e = {0};
    store_stmt *st = store_query(c->db, &e,
                                 store_dialect(c->db, "SELECT 1 FROM sqlite_master WHERE name = ?",
                                               "SELECT 1 FROM pg_class WHERE relname = ? AND pg_table_is_visible(oid)"),
                                 "s", name);
    if (!st) return false;
    store_reset(st);
    return true;
}

static int64_t isco_count(ctx *c) {
    op_err e = {0};
    store_stmt *st = store_query(c->db, &e, "SELECT COUNT(*) FROM occupations WHERE scheme = ? AND version = ?", "ss",
                                 JOBS_ISCO_SCHEME, JOBS_ISCO_VERSION);
    if (!st) return -1;
    int64_t n = store_col_int(st, 0);
    store_reset(st);
    return n;
}

op_code jobs_ensure(ctx *c) {
    const char *url = store_get_url() ? store_get_url() : "";
    pthread_mutex_lock(&ensure_mu);
    bool done = strcmp(ensured_url, url) == 0;
    pthread_mutex_unlock(&ensure_mu);
    if (done) return OP_OK;
    /* SQLite: FTS5 vacancy_text(title, body) - the column split serves the title tier of
     * relevance (docs/JOBS.md); databases indexed by the earlier one-column vacancy_fts are moved. */
    const char *rel = store_dialect(c->db, "vacancy_text", "vacancy_fts");
    if (!(have_rel(c, rel) && isco_count(c) == (int64_t)jobs_isco_rows_count)) {
        op_code rc = store_begin(c->db, &c->err);
        if (rc) return rc;
        bool pg = store_kind(c->db) == STORE_PG;
        if (pg) rc = store_exec_script(c->db, "SELECT pg_advisory_xact_lock(7210020)", &c->err);
        if (!rc && !have_rel(c, rel)) {
            rc = store_exec_script(
                c->db,
                store_dialect(c->db,
                              "CREATE VIRTUAL TABLE IF NOT EXISTS vacancy_text USING fts5(title, body, tokenize='trigram case_sensitive 1');"
                              "CREATE VIRTUAL TABLE IF NOT EXISTS vacancy_title USING fts5(title, tokenize='trigram case_sensitive 1')",
                              "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
                              "CREATE TABLE IF NOT EXISTS vacancy_fts (num BIGINT PRIMARY KEY, doc TEXT NOT NULL);"
                              "CREATE INDEX IF NOT EXISTS vacancy_fts_trgm ON vacancy_fts USING gin (doc gin_trgm_ops)"),
                &c->err);
            if (!rc && !pg && have_rel(c, "vacancy_fts"))
                rc = store_exec_script(c->db,
                                       "INSERT INTO vacancy_text (rowid, title, body)"
                                       " SELECT f.rowid, v.title_norm, substr(f.doc, length(v.title_norm) + 2)"
                                       " FROM vacancy_fts f JOIN vacancies v ON v.num = f.rowid;"
                                       "INSERT INTO vacancy_title (rowid, title) SELECT rowid, title FROM vacancy_text;"
                                       "DROP TABLE vacancy_fts",
                                       &c->err);
        }
        if (!rc && isco_count(c) != (int64_t)jobs_isco_rows_count) {
            char ts[CLOCK_TS_LEN];
            clock_now_ts(ts);
            for (unsigned i = 0; !rc && i < jobs_isco_rows_count; i++) {
                const struct jobs_isco_row *r = &jobs_isco_rows[i];
                rc = store_exec(c->db, &c->err, NULL,
                                "INSERT INTO occupations (scheme, version, code, level, parent, title_en, created_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scheme, version, code) DO NOTHING",
                                "sssisss", JOBS_ISCO_SCHEME, JOBS_ISCO_VERSION, r->code, (int64_t)r->level,
                                r->parent[0] ? r->parent : NULL, r->title_en, ts);
            }
        }
        if (!rc) rc = store_commit(c->db, &c->err);
        if (rc) {
            store_rollback(c->db);
            return rc;
        }
    }
    pthread_mutex_lock(&ensure_mu);
    snprintf(ensured_url, sizeof ensured_url, "%s", url);
    pthread_mutex_unlock(&ensure_mu);
    return OP_OK;
}

/* ---- picker ---- */

static char *like_escape(arena *a, const char *s, bool prefix_only) {
    char *o = arena_alloc(a, strlen(s) * 2 + 3), *p = o;
    if (!prefix_only) *p++ = '%';
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') *p++ = '\\';
        *p++ = *s;
    }
    *p++ = '%';
    *p = 0;
    return o;
}

op_code jobs_occupations(ctx *c, const char *q, const char *scheme, int level, int limit, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    if (q && jobs_utf8_len(q) > 100)
        return op_fail_field(&c->err, OP_BAD_QUERY, "q", "use at most 100 characters", "the query is too long");
    char sql[1024];
    int n = snprintf(sql, sizeof sql, "SELECT scheme, version, code, level, parent, title_en, title_ko FROM occupations WHERE 1=1");
    if (scheme) n += snprintf(sql + n, sizeof sql - (size_t)n, " AND scheme = ?");
    if (level) n += snprintf(sql + n, sizeof sql - (size_t)n, " AND level = ?");
    const char *nq = q && *q ? jobs_norm(c->a, q) : NULL;
    if (nq && *nq)
        n += snprintf(sql + n, sizeof sql - (size_t)n,
                      " AND (code LIKE ? ESCAPE '\\' OR lower(title_en) LIKE ? ESCAPE '\\' OR lower(title_ko) LIKE ? ESCAPE '\\')"
                      " ORDER BY CASE WHEN code = ? THEN 0 WHEN code LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, scheme, level, code"
                      " LIMIT ?");
    else
        n += snprintf(sql + n, sizeof sql - (size_t)n, " ORDER BY scheme, level, code LIMIT ?");
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    int i = 1;
    if (scheme) store_bind_text(st, i++, scheme);
    if (level) store_bind_int(st, i++, level);
    if (nq && *nq) {
        const char *pre = like_escape(c->a, nq, true), *any = like_escape(c->a, nq, false);
        store_bind_text(st, i++, pre);
        store_bind_text(st, i++, any);
        store_bind_text(st, i++, any);
        store_bind_text(st, i++, nq);
        store_bind_text(st, i++, pre);
    }
    store_bind_int(st, i, limit);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "scheme", store_col_text(st, 0), "version", store_col_text(st, 1),
                              "code", store_col_text(st, 2), "level", (json_int_t)store_col_int(st, 3));
        json_object_set_new(o, "parent", store_col_null(st, 4) ? json_null() : json_string(store_col_text(st, 4)));
        json_object_set_new(o, "title_en", store_col_null(st, 5) ? json_null() : json_string(store_col_text(st, 5)));
        json_object_set_new(o, "title_ko", store_col_null(st, 6) ? json_null() : json_string(store_col_text(st, 6)));
        json_array_append_new(items, o);
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:o}", "items", items);
    return OP_OK;
}

/* ---- import ---- */

/* Split one CSV line (RFC 4180 quoting, no embedded newlines) into at most max fields. */
static int csv_split(char *line, char **f, int max) {
    int n = 0;
    char *p = line;
    size_t L = strlen(p);
    while (L && (p[L - 1] == '\n' || p[L - 1] == '\r')) p[--L] = 0;
    for (;;) {
        if (n == max) return -1;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (!*p) return -1;
                if (*p == '"' && p[1] == '"') { *w++ = '"'; p += 2; continue; }
                if (*p == '"') { p++; break; }
                *w++ = *p++;
            }
            *w = 0;
            if (*p == ',') { p++; continue; }
            if (*p) return -1;
            return n;
        }
        f[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) return n;
        *comma = 0;
        p = comma + 1;
    }
}

static bool occ_exists(ctx *c, const char *scheme, const char *version, const char *code) {
    op_err e = {0};
    store_stmt *st = store_query(c->db, &e, "SELECT 1 FROM occupations WHERE scheme = ? AND version = ? AND code = ?",
                                 "sss", scheme, version, code);
    if (!st) return false;
    store_reset(st);
    return true;
}

static op_code import_row(ctx *c, bool xwalk, char **f, int nf, char *why, size_t wn) {
    if (!xwalk) {
        if (nf < 6) return snprintf(why, wn, "expected 7 fields (6 without title_ko), got %d", nf), OP_VALIDATION;
        const char *scheme = f[0], *ver = f[1], *code = f[2], *parent = f[4], *en = f[5];
        const char *ko = nf > 6 && *f[6] ? f[6] : NULL;
        char *end;
        long level = strtol(f[3], &end, 10);
        if (!*scheme || strlen(scheme) > 32 || !*ver || strlen(ver) > 16 || !*code || strlen(code) > 16)
            return snprintf(why, wn, "scheme, version and code are required (at most 32/16/16 characters)"), OP_VALIDATION;
        if (*end || level < 1 || level > 9) return snprintf(why, wn, "level \"%s\" must be 1-9", f[3]), OP_VALIDATION;
        if (!*en && !ko) return snprintf(why, wn, "a title (title_en or title_ko) is required"), OP_VALIDATION;
        if (*parent && !occ_exists(c, scheme, ver, parent))
            return snprintf(why, wn, "parent \"%s\" is not in %s %s (list parents before children)", parent, scheme, ver),
                   OP_VALIDATION;
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        return store_exec(c->db, &c->err, NULL,
                          "INSERT INTO occupations (scheme, version, code, level, parent, title_en, title_ko, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scheme, version, code) DO UPDATE SET"
                          " level = excluded.level, parent = excluded.parent,"
                          " title_en = COALESCE(excluded.title_en, occupations.title_en),"
                          " title_ko = COALESCE(excluded.title_ko, occupations.title_ko)",
                          "sssissss", scheme, ver, code, (int64_t)level, *parent ? parent : NULL, *en ? en : NULL, ko, ts);
    }
    if (nf != 7) return snprintf(why, wn, "expected 7 fields, got %d", nf), OP_VALIDATION;
    if (!occ_exists(c, f[0], f[1], f[2]))
        return snprintf(why, wn, "source code %s %s %s is not loaded", f[0], f[1], f[2]), OP_VALIDATION;
    if (!occ_exists(c, f[3], f[4], f[5]))
        return snprintf(why, wn, "target code %s %s %s is not loaded", f[3], f[4], f[5]), OP_VALIDATION;
    char *end;
    double w = strtod(f[6], &end);
    if (end == f[6] || *end || !(w > 0 && w <= 1))
        return snprintf(why, wn, "weight \"%s\" must be a number in (0, 1]", f[6]), OP_VALIDATION;
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO occupation_crosswalk (from_scheme, from_version, from_code, to_scheme, to_version,"
                      " to_code, weight) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (from_scheme, from_version, from_code,"
                      " to_scheme, to_version, to_code) DO UPDATE SET weight = excluded.weight",
                      "ssssssi", f[0], f[1], f[2], f[3], f[4], f[5], (int64_t)(w * 1000 + 0.5));
}

op_code jobs_import_taxonomy(ctx *c, const char *path, FILE *report, long *ok, long *bad) {
    *ok = *bad = 0;
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    FILE *fp = fopen(path, "r");
    if (!fp) return op_fail(&c->err, OP_NOT_FOUND, NULL, "cannot open %s", path);
    char line[4096];
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return op_fail(&c->err, OP_VALIDATION, "see docs/JOBS.md for the format", "%s is empty", path);
    }
    bool xwalk;
    if (strncmp(line, "scheme,version,code,level,parent,title_en", 41) == 0) xwalk = false;
    else if (strncmp(line, "from_scheme,from_version,from_code,to_scheme,to_version,to_code,weight", 70) == 0) xwalk = true;
    else {
        fclose(fp);
        return op_fail(&c->err, OP_VALIDATION, "see docs/JOBS.md for the two formats",
                       "%s: unknown header (expected a scheme or a crosswalk CSV)", path);
    }
    long lineno = 1;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '\n' || line[0] == '\r' || line[0] == 0) continue;
        char *f[8], why[300] = "";
        int nf = csv_split(line, f, 8);
        op_clear(&c->err);
        if ((rc = store_begin(c->db, &c->err))) break;
        rc = nf < 0 ? (snprintf(why, sizeof why, "malformed CSV line"), OP_VALIDATION)
                    : import_row(c, xwalk, f, nf, why, sizeof why);
        if (!rc) rc = store_commit(c->db, &c->err);
        if (rc) {
            store_rollback(c->db);
            (*bad)++;
            fprintf(report, "line %ld: %s\n", lineno, why[0] ? why : c->err.detail);
        } else {
            (*ok)++;
        }
        rc = OP_OK;
    }
    fclose(fp);
    op_clear(&c->err);
    return rc;
}
