/* test_dci_query.c - DCI search criteria parsing and evaluation (src/dci/query.c). */
#include "dci/query.h"
#include "testlib.h"

static arena *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }
TestSuite(dci_query, .init = setup, .fini = teardown);

static bool parse(const char *json, struct dq_query *q, const char **reason) {
    json_error_t je;
    json_t *c = json_loads(json, 0, &je);
    cr_assert(c, "test JSON: %s", je.text);
    char msg[200];
    bool ok = dq_parse(A, c, q, reason, msg, sizeof msg);
    json_decref(c);
    return ok;
}

/* values: employment_status, occupation, education_level, registration_date, birth_date, sex, region, benefit_status */
static const char *P1[DQ_NATTR] = {"unemployed", "2512", "bachelor", "2026-03-01", "1995-03-14", "M", "KR-11", "none", NULL};
static const char *P2[DQ_NATTR] = {"employed", "5223", "high_school", NULL, "1980-01-01", "F", "KR-26", "none", NULL};

Test(dci_query, idtype_value) {
    struct dq_query q;
    const char *r;
    cr_assert(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"950314-1042150\"}}", &q, &r));
    cr_assert_eq(q.kind, DQ_KIND_ID);
    cr_assert_str_eq(q.id_type, "UIN");
    cr_assert_eq(q.page_size, 20);
    cr_assert(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"OPENPES\",\"value\":12345}}", &q, &r));
    cr_assert_str_eq(q.id_value, "12345");
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"BRN\",\"value\":\"1\"}}", &q, &r));
    cr_assert_str_eq(r, "rjct.search_criteria.invalid");
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"reg_type\":\"ns:org:RegistryType:Civil\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"}}", &q, &r));
}

Test(dci_query, predicate_conditions) {
    struct dq_query q;
    const char *r;
    cr_assert(parse("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":2,\"expression1\":{\"attribute_name\":\"region\",\"operator\":\"in\","
                    "\"attribute_value\":[\"KR-11\",\"KR-28\"]}},{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"employment_status\","
                    "\"operator\":\"eq\",\"attribute_value\":\"unemployed\"}}],\"authorize\":{\"purpose\":{\"code\":\"statistics\"}}}",
                    &q, &r));
    cr_assert(dq_eval(q.root, P1));
    cr_assert_not(dq_eval(q.root, P2));
    cr_assert_str_eq(q.purpose, "statistics");
    cr_assert(q.attrs_used == ((1u << DQ_REGION) | (1u << DQ_EMPLOYMENT_STATUS)));
    /* or within an item; not; ge/lt on dates */
    cr_assert(parse("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"region\",\"operator\":\"eq\","
                    "\"attribute_value\":\"KR-26\"},\"condition\":\"or\",\"expression2\":{\"attribute_name\":\"demographic_info.birth_date\","
                    "\"operator\":\"ge\",\"attribute_value\":\"1990-01-01\"}}]}",
                    &q, &r));
    cr_assert(dq_eval(q.root, P1) && dq_eval(q.root, P2));
    cr_assert(parse("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"demographic_info.sex\",\"operator\":\"eq\","
                    "\"attribute_value\":\"M\"},\"condition\":\"not\",\"expression2\":{\"attribute_name\":\"registration_date\","
                    "\"operator\":\"lt\",\"attribute_value\":\"2026-01-01\"}}]}",
                    &q, &r));
    cr_assert(dq_eval(q.root, P1));
    cr_assert_not(dq_eval(q.root, P2));
    /* an "in" list sent as a JSON string */
    cr_assert(parse("{\"query_type\":\"predicate\",\"query\":[{\"seq_num\":1,\"expression1\":{\"attribute_name\":\"occupation\",\"operator\":\"in\","
                    "\"attribute_value\":\"[\\\"5223\\\"]\"}}]}",
                    &q, &r));
    cr_assert(dq_eval(q.root, P2) && !dq_eval(q.root, P1));
}

Test(dci_query, predicate_rejections) {
    struct dq_query q;
    const char *r;
    cr_assert_not(parse("{\"query_type\":\"predicate\",\"query\":[{\"expression1\":{\"attribute_name\":\"salary\",\"operator\":\"eq\",\"attribute_value\":1}}]}", &q, &r));
    cr_assert_str_eq(r, "rjct.filter.invalid");
    cr_assert_not(parse("{\"query_type\":\"predicate\",\"query\":[{\"expression1\":{\"attribute_name\":\"region\",\"operator\":\"gte\",\"attribute_value\":1}}]}", &q, &r));
    cr_assert_str_eq(r, "rjct.filter.invalid");
    cr_assert_not(parse("{\"query_type\":\"predicate\",\"query\":[{\"expression1\":{\"attribute_name\":\"region\",\"operator\":\"in\",\"attribute_value\":\"KR\"}}]}", &q, &r));
    cr_assert_not(parse("{\"query_type\":\"predicate\",\"query\":[]}", &q, &r));
    cr_assert_str_eq(r, "rjct.search_criteria.invalid");
    cr_assert_not(parse("{\"query_type\":\"predicate\",\"query\":[{\"expression1\":{\"attribute_name\":\"region\",\"operator\":\"eq\",\"attribute_value\":\"x\"},"
                        "\"condition\":\"xor\"}]}", &q, &r));
}

Test(dci_query, expression) {
    struct dq_query q;
    const char *r;
    cr_assert(parse("{\"query_type\":\"expression\",\"query\":{\"type\":\"ns:org:QueryType:expression\",\"value\":{\"collection\":\"Member\","
                    "\"expression\":{\"$and\":[{\"region\":{\"$in\":[\"KR-11\"]}},{\"$or\":[{\"occupation\":\"2512\"},"
                    "{\"demographic_info.birth_date\":{\"$gte\":\"1999-01-01\",\"$lt\":\"2000-01-01\"}}]}]}}}}",
                    &q, &r));
    cr_assert(dq_eval(q.root, P1));
    cr_assert_not(dq_eval(q.root, P2));
    cr_assert(parse("{\"query_type\":\"expression\",\"query\":{\"value\":{\"expression\":{\"$not\":{\"region\":{\"$ne\":\"KR-26\"}}}}}}", &q, &r));
    cr_assert(dq_eval(q.root, P2) && !dq_eval(q.root, P1));
    /* expression given as a JSON string */
    cr_assert(parse("{\"query_type\":\"expression\",\"query\":{\"value\":{\"expression\":\"{\\\"employment_status\\\":\\\"employed\\\"}\"}}}", &q, &r));
    cr_assert(dq_eval(q.root, P2) && !dq_eval(q.root, P1));
    cr_assert_not(parse("{\"query_type\":\"expression\",\"query\":{\"value\":{\"expression\":{\"region\":{\"$regex\":\"KR\"}}}}}", &q, &r));
    cr_assert_str_eq(r, "rjct.filter.invalid");
    cr_assert_not(parse("{\"query_type\":\"expression\",\"query\":{\"value\":{\"expression\":{\"$where\":\"1\"}}}}", &q, &r));
    cr_assert_not(parse("{\"query_type\":\"expression\",\"query\":{\"value\":{\"collection\":\"Group\",\"expression\":{\"region\":\"KR\"}}}}", &q, &r));
    cr_assert_str_eq(r, "rjct.search_criteria.invalid");
}

Test(dci_query, sort_and_pagination) {
    struct dq_query q;
    const char *r;
    cr_assert(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"},\"sort\":[{\"attribute_name\":\"registration_date\","
                    "\"sort_order\":\"desc\"},{\"attribute_name\":\"last_updated\"}],\"pagination\":{\"page_size\":5,\"page_number\":3}}",
                    &q, &r));
    cr_assert_eq(q.nsort, 2);
    cr_assert_eq(q.sort_attr[0], DQ_REGISTRATION_DATE);
    cr_assert(q.sort_desc[0] && !q.sort_desc[1]);
    cr_assert_eq(q.page_size, 5);
    cr_assert_eq(q.page_number, 3);
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"},\"sort\":[{\"attribute_name\":\"region\"}]}", &q, &r));
    cr_assert_str_eq(r, "rjct.sort.invalid");
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"},\"sort\":[{\"attribute_name\":\"last_updated\",\"sort_order\":\"up\"}]}", &q, &r));
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"},\"pagination\":{\"page_size\":0}}", &q, &r));
    cr_assert_str_eq(r, "rjct.pagination.invalid");
    cr_assert_not(parse("{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"},\"pagination\":{\"page_size\":10,\"page_number\":0}}", &q, &r));
}
