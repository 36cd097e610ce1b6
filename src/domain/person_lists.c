/* person_lists.c - validation of the profile parts kept in persons.profile: qualifications,
 * work history, skills and preferences.  Each is rebuilt canonically (every key present, null when
 * absent) so that stored documents compare equal exactly when their content is equal. */
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "domain/isco.h"
#include "domain/person_int.h"

static const char *const PERIOD[] = {"hour", "month", "year", NULL};

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
        if (!json_is_object(it)) return pv_bad(c, NULL, path, NULL, "must be an object");
        if ((rc = jx_only(it, keys, path, &c->err))) return rc;
        const char *name, *issuer, *on;
        if ((rc = pv_text(c, it, path, "name", true, PV_TEXT_MAX, &name)) ||
            (rc = pv_text(c, it, path, "issuer", false, PV_TEXT_MAX, &issuer)) ||
            (rc = pv_date(c, it, path, "obtained_on", false, true, &on)))
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
        if (!json_is_object(it)) return pv_bad(c, NULL, path, NULL, "must be an object");
        if ((rc = jx_only(it, keys, path, &c->err))) return rc;
        const char *emp, *occ, *title, *start, *end;
        if ((rc = pv_text(c, it, path, "employer", true, PV_TEXT_MAX, &emp)) ||
            (rc = pv_text(c, it, path, "occupation", false, 4, &occ)) ||
            (rc = pv_text(c, it, path, "title", false, PV_TEXT_MAX, &title)) ||
            (rc = pv_date(c, it, path, "start_date", false, true, &start)) ||
            (rc = pv_date(c, it, path, "end_date", false, false, &end)))
            return rc;
        if (occ && !isco_unit_exists(occ))
            return pv_bad(c, path, "occupation", "use a 4-digit ISCO-08 unit group code, e.g. 2512",
                       "is not an ISCO-08 unit group");
        if (start && end && strcmp(end, start) < 0)
            return pv_bad(c, path, "end_date", NULL, "is before start_date");
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
        rc = pv_text(c, wrap, NULL, path, true, PV_NAME_MAX, &s);
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
    op_code rc = pv_object(c, doc, "preferences", keys, &o);
    if (rc) return rc;
    if (o) {
        if ((rc = code_list(c, o, "occupations", isco_unit_exists,
                            "use 4-digit ISCO-08 unit group codes, e.g. 2512", &occ)) ||
            (rc = code_list(c, o, "regions", pv_region_code, "use region codes like KR-11", &reg)) ||
            (rc = pv_at(&c->err, "preferences",
                        jx_int(o, "salary_min", false, 0, 1000000000000LL, &smin, &has_smin, &c->err))) ||
            (rc = pv_enum(c, o, "preferences", "salary_period", PERIOD, &period)) ||
            (rc = pv_at(&c->err, "preferences",
                        jx_int(o, "hours_per_week_max", false, 1, 168, &hours, &has_hours, &c->err))))
            goto out;
        if (has_smin && !period) {
            rc = pv_bad(c, "preferences", "salary_period", "hour, month or year",
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

op_code pv_profile(ctx *c, const json_t *doc, struct pdata *p) {
    op_code rc;
    if ((rc = qualifications(c, doc, &p->qualifications)) || (rc = work_history(c, doc, &p->work_history)) ||
        (rc = skills(c, doc, &p->skills)) || (rc = preferences(c, doc, &p->preferences)))
        return rc;
    return OP_OK;
}
