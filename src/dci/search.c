/* search.c - sync search over the ESS Member records (contracts/dci-ess.md "Search").
 *
 * Per item: parse the criteria (query.h), check the attributes against the partner's agreement,
 * find the people (UIN by keyed hash, OPENPES by id, predicate/expression by evaluating every
 * person: adequate for the first release, an index-backed plan is later work), sort, page,
 * render Member records minimised to the agreement, audit one SEARCH per person returned. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "dci/member.h"
#include "dci/registry.h"
#include "domain/nid.h"
#include "privacy/access.h"
#include "sec/fieldcrypt.h"

#define SCAN_MAX 200000

struct hit {
    struct dci_member_row row;
    const char *vals[DQ_NATTR];
};

static const struct dq_query *sort_q;
static int cmp_hits(const void *x, const void *y) {
    const struct hit *a = x, *b = y;
    for (int i = 0; i < sort_q->nsort; i++) {
        const char *u = a->vals[sort_q->sort_attr[i]], *v = b->vals[sort_q->sort_attr[i]];
        int c = !u ? (v ? -1 : 0) : !v ? 1 : strcmp(u, v);
        if (c) return sort_q->sort_desc[i] ? -c : c;
    }
    return strcmp(a->row.id, b->row.id);
}

/* Collect matching people into *hits (arena array). */
static op_code find(ctx *c, const struct dq_query *q, struct hit **hits, size_t *n) {
    const char *sql;
    const char *arg = NULL;
    char nid[NID_MAX], hash[65];
    if (q->kind == DQ_KIND_ID && strcmp(q->id_type, "UIN") == 0) {
        op_err e = {0};
        if (nid_normalise(NULL, q->id_value, nid, &e)) {
            *n = 0;
            return OP_OK;
        }
        fieldcrypt_lookup_hash(nid, hash);
        memset(nid, 0, sizeof nid);
        sql = arena_printf(c->a, "%s WHERE p.nid_hash = ?", DCI_MEMBER_SELECT);
        arg = hash;
    } else if (q->kind == DQ_KIND_ID) {
        sql = arena_printf(c->a, "%s WHERE p.id = ?", DCI_MEMBER_SELECT);
        arg = q->id_value;
    } else {
        sql = arena_printf(c->a, "%s ORDER BY p.id", DCI_MEMBER_SELECT);
    }
    store_stmt *st = store_prepare(c->db, sql, &c->err);
    if (!st) return c->err.code;
    if (arg) store_bind_text(st, 1, arg);
    size_t cap = 16, cnt = 0, scanned = 0;
    struct hit *h = malloc(cap * sizeof *h);
    int r;
    while ((r = store_step(st, &c->err)) == STORE_ROW && scanned++ < SCAN_MAX) {
        struct hit x;
        memset(&x, 0, sizeof x);
        dci_member_read(c->a, st, &x.row);
        dci_member_values(c->a, &x.row, x.vals);
        if (q->kind == DQ_KIND_TREE && !dq_eval(q->root, x.vals)) continue;
        if (cnt == cap) h = realloc(h, (cap *= 2) * sizeof *h);
        h[cnt++] = x;
    }
    store_reset(st);
    if (r == STORE_ERROR) {
        free(h);
        return c->err.code;
    }
    if (q->nsort || cnt > 1) {
        /* qsort has no context argument: the comparator's query is guarded by a lock */
        static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&mu);
        sort_q = q;
        qsort(h, cnt, sizeof *h, cmp_hits);
        pthread_mutex_unlock(&mu);
    }
    *hits = arena_alloc(c->a, (cnt ? cnt : 1) * sizeof **hits);
    memcpy(*hits, h, cnt * sizeof *h);
    free(h);
    *n = cnt;
    return OP_OK;
}

static json_t *rjct(const char *ref, const char *ts, const char *code, const char *msg) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "reference_id", ref ? ref : "", "timestamp", ts, "status", "rjct",
                     "status_reason_code", code, "status_reason_message", msg);
}

/* One record for the request itself (person-less), besides one per person returned. */
static op_code audit_request(ctx *c, const json_t *msg, const access_decision *d) {
    const char *tid = json_string_value(json_object_get(msg, "transaction_id"));
    return access_audit(c, PD_SEARCH, "dci_request", tid ? tid : "-", NULL, d);
}

op_code dci_items_check(ctx *c, const json_t *msg, const char *list, const char *criteria, size_t max_items,
                        struct dci_agreement **agsp, const char **refusal, const char **bad) {
    const json_t *items = json_object_get(msg, list);
    *refusal = *bad = NULL;
    *agsp = NULL;
    if (!json_string_value(json_object_get(msg, "transaction_id"))) {
        *bad = "message.transaction_id is required";
        return OP_OK;
    }
    size_t n = json_array_size(items);
    if (!json_is_array(items) || n == 0 || n > max_items) {
        *bad = arena_printf(c->a, "%s must hold 1-%zu items", list, max_items);
        return OP_OK;
    }
    /* Purposes first: a purpose outside the agreement refuses the whole request (403). */
    struct dci_agreement *ags = arena_alloc(c->a, n * sizeof *ags);
    for (size_t i = 0; i < n; i++) {
        const json_t *sc = json_object_get(json_array_get(items, i), criteria);
        const char *purpose = json_string_value(json_object_get(json_object_get(json_object_get(sc, "authorize"), "purpose"), "code"));
        const json_t *prev = i ? json_object_get(json_array_get(items, i - 1), criteria) : NULL;
        const char *prev_purpose = json_string_value(json_object_get(json_object_get(json_object_get(prev, "authorize"), "purpose"), "code"));
        if (i && (purpose == prev_purpose || (purpose && prev_purpose && strcmp(purpose, prev_purpose) == 0))) {
            ags[i] = ags[i - 1]; /* batches: one look-up per run of the same purpose */
            continue;
        }
        enum dci_agreement_result res;
        op_code rc = dci_agreement_find(c, c->who.id, purpose, &ags[i], &res);
        if (rc) return rc;
        if (res != DCI_AG_OK) {
            const char *why = res == DCI_AG_EXPIRED ? "the data-sharing agreement for this purpose is not in force"
                              : purpose ? arena_printf(c->a, "no data-sharing agreement covers purpose \"%s\"", purpose)
                                        : "no data-sharing agreement is in force";
            access_decision d;
            access_decide_partner(c, PD_SEARCH, purpose, NULL, NULL, why, &d);
            *refusal = why;
            return audit_request(c, msg, &d);
        }
    }
    *agsp = ags;
    return OP_OK;
}

op_code dci_search_check(ctx *c, const json_t *msg, size_t max_items, struct dci_agreement **agsp, const char **refusal,
                         const char **bad) {
    return dci_items_check(c, msg, "search_request", "search_criteria", max_items, agsp, refusal, bad);
}

/* One result object for an item: the records [from, to) of hits, minimised and audited. */
static op_code item_page(ctx *c, const json_t *it, const char *ref, const char *ts, const struct dci_agreement *ag,
                         const struct hit *hits, size_t nh, int64_t page_size, int64_t page_number, json_t **res) {
    int64_t from = (page_number - 1) * page_size;
    json_t *recs = json_array();
    access_decision d;
    access_decide_partner(c, PD_SEARCH, ag->purpose, ag->id, ag->legal_basis, NULL, &d);
    for (int64_t j = from; j < (int64_t)nh && j < from + page_size; j++) {
        const struct dci_member_row *r = &hits[j].row;
        json_array_append_new(recs, dci_member_render(c, r, ag));
        op_code rc = access_audit(c, PD_SEARCH, "person", r->id, r->id, &d);
        if (rc) {
            json_decref(recs);
            return rc;
        }
    }
    *res = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:o}, s:{s:I, s:I, s:I}}", "reference_id", ref, "timestamp", ts, "status",
                     "succ", "data", "version", "1.0.0", "reg_type", "ns:org:RegistryType:ESS", "reg_record_type", "Member",
                     "reg_records", recs, "pagination", "page_size", (json_int_t)page_size, "page_number", (json_int_t)page_number,
                     "total_count", (json_int_t)nh);
    const char *loc = json_string_value(json_object_get(it, "locale"));
    if (loc) json_object_set_new(*res, "locale", json_string(loc));
    return OP_OK;
}

/* Message k of a result: the k-th page of every item that has one. */
static json_t *assemble(ctx *c, const char *tid, const json_t *per_item, size_t k) {
    json_t *out = json_array();
    size_t i;
    json_t *pages;
    json_array_foreach(per_item, i, pages) {
        json_t *p = json_array_get(pages, k);
        if (p) json_array_append(out, p);
    }
    return json_pack("{s:s, s:s, s:o}", "transaction_id", tid, "correlation_id", c->correlation_id, "search_response", out);
}

op_code dci_search_exec(ctx *c, const json_t *msg, const struct dci_agreement *ags, int64_t async_page, json_t **messages) {
    const json_t *items = json_object_get(msg, "search_request");
    const char *tid = json_string_value(json_object_get(msg, "transaction_id"));
    size_t n = json_array_size(items);
    char ts[CLOCK_TS_LEN];
    clock_now_ts(ts);
    json_t *out = json_array(); /* per item: its page objects */
    for (size_t i = 0; i < n; i++) {
        const json_t *it = json_array_get(items, i);
        const char *ref = json_string_value(json_object_get(it, "reference_id"));
        if (!ref) {
            json_array_append_new(out, json_pack("[o]", rjct(NULL, ts, "rjct.reference_id.invalid", "reference_id is required")));
            continue;
        }
        /* a line of a batch file that could not be read (batchfile.c) */
        const json_t *le = json_object_get(it, DCI_LINE_ERROR);
        if (le) {
            json_array_append_new(out, json_pack("[o]", rjct(ref, ts, json_string_value(json_object_get(le, "code")),
                                                             json_string_value(json_object_get(le, "message")))));
            continue;
        }
        struct dq_query q;
        const char *reason;
        char why[200];
        if (!dq_parse(c->a, json_object_get(it, "search_criteria"), &q, &reason, why, sizeof why)) {
            json_array_append_new(out, json_pack("[o]", rjct(ref, ts, reason, why)));
            continue;
        }
        const struct dci_agreement *ag = &ags[i];
        const char *denied = NULL;
        if (q.kind == DQ_KIND_ID && !dci_agreement_allows_attr(ag, q.id_type)) denied = q.id_type;
        for (int a = 0; a < DQ_NATTR && !denied; a++)
            if ((q.attrs_used & (1u << a)) && !dci_agreement_allows_attr(ag, dq_attr_name(a))) denied = dq_attr_name(a);
        if (denied) {
            json_array_append_new(out, json_pack("[o]", rjct(ref, ts, "rjct.search_criteria.invalid",
                                                             arena_printf(c->a, "the data-sharing agreement does not allow querying by \"%s\"", denied))));
            continue;
        }
        struct hit *hits = NULL;
        size_t nh = 0;
        op_code rc = find(c, &q, &hits, &nh);
        if (rc) {
            json_decref(out);
            return rc;
        }
        json_t *pages = json_array();
        bool split = async_page > 0 && !q.paged && q.kind == DQ_KIND_TREE;
        int64_t psize = split ? async_page : q.page_size;
        int64_t first = split ? 1 : q.page_number, last = split ? (nh ? ((int64_t)nh + psize - 1) / psize : 1) : q.page_number;
        for (int64_t pg = first; pg <= last; pg++) {
            json_t *res;
            if ((rc = item_page(c, it, ref, ts, ag, hits, nh, psize, pg, &res))) {
                json_decref(pages);
                json_decref(out);
                return rc;
            }
            json_array_append_new(pages, res);
        }
        json_array_append_new(out, pages);
    }
    access_decision d;
    access_decide_partner(c, PD_SEARCH, ags[0].purpose, ags[0].id, ags[0].legal_basis, NULL, &d);
    op_code rc = audit_request(c, msg, &d);
    if (rc) {
        json_decref(out);
        return rc;
    }
    size_t npages = 1;
    size_t i;
    json_t *pages;
    json_array_foreach(out, i, pages) if (json_array_size(pages) > npages) npages = json_array_size(pages);
    *messages = json_array();
    for (size_t k = 0; k < npages; k++) json_array_append_new(*messages, assemble(c, tid, out, k));
    json_decref(out);
    return OP_OK;
}

void dci_search_counts(const json_t *message, int64_t *total, int64_t *completed) {
    const json_t *items = json_object_get(message, "search_response");
    *total = (int64_t)json_array_size(items);
    *completed = 0;
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) *completed += json_is_string(json_object_get(p, "status")) &&
                                                  strcmp(json_string_value(json_object_get(p, "status")), "succ") == 0;
}

op_code dci_sync_search(struct dci_call *k) {
    ctx *c = k->c;
    struct dci_agreement *ags;
    const char *refusal, *bad;
    op_code rc = dci_search_check(c, k->env.message, DCI_ITEMS_MAX, &ags, &refusal, &bad);
    if (rc) return rc;
    if (bad) return dci_reply_err(k, "err.request.bad", bad);
    if (refusal) return dci_reply_http(k, 403, "err.request.forbidden", refusal);
    json_t *msgs;
    if ((rc = dci_search_exec(c, k->env.message, ags, 0, &msgs))) return rc;
    int64_t n, done;
    json_t *m = json_incref(json_array_get(msgs, 0));
    json_decref(msgs);
    dci_search_counts(m, &n, &done);
    return dci_reply_signed(k, "on-search", done == 0 ? "rjct" : "succ", n, done, m);
}
