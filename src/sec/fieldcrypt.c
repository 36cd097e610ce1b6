/* fieldcrypt.c - see fieldcrypt.h. */
#include "sec/fieldcrypt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/id.h"
#include "sec/keys.h"

#define NONCE_LEN 12
#define TAG_LEN 16
#define PREFIX "v1:"

static op_code encrypt_max(arena *a, const void *plain, size_t len, const char *aad, char **out, op_err *e, size_t max) {
    *out = NULL;
    if (len > max)
        return op_fail(e, OP_INTERNAL, NULL, "field value too long to encrypt (%zu bytes)", len);
    op_code rc = OP_INTERNAL;
    unsigned char nonce[NONCE_LEN];
    unsigned char *ct = arena_alloc(a, len + TAG_LEN);
    int n = 0, fin = 0;
    id_random(nonce, sizeof nonce);
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    if (!x) goto out;
    if (EVP_EncryptInit_ex(x, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1 ||
        EVP_EncryptInit_ex(x, NULL, NULL, keys_field_key(), nonce) != 1)
        goto out;
    if (aad && EVP_EncryptUpdate(x, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) != 1)
        goto out;
    if (EVP_EncryptUpdate(x, ct, &n, plain, (int)len) != 1) goto out;
    if (EVP_EncryptFinal_ex(x, ct + n, &fin) != 1) goto out;
    n += fin;
    if (EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, TAG_LEN, ct + n) != 1) goto out;
    n += TAG_LEN;
    char nb[4 * ((NONCE_LEN + 2) / 3) + 1];
    char *cb = arena_alloc(a, 4 * (((size_t)n + 2) / 3) + 1);
    b64_encode(nonce, NONCE_LEN, nb, false);
    b64_encode(ct, (size_t)n, cb, false);
    *out = arena_printf(a, PREFIX "%s:%s", nb, cb);
    rc = OP_OK;
out:
    EVP_CIPHER_CTX_free(x);
    OPENSSL_cleanse(ct, len + TAG_LEN);
    if (rc) op_fail(e, rc, NULL, "field encryption failed");
    return rc;
}

/* One decryption context per thread keeps the expanded key between calls (every read of a
 * person decrypts the national id); only the nonce is set per value.  The key is compared by
 * value, so a key file loaded later is picked up. */
struct dctx {
    EVP_CIPHER_CTX *x;
    unsigned char key[32];
    bool ready;
};
static pthread_key_t dctx_key;
static pthread_once_t dctx_once = PTHREAD_ONCE_INIT;

static void dctx_free(void *p) {
    struct dctx *d = p;
    EVP_CIPHER_CTX_free(d->x);
    OPENSSL_cleanse(d->key, sizeof d->key);
    free(d);
}

static void dctx_init(void) { pthread_key_create(&dctx_key, dctx_free); }

static EVP_CIPHER_CTX *decrypt_ctx(const unsigned char *nonce) {
    pthread_once(&dctx_once, dctx_init);
    struct dctx *d = pthread_getspecific(dctx_key);
    if (!d) {
        if (!(d = calloc(1, sizeof *d))) return NULL;
        if (!(d->x = EVP_CIPHER_CTX_new())) {
            free(d);
            return NULL;
        }
        pthread_setspecific(dctx_key, d);
    }
    const unsigned char *key = keys_field_key();
    if (!d->ready || CRYPTO_memcmp(d->key, key, sizeof d->key) != 0) {
        d->ready = false;
        if (EVP_DecryptInit_ex(d->x, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
            EVP_CIPHER_CTX_ctrl(d->x, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1 ||
            EVP_DecryptInit_ex(d->x, NULL, NULL, key, NULL) != 1)
            return NULL;
        memcpy(d->key, key, sizeof d->key);
        d->ready = true;
    }
    if (EVP_DecryptInit_ex(d->x, NULL, NULL, NULL, nonce) != 1) {
        d->ready = false;
        return NULL;
    }
    return d->x;
}

static op_code decrypt_max(arena *a, const char *enc, const char *aad, char **out, size_t *len, op_err *e, size_t max) {
    *out = NULL;
    if (len) *len = 0;
    const char *bad = "encrypted field is malformed";
    op_code rc = OP_INTERNAL;
    EVP_CIPHER_CTX *x = NULL;
    unsigned char nonce[NONCE_LEN + 4];
    unsigned char *ct = NULL, *pt = NULL;
    size_t plen = 0;
    int n = 0, fin = 0;
    const char *nb, *colon;
    if (!enc || strncmp(enc, PREFIX, strlen(PREFIX)) != 0) goto out;
    nb = enc + strlen(PREFIX);
    if (!(colon = strchr(nb, ':'))) goto out;
    if (b64_decode(arena_strndup(a, nb, (size_t)(colon - nb)), nonce, sizeof nonce) != NONCE_LEN)
        goto out;
    size_t cap = strlen(colon + 1) / 4 * 3 + 3;
    ct = arena_alloc(a, cap);
    long ctlen = b64_decode(colon + 1, ct, cap);
    if (ctlen < TAG_LEN || (size_t)(ctlen - TAG_LEN) > max) goto out;
    plen = (size_t)ctlen - TAG_LEN;
    pt = arena_alloc(a, plen + 1);
    bad = "encrypted field could not be decrypted (wrong key or altered value)";
    if (!(x = decrypt_ctx(nonce))) goto out;
    if (aad && EVP_DecryptUpdate(x, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) != 1)
        goto out;
    if (EVP_DecryptUpdate(x, pt, &n, ct, (int)plen) != 1) goto out;
    if (EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, TAG_LEN, ct + plen) != 1) goto out;
    /* The tag is checked here; on a mismatch the decrypted bytes must not be used. */
    if (EVP_DecryptFinal_ex(x, pt + n, &fin) != 1) goto out;
    pt[plen] = 0;
    *out = (char *)pt;
    if (len) *len = plen;
    rc = OP_OK;
out:
    if (rc) {
        if (pt) OPENSSL_cleanse(pt, plen);
        op_fail(e, rc, "check that the key file belongs to this database", "%s", bad);
    }
    return rc;
}

op_code fieldcrypt_encrypt(arena *a, const void *plain, size_t len, const char *aad, char **out, op_err *e) {
    return encrypt_max(a, plain, len, aad, out, e, FIELDCRYPT_MAX_PLAIN);
}

op_code fieldcrypt_decrypt(arena *a, const char *enc, const char *aad, char **out, size_t *len, op_err *e) {
    return decrypt_max(a, enc, aad, out, len, e, FIELDCRYPT_MAX_PLAIN);
}

op_code fieldcrypt_seal(arena *a, const char *plain, const char *aad, char **out, op_err *e) {
    *out = NULL;
    return plain ? encrypt_max(a, plain, strlen(plain), aad, out, e, FIELDCRYPT_MAX_BLOB) : OP_OK;
}

op_code fieldcrypt_unseal(arena *a, const char *stored, const char *aad, char **out, op_err *e) {
    *out = NULL;
    if (!stored) return OP_OK;
    if (strncmp(stored, PREFIX, strlen(PREFIX)) != 0) { /* written before sealing: plain JSON */
        *out = arena_strdup(a, stored);
        return OP_OK;
    }
    return decrypt_max(a, stored, aad, out, NULL, e, FIELDCRYPT_MAX_BLOB);
}

/* The lookup hash: HMAC-SHA256 with a per-thread context keyed once (keyed again when the key
 * changes).  The one-shot HMAC() fetched the algorithm and keyed a fresh context on every call -
 * several microseconds for each national id looked up. */
struct mctx {
    EVP_MAC_CTX *x;
    unsigned char key[32];
};
static pthread_key_t mctx_key;
static pthread_once_t mctx_once = PTHREAD_ONCE_INIT;

static void mctx_free(void *p) {
    struct mctx *m = p;
    EVP_MAC_CTX_free(m->x);
    OPENSSL_cleanse(m->key, sizeof m->key);
    free(m);
}

static void mctx_init(void) { pthread_key_create(&mctx_key, mctx_free); }

static EVP_MAC_CTX *lookup_mac(void) {
    pthread_once(&mctx_once, mctx_init);
    struct mctx *m = pthread_getspecific(mctx_key);
    const unsigned char *key = keys_lookup_key();
    if (m && CRYPTO_memcmp(m->key, key, sizeof m->key) == 0) {
        if (EVP_MAC_init(m->x, NULL, 0, NULL) == 1) return m->x; /* same key, fresh state */
    }
    if (!m) {
        EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
        if (!mac || !(m = calloc(1, sizeof *m)) || !(m->x = EVP_MAC_CTX_new(mac))) {
            EVP_MAC_free(mac);
            free(m);
            return NULL;
        }
        EVP_MAC_free(mac);
        pthread_setspecific(mctx_key, m);
    }
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0), OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(m->x, key, 32, params) != 1) {
        memset(m->key, 0, sizeof m->key);
        return NULL;
    }
    memcpy(m->key, key, sizeof m->key);
    return m->x;
}

void fieldcrypt_lookup_hash(const char *value, char out[65]) {
    unsigned char d[32];
    size_t dl = 0;
    EVP_MAC_CTX *x = lookup_mac();
    if (!x || EVP_MAC_update(x, (const unsigned char *)value, strlen(value)) != 1 || EVP_MAC_final(x, d, &dl, sizeof d) != 1) {
        unsigned int l = 0; /* no context: the one-shot way */
        HMAC(EVP_sha256(), keys_lookup_key(), 32, (const unsigned char *)value, strlen(value), d, &l);
    }
    hex_encode(d, 32, out);
}
