/* test_dci_member.c - Member records (DO.EMP.02 shape), derived attributes and data minimisation
 * to a data-sharing agreement (src/dci/member.c). */
#include "base/jsonx.h"
#include "dci/member.h"
#include "testlib.h"

static arena *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }
TestSuite(dci_member, .init = setup, .fini = teardown);

static const struct dci_member_row ROW = {
    .id = "p-1", .given = "민준", .family = "김", .birth_date = "1995-03-14", .sex = "M", .region = "KR-11",
    .education = "bachelor",
    .profile = "{\"work_history\":[{\"employer\":\"Acme\",\"occupation\":\"2512\",\"title\":\"Developer\",\"start_date\":\"2018-01-01\","
               "\"end_date\":\"2025-12-31\"},{\"employer\":\"Old\",\"occupation\":\"4110\",\"title\":\"Clerk\",\"start_date\":\"2015-01-01\","
               "\"end_date\":\"2017-12-31\"}]}",
    .created_at = "2026-01-01T00:00:00Z", .updated_at = "2026-02-01T00:00:00Z", .reg_status = "active", .reg_date = "2026-01-05",
    .reg_reason = NULL};

static struct dci_agreement agreement(const char *fields) {
    struct dci_agreement ag;
    memset(&ag, 0, sizeof ag);
    ag.fields = jx_arena(A, json_loads(fields, 0, NULL));
    ag.attributes = jx_arena(A, json_array());
    return ag;
}

Test(dci_member, values_and_full_record) {
    const char *v[DQ_NATTR];
    dci_member_values(A, &ROW, v);
    cr_assert_str_eq(v[DQ_EMPLOYMENT_STATUS], "unemployed");
    cr_assert_str_eq(v[DQ_OCCUPATION], "2512"); /* the latest spell */
    cr_assert_str_eq(v[DQ_REGION], "KR-11");
    cr_assert_str_eq(v[DQ_REGISTRATION_DATE], "2026-01-05");
    json_t *m = jx_arena(A, dci_member_build(A, &ROW, "9503141042150"));
    cr_assert_str_eq(json_string_value(json_object_get(m, "@type")), "spdci:Member");
    json_t *ids = json_object_get(m, "member_identifier");
    cr_assert_eq(json_array_size(ids), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ids, 0), "identifier_value")), "9503141042150");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(m, "demographic_info"), "name"), "surname")), "김");
    cr_assert_eq(json_array_size(json_object_get(m, "employment_info")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "additional_attributes"), "occupation_title")), "Developer");
    cr_assert_str_eq(v[DQ_BENEFIT_STATUS], "none", "no claim");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "additional_attributes"), "benefit_status")), "none");
    struct dci_member_row claimant = ROW;
    claimant.claim_status = "active";
    dci_member_values(A, &claimant, v);
    cr_assert_str_eq(v[DQ_BENEFIT_STATUS], "active");
    json_t *mc = jx_arena(A, dci_member_build(A, &claimant, NULL));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(mc, "additional_attributes"), "benefit_status")), "active");

    struct dci_member_row placed = ROW;
    placed.reg_status = "closed";
    dci_member_values(A, &placed, v);
    cr_assert_str_eq(v[DQ_EMPLOYMENT_STATUS], "inactive");
    placed.profile = "{\"work_history\":[{\"employer\":\"Now\",\"occupation\":\"5223\",\"start_date\":\"2026-02-01\"}]}";
    dci_member_values(A, &placed, v);
    cr_assert_str_eq(v[DQ_EMPLOYMENT_STATUS], "employed");
    cr_assert_str_eq(v[DQ_OCCUPATION], "5223");
}

Test(dci_member, minimise_to_agreement) {
    json_t *m = jx_arena(A, dci_member_build(A, &ROW, "9503141042150"));
    struct dci_agreement ag = agreement("[\"employment_status\",\"demographic_info.name\",\"additional_attributes.region\"]");
    dci_member_minimise(m, &ag);
    cr_assert_eq(json_object_size(m), 4, "%s", jx_dump(A, m));
    cr_assert(json_object_get(m, "@type"));
    cr_assert(json_object_get(m, "employment_status"));
    json_t *d = json_object_get(m, "demographic_info");
    cr_assert_eq(json_object_size(d), 1);
    cr_assert(json_object_get(d, "name"));
    json_t *x = json_object_get(m, "additional_attributes");
    cr_assert_eq(json_object_size(x), 1);
    cr_assert(json_object_get(x, "region"));
    cr_assert_null(json_object_get(m, "member_identifier"));

    json_t *m2 = jx_arena(A, dci_member_build(A, &ROW, NULL));
    struct dci_agreement none = agreement("[]");
    dci_member_minimise(m2, &none);
    cr_assert_eq(json_object_size(m2), 1); /* only @type */
    cr_assert(dci_agreement_allows_field(&ag, "demographic_info.name"));
    cr_assert_not(dci_agreement_allows_field(&ag, "demographic_info"));
    struct dci_agreement parent = agreement("[\"demographic_info\"]");
    cr_assert(dci_agreement_allows_field(&parent, "demographic_info.sex"));
}
