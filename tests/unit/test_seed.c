/* test_seed.c - the synthetic-data generator (determinism, national ids, consistency) and the
 * loaders that write through the domain contracts. */
#include <jansson.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "domain/isco.h"
#include "domain/nid.h"
#include "seed/gen.h"
#include "seed/names.h"
#include "seed/seed.h"
#include "testlib.h"

static const char *const regions[] = {"KR-11", "KR-26"};
static const struct seed_opts opts = {regions, 2, 60};

static char *dump(json_t *p) {
    char *s = json_dumps(p, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(p);
    return s;
}

Test(seed_gen, same_seed_same_people_other_seed_other_people) {
    for (uint64_t i = 0; i < 50; i++) {
        char *a = dump(seed_person(7, i, &opts, NULL)), *b = dump(seed_person(7, i, &opts, NULL));
        cr_assert_str_eq(a, b, "person %llu of seed 7 differs between runs", (unsigned long long)i);
        free(a);
        free(b);
    }
    /* Known values pin the generator across refactorings of unrelated code. */
    struct seed_ident x, y;
    seed_ident_make(7, 0, 60, &x);
    seed_ident_make(7, 0, 60, &y);
    cr_assert_str_eq(x.national_id, y.national_id);
    int differ = 0;
    for (uint64_t i = 0; i < 20; i++) {
        struct seed_ident s7, s8;
        seed_ident_make(7, i, 60, &s7);
        seed_ident_make(8, i, 60, &s8);
        differ += strcmp(s7.national_id, s8.national_id) != 0;
        json_t *p7 = seed_person(7, i, &opts, NULL), *p8 = seed_person(8, i, &opts, NULL);
        cr_assert(!json_equal(p7, p8), "person %llu is the same for seeds 7 and 8", (unsigned long long)i);
        json_decref(p7);
        json_decref(p8);
    }
    cr_assert_eq(differ, 20);
}

Test(seed_gen, person_does_not_depend_on_batch_or_order) {
    char *late = dump(seed_person(3, 1234, &opts, NULL));
    for (uint64_t i = 0; i < 10; i++) json_decref(seed_person(3, i, &opts, NULL));
    char *again = dump(seed_person(3, 1234, &opts, NULL));
    cr_assert_str_eq(late, again);
    free(late);
    free(again);
}

static int cmp_str(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

Test(seed_gen, national_ids_valid_unique_and_consistent) {
    enum { N = 200000 };
    char(*ids)[15] = malloc(sizeof *ids * N);
    int foreign = 0;
    for (uint64_t i = 0; i < N; i++) {
        struct seed_ident id, back;
        seed_ident_make(1, i, 60, &id);
        cr_assert(seed_rrn_parse(id.national_id, &back), "invalid RRN %s", id.national_id);
        cr_assert_str_eq(back.birth_date, id.birth_date, "%s", id.national_id);
        cr_assert_eq(back.male, id.male, "%s", id.national_id);
        cr_assert_eq(back.foreign, id.foreign, "%s", id.national_id);
        cr_assert(strcmp(id.birth_date, SEED_BIRTH_FIRST) >= 0 && strcmp(id.birth_date, SEED_BIRTH_LAST) <= 0);
        /* The platform's own rule accepts it and reads the same birth date. */
        char norm[NID_MAX], bd[11];
        op_err e = {0};
        cr_assert_eq(nid_normalise("KR", id.national_id, norm, &e), OP_OK, "%s: %s", id.national_id, e.detail);
        cr_assert(nid_birth_date("KR", norm, bd));
        cr_assert_str_eq(bd, id.birth_date);
        foreign += id.foreign;
        memcpy(ids[i], id.national_id, 15);
    }
    qsort(ids, N, sizeof *ids, cmp_str);
    for (int i = 1; i < N; i++) cr_assert_str_neq(ids[i - 1], ids[i], "duplicate national id %s", ids[i]);
    cr_assert(foreign > N * 4 / 100 && foreign < N * 8 / 100, "foreign share %d", foreign);
    free(ids);
}

Test(seed_gen, rrn_parse_rejects_bad_numbers) {
    cr_assert(seed_rrn_parse("950314-1042150", NULL));
    cr_assert(!seed_rrn_parse("950314-1042151", NULL), "wrong check digit");
    cr_assert(!seed_rrn_parse("950230-1042150", NULL), "30 February");
    cr_assert(!seed_rrn_parse("9503141042150", NULL), "no hyphen");
    cr_assert(!seed_rrn_parse("950314-9042150", NULL), "century digit 9");
    struct seed_ident id;
    cr_assert(seed_rrn_parse("030211-4045129", &id));
    cr_assert_str_eq(id.birth_date, "2003-02-11");
    cr_assert(!id.male && !id.foreign);
}

/* Every generated document agrees with its national id and with the platform's code lists. */
Test(seed_gen, documents_are_consistent) {
    int64_t anchor;
    cr_assert(date_parse(SEED_ANCHOR, &anchor));
    int hangul = 0, latin = 0;
    for (uint64_t i = 0; i < 3000; i++) {
        json_t *p = seed_person(11, i, &opts, NULL);
        struct seed_ident id;
        cr_assert(seed_rrn_parse(json_string_value(json_object_get(p, "national_id")), &id));
        cr_assert_str_eq(json_string_value(json_object_get(p, "birth_date")), id.birth_date);
        cr_assert_str_eq(json_string_value(json_object_get(p, "sex")), id.male ? SEED_SEX_MALE : SEED_SEX_FEMALE);
        const char *nat = json_string_value(json_object_get(p, "nationality"));
        cr_assert_eq(strcmp(nat, "KR") != 0, id.foreign, "nationality %s vs id %s", nat, id.national_id);
        const char *fam = json_string_value(json_object_get(p, "family_name"));
        if ((unsigned char)fam[0] >= 0x80) hangul++;
        else latin++;
        const char *region = json_string_value(json_object_get(json_object_get(p, "address"), "region_code"));
        cr_assert(strcmp(region, "KR-11") == 0 || strcmp(region, "KR-26") == 0);
        size_t k;
        json_t *j;
        json_array_foreach(json_object_get(p, "work_history"), k, j) {
            int64_t s, e = anchor;
            cr_assert(isco_unit_exists(json_string_value(json_object_get(j, "occupation"))));
            cr_assert(date_parse(json_string_value(json_object_get(j, "start_date")), &s));
            json_t *ev = json_object_get(j, "end_date");
            if (ev) cr_assert(date_parse(json_string_value(ev), &e));
            cr_assert(s >= id.birth_days + 17 * 365, "job starts before 17: %s", id.national_id);
            cr_assert(s <= e && e <= anchor);
        }
        json_array_foreach(json_object_get(json_object_get(p, "preferences"), "occupations"), k, j)
            cr_assert(isco_unit_exists(json_string_value(j)));
        json_array_foreach(json_object_get(p, "qualifications"), k, j) {
            int64_t d;
            cr_assert(date_parse(json_string_value(json_object_get(j, "obtained_on")), &d));
            cr_assert(d > id.birth_days && d <= anchor);
        }
        json_decref(p);
    }
    cr_assert(hangul > 2600 && latin > 60, "names: %d Korean, %d Latin", hangul, latin);
}

Test(seed_gen, name_and_occupation_lists_are_sound) {
    for (int i = 0; i < seed_noccupations; i++) {
        cr_assert(isco_unit_exists(seed_occupations[i].isco), "%s", seed_occupations[i].isco);
        cr_assert(seed_occupations[i].edu_lo <= seed_occupations[i].edu_hi);
        cr_assert(seed_employers[seed_occupations[i].sector] != NULL);
        for (const char *const *q = seed_occupations[i].quals; q && *q; q++) cr_assert(strchr(*q, '|'), "%s", *q);
    }
    for (int i = 0; i < seed_nregions; i++) cr_assert(seed_regions[i].streets && seed_regions[i].streets[0]);
}

Test(seed_demo, table_is_consistent) {
    char seen[64][15];
    int n = 0;
    for (int i = 0; i < seed_demo_npeople; i++) {
        const struct seed_demo_person *p = &seed_demo_people[i];
        struct seed_ident id;
        cr_assert(seed_rrn_parse(p->national_id, &id), "demo person %d: %s", i, p->national_id);
        cr_assert_eq(id.foreign, strcmp(p->nationality, "KR") != 0, "demo person %d", i);
        memcpy(seen[n++], p->national_id, 15);
    }
    /* No generated demo person collides with a hand-written one. */
    for (uint64_t i = 0; i < SEED_DEMO_GENERATED; i++) {
        struct seed_ident id;
        seed_ident_make(SEED_DEMO_SEED, i, 60, &id);
        for (int k = 0; k < n; k++) cr_assert_str_neq(id.national_id, seen[k]);
    }
    for (int i = 0; i < seed_demo_naccounts; i++) {
        const struct seed_demo_account *a = &seed_demo_accounts[i];
        if (strcmp(a->kind, "citizen") == 0) cr_assert(a->person >= 0 && a->person < seed_demo_npeople);
        if (a->role) cr_assert(role_parse(a->role), "%s", a->role);
    }
    /* One account per staff role. */
    for (int r = 0; r < ROLE__COUNT; r++) {
        bool found = false;
        for (int i = 0; i < seed_demo_naccounts; i++)
            found |= seed_demo_accounts[i].role && role_parse(seed_demo_accounts[i].role) == (1u << r);
        cr_assert(found, "no demo account for role %s", role_name(1u << r));
    }
}

/* ---- loaders: these write through person.h and account.h ---- */

static int64_t count(store *s, const char *sql) { return test_count(s, sql); }

Test(seed_load, synthetic_people_are_written_and_audited) {
    store *s = test_db_open();
    char ids[128];
    snprintf(ids, sizeof ids, "/tmp/openpes-ut-seed-%d.ids", (int)getpid());
    struct seed_synth_opts o = {.persons = 300, .seed = 5, .offices = 2, .registered_pct = 80, .batch = 128, .ids_file = ids};
    struct seed_synth_result r;
    op_err e = {0};
    cr_assert_eq(seed_synth_run(&o, &r, &e), OP_OK, "%s (%s)", e.detail, e.field);
    cr_assert_eq(r.created, 300);
    cr_assert(r.registered > 200 && r.registered < 280, "%llu registered", (unsigned long long)r.registered);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM persons"), 300);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM jobseeker_registrations"), (int64_t)r.registered);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM offices WHERE code LIKE 'SYN-%'"), 2);
    cr_assert(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'CREATE'") >= 300);
    int64_t n = 0;
    cr_assert_eq(audit_verify(s, &n, &e), OP_OK, "%s", e.detail);
    FILE *f = fopen(ids, "r");
    cr_assert(f);
    char line[128];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        cr_assert(id_is_uuid(strtok(line, "\t")));
        lines++;
    }
    fclose(f);
    unlink(ids);
    cr_assert_eq(lines, 300);
    /* The same seed again is refused (the national ids exist) and nothing half-done stays. */
    o.ids_file = NULL;
    o.persons = 10;
    cr_assert_eq(seed_synth_run(&o, &r, &e), OP_DUPLICATE);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM persons"), 300);
}

Test(seed_load, demo_loads_once) {
    store *s = test_db_open();
    op_err e = {0};
    FILE *devnull = fopen("/dev/null", "w");
    cr_assert_eq(seed_demo_load(devnull, &e), OP_OK, "%s (%s)", e.detail, e.field);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM persons"), seed_demo_npeople + SEED_DEMO_GENERATED);
    cr_assert_eq(count(s, "SELECT COUNT(*) FROM accounts"), seed_demo_naccounts);
    cr_assert(count(s, "SELECT COUNT(*) FROM jobseeker_registrations") > 150);
    cr_assert(count(s, "SELECT COUNT(*) FROM case_members") > 2);
    cr_assert(count(s, "SELECT COUNT(*) FROM accounts WHERE kind = 'citizen' AND person_id IS NOT NULL") == 3);
    bool present = false;
    cr_assert_eq(seed_demo_present(&present, &e), OP_OK);
    cr_assert(present);
    cr_assert_eq(seed_demo_load(devnull, &e), OP_DUPLICATE);
    fclose(devnull);
}
