/* test_jobs_search.c - taxonomy (levels, subtrees, picker, import), vacancy search in Korean and English,
 * filters, pagination, lifecycle effects, the feed, and identical results on SQLite and PostgreSQL. */
#include "testlib.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "core/ctx.h"
#include "jobs/jobs.h"

static ctx C;
static char EMP[ID_LEN], EMP2[ID_LEN];

static void employer(const char *brn, const char *size, char out_id[ID_LEN]) {
    json_t *in = json_pack("{s:s, s:s, s:s}", "name", brn, "brn", brn, "size_class", size), *out;
    cr_assert_eq(jobs_employer_create(&C, in, &out), OP_OK, "%s", C.err.detail);
    snprintf(out_id, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(in);
    json_decref(out);
}

static void setup(void) {
    test_db_open();
    op_err e = {0};
    cr_assert(ctx_init_system(&C, "test", NULL, &e), "%s", e.detail);
    employer("220-81-62517", "small", EMP);
    employer("124-81-00998", "large", EMP2);
}
static void teardown(void) { ctx_release(&C); }
TestSuite(jobs_search, .init = setup, .fini = teardown);

static const char *post(const char *emp, const char *title, const char *desc, const char *occ, const char *region,
                        int salary, int hours, const char *contract) {
    char closing[11];
    date_format(date_today() + 30, closing);
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:i, s:s, s:s, s:{s:s}, s:s}", "employer_id", emp, "title",
                          title, "description", desc, "occupation", occ, "region", region, "salary_min", salary, "salary_max",
                          salary + 500000, "salary_period", "month", "hours_per_week", hours, "contract", contract,
                          "closing_date", closing, "contact", "method", "online", "education", "bachelor"),
           *out;
    op_clear(&C.err);
    cr_assert_eq(jobs_vacancy_create(&C, v, &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "published", "%s", jx_dump(C.a, out));
    const char *id = arena_strdup(C.a, json_string_value(json_object_get(out, "id")));
    json_decref(v);
    json_decref(out);
    return id;
}

static void corpus(void) {
    post(EMP, "소프트웨어 개발자 채용", "백엔드 서비스를 개발하고 운영합니다.", "2512", "KR-11", 4000000, 40, "permanent");
    post(EMP, "웹 디자이너 모집", "브랜드 웹사이트 화면을 디자인합니다.", "2166", "KR-11", 3000000, 40, "fixed_term");
    post(EMP2, "Senior Software Developer", "Build distributed systems in C and Go.", "2512", "KR-26", 5500000, 40, "permanent");
    post(EMP2, "Database Administrator", "Operate PostgreSQL clusters; the role includes on-call duty.", "2521", "KR-11",
         5000000, 40, "permanent");
    post(EMP, "요양보호사 구인", "어르신 일상생활을 지원합니다. 개발 업무 없음.", "5321", "KR-41", 2300000, 30, "part_time");
    post(EMP2, "Cook", "Korean cuisine in a busy kitchen, developer of new menus.", "5120", "KR-41", 2800000, 45, "permanent");
}

static json_t *search(struct jobs_query q) {
    if (!q.page) q.page = 1;
    if (!q.page_size) q.page_size = 20;
    if (!q.salary_min) q.salary_min = -1;
    json_t *out = NULL;
    op_clear(&C.err);
    op_code rc = jobs_search(&C, &q, &out);
    cr_assert_eq(rc, OP_OK, "search %s: %s %s", q.q ? q.q : "", op_code_str(rc), C.err.detail);
    return jx_arena(C.a, out);
}
static int total(json_t *r) { return (int)json_integer_value(json_object_get(r, "total")); }
static const char *title(json_t *r, size_t i) {
    return json_string_value(json_object_get(json_array_get(json_object_get(r, "items"), i), "title"));
}
static op_code search_rc(struct jobs_query q) {
    if (!q.page) q.page = 1;
    if (!q.page_size) q.page_size = 20;
    if (!q.salary_min) q.salary_min = -1;
    json_t *out = NULL;
    op_clear(&C.err);
    op_code rc = jobs_search(&C, &q, &out);
    json_decref(out);
    return rc;
}

Test(jobs_search, isco_levels_and_subtrees) {
    int n[5] = {0};
    for (unsigned i = 0; i < jobs_isco_rows_count; i++) n[jobs_isco_rows[i].level]++;
    cr_assert_eq(n[1], 10);
    cr_assert_eq(n[2], 43);
    cr_assert_eq(n[3], 130);
    cr_assert_eq(n[4], 436);
    cr_assert_eq(jobs_isco_find("25")->level, 2);
    cr_assert_null(jobs_isco_find("99"));
    cr_assert_null(jobs_isco_find("25a"));
    cr_assert(jobs_isco_in_subtree("2512", "25"));
    cr_assert(jobs_isco_in_subtree("2529", "2"));
    cr_assert_not(jobs_isco_in_subtree("2612", "25"));
}

Test(jobs_search, occupation_picker_and_import) {
    json_t *out;
    cr_assert_eq(jobs_occupations(&C, "2512", NULL, 0, 10, &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "items"), 0), "code")), "2512");
    json_decref(out);
    cr_assert_eq(jobs_occupations(&C, "SOFTWARE dev", NULL, 4, 10, &out), OP_OK);
    cr_assert_geq(json_array_size(json_object_get(out, "items")), 1);
    json_decref(out);
    /* A national scheme, a crosswalk and Korean ISCO titles. */
    char scheme[] = "/tmp/openpes-ut-keco-XXXXXX", xw[] = "/tmp/openpes-ut-xw-XXXXXX";
    FILE *f = fdopen(mkstemp(scheme), "w");
    fprintf(f, "scheme,version,code,level,parent,title_en,title_ko\n"
               "KECO,2018,1,1,,Management,관리직\n"
               "KECO,2018,13,2,1,ICT,정보통신 관리직\n"
               "KECO,2018,1330,4,13,Software developer,\"응용 소프트웨어 개발자\"\n"
               "KECO,2018,9999,4,77,Orphan,고아\n"
               "ISCO-08,2008,2512,4,251,,소프트웨어 개발자\n");
    fclose(f);
    f = fdopen(mkstemp(xw), "w");
    fprintf(f, "from_scheme,from_version,from_code,to_scheme,to_version,to_code,weight\n"
               "KECO,2018,1330,ISCO-08,2008,2512,0.8\n"
               "KECO,2018,1330,ISCO-08,2008,2514,0.2\n"
               "KECO,2018,1330,ISCO-08,2008,9998,0.5\n"
               "KECO,2018,1330,ISCO-08,2008,2519,1.5\n");
    fclose(f);
    char *rep = NULL;
    size_t rl = 0;
    FILE *r = open_memstream(&rep, &rl);
    long ok, bad;
    cr_assert_eq(jobs_import_taxonomy(&C, scheme, r, &ok, &bad), OP_OK, "%s", C.err.detail);
    cr_assert_eq(ok, 4);
    cr_assert_eq(bad, 1, "the orphan");
    cr_assert_eq(jobs_import_taxonomy(&C, xw, r, &ok, &bad), OP_OK);
    cr_assert_eq(ok, 2);
    cr_assert_eq(bad, 2, "unknown target code and weight > 1");
    fclose(r);
    cr_assert(strstr(rep, "parent \"77\""), "%s", rep);
    free(rep);
    cr_assert_eq(jobs_occupations(&C, "개발자", NULL, 0, 10, &out), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(out, "items")), 2, "%s", json_dumps(out, 0));
    json_decref(out);
    cr_assert_eq(jobs_occupations(&C, NULL, "KECO", 0, 10, &out), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(out, "items")), 3);
    json_decref(out);
    store_stmt *st = store_query(C.db, &C.err, "SELECT SUM(weight) FROM occupation_crosswalk WHERE from_code = '1330'", "");
    cr_assert(st);
    cr_assert_eq(store_col_int(st, 0), 1000);
    store_reset(st);
    unlink(scheme);
    unlink(xw);
}

Test(jobs_search, korean_substrings_and_two_character_queries) {
    corpus();
    json_t *r = search((struct jobs_query){.q = "개발자"});
    cr_assert_eq(total(r), 1);
    cr_assert_str_eq(title(r, 0), "소프트웨어 개발자 채용");
    r = search((struct jobs_query){.q = "트웨어"}); /* inside a word */
    cr_assert_eq(total(r), 1);
    r = search((struct jobs_query){.q = "개발"}); /* 2 characters: titles */
    cr_assert_eq(total(r), 1, "2-character terms match titles only");
    r = search((struct jobs_query){.q = "구인"});
    cr_assert_eq(total(r), 1);
    cr_assert_str_eq(title(r, 0), "요양보호사 구인");
    r = search((struct jobs_query){.q = "어르신 지원합니다"}); /* description, two terms */
    cr_assert_eq(total(r), 1);
    r = search((struct jobs_query){.q = "개 발자"}); /* one-character term ignored */
    cr_assert_eq(total(r), 1);
    cr_assert_eq(search_rc((struct jobs_query){.q = "개"}), OP_BAD_QUERY);
    cr_assert_str_eq(C.err.field, "q");
}

Test(jobs_search, english_words_and_relevance) {
    corpus();
    json_t *r = search((struct jobs_query){.q = "DEVELOPER"});
    cr_assert_eq(total(r), 2, "title and description matches, case-insensitive");
    cr_assert_str_eq(title(r, 0), "Senior Software Developer", "a title match ranks first");
    cr_assert_str_eq(title(r, 1), "Cook");
    r = search((struct jobs_query){.q = "software developer"});
    cr_assert_eq(total(r), 1);
    r = search((struct jobs_query){.q = "postgresql on-call"});
    cr_assert_eq(total(r), 1);
    cr_assert_str_eq(title(r, 0), "Database Administrator");
    r = search((struct jobs_query){.q = "100% \"quoted\""});
    cr_assert_eq(total(r), 0, "special characters are harmless");
}

Test(jobs_search, filters_combine) {
    corpus();
    cr_assert_eq(total(search((struct jobs_query){.occupation = "25"})), 3, "2512, 2512, 2521");
    cr_assert_eq(total(search((struct jobs_query){.occupation = "2"})), 4);
    cr_assert_eq(total(search((struct jobs_query){.occupation = "2512"})), 2);
    cr_assert_eq(total(search((struct jobs_query){.occupation = "25", .region = "KR-11"})), 2);
    cr_assert_eq(total(search((struct jobs_query){.salary_min = 5000000})), 2, "max salary >= 5,000,000");
    cr_assert_eq(total(search((struct jobs_query){.salary_min = 25000, .salary_period = "hour"})), 2, "25,000 x 209");
    cr_assert_eq(total(search((struct jobs_query){.hours_max = 40})), 5);
    cr_assert_eq(total(search((struct jobs_query){.contract = "part_time"})), 1);
    cr_assert_eq(total(search((struct jobs_query){.employer_size = "large"})), 3);
    cr_assert_eq(total(search((struct jobs_query){.education = "high_school"})), 0, "all need a bachelor");
    cr_assert_eq(total(search((struct jobs_query){.education = "master"})), 6);
    cr_assert_eq(total(search((struct jobs_query){.q = "developer", .region = "KR-26", .employer_size = "large",
                                                  .contract = "permanent", .occupation = "251"})),
                 1);
    char today[11];
    date_format(date_today(), today);
    cr_assert_eq(total(search((struct jobs_query){.posted_since = today})), 6);
    cr_assert_eq(total(search((struct jobs_query){.posted_since = "2099-01-01"})), 0);
    json_t *r = search((struct jobs_query){.sort = "salary"});
    cr_assert_str_eq(title(r, 0), "Senior Software Developer");
}

Test(jobs_search, bad_queries_are_refused) {
    cr_assert_eq(search_rc((struct jobs_query){.occupation = "99"}), OP_BAD_QUERY);
    cr_assert_str_eq(C.err.field, "occupation");
    cr_assert_eq(search_rc((struct jobs_query){.region = "KR-00"}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.contract = "forever"}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.sort = "random"}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.page_size = 500}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.page = 1000, .page_size = 100}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.posted_since = "yesterday"}), OP_BAD_QUERY);
    cr_assert_eq(search_rc((struct jobs_query){.q = "a b c"}), OP_BAD_QUERY);
    char longq[400];
    memset(longq, 'x', 300);
    longq[300] = 0;
    cr_assert_eq(search_rc((struct jobs_query){.q = longq}), OP_BAD_QUERY);
}

Test(jobs_search, closed_and_expired_leave_search_at_once) {
    corpus();
    const char *id = post(EMP, "물류센터 분류원", "택배 상품 분류 작업입니다.", "9621", "KR-41", 2500000, 40, "daily");
    cr_assert_eq(total(search((struct jobs_query){.q = "분류원"})), 1);
    cr_assert_eq(jobs_vacancy_close(&C, id, "withdrawn"), OP_OK);
    cr_assert_eq(total(search((struct jobs_query){.q = "분류원"})), 0);
    cr_assert_eq(total(search((struct jobs_query){.q = "분류"})), 0, "bigrams dropped too");
    const char *id2 = post(EMP, "물류센터 분류원", "택배 상품 분류 작업입니다.", "9621", "KR-41", 2500000, 40, "daily");
    cr_assert_eq(store_exec(C.db, &C.err, NULL, "UPDATE vacancies SET closing_date = '2020-01-01' WHERE id = ?", "s", id2),
                 OP_OK);
    cr_assert_eq(total(search((struct jobs_query){.q = "분류원"})), 0, "past its closing date before the job runs");
}

Test(jobs_search, pagination_is_stable) {
    cr_assert_eq(vacancy_seed(&C, 300, 7), OP_OK, "%s", C.err.detail);
    const char *sorts[] = {"date", "salary", "relevance"};
    for (int s = 0; s < 3; s++) {
        json_t *all = search((struct jobs_query){.q = s == 2 ? "개발" : NULL, .sort = sorts[s], .page_size = 100});
        int n = total(all);
        cr_assert_gt(n, 5);
        json_t *items = json_object_get(all, "items");
        int seen = 0;
        for (int page = 1; seen < n && seen < 100; page++) {
            json_t *p = search((struct jobs_query){.q = s == 2 ? "개발" : NULL, .sort = sorts[s], .page = page, .page_size = 7});
            json_t *pi = json_object_get(p, "items");
            for (size_t i = 0; i < json_array_size(pi) && seen < 100; i++, seen++)
                cr_assert(json_equal(json_object_get(json_array_get(pi, i), "id"),
                                     json_object_get(json_array_get(items, (size_t)seen), "id")),
                          "%s: page %d item %zu differs", sorts[s], page, i);
        }
    }
}

Test(jobs_search, suggest_and_stream) {
    corpus();
    json_t *out;
    cr_assert_eq(jobs_suggest(&C, "소프", &out), OP_OK, "%s", C.err.detail);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "titles"), 0), "title")),
                     "소프트웨어 개발자 채용");
    json_decref(out);
    cr_assert_eq(jobs_suggest(&C, "softw", &out), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(out, "titles")), 1);
    cr_assert_geq(json_array_size(json_object_get(out, "occupations")), 1);
    json_decref(out);
    cr_assert_eq(jobs_suggest(&C, "s", &out), OP_BAD_QUERY);
    cr_assert_eq(jobs_stream(&C, "2000-01-01T00:00:00Z", NULL, 4, &out), OP_OK, "%s", C.err.detail);
    json_t *items = json_object_get(out, "items");
    cr_assert_eq(json_array_size(items), 4);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "kind")), "published");
    cr_assert(json_object_get(json_array_get(items, 0), "vacancy"));
    const char *cur = arena_strdup(C.a, json_string_value(json_object_get(out, "next_cursor")));
    json_decref(out);
    cr_assert_eq(jobs_stream(&C, NULL, cur, 100, &out), OP_OK);
    cr_assert_eq(json_array_size(json_object_get(out, "items")), 2);
    json_decref(out);
    cr_assert_eq(jobs_stream(&C, "not a time", NULL, 10, &out), OP_BAD_QUERY);
}

/* The same seeded data on SQLite and on PostgreSQL answer the same queries identically. */
static char *answers(void) {
    cr_assert_eq(vacancy_seed(&C, 400, 42), OP_OK, "%s", C.err.detail);
    struct jobs_query qs[] = {
        {.q = "개발자"}, {.q = "개발"}, {.q = "developer"}, {.q = "software developer", .sort = "date"},
        {.q = "모집합니다", .region = "KR-11"}, {.occupation = "25"}, {.occupation = "5", .sort = "salary"},
        {.q = "지원", .hours_max = 30, .contract = "part_time"}, {.salary_min = 4000000, .employer_size = "large"},
        {.q = "care", .education = "bachelor"}, {.q = "요양", .page = 2, .page_size = 5},
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        json_t *r = search(qs[i]);
        fprintf(f, "Q%zu total=%d:", i, total(r));
        json_t *items = json_object_get(r, "items");
        for (size_t j = 0; j < json_array_size(items); j++) {
            json_t *it = json_array_get(items, j);
            fprintf(f, " [%s|%s|%s|%lld]", json_string_value(json_object_get(it, "title")),
                    json_string_value(json_object_get(json_object_get(it, "employer"), "name")),
                    json_string_value(json_object_get(it, "published_at")),
                    (long long)json_integer_value(json_object_get(it, "salary_min")));
        }
        fprintf(f, "\n");
    }
    fclose(f);
    return buf;
}

Test(jobs_search, sqlite_and_postgresql_give_identical_results) {
    if (!test_db_is_pg()) {
        cr_log_info("runs when OPENPES_TEST_PG_ADMIN is set");
        return;
    }
    char *pg = answers();
    ctx_release(&C);
    store_thread_close();
    char path[128];
    snprintf(path, sizeof path, "/tmp/openpes-ut-cross-%d.db", (int)getpid());
    unlink(path);
    store_set_url(path);
    op_err e = {0};
    store *s = store_thread(&e);
    cr_assert(s, "%s", e.detail);
    cr_assert_eq(store_migrate(s, &e), OP_OK, "%s", e.detail);
    cr_assert(ctx_init_system(&C, "test", NULL, &e));
    char *lite = answers();
    cr_assert(strlen(pg) > 500, "%s", pg);
    cr_assert_str_eq(lite, pg);
    free(pg);
    free(lite);
    unlink(path);
}
