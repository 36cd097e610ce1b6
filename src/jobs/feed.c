/* feed.c - typeahead, the partner feed of vacancy changes, and bulk intake of partner vacancies. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/vacancy_int.h"

op_code jobs_suggest(ctx *c, const char *q, json_t **out) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    const char *n = q ? jobs_norm(c->a, q) : "";
    if (jobs_utf8_len(n) < 2 || jobs_utf8_len(n) > 50)
        return op_fail_field(&c->err, OP_BAD_QUERY, "q", "type 2-50 characters", "the typeahead needs 2-50 characters");
    if (strpbrk(n, " \"%\\"))
        n = arena_strndup(c->a, n, strcspn(n, " \"%\\")); /* the first word only */
    if (jobs_utf8_len(n) < 2) return op_fail_field(&c->err, OP_BAD_QUERY, "q", "type 2-50 characters", "the first word is too short");
    bool pg = store_kind(c->db) == STORE_PG, tri = jobs_utf8_len(n) >= 3;
    /* Titles of published vacancies containing the word, most frequent first, over a bounded
     * candidate set (the newest 2,000 matches). */
    char sql[900];
    snprintf(sql, sizeof sql,
             "SELECT MIN(x.title), COUNT(*) FROM (SELECT v.title, v.title_norm, v.num FROM vacancies v"
             " WHERE v.status = 'published' AND v.num IN (%s) AND %s"
             " ORDER BY v.num DESC LIMIT 2000) x GROUP BY x.title_norm ORDER BY COUNT(*) DESC, MIN(x.num) LIMIT 8",
             !tri ? "SELECT num FROM vacancy_bigrams WHERE gram = ?"
             : pg ? "SELECT num FROM vacancy_fts WHERE doc LIKE ?"
                  : "SELECT rowid FROM vacancy_text WHERE vacancy_text MATCH ?",
             pg ? "strpos(v.title_norm, ?) > 0" : "instr(v.title_norm, ?) > 0");
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, !tri ? n : pg ? arena_printf(c->a, "%%%s%%", n) : arena_printf(c->a, "\"%s\"", n));
    store_bind_text(st, 2, n);
    json_t *titles = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW)
        json_array_append_new(titles, json_pack("{s:s, s:I}", "title", store_col_text(st, 0), "count",
                                                (json_int_t)store_col_int(st, 1)));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(titles);
        return c->err.code;
    }
    json_t *occ = NULL;
    if ((rc = jobs_occupations(c, n, JOBS_ISCO_SCHEME, 4, 5, &occ))) {
        json_decref(titles);
        return rc;
    }
    *out = json_pack("{s:s, s:o, s:O}", "q", n, "titles", titles, "occupations", json_object_get(occ, "items"));
    json_decref(occ);
    return OP_OK;
}

/* ---- partner feed ---- */

op_code jobs_stream(ctx *c, const char *since, const char *cursor, int limit, json_t **out) {
    int64_t after = 0;
    char ts[CLOCK_TS_LEN] = "";
    if (cursor && *cursor) {
        char *end;
        after = strtoll(cursor, &end, 10);
        if (*end || after < 0)
            return op_fail_field(&c->err, OP_BAD_QUERY, "cursor", "pass next_cursor from the previous answer", "the cursor is not valid");
    } else {
        int64_t us;
        if (!since || !ts_parse(since, &us))
            return op_fail_field(&c->err, OP_BAD_QUERY, "since", "an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z",
                                 "pass since=<RFC 3339> or cursor=<next_cursor>");
        clock_format_ts(us, ts);
    }
    store_stmt *st = store_prepare(c->db,
                                   cursor && *cursor
                                       ? "SELECT ch.seq, ch.kind, ch.at, ch.vacancy_id FROM vacancy_changes ch WHERE ch.seq > ?"
                                         " ORDER BY ch.seq LIMIT ?"
                                       : "SELECT ch.seq, ch.kind, ch.at, ch.vacancy_id FROM vacancy_changes ch WHERE ch.at >= ?"
                                         " ORDER BY ch.seq LIMIT ?",
                                   &c->err);
    if (!st) return c->err.code;
    if (cursor && *cursor) store_bind_int(st, 1, after);
    else store_bind_text(st, 1, ts);
    store_bind_int(st, 2, limit);
    json_t *items = json_array();
    int64_t last = after;
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) {
        last = store_col_int(st, 0);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "kind", store_col_text(st, 1), "at",
                                               store_col_text(st, 2), "vacancy_id", store_col_text(st, 3)));
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    /* Current state of the vacancies that are still published. */
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (strcmp(json_string_value(json_object_get(it, "kind")), "closed") == 0) continue;
        const char *vid = json_string_value(json_object_get(it, "vacancy_id"));
        store_stmt *v = store_query(c->db, &c->err,
                                    "SELECT " VAC_COLS " FROM vacancies v JOIN employers e ON e.id = v.employer_id"
                                    " WHERE v.id = ? AND v.status = 'published'",
                                    "s", vid);
        if (v) {
            json_t *o = jobs_vac_json(c, v, false);
            json_object_del(o, "excerpt");
            store_reset(v);
            store_stmt *d = store_query(c->db, &c->err, "SELECT description FROM vacancies WHERE id = ?", "s", vid);
            if (d) {
                json_object_set_new(o, "description", json_string(store_col_text(d, 0)));
                store_reset(d);
            }
            json_object_set_new(it, "vacancy", o);
        } else if (c->err.code) {
            json_decref(items);
            return c->err.code;
        }
    }
    *out = json_pack("{s:o, s:s}", "items", items, "next_cursor", arena_printf(c->a, "%lld", (long long)last));
    return OP_OK;
}

/* ---- bulk intake: one JSON object per line, each its own transaction ---- */

op_code jobs_vacancy_create(ctx *c, const json_t *in, json_t **out);

op_code jobs_import_vacancies(ctx *c, const char *path, FILE *report, long *ok, long *bad) {
    *ok = *bad = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) return op_fail(&c->err, OP_NOT_FOUND, NULL, "cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    while ((len = getline(&line, &cap, fp)) != -1) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0) continue;
        op_clear(&c->err);
        json_t *in = NULL, *res = NULL;
        op_code rc = jx_parse(c->a, line, (size_t)len, &in, &c->err);
        json_t *work = in ? json_deep_copy(in) : NULL;
        /* employer_brn: resolve to the employer id */
        const char *brn = work ? json_string_value(json_object_get(work, "employer_brn")) : NULL;
        if (!rc && brn) {
            char canon[16];
            size_t j = 0;
            for (const char *p = brn; *p && j < 12; p++)
                if (*p != '-') {
                    if (j == 3 || j == 6) canon[j++] = '-';
                    canon[j++] = *p;
                }
            canon[j] = 0;
            store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM employers WHERE brn = ?", "s", canon);
            if (st) {
                json_object_set_new(work, "employer_id", json_string(store_col_text(st, 0)));
                store_reset(st);
                json_object_del(work, "employer_brn");
            } else {
                rc = c->err.code ? c->err.code
                                 : op_fail_field(&c->err, OP_VALIDATION, "employer_brn", NULL, "no employer with BRN %s", brn);
            }
        }
        if (!rc) rc = jobs_vacancy_create(c, work, &res);
        if (rc) {
            (*bad)++;
            fprintf(report, "line %ld: rejected: %s%s%s%s\n", lineno, op_code_str(rc), c->err.field[0] ? " (" : "",
                    c->err.field, c->err.field[0] ? ")" : "");
            fprintf(report, "  %s\n", c->err.detail);
        } else {
            (*ok)++;
            const char *status = json_string_value(json_object_get(res, "status"));
            if (strcmp(status, "published") != 0) {
                fprintf(report, "line %ld: stored as %s %s:", lineno, status,
                        json_string_value(json_object_get(res, "id")));
                json_t *rs = json_object_get(res, "reasons");
                for (size_t i = 0; i < json_array_size(rs); i++)
                    fprintf(report, " %s", json_string_value(json_object_get(json_array_get(rs, i), "code")));
                fprintf(report, "\n");
            }
        }
        json_decref(res);
        json_decref(work);
    }
    free(line);
    fclose(fp);
    op_clear(&c->err);
    return OP_OK;
}
