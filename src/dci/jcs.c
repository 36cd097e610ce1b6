/* jcs.c - see jcs.h. */
#include "dci/jcs.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
    arena *a;
    char *p;
    size_t len, cap;
    bool bad;
};

static void put(struct out *o, const char *s, size_t n) {
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->len + n + 1) cap *= 2;
        char *np = arena_alloc(o->a, cap);
        if (o->len) memcpy(np, o->p, o->len);
        o->p = np;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}
static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static void put_string(struct out *o, const char *s, size_t n) {
    put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"': puts_(o, "\\\""); break;
        case '\\': puts_(o, "\\\\"); break;
        case '\b': puts_(o, "\\b"); break;
        case '\f': puts_(o, "\\f"); break;
        case '\n': puts_(o, "\\n"); break;
        case '\r': puts_(o, "\\r"); break;
        case '\t': puts_(o, "\\t"); break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                puts_(o, esc);
            } else {
                put(o, (const char *)&s[i], 1);
            }
        }
    }
    put(o, "\"", 1);
}

/* ECMAScript Number::toString for a finite double. */
static void put_number(struct out *o, double d) {
    if (d == 0) {
        puts_(o, "0");
        return;
    }
    char buf[40], digits[20];
    int exp10 = 0, k = 0;
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d) break;
    }
    /* buf: [-]d[.ddd]e[+-]xx */
    const char *q = buf;
    bool neg = *q == '-';
    if (neg) q++;
    for (; *q && *q != 'e'; q++)
        if (*q != '.') digits[k++] = *q;
    digits[k] = 0;
    exp10 = atoi(q + 1);
    while (k > 1 && digits[k - 1] == '0') digits[--k] = 0;
    int n = exp10 + 1; /* value = 0.digits x 10^n */
    char res[64];
    size_t r = 0;
    if (neg) res[r++] = '-';
    if (k <= n && n <= 21) {
        memcpy(res + r, digits, (size_t)k);
        r += (size_t)k;
        for (int i = 0; i < n - k; i++) res[r++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(res + r, digits, (size_t)n);
        r += (size_t)n;
        res[r++] = '.';
        memcpy(res + r, digits + n, (size_t)(k - n));
        r += (size_t)(k - n);
    } else if (-6 < n && n <= 0) {
        res[r++] = '0';
        res[r++] = '.';
        for (int i = 0; i < -n; i++) res[r++] = '0';
        memcpy(res + r, digits, (size_t)k);
        r += (size_t)k;
    } else {
        res[r++] = digits[0];
        if (k > 1) {
            res[r++] = '.';
            memcpy(res + r, digits + 1, (size_t)(k - 1));
            r += (size_t)(k - 1);
        }
        r += (size_t)snprintf(res + r, sizeof res - r, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    }
    res[r] = 0;
    puts_(o, res);
}

/* Compare two UTF-8 strings by UTF-16 code units (RFC 8785 section 3.2.3). */
static size_t utf16_units(const char *s, uint16_t *u, size_t cap) {
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n + 2 <= cap) {
        uint32_t cp;
        if (*p < 0x80) cp = *p++;
        else if ((*p & 0xe0) == 0xc0) { cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f); p += 2; }
        else if ((*p & 0xf0) == 0xe0) { cp = (uint32_t)(*p & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f); p += 3; }
        else { cp = (uint32_t)(*p & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 | (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f); p += 4; }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[n++] = (uint16_t)(0xd800 + (cp >> 10));
            u[n++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
        } else {
            u[n++] = (uint16_t)cp;
        }
    }
    return n;
}

static int cmp_keys(const void *x, const void *y) {
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    uint16_t ua[512], ub[512];
    size_t na = utf16_units(a, ua, 512), nb = utf16_units(b, ub, 512);
    for (size_t i = 0; i < na && i < nb; i++)
        if (ua[i] != ub[i]) return ua[i] < ub[i] ? -1 : 1;
    return na < nb ? -1 : na > nb ? 1 : 0;
}

static void emit(struct out *o, const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_NULL: puts_(o, "null"); break;
    case JSON_TRUE: puts_(o, "true"); break;
    case JSON_FALSE: puts_(o, "false"); break;
    case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        if (i > -(1LL << 53) && i < (1LL << 53)) {
            char b[32];
            snprintf(b, sizeof b, "%lld", (long long)i);
            puts_(o, b);
        } else {
            put_number(o, (double)i);
        }
        break;
    }
    case JSON_REAL: {
        double d = json_real_value(v);
        if (!isfinite(d)) o->bad = true;
        else put_number(o, d);
        break;
    }
    case JSON_ARRAY: {
        put(o, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) put(o, ",", 1);
            emit(o, json_array_get(v, i));
        }
        put(o, "]", 1);
        break;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = arena_alloc(o->a, (n + 1) * sizeof *keys);
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)v, k, val) keys[i++] = k;
        qsort(keys, n, sizeof *keys, cmp_keys);
        put(o, "{", 1);
        for (i = 0; i < n; i++) {
            if (i) put(o, ",", 1);
            put_string(o, keys[i], strlen(keys[i]));
            put(o, ":", 1);
            emit(o, json_object_get(v, keys[i]));
        }
        put(o, "}", 1);
        break;
    }
    }
}

char *jcs_serialize(arena *a, const json_t *v) {
    struct out o = {a, NULL, 0, 0, false};
    emit(&o, v);
    return o.bad ? NULL : (o.p ? o.p : arena_strdup(a, ""));
}
