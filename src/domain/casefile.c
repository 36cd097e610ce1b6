/* casefile.c - a person's case team (case_members).  Membership is what gives a staff member of
 * another office, or a welfare officer, access to the person (privacy/access.c: "assigned"). */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "domain/person_int.h"

#define RTYPE "case_member"

static const char *const CASE_ROLES[] = {"lead", "member", "counsellor", "welfare_officer", "specialist", NULL};

op_code case_member_add(ctx *c, const char *person_id, const char *account_id, const char *role) {
    access_decision d;
    char ts[CLOCK_TS_LEN];
    bool outer;
    if (!person_id || !id_is_uuid(person_id)) return op_fail(&c->err, OP_NOT_FOUND, NULL, "the person does not exist");
    op_code rc = store_tx_begin(c->db, &c->err, &outer);
    if (rc) return rc;
    if ((rc = pd_decide(c, PD_UPDATE, RTYPE, account_id, person_id, 0, &d))) goto out;
    if (c->who.type != ACTOR_SYSTEM && !(c->who.type == ACTOR_STAFF && c->who.role == ROLE_SUPERVISOR)) {
        rc = pd_refuse(c, PD_UPDATE, RTYPE, account_id, person_id, &d, "only a supervisor may change a case team");
        goto out;
    }
    if (!role || !jx_in(role, CASE_ROLES)) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "role", "lead, member, counsellor, welfare_officer or specialist",
                           "field \"role\" has an unknown value");
        goto out;
    }
    const char *hint = "add a counsellor, welfare officer or supervisor account";
    if (!account_id || !id_is_uuid(account_id)) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "account_id", hint, "field \"account_id\" is not an account id");
        goto out;
    }
    store_stmt *st = store_query(c->db, &c->err, "SELECT kind, role, disabled FROM accounts WHERE id = ?", "s", account_id);
    if (!st) {
        rc = c->err.code ? c->err.code
                         : op_fail_field(&c->err, OP_VALIDATION, "account_id", hint, "no such staff account");
        goto out;
    }
    bool ok = strcmp(store_col_text(st, 0), "staff") == 0 && store_col_int(st, 2) == 0 && !store_col_null(st, 1) &&
              jx_in(store_col_text(st, 1), (const char *const[]){"counsellor", "welfare_officer", "supervisor", NULL});
    store_reset(st);
    if (!ok) {
        rc = op_fail_field(&c->err, OP_VALIDATION, "account_id", hint,
                           "the account is not an active counsellor, welfare officer or supervisor");
        goto out;
    }
    if ((rc = access_audit(c, PD_UPDATE, RTYPE, account_id, person_id, &d))) goto out;
    clock_now_ts(ts);
    /* Re-adding a former member reopens the membership. */
    rc = store_exec(c->db, &c->err, NULL,
                    "INSERT INTO case_members (person_id, account_id, role, since, until_ts) VALUES (?,?,?,?,NULL)"
                    " ON CONFLICT (person_id, account_id) DO UPDATE SET role = excluded.role,"
                    " since = CASE WHEN case_members.until_ts IS NULL THEN case_members.since ELSE excluded.since END,"
                    " until_ts = NULL",
                    "ssss", person_id, account_id, role, ts);
out:
    return store_tx_end(c->db, &c->err, outer, rc);
}
