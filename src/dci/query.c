/* query.c - see query.h. */
#include "dci/query.h"

#include <stdio.h>
#include <string.h>

static const char *const attr_names[DQ_NATTR] = {
    "employment_status", "occupation", "education_level", "registration_date",
    "demographic_info.birth_date", "demographic_info.sex", "region", "benefit_status", "last_updated", "UIN", "OPENPES",
};

const char *dq_attr_name(int attr) { return attr >= 0 && attr < DQ_NATTR ? attr_names[attr] : "?"; }

int dq_attr_find(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < DQ_LAST_UPDATED; i++)
        if (strcmp(name, attr_names[i]) == 0) return i;
    /* Short forms used by some clients. */
    if (strcmp(name, "birth_date") == 0) return DQ_BIRTH_DATE;
    if (strcmp(name, "sex") == 0) return DQ_SEX;
    return -1;
}

struct pctx {
    arena *a;
    const char **reason;
    char *msg;
    size_t msgn;
    unsigned used;
    bool ids_ok; /* a subscription filter's predicate: "UIN" and "OPENPES" name people */
};

static bool fail(struct pctx *p, const char *reason, const char *fmt, const char *arg) {
    *p->reason = reason;
    snprintf(p->msg, p->msgn, fmt, arg ? arg : "");
    return false;
}

/* A scalar as text (strings as is; integers, reals and booleans formatted). */
static const char *scalar(arena *a, const json_t *v) {
    if (json_is_string(v)) return arena_strdup(a, json_string_value(v));
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_printf(a, "%.15g", json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    return NULL;
}

static struct dq_node *node(arena *a, enum dq_op op) {
    struct dq_node *n = arena_alloc(a, sizeof *n);
    memset(n, 0, sizeof *n);
    n->op = op;
    return n;
}

static struct dq_node *leaf(struct pctx *p, const char *attr, enum dq_op op, const json_t *val) {
    int at = dq_attr_find(attr);
    if (at < 0 && p->ids_ok && attr && (strcmp(attr, "UIN") == 0 || strcmp(attr, "OPENPES") == 0)) {
        at = attr[0] == 'U' ? DQ_UIN : DQ_OPENPES;
        if (op != DQ_EQ && op != DQ_IN) {
            fail(p, "rjct.filter.invalid", "\"%s\" takes operator eq or in", attr);
            return NULL;
        }
    }
    if (at < 0) {
        fail(p, "rjct.filter.invalid", "unknown attribute \"%s\"", attr ? attr : "(missing)");
        return NULL;
    }
    p->used |= 1u << at;
    struct dq_node *n = node(p->a, op);
    n->attr = at;
    if (op == DQ_IN) {
        if (!json_is_array(val) || json_array_size(val) == 0 || json_array_size(val) > 100) {
            fail(p, "rjct.filter.invalid", "operator in on \"%s\" needs a JSON array of 1-100 values", attr);
            return NULL;
        }
        n->nvals = (int)json_array_size(val);
        n->vals = arena_alloc(p->a, sizeof(char *) * (size_t)n->nvals);
        for (int i = 0; i < n->nvals; i++)
            if (!(n->vals[i] = scalar(p->a, json_array_get(val, (size_t)i)))) {
                fail(p, "rjct.filter.invalid", "values of \"%s\" must be scalars", attr);
                return NULL;
            }
        return n;
    }
    const char *s = scalar(p->a, val);
    if (!s) {
        fail(p, "rjct.filter.invalid", "the value of \"%s\" must be a string or number", attr);
        return NULL;
    }
    n->nvals = 1;
    n->vals = arena_alloc(p->a, sizeof(char *));
    n->vals[0] = s;
    return n;
}

static struct dq_node *combine(arena *a, enum dq_op op, struct dq_node *x, struct dq_node *y) {
    struct dq_node *n = node(a, op);
    n->nkids = y ? 2 : 1;
    n->kids = arena_alloc(a, sizeof(struct dq_node *) * 2);
    n->kids[0] = x;
    n->kids[1] = y;
    return n;
}

/* ---- predicate ---- */

static struct dq_node *pred_expr(struct pctx *p, const json_t *e) {
    static const char *const ops[] = {"eq", "gt", "lt", "ge", "le", "in", NULL};
    static const enum dq_op codes[] = {DQ_EQ, DQ_GT, DQ_LT, DQ_GE, DQ_LE, DQ_IN};
    if (!json_is_object(e)) {
        fail(p, "rjct.search_criteria.invalid", "expression1/expression2 must be objects%s", NULL);
        return NULL;
    }
    const char *name = json_string_value(json_object_get(e, "attribute_name"));
    const char *op = json_string_value(json_object_get(e, "operator"));
    int k = -1;
    for (int i = 0; op && ops[i]; i++)
        if (strcmp(op, ops[i]) == 0) k = i;
    if (k < 0) {
        fail(p, "rjct.filter.invalid", "unsupported operator \"%s\" (use eq gt lt ge le in)", op ? op : "(missing)");
        return NULL;
    }
    json_t *v = json_object_get(e, "attribute_value");
    /* A JSON array sent as a string (some clients) is accepted for "in". */
    json_t *parsed = NULL;
    if (codes[k] == DQ_IN && json_is_string(v)) {
        parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
        if (json_is_array(parsed)) v = parsed;
    }
    struct dq_node *n = leaf(p, name, codes[k], v);
    json_decref(parsed);
    return n;
}

static int cond_op(const char *c) {
    if (!c) return -1;
    if (strcmp(c, "and") == 0) return DQ_AND;
    if (strcmp(c, "or") == 0) return DQ_OR;
    if (strcmp(c, "not") == 0) return DQ_NOT;
    return -2;
}

/* Items in seq_num order.  Within an item: expression1 [condition expression2] ("not" means
 * "and not").  An item with a condition but no expression2 joins expression1 to what precedes it
 * with that condition; otherwise consecutive items are joined with "and". */
static struct dq_node *predicate(struct pctx *p, const json_t *list) {
    size_t n = json_array_size(list);
    if (!json_is_array(list) || n == 0 || n > 50) {
        fail(p, "rjct.search_criteria.invalid", "a predicate query is a list of 1-50 conditions%s", NULL);
        return NULL;
    }
    const json_t **items = arena_alloc(p->a, sizeof(json_t *) * n);
    for (size_t i = 0; i < n; i++) items[i] = json_array_get(list, i);
    for (size_t i = 1; i < n; i++) /* insertion sort by seq_num (stable) */
        for (size_t j = i; j > 0 && json_number_value(json_object_get(items[j - 1], "seq_num")) >
                                        json_number_value(json_object_get(items[j], "seq_num"));
             j--) {
            const json_t *t = items[j];
            items[j] = items[j - 1];
            items[j - 1] = t;
        }
    struct dq_node *acc = NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *it = items[i];
        if (!json_is_object(it)) {
            fail(p, "rjct.search_criteria.invalid", "each predicate item must be an object%s", NULL);
            return NULL;
        }
        struct dq_node *e1 = pred_expr(p, json_object_get(it, "expression1"));
        if (!e1) return NULL;
        int c = cond_op(json_string_value(json_object_get(it, "condition")));
        if (c == -2) {
            fail(p, "rjct.filter.invalid", "condition must be and, or or not%s", NULL);
            return NULL;
        }
        const json_t *x2 = json_object_get(it, "expression2");
        struct dq_node *cur = e1;
        if (x2 && !json_is_null(x2)) {
            struct dq_node *e2 = pred_expr(p, x2);
            if (!e2) return NULL;
            if (c == DQ_OR) cur = combine(p->a, DQ_OR, e1, e2);
            else if (c == DQ_NOT) cur = combine(p->a, DQ_AND, e1, combine(p->a, DQ_NOT, e2, NULL));
            else cur = combine(p->a, DQ_AND, e1, e2);
            acc = acc ? combine(p->a, DQ_AND, acc, cur) : cur;
        } else if (c == DQ_NOT) {
            cur = combine(p->a, DQ_NOT, e1, NULL);
            acc = acc ? combine(p->a, DQ_AND, acc, cur) : cur;
        } else if (c == DQ_OR && acc) {
            acc = combine(p->a, DQ_OR, acc, e1);
        } else {
            acc = acc ? combine(p->a, DQ_AND, acc, e1) : e1;
        }
    }
    return acc;
}

/* ---- expression (Mongo-like) ---- */

static struct dq_node *expr(struct pctx *p, const json_t *o, int depth);

static struct dq_node *expr_list(struct pctx *p, enum dq_op op, const json_t *arr, int depth) {
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 50) {
        fail(p, "rjct.filter.invalid", "$and/$or take an array of 1-50 expressions%s", NULL);
        return NULL;
    }
    struct dq_node *n = node(p->a, op);
    n->nkids = (int)json_array_size(arr);
    n->kids = arena_alloc(p->a, sizeof(struct dq_node *) * (size_t)n->nkids);
    for (int i = 0; i < n->nkids; i++)
        if (!(n->kids[i] = expr(p, json_array_get(arr, (size_t)i), depth + 1))) return NULL;
    return n;
}

static struct dq_node *attr_cond(struct pctx *p, const char *attr, const json_t *v) {
    if (!json_is_object(v)) return leaf(p, attr, DQ_EQ, v); /* {attr: value} means $eq */
    static const struct {
        const char *name;
        enum dq_op op;
    } ops[] = {{"$eq", DQ_EQ}, {"$ne", DQ_NE}, {"$lt", DQ_LT}, {"$le", DQ_LE}, {"$lte", DQ_LE}, {"$gt", DQ_GT},
               {"$ge", DQ_GE}, {"$gte", DQ_GE}, {"$in", DQ_IN}};
    struct dq_node *acc = NULL;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        int f = -1;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (strcmp(k, ops[i].name) == 0) f = (int)i;
        if (f < 0) {
            fail(p, "rjct.filter.invalid", "unsupported operator \"%s\"", k);
            return NULL;
        }
        struct dq_node *l = leaf(p, attr, ops[f].op, x);
        if (!l) return NULL;
        acc = acc ? combine(p->a, DQ_AND, acc, l) : l;
    }
    if (!acc) fail(p, "rjct.filter.invalid", "empty condition on \"%s\"", attr);
    return acc;
}

static struct dq_node *expr(struct pctx *p, const json_t *o, int depth) {
    if (depth > 16) {
        fail(p, "rjct.filter.invalid", "the expression is nested too deeply%s", NULL);
        return NULL;
    }
    if (!json_is_object(o) || json_object_size(o) == 0) {
        fail(p, "rjct.filter.invalid", "an expression must be a non-empty object%s", NULL);
        return NULL;
    }
    struct dq_node *acc = NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        struct dq_node *n;
        if (strcmp(k, "$and") == 0) n = expr_list(p, DQ_AND, v, depth);
        else if (strcmp(k, "$or") == 0) n = expr_list(p, DQ_OR, v, depth);
        else if (strcmp(k, "$not") == 0) {
            struct dq_node *x = expr(p, v, depth + 1);
            n = x ? combine(p->a, DQ_NOT, x, NULL) : NULL;
        } else if (k[0] == '$') {
            fail(p, "rjct.filter.invalid", "unsupported operator \"%s\"", k);
            return NULL;
        } else n = attr_cond(p, k, v);
        if (!n) return NULL;
        acc = acc ? combine(p->a, DQ_AND, acc, n) : n;
    }
    return acc;
}

static struct dq_node *expression(struct pctx *p, const json_t *q) {
    const char *type = json_string_value(json_object_get(q, "type"));
    if (type && strcmp(type, "ns:org:QueryType:expression") != 0)
        return fail(p, "rjct.search_criteria.invalid", "expression type \"%s\" is not supported", type), NULL;
    const json_t *val = json_object_get(q, "value");
    const json_t *e = json_object_get(val, "expression");
    if (!e) e = json_object_get(val, "query"); /* the social sample's layout */
    const char *coll = json_string_value(json_object_get(val, "collection"));
    if (coll && strcmp(coll, "Member") != 0)
        return fail(p, "rjct.search_criteria.invalid", "collection \"%s\" is not searchable (use Member)", coll), NULL;
    if (json_is_string(e)) {
        json_t *parsed = json_loads(json_string_value(e), 0, NULL);
        if (!parsed) return fail(p, "rjct.filter.invalid", "the expression string is not JSON%s", NULL), NULL;
        struct dq_node *n = expr(p, parsed, 0); /* leaf values are arena copies */
        json_decref(parsed);
        return n;
    }
    return expr(p, e, 0);
}

static bool sort_and_page(struct pctx *p, const json_t *c, struct dq_query *q) {
    const json_t *sort = json_object_get(c, "sort");
    if (sort && !json_is_null(sort)) {
        if (!json_is_array(sort) || json_array_size(sort) > DQ_MAX_SORT)
            return fail(p, "rjct.sort.invalid", "sort is a list of at most 3 {attribute_name, sort_order}%s", NULL);
        size_t i;
        json_t *s;
        json_array_foreach(sort, i, s) {
            const char *an = json_string_value(json_object_get(s, "attribute_name"));
            const char *so = json_string_value(json_object_get(s, "sort_order"));
            int at = -1;
            if (an && strcmp(an, "registration_date") == 0) at = DQ_REGISTRATION_DATE;
            else if (an && strcmp(an, "last_updated") == 0) at = DQ_LAST_UPDATED;
            else if (an && (strcmp(an, "demographic_info.birth_date") == 0 || strcmp(an, "birth_date") == 0)) at = DQ_BIRTH_DATE;
            if (at < 0) return fail(p, "rjct.sort.invalid", "cannot sort by \"%s\" (use registration_date, last_updated or demographic_info.birth_date)", an ? an : "(missing)");
            if (so && strcmp(so, "asc") != 0 && strcmp(so, "desc") != 0)
                return fail(p, "rjct.sort.invalid", "sort_order \"%s\" must be asc or desc", so);
            q->sort_attr[q->nsort] = at;
            q->sort_desc[q->nsort] = so && strcmp(so, "desc") == 0;
            q->nsort++;
        }
    }
    q->page_size = 20;
    q->page_number = 1;
    const json_t *pg = json_object_get(c, "pagination");
    if (pg && !json_is_null(pg)) {
        const json_t *ps = json_object_get(pg, "page_size"), *pn = json_object_get(pg, "page_number");
        if (!json_is_object(pg) || !json_is_integer(ps) || (pn && !json_is_integer(pn)))
            return fail(p, "rjct.pagination.invalid", "pagination needs an integer page_size and page_number%s", NULL);
        q->page_size = json_integer_value(ps);
        if (pn) q->page_number = json_integer_value(pn);
        if (q->page_size < 1 || q->page_size > 1000 || q->page_number < 1 || q->page_number > 1000000)
            return fail(p, "rjct.pagination.invalid", "page_size must be 1-1000 and page_number at least 1%s", NULL);
        q->paged = true;
    }
    return true;
}

bool dq_parse(arena *a, const json_t *c, struct dq_query *q, const char **reason, char *msg, size_t msgn) {
    struct pctx p = {a, reason, msg, msgn, 0, false};
    memset(q, 0, sizeof *q);
    *reason = NULL;
    msg[0] = 0;
    if (!json_is_object(c)) return fail(&p, "rjct.search_criteria.invalid", "search_criteria must be an object%s", NULL);
    const char *rt = json_string_value(json_object_get(c, "reg_type"));
    if (rt && strcmp(rt, "ns:org:RegistryType:ESS") != 0 && strcmp(rt, "ESS") != 0)
        return fail(&p, "rjct.search_criteria.invalid", "reg_type \"%s\" is not served here (ns:org:RegistryType:ESS)", rt);
    const char *rrt = json_string_value(json_object_get(c, "reg_record_type"));
    if (rrt && strcmp(rrt, "Member") != 0 && strcmp(rrt, "spdci:Member") != 0)
        return fail(&p, "rjct.search_criteria.invalid", "reg_record_type \"%s\" is not served here (Member)", rrt);
    const json_t *auth = json_object_get(c, "authorize");
    q->purpose = arena_strdup(a, json_string_value(json_object_get(json_object_get(auth, "purpose"), "code")));
    const char *qt = json_string_value(json_object_get(c, "query_type"));
    const json_t *query = json_object_get(c, "query");
    if (!qt) return fail(&p, "rjct.search_criteria.invalid", "query_type is required%s", NULL);
    if (!query) return fail(&p, "rjct.search_criteria.invalid", "query is required%s", NULL);
    if (strcmp(qt, "idtype-value") == 0) {
        const char *t = json_string_value(json_object_get(query, "type"));
        const char *v = scalar(a, json_object_get(query, "value"));
        if (!t || (strcmp(t, "UIN") != 0 && strcmp(t, "OPENPES") != 0))
            return fail(&p, "rjct.search_criteria.invalid", "identifier type \"%s\" is not supported (UIN or OPENPES)", t ? t : "(missing)");
        if (!v || !*v || strlen(v) > 64) return fail(&p, "rjct.search_criteria.invalid", "the identifier value is missing or too long%s", NULL);
        q->kind = DQ_KIND_ID;
        q->id_type = arena_strdup(a, t);
        q->id_value = v;
    } else if (strcmp(qt, "predicate") == 0) {
        q->kind = DQ_KIND_TREE;
        if (!(q->root = predicate(&p, query))) return false;
    } else if (strcmp(qt, "expression") == 0) {
        q->kind = DQ_KIND_TREE;
        if (!json_is_object(query)) return fail(&p, "rjct.search_criteria.invalid", "an expression query is an object%s", NULL);
        if (!(q->root = expression(&p, query))) return false;
    } else {
        return fail(&p, "rjct.search_criteria.invalid", "query_type \"%s\" is not supported (idtype-value, predicate, expression)", qt);
    }
    q->attrs_used = p.used;
    return sort_and_page(&p, c, q);
}

bool dq_parse_filter(arena *a, const char *filter_type, const json_t *filter, struct dq_query *q, const char **reason,
                     char *msg, size_t msgn) {
    struct pctx p = {a, reason, msg, msgn, 0, true};
    memset(q, 0, sizeof *q);
    *reason = NULL;
    msg[0] = 0;
    if (!filter || json_is_null(filter)) return fail(&p, "rjct.filter.invalid", "filter is required%s", NULL);
    if (!filter_type || strcmp(filter_type, "predicate") == 0) {
        if (!(q->root = predicate(&p, filter))) return false;
    } else if (strcmp(filter_type, "expression") == 0) {
        p.ids_ok = false; /* people are named in predicates only (their UINs are hashed there) */
        if (!json_is_object(filter)) return fail(&p, "rjct.filter.invalid", "an expression filter is an object%s", NULL);
        if (!(q->root = expression(&p, filter))) return false;
    } else {
        return fail(&p, "rjct.filter.invalid", "filter_type \"%s\" is not supported here (predicate, expression)", filter_type);
    }
    q->kind = DQ_KIND_TREE;
    q->attrs_used = p.used;
    return true;
}

static bool leaf_eval(const struct dq_node *n, const char *v) {
    if (n->op == DQ_NE) return !v || strcmp(v, n->vals[0]) != 0;
    if (!v) return false;
    if (n->op == DQ_IN) {
        for (int i = 0; i < n->nvals; i++)
            if (strcmp(v, n->vals[i]) == 0) return true;
        return false;
    }
    int c = strcmp(v, n->vals[0]);
    switch (n->op) {
    case DQ_EQ: return c == 0;
    case DQ_GT: return c > 0;
    case DQ_LT: return c < 0;
    case DQ_GE: return c >= 0;
    case DQ_LE: return c <= 0;
    default: return false;
    }
}

bool dq_eval(const struct dq_node *n, const char *const *vals) {
    if (!n) return true;
    switch (n->op) {
    case DQ_AND:
        for (int i = 0; i < n->nkids; i++)
            if (!dq_eval(n->kids[i], vals)) return false;
        return true;
    case DQ_OR:
        for (int i = 0; i < n->nkids; i++)
            if (dq_eval(n->kids[i], vals)) return true;
        return false;
    case DQ_NOT: return !dq_eval(n->kids[0], vals);
    default: return leaf_eval(n, vals[n->attr]);
    }
}
