/* ei_int.h - internals shared by the src/ei files. */
#ifndef OPENPES_EI_INT_H
#define OPENPES_EI_INT_H
#include <stdio.h>
#include "ei/ei.h"
#include "privacy/access.h"

#define EI_COUNTRY "KR"

json_t *ei_sn(store_stmt *st, int i); /* text column or null */

/* Batches (rounds.c): the work is listed once (one query, in order), then done
 * ei_batch_chunk_size (ei.h) items per transaction.  Each item re-checks its own state inside the
 * transaction, so a batch killed at any point and run again does every item exactly once. */
/* A round's stored evaluation as answered: the calculator's full answer with its trace, re-derived
 * from the stored request (docs/DECISIONS.md 15); NULL for NULL. */
json_t *ei_round_evaluation_json(const char *text);

/* The rounds of a chunk of a due list (claim order), from due[i] to due[end - 1] inclusive, as a
 * condition on ei_rounds er: six parameters, bound by ei_chunk_bind().  The plain claim range
 * lets the planner walk the primary key; the row values cut the first and last claim. */
#define EI_CHUNK_RANGE                                                                              \
    "er.claim_id >= ? AND er.claim_id <= ? AND (er.claim_id, er.round) >= (?, ?)"                  \
    " AND (er.claim_id, er.round) <= (?, ?)"
struct ei_due;
void ei_chunk_bind(store_stmt *st, int col, const struct ei_due *first, const struct ei_due *last);

struct ei_due {
    char claim[ID_LEN];
    int round;
};
/* Every (claim_id, round) row of `sql` (text parameters: the day, and `since` when not NULL); *out
 * is malloc'd. */
op_code ei_due_list(ctx *c, const char *sql, const char *day, const char *since, struct ei_due **out, size_t *n);
/* Chunk boundaries: ei_batch_chunk_begin opens the chunk's transaction, deletes audit_pending
 * rows already chained and gives c a scratch arena; ei_batch_chunk_end commits (or rolls back
 * on rc), hands the chunk's audit records to the audit committer (chained on its own thread
 * while the next chunk runs) and empties the scratch arena. */
struct ei_chunk {
    arena *keep, *scratch;
    bool outer;
    int64_t cache_pages; /* SQLite: the connection's page cache size before the batch (0: untouched) */
};
op_code ei_batch_chunk_begin(ctx *c, struct ei_chunk *k);
op_code ei_batch_chunk_end(ctx *c, struct ei_chunk *k, op_code rc);
/* After each item of a chunk: its scratch allocations go (unless a refusal's audit record is
 * queued in the arena: then at the chunk's end, after it was submitted). */
void ei_batch_item_done(ctx *c, struct ei_chunk *k);
/* At the end of a batch: the caller's context waits (ctx_release) until every audit record of
 * the batch is in the chain. */
void ei_batch_done(ctx *c, struct ei_chunk *k);

/* export.c: a file for another system (bank, giro printer): header, then chunk_fn's rows, chunk
 * after chunk (rows after *last in the file's order; *got: rows read, < limit at the end), each
 * chunk read in its own transaction; FILE.tmp (mode 0600), fsync'd and renamed. */
typedef op_code (*ei_export_chunk_fn)(ctx *c, FILE *f, char last[ID_LEN], size_t limit, size_t *got, void *arg);
op_code ei_export_file(ctx *c, const char *path, const char *header, ei_export_chunk_fn chunk_fn, void *arg);
void ei_csv_quoted(FILE *f, const char *v); /* a CSV field in double quotes (names hold commas and quotes) */

/* reemploy.c: the early re-employment allowance - recorded as pending when an eligible claimant
 * starts a job (in the caller's transaction), paid by the batch once the job has lasted the
 * pack's tenure, or lapsed. */
op_code ei_reemploy_record(ctx *c, const char *claim_id, const char *person_id, const char *employment_id,
                           const char *start_date, const json_t *decision);
struct ei_batch_result;
/* Tests: called by the payment batch after each committed chunk (outside any transaction). */
extern void (*ei_batch_test_pause)(void);
/* abort_after > 0 (tests): SIGKILL once res->paid reaches it, after the payment's commit. */
op_code ei_reemploy_pay_due(ctx *c, const char *batch, long abort_after, struct ei_batch_result *res);
/* payment.c: a payment due but held - the hold row with its reason (EI_HOLD_*; round 0 with kind
 * early_reemployment for the allowance) and payment.held the first time (!was_held).  No ledger
 * row: the next batch tries again. */
#define EI_HOLD_NO_ACCOUNT "no_bank_account"
#define EI_HOLD_DUP_REVIEW "duplicate_benefit_review"
#define EI_HOLD_HOLDER "account_holder_mismatch" /* the account's holder is not confirmed (bankacct.c) */
op_code ei_payment_hold(ctx *c, const char *claim_id, int round, const char *kind, const char *reason, const char *person,
                        const char *batch, int64_t days, int64_t amount, bool was_held);
/* SQL: whether the claim (an expression) waits for a counsellor's review of a duplicate-benefit
 * finding - the IBR reported another benefit and no review found it compatible (claim.c). */
#define EI_DUP_HOLD(claim_expr)                                                                    \
    "EXISTS (SELECT 1 FROM ei_dup_checks dc WHERE dc.claim_id = " claim_expr                       \
    " AND dc.status = 'enrolled' AND COALESCE(dc.review_outcome, '') <> 'no_conflict')"
/* SQL: the claim's (an expression) payout account as a number - EI_ACCOUNT_NONE, EI_ACCOUNT_USABLE
 * (its holder is confirmed: the claimant's registered name, or a counsellor's confirmation) or
 * EI_ACCOUNT_UNCONFIRMED (given, but held until a counsellor confirms the holder: bankacct.c).
 * EI_ACCOUNT_HOLD(state) is the hold reason of a state that is not usable. */
#define EI_ACCOUNT_STATE(claim_expr)                                                               \
    "COALESCE((SELECT CASE WHEN ba.holder_status = 'confirmed' THEN 1 ELSE 2 END"                   \
    " FROM ei_bank_accounts ba WHERE ba.claim_id = " claim_expr "), 0)"
#define EI_ACCOUNT_NONE 0
#define EI_ACCOUNT_USABLE 1
#define EI_ACCOUNT_UNCONFIRMED 2
#define EI_ACCOUNT_HOLD(state) ((state) == EI_ACCOUNT_UNCONFIRMED ? EI_HOLD_HOLDER : EI_HOLD_NO_ACCOUNT)
op_code ei_reemploy_of_claim(ctx *c, const char *claim_id, json_t **out); /* null when none */

/* recovery.c: recovery orders for days paid that were not payable (in the caller's transaction). */
struct ei_recovery {
    const char *claim_id, *person_id;
    int64_t from_day;           /* days paid from this day are recovered */
    const char *except_break;   /* the break that causes the recovery (its days count as paid days) */
    const char *kind;           /* overpayment | fraud */
    const char *idem_key;       /* one order per source */
    const char *sanction_id;    /* fraud: the sanction, else NULL */
    double levy_multiplier;     /* fraud: additional levy x amount; 0 otherwise */
    const char *reason;
};
/* *order: the new order, or null when nothing was paid for those days (or ordered before). */
op_code ei_recovery_open(ctx *c, const struct ei_recovery *in, json_t **order);
op_code ei_recovery_cancel(ctx *c, const char *sanction_id, const char *reason);
/* Offset the person's open orders (oldest first) against a payment just written in the caller's
 * transaction: each order at most its share of `amount` (the recorded consent, else the pack's
 * kr.ei.recovery.offset_rate_<kind>), together at most `amount`; one deduction row per
 * order (unique per payment and order), the orders' `recovered` raised, an order fully repaid
 * settled.  *offset: the total deducted (the bank is sent amount - *offset). */
op_code ei_recovery_offset(ctx *c, const char *payment_id, const char *payment_key, const char *person_id, int64_t amount,
                           const char *batch, int64_t *offset);
op_code ei_recoveries_of_claim(ctx *c, const char *claim_id, json_t **out);
/* recovery_notice.c: an order's notices and receipts, added to its JSON as "notices" and "receipts". */
op_code ei_recovery_collection(ctx *c, const char *recovery_id, json_t *order);
/* Close the order's outstanding payment notice as "paid" or "cancelled" (caller's transaction). */
op_code ei_recovery_notice_close(ctx *c, const char *recovery_id, const char *status);
/* The payer reference of an order's seq-th notice: 15 digits and a Luhn check digit. */
void ei_notice_reference(const char *recovery_id, int64_t seq, char out[17]);
/* bankacct.c: the claimant's payout account, sealed per claim (fieldcrypt, AAD
 * "ei_bank_accounts.<column>:<claim id>").  Plain values only in this struct, the bank export
 * and nowhere else (never logged); callers wipe the struct after use. */
struct ei_bank {
    char code[4];     /* three-digit bank code */
    char account[17]; /* digits only */
    char holder[151];
    /* ei_bank_check: the holder's name is the person's registered name (stored as holder_status
     * confirmed), else why not (EI_HOLDER_*; stored as holder_reason).  Zero: unconfirmed. */
    bool confirmed;
    const char *reason;
};
#define EI_HOLDER_MATCHES "name_matches"       /* the holder's name is the registered name */
#define EI_HOLDER_DIFFERS "name_differs"       /* it is not */
#define EI_HOLDER_UNREAD "name_not_readable"   /* the registered name could not be read (field mask) */
#define EI_HOLDER_NOT_CHECKED "not_checked"    /* stored without a check */
#define EI_HOLDER_COUNSELLOR "counsellor"      /* a counsellor confirmed the holder */
/* Compare the holder's name with the person's registered name, read through the access path (an
 * audited read of the person's identity): sets b->confirmed and b->reason. */
op_code ei_bank_check(ctx *c, const char *person_id, struct ei_bank *b);
/* holder.c: the name comparison key (NFKC caseless, white space and punctuation left out) of a
 * name of at most EI_NAME_MAX bytes; OP_VALIDATION on `field` when it is too long, not UTF-8 or
 * has nothing left (empty, punctuation only). */
#define EI_NAME_MAX 150
#define EI_NAME_KEY_MAX 512
op_code ei_name_key(op_err *e, const char *field, const char *name, char key[EI_NAME_KEY_MAX]);
/* Whether the holder's name is the registered name (family + given, or given + family). */
op_code ei_holder_matches(op_err *e, const char *holder, const char *family, const char *given, bool *match);
/* Validate {bank_code, account_number, holder_name}; obj names the object in error fields
 * ("bank_account" -> "bank_account.account_number"; "" for a top-level body). */
op_code ei_bank_parse(ctx *c, const json_t *in, const char *obj, struct ei_bank *b);
/* Insert or replace the claim's account, sealed (no access check: the caller's). */
op_code ei_bank_store(ctx *c, const char *claim_id, const char *person_id, const struct ei_bank *b);
/* Open the sealed values of a row (arena strings). */
op_code ei_bank_open(ctx *c, const char *claim_id, const char *acc_enc, const char *holder_enc, char **account,
                     char **holder);
/* {bank_code, account_number, holder_name (both masked), version, updated_at}, or null when none. */
json_t *ei_bank_masked(ctx *c, const char *claim_id);
/* Access check + audit for an ei resource of a person. */
op_code ei_access(ctx *c, enum pd_action act, const char *rtype, const char *rid, const char *person_id);
/* Load a claim's person id and status (OP_NOT_FOUND without detail otherwise). */
op_code ei_claim_owner(ctx *c, const char *claim_id, char person_id[ID_LEN], char status[16]);
/* Is day d inside an employment break of the claim? */
bool ei_in_break(ctx *c, const char *claim_id, int64_t d);
/* A claim's benefit status changed (claim.c): emits "benefit.status_changed" on the person's
 * subject - a DCI subscriber sees it as benefit_status_changed.  from is NULL for a new claim;
 * effective is the first day the new status applies. */
op_code ei_status_event(ctx *c, const char *claim_id, const char *person_id, const char *from, const char *to,
                        const char *effective, const char *reason);
/* The open (active or suspended) claim of a person; false when none. */
bool ei_open_claim(ctx *c, const char *person_id, char claim_id[ID_LEN], char status[16]);



/* A validated employment spell (history.c).  Strings point into the JSON or c->a. */
struct ei_spell {
    char person_id[ID_LEN];
    const char *employer_key, *employer_id, *employer_brn, *employer_name, *vacancy_id, *occupation;
    const char *start_date, *end_date, *insurance_type;
    int64_t start, end; /* days; end = INT64_MAX when open */
    int64_t daily_minutes, monthly_wage;
    bool has_minutes, has_wage;
};
/* Validate a spell object; `extra` are further allowed keys (NULL-terminated or NULL).
 * end_required: a job end registration.  Resolves national_id to the person. */
op_code ei_spell_parse(ctx *c, const json_t *in, const char *const *extra, bool end_required, struct ei_spell *s);
/* ei_spell_parse without the person lookup: validates and gives the national id's lookup hash
 * (persons.nid_hash) for a set-based lookup; s->person_id stays empty. */
op_code ei_spell_check(ctx *c, const json_t *in, const char *const *extra, bool end_required, struct ei_spell *s,
                       char hash[65]);
/* The error of a national id no person has (OP_NOT_FOUND, field national_id). */
op_code ei_nid_unknown(ctx *c);
/* Insert or update the spell (no access check); id receives the row id, *created whether new. */
op_code ei_spell_store(ctx *c, const struct ei_spell *s, const char *source, char id[ID_LEN], bool *created);
/* detection.c: a registration line validated (ei_registration_check: everything but the person
 * lookup, whose key is the national id's lookup hash), and the start and end logic once the
 * person is known and the access decision is made and audited (in the caller's transaction). */
struct ei_reg_line {
    struct ei_spell s;
    const char *vacancy, *occupation;
    bool end;
};
op_code ei_registration_check(ctx *c, const json_t *in, struct ei_reg_line *l, char hash[65]);
op_code ei_job_start(ctx *c, const struct ei_spell *s, const char *vacancy, const char *occupation, json_t **out,
                     bool *replay);
op_code ei_job_end(ctx *c, const struct ei_spell *s, json_t **out, bool *replay);
#define EI_SPELL_SELECT                                                                            \
    "SELECT id, employer_id, employer_brn, employer_name, start_date, end_date, daily_minutes,"     \
    " monthly_wage, insurance_type, source, person_id, employer_key FROM ei_employment"
json_t *ei_spell_row_json(store_stmt *st);
op_code ei_claim_render(ctx *c, const char *claim_id, json_t **out); /* no access check */
#define EI_SANCTION_SELECT                                                                         \
    "SELECT id, claim_id, type, day, reason, status, blocked_days, reduction_days, decision_reason,"  \
    " appeal_reason, appeal_decision_reason, created_at, updated_at FROM ei_sanctions"
json_t *ei_sanction_row(store_stmt *st);
#endif
