/* dci_sig.c - see dci_sig.h. */
#include "dci/dci_sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/id.h"
#include "dci/jcs.h"
#include "sec/sign.h"

static char *signing_string(arena *a, const json_t *header, const json_t *message, int64_t created, int64_t expires) {
    json_t *env = json_pack("{s:O, s:O}", "header", header, "message", message);
    if (!env) return NULL;
    char *canon = jcs_serialize(a, env);
    json_decref(env);
    if (!canon) return NULL;
    unsigned char d[64];
    digest_blake2b512(canon, strlen(canon), d);
    char b64[100];
    b64_encode(d, 64, b64, false);
    return arena_printf(a, "(created): %lld\n(expires): %lld\ndigest: BLAKE-512=%s", (long long)created,
                        (long long)expires, b64);
}

char *dci_sig_create(arena *a, const json_t *header, const json_t *message, const char *sender_id,
                     const char *key_id, const unsigned char priv[32], int64_t created, int64_t expires) {
    char *ss = signing_string(a, header, message, created, expires);
    unsigned char sig[64];
    if (!ss || !sign_ed25519(priv, ss, strlen(ss), sig)) return NULL;
    char b64[100];
    b64_encode(sig, 64, b64, false);
    return arena_printf(a,
                        "keyId=\"%s|%s|ed25519\",algorithm=\"ed25519\",created=\"%lld\",expires=\"%lld\","
                        "headers=\"(created) (expires) digest\",signature=\"%s\"",
                        sender_id, key_id, (long long)created, (long long)expires, b64);
}

/* Find name="value" in the parameter list; copies value into out. */
static bool param(const char *s, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    for (const char *p = s; (p = strstr(p, name)); p += n) {
        if (p != s && p[-1] != ',' && p[-1] != ' ') continue;
        if (strncmp(p + n, "=\"", 2) != 0) continue;
        const char *v = p + n + 2, *end = strchr(v, '"');
        if (!end || (size_t)(end - v) >= cap) return false;
        memcpy(out, v, (size_t)(end - v));
        out[end - v] = 0;
        return true;
    }
    return false;
}

static bool parse_int(const char *s, int64_t *out) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0) return false;
    *out = v;
    return true;
}

op_code dci_sig_parse(const char *sig, struct dci_sig_parts *p, op_err *e) {
    memset(p, 0, sizeof *p);
    const char *hint = "see the signature profile in the OpenPES DCI documentation";
    if (!sig || strlen(sig) > 2048) return op_fail(e, OP_FORBIDDEN, hint, "the signature is missing or too long");
    const char *s = strncmp(sig, "Signature: ", 11) == 0 ? sig + 11 : sig;
    if (strncmp(s, "keyId=", 6) != 0) return op_fail(e, OP_FORBIDDEN, hint, "the signature must start with keyId=");
    char keyid[300], alg[32], created[24], expires[24], headers[80];
    if (!param(s, "keyId", keyid, sizeof keyid) || !param(s, "algorithm", alg, sizeof alg) ||
        !param(s, "created", created, sizeof created) || !param(s, "expires", expires, sizeof expires) ||
        !param(s, "headers", headers, sizeof headers))
        return op_fail(e, OP_FORBIDDEN, hint, "the signature lacks keyId, algorithm, created, expires or headers");
    if (strcmp(alg, "ed25519") != 0) return op_fail(e, OP_FORBIDDEN, hint, "unsupported signature algorithm \"%s\"", alg);
    if (strcmp(headers, "(created) (expires) digest") != 0)
        return op_fail(e, OP_FORBIDDEN, hint, "signed headers must be \"(created) (expires) digest\"");
    char *bar1 = strchr(keyid, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    if (!bar1 || !bar2 || strcmp(bar2 + 1, "ed25519") != 0 || bar1 == keyid || bar2 == bar1 + 1 ||
        (size_t)(bar1 - keyid) >= sizeof p->sender_id || (size_t)(bar2 - bar1 - 1) >= sizeof p->key_id)
        return op_fail(e, OP_FORBIDDEN, hint, "keyId must be \"{sender_id}|{key_id}|ed25519\"");
    memcpy(p->sender_id, keyid, (size_t)(bar1 - keyid));
    memcpy(p->key_id, bar1 + 1, (size_t)(bar2 - bar1 - 1));
    if (!parse_int(created, &p->created) || !parse_int(expires, &p->expires) || p->expires <= p->created)
        return op_fail(e, OP_FORBIDDEN, hint, "created and expires must be unix seconds with expires after created");
    if (p->expires - p->created > DCI_SIG_MAX_LIFETIME)
        return op_fail(e, OP_FORBIDDEN, hint, "a signature may be valid for at most %d seconds", DCI_SIG_MAX_LIFETIME);
    return OP_OK;
}

op_code dci_sig_verify(arena *a, const char *sig, const json_t *header, const json_t *message,
                       const unsigned char pub[32], int64_t now, op_err *e) {
    struct dci_sig_parts p;
    op_code rc = dci_sig_parse(sig, &p, e);
    if (rc) return rc;
    if (now > p.expires) return op_fail(e, OP_FORBIDDEN, "sign the message again", "the signature has expired");
    if (now + DCI_SIG_MAX_SKEW < p.created) return op_fail(e, OP_FORBIDDEN, "check the sender's clock", "the signature is not valid yet");
    char b64[120];
    if (!param(strncmp(sig, "Signature: ", 11) == 0 ? sig + 11 : sig, "signature", b64, sizeof b64))
        return op_fail(e, OP_FORBIDDEN, NULL, "the signature value is missing");
    unsigned char raw[64];
    if (b64_decode(b64, raw, sizeof raw) != 64) return op_fail(e, OP_FORBIDDEN, NULL, "the signature value is not 64 bytes of base64");
    char *ss = signing_string(a, header, message, p.created, p.expires);
    if (!ss) return op_fail(e, OP_FORBIDDEN, NULL, "the message cannot be canonicalised");
    if (!sign_verify_ed25519(pub, ss, strlen(ss), raw))
        return op_fail(e, OP_FORBIDDEN, "check the signing key and that header and message were not changed",
                       "the signature does not match the message");
    return OP_OK;
}
