/* text.c - text normalisation shared by vetting, the search index and queries. */
#include <string.h>

#include "jobs/jobs.h"

size_t jobs_utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Lower-case ASCII, collapse white space (ASCII, U+00A0, U+3000) to one space, trim. */
char *jobs_norm(arena *a, const char *s) {
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    bool space = true; /* drop leading space */
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        size_t w = 0;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') w = 1;
        else if (ch == 0xC2 && (unsigned char)s[i + 1] == 0xA0) w = 2;
        else if (ch == 0xE3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) w = 3;
        if (w) {
            if (!space) out[j++] = ' ';
            space = true;
            i += w;
            continue;
        }
        out[j++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        space = false;
        i++;
    }
    if (j && out[j - 1] == ' ') j--;
    out[j] = 0;
    return out;
}
