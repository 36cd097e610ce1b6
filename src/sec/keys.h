/* keys.h - the server's secret keys, loaded once from a key file.
 *
 * The file (JSON, mode 0600) holds base64 keys: `field_key` (AES-256-GCM for national ids and
 * other encrypted fields) and `lookup_key` (HMAC-SHA-256 for searchable keyed hashes).  Its
 * path is --keys / $OPENPES_KEYS, else "<sqlite file>.keys.json", else "openpes.keys.json".
 * A missing file is created with fresh random keys (first start of a new installation).
 * Losing the file makes encrypted fields unreadable: back it up apart from the database. */
#ifndef OPENPES_KEYS_H
#define OPENPES_KEYS_H
#include "base/err.h"

void keys_set_path(const char *path);
op_code keys_load(op_err *e);
const unsigned char *keys_field_key(void);  /* 32 bytes */
const unsigned char *keys_lookup_key(void); /* 32 bytes */
int keys_version(void);

#endif
