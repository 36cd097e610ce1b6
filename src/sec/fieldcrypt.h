/* fieldcrypt.h - encryption of single personal-data fields and keyed lookup hashes.
 *
 * Encrypted fields (today: the national id) are stored as text
 *     v1:<base64 nonce>:<base64 ciphertext || 16-byte GCM tag>
 * AES-256-GCM under keys_field_key(), a fresh random 12-byte nonce per encryption.  `aad`
 * (additional authenticated data, may be NULL) binds the ciphertext to where it is stored -
 * person.c passes "persons.nid_enc:<person id>" - so a value copied into another row does not
 * decrypt.  Decryption verifies the tag: any altered byte is OP_INTERNAL (never partial text).
 *
 * Lookup hashes let us find a row by an encrypted value without decrypting every row:
 * HMAC-SHA-256 under keys_lookup_key() over the normalised value, as 64 lowercase hex digits.
 * Without the key the hash cannot be brute-forced over the small national-id space.
 *
 * keys_load() must have succeeded before any call.  Plain text never goes to the log. */
#ifndef OPENPES_FIELDCRYPT_H
#define OPENPES_FIELDCRYPT_H
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

#define FIELDCRYPT_MAX_PLAIN 4096 /* bytes; fields are small by design */

/* Encrypt len bytes of plain into *out (arena-owned, NUL-terminated text). */
op_code fieldcrypt_encrypt(arena *a, const void *plain, size_t len, const char *aad, char **out,
                           op_err *e);
/* Decrypt a v1 value into *out (arena-owned, NUL-terminated; *len may be NULL).  Fails with
 * OP_INTERNAL when the format is wrong, the key differs or the value was tampered with. */
op_code fieldcrypt_decrypt(arena *a, const char *enc, const char *aad, char **out, size_t *len,
                           op_err *e);
/* Sealed blobs: the same format and key, for larger text that holds personal data (a DCI
 * transaction's query and results).  NULL stays NULL; unseal passes text written before sealing
 * (not "v1:...") through unchanged. */
#define FIELDCRYPT_MAX_BLOB (64u << 20)
op_code fieldcrypt_seal(arena *a, const char *plain, const char *aad, char **out, op_err *e);
op_code fieldcrypt_unseal(arena *a, const char *stored, const char *aad, char **out, op_err *e);
/* HMAC-SHA-256(lookup key, value) as hex into out[65]. */
void fieldcrypt_lookup_hash(const char *value, char out[65]);

#endif
