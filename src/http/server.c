/* server.c - libmicrohttpd glue: listeners, body accumulation with limits, suspend/resume
 * around audit durability, connection clean-up.  Request semantics live in dispatch.c. */
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/log.h"
#include "http/http_int.h"

const char *server_web_dir = "web";
bool server_secure_cookies = false;

/* Spare arenas per listener thread: a request takes one and gives it back reset, instead of
 * allocating and freeing its first block.  Up to SPARES are kept: with suspended connections a
 * thread has many requests in flight at once.  A thread-specific key (not _Thread_local) so the
 * spares are freed when the thread exits. */
#define SPARES 64
struct spares {
    int n;
    arena *a[SPARES];
};
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static void spare_free(void *p) {
    struct spares *s = p;
    for (int i = 0; i < s->n; i++) arena_free(s->a[i]);
    free(s);
}
static void spare_init(void) { pthread_key_create(&spare_key, spare_free); }

static struct spares *spares(void) {
    pthread_once(&spare_once, spare_init);
    struct spares *s = pthread_getspecific(spare_key);
    if (!s && (s = calloc(1, sizeof *s))) pthread_setspecific(spare_key, s);
    return s;
}

static arena *arena_take(void) {
    struct spares *s = spares();
    return s && s->n ? s->a[--s->n] : arena_new(16384);
}

static void arena_give(arena *a) {
    struct spares *s = spares();
    if (!s || s->n == SPARES) {
        arena_free(a);
        return;
    }
    arena_reset(a);
    s->a[s->n++] = a;
}

static void park_cb(void *arg) { MHD_suspend_connection(((struct conn_state *)arg)->mc); }
static void resume_cb(void *arg) { MHD_resume_connection(((struct conn_state *)arg)->mc); }

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
    (void)cls;
    (void)version;
    struct conn_state *st = *con_cls;
    if (!st) {
        arena *a = arena_take();
        st = arena_alloc(a, sizeof *st);
        st->a = a;
        st->mc = mc;
        st->t0 = clock_mono_us();
        st->route = route_match(method, url, st->params, &st->method_mismatch);
        for (int i = 0; i < HTTP_MAX_PARAMS; i++)
            st->params[i] = st->params[i] ? arena_strdup(a, st->params[i]) : NULL;
        st->max = st->route && st->route->body_max ? st->route->body_max : HTTP_DEFAULT_BODY_MAX;
        /* Endpoints that take no body still accept (and ignore) a small one such as "{}". */
        if (st->route && !(st->route->flags & (R_BODY_JSON | R_BODY_FORM | R_BODY_RAW))) st->max = 1024;
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!st->too_large) {
            if (st->len + *upload_size > st->max) {
                st->too_large = 1;
            } else {
                if (st->len + *upload_size + 1 > st->cap) {
                    size_t cap = st->cap ? st->cap * 2 : 4096;
                    while (cap < st->len + *upload_size + 1) cap *= 2;
                    char *nb = arena_alloc(st->a, cap);
                    if (st->len) memcpy(nb, st->body, st->len);
                    st->body = nb;
                    st->cap = cap;
                }
                memcpy(st->body + st->len, upload, *upload_size);
                st->len += *upload_size;
                st->body[st->len] = 0;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->waiting) {
        /* Resumed: the audit batch has an outcome. */
        st->waiting = 0;
        audit_ticket *t = st->rs.wait;
        st->rs.wait = NULL;
        if (!audit_ticket_finish(t)) {
            st->rc = op_fail(&st->c.err, OP_UNAVAILABLE, "retry the request",
                             "the access could not be recorded in the audit log");
        }
        return dispatch_respond(st, method, url);
    }
    dispatch_request(st, method, url);
    if (st->rc == OP_OK && st->rs.wait) {
        st->waiting = 1;
        if (audit_ticket_park(st->rs.wait, park_cb, resume_cb, st)) return MHD_YES;
        st->waiting = 0;
        audit_ticket *t = st->rs.wait;
        st->rs.wait = NULL;
        if (!audit_ticket_finish(t))
            st->rc = op_fail(&st->c.err, OP_UNAVAILABLE, "retry the request",
                             "the access could not be recorded in the audit log");
    } else if (st->rs.wait) {
        /* Error answer: still wait for the refusal record to be durable (blocking is fine:
         * refusals are rare). */
        audit_ticket_wait(st->rs.wait);
        st->rs.wait = NULL;
    }
    return dispatch_respond(st, method, url);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)mc;
    (void)toe;
    struct conn_state *st = *con_cls;
    if (!st) return;
    if (st->rs.wait) audit_ticket_wait(st->rs.wait);
    if (st->c.db && store_in_tx(st->c.db)) store_rollback(st->c.db);
    arena_give(st->a);
    *con_cls = NULL;
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

#define SERVER_CONN_MEMORY (16 * 1024)

static struct MHD_Daemon *start_daemon(const struct server_opts *o, int port, int pool) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, o->bind ? o->bind : "127.0.0.1", &sa.sin_addr) != 1) return NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    /* The per-connection pool holds the request line, the headers and the read buffer (bodies
     * are copied out chunk by chunk); libmicrohttpd zeroes all of it between keep-alive requests,
     * so it is no bigger than that needs: 16 KiB (larger headers get 431). */
    return MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)4000, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(pool > 1 ? pool : 0),
        MHD_OPTION_END);
}

int server_run(const struct server_opts *o) {
    int n = o->daemons > 0 ? o->daemons : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (o->pool_threads > 1) n = 1;
    if (n > 64) n = 64;
    server_web_dir = o->web_dir ? o->web_dir : "web";
    server_secure_cookies = o->secure_cookies;
    routes_all();
    audit_start();
    audit_flush(); /* records of writes a crash left unchained */
    struct MHD_Daemon *d[64] = {0};
    int port = o->port;
    for (int i = 0; i < n; i++) {
        d[i] = start_daemon(o, port, o->pool_threads);
        if (!d[i]) {
            log_error("could not listen on %s:%d", o->bind ? o->bind : "127.0.0.1", port);
            for (int j = 0; j < i; j++) MHD_stop_daemon(d[j]);
            return 1;
        }
        if (port == 0) {
            const union MHD_DaemonInfo *info = MHD_get_daemon_info(d[i], MHD_DAEMON_INFO_BIND_PORT);
            port = info ? info->port : 0;
        }
    }
    if (o->port_file) {
        FILE *f = fopen(o->port_file, "w");
        if (f) {
            fprintf(f, "%d\n", port);
            fclose(f);
        }
    }
    log_info("listening on http://%s:%d (%d listener%s%s)", o->bind ? o->bind : "127.0.0.1", port,
             n, n == 1 ? "" : "s", o->pool_threads > 1 ? ", thread pool" : ", SO_REUSEPORT");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_flag) usleep(100000);
    log_info("shutting down");
    for (int i = 0; i < n; i++) MHD_stop_daemon(d[i]);
    audit_stop();
    return 0;
}

/* ---- request accessors for handlers ---- */

const char *http_query(http_req *rq, const char *key) {
    return MHD_lookup_connection_value(((struct conn_state *)rq->conn)->mc, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(http_req *rq, const char *name) {
    return MHD_lookup_connection_value(((struct conn_state *)rq->conn)->mc, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req *rq, const char *name) {
    return MHD_lookup_connection_value(((struct conn_state *)rq->conn)->mc, MHD_COOKIE_KIND, name);
}

const char *http_client_addr(http_req *rq) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(((struct conn_state *)rq->conn)->mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
        else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
    }
    return arena_strdup(rq->c->a, buf[0] ? buf : "unknown");
}

const char *http_param(http_req *rq, int i) { return i >= 0 && i < HTTP_MAX_PARAMS ? rq->params[i] : NULL; }
