/* vacancy.c - vacancy validation, posting, editing, reading. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/vacancy_int.h"

const char *const jobs_contracts[] = {"permanent", "fixed_term", "part_time", "temporary", "daily", "internship", NULL};
const char *const jobs_periods[] = {"hour", "month", "year", NULL};
const char *const jobs_educations[] = {"none",     "middle_school", "high_school", "associate",
                                       "bachelor", "master",        "doctorate",   NULL};
const char *const jobs_sizes[] = {"micro", "small", "medium", "large", NULL};
static const char *const contact_methods[] = {"phone", "email", "online", "visit", "post", NULL};

int jobs_education_rank(const char *e) {
    for (int i = 0; e && jobs_educations[i]; i++)
        if (strcmp(e, jobs_educations[i]) == 0) return i;
    return -1;
}

bool jobs_region_valid(const char *r) {
    static const char *const kr[] = {"11", "26", "27", "28", "29", "30", "31", "36", "41", "42", "43", "44",
                                     "45", "46", "47", "48", "49", "50", "51", "52", NULL};
    size_t n = r ? strlen(r) : 0;
    if (n < 4 || n > 6 || r[2] != '-' || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z') return false;
    for (size_t i = 3; i < n; i++)
        if (!((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= '0' && r[i] <= '9'))) return false;
    if (strncmp(r, "KR", 2) == 0) return jx_in(r + 3, kr);
    return true;
}

int64_t jobs_to_monthly(int64_t amount, const char *period, int64_t hours_per_week) {
    if (strcmp(period, "hour") == 0) return hours_per_week > 0 ? amount * hours_per_week * 209 / 40 : amount * 209;
    if (strcmp(period, "year") == 0) return amount / 12;
    return amount;
}

char *jobs_title_key(arena *a, const char *title) {
    char *n = jobs_norm(a, title), *w = n;
    for (char *p = n; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x80 && !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) continue;
        *w++ = *p;
    }
    *w = 0;
    return n;
}

static op_code int_field(const json_t *in, const char *k, int64_t lo, int64_t hi, int64_t *out, bool *has, op_err *e) {
    return jx_int(in, k, false, lo, hi, out, has, e);
}

static op_code str_array(const json_t *in, const char *k, size_t max, size_t maxlen, json_t **out, op_err *e) {
    json_t *a;
    op_code rc = jx_array(in, k, false, max, &a, e);
    if (rc) return rc;
    *out = a;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s) || json_string_length(s) == 0 || json_string_length(s) > maxlen)
            return op_fail_field(e, OP_VALIDATION, k, NULL, "%s[%zu] must be a string of 1-%zu bytes", k, i, maxlen);
    }
    return OP_OK;
}

op_code jobs_vac_validate(ctx *c, const json_t *in, struct vac *v) {
    static const char *const fields[] = {
        "employer_id", "title",       "description",    "occupation", "region",        "address",   "salary_min",
        "salary_max",  "salary_period", "hours_per_week", "days_per_week", "contract",   "openings",  "education",
        "experience_years", "skills", "languages",      "closing_date", "contact",     "age_min",   "age_max",
        "preferred_sex", "marital_status", "appearance", "source",     "source_ref",    "version",   NULL};
    static const char *const sexes[] = {"any", "male", "female", NULL};
    op_err *e = &c->err;
    memset(v, 0, sizeof *v);
    bool dummy;
    if (jx_only(in, fields, "", e) || jx_str(in, "employer_id", false, 36, &v->employer_id, e) ||
        jx_str(in, "title", true, 200, &v->title, e) || jx_str(in, "description", true, 0, &v->description, e) ||
        jx_str(in, "occupation", true, 4, &v->occupation, e) || jx_str(in, "region", true, 6, &v->region, e) ||
        jx_str(in, "address", false, 300, &v->address, e) ||
        int_field(in, "salary_min", 0, 10000000000LL, &v->salary_min, &v->has_salary_min, e) ||
        int_field(in, "salary_max", 0, 10000000000LL, &v->salary_max, &v->has_salary_max, e) ||
        jx_enum(in, "salary_period", false, jobs_periods, &v->salary_period, e) ||
        int_field(in, "hours_per_week", 1, 80, &v->hours_per_week, &v->has_hours, e) ||
        int_field(in, "days_per_week", 1, 7, &v->days_per_week, &v->has_days, e) ||
        jx_enum(in, "contract", true, jobs_contracts, &v->contract, e) ||
        jx_int(in, "openings", false, 1, 1000, &v->openings, &dummy, e) ||
        jx_enum(in, "education", false, jobs_educations, &v->education, e) ||
        jx_int(in, "experience_years", false, 0, 50, &v->experience_years, &dummy, e) ||
        str_array(in, "skills", 30, 60, &v->skills, e) || str_array(in, "languages", 10, 8, &v->languages, e) ||
        jx_date(in, "closing_date", false, &v->closing_date, e) || jx_object(in, "contact", false, &v->contact, e) ||
        int_field(in, "age_min", 0, 120, &v->age_min, &v->has_age_min, e) ||
        int_field(in, "age_max", 0, 120, &v->age_max, &v->has_age_max, e) ||
        jx_enum(in, "preferred_sex", false, sexes, &v->preferred_sex, e) ||
        jx_str(in, "marital_status", false, 30, &v->marital_status, e) ||
        jx_str(in, "appearance", false, 200, &v->appearance, e) || jx_str(in, "source", false, 60, &v->source, e) ||
        jx_str(in, "source_ref", false, 200, &v->source_ref, e))
        return e->code;
    if (!v->openings) v->openings = 1;
    if (!v->education) v->education = "none";
    size_t dl = strlen(v->description);
    if (dl > JOBS_DESC_MAX)
        return op_fail_field(e, OP_TOO_LARGE, "description", "shorten it to 20,000 bytes or less",
                             "the description is %zu bytes long", dl);
    if (jobs_utf8_len(v->description) < 10)
        return op_fail_field(e, OP_VALIDATION, "description", "describe the job in at least 10 characters",
                             "the description is too short");
    const struct jobs_isco_row *occ = jobs_isco_find(v->occupation);
    if (!occ || occ->level != 4)
        return op_fail_field(e, OP_VALIDATION, "occupation", "an ISCO-08 unit group (4 digits), see GET /api/v1/occupations",
                             "occupation \"%s\" is not an ISCO-08 unit group", v->occupation);
    if (!jobs_region_valid(v->region))
        return op_fail_field(e, OP_VALIDATION, "region", "an ISO 3166-2 code such as KR-11",
                             "region \"%s\" is not known", v->region);
    if ((v->has_salary_min || v->has_salary_max) && !v->salary_period)
        return op_fail_field(e, OP_VALIDATION, "salary_period", "hour, month or year",
                             "salary_period is required with a salary");
    if (v->has_salary_min && v->has_salary_max && v->salary_min > v->salary_max)
        return op_fail_field(e, OP_VALIDATION, "salary_max", "salary_max must be at least salary_min",
                             "the salary range %lld-%lld is inverted", (long long)v->salary_min, (long long)v->salary_max);
    if (v->has_age_min && v->has_age_max && v->age_min > v->age_max)
        return op_fail_field(e, OP_VALIDATION, "age_max", NULL, "the age range is inverted");
    if (v->closing_date) {
        int64_t d;
        date_parse(v->closing_date, &d);
        if (d < date_today())
            return op_fail_field(e, OP_VALIDATION, "closing_date", "today or later",
                                 "closing date %s is in the past", v->closing_date);
        if (d > date_today() + 366)
            return op_fail_field(e, OP_VALIDATION, "closing_date", "at most one year ahead",
                                 "closing date %s is too far ahead", v->closing_date);
    }
    if (v->contact) {
        static const char *const cf[] = {"method", "value", NULL};
        const char *m, *val;
        if (jx_only(v->contact, cf, "contact.", e) || jx_enum(v->contact, "method", true, contact_methods, &m, e) ||
            jx_str(v->contact, "value", false, 200, &val, e)) {
            if (strncmp(e->field, "contact.", 8) != 0) {
                char f[96];
                snprintf(f, sizeof f, "contact.%s", e->field);
                snprintf(e->field, sizeof e->field, "%s", f);
            }
            return e->code;
        }
    }
    if (v->employer_id && !id_is_uuid(v->employer_id))
        return op_fail_field(e, OP_VALIDATION, "employer_id", NULL, "employer_id must be a UUID");
    return OP_OK;
}

op_code jobs_vac_write(ctx *c, const struct vac *v, const char *id, int64_t *num, const char *status,
                       const char *reasons_json, const char *employer_size) {
    char ts[CLOCK_TS_LEN], o1[2], o2[3], o3[4];
    clock_now_ts(ts);
    snprintf(o1, sizeof o1, "%.1s", v->occupation);
    snprintf(o2, sizeof o2, "%.2s", v->occupation);
    snprintf(o3, sizeof o3, "%.3s", v->occupation);
    const char *tn = jobs_norm(c->a, v->title), *tk = jobs_title_key(c->a, v->title);
    json_t *restr = json_object();
    if (v->has_age_min) json_object_set_new(restr, "age_min", json_integer(v->age_min));
    if (v->has_age_max) json_object_set_new(restr, "age_max", json_integer(v->age_max));
    jx_set_str(restr, "preferred_sex", v->preferred_sex);
    jx_set_str(restr, "marital_status", v->marital_status);
    jx_set_str(restr, "appearance", v->appearance);
    jx_arena(c->a, restr);
    const char *rj = json_object_size(restr) ? jx_dump(c->a, restr) : NULL;
    const char *skills = v->skills ? jx_dump(c->a, v->skills) : "[]";
    const char *langs = v->languages ? jx_dump(c->a, v->languages) : "[]";
    const char *contact = v->contact ? jx_dump(c->a, v->contact) : NULL;
    bool pub = strcmp(status, "published") == 0;
    int64_t smm = v->has_salary_min ? jobs_to_monthly(v->salary_min, v->salary_period, v->hours_per_week) : 0;
    int64_t sxm = v->has_salary_max ? jobs_to_monthly(v->salary_max, v->salary_period, v->hours_per_week)
                                    : (v->has_salary_min ? smm : 0);
    /* Bind by hand: optional integers are NULL when absent. */
    const char *sql =
        *num ? "UPDATE vacancies SET status = ?, reasons = ?, title = ?, title_norm = ?, title_key = ?, description = ?,"
               " occupation = ?, occ1 = ?, occ2 = ?, occ3 = ?, region = ?, address = ?, salary_min = ?, salary_max = ?,"
               " salary_period = ?, salary_month_min = ?, salary_month_max = ?, hours_per_week = ?, days_per_week = ?,"
               " contract = ?, openings = ?, education = ?, education_rank = ?, experience_years = ?, skills = ?,"
               " languages = ?, closing_date = ?, contact = ?, restrictions = ?, employer_size = ?, source = ?,"
               " source_ref = ?, updated_at = ?, published_at = CASE WHEN ? = 1 AND status <> 'published' THEN ?"
               " ELSE published_at END, version = version + 1, employer_id = ?"
               " WHERE id = ? RETURNING num"
             : "INSERT INTO vacancies (status, reasons, title, title_norm, title_key, description, occupation, occ1,"
               " occ2, occ3, region, address, salary_min, salary_max, salary_period, salary_month_min, salary_month_max,"
               " hours_per_week, days_per_week, contract, openings, education, education_rank, experience_years,"
               " skills, languages, closing_date, contact, restrictions, employer_size, source, source_ref,"
               " created_at, updated_at, published_at, employer_id, created_by, id)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING num";
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    int i = 1;
    store_bind_text(st, i++, status);
    store_bind_text(st, i++, reasons_json);
    store_bind_text(st, i++, v->title);
    store_bind_text(st, i++, tn);
    store_bind_text(st, i++, tk);
    store_bind_text(st, i++, v->description);
    store_bind_text(st, i++, v->occupation);
    store_bind_text(st, i++, o1);
    store_bind_text(st, i++, o2);
    store_bind_text(st, i++, o3);
    store_bind_text(st, i++, v->region);
    store_bind_text(st, i++, v->address);
    if (v->has_salary_min) store_bind_int(st, i++, v->salary_min); else store_bind_null(st, i++);
    if (v->has_salary_max) store_bind_int(st, i++, v->salary_max); else store_bind_null(st, i++);
    store_bind_text(st, i++, v->salary_period);
    if (v->has_salary_min || v->has_salary_max) store_bind_int(st, i++, v->has_salary_min ? smm : sxm); else store_bind_null(st, i++);
    if (v->has_salary_min || v->has_salary_max) store_bind_int(st, i++, sxm); else store_bind_null(st, i++);
    if (v->has_hours) store_bind_int(st, i++, v->hours_per_week); else store_bind_null(st, i++);
    if (v->has_days) store_bind_int(st, i++, v->days_per_week); else store_bind_null(st, i++);
    store_bind_text(st, i++, v->contract);
    store_bind_int(st, i++, v->openings);
    store_bind_text(st, i++, v->education);
    store_bind_int(st, i++, jobs_education_rank(v->education));
    store_bind_int(st, i++, v->experience_years);
    store_bind_text(st, i++, skills);
    store_bind_text(st, i++, langs);
    store_bind_text(st, i++, v->closing_date);
    store_bind_text(st, i++, contact);
    store_bind_text(st, i++, rj);
    store_bind_text(st, i++, employer_size);
    store_bind_text(st, i++, v->source);
    store_bind_text(st, i++, v->source_ref);
    if (*num) {
        store_bind_text(st, i++, ts);
        store_bind_int(st, i++, pub);
        store_bind_text(st, i++, ts);
        store_bind_text(st, i++, v->employer_id);
        store_bind_text(st, i++, id);
    } else {
        store_bind_text(st, i++, ts);
        store_bind_text(st, i++, ts);
        store_bind_text(st, i++, pub ? ts : NULL);
        store_bind_text(st, i++, v->employer_id);
        store_bind_text(st, i++, c->who.id);
        store_bind_text(st, i++, id);
    }
    int r = store_step(st, &c->err);
    if (r == STORE_ROW) *num = store_col_int(st, 0);
    store_reset(st);
    if (r == STORE_ERROR) {
        if (c->err.code == OP_DUPLICATE)
            return op_fail_field(&c->err, OP_DUPLICATE, "source_ref", NULL,
                                 "a vacancy from source \"%s\" with reference \"%s\" already exists",
                                 v->source ? v->source : "", v->source_ref ? v->source_ref : "");
        return c->err.code;
    }
    if (r != STORE_ROW) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    if (pub) return jobs_index_put(c, *num, v->title, v->description);
    return jobs_index_drop(c, *num);
}
