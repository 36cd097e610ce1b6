/* demo.c - the demo data set: THE one place that defines it.  docs/DEMO.md and the browser
 * tests rely on these offices, accounts and hand-written people; change them together.
 *
 * Everything is created in one transaction through the domain contracts: offices and accounts
 * (account.h), then people (person_create), job-seeker registrations, case teams, and last the
 * citizen accounts linked to their person records. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "core/ctx.h"
#include "domain/account.h"
#include "domain/person.h"
#include "referral/referral.h"
#include "seed/gen.h"
#include "seed/seed.h"

const struct seed_demo_office seed_demo_offices[] = {
    {"SEOUL-GANGNAM", "Seoul Gangnam Job Centre", "서울강남고용센터", "job_centre", "KR-11"},
    {"BUSAN", "Busan Job Centre", "부산고용센터", "job_centre", "KR-26"},
    {"INCHEON", "Incheon Job Centre", "인천고용센터", "job_centre", "KR-28"},
    {"DAEJEON", "Daejeon Job Centre", "대전고용센터", "job_centre", "KR-30"},
    {"SEOUL-WELFARE", "Seoul Gangnam-gu Welfare Office", "서울 강남구 복지정책과", "welfare_office", "KR-11"},
    {"MOEL", "Ministry of Employment and Labor", "고용노동부", "ministry", "KR-50"},
};
const int seed_demo_noffices = (int)(sizeof seed_demo_offices / sizeof seed_demo_offices[0]);

/* All demo accounts use SEED_DEMO_PASSWORD. */
const struct seed_demo_account seed_demo_accounts[] = {
    {"counsellor", "staff", "counsellor", "SEOUL-GANGNAM", "이지은 (상담사)", "ko", -1,
     "job-seeker counsellor; most Seoul job seekers are assigned to her"},
    {"counsellor2", "staff", "counsellor", "BUSAN", "박성호 (상담사)", "ko", -1,
     "counsellor at another office: Seoul records are refused"},
    {"welfare", "staff", "welfare_officer", "SEOUL-WELFARE", "최수진 (복지담당)", "ko", -1,
     "welfare officer; on some Seoul case teams"},
    {"supervisor", "staff", "supervisor", "SEOUL-GANGNAM", "정명호 (팀장)", "ko", -1, "supervisor of Seoul Gangnam"},
    {"analyst", "staff", "analyst", "MOEL", "한지민 (분석관)", "ko", -1, "statistics only, no personal data"},
    {"admin", "staff", "admin", "MOEL", "System Administrator", "en", -1, "offices and accounts, no personal data"},
    {"auditor", "staff", "auditor", "MOEL", "오세훈 (감사관)", "ko", -1, "reads the audit log"},
    {"employer", "employer", NULL, NULL, "(주)한빛테크 인사팀", "ko", -1, "an employer"},
    {"citizen", "citizen", NULL, NULL, "김민준", "ko", 0, "김민준, registered in Seoul"},
    {"citizen2", "citizen", NULL, NULL, "Emma Wilson", "en", 6, "Emma Wilson (GB), registered in Seoul"},
    {"citizen3", "citizen", NULL, NULL, "정하은", "ko", 4, "정하은, not yet registered as a job seeker"},
};
const int seed_demo_naccounts = (int)(sizeof seed_demo_accounts / sizeof seed_demo_accounts[0]);

const struct seed_demo_person seed_demo_people[] = {
    {"950314-1042150", "김", "민준", "KR", "KR-11", "minjun.kim@example.com", "2512", "SEOUL-GANGNAM", "counsellor", "welfare"},
    {"980722-2031184", "이", "서연", "KR", "KR-11", "seoyeon.lee@example.com", "4110", "SEOUL-GANGNAM", "counsellor", NULL},
    {"871103-1053276", "박", "지훈", "KR", "KR-26", "jihoon.park@example.net", "8332", "BUSAN", "counsellor2", NULL},
    {"680530-2044165", "최", "영희", "KR", "KR-11", "younghee.choi@example.org", "5321", "SEOUL-GANGNAM", "counsellor", "welfare"},
    {"030211-4045129", "정", "하은", "KR", "KR-11", "haeun.jung@example.com", "5223", NULL, NULL, NULL},
    {"920905-6027195", "Nguyen", "Thi Lan", "VN", "KR-28", "thilan.nguyen@example.com", "9329", "INCHEON", NULL, NULL},
    {"890418-6012144", "Wilson", "Emma", "GB", "KR-11", "emma.wilson@example.com", "2431", "SEOUL-GANGNAM", "counsellor", NULL},
    {"011201-3078114", "강", "도윤", "KR", "KR-30", "doyoon.kang@example.net", "7411", "DAEJEON", NULL, NULL},
    {"760817-1102184", "윤", "상호", "KR", "KR-11", "sangho.yoon@example.com", "7231", "SEOUL-GANGNAM", NULL, NULL},
    {"850226-2055192", "한", "지은", "KR", "KR-26", "jieun.han@example.com", "2221", "BUSAN", "counsellor2", NULL},
};
const int seed_demo_npeople = (int)(sizeof seed_demo_people / sizeof seed_demo_people[0]);

/* Generated people live where the job centres are, mostly in Seoul. */
static const char *const demo_regions[] = {"KR-11", "KR-11", "KR-11", "KR-11", "KR-11",
                                           "KR-26", "KR-26", "KR-28", "KR-30"};
/* Hand-written people take their generated details from a stream of their own. */
#define DEMO_FIXED_SEED (SEED_DEMO_SEED ^ 0xf1u)

static const struct seed_demo_office *office_by_code(const char *code) {
    for (int i = 0; i < seed_demo_noffices; i++)
        if (strcmp(seed_demo_offices[i].code, code) == 0) return &seed_demo_offices[i];
    return NULL;
}

static const char *job_centre_for(const char *region) {
    for (int i = 0; i < seed_demo_noffices; i++)
        if (strcmp(seed_demo_offices[i].kind, "job_centre") == 0 && strcmp(seed_demo_offices[i].region_code, region) == 0)
            return seed_demo_offices[i].code;
    return NULL;
}

void seed_demo_print_accounts(FILE *out) {
    fprintf(out, "Demo accounts (password for every account: %s)\n\n", SEED_DEMO_PASSWORD);
    fprintf(out, "  %-12s %-15s %-9s %-16s %-40s %s\n", "username", "password", "kind", "role", "office", "what for");
    for (int i = 0; i < seed_demo_naccounts; i++) {
        const struct seed_demo_account *a = &seed_demo_accounts[i];
        const struct seed_demo_office *o = a->office ? office_by_code(a->office) : NULL;
        char office[160];
        if (o) snprintf(office, sizeof office, "%s (%s)", o->code, o->name_ko);
        else snprintf(office, sizeof office, "-");
        /* Pad by display columns: Hangul takes 3 bytes in UTF-8 but 2 columns on a terminal. */
        int bytes = (int)strlen(office), cols = 0;
        for (const unsigned char *q = (const unsigned char *)office; *q; q++)
            if ((*q & 0xc0) != 0x80) cols += *q >= 0xe0 ? 2 : 1;
        fprintf(out, "  %-12s %-15s %-9s %-16s %-*s %s\n", a->username, SEED_DEMO_PASSWORD, a->kind,
                a->role ? a->role : "-", 40 + bytes - cols, office, a->note);
    }
}

op_code seed_demo_present(bool *present, op_err *e) {
    ctx c;
    if (!ctx_init_system(&c, "seed", "system_operation", e)) return e->code;
    char id[ID_LEN];
    op_code rc = office_resolve(&c, seed_demo_offices[0].code, id);
    *present = rc == OP_OK;
    if (rc == OP_NOT_FOUND) rc = OP_OK;
    if (rc) *e = c.err;
    ctx_release(&c);
    return rc;
}

/* Everything the loader needs to remember between steps. */
struct demo_state {
    ctx *c;
    char account_ids[32][ID_LEN];
    int people, registered, assigned, case_members;
};

static const char *account_id(struct demo_state *s, const char *username) {
    for (int i = 0; i < seed_demo_naccounts; i++)
        if (strcmp(seed_demo_accounts[i].username, username) == 0) return s->account_ids[i];
    return NULL;
}

static op_code create_account(struct demo_state *s, int i, const char *person_id) {
    const struct seed_demo_account *a = &seed_demo_accounts[i];
    struct account_new n = {
        .username = a->username, .password = SEED_DEMO_PASSWORD, .kind = a->kind, .role = a->role,
        .office = a->office, .person_id = person_id, .display_name = a->display_name, .locale = a->locale,
    };
    op_code rc = account_create(s->c, &n, s->account_ids[i]);
    if (rc) {
        char d[sizeof s->c->err.detail];
        snprintf(d, sizeof d, "%s", s->c->err.detail);
        snprintf(s->c->err.detail, sizeof s->c->err.detail, "account \"%s\": %s", a->username, d);
    }
    return rc;
}

/* Create one person, register, assign and add to the case team as asked. */
static op_code add_person(struct demo_state *s, json_t *doc, const char *office, const char *counsellor,
                          const char *case_team, int64_t registered_on, char id_out[ID_LEN]) {
    ctx *c = s->c;
    json_t *out = NULL;
    op_code rc = person_create(c, doc, &out);
    if (rc) {
        char d[sizeof c->err.detail];
        snprintf(d, sizeof d, "%s", c->err.detail);
        snprintf(c->err.detail, sizeof c->err.detail, "person %s %s: %s",
                 json_string_value(json_object_get(doc, "family_name")),
                 json_string_value(json_object_get(doc, "given_name")), d);
        return rc;
    }
    snprintf(id_out, ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    s->people++;
    if (office) {
        char on[11];
        date_format(registered_on, on);
        json_t *body = json_pack("{s:s, s:s}", "office", office, "registered_on", on);
        if (counsellor) json_object_set_new(body, "counsellor_id", json_string(account_id(s, counsellor)));
        rc = jobseeker_register(c, id_out, body, &out);
        json_decref(body);
        if (rc) return rc;
        json_decref(out);
        s->registered++;
        if (counsellor) s->assigned++;
    }
    if (case_team) {
        if ((rc = case_member_add(c, id_out, account_id(s, case_team), "member"))) return rc;
        s->case_members++;
    }
    return OP_OK;
}

/* Two referrals between the Seoul job centre and the welfare office (docs/REFERRALS.md): one just
 * sent to the job centre, one the welfare office has received.  Sent by the system under the
 * purpose welfare_referral, through the referral domain like staff requests. */
static op_code add_referrals(ctx *c, char ids[][ID_LEN]) {
    static const struct {
        int person;
        struct referral_new r;
        const char *move;
    } refs[] = {
        {8, {"SEOUL-GANGNAM", NULL, "employment_support",
             "basic livelihood recipient ready for work: conditional-benefit employment programme", NULL, "SEOUL-WELFARE"},
         NULL},
        {1, {"SEOUL-WELFARE", NULL, "welfare_assessment", "household income dropped after the job loss: livelihood support?",
             NULL, "SEOUL-GANGNAM"},
         "received"},
    };
    const char *saved = c->purpose;
    op_code rc = OP_OK;
    c->purpose = "welfare_referral";
    for (size_t i = 0; i < sizeof refs / sizeof refs[0] && !rc; i++) {
        json_t *out = NULL;
        if ((rc = referral_create(c, ids[refs[i].person], &refs[i].r, &out))) break;
        if (refs[i].move) {
            struct referral_move m = {.to = refs[i].move};
            json_t *moved = NULL;
            rc = referral_transition(c, json_string_value(json_object_get(out, "id")), &m, &moved);
            json_decref(moved);
        }
        json_decref(out);
    }
    c->purpose = saved;
    return rc;
}

static op_code load(struct demo_state *s) {
    ctx *c = s->c;
    op_code rc;
    for (int i = 0; i < seed_demo_noffices; i++) {
        const struct seed_demo_office *o = &seed_demo_offices[i];
        struct office_new n = {o->code, o->name, o->name_ko, o->kind, o->region_code};
        char id[ID_LEN];
        if ((rc = office_create(c, &n, id))) return rc;
    }
    for (int i = 0; i < seed_demo_naccounts; i++)
        if (strcmp(seed_demo_accounts[i].kind, "citizen") != 0 && (rc = create_account(s, i, NULL))) return rc;

    int64_t today = date_today();
    char person_ids[16][ID_LEN];
    for (int i = 0; i < seed_demo_npeople; i++) {
        const struct seed_demo_person *p = &seed_demo_people[i];
        struct seed_override ov = {p->national_id, p->family_name, p->given_name, p->nationality,
                                   p->region_code, p->email, p->occupation};
        struct seed_opts opts = {demo_regions, (int)(sizeof demo_regions / sizeof demo_regions[0]), 0};
        json_t *doc = seed_person(DEMO_FIXED_SEED, (uint64_t)i, &opts, &ov);
        rc = add_person(s, doc, p->office, p->counsellor, p->case_team, today - 30 - i * 7, person_ids[i]);
        json_decref(doc);
        if (rc) return rc;
    }
    if ((rc = add_referrals(c, person_ids))) return rc;
    struct seed_opts opts = {demo_regions, (int)(sizeof demo_regions / sizeof demo_regions[0]), 60};
    for (int i = 0; i < SEED_DEMO_GENERATED; i++) {
        json_t *doc = seed_person(SEED_DEMO_SEED, (uint64_t)i, &opts, NULL);
        const char *region = json_string_value(json_object_get(json_object_get(doc, "address"), "region_code"));
        seed_rng r = seed_rng_for(SEED_DEMO_SEED, (uint64_t)i, 100);
        const char *office = seed_rng_below(&r, 100) < 85 ? job_centre_for(region) : NULL;
        const char *counsellor = NULL, *team = NULL;
        unsigned roll = seed_rng_below(&r, 100);
        if (office && strcmp(office, "SEOUL-GANGNAM") == 0 && roll < 70) counsellor = "counsellor";
        if (office && strcmp(office, "BUSAN") == 0 && roll < 60) counsellor = "counsellor2";
        if (office && strcmp(region, "KR-11") == 0 && seed_rng_below(&r, 100) < 10) team = "welfare";
        char id[ID_LEN];
        rc = add_person(s, doc, office, counsellor, team, today - 1 - (int64_t)seed_rng_below(&r, 300), id);
        json_decref(doc);
        if (rc) return rc;
    }
    for (int i = 0; i < seed_demo_naccounts; i++) {
        const struct seed_demo_account *a = &seed_demo_accounts[i];
        if (strcmp(a->kind, "citizen") == 0 && (rc = create_account(s, i, a->person >= 0 ? person_ids[a->person] : NULL)))
            return rc;
    }
    return OP_OK;
}

op_code seed_demo_load(FILE *out, op_err *e) {
    bool present = false;
    op_code rc = seed_demo_present(&present, e);
    if (rc) return rc;
    if (present)
        return op_fail(e, OP_DUPLICATE, "use a new database file (or remove this one) to start over",
                       "this database already holds the demo data (office %s exists)", seed_demo_offices[0].code);
    ctx c;
    if (!ctx_init_system(&c, "seed", "system_operation", e)) return e->code;
    struct demo_state s = {.c = &c};
    int64_t t0 = clock_mono_us();
    if ((rc = store_begin(c.db, &c.err)) || (rc = load(&s)) || (rc = store_commit(c.db, &c.err))) {
        *e = c.err;
        if (!e->code) e->code = rc;
        ctx_release(&c);
        return rc;
    }
    ctx_release(&c);
    fprintf(out,
            "demo data loaded in %.1f s: %d offices, %d accounts, %d people (%d registered as job seekers, "
            "%d with an assigned counsellor, %d case-team memberships)\n",
            (double)(clock_mono_us() - t0) / 1e6, seed_demo_noffices, seed_demo_naccounts, s.people, s.registered,
            s.assigned, s.case_members);
    return OP_OK;
}
