/* bankacct.c - the claimant's payout account (수급 계좌): bank code, account number and holder
 * name, given when the claim is filed and changeable later.
 *
 * One row per claim (ei_bank_accounts).  The account number and the holder's name are sealed
 * with fieldcrypt, the additional data binding each to its table, column and claim
 * ("ei_bank_accounts.account_enc:<claim id>"), so a value copied into another row does not
 * decrypt.  Answers show them masked only ("******7890", "김**"); the plain values leave the
 * process only in the bank export (payment.c).  Nothing here logs them. */
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "ei/ei_int.h"
#include "events/outbox.h"
#include "sec/fieldcrypt.h"

static const char *aad(ctx *c, const char *col, const char *claim_id) {
    return arena_printf(c->a, "ei_bank_accounts.%s:%s", col, claim_id);
}

/* A field of the account object: "bank_account.bank_code" when the object is nested (obj "bank_account"). */
static const char *fname(ctx *c, const char *obj, const char *key) {
    return obj[0] ? arena_printf(c->a, "%s.%s", obj, key) : key;
}

static op_code bad(ctx *c, const char *obj, const char *key, const char *hint, const char *what) {
    return op_fail_field(&c->err, OP_VALIDATION, fname(c, obj, key), hint, "%s", what);
}

op_code ei_bank_parse(ctx *c, const json_t *in, const char *obj, struct ei_bank *b) {
    static const char *const keys[] = {"bank_code", "account_number", "holder_name", NULL};
    memset(b, 0, sizeof *b);
    if (!json_is_object(in))
        return op_fail_field(&c->err, OP_VALIDATION, obj[0] ? obj : "bank_account",
                             "give {bank_code, account_number, holder_name}", "the payout account must be an object");
    const char *code, *num, *holder;
    op_code rc;
    if ((rc = jx_only(in, keys, obj, &c->err))) return rc;
    if ((rc = jx_str(in, "bank_code", true, 8, &code, &c->err)) || (rc = jx_str(in, "account_number", true, 32, &num, &c->err)) ||
        (rc = jx_str(in, "holder_name", true, 150, &holder, &c->err))) {
        char f[sizeof c->err.field];
        snprintf(f, sizeof f, "%s", fname(c, obj, c->err.field));
        snprintf(c->err.field, sizeof c->err.field, "%s", f);
        return rc;
    }
    if (strlen(code) != 3 || strspn(code, "0123456789") != 3)
        return bad(c, obj, "bank_code", "the three-digit bank code (e.g. 004, 088)", "bank_code is not a three-digit bank code");
    size_t n = 0;
    for (const char *p = num; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n < sizeof b->account - 1) b->account[n] = *p;
            n++;
        } else if (*p != '-' && *p != ' ') {
            return bad(c, obj, "account_number", "digits only; dashes and spaces are ignored",
                       "account_number contains a character that is not a digit");
        }
    }
    if (n < 10 || n > 16)
        return bad(c, obj, "account_number", "a bank account number has 10 to 16 digits",
                   "account_number does not have 10 to 16 digits");
    b->account[n] = 0;
    while (*holder == ' ') holder++;
    size_t hl = strlen(holder);
    while (hl && holder[hl - 1] == ' ') hl--;
    if (hl == 0) return bad(c, obj, "holder_name", NULL, "holder_name must not be empty");
    for (size_t i = 0; i < hl; i++)
        if ((unsigned char)holder[i] < 0x20 || holder[i] == 0x7f)
            return bad(c, obj, "holder_name", NULL, "holder_name contains a control character");
    snprintf(b->code, sizeof b->code, "%s", code);
    snprintf(b->holder, sizeof b->holder, "%.*s", (int)hl, holder);
    return OP_OK;
}

op_code ei_bank_check(ctx *c, const char *person_id, struct ei_bank *b) {
    b->confirmed = false;
    b->reason = EI_HOLDER_UNREAD;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT " ACCESS_FACTS_COLS ", p.family_name, p.given_name FROM " ACCESS_FACTS_FROM
                                 " WHERE p.id = ?",
                                 "ss", c->who.id, person_id);
    if (!st) return c->err.code ? c->err.code : op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    access_facts fa;
    access_facts_read(st, 0, &fa);
    const char *family = arena_strdup(c->a, store_col_text(st, ACCESS_FACTS_NCOLS));
    const char *given = arena_strdup(c->a, store_col_text(st, ACCESS_FACTS_NCOLS + 1));
    store_reset(st);
    access_decision d;
    op_code rc = access_person_facts(c, PD_READ, "person", person_id, person_id, &fa, &d);
    if (rc || !(d.fields & F_IDENTITY)) return rc; /* not readable: unconfirmed, a counsellor decides */
    bool match;
    if ((rc = ei_holder_matches(&c->err, b->holder, family, given, &match))) return rc;
    b->confirmed = match;
    b->reason = match ? EI_HOLDER_MATCHES : EI_HOLDER_DIFFERS;
    return OP_OK;
}

op_code ei_bank_store(ctx *c, const char *claim_id, const char *person_id, const struct ei_bank *b) {
    char *acc = NULL, *hold = NULL, ts[CLOCK_TS_LEN];
    op_code rc;
    if ((rc = fieldcrypt_encrypt(c->a, b->account, strlen(b->account), aad(c, "account_enc", claim_id), &acc, &c->err)) ||
        (rc = fieldcrypt_encrypt(c->a, b->holder, strlen(b->holder), aad(c, "holder_enc", claim_id), &hold, &c->err)))
        return rc;
    clock_now_ts(ts);
    /* A new account is checked anew: an earlier counsellor's confirmation does not carry over. */
    return store_exec(c->db, &c->err, NULL,
                      "INSERT INTO ei_bank_accounts (claim_id, person_id, bank_code, account_enc, holder_enc, updated_by,"
                      " created_at, updated_at, holder_status, holder_reason) VALUES (?,?,?,?,?,?,?,?,?,?)"
                      " ON CONFLICT (claim_id) DO UPDATE SET"
                      " bank_code = excluded.bank_code, account_enc = excluded.account_enc, holder_enc = excluded.holder_enc,"
                      " version = ei_bank_accounts.version + 1, updated_by = excluded.updated_by,"
                      " updated_at = excluded.updated_at, holder_status = excluded.holder_status,"
                      " holder_reason = excluded.holder_reason, confirmed_by = NULL, confirmed_at = NULL,"
                      " confirm_reason = NULL",
                      "ssssssssss", claim_id, person_id, b->code, acc, hold, c->who.id, ts, ts,
                      b->confirmed ? "confirmed" : "unconfirmed", b->reason ? b->reason : EI_HOLDER_NOT_CHECKED);
}

op_code ei_bank_open(ctx *c, const char *claim_id, const char *acc_enc, const char *holder_enc, char **account,
                     char **holder) {
    op_code rc = fieldcrypt_decrypt(c->a, acc_enc, aad(c, "account_enc", claim_id), account, NULL, &c->err);
    return rc ? rc : fieldcrypt_decrypt(c->a, holder_enc, aad(c, "holder_enc", claim_id), holder, NULL, &c->err);
}

/* "******7890": every digit but the last four hidden. */
static char *mask_account(ctx *c, const char *acc) {
    size_t n = strlen(acc);
    char *m = arena_printf(c->a, "%s", acc);
    for (size_t i = 0; i + 4 < n; i++) m[i] = '*';
    return m;
}

/* "김**", "J***": the first character (UTF-8) and one star per further character. */
static char *mask_name(ctx *c, const char *name) {
    size_t n = strlen(name), first = 1;
    while (first < n && ((unsigned char)name[first] & 0xc0) == 0x80) first++;
    size_t rest = 0;
    for (size_t i = first; i < n; i++)
        if (((unsigned char)name[i] & 0xc0) != 0x80) rest++;
    char *m = arena_alloc(c->a, first + rest + 1);
    memcpy(m, name, first);
    memset(m + first, '*', rest);
    m[first + rest] = 0;
    return m;
}

/* The holder check: status, its reason and a counsellor's confirmation {reason, confirmed_at}
 * (who confirmed is in the audit log and the row). */
static void holder_status(json_t *o, store_stmt *st, int col) {
    json_object_set_new(o, "status", ei_sn(st, col));
    json_object_set_new(o, "status_reason", ei_sn(st, col + 1));
    if (!store_col_null(st, col + 2))
        json_object_set_new(o, "confirmation", json_pack("{s:o, s:o}", "reason", ei_sn(st, col + 2), "confirmed_at",
                                                         ei_sn(st, col + 3)));
}

json_t *ei_bank_masked(ctx *c, const char *claim_id) {
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT bank_code, account_enc, holder_enc, version, updated_at, holder_status,"
                                 " holder_reason, confirm_reason, confirmed_at FROM ei_bank_accounts WHERE claim_id = ?",
                                 "s", claim_id);
    if (!st) return json_null();
    char *acc = NULL, *holder = NULL;
    json_t *o;
    if (ei_bank_open(c, claim_id, store_col_text(st, 1), store_col_text(st, 2), &acc, &holder)) {
        o = json_null(); /* a value that does not open (key changed, row tampered): shown as absent */
        op_clear(&c->err);
    } else {
        o = json_pack("{s:s, s:s, s:s, s:I, s:o}", "bank_code", store_col_text(st, 0), "account_number",
                      mask_account(c, acc), "holder_name", mask_name(c, holder), "version",
                      (json_int_t)store_col_int(st, 3), "updated_at", ei_sn(st, 4));
        holder_status(o, st, 5);
        memset(acc, 0, strlen(acc));
        memset(holder, 0, strlen(holder));
    }
    store_reset(st);
    return o;
}

op_code ei_bank_put(ctx *c, const char *claim_id, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    *out = NULL;
    char person[ID_LEN], status[16];
    struct ei_bank b;
    op_code rc = ei_claim_owner(c, claim_id, person, status);
    if (rc) return rc;
    bool outer;
    if ((rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_bank_account", claim_id, person))) goto out;
    if ((rc = ei_bank_parse(c, in, "", &b))) goto out;
    if (strcmp(status, "rejected") == 0) {
        rc = op_fail(&c->err, OP_CONFLICT, "a refused claim is not paid", "the claim was refused: it needs no payout account");
        goto out;
    }
    if ((rc = ei_bank_check(c, person, &b)) || (rc = ei_bank_store(c, claim_id, person, &b))) goto out;
    json_t *pl = json_pack("{s:s, s:s}", "claim_id", claim_id, "holder_status", /* never the account itself */
                           b.confirmed ? "confirmed" : "unconfirmed");
    rc = event_emit(c, "claim.bank_account_changed", person, pl);
    json_decref(pl);
    if (!rc) *out = json_pack("{s:s, s:o}", "claim_id", claim_id, "bank_account", ei_bank_masked(c, claim_id));
out:
    memset(&b, 0, sizeof b);
    return store_tx_end(c->db, &c->err, outer, rc);
}

/* The body of a confirmation: {reason, version?} (version: the account the counsellor saw). */
static op_code confirm_parse(ctx *c, const json_t *in, const char **reason, int64_t *version, bool *has_version) {
    static const char *const keys[] = {"reason", "version", NULL};
    op_code rc;
    if ((rc = jx_only(in, keys, NULL, &c->err)) || (rc = jx_str(in, "reason", true, 500, reason, &c->err)) ||
        (rc = jx_int(in, "version", false, 1, INT32_MAX, version, has_version, &c->err)))
        return rc;
    if (!**reason)
        return op_fail_field(&c->err, OP_VALIDATION, "reason", "say how the holder was confirmed (e.g. a bank statement seen)",
                             "reason is empty");
    return OP_OK;
}

/* The account's holder status and version (OP_CONFLICT when the claim has none). */
static op_code account_state(ctx *c, const char *claim_id, char status[16], int64_t *version) {
    store_stmt *st = store_query(c->db, &c->err, "SELECT holder_status, version FROM ei_bank_accounts WHERE claim_id = ?",
                                 "s", claim_id);
    if (!st)
        return c->err.code ? c->err.code
                           : op_fail(&c->err, OP_CONFLICT, "the claimant gives one first (PUT .../bank-account)",
                                     "the claim has no payout account to confirm");
    snprintf(status, 16, "%s", store_col_text(st, 0));
    *version = store_col_int(st, 1);
    store_reset(st);
    return OP_OK;
}

op_code ei_bank_confirm(ctx *c, const char *claim_id, const json_t *in, json_t **out) {
    op_clear(&c->err); /* a reused context may carry an old error */
    *out = NULL;
    const char *reason;
    int64_t want = 0, version = 0;
    bool has_version = false, outer;
    char person[ID_LEN], status[16];
    op_code rc = confirm_parse(c, in, &reason, &want, &has_version);
    if (rc || (rc = ei_claim_owner(c, claim_id, person, NULL)) || (rc = store_tx_begin(c->db, &c->err, &outer))) return rc;
    if ((rc = ei_access(c, PD_UPDATE, "ei_bank_account", claim_id, person)) ||
        (rc = account_state(c, claim_id, status, &version)))
        goto out;
    if (has_version && want != version) {
        rc = op_fail_field(&c->err, OP_CONFLICT, "version", "GET the claim and look at the account again",
                           "the payout account was changed since (version %lld)", (long long)version);
        goto out;
    }
    if (strcmp(status, "confirmed") != 0) { /* confirmed already: the same answer, nothing recorded again */
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        if ((rc = store_exec(c->db, &c->err, NULL,
                             "UPDATE ei_bank_accounts SET holder_status = 'confirmed', holder_reason = ?, confirmed_by = ?,"
                             " confirmed_at = ?, confirm_reason = ?, updated_at = ? WHERE claim_id = ?",
                             "ssssss", EI_HOLDER_COUNSELLOR, c->who.id, ts, reason, ts, claim_id)))
            goto out;
        json_t *pl = json_pack("{s:s, s:I}", "claim_id", claim_id, "version", (json_int_t)version);
        rc = event_emit(c, "claim.bank_account_confirmed", person, pl);
        json_decref(pl);
    }
    if (!rc) *out = json_pack("{s:s, s:o}", "claim_id", claim_id, "bank_account", ei_bank_masked(c, claim_id));
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}
