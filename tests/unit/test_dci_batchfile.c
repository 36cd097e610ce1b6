/* test_dci_batchfile.c - batch files (src/dci/batchfile.c): csv (RFC 4180 quoting, CRLF, BOM,
 * line numbers across quoted newlines) and jsonl files turned into search_request,
 * subscribe_request and txnstatus_request items or subscription codes, bad lines into per-line
 * rejections (or, for unsubscribe files, a refused file), whole-file problems refused. */
#include <string.h>

#include "base/jsonx.h"
#include "dci/batchfile.h"
#include "testlib.h"

static arena *A;
static void setup(void) {
    A = arena_new(0);
}
static void teardown(void) { arena_free(A); }
TestSuite(dci_batchfile, .init = setup, .fini = teardown);

#define TS "2026-03-01T10:00:00Z"

static enum dci_batch_kind kind = DCI_BATCH_SEARCH; /* what the lines are (set per test) */

static json_t *items_ok(const char *fmt, const char *data, size_t len, int64_t *bad) {
    json_t *items;
    char detail[300];
    const char *hint;
    cr_assert(dci_batch_items(A, kind, fmt, data, len, TS, &items, bad, detail, sizeof detail, &hint), "%s", detail);
    return items;
}

static const char *file_err(const char *fmt, const char *data, size_t len) {
    json_t *items;
    int64_t bad;
    static char detail[300];
    const char *hint;
    cr_assert_not(dci_batch_items(A, kind, fmt, data, len, TS, &items, &bad, detail, sizeof detail, &hint));
    cr_assert(hint && *hint, "a hint for %s", detail);
    return detail;
}

static const char *line_msg(json_t *it) {
    return json_string_value(json_object_get(json_object_get(it, DCI_LINE_ERROR), "message"));
}

Test(dci_batchfile, csv_rows_become_search_requests) {
    const char *csv = "\xEF\xBB\xBFreference_id,query_type,attribute,operator,value,purpose,page_size,locale,timestamp\r\n"
                      "a,idtype-value,UIN,,800101-1234567,welfare_referral,,kor,\r\n"
                      "b,predicate,region,in,KR-11|KR-26,,10,,2026-01-01T00:00:00+09:00\r\n"
                      "\"c\",expression,,,\"{\"\"region\"\": \"\"KR-11\"\"}\",,,,\r\n"
                      "\"d, with \"\"quotes\"\"\",predicate,occupation,eq,\"multi\nline\",,,,\n"
                      "e,predicate,region,,KR-11,,,,";
    int64_t bad;
    json_t *items = items_ok("csv", csv, strlen(csv), &bad);
    cr_assert_eq(bad, 0);
    cr_assert_eq(json_array_size(items), 5, "%s", jx_dump(A, items));
    json_t *a = json_array_get(items, 0), *ca = json_object_get(a, "search_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(a, "reference_id")), "a");
    cr_assert_str_eq(json_string_value(json_object_get(a, "timestamp")), TS, "the default timestamp");
    cr_assert_str_eq(json_string_value(json_object_get(a, "locale")), "kor");
    cr_assert_str_eq(jx_dump(A, json_object_get(ca, "query")), "{\"type\":\"UIN\",\"value\":\"800101-1234567\"}");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(ca, "authorize"), "purpose"), "code")), "welfare_referral");
    json_t *cb = json_object_get(json_array_get(items, 1), "search_criteria");
    cr_assert_str_eq(jx_dump(A, json_object_get(json_object_get(json_array_get(json_object_get(cb, "query"), 0), "expression1"), "attribute_value")),
                     "[\"KR-11\",\"KR-26\"]");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(cb, "pagination"), "page_size")), 10);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "timestamp")), "2026-01-01T00:00:00+09:00");
    json_t *cc = json_object_get(json_array_get(items, 2), "search_criteria");
    cr_assert_str_eq(jx_dump(A, json_object_get(json_object_get(cc, "query"), "value")), "{\"expression\":{\"region\":\"KR-11\"}}");
    json_t *d = json_array_get(items, 3);
    cr_assert_str_eq(json_string_value(json_object_get(d, "reference_id")), "d, with \"quotes\"");
    const char *v = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(json_object_get(d, "search_criteria"), "query"), 0), "expression1"), "attribute_value"));
    cr_assert_str_eq(v, "multi\nline");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(
                         json_object_get(json_array_get(items, 4), "search_criteria"), "query"), 0), "expression1"), "operator")),
                     "eq", "operator defaults to eq");
}

Test(dci_batchfile, csv_bad_lines_are_rejected_alone_with_their_line_number) {
    const char *csv = "reference_id,query_type,attribute,value\n"
                      "ok1,idtype-value,UIN,1\n"               /* line 2 */
                      "\"q\nq\",predicate,region,\"KR\n11\"\n" /* lines 3-5 */
                      "few,idtype-value\n"                     /* line 6 */
                      "x,idtype-value,UIN,a\"b\n"              /* line 7 */
                      ",idtype-value,UIN,1\n"                  /* line 8 */
                      "ok1,idtype-value,UIN,2\n"               /* line 9 */
                      "e,expression,,{not json\n"              /* line 10 */
                      "p,predicate,,KR-11\n"                   /* line 11 */
                      "t,idtype-value,UIN,1,\n"                /* line 12 */
                      "ok2,idtype-value,UIN,\"unterminated\n";  /* line 13 */
    int64_t bad;
    json_t *items = items_ok("csv", csv, strlen(csv), &bad);
    cr_assert_eq(json_array_size(items), 10, "%s", jx_dump(A, items));
    cr_assert_eq(bad, 8);
    cr_assert_null(json_object_get(json_array_get(items, 0), DCI_LINE_ERROR));
    cr_assert_null(json_object_get(json_array_get(items, 1), DCI_LINE_ERROR), "a quoted newline is data");
    cr_assert_str_eq(line_msg(json_array_get(items, 2)), "line 6: 2 fields, the header has 4");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 2), "reference_id")), "line-6");
    cr_assert_str_eq(line_msg(json_array_get(items, 3)), "line 7: a quote inside an unquoted field (quote the whole field)");
    cr_assert_str_eq(line_msg(json_array_get(items, 4)), "line 8: reference_id must be 1-99 characters");
    cr_assert_str_eq(line_msg(json_array_get(items, 5)), "line 9: reference_id \"ok1\" already used on line 2");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 5), DCI_LINE_ERROR), "code")),
                     "rjct.reference_id.duplicate");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 6), "reference_id")), "e");
    cr_assert_str_eq(line_msg(json_array_get(items, 6)), "line 10: the expression in value is not a JSON object");
    cr_assert_str_eq(line_msg(json_array_get(items, 7)), "line 11: predicate needs attribute");
    cr_assert_str_eq(line_msg(json_array_get(items, 8)), "line 12: 5 fields, the header has 4");
    cr_assert_str_eq(line_msg(json_array_get(items, 9)), "line 13: a quoted field is not closed");
}

Test(dci_batchfile, csv_whole_file_problems) {
    cr_assert_str_eq(file_err("csv", "", 0), "the csv file is empty");
    cr_assert_str_eq(file_err("csv", "\n\r\n", 3), "the csv file is empty");
    cr_assert_str_eq(file_err("csv", "reference_id,query_type,value\n", 30), "the file holds no requests");
    cr_assert_str_eq(file_err("csv", "reference_id,query_type,value,Value\nx,y,z,w\n", 44), "line 1: unknown column \"Value\"");
    cr_assert_str_eq(file_err("csv", "reference_id,value,value\n", 25), "line 1: column \"value\" appears twice");
    cr_assert_str_eq(file_err("csv", "reference_id,value\nx,1\n", 23), "the header row needs the columns reference_id, query_type and value");
    cr_assert_str_eq(file_err("csv", "a,b\nc,\xC0\xAF\n", 10), "line 2 is not UTF-8 text (byte 7)", "an overlong form");
    cr_assert_str_eq(file_err("csv", "a,b\n\nc\0d\n", 10), "line 3 is not UTF-8 text (byte 7)", "a NUL byte");
    cr_assert_str_eq(file_err("csv", "a,\xED\xA0\x80\n", 7), "line 1 is not UTF-8 text (byte 3)", "a surrogate");
    size_t n = DCI_BATCH_ITEMS_MAX + 1;
    char *big = arena_alloc(A, 40 + n * 24), *p = big;
    p += sprintf(p, "reference_id,query_type,value\n");
    for (size_t i = 0; i < n; i++) p += sprintf(p, "r%zu,idtype-value,1\n", i);
    cr_assert_str_eq(file_err("csv", big, (size_t)(p - big)), "the file holds more than 10000 requests");
}

Test(dci_batchfile, jsonl_lines) {
    const char *jl = "{\"reference_id\":\"a\",\"search_criteria\":{\"query_type\":\"idtype-value\",\"query\":{\"type\":\"UIN\",\"value\":\"1\"}}}\r\n"
                     "\n"
                     "[1,2]\n"
                     "{\"reference_id\":\"a\"}\n"
                     "{\"reference_id\":\"b\",\"locale\":\"EN\"}\n"
                     "{\"reference_id\":\"c\",\"pagination\":{\"page_size\":0}}\n"
                     "{\"reference_id\":\"d\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"" DCI_LINE_ERROR "\":{\"code\":\"x\",\"message\":\"y\"}} \n"
                     "{bad";
    int64_t bad;
    json_t *items = items_ok("jsonl", jl, strlen(jl), &bad);
    cr_assert_eq(json_array_size(items), 7, "%s", jx_dump(A, items));
    cr_assert_eq(bad, 5);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "timestamp")), TS);
    cr_assert_str_eq(line_msg(json_array_get(items, 1)), "line 3: not a JSON object (another JSON value)");
    cr_assert_str_eq(line_msg(json_array_get(items, 2)), "line 4: reference_id \"a\" already used on line 1");
    cr_assert_str_eq(line_msg(json_array_get(items, 3)), "line 5: locale must be three lower-case letters");
    cr_assert_str_eq(line_msg(json_array_get(items, 4)), "line 6: page_size and page_number must be integers of at least 1");
    json_t *d = json_array_get(items, 5);
    cr_assert_null(json_object_get(d, DCI_LINE_ERROR), "a partner cannot forge a line error");
    cr_assert_str_eq(json_string_value(json_object_get(d, "timestamp")), "2026-01-01T00:00:00Z");
    cr_assert(strncmp(line_msg(json_array_get(items, 6)), "line 8: not a JSON object (", 27) == 0, "%s", line_msg(json_array_get(items, 6)));
    cr_assert_str_eq(file_err("jsonl", "\n \n", 3), "the file holds no requests");
}

Test(dci_batchfile, subscribe_rows) {
    kind = DCI_BATCH_SUBSCRIBE;
    const char *csv = "reference_id,reg_event_type,filter_type,attribute,operator,value,purpose,frequency,end_time\n"
                      "a,employment_started,idtype-value,UIN,,800101-1234567,welfare_referral,,\n"
                      "b,registration_changed,,region,in,KR-11|KR-26,,0 0 6 * * ?,2099-01-01T00:00:00Z\n"
                      "c,employment_ended,expression,,,\"{\"\"region\"\":\"\"KR-11\"\"}\",,,\n"
                      "d,employment_ended,graphql,,,x,,,\n"
                      "a,employment_ended,predicate,region,eq,KR-11,,,\n";
    int64_t bad = 0;
    json_t *items = items_ok("csv", csv, strlen(csv), &bad);
    cr_assert_eq(json_array_size(items), 5);
    cr_assert_eq(bad, 2);
    json_t *a = json_object_get(json_array_get(items, 0), "subscribe_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(a, "filter_type")), "idtype-value");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "filter"), "type")), "UIN");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(a, "authorize"), "purpose"), "code")), "welfare_referral");
    json_t *b = json_object_get(json_array_get(items, 1), "subscribe_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(b, "filter_type")), "predicate", "the default");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(json_array_get(json_object_get(b, "filter"), 0), "expression1"), "attribute_value")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "frequency"), "frequency")), "0 0 6 * * ?");
    cr_assert_null(json_object_get(json_object_get(b, "frequency"), "start_time"), "only the given fields");
    json_t *c = json_object_get(json_array_get(items, 2), "subscribe_criteria");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(json_object_get(c, "filter"), "value"), "expression"), "region")),
                     "KR-11");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 3), DCI_LINE_ERROR), "code")),
                     "rjct.notify_details.invalid");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 4), DCI_LINE_ERROR), "code")),
                     "rjct.reference_id.duplicate");
    cr_assert(strstr(file_err("csv", "reference_id,filter_type\nx,predicate\n", 37), "reference_id and reg_event_type"));
    const char *jl = "{\"reference_id\":\"j\",\"subscribe_criteria\":{}}\n\"text\"\n";
    items = items_ok("jsonl", jl, strlen(jl), &bad);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "timestamp")), TS);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 1), DCI_LINE_ERROR), "code")),
                     "rjct.notify_details.invalid");
    kind = DCI_BATCH_SEARCH;
}

Test(dci_batchfile, unsubscribe_codes_and_status_lines) {
    kind = DCI_BATCH_UNSUBSCRIBE;
    int64_t bad = 0;
    json_t *items = items_ok("csv", "subscription_code\nsub-1\r\nsub-2\n", 31, &bad);
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_str_eq(json_string_value(json_array_get(items, 1)), "sub-2");
    const char *jl = "\"sub-1\"\n{\"subscription_code\":\"sub-2\"}\n";
    items = items_ok("jsonl", jl, strlen(jl), &bad);
    cr_assert_str_eq(json_string_value(json_array_get(items, 1)), "sub-2");
    cr_assert(strstr(file_err("jsonl", "\"sub-1\"\n{}\n", 11), "line 2: not a subscription code"));
    cr_assert(strstr(file_err("csv", "subscription_code\n\n,\n", 21), "fields"));
    kind = DCI_BATCH_STATUS;
    const char *csv = "reference_id,attribute_type,attribute_value\nq1,correlation_id,c-1\nq1,transaction_id,t\n";
    items = items_ok("csv", csv, strlen(csv), &bad);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "txn_type")), "search", "the default");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "attribute_value")), "c-1");
    cr_assert_null(json_object_get(json_array_get(items, 0), "timestamp"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 1), DCI_LINE_ERROR), "code")),
                     "rjct.reference_id.duplicate");
    kind = DCI_BATCH_SEARCH;
}
