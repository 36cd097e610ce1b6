/* cmd_worker.c - `openpes worker`: the background worker without the HTTP server - the events
 * outbox and the same periodic tasks as the worker inside `serve` (cli_register_workers, one list),
 * the daily EI batch included when --ei-batch-at is given.  Runs until SIGINT or SIGTERM; a long
 * task in progress is finished first (the EI batch is also safe to kill and re-run). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "events/outbox.h"

static const char usage[] = "usage: openpes worker [--once] [--ei-batch-at HH:MM --ei-batch-dir DIR]\n";

int cmd_worker(int argc, char **argv) {
    static const char *const valued[] = {"ei-batch-at", "ei-batch-dir", NULL}, *const flags[] = {"once", NULL};
    if (!cli_check_opts(argc, argv, 1, valued, flags, usage)) return 2;
    if (!cli_open_db(true)) return 1;
    int rc = cli_register_workers(argc, argv);
    if (rc) return rc;
    audit_flush(); /* as serve does at start: records of writes a crash left unchained */
    if (cli_flag(argc, argv, "once")) { /* every periodic task once, then one pass over the events */
        int tasks = worker_run_periodic_once();
        char owner[64];
        snprintf(owner, sizeof owner, "cli-worker:%d", (int)getpid());
        op_err e = {0};
        int n = worker_run_once(owner, 500, &e);
        if (n < 0) return cli_fail(&e);
        printf("%d periodic tasks run, %d events processed\n", tasks, n);
        audit_stop();
        return 0;
    }
    /* The signals are taken here, by sigwait: blocked before the worker's threads exist, so
     * they inherit the mask and none of them is interrupted. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    worker_start_background();
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "openpes worker: %s, stopping (a long task in progress is finished first)\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    worker_stop_background();
    audit_stop(); /* every audit record of the work done is in the chain before the process ends */
    return 0;
}
