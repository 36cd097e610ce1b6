/* clock.h - UTC timestamps and civil dates.
 *
 * Timestamps leave the system as RFC 3339 UTC with microseconds ("2026-11-21T05:39:27.123456Z"),
 * which sort lexicographically, so the store keeps them as text.  Dates are "YYYY-MM-DD" and
 * date arithmetic is done on day numbers (days since 1970-01-01). */
#ifndef OPENPES_CLOCK_H
#define OPENPES_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

int64_t clock_now_us(void);  /* wall clock, microseconds since the epoch */
int64_t clock_mono_us(void); /* monotonic */
/* Tests and simulations may pin "today"; 0 unpins. */
void clock_set_offset_us(int64_t off);

#define CLOCK_TS_LEN 28 /* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" + NUL */
void clock_format_ts(int64_t us, char out[CLOCK_TS_LEN]);
void clock_now_ts(char out[CLOCK_TS_LEN]);

/* Civil dates. */
int64_t date_days_from_civil(int y, unsigned m, unsigned d);
void date_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
bool date_parse(const char *s, int64_t *days); /* strict YYYY-MM-DD, real calendar date */
void date_format(int64_t days, char out[11]);
int64_t date_today(void);
/* Parse an RFC 3339 timestamp with offset; returns microseconds since the epoch. */
bool ts_parse(const char *s, int64_t *us);

#endif
