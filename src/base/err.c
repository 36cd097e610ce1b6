/* err.c - tables generated from OP_ERRORS. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    int status;
    const char *code, *msg;
} table[] = {
#define X(name, status, code, msg) {status, code, msg},
    OP_ERRORS(X)
#undef X
};

int op_status(op_code c) { return c < OP__COUNT ? table[c].status : 500; }
const char *op_code_str(op_code c) { return c < OP__COUNT ? table[c].code : "internal.error"; }
const char *op_message(op_code c) { return c < OP__COUNT ? table[c].msg : "internal error"; }

void op_clear(op_err *e) {
    if (!e) return;
    e->code = OP_OK;
    e->detail[0] = e->hint[0] = e->field[0] = 0;
}

static op_code vfail(op_err *e, op_code c, const char *field, const char *hint, const char *fmt,
                     va_list ap) {
    if (!e) return c;
    e->code = c;
    if (fmt)
        vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    else
        e->detail[0] = 0;
    snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    return c;
}

op_code op_fail(op_err *e, op_code c, const char *hint, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(e, c, NULL, hint, fmt, ap);
    va_end(ap);
    return c;
}

op_code op_fail_field(op_err *e, op_code c, const char *field, const char *hint, const char *fmt,
                      ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(e, c, field, hint, fmt, ap);
    va_end(ap);
    return c;
}
