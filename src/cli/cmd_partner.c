/* cmd_partner.c - `openpes partner add|agreement add|list`: DCI partners (an OAuth2 client from
 * `openpes client add`, its signature mode and JWKS) and their data-sharing agreements
 * (docs/DCI.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "dci/client.h"
#include "dci/partner.h"

static const char usage[] =
    "usage: openpes partner add --client ID [--name N] [--sig-mode required|optional|off] [--jwks FILE|--jwks-url URL] [--notify-uri URL]\n"
    "       openpes partner agreement add --client ID --purposes \"p1 p2\" --fields \"f1 f2\" --attributes \"a1 a2\"\n"
    "                                     --legal-basis TEXT --valid-from YYYY-MM-DD [--valid-to YYYY-MM-DD]\n"
    "       openpes partner list\n"
    "       openpes partner transactions [--client ID] [--callback-state none|pending|delivered|failed] [--limit N]\n";

static json_t *words(const char *s) {
    json_t *a = json_array();
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    for (char *save, *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) json_array_append_new(a, json_string(t));
    return a;
}

static int run(op_code (*fn)(ctx *, void *), void *arg) {
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-partner", NULL, &e)) return cli_fail(&e);
    op_code rc = store_begin(c.db, &c.err);
    if (!rc) rc = fn(&c, arg);
    if (!rc) rc = store_commit(c.db, &c.err);
    else store_rollback(c.db);
    int ret = rc ? cli_fail(&c.err) : 0;
    ctx_release(&c);
    return ret;
}

static op_code do_add(ctx *c, void *arg) {
    const struct dci_partner_new *n = arg;
    op_code rc = dci_partner_put(c, n);
    if (!rc) printf("%s\n", n->client_id);
    return rc;
}

static op_code do_agreement(ctx *c, void *arg) {
    char id[ID_LEN];
    op_code rc = dci_agreement_add(c, arg, id);
    if (!rc) printf("%s\n", id);
    return rc;
}

static op_code do_list(ctx *c, void *arg) {
    json_t *o;
    op_code rc = dci_partner_list(c, &o);
    if (rc) return rc;
    char *s = json_dumps(o, JSON_INDENT(2));
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return OP_OK;
}

struct txn_args {
    const char *client, *state;
    int limit;
};

static op_code do_txns(ctx *c, void *arg) {
    struct txn_args *t = arg;
    json_t *o;
    op_code rc = dci_txn_list(c, t->client, t->state, t->limit, &o);
    if (rc) return rc;
    printf("%-36s %-16s %-12s %-6s %-10s %-3s %s\n", "CORRELATION_ID", "SENDER", "ACTION", "STATUS", "CALLBACK", "TRY", "LAST_ERROR");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "items"), i, x) {
        const char *le = json_string_value(json_object_get(x, "last_error"));
        printf("%-36s %-16s %-12s %-6s %-10s %-3lld %s\n", json_string_value(json_object_get(x, "correlation_id")),
               json_string_value(json_object_get(x, "sender_id")), json_string_value(json_object_get(x, "action")),
               json_string_value(json_object_get(x, "status")), json_string_value(json_object_get(x, "callback_state")),
               (long long)json_integer_value(json_object_get(x, "callback_attempts")), le ? le : "");
    }
    json_decref(o);
    return OP_OK;
}

int cmd_partner(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "transactions") == 0) {
        const char *l = cli_opt(argc, argv, "limit");
        struct txn_args t = {cli_opt(argc, argv, "client"), cli_opt(argc, argv, "callback-state"), l ? atoi(l) : 100};
        return run(do_txns, &t);
    }
    if (argc >= 2 && strcmp(argv[1], "add") == 0) {
        struct dci_partner_new n = {.client_id = cli_opt(argc, argv, "client"), .name = cli_opt(argc, argv, "name"),
                                    .sig_mode = cli_opt(argc, argv, "sig-mode"), .notify_uri = cli_opt(argc, argv, "notify-uri")};
        const char *jf = cli_opt(argc, argv, "jwks");
        if (!n.client_id) {
            fputs(usage, stderr);
            return 2;
        }
        json_t *jw = NULL;
        n.jwks_url = cli_opt(argc, argv, "jwks-url");
        if (jf && n.jwks_url) {
            fprintf(stderr, "openpes: give --jwks FILE or --jwks-url URL, not both\n%s", usage);
            return 2;
        }
        if (jf && !(jw = cli_load_json(jf, "JWKS"))) return 2;
        if (n.jwks_url) { /* fetched before the transaction */
            op_err e = {0};
            ctx c;
            if (!cli_open_db(true)) return 1;
            if (!ctx_init_system(&c, "cli-partner", NULL, &e)) return cli_fail(&e);
            op_code rc = dci_jwks_fetch(&c, n.jwks_url, 10, &jw, &c.err);
            int r = rc ? cli_fail(&c.err) : 0;
            ctx_release(&c);
            if (rc) return r;
        }
        n.jwks = jw;
        int r = run(do_add, &n);
        json_decref(jw);
        return r;
    }
    if (argc >= 3 && strcmp(argv[1], "agreement") == 0 && strcmp(argv[2], "add") == 0) {
        json_t *p = words(cli_opt(argc, argv, "purposes")), *f = words(cli_opt(argc, argv, "fields")),
               *a = words(cli_opt(argc, argv, "attributes"));
        struct dci_agreement_new n = {.client_id = cli_opt(argc, argv, "client"), .legal_basis = cli_opt(argc, argv, "legal-basis"),
                                      .valid_from = cli_opt(argc, argv, "valid-from"), .valid_to = cli_opt(argc, argv, "valid-to"),
                                      .purposes = p, .fields = f, .attributes = a};
        int r = n.client_id ? run(do_agreement, &n) : (fputs(usage, stderr), 2);
        json_decref(p);
        json_decref(f);
        json_decref(a);
        return r;
    }
    if (argc >= 2 && strcmp(argv[1], "list") == 0) return run(do_list, NULL);
    fputs(usage, stderr);
    return 2;
}
