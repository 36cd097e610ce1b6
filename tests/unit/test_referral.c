/* test_referral.c - the referral state machine (src/referral/referral_sm.c): every allowed move
 * with its side and outcome rule, a sample of refused ones, terminal states, hints. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/jsonx.h"
#include "referral/referral.h"

#define S REF_SENDER
#define R REF_RECEIVER
#define BOTH (REF_SENDER | REF_RECEIVER)

/* The allowed moves, written out independently of the table: from, to, side, outcome needed. */
static const struct {
    const char *from, *to;
    unsigned side;
    bool outcome;
} ALLOWED[] = {
    {"sent", "received", R, false},       {"sent", "withdrawn", S, false},
    {"received", "accepted", R, false},   {"received", "rejected", R, true},
    {"received", "withdrawn", S, false},  {"accepted", "in_progress", R, false},
    {"accepted", "closed", R, true},      {"in_progress", "completed", R, true},
    {"in_progress", "closed", R, true},
};
#define NALLOWED (sizeof ALLOWED / sizeof ALLOWED[0])

static bool listed(const char *from, const char *to) {
    for (size_t i = 0; i < NALLOWED; i++)
        if (strcmp(ALLOWED[i].from, from) == 0 && strcmp(ALLOWED[i].to, to) == 0) return true;
    return false;
}

Test(referral_sm, every_allowed_move_by_its_side_only) {
    for (size_t i = 0; i < NALLOWED; i++) {
        const char *from = ALLOWED[i].from, *to = ALLOWED[i].to;
        const char *oc = ALLOWED[i].outcome ? referral_outcomes(to)[0] : NULL;
        cr_assert_eq(referral_check(from, to, ALLOWED[i].side, oc), REF_OK, "%s -> %s", from, to);
        cr_assert_eq(referral_check(from, to, BOTH, oc), REF_OK, "%s -> %s (both sides)", from, to);
        unsigned other = ALLOWED[i].side == S ? R : S;
        cr_assert_eq(referral_check(from, to, other, oc), REF_WRONG_SIDE, "%s -> %s by the other side", from, to);
        cr_assert_eq(referral_check(from, to, 0, oc), REF_WRONG_SIDE, "%s -> %s by nobody", from, to);
    }
}

Test(referral_sm, the_table_allows_nothing_else) {
    /* every pair of known states that is not listed above is illegal, whatever the side */
    const char *const *st = referral_states();
    int pairs = 0;
    for (int i = 0; st[i]; i++)
        for (int j = 0; st[j]; j++) {
            if (listed(st[i], st[j])) continue;
            const char *oc = referral_outcomes(st[j]) ? referral_outcomes(st[j])[0] : NULL;
            cr_assert_eq(referral_check(st[i], st[j], BOTH, oc), REF_ILLEGAL, "%s -> %s", st[i], st[j]);
            pairs++;
        }
    cr_assert_eq(pairs, 8 * 8 - (int)NALLOWED);
}

Test(referral_sm, sample_of_refused_moves) {
    cr_assert_eq(referral_check("sent", "accepted", BOTH, NULL), REF_ILLEGAL); /* must be received first */
    cr_assert_eq(referral_check("sent", "completed", BOTH, "employed"), REF_ILLEGAL);
    cr_assert_eq(referral_check("accepted", "withdrawn", BOTH, NULL), REF_ILLEGAL); /* too late to withdraw */
    cr_assert_eq(referral_check("completed", "in_progress", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("withdrawn", "sent", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("received", "received", BOTH, NULL), REF_ILLEGAL);
    cr_assert_eq(referral_check("sent", "archived", BOTH, NULL), REF_UNKNOWN_STATE);
    cr_assert_eq(referral_check("sent", NULL, BOTH, NULL), REF_UNKNOWN_STATE);
    cr_assert_eq(referral_check("bogus", "received", BOTH, NULL), REF_ILLEGAL);
}

Test(referral_sm, outcome_rules) {
    /* required on rejected, completed and closed; one of the state's codes; refused elsewhere */
    cr_assert_eq(referral_check("received", "rejected", R, NULL), REF_OUTCOME_MISSING);
    cr_assert_eq(referral_check("received", "rejected", R, "employed"), REF_OUTCOME_UNKNOWN);
    cr_assert_eq(referral_check("received", "rejected", R, "not_eligible"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "completed", R, NULL), REF_OUTCOME_MISSING);
    cr_assert_eq(referral_check("in_progress", "completed", R, "employed"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "closed", R, "no_contact"), REF_OK);
    cr_assert_eq(referral_check("in_progress", "closed", R, "not_eligible"), REF_OUTCOME_UNKNOWN);
    cr_assert_eq(referral_check("sent", "received", R, "employed"), REF_OUTCOME_NOT_TAKEN);
    cr_assert_eq(referral_check("sent", "withdrawn", S, "other"), REF_OUTCOME_NOT_TAKEN);
    cr_assert_null(referral_outcomes("accepted"));
    cr_assert_not_null(referral_outcomes("closed"));
}

Test(referral_sm, terminal_states_and_hints) {
    const char *const terminal[] = {"rejected", "completed", "closed", "withdrawn", NULL};
    for (const char *const *t = terminal; *t; t++) {
        cr_assert(referral_state_terminal(*t), "%s", *t);
        char buf[64];
        cr_assert_str_empty(referral_next_text(*t, buf, sizeof buf));
        json_t *n = referral_next_json(*t);
        cr_assert_eq(json_array_size(n), 0);
        json_decref(n);
    }
    cr_assert_not(referral_state_terminal(REFERRAL_INITIAL));
    cr_assert(referral_state_terminal("no-such-state"));
    char buf[200];
    cr_assert_str_eq(referral_next_text("received", buf, sizeof buf),
                     "accepted (receiver), rejected (receiver), withdrawn (sender)");
    json_t *n = referral_next_json("sent");
    cr_assert_eq(json_array_size(n), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(n, 1), "by")), "sender");
    json_decref(n);
    char tiny[12]; /* a short buffer truncates, never overflows */
    cr_assert_leq(strlen(referral_next_text("received", tiny, sizeof tiny)), sizeof tiny - 1);
}

Test(referral_sm, types) {
    cr_assert(jx_in("welfare_assessment", referral_types()));
    cr_assert(jx_in("employment_support", referral_types()));
    cr_assert(jx_in("training", referral_types()));
    cr_assert(jx_in("other", referral_types()));
    cr_assert_not(jx_in("housing", referral_types()));
}
