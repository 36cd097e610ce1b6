/* regions.c - which first-level regions border each other: the commute part of the region factor.
 *
 * Geographic reference data, not policy: ISO 3166-2:KR codes of the 17 first-level divisions, and
 * for each the divisions it shares a land border with (administrative map of 2024; Gangwon and
 * Jeonbuk under both their old and their special-self-governing codes).  A vacancy in a bordering
 * region is within daily commuting reach for many (the Seoul capital area most of all), so it gets
 * part of the region score.  A country without a table here gets no commute credit. */
#include <string.h>

#include "match/match.h"

static const struct {
    const char *region;
    const char *borders[8];
} KR[] = {
    {"KR-11", {"KR-41", "KR-28"}},                                              /* Seoul */
    {"KR-26", {"KR-48", "KR-31"}},                                              /* Busan */
    {"KR-27", {"KR-47", "KR-48"}},                                              /* Daegu */
    {"KR-28", {"KR-11", "KR-41"}},                                              /* Incheon */
    {"KR-29", {"KR-46"}},                                                       /* Gwangju */
    {"KR-30", {"KR-43", "KR-44", "KR-50"}},                                     /* Daejeon */
    {"KR-31", {"KR-26", "KR-47", "KR-48"}},                                     /* Ulsan */
    {"KR-50", {"KR-30", "KR-43", "KR-44"}},                                     /* Sejong */
    {"KR-41", {"KR-11", "KR-28", "KR-42", "KR-51", "KR-43", "KR-44"}},          /* Gyeonggi */
    {"KR-42", {"KR-41", "KR-43", "KR-47"}},                                     /* Gangwon */
    {"KR-51", {"KR-41", "KR-43", "KR-47"}},                                     /* Gangwon (2023) */
    {"KR-43", {"KR-41", "KR-42", "KR-51", "KR-44", "KR-30", "KR-50", "KR-45", "KR-47"}}, /* Chungbuk */
    {"KR-44", {"KR-41", "KR-43", "KR-30", "KR-50", "KR-45", "KR-52"}},          /* Chungnam */
    {"KR-45", {"KR-44", "KR-43", "KR-47", "KR-48", "KR-46"}},                   /* Jeonbuk */
    {"KR-52", {"KR-44", "KR-43", "KR-47", "KR-48", "KR-46"}},                   /* Jeonbuk (2024) */
    {"KR-46", {"KR-45", "KR-52", "KR-48", "KR-29"}},                            /* Jeonnam */
    {"KR-47", {"KR-42", "KR-51", "KR-43", "KR-45", "KR-52", "KR-48", "KR-27", "KR-31"}}, /* Gyeongbuk */
    {"KR-48", {"KR-45", "KR-52", "KR-46", "KR-47", "KR-27", "KR-31", "KR-26"}}, /* Gyeongnam */
    {"KR-49", {NULL}},                                                          /* Jeju */
};

/* The first-level region of a code ("KR-11" of "KR-11" or of a finer "KR-11-680"). */
static size_t top_len(const char *code) {
    const char *dash = strchr(code, '-');
    if (!dash) return strlen(code);
    const char *second = strchr(dash + 1, '-');
    return second ? (size_t)(second - code) : strlen(code);
}

bool match_regions_border(const char *a, const char *b) {
    if (!a || !b) return false;
    size_t la = top_len(a), lb = top_len(b);
    for (size_t i = 0; i < sizeof KR / sizeof KR[0]; i++) {
        if (strlen(KR[i].region) != la || strncmp(KR[i].region, a, la) != 0) continue;
        for (int k = 0; k < 8 && KR[i].borders[k]; k++)
            if (strlen(KR[i].borders[k]) == lb && strncmp(KR[i].borders[k], b, lb) == 0) return true;
    }
    return false;
}
