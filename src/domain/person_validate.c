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
#include "domain/person_int.h"

static const char *const SEX[] = {"male", "female", "other", "unknown", NULL};
static const char *const EDU[] = {"none", "primary", "lower_secondary", "upper_secondary",
                                  "post_secondary", "short_tertiary", "bachelor", "master",
                                  "doctorate", NULL};

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

op_code pv_bad(ctx *c, const char *prefix, const char *key, const char *hint, const char *what) {
    char f[96];
    snprintf(f, sizeof f, "%s%s%s", prefix && *prefix ? prefix : "", prefix && *prefix ? "." : "", key);
    return op_fail_field(&c->err, OP_VALIDATION, f, hint, "field \"%s\" %s", f, what);
}

/* A string field: trimmed, no control characters, 1..max bytes; "" and null are absent. */
op_code pv_text(ctx *c, const json_t *o, const char *prefix, const char *key, bool required,
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
                return pv_bad(c, prefix, key, NULL, "contains a control character");
        if (n > max) {
            char what[64];
            snprintf(what, sizeof what, "is longer than %zu bytes", max);
            return pv_bad(c, prefix, key, NULL, what);
        }
        if (n) *out = arena_strndup(c->a, s, n);
    }
    if (required && !*out) return pv_bad(c, prefix, key, NULL, "is required");
    return OP_OK;
}

/* A date field, optionally not after today. */
op_code pv_date(ctx *c, const json_t *o, const char *prefix, const char *key, bool required,
                    bool past, const char **out) {
    op_code rc = jx_date(o, key, required, out, &c->err);
    if (rc) return pv_at(&c->err, prefix, rc);
    int64_t d;
    if (*out && date_parse(*out, &d)) {
        if (past && d > date_today()) return pv_bad(c, prefix, key, NULL, "must not be in the future");
        if (d < date_days_from_civil(1900, 1, 1)) return pv_bad(c, prefix, key, NULL, "is before 1900");
    }
    return OP_OK;
}

op_code pv_enum(ctx *c, const json_t *o, const char *prefix, const char *key,
                     const char *const *vals, const char **out) {
    return pv_at(&c->err, prefix, jx_enum(o, key, false, vals, out, &c->err));
}

op_code pv_object(ctx *c, const json_t *o, const char *key, const char *const *allowed,
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
    if ((rc = pv_text(c, doc, NULL, "given_name", req, PV_NAME_MAX, &p->given_name)) ||
        (rc = pv_text(c, doc, NULL, "family_name", req, PV_NAME_MAX, &p->family_name)) ||
        (rc = pv_date(c, doc, NULL, "birth_date", req, true, &p->birth_date)) ||
        (rc = pv_enum(c, doc, NULL, "sex", SEX, &p->sex)) ||
        (rc = pv_text(c, doc, NULL, "nationality", false, 2, &p->nationality)))
        return rc;
    if (p->nationality && (strlen(p->nationality) != 2 || !isupper((unsigned char)p->nationality[0]) ||
                           !isupper((unsigned char)p->nationality[1])))
        return pv_bad(c, NULL, "nationality", "an ISO 3166-1 alpha-2 code such as KR", "is not a country code");
    if ((rc = pv_object(c, doc, "contact", ck, &contact))) return rc;
    p->email = p->phone = NULL;
    if (contact &&
        ((rc = pv_text(c, contact, "contact", "email", false, 254, &p->email)) ||
         (rc = pv_text(c, contact, "contact", "phone", false, 32, &p->phone))))
        return rc;
    if (p->email && !email_ok(p->email)) return pv_bad(c, "contact", "email", NULL, "is not an e-mail address");
    if (p->phone && !phone_ok(p->phone))
        return pv_bad(c, "contact", "phone", "digits, spaces, -, () and a leading +", "is not a phone number");
    if ((rc = pv_object(c, doc, "address", ak, &address))) return rc;
    p->address_line = p->postal_code = p->region_code = NULL;
    if (address &&
        ((rc = pv_text(c, address, "address", "line", false, PV_TEXT_MAX, &p->address_line)) ||
         (rc = pv_text(c, address, "address", "postal_code", false, 16, &p->postal_code)) ||
         (rc = pv_text(c, address, "address", "region_code", false, 6, &p->region_code))))
        return rc;
    if (p->postal_code && !postal_ok(p->postal_code))
        return pv_bad(c, "address", "postal_code", NULL, "may hold only letters, digits, spaces and -");
    if (p->region_code && !pv_region_code(p->region_code))
        return pv_bad(c, "address", "region_code", "an ISO 3166-2 code such as KR-11", "is not a region code");
    if ((rc = pv_object(c, doc, "education", ek, &edu))) return rc;
    p->education_level = p->education_major = NULL;
    if (edu && ((rc = pv_enum(c, edu, "education", "level", EDU, &p->education_level)) ||
                (rc = pv_text(c, edu, "education", "major", false, PV_NAME_MAX, &p->education_major))))
        return rc;
    bool dis = false, has_dis;
    if ((rc = jx_bool(doc, "disability", false, &dis, &has_dis, &c->err))) return rc;
    p->disability = dis;
    return pv_profile(c, doc, p);
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
