/* person_validate.c - validation of person documents (create bodies and merged updates).
 *
 * Every field is checked for type, length and format; unknown keys are refused at any depth
 * (validation.unknown_field naming the path, e.g. "contact.fax"); read-only keys (id,
 * national_id_masked, registration, created_at, updated_at) are refused with a clear message.
 * Optional strings are trimmed; an empty string means "absent".  The result is a struct pdata
 * whose list/object parts are rebuilt canonically (every key present), so that comparing two
 * documents detects real changes only. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/isco.h"
#include "domain/person_int.h"

#define NAME_MAX_BYTES 100
#define TEXT_MAX_BYTES 200

static const char *const SEX[] = {"male", "female", "other", "unknown", NULL};
static const char *const EDU[] = {"none", "primary", "lower_secondary", "upper_secondary",
                                  "post_secondary", "short_tertiary", "bachelor", "master",
                                  "doctorate", NULL};
static const char *const PERIOD[] = {"hour", "month", "year", NULL};

static const char *const TOP_KEYS[] = {
    "national_id", "given_name", "family_name", "birth_date", "sex", "nationality", "contact",
    "address", "education", "qualifications", "work_history", "skills", "preferences",
    "disability", "version", "id", "national_id_masked", "registration", "created_at",
    "updated_at", NULL};
static const char *const READ_ONLY[] = {"id", "national_id_masked", "registration", "created_at",
                                        "updated_at", NULL};

op_code pv_at(op_err *e, const char *prefix, op_code rc) {
    if (rc == OP_OK || !e || !prefix || !*prefix || !e->field[0]) return rc;
    char key[sizeof e->field], full[sizeof e->field], quoted[sizeof e->field + 2];
    snprintf(key, sizeof key, "%s", e->field);
    snprintf(full, sizeof full, "%s.%s", prefix, key);
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    char *p = strstr(e->detail, quoted);
    if (p) {
        char tmp[sizeof e->detail];
        snprintf(tmp, sizeof tmp, "%.*s\"%s\"%s", (int)(p - e->detail), e->detail, full,
                 p + strlen(quoted));
        snprintf(e->detail, sizeof e->detail, "%s", tmp);
    }
    snprintf(e->field, sizeof e->field, "%s", full);
    return rc;
}

static op_code bad(ctx *c, const char *prefix, const char *key, const char *hint, const char *what) {
    char f[96];
    snprintf(f, sizeof f, "%s%s%s", prefix && *prefix ? prefix : "", prefix && *prefix ? "." : "", key);
    return op_fail_field(&c->err, OP_VALIDATION, f, hint, "field \"%s\" %s", f, what);
}

/* A string field: trimmed, no control characters, 1..max bytes; "" and null are absent. */
static op_code text(ctx *c, const json_t *o, const char *prefix, const char *key, bool required,
                    size_t max, const char **out) {
    const char *s;
    *out = NULL;
    op_code rc = jx_str(o, key, false, 0, &s, &c->err);
    if (rc) return pv_at(&c->err, prefix, rc);
    if (s) {
        while (*s == ' ' || *s == '\t') s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return bad(c, prefix, key, NULL, "contains a control character");
        if (n > max) {
            char what[64];
            snprintf(what, sizeof what, "is longer than %zu bytes", max);
            return bad(c, prefix, key, NULL, what);
        }
        if (n) *out = arena_strndup(c->a, s, n);
    }
    if (required && !*out) return bad(c, prefix, key, NULL, "is required");
    return OP_OK;
}

/* A date field, optionally not after today. */
static op_code date(ctx *c, const json_t *o, const char *prefix, const char *key, bool required,
                    bool past, const char **out) {
    op_code rc = jx_date(o, key, required, out, &c->err);
    if (rc) return pv_at(&c->err, prefix, rc);
    int64_t d;
    if (*out && date_parse(*out, &d)) {
        if (past && d > date_today()) return bad(c, prefix, key, NULL, "must not be in the future");
        if (d < date_days_from_civil(1900, 1, 1)) return bad(c, prefix, key, NULL, "is before 1900");
    }
    return OP_OK;
}

static op_code enumv(ctx *c, const json_t *o, const char *prefix, const char *key,
                     const char *const *vals, const char **out) {
    return pv_at(&c->err, prefix, jx_enum(o, key, false, vals, out, &c->err));
}

static op_code object(ctx *c, const json_t *o, const char *key, const char *const *allowed,
                      json_t **out) {
    op_code rc = jx_object(o, key, false, out, &c->err);
    if (rc || !*out) return rc;
    return jx_only(*out, allowed, key, &c->err);
}

bool pv_region_code(const char *s) {
    if (!s || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]) || s[2] != '-')
        return false;
    size_t n = strlen(s + 3);
    if (n < 1 || n > 3) return false;
    for (size_t i = 3; s[i]; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) return false;
    return true;
}

static bool email_ok(const char *s) {
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || at - s > 64) return false;
    const char *dom = at + 1, *dot = strrchr(dom, '.');
    if (!*dom || !dot || dot == dom || !dot[1] || dom[0] == '.' || strstr(dom, "..")) return false;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>') return false;
    return true;
}

static bool phone_ok(const char *s) {
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p)) digits++;
        else if (*p == '+' ? p != s : !strchr(" -()", *p)) return false;
    }
    return digits >= 7 && digits <= 15;
}

static bool postal_ok(const char *s) {
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != ' ' && *p != '-') return false;
    return true;
}

char *pv_name_key(arena *a, const char *family, const char *given) {
    char *k = arena_printf(a, "%s %s", family ? family : "", given ? given : "");
    char *w = k;
    bool space = true; /* drops leading blanks and collapses runs */
    for (char *r = k; *r; r++) {
        if (*r == ' ' || *r == '\t') {
            if (!space) *w++ = ' ';
            space = true;
        } else {
            *w++ = (char)tolower((unsigned char)*r); /* ASCII only: UTF-8 bytes are >= 0x80 */
            space = false;
        }
    }
    if (w > k && w[-1] == ' ') w--;
    *w = 0;
    return k;
}

/* ---- lists ---- */

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static op_code qualifications(ctx *c, const json_t *doc, json_t **out) {
    json_t *arr;
    static const char *const keys[] = {"name", "issuer", "obtained_on", NULL};
    op_code rc = jx_array(doc, "qualifications", false, PERSON_LIST_MAX, &arr, &c->err);
    *out = jx_arena(c->a, json_array());
    if (rc || !arr) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        char path[48];
        snprintf(path, sizeof path, "qualifications[%zu]", i);
        if (!json_is_object(it)) return bad(c, NULL, path, NULL, "must be an object");
        if ((rc = jx_only(it, keys, path, &c->err))) return rc;
        const char *name, *issuer, *on;
        if ((rc = text(c, it, path, "name", true, TEXT_MAX_BYTES, &name)) ||
            (rc = text(c, it, path, "issuer", false, TEXT_MAX_BYTES, &issuer)) ||
            (rc = date(c, it, path, "obtained_on", false, true, &on)))
            return rc;
        json_array_append_new(*out, json_pack("{s:s, s:o, s:o}", "name", name, "issuer",
                                              str_or_null(issuer), "obtained_on", str_or_null(on)));
    }
    return OP_OK;
}

static op_code work_history(ctx *c, const json_t *doc, json_t **out) {
    json_t *arr;
    static const char *const keys[] = {"employer", "occupation", "title", "start_date", "end_date", NULL};
    op_code rc = jx_array(doc, "work_history", false, PERSON_LIST_MAX, &arr, &c->err);
    *out = jx_arena(c->a, json_array());
    if (rc || !arr) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        char path[48];
        snprintf(path, sizeof path, "work_history[%zu]", i);
        if (!json_is_object(it)) return bad(c, NULL, path, NULL, "must be an object");
        if ((rc = jx_only(it, keys, path, &c->err))) return rc;
        const char *emp, *occ, *title, *start, *end;
        if ((rc = text(c, it, path, "employer", true, TEXT_MAX_BYTES, &emp)) ||
            (rc = text(c, it, path, "occupation", false, 4, &occ)) ||
            (rc = text(c, it, path, "title", false, TEXT_MAX_BYTES, &title)) ||
            (rc = date(c, it, path, "start_date", false, true, &start)) ||
            (rc = date(c, it, path, "end_date", false, false, &end)))
            return rc;
        if (occ && !isco_unit_exists(occ))
            return bad(c, path, "occupation", "use a 4-digit ISCO-08 unit group code, e.g. 2512",
                       "is not an ISCO-08 unit group");
        if (start && end && strcmp(end, start) < 0)
            return bad(c, path, "end_date", NULL, "is before start_date");
        json_array_append_new(*out, json_pack("{s:s, s:o, s:o, s:o, s:o}", "employer", emp,
                                              "occupation", str_or_null(occ), "title",
                                              str_or_null(title), "start_date", str_or_null(start),
                                              "end_date", str_or_null(end)));
    }
    return OP_OK;
}

static op_code skills(ctx *c, const json_t *doc, json_t **out) {
    json_t *arr;
    op_code rc = jx_array(doc, "skills", false, PERSON_LIST_MAX, &arr, &c->err);
    *out = jx_arena(c->a, json_array());
    if (rc || !arr) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        char path[32];
        snprintf(path, sizeof path, "skills[%zu]", i);
        if (!json_is_string(it))
            return op_fail_field(&c->err, OP_VALIDATION, path, NULL, "field \"%s\" must be a string", path);
        json_t *wrap = json_pack("{s:O}", path, it);
        const char *s;
        rc = text(c, wrap, NULL, path, true, NAME_MAX_BYTES, &s);
        json_decref(wrap);
        if (rc) return rc;
        json_array_append_new(*out, json_string(s));
    }
    return OP_OK;
}

/* A list of codes each checked by ok(). */
static op_code code_list(ctx *c, const json_t *o, const char *key, bool (*ok)(const char *),
                         const char *hint, json_t **out) {
    json_t *arr;
    op_code rc = jx_array(o, key, false, PERSON_PREF_MAX, &arr, &c->err);
    *out = json_array();
    if (rc) return pv_at(&c->err, "preferences", rc);
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        if (!json_is_string(it) || !ok(json_string_value(it))) {
            char path[64];
            snprintf(path, sizeof path, "preferences.%s[%zu]", key, i);
            return op_fail_field(&c->err, OP_VALIDATION, path, hint, "field \"%s\" is not a valid code", path);
        }
        json_array_append(*out, it);
    }
    return OP_OK;
}

static op_code preferences(ctx *c, const json_t *doc, json_t **out) {
    static const char *const keys[] = {"occupations", "regions", "salary_min", "salary_period",
                                       "hours_per_week_max", NULL};
    json_t *o, *occ = NULL, *reg = NULL;
    const char *period = NULL;
    int64_t smin = 0, hours = 0;
    bool has_smin = false, has_hours = false;
    *out = NULL;
    op_code rc = object(c, doc, "preferences", keys, &o);
    if (rc) return rc;
    if (o) {
        if ((rc = code_list(c, o, "occupations", isco_unit_exists,
                            "use 4-digit ISCO-08 unit group codes, e.g. 2512", &occ)) ||
            (rc = code_list(c, o, "regions", pv_region_code, "use region codes like KR-11", &reg)) ||
            (rc = pv_at(&c->err, "preferences",
                        jx_int(o, "salary_min", false, 0, 1000000000000LL, &smin, &has_smin, &c->err))) ||
            (rc = enumv(c, o, "preferences", "salary_period", PERIOD, &period)) ||
            (rc = pv_at(&c->err, "preferences",
                        jx_int(o, "hours_per_week_max", false, 1, 168, &hours, &has_hours, &c->err))))
            goto out;
        if (has_smin && !period) {
            rc = bad(c, "preferences", "salary_period", "hour, month or year",
                     "is required when salary_min is given");
            goto out;
        }
    }
    *out = jx_arena(c->a, json_pack("{s:o, s:o, s:o, s:o, s:o}", "occupations", occ ? occ : json_array(),
                                    "regions", reg ? reg : json_array(), "salary_min",
                                    has_smin ? json_integer(smin) : json_null(), "salary_period",
                                    str_or_null(period), "hours_per_week_max",
                                    has_hours ? json_integer(hours) : json_null()));
    return OP_OK;
out:
    json_decref(occ);
    json_decref(reg);
    return rc;
}

/* ---- the document ---- */

op_code pv_document(ctx *c, const json_t *doc, enum pv_mode mode, struct pdata *p, char nid[NID_MAX]) {
    op_code rc;
    if (nid) nid[0] = 0;
    if ((rc = jx_only(doc, TOP_KEYS, "", &c->err))) return rc;
    for (const char *const *k = READ_ONLY; *k; k++)
        if (json_object_get(doc, *k))
            return op_fail_field(&c->err, OP_VALIDATION, *k, "leave out fields the server sets",
                                 "field \"%s\" is read-only", *k);
    if (mode == PV_CREATE && json_object_get(doc, "version"))
        return op_fail_field(&c->err, OP_VALIDATION, "version", "leave out fields the server sets",
                             "field \"version\" is read-only");
    if (mode == PV_CREATE) {
        const char *n;
        json_t *v = json_object_get(doc, "national_id");
        if (v && !json_is_string(v))
            return op_fail_field(&c->err, OP_VALIDATION, "national_id", NULL,
                                 "field \"national_id\" must be a string");
        if ((rc = jx_str(doc, "national_id", true, 32, &n, &c->err))) {
            if (rc == OP_VALIDATION && v) c->err.code = rc = OP_INVALID_NATIONAL_ID;
            return rc;
        }
        if ((rc = nid_normalise(NID_DEFAULT_COUNTRY, n, nid, &c->err))) return rc;
    }
    bool req = true; /* names and birth date are required in every full document */
    json_t *contact, *address, *edu;
    static const char *const ck[] = {"email", "phone", NULL};
    static const char *const ak[] = {"line", "postal_code", "region_code", NULL};
    static const char *const ek[] = {"level", "major", NULL};
    if ((rc = text(c, doc, NULL, "given_name", req, NAME_MAX_BYTES, &p->given_name)) ||
        (rc = text(c, doc, NULL, "family_name", req, NAME_MAX_BYTES, &p->family_name)) ||
        (rc = date(c, doc, NULL, "birth_date", req, true, &p->birth_date)) ||
        (rc = enumv(c, doc, NULL, "sex", SEX, &p->sex)) ||
        (rc = text(c, doc, NULL, "nationality", false, 2, &p->nationality)))
        return rc;
    if (p->nationality && (strlen(p->nationality) != 2 || !isupper((unsigned char)p->nationality[0]) ||
                           !isupper((unsigned char)p->nationality[1])))
        return bad(c, NULL, "nationality", "an ISO 3166-1 alpha-2 code such as KR", "is not a country code");
    if ((rc = object(c, doc, "contact", ck, &contact))) return rc;
    p->email = p->phone = NULL;
    if (contact &&
        ((rc = text(c, contact, "contact", "email", false, 254, &p->email)) ||
         (rc = text(c, contact, "contact", "phone", false, 32, &p->phone))))
        return rc;
    if (p->email && !email_ok(p->email)) return bad(c, "contact", "email", NULL, "is not an e-mail address");
    if (p->phone && !phone_ok(p->phone))
        return bad(c, "contact", "phone", "digits, spaces, -, () and a leading +", "is not a phone number");
    if ((rc = object(c, doc, "address", ak, &address))) return rc;
    p->address_line = p->postal_code = p->region_code = NULL;
    if (address &&
        ((rc = text(c, address, "address", "line", false, TEXT_MAX_BYTES, &p->address_line)) ||
         (rc = text(c, address, "address", "postal_code", false, 16, &p->postal_code)) ||
         (rc = text(c, address, "address", "region_code", false, 6, &p->region_code))))
        return rc;
    if (p->postal_code && !postal_ok(p->postal_code))
        return bad(c, "address", "postal_code", NULL, "may hold only letters, digits, spaces and -");
    if (p->region_code && !pv_region_code(p->region_code))
        return bad(c, "address", "region_code", "an ISO 3166-2 code such as KR-11", "is not a region code");
    if ((rc = object(c, doc, "education", ek, &edu))) return rc;
    p->education_level = p->education_major = NULL;
    if (edu && ((rc = enumv(c, edu, "education", "level", EDU, &p->education_level)) ||
                (rc = text(c, edu, "education", "major", false, NAME_MAX_BYTES, &p->education_major))))
        return rc;
    bool dis = false, has_dis;
    if ((rc = jx_bool(doc, "disability", false, &dis, &has_dis, &c->err))) return rc;
    p->disability = dis;
    if ((rc = qualifications(c, doc, &p->qualifications)) || (rc = work_history(c, doc, &p->work_history)) ||
        (rc = skills(c, doc, &p->skills)) || (rc = preferences(c, doc, &p->preferences)))
        return rc;
    return OP_OK;
}

unsigned pv_touched_groups(const json_t *patch) {
    static const struct {
        const char *key;
        unsigned group;
    } map[] = {
        {"given_name", F_IDENTITY}, {"family_name", F_IDENTITY}, {"birth_date", F_IDENTITY},
        {"sex", F_IDENTITY}, {"nationality", F_IDENTITY}, {"national_id", F_NATIONAL_ID},
        {"contact", F_CONTACT}, {"address", F_ADDRESS}, {"education", F_EDUCATION},
        {"qualifications", F_QUALIFICATIONS}, {"work_history", F_WORK_HISTORY},
        {"skills", F_SKILLS}, {"preferences", F_PREFERENCES}, {"disability", F_DISABILITY},
    };
    unsigned g = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (json_object_get(patch, map[i].key)) g |= map[i].group;
    return g;
}
