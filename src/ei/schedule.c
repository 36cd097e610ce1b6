/* schedule.c - the daily evaluation + payment batch run by the background worker.
 *
 * `openpes serve` or `openpes worker` with `--ei-batch-at HH:MM --ei-batch-dir DIR` configures it
 * and registers ei_periodic_pay_batch with worker_register_periodic_long (cli_register_workers,
 * src/cli/wiring.c: a thread of its own, so events are processed while it runs); without
 * --ei-batch-at nothing is scheduled (tests and development servers never pay by surprise).  The
 * worker calls it every minute; once the server's local time of day has reached HH:MM, the day's batch runs - the same
 * ei_pay_batch as `openpes ei pay-batch`, file DIR/ei-bank-YYYY-MM-DD.csv - unless it already ran.
 *
 * ei_batch_runs holds one row per batch date and is the lease: a run claims the day by inserting
 * it (status running); another process or a later tick finds it and does nothing.  A run that
 * failed is tried again after RETRY_S, one that died while running (a crash; the batch itself is
 * safe to re-run) after STALE_S.  A run the worker's stop cut short (worker_stopping: the batch
 * ended between two chunks) gives the day back, so the next start of the worker does the rest.
 *
 * After the payments, the same run issues the payment notices of recovery orders nothing pays any
 * more (ei_recovery_notices_due, giro file DIR/ei-giro-YYYY-MM-DD.csv). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "ei/ei_int.h"
#include "events/outbox.h"

#define RETRY_S (15 * 60)
#define STALE_S (6 * 3600)

static struct {
    bool on;
    int minute; /* of the day, local time */
    char dir[512];
} sched;

op_code ei_schedule_configure(const char *at, const char *dir, op_err *e) {
    sched.on = false;
    if (!at) return OP_OK;
    unsigned hh, mm;
    char extra;
    if (strlen(at) != 5 || sscanf(at, "%2u:%2u%c", &hh, &mm, &extra) != 2 || hh > 23 || mm > 59)
        return op_fail_field(e, OP_VALIDATION, "ei-batch-at", "e.g. --ei-batch-at 02:30 (the server's local time)",
                             "--ei-batch-at must be HH:MM");
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0)
        return op_fail_field(e, OP_VALIDATION, "ei-batch-dir", "give a writable directory for the bank files",
                             "--ei-batch-at needs --ei-batch-dir DIR, an existing writable directory");
    if (strlen(dir) >= sizeof sched.dir - 32)
        return op_fail_field(e, OP_VALIDATION, "ei-batch-dir", NULL, "--ei-batch-dir is too long");
    snprintf(sched.dir, sizeof sched.dir, "%s", dir);
    sched.minute = (int)(hh * 60 + mm);
    sched.on = true;
    return OP_OK;
}

/* Claim the day (own transaction): true when this caller is to run it. */
static op_code claim_day(ctx *c, const char *batch, const char *file, bool *mine) {
    char now[CLOCK_TS_LEN], stale[CLOCK_TS_LEN], retry[CLOCK_TS_LEN];
    int64_t us = clock_now_us();
    clock_format_ts(us, now);
    clock_format_ts(us - (int64_t)STALE_S * 1000000, stale);
    clock_format_ts(us - (int64_t)RETRY_S * 1000000, retry);
    int64_t n = 0;
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    rc = store_exec(c->db, &c->err, &n,
                    "INSERT INTO ei_batch_runs (batch_date, status, file, runner, started_at) VALUES (?, 'running', ?, ?, ?)"
                    " ON CONFLICT (batch_date) DO UPDATE SET status = 'running', file = excluded.file,"
                    " runner = excluded.runner, started_at = excluded.started_at, finished_at = NULL, result = NULL,"
                    " error = NULL WHERE (ei_batch_runs.status = 'running' AND ei_batch_runs.started_at < ?)"
                    " OR (ei_batch_runs.status = 'failed' AND ei_batch_runs.finished_at < ?)",
                    "ssssss", batch, file, c->who.id, now, stale, retry);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    *mine = n == 1;
    return store_commit(c->db, &c->err);
}

/* The run was stopped between two chunks: the day is free again for the next start. */
static void give_back_day(ctx *c, const char *batch) {
    op_err e = {0};
    if (store_exec(c->db, &e, NULL, "DELETE FROM ei_batch_runs WHERE batch_date = ? AND status = 'running' AND runner = ?",
                   "ss", batch, c->who.id))
        log_warn("ei daily batch %s: could not give the stopped run's day back: %s", batch, e.detail);
    else log_info("ei daily batch %s: stopped between two chunks (the worker is stopping); the next run does the rest", batch);
}

static void finish_day(ctx *c, const char *batch, const char *result, const char *error) {
    char now[CLOCK_TS_LEN];
    clock_now_ts(now);
    op_err e = {0};
    if (store_exec(c->db, &e, NULL,
                   "UPDATE ei_batch_runs SET status = ?, finished_at = ?, result = ?, error = ? WHERE batch_date = ?",
                   "sssss", error ? "failed" : "done", now, result, error, batch))
        log_warn("ei daily batch %s: could not record the end of the run: %s", batch, e.detail);
}

op_code ei_scheduled_batch(ctx *c, int64_t day, int minute_now, bool *ran) {
    *ran = false;
    if (!sched.on || minute_now < sched.minute) return OP_OK;
    char batch[11];
    date_format(day, batch);
    const char *file = arena_printf(c->a, "%s/ei-bank-%s.csv", sched.dir, batch);
    bool mine = false;
    op_code rc = claim_day(c, batch, file, &mine);
    if (rc || !mine) return rc;
    *ran = true;
    c->purpose = "benefit_administration"; /* the worker's context is declared for system operation */
    log_info("ei daily batch %s: starting (bank file %s)", batch, file);
    struct ei_batch_result r;
    struct ei_notice_result nr = {0};
    rc = ei_pay_batch(c, day, file, &r);
    if (!rc && !r.stopped && !worker_stopping())
        rc = ei_recovery_notices_due(c, day, arena_printf(c->a, "%s/ei-giro-%s.csv", sched.dir, batch), &nr);
    if (rc) {
        char err[sizeof c->err.detail];
        snprintf(err, sizeof err, "%s: %s", op_code_str(rc), c->err.detail);
        finish_day(c, batch, NULL, err);
        return rc;
    }
    if (r.stopped || nr.stopped || worker_stopping()) {
        give_back_day(c, batch);
        return OP_OK;
    }
    json_t *res = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "evaluated", (json_int_t)r.evaluated, "paid",
                            (json_int_t)r.paid, "withheld", (json_int_t)r.withheld, "held_no_account", (json_int_t)r.held,
                            "amount", (json_int_t)r.amount, "recovery_offset", (json_int_t)r.offset, "rows_in_file",
                            (json_int_t)r.rows_in_file, "not_in_file_no_account", (json_int_t)r.no_account,
                            "recovery_notices", (json_int_t)nr.issued, "recovery_notices_overdue", (json_int_t)nr.overdue);
    finish_day(c, batch, jx_dump(c->a, res), NULL);
    json_decref(res);
    return OP_OK;
}

int ei_periodic_pay_batch(ctx *c) {
    if (!sched.on) return 0;
    time_t t = (time_t)(clock_now_us() / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    int64_t day = date_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    bool ran;
    if (ei_scheduled_batch(c, day, tm.tm_hour * 60 + tm.tm_min, &ran)) return -1;
    return ran ? 1 : 0;
}
