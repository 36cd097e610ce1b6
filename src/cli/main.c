/* main.c - the openpes program: global options, then one subcommand from the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "sec/keys.h"
#include "store/store.h"

static const struct command commands[] = {
    {"serve", cmd_serve, "serve [--port N] [--bind ADDR] [--web DIR] [--daemons N] [--pool N] [--port-file F] [--session-ttl S] [--no-worker] [--ei-batch-at HH:MM --ei-batch-dir DIR]",
     "run the HTTP server (and the background worker)"},
    {"migrate", cmd_migrate, "migrate", "create or upgrade the database schema"},
    {"seed", cmd_seed, "seed --demo | --print-accounts | --persons N [--seed S] [--offices N] | --vacancies N [--seed S]", "load demo or synthetic data"},
    {"user", cmd_user, "user add --username U --password P|--password-stdin --kind citizen|employer|staff [--role R --office CODE] [--person ID] [--name NAME] | user list | user disable|enable --username U",
     "manage accounts"},
    {"client", cmd_client, "client add --id ID --secret S|--secret-stdin --scopes \"a b\" [--name NAME] | client list | client disable|enable --id ID", "manage partner OAuth2 clients"},
    {"office", cmd_office, "office add --code C --name N --kind job_centre|welfare_office|ministry --region R [--name-ko N] | office list",
     "manage offices"},
    {"audit", cmd_audit, "audit verify", "verify the audit hash chain"},
    {"policy", cmd_policy, "policy <ei-assess|ei-recognition|...> [--pack-dir DIR] < request.json",
     "run a policy calculator on a JSON request (same contract as /api/v1/policy/...)"},
    {"import", cmd_import, "import taxonomy|vacancies FILE [...]", "bulk-load code lists or data files with an error report"},
    {"ei", cmd_ei, "ei import-employment FILE [--report F] | ei evaluate [--date D] | ei pay-batch [--date D] --out FILE",
     "employment insurance: insured history import, recognition rounds, payment batch"},
    {"match", cmd_match, "match fit | match evaluate [--seekers N] [--seed S] [--vacancies N]", "recommendation weights: re-fit from outcomes, evaluate hit rate at 10"},
    {"partner", cmd_partner, "partner add --client ID [--sig-mode M] [--jwks FILE] | partner agreement add ... | partner list", "manage DCI partners and data-sharing agreements"},
    {"dci", cmd_dci, "dci partner add ... | dci partner list | dci query --partner ID --national-id N [--kind social-registry|ibr] [--async [--wait S]] | dci txn --id T",
     "query other DCI registries (social registry, IBR) as a client"},
    {"nesp", cmd_nesp, "nesp check --person ID --assets N [--partner ID] [--async [--wait S]] | nesp show --id C",
     "NESP eligibility check with the social registry's facts"},
    {"worker", cmd_worker, "worker [--once] [--ei-batch-at HH:MM --ei-batch-dir DIR]", "run the background worker (events and periodic tasks, as in serve) without the HTTP server"},
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static void usage(FILE *f) {
    fprintf(f, "usage: openpes [--db URL] [--keys FILE] [--log-level debug|info|warn|error] <command> [options]\n\ncommands:\n");
    for (int i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-8s %s\n           %s\n", commands[i].name, commands[i].summary, commands[i].usage);
    fprintf(f, "\nThe database defaults to $OPENPES_DB or ./openpes.db; postgres://... selects PostgreSQL.\n");
}

int main(int argc, char **argv) {
    const char *db = getenv("OPENPES_DB");
    const char *keys = getenv("OPENPES_KEYS");
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
        else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) keys = argv[++i];
        else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc) {
            const char *l = argv[++i];
            log_set_level(strcmp(l, "debug") == 0 ? LOG_DEBUG : strcmp(l, "warn") == 0 ? LOG_WARN
                          : strcmp(l, "error") == 0 ? LOG_ERROR : strcmp(l, "off") == 0 ? LOG_OFF : LOG_INFO);
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "openpes: unknown option \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    store_set_url(db && *db ? db : "openpes.db");
    keys_set_path(keys);
    for (int c = 0; c < NCOMMANDS; c++)
        if (strcmp(argv[i], commands[c].name) == 0) return commands[c].fn(argc - i, argv + i);
    fprintf(stderr, "openpes: unknown command \"%s\"\n", argv[i]);
    usage(stderr);
    return 2;
}
