/* pack_registry.c - the pack directory and the per-country cache (thread-safe).  See pack.h. */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/pack.h"

#define HINT "fix the policy pack (format: docs/POLICY.md)"

/* ---- directory and cache ---- */

#define MAX_PACKS 64 /* pack files (countries with a pack), not countries asked for */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static char reg_dir[PATH_MAX];
static bool reg_dir_set;
static struct {
    char country[3];
    pol_pack *pack;  /* NULL when loading failed or there is no file */
    op_err err;      /* the cached outcome */
} reg[MAX_PACKS];
static int nreg;

static void reg_clear(void) {
    for (int i = 0; i < nreg; i++) pol_pack_free(reg[i].pack);
    nreg = 0;
}

void pol_set_dir(const char *dir) {
    pthread_mutex_lock(&reg_mu);
    reg_clear();
    reg_dir_set = dir && *dir;
    snprintf(reg_dir, sizeof reg_dir, "%s", reg_dir_set ? dir : "");
    pthread_mutex_unlock(&reg_mu);
}

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Resolve the default directory once (under reg_mu). */
static const char *resolve_dir(void) {
    if (reg_dir_set || reg_dir[0]) return reg_dir;
    const char *env = getenv("OPENPES_POLICY_DIR");
    if (env && *env) {
        snprintf(reg_dir, sizeof reg_dir, "%s", env);
        return reg_dir;
    }
    if (is_dir("policy")) {
        snprintf(reg_dir, sizeof reg_dir, "policy");
        return reg_dir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        char cand[PATH_MAX + 16];
        snprintf(cand, sizeof cand, "%s/../policy", exe);
        if (is_dir(cand)) {
            snprintf(reg_dir, sizeof reg_dir, "%s", cand);
            return reg_dir;
        }
        snprintf(cand, sizeof cand, "%s/../../policy", exe);
        if (is_dir(cand)) {
            snprintf(reg_dir, sizeof reg_dir, "%s", cand);
            return reg_dir;
        }
    }
    snprintf(reg_dir, sizeof reg_dir, "policy");
    return reg_dir;
}

const char *pol_dir(void) {
    pthread_mutex_lock(&reg_mu);
    const char *d = resolve_dir();
    pthread_mutex_unlock(&reg_mu);
    return d;
}

op_code pol_pack_get(const char *country, const pol_pack **out, op_err *e) {
    *out = NULL;
    /* Only two upper-case letters ever become a file name. */
    if (!country || strlen(country) != 2 || !isupper((unsigned char)country[0]) || !isupper((unsigned char)country[1]))
        return op_fail(e, OP_POLICY_NOT_FOUND, "use an ISO 3166 alpha-2 code with a pack, e.g. \"KR\" or \"DE\"",
                       "no policy pack for country \"%.16s\"", country ? country : "");
    pthread_mutex_lock(&reg_mu);
    int i;
    for (i = 0; i < nreg; i++)
        if (strcmp(reg[i].country, country) == 0) break;
    if (i == nreg) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/%c%c.json", resolve_dir(), country[0] + 32, country[1] + 32);
        /* A missing pack is not cached: only countries with a file take a slot, so what clients send
         * cannot fill the registry (found by fuzz/fuzz_policy.c: 16 made-up countries disabled it). */
        if (access(path, F_OK) != 0) {
            pthread_mutex_unlock(&reg_mu);
            return op_fail(e, OP_POLICY_NOT_FOUND, "packs are loaded from the policy directory (OPENPES_POLICY_DIR)",
                           "no policy pack for country \"%s\"", country);
        }
        if (nreg == MAX_PACKS) {
            pthread_mutex_unlock(&reg_mu);
            return op_fail(e, OP_INTERNAL, "raise MAX_PACKS in src/policy/pack_registry.c",
                           "more than %d policy pack files", MAX_PACKS);
        }
        nreg++;
        memcpy(reg[i].country, country, 3);
        reg[i].pack = NULL;
        op_clear(&reg[i].err);
        if (pol_pack_load_file(path, &reg[i].pack, &reg[i].err) == OP_OK &&
            strcmp(reg[i].pack->country, country) != 0) {
            op_fail(&reg[i].err, OP_INTERNAL, HINT, "%s: declares country \"%s\" but is named for \"%s\"", path,
                    reg[i].pack->country, country);
            pol_pack_free(reg[i].pack);
            reg[i].pack = NULL;
        }
    }
    *out = reg[i].pack;
    if (!*out && e) *e = reg[i].err;
    op_code rc = *out ? OP_OK : reg[i].err.code;
    pthread_mutex_unlock(&reg_mu);
    return rc;
}
