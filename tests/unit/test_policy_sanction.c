/* test_policy_sanction.c - sanctions and blocked periods (ei/sanction): DE Sperrzeit, KR suspensions. */
#include "test_policy_common.h"

TestSuite(sanction, .init = pt_setup, .fini = pt_teardown);

static json_t *sanc(const char *country, int ent, const char *events) {
    char b[1024];
    snprintf(b, sizeof b, "{'country':'%s','entitlement_days':%d,'events':[%s]}", country, ent, events);
    return pt_ok("ei-sanction", pt_json(b));
}

static json_t *ev(json_t *r, size_t i) { return json_array_get(json_object_get(r, "per_event"), i); }

#define EV(t, d) "{'type':'" t "','date':'" d "'}"

Test(sanction, de_quit_twelve_weeks_and_quarter_reduction) {
    json_t *r = sanc("DE", 360, EV("quit", "2025-03-01"));
    cr_assert_eq(pt_i(r, "blocked_days_total"), 84);
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 90, "at least 1/4 of 360");
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 270);
    cr_assert_not(pt_b(r, "lapsed"));
    cr_assert(pt_trace(r, "sanction.min_reduction", NULL));
    r = sanc("DE", 240, EV("quit", "2025-03-01"));
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 84, "84 > 240/4");
    r = sanc("DE", 450, EV("quit", "2025-03-01"));
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 113, "450/4 = 112.5 rounded up");
}

Test(sanction, de_quit_hardship_six_weeks) {
    json_t *r = sanc("DE", 360, "{'type':'quit','date':'2025-03-01','hardship':true}");
    cr_assert_eq(pt_i(r, "blocked_days_total"), 42);
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 42);
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 318);
}

Test(sanction, de_refusal_escalates_per_kind) {
    json_t *r = sanc("DE", 360, EV("refusal_job", "2025-03-01") "," EV("refusal_job", "2025-04-01") "," EV("refusal_job", "2025-05-01") ","
                                    EV("refusal_training", "2025-05-15"));
    cr_assert_eq(pt_i(ev(r, 0), "blocked_days"), 21);
    cr_assert_eq(pt_i(ev(r, 1), "blocked_days"), 42);
    cr_assert_eq(pt_i(ev(r, 2), "blocked_days"), 84);
    cr_assert_eq(pt_i(ev(r, 3), "blocked_days"), 21, "training refusals count separately");
    cr_assert_eq(pt_i(r, "blocked_days_total"), 168);
    cr_assert(pt_b(r, "lapsed"), "168 >= 147 days (21 weeks)");
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 0);
    r = sanc("DE", 360, EV("refusal_job", "2025-03-01") "," EV("refusal_job", "2025-04-01") "," EV("refusal_job", "2025-05-01") ","
                            EV("refusal_job", "2025-06-01"));
    cr_assert_eq(pt_i(ev(r, 3), "blocked_days"), 84, "the 4th repeats 12 weeks");
}

Test(sanction, de_escalation_follows_dates_not_order) {
    json_t *r = sanc("DE", 360, EV("refusal_job", "2025-05-01") "," EV("refusal_job", "2025-03-01"));
    cr_assert_str_eq(pt_s(ev(r, 0), "date"), "2025-05-01", "per_event keeps the request order");
    cr_assert_eq(pt_i(ev(r, 0), "blocked_days"), 42);
    cr_assert_eq(pt_i(ev(r, 1), "blocked_days"), 21);
}

Test(sanction, de_short_sperrzeiten) {
    json_t *r = sanc("DE", 360, EV("insufficient_search", "2025-03-01") "," EV("missed_appointment", "2025-03-20") ","
                                    EV("late_registration", "2025-01-10"));
    cr_assert_eq(pt_i(r, "blocked_days_total"), 28);
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 28);
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 332);
    cr_assert_str_eq(pt_s(ev(r, 0), "type"), "insufficient_search");
    cr_assert_eq(pt_i(ev(r, 0), "blocked_days"), 14);
    cr_assert_eq(pt_i(ev(r, 1), "reduction_days"), 7);
}

Test(sanction, de_lapse_boundary) {
    /* 84 + 21 + 14 + 7 + 7 + 7 = 140 < 147 */
    json_t *r = sanc("DE", 360, EV("quit", "2025-01-01") "," EV("refusal_job", "2025-04-01") "," EV("insufficient_search", "2025-05-01") ","
                                    EV("missed_appointment", "2025-05-10") "," EV("missed_appointment", "2025-05-20") ","
                                    EV("missed_appointment", "2025-05-30"));
    cr_assert_eq(pt_i(r, "blocked_days_total"), 140);
    cr_assert_not(pt_b(r, "lapsed"));
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 360 - 90 - 21 - 14 - 21);
    /* one more week: 147 -> lapsed */
    r = sanc("DE", 360, EV("quit", "2025-01-01") "," EV("refusal_job", "2025-04-01") "," EV("insufficient_search", "2025-05-01") ","
                            EV("missed_appointment", "2025-05-10") "," EV("missed_appointment", "2025-05-20") ","
                            EV("missed_appointment", "2025-05-30") "," EV("late_registration", "2025-06-01"));
    cr_assert_eq(pt_i(r, "blocked_days_total"), 147);
    cr_assert(pt_b(r, "lapsed"));
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 0);
    cr_assert(pt_trace(r, "sanction.lapse", "de.ei.sanction.lapse_days"));
}

Test(sanction, kr_suspensions_do_not_reduce) {
    json_t *r = sanc("KR", 180, EV("refusal_job", "2025-03-01") "," EV("refusal_training", "2025-04-01") "," EV("insufficient_search", "2025-05-01"));
    cr_assert_eq(pt_i(ev(r, 0), "blocked_days"), 14);
    cr_assert_eq(pt_i(ev(r, 1), "blocked_days"), 28, "job and training refusals escalate together in KR");
    cr_assert_eq(pt_i(ev(r, 2), "blocked_days"), 28);
    cr_assert_eq(pt_i(r, "blocked_days_total"), 70);
    cr_assert_eq(pt_i(r, "entitlement_reduction_days"), 0);
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 180);
    cr_assert_not(pt_b(r, "lapsed"));
    json_t *t = pt_trace(r, "sanction.blocked_days", "kr.ei.sanction.table");
    cr_assert_str_eq(pt_s(t, "confidence"), "C");
}

Test(sanction, kr_quit_and_late_registration_are_not_sanctions) {
    json_t *r = sanc("KR", 180, EV("quit", "2025-03-01") "," EV("late_registration", "2025-03-05") "," EV("missed_appointment", "2025-03-10"));
    cr_assert_eq(pt_i(ev(r, 0), "blocked_days"), 0);
    cr_assert_eq(pt_i(ev(r, 1), "blocked_days"), 0);
    cr_assert_eq(pt_i(ev(r, 2), "blocked_days"), 28);
    cr_assert(pt_trace(r, "sanction.note", "quit"));
}

Test(sanction, no_events) {
    json_t *r = sanc("DE", 360, "");
    cr_assert_eq(pt_i(r, "blocked_days_total"), 0);
    cr_assert_eq(pt_i(r, "remaining_entitlement_days"), 360);
    cr_assert_eq(json_array_size(json_object_get(r, "per_event")), 0);
}

Test(sanction, validation_and_coverage) {
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':360,'events':[{'type':'nap','date':'2025-01-01'}]}"), OP_VALIDATION, "events[0].type");
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':360,'events':[" EV("quit", "2025-01-01") ",{'type':'quit'}]}"), OP_VALIDATION,
           "events[1].date");
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':360,'events':[{'type':'quit','date':'2025-01-01','hardship':1}]}"),
           OP_VALIDATION, "events[0].hardship");
    pt_err("ei-sanction", pt_json("{'country':'DE','events':[]}"), OP_VALIDATION, "entitlement_days");
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':-1,'events':[]}"), OP_VALIDATION, "entitlement_days");
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':360}"), OP_VALIDATION, "events");
    pt_err("ei-sanction", pt_json("{'country':'DE','entitlement_days':360,'events':[" EV("quit", "2019-12-31") "]}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-sanction", pt_json("{'country':'KR','entitlement_days':360,'events':[" EV("quit", "2019-09-30") "]}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-sanction", pt_json("{'country':'FR','entitlement_days':360,'events':[]}"), OP_POLICY_NOT_FOUND, NULL);
}
