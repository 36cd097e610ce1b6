/* cmd_serve.c - `openpes serve` and `openpes migrate`. */
#include <stdio.h>
#include <stdlib.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "events/outbox.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "store/store.h"

int cmd_serve(int argc, char **argv) {
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    ctx c;
    if (!ctx_init_system(&c, "serve", "system_operation", &e)) return cli_fail(&e);
    op_code rc0 = jobs_ensure(&c); /* occupation code lists and search index objects */
    if (rc0) {
        int r = cli_fail(&c.err);
        ctx_release(&c);
        return r;
    }
    ctx_release(&c);
    if (cli_opt(argc, argv, "ei-batch-at") && cli_flag(argc, argv, "no-worker")) {
        fprintf(stderr, "openpes: --ei-batch-at needs the worker (drop --no-worker, or run `openpes worker` with it)\n");
        return 2;
    }
    int wrc = cli_register_workers(argc, argv); /* the same tasks as `openpes worker` */
    if (wrc) return wrc;
    struct server_opts o = {0};
    const char *v;
    o.bind = cli_opt(argc, argv, "bind");
    o.port = (v = cli_opt(argc, argv, "port")) ? atoi(v) : 8080;
    o.daemons = (v = cli_opt(argc, argv, "daemons")) ? atoi(v) : 0;
    o.pool_threads = (v = cli_opt(argc, argv, "pool")) ? atoi(v) : 0;
    o.web_dir = cli_opt(argc, argv, "web");
    o.port_file = cli_opt(argc, argv, "port-file");
    o.secure_cookies = cli_flag(argc, argv, "secure-cookies");
    if ((v = cli_opt(argc, argv, "session-ttl"))) {
        char *end;
        long ttl = strtol(v, &end, 10);
        if (*end || ttl < 1 || ttl > 30L * 24 * 3600) {
            fprintf(stderr, "openpes: --session-ttl must be a number of seconds between 1 and 2592000\n");
            return 2;
        }
        auth_session_ttl = (int)ttl;
    }
    if (!cli_flag(argc, argv, "no-worker")) worker_start_background();
    int rc = server_run(&o);
    worker_stop_background();
    return rc;
}

int cmd_migrate(int argc, char **argv) {
    (void)argc;
    (void)argv;
    if (!cli_open_db(true)) return 1;
    op_err e = {0};
    printf("schema version %d\n", store_schema_version(store_thread(&e)));
    return 0;
}
