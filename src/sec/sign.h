/* sign.h - Ed25519 signatures and BLAKE2b-512 digests (OpenSSL). Keys are raw 32-byte values. */
#ifndef OPENPES_SIGN_H
#define OPENPES_SIGN_H
#include <stdbool.h>
#include <stddef.h>

void sign_keygen(unsigned char priv[32], unsigned char pub[32]);
bool sign_public_from_private(const unsigned char priv[32], unsigned char pub[32]);
bool sign_ed25519(const unsigned char priv[32], const void *msg, size_t len, unsigned char sig[64]);
bool sign_verify_ed25519(const unsigned char pub[32], const void *msg, size_t len, const unsigned char sig[64]);
void digest_blake2b512(const void *msg, size_t len, unsigned char out[64]);

#endif
