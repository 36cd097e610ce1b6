/* client_dup.c - the duplicate-benefit check of benefit claims against an IBR (docs/EI.md
 * "Duplicate benefits"; the EI side is the hook in ei/ei_dup.h).
 *
 * dci_dup_partner tells the claim flow which IBR is configured (the only active outbound partner
 * of kind ibr).  dci_dup_on_claim is the worker's handler of claim.dup_check: outside any
 * transaction it asks the IBR (dci_client_query, kind ibr, purpose benefit_administration: the
 * disclosure audited through the access path), then records the outcome on the claim
 * (ei_claim_dup_record).  An unreachable or failing IBR is recorded as "failed" (visible on the
 * claim) and the event fails, so the outbox retries it with back-off; a configuration problem
 * (partner removed, purpose not configured, person without a national id) is recorded and not
 * retried. */
#include <string.h>

#include "base/jsonx.h"
#include "base/log.h"
#include "dci/client.h"
#include "domain/person_int.h"
#include "ei/ei_dup.h"
#include "sec/fieldcrypt.h"

int dci_dup_partner(ctx *c, char partner[72]) {
    op_code rc = dci_outbound_pick(c, DCI_KIND_IBR, NULL, partner);
    if (!rc) return 1;
    if (rc == OP_VALIDATION && strstr(c->err.detail, "no ibr is configured")) {
        op_clear(&c->err);
        return 0;
    }
    return -1;
}

/* Record in its own transaction (the worker's is committed before the network call). */
static op_code record(ctx *c, const char *claim, const char *status, const char *tid, const json_t *progs, const char *error) {
    const char *saved = c->purpose;
    c->purpose = "benefit_administration";
    op_code rc = store_begin(c->db, &c->err);
    if (!rc) rc = ei_claim_dup_record(c, claim, status, tid, progs, error);
    if (!rc) rc = store_commit(c->db, &c->err);
    else store_rollback(c->db);
    c->purpose = saved;
    return rc;
}

op_code dci_dup_on_claim(ctx *c, long long id, const char *type, const char *subject, json_t *payload) {
    (void)id;
    (void)type;
    (void)subject;
    const char *claim = json_string_value(json_object_get(payload, "claim_id"));
    const char *person = json_string_value(json_object_get(payload, "person_id"));
    const char *partner = json_string_value(json_object_get(payload, "partner"));
    if (!claim || !person || !partner) return OP_OK;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT p.nid_enc FROM ei_dup_checks d JOIN persons p ON p.id = d.person_id"
                                 " WHERE d.claim_id = ? AND d.status IN ('pending','failed')",
                                 "s", claim);
    if (!st) return c->err.code; /* answered before */
    const char *nid_enc = store_col_null(st, 0) ? NULL : arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    /* no transaction is held across the network call */
    op_code rc = store_commit(c->db, &c->err);
    if (rc) return rc;
    char *nid = NULL;
    json_t *out = NULL;
    if (!nid_enc) rc = op_fail(&c->err, OP_VALIDATION, NULL, "the person has no national id: the IBR cannot be asked");
    else if (!(rc = fieldcrypt_decrypt(c->a, nid_enc, pr_nid_aad(c->a, person), &nid, NULL, &c->err))) {
        struct dci_query q = {partner, nid, DCI_KIND_IBR, "benefit_administration", false};
        rc = dci_client_query(c, &q, &out);
        memset(nid, 0, strlen(nid));
    }
    jx_arena(c->a, out);
    op_code rec;
    if (!rc) {
        const json_t *facts = json_object_get(out, "facts");
        bool enrolled = json_is_true(json_object_get(facts, "enrolled"));
        rec = record(c, claim, enrolled ? "enrolled" : "clear", json_string_value(json_object_get(out, "transaction_id")),
                     json_object_get(facts, "programmes"), NULL);
        if (enrolled) log_info("claim %s: the IBR %s reports another benefit; flagged for review", claim, partner);
    } else {
        op_err e = c->err;
        op_clear(&c->err);
        rec = record(c, claim, "failed", NULL, NULL, e.detail);
        c->err = e;
    }
    op_err be = {0};
    op_code back = store_begin(c->db, &be); /* the worker finishes its event in a transaction */
    if (rec) return rec;
    if (back) {
        c->err = be;
        return back;
    }
    /* configuration problems are recorded and not retried; the IBR's failures are */
    if (rc == OP_VALIDATION || rc == OP_FORBIDDEN || rc == OP_NOT_FOUND) {
        op_clear(&c->err);
        return OP_OK;
    }
    return rc;
}
