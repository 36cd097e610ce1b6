/* batchlines.c - the lines of csv and jsonl batch files as request items (batchfile.h, docs/DCI.md
 * "Batch files"): search_request, subscribe_request and txnstatus_request items, or unsubscribe
 * subscription codes; RFC 4180 csv with a header row, one JSON value a line for jsonl;
 * a line that cannot be read becomes a per-line rejection, a file that cannot be read at all is
 * refused with a detail and a hint. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "dci/batchfile.h"

bool dci_utf8_ok(const unsigned char *s, size_t n, size_t *bad) {
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        bool ok = c != 0 && k != 9 && !(k == 1 && c < 0xC2) && c <= 0xF4 && i + k < n;
        for (size_t j = 1; ok && j <= k; j++) ok = (s[i + j] & 0xC0) == 0x80;
        if (ok && k >= 2) {
            unsigned char d = s[i + 1];
            ok = !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0) && !(c == 0xF0 && d < 0x90) && !(c == 0xF4 && d >= 0x90);
        }
        if (!ok) {
            *bad = i;
            return false;
        }
        i += k + 1;
    }
    return true;
}

static int64_t line_of(const char *s, size_t off) {
    int64_t n = 1;
    for (size_t i = 0; i < off; i++) n += s[i] == '\n';
    return n;
}

/* One line error item. */
static json_t *line_error(const char *ref, int64_t line, const char *ts, const char *code, const char *fmt, ...) {
    char m[300];
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(m, sizeof m, "line %lld: ", (long long)line);
    vsnprintf(m + n, sizeof m - (size_t)n, fmt, ap);
    va_end(ap);
    size_t bad;
    if (!dci_utf8_ok((const unsigned char *)m, strlen(m), &bad)) m[bad] = 0; /* a quoted value cut short */
    char lref[32];
    snprintf(lref, sizeof lref, "line-%lld", (long long)line);
    json_t *it = json_pack("{s:s, s:s, s:{s:s, s:s}}", "reference_id", ref ? ref : lref, "timestamp", ts, DCI_LINE_ERROR, "code", code,
                           "message", m);
    return it;
}

static bool locale_ok(const char *l) { return strlen(l) == 3 && strspn(l, "abcdefghijklmnopqrstuvwxyz") == 3; }

/* "1".."max" */
static bool int_in(const char *s, long long max, long long *out) {
    char *end;
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9) return false;
    *out = strtoll(s, &end, 10);
    return *out >= 1 && *out <= max;
}

/* ---- csv (RFC 4180: comma-separated, "quoted" fields with "" for a quote, CRLF or LF) ---- */

struct csv {
    const char *p, *end;
    int64_t line;
    char *scratch; /* field bytes, NUL-separated; as large as twice the file */
};

/* Read one record.  1: fields in f[0..*nf); 0: end of file; -1: a syntax error (msg), the rest of
 * that physical line skipped.  Blank lines are skipped.  *start: the record's first line. */
static int csv_record(struct csv *s, const char **f, int *nf, int64_t *start, char *msg, size_t mn) {
    while (s->p < s->end && (*s->p == '\n' || (*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n'))) {
        s->p += *s->p == '\r' ? 2 : 1;
        s->line++;
    }
    if (s->p >= s->end) return 0;
    *start = s->line;
    *nf = 0;
    const char *err = NULL;
    for (;;) {
        char *out = s->scratch;
        if (*nf == DCI_CSV_MAX_FIELDS) {
            err = "more fields than the header allows";
            break;
        }
        if (s->p < s->end && *s->p == '"') {
            s->p++;
            for (;;) {
                if (s->p >= s->end) {
                    snprintf(msg, mn, "a quoted field is not closed");
                    return -1;
                }
                if (*s->p == '"') {
                    if (s->p + 1 < s->end && s->p[1] == '"') {
                        *out++ = '"';
                        s->p += 2;
                        continue;
                    }
                    s->p++;
                    break;
                }
                if (*s->p == '\n') s->line++;
                *out++ = *s->p++;
            }
            if (s->p < s->end && *s->p != ',' && *s->p != '\n' && !(*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n')) {
                err = "text after a closing quote (write \"\" for a quote inside a quoted field)";
                break;
            }
        } else {
            while (s->p < s->end && *s->p != ',' && *s->p != '\n' && !(*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n')) {
                if (*s->p == '"') {
                    err = "a quote inside an unquoted field (quote the whole field)";
                    break;
                }
                *out++ = *s->p++;
            }
            if (err) break;
        }
        *out++ = 0;
        f[(*nf)++] = s->scratch;
        s->scratch = out;
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end) { /* line end */
            s->p += *s->p == '\r' ? 2 : 1;
            s->line++;
        }
        return 1;
    }
    snprintf(msg, mn, "%s", err);
    while (s->p < s->end && *s->p != '\n') s->p++;
    if (s->p < s->end) {
        s->p++;
        s->line++;
    }
    return -1;
}

enum { C_REF, C_QTYPE, C_ATTR, C_OP, C_VALUE, C_PURPOSE, C_PSIZE, C_PNUM, C_LOCALE, C_TS, C_N };
static const char *const columns[C_N] = {"reference_id", "query_type", "attribute",   "operator", "value",
                                         "purpose",      "page_size",  "page_number", "locale",   "timestamp"};

static const char *col(const char *const *f, const int *pos, int c) { return pos[c] >= 0 ? f[pos[c]] : ""; }
static json_t *predicate(const char *attr, const char *op, const char *val);

/* One csv row -> a search_request item, or a line error. */
static json_t *csv_item(arena *a, const char *const *f, const int *pos, int64_t line, const char *dts, json_t *seen) {
    const char *ref = col(f, pos, C_REF), *qt = col(f, pos, C_QTYPE), *attr = col(f, pos, C_ATTR), *op = col(f, pos, C_OP),
               *val = col(f, pos, C_VALUE), *ts = col(f, pos, C_TS), *loc = col(f, pos, C_LOCALE);
    if (!dci_id_ok(ref)) return line_error(NULL, line, dts, "rjct.reference_id.invalid", "reference_id must be 1-99 characters");
    if (json_object_get(seen, ref))
        return line_error(NULL, line, dts, "rjct.reference_id.duplicate", "reference_id \"%s\" already used on line %lld", ref,
                          (long long)json_integer_value(json_object_get(seen, ref)));
    json_object_set_new(seen, ref, json_integer(line));
    int64_t us;
    if (*ts && !ts_parse(ts, &us))
        return line_error(ref, line, dts, "rjct.timestamp.invalid", "timestamp \"%.40s\" is not an RFC 3339 date-time with a time zone", ts);
    if (*loc && !locale_ok(loc)) return line_error(ref, line, dts, "rjct.search_criteria.invalid", "locale must be three lower-case letters");
    json_t *query = NULL;
    if (strcmp(qt, "idtype-value") == 0) {
        if (!*attr) return line_error(ref, line, dts, "rjct.search_criteria.invalid", "idtype-value needs attribute (UIN or OPENPES)");
        query = json_pack("{s:s, s:s}", "type", attr, "value", val);
    } else if (strcmp(qt, "predicate") == 0) {
        if (!*attr) return line_error(ref, line, dts, "rjct.filter.invalid", "predicate needs attribute");
        query = predicate(attr, op, val);
    } else if (strcmp(qt, "expression") == 0) {
        json_t *e = json_loads(val, 0, NULL);
        if (!json_is_object(e)) {
            json_decref(e);
            return line_error(ref, line, dts, "rjct.filter.invalid", "the expression in value is not a JSON object");
        }
        query = json_pack("{s:s, s:{s:o}}", "type", "ns:org:QueryType:expression", "value", "expression", e);
    } else {
        return line_error(ref, line, dts, "rjct.search_criteria.invalid", "query_type \"%.40s\" is not idtype-value, predicate or expression",
                          qt);
    }
    json_t *crit = json_pack("{s:s, s:s, s:o}", "reg_type", "ns:org:RegistryType:ESS", "query_type", qt, "query", query);
    const char *ps = col(f, pos, C_PSIZE), *pn = col(f, pos, C_PNUM), *purpose = col(f, pos, C_PURPOSE);
    long long size = 0, number = 1;
    if ((*ps && !int_in(ps, 1000, &size)) || (*pn && !int_in(pn, 1000000, &number))) {
        json_decref(crit);
        return line_error(ref, line, dts, "rjct.pagination.invalid", "page_size must be 1-1000 and page_number at least 1");
    }
    if (*ps || *pn)
        json_object_set_new(crit, "pagination", json_pack("{s:I, s:I}", "page_size", (json_int_t)(size ? size : 20), "page_number",
                                                          (json_int_t)number));
    if (*purpose) json_object_set_new(crit, "authorize", json_pack("{s:{s:s}}", "purpose", "code", purpose));
    json_t *it = json_pack("{s:s, s:s, s:o}", "reference_id", ref, "timestamp", *ts ? ts : dts, "search_criteria", crit);
    if (*loc) json_object_set_new(it, "locale", json_string(loc));
    (void)a;
    return it;
}

/* ---- subscribe rows ---- */

enum { S_REF, S_EVENT, S_FTYPE, S_ATTR, S_OP, S_VALUE, S_PURPOSE, S_FREQ, S_START, S_END, S_LOCALE, S_TS, S_N };
static const char *const sub_columns[S_N] = {"reference_id", "reg_event_type", "filter_type", "attribute",  "operator", "value",
                                             "purpose",      "frequency",      "start_time",  "end_time",   "locale",   "timestamp"};

/* predicate "attribute operator value" (in: values separated by |) */
static json_t *predicate(const char *attr, const char *op, const char *val) {
    const char *o = *op ? op : "eq";
    json_t *v;
    if (strcmp(o, "in") == 0) {
        v = json_array();
        for (const char *p = val;;) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            json_array_append_new(v, json_stringn(p, n));
            if (!bar) break;
            p = bar + 1;
        }
    } else {
        v = json_string(val);
    }
    return json_pack("[{s:i, s:{s:s, s:s, s:o}}]", "seq_num", 1, "expression1", "attribute_name", attr, "operator", o, "attribute_value", v);
}

/* One csv row of a subscribe file -> a subscribe_request item, or a line error. */
static json_t *csv_sub_item(const char *const *f, const int *pos, int64_t line, const char *dts, json_t *seen) {
    const char *ref = col(f, pos, S_REF), *et = col(f, pos, S_EVENT), *ft = col(f, pos, S_FTYPE), *attr = col(f, pos, S_ATTR),
               *op = col(f, pos, S_OP), *val = col(f, pos, S_VALUE), *ts = col(f, pos, S_TS), *loc = col(f, pos, S_LOCALE),
               *purpose = col(f, pos, S_PURPOSE), *freq = col(f, pos, S_FREQ), *from = col(f, pos, S_START), *to = col(f, pos, S_END);
    if (!dci_id_ok(ref)) return line_error(NULL, line, dts, "rjct.reference_id.invalid", "reference_id must be 1-99 characters");
    if (json_object_get(seen, ref))
        return line_error(NULL, line, dts, "rjct.reference_id.duplicate", "reference_id \"%s\" already used on line %lld", ref,
                          (long long)json_integer_value(json_object_get(seen, ref)));
    json_object_set_new(seen, ref, json_integer(line));
    int64_t us;
    if (*ts && !ts_parse(ts, &us))
        return line_error(ref, line, dts, "rjct.timestamp.invalid", "timestamp \"%.40s\" is not an RFC 3339 date-time with a time zone", ts);
    if (*loc && !locale_ok(loc)) return line_error(ref, line, dts, "rjct.notify_details.invalid", "locale must be three lower-case letters");
    const char *t = *ft ? ft : "predicate";
    json_t *filter;
    if (strcmp(t, "idtype-value") == 0) {
        filter = json_pack("{s:s, s:s}", "type", attr, "value", val);
    } else if (strcmp(t, "predicate") == 0) {
        if (!*attr) return line_error(ref, line, dts, "rjct.notify_details.invalid", "a predicate filter needs attribute");
        filter = predicate(attr, op, val);
    } else if (strcmp(t, "expression") == 0) {
        json_t *e = json_loads(val, 0, NULL);
        if (!json_is_object(e)) {
            json_decref(e);
            return line_error(ref, line, dts, "rjct.notify_details.invalid", "the expression in value is not a JSON object");
        }
        filter = json_pack("{s:s, s:{s:o}}", "type", "ns:org:QueryType:expression", "value", "expression", e);
    } else {
        return line_error(ref, line, dts, "rjct.notify_details.invalid", "filter_type \"%.40s\" is not idtype-value, predicate or expression", t);
    }
    json_t *crit = json_pack("{s:s, s:s, s:s, s:s, s:o}", "reg_type", "ns:org:RegistryType:ESS", "reg_event_type", et, "notify_record_type",
                             "Member", "filter_type", t, "filter", filter);
    if (*freq || *from || *to) {
        json_t *fq = json_object();
        if (*from) json_object_set_new(fq, "start_time", json_string(from));
        if (*to) json_object_set_new(fq, "end_time", json_string(to));
        if (*freq) json_object_set_new(fq, "frequency", json_string(freq));
        json_object_set_new(crit, "frequency", fq);
    }
    if (*purpose) json_object_set_new(crit, "authorize", json_pack("{s:{s:s}}", "purpose", "code", purpose));
    json_t *it = json_pack("{s:s, s:s, s:o}", "reference_id", ref, "timestamp", *ts ? ts : dts, "subscribe_criteria", crit);
    if (*loc) json_object_set_new(it, "locale", json_string(loc));
    return it;
}

/* ---- txn-status rows ---- */

enum { T_REF, T_TYPE, T_ATYPE, T_AVALUE, T_N };
static const char *const status_columns[T_N] = {"reference_id", "txn_type", "attribute_type", "attribute_value"};

static json_t *csv_status_item(const char *const *f, const int *pos, int64_t line, const char *dts, json_t *seen) {
    const char *ref = col(f, pos, T_REF), *tt = col(f, pos, T_TYPE);
    if (!dci_id_ok(ref)) return line_error(NULL, line, dts, "rjct.reference_id.invalid", "reference_id must be 1-99 characters");
    if (json_object_get(seen, ref))
        return line_error(NULL, line, dts, "rjct.reference_id.duplicate", "reference_id \"%s\" already used on line %lld", ref,
                          (long long)json_integer_value(json_object_get(seen, ref)));
    json_object_set_new(seen, ref, json_integer(line));
    return json_pack("{s:s, s:s, s:s, s:s}", "reference_id", ref, "txn_type", *tt ? tt : "search", "attribute_type", col(f, pos, T_ATYPE),
                     "attribute_value", col(f, pos, T_AVALUE));
}

/* ---- the csv file of each kind ---- */

struct csv_kind {
    const char *const *cols;
    int ncols;
    const int *required; /* column indexes, -1 terminated */
    const char *required_text, *columns_hint;
};
static const int search_req[] = {C_REF, C_QTYPE, C_VALUE, -1}, sub_req[] = {S_REF, S_EVENT, -1}, unsub_req[] = {0, -1},
                 status_req[] = {T_REF, T_ATYPE, T_AVALUE, -1};
static const char *const unsub_columns[] = {"subscription_code"};
static const struct csv_kind csv_kinds[] = {
    [DCI_BATCH_SEARCH] = {columns, C_N, search_req, "reference_id, query_type and value",
                          "columns: reference_id, query_type, value (required), attribute, operator, purpose, page_size, page_number, locale, "
                          "timestamp"},
    [DCI_BATCH_SUBSCRIBE] = {sub_columns, S_N, sub_req, "reference_id and reg_event_type",
                             "columns: reference_id, reg_event_type (required), filter_type, attribute, operator, value, purpose, frequency, "
                             "start_time, end_time, locale, timestamp"},
    [DCI_BATCH_UNSUBSCRIBE] = {unsub_columns, 1, unsub_req, "subscription_code", "one column: subscription_code"},
    [DCI_BATCH_STATUS] = {status_columns, T_N, status_req, "reference_id, attribute_type and attribute_value",
                          "columns: reference_id, attribute_type, attribute_value (required), txn_type"},
};

static bool csv_items(arena *a, enum dci_batch_kind kind, const char *data, size_t len, const char *dts, json_t *items, int64_t *bad,
                      char *detail, size_t dn, const char **hint) {
    const struct csv_kind *k = &csv_kinds[kind];
    struct csv s = {data, data + len, 1, arena_alloc(a, 2 * len + 2 * DCI_CSV_MAX_FIELDS + 2)};
    const char *f[DCI_CSV_MAX_FIELDS];
    int nf, pos[16];
    int64_t line;
    char msg[200];
    int r = csv_record(&s, f, &nf, &line, msg, sizeof msg);
    if (r <= 0) {
        snprintf(detail, dn, r == 0 ? "the csv file is empty" : "the header row (line %lld) cannot be read: %s", (long long)line, msg);
        *hint = arena_printf(a, "start the file with a header row naming the columns (docs/DCI.md); %s", k->columns_hint);
        return false;
    }
    for (int c = 0; c < k->ncols; c++) pos[c] = -1;
    for (int i = 0; i < nf; i++) {
        int c = 0;
        while (c < k->ncols && strcmp(f[i], k->cols[c]) != 0) c++;
        *hint = k->columns_hint;
        if (c == k->ncols) {
            snprintf(detail, dn, "line %lld: unknown column \"%.40s\"", (long long)line, f[i]);
            return false;
        }
        if (pos[c] >= 0) {
            snprintf(detail, dn, "line %lld: column \"%s\" appears twice", (long long)line, f[i]);
            return false;
        }
        pos[c] = i;
    }
    for (const int *q = k->required; *q >= 0; q++)
        if (pos[*q] < 0) {
            snprintf(detail, dn, "the header row needs the columns %s", k->required_text);
            return false;
        }
    int ncols = nf;
    json_t *seen = jx_arena(a, json_object());
    while ((r = csv_record(&s, f, &nf, &line, msg, sizeof msg)) != 0) {
        if (json_array_size(items) == DCI_BATCH_ITEMS_MAX) {
            snprintf(detail, dn, "the file holds more than %d requests", DCI_BATCH_ITEMS_MAX);
            *hint = "split it into several files";
            return false;
        }
        const char *code = kind == DCI_BATCH_SUBSCRIBE ? "rjct.notify_details.invalid" : "rjct.search_criteria.invalid";
        json_t *it;
        if (r < 0) it = line_error(NULL, line, dts, code, "%s", msg);
        else if (nf != ncols) it = line_error(NULL, line, dts, code, "%d fields, the header has %d", nf, ncols);
        else if (kind == DCI_BATCH_SEARCH) it = csv_item(a, f, pos, line, dts, seen);
        else if (kind == DCI_BATCH_SUBSCRIBE) it = csv_sub_item(f, pos, line, dts, seen);
        else if (kind == DCI_BATCH_STATUS) it = csv_status_item(f, pos, line, dts, seen);
        else it = dci_id_ok(f[pos[0]]) ? json_string(f[pos[0]]) : line_error(NULL, line, dts, code, "a subscription code is 1-99 characters");
        if (json_object_get(it, DCI_LINE_ERROR) && kind == DCI_BATCH_UNSUBSCRIBE) {
            snprintf(detail, dn, "%s", json_string_value(json_object_get(json_object_get(it, DCI_LINE_ERROR), "message")));
            *hint = "one subscription code (1-99 characters) a line";
            json_decref(it);
            return false;
        }
        *bad += json_object_get(it, DCI_LINE_ERROR) != NULL;
        json_array_append_new(items, it);
    }
    return true;
}

/* ---- jsonl: one search_request item (a JSON object) a line ---- */

static const char *paging_bad(const json_t *pg) {
    const json_t *ps = json_object_get(pg, "page_size"), *pn = json_object_get(pg, "page_number");
    if ((ps && (!json_is_integer(ps) || json_integer_value(ps) < 1)) || (pn && (!json_is_integer(pn) || json_integer_value(pn) < 1)))
        return "page_size and page_number must be integers of at least 1";
    return NULL;
}

/* jsonl: one item a line - a search_request / subscribe_request / txnstatus_request object, or an
 * unsubscribe file's subscription code (a JSON string, or {"subscription_code": "..."}). */
static bool jsonl_items(arena *a, enum dci_batch_kind kind, const char *data, size_t len, const char *dts, json_t *items, int64_t *bad,
                        char *detail, size_t dn, const char **hint) {
    const char *badcode = kind == DCI_BATCH_SUBSCRIBE ? "rjct.notify_details.invalid" : "rjct.search_criteria.invalid";
    json_t *seen = jx_arena(a, json_object());
    int64_t line = 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *cur = p;
        p += n + (nl ? 1 : 0);
        line++;
        if (n && cur[n - 1] == '\r') n--;
        if (strspn(cur, " \t") >= n) continue; /* blank */
        if (json_array_size(items) == DCI_BATCH_ITEMS_MAX) {
            snprintf(detail, dn, "the file holds more than %d requests", DCI_BATCH_ITEMS_MAX);
            *hint = "split it into several files";
            return false;
        }
        json_error_t je;
        json_t *it = json_loadb(cur, n, JSON_DECODE_ANY, &je), *out = NULL;
        if (kind == DCI_BATCH_UNSUBSCRIBE) {
            const char *code = json_is_string(it) ? json_string_value(it) : json_string_value(json_object_get(it, "subscription_code"));
            if (!dci_id_ok(code)) {
                json_decref(it);
                snprintf(detail, dn, "line %lld: not a subscription code of 1-99 characters", (long long)line);
                *hint = "one subscription code a line: \"sub-...\" or {\"subscription_code\": \"sub-...\"}";
                return false;
            }
            json_array_append_new(items, json_string(code));
            json_decref(it);
            continue;
        }
        const char *ref = json_string_value(json_object_get(it, "reference_id"));
        const char *loc = json_string_value(json_object_get(it, "locale"));
        const json_t *lv = json_object_get(it, "locale");
        const char *pb = kind == DCI_BATCH_SEARCH ? paging_bad(json_object_get(it, "pagination")) : NULL;
        if (!pb && kind == DCI_BATCH_SEARCH) pb = paging_bad(json_object_get(json_object_get(it, "search_criteria"), "pagination"));
        if (!json_is_object(it))
            out = line_error(NULL, line, dts, badcode, "not a JSON object (%s)", it ? "another JSON value" : je.text);
        else if (!dci_id_ok(ref))
            out = line_error(NULL, line, dts, "rjct.reference_id.invalid", "reference_id must be a string of 1-99 characters");
        else if (json_object_get(seen, ref))
            out = line_error(NULL, line, dts, "rjct.reference_id.duplicate", "reference_id \"%s\" already used on line %lld", ref,
                             (long long)json_integer_value(json_object_get(seen, ref)));
        else if (lv && !json_is_null(lv) && (!loc || !locale_ok(loc)))
            out = line_error(ref, line, dts, badcode, "locale must be three lower-case letters");
        else if (pb)
            out = line_error(ref, line, dts, "rjct.pagination.invalid", "%s", pb);
        if (ref && !out) json_object_set_new(seen, ref, json_integer(line));
        if (!out) {
            json_object_del(it, DCI_LINE_ERROR);
            if (!json_object_get(it, "timestamp") && kind != DCI_BATCH_STATUS) json_object_set_new(it, "timestamp", json_string(dts));
            out = json_incref(it);
        }
        json_decref(it);
        *bad += json_object_get(out, DCI_LINE_ERROR) != NULL;
        json_array_append_new(items, out);
    }
    (void)a;
    return true;
}

bool dci_batch_items(arena *a, enum dci_batch_kind kind, const char *format, const char *data, size_t len, const char *default_ts,
                     json_t **items, int64_t *bad_lines, char *detail, size_t dn, const char **hint) {
    *items = jx_arena(a, json_array());
    *bad_lines = 0;
    *hint = "";
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte order mark */
        data += 3;
        len -= 3;
    }
    size_t off;
    if (!dci_utf8_ok((const unsigned char *)data, len, &off)) {
        snprintf(detail, dn, "line %lld is not UTF-8 text (byte %zu)", (long long)line_of(data, off), off + 1);
        *hint = "send the file as UTF-8 text";
        return false;
    }
    bool ok = strcmp(format, "csv") == 0 ? csv_items(a, kind, data, len, default_ts, *items, bad_lines, detail, dn, hint)
                                         : jsonl_items(a, kind, data, len, default_ts, *items, bad_lines, detail, dn, hint);
    if (ok && json_array_size(*items) == 0) {
        snprintf(detail, dn, "the file holds no requests");
        *hint = "one search request a line (docs/DCI.md)";
        return false;
    }
    return ok;
}

