/* sign.c - see sign.h. */
#include "sec/sign.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/id.h"

void sign_keygen(unsigned char priv[32], unsigned char pub[32]) {
    id_random(priv, 32);
    sign_public_from_private(priv, pub);
}

bool sign_public_from_private(const unsigned char priv[32], unsigned char pub[32]) {
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
    size_t n = 32;
    bool ok = k && EVP_PKEY_get_raw_public_key(k, pub, &n) == 1 && n == 32;
    EVP_PKEY_free(k);
    return ok;
}

/* The signing key object of the last private key used, per thread: making it from the raw bytes
 * derives the public key, a scalar multiplication that cost as much as the signature itself, and
 * a server signs every DCI reply with the same key.  The key is compared by value (constant
 * time), so another key simply replaces it.  A thread-specific key frees it when the thread ends. */
struct skey {
    EVP_PKEY *k;
    unsigned char priv[32];
};
static pthread_key_t skey_key;
static pthread_once_t skey_once = PTHREAD_ONCE_INIT;

static void skey_free(void *p) {
    struct skey *s = p;
    EVP_PKEY_free(s->k);
    OPENSSL_cleanse(s->priv, sizeof s->priv);
    free(s);
}

static void skey_init(void) { pthread_key_create(&skey_key, skey_free); }

static EVP_PKEY *signing_key(const unsigned char priv[32]) {
    pthread_once(&skey_once, skey_init);
    struct skey *s = pthread_getspecific(skey_key);
    if (!s) {
        if (!(s = calloc(1, sizeof *s))) return NULL;
        pthread_setspecific(skey_key, s);
    }
    if (s->k && CRYPTO_memcmp(s->priv, priv, 32) == 0) return s->k;
    EVP_PKEY_free(s->k);
    s->k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
    memcpy(s->priv, priv, 32);
    return s->k;
}

bool sign_ed25519(const unsigned char priv[32], const void *msg, size_t len, unsigned char sig[64]) {
    EVP_PKEY *k = signing_key(priv);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    size_t n = 64;
    bool ok = k && m && EVP_DigestSignInit(m, NULL, NULL, NULL, k) == 1 &&
              EVP_DigestSign(m, sig, &n, msg, len) == 1 && n == 64;
    EVP_MD_CTX_free(m);
    return ok;
}

bool sign_verify_ed25519(const unsigned char pub[32], const void *msg, size_t len, const unsigned char sig[64]) {
    EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    bool ok = k && m && EVP_DigestVerifyInit(m, NULL, NULL, NULL, k) == 1 &&
              EVP_DigestVerify(m, sig, 64, msg, len) == 1;
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
    return ok;
}

void digest_blake2b512(const void *msg, size_t len, unsigned char out[64]) {
    unsigned int n = 64;
    EVP_Digest(msg, len, out, &n, EVP_blake2b512(), NULL);
}
