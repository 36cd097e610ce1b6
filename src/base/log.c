/* log.c - see log.h.  Lines are written whole with one write(2): messages at once, request lines
 * gathered in one buffer that is written when full and at least every LOG_FLUSH_MS by a flusher
 * thread (a busy server wrote one line per request: one system call each). */
#include "base/log.h"

#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

enum log_level log_min_level = LOG_INFO;
static int log_fd = 2;
static const char *level_names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level l) { log_min_level = l; }

void log_flush(void);

int log_set_file(const char *path) {
    log_flush(); /* lines gathered so far belong to the previous destination */
    if (!path) {
        log_fd = 2;
        return 0;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return -1;
    log_fd = fd;
    return 0;
}

void log_json_str(char *out, size_t cap, size_t *len, const char *s, size_t max) {
    static const char hex[] = "0123456789abcdef";
    size_t n = *len;
    if (n + 3 > cap) return;
    out[n++] = '"';
    for (size_t i = 0; s && s[i] && i < max && n + 8 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            out[n++] = '\\';
            out[n++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            out[n++] = '\\';
            out[n++] = 'u';
            out[n++] = '0';
            out[n++] = '0';
            out[n++] = hex[ch >> 4];
            out[n++] = hex[ch & 15];
        } else {
            out[n++] = (char)ch; /* UTF-8 passes through; invalid bytes are the reader's problem */
        }
    }
    out[n++] = '"';
    out[n] = 0;
    *len = n;
}

static void write_all(const char *p, size_t n) {
    while (n) {
        ssize_t r = write(log_fd, p, n);
        if (r <= 0) return; /* a log that cannot be written must not stop the server */
        p += r;
        n -= (size_t)r;
    }
}

enum { LOG_BUF = 64 * 1024, LOG_FLUSH_MS = 20 };
static pthread_mutex_t lb_mu = PTHREAD_MUTEX_INITIALIZER;
static char lb_buf[LOG_BUF];
static size_t lb_len;
static pthread_once_t lb_once = PTHREAD_ONCE_INIT;
static bool log_buffered = true; /* false when the flusher thread could not start */

static void flush_locked(void) {
    write_all(lb_buf, lb_len);
    lb_len = 0;
}

void log_flush(void) {
    pthread_mutex_lock(&lb_mu);
    flush_locked();
    pthread_mutex_unlock(&lb_mu);
}

static void *flusher(void *arg) {
    (void)arg;
    struct timespec d = {0, LOG_FLUSH_MS * 1000000L};
    for (;;) {
        nanosleep(&d, NULL);
        log_flush();
    }
    return NULL;
}

static void start_flusher(void) {
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, flusher, NULL) != 0) log_buffered = false;
    pthread_attr_destroy(&at);
    atexit(log_flush);
}


void log_json_line(const char *line, unsigned long len) {
    if (log_buffered) pthread_once(&lb_once, start_flusher);
    pthread_mutex_lock(&lb_mu);
    if (!log_buffered || len + 1 > LOG_BUF) { /* unbuffered, or too long for the buffer: as it is */
        flush_locked();
        write_all(line, len);
        write_all("\n", 1);
    } else {
        if (lb_len + len + 1 > LOG_BUF) flush_locked();
        memcpy(lb_buf + lb_len, line, len);
        lb_buf[lb_len + len] = '\n';
        lb_len += len + 1;
    }
    pthread_mutex_unlock(&lb_mu);
}

void log_msg_(enum log_level l, const char *fmt, ...) {
    char msg[2048], ts[CLOCK_TS_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    clock_now_ts(ts);
    json_t *o = json_pack("{s:s, s:s, s:s}", "ts", ts, "level", level_names[l], "msg", msg);
    if (!o) return;
    char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (s) { /* at once, after the request lines before it */
        size_t n = strlen(s);
        pthread_mutex_lock(&lb_mu);
        flush_locked();
        s[n] = 0;
        write_all(s, n);
        write_all("\n", 1);
        pthread_mutex_unlock(&lb_mu);
        free(s);
    }
    json_decref(o);
}
