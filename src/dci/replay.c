/* replay.c - message-id replay protection: (sender_id, message_id) seen in the last 24 h
 * (contracts/dci-ess.md "Envelope rules"; see partner.h). */
#include <string.h>

#include "base/clock.h"
#include "base/id.h"
#include "dci/partner.h"

static op_code record(ctx *c, const char *sender_id, const char *message_id) {
    char now[CLOCK_TS_LEN], cutoff[CLOCK_TS_LEN];
    int64_t us = clock_now_us();
    clock_format_ts(us, now);
    clock_format_ts(us - 86400LL * 1000000, cutoff);
    int64_t n = 0;
    op_code rc = store_exec(c->db, &c->err, &n,
                            "INSERT INTO dci_seen_messages (sender_id, message_id, seen_at) VALUES (?,?,?)"
                            " ON CONFLICT (sender_id, message_id) DO NOTHING",
                            "sss", sender_id, message_id, now);
    if (rc) return rc;
    if (n == 0) {
        rc = store_exec(c->db, &c->err, &n,
                        "UPDATE dci_seen_messages SET seen_at = ? WHERE sender_id = ? AND message_id = ? AND seen_at < ?", "ssss",
                        now, sender_id, message_id, cutoff);
        if (rc) return rc;
        if (n == 0)
            return op_fail(&c->err, OP_DUPLICATE, NULL, "message_id \"%s\" was already received from this sender in the last 24 h",
                           message_id);
    }
    /* housekeeping: now and then drop ids older than the window */
    unsigned char b;
    id_random(&b, 1);
    if (b == 0) store_exec(c->db, &c->err, NULL, "DELETE FROM dci_seen_messages WHERE seen_at < ?", "s", cutoff);
    return OP_OK;
}

/* The record is its own write transaction (unless the caller has one), so that it is durable
 * before the answer: an HTTP request's answer waits for the group sync of its writes
 * (docs/DECISIONS.md 10).  As an autocommit statement it was durable only at the next sync, and a
 * power loss could have let a replay through. */
op_code dci_replay_check(ctx *c, const char *sender_id, const char *message_id) {
    if (store_in_tx(c->db)) return record(c, sender_id, message_id);
    op_code rc = store_begin(c->db, &c->err);
    if (rc) return rc;
    if ((rc = record(c, sender_id, message_id))) {
        store_rollback(c->db);
        return rc;
    }
    return store_commit(c->db, &c->err);
}
