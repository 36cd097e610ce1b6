/* auth.c - placeholder until sessions land: every request is anonymous. */
#include "auth/auth.h"

#include <string.h>

int auth_session_ttl = 8 * 3600;
int auth_client_token_ttl = 3600;

op_code auth_authenticate(http_req *rq, actor *who, op_err *e) {
    (void)rq;
    (void)e;
    memset(who, 0, sizeof *who);
    return OP_OK;
}
