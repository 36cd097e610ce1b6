/* calc.c - calculation context: options (simulation overrides), parameter access, trace. */
#include "policy/calc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"

/* options: {"<switch>": bool, ..., "params": {"<param>": value}}.  Switch names come from the
 * pack's "switches" (e.g. repeated_recipient_reduction -> kr.ei.repeated_recipient.enabled). */
static op_code read_options(pol_calc *k, const json_t *options) {
    k->overrides = jx_arena(k->a, json_object());
    if (!options || json_is_null(options)) return OP_OK;
    if (!json_is_object(options))
        return op_fail_field(k->e, OP_VALIDATION, "options", NULL, "field \"options\" must be an object");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)options, key, v) {
        char field[96];
        snprintf(field, sizeof field, "options.%s", key);
        if (strcmp(key, "params") == 0) continue;
        json_t *target = json_object_get(k->pack->switches, key);
        if (!target)
            return op_fail_field(k->e, OP_UNKNOWN_FIELD, field, "options take \"params\" and the switches of the pack",
                                 "unknown option \"%s\" for %s", key, k->pack->country);
        if (!json_is_boolean(v))
            return op_fail_field(k->e, OP_VALIDATION, field, NULL, "field \"%s\" must be true or false", field);
        json_object_set(k->overrides, json_string_value(target), v);
        pol_tracef(k, "options.switch", json_string_value(target), json_copy(v),
                   "options.%s: simulation override of the pack value", key);
    }
    json_t *params = json_object_get(options, "params");
    if (!params || json_is_null(params)) return OP_OK;
    if (!json_is_object(params))
        return op_fail_field(k->e, OP_VALIDATION, "options.params", NULL, "field \"options.params\" must be an object");
    json_object_foreach(params, key, v) {
        char field[160];
        snprintf(field, sizeof field, "options.params.%s", key);
        const json_t *def = pol_param_def(k->pack, key);
        if (!def)
            return op_fail_field(k->e, OP_VALIDATION, field, "name a parameter of the pack (docs/POLICY.md)",
                                 "the %s pack has no parameter \"%s\"", k->pack->country, key);
        const char *type = json_string_value(json_object_get(def, "type"));
        char why[300];
        if (!pol_type_check(type, v, why, sizeof why))
            return op_fail_field(k->e, OP_VALIDATION, field, NULL, "override of \"%s\" (%s): %s", key, type, why);
        json_t *prev = json_object_get(k->overrides, key);
        if (prev && !json_equal(prev, v))
            return op_fail_field(k->e, OP_VALIDATION, field, "give the value once",
                                 "\"%s\" contradicts the switch that sets the same parameter", key);
        json_object_set(k->overrides, key, v);
        pol_trace(k, "options.params", key, json_deep_copy(v), "options.params: simulation override of the pack value");
    }
    return OP_OK;
}

op_code pol_calc_begin(pol_calc *k, arena *a, const char *country, const char *programme, int64_t date,
                       const json_t *options, op_err *e) {
    memset(k, 0, sizeof *k);
    k->a = a;
    k->e = e;
    k->programme = programme;
    k->date = POL_NO_DATE;
    k->trace = jx_arena(a, json_array());
    op_code rc = pol_pack_get(country, &k->pack, e);
    if (rc) return rc;
    /* The pack must offer the programme at all, before options are read. */
    if (!json_object_get(k->pack->programmes, programme))
        return op_fail(e, OP_POLICY_NOT_FOUND, NULL, "the %s pack has no \"%s\" programme", country, programme);
    if ((rc = read_options(k, options))) return rc;
    return date == POL_NO_DATE ? OP_OK : pol_calc_at(k, date);
}

op_code pol_calc_at(pol_calc *k, int64_t date) {
    op_code rc = pol_programme_at(k->pack, k->programme, date, k->e);
    if (rc) return rc;
    k->date = date;
    return OP_OK;
}

const json_t *pol_get(pol_calc *k, const char *name, pol_value *pv) {
    memset(pv, 0, sizeof *pv);
    json_t *ov = json_object_get(k->overrides, name);
    if (ov) {
        pv->name = name;
        pv->value = ov;
        pv->source = "options.params override (simulation)";
        pv->overridden = true;
        return ov;
    }
    if (!pol_param_at(k->pack, name, k->date, pv)) {
        char ds[11];
        date_format(k->date, ds);
        if (!k->e->code)
            op_fail(k->e, OP_INTERNAL, "the pack and the engine disagree; check docs/POLICY.md",
                    "%s: parameter \"%s\" has no value on %s", k->pack->path, name, ds);
        pv->name = name;
        pv->value = json_null();
        return NULL;
    }
    return pv->value;
}

void pol_trace(pol_calc *k, const char *rule, const char *parameter, json_t *value, const char *source) {
    if (!k->trace) { /* an untraced calculation (pol_calc_untraced) */
        json_decref(value);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(rule));
    json_object_set_new(o, "parameter", json_string(parameter));
    json_object_set_new(o, "value", value ? value : json_null());
    json_object_set_new(o, "source", json_string(source ? source : ""));
    json_array_append_new(k->trace, o);
}

void pol_tracef(pol_calc *k, const char *rule, const char *parameter, json_t *value, const char *fmt, ...) {
    if (!k->trace) {
        json_decref(value);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(k->a, fmt, ap);
    va_end(ap);
    pol_trace(k, rule, parameter, value, s);
}

void pol_trace_pv(pol_calc *k, const char *rule, const pol_value *pv, json_t *shown) {
    if (!k->trace) {
        json_decref(shown);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(rule));
    json_object_set_new(o, "parameter", json_string(pv->name ? pv->name : ""));
    json_object_set_new(o, "value", shown ? shown : pv->value ? json_deep_copy(pv->value) : json_null());
    json_object_set_new(o, "source", json_string(pv->source ? pv->source : ""));
    if (pv->confidence) json_object_set_new(o, "confidence", json_string(pv->confidence));
    if (pv->overridden) json_object_set_new(o, "override", json_true());
    json_array_append_new(k->trace, o);
}

int64_t pol_int(pol_calc *k, const char *rule, const char *name) {
    pol_value pv;
    const json_t *v = pol_get(k, name, &pv);
    if (!v) return 0;
    pol_trace_pv(k, rule, &pv, NULL);
    return json_integer_value(v);
}

int64_t pol_rate_ppm(const json_t *v) { return (int64_t)llround(json_number_value(v) * 1e6); }

int64_t pol_ppm(pol_calc *k, const char *rule, const char *name) {
    pol_value pv;
    const json_t *v = pol_get(k, name, &pv);
    if (!v) return 0;
    pol_trace_pv(k, rule, &pv, NULL);
    return pol_rate_ppm(v);
}

double pol_num(pol_calc *k, const char *rule, const char *name) {
    pol_value pv;
    const json_t *v = pol_get(k, name, &pv);
    if (!v) return 0;
    pol_trace_pv(k, rule, &pv, NULL);
    return json_number_value(v);
}

bool pol_bool(pol_calc *k, const char *rule, const char *name) {
    pol_value pv;
    const json_t *v = pol_get(k, name, &pv);
    if (!v) return false;
    pol_trace_pv(k, rule, &pv, NULL);
    return json_is_true(v);
}

const char *pol_str(pol_calc *k, const char *rule, const char *name) {
    pol_value pv;
    const json_t *v = pol_get(k, name, &pv);
    if (!v) return "";
    pol_trace_pv(k, rule, &pv, NULL);
    return json_string_value(v);
}

const char *pol_rounding(pol_calc *k, const char *rule, const char *name) {
    const char *m = pol_str(k, rule, name);
    return *m ? m : "half_up";
}

const json_t *pol_table(pol_calc *k, const char *name, pol_value *pv) { return pol_get(k, name, pv); }

void pol_reason(json_t *reasons, const char *code, const char *fmt, ...) {
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

void pol_calc_untraced(pol_calc *k) { k->trace = NULL; }

json_t *pol_finish(pol_calc *k, json_t *resp) {
    if (k->trace) json_object_set(resp, "trace", k->trace);
    return resp;
}
