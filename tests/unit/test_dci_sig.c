/* test_dci_sig.c - Ed25519 signatures over JCS digests: round trip, tampering, expiry, format. */
#include "dci/dci_sig.h"
#include "sec/sign.h"
#include "testlib.h"

static json_t *H, *M;
static unsigned char priv[32], pub[32];

static void setup(void) {
    H = json_pack("{s:s, s:s, s:s, s:s, s:i}", "message_id", "m-1", "message_ts", "2026-11-21T06:00:00+09:00",
                  "action", "search", "sender_id", "sr.example", "total_count", 1);
    M = json_pack("{s:s, s:[{s:s}]}", "transaction_id", "t-1", "search_request", "reference_id", "r-1");
    sign_keygen(priv, pub);
}
static void teardown(void) {
    json_decref(H);
    json_decref(M);
}

Test(dci_sig, round_trip_and_parts, .init = setup, .fini = teardown) {
    arena *a = arena_new(0);
    char *sig = dci_sig_create(a, H, M, "sr.example", "key-1", priv, 1000, 2000);
    cr_assert(sig);
    const char *prefix = "keyId=\"sr.example|key-1|ed25519\",algorithm=\"ed25519\",created=\"1000\"";
    cr_assert(strncmp(sig, prefix, strlen(prefix)) == 0, "%s", sig);
    op_err e = {0};
    cr_assert_eq(dci_sig_verify(a, sig, H, M, pub, 1500, &e), OP_OK, "%s", e.detail);
    struct dci_sig_parts p;
    cr_assert_eq(dci_sig_parse(sig, &p, &e), OP_OK);
    char *prefixed = arena_printf(a, "Signature: %s", sig);
    cr_assert_eq(dci_sig_verify(a, prefixed, H, M, pub, 1500, &e), OP_OK, "leading \"Signature: \" tolerated");
    cr_assert_eq(dci_sig_verify(a, sig, H, M, pub, 1000 - 61, &e), OP_FORBIDDEN, "created too far ahead");
    char *longlived = dci_sig_create(a, H, M, "sr.example", "key-1", priv, 1000, 1000 + 3601);
    cr_assert_eq(dci_sig_verify(a, longlived, H, M, pub, 1500, &e), OP_FORBIDDEN, "lifetime over 3600 s");
    cr_assert_str_eq(p.sender_id, "sr.example");
    cr_assert_str_eq(p.key_id, "key-1");
    arena_free(a);
}

Test(dci_sig, key_order_does_not_matter_but_content_does, .init = setup, .fini = teardown) {
    arena *a = arena_new(0);
    char *sig = dci_sig_create(a, H, M, "sr.example", "key-1", priv, 1000, 2000);
    json_t *h2 = json_pack("{s:i, s:s, s:s, s:s, s:s}", "total_count", 1, "sender_id", "sr.example", "action", "search",
                           "message_ts", "2026-11-21T06:00:00+09:00", "message_id", "m-1");
    op_err e = {0};
    cr_assert_eq(dci_sig_verify(a, sig, h2, M, pub, 1500, &e), OP_OK, "reordered keys verify: %s", e.detail);
    json_object_set_new(h2, "total_count", json_integer(2));
    cr_assert_eq(dci_sig_verify(a, sig, h2, M, pub, 1500, &e), OP_FORBIDDEN);
    cr_assert(strstr(e.detail, "does not match"));
    json_decref(h2);
    arena_free(a);
}

Test(dci_sig, wrong_key_expired_and_malformed, .init = setup, .fini = teardown) {
    arena *a = arena_new(0);
    char *sig = dci_sig_create(a, H, M, "sr.example", "key-1", priv, 1000, 2000);
    unsigned char p2[32], k2[32];
    sign_keygen(k2, p2);
    op_err e = {0};
    cr_assert_eq(dci_sig_verify(a, sig, H, M, p2, 1500, &e), OP_FORBIDDEN);
    cr_assert_eq(dci_sig_verify(a, sig, H, M, pub, 2001, &e), OP_FORBIDDEN);
    cr_assert(strstr(e.detail, "expired"));
    const char *bad[] = {"", "keyId=\"a|b|ed25519\"", "Signature: keyId=\"ab|ed25519\",algorithm=\"ed25519\",created=\"1\",expires=\"2\",headers=\"(created) (expires) digest\",signature=\"x\"",
                         "Signature: keyId=\"a|b|ed25519\",algorithm=\"rsa\",created=\"1\",expires=\"2\",headers=\"(created) (expires) digest\",signature=\"x\"",
                         "Signature: keyId=\"a|b|ed25519\",algorithm=\"ed25519\",created=\"5\",expires=\"2\",headers=\"(created) (expires) digest\",signature=\"x\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(dci_sig_verify(a, bad[i], H, M, pub, 1, &e), OP_FORBIDDEN, "case %zu", i);
    arena_free(a);
}
