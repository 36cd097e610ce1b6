/* synth.c - synthetic people at any scale (`openpes seed --persons N --seed S`).
 *
 * People come from gen.c, so (N, S) always gives the same people and national ids.  They are
 * written through person_create/jobseeker_register with a system context (purpose
 * system_operation): the benchmark measures the real write path, audit records included.
 * Batches of o->batch people share one transaction, which is what makes this fast on SQLite
 * with synchronous=FULL (one fsync per batch instead of per person).  Each person gets a
 * fresh arena so memory stays flat at any N. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "core/ctx.h"
#include "domain/account.h"
#include "domain/person.h"
#include "seed/gen.h"
#include "seed/names.h"
#include "seed/seed.h"

#define SYNTH_MAX_OFFICES 99

/* Synthetic job centres go round the regions, Seoul first. */
static const char *const office_regions[] = {"KR-11", "KR-26", "KR-27", "KR-28", "KR-29", "KR-30", "KR-31",
                                             "KR-41", "KR-43", "KR-44", "KR-47", "KR-48", "KR-50"};
#define NOFFICE_REGIONS (int)(sizeof office_regions / sizeof office_regions[0])

void seed_synth_office_code(int k, char out[16]) { snprintf(out, 16, "SYN-%02d", k); }
const char *seed_synth_office_region(int k) { return office_regions[(k - 1) % NOFFICE_REGIONS]; }

static op_code ensure_offices(int k, op_err *e) {
    ctx c;
    if (!ctx_init_system(&c, "seed", "system_operation", e)) return e->code;
    op_code rc = OP_OK;
    for (int i = 1; i <= k && !rc; i++) {
        char code[16], id[ID_LEN], name[96], name_ko[128];
        seed_synth_office_code(i, code);
        rc = office_resolve(&c, code, id);
        if (rc != OP_NOT_FOUND) continue;
        op_clear(&c.err);
        const struct seed_region *r = seed_region_find(seed_synth_office_region(i));
        snprintf(name, sizeof name, "Synthetic Job Centre %02d (%s)", i, r->name_en);
        snprintf(name_ko, sizeof name_ko, "합성 고용센터 %02d (%s)", i, r->name_ko);
        struct office_new n = {code, name, name_ko, "job_centre", r->code};
        rc = office_create(&c, &n, id);
    }
    if (rc) *e = c.err;
    ctx_release(&c);
    return rc;
}

/* Lines of the ids file for the open batch ("<person id>\t<office>\t<national id>"): written only
 * once the batch has committed. */
struct buf {
    char *p;
    size_t n, cap;
};
static void buf_add(struct buf *b, const char *a, const char *c, const char *d) {
    size_t need = strlen(a) + strlen(c) + strlen(d) + 4;
    if (b->n + need > b->cap) {
        b->cap = (b->cap + need) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    b->n += (size_t)sprintf(b->p + b->n, "%s\t%s\t%s\n", a, c, d);
}

/* One person: create, maybe register.  Runs in the batch transaction on a fresh arena. */
static op_code one(ctx *c, const struct seed_synth_opts *o, const struct seed_opts *gopts, uint64_t idx,
                   struct seed_synth_result *r, struct buf *ids) {
    json_t *doc = seed_person(o->seed, idx, gopts, NULL), *out = NULL;
    op_code rc = person_create(c, doc, &out);
    const char *region = json_string_value(json_object_get(json_object_get(doc, "address"), "region_code"));
    if (rc) {
        if (rc == OP_DUPLICATE)
            snprintf(c->err.hint, sizeof c->err.hint,
                     "this database already holds people of seed %llu; use a fresh database or another --seed",
                     (unsigned long long)o->seed);
        json_decref(doc);
        return rc;
    }
    char pid[ID_LEN];
    snprintf(pid, sizeof pid, "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    /* The office: one of the synthetic job centres in the person's region, by index. */
    int cand[SYNTH_MAX_OFFICES], nc = 0;
    for (int k = 1; k <= o->offices; k++)
        if (strcmp(seed_synth_office_region(k), region) == 0) cand[nc++] = k;
    char code[16], nid[32];
    seed_synth_office_code(nc ? cand[idx % (uint64_t)nc] : 1, code);
    snprintf(nid, sizeof nid, "%s", json_string_value(json_object_get(doc, "national_id")));
    json_decref(doc);
    seed_rng rng = seed_rng_for(o->seed, idx, 100);
    if (seed_rng_below(&rng, 100) < o->registered_pct) {
        char on[11];
        date_format(date_today() - 1 - (int64_t)seed_rng_below(&rng, 365), on);
        json_t *body = json_pack("{s:s, s:s}", "office", code, "registered_on", on);
        rc = jobseeker_register(c, pid, body, &out);
        json_decref(body);
        if (rc) return rc;
        json_decref(out);
        r->registered++;
    }
    r->created++;
    buf_add(ids, pid, code, nid);
    return OP_OK;
}

op_code seed_synth_run(const struct seed_synth_opts *in, struct seed_synth_result *r, op_err *e) {
    struct seed_synth_opts o = *in;
    memset(r, 0, sizeof *r);
    if (o.offices <= 0) o.offices = 4;
    if (o.offices > SYNTH_MAX_OFFICES)
        return op_fail(e, OP_VALIDATION, NULL, "at most %d synthetic offices", SYNTH_MAX_OFFICES);
    if (o.batch <= 0) o.batch = 2000;
    if (o.registered_pct > 100) o.registered_pct = 100;
    if (o.first + o.persons > seed_max_persons())
        return op_fail(e, OP_VALIDATION, NULL, "at most %llu people per seed", (unsigned long long)seed_max_persons());
    op_code rc = ensure_offices(o.offices, e);
    if (rc) return rc;

    const char *regions[SYNTH_MAX_OFFICES];
    for (int k = 1; k <= o.offices; k++) regions[k - 1] = seed_synth_office_region(k);
    struct seed_opts gopts = {regions, o.offices, 60};

    FILE *idf = NULL;
    if (o.ids_file && !(idf = fopen(o.ids_file, "w")))
        return op_fail(e, OP_INTERNAL, "check the path", "cannot write \"%s\"", o.ids_file);
    struct buf ids = {0};
    int64_t t0 = clock_mono_us(), last = t0;
    uint64_t end = o.first + o.persons;
    for (uint64_t i = o.first; i < end && !rc;) {
        ctx c;
        if (!ctx_init_system(&c, "seed", "system_operation", e)) {
            rc = e->code;
            break;
        }
        arena *batch_arena = c.a;
        ids.n = 0;
        uint64_t stop = i + (uint64_t)o.batch < end ? i + (uint64_t)o.batch : end;
        struct seed_synth_result br = {0};
        rc = store_begin(c.db, &c.err);
        for (uint64_t j = i; j < stop && !rc; j++) {
            c.a = arena_new(16384);
            rc = one(&c, &o, &gopts, j, &br, &ids);
            arena_free(c.a);
            c.a = batch_arena;
        }
        if (!rc) rc = store_commit(c.db, &c.err);
        if (rc) {
            *e = c.err;
            if (!e->code) e->code = rc;
            char d[sizeof e->detail];
            snprintf(d, sizeof d, "%s", e->detail);
            snprintf(e->detail, sizeof e->detail, "batch of people %llu-%llu rolled back: %s",
                     (unsigned long long)i, (unsigned long long)(stop - 1), d);
        } else {
            r->created += br.created;
            r->registered += br.registered;
            if (idf && ids.n) fwrite(ids.p, 1, ids.n, idf);
        }
        ctx_release(&c);
        i = stop;
        int64_t now = clock_mono_us();
        if (!rc && o.progress && (now - last > 2000000 || i == end)) {
            double s = (double)(now - t0) / 1e6;
            fprintf(o.progress, "seed: %llu/%llu people, %.0f people/s\n", (unsigned long long)(i - o.first),
                    (unsigned long long)o.persons, s > 0 ? (double)r->created / s : 0.0);
            fflush(o.progress);
            last = now;
        }
    }
    free(ids.p);
    if (idf && fclose(idf) != 0 && !rc) rc = op_fail(e, OP_INTERNAL, NULL, "cannot write \"%s\"", o.ids_file);
    r->seconds = (double)(clock_mono_us() - t0) / 1e6;
    return rc;
}
