/* cron.c - see cron.h. */
#include "dci/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"

static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

struct field {
    const char *name;
    int lo, hi;
    const char *const *names;
    int name_base; /* the value of names[0] */
    bool question; /* "?" allowed */
};

/* A number or a name of f; false when neither. */
static bool value(const struct field *f, const char **p, int *v) {
    if (isdigit((unsigned char)**p)) {
        long n = 0;
        while (isdigit((unsigned char)**p) && n < 100000) n = n * 10 + (*(*p)++ - '0');
        *v = (int)n;
        return true;
    }
    for (int i = 0; f->names && f->names[i]; i++)
        if (strncasecmp(*p, f->names[i], 3) == 0) {
            *p += 3;
            *v = f->name_base + i;
            return true;
        }
    return false;
}

/* Parse one field text [s, end) into the values it allows (set[v - f->lo]). */
static bool field(const struct field *f, const char *s, const char *end, bool *set, bool *any, char *err, size_t errn) {
    *any = false;
    if ((end - s == 1) && (*s == '*' || (*s == '?' && f->question))) {
        *any = true;
        for (int v = f->lo; v <= f->hi; v++) set[v - f->lo] = true;
        return true;
    }
    const char *p = s;
    while (p < end) {
        int a = f->lo, b = f->hi, step = 1;
        bool single = false;
        if (*p == '*' || (*p == '?' && f->question)) {
            p++;
        } else {
            if (!value(f, &p, &a)) goto bad;
            b = a;
            single = true;
            if (p < end && *p == '-') {
                p++;
                single = false;
                if (!value(f, &p, &b)) goto bad;
            }
        }
        if (p < end && *p == '/') {
            p++;
            if (!value(f, &p, &step) || step < 1) goto bad;
            if (single) b = f->hi; /* "5/15": from 5 on */
        }
        if (p < end && *p != ',') goto bad;
        if (p < end) p++;
        if (a < f->lo || b > f->hi || a > b) {
            snprintf(err, errn, "cron %s field \"%.*s\": values are %d-%d", f->name, (int)(end - s), s, f->lo, f->hi);
            return false;
        }
        for (int v = a; v <= b; v += step) set[v - f->lo] = true;
    }
    return true;
bad:
    snprintf(err, errn, "cron %s field \"%.*s\" is not understood (numbers, names, *, ?, a-b, x/n and lists; L, W and # are not supported)",
             f->name, (int)(end - s), s);
    return false;
}

bool dci_cron_parse(const char *expr, struct dci_cron *out, char *err, size_t errn) {
    memset(out, 0, sizeof *out);
    const char *tok[8], *tend[8];
    int n = 0;
    for (const char *p = expr ? expr : ""; *p;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (n == 8) break;
        tok[n] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        tend[n++] = p;
    }
    if (n != 5 && n != 6 && n != 7) {
        snprintf(err, errn, "a cron expression has 5 fields (min hour day month weekday) or 6-7 (sec min hour day month weekday [year])");
        return false;
    }
    bool quartz = n >= 6;
    const struct field fs[] = {
        {"second", 0, 59, NULL, 0, false},
        {"minute", 0, 59, NULL, 0, false},
        {"hour", 0, 23, NULL, 0, false},
        {"day-of-month", 1, 31, NULL, 0, true},
        {"month", 1, 12, months, 1, false},
        {"day-of-week", quartz ? 1 : 0, quartz ? 7 : 7, days, quartz ? 1 : 0, true},
        {"year", DCI_CRON_YEAR_MIN, DCI_CRON_YEAR_MAX, NULL, 0, false},
    };
    bool set[DCI_CRON_YEAR_MAX - DCI_CRON_YEAR_MIN + 1], any, all_any = true;
    int first = quartz ? 0 : 1; /* the Unix form has no seconds: second 0 */
    if (!quartz) out->sec = 1;
    for (int i = 0; i < n; i++) {
        const struct field *f = &fs[first + i];
        memset(set, 0, sizeof set);
        if (!field(f, tok[i], tend[i], set, &any, err, errn)) return false;
        all_any = all_any && any;
        for (int v = f->lo; v <= f->hi; v++) {
            if (!set[v - f->lo]) continue;
            switch (first + i) {
            case 0: out->sec |= 1ull << v; break;
            case 1: out->min |= 1ull << v; break;
            case 2: out->hour |= 1u << v; break;
            case 3: out->dom |= 1u << v; break;
            case 4: out->mon |= (uint16_t)(1u << v); break;
            case 5: out->dow |= (uint8_t)(1u << ((quartz ? v - 1 : v) % 7)); break;
            default: out->year[(v - DCI_CRON_YEAR_MIN) / 8] |= (uint8_t)(1u << ((v - DCI_CRON_YEAR_MIN) % 8)); break;
            }
        }
        if (first + i == 3) out->dom_any = any;
        if (first + i == 5) out->dow_any = any;
    }
    if (n != 7) memset(out->year, 0xff, sizeof out->year);
    out->every_second = all_any;
    return true;
}

static bool year_ok(const struct dci_cron *cr, int y) {
    int i = y - DCI_CRON_YEAR_MIN;
    return i >= 0 && y <= DCI_CRON_YEAR_MAX && (cr->year[i / 8] >> (i % 8) & 1);
}

static bool day_ok(const struct dci_cron *cr, unsigned d, int wd) {
    bool dm = cr->dom >> d & 1, dw = cr->dow >> wd & 1;
    if (cr->dom_any && cr->dow_any) return true;
    if (cr->dom_any) return dw;
    if (cr->dow_any) return dm;
    return dm || dw;
}

int64_t dci_cron_next(const struct dci_cron *cr, int64_t after_us) {
    int64_t t = (after_us >= 0 ? after_us / 1000000 : -((-after_us + 999999) / 1000000)) + 1;
    for (int iter = 0; iter < 2000000; iter++) {
        int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), sod = t - day * 86400;
        int y;
        unsigned m, d;
        date_civil_from_days(day, &y, &m, &d);
        if (y > DCI_CRON_YEAR_MAX) return -1;
        int h = (int)(sod / 3600), mi = (int)(sod / 60 % 60), s = (int)(sod % 60);
        int wd = (int)(((day % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
        if (!year_ok(cr, y)) {
            t = date_days_from_civil(y + 1, 1, 1) * 86400;
        } else if (!(cr->mon >> m & 1)) {
            t = (m == 12 ? date_days_from_civil(y + 1, 1, 1) : date_days_from_civil(y, m + 1, 1)) * 86400;
        } else if (!day_ok(cr, d, wd)) {
            t = (day + 1) * 86400;
        } else if (!(cr->hour >> h & 1)) {
            t = day * 86400 + (int64_t)(h + 1) * 3600;
        } else if (!(cr->min >> mi & 1)) {
            t = day * 86400 + (int64_t)h * 3600 + (int64_t)(mi + 1) * 60;
        } else if (!(cr->sec >> s & 1)) {
            t++;
        } else {
            return t * 1000000;
        }
    }
    return -1;
}
