/* history.c - insured employment history (피보험 이력): spells per person, national-id lookup,
 * validation shared with the registration API, and the bulk import (JSONL or CSV). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/nid.h"
#include "ei/ei_int.h"
#include "sec/fieldcrypt.h"

static const char *const INSURANCE_TYPES[] = {"regular", "daily", "short_term", "artist", "platform", NULL};
static const char *const SPELL_KEYS[] = {"national_id", "employer_brn", "employer_id", "employer_name",
                                         "start_date", "end_date", "daily_contract_hours", "monthly_wage",
                                         "insurance_type", NULL};

json_t *ei_sn(store_stmt *st, int i) { return store_col_null(st, i) ? json_null() : json_string(store_col_text(st, i)); }

op_code ei_access(ctx *c, enum pd_action act, const char *rtype, const char *rid, const char *person_id) {
    access_decision d;
    return access_person(c, act, rtype, rid, person_id, &d);
}

static op_code nid_hash(ctx *c, const char *national_id, char hash[65]) {
    char nid[NID_MAX];
    op_code rc = nid_normalise(NID_DEFAULT_COUNTRY, national_id, nid, &c->err);
    if (rc) return rc;
    fieldcrypt_lookup_hash(nid, hash);
    memset(nid, 0, sizeof nid);
    return OP_OK;
}

op_code ei_nid_unknown(ctx *c) {
    return op_fail_field(&c->err, OP_NOT_FOUND, "national_id", "register the person first",
                         "no person has this national id");
}

op_code ei_person_by_nid(ctx *c, const char *national_id, char person_id[ID_LEN]) {
    char hash[65];
    op_code rc = nid_hash(c, national_id, hash);
    if (rc) return rc;
    store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    if (!st) return c->err.code ? c->err.code : ei_nid_unknown(c);
    snprintf(person_id, ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    return OP_OK;
}

static bool brn_ok(const char *s) { /* 사업자등록번호: 10 digits, dashes allowed (123-45-67890) */
    int n = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) n++;
        else if (*s != '-') return false;
    }
    return n == 10;
}

static const char *digits(arena *a, const char *s) {
    char *o = arena_alloc(a, strlen(s) + 1), *p = o;
    for (; *s; s++)
        if (isdigit((unsigned char)*s)) *p++ = *s;
    return o;
}

op_code ei_spell_check(ctx *c, const json_t *in, const char *const *extra, bool end_required, struct ei_spell *s,
                       char hash[65]) {
    const char *allowed[32];
    int n = 0;
    for (int i = 0; SPELL_KEYS[i]; i++) allowed[n++] = SPELL_KEYS[i];
    for (int i = 0; extra && extra[i] && n < 31; i++) allowed[n++] = extra[i];
    allowed[n] = NULL;
    memset(s, 0, sizeof *s);
    const char *nid;
    double hours = 0;
    bool has_hours = false;
    op_code rc;
    if (!json_is_object(in)) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "a registration must be a JSON object");
    if ((rc = jx_only(in, allowed, NULL, &c->err)) || (rc = jx_str(in, "national_id", true, 32, &nid, &c->err)) ||
        (rc = jx_str(in, "employer_brn", false, 16, &s->employer_brn, &c->err)) ||
        (rc = jx_str(in, "employer_id", false, 64, &s->employer_id, &c->err)) ||
        (rc = jx_str(in, "employer_name", false, 200, &s->employer_name, &c->err)) ||
        (rc = jx_date(in, "start_date", true, &s->start_date, &c->err)) ||
        (rc = jx_date(in, "end_date", end_required, &s->end_date, &c->err)) ||
        (rc = jx_num(in, "daily_contract_hours", false, 0.5, 24, &hours, &has_hours, &c->err)) ||
        (rc = jx_int(in, "monthly_wage", false, 0, 1000000000, &s->monthly_wage, &s->has_wage, &c->err)) ||
        (rc = jx_enum(in, "insurance_type", false, INSURANCE_TYPES, &s->insurance_type, &c->err)))
        return rc;
    if (!s->employer_brn && !s->employer_id)
        return op_fail_field(&c->err, OP_VALIDATION, "employer_brn", "give employer_brn (사업자등록번호) or employer_id",
                             "the employer is missing");
    if (s->employer_brn && !brn_ok(s->employer_brn))
        return op_fail_field(&c->err, OP_VALIDATION, "employer_brn", "10 digits, e.g. 123-45-67890",
                             "employer_brn is not a business registration number");
    if (s->employer_id && !id_is_uuid(s->employer_id))
        return op_fail_field(&c->err, OP_VALIDATION, "employer_id", NULL, "employer_id is not an employer id");
    if (s->employer_brn) s->employer_brn = digits(c->a, s->employer_brn);
    s->employer_key = s->employer_brn ? s->employer_brn : s->employer_id;
    if (!s->insurance_type) s->insurance_type = "regular";
    date_parse(s->start_date, &s->start);
    s->end = INT64_MAX;
    if (s->end_date) date_parse(s->end_date, &s->end);
    int64_t today = date_today();
    if (s->start > today + 366)
        return op_fail_field(&c->err, OP_VALIDATION, "start_date", NULL, "start_date is more than a year ahead");
    if (s->start < date_days_from_civil(1960, 1, 1))
        return op_fail_field(&c->err, OP_VALIDATION, "start_date", NULL, "start_date is before 1960");
    if (s->end_date && s->end < s->start)
        return op_fail_field(&c->err, OP_VALIDATION, "end_date", NULL, "end_date is before start_date");
    if (has_hours) {
        s->has_minutes = true;
        s->daily_minutes = (int64_t)(hours * 60 + 0.5);
    }
    return nid_hash(c, nid, hash);
}

op_code ei_spell_parse(ctx *c, const json_t *in, const char *const *extra, bool end_required, struct ei_spell *s) {
    char hash[65];
    op_code rc = ei_spell_check(c, in, extra, end_required, s, hash);
    if (rc) return rc;
    store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    if (!st) return c->err.code ? c->err.code : ei_nid_unknown(c);
    snprintf(s->person_id, ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    return OP_OK;
}

static void bind_opt(store_stmt *st, int i, bool has, int64_t v) {
    if (has) store_bind_int(st, i, v);
    else store_bind_null(st, i);
}

static op_code run(ctx *c, store_stmt *st) {
    int r = store_step(st, &c->err);
    store_reset(st);
    return r == STORE_ERROR ? (c->err.code ? c->err.code : OP_STORE) : OP_OK;
}

op_code ei_spell_store(ctx *c, const struct ei_spell *s, const char *source, char id[ID_LEN], bool *created) {
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    *created = false;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT id FROM ei_employment WHERE person_id = ? AND employer_key = ? AND start_date = ?",
                                 "sss", s->person_id, s->employer_key, s->start_date);
    if (st) {
        snprintf(id, ID_LEN, "%s", store_col_text(st, 0));
        store_reset(st);
        st = store_prepare(c->db,
                           "UPDATE ei_employment SET end_date = COALESCE(?, end_date),"
                           " daily_minutes = COALESCE(?, daily_minutes), monthly_wage = COALESCE(?, monthly_wage),"
                           " employer_name = COALESCE(?, employer_name), updated_at = ? WHERE id = ?",
                           &c->err);
        if (!st) return c->err.code;
        store_bind_text(st, 1, s->end_date);
        bind_opt(st, 2, s->has_minutes, s->daily_minutes);
        bind_opt(st, 3, s->has_wage, s->monthly_wage);
        store_bind_text(st, 4, s->employer_name);
        store_bind_text(st, 5, ts);
        store_bind_text(st, 6, id);
        return run(c, st);
    }
    if (c->err.code) return c->err.code;
    id_uuid7(id);
    *created = true;
    st = store_prepare(c->db,
                       "INSERT INTO ei_employment (id, person_id, employer_key, employer_id, employer_brn, employer_name,"
                       " start_date, end_date, daily_minutes, monthly_wage, insurance_type, source, created_at, updated_at)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       &c->err);
    if (!st) return c->err.code;
    const char *txt[] = {id, s->person_id, s->employer_key, s->employer_id, s->employer_brn, s->employer_name,
                         s->start_date, s->end_date};
    for (int i = 0; i < 8; i++) store_bind_text(st, i + 1, txt[i]);
    bind_opt(st, 9, s->has_minutes, s->daily_minutes);
    bind_opt(st, 10, s->has_wage, s->monthly_wage);
    store_bind_text(st, 11, s->insurance_type);
    store_bind_text(st, 12, source);
    store_bind_text(st, 13, ts);
    store_bind_text(st, 14, ts);
    return run(c, st);
}

op_code ei_spell_put(ctx *c, const json_t *in, char spell_id[ID_LEN], bool *created) {
    op_clear(&c->err); /* a reused context may carry an old error */
    struct ei_spell s;
    bool outer;
    op_code rc = ei_spell_parse(c, in, NULL, false, &s);
    if (rc) return rc;
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if (!(rc = ei_access(c, PD_UPDATE, "ei_employment", NULL, s.person_id)))
        rc = ei_spell_store(c, &s, "import", spell_id, created);
    return store_tx_end(c->db, &c->err, outer, rc);
}

json_t *ei_spell_row_json(store_stmt *st) {
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", ei_sn(st, 0), "employer_id", ei_sn(st, 1),
                          "employer_brn", ei_sn(st, 2), "employer_name", ei_sn(st, 3), "start_date", ei_sn(st, 4),
                          "end_date", ei_sn(st, 5), "insurance_type", ei_sn(st, 8), "source", ei_sn(st, 9));
    json_object_set_new(o, "daily_contract_hours",
                        store_col_null(st, 6) ? json_null() : json_real((double)store_col_int(st, 6) / 60.0));
    json_object_set_new(o, "monthly_wage", store_col_null(st, 7) ? json_null() : json_integer(store_col_int(st, 7)));
    return o;
}

op_code ei_history_get(ctx *c, const char *person_id, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    *out = NULL;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = ei_access(c, PD_READ, "ei_employment", NULL, person_id);
    if (rc) return rc;
    store_stmt *st = store_prepare(c->db, EI_SPELL_SELECT " WHERE person_id = ? ORDER BY start_date, id", &c->err);
    if (!st) return c->err.code;
    store_bind_text(st, 1, person_id);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, ei_spell_row_json(st));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    *out = json_pack("{s:s, s:o}", "person_id", person_id, "items", items);
    return OP_OK;
}

/* ---- bulk import ---- */

/* Split a CSV line (RFC 4180 quotes) into at most max fields; returns the count or -1. */
static int csv_split(arena *a, const char *line, char **f, int max) {
    int n = 0;
    const char *p = line;
    for (;;) {
        if (n == max) return -1;
        char *buf = arena_alloc(a, strlen(p) + 1), *o = buf;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) return -1;
                if (*p == '"') {
                    if (p[1] == '"') { *o++ = '"'; p += 2; continue; }
                    p++;
                    break;
                }
                *o++ = *p++;
            }
            if (*p && *p != ',') return -1;
        } else {
            while (*p && *p != ',') *o++ = *p++;
        }
        *o = 0;
        f[n++] = buf;
        if (!*p) return n;
        p++; /* comma */
    }
}

static const char *const NUMERIC_COLS[] = {"daily_contract_hours", "monthly_wage", NULL};

/* A CSV record as the JSON object the registration API takes (empty cells are absent). */
static op_code csv_object(ctx *c, char **hdr, int nh, const char *line, json_t **out) {
    char *f[32];
    int n = csv_split(c->a, line, f, 32);
    if (n < 0) return op_fail(&c->err, OP_BAD_REQUEST, "quote fields that contain commas", "malformed CSV line");
    if (n != nh) return op_fail(&c->err, OP_BAD_REQUEST, NULL, "the line has %d fields; the header has %d", n, nh);
    json_t *o = json_object();
    for (int i = 0; i < n; i++) {
        if (!*f[i]) continue;
        if (jx_in(hdr[i], NUMERIC_COLS)) {
            char *end;
            double v = strtod(f[i], &end);
            if (*end) {
                json_decref(o);
                return op_fail_field(&c->err, OP_VALIDATION, hdr[i], NULL, "%s is not a number", hdr[i]);
            }
            json_object_set_new(o, hdr[i], strcmp(hdr[i], "monthly_wage") == 0 ? json_integer((json_int_t)v) : json_real(v));
        } else {
            json_object_set_new(o, hdr[i], json_string(f[i]));
        }
    }
    *out = o;
    return OP_OK;
}

op_code ei_import_employment(ctx *c, FILE *in, FILE *report, long *accepted, long *rejected) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    char *hdr[32];
    int nh = -1; /* -1: format not known yet; 0: JSONL; >0: CSV columns */
    *accepted = *rejected = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0) continue;
        if (nh < 0) {
            if (line[0] == '{') {
                nh = 0;
            } else {
                nh = csv_split(c->a, line, hdr, 32);
                if (nh <= 0) {
                    free(line);
                    return op_fail(&c->err, OP_BAD_REQUEST, "the first line is a CSV header or a JSON object",
                                   "line 1: malformed CSV header");
                }
                continue;
            }
        }
        json_t *o = NULL;
        op_code rc;
        op_clear(&c->err);
        if (nh == 0) {
            json_error_t je;
            o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &je);
            rc = o ? OP_OK : op_fail(&c->err, OP_BAD_JSON, NULL, "%s (column %d)", je.text, je.column);
        } else {
            rc = csv_object(c, hdr, nh, line, &o);
        }
        char id[ID_LEN];
        bool created;
        if (!rc) rc = ei_spell_put(c, o, id, &created);
        json_decref(o);
        if (rc) {
            (*rejected)++;
            if (rc == OP_STORE || rc == OP_INTERNAL) {
                free(line);
                return rc;
            }
            if (c->err.field[0])
                fprintf(report, "line %ld: %s: %s (field %s)\n", lineno, op_code_str(rc), c->err.detail, c->err.field);
            else
                fprintf(report, "line %ld: %s: %s\n", lineno, op_code_str(rc), c->err.detail);
        } else {
            (*accepted)++;
        }
    }
    free(line);
    op_clear(&c->err);
    return OP_OK;
}
