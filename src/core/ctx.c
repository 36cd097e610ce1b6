/* ctx.c - role names and system contexts. */
#include "core/ctx.h"

#include "audit/audit.h"
#include "base/log.h"

#include <stdio.h>
#include <string.h>

static const char *role_names[] = {
#define X(name, str) str,
    ROLE_LIST(X)
#undef X
};

const char *role_name(unsigned role) {
    for (int i = 0; i < ROLE__COUNT; i++)
        if (role == (1u << i)) return role_names[i];
    return NULL;
}

unsigned role_parse(const char *s) {
    if (!s) return 0;
    for (int i = 0; i < ROLE__COUNT; i++)
        if (strcmp(s, role_names[i]) == 0) return 1u << i;
    return 0;
}

const char *actor_type_name(enum actor_type t) {
    switch (t) {
    case ACTOR_CITIZEN: return "citizen";
    case ACTOR_EMPLOYER: return "employer";
    case ACTOR_STAFF: return "staff";
    case ACTOR_PARTNER: return "partner";
    case ACTOR_SYSTEM: return "system";
    default: return "anonymous";
    }
}

bool ctx_init_system(ctx *c, const char *name, const char *purpose, op_err *e) {
    memset(c, 0, sizeof *c);
    c->db = store_thread(e);
    if (!c->db) return false;
    c->a = arena_new(16384);
    c->who.type = ACTOR_SYSTEM;
    snprintf(c->who.id, sizeof c->who.id, "system:%s", name);
    c->purpose = purpose;
    char id[ID_LEN];
    id_uuid7(id);
    snprintf(c->correlation_id, sizeof c->correlation_id, "%s", id);
    return true;
}

void ctx_release(ctx *c) {
    if (c->db && store_in_tx(c->db)) store_rollback(c->db);
    /* Read and refusal audit records still queued (CLI commands, worker jobs) are written before
     * the context goes: an access is never left unrecorded.  (HTTP requests submit them in the
     * dispatcher and answer only once they are durable.) */
    if (c->audit_wait || c->audit_flush) {
        audit_ticket *t = audit_submit(c);
        if (t && !audit_ticket_wait(t)) log_error("could not record %s's accesses in the audit log", c->who.id);
    }
    arena_free(c->a);
    c->a = NULL;
}

void ctx_begin_system(const ctx *c, const char *name, const char *purpose, ctx *sys) {
    *sys = *c;
    memset(&sys->who, 0, sizeof sys->who);
    sys->who.type = ACTOR_SYSTEM;
    snprintf(sys->who.id, sizeof sys->who.id, "system:%s", name);
    sys->purpose = purpose;
}

void ctx_end_system(ctx *c, const ctx *sys) {
    c->audit_wait = sys->audit_wait;
    c->audit_flush |= sys->audit_flush;
    c->err = sys->err;
}
