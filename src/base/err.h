/* err.h - the one error list of OpenPES.
 *
 * Every failure a caller can see is one row of OP_ERRORS: enum name, HTTP status, stable code
 * string (clients and tests match on it; never rename one) and the default message.  Messages
 * follow the PostgreSQL style guide: lowercase, no trailing period; the specifics go in `detail`
 * and the fix in `hint`.  Functions return op_code (OP_OK == 0) and fill an op_err. */
#ifndef OPENPES_ERR_H
#define OPENPES_ERR_H

#define OP_ERRORS(X)                                                                               \
    X(OK, 200, "ok", "ok")                                                                         \
    X(BAD_REQUEST, 400, "request.bad", "the request is malformed")                                 \
    X(BAD_JSON, 400, "request.malformed_json", "request body is not valid JSON")                   \
    X(BAD_QUERY, 400, "request.bad_query", "a query parameter is invalid")                         \
    X(BAD_MEDIA_TYPE, 415, "request.unsupported_media_type", "unsupported content type")           \
    X(TOO_LARGE, 413, "request.too_large", "the request is too large")                             \
    X(HEADER_TOO_LARGE, 431, "request.header_too_large", "request headers are too large")          \
    X(URI_TOO_LONG, 414, "request.uri_too_long", "the request URI is too long")                    \
    X(VALIDATION, 422, "validation.failed", "a field is missing or invalid")                       \
    X(UNKNOWN_FIELD, 422, "validation.unknown_field", "the request contains an unknown field")     \
    X(INVALID_NATIONAL_ID, 422, "validation.national_id", "the national id is not valid")          \
    X(UNAUTHENTICATED, 401, "auth.required", "authentication is required")                         \
    X(BAD_CREDENTIALS, 401, "auth.invalid_credentials", "the user name or password is wrong")      \
    X(TOKEN_INVALID, 401, "auth.token_invalid", "the access token is not valid")                   \
    X(TOKEN_EXPIRED, 401, "auth.token_expired", "the access token has expired")                    \
    X(CSRF, 403, "auth.csrf_failed", "the CSRF token is missing or wrong")                         \
    X(FORBIDDEN, 403, "access.denied", "you may not perform this action")                          \
    X(INSUFFICIENT_SCOPE, 403, "auth.insufficient_scope", "the token lacks the required scope")    \
    X(NOT_FOUND, 404, "resource.not_found", "the resource does not exist")                         \
    X(ROUTE_NOT_FOUND, 404, "route.not_found", "no such endpoint")                                 \
    X(METHOD_NOT_ALLOWED, 405, "route.method_not_allowed", "method not allowed on this endpoint")  \
    X(CONFLICT, 409, "resource.conflict", "the resource was changed by someone else")              \
    X(DUPLICATE, 409, "resource.duplicate", "the resource already exists")                         \
    X(IDEMPOTENCY_REUSED, 422, "request.idempotency_key_reused",                                   \
      "the idempotency key was used for a different request")                                      \
    X(POLICY_NOT_FOUND, 404, "policy.not_found", "no policy pack covers this country and date")    \
    X(RATE_LIMITED, 429, "request.rate_limited", "too many requests")                              \
    X(STORE, 500, "internal.store", "the database could not complete the operation")               \
    X(INTERNAL, 500, "internal.error", "an internal error occurred")                               \
    X(UNAVAILABLE, 503, "service.unavailable", "the service is not ready")

typedef enum {
#define X(name, status, code, msg) OP_##name,
    OP_ERRORS(X)
#undef X
        OP__COUNT
} op_code;

typedef struct op_err {
    op_code code;
    char detail[512];
    char hint[256];
    char field[96]; /* JSON path of the offending field, when there is one */
} op_err;

int op_status(op_code c);
const char *op_code_str(op_code c);
const char *op_message(op_code c);

/* Record an error and return its code: `return op_fail(e, OP_VALIDATION, hint, "fmt", ...)`.
 * e may be NULL.  hint may be NULL. */
op_code op_fail(op_err *e, op_code c, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
op_code op_fail_field(op_err *e, op_code c, const char *field, const char *hint, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
void op_clear(op_err *e);

#endif
