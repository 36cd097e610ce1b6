/* enroll.c - enrollment check (PRS.EMP.05 status verification; contracts/dci-ess.md
 * "Enrollment check"): POST /registry/sync/check-enrollment, /registry/sync/enrolled, /ess/...
 *
 * Programmes: JOBSEEKER (the job-seeker registration: active -> Active, suspended -> Suspended,
 * placed/closed -> Exited, none -> Inactive).  EI, NESP and TRAINING answer Inactive until those
 * modules publish their enrolment state (docs/DCI.md).  An unknown person is Inactive with
 * status_reason_message "person not found", never an error. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "dci/registry.h"
#include "domain/nid.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

static const char *cd_emp_03(const char *reg) {
    if (!reg) return "Inactive";
    if (strcmp(reg, "active") == 0) return "Active";
    if (strcmp(reg, "suspended") == 0) return "Suspended";
    return "Exited"; /* placed, closed */
}

/* The person id for (type, value), or NULL (not found / not a valid id). */
static op_code lookup(ctx *c, const char *type, const char *value, char pid[ID_LEN], bool *found) {
    *found = false;
    char nid[NID_MAX], hash[65];
    store_stmt *st;
    if (strcmp(type, "OPENPES") == 0) {
        st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE id = ?", "s", value);
    } else {
        op_err e = {0};
        if (nid_normalise(NULL, value, nid, &e)) return OP_OK;
        fieldcrypt_lookup_hash(nid, hash);
        memset(nid, 0, sizeof nid);
        st = store_query(c->db, &c->err, "SELECT id FROM persons WHERE nid_hash = ?", "s", hash);
    }
    if (!st) return c->err.code;
    snprintf(pid, ID_LEN, "%s", store_col_text(st, 0));
    store_reset(st);
    *found = true;
    return OP_OK;
}

static op_code reg_status(ctx *c, const char *pid, const char **status) {
    *status = NULL;
    store_stmt *st = store_query(c->db, &c->err,
                                 "SELECT status FROM jobseeker_registrations WHERE person_id = ? ORDER BY created_at DESC, id DESC", "s",
                                 pid);
    if (!st) return c->err.code;
    *status = arena_strdup(c->a, store_col_text(st, 0));
    store_reset(st);
    return OP_OK;
}

static const char *eq_of(const json_t *o) {
    const json_t *v = json_object_get(o, "eq");
    return json_string_value(v);
}

op_code dci_check_enrollment(struct dci_call *k) {
    ctx *c = k->c;
    const json_t *msg = k->env.message;
    const char *tid = json_string_value(json_object_get(msg, "transaction_id"));
    if (!tid) return dci_reply_err(k, "err.request.bad", "message.transaction_id is required");
    const json_t *crit = json_object_get(msg, "enrolled_criteria");
    json_t *list = json_is_array(crit) ? json_incref((json_t *)crit) : json_is_object(crit) ? json_pack("[O]", crit) : NULL;
    if (!list || json_array_size(list) == 0 || json_array_size(list) > 100) {
        json_decref(list);
        return dci_reply_err(k, "err.request.bad", "message.enrolled_criteria is required (an object or 1-100 objects)");
    }
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    json_t *out = json_array();
    op_code rc = OP_OK;
    size_t i;
    json_t *ec;
    json_array_foreach(list, i, ec) {
        const char *purpose = json_string_value(json_object_get(json_object_get(json_object_get(ec, "authorize"), "purpose"), "code"));
        struct dci_agreement ag;
        enum dci_agreement_result res;
        if ((rc = dci_agreement_find(c, c->who.id, purpose, &ag, &res))) break;
        access_decision d;
        if (res != DCI_AG_OK) {
            const char *why = res == DCI_AG_EXPIRED ? "the data-sharing agreement for this purpose is not in force"
                              : purpose ? arena_printf(c->a, "no data-sharing agreement covers purpose \"%s\"", purpose)
                                        : "no data-sharing agreement is in force";
            access_decide_partner(c, PD_READ, purpose, NULL, NULL, why, &d);
            if (!(rc = access_audit(c, PD_READ, "dci_request", tid, NULL, &d))) rc = dci_reply_http(k, 403, "err.request.forbidden", why);
            json_decref(out);
            json_decref(list);
            return rc;
        }
        access_decide_partner(c, PD_READ, ag.purpose, ag.id, ag.legal_basis, NULL, &d);
        const json_t *q = json_object_get(ec, "query");
        const json_t *pi = json_object_get(q, "person_identifier");
        const char *value = eq_of(pi);
        const char *type = json_string_value(json_object_get(pi, "type"));
        if (!type) type = "UIN";
        const char *prog = eq_of(json_object_get(q, "programme_identifier"));
        if (!prog) prog = "JOBSEEKER";
        const char *ref = json_string_value(json_object_get(ec, "reference_id"));
        static const char *const progs[] = {"JOBSEEKER", "EI", "NESP", "TRAINING", NULL};
        bool prog_ok = false;
        for (const char *const *p = progs; *p; p++) prog_ok |= strcmp(*p, prog) == 0;
        const char *qt = json_string_value(json_object_get(ec, "query_type"));
        if (!value || strlen(value) > 64 || (strcmp(type, "UIN") != 0 && strcmp(type, "OPENPES") != 0) || !prog_ok ||
            (qt && strcmp(qt, "idtype-value") != 0)) {
            /* enrolled_status is required on every item (IBR EnrolledResponse): Inactive, as for an unknown person */
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reference_id", ref ? ref : (value ? value : ""),
                                                 "timestamp", ts, "status", "rjct", "enrolled_status", "Inactive",
                                                 "status_reason_code", "rjct.search_criteria.invalid",
                                                 "status_reason_message",
                                                 "query.person_identifier.eq (UIN or OPENPES) and a programme_identifier.eq of "
                                                 "JOBSEEKER, EI, NESP or TRAINING are required"));
            continue;
        }
        if (!dci_agreement_allows_attr(&ag, type)) {
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reference_id", ref ? ref : value, "timestamp", ts,
                                                 "status", "rjct", "enrolled_status", "Inactive", "status_reason_code",
                                                 "rjct.search_criteria.invalid", "status_reason_message",
                                                 "the data-sharing agreement does not allow this identifier type"));
            continue;
        }
        char pid[ID_LEN];
        bool found;
        if ((rc = lookup(c, type, value, pid, &found))) break;
        json_t *item = json_pack("{s:s, s:s, s:s}", "reference_id", ref ? ref : value, "timestamp", ts, "status", "succ");
        if (!found) {
            json_object_set_new(item, "enrolled_status", json_string("Inactive"));
            json_object_set_new(item, "status_reason_message", json_string("person not found"));
        } else {
            const char *st = NULL;
            if (strcmp(prog, "JOBSEEKER") == 0 && (rc = reg_status(c, pid, &st))) {
                json_decref(item);
                break;
            }
            json_object_set_new(item, "enrolled_status", json_string(cd_emp_03(st)));
            if ((rc = access_audit(c, PD_READ, "jobseeker_registration", pid, pid, &d))) {
                json_decref(item);
                break;
            }
        }
        json_array_append_new(out, item);
    }
    json_decref(list);
    if (rc) {
        json_decref(out);
        return rc;
    }
    int64_t n = (int64_t)json_array_size(out), done = 0;
    size_t j;
    json_t *it;
    json_array_foreach(out, j, it) done += strcmp(json_string_value(json_object_get(it, "status")), "succ") == 0;
    json_t *m = json_pack("{s:s, s:s, s:o}", "transaction_id", tid, "correlation_id", c->correlation_id, "enrolled_response", out);
    return dci_reply_signed(k, "on-search", done > 0 || n == 0 ? "succ" : "rjct", n, done, m);
}
