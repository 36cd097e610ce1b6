/* vetting.c - automatic checks before publication and the counsellor review queue.
 *
 * Each finding has a stable code and an action: "reject" (the employer must change the vacancy)
 * or "hold" (a counsellor decides).  Codes (docs/JOBS.md): required.missing, pay.below_minimum_wage,
 * discrimination.{age,sex,marital_status,appearance}, contact.in_description, duplicate.open_vacancy,
 * employer.unverified, counsellor.rejected. */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/vacancy_int.h"
#if __has_include("policy/pack.h")
#include "policy/pack.h"
#define JOBS_HAVE_POLICY 1
#endif

static void add(ctx *c, struct jobs_vet *v, const char *code, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void add(ctx *c, struct jobs_vet *v, const char *code, const char *action, const char *fmt, ...) {
    if (v->n >= JOBS_MAX_REASONS) return;
    va_list ap;
    va_start(ap, fmt);
    v->r[v->n].detail = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    v->r[v->n].code = code;
    v->r[v->n++].action = action;
}

/* ---- minimum wage from the policy pack ---- */

bool jobs_min_wage(const char *country, int64_t date, const char *period, int64_t *out) {
#ifdef JOBS_HAVE_POLICY
    const pol_pack *p;
    op_err e = {0};
    char cc[3] = {country[0], country[1], 0};
    if (pol_pack_get(cc, &p, &e) != OP_OK) return false;
    char name[64];
    snprintf(name, sizeof name, "%c%c.ei.min_wage_hourly", cc[0] | 0x20, cc[1] | 0x20);
    pol_value val;
    /* A date after the last published value uses the latest one (wages are set a year ahead). */
    bool found = false;
    for (int back = 0; back <= 3 * 366 && !found; back += back < 1 ? 1 : 183) found = pol_param_at(p, name, date - back, &val);
    if (!found || !json_is_number(val.value)) return false;
    int64_t hourly = (int64_t)json_number_value(val.value);
    if (strcmp(period, "hour") == 0) *out = hourly;
    else if (strcmp(period, "month") == 0) *out = hourly * 209;
    else if (strcmp(period, "year") == 0) *out = hourly * 209 * 12;
    else return false;
    return true;
#else
    (void)country, (void)date, (void)period, (void)out;
    return false;
#endif
}

/* ---- text patterns ---- */

/* Pattern language: 'D' one ASCII digit, '~' one of "~" "-", anything else literal. */
static const char *pmatch(const char *text, const char *pat, size_t *mlen) {
    for (const char *s = text; *s; s++) {
        const char *t = s, *p = pat;
        while (*p && *t) {
            if (*p == 'D' ? (*t >= '0' && *t <= '9') : *p == '~' ? (*t == '~' || *t == '-') : *p == *t) {
                p++;
                t++;
            } else
                break;
        }
        if (!*p) {
            *mlen = (size_t)(t - s);
            return s;
        }
    }
    return NULL;
}

struct pattern {
    const char *code, *pat;
    bool squeeze; /* match against the text without spaces (Korean) */
};
static const struct pattern disc[] = {
    {"discrimination.age", "D0~D0대", true}, {"discrimination.age", "D0대만", true},
    {"discrimination.age", "D0대초반", true}, {"discrimination.age", "D0대중반", true},
    {"discrimination.age", "D0대여성", true}, {"discrimination.age", "D0대남성", true},
    {"discrimination.age", "DD세이하", true}, {"discrimination.age", "DD세미만", true},
    {"discrimination.age", "DD세까지", true}, {"discrimination.age", "나이제한", true},
    {"discrimination.age", "연령제한", true}, {"discrimination.age", "under DD", false},
    {"discrimination.age", "below DD", false}, {"discrimination.age", "aged DD", false},
    {"discrimination.age", "younger than", false}, {"discrimination.age", "DD or younger", false},
    {"discrimination.age", "no older than", false}, {"discrimination.age", "age limit", false},
    {"discrimination.age", "maximum age", false}, {"discrimination.age", "DD~DD years old", false},
    {"discrimination.sex", "남성만", true}, {"discrimination.sex", "여성만", true},
    {"discrimination.sex", "남자만", true}, {"discrimination.sex", "여자만", true},
    {"discrimination.sex", "남성우대", true}, {"discrimination.sex", "여성우대", true},
    {"discrimination.sex", "남자우대", true}, {"discrimination.sex", "여자우대", true},
    {"discrimination.sex", "남성지원자만", true}, {"discrimination.sex", "여성지원자만", true},
    {"discrimination.sex", "female only", false}, {"discrimination.sex", "male only", false},
    {"discrimination.sex", "females only", false}, {"discrimination.sex", "males only", false},
    {"discrimination.sex", "women only", false}, {"discrimination.sex", "men only", false},
    {"discrimination.sex", "only female", false}, {"discrimination.sex", "only male", false},
    {"discrimination.sex", "only women", false}, {"discrimination.sex", "only men", false},
    {"discrimination.sex", "must be male", false}, {"discrimination.sex", "must be female", false},
    {"discrimination.marital_status", "미혼", true}, {"discrimination.marital_status", "기혼자불가", true},
    {"discrimination.marital_status", "기혼불가", true}, {"discrimination.marital_status", "unmarried", false},
    {"discrimination.marital_status", "must be single", false}, {"discrimination.marital_status", "single only", false},
    {"discrimination.marital_status", "not married", false}, {"discrimination.marital_status", "no married", false},
    {"discrimination.appearance", "용모단정", true}, {"discrimination.appearance", "외모", true},
    {"discrimination.appearance", "날씬", true}, {"discrimination.appearance", "미모", true},
    {"discrimination.appearance", "키DDD", true}, {"discrimination.appearance", "attractive", false},
    {"discrimination.appearance", "good-looking", false}, {"discrimination.appearance", "good looking", false},
    {"discrimination.appearance", "handsome", false}, {"discrimination.appearance", "slim figure", false},
    {NULL, NULL, false}};

static char *squeeze(arena *a, const char *n) {
    char *o = arena_strdup(a, n), *w = o;
    for (const char *p = n; *p; p++)
        if (*p != ' ') *w++ = *p;
    *w = 0;
    return o;
}

static const char *disc_scan(arena *a, const char *norm, const char *sq, const char *skip, char *detail, size_t n) {
    for (const struct pattern *p = disc; p->code; p++) {
        if (skip && strstr(skip, p->code)) continue;
        size_t len;
        const char *m = pmatch(p->squeeze ? sq : norm, p->pat, &len);
        if (m) {
            snprintf(detail, n, "the text says \"%.*s\"", (int)len, m);
            return p->code;
        }
    }
    (void)a;
    return NULL;
}

const char *jobs_vet_text_discrimination(const char *text, char *detail, size_t n) {
    arena *a = arena_new(4096);
    const char *norm = jobs_norm(a, text);
    const char *code = disc_scan(a, norm, squeeze(a, norm), NULL, detail, n);
    arena_free(a);
    return code;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool jobs_vet_text_contact(const char *text, char *detail, size_t n) {
    /* Phone numbers: 9+ digits in one run of digits and separators (- . space ( )), starting 0 or +82. */
    for (const char *s = text; *s; s++) {
        if (!(*s == '0' || (*s == '+' && is_digit(s[1])))) continue;
        if (s > text && is_digit(s[-1])) continue;
        int digits = 0;
        const char *t = s + (*s == '+');
        while (*t && (is_digit(*t) || ((*t == '-' || *t == '.' || *t == ' ' || *t == ')' || *t == '(') && is_digit(t[1])))) {
            if (is_digit(*t)) digits++;
            t++;
        }
        if (digits >= 9 && digits <= 13) {
            snprintf(detail, n, "a phone number (\"%.*s\")", (int)(t - s), s);
            return true;
        }
    }
    /* E-mail addresses. */
    for (const char *at = strchr(text, '@'); at; at = strchr(at + 1, '@')) {
        const char *dot = at + 1;
        while (*dot && (is_digit(*dot) || ((*dot | 0x20) >= 'a' && (*dot | 0x20) <= 'z') || *dot == '-')) dot++;
        if (at > text && (is_digit(at[-1]) || ((at[-1] | 0x20) >= 'a' && (at[-1] | 0x20) <= 'z') || at[-1] == '.' ||
                          at[-1] == '_') &&
            dot > at + 1 && *dot == '.' && ((dot[1] | 0x20) >= 'a' && (dot[1] | 0x20) <= 'z')) {
            snprintf(detail, n, "an e-mail address");
            return true;
        }
    }
    static const char *const messengers[] = {"카톡", "카카오톡", "카카오id", "오픈채팅", "open.kakao", "kakaotalk", "kakao id",
                                             "텔레그램", "telegram", "whatsapp", "wechat", "line id", "라인id", NULL};
    arena *a = arena_new(4096);
    const char *norm = jobs_norm(a, text);
    bool hit = false;
    for (int i = 0; messengers[i] && !hit; i++)
        if (strstr(norm, messengers[i])) {
            snprintf(detail, n, "a messenger id (\"%s\")", messengers[i]);
            hit = true;
        }
    arena_free(a);
    return hit;
}

/* ---- the checks ---- */

void jobs_vet_run(ctx *c, const struct vac *v, const char *exclude_id, bool employer_verified, struct jobs_vet *out) {
    memset(out, 0, sizeof *out);
    char missing[200] = "";
    if (!v->has_salary_min && !v->has_salary_max) strcat(missing, "salary_min, ");
    if (!v->has_hours) strcat(missing, "hours_per_week, ");
    if (!v->closing_date) strcat(missing, "closing_date, ");
    if (!v->contact) strcat(missing, "contact, ");
    if (missing[0]) {
        missing[strlen(missing) - 2] = 0;
        add(c, out, "required.missing", "reject", "needed for publication: %s", missing);
    }
    /* Minimum wage: the lowest advertised pay, per paid hour. */
    if ((v->has_salary_min || v->has_salary_max) && v->salary_period) {
        int64_t pay = v->has_salary_min ? v->salary_min : v->salary_max, hourly_min;
        if (jobs_min_wage(v->region, date_today(), "hour", &hourly_min)) {
            int64_t hours_month = v->has_hours ? v->hours_per_week * 209 / 40 : 209;
            int64_t floor = strcmp(v->salary_period, "hour") == 0    ? hourly_min
                            : strcmp(v->salary_period, "month") == 0 ? hourly_min * hours_month
                                                                     : hourly_min * hours_month * 12;
            if (pay < floor)
                add(c, out, "pay.below_minimum_wage", "reject",
                    "%lld per %s is below the legal minimum of %lld (%lld per hour)", (long long)pay, v->salary_period,
                    (long long)floor, (long long)hourly_min);
        }
    }
    /* Discriminatory requirements: structured fields reject; text matches go to a counsellor. */
    char seen[200] = "";
    if (v->has_age_min || v->has_age_max) {
        add(c, out, "discrimination.age", "reject", "an age requirement is not allowed (Employment Policy Basic Act, Art. 7)");
        strcat(seen, "discrimination.age ");
    }
    if (v->preferred_sex && strcmp(v->preferred_sex, "any") != 0) {
        add(c, out, "discrimination.sex", "reject", "a sex requirement is not allowed (Equal Employment Opportunity Act)");
        strcat(seen, "discrimination.sex ");
    }
    if (v->marital_status) {
        add(c, out, "discrimination.marital_status", "reject", "a marital status requirement is not allowed");
        strcat(seen, "discrimination.marital_status ");
    }
    if (v->appearance) {
        add(c, out, "discrimination.appearance", "reject", "an appearance requirement is not allowed");
        strcat(seen, "discrimination.appearance ");
    }
    const char *text = arena_printf(c->a, "%s\n%s", v->title, v->description);
    const char *norm = jobs_norm(c->a, text), *sq = squeeze(c->a, norm);
    for (;;) { /* one finding per kind */
        char d[160];
        const char *code = disc_scan(c->a, norm, sq, seen, d, sizeof d);
        if (!code) break;
        add(c, out, code, "hold", "%s", d);
        strcat(seen, code);
        strcat(seen, " ");
    }
    char d[160];
    if (jobs_vet_text_contact(v->description, d, sizeof d) || jobs_vet_text_contact(v->title, d, sizeof d))
        add(c, out, "contact.in_description", "reject", "the text contains %s; put contact details in the contact field", d);
    /* Duplicates of an open vacancy. */
    op_err e = {0};
    store_stmt *st = store_query(c->db, &e,
                                 "SELECT id FROM vacancies WHERE employer_id = ? AND title_key = ? AND occupation = ?"
                                 " AND region = ? AND status IN ('submitted','held','published') AND id <> ? LIMIT 1",
                                 "sssss", v->employer_id, jobs_title_key(c->a, v->title), v->occupation, v->region,
                                 exclude_id ? exclude_id : "");
    if (st) {
        add(c, out, "duplicate.open_vacancy", "reject", "the same vacancy is already open: %s", store_col_text(st, 0));
        store_reset(st);
    }
    if (!employer_verified) add(c, out, "employer.unverified", "hold", "the employer's registration is not verified yet");
}

const char *jobs_vet_outcome(const struct jobs_vet *v) {
    const char *s = "published";
    for (int i = 0; i < v->n; i++) {
        if (strcmp(v->r[i].action, "reject") == 0) return "rejected";
        s = "held";
    }
    return s;
}

json_t *jobs_vet_json(const struct jobs_vet *v) {
    json_t *a = json_array();
    for (int i = 0; i < v->n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", v->r[i].code, "action", v->r[i].action, "detail",
                                           v->r[i].detail));
    return a;
}

/* ---- counsellor queue ---- */

op_code jobs_vetting_queue(ctx *c, int limit, int offset, json_t **out) {
    store_stmt *st = store_prepare(c->db,
                                   "SELECT " VAC_COLS " FROM vacancies v JOIN employers e ON e.id = v.employer_id"
                                   " WHERE v.status = 'held' ORDER BY v.updated_at, v.num LIMIT ? OFFSET ?",
                                   &c->err);
    if (!st) return c->err.code;
    store_bind_int(st, 1, limit);
    store_bind_int(st, 2, offset);
    json_t *items = json_array();
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW) json_array_append_new(items, jobs_vac_json(c, st, true));
    store_reset(st);
    if (r == STORE_ERROR) {
        json_decref(items);
        return c->err.code;
    }
    int64_t total = 0;
    if ((st = store_query(c->db, &c->err, "SELECT COUNT(*) FROM vacancies WHERE status = 'held'", ""))) {
        total = store_col_int(st, 0);
        store_reset(st);
    }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
    return OP_OK;
}

op_code jobs_vetting_decide(ctx *c, const char *id, const char *decision, const char *reason, const char *note,
                            json_t **out) {
    if (!id_is_uuid(id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    store_stmt *st = store_query(c->db, &c->err, "SELECT num, status FROM vacancies WHERE id = ?", "s", id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "vacancy %s does not exist", id);
    int64_t num = store_col_int(st, 0);
    char status[16];
    snprintf(status, sizeof status, "%s", store_col_text(st, 1));
    store_reset(st);
    bool approve = strcmp(decision, "approve") == 0;
    if (approve && strcmp(status, "held") != 0)
        return op_fail(&c->err, OP_CONFLICT, "only held vacancies are approved", "vacancy %s is %s", id, status);
    if (!approve && strcmp(status, "held") != 0 && strcmp(status, "published") != 0 && strcmp(status, "submitted") != 0)
        return op_fail(&c->err, OP_CONFLICT, NULL, "vacancy %s is %s and cannot be rejected", id, status);
    json_t *reasons = approve ? json_array()
                              : json_pack("[{s:s, s:s, s:s}]", "code", reason ? reason : "counsellor.rejected", "action",
                                          "reject", "detail", note ? note : "rejected by a counsellor");
    const char *rj = jx_dump(c->a, jx_arena(c->a, reasons));
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    rc = jobs_vacancy_transition(c, id, num, status, approve ? "published" : "rejected", NULL);
    if (!rc) rc = store_exec(c->db, &c->err, NULL, "UPDATE vacancies SET reasons = ? WHERE id = ?", "ss", rj, id);
    if (!rc) rc = jobs_vetting_log(c, id, approve ? "published" : "rejected", rj, note);
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    return jobs_vacancy_get(c, id, out);
}
