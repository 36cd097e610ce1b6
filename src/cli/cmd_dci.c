/* cmd_dci.c - `openpes dci partner add|list`, `openpes dci query`, `openpes dci txn`: OpenPES as a
 * DCI client of other registries (docs/DCI.md "Client side"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "dci/client.h"

static const char usage[] =
    "usage: openpes dci partner add --id ID --kind social-registry|ibr --base-url URL --token-url URL --client-id C\n"
    "                               --secret S|--secret-stdin --receiver-id R --jwks FILE|--jwks-url URL --purposes \"p1 p2\"\n"
    "                               [--name N] [--sig-mode required|optional|off] [--callback-url URL] [--timeout S]\n"
    "       openpes dci partner list\n"
    "       openpes dci partner remove --id ID\n"
    "       openpes dci query --partner ID --national-id N [--kind social-registry|ibr] [--purpose P] [--async [--wait S]]\n"
    "       openpes dci txn --id TRANSACTION_ID\n"
    "       openpes dci subscribe --partner ID --event-type T --national-id \"N1 N2\" [--purpose P] [--frequency CRON] [--wait S]\n"
    "       openpes dci unsubscribe --partner ID --code \"C1 C2\" [--wait S]\n"
    "       openpes dci subscriptions [--partner ID]\n"
    "       openpes dci status --id TRANSACTION_ID [--async [--wait S]]\n";

static int print(json_t *o) {
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return 0;
}

static json_t *words(const char *s) {
    json_t *a = json_array();
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    for (char *save, *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) json_array_append_new(a, json_string(t));
    return a;
}

/* --wait S: poll our transaction until a callback answered it (or S seconds passed). */
static op_code wait_answered(ctx *c, const char *w, json_t **o) {
    int64_t wait_ms = w ? atoll(w) * 1000 : 0;
    for (int64_t t = 0; t < wait_ms; t += 100) {
        json_t *cur;
        op_code rc = dci_client_txn_get(c, json_string_value(json_object_get(*o, "transaction_id")), &cur);
        if (rc) return rc;
        if (strcmp(json_string_value(json_object_get(cur, "status")), "pending") != 0) {
            json_decref(*o);
            *o = cur;
            return OP_OK;
        }
        json_decref(cur);
        usleep(100000);
    }
    return OP_OK;
}

/* subscribe, unsubscribe, subscriptions, status */
static int subs_cmd(int argc, char **argv) {
    static const char *const svalued[] = {"partner", "event-type", "national-id", "purpose", "frequency", "wait", NULL};
    static const char *const uvalued[] = {"partner", "code", "wait", NULL};
    static const char *const lvalued[] = {"partner", NULL};
    static const char *const tvalued[] = {"id", "wait", NULL};
    static const char *const tflags[] = {"async", NULL};
    const char *cmd = argv[1];
    bool ok = strcmp(cmd, "subscribe") == 0       ? cli_check_opts(argc, argv, 2, svalued, NULL, usage)
              : strcmp(cmd, "unsubscribe") == 0   ? cli_check_opts(argc, argv, 2, uvalued, NULL, usage)
              : strcmp(cmd, "subscriptions") == 0 ? cli_check_opts(argc, argv, 2, lvalued, NULL, usage)
                                                  : cli_check_opts(argc, argv, 2, tvalued, tflags, usage);
    if (!ok) return 2;
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-dci", NULL, &e)) return cli_fail(&e);
    json_t *o = NULL, *list = NULL;
    op_code rc;
    if (strcmp(cmd, "subscribe") == 0) {
        list = words(cli_opt(argc, argv, "national-id"));
        struct dci_sub_out q = {cli_opt(argc, argv, "partner"), cli_opt(argc, argv, "event-type"), cli_opt(argc, argv, "purpose"),
                                cli_opt(argc, argv, "frequency"), list};
        rc = dci_client_subscribe(&c, &q, &o);
        if (!rc) rc = wait_answered(&c, cli_opt(argc, argv, "wait"), &o);
    } else if (strcmp(cmd, "unsubscribe") == 0) {
        list = words(cli_opt(argc, argv, "code"));
        rc = dci_client_unsubscribe(&c, cli_opt(argc, argv, "partner"), list, &o);
        if (!rc) rc = wait_answered(&c, cli_opt(argc, argv, "wait"), &o);
    } else if (strcmp(cmd, "subscriptions") == 0) {
        rc = dci_client_subs_list(&c, cli_opt(argc, argv, "partner"), &o);
    } else {
        rc = dci_client_status(&c, cli_opt(argc, argv, "id"), cli_flag(argc, argv, "async"), &o);
        if (!rc) rc = wait_answered(&c, cli_opt(argc, argv, "wait"), &o);
    }
    json_decref(list);
    int ret = rc ? cli_fail(&c.err) : print(o);
    if (rc) json_decref(o);
    ctx_release(&c);
    return ret;
}

static int partner_add(int argc, char **argv) {
    static const char *const valued[] = {"id", "kind", "base-url", "token-url", "client-id", "secret", "receiver-id", "jwks", "jwks-url",
                                         "purposes", "name", "sig-mode", "callback-url", "timeout", NULL};
    static const char *const flags[] = {"secret-stdin", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, flags, usage)) return 2;
    char secret[512] = "";
    const char *sec = cli_opt(argc, argv, "secret");
    if (cli_flag(argc, argv, "secret-stdin")) {
        if (!fgets(secret, sizeof secret, stdin)) secret[0] = 0;
        secret[strcspn(secret, "\r\n")] = 0;
        sec = secret;
    }
    const char *jf = cli_opt(argc, argv, "jwks"), *ju = cli_opt(argc, argv, "jwks-url");
    if (jf && ju) {
        fprintf(stderr, "openpes: give --jwks FILE or --jwks-url URL, not both\n%s", usage);
        return 2;
    }
    json_t *jw = NULL;
    if (jf && !(jw = cli_load_json(jf, "JWKS"))) return 2;
    json_t *purposes = json_array();
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", cli_opt(argc, argv, "purposes") ? cli_opt(argc, argv, "purposes") : "");
    for (char *save, *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) json_array_append_new(purposes, json_string(t));
    const char *to = cli_opt(argc, argv, "timeout");
    struct dci_outbound_new n = {.id = cli_opt(argc, argv, "id"), .name = cli_opt(argc, argv, "name"), .kind = cli_opt(argc, argv, "kind"),
                                 .base_url = cli_opt(argc, argv, "base-url"), .token_url = cli_opt(argc, argv, "token-url"),
                                 .client_id = cli_opt(argc, argv, "client-id"), .secret = sec,
                                 .receiver_id = cli_opt(argc, argv, "receiver-id"), .sig_mode = cli_opt(argc, argv, "sig-mode"),
                                 .callback_url = cli_opt(argc, argv, "callback-url"), .jwks = jw, .purposes = purposes,
                                 .timeout_s = to ? atoll(to) : 0, .jwks_url = ju};
    if (to && n.timeout_s == 0) n.timeout_s = -1;
    int ret = 1;
    ctx c;
    op_err e = {0};
    if (!cli_open_db(true)) goto out;
    if (!ctx_init_system(&c, "cli-dci", NULL, &e)) {
        ret = cli_fail(&e);
        goto out;
    }
    op_code rc = OP_OK;
    if (ju) { /* fetched before the transaction: no transaction is held across a network call */
        rc = dci_jwks_fetch(&c, ju, n.timeout_s > 0 ? n.timeout_s : 10, &jw, &c.err);
        n.jwks = jw;
    }
    if (!rc) rc = store_begin(c.db, &c.err);
    else {
        ret = cli_fail(&c.err);
        ctx_release(&c);
        goto out;
    }
    if (!rc) rc = dci_outbound_put(&c, &n);
    if (!rc) rc = store_commit(c.db, &c.err);
    else store_rollback(c.db);
    ret = rc ? cli_fail(&c.err) : (printf("%s\n", n.id), 0);
    ctx_release(&c);
out:
    json_decref(jw);
    json_decref(purposes);
    return ret;
}

/* dci partner remove --id ID: disabled, history kept (dci_outbound_remove) */
static int partner_remove(int argc, char **argv) {
    static const char *const valued[] = {"id", NULL};
    if (!cli_check_opts(argc, argv, 2, valued, NULL, usage)) return 2;
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-dci", NULL, &e)) return cli_fail(&e);
    op_code rc = store_begin(c.db, &c.err);
    if (!rc) rc = dci_outbound_remove(&c, cli_opt(argc, argv, "id"));
    if (!rc) rc = store_commit(c.db, &c.err);
    else store_rollback(c.db);
    int ret = rc ? cli_fail(&c.err) : (printf("%s removed\n", cli_opt(argc, argv, "id")), 0);
    ctx_release(&c);
    return ret;
}

int cmd_dci(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "partner") == 0 && strcmp(argv[2], "add") == 0) return partner_add(argc - 1, argv + 1);
    if (argc >= 3 && strcmp(argv[1], "partner") == 0 && strcmp(argv[2], "remove") == 0) return partner_remove(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "subscribe") == 0 || strcmp(argv[1], "unsubscribe") == 0 || strcmp(argv[1], "subscriptions") == 0 ||
                      strcmp(argv[1], "status") == 0))
        return subs_cmd(argc, argv);
    bool list = argc >= 3 && strcmp(argv[1], "partner") == 0 && strcmp(argv[2], "list") == 0;
    bool query = argc >= 2 && strcmp(argv[1], "query") == 0, txn = argc >= 2 && strcmp(argv[1], "txn") == 0;
    if (!list && !query && !txn) {
        fputs(usage, stderr);
        return 2;
    }
    static const char *const qvalued[] = {"partner", "national-id", "kind", "purpose", "wait", NULL};
    static const char *const qflags[] = {"async", NULL};
    static const char *const tvalued[] = {"id", NULL};
    if (query && !cli_check_opts(argc, argv, 2, qvalued, qflags, usage)) return 2;
    if (txn && !cli_check_opts(argc, argv, 2, tvalued, NULL, usage)) return 2;
    if (list && !cli_check_opts(argc, argv, 3, NULL, NULL, usage)) return 2;
    if (!cli_open_db(true)) return 1;
    ctx c;
    op_err e = {0};
    if (!ctx_init_system(&c, "cli-dci", NULL, &e)) return cli_fail(&e);
    json_t *o = NULL;
    op_code rc;
    if (list) {
        rc = dci_outbound_list(&c, &o);
    } else if (txn) {
        rc = dci_client_txn_get(&c, cli_opt(argc, argv, "id"), &o);
    } else {
        struct dci_query q = {cli_opt(argc, argv, "partner"), cli_opt(argc, argv, "national-id"), cli_opt(argc, argv, "kind"),
                              cli_opt(argc, argv, "purpose"), cli_flag(argc, argv, "async")};
        rc = dci_client_query(&c, &q, &o);
        const char *w = cli_opt(argc, argv, "wait");
        int64_t wait_ms = w ? atoll(w) * 1000 : 0;
        /* --async --wait S: poll our transaction until the on-search callback answered it */
        for (int64_t t = 0; !rc && q.async && t < wait_ms; t += 100) {
            json_t *cur;
            if ((rc = dci_client_txn_get(&c, json_string_value(json_object_get(o, "transaction_id")), &cur))) break;
            if (strcmp(json_string_value(json_object_get(cur, "status")), "pending") != 0) {
                json_decref(o);
                o = cur;
                break;
            }
            json_decref(cur);
            usleep(100000);
        }
    }
    int ret = rc ? cli_fail(&c.err) : print(o);
    if (rc) json_decref(o);
    ctx_release(&c);
    return ret;
}
