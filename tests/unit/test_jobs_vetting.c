/* test_jobs_vetting.c - business registration numbers, each vetting rule (positive and negative, Korean
 * and English), the counsellor queue and the vacancy lifecycle. */
#include "testlib.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "jobs_fixture.h"

TestSuite(jobs_vetting, .init = jobs_fixture_setup, .fini = jobs_fixture_teardown);

static char closing[11];
/* A clean vacancy; `extra` (JSON text) overrides fields. */
static json_t *vac(const char *extra) {
    date_format(date_today() + 30, closing);
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:i, s:s, s:s, s:{s:s}}", "employer_id", EMP, "title",
                          "소프트웨어 개발자 채용", "description", "백엔드 서비스 개발과 운영을 담당합니다. 4대보험 가입.",
                          "occupation", "2512", "region", "KR-11", "salary_min", 3500000, "salary_max", 4500000,
                          "salary_period", "month", "hours_per_week", 40, "contract", "permanent", "closing_date", closing,
                          "contact", "method", "online");
    if (extra) {
        json_t *x = json_loads(extra, 0, NULL);
        cr_assert(x, "bad extra %s", extra);
        json_object_update(v, x);
        json_decref(x);
    }
    return v;
}

static json_t *post(const char *extra, op_code want) {
    json_t *in = vac(extra), *out = NULL;
    op_clear(&C.err);
    op_code rc = jobs_vacancy_create(&C, in, &out);
    json_decref(in);
    cr_assert_eq(rc, want, "posting %s: got %s (%s)", extra ? extra : "{}", op_code_str(rc), C.err.detail);
    if (out) jx_arena(C.a, out);
    return out;
}

static bool has_reason(const json_t *v, const char *code) {
    json_t *r = json_object_get(v, "reasons");
    for (size_t i = 0; i < json_array_size(r); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(r, i), "code")), code) == 0) return true;
    return false;
}
static const char *status(const json_t *v) { return json_string_value(json_object_get(v, "status")); }

Test(jobs_vetting, brn_check_digit) {
    cr_assert(jobs_brn_valid("220-81-62517"));
    cr_assert(jobs_brn_valid("2208162517"));
    cr_assert(jobs_brn_valid("124-81-00998"));
    cr_assert_not(jobs_brn_valid("220-81-62518"), "wrong check digit");
    cr_assert_not(jobs_brn_valid("22081-62517"), "misplaced dashes");
    cr_assert_not(jobs_brn_valid("220816251"), "too short");
    cr_assert_not(jobs_brn_valid("220816251a"));
    cr_assert_not(jobs_brn_valid("22-081-62517"));
}

Test(jobs_vetting, employer_create_validates) {
    json_t *out = NULL;
    json_t *bad = json_pack("{s:s, s:s, s:s}", "name", "X", "brn", "220-81-62518", "size_class", "small");
    cr_assert_eq(jobs_employer_create(&C, bad, &out), OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "brn");
    json_decref(bad);
    bad = json_pack("{s:s, s:s, s:s}", "name", "X", "brn", "2208162517", "size_class", "small");
    op_clear(&C.err);
    cr_assert_eq(jobs_employer_create(&C, bad, &out), OP_DUPLICATE, "same BRN without dashes");
    json_decref(bad);
}

Test(jobs_vetting, text_discrimination_korean_and_english) {
    char d[160];
    struct { const char *text, *code; } yes[] = {
        {"20~30대 직원 모집", "discrimination.age"},       {"30대 초반 우대", "discrimination.age"},
        {"만 35세 이하 지원 가능", "discrimination.age"},   {"applicants under 35 please", "discrimination.age"},
        {"남성만 지원 가능합니다", "discrimination.sex"},   {"여성 우대", "discrimination.sex"},
        {"Female only, night shift", "discrimination.sex"}, {"must be male", "discrimination.sex"},
        {"미혼 직원 우대", "discrimination.marital_status"}, {"Must be single", "discrimination.marital_status"},
        {"용모 단정한 분", "discrimination.appearance"},    {"Attractive hostess wanted", "discrimination.appearance"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        const char *got = jobs_vet_text_discrimination(yes[i].text, d, sizeof d);
        cr_assert(got && strcmp(got, yes[i].code) == 0, "\"%s\": want %s, got %s", yes[i].text, yes[i].code,
                  got ? got : "nothing");
    }
    const char *no[] = {"성별 무관, 연령 무관", "만 18세 이상 누구나 지원 가능", "차량 1대 지원",
                        "All ages and genders welcome", "We build attractions for theme parks",
                        "소프트웨어 개발자 채용"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        const char *got = jobs_vet_text_discrimination(no[i], d, sizeof d);
        cr_assert_null(got, "\"%s\" flagged as %s (%s)", no[i], got, d);
    }
}

Test(jobs_vetting, text_contact_details) {
    char d[160];
    const char *yes[] = {"연락처 010-1234-5678 로 문의", "전화 02 123 4567", "+82 10 1234 5678 call",
                         "send CV to hr@acme.co.kr", "카톡 아이디 acme123", "Telegram: @acmejobs", "01012345678"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert(jobs_vet_text_contact(yes[i], d, sizeof d), "\"%s\" not detected", yes[i]);
    const char *no[] = {"급여 3,500,000원", "2026년 12월 31일 마감", "ISO 9001 인증 기업", "주 40시간 근무",
                        "salary 35000000 per year", "email us via the portal"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert_not(jobs_vet_text_contact(no[i], d, sizeof d), "\"%s\" flagged: %s", no[i], d);
}

Test(jobs_vetting, minimum_wage_comes_from_the_policy_pack) {
    int64_t w, d;
    date_parse("2026-03-01", &d);
    cr_assert(jobs_min_wage("KR", d, "hour", &w), "the KR pack has a 2026 minimum wage");
    cr_assert_eq(w, 10320);
    cr_assert(jobs_min_wage("KR", d, "month", &w));
    cr_assert_eq(w, 10320 * 209);
    date_parse("2025-06-01", &d);
    cr_assert(jobs_min_wage("KR", d, "hour", &w));
    cr_assert_eq(w, 10030);
    cr_assert_not(jobs_min_wage("ZZ", d, "hour", &w), "no pack, no check");
}

Test(jobs_vetting, clean_vacancy_is_published) {
    json_t *v = post(NULL, OP_OK);
    cr_assert_str_eq(status(v), "published");
    cr_assert_eq(json_array_size(json_object_get(v, "reasons")), 0);
}

Test(jobs_vetting, below_minimum_wage_is_rejected_per_period) {
    cr_assert(has_reason(post("{\"salary_min\":1500000,\"salary_max\":1600000}", OP_OK), "pay.below_minimum_wage"));
    json_t *h = post("{\"title\":\"카페 바리스타\",\"occupation\":\"5131\",\"salary_min\":9000,\"salary_max\":9500,"
                     "\"salary_period\":\"hour\",\"contract\":\"part_time\",\"hours_per_week\":20}", OP_OK);
    cr_assert_str_eq(status(h), "rejected");
    cr_assert(has_reason(h, "pay.below_minimum_wage"));
    json_t *ok = post("{\"title\":\"Barista\",\"occupation\":\"5131\",\"salary_min\":10320,\"salary_max\":11000,"
                      "\"salary_period\":\"hour\",\"contract\":\"part_time\",\"hours_per_week\":20}", OP_OK);
    cr_assert_str_eq(status(ok), "published", "exactly the minimum is fine");
    json_t *y = post("{\"title\":\"Clerk\",\"occupation\":\"4110\",\"salary_min\":24000000,\"salary_max\":25000000,"
                     "\"salary_period\":\"year\"}", OP_OK);
    cr_assert(has_reason(y, "pay.below_minimum_wage"), "2,000,000 a month is below 10,320 x 209");
}

Test(jobs_vetting, structured_discrimination_is_rejected) {
    json_t *v = post("{\"age_max\":35}", OP_OK);
    cr_assert_str_eq(status(v), "rejected");
    cr_assert(has_reason(v, "discrimination.age"));
    cr_assert(has_reason(post("{\"title\":\"Receptionist\",\"preferred_sex\":\"female\"}", OP_OK), "discrimination.sex"));
    cr_assert(has_reason(post("{\"title\":\"Driver\",\"marital_status\":\"single\"}", OP_OK), "discrimination.marital_status"));
    cr_assert(has_reason(post("{\"title\":\"Host\",\"appearance\":\"tall\"}", OP_OK), "discrimination.appearance"));
    cr_assert_str_eq(status(post("{\"title\":\"Cook\",\"preferred_sex\":\"any\"}", OP_OK)), "published");
}

Test(jobs_vetting, discriminatory_text_is_held_for_review) {
    json_t *v = post("{\"description\":\"매장 고객 응대 업무입니다. 용모 단정한 20~30대 환영.\"}", OP_OK);
    cr_assert_str_eq(status(v), "held");
    cr_assert(has_reason(v, "discrimination.appearance"));
    cr_assert(has_reason(v, "discrimination.age"));
    json_t *e = post("{\"title\":\"Hostess\",\"description\":\"Female only. Night shifts in a lounge bar.\"}", OP_OK);
    cr_assert_str_eq(status(e), "held");
    cr_assert(has_reason(e, "discrimination.sex"));
}

Test(jobs_vetting, contact_in_description_is_rejected) {
    json_t *v = post("{\"description\":\"관심 있는 분은 010-9876-5432 로 연락 주세요.\"}", OP_OK);
    cr_assert_str_eq(status(v), "rejected");
    cr_assert(has_reason(v, "contact.in_description"));
    cr_assert(has_reason(post("{\"title\":\"Welder\",\"occupation\":\"7212\",\"description\":\"Send your CV to jobs@acme.com today\"}",
                              OP_OK), "contact.in_description"));
}

Test(jobs_vetting, required_fields_for_publication) {
    json_t *in = vac(NULL), *out = NULL;
    json_object_del(in, "contact");
    json_object_del(in, "hours_per_week");
    cr_assert_eq(jobs_vacancy_create(&C, in, &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(status(out), "rejected");
    cr_assert(has_reason(out, "required.missing"));
    json_decref(in);
    json_decref(out);
}

Test(jobs_vetting, duplicates_of_an_open_vacancy) {
    json_t *a = post(NULL, OP_OK);
    cr_assert_str_eq(status(a), "published");
    json_t *b = post("{\"title\":\"소프트웨어  개발자 (채용)\"}", OP_OK);
    cr_assert_str_eq(status(b), "rejected", "same normalised title, occupation, region");
    cr_assert(has_reason(b, "duplicate.open_vacancy"));
    cr_assert_str_eq(status(post("{\"region\":\"KR-26\"}", OP_OK)), "published", "another region is another vacancy");
    cr_assert_eq(jobs_vacancy_close(&C, json_string_value(json_object_get(a, "id")), "withdrawn"), OP_OK);
    cr_assert_str_eq(status(post(NULL, OP_OK)), "published", "the first one is closed now");
}

Test(jobs_vetting, bad_input_is_refused) {
    post("{\"occupation\":\"25\"}", OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "occupation");
    post("{\"occupation\":\"9999\"}", OP_VALIDATION);
    post("{\"region\":\"KR-99\"}", OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "region");
    post("{\"salary_min\":5000000,\"salary_max\":4000000}", OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "salary_max");
    post("{\"closing_date\":\"2020-01-01\"}", OP_VALIDATION);
    cr_assert_str_eq(C.err.field, "closing_date");
    post("{\"nonsense\":1}", OP_UNKNOWN_FIELD);
    char *big = malloc(JOBS_DESC_MAX + 40);
    memset(big, 'a', JOBS_DESC_MAX + 1);
    big[JOBS_DESC_MAX + 1] = 0;
    json_t *in = vac(NULL), *out = NULL;
    json_object_set_new(in, "description", json_string(big));
    cr_assert_eq(jobs_vacancy_create(&C, in, &out), OP_TOO_LARGE);
    json_decref(in);
    free(big);
}

Test(jobs_vetting, unverified_employer_is_held_then_approved_or_rejected) {
    /* An employer account registers itself: unverified. */
    C.who.type = ACTOR_EMPLOYER;
    snprintf(C.who.id, sizeof C.who.id, "acct-1");
    C.who.employer_id[0] = 0;
    json_t *in = json_pack("{s:s, s:s, s:s}", "name", "New Co", "brn", "124-81-00998", "size_class", "micro"), *out;
    cr_assert_eq(jobs_employer_create(&C, in, &out), OP_CONFLICT, "no such account row to link");
    json_decref(in);
    /* Link through a real account row. */
    cr_assert_eq(store_exec(C.db, &C.err, NULL,
                            "INSERT INTO accounts (id, username, password_hash, kind, display_name, created_at)"
                            " VALUES ('acct-1', 'newco', 'x', 'employer', 'New Co', '2026-01-01T00:00:00Z')", ""), OP_OK,
                 "%s", C.err.detail);
    in = json_pack("{s:s, s:s, s:s}", "name", "New Co", "brn", "124-81-00998", "size_class", "micro");
    op_clear(&C.err);
    cr_assert_eq(jobs_employer_create(&C, in, &out), OP_OK, "%s", C.err.detail);
    cr_assert(json_is_false(json_object_get(out, "verified")));
    json_decref(in);
    json_decref(out);
    json_t *v = post("{\"employer_id\":null}", OP_OK);
    cr_assert_str_eq(status(v), "held");
    cr_assert(has_reason(v, "employer.unverified"));
    json_t *w = post("{\"employer_id\":null,\"region\":\"KR-26\"}", OP_OK);
    /* Counsellor decisions. */
    C.who.type = ACTOR_STAFF;
    C.who.role = ROLE_COUNSELLOR;
    json_t *q;
    cr_assert_eq(jobs_vetting_queue(&C, 10, 0, &q), OP_OK);
    cr_assert_eq(json_integer_value(json_object_get(q, "total")), 2);
    json_decref(q);
    cr_assert_eq(jobs_vetting_decide(&C, json_string_value(json_object_get(v, "id")), "approve", NULL, "checked", &out), OP_OK,
                 "%s", C.err.detail);
    cr_assert_str_eq(status(out), "published");
    json_decref(out);
    cr_assert_eq(jobs_vetting_decide(&C, json_string_value(json_object_get(w, "id")), "reject", "counsellor.misleading",
                                     "pay unclear", &out), OP_OK);
    cr_assert_str_eq(status(out), "rejected");
    cr_assert(has_reason(out, "counsellor.misleading"));
    json_decref(out);
    op_clear(&C.err);
    cr_assert_eq(jobs_vetting_decide(&C, json_string_value(json_object_get(w, "id")), "approve", NULL, NULL, &out), OP_CONFLICT);
}

Test(jobs_vetting, hires_close_a_vacancy_when_openings_are_filled) {
    json_t *v = post("{\"openings\":2}", OP_OK);
    const char *id = json_string_value(json_object_get(v, "id"));
    cr_assert_eq(vacancy_record_hire(&C, id), OP_OK, "%s", C.err.detail);
    json_t *out;
    cr_assert_eq(jobs_vacancy_get(&C, id, &out), OP_OK);
    cr_assert_str_eq(status(out), "published");
    json_decref(out);
    bool matched;
    cr_assert_eq(jobs_employment_registered(&C, EMP, NULL, "2512", &matched), OP_OK, "%s", C.err.detail);
    cr_assert(matched);
    cr_assert_eq(jobs_vacancy_get(&C, id, &out), OP_OK);
    cr_assert_str_eq(status(out), "closed");
    cr_assert_str_eq(json_string_value(json_object_get(out, "closed_reason")), "filled");
    json_decref(out);
    cr_assert_eq(jobs_employment_registered(&C, EMP, NULL, "2512", &matched), OP_OK);
    cr_assert_not(matched, "no open vacancy left");
    store_stmt *st = store_query(C.db, &C.err, "SELECT COUNT(*) FROM events WHERE type LIKE 'vacancy.%' AND subject = ?", "s", id);
    cr_assert(st);
    cr_assert_eq(store_col_int(st, 0), 3, "published, changed, closed");
    store_reset(st);
}

Test(jobs_vetting, expired_vacancies_close) {
    json_t *v = post(NULL, OP_OK);
    const char *id = json_string_value(json_object_get(v, "id"));
    cr_assert_eq(store_exec(C.db, &C.err, NULL, "UPDATE vacancies SET closing_date = '2020-01-01' WHERE id = ?", "s", id), OP_OK);
    cr_assert_eq(jobs_close_expired(&C), 1);
    json_t *out;
    cr_assert_eq(jobs_vacancy_get(&C, id, &out), OP_OK);
    cr_assert_str_eq(status(out), "closed");
    cr_assert_str_eq(json_string_value(json_object_get(out, "closed_reason")), "expired");
    json_decref(out);
    cr_assert_eq(jobs_close_expired(&C), 0);
}

Test(jobs_vetting, patch_revets_and_checks_version) {
    json_t *v = post(NULL, OP_OK);
    const char *id = json_string_value(json_object_get(v, "id"));
    json_t *p = json_pack("{s:s, s:i}", "description", "업무 설명입니다. 용모 단정한 분을 찾습니다.", "version", 1), *out;
    cr_assert_eq(jobs_vacancy_patch(&C, id, p, &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(status(out), "held");
    json_decref(out);
    json_decref(p);
    p = json_pack("{s:s, s:i}", "title", "x", "version", 1);
    cr_assert_eq(jobs_vacancy_patch(&C, id, p, &out), OP_CONFLICT);
    json_decref(p);
    p = json_pack("{s:s}", "description", "백엔드 개발 업무입니다. 성실한 분 환영합니다.");
    cr_assert_eq(jobs_vacancy_patch(&C, id, p, &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(status(out), "published");
    json_decref(out);
    json_decref(p);
}
