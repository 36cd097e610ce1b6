/* test_dci_cron.c - the cron expressions of a subscription's frequency (src/dci/cron.c): Quartz
 * (6-7 fields, with seconds and years, day-of-week 1 = Sunday) and Unix (5 fields) forms, the
 * next fire time in UTC, wildcards (real time), refusals. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/clock.h"
#include "dci/cron.h"

static int64_t at(const char *ts) {
    int64_t us;
    cr_assert(ts_parse(ts, &us), "%s", ts);
    return us;
}

/* The next fire time of expr after ts, formatted (seconds precision, "never" when none). */
static const char *next(const char *expr, const char *ts) {
    static char out[CLOCK_TS_LEN];
    struct dci_cron cr;
    char err[200] = "";
    cr_assert(dci_cron_parse(expr, &cr, err, sizeof err), "%s: %s", expr, err);
    int64_t t = dci_cron_next(&cr, at(ts));
    if (t < 0) return "never";
    clock_format_ts(t, out);
    out[19] = 0; /* drop the fraction */
    return out;
}

Test(dci_cron, dci_sample_fifth_and_fifteenth) {
    cr_assert_str_eq(next("0 0 0 5,15 * ? *", "2026-11-21T12:00:00Z"), "2026-12-05T00:00:00");
    cr_assert_str_eq(next("0 0 0 5,15 * ? *", "2026-12-05T00:00:00Z"), "2026-12-15T00:00:00", "strictly after");
    cr_assert_str_eq(next("0 0 0 5,15 * ? *", "2026-12-31T23:59:59Z"), "2027-01-05T00:00:00");
}

Test(dci_cron, quartz_seconds_steps_and_ranges) {
    cr_assert_str_eq(next("*/5 * * * * ?", "2026-01-01T10:00:03Z"), "2026-01-01T10:00:05");
    cr_assert_str_eq(next("*/5 * * * * ?", "2026-01-01T10:00:59.5Z"), "2026-01-01T10:01:00");
    cr_assert_str_eq(next("0 0 * * * ? *", "2026-01-01T10:00:00Z"), "2026-01-01T11:00:00", "the hour, every hour");
    cr_assert_str_eq(next("0 30 9-17/4 * * ?", "2026-01-01T10:00:00Z"), "2026-01-01T13:30:00");
    cr_assert_str_eq(next("0 0 12 ? JAN-MAR MON", "2026-03-31T12:00:00Z"), "2027-01-04T12:00:00");
    cr_assert_str_eq(next("0 0 0 ? * 1", "2026-11-21T00:00:00Z"), "2026-11-22T00:00:00", "Quartz 1 = Sunday");
    cr_assert_str_eq(next("0 0 0 1 1 ? 2030", "2026-11-21T00:00:00Z"), "2030-01-01T00:00:00");
    cr_assert_str_eq(next("0 0 0 1 1 ? 2020", "2026-11-21T00:00:00Z"), "never");
    cr_assert_str_eq(next("0 0 0 30 2 ?", "2026-11-21T00:00:00Z"), "never");
    cr_assert_str_eq(next("0 0 0 29 2 ?", "2026-11-21T00:00:00Z"), "2028-02-29T00:00:00");
}

Test(dci_cron, unix_five_fields) {
    cr_assert_str_eq(next("0 0 * * *", "2026-11-21T12:34:56Z"), "2026-11-22T00:00:00");
    cr_assert_str_eq(next("15 6 * * 0", "2026-11-21T12:00:00Z"), "2026-11-22T06:15:00", "Unix 0 = Sunday");
    cr_assert_str_eq(next("15 6 * * 7", "2026-11-21T12:00:00Z"), "2026-11-22T06:15:00", "and 7");
    cr_assert_str_eq(next("*/10 * * * *", "2026-11-21T12:34:56Z"), "2026-11-21T12:40:00");
    /* both day fields restricted: either matches (1st of the month, or a Monday) */
    cr_assert_str_eq(next("0 0 1 * 1", "2026-11-24T00:00:00Z"), "2026-11-30T00:00:00");
}

Test(dci_cron, wildcards_mean_real_time) {
    struct dci_cron cr;
    char err[200];
    cr_assert(dci_cron_parse("* * * * * ? *", &cr, err, sizeof err) && cr.every_second);
    cr_assert(dci_cron_parse("* * * * *", &cr, err, sizeof err) && cr.every_second);
    cr_assert(dci_cron_parse("0 * * * * ?", &cr, err, sizeof err) && !cr.every_second);
}

Test(dci_cron, refusals) {
    struct dci_cron cr;
    char err[200];
    const char *bad[] = {"", "0 0", "0 0 0 0 0 0 0 0", "60 * * * * ?", "* 24 * * *", "0 0 0 L * ?", "0 0 0 ? * 6#3", "0 0 0 15W * ?",
                         "0 0 0 ? * 8", "x * * * *", "*/0 * * * *", "5-1 * * * *", "0 0 0 1 1 ? 1969", "? * * * *"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        cr_assert_not(dci_cron_parse(bad[i], &cr, err, sizeof err), "\"%s\" is refused", bad[i]);
        cr_assert(err[0], "with a message");
    }
    cr_assert_not(dci_cron_parse("0 0 0 L * ?", &cr, err, sizeof err));
    cr_assert(strstr(err, "day-of-month") && strstr(err, "L, W and # are not supported"), "%s", err);
}
