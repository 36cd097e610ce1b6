/* sign.c - see sign.h. */
#include "sec/sign.h"

#include <openssl/evp.h>

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

bool sign_ed25519(const unsigned char priv[32], const void *msg, size_t len, unsigned char sig[64]) {
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    size_t n = 64;
    bool ok = k && m && EVP_DigestSignInit(m, NULL, NULL, NULL, k) == 1 &&
              EVP_DigestSign(m, sig, &n, msg, len) == 1 && n == 64;
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
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
