/* pack_schema.c - the engine's schema: every parameter each country's calculators read, with its
 * programme and type.  The loader rejects a pack parameter not listed here (a typo) or one listed
 * for a programme the pack declares but missing from it, and checks its declared type. */
#include <string.h>

#include "policy/pack.h"

/* ---- the schema: every parameter a calculator reads ---- */
static const pol_schema_row schema[] = {
    /* KR ei/assess (ei_kr.c) */
    {"KR", "ei", "kr.ei.qualifying_unit_days", "days"},
    {"KR", "ei", "kr.ei.base_period_months", "months"},
    {"KR", "ei", "kr.ei.disqualifying_reasons", "codes"},
    {"KR", "ei", "kr.ei.justified_quit_reasons", "codes"},
    {"KR", "ei", "kr.ei.first_insured_age_limit", "int"},
    {"KR", "ei", "kr.ei.rate", "rate"},
    {"KR", "ei", "kr.ei.base_cap", "money"},
    {"KR", "ei", "kr.ei.floor_rate", "rate"},
    {"KR", "ei", "kr.ei.floor_hours_max", "number"},
    {"KR", "ei", "kr.ei.default_daily_hours", "number"},
    {"KR", "ei", "kr.ei.min_wage_hourly", "money"},
    {"KR", "ei", "kr.ei.floor_guarantee_8h", "money"},
    {"KR", "ei", "kr.ei.duration_days", "duration_matrix"},
    {"KR", "ei", "kr.ei.waiting_days", "days"},
    {"KR", "ei", "kr.ei.benefit_window_months", "months"},
    {"KR", "ei", "kr.ei.rounding.base_daily_wage", "rounding"},
    {"KR", "ei", "kr.ei.rounding.daily_amount", "rounding"},
    {"KR", "ei", "kr.ei.repeated_recipient.enabled", "bool"},
    {"KR", "ei", "kr.ei.repeated_recipient.reductions", "reduction_table"},
    /* KR ei/recognition (recognition.c) */
    {"KR", "ei_recognition", "kr.ei.recognition.table", "recognition_table"},
    {"KR", "ei_recognition", "kr.ei.recognition.first_round_days", "days"},
    {"KR", "ei_recognition", "kr.ei.recognition.cycle_days", "days"},
    {"KR", "ei_recognition", "kr.ei.recognition.in_person_rounds", "int_list"},
    /* KR ei/early-reemployment (reemploy.c) */
    {"KR", "ei_reemploy", "kr.ei.reemploy.min_remaining_ratio", "rate"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.payout_ratio", "rate"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.tenure_months", "months"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.older_age", "int"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.tenure_months_older", "months"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.lockout_years", "int"},
    {"KR", "ei_reemploy", "kr.ei.reemploy.rounding", "rounding"},
    /* KR ei/sanction (sanction.c) */
    {"KR", "ei_sanction", "kr.ei.sanction.table", "sanction_table"},
    {"KR", "ei_sanction", "kr.ei.fraud.levy_max", "number"},
    {"KR", "ei_sanction", "kr.ei.fraud.levy_max_collusion", "number"},
    {"KR", "ei_sanction", "kr.ei.recovery.offset_rate_fraud", "rate"},       /* src/ei/recovery.c */
    {"KR", "ei_sanction", "kr.ei.recovery.offset_rate_overpayment", "rate"}, /* src/ei/recovery.c */
    {"KR", "ei_sanction", "kr.ei.recovery.notice_due_days", "days"}, /* src/ei/recovery_notice.c */
    /* KR nesp (nesp.c, nesp_allowance.c) */
    {"KR", "nesp", "kr.nesp.age_min", "int"},
    {"KR", "nesp", "kr.nesp.age_max", "int"},
    {"KR", "nesp", "kr.nesp.type1.income_pct", "percent"},
    {"KR", "nesp", "kr.nesp.type1.assets", "money"},
    {"KR", "nesp", "kr.nesp.type1.youth_assets", "money"},
    {"KR", "nesp", "kr.nesp.type1.work_days_2y", "days"},
    {"KR", "nesp", "kr.nesp.type1.work_hours_2y", "int"},
    {"KR", "nesp", "kr.nesp.youth.age_min", "int"},
    {"KR", "nesp", "kr.nesp.youth.age_max", "int"},
    {"KR", "nesp", "kr.nesp.youth.military_extension_max_years", "int"},
    {"KR", "nesp", "kr.nesp.youth_special.income_pct", "percent"},
    {"KR", "nesp", "kr.nesp.youth_special.assets", "money"},
    {"KR", "nesp", "kr.nesp.type2.vulnerable_groups", "codes"},
    {"KR", "nesp", "kr.nesp.type2.midage_age_min", "int"},
    {"KR", "nesp", "kr.nesp.type2.midage_income_pct", "percent"},
    {"KR", "nesp", "kr.nesp.allowance.base_monthly", "money"},
    {"KR", "nesp", "kr.nesp.allowance.months", "months"},
    {"KR", "nesp", "kr.nesp.allowance.dependent_addon", "money"},
    {"KR", "nesp", "kr.nesp.allowance.dependent_max", "int"},
    {"KR", "nesp", "kr.nesp.early_success.ratio", "rate"},
    {"KR", "nesp", "kr.nesp.early_success.window_months", "months"},
    {"KR", "nesp", "kr.nesp.early_success.include_dependent_addon", "bool"},
    {"KR", "nesp", "kr.nesp.success.steps", "steps"},
    {"KR", "nesp", "kr.nesp.type2.participation_max", "money"},
    {"KR", "nesp", "kr.nesp.type2.training_monthly_max", "money"},
    {"KR", "nesp", "kr.nesp.type2.training_months_max", "months"},
    {"KR", "nesp", "kr.nesp.type2.activity_total_max", "money"},
    {"KR", "nesp", "kr.nesp.rounding", "rounding"},
    /* DE ei/assess (ei_de.c) */
    {"DE", "ei", "de.ei.qualifying_months", "months"},
    {"DE", "ei", "de.ei.rahmenfrist_months", "months"},
    {"DE", "ei", "de.ei.duration_lookback_months", "months"},
    {"DE", "ei", "de.ei.rate", "rate"},
    {"DE", "ei", "de.ei.rate_child", "rate"},
    {"DE", "ei", "de.ei.sv_flat_rate", "rate"},
    {"DE", "ei", "de.ei.bbg_month", "region_money"},
    {"DE", "ei", "de.ei.default_region", "string"},
    {"DE", "ei", "de.ei.cap_days_per_year", "int"},
    {"DE", "ei", "de.ei.duration", "duration_steps"},
    {"DE", "ei", "de.ei.days_per_month", "days"},
    {"DE", "ei", "de.ei.waiting_days", "days"},
    {"DE", "ei", "de.ei.benefit_window_months", "months"},
    {"DE", "ei", "de.ei.rounding.daily", "rounding"},
    /* DE ei/sanction */
    {"DE", "ei_sanction", "de.ei.sanction.table", "sanction_table"},
    {"DE", "ei_sanction", "de.ei.sanction.lapse_days", "days"},
    {NULL, NULL, NULL, NULL},
};

const pol_schema_row *pol_schema_rows(void) { return schema; }

const pol_schema_row *pol_schema_find(const char *country, const char *name) {
    for (const pol_schema_row *r = schema; r->name; r++)
        if (strcmp(r->country, country) == 0 && strcmp(r->name, name) == 0) return r;
    return NULL;
}
