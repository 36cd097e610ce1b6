/* test_nesp_check.c - the pure parts of the NESP check (the calculator's request from the stored
 * inputs and the social registry's facts) and of the DCI client's choice among registries that
 * share a sender id. */
#include "dci/client_int.h"
#include "nesp/nesp_check.h"
#include "testlib.h"

static json_t *J(const char *s) { return json_loads(s, 0, NULL); }

Test(nesp_check, request_merges_inputs_and_facts) {
    json_t *in = J("{\"date\":\"2026-03-02\",\"age\":30,\"household_assets\":100,\"receiving_ei\":false,\"work_days_2y\":0}");
    json_t *facts = J("{\"found\":true,\"household_income_pct\":48.5,\"basic_livelihood_status\":\"near_poor\"}");
    json_t *req;
    op_err e = {0};
    cr_assert_eq(nesp_calc_request("sr1", in, facts, &req, &e), OP_OK, "%s", e.detail);
    cr_assert_float_eq(json_number_value(json_object_get(req, "household_income_pct")), 48.5, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(req, "country")), "KR");
    cr_assert_null(json_object_get(req, "vulnerable_group"), "near_poor is not a NESP vulnerable group");
    cr_assert_eq(json_integer_value(json_object_get(req, "household_assets")), 100);
    cr_assert_null(json_object_get(in, "household_income_pct"), "the inputs are not changed");
    json_decref(req);
    json_decref(facts);
    facts = J("{\"found\":true,\"household_income_pct\":30,\"basic_livelihood_status\":\"recipient\"}");
    cr_assert_eq(nesp_calc_request("sr1", in, facts, &req, &e), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(req, "vulnerable_group")), "basic_livelihood");
    json_decref(req);
    json_object_set_new(in, "vulnerable_group", json_string("homeless"));
    cr_assert_eq(nesp_calc_request("sr1", in, facts, &req, &e), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(req, "vulnerable_group")), "homeless", "the counsellor's group is kept");
    json_decref(req);
    json_decref(facts);
    json_decref(in);
}

Test(nesp_check, facts_the_calculator_cannot_use) {
    json_t *in = J("{\"age\":30}"), *req = NULL;
    op_err e = {0};
    json_t *f = J("{\"found\":false}");
    cr_assert_eq(nesp_calc_request("sr1", in, f, &req, &e), OP_NOT_FOUND);
    cr_assert(strstr(e.detail, "does not know the person"));
    json_decref(f);
    f = J("{\"found\":true,\"basic_livelihood_status\":\"recipient\"}");
    op_clear(&e);
    cr_assert_eq(nesp_calc_request("sr1", in, f, &req, &e), OP_BAD_REQUEST);
    cr_assert(strstr(e.detail, "no household income percentile"));
    cr_assert_null(req);
    json_decref(f);
    json_decref(in);
}

Test(dci_client, pick_among_registries_sharing_a_sender_id) {
    const json_t *jw[3] = {J("{\"keys\":[{\"kid\":\"a1\"}]}"), J("{\"keys\":[{\"kid\":\"b1\"},{\"kid\":\"b0\"}]}"), J("{\"keys\":[{\"kid\":\"a1\"}]}")};
    bool codes[3] = {false, false, true};
    cr_assert_eq(dci_pick_sender(1, jw, NULL, NULL), 1, "one registry: it");
    cr_assert_eq(dci_pick_sender(3, jw, NULL, "b0"), 2, "the key names it");
    cr_assert_eq(dci_pick_sender(3, jw, NULL, "a1"), -2, "two registries hold the key: none is chosen");
    cr_assert_eq(dci_pick_sender(3, jw, codes, "a1"), 3, "the key and then the subscription code");
    cr_assert_eq(dci_pick_sender(3, jw, codes, NULL), 3, "the code alone");
    cr_assert_eq(dci_pick_sender(3, jw, codes, "b1"), 2, "the key decides; the code is another registry's");
    bool none[3] = {false, false, false};
    cr_assert_eq(dci_pick_sender(3, jw, none, "zz"), -3, "neither tells: never the first");
    cr_assert_eq(dci_pick_sender(0, jw, NULL, NULL), 0);
    for (int i = 0; i < 3; i++) json_decref((json_t *)jw[i]);
}
