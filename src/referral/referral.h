/* referral.h - referrals of a person between offices (job centre <-> welfare office) or to an
 * external partner agency.  CONTRACT shared by the API handlers, the seeder and later modules
 * (ROADMAP stage 5: integrated case management); model, states, access and events are described
 * in docs/REFERRALS.md.
 *
 * The state machine is pure data (referral_sm.c): one table of states, each with the states it
 * may move to and which side (sender or receiver) may move it there, and the outcome codes a
 * state requires.  The domain functions (referral.c) go through the access path
 * (privacy/access.h: access_referral) and so audit themselves; every create and transition writes
 * the event "referral.updated" in the same transaction.  *out is a new reference (caller owns). */
#ifndef OPENPES_REFERRAL_H
#define OPENPES_REFERRAL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

#define REFERRAL_REASON_MAX 2000 /* bytes of free text */
#define REFERRAL_NOTE_MAX 1000
#define REFERRAL_CONSENT_REF_MAX 64
#define REFERRAL_LIST_MAX 100 /* page size limit */

/* ---- the state machine (referral_sm.c; pure, no database) ---- */

/* Who may make a transition: the sending office or the receiving one (for a referral to an
 * external agency the sending office records the agency's answers). */
enum referral_side { REF_SENDER = 1u << 0, REF_RECEIVER = 1u << 1 };

enum referral_check {
    REF_OK,
    REF_UNKNOWN_STATE,   /* `to` is not a state at all (validation) */
    REF_ILLEGAL,         /* not allowed from the current state (conflict; hint names the allowed ones) */
    REF_WRONG_SIDE,      /* allowed, but only for the other side (refusal) */
    REF_OUTCOME_MISSING, /* the target state needs an outcome code */
    REF_OUTCOME_UNKNOWN, /* the code is not one of the target state's outcome codes */
    REF_OUTCOME_NOT_TAKEN, /* the target state takes no outcome */
};

#define REFERRAL_INITIAL "sent"

/* Check moving from `from` to `to` for an actor on `sides` (REF_SENDER | REF_RECEIVER bits) with
 * an optional outcome code. */
enum referral_check referral_check(const char *from, const char *to, unsigned sides, const char *outcome);
bool referral_state_known(const char *s);
bool referral_state_terminal(const char *s); /* unknown states count as terminal */
/* "received (receiver), withdrawn (sender)" into buf: the moves allowed from `from`; "" when none. */
const char *referral_next_text(const char *from, char *buf, size_t n);
/* The states `from` may move to, each with the side that may move it: [{"to","by"}]. */
json_t *referral_next_json(const char *from);
/* The outcome codes the state requires (NULL-terminated), NULL when it takes none. */
const char *const *referral_outcomes(const char *state);
const char *const *referral_states(void); /* NULL-terminated, in table order */
const char *const *referral_types(void);  /* welfare_assessment, employment_support, ... */

/* ---- the domain (referral.c) ---- */

struct referral_new {
    const char *to_office;   /* code or id of an office; exactly one of to_office and to_agency */
    const char *to_agency;   /* client id of a registered partner agency (dci_partners) */
    const char *type;        /* one of referral_types() */
    const char *reason;      /* free text, 1..REFERRAL_REASON_MAX bytes */
    const char *consent_ref; /* optional reference of the person's consent document */
    const char *from_office; /* system callers only (seed, CLI): staff always send from their office */
};
/* Create a referral (status "sent") of a person.  The sender must have a relation to the person
 * (privacy/access.c: access_referral, PD_CREATE).  Validation errors name the field; nothing is
 * written on an error.  Emits "referral.updated". */
op_code referral_create(ctx *c, const char *person_id, const struct referral_new *in, json_t **out);
/* One referral with its history; OP_NOT_FOUND when absent. */
op_code referral_get(ctx *c, const char *id, json_t **out);
/* The person's referrals that the actor may see: {"items":[...], "count"}. */
op_code referral_list_person(ctx *c, const char *person_id, json_t **out);

struct referral_query {
    const char *office; /* code or id; NULL = the actor's own office (staff may list only their own) */
    const char *box;    /* "in" (received, default) or "out" (sent) */
    const char *status; /* NULL = every status */
    int limit, offset;
};
/* An office's referrals, newest first: {"items", "limit", "offset", "next_offset"?}. */
op_code referral_list_office(ctx *c, const struct referral_query *q, json_t **out);

struct referral_move {
    const char *to;      /* target state */
    const char *outcome; /* outcome code: required for the states that take one */
    const char *note;    /* optional; stored as the outcome note (or the transition's note) */
    int64_t version;     /* optimistic concurrency when has_version */
    bool has_version;
};
/* Move a referral: illegal move -> OP_CONFLICT (hint: the allowed ones), the other side's move ->
 * audited OP_FORBIDDEN, stale version -> OP_CONFLICT, bad outcome -> OP_VALIDATION.
 * Emits "referral.updated". */
op_code referral_transition(ctx *c, const char *id, const struct referral_move *m, json_t **out);

#endif
