/* policy.h - the policy calculators as used by the API (src/api/h_policy.c) and the CLI
 * (src/cli/cmd_policy.c).  Contract: /work/shared/contracts/policy-api.md; docs/POLICY.md.
 *
 * Each calculator takes the request JSON object and returns the response JSON object (a new
 * reference) or an op_code with op_err filled: OP_POLICY_NOT_FOUND for an unknown country or a
 * date outside the pack, OP_VALIDATION (field set) for missing or contradictory inputs,
 * OP_UNKNOWN_FIELD for fields the endpoint does not take, OP_INTERNAL for an invalid pack. */
#ifndef OPENPES_POLICY_H
#define OPENPES_POLICY_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "policy/pack.h"

typedef op_code (*pol_fn)(arena *a, const json_t *req, json_t **out, op_err *e);

typedef struct pol_endpoint {
    const char *name; /* CLI name: "ei-assess" */
    const char *path; /* API path: "/api/v1/policy/ei/assess" */
    const char *summary;
    pol_fn fn;
} pol_endpoint;

const pol_endpoint *pol_endpoints(void); /* terminated by {NULL} */
const pol_endpoint *pol_endpoint_by_name(const char *name);
const pol_endpoint *pol_endpoint_by_path(const char *path);

/* Run a calculator by CLI name. */
op_code pol_run(const char *name, arena *a, const json_t *req, json_t **out, op_err *e);
/* Parse a request body and run: exactly what the API does after its own body checks. */
op_code pol_run_text(const char *name, arena *a, const char *body, size_t len, json_t **out, op_err *e);

/* The recognition rules (POST /api/v1/policy/ei/recognition) on parsed facts, without a trace:
 * for the recognition batch, which stores the request and re-derives the trace when a round is
 * read (docs/DECISIONS.md 15).  acts is sorted in place; types outside the pack's lists do not
 * count.  date: the day the pack's parameters are taken on (the round's recognition day). */
typedef struct pol_activity {
    int64_t day;
    const char *type;
} pol_activity;
typedef struct pol_recognition {
    bool recognized;
    int64_t required, counted, required_js, counted_js;
} pol_recognition;
op_code pol_recognition_decide(arena *a, const char *country, int64_t round, const char *category, pol_activity *acts,
                               size_t n, int64_t date, pol_recognition *out, op_err *e);

/* The error envelope, identical to the HTTP dispatcher's:
 * {"error":{"code","message","detail","hint"[,"field"]}}. */
json_t *pol_error_json(const op_err *e);

#endif
