/* gen.c - deterministic synthetic people (see gen.h). */
#include "seed/gen.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "seed/names.h"

/* ---- randomness ---- */

static uint64_t mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

seed_rng seed_rng_for(uint64_t seed, uint64_t index, uint64_t stream) {
    seed_rng r = {mix64(mix64(seed ^ 0x6f70656e706573ull) ^ mix64(index) * 3 ^ mix64(stream + 0x5eed))};
    return r;
}

uint64_t seed_rng_next(seed_rng *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t seed_rng_below(seed_rng *r, uint32_t n) { return (uint32_t)((seed_rng_next(r) >> 32) * n >> 32); }

static bool chance(seed_rng *r, unsigned permille) { return seed_rng_below(r, 1000) < permille; }
static int range(seed_rng *r, int lo, int hi) { return lo + (int)seed_rng_below(r, (uint32_t)(hi - lo + 1)); }

static int count_list(const char *const *l) {
    int n = 0;
    while (l && l[n]) n++;
    return n;
}
static const char *pick(seed_rng *r, const char *const *l) {
    int n = count_list(l);
    return n ? l[seed_rng_below(r, (uint32_t)n)] : NULL;
}

/* ---- national ids ---- */

enum { STREAM_NATIONALITY = 1, STREAM_PROFILE = 2, STREAM_FEISTEL = 3 };

static int64_t birth_first(void) { return date_days_from_civil(1961, 1, 1); }
static int64_t birth_ndays(void) { return date_days_from_civil(2007, 12, 31) - birth_first() + 1; }
/* (birth date, sex, 5-digit serial) triples. */
static uint64_t domain_size(void) { return (uint64_t)birth_ndays() * 2u * 100000u; }

uint64_t seed_max_persons(void) { return domain_size(); }

/* A balanced Feistel network over 32-bit values is a permutation of [0, 2^32); "cycle walking"
 * (re-encrypting until the value falls inside the domain) restricts it to a permutation of
 * [0, domain) because the domain (~3.4e9) is a large part of 2^32. */
static uint32_t feistel32(uint64_t seed, uint32_t x) {
    uint32_t l = x >> 16, r = x & 0xffff;
    for (uint64_t round = 0; round < 6; round++) {
        uint32_t f = (uint32_t)(mix64(mix64(seed * 0x100000001b3ull + round) ^ r) & 0xffff);
        uint32_t nl = r, nr = l ^ f;
        l = nl;
        r = nr;
    }
    return l << 16 | r;
}

int seed_rrn_check_digit(const char *d) {
    static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
    int sum = 0;
    for (int i = 0; i < 12; i++) sum += (d[i] - '0') * w[i];
    return (11 - sum % 11) % 10;
}

static void ident_from_triple(uint64_t x, bool foreign, struct seed_ident *id) {
    uint64_t day = x / 200000u, rem = x % 200000u;
    id->male = (rem & 1u) == 0;
    unsigned serial = (unsigned)(rem >> 1);
    id->birth_days = birth_first() + (int64_t)day;
    id->foreign = foreign;
    int y;
    unsigned m, d;
    date_civil_from_days(id->birth_days, &y, &m, &d);
    date_format(id->birth_days, id->birth_date);
    int g = (y >= 2000 ? 3 : 1) + (id->male ? 0 : 1) + (foreign ? 4 : 0);
    char digits[13];
    snprintf(digits, sizeof digits, "%02d%02u%02u%d%05u", y % 100, m, d, g, serial);
    snprintf(id->national_id, sizeof id->national_id, "%.6s-%.6s%d", digits, digits + 6,
             seed_rrn_check_digit(digits));
}

void seed_ident_make(uint64_t seed, uint64_t index, unsigned foreign_permille, struct seed_ident *id) {
    uint64_t dom = domain_size();
    uint32_t x = (uint32_t)(index % dom);
    do x = feistel32(seed ^ mix64(STREAM_FEISTEL), x);
    while (x >= dom);
    seed_rng r = seed_rng_for(seed, index, STREAM_NATIONALITY);
    ident_from_triple(x, chance(&r, foreign_permille), id);
}

bool seed_rrn_parse(const char *s, struct seed_ident *out) {
    if (!s || strlen(s) != 14 || s[6] != '-') return false;
    char d[13];
    for (int i = 0, j = 0; i < 14; i++) {
        if (i == 6) continue;
        if (!isdigit((unsigned char)s[i])) return false;
        d[j++] = s[i];
    }
    d[12] = 0;
    int g = d[6] - '0';
    if (g < 1 || g > 8) return false;
    int century = (g == 1 || g == 2 || g == 5 || g == 6) ? 1900 : 2000;
    int y = century + (d[0] - '0') * 10 + (d[1] - '0');
    char date[11];
    snprintf(date, sizeof date, "%04d-%c%c-%c%c", y, d[2], d[3], d[4], d[5]);
    int64_t days;
    if (!date_parse(date, &days)) return false;
    if (seed_rrn_check_digit(d) != s[13] - '0') return false;
    if (out) {
        snprintf(out->national_id, sizeof out->national_id, "%s", s);
        memcpy(out->birth_date, date, sizeof out->birth_date);
        out->birth_days = days;
        out->male = g % 2 == 1;
        out->foreign = g >= 5;
    }
    return true;
}

/* ---- the rest of the person ---- */

static const struct seed_family *pick_family(seed_rng *r) {
    unsigned total = 0;
    for (int i = 0; i < seed_nfamilies; i++) total += seed_families[i].weight;
    unsigned x = seed_rng_below(r, total);
    for (int i = 0; i < seed_nfamilies; i++) {
        if (x < seed_families[i].weight) return &seed_families[i];
        x -= seed_families[i].weight;
    }
    return &seed_families[0];
}

static const struct seed_foreign *pick_foreign(seed_rng *r) {
    unsigned total = 0;
    for (int i = 0; i < seed_nforeigners; i++) total += seed_foreigners[i].weight;
    unsigned x = seed_rng_below(r, total);
    for (int i = 0; i < seed_nforeigners; i++) {
        if (x < seed_foreigners[i].weight) return &seed_foreigners[i];
        x -= seed_foreigners[i].weight;
    }
    return &seed_foreigners[0];
}

static const struct seed_occupation *find_occupation(const char *isco) {
    for (int i = 0; i < seed_noccupations; i++)
        if (strcmp(seed_occupations[i].isco, isco) == 0) return &seed_occupations[i];
    return NULL;
}

/* Weighted occupation; with max_edu >= 0 only those an education up to max_edu can enter. */
static const struct seed_occupation *pick_occupation(seed_rng *r, int max_edu) {
    unsigned total = 0;
    for (int i = 0; i < seed_noccupations; i++)
        if (max_edu < 0 || (int)seed_occupations[i].edu_lo <= max_edu) total += seed_occupations[i].weight;
    unsigned x = seed_rng_below(r, total);
    for (int i = 0; i < seed_noccupations; i++) {
        if (max_edu >= 0 && (int)seed_occupations[i].edu_lo > max_edu) continue;
        if (x < seed_occupations[i].weight) return &seed_occupations[i];
        x -= seed_occupations[i].weight;
    }
    return &seed_occupations[0];
}

static int year_of(int64_t days) {
    int y;
    unsigned m, d;
    date_civil_from_days(days, &y, &m, &d);
    return y;
}

static void lower_nospace(const char *in, char *out, size_t cap) {
    size_t j = 0;
    for (; *in && j + 1 < cap; in++)
        if (isalnum((unsigned char)*in)) out[j++] = (char)tolower((unsigned char)*in);
    out[j] = 0;
}

static json_t *date_json(int64_t days) {
    char b[11];
    date_format(days, b);
    return json_string(b);
}

/* Up to n distinct entries of list (NULL-terminated) appended to arr as strings. */
static void add_distinct(seed_rng *r, json_t *arr, const char *const *list, int n) {
    int have = count_list(list);
    for (int k = 0; k < n && have > 0; k++) {
        const char *v = list[seed_rng_below(r, (uint32_t)have)];
        bool dup = false;
        size_t i;
        json_t *e;
        json_array_foreach(arr, i, e) if (strcmp(json_string_value(e), v) == 0) dup = true;
        if (!dup) json_array_append_new(arr, json_string(v));
    }
}

static json_t *qualification(seed_rng *r, const char *name_issuer, int64_t from, int64_t to) {
    const char *bar = strchr(name_issuer, '|');
    json_t *q = json_object();
    json_object_set_new(q, "name", json_stringn(name_issuer, (size_t)(bar - name_issuer)));
    json_object_set_new(q, "issuer", json_string(bar + 1));
    json_object_set_new(q, "obtained_on", date_json(from + (int64_t)seed_rng_below(r, (uint32_t)(to - from + 1))));
    return q;
}

static bool has_qual(json_t *arr, const char *name_issuer) {
    size_t i, n = (size_t)(strchr(name_issuer, '|') - name_issuer);
    json_t *e;
    json_array_foreach(arr, i, e) {
        const char *v = json_string_value(json_object_get(e, "name"));
        if (strlen(v) == n && strncmp(v, name_issuer, n) == 0) return true;
    }
    return false;
}

json_t *seed_person(uint64_t seed, uint64_t index, const struct seed_opts *o, const struct seed_override *ov) {
    static const struct seed_override none;
    if (!ov) ov = &none;
    struct seed_ident id;
    if (!(ov->national_id && seed_rrn_parse(ov->national_id, &id))) seed_ident_make(seed, index, o->foreign_permille, &id);
    seed_rng rr = seed_rng_for(seed, index, STREAM_PROFILE), *r = &rr;
    int64_t anchor = date_days_from_civil(2026, 6, 30);
    int birth_year = year_of(id.birth_days);
    int age = (int)((anchor - id.birth_days) / 365);

    /* Names, nationality, e-mail. */
    char email[160];
    const char *family, *given, *nationality;
    if (id.foreign) {
        const struct seed_foreign *f = pick_foreign(r);
        nationality = f->nationality;
        family = pick(r, f->family);
        given = pick(r, id.male ? f->given_m : f->given_f);
        char g[64], fa[64];
        lower_nospace(ov->given_name ? ov->given_name : given, g, sizeof g);
        lower_nospace(ov->family_name ? ov->family_name : family, fa, sizeof fa);
        snprintf(email, sizeof email, "%s.%s%u@example.%s", g, fa, seed_rng_below(r, 100),
                 chance(r, 500) ? "com" : "net");
    } else {
        nationality = "KR";
        const struct seed_family *f = pick_family(r);
        int cohort = birth_year < 1975 ? 0 : birth_year < 1995 ? 1 : 2;
        if (chance(r, 150)) cohort = cohort == 1 ? (chance(r, 500) ? 0 : 2) : 1; /* names cross cohorts */
        const struct seed_given_list *gl = id.male ? &seed_given_male[cohort] : &seed_given_female[cohort];
        const struct seed_given *g = &gl->names[seed_rng_below(r, (uint32_t)gl->n)];
        family = f->ko;
        given = g->ko;
        snprintf(email, sizeof email, "%s.%s%u@example.%s", g->rom, f->rom, seed_rng_below(r, 1000),
                 chance(r, 600) ? "com" : chance(r, 500) ? "net" : "org");
    }
    if (ov->family_name) family = ov->family_name;
    if (ov->given_name) given = ov->given_name;
    if (ov->nationality) nationality = ov->nationality;
    if (ov->email) snprintf(email, sizeof email, "%s", ov->email);

    json_t *p = json_object();
    json_object_set_new(p, "national_id", json_string(id.national_id));
    json_object_set_new(p, "given_name", json_string(given));
    json_object_set_new(p, "family_name", json_string(family));
    json_object_set_new(p, "birth_date", json_string(id.birth_date));
    json_object_set_new(p, "sex", json_string(id.male ? SEED_SEX_MALE : SEED_SEX_FEMALE));
    json_object_set_new(p, "nationality", json_string(nationality));
    char phone[20];
    snprintf(phone, sizeof phone, "010-%04d-%04d", range(r, 2000, 9999), range(r, 0, 9999));
    json_object_set_new(p, "contact", json_pack("{s:s, s:s}", "email", email, "phone", phone));

    /* Address in one of the configured regions. */
    const char *rc = ov->region_code ? ov->region_code
                                     : o->nregions > 0 ? o->regions[seed_rng_below(r, (uint32_t)o->nregions)] : "KR-11";
    const struct seed_region *reg = seed_region_find(rc);
    char line[200], postal[8];
    if (reg) {
        int num = range(r, 1, 420);
        if (chance(r, 600))
            snprintf(line, sizeof line, "%s %s %d, %d동 %d호", reg->name_ko, pick(r, reg->streets), num,
                     range(r, 101, 115), range(r, 1, 25) * 100 + range(r, 1, 6));
        else
            snprintf(line, sizeof line, "%s %s %d", reg->name_ko, pick(r, reg->streets), num);
        snprintf(postal, sizeof postal, "%05d", range(r, reg->postal_lo, reg->postal_hi));
    } else {
        snprintf(line, sizeof line, "%d", range(r, 1, 420));
        snprintf(postal, sizeof postal, "%05d", range(r, 1000, 63999));
    }
    json_object_set_new(p, "address", json_pack("{s:s, s:s, s:s}", "line", line, "postal_code", postal, "region_code", rc));

    /* Occupation, then an education that fits both the occupation and the age. */
    const struct seed_occupation *occ = ov->occupation ? find_occupation(ov->occupation) : NULL;
    if (!occ) occ = pick_occupation(r, -1);
    int lvl = (int)occ->edu_lo + (int)seed_rng_below(r, (uint32_t)(occ->edu_hi - occ->edu_lo + 1));
    if (birth_year < 1972 && lvl > (int)occ->edu_lo && chance(r, 500)) lvl--;
    int cap = age < 20 ? EDU_UPPER_SECONDARY : age < 22 ? EDU_SHORT_TERTIARY : age < 25 ? EDU_BACHELOR
              : age < 29 ? EDU_MASTER : EDU_DOCTORATE;
    if (lvl > cap) lvl = cap;
    json_t *edu = json_pack("{s:s}", "level", seed_edu_names[lvl]);
    if (lvl >= EDU_SHORT_TERTIARY && occ->majors) json_object_set_new(edu, "major", json_string(pick(r, occ->majors)));
    json_object_set_new(p, "education", edu);

    /* Work history, newest job last; job seekers mostly left their last job recently. */
    static const int start_age[EDU__COUNT] = {18, 18, 18, 19, 20, 21, 24, 26, 30};
    int64_t career_start = id.birth_days + start_age[lvl] * 365 + seed_rng_below(r, 365);
    json_t *wh = json_array();
    const struct seed_occupation *prev_occ = NULL;
    if (career_start < anchor - 120) {
        int64_t end = anchor - range(r, 10, 540);
        bool current = chance(r, 100);
        int njobs = range(r, 1, 3);
        json_t *jobs[3];
        int n = 0;
        for (; n < njobs; n++) {
            int64_t len = range(r, 200, 2800);
            int64_t start = end - len;
            if (start < career_start) start = career_start;
            if (end - start < 60) break;
            const struct seed_occupation *jo = (n == 0 || chance(r, 600)) ? occ : pick_occupation(r, lvl);
            if (n > 0 && jo != occ) prev_occ = jo;
            json_t *j = json_object();
            json_object_set_new(j, "employer", json_string(pick(r, seed_employers[jo->sector])));
            json_object_set_new(j, "occupation", json_string(jo->isco));
            json_object_set_new(j, "title", json_string(id.foreign ? jo->title_en : jo->title_ko));
            json_object_set_new(j, "start_date", date_json(start));
            if (!(n == 0 && current)) json_object_set_new(j, "end_date", date_json(end));
            jobs[n] = j;
            end = start - range(r, 14, 240);
            if (end - career_start < 60) {
                n++;
                break;
            }
        }
        for (int k = n - 1; k >= 0; k--) json_array_append_new(wh, jobs[k]);
    }

    /* Qualifications: some of the occupation's, sometimes a general one. */
    json_t *quals = json_array();
    int64_t q_from = id.birth_days + 18 * 365, q_to = anchor - 30;
    if (q_from < q_to) {
        int nq = occ->quals ? range(r, 0, 2) : 0;
        for (int k = 0; k < nq; k++) {
            const char *q = pick(r, occ->quals);
            if (!has_qual(quals, q)) json_array_append_new(quals, qualification(r, q, q_from, q_to));
        }
        if (chance(r, 300)) {
            const char *q = pick(r, seed_general_quals);
            if (!has_qual(quals, q)) json_array_append_new(quals, qualification(r, q, q_from, q_to));
        }
    }
    json_object_set_new(p, "qualifications", quals);
    json_object_set_new(p, "work_history", wh);

    json_t *skills = json_array();
    add_distinct(r, skills, occ->skills, range(r, 2, 4));
    if (chance(r, 400)) add_distinct(r, skills, seed_general_skills, 1);
    json_object_set_new(p, "skills", skills);

    /* Preferences: the main occupation (and sometimes an earlier one), the home region. */
    json_t *po = json_array();
    json_array_append_new(po, json_string(occ->isco));
    if (prev_occ && chance(r, 500)) json_array_append_new(po, json_string(prev_occ->isco));
    json_t *pr = json_array();
    json_array_append_new(pr, json_string(rc));
    if (strcmp(rc, "KR-11") == 0 && chance(r, 250)) json_array_append_new(pr, json_string("KR-41"));
    /* Monthly salary asked: around the occupation's typical pay, pro rata for part time, never
     * below the 2026 minimum wage (10,320 KRW/h, 2,156,880 KRW for a 209-hour month). */
    static const int hours[] = {40, 40, 40, 40, 40, 40, 40, 40, 30, 20, 52};
    int h = hours[seed_rng_below(r, sizeof hours / sizeof hours[0])], full = h > 40 ? 40 : h;
    int64_t salary = (int64_t)occ->salary_base * range(r, 85, 115) / 100;
    if (age > 55) salary = salary * 9 / 10;
    salary = salary * full / 40;
    if (salary < 2160000LL * full / 40) salary = 2160000LL * full / 40;
    salary = (salary + 99999) / 100000 * 100000;
    json_object_set_new(p, "preferences",
                        json_pack("{s:o, s:o, s:I, s:s, s:i}", "occupations", po, "regions", pr, "salary_min",
                                  (json_int_t)salary, "salary_period", "month", "hours_per_week_max", h));
    json_object_set_new(p, "disability", json_boolean(chance(r, 40)));
    return p;
}
