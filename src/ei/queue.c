/* queue.c - the work lists of a job centre's benefit staff: recognition rounds due for evaluation,
 * and sanctions waiting for a supervisor's decision (proposed) or an appeal decision (appealed).
 *
 * A list shows the claims of the caller's office only - claims attached to an open job-seeker
 * registration there - and each item is personal data: every person on it is decided through
 * the access path and audited (purpose benefit_administration, as the rest of the module); one
 * the caller may not see is left out.  Oldest first; bounded by limit/offset. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "ei/ei.h"
#include "ei/ei_int.h"

/* The claim's open registration (its office) and the person (names for the list). */
#define QUEUE_JOIN                                                                                 \
    " JOIN jobseeker_registrations j ON j.claim_id = c.id AND j.status IN ('active','suspended')"   \
    " JOIN persons p ON p.id = c.person_id"

static op_code item_visible(ctx *c, const char *claim_id, const char *person, bool *visible) {
    access_decision d;
    op_code rc = access_decide(c, PD_READ, "ei_claim", person, &d);
    if (rc) return rc;
    *visible = d.allow;
    return d.allow ? access_audit(c, PD_READ, "ei_claim", claim_id, person, &d) : OP_OK;
}

op_code ei_queue(ctx *c, const char *kind, int limit, int offset, json_t **out) {
    *out = NULL;
    if (c->who.type != ACTOR_STAFF || !c->who.office_id[0])
        return op_fail(&c->err, OP_FORBIDDEN, NULL, "work lists are for staff of a job centre");
    bool rounds = strcmp(kind, "rounds") == 0;
    if (!rounds && strcmp(kind, "sanctions") != 0) return op_fail(&c->err, OP_NOT_FOUND, NULL, "no work list \"%s\"", kind);
    char today[11];
    date_format(date_today(), today);
    static const char *const ROUNDS =
        "SELECT c.id, c.person_id, p.family_name, p.given_name, r.round, r.recognition_date, r.status"
        " FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id" QUEUE_JOIN
        " WHERE j.office_id = ? AND c.status IN ('active','suspended') AND r.status = 'scheduled'"
        " AND r.recognition_date <= ? ORDER BY r.recognition_date, c.id, r.round LIMIT ? OFFSET ?";
    static const char *const SANCTIONS =
        "SELECT c.id, c.person_id, p.family_name, p.given_name, s.id, s.type, s.day, s.status, s.blocked_days,"
        " s.proposed_by FROM ei_sanctions s JOIN ei_claims c ON c.id = s.claim_id" QUEUE_JOIN
        " WHERE j.office_id = ? AND s.status IN ('proposed','appealed') ORDER BY s.updated_at, s.id LIMIT ? OFFSET ?";
    store_stmt *st = store_prepare(c->db, rounds ? ROUNDS : SANCTIONS, &c->err);
    if (!st) return c->err.code;
    int k = 1;
    store_bind_text(st, k++, c->who.office_id);
    if (rounds) store_bind_text(st, k++, today);
    store_bind_int(st, k++, limit);
    store_bind_int(st, k++, offset);
    struct row {
        char claim[ID_LEN], person[ID_LEN];
        json_t *item;
    } *rows = arena_alloc(c->a, sizeof *rows * (size_t)limit);
    int n = 0, r;
    while (n < limit && (r = store_step(st, &c->err)) == STORE_ROW) {
        snprintf(rows[n].claim, ID_LEN, "%s", store_col_text(st, 0));
        snprintf(rows[n].person, ID_LEN, "%s", store_col_text(st, 1));
        json_t *it = json_pack("{s:s, s:s, s:o, s:o}", "claim_id", rows[n].claim, "person_id", rows[n].person,
                               "family_name", ei_sn(st, 2), "given_name", ei_sn(st, 3));
        if (rounds) {
            json_object_set_new(it, "round", json_integer(store_col_int(st, 4)));
            json_object_set_new(it, "recognition_date", ei_sn(st, 5));
            json_object_set_new(it, "status", ei_sn(st, 6));
        } else {
            json_object_set_new(it, "sanction_id", ei_sn(st, 4));
            json_object_set_new(it, "type", ei_sn(st, 5));
            json_object_set_new(it, "date", ei_sn(st, 6));
            json_object_set_new(it, "status", ei_sn(st, 7));
            json_object_set_new(it, "blocked_days", json_integer(store_col_int(st, 8)));
            json_object_set_new(it, "proposed_by_me", json_boolean(strcmp(store_col_text(st, 9), c->who.id) == 0));
        }
        rows[n++].item = it;
    }
    store_reset(st);
    if (c->err.code) {
        for (int i = 0; i < n; i++) json_decref(rows[i].item);
        return c->err.code;
    }
    json_t *items = json_array();
    op_code rc = OP_OK;
    for (int i = 0; i < n; i++) {
        bool visible = false;
        if (!rc) rc = item_visible(c, rows[i].claim, rows[i].person, &visible);
        if (!rc && visible) json_array_append(items, rows[i].item);
        json_decref(rows[i].item);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:s, s:o, s:i, s:i}", "kind", kind, "items", items, "limit", limit, "offset", offset);
    return OP_OK;
}
