/* server.h - the HTTP server on libmicrohttpd.
 *
 * `daemons` listeners share the port with SO_REUSEPORT so the kernel spreads connections over
 * them (one per core by default; see docs/DECISIONS.md for the measurement), each running its
 * own epoll loop thread.  Requests that read personal data are suspended until their audit
 * records are durable (group commit) instead of blocking the loop. */
#ifndef OPENPES_SERVER_H
#define OPENPES_SERVER_H
#include <stdbool.h>

struct server_opts {
    const char *bind;     /* "127.0.0.1" */
    int port;             /* 0 = pick a free port */
    int daemons;          /* listeners (SO_REUSEPORT); 0 = number of cores */
    int pool_threads;     /* >0: one listener with an MHD thread pool instead (for comparison) */
    const char *web_dir;  /* static portal files */
    const char *port_file;/* write the bound port here once listening */
    bool secure_cookies;  /* set the Secure flag (behind TLS) */
};

int server_run(const struct server_opts *o); /* blocks until SIGINT/SIGTERM; returns exit code */
extern const char *server_web_dir;
extern bool server_secure_cookies;

#endif
