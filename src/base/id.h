/* id.h - identifiers: UUIDv7 for records, random tokens, hex/base64 helpers. */
#ifndef OPENPES_ID_H
#define OPENPES_ID_H
#include <stdbool.h>
#include <stddef.h>

#define ID_LEN 37 /* 36 chars + NUL */
void id_uuid7(char out[ID_LEN]);
bool id_is_uuid(const char *s);
/* Fill buf with n cryptographically random bytes. */
void id_random(void *buf, size_t n);
/* n random bytes as URL-safe base64 without padding into out (size >= 4*n/3+2). */
void id_token(char *out, size_t n_bytes);
void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
size_t b64_encode(const unsigned char *in, size_t n, char *out, bool url); /* out: 4*((n+2)/3)+1 */
/* Returns decoded length or -1.  Accepts standard and URL alphabets, padding optional. */
long b64_decode(const char *in, unsigned char *out, size_t cap);

#endif
