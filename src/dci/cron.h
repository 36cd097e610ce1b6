/* cron.h - the cron expressions of a subscription's frequency (EventFrequency.frequency,
 * DCI-DIGEST 1.7: "cron string e.g. 0 0 0 5,15 * ? *").  docs/DCI.md "Digest delivery".
 *
 * Accepted: Quartz form, 6 fields "sec min hour day-of-month month day-of-week" or 7 with "year"
 * (day-of-week 1-7, 1 = Sunday), and the classic Unix form, 5 fields "min hour dom month dow"
 * (seconds 0; day-of-week 0-7, 0 and 7 = Sunday).  Each field: "*", "?" (day fields), a number, a
 * range "a-b", a step "x/n" (x = "*", a number or a range), lists of these separated by ",";
 * month names JAN-DEC and day names SUN-SAT.  When both day-of-month and day-of-week are
 * restricted, a day matching either fires (Unix rule).  Times are UTC.  Not supported (refused):
 * Quartz's L, W and #. */
#ifndef OPENPES_DCI_CRON_H
#define OPENPES_DCI_CRON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCI_CRON_YEAR_MIN 1970
#define DCI_CRON_YEAR_MAX 2199

struct dci_cron {
    uint64_t sec, min;  /* bit n: second / minute n */
    uint32_t hour, dom; /* bit n: hour n / day n (1-31) */
    uint16_t mon;       /* bit n: month n (1-12) */
    uint8_t dow;        /* bit n: weekday n (0 = Sunday) */
    bool dom_any, dow_any;
    uint8_t year[(DCI_CRON_YEAR_MAX - DCI_CRON_YEAR_MIN + 1 + 7) / 8];
    bool every_second; /* every field a wildcard: no schedule at all */
};

/* Parse expr; false with a message in err (no trailing period) when it is not one. */
bool dci_cron_parse(const char *expr, struct dci_cron *out, char *err, size_t errn);
/* The first fire time strictly after after_us (microseconds since the epoch, UTC), whole
 * seconds; -1 when it never fires again (before DCI_CRON_YEAR_MAX ends). */
int64_t dci_cron_next(const struct dci_cron *cr, int64_t after_us);

#endif
