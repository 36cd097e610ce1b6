/* jwks.c - our DCI signing key: created on first use, stored encrypted with the field key in
 * dci_signing_keys, cached per process, published as a JWKS (see partner.h, docs/DCI.md). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "dci/partner.h"
#include "sec/fieldcrypt.h"
#include "sec/sign.h"

static pthread_mutex_t own_mu = PTHREAD_MUTEX_INITIALIZER;
static bool own_loaded;
static char own_kid[64];
static unsigned char own_priv[32];

static op_code own_load(ctx *c) {
    store_stmt *q = store_query(c->db, &c->err, "SELECT kid, private_enc FROM dci_signing_keys WHERE active = 1 ORDER BY created_at, kid", "");
    if (!q) return c->err.code ? c->err.code : OP_NOT_FOUND;
    char *plain = NULL;
    size_t len = 0;
    const char *kid = store_col_text(q, 0);
    op_code rc = fieldcrypt_decrypt(c->a, store_col_text(q, 1), arena_printf(c->a, "dci-signing-key:%s", kid), &plain, &len, &c->err);
    if (!rc && len == 32) {
        snprintf(own_kid, sizeof own_kid, "%s", kid);
        memcpy(own_priv, plain, 32);
        memset(plain, 0, len);
        own_loaded = true;
    } else if (!rc) {
        rc = op_fail(&c->err, OP_INTERNAL, NULL, "the stored DCI signing key is malformed");
    }
    store_reset(q);
    return rc;
}

static op_code own_create(ctx *c) {
    unsigned char priv[32], pub[32];
    sign_keygen(priv, pub);
    char kid[64], x[64], ts[CLOCK_TS_LEN];
    char idv[ID_LEN];
    id_uuid7(idv);
    snprintf(kid, sizeof kid, "openpes-%.8s", idv + 24);
    b64_encode(pub, 32, x, true);
    clock_now_ts(ts);
    char *enc;
    op_code rc = fieldcrypt_encrypt(c->a, priv, 32, arena_printf(c->a, "dci-signing-key:%s", kid), &enc, &c->err);
    memset(priv, 0, sizeof priv);
    if (rc) return rc;
    return store_exec(c->db, &c->err, NULL, "INSERT INTO dci_signing_keys (kid, private_enc, public_key, active, created_at) VALUES (?,?,?,1,?)",
                      "ssss", kid, enc, x, ts);
}

op_code dci_own_key(ctx *c, char kid[64], unsigned char priv[32]) {
    pthread_mutex_lock(&own_mu);
    op_code rc = OP_OK;
    if (!own_loaded) {
        rc = own_load(c);
        if (rc == OP_NOT_FOUND) {
            op_clear(&c->err);
            rc = own_create(c);
            if (!rc) rc = own_load(c);
        }
    }
    if (!rc) {
        memcpy(kid, own_kid, 64);
        memcpy(priv, own_priv, 32);
    }
    pthread_mutex_unlock(&own_mu);
    return rc;
}

op_code dci_jwks(ctx *c, json_t **out) {
    char kid[64];
    unsigned char priv[32];
    op_code rc = dci_own_key(c, kid, priv);
    memset(priv, 0, sizeof priv);
    if (rc) return rc;
    json_t *keys = json_array();
    store_stmt *st = store_prepare(c->db, "SELECT kid, public_key FROM dci_signing_keys WHERE active = 1 ORDER BY created_at, kid", &c->err);
    if (!st) {
        json_decref(keys);
        return c->err.code;
    }
    while (store_step(st, &c->err) == STORE_ROW)
        json_array_append_new(keys, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "kid", store_col_text(st, 0),
                                              "x", store_col_text(st, 1), "use", "sig", "alg", "EdDSA"));
    store_reset(st);
    *out = json_pack("{s:o}", "keys", keys);
    return OP_OK;
}
