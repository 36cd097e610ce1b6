/* audit.h - the tamper-evident audit log of every access to personal data.
 *
 * Records form one SHA-256 hash chain: record N stores the hash of record N-1 and its own hash
 * over all its fields; audit_head holds the newest (seq, hash) so deleting the tail shows too.
 *
 * Where a record goes:
 *  - an allowed action inside an open write transaction is inserted into audit_pending in that
 *    transaction, so the record commits or rolls back with the data it describes; the group
 *    committer then appends it to the chain (on SQLite the chain lives in its own file,
 *    <db>.audit, which cannot join the data's transaction - docs/DECISIONS.md 9) and the answer
 *    waits for that like a read's;
 *  - everything else (reads, and every refusal, which must survive the rollback of the refused
 *    request) is queued on the request context and handed to the group committer by
 *    audit_submit(): one transaction and one fsync for many requests.  The caller answers only
 *    after the ticket reports the batch durable (the HTTP server suspends the connection; the
 *    CLI blocks in audit_ticket_wait).
 *
 * Only privacy/access.c calls audit_record(); handlers never write audit rows themselves. */
#ifndef OPENPES_AUDIT_H
#define OPENPES_AUDIT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

struct audit_rec {
    const char *action;        /* CREATE READ UPDATE DELETE SEARCH */
    const char *resource_type; /* "person", "jobseeker_registration", ... */
    const char *resource_id;
    const char *person_id;
    const char *purpose;
    const char *legal_basis;
    const char *outcome;       /* "allow" or "deny" */
    const char *detail;        /* optional short text, e.g. the refusal reason */
};

op_code audit_record(ctx *c, const struct audit_rec *r);
/* audit_record() for n records at once: the allowed ones inside the open write transaction go
 * into audit_pending with multi-row INSERTs (the same rows, one statement per block instead of
 * one per record); refusals and records outside a transaction go as audit_record() sends them. */
op_code audit_record_many(ctx *c, const struct audit_rec *r, size_t n);

typedef struct audit_ticket audit_ticket;
/* Hand the context's queued records to the group committer.  NULL when nothing was queued. */
audit_ticket *audit_submit(ctx *c);
/* Block until durable; returns true when the records committed. Releases the ticket. */
bool audit_ticket_wait(audit_ticket *t);
/* Non-blocking form for the server: if the batch is still pending, call park(arg) under the
 * ticket lock and arrange resume(arg) on completion, returning true; returns false when it is
 * already done (then nothing was called).  The caller later calls audit_ticket_finish. */
bool audit_ticket_park(audit_ticket *t, void (*park)(void *), void (*resume)(void *), void *arg);
bool audit_ticket_finish(audit_ticket *t); /* result; releases the ticket */

/* Start / stop the group-commit thread (started lazily by audit_submit as well). */
void audit_start(void);
void audit_stop(void);

/* Group-commit statistics for /metrics: batches committed, records in them, failed batches. */
/* Chain every record of a write still waiting in audit_pending (left by a crash) and wait for
 * it: at server start and before verification. */
void audit_flush(void);
/* Periodic task: delete audit_pending rows already in the chain; returns how many (-1: error). */
int audit_drop_chained_pending(ctx *c);
/* How long a batch that is not full waits for more records before committing (µs; 0 = none). */
extern int audit_commit_delay_us;
void audit_stats(uint64_t *batches, uint64_t *records, uint64_t *failures);

/* Verify the chain.  Returns OP_OK when intact; otherwise OP_CONFLICT with e->detail naming the
 * first altered, inserted or deleted record.  *count receives the number of records checked. */
op_code audit_verify(store *s, int64_t *count, op_err *e);

#endif
