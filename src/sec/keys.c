/* keys.c - see keys.h. */
#include "sec/keys.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/id.h"
#include "store/store.h"

static char *key_path;
static unsigned char field_key[32], lookup_key[32];
static int version;
static bool loaded;

void keys_set_path(const char *path) {
    free(key_path);
    key_path = path ? strdup(path) : NULL;
}

static char *default_path(void) {
    const char *url = store_get_url();
    if (url && strncmp(url, "postgres", 8) != 0) {
        if (strncmp(url, "sqlite:", 7) == 0) url += 7;
        size_t n = strlen(url) + 16;
        char *p = malloc(n);
        snprintf(p, n, "%s.keys.json", url);
        return p;
    }
    return strdup("openpes.keys.json");
}

static op_code create_file(const char *path, op_err *e) {
    unsigned char fk[32], lk[32];
    id_random(fk, 32);
    id_random(lk, 32);
    char fb[64], lb[64], ts[CLOCK_TS_LEN];
    b64_encode(fk, 32, fb, false);
    b64_encode(lk, 32, lb, false);
    clock_now_ts(ts);
    json_t *o = json_pack("{s:i, s:s, s:s, s:s}", "version", 1, "field_key", fb, "lookup_key", lb, "created_at", ts);
    char *s = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        free(s);
        return op_fail(e, OP_INTERNAL, "check the directory permissions or pass --keys", "could not create key file \"%s\"", path);
    }
    size_t n = strlen(s);
    bool ok = write(fd, s, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    free(s);
    return ok ? OP_OK : op_fail(e, OP_INTERNAL, NULL, "could not write key file \"%s\"", path);
}

static bool decode32(json_t *o, const char *k, unsigned char out[32]) {
    const char *v = json_string_value(json_object_get(o, k));
    return v && b64_decode(v, out, 32) == 32;
}

op_code keys_load(op_err *e) {
    if (loaded) return OP_OK;
    char *path = key_path ? strdup(key_path) : default_path();
    if (access(path, F_OK) != 0) {
        op_code c = create_file(path, e);
        if (c && access(path, F_OK) != 0) {
            free(path);
            return c;
        }
    }
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o || !decode32(o, "field_key", field_key) || !decode32(o, "lookup_key", lookup_key)) {
        json_decref(o);
        op_code c = op_fail(e, OP_INTERNAL, "restore the key file from backup",
                            "key file \"%s\" is unreadable or lacks field_key/lookup_key", path);
        free(path);
        return c;
    }
    version = (int)json_integer_value(json_object_get(o, "version"));
    json_decref(o);
    free(path);
    loaded = true;
    return OP_OK;
}

const unsigned char *keys_field_key(void) { return field_key; }
const unsigned char *keys_lookup_key(void) { return lookup_key; }
int keys_version(void) { return version; }
