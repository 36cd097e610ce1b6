/* test_match_rank.c - recommendations: factor explanations, ordered scores, candidates only with
 * consent and only the allowed fields, learning moves weights the expected way, bad input. */
#include "testlib.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "core/ctx.h"
#include "domain/person.h"
#include "jobs/jobs.h"
#include "jobs_fixture.h"
#include "match/match.h"

TestSuite(match, .init = jobs_fixture_setup, .fini = jobs_fixture_teardown);

static const char *vac(const char *title, const char *occ, const char *region, int salary, const char *skill) {
    char closing[11];
    date_format(date_today() + 30, closing);
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:i, s:s, s:s, s:{s:s}, s:s, s:[s]}", "employer_id", EMP,
                          "title", title, "description", "A job with a description long enough.", "occupation", occ,
                          "region", region, "salary_min", salary, "salary_max", salary + 500000, "salary_period", "month",
                          "hours_per_week", 40, "contract", "permanent", "closing_date", closing, "contact", "method",
                          "online", "education", "bachelor", "skills", skill),
           *out;
    cr_assert_eq(jobs_vacancy_create(&C, v, &out), OP_OK, "%s", C.err.detail);
    const char *id = arena_strdup(C.a, json_string_value(json_object_get(out, "id")));
    json_decref(v);
    json_decref(out);
    return id;
}

static const char *seeker(const char *nid) {
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:[s, s], s:{s:[s], s:[s], s:i, s:s}}",
                          "national_id", nid, "given_name", "Seo", "family_name", "Lee", "birth_date", "1990-01-01",
                          "address", "line", "Jongno 1", "postal_code", "03154", "region_code", "KR-11", "education",
                          "level", "bachelor", "major", "Computer science", "skills", "SQL", "C", "preferences",
                          "occupations", "2512", "regions", "KR-11", "salary_min", 3000000, "salary_period", "month"),
           *out;
    cr_assert_eq(person_create(&C, p, &out), OP_OK, "%s", C.err.detail);
    const char *id = arena_strdup(C.a, json_string_value(json_object_get(out, "id")));
    json_decref(p);
    json_decref(out);
    return id;
}

Test(match, recommendations_are_explained_and_ordered) {
    const char *best = vac("Software developer", "2512", "KR-11", 4000000, "SQL");
    vac("Web developer", "2513", "KR-11", 3500000, "Go");
    vac("Database administrator", "2521", "KR-26", 3000000, "SQL");
    vac("Cook", "5120", "KR-11", 2500000, "Knife");
    const char *pid = seeker("880808-2567890");
    json_t *out;
    cr_assert_eq(match_recommend_vacancies(&C, pid, 10, &out), OP_OK, "%s", C.err.detail);
    json_t *items = json_object_get(out, "items");
    cr_assert_geq(json_array_size(items), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 0), "vacancy"), "id")), best);
    int prev = 1001;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        int sc = (int)json_integer_value(json_object_get(it, "score"));
        cr_assert_leq(sc, prev, "scores descend");
        prev = sc;
        json_t *f = json_object_get(it, "factors");
        cr_assert_eq(json_array_size(f), MATCH_NF);
        for (size_t k = 0; k < MATCH_NF; k++) {
            cr_assert_str_eq(json_string_value(json_object_get(json_array_get(f, k), "factor")), match_factor_names[k]);
            cr_assert(json_string_length(json_object_get(json_array_get(f, k), "reason")) > 0);
        }
    }
    json_t *occ = json_array_get(json_object_get(json_array_get(items, 0), "factors"), MF_OCCUPATION);
    cr_assert_float_eq(json_real_value(json_object_get(occ, "value")), 1.0, 1e-9);
    json_decref(out);
    cr_assert_eq(match_recommend_vacancies(&C, pid, 0, &out), OP_BAD_QUERY);
    cr_assert_eq(match_recommend_vacancies(&C, "not-a-uuid", 5, &out), OP_NOT_FOUND);
}

Test(match, hierarchy_and_factors) {
    struct match_seeker s = {.nocc = 1, .occ = {"2512"}, .nregions = 1, .regions = {"KR-11"}, .edu_rank = 4,
                             .salary_month_min = 3000000, .nskills = 1, .skills = {"sql"}};
    struct match_vacancy v = {.occupation = "2512", .region = "KR-11", .salary_month_max = 4000000, .hours = 40,
                              .edu_rank = 4, .nskills = 2, .skills = {"sql", "go"}, .title_norm = "x"};
    double f[MATCH_NF];
    const char *why[MATCH_NF];
    match_factors(C.a, &s, &v, f, why);
    cr_assert_float_eq(f[MF_OCCUPATION], 1.0, 1e-9);
    cr_assert_float_eq(f[MF_SKILLS], 0.5, 1e-9);
    v.occupation = "2519";
    match_factors(C.a, &s, &v, f, why);
    cr_assert_float_eq(f[MF_OCCUPATION], 0.6, 1e-9, "same minor group");
    v.occupation = "2421";
    match_factors(C.a, &s, &v, f, why);
    cr_assert_float_eq(f[MF_OCCUPATION], 0.1, 1e-9, "same major group");
    s.nrel = 1, s.rel[0] = "2421", s.relw[0] = 1000;
    match_factors(C.a, &s, &v, f, why);
    cr_assert_float_eq(f[MF_OCCUPATION], 0.8, 1e-9, "through a crosswalk");
    v.salary_month_max = 1500000;
    match_factors(C.a, &s, &v, f, why);
    cr_assert_float_eq(f[MF_SALARY], 0.5, 1e-9);
}

Test(match, learning_moves_weights_toward_what_predicts_good_outcomes) {
    double f[40][MATCH_NF];
    bool pos[40];
    for (int k = 0; k < 40; k++) {
        for (int i = 0; i < MATCH_NF; i++) f[k][i] = 0.5;
        pos[k] = k % 4 == 0;
        f[k][MF_SKILLS] = pos[k] ? 1.0 : 0.2;  /* skills separate good outcomes */
        f[k][MF_REGION] = pos[k] ? 0.2 : 0.8;  /* region anti-correlates */
    }
    struct match_weights w;
    match_fit_from((const double(*)[MATCH_NF])f, pos, 40, &w);
    cr_assert_gt(w.w[MF_SKILLS], match_default_weights[MF_SKILLS]);
    cr_assert_lt(w.w[MF_REGION], match_default_weights[MF_REGION]);
    cr_assert_eq(w.w[MF_HOURS], match_default_weights[MF_HOURS], "a factor that does not separate keeps its weight");
    /* no positives: defaults */
    for (int k = 0; k < 40; k++) pos[k] = false;
    match_fit_from((const double(*)[MATCH_NF])f, pos, 40, &w);
    cr_assert_eq(w.w[MF_SKILLS], match_default_weights[MF_SKILLS]);
}

Test(match, candidates_only_with_consent_and_allowed_fields) {
    const char *v = vac("Software developer", "2512", "KR-11", 4000000, "SQL");
    const char *a = seeker("880808-2567890");
    seeker("900101-1234567");
    /* person a agrees to be found, showing identity and skills only */
    cr_assert_eq(store_exec(C.db, &C.err, NULL,
                            "INSERT INTO jobseeker_visibility (person_id, findable, fields, updated_at) VALUES (?, 1, ?, ?)",
                            "sis", a, (int64_t)((1u << 0) | (1u << 7)), "2026-01-01T00:00:00Z"),
                 OP_OK, "%s", C.err.detail);
    cr_assert_eq(jobs_seeker_index(&C, a), OP_OK, "%s", C.err.detail);
    json_t *out;
    cr_assert_eq(match_recommend_candidates(&C, v, 10, &out), OP_OK, "%s", C.err.detail);
    json_t *items = json_object_get(out, "items");
    cr_assert_eq(json_array_size(items), 1, "only the person who agreed");
    json_t *p = json_object_get(json_array_get(items, 0), "person");
    cr_assert_str_eq(json_string_value(json_object_get(p, "id")), a);
    cr_assert(json_object_get(p, "skills"));
    cr_assert_null(json_object_get(p, "address"), "address not allowed");
    cr_assert_null(json_object_get(p, "contact"), "contact not allowed");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(items, 0), "factors")), MATCH_NF);
    json_decref(out);
    cr_assert_eq(match_recommend_candidates(&C, v, 100, &out), OP_BAD_QUERY);
}

Test(match, fit_from_applications_in_the_database) {
    const char *v[4] = {vac("Software developer", "2512", "KR-11", 4000000, "SQL"), vac("Cook", "5120", "KR-11", 2500000, "Knife"),
                        vac("Driver", "8322", "KR-11", 2600000, "Driving"), vac("Cleaner", "9112", "KR-11", 2200000, "Care")};
    const char *p[2] = {seeker("880808-2567890"), seeker("900101-1234567")};
    int k = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++) {
            char id[ID_LEN];
            id_uuid7(id);
            cr_assert_eq(store_exec(C.db, &C.err, NULL,
                                    "INSERT INTO applications (id, vacancy_id, employer_id, person_id, status, applied_at, updated_at)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    "sssssss", id, v[j], EMP, p[i], j == 0 ? "hired" : "rejected", "2026-01-01T00:00:00Z",
                                    "2026-01-01T00:00:00Z"),
                         OP_OK, "%s", C.err.detail);
            k++;
        }
    struct match_weights w, stored;
    long used = 0;
    cr_assert_eq(match_fit(&C, &w, &used), OP_OK, "%s", C.err.detail);
    cr_assert_eq(used, k);
    cr_assert_gt(w.w[MF_OCCUPATION], match_default_weights[MF_OCCUPATION], "occupation told the hires apart");
    cr_assert_eq(w.w[MF_REGION], match_default_weights[MF_REGION], "all in KR-11: region did not");
    cr_assert_eq(match_weights_load(&C, &stored), OP_OK);
    cr_assert_eq(stored.w[MF_OCCUPATION], w.w[MF_OCCUPATION], "stored in match_weights");
}

static double occ_value(json_t *item) {
    return json_real_value(json_object_get(json_array_get(json_object_get(item, "factors"), MF_OCCUPATION), "value"));
}

Test(match, crosswalks_link_occupations_both_ways) {
    const char *rows[] = {"INSERT INTO occupations (scheme, version, code, level, title_en, created_at)"
                          " VALUES ('KECO', '2018', '1330', 4, 'Software', '2026-01-01')",
                          "INSERT INTO occupation_crosswalk VALUES ('KECO', '2018', '1330', 'ISCO-08', '2008', '2512', 800)",
                          "INSERT INTO occupation_crosswalk VALUES ('KECO', '2018', '1330', 'ISCO-08', '2008', '3512', 600)"};
    for (size_t i = 0; i < 3; i++) cr_assert_eq(store_exec(C.db, &C.err, NULL, rows[i], ""), OP_OK, "%s", C.err.detail);
    const char *v = vac("ICT support technician", "3512", "KR-11", 3500000, "SQL");
    const char *p = seeker("880808-2567890");
    json_t *out;
    cr_assert_eq(match_recommend_vacancies(&C, p, 10, &out), OP_OK, "%s", C.err.detail);
    json_t *it = json_array_get(json_object_get(out, "items"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(it, "vacancy"), "id")), v, "found through the crosswalk group");
    cr_assert_float_eq(occ_value(it), 0.48, 1e-9, "0.8 x the weaker link (600)");
    cr_assert(strstr(json_string_value(json_object_get(json_array_get(json_object_get(it, "factors"), MF_OCCUPATION), "reason")),
                     "crosswalk"));
    json_decref(out);
    cr_assert_eq(store_exec(C.db, &C.err, NULL,
                            "INSERT INTO jobseeker_visibility (person_id, findable, fields, updated_at) VALUES (?, 1, ?, ?)",
                            "sis", p, (int64_t)0x1ff, "2026-01-01T00:00:00Z"),
                 OP_OK);
    cr_assert_eq(jobs_seeker_index(&C, p), OP_OK, "%s", C.err.detail);
    cr_assert_eq(match_recommend_candidates(&C, v, 5, &out), OP_OK, "%s", C.err.detail);
    cr_assert_float_eq(occ_value(json_array_get(json_object_get(out, "items"), 0)), 0.48, 1e-9, "the same from the vacancy's side");
    json_decref(out);
}

static void findable(const char *pid) {
    cr_assert_eq(store_exec(C.db, &C.err, NULL,
                            "INSERT INTO jobseeker_visibility (person_id, findable, fields, updated_at) VALUES (?, 1, ?, ?)",
                            "sis", pid, (int64_t)0x1ff, "2026-01-01T00:00:00Z"),
                 OP_OK, "%s", C.err.detail);
    cr_assert_eq(jobs_seeker_index(&C, pid), OP_OK, "%s", C.err.detail);
}

static int considered(const char *vacancy) {
    json_t *out;
    cr_assert_eq(match_recommend_candidates(&C, vacancy, 10, &out), OP_OK, "%s", C.err.detail);
    int n = (int)json_integer_value(json_object_get(out, "considered"));
    json_decref(out);
    return n;
}

Test(match, candidates_come_from_the_occupation_index_and_follow_profile_changes) {
    const char *dev = vac("Software developer", "2512", "KR-11", 4000000, "SQL");
    const char *cook = vac("Cook", "5120", "KR-11", 2500000, "Knife");
    const char *a = seeker("880808-2567890"), *b = seeker("900101-1234567"); /* both seek 2512 */
    findable(a);
    findable(b);
    cr_assert_eq(considered(dev), 2, "both are in the developers' group");
    cr_assert_eq(considered(cook), 0, "nobody is in the cooks' group");
    /* b turns to cooking: the person.updated handler moves b to group 51 */
    json_t *patch = json_pack("{s:i, s:{s:[s]}}", "version", 1, "preferences", "occupations", "5120"), *out;
    cr_assert_eq(person_update(&C, b, patch, &out), OP_OK, "%s", C.err.detail);
    json_decref(patch);
    json_decref(out);
    cr_assert_eq(jobs_on_person_updated(&C, 0, "person.updated", b, NULL), OP_OK, "%s", C.err.detail);
    cr_assert_eq(considered(dev), 1);
    cr_assert_eq(considered(cook), 1);
    json_t *list;
    cr_assert_eq(match_recommend_candidates(&C, cook, 10, &list), OP_OK);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(list, "items"), 0), "person"), "id")), b);
    json_decref(list);
    /* turning findability off empties the person's entries */
    cr_assert_eq(store_exec(C.db, &C.err, NULL, "UPDATE jobseeker_visibility SET findable = 0 WHERE person_id = ?", "s", b), OP_OK);
    cr_assert_eq(jobs_seeker_index(&C, b), OP_OK);
    cr_assert_eq(considered(cook), 0);
}

static struct match_vacancy plain_vacancy(const char *region, const char *skill) {
    struct match_vacancy v = {0};
    v.id = "v";
    v.title = v.title_norm = "software developer";
    v.occupation = "2512";
    v.region = region;
    v.salary_month_max = 4000000;
    v.hours = 40;
    v.edu_rank = -1;
    if (skill) v.skills[v.nskills++] = jobs_norm(C.a, skill);
    return v;
}

Test(match, a_bordering_region_is_within_commuting_reach) {
    json_t *pref = json_pack("{s:[s]}", "regions", "KR-11");
    struct match_seeker s;
    cr_assert_eq(match_seeker_from(&C, NULL, NULL, NULL, NULL, NULL, pref, false, &s), OP_OK);
    json_decref(pref);
    double f[MATCH_NF];
    const char *why[MATCH_NF];
    struct match_vacancy seoul = plain_vacancy("KR-11", NULL), gyeonggi = plain_vacancy("KR-41", NULL),
                         busan = plain_vacancy("KR-26", NULL);
    match_factors(C.a, &s, &seoul, f, why);
    cr_assert_float_eq(f[MF_REGION], 1.0, 1e-9);
    match_factors(C.a, &s, &gyeonggi, f, why);
    cr_assert_float_eq(f[MF_REGION], 0.5, 1e-9, "Gyeonggi borders Seoul");
    cr_assert(strstr(why[MF_REGION], "commuting"), "%s", why[MF_REGION]);
    match_factors(C.a, &s, &busan, f, why);
    cr_assert_float_eq(f[MF_REGION], 0.0, 1e-9, "Busan is not within reach of Seoul");
    cr_assert(match_regions_border("KR-41", "KR-11") && match_regions_border("KR-11-680", "KR-41"));
    cr_assert_not(match_regions_border("KR-49", "KR-46"), "Jeju borders nothing by land");
}

Test(match, completed_training_named_by_the_vacancy_counts) {
    struct match_seeker none, holder;
    cr_assert_eq(match_seeker_from(&C, NULL, NULL, NULL, NULL, NULL, NULL, false, &none), OP_OK);
    cr_assert_eq(match_seeker_from(&C, NULL, NULL, NULL, NULL, NULL, NULL, false, &holder), OP_OK);
    json_t *q = json_pack("[{s:s}, {s:s}]", "name", "정보처리기사", "name", "SQLD");
    match_seeker_qualifications(C.a, &holder, q);
    json_decref(q);
    cr_assert_eq(holder.nquals, 2);
    double f[MATCH_NF];
    const char *why[MATCH_NF];
    struct match_vacancy named = plain_vacancy("KR-11", "정보처리기사"), other = plain_vacancy("KR-11", "Java");
    match_factors(C.a, &holder, &named, f, why);
    cr_assert_float_eq(f[MF_TRAINING], 1.0, 1e-9);
    cr_assert(strstr(why[MF_TRAINING], "정보처리기사"), "%s", why[MF_TRAINING]);
    match_factors(C.a, &holder, &other, f, why);
    cr_assert_float_eq(f[MF_TRAINING], 0.3, 1e-9, "qualified, but not in what the vacancy names");
    match_factors(C.a, &none, &named, f, why);
    cr_assert_float_eq(f[MF_TRAINING], 0.0, 1e-9);
}
