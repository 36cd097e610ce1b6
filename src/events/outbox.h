/* outbox.h - the transactional events outbox and the worker that drains it.
 *
 * event_emit() writes an event row in the caller's open transaction, so the event exists if and
 * only if the change that caused it committed.  Workers (any number, in any process) claim
 * pending events with a lease, run the handlers registered for the event type, and mark them
 * done; failures retry with exponential back-off and end as 'dead' (operators' dead-letter view)
 * after EVENT_MAX_ATTEMPTS.  Events of one subject are processed strictly in order: a later
 * event is not claimed while an earlier one of the same subject is pending. */
#ifndef OPENPES_OUTBOX_H
#define OPENPES_OUTBOX_H
#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"

#define EVENT_MAX_ATTEMPTS 10

/* type: "employment.started", subject: usually a person id.  payload is not stolen. */
op_code event_emit(ctx *c, const char *type, const char *subject, const json_t *payload);
/* n events at once, in order, with multi-row statements (set-based batches): tsp holds n triples
 * {type, subject, payload JSON text}, which must live until the call returns. */
op_code event_emit_many(ctx *c, size_t n, const char *const *tsp);

typedef op_code (*event_handler)(ctx *c, long long id, const char *type, const char *subject,
                                 json_t *payload);
/* Handlers for types starting with `prefix` ("" = every event).  Register before starting. */
void event_register(const char *prefix, event_handler fn);

/* Periodic housekeeping run by the background worker every `interval_s` seconds (e.g. closing
 * expired vacancies).  fn gets a system context and returns a count (or -1 with c->err set).
 * Register before worker_start_background; modules register their own from the CLI layer so
 * this layer depends on none of them. */
void worker_register_periodic(const char *name, int interval_s, int (*fn)(ctx *c));
/* The same for a task that may run long (a batch over every claim): the background worker gives it
 * a thread of its own, so events and the other periodic tasks are processed while it runs.  It is
 * never run twice at once in this process (another process needs the task's own lease);
 * worker_stop_background waits for a run in progress to end (at its next check of worker_stopping). */
void worker_register_periodic_long(const char *name, int interval_s, int (*fn)(ctx *c));
/* True while worker_stop_background runs (serve shutdown, `openpes worker` on SIGINT or SIGTERM).  A long task checks it between chunks: it commits
 * the chunk in hand, starts no other and returns, so that stopping waits for one chunk, not for the
 * whole batch; the next run does the rest (each chunk re-checks its items).  Any thread may call it. */
bool worker_stopping(void);
/* Run every registered periodic task once now, on the caller's thread (`openpes worker --once`). */
int worker_run_periodic_once(void);

/* Claim and process up to max events; returns how many were processed, -1 on store error. */
int worker_run_once(const char *owner, int max, op_err *e);
void worker_start_background(void);
void worker_stop_background(void);
void worker_wake(void);

#endif
