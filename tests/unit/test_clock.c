/* test_clock.c - timestamps: clock_format_ts against gmtime and known instants. */
#include <time.h>

#include "testlib.h"
#include "base/clock.h"

static void expect(int64_t us, const char *want) {
    char got[CLOCK_TS_LEN];
    clock_format_ts(us, got);
    cr_assert_str_eq(got, want, "%lld", (long long)us);
}

Test(clock, known_instants) {
    expect(0, "1970-01-01T00:00:00.000000Z");
    expect(1, "1970-01-01T00:00:00.000001Z");
    expect(-1, "1969-12-31T23:59:59.999999Z");
    expect(951782400LL * 1000000 + 123456, "2000-02-29T00:00:00.123456Z");   /* a leap day */
    expect(1798761599LL * 1000000 + 999999, "2026-12-31T23:59:59.999999Z"); /* the end of a year */
    expect(253402300799LL * 1000000, "9999-12-31T23:59:59.000000Z");
}

Test(clock, agrees_with_gmtime_over_a_century) {
    /* every 7,777,777.123456 s from 1950 to 2100: crosses every month, leap years, hours */
    for (int64_t us = -631152000LL * 1000000; us < 4102444800LL * 1000000; us += 7777777123456LL) {
        time_t t = (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
        int64_t frac = us - (int64_t)t * 1000000;
        struct tm tm;
        gmtime_r(&t, &tm);
        char want[64];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)frac);
        expect(us, want);
    }
}
