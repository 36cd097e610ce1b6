/* recognition.c - one unemployment-recognition round (POST /api/v1/policy/ei/recognition).
 *
 * 고용보험법 제44조 delegates the job-search activity quota to MOEL's administrative rule (since
 * 2022-07-01); the table by claimant category and round is the pack's kr.ei.recognition.table.
 * Only one activity per day counts; only the pack's counted types count; a day with an
 * application or interview (the pack's job-search types) counts as a job-search day.
 * The pack date is the request's optional "date", else the latest activity date, else today. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "policy/calc.h"
#include "policy/policy.h"

#define MAX_ACTIVITIES 200

static const char *const fields[] = {"country", "round", "claimant_category", "activities", "date", "options", NULL};

static int by_day(const void *a, const void *b) {
    const pol_activity *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

static bool in_codes(const json_t *codes, const char *s) {
    for (size_t i = 0; i < json_array_size(codes); i++)
        if (strcmp(json_string_value(json_array_get(codes, i)), s) == 0) return true;
    return false;
}

/* The rules, on parsed facts (list sorted here); traced unless k is untraced. */
static op_code decide(pol_calc *k, const char *country, int64_t round, const char *cat, pol_activity *list, size_t n,
                      pol_recognition *r) {
    pol_value pv;
    char tname[64];
    snprintf(tname, sizeof tname, "%c%c.ei.recognition.table", country[0] | 0x20, country[1] | 0x20);
    const json_t *t = pol_table(k, tname, &pv);
    if (!t) return k->e->code;
    const json_t *rows = json_object_get(json_object_get(t, "categories"), cat);
    const json_t *row = NULL;
    for (size_t i = 0; i < json_array_size(rows); i++)
        if (json_integer_value(json_object_get(json_array_get(rows, i), "round_from")) <= round) row = json_array_get(rows, i);
    r->required = json_integer_value(json_object_get(row, "required"));
    r->required_js = json_integer_value(json_object_get(row, "job_search"));
    if (k->trace) {
        json_t *shown = json_pack("{s:s, s:I, s:I, s:I, s:I}", "claimant_category", cat, "round", (json_int_t)round,
                                  "round_from", json_integer_value(json_object_get(row, "round_from")), "required",
                                  (json_int_t)r->required, "job_search", (json_int_t)r->required_js);
        const char *rc_conf = json_string_value(json_object_get(row, "confidence"));
        if (rc_conf) json_object_set_new(shown, "confidence", json_string(rc_conf));
        pol_trace_pv(k, "quota", &pv, shown);
    }
    const json_t *counted = json_object_get(t, "counted_types"), *js = json_object_get(t, "job_search_types");

    /* One activity per day: count distinct days with a counted activity; a day is a job-search day
     * when any counted activity on it is a job-search type. */
    if (n > 1) qsort(list, n, sizeof *list, by_day); /* list may be NULL when n is 0 */
    int64_t days = 0, js_days = 0, same_day = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool any = false, any_js = false;
        for (; j < n && list[j].day == list[i].day; j++) {
            if (!in_codes(counted, list[j].type)) {
                if (k->trace)
                    pol_tracef(k, "activities.not_counted", "type", json_string(list[j].type), "%s: not an accepted activity",
                               pol_date_str(k->a, list[j].day));
                continue;
            }
            if (any) same_day++;
            any = true;
            any_js |= in_codes(js, list[j].type);
        }
        days += any;
        js_days += any_js;
        i = j;
    }
    if (same_day)
        pol_tracef(k, "activities.one_per_day", "same-day activities not counted", json_integer(same_day),
                   "only one activity per day counts (%s)", pv.source);
    pol_tracef(k, "activities.counted", "counted_activities", json_integer(days), "distinct days with an accepted activity (of %zu given)", n);
    pol_trace(k, "activities.counted", "counted_job_search", json_integer(js_days), "distinct days with an application or interview");
    if (k->trace) {
        char iname[64];
        snprintf(iname, sizeof iname, "%c%c.ei.recognition.in_person_rounds", country[0] | 0x20, country[1] | 0x20);
        pol_value ipv;
        const json_t *inp = pol_get(k, iname, &ipv);
        for (size_t i = 0; i < json_array_size(inp); i++)
            if (json_integer_value(json_array_get(inp, i)) == round) pol_trace_pv(k, "attendance.in_person", &ipv, json_true());
    }
    if (k->e->code) return k->e->code;
    r->counted = days;
    r->counted_js = js_days;
    r->recognized = days >= r->required && js_days >= r->required_js;
    return OP_OK;
}

op_code pol_recognition_decide(arena *a, const char *country, int64_t round, const char *category, pol_activity *acts,
                               size_t n, int64_t date, pol_recognition *out, op_err *e) {
    pol_calc k;
    op_code rc = pol_calc_begin(&k, a, country, "ei_recognition", date, NULL, e);
    if (rc) return rc;
    pol_calc_untraced(&k);
    return decide(&k, country, round, category, acts, n, out);
}

op_code pol_ei_recognition(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *country, *cat;
    int64_t round, date = 0;
    bool has_date;
    json_t *acts;
    op_code rc;
    if ((rc = pol_req_only(req, fields, e)) || (rc = pol_req_country(req, true, NULL, &country, e)) ||
        (rc = jx_int(req, "round", true, 1, 1000, &round, NULL, e)) ||
        (rc = jx_enum(req, "claimant_category", true, pol_claimant_categories, &cat, e)) ||
        (rc = jx_array(req, "activities", true, MAX_ACTIVITIES, &acts, e)) ||
        (rc = pol_req_date(req, "date", false, &date, &has_date, e)))
        return rc;
    size_t n = json_array_size(acts);
    pol_activity *list = arena_alloc(a, (n ? n : 1) * sizeof *list);
    int64_t latest = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(acts, i);
        char path[48];
        snprintf(path, sizeof path, "activities[%zu]", i);
        if (!json_is_object(it))
            return op_fail_field(e, OP_VALIDATION, path, NULL, "%s must be an object {date, type}", path);
        static const char *const akeys[] = {"date", "type", NULL};
        if ((rc = jx_only(it, akeys, path, e))) return rc;
        if ((rc = pol_req_date(it, "date", true, &list[i].day, NULL, e)) ||
            (rc = jx_enum(it, "type", true, pol_activity_types, &list[i].type, e))) {
            char f2[96];
            snprintf(f2, sizeof f2, "%s.%s", path, e->field);
            snprintf(e->field, sizeof e->field, "%s", f2);
            return rc;
        }
        if (i == 0 || list[i].day > latest) latest = list[i].day;
    }
    if (!has_date) date = n ? latest : date_today();
    pol_calc k;
    if ((rc = pol_calc_begin(&k, a, country, "ei_recognition", date, json_object_get(req, "options"), e))) return rc;
    pol_tracef(&k, "round.date", "date", pol_date_json(date), "%s",
               has_date ? "request" : n ? "latest activity date (no date given)" : "today (no date and no activities)");
    pol_recognition r;
    if ((rc = decide(&k, country, round, cat, list, n, &r))) return rc;
    json_t *reasons = json_array();
    if (r.counted < r.required)
        pol_reason(reasons, "too_few_activities", "%lld activity day(s) counted; %lld required in round %lld",
                   (long long)r.counted, (long long)r.required, (long long)round);
    if (r.counted_js < r.required_js)
        pol_reason(reasons, "too_few_job_search", "%lld job-search day(s) counted; %lld required in round %lld",
                   (long long)r.counted_js, (long long)r.required_js, (long long)round);
    bool ok = json_array_size(reasons) == 0;
    pol_trace(&k, "result", "recognized", json_boolean(ok), ok ? "the quota is met" : "the quota is not met");
    json_t *o = json_object();
    json_object_set_new(o, "recognized", json_boolean(ok));
    json_object_set_new(o, "required_activities", json_integer(r.required));
    json_object_set_new(o, "counted_activities", json_integer(r.counted));
    json_object_set_new(o, "required_job_search", json_integer(r.required_js));
    json_object_set_new(o, "counted_job_search", json_integer(r.counted_js));
    json_object_set_new(o, "reasons", reasons);
    *out = pol_finish(&k, o);
    return OP_OK;
}
