/* person.h - the unified person profile and job-seeker registration.  CONTRACT shared by the
 * API handlers, the seeder and later modules; implementation in person.c / jobseeker.c.
 *
 * All functions go through the access path (privacy/access.h) with the context's actor and
 * purpose, so they audit themselves; they take and return the API's JSON shapes (docs/API.md).
 * Writes must run inside a transaction (the dispatcher opens one for R_WRITE routes; CLI and
 * seed callers call store_begin/commit around them).  *out is a new reference (caller owns). */
#ifndef OPENPES_PERSON_H
#define OPENPES_PERSON_H
#include <jansson.h>

#include "core/ctx.h"

/* Create from an API body (validated here: unknown fields, types, national id, dates, codes).
 * OP_DUPLICATE when the national id is already registered (detail names the existing id only
 * if the actor may see it).  Emits event "person.created". */
op_code person_create(ctx *c, const json_t *in, json_t **out);
op_code person_get(ctx *c, const char *id, json_t **out);
/* Partial update; `version` in the body (optional) enables optimistic concurrency (OP_CONFLICT). */
op_code person_update(ctx *c, const char *id, const json_t *patch, json_t **out);

struct person_query {
    const char *national_id; /* exact, via keyed hash */
    const char *name;        /* "family given" or either part, case-insensitive */
    const char *birth_date;  /* YYYY-MM-DD, optional filter with name */
    int limit;               /* 1..100 */
};
/* Only people the actor may see are returned (each audited as SEARCH). {"items":[...], "count":n} */
op_code person_search(ctx *c, const struct person_query *q, json_t **out);

/* Job-seeker registration (구직신청).  Body: {"office": code|id, "counsellor_id"?, "registered_on"?,
 * "claim_report_date"?}.  due_date = claim_report_date + 7 days when a claim exists.
 * OP_DUPLICATE when an active or suspended registration exists.  Emits "registration.changed". */
op_code jobseeker_register(ctx *c, const char *person_id, const json_t *in, json_t **out);
op_code jobseeker_get(ctx *c, const char *person_id, json_t **out);
/* {"status"?, "status_reason"?, "counsellor_id"?, "version"?} with the allowed transitions. */
op_code jobseeker_update(ctx *c, const char *person_id, const json_t *patch, json_t **out);

/* Put an account on a person's case team (gives that staff member access). */
op_code case_member_add(ctx *c, const char *person_id, const char *account_id, const char *role);

#endif
