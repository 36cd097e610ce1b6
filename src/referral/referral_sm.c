/* referral_sm.c - the referral state machine as one table (referral.h; docs/REFERRALS.md).
 *
 *     sent        -> received (receiver) | withdrawn (sender)
 *     received    -> accepted | rejected* (receiver) | withdrawn (sender)
 *     accepted    -> in_progress | closed* (receiver)
 *     in_progress -> completed* | closed* (receiver)
 *     rejected, completed, closed, withdrawn: terminal
 *     (* an outcome code is required: the target state's list)
 *
 * Adding a state or a move is adding a row or a `next` entry here; nothing else in the module
 * tests state names (the database stores the name and has no CHECK on it, so stage 5 can add
 * states without a table rebuild). */
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "referral/referral.h"

#define MAX_NEXT 4

struct move {
    const char *to;
    unsigned by; /* REF_SENDER / REF_RECEIVER */
};

struct state {
    const char *name;
    const char *const *outcomes; /* required outcome codes on entering; NULL = takes none */
    struct move next[MAX_NEXT];  /* {NULL} ends; none = terminal */
};

static const char *const REJECT_CODES[] = {"not_eligible", "outside_service_area", "insufficient_information",
                                           "no_capacity", "duplicate", "person_declined", "other", NULL};
static const char *const COMPLETE_CODES[] = {"employed", "training_started", "benefit_granted", "service_provided",
                                             "goal_met", "other", NULL};
static const char *const CLOSE_CODES[] = {"person_declined", "no_contact", "moved_away", "no_longer_needed",
                                          "other", NULL};

static const struct state STATES[] = {
    {"sent", NULL, {{"received", REF_RECEIVER}, {"withdrawn", REF_SENDER}}},
    {"received", NULL, {{"accepted", REF_RECEIVER}, {"rejected", REF_RECEIVER}, {"withdrawn", REF_SENDER}}},
    {"accepted", NULL, {{"in_progress", REF_RECEIVER}, {"closed", REF_RECEIVER}}},
    {"in_progress", NULL, {{"completed", REF_RECEIVER}, {"closed", REF_RECEIVER}}},
    {"rejected", REJECT_CODES, {{0}}},
    {"completed", COMPLETE_CODES, {{0}}},
    {"closed", CLOSE_CODES, {{0}}},
    {"withdrawn", NULL, {{0}}},
};
#define NSTATES (sizeof STATES / sizeof STATES[0])

static const char *const STATE_NAMES[] = {"sent",   "received", "accepted", "in_progress", "rejected",
                                          "completed", "closed", "withdrawn", NULL};
_Static_assert(sizeof STATE_NAMES / sizeof STATE_NAMES[0] == NSTATES + 1, "STATE_NAMES lists every state");

static const char *const TYPES[] = {"welfare_assessment", "employment_support", "training", "other", NULL};

static const struct state *find(const char *name) {
    for (size_t i = 0; name && i < NSTATES; i++)
        if (strcmp(STATES[i].name, name) == 0) return &STATES[i];
    return NULL;
}

const char *const *referral_states(void) { return STATE_NAMES; }
const char *const *referral_types(void) { return TYPES; }
bool referral_state_known(const char *s) { return find(s) != NULL; }

bool referral_state_terminal(const char *s) {
    const struct state *st = find(s);
    return !st || !st->next[0].to;
}

const char *const *referral_outcomes(const char *state) {
    const struct state *st = find(state);
    return st ? st->outcomes : NULL;
}

static const char *side_name(unsigned by) { return by == REF_SENDER ? "sender" : "receiver"; }

const char *referral_next_text(const char *from, char *buf, size_t n) {
    const struct state *st = find(from);
    size_t j = 0;
    buf[0] = 0;
    for (int i = 0; st && i < MAX_NEXT && st->next[i].to && j < n; i++) {
        int w = snprintf(buf + j, n - j, "%s%s (%s)", i ? ", " : "", st->next[i].to, side_name(st->next[i].by));
        if (w < 0) break;
        j += (size_t)w;
    }
    return buf;
}

json_t *referral_next_json(const char *from) {
    const struct state *st = find(from);
    json_t *a = json_array();
    for (int i = 0; st && i < MAX_NEXT && st->next[i].to; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "to", st->next[i].to, "by", side_name(st->next[i].by)));
    return a;
}

enum referral_check referral_check(const char *from, const char *to, unsigned sides, const char *outcome) {
    const struct state *target = find(to), *cur = find(from);
    if (!target) return REF_UNKNOWN_STATE;
    const struct move *m = NULL;
    for (int i = 0; cur && i < MAX_NEXT && cur->next[i].to; i++)
        if (strcmp(cur->next[i].to, to) == 0) m = &cur->next[i];
    if (!m) return REF_ILLEGAL;
    if (!(m->by & sides)) return REF_WRONG_SIDE;
    if (!target->outcomes) return outcome ? REF_OUTCOME_NOT_TAKEN : REF_OK;
    if (!outcome) return REF_OUTCOME_MISSING;
    return jx_in(outcome, target->outcomes) ? REF_OK : REF_OUTCOME_UNKNOWN;
}
