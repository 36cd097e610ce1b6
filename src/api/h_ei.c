/* h_ei.c - employment insurance: insurance registrations (employment detection), claims,
 * the job diary, recognition rounds, payments and the insured history.  docs/EI.md.
 *
 * POST /api/v1/insurance/registrations takes one JSON object or an application/x-ndjson batch.
 * It is R_OWN_TX: a batch is parsed line by line first, then written in chunks of REG_CHUNK lines
 * per transaction, set-based (ei_registration_batch: one query per step for the chunk, multi-row
 * inserts; a rejected line is answered and leaves nothing); when the chunk cannot be done as a
 * whole (a store error, a line failing while writing), it is rolled back and redone one line per
 * transaction, so accepted lines commit and a rejected line leaves nothing.
 * Partner systems (scope insurance.registrations: the social-insurance agency) report for the
 * purpose benefit_administration; the access path lets them record employment and nothing else
 * (decide_insurance_partner in src/privacy/access.c, docs/ACCESS.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "audit/audit.h"
#include "base/jsonx.h"
#include "ei/ei.h"

#define REG_BATCH_MAX (32u << 20)
#define REG_CHUNK 500
#define EI_STAFF (ROLE_COUNSELLOR | ROLE_SUPERVISOR)
#define SMALL 8192

static op_code claim_path(http_req *rq, const char **id) {
    *id = http_param(rq, 0);
    if (!*id || !id_is_uuid(*id)) return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "the claim does not exist");
    return OP_OK;
}

static op_code round_path(http_req *rq, int *n) {
    const char *s = http_param(rq, 1);
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v < 1 || v > 1000) return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "no such round");
    *n = (int)v;
    return OP_OK;
}

static json_t *err_json(const op_err *e, op_code rc) {
    json_t *o = json_pack("{s:s, s:s, s:s}", "code", op_code_str(rc), "message", op_message(rc), "detail", e->detail);
    if (e->field[0]) json_object_set_new(o, "field", json_string(e->field));
    return o;
}

/* The agency's statutory report is declared as benefit administration. */
static void partner_purpose(ctx *c) {
    if (c->who.type == ACTOR_PARTNER) c->purpose = "benefit_administration";
}

/* One registration in its own transaction. */
static op_code reg_one(ctx *c, const json_t *in, json_t **out, bool *replay) {
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    rc = ei_registration(c, in, out, replay);
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    return store_commit(c->db, &c->err);
}

static op_code registrations(http_req *rq, http_res *rs) {
    ctx *c = rq->c;
    partner_purpose(c);
    const char *ct = http_header(rq, "Content-Type");
    bool batch = ct && (strncasecmp(ct, "application/x-ndjson", 20) == 0 || strncasecmp(ct, "application/jsonl", 17) == 0);
    if (!batch) {
        if (ct && strncasecmp(ct, "application/json", 16) != 0)
            return op_fail(&c->err, OP_BAD_MEDIA_TYPE, "send application/json or application/x-ndjson",
                           "unsupported content type");
        json_t *in, *out;
        bool replay;
        op_code rc = jx_parse(c->a, rq->raw ? rq->raw : "", rq->raw_len, &in, &c->err);
        if (rc || (rc = reg_one(c, in, &out, &replay))) return rc;
        return http_json(rs, replay ? 200 : 201, out);
    }
    /* Batch: parse every line, then write in chunks (see the file comment). */
    struct line {
        long no;
        json_t *in;
    } *lines = NULL;
    size_t n = 0, cap = 0;
    json_t *errors = json_array();
    long created = 0, rejected = 0, duplicates = 0;
    const char *p = rq->raw ? rq->raw : "", *end = p + rq->raw_len;
    for (long no = 1; p < end; no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *l = p;
        p = nl ? nl + 1 : end;
        while (len && (l[len - 1] == '\r' || l[len - 1] == ' ' || l[len - 1] == '\t')) len--;
        if (!len) continue;
        json_t *in;
        op_clear(&c->err);
        op_code rc = jx_parse(c->a, l, len, &in, &c->err);
        if (rc) {
            rejected++;
            json_array_append_new(errors, json_pack("{s:I, s:o}", "line", (json_int_t)no, "error", err_json(&c->err, rc)));
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct line *nw = arena_alloc(c->a, cap * sizeof *nw);
            if (n) memcpy(nw, lines, n * sizeof *nw);
            lines = nw;
        }
        lines[n++] = (struct line){no, in};
    }
    json_t **ins = arena_alloc(c->a, (n ? n : 1) * sizeof *ins);
    struct ei_reg_result *res = malloc(REG_CHUNK * sizeof *res);
    if (!res) {
        json_decref(errors);
        return op_fail(&c->err, OP_INTERNAL, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) ins[i] = lines[i].in;
    for (size_t i = 0; i < n; i += REG_CHUNK) {
        size_t m = n - i < REG_CHUNK ? n - i : REG_CHUNK;
        op_clear(&c->err);
        op_code rc = store_begin(c->db, &c->err);
        if (rc) {
            free(res);
            json_decref(errors);
            return rc;
        }
        /* Set-based (ei_registration_batch): rejected lines are answered without a rollback. */
        if (ei_registration_batch(c, ins + i, m, res) == OP_OK && store_commit(c->db, &c->err) == OP_OK) {
            /* The committer chains this chunk's audit records while the next chunk runs (the answer
             * still waits for all of them: audit_flush below). */
            audit_ticket *t = audit_submit(c);
            if (t) audit_ticket_finish(t);
            for (size_t j = 0; j < m; j++) {
                if (res[j].rc) {
                    rejected++;
                    json_array_append_new(errors, json_pack("{s:I, s:o}", "line", (json_int_t)lines[i + j].no, "error",
                                                            err_json(&res[j].err, res[j].rc)));
                } else {
                    res[j].replay ? duplicates++ : created++;
                }
            }
            continue;
        }
        if (store_in_tx(c->db)) store_rollback(c->db);
        for (size_t j = 0; j < m; j++) { /* again, one line per transaction */
            json_t *out;
            bool replay;
            op_clear(&c->err);
            if ((rc = reg_one(c, lines[i + j].in, &out, &replay))) {
                if (rc == OP_STORE || rc == OP_INTERNAL || rc == OP_UNAVAILABLE) {
                    free(res);
                    json_decref(errors);
                    return rc;
                }
                rejected++;
                json_array_append_new(errors, json_pack("{s:I, s:o}", "line", (json_int_t)lines[i + j].no, "error",
                                                        err_json(&c->err, rc)));
            } else {
                replay ? duplicates++ : created++;
                json_decref(out);
            }
        }
    }
    free(res);
    op_clear(&c->err);
    c->audit_flush = true; /* the answer goes once every record of the batch is in the chain */
    return http_json(rs, 200,
                     json_pack("{s:I, s:I, s:I, s:I, s:o}", "lines", (json_int_t)(created + duplicates + rejected),
                               "created", (json_int_t)created, "duplicates", (json_int_t)duplicates, "rejected",
                               (json_int_t)rejected, "errors", errors));
}

/* ---- claims ---- */

static op_code claims_create(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = ei_claim_file(rq->c, rq->body, &out);
    if (rc) return rc;
    http_add_header(rs, "Location", arena_printf(rq->c->a, "/api/v1/claims/%s", json_string_value(json_object_get(out, "id"))));
    return http_json(rs, 201, out);
}

static op_code claims_get(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_claim_get(rq->c, id, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code person_claims(http_req *rq, http_res *rs) {
    json_t *out;
    const char *id = http_param(rq, 0);
    op_code rc = ei_claims_of(rq->c, id, &out);
    return rc ? rc : http_json(rs, 200, out);
}

static op_code queue(http_req *rq, http_res *rs, const char *kind) {
    int64_t limit, offset;
    json_t *out;
    op_code rc = http_query_int(rq, "limit", 1, 100, 50, &limit);
    if (!rc) rc = http_query_int(rq, "offset", 0, 1000000, 0, &offset);
    if (!rc) rc = ei_queue(rq->c, kind, (int)limit, (int)offset, &out);
    return rc ? rc : http_json(rs, 200, out);
}
static op_code queue_rounds(http_req *rq, http_res *rs) { return queue(rq, rs, "rounds"); }
static op_code queue_sanctions(http_req *rq, http_res *rs) { return queue(rq, rs, "sanctions"); }

static op_code me_claims(http_req *rq, http_res *rs) {
    json_t *out;
    if (!rq->c->who.person_id[0]) return http_json(rs, 200, json_pack("{s:[], s:i}", "items", "count", 0));
    op_code rc = ei_claims_of(rq->c, rq->c->who.person_id, &out);
    return rc ? rc : http_json(rs, 200, out);
}

static op_code person_employment(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = ei_history_get(rq->c, http_param(rq, 0), &out);
    return rc ? rc : http_json(rs, 200, out);
}

static op_code activities_add(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_activity_add(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 201, out);
}

static op_code activities_list(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_activities_of(rq->c, id, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code round_evaluate(http_req *rq, http_res *rs) {
    const char *id;
    int n;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = round_path(rq, &n)) || (rc = ei_round_evaluate(rq->c, id, n, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code round_override(http_req *rq, http_res *rs) {
    const char *id;
    int n;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = round_path(rq, &n)) || (rc = ei_round_override(rq->c, id, n, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code claim_payments(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_payments_of_claim(rq->c, id, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code claim_bank_account(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_bank_put(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code claim_bank_confirm(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_bank_confirm(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

static op_code claim_dup_review(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_claim_dup_review(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}

/* The claimant's written consent to offsetting an order against benefit still to be paid. */
static op_code recovery_consent(http_req *rq, http_res *rs) {
    json_t *out;
    op_code rc = ei_recovery_offset_consent(rq->c, http_param(rq, 0), rq->body, &out);
    return rc ? rc : http_json(rs, 200, out);
}

/* A payment received against a recovery order (giro or bank transfer); the same bank reference again
 * is answered as the first time (200). */
static op_code recovery_receipt(http_req *rq, http_res *rs) {
    json_t *out;
    bool replay;
    op_code rc = ei_recovery_receipt(rq->c, http_param(rq, 0), rq->body, &out, &replay);
    return rc ? rc : http_json(rs, replay ? 200 : 201, out);
}

static op_code sanction_propose(http_req *rq, http_res *rs) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_sanction_propose(rq->c, id, rq->body, &out))) return rc;
    return http_json(rs, 201, out);
}

static op_code sanction_step(http_req *rq, http_res *rs, const char *kind) {
    const char *id;
    json_t *out;
    op_code rc = claim_path(rq, &id);
    if (rc || (rc = ei_sanction_step(rq->c, id, http_param(rq, 1), kind, rq->body, &out))) return rc;
    return http_json(rs, 200, out);
}
static op_code sanction_decision(http_req *rq, http_res *rs) { return sanction_step(rq, rs, "decision"); }
static op_code sanction_appeal(http_req *rq, http_res *rs) { return sanction_step(rq, rs, "appeal"); }
static op_code sanction_appeal_decision(http_req *rq, http_res *rs) { return sanction_step(rq, rs, "appeal-decision"); }

struct route ei_routes[] = {
    {"POST", "/api/v1/insurance/registrations", registrations, R_STAFF | R_PARTNER | R_WRITE | R_OWN_TX | R_BODY_RAW,
     EI_STAFF, "insurance.registrations", REG_BATCH_MAX,
     "register job starts and ends (JSON, or an application/x-ndjson batch): suspends open claims at once",
     "insurance", NULL},
    {"POST", "/api/v1/claims", claims_create, R_CITIZEN | R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, EI_STAFF, NULL,
     SMALL, "file a benefit claim (citizens for themselves, counsellors for a person)", "claims", NULL},
    {"GET", "/api/v1/claims/{id}", claims_get, R_CITIZEN | R_STAFF, 0, NULL, 0,
     "a claim with its decision, rounds and employment breaks", "claims", NULL},
    {"GET", "/api/v1/persons/{id}/claims", person_claims, R_STAFF, 0, NULL, 0, "a person's claims", "claims", NULL},
    {"GET", "/api/v1/persons/{id}/employment", person_employment, R_STAFF, 0, NULL, 0,
     "a person's insured employment history", "claims", NULL},
    {"GET", "/api/v1/me/claims", me_claims, R_CITIZEN, 0, NULL, 0, "your claims", "claims", NULL},
    {"GET", "/api/v1/ei/queue/rounds", queue_rounds, R_STAFF, EI_STAFF, NULL, 0,
     "your office's recognition rounds due for evaluation (?limit=&offset=)", "claims", NULL},
    {"GET", "/api/v1/ei/queue/sanctions", queue_sanctions, R_STAFF, EI_STAFF, NULL, 0,
     "your office's sanctions waiting for a decision or an appeal decision (?limit=&offset=)", "claims", NULL},
    {"POST", "/api/v1/claims/{id}/activities", activities_add, R_CITIZEN | R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON,
     EI_STAFF, NULL, SMALL, "add a job-search activity to the claim's diary", "claims", NULL},
    {"GET", "/api/v1/claims/{id}/activities", activities_list, R_CITIZEN | R_STAFF, 0, NULL, 0,
     "the claim's job diary (own entries and applications made on the platform)", "claims", NULL},
    {"POST", "/api/v1/claims/{id}/rounds/{n}/evaluate", round_evaluate, R_STAFF | R_WRITE, EI_STAFF, NULL, 0,
     "evaluate a recognition round with the pack's activity rules", "claims", NULL},
    {"POST", "/api/v1/claims/{id}/rounds/{n}/override", round_override, R_STAFF | R_WRITE | R_BODY_JSON, EI_STAFF, NULL,
     SMALL, "override a round's recognition (reason required)", "claims", NULL},
    {"GET", "/api/v1/claims/{id}/payments", claim_payments, R_CITIZEN | R_STAFF, 0, NULL, 0, "a claim's payment ledger",
     "claims", NULL},
    {"PUT", "/api/v1/claims/{id}/bank-account", claim_bank_account, R_CITIZEN | R_STAFF | R_WRITE | R_BODY_JSON, EI_STAFF,
     NULL, SMALL,
     "change the claim's payout account {bank_code, account_number, holder_name} (answered masked, with the holder"
     " check: confirmed, or unconfirmed and payments held)",
     "claims", NULL},
    {"POST", "/api/v1/claims/{id}/bank-account/confirm", claim_bank_confirm,
     R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, EI_STAFF, NULL, SMALL,
     "confirm an unconfirmed payout account's holder {reason, version?}: releases the payments held for it",
     "claims", NULL},
    {"POST", "/api/v1/claims/{id}/duplicate-benefit-review", claim_dup_review,
     R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, EI_STAFF, NULL, SMALL,
     "review an IBR's report of another benefit {outcome: no_conflict|conflict, reason}: no_conflict releases held payments",
     "claims", NULL},
    {"POST", "/api/v1/recoveries/{id}/receipts", recovery_receipt, R_STAFF | R_WRITE | R_BODY_JSON, EI_STAFF, NULL, SMALL,
     "record a payment received against a recovery order {amount, paid_on, reference}: idempotent on the bank's reference",
     "claims", NULL},
    {"POST", "/api/v1/recoveries/{id}/offset-consent", recovery_consent, R_STAFF | R_WRITE | R_BODY_JSON, EI_STAFF, NULL,
     SMALL,
     "record the claimant's written consent to offsetting the order against benefit {share, signed_on, reference}"
     " (고용보험법 시행령 제81조③④)",
     "claims", NULL},
    {"POST", "/api/v1/claims/{id}/sanctions", sanction_propose, R_STAFF | R_WRITE | R_IDEMPOTENT | R_BODY_JSON, EI_STAFF,
     NULL, SMALL, "propose a sanction (refusal, missed appointment ...): blocked days from the pack", "claims", NULL},
    {"POST", "/api/v1/claims/{id}/sanctions/{sid}/decision", sanction_decision, R_STAFF | R_WRITE | R_BODY_JSON,
     ROLE_SUPERVISOR, NULL, SMALL, "approve or reject a proposed sanction (another supervisor than the proposer)",
     "claims", NULL},
    {"POST", "/api/v1/claims/{id}/sanctions/{sid}/appeal", sanction_appeal, R_CITIZEN | R_STAFF | R_WRITE | R_BODY_JSON,
     EI_STAFF, NULL, SMALL, "appeal an approved sanction", "claims", NULL},
    {"POST", "/api/v1/claims/{id}/sanctions/{sid}/appeal-decision", sanction_appeal_decision,
     R_STAFF | R_WRITE | R_BODY_JSON, ROLE_SUPERVISOR, NULL, SMALL,
     "decide an appeal: upheld, or revoked (days restored and withheld amounts paid)", "claims", NULL},
    ROUTE_END,
};
