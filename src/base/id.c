/* id.c - UUIDv7 (RFC 9562), random tokens and encodings on OpenSSL. */
#include "base/id.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

void id_random(void *buf, size_t n) {
    if (RAND_bytes(buf, (int)n) != 1) {
        fputs("openpes: random source failed\n", stderr);
        abort();
    }
}

/* Random bytes for ids come from a per-thread buffer refilled from the DRBG 512 bytes at a time
 * (one RAND_bytes call per 50 ids instead of one each).  The buffer belongs to the process that
 * filled it: in a forked child the forking thread - the only one there - empties its buffer
 * (pthread_atfork), so parent and child never share ids, without a getpid() call per id. */
static _Thread_local unsigned char pool[512];
static _Thread_local size_t left;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void forget_pool(void) {
    memset(pool, 0, sizeof pool);
    left = 0;
}
static void register_atfork(void) { pthread_atfork(NULL, NULL, forget_pool); }

static void id_random_buffered(unsigned char *out, size_t n) {
    pthread_once(&atfork_once, register_atfork);
    if (left < n) {
        id_random(pool, sizeof pool);
        left = sizeof pool;
    }
    memcpy(out, pool + sizeof pool - left, n);
    memset(pool + sizeof pool - left, 0, n);
    left -= n;
}

void id_uuid7(char out[ID_LEN]) {
    unsigned char b[16];
    id_random_buffered(b, sizeof b);
    uint64_t ms = (uint64_t)(clock_now_us() / 1000);
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = 0;
}

bool id_is_uuid(const char *s) {
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

void hex_encode(const unsigned char *in, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = 0;
}

size_t b64_encode(const unsigned char *in, size_t n, char *out, bool url) {
    int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    if (url) {
        while (len > 0 && out[len - 1] == '=') out[--len] = 0;
        for (int i = 0; i < len; i++) {
            if (out[i] == '+') out[i] = '-';
            else if (out[i] == '/') out[i] = '_';
        }
    }
    return (size_t)len;
}

long b64_decode(const char *in, unsigned char *out, size_t cap) {
    size_t n = strlen(in);
    if (n > 4 * (cap / 3) + 4) return -1;
    char *tmp = malloc(n + 4);
    if (!tmp) return -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '=') break;
        tmp[j++] = c;
    }
    size_t pad = (4 - j % 4) % 4;
    if (pad == 3) {
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < pad; i++) tmp[j++] = '=';
    tmp[j] = 0;
    unsigned char *buf = malloc(j + 1);
    int len = buf ? EVP_DecodeBlock(buf, (unsigned char *)tmp, (int)j) : -1;
    free(tmp);
    if (len < 0) {
        free(buf);
        return -1;
    }
    len -= (int)pad;
    if ((size_t)len > cap) {
        free(buf);
        return -1;
    }
    memcpy(out, buf, (size_t)len);
    free(buf);
    return len;
}

void id_token(char *out, size_t n_bytes) {
    unsigned char buf[64];
    if (n_bytes > sizeof buf) n_bytes = sizeof buf;
    id_random(buf, n_bytes);
    b64_encode(buf, n_bytes, out, true);
}
