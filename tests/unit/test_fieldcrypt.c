/* test_fieldcrypt.c - AES-256-GCM field encryption and the keyed lookup hash. */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sec/fieldcrypt.h"
#include "testlib.h"

static arena *a;

static void setup(void) {
    char id[ID_LEN], path[128];
    id_uuid7(id);
    snprintf(path, sizeof path, "/tmp/openpes-ut-fc-%d-%s.keys.json", (int)getpid(), id);
    keys_set_path(path);
    op_err e = {0};
    cr_assert_eq(keys_load(&e), OP_OK, "%s", e.detail);
    a = arena_new(4096);
}
static void teardown(void) { arena_free(a); }

TestSuite(fieldcrypt, .init = setup, .fini = teardown);

Test(fieldcrypt, round_trip_and_format) {
    op_err e = {0};
    char *enc, *dec;
    size_t n;
    cr_assert_eq(fieldcrypt_encrypt(a, "9001011234567", 13, "persons.nid_enc:x", &enc, &e), OP_OK, "%s", e.detail);
    cr_assert(strncmp(enc, "v1:", 3) == 0, "%s", enc);
    const char *c2 = strchr(enc + 3, ':');
    cr_assert(c2, "three parts: %s", enc);
    cr_assert_eq(c2 - (enc + 3), 16, "12-byte nonce is 16 base64 chars");
    cr_assert_null(strstr(enc, "9001011234567"));
    cr_assert_eq(fieldcrypt_decrypt(a, enc, "persons.nid_enc:x", &dec, &n, &e), OP_OK, "%s", e.detail);
    cr_assert_str_eq(dec, "9001011234567");
    cr_assert_eq(n, 13);
    /* Empty values and binary data round-trip too. */
    cr_assert_eq(fieldcrypt_encrypt(a, "", 0, NULL, &enc, &e), OP_OK);
    cr_assert_eq(fieldcrypt_decrypt(a, enc, NULL, &dec, &n, &e), OP_OK);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(dec, "");
}

Test(fieldcrypt, fresh_nonce_each_time) {
    op_err e = {0};
    char *x, *y;
    cr_assert_eq(fieldcrypt_encrypt(a, "same", 4, NULL, &x, &e), OP_OK);
    cr_assert_eq(fieldcrypt_encrypt(a, "same", 4, NULL, &y, &e), OP_OK);
    cr_assert_str_neq(x, y);
    cr_assert_neq(strncmp(x, y, 3 + 16), 0, "the nonces differ");
}

Test(fieldcrypt, tampering_is_detected) {
    op_err e = {0};
    char *enc, *dec;
    cr_assert_eq(fieldcrypt_encrypt(a, "9001011234567", 13, "aad-1", &enc, &e), OP_OK);
    size_t len = strlen(enc);
    /* Flip every position of the ciphertext+tag part in turn (skip base64 padding).  Flip the
     * high bit of the 6-bit value: the last character before '=' has unused low bits, so a
     * low-bit change there decodes to the same bytes (that made this test fail 1 run in 16). */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *ctp = strrchr(enc, ':') + 1;
    for (size_t i = (size_t)(ctp - enc); i < len; i++) {
        if (enc[i] == '=') continue;
        char *t = arena_strdup(a, enc);
        t[i] = b64[(strchr(b64, t[i]) - b64) ^ 0x20];
        op_clear(&e);
        cr_assert_eq(fieldcrypt_decrypt(a, t, "aad-1", &dec, NULL, &e), OP_INTERNAL, "position %zu", i);
        cr_assert_null(dec);
    }
    /* The nonce is authenticated too. */
    char *t = arena_strdup(a, enc);
    t[4] = t[4] == 'A' ? 'B' : 'A';
    cr_assert_eq(fieldcrypt_decrypt(a, t, "aad-1", &dec, NULL, &e), OP_INTERNAL);
    /* Wrong AAD (value moved to another row), wrong or missing AAD. */
    cr_assert_eq(fieldcrypt_decrypt(a, enc, "aad-2", &dec, NULL, &e), OP_INTERNAL);
    cr_assert_eq(fieldcrypt_decrypt(a, enc, NULL, &dec, NULL, &e), OP_INTERNAL);
    cr_assert_null(strstr(e.detail, "9001011234567"));
    /* Malformed values. */
    const char *bad[] = {"", "v1:", "v2:AAAAAAAAAAAAAAAA:AAAA", "v1:short:AAAAAAAAAAAAAAAAAAAAAAAA",
                         "v1:AAAAAAAAAAAAAAAA:AAAA", "v1:AAAAAAAAAAAAAAAA", "plain text", NULL};
    for (int i = 0; bad[i]; i++) cr_assert_eq(fieldcrypt_decrypt(a, bad[i], NULL, &dec, NULL, &e), OP_INTERNAL, "%s", bad[i]);
    cr_assert_eq(fieldcrypt_decrypt(a, NULL, NULL, &dec, NULL, &e), OP_INTERNAL);
    /* Truncating the tag fails. */
    t = arena_strndup(a, enc, len - 4);
    cr_assert_eq(fieldcrypt_decrypt(a, t, "aad-1", &dec, NULL, &e), OP_INTERNAL);
}

Test(fieldcrypt, lookup_hash_is_keyed_hmac) {
    char h1[65], h2[65], h3[65], want[65];
    fieldcrypt_lookup_hash("9001011234567", h1);
    fieldcrypt_lookup_hash("9001011234567", h2);
    fieldcrypt_lookup_hash("9001011234568", h3);
    cr_assert_eq(strlen(h1), 64);
    cr_assert_str_eq(h1, h2);
    cr_assert_str_neq(h1, h3);
    unsigned char d[32];
    unsigned int dl = 0;
    HMAC(EVP_sha256(), keys_lookup_key(), 32, (const unsigned char *)"9001011234567", 13, d, &dl);
    hex_encode(d, 32, want);
    cr_assert_str_eq(h1, want);
    /* Not a plain SHA-256 of the value. */
    unsigned char s[32];
    EVP_Digest("9001011234567", 13, s, NULL, EVP_sha256(), NULL);
    hex_encode(s, 32, want);
    cr_assert_str_neq(h1, want);
}

Test(fieldcrypt, a_failed_decryption_does_not_spoil_the_next_one) {
    /* The decryption context is kept per thread; a refused value must leave it usable. */
    op_err e = {0};
    char *enc, *dec = NULL;
    cr_assert_eq(fieldcrypt_encrypt(a, "9001011234567", 13, "aad-1", &enc, &e), OP_OK);
    cr_assert_eq(fieldcrypt_decrypt(a, enc, "aad-2", &dec, NULL, &e), OP_INTERNAL);
    op_clear(&e);
    cr_assert_eq(fieldcrypt_decrypt(a, enc, "aad-1", &dec, NULL, &e), OP_OK, "%s", e.detail);
    cr_assert_str_eq(dec, "9001011234567");
}
