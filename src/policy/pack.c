/* pack.c - loading and validating policy packs; parameter lookup by date.  See pack.h.
 * The directory and the cache are pack_registry.c. */
#include "policy/pack.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"

#define PACK_MAX_BYTES (4u << 20)
#define HINT "fix the policy pack (format: docs/POLICY.md)"

/* ---- validation ---- */

typedef struct {
    const char *path;
    op_err *e;
} ld;

static op_code bad(ld *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static op_code bad(ld *l, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return op_fail(l->e, OP_INTERNAL, HINT, "%s: %s", l->path, msg);
}

static bool valid_date(const json_t *v, int64_t *d) {
    return json_is_string(v) && date_parse(json_string_value(v), d);
}

static bool is_confidence(const char *s) {
    /* "A", "B", "C" or a slash-separated combination such as "A/B". */
    if (!*s) return false;
    for (size_t i = 0; s[i]; i++) {
        if (i % 2 == 0 && (s[i] < 'A' || s[i] > 'C')) return false;
        if (i % 2 == 1 && s[i] != '/') return false;
    }
    return s[strlen(s) - 1] != '/';
}

static op_code check_programmes(ld *l, json_t *progs) {
    if (!json_is_object(progs) || !json_object_size(progs))
        return bad(l, "\"programmes\" must be a non-empty object");
    const char *name;
    json_t *p;
    json_object_foreach(progs, name, p) {
        static const char *const keys[] = {"title", "valid_from", "valid_to", NULL};
        op_err tmp = {0};
        if (!json_is_object(p)) return bad(l, "programme \"%s\" must be an object", name);
        if (jx_only(p, keys, "", &tmp)) return bad(l, "programme \"%s\": %s", name, tmp.detail);
        int64_t f, t;
        if (!valid_date(json_object_get(p, "valid_from"), &f))
            return bad(l, "programme \"%s\": valid_from must be a YYYY-MM-DD date", name);
        json_t *vt = json_object_get(p, "valid_to");
        if (vt && !json_is_null(vt)) {
            if (!valid_date(vt, &t)) return bad(l, "programme \"%s\": valid_to must be a date or null", name);
            if (t < f) return bad(l, "programme \"%s\": valid_to is before valid_from", name);
        }
    }
    return OP_OK;
}

/* One parameter: definition keys, each dated value, order, overlaps, gaps, coverage. */
static op_code check_param(ld *l, const pol_pack *pk, const char *name, json_t *def) {
    static const char *const keys[] = {"programme", "type", "description", "values", NULL};
    static const char *const vkeys[] = {"valid_from", "valid_to", "value", "source", "confidence", "note", NULL};
    op_err tmp = {0};
    if (!json_is_object(def)) return bad(l, "parameter \"%s\" must be an object", name);
    if (jx_only(def, keys, "", &tmp)) return bad(l, "parameter \"%s\": %s", name, tmp.detail);
    const pol_schema_row *sr = pol_schema_find(pk->country, name);
    if (!sr) return bad(l, "parameter \"%s\" is not known to the %s engine (misspelt?)", name, pk->country);
    json_t *prog = json_object_get(def, "programme"), *type = json_object_get(def, "type");
    if (!json_is_string(prog)) return bad(l, "parameter \"%s\": \"programme\" is missing", name);
    if (strcmp(json_string_value(prog), sr->programme) != 0)
        return bad(l, "parameter \"%s\": programme is \"%s\" but the engine reads it in \"%s\"", name,
                   json_string_value(prog), sr->programme);
    json_t *pdef = json_object_get(pk->programmes, sr->programme);
    if (!pdef) return bad(l, "parameter \"%s\": programme \"%s\" is not declared in \"programmes\"", name, sr->programme);
    if (!json_is_string(type)) return bad(l, "parameter \"%s\": \"type\" is missing", name);
    if (strcmp(json_string_value(type), sr->type) != 0)
        return bad(l, "parameter \"%s\": wrong type \"%s\" (expected \"%s\")", name, json_string_value(type), sr->type);
    json_t *desc = json_object_get(def, "description");
    if (!json_is_string(desc) || !json_string_length(desc))
        return bad(l, "parameter \"%s\": \"description\" must be a non-empty string", name);
    json_t *vals = json_object_get(def, "values");
    if (!json_is_array(vals) || !json_array_size(vals))
        return bad(l, "parameter \"%s\": \"values\" must be a non-empty array", name);
    int64_t prev_from = 0, prev_to = 0;
    bool prev_open = false;
    for (size_t i = 0; i < json_array_size(vals); i++) {
        json_t *v = json_array_get(vals, i);
        if (!json_is_object(v)) return bad(l, "parameter \"%s\": values[%zu] must be an object", name, i);
        if (jx_only(v, vkeys, "", &tmp)) return bad(l, "parameter \"%s\": values[%zu]: %s", name, i, tmp.detail);
        int64_t from, to = 0;
        if (!valid_date(json_object_get(v, "valid_from"), &from))
            return bad(l, "parameter \"%s\": values[%zu]: valid_from must be a YYYY-MM-DD date", name, i);
        json_t *vt = json_object_get(v, "valid_to");
        bool open = !vt || json_is_null(vt);
        if (!open && !valid_date(vt, &to))
            return bad(l, "parameter \"%s\": values[%zu]: valid_to must be a YYYY-MM-DD date or null", name, i);
        if (!open && to < from)
            return bad(l, "parameter \"%s\": values[%zu]: valid_to %s is before valid_from %s", name, i,
                       json_string_value(vt), json_string_value(json_object_get(v, "valid_from")));
        json_t *src = json_object_get(v, "source");
        if (!src) return bad(l, "parameter \"%s\": values[%zu]: missing source (the legal basis)", name, i);
        if (!json_is_string(src) || !json_string_length(src))
            return bad(l, "parameter \"%s\": values[%zu]: source must be a non-empty string", name, i);
        json_t *conf = json_object_get(v, "confidence");
        if (conf && (!json_is_string(conf) || !is_confidence(json_string_value(conf))))
            return bad(l, "parameter \"%s\": values[%zu]: confidence must be A, B, C or a combination like \"A/B\"", name, i);
        json_t *note = json_object_get(v, "note");
        if (note && !json_is_string(note)) return bad(l, "parameter \"%s\": values[%zu]: note must be a string", name, i);
        char why[300];
        if (!pol_type_check(sr->type, json_object_get(v, "value"), why, sizeof why))
            return bad(l, "parameter \"%s\": values[%zu]: %s", name, i, why);
        if (i > 0) {
            char pf[11], pt[11];
            date_format(prev_from, pf);
            if (from <= prev_from)
                return bad(l, "parameter \"%s\": values are not sorted by valid_from (values[%zu] starts %s, not after %s)",
                           name, i, json_string_value(json_object_get(v, "valid_from")), pf);
            if (prev_open)
                return bad(l, "parameter \"%s\": values[%zu] overlaps values[%zu], which is open-ended (valid_to null)", name, i, i - 1);
            date_format(prev_to, pt);
            if (from <= prev_to)
                return bad(l, "parameter \"%s\": values[%zu] (from %s) overlaps values[%zu] (valid to %s)", name, i,
                           json_string_value(json_object_get(v, "valid_from")), i - 1, pt);
            if (from > prev_to + 1) {
                char gs[11], ge[11];
                date_format(prev_to + 1, gs);
                date_format(from - 1, ge);
                return bad(l, "parameter \"%s\": gap in validity from %s to %s between values[%zu] and values[%zu]", name, gs, ge, i - 1, i);
            }
        }
        prev_from = from;
        prev_to = to;
        prev_open = open;
    }
    /* Coverage of the programme's range. */
    int64_t pf, pt = 0;
    valid_date(json_object_get(pdef, "valid_from"), &pf);
    json_t *ptv = json_object_get(pdef, "valid_to");
    bool popen = !ptv || json_is_null(ptv);
    if (!popen) valid_date(ptv, &pt);
    int64_t first;
    valid_date(json_object_get(json_array_get(vals, 0), "valid_from"), &first);
    if (first > pf)
        return bad(l, "parameter \"%s\": starts %s, after programme \"%s\" starts (%s)", name,
                   json_string_value(json_object_get(json_array_get(vals, 0), "valid_from")), sr->programme,
                   json_string_value(json_object_get(pdef, "valid_from")));
    if (!prev_open && (popen || prev_to < pt)) {
        char e1[11];
        date_format(prev_to, e1);
        return bad(l, "parameter \"%s\": ends %s but programme \"%s\" runs %s%s", name, e1, sr->programme,
                   popen ? "open-ended" : "to ", popen ? "" : json_string_value(ptv));
    }
    return OP_OK;
}

static op_code check_pack(ld *l, pol_pack *pk) {
    json_t *r = pk->root;
    static const char *const keys[] = {"format", "country", "currency", "minor_unit_digits", "title", "version",
                                       "notes", "switches", "programmes", "params", NULL};
    op_err tmp = {0};
    if (jx_only(r, keys, "", &tmp)) return bad(l, "%s", tmp.detail);
    json_t *fmt = json_object_get(r, "format");
    if (!json_is_integer(fmt) || json_integer_value(fmt) != 1) return bad(l, "\"format\" must be 1");
    json_t *c = json_object_get(r, "country");
    const char *cs = json_string_value(c);
    if (!cs || strlen(cs) != 2 || !isupper((unsigned char)cs[0]) || !isupper((unsigned char)cs[1]))
        return bad(l, "\"country\" must be an ISO 3166 alpha-2 code such as \"KR\"");
    memcpy(pk->country, cs, 3);
    const char *cur = json_string_value(json_object_get(r, "currency"));
    if (!cur || strlen(cur) != 3 || !isupper((unsigned char)cur[0]) || !isupper((unsigned char)cur[1]) ||
        !isupper((unsigned char)cur[2]))
        return bad(l, "\"currency\" must be an ISO 4217 code such as \"KRW\"");
    memcpy(pk->currency, cur, 4);
    json_t *md = json_object_get(r, "minor_unit_digits");
    if (!json_is_integer(md) || json_integer_value(md) < 0 || json_integer_value(md) > 4)
        return bad(l, "\"minor_unit_digits\" must be an integer from 0 to 4");
    pk->minor_digits = (int)json_integer_value(md);
    pk->programmes = json_object_get(r, "programmes");
    op_code rc = check_programmes(l, pk->programmes);
    if (rc) return rc;
    pk->params = json_object_get(r, "params");
    if (!json_is_object(pk->params)) return bad(l, "\"params\" must be an object");
    const char *name;
    json_t *def;
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%c%c.", tolower((unsigned char)cs[0]), tolower((unsigned char)cs[1]));
    json_object_foreach(pk->params, name, def) {
        if (strncmp(name, prefix, 3) != 0)
            return bad(l, "parameter \"%s\" must start with \"%s\"", name, prefix);
        if ((rc = check_param(l, pk, name, def))) return rc;
    }
    /* Every parameter the engine reads for a declared programme must be there. */
    for (const pol_schema_row *s = pol_schema_rows(); s->name; s++)
        if (!strcmp(s->country, pk->country) && json_object_get(pk->programmes, s->programme) &&
            !json_object_get(pk->params, s->name))
            return bad(l, "missing parameter \"%s\" (type %s), required by programme \"%s\"", s->name, s->type, s->programme);
    pk->switches = json_object_get(r, "switches");
    if (pk->switches && !json_is_object(pk->switches)) return bad(l, "\"switches\" must be an object");
    json_object_foreach(pk->switches, name, def) {
        json_t *pd = json_is_string(def) ? json_object_get(pk->params, json_string_value(def)) : NULL;
        if (!pd) return bad(l, "switch \"%s\" must name a parameter of this pack", name);
        if (strcmp(json_string_value(json_object_get(pd, "type")), "bool") != 0)
            return bad(l, "switch \"%s\" names \"%s\", which is not a bool parameter", name, json_string_value(def));
        if (!strcmp(name, "params")) return bad(l, "a switch may not be called \"params\"");
    }
    return OP_OK;
}

op_code pol_pack_load_file(const char *path, pol_pack **out, op_err *e) {
    *out = NULL;
    ld l = {path, e};
    FILE *f = fopen(path, "rb");
    if (!f) return op_fail(e, OP_POLICY_NOT_FOUND, NULL, "%s: cannot be opened", path);
    char *buf = malloc(PACK_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, PACK_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf) return bad(&l, "out of memory");
    if (n > PACK_MAX_BYTES) {
        free(buf);
        return bad(&l, "larger than %u bytes", PACK_MAX_BYTES);
    }
    json_error_t je;
    json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!root) return bad(&l, "line %d column %d: %s", je.line, je.column, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return bad(&l, "the top level must be a JSON object");
    }
    pol_pack *pk = calloc(1, sizeof *pk);
    if (!pk) {
        json_decref(root);
        return bad(&l, "out of memory");
    }
    pk->root = root;
    snprintf(pk->path, sizeof pk->path, "%s", path);
    op_code rc = check_pack(&l, pk);
    if (rc) {
        pol_pack_free(pk);
        return rc;
    }
    *out = pk;
    return OP_OK;
}

void pol_pack_free(pol_pack *p) {
    if (!p) return;
    json_decref(p->root);
    free(p);
}

/* ---- lookup ---- */

op_code pol_programme_at(const pol_pack *p, const char *programme, int64_t date, op_err *e) {
    json_t *pd = json_object_get(p->programmes, programme);
    char ds[11];
    date_format(date, ds);
    if (!pd)
        return op_fail(e, OP_POLICY_NOT_FOUND, NULL, "the %s pack has no \"%s\" programme", p->country, programme);
    int64_t f, t;
    date_parse(json_string_value(json_object_get(pd, "valid_from")), &f);
    json_t *vt = json_object_get(pd, "valid_to");
    bool open = !vt || json_is_null(vt);
    if (!open) date_parse(json_string_value(vt), &t);
    if (date < f || (!open && date > t))
        return op_fail(e, OP_POLICY_NOT_FOUND, "use a date inside the programme's validity, or add values for it to the pack",
                       "%s is outside the %s \"%s\" programme (valid %s to %s)", ds, p->country, programme,
                       json_string_value(json_object_get(pd, "valid_from")), open ? "open-ended" : json_string_value(vt));
    return OP_OK;
}

const json_t *pol_param_def(const pol_pack *p, const char *name) { return json_object_get(p->params, name); }

bool pol_param_at(const pol_pack *p, const char *name, int64_t date, pol_value *out) {
    json_t *def = json_object_get(p->params, name);
    if (!def) return false;
    json_t *vals = json_object_get(def, "values");
    for (size_t i = 0; i < json_array_size(vals); i++) {
        json_t *v = json_array_get(vals, i);
        int64_t f, t;
        date_parse(json_string_value(json_object_get(v, "valid_from")), &f);
        json_t *vt = json_object_get(v, "valid_to");
        bool open = !vt || json_is_null(vt);
        if (!open) date_parse(json_string_value(vt), &t);
        if (date < f || (!open && date > t)) continue;
        memset(out, 0, sizeof *out);
        out->name = name;
        out->value = json_object_get(v, "value");
        out->source = json_string_value(json_object_get(v, "source"));
        out->confidence = json_string_value(json_object_get(v, "confidence"));
        out->valid_from = json_string_value(json_object_get(v, "valid_from"));
        out->valid_to = open ? NULL : json_string_value(vt);
        return true;
    }
    return false;
}
