/* batch_setup.c - bench population for the recognition + payment batch (bench/ei/batch.sh).
 *
 * N people, each with an open registration at OFFICE and an active claim whose recognition round
 * n (1..5) falls due in the 28 days up to the batch date D; rounds before n are decided (about one
 * in eleven of rounds 2+ not recognised) and the recognised ones paid in the ledger; the whole
 * schedule up to the end of the benefit window is there, as ei_rounds_schedule() writes it.  The
 * due round has a job diary of 0-3 entries (counted and uncounted types, some on the same day, the
 * first application from the platform), so its evaluation has real work and gives both results.
 * One claim in 37 has a short job (a closed employment break) inside the due round (withheld
 * days); one in 211 an open one (suspended claim: everything withheld).
 *
 * This is test data: it is written with set-based SQL straight into the tables (SQLite only,
 * synchronous=OFF), not through the domain code - only the batches measured afterwards are the
 * real code paths.  The past rounds' evaluations are copies of one real calculator answer per
 * (category, round) (the same size and shape as the batch writes).
 * usage: batch_setup DB KEYS N YYYY-MM-DD OFFICE_ID */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "core/ctx.h"
#include "ei/ei_int.h"
#include "policy/policy.h"
#include "sec/keys.h"
#include "store/store.h"

static store *db;
static op_err e;

static void run(const char *what, const char *sql) {
    int64_t t0 = clock_mono_us();
    if (store_exec_script(db, sql, &e)) {
        fprintf(stderr, "batch_setup: %s: %s\n", what, e.detail);
        exit(1);
    }
    fprintf(stderr, "  %-28s %7.1f s\n", what, (double)(clock_mono_us() - t0) / 1e6);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    static char buf[8192];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: batch_setup DB KEYS N YYYY-MM-DD OFFICE_ID\n");
        return 2;
    }
    long n = atol(argv[3]);
    const char *day = argv[4], *office = argv[5];
    int64_t dday;
    if (n < 1 || !date_parse(day, &dday)) return fprintf(stderr, "batch_setup: bad N or date\n"), 2;
    store_set_url(argv[1]);
    keys_set_path(argv[2]);
    if (keys_load(&e)) return fprintf(stderr, "keys: %s\n", e.detail), 1;
    if (!(db = store_thread(&e)) || store_migrate(db, &e)) return fprintf(stderr, "db: %s\n", e.detail), 1;
    /* Bulk load: no journal, and the tables' secondary indexes are dropped first and created
     * again at the end from their own definitions (one sort each instead of millions of random
     * inserts); the schema ends as the migrations made it. */
    run("pragmas", "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;"
                   " PRAGMA foreign_keys=OFF");
    struct {
        char name[64], *sql;
    } idx[64];
    int nidx = 0;
    store_stmt *ix = store_prepare(db,
                                   "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
                                   " ('persons', 'jobseeker_registrations', 'ei_claims', 'ei_rounds', 'ei_payments',"
                                   " 'ei_activities', 'ei_breaks')",
                                   &e);
    if (!ix) return fprintf(stderr, "indexes: %s\n", e.detail), 1;
    while (nidx < 64 && store_step(ix, &e) == STORE_ROW) {
        snprintf(idx[nidx].name, sizeof idx[nidx].name, "%s", store_col_text(ix, 0));
        idx[nidx++].sql = strdup(store_col_text(ix, 1));
    }
    store_reset(ix);
    for (int i = 0; i < nidx; i++) run(idx[i].name, fmt("DROP INDEX %s", idx[i].name));

    /* One real evaluation per (category, round) for the decided rounds. */
    run("templates", "CREATE TEMP TABLE bev (category TEXT, round INTEGER, ok INTEGER, evaluation TEXT,"
                     " PRIMARY KEY (category, round, ok))");
    static const char *const cats[] = {"general", "aged60plus", "disabled"};
    for (int ci = 0; ci < 3; ci++)
        for (int r = 1; r <= 5; r++)
            for (int ok = 0; ok <= 1; ok++) {
                char d1[11], d2[11];
                date_format(dday - 40, d1);
                date_format(dday - 33, d2);
                json_t *acts = ok ? json_pack("[{s:s, s:s}, {s:s, s:s}]", "date", d1, "type", "application", "date", d2,
                                              "type", "counselling")
                                  : json_pack("[{s:s, s:s}]", "date", d1, "type", "other");
                json_t *req = json_pack("{s:s, s:i, s:s, s:o, s:s}", "country", "KR", "round", r, "claimant_category",
                                        cats[ci], "activities", acts, "date", d2),
                       *res = NULL;
                arena *a = arena_new(0);
                if (pol_run("ei-recognition", a, req, &res, &e)) return fprintf(stderr, "calc: %s\n", e.detail), 1;
                char *txt = json_dumps(res, JSON_COMPACT);
                if (store_exec(db, &e, NULL, "INSERT INTO bev VALUES (?,?,?,?)", "siis", cats[ci], (int64_t)r,
                               (int64_t)ok, txt))
                    return fprintf(stderr, "bev: %s\n", e.detail), 1;
                free(txt);
                json_decref(req);
                json_decref(res);
                arena_free(a);
            }

    /* bc: one row per claim with its derived facts; days as epoch days. */
    run("claims plan",
        fmt("CREATE TEMP TABLE bc AS WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %ld)"
            " SELECT i, 1 + i %% 5 AS due, CAST(strftime('%%s','%s') AS INTEGER) / 86400 - (i / 5) %% 28 - 14"
            "   - 28 * (i %% 5) AS rj,"
            " printf('%%08x-%%04x-7000-8000-%%012x', i / 65536, i %% 65536, i) AS pid,"
            " printf('%%08x-%%04x-7000-9000-%%012x', i / 65536, i %% 65536, i) AS cid,"
            " printf('%%08x-%%04x-7000-a000-%%012x', i / 65536, i %% 65536, i) AS rid,"
            " CASE WHEN i %% 20 = 0 THEN 'disabled' WHEN i %% 20 < 4 THEN 'aged60plus' ELSE 'general' END AS cat,"
            " 120 + 30 * (i %% 6) AS days, 64192 + i %% 3909 AS daily FROM s",
            n - 1, day));
    run("bc index", "CREATE UNIQUE INDEX bc_cid ON bc(cid)");
    run("bc window", "ALTER TABLE bc ADD COLUMN wend INTEGER; UPDATE bc SET wend = CAST(strftime('%s', date((rj - 5) * 86400,"
                     " 'unixepoch', '+12 months')) AS INTEGER) / 86400");
    run("persons", "INSERT INTO persons (id, given_name, family_name, name_key, birth_date, region_code, address_line,"
                   " disability, created_at, updated_at)"
                   " SELECT pid, '벤치', '김', '김벤치', date(-3650 - i % 12000, 'unixepoch'), 'KR-11', '1',"
                   " cat = 'disabled', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM bc");
    /* 1960-1990 birth dates (-3650 days from 1970 minus up to 33 years) */
    run("registrations",
        fmt("INSERT INTO jobseeker_registrations (id, person_id, status, office_id, registered_on, due_date, claim_id,"
            " created_at, updated_at) SELECT rid, pid, 'active', '%s', date(rj * 86400, 'unixepoch'),"
            " date((rj + 7) * 86400, 'unixepoch'), cid, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM bc",
            office));
    run("claims",
        "INSERT INTO ei_claims (id, person_id, country, status, separation_date, separation_reason, report_date,"
        " eligible, daily_amount, prescribed_days, payable_days, first_payable_date, benefit_window_end, days_paid,"
        " claimant_category, decision, filed_by, created_at, updated_at)"
        " SELECT cid, pid, 'KR', CASE WHEN i % 211 = 0 THEN 'suspended' ELSE 'active' END,"
        " date((rj - 5) * 86400, 'unixepoch'), 'dismissal', date(rj * 86400, 'unixepoch'), 1, daily, days, days,"
        " date((rj + 7) * 86400, 'unixepoch'), date(wend * 86400, 'unixepoch'), 0, cat,"
        " '{\"eligible\":true,\"daily_amount\":' || daily || ',\"prescribed_days\":' || days || ',\"reasons\":[],"
        "\"bench\":\"seeded by bench/ei/batch_setup.c\"}', 'system:bench', '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z' FROM bc");
    /* Round k recognition day: rj + 14 + 28 (k - 1); a round exists while the previous one ended
     * before the window end (ei_rounds_schedule). */
    run("rounds",
        "WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < 60)"
        " INSERT INTO ei_rounds (claim_id, round, period_from, period_to, recognition_date, status, evaluation,"
        " decided_at, settled_at)"
        " SELECT cid, k, date(CASE WHEN k = 1 THEN rj ELSE rj + 14 + 28 * (k - 2) END * 86400, 'unixepoch'),"
        " date((rj + 13 + 28 * (k - 1)) * 86400, 'unixepoch'), date((rj + 14 + 28 * (k - 1)) * 86400, 'unixepoch'),"
        " CASE WHEN k >= due THEN 'scheduled' WHEN k > 1 AND (i + k) % 11 = 0 THEN 'not_recognized' ELSE 'recognized' END,"
        " CASE WHEN k < due THEN (SELECT evaluation FROM bev WHERE bev.category = bc.cat AND bev.round = k"
        "   AND bev.ok = NOT (k > 1 AND (i + k) % 11 = 0)) END,"
        " CASE WHEN k < due THEN date((rj + 14 + 28 * (k - 1)) * 86400, 'unixepoch') || 'T02:00:00Z' END,"
        " CASE WHEN k < due AND NOT (k > 1 AND (i + k) % 11 = 0)"
        "   THEN date((rj + 14 + 28 * (k - 1)) * 86400, 'unixepoch') || 'T03:00:00Z' END" /* paid: "past payments" */
        " FROM bc JOIN k ON k.k = 1 OR rj + 14 + 28 * (k.k - 2) - 1 < wend ORDER BY cid, k");
    run("past payments",
        "INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days,"
        " withheld_days, amount, status, batch_date, created_at, kind)"
        " SELECT printf('%08x-%04x-7000-b%03x-%012x', bc.i / 65536, bc.i % 65536, r.round, bc.i), cid || ':' || r.round,"
        " cid, pid, r.round, r.period_from, r.period_to, CASE WHEN r.round = 1 THEN 7 ELSE 28 END, 0,"
        " CASE WHEN r.round = 1 THEN 7 ELSE 28 END * daily, 'paid', r.recognition_date,"
        " r.recognition_date || 'T03:00:00Z', 'benefit'"
        " FROM ei_rounds r CROSS JOIN bc ON bc.cid = r.claim_id WHERE r.status = 'recognized'");
    run("days paid", "CREATE TEMP TABLE bpd (claim_id TEXT PRIMARY KEY, days INTEGER NOT NULL);"
                     " INSERT INTO bpd SELECT claim_id, SUM(days) FROM ei_payments GROUP BY claim_id;"
                     " UPDATE ei_claims SET days_paid = COALESCE((SELECT days FROM bpd WHERE bpd.claim_id = ei_claims.id), 0)");
    /* The due round's diary: 0-3 entries; types cycle through counted and uncounted ones. */
    run("activities",
        "WITH j(j) AS (VALUES (0), (1), (2)),"
        " t(n, type) AS (VALUES (0,'application'), (1,'interview'), (2,'training'), (3,'counselling'), (4,'job_fair'),"
        "   (5,'other'), (6,'lecture'), (7,'startup_prep'), (8,'application'))"
        " INSERT INTO ei_activities (id, claim_id, day, type, source, note, created_by, created_at)"
        " SELECT printf('%08x-%04x-7000-c%03x-%012x', bc.i / 65536, bc.i % 65536, j.j, bc.i), cid,"
        " date((CASE WHEN bc.due = 1 THEN rj ELSE rj + 14 + 28 * (bc.due - 2) END + (bc.i * 13 + j.j * 5) % 13) * 86400,"
        " 'unixepoch'), t.type, CASE WHEN j.j = 0 AND t.type IN ('application', 'interview') THEN 'platform' ELSE 'diary' END,"
        " NULL, 'system:bench', '2026-01-01T00:00:00Z'"
        " FROM bc JOIN j ON j.j < (CASE (bc.i / 3) % 7 WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 2"
        "   WHEN 4 THEN 2 WHEN 5 THEN 3 ELSE 1 END)"
        " JOIN t ON t.n = (bc.i + 4 * j.j) % 9");
    run("breaks",
        "INSERT INTO ei_breaks (claim_id, employment_id, from_date, to_date)"
        " SELECT cid, printf('%08x-%04x-7000-d000-%012x', i / 65536, i % 65536, i),"
        " date((CASE WHEN due = 1 THEN rj ELSE rj + 14 + 28 * (due - 2) END + CASE WHEN i % 211 = 0 THEN 10 ELSE 3 END)"
        "   * 86400, 'unixepoch'),"
        " CASE WHEN i % 211 = 0 THEN NULL ELSE date((CASE WHEN due = 1 THEN rj ELSE rj + 14 + 28 * (due - 2) END + 9)"
        "   * 86400, 'unixepoch') END"
        " FROM bc WHERE i % 37 = 0 OR i % 211 = 0");
    /* Every claim has its payout account, sealed as the claim API seals it (a claim without one
     * has its payments held). */
    {
        ctx c;
        if (!ctx_init_system(&c, "bench", "benefit_administration", &e)) return fprintf(stderr, "ctx: %s\n", e.detail), 1;
        store_stmt *cl = store_prepare(db, "SELECT cid, pid, i FROM bc ORDER BY i", &e);
        if (!cl) return fprintf(stderr, "accounts: %s\n", e.detail), 1;
        run("accounts tx", "BEGIN");
        while (store_step(cl, &e) == STORE_ROW) {
            struct ei_bank b = {0};
            int64_t i = store_col_int(cl, 2);
            snprintf(b.code, sizeof b.code, "%03d", (int)(4 + i % 80));
            snprintf(b.account, sizeof b.account, "%012lld", (long long)(100000000000LL + i));
            snprintf(b.holder, sizeof b.holder, "김벤치");
            b.confirmed = true; /* synthetic claimants: the holder is taken as checked (no audited name read each) */
            b.reason = "bench";
            if (ei_bank_store(&c, store_col_text(cl, 0), store_col_text(cl, 1), &b))
                return fprintf(stderr, "account: %s\n", c.err.detail), 1;
            arena_reset(c.a);
        }
        store_reset(cl);
        run("accounts commit", "COMMIT");
        ctx_release(&c);
    }
    for (int i = 0; i < nidx; i++) {
        run(idx[i].name, idx[i].sql);
        free(idx[i].sql);
    }
    run("journal back to WAL", "PRAGMA journal_mode=WAL");
    store_stmt *st = store_query(db, &e,
                                 "SELECT (SELECT COUNT(*) FROM ei_claims), (SELECT COUNT(*) FROM ei_rounds),"
                                 " (SELECT COUNT(*) FROM ei_payments), (SELECT COUNT(*) FROM ei_activities),"
                                 " (SELECT COUNT(*) FROM ei_breaks)",
                                 "");
    if (!st) return fprintf(stderr, "count: %s\n", e.detail), 1;
    printf("claims %lld, rounds %lld, past payments %lld, activities %lld, breaks %lld\n", (long long)store_col_int(st, 0),
           (long long)store_col_int(st, 1), (long long)store_col_int(st, 2), (long long)store_col_int(st, 3),
           (long long)store_col_int(st, 4));
    store_reset(st);
    store_thread_close();
    return 0;
}
