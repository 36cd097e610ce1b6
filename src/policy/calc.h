/* calc.h - the calculation context shared by the calculators (internal to src/policy).
 *
 * A calculation is pure: request facts in, result and trace out.  The only state it reads is the
 * loaded pack.  pol_calc carries the pack, the date the parameters are looked up on, the
 * simulation overrides from the request's "options" and the trace being built: an ordered JSON
 * array of {rule, parameter, value, source[, confidence]} explaining every step.
 *
 * Money is an int64 in the currency's minor unit.  Rates are applied exactly as integer parts
 * per million with the pack's rounding mode (never through binary floating point). */
#ifndef OPENPES_POLICY_CALC_H
#define OPENPES_POLICY_CALC_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "policy/pack.h"

#define POL_NO_DATE INT64_MIN

typedef struct pol_calc {
    arena *a;
    const pol_pack *pack;
    const char *programme;
    int64_t date;       /* parameters are looked up on this day */
    json_t *overrides;  /* param name -> value, from options.params and switches (arena-owned) */
    json_t *trace;      /* arena-owned array */
    op_err *e;
} pol_calc;

/* Find the country's pack, validate and record `options` (switches and params, each shown in the
 * trace) and, unless date is POL_NO_DATE, check that the programme covers the date. */
op_code pol_calc_begin(pol_calc *k, arena *a, const char *country, const char *programme, int64_t date,
                       const json_t *options, op_err *e);
/* Drop the trace: every pol_trace* call becomes a no-op (a batch that keeps the request instead,
 * and re-derives the trace when it is read). */
void pol_calc_untraced(pol_calc *k);
/* Move to another date (checks the programme's validity). */
op_code pol_calc_at(pol_calc *k, int64_t date);

/* The value of a parameter on k->date (or its override).  A missing parameter is a pack/engine
 * mismatch the loader prevents; it records OP_INTERNAL on k->e and returns NULL. */
const json_t *pol_get(pol_calc *k, const char *name, pol_value *pv);

/* Get and trace in one step (the value shown is the parameter's value). */
int64_t pol_int(pol_calc *k, const char *rule, const char *name);
int64_t pol_ppm(pol_calc *k, const char *rule, const char *name); /* a rate as parts per million */
double pol_num(pol_calc *k, const char *rule, const char *name);
bool pol_bool(pol_calc *k, const char *rule, const char *name);
const char *pol_str(pol_calc *k, const char *rule, const char *name);
/* Rounding mode parameter ("down", "up", "half_up", "half_even"). */
const char *pol_rounding(pol_calc *k, const char *rule, const char *name);
/* Table parameters: get without tracing; trace the part used with pol_trace_pv. */
const json_t *pol_table(pol_calc *k, const char *name, pol_value *pv);

/* Trace entries.  `value` is a new reference (stolen); NULL means JSON null. */
void pol_trace(pol_calc *k, const char *rule, const char *parameter, json_t *value, const char *source);
void pol_tracef(pol_calc *k, const char *rule, const char *parameter, json_t *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Trace a parameter: its name, source and confidence, with `shown` (stolen) as the value, or a
 * copy of the parameter's value when shown is NULL. */
void pol_trace_pv(pol_calc *k, const char *rule, const pol_value *pv, json_t *shown);

/* Reasons: append {code, message} to an array. */
void pol_reason(json_t *reasons, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- arithmetic ---- */
/* num / den rounded by mode; den > 0. */
int64_t pol_div_round(int64_t num, int64_t den, const char *mode);
/* x * y / den rounded by mode (128-bit intermediate); den > 0. */
int64_t pol_muldiv(int64_t x, int64_t y, int64_t den, const char *mode);
/* x * ppm / 1e6 rounded by mode. */
int64_t pol_mul_ppm(int64_t x, int64_t ppm, const char *mode);
int64_t pol_rate_ppm(const json_t *v); /* a validated rate value -> ppm */

/* ---- dates (days since 1970-01-01) ---- */
/* The same day `months` later (negative: earlier), clamped to the month's last day. */
int64_t pol_add_months(int64_t day, int months);
/* Last day of a period of `months` counted from `start` (start included), civil-code style
 * (민법 제160조, BGB §188): the day before the corresponding day, or the last day of the final
 * month when it has no corresponding day. */
int64_t pol_period_end(int64_t start, int months);
/* Completed years on `on` for someone born on `birth`. */
int pol_age_on(int64_t birth, int64_t on);
json_t *pol_date_json(int64_t day); /* "YYYY-MM-DD" */
char *pol_date_str(arena *a, int64_t day);

/* ---- request helpers (errors name the field, as the contract requires) ---- */
op_code pol_req_date(const json_t *req, const char *key, bool required, int64_t *out, bool *present, op_err *e);
/* Only `allowed` keys plus "options" (and "country" when allow_country). */
op_code pol_req_only(const json_t *req, const char *const *allowed, op_err *e);
/* The "country" field: required string; returns it (not yet checked against the packs). */
op_code pol_req_country(const json_t *req, bool required, const char *dflt, const char **out, op_err *e);
/* Attach the trace and currency to a response and hand it over. */
json_t *pol_finish(pol_calc *k, json_t *resp);

/* ---- the calculators (one file each): request JSON -> response JSON (new reference) ---- */
op_code pol_ei_assess(arena *a, const json_t *req, json_t **out, op_err *e);    /* ei_assess.c */
op_code pol_ei_kr_assess(arena *a, const json_t *req, json_t **out, op_err *e); /* ei_kr.c */
op_code pol_ei_de_assess(arena *a, const json_t *req, json_t **out, op_err *e); /* ei_de.c */
op_code pol_ei_recognition(arena *a, const json_t *req, json_t **out, op_err *e);
op_code pol_ei_reemploy(arena *a, const json_t *req, json_t **out, op_err *e);
op_code pol_ei_sanction(arena *a, const json_t *req, json_t **out, op_err *e);
op_code pol_nesp_assess(arena *a, const json_t *req, json_t **out, op_err *e);
op_code pol_nesp_allowance(arena *a, const json_t *req, json_t **out, op_err *e);

#endif
