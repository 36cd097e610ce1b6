/* store_pg.c - PostgreSQL backend on libpq.
 *
 * `?` placeholders are rewritten to $1..$n (outside quoted literals) and each statement is a
 * named server-side prepared statement of this connection.  Parameters and results travel as
 * text.  A statement executes on its first store_step; later steps walk the result rows. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define PG_MAX_PARAMS 65535 /* the protocol's limit; multi-row statements (store_insert_rows) use many */

struct pg_stmt {
    struct store_stmt_hdr hdr;
    char name[24];
    int nparams;
    char **params; /* nparams values */
    PGresult *res;
    int row, nrows;
    int64_t changes;
};

struct pg_conn {
    PGconn *c;
    unsigned next_id;
};

#define CONN(s) (((struct pg_conn *)(s)->conn)->c)
#define PS(st) ((struct pg_stmt *)(st))

static op_code pg_error(PGresult *r, PGconn *c, op_err *e, const char *what) {
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "?");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) clean[--n] = 0;
    if (state && strcmp(state, "23505") == 0) return op_fail(e, OP_DUPLICATE, NULL, "%s", clean);
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return op_fail(e, OP_UNAVAILABLE, "retry the request", "%s", clean);
    return op_fail(e, OP_STORE, NULL, "%s: %s", what, clean);
}

static void notice_quiet(void *arg, const char *msg) { (void)arg; (void)msg; }

static op_code pg_open(store *s, const char *url, op_err *e) {
    PGconn *c = PQconnectdb(url);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        op_fail(e, OP_STORE, "check the --db URL and that PostgreSQL is running",
                "could not connect to PostgreSQL: %s", c ? PQerrorMessage(c) : "out of memory");
        PQfinish(c);
        return OP_STORE;
    }
    PQsetNoticeProcessor(c, notice_quiet, NULL);
    struct pg_conn *pc = calloc(1, sizeof *pc);
    pc->c = c;
    s->conn = pc;
    PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
    PQclear(r);
    return OP_OK;
}

static void pg_close(store *s) {
    struct pg_conn *pc = s->conn;
    PQfinish(pc->c);
    free(pc);
}

static op_code pg_exec_script(store *s, const char *sql, op_err *e) {
    PGresult *r = PQexec(CONN(s), sql);
    ExecStatusType st = PQresultStatus(r);
    op_code c = OP_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) c = pg_error(r, CONN(s), e, "could not execute statement");
    PQclear(r);
    return c;
}

/* Rewrite ? to $n outside single-quoted literals; returns malloc'd text. */
static char *rewrite(const char *sql, int *nparams) {
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1);
    size_t j = 0;
    int k = 0;
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        char ch = sql[i];
        if (ch == '\'') quoted = !quoted;
        if (ch == '?' && !quoted) {
            j += (size_t)sprintf(out + j, "$%d", ++k);
        } else {
            out[j++] = ch;
        }
    }
    out[j] = 0;
    *nparams = k;
    return out;
}

static store_stmt *pg_prepare(store *s, const char *sql, op_err *e) {
    struct pg_conn *pc = s->conn;
    int np = 0;
    char *q = rewrite(sql, &np);
    if (np > PG_MAX_PARAMS) {
        free(q);
        op_fail(e, OP_INTERNAL, NULL, "statement has more than %d parameters", PG_MAX_PARAMS);
        return NULL;
    }
    struct pg_stmt *w = calloc(1, sizeof *w);
    w->hdr.owner = s;
    w->nparams = np;
    w->params = calloc(np ? (size_t)np : 1, sizeof *w->params);
    snprintf(w->name, sizeof w->name, "s%u", ++pc->next_id);
    PGresult *r = PQprepare(pc->c, w->name, q, 0, NULL);
    free(q);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_error(r, pc->c, e, "could not prepare statement");
        PQclear(r);
        free(w->params);
        free(w);
        return NULL;
    }
    PQclear(r);
    return (store_stmt *)w;
}

static void clear_params(struct pg_stmt *w) {
    for (int i = 0; i < w->nparams; i++) {
        free(w->params[i]);
        w->params[i] = NULL;
    }
}

static void pg_reset(store_stmt *st) {
    struct pg_stmt *w = PS(st);
    if (w->res) PQclear(w->res);
    w->res = NULL;
    w->row = -1;
    w->nrows = 0;
    clear_params(w);
}

static void pg_finalize(store_stmt *st) {
    struct pg_stmt *w = PS(st);
    pg_reset(st);
    char dealloc[48];
    snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", w->name);
    PGresult *r = PQexec(CONN(w->hdr.owner), dealloc);
    PQclear(r);
    free(w->params);
    free(w);
}

static void set_param(store_stmt *st, int i, char *v) {
    struct pg_stmt *w = PS(st);
    if (i < 1 || i > w->nparams) {
        free(v);
        return;
    }
    free(w->params[i - 1]);
    w->params[i - 1] = v;
}

static void pg_bind_text(store_stmt *st, int i, const char *v) { set_param(st, i, v ? strdup(v) : NULL); }
static void pg_bind_int(store_stmt *st, int i, int64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(st, i, strdup(buf));
}
static void pg_bind_null(store_stmt *st, int i) { set_param(st, i, NULL); }

static int pg_step(store_stmt *st, op_err *e) {
    struct pg_stmt *w = PS(st);
    if (!w->res) {
        PGconn *c = CONN(w->hdr.owner);
        w->res = PQexecPrepared(c, w->name, w->nparams, (const char *const *)w->params, NULL, NULL, 0);
        ExecStatusType s = PQresultStatus(w->res);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            pg_error(w->res, c, e, "could not execute statement");
            PQclear(w->res);
            w->res = NULL;
            return STORE_ERROR;
        }
        w->nrows = PQntuples(w->res);
        w->row = -1;
        const char *ct = PQcmdTuples(w->res);
        w->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    }
    if (w->row + 1 < w->nrows) {
        w->row++;
        return STORE_ROW;
    }
    return STORE_DONE;
}

static int pg_ncols(store_stmt *st) { return PS(st)->res ? PQnfields(PS(st)->res) : 0; }
static const char *pg_col_name(store_stmt *st, int c) { return PS(st)->res ? PQfname(PS(st)->res, c) : NULL; }
static bool pg_col_null(store_stmt *st, int c) {
    struct pg_stmt *w = PS(st);
    return !w->res || w->row < 0 || PQgetisnull(w->res, w->row, c);
}
static const char *pg_col_text(store_stmt *st, int c) {
    struct pg_stmt *w = PS(st);
    if (pg_col_null(st, c)) return NULL;
    return PQgetvalue(w->res, w->row, c);
}
static int64_t pg_col_int(store_stmt *st, int c) {
    const char *v = pg_col_text(st, c);
    if (!v) return 0;
    if (v[0] == 't' && v[1] == 0) return 1; /* boolean results of expressions */
    if (v[0] == 'f' && v[1] == 0) return 0;
    return strtoll(v, NULL, 10);
}
static int64_t pg_changes(store_stmt *st) { return PS(st)->changes; }

const struct store_ops store_pg_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .exec_script = pg_exec_script,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_text = pg_bind_text,
    .bind_text_static = pg_bind_text, /* libpq takes the values at execution: copied */
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .ncols = pg_ncols,
    .col_name = pg_col_name,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .changes = pg_changes,
    .reset = pg_reset,
};
