/* member.c - see member.h. */
#include "dci/member.h"

#include <string.h>

#include "base/jsonx.h"
#include "domain/person_int.h"
#include "sec/fieldcrypt.h"

const char DCI_MEMBER_SELECT[] =
    "SELECT p.id, p.nid_enc, p.given_name, p.family_name, p.birth_date, p.sex, p.region_code, p.education_level,"
    " p.profile, p.created_at, p.updated_at, r.status, r.registered_on, r.status_reason,"
    " (SELECT k.status FROM ei_claims k WHERE k.person_id = p.id ORDER BY k.created_at DESC, k.id DESC LIMIT 1)"
    " FROM persons p LEFT JOIN jobseeker_registrations r ON r.id = (SELECT x.id FROM jobseeker_registrations x"
    "   WHERE x.person_id = p.id ORDER BY x.created_at DESC, x.id DESC LIMIT 1)";

struct derived {
    const char *status, *occupation, *title;
    json_t *work; /* borrowed from profile */
};

const char *dci_benefit_status(const char *claim_status) {
    static const char *const known[] = {"active", "suspended", "exhausted", "closed", "rejected"};
    for (size_t i = 0; claim_status && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(claim_status, known[i]) == 0) return known[i];
    return "none";
}

static bool open_reg(const char *s) { return s && (strcmp(s, "active") == 0 || strcmp(s, "suspended") == 0); }

static void derive(const struct dci_member_row *r, json_t *profile, struct derived *d) {
    memset(d, 0, sizeof *d);
    d->work = json_object_get(profile, "work_history");
    json_t *cur = NULL, *last = NULL;
    size_t i;
    json_t *w;
    json_array_foreach(d->work, i, w) {
        const char *sd = json_string_value(json_object_get(w, "start_date"));
        if (!json_string_value(json_object_get(w, "end_date"))) cur = w;
        const char *ls = last ? json_string_value(json_object_get(last, "start_date")) : NULL;
        if (!last || (sd && (!ls || strcmp(sd, ls) > 0))) last = w;
    }
    json_t *occ_src = cur ? cur : last;
    d->occupation = json_string_value(json_object_get(occ_src, "occupation"));
    d->title = json_string_value(json_object_get(occ_src, "title"));
    if (!d->occupation)
        d->occupation = json_string_value(json_array_get(json_object_get(json_object_get(profile, "preferences"), "occupations"), 0));
    if (open_reg(r->reg_status)) d->status = "unemployed";
    else if (cur || (r->reg_status && strcmp(r->reg_status, "placed") == 0)) d->status = "employed";
    else d->status = "inactive";
}

static json_t *profile_of(arena *a, const struct dci_member_row *r) {
    json_t *p = r->profile ? json_loads(r->profile, 0, NULL) : NULL;
    if (!json_is_object(p)) {
        json_decref(p);
        p = json_object();
    }
    return jx_arena(a, p);
}

void dci_member_values(arena *a, const struct dci_member_row *r, const char *vals[DQ_NATTR]) {
    struct derived d;
    derive(r, profile_of(a, r), &d);
    vals[DQ_EMPLOYMENT_STATUS] = d.status;
    vals[DQ_OCCUPATION] = d.occupation ? arena_strdup(a, d.occupation) : NULL;
    vals[DQ_EDUCATION_LEVEL] = r->education;
    vals[DQ_REGISTRATION_DATE] = r->reg_date;
    vals[DQ_BIRTH_DATE] = r->birth_date;
    vals[DQ_SEX] = r->sex;
    vals[DQ_REGION] = r->region;
    vals[DQ_BENEFIT_STATUS] = dci_benefit_status(r->claim_status);
    vals[DQ_LAST_UPDATED] = r->updated_at;
    vals[DQ_UIN] = NULL; /* subscription filters: the caller fills in persons.nid_hash */
    vals[DQ_OPENPES] = r->id;
}

void dci_member_read(arena *a, store_stmt *st, struct dci_member_row *r) {
    const char **f[] = {&r->id, &r->nid_enc, &r->given, &r->family, &r->birth_date, &r->sex, &r->region, &r->education,
                        &r->profile, &r->created_at, &r->updated_at, &r->reg_status, &r->reg_date, &r->reg_reason, &r->claim_status};
    for (int i = 0; i < 15; i++) *f[i] = arena_strdup(a, store_col_text(st, i));
}

json_t *dci_member_render(ctx *c, const struct dci_member_row *r, const struct dci_agreement *ag) {
    char *uin = NULL;
    if (r->nid_enc && dci_agreement_allows_field(ag, "member_identifier")) {
        op_err e = {0};
        if (fieldcrypt_decrypt(c->a, r->nid_enc, pr_nid_aad(c->a, r->id), &uin, NULL, &e)) uin = NULL;
    }
    json_t *m = dci_member_build(c->a, r, uin);
    if (uin) memset(uin, 0, strlen(uin)); /* the clear number lives no longer than needed */
    dci_member_minimise(m, ag);
    return m;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *dci_member_build(arena *a, const struct dci_member_row *r, const char *uin) {
    struct derived d;
    derive(r, profile_of(a, r), &d);
    json_t *ids = json_array();
    if (uin) json_array_append_new(ids, json_pack("{s:s, s:s}", "identifier_type", "UIN", "identifier_value", uin));
    json_array_append_new(ids, json_pack("{s:s, s:s}", "identifier_type", "OPENPES", "identifier_value", r->id));
    json_t *spells = json_array();
    size_t i;
    json_t *w;
    json_array_foreach(d.work, i, w) {
        json_t *s = json_object();
        static const char *const map[][2] = {{"employer_name", "employer"}, {"occupation", "occupation"}, {"job_title", "title"},
                                             {"start_date", "start_date"}, {"end_date", "end_date"}};
        for (size_t j = 0; j < 5; j++) {
            json_t *x = json_object_get(w, map[j][1]);
            json_object_set_new(s, map[j][0], x ? json_incref(x) : json_null());
        }
        json_array_append_new(spells, s);
    }
    json_t *extra = json_pack("{s:s, s:o, s:o}", "benefit_status", dci_benefit_status(r->claim_status), "region", str_or_null(r->region), "occupation_title",
                              str_or_null(d.title));
    return json_pack("{s:s, s:o, s:{s:{s:o, s:o}, s:o, s:o}, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "@type", "spdci:Member",
                     "member_identifier", ids, "demographic_info", "name", "given_name", str_or_null(r->given), "surname",
                     str_or_null(r->family), "sex", str_or_null(r->sex), "birth_date", str_or_null(r->birth_date),
                     "employment_status", d.status, "occupation", str_or_null(d.occupation), "education_level",
                     str_or_null(r->education), "unemployment_reason",
                     str_or_null(open_reg(r->reg_status) ? r->reg_reason : NULL), "employment_info", spells,
                     "registration_date", str_or_null(r->reg_date), "last_updated", str_or_null(r->updated_at),
                     "additional_attributes", extra);
}

static void prune(json_t *o, const char *prefix, const struct dci_agreement *ag) {
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v) {
        if (!prefix && strcmp(k, "@type") == 0) continue;
        char path[128];
        snprintf(path, sizeof path, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", k);
        if (dci_agreement_allows_field(ag, path)) continue;
        bool descend = !prefix && json_is_object(v) && (strcmp(k, "demographic_info") == 0 || strcmp(k, "additional_attributes") == 0);
        if (descend) {
            prune(v, k, ag);
            if (json_object_size(v) > 0) continue;
        }
        json_object_del(o, k);
    }
}

void dci_member_minimise(json_t *m, const struct dci_agreement *ag) { prune(m, NULL, ag); }
