/* clock.c - time sources and civil-date arithmetic (Howard Hinnant's algorithms). */
#include "base/clock.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_us;

void clock_set_offset_us(int64_t off) { atomic_store(&offset_us, off); }

int64_t clock_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 + atomic_load(&offset_us);
}

int64_t clock_mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t date_days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void date_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

void clock_format_ts(int64_t us, char out[CLOCK_TS_LEN]) {
    int64_t secs = us / 1000000, frac = us % 1000000;
    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y;
    unsigned m, d;
    date_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) { /* outside the fixed-width form: let printf widen it */
        snprintf(out, CLOCK_TS_LEN, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", y, m, d, (int)(rem / 3600),
                 (int)(rem / 60 % 60), (int)(rem % 60), (int)frac);
        return;
    }
    /* Digits by hand: this runs for every request log line and audit record, and snprintf's
     * format interpretation was a measurable part of a read (docs/DECISIONS.md 13). */
    const int64_t f[] = {y, 4, m, 2, d, 2, rem / 3600, 2, rem / 60 % 60, 2, rem % 60, 2, frac, 6};
    static const char sep[] = "--T::.Z";
    char *o = out;
    for (int i = 0; i < 7; i++) {
        int64_t v = f[2 * i];
        for (int k = (int)f[2 * i + 1] - 1; k >= 0; k--, v /= 10) o[k] = (char)('0' + v % 10);
        o += f[2 * i + 1];
        *o++ = sep[i];
    }
    *o = 0;
}

void clock_now_ts(char out[CLOCK_TS_LEN]) { clock_format_ts(clock_now_us(), out); }

static bool digits(const char *s, int n, int *v) {
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool valid_ymd(int y, int m, int d) {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

bool date_parse(const char *s, int64_t *days) {
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) return false;
    if (!valid_ymd(y, m, d)) return false;
    if (days) *days = date_days_from_civil(y, (unsigned)m, (unsigned)d);
    return true;
}

void date_format(int64_t days, char out[11]) {
    int y;
    unsigned m, d;
    date_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04d-%02u-%02u", y, m, d);
}

int64_t date_today(void) {
    int64_t us = clock_now_us();
    int64_t days = us / 86400000000LL;
    if (us < 0 && us % 86400000000LL) days--;
    return days;
}

bool ts_parse(const char *s, int64_t *us) {
    int64_t days;
    int hh, mm, ss;
    if (!s || strlen(s) < 20) return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = 0;
    if (!date_parse(date, &days)) return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    if (!digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mm) || s[16] != ':' ||
        !digits(s + 17, 2, &ss))
        return false;
    if (hh > 23 || mm > 59 || ss > 60) return false;
    const char *p = s + 19;
    int64_t frac = 0;
    if (*p == '.') {
        int n = 0;
        p++;
        while (isdigit((unsigned char)*p)) {
            if (n < 6) frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0) return false;
        for (; n < 6; n++) frac *= 10;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        off = (oh * 60 + om) * 60;
        if (*p == '-') off = -off;
        p += 6;
    } else {
        return false;
    }
    if (*p) return false;
    if (us) *us = ((days * 86400 + hh * 3600 + mm * 60 + ss) - off) * 1000000 + frac;
    return true;
}
