/* test_policy_recognition.c - one unemployment-recognition round (ei/recognition, KR). */
#include "test_policy_common.h"
#include "base/clock.h"

TestSuite(recognition, .init = pt_setup, .fini = pt_teardown);

static json_t *rec(int round, const char *cat, const char *acts) {
    char b[1024];
    snprintf(b, sizeof b, "{'country':'KR','round':%d,'claimant_category':'%s','activities':[%s]}", round, cat, acts);
    return pt_ok("ei-recognition", pt_json(b));
}

#define APP(d) "{'date':'" d "','type':'application'}"
#define ACT(d, t) "{'date':'" d "','type':'" t "'}"

Test(recognition, round_one_needs_no_activity) {
    json_t *r = rec(1, "general", "");
    cr_assert(pt_b(r, "recognized"));
    cr_assert_eq(pt_i(r, "required_activities"), 0);
    cr_assert_eq(pt_i(r, "counted_activities"), 0);
    cr_assert(pt_trace(r, "quota", "kr.ei.recognition.table"));
}

Test(recognition, rounds_two_to_four_need_one) {
    for (int round = 2; round <= 4; round++) {
        json_t *r = rec(round, "general", ACT("2025-08-04", "training"));
        cr_assert(pt_b(r, "recognized"), "round %d", round);
        cr_assert_eq(pt_i(r, "required_activities"), 1);
        cr_assert_eq(pt_i(r, "required_job_search"), 0);
        r = rec(round, "general", "");
        cr_assert_not(pt_b(r, "recognized"));
        cr_assert_str_eq(pt_reason(r), "too_few_activities");
    }
}

Test(recognition, round_five_needs_two_with_one_job_search) {
    json_t *r = rec(5, "general", APP("2025-08-04") "," ACT("2025-08-11", "training"));
    cr_assert(pt_b(r, "recognized"));
    cr_assert_eq(pt_i(r, "required_activities"), 2);
    cr_assert_eq(pt_i(r, "required_job_search"), 1);
    cr_assert_eq(pt_i(r, "counted_job_search"), 1);
    r = rec(5, "general", ACT("2025-08-04", "training") "," ACT("2025-08-11", "counselling"));
    cr_assert_not(pt_b(r, "recognized"));
    cr_assert_str_eq(pt_reason(r), "too_few_job_search");
    r = rec(9, "general", ACT("2025-08-04", "interview") "," ACT("2025-08-05", "job_fair"));
    cr_assert(pt_b(r, "recognized"));
}

Test(recognition, one_activity_per_day) {
    json_t *r = rec(5, "general", APP("2025-08-04") "," APP("2025-08-04") "," ACT("2025-08-04", "training"));
    cr_assert_eq(pt_i(r, "counted_activities"), 1);
    cr_assert_eq(pt_i(r, "counted_job_search"), 1);
    cr_assert_not(pt_b(r, "recognized"));
    cr_assert_str_eq(pt_reason(r), "too_few_activities");
    json_t *t = pt_trace(r, "activities.one_per_day", NULL);
    cr_assert(t);
    cr_assert_eq(json_integer_value(json_object_get(t, "value")), 2);
}

Test(recognition, other_is_not_counted) {
    json_t *r = rec(2, "general", ACT("2025-08-04", "other"));
    cr_assert_eq(pt_i(r, "counted_activities"), 0);
    cr_assert_not(pt_b(r, "recognized"));
    cr_assert(pt_trace(r, "activities.not_counted", "type"));
    r = rec(2, "general", ACT("2025-08-04", "other") "," ACT("2025-08-04", "startup_prep"));
    cr_assert_eq(pt_i(r, "counted_activities"), 1);
}

Test(recognition, categories) {
    json_t *r = rec(5, "aged60plus", ACT("2025-08-04", "lecture"));
    cr_assert(pt_b(r, "recognized"));
    cr_assert_eq(pt_i(r, "required_activities"), 1);
    r = rec(12, "disabled", ACT("2025-08-04", "lecture"));
    cr_assert(pt_b(r, "recognized"));
    r = rec(3, "repeated", ACT("2025-08-04", "lecture"));
    cr_assert_eq(pt_i(r, "required_activities"), 1);
    r = rec(4, "repeated", APP("2025-08-04") "," ACT("2025-08-05", "lecture"));
    cr_assert_eq(pt_i(r, "required_activities"), 2);
    cr_assert_eq(pt_i(r, "required_job_search"), 2);
    cr_assert_not(pt_b(r, "recognized"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(pt_trace(r, "quota", NULL), "value"), "confidence")), "C");
    r = rec(5, "long_duration", APP("2025-08-04") "," ACT("2025-08-05", "lecture") "," ACT("2025-08-06", "lecture"));
    cr_assert_eq(pt_i(r, "required_activities"), 4);
    cr_assert_not(pt_b(r, "recognized"));
    r = rec(4, "long_duration", ACT("2025-08-05", "lecture"));
    cr_assert(pt_b(r, "recognized"));
}

Test(recognition, fourth_round_in_person_is_traced) {
    cr_assert(pt_trace(rec(4, "general", ACT("2025-08-04", "training")), "attendance.in_person", NULL));
    cr_assert_null(pt_trace(rec(5, "general", ""), "attendance.in_person", NULL));
}

Test(recognition, date_and_coverage) {
    /* rule in force since 2022-07-01 */
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general','activities':[" ACT("2022-06-30", "training") "]}"),
           OP_POLICY_NOT_FOUND, NULL);
    cr_assert(pt_ok("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general','date':'2022-07-01','activities':[]}")));
    pt_err("ei-recognition", pt_json("{'country':'DE','round':2,'claimant_category':'general','activities':[]}"), OP_POLICY_NOT_FOUND, NULL);
    pt_err("ei-recognition", pt_json("{'country':'XX','round':2,'claimant_category':'general','activities':[]}"), OP_POLICY_NOT_FOUND, NULL);
}

Test(recognition, validation) {
    pt_err("ei-recognition", pt_json("{'country':'KR','round':0,'claimant_category':'general','activities':[]}"), OP_VALIDATION, "round");
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'vip','activities':[]}"), OP_VALIDATION, "claimant_category");
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general'}"), OP_VALIDATION, "activities");
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general','activities':[" APP("2025-08-04") ",{'date':'2025-08-05','type':'surfing'}]}"),
           OP_VALIDATION, "activities[1].type");
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general','activities':[{'type':'interview'}]}"),
           OP_VALIDATION, "activities[0].date");
    pt_err("ei-recognition", pt_json("{'country':'KR','round':2,'claimant_category':'general','activities':[7]}"),
           OP_VALIDATION, "activities[0]");
    pt_err("ei-recognition", pt_json("{'round':2,'claimant_category':'general','activities':[]}"), OP_VALIDATION, "country");
}

Test(recognition, table_override) {
    json_t *r = pt_ok("ei-recognition", pt_json(
        "{'country':'KR','round':2,'claimant_category':'general','activities':[" ACT("2025-08-04", "training") "],"
        "'options':{'params':{'kr.ei.recognition.table':{'counted_types':['application','interview','training'],"
        "'job_search_types':['application','interview'],'categories':{"
        "'general':[{'round_from':1,'required':3,'job_search':1}],'aged60plus':[{'round_from':1,'required':0,'job_search':0}],"
        "'disabled':[{'round_from':1,'required':0,'job_search':0}],'repeated':[{'round_from':1,'required':0,'job_search':0}],"
        "'long_duration':[{'round_from':1,'required':0,'job_search':0}]}}}}}"));
    cr_assert_eq(pt_i(r, "required_activities"), 3);
    cr_assert_not(pt_b(r, "recognized"));
    cr_assert(json_is_true(json_object_get(pt_trace(r, "quota", NULL), "override")));
}

/* The batch's entry (pol_recognition_decide, no trace) decides as the calculator does. */
Test(recognition, the_untraced_rules_decide_as_the_calculator) {
    static const struct {
        int round;
        const char *cat, *acts;
    } cases[] = {
        {1, "general", ""},
        {2, "general", ""},
        {3, "general", ACT("2025-08-04", "other")},
        {3, "general", ACT("2025-08-04", "training")},
        {5, "general", APP("2025-08-04") "," ACT("2025-08-04", "training")},
        {5, "general", APP("2025-08-04") "," ACT("2025-08-11", "training")},
        {6, "disabled", ACT("2025-08-04", "counselling") "," ACT("2025-08-05", "interview")},
        {7, "aged60plus", ACT("2025-08-04", "lecture")},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *full = rec(cases[i].round, cases[i].cat, cases[i].acts);
        char b[1024];
        snprintf(b, sizeof b, "[%s]", cases[i].acts);
        json_t *acts = pt_json(b);
        arena *a = arena_new(4096);
        pol_activity *list = arena_alloc(a, (json_array_size(acts) + 1) * sizeof *list);
        for (size_t j = 0; j < json_array_size(acts); j++) {
            cr_assert(date_parse(json_string_value(json_object_get(json_array_get(acts, j), "date")), &list[j].day));
            list[j].type = json_string_value(json_object_get(json_array_get(acts, j), "type"));
        }
        int64_t day;
        cr_assert(date_parse("2025-08-20", &day));
        pol_recognition r;
        op_err e = {0};
        cr_assert_eq(pol_recognition_decide(a, "KR", cases[i].round, cases[i].cat, list, json_array_size(acts), day, &r, &e), OP_OK,
                     "%s", e.detail);
        cr_assert_eq(r.recognized, pt_b(full, "recognized"), "case %zu", i);
        cr_assert_eq(r.required, pt_i(full, "required_activities"), "case %zu", i);
        cr_assert_eq(r.counted, pt_i(full, "counted_activities"), "case %zu", i);
        cr_assert_eq(r.required_js, pt_i(full, "required_job_search"), "case %zu", i);
        cr_assert_eq(r.counted_js, pt_i(full, "counted_job_search"), "case %zu", i);
        arena_free(a);
    }
}
