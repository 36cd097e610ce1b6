/* floor.c - the benchmark floor: the least a server can do to answer GET /persons/{id}.
 *
 * It reads the same row from the same SQLite file as `openpes serve` and returns it as JSON,
 * with no authentication, no access decision, no decryption and no audit record.  The listener
 * model is the same as openpes (src/http/server.c): one libmicrohttpd daemon per core sharing
 * the port with SO_REUSEPORT, each with its own epoll loop thread and its own database
 * connection, so the difference bench/run.sh measures is the cost of what openpes adds.
 *
 * usage: bench-floor --db FILE [--port N] [--daemons N] [--port-file F]
 * Built by `make tools` ($(BUILD)/bench-floor); standalone: no OpenPES code is linked. */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *db_path;
static volatile sig_atomic_t stop_flag;

/* One connection and one prepared statement per daemon thread. */
static _Thread_local sqlite3 *t_db;
static _Thread_local sqlite3_stmt *t_get;

static const char *GET_SQL = "SELECT * FROM persons WHERE id = ?";

static int thread_db(void) {
    if (t_get) return 0;
    if (sqlite3_open_v2(db_path, &t_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) return -1;
    sqlite3_busy_timeout(t_db, 15000);
    /* The same settings as the openpes SQLite store. */
    sqlite3_exec(t_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;", NULL, NULL, NULL);
    return sqlite3_prepare_v2(t_db, GET_SQL, -1, &t_get, NULL) == SQLITE_OK ? 0 : -1;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body) {
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* The row as a JSON object: every column by name, the profile column parsed. */
static json_t *row_json(sqlite3_stmt *st) {
    json_t *o = json_object();
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i))); break;
        case SQLITE_NULL: json_object_set_new(o, name, json_null()); break;
        default: {
            const char *v = (const char *)sqlite3_column_text(st, i);
            json_t *parsed = strcmp(name, "profile") == 0 ? json_loads(v, 0, NULL) : NULL;
            json_object_set_new(o, name, parsed ? parsed : json_string(v));
        }
        }
    }
    return o;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **state) {
    (void)cls, (void)version, (void)upload;
    if (!*state) { /* first call: headers only */
        *state = (void *)1;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "GET") != 0 || strncmp(url, "/persons/", 9) != 0 || strlen(url + 9) != 36)
        return reply(c, 404, strdup("{\"error\":\"not found\"}"));
    if (thread_db() != 0) return reply(c, 500, strdup("{\"error\":\"database\"}"));
    sqlite3_bind_text(t_get, 1, url + 9, 36, SQLITE_STATIC);
    int rc = sqlite3_step(t_get);
    char *body;
    unsigned status = 200;
    if (rc == SQLITE_ROW) {
        json_t *o = row_json(t_get);
        body = json_dumps(o, JSON_COMPACT);
        json_decref(o);
    } else {
        status = rc == SQLITE_DONE ? 404 : 500;
        body = strdup(rc == SQLITE_DONE ? "{\"error\":\"not found\"}" : "{\"error\":\"database\"}");
    }
    sqlite3_reset(t_get);
    sqlite3_clear_bindings(t_get);
    return reply(c, status, body);
}

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

int main(int argc, char **argv) {
    db_path = opt(argc, argv, "--db");
    const char *v, *port_file = opt(argc, argv, "--port-file");
    int port = (v = opt(argc, argv, "--port")) ? atoi(v) : 8090;
    int n = (v = opt(argc, argv, "--daemons")) ? atoi(v) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (!db_path) {
        fprintf(stderr, "usage: bench-floor --db FILE [--port N] [--daemons N] [--port-file F]\n");
        return 2;
    }
    if (n < 1) n = 1;
    if (n > 64) n = 64;
    struct MHD_Daemon *d[64] = {0};
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    for (int i = 0; i < n; i++) {
        sa.sin_port = htons((uint16_t)port);
        d[i] = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL, on_request,
                                NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
                                MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024), MHD_OPTION_CONNECTION_TIMEOUT,
                                (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4000, MHD_OPTION_END);
        if (!d[i]) {
            fprintf(stderr, "bench-floor: cannot listen on 127.0.0.1:%d\n", port);
            return 1;
        }
        if (port == 0) {
            const union MHD_DaemonInfo *info = MHD_get_daemon_info(d[i], MHD_DAEMON_INFO_BIND_PORT);
            port = info ? info->port : 0;
        }
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", port);
            fclose(f);
        }
    }
    fprintf(stderr, "bench-floor: listening on http://127.0.0.1:%d (%d listener%s, SO_REUSEPORT)\n", port, n,
            n == 1 ? "" : "s");
    struct sigaction s;
    memset(&s, 0, sizeof s);
    s.sa_handler = on_signal;
    sigaction(SIGINT, &s, NULL);
    sigaction(SIGTERM, &s, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_flag) usleep(100000);
    for (int i = 0; i < n; i++) MHD_stop_daemon(d[i]);
    return 0;
}
