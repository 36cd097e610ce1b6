/* wiring.c - what connects the modules at run time: event handlers and periodic tasks.
 *
 * Modules do not call each other through the outbox directly; the program registers here which
 * module reacts to which event, so the lower layers (events) depend on none of them.  Both
 * `openpes serve` (its background worker) and `openpes worker` use this one list.  Long tasks (the
 * EI batches) are registered with worker_register_periodic_long: a thread of their own, so events
 * are processed while they run. */
#include <jansson.h>
#include <stdio.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "dci/client.h"
#include "dci/registry.h"
#include "ei/ei_dup.h"
#include "ei/ei.h"
#include "events/outbox.h"
#include "jobs/jobs.h"
#include "nesp/nesp_check.h"

/* application.activity {person_id, date, type} (jobs/application.c) -> the claimant's job diary. */
static op_code on_application_activity(ctx *c, long long id, const char *type, const char *subject, json_t *p) {
    (void)id;
    (void)type;
    (void)subject;
    const char *person = json_string_value(json_object_get(p, "person_id"));
    const char *date = json_string_value(json_object_get(p, "date"));
    const char *kind = json_string_value(json_object_get(p, "type"));
    if (!person || !date || !kind) return op_fail(&c->err, OP_VALIDATION, NULL, "application.activity lacks person_id, date or type");
    return ei_activity_from_application(c, person, date, kind);
}

int cli_register_workers(int argc, char **argv) {
    static int done;
    if (done++) return 0;
    /* The daily EI evaluation + payment batch: only when asked for (--ei-batch-at HH:MM). */
    op_err e = {0};
    const char *at = cli_opt(argc, argv, "ei-batch-at");
    if (ei_schedule_configure(at, cli_opt(argc, argv, "ei-batch-dir"), &e)) {
        fprintf(stderr, "openpes: %s (%s)\n", e.detail, e.hint);
        return 2;
    }
    if (at) worker_register_periodic_long("ei.daily_batch", 60, ei_periodic_pay_batch); /* minutes at 1.8 M claims */
    event_register("application.activity", on_application_activity);
    event_register("dci.", dci_async_on_event);
    event_register("employment.started", dci_notify_on_event); /* DCI subscribers: notify */
    event_register("employment.ended", dci_notify_on_event);
    event_register("registration.changed", dci_notify_on_event);
    event_register("benefit.status_changed", dci_notify_on_event); /* emitted by the EI module */
    event_register("referral.updated", dci_notify_on_event);       /* emitted by src/referral */
    event_register("person.updated", jobs_on_person_updated);
    worker_register_periodic("jobs.close_expired", 300, jobs_close_expired);
    worker_register_periodic("audit.drop_chained_pending", 10, audit_drop_chained_pending);
    worker_register_periodic_long("ei.evaluate_rounds", 3600, ei_periodic_evaluate);
    worker_register_periodic("dci.digests", 1, dci_digest_due); /* DCI subscriptions with a frequency */
    event_register("partner.answered", nesp_on_partner_answered); /* an async social-registry answer completes a NESP check */
    ei_claim_set_dup_partner(dci_dup_partner);                    /* claims: is an IBR configured? */
    event_register("claim.dup_check", dci_dup_on_claim);          /* ... then ask it (duplicate benefits) */
    worker_register_periodic("dci.jwks_refresh", 60, dci_jwks_refresh_due); /* partners' JWKS from their URLs */
    return 0;
}
