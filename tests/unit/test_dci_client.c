/* test_dci_client.c - the pure parts of the DCI client: request envelopes and answer normalisation. */
#include "dci/client.h"
#include "dci/envelope.h"
#include "testlib.h"

static struct dci_client_req base(const char *kind) {
    struct dci_client_req r = {kind, "openpes", "sr-1", "m-1", "2026-11-21T06:00:00+09:00", "t-1", "ref-1", "9503141042150",
                               "employment_service", NULL};
    return r;
}

Test(dci_client, social_registry_request_is_a_valid_envelope) {
    struct dci_client_req r = base(DCI_KIND_SR);
    json_t *env = dci_client_build(&r);
    cr_assert_not_null(env);
    static const char *const acts[] = {"search", NULL};
    struct dci_env pe;
    const char *code = NULL;
    op_err e = {0};
    cr_assert_eq(dci_envelope_parse(env, acts, "openpes", true, &pe, &code, &e), OP_OK, "%s", e.detail);
    cr_assert_str_eq(pe.receiver_id, "sr-1");
    cr_assert_null(json_object_get(pe.header, "sender_uri"), "sync: no sender_uri");
    json_t *sc = json_object_get(json_array_get(json_object_get(pe.message, "search_request"), 0), "search_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(sc, "query_type")), "idtype-value");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(sc, "query"), "value")), "9503141042150");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(sc, "authorize"), "purpose"), "code")),
                     "employment_service");
    json_decref(env);
    r.sender_uri = "https://pes.example/registry/on-search";
    env = dci_client_build(&r);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(env, "header"), "sender_uri")), r.sender_uri);
    json_decref(env);
}

Test(dci_client, ibr_request_and_missing_fields) {
    struct dci_client_req r = base(DCI_KIND_IBR);
    json_t *env = dci_client_build(&r);
    json_t *it = json_array_get(json_object_get(json_object_get(env, "message"), "enrolled_criteria"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(it, "query"), "person_identifier"), "eq")),
                     "9503141042150");
    json_decref(env);
    r.national_id = NULL;
    cr_assert_null(dci_client_build(&r));
    r = base("crvs");
    cr_assert_null(dci_client_build(&r), "unknown kind");
}

static json_t *sr_answer(const char *records_json) {
    json_t *m = json_loads("{\"transaction_id\":\"t-1\",\"search_response\":[{\"reference_id\":\"r\",\"status\":\"succ\",\"data\":{}}]}", 0, NULL);
    json_object_set_new(json_object_get(json_array_get(json_object_get(m, "search_response"), 0), "data"), "reg_records",
                        json_loads(records_json, 0, NULL));
    return m;
}

Test(dci_client, normalise_social_registry) {
    op_err e = {0};
    json_t *f, *m = sr_answer("[{\"additional_attributes\":{\"household_income_pct\":48.5,\"basic_livelihood_status\":\"recipient\"}}]");
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, m, &f, &e), OP_OK, "%s", e.detail);
    cr_assert(json_is_true(json_object_get(f, "found")));
    cr_assert_float_eq(json_real_value(json_object_get(f, "household_income_pct")), 48.5, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(f, "basic_livelihood_status")), "recipient");
    json_decref(f);
    json_decref(m);
    /* [{name, value}] attributes, numeric string */
    m = sr_answer("[{\"additional_attributes\":[{\"name\":\"household_income_pct\",\"value\":\"60\"}]}]");
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, m, &f, &e), OP_OK);
    cr_assert_float_eq(json_real_value(json_object_get(f, "household_income_pct")), 60.0, 1e-9);
    cr_assert_null(json_object_get(f, "basic_livelihood_status"));
    json_decref(f);
    json_decref(m);
    /* nobody */
    m = sr_answer("[]");
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, m, &f, &e), OP_OK);
    cr_assert(json_is_false(json_object_get(f, "found")));
    json_decref(f);
    json_decref(m);
    /* garbage value */
    m = sr_answer("[{\"household_income_pct\":\"lots\"}]");
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, m, &f, &e), OP_BAD_REQUEST);
    json_decref(m);
    /* rejected item carries the partner's reason */
    m = json_loads("{\"search_response\":[{\"status\":\"rjct\",\"status_reason_code\":\"rjct.search_criteria.invalid\"}]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, m, &f, &e), OP_BAD_REQUEST);
    cr_assert(strstr(e.detail, "rjct.search_criteria.invalid"), "%s", e.detail);
    json_decref(m);
    cr_assert_eq(dci_client_normalise(DCI_KIND_SR, NULL, &f, &e), OP_BAD_REQUEST);
}

Test(dci_client, normalise_ibr) {
    op_err e = {0};
    json_t *f, *m = json_loads("{\"enrolled_response\":[{\"status\":\"succ\",\"enrolled_status\":\"Exited\",\"programme_identifier\":\"A\"},"
                               "{\"status\":\"succ\",\"enrolled_status\":\"yes\",\"programme_identifier\":{\"eq\":\"B\"}}]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_OK, "%s", e.detail);
    cr_assert(json_is_true(json_object_get(f, "enrolled")));
    json_t *p = json_object_get(f, "programmes");
    cr_assert_eq(json_array_size(p), 2);
    cr_assert(json_is_false(json_object_get(json_array_get(p, 0), "enrolled")));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 1), "programme")), "B");
    json_decref(f);
    json_decref(m);
    m = json_loads("{\"enrolled_response\":{\"status\":\"succ\",\"enrolled_status\":\"Inactive\"}}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_OK);
    cr_assert(json_is_false(json_object_get(f, "enrolled")));
    json_decref(f);
    json_decref(m);
    m = json_loads("{\"enrolled_response\":[{\"status\":\"succ\"}]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_BAD_REQUEST);
    json_decref(m);
    m = json_loads("{\"enrolled_response\":[]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_BAD_REQUEST);
    json_decref(m);
}

/* The IBR asked asynchronously: a search request (reg_type IBR), answered by Beneficiary records. */
Test(dci_client, ibr_async_search_and_beneficiaries) {
    struct dci_client_req r = base(DCI_KIND_IBR);
    r.sender_uri = "https://pes.example/registry/on-search";
    json_t *env = dci_client_build(&r);
    json_t *sc = json_object_get(json_array_get(json_object_get(json_object_get(env, "message"), "search_request"), 0), "search_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(sc, "reg_type")), "ns:org:RegistryType:IBR");
    cr_assert_null(json_object_get(json_object_get(env, "message"), "enrolled_criteria"));
    json_decref(env);
    op_err e = {0};
    json_t *f, *m = json_loads("{\"search_response\":[{\"status\":\"succ\",\"data\":{\"reg_records\":[{\"member\":{\"programme_identifier\":"
                               "{\"programme\":{\"programme_identifier\":\"DCI001\"},\"enrolment_status\":\"Active\"}}},"
                               "{\"programme_identifier\":[{\"programme_identifier\":\"P2\",\"enrollment_status\":\"Exited\"}]}]}}]}",
                               0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_OK, "%s", e.detail);
    cr_assert(json_is_true(json_object_get(f, "enrolled")));
    json_t *p = json_object_get(f, "programmes");
    cr_assert_eq(json_array_size(p), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 0), "programme")), "DCI001");
    cr_assert(json_is_false(json_object_get(json_array_get(p, 1), "enrolled")));
    json_decref(f);
    json_decref(m);
    m = json_loads("{\"search_response\":[{\"status\":\"succ\",\"data\":{\"reg_records\":[]}}]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_OK);
    cr_assert(json_is_false(json_object_get(f, "enrolled")));
    json_decref(f);
    json_decref(m);
    m = json_loads("{\"search_response\":[{\"status\":\"rjct\",\"status_reason_code\":\"rjct.search_criteria.invalid\"}]}", 0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_BAD_REQUEST);
    cr_assert(strstr(e.detail, "rjct.search_criteria.invalid"));
    json_decref(m);
    m = json_loads("{\"search_response\":[{\"status\":\"succ\",\"data\":{\"reg_records\":[{\"programme_identifier\":{\"programme_identifier\":\"X\"}}]}}]}",
                   0, NULL);
    cr_assert_eq(dci_client_normalise(DCI_KIND_IBR, m, &f, &e), OP_BAD_REQUEST, "a programme without a status");
    json_decref(m);
}
