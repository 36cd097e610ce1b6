/* sanction.c - sanctions and blocked periods (POST /api/v1/policy/ei/sanction).
 *
 * The pack's <cc>.ei.sanction.table gives, per event type, the blocked days for the 1st, 2nd,
 * 3rd ... event of its escalation group (a later event repeats the last step), optional hardship
 * days, whether the blocked days also reduce the entitlement, and a minimum reduction as a
 * fraction of the entitlement (DE §148(1) Nr. 4: at least 1/4 after a 12-week Arbeitsaufgabe
 * Sperrzeit).  DE: §159 SGB III; the claim lapses once Sperrzeiten total 21 weeks (§161(1) Nr. 2,
 * de.ei.sanction.lapse_days).  KR: 고용보험법 제60조 suspensions (within 1 month; days C) and
 * unrecognised recognition periods (제44조); they do not reduce the prescribed days.
 * Events are applied in date order (stable); per_event keeps the request order. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonx.h"
#include "policy/calc.h"

#define MAX_EVENTS 100

static const char *const fields[] = {"country", "entitlement_days", "events", "options", NULL};

typedef struct {
    size_t idx;
    int64_t day;
    const char *type;
    bool hardship;
    int64_t blocked, reduction;
} event;

static int by_day(const void *a, const void *b) {
    const event *x = a, *y = b;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_idx(const void *a, const void *b) {
    const event *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

op_code pol_ei_sanction(arena *a, const json_t *req, json_t **out, op_err *e) {
    const char *country;
    int64_t ent;
    json_t *evs;
    op_code rc;
    if ((rc = pol_req_only(req, fields, e)) || (rc = pol_req_country(req, true, NULL, &country, e)) ||
        (rc = jx_int(req, "entitlement_days", true, 0, 100000, &ent, NULL, e)) ||
        (rc = jx_array(req, "events", true, MAX_EVENTS, &evs, e)))
        return rc;
    size_t n = json_array_size(evs);
    event *ev = arena_alloc(a, (n ? n : 1) * sizeof *ev);
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(evs, i);
        char path[40];
        snprintf(path, sizeof path, "events[%zu]", i);
        if (!json_is_object(it)) return op_fail_field(e, OP_VALIDATION, path, NULL, "%s must be an object {type, date, hardship?}", path);
        static const char *const ekeys[] = {"type", "date", "hardship", NULL};
        if ((rc = jx_only(it, ekeys, path, e))) return rc;
        ev[i].idx = i;
        if ((rc = jx_enum(it, "type", true, pol_event_types, &ev[i].type, e)) ||
            (rc = pol_req_date(it, "date", true, &ev[i].day, NULL, e)) ||
            (rc = jx_bool(it, "hardship", false, &ev[i].hardship, NULL, e))) {
            char f2[96];
            snprintf(f2, sizeof f2, "%s.%s", path, e->field);
            snprintf(e->field, sizeof e->field, "%s", f2);
            return rc;
        }
    }
    pol_calc k;
    if ((rc = pol_calc_begin(&k, a, country, "ei_sanction", POL_NO_DATE, json_object_get(req, "options"), e))) return rc;
    char tname[64], lname[64];
    snprintf(tname, sizeof tname, "%c%c.ei.sanction.table", country[0] + 32, country[1] + 32);
    snprintf(lname, sizeof lname, "%c%c.ei.sanction.lapse_days", country[0] + 32, country[1] + 32);
    pol_trace(&k, "entitlement", "entitlement_days", json_integer(ent), "request");
    qsort(ev, n, sizeof *ev, by_day);
    json_t *groups = jx_arena(a, json_object()); /* group -> count so far */
    int64_t blocked = 0, reduced = 0, lapse_days = 0;
    bool lapsed = false;
    for (size_t i = 0; i < n; i++) {
        event *x = &ev[i];
        if ((rc = pol_calc_at(&k, x->day))) {
            snprintf(e->field, sizeof e->field, "events[%zu].date", x->idx);
            return rc;
        }
        pol_value pv;
        const json_t *t = pol_table(&k, tname, &pv);
        if (!t) return e->code;
        const json_t *row = json_object_get(t, x->type);
        const char *group = json_string_value(json_object_get(row, "group"));
        if (!group) group = x->type;
        int64_t nth = json_integer_value(json_object_get(groups, group)) + 1;
        json_object_set_new(groups, group, json_integer(nth));
        const json_t *steps = json_object_get(row, "days");
        size_t si = (size_t)nth <= json_array_size(steps) ? (size_t)nth - 1 : json_array_size(steps) - 1;
        x->blocked = json_integer_value(json_array_get(steps, si));
        json_t *hd = json_object_get(row, "hardship_days");
        bool hard = x->hardship && hd;
        if (hard) x->blocked = json_integer_value(hd);
        json_t *shown = json_pack("{s:s, s:s, s:s, s:I, s:I}", "event", x->type, "date", pol_date_str(a, x->day), "group", group,
                                  "occurrence", (json_int_t)nth, "blocked_days", (json_int_t)x->blocked);
        if (hard) json_object_set_new(shown, "hardship", json_true());
        pol_value rpv = pv;
        if (json_string_value(json_object_get(row, "source"))) rpv.source = json_string_value(json_object_get(row, "source"));
        if (json_string_value(json_object_get(row, "confidence"))) rpv.confidence = json_string_value(json_object_get(row, "confidence"));
        pol_trace_pv(&k, "sanction.blocked_days", &rpv, shown);
        const char *note = json_string_value(json_object_get(row, "note"));
        if (note) pol_trace(&k, "sanction.note", x->type, NULL, note);
        if (x->hardship && !hd)
            pol_trace(&k, "sanction.hardship", x->type, json_false(), "no hardship rule for this event type: ignored");
        if (json_is_true(json_object_get(row, "reduces_entitlement"))) {
            x->reduction = x->blocked;
            json_t *frac = json_object_get(row, "min_reduction_fraction");
            if (frac && !hard) {
                int64_t minr = pol_mul_ppm(ent, pol_rate_ppm(frac), "up");
                if (minr > x->reduction) {
                    x->reduction = minr;
                    pol_tracef(&k, "sanction.min_reduction", "entitlement_days x min_reduction_fraction", json_integer(minr),
                               "%s: at least %g of the entitlement (rounded up)", rpv.source, json_number_value(frac));
                }
            }
        }
        blocked += x->blocked;
        reduced += x->reduction;
        pol_value lpv;
        if (pol_param_def(k.pack, lname)) {
            lapse_days = json_integer_value(pol_get(&k, lname, &lpv));
            if (!lapsed && lapse_days > 0 && blocked >= lapse_days) {
                lapsed = true;
                pol_trace_pv(&k, "sanction.lapse", &lpv, json_pack("{s:I, s:I}", "lapse_days", (json_int_t)lapse_days,
                                                                   "blocked_days_total", (json_int_t)blocked));
            }
        }
    }
    if (e->code) return e->code;
    int64_t remaining = lapsed ? 0 : ent - reduced;
    if (remaining < 0) remaining = 0;
    pol_tracef(&k, "result", "remaining_entitlement_days", json_integer(remaining), "%s",
               lapsed ? "the claim has lapsed" : "entitlement_days - reductions (not below 0)");
    qsort(ev, n, sizeof *ev, by_idx);
    json_t *per = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(per, json_pack("{s:s, s:s, s:I, s:I}", "type", ev[i].type, "date", pol_date_str(a, ev[i].day),
                                             "blocked_days", (json_int_t)ev[i].blocked, "reduction_days", (json_int_t)ev[i].reduction));
    json_t *o = json_object();
    json_object_set_new(o, "blocked_days_total", json_integer(blocked));
    json_object_set_new(o, "entitlement_reduction_days", json_integer(reduced));
    json_object_set_new(o, "remaining_entitlement_days", json_integer(remaining));
    json_object_set_new(o, "lapsed", json_boolean(lapsed));
    json_object_set_new(o, "per_event", per);
    *out = pol_finish(&k, o);
    return OP_OK;
}
