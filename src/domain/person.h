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
#include <stdbool.h>

#include "core/ctx.h"

/* Create from an API body (validated here: unknown fields, types, national id, dates, codes).
 * OP_DUPLICATE when the national id is already registered; the detail never names the existing
 * record (that would be an unaudited search: the hint points to POST /api/v1/persons/search).
 * Citizens may create one record, their own (then link it with account_link_person).
 * Emits event "person.created" {person_id, groups}. */
op_code person_create(ctx *c, const json_t *in, json_t **out);
/* Read: the API document restricted to the field groups the actor may see (decided and audited
 * by the access path).  person_get_text answers with JSON text in c->a (the HTTP read path: no
 * JSON tree, docs/DECISIONS.md 13); person_get with the parsed document. */
op_code person_get_text(ctx *c, const char *id, const char **out);
op_code person_get(ctx *c, const char *id, json_t **out);
/* Partial update with JSON merge-patch semantics (RFC 7396: nested objects merge, null clears,
 * lists replace); the merged record is validated as a whole.  `version` in the body (optional)
 * enables optimistic concurrency (OP_CONFLICT).  Touching a field group the actor may not see is
 * an audited refusal.  Citizens may not change national_id, birth_date or the names
 * (OP_VALIDATION naming the field).  Emits "person.updated" {person_id, changed} on a change. */
op_code person_update(ctx *c, const char *id, const json_t *patch, json_t **out);

struct person_query {
    const char *national_id; /* exact, via keyed hash */
    const char *name;        /* "family given" or either part, case-insensitive */
    const char *birth_date;  /* YYYY-MM-DD, optional filter with name */
    int limit;               /* 1..100 */
};
/* Only people the actor may see are returned (each audited as SEARCH). {"items":[...], "count":n}
 * Exactly one of national_id and name; limit 0 means 20.  A refused national-id match is audited
 * as a denied SEARCH and left out; name candidates the actor may not see are left out silently. */
op_code person_search(ctx *c, const struct person_query *q, json_t **out);

/* Job-seeker registration (구직신청).  Body: {"office": code|id, "counsellor_id"?, "registered_on"?,
 * "claim_report_date"?}.  due_date = claim_report_date + 7 days when a claim exists.
 * OP_DUPLICATE when an active or suspended registration exists.  Emits "registration.changed". */
op_code jobseeker_register(ctx *c, const char *person_id, const json_t *in, json_t **out);
op_code jobseeker_get(ctx *c, const char *person_id, json_t **out);
/* {"status"?, "status_reason"?, "counsellor_id"?, "version"?} with the allowed transitions
 * (active -> suspended|placed|closed, suspended -> active|placed|closed; placed and closed are
 * terminal).  A bad transition is OP_VALIDATION on field "status". */
op_code jobseeker_update(ctx *c, const char *person_id, const json_t *patch, json_t **out); /* out may be NULL */
/* For the employment-insurance module: attach a claim to the open registration and set
 * due_date = claim_report_date + 7 days.  OP_NOT_FOUND when there is no open registration. */
op_code jobseeker_set_claim(ctx *c, const char *person_id, const char *claim_id,
                            const char *claim_report_date);
/* due_date for a claim's report date ("" when the date is invalid); pure. */
void jobseeker_due_date(const char *claim_report_date, char out[11]);
bool jobseeker_transition_ok(const char *from, const char *to);

/* Put an account on a person's case team (gives that staff member access).  Supervisors (and the
 * system) only; account: an enabled counsellor, welfare officer or supervisor; role: lead |
 * member | counsellor | welfare_officer | specialist.  Re-adding reopens a past membership. */
op_code case_member_add(ctx *c, const char *person_id, const char *account_id, const char *role);

#endif
