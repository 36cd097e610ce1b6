/* query.h - DCI search queries over the ESS Member attributes (contracts/dci-ess.md "Search").
 *
 * Parses search_criteria (query_type idtype-value | predicate | expression, sort, pagination)
 * into a small tree that is evaluated in C against one person's attribute values.  Item-level
 * problems come back as a SearchStatusReasonCode (rjct.*) and a message, never as an ERR. */
#ifndef OPENPES_DCI_QUERY_H
#define OPENPES_DCI_QUERY_H
#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"

/* Queryable attributes, in the contract's order. */
enum dq_attr {
    DQ_EMPLOYMENT_STATUS,
    DQ_OCCUPATION,
    DQ_EDUCATION_LEVEL,
    DQ_REGISTRATION_DATE,
    DQ_BIRTH_DATE,
    DQ_SEX,
    DQ_REGION,
    DQ_BENEFIT_STATUS,
    DQ_LAST_UPDATED, /* sortable only */
    DQ_UIN,          /* subscription filters only: the person's keyed national-id hash */
    DQ_OPENPES,      /* subscription filters only: the person id */
    DQ_NATTR
};
const char *dq_attr_name(int attr);
int dq_attr_find(const char *name); /* -1 when unknown or not queryable */

enum dq_op { DQ_EQ, DQ_NE, DQ_GT, DQ_LT, DQ_GE, DQ_LE, DQ_IN, DQ_AND, DQ_OR, DQ_NOT };

struct dq_node {
    enum dq_op op;
    int attr;             /* leaves */
    const char **vals;    /* leaves: one value, or the list for DQ_IN */
    int nvals;
    struct dq_node **kids; /* DQ_AND / DQ_OR (n), DQ_NOT (1) */
    int nkids;
};

#define DQ_MAX_SORT 3
enum dq_kind { DQ_KIND_ID, DQ_KIND_TREE };
struct dq_query {
    enum dq_kind kind;
    const char *id_type; /* "UIN" or "OPENPES" */
    const char *id_value;
    struct dq_node *root;
    unsigned attrs_used; /* bit per dq_attr used by the filter */
    int sort_attr[DQ_MAX_SORT];
    bool sort_desc[DQ_MAX_SORT];
    int nsort;
    int64_t page_size, page_number;
    bool paged;      /* pagination given */
    const char *purpose; /* authorize.purpose.code, or NULL */
};

/* Parse one search_criteria object.  On failure returns false with *reason set to the
 * rjct.* code and msg filled. */
bool dq_parse(arena *a, const json_t *criteria, struct dq_query *q, const char **reason, char *msg,
              size_t msgn);
/* Parse a subscription filter (contracts/dci-ess.md "Subscriptions"): filter_type "predicate"
 * (the default) or "expression", as in a search.  Predicates may also name people with
 * attribute_name "UIN" or "OPENPES" and operator eq or in; UIN values must already be the keyed
 * lookup hashes (the caller replaces the numbers before parsing or storing, so no national id is
 * kept in clear).  Sort and pagination do not apply. */
bool dq_parse_filter(arena *a, const char *filter_type, const json_t *filter, struct dq_query *q, const char **reason,
                     char *msg, size_t msgn);
/* Evaluate against values indexed by dq_attr (NULL = absent). */
bool dq_eval(const struct dq_node *n, const char *const *vals);

#endif
