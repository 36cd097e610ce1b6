/* log.c - see log.h.  One write(2) per record keeps lines whole across threads. */
#include "base/log.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

enum log_level log_min_level = LOG_INFO;
static int log_fd = 2;
static const char *level_names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level l) { log_min_level = l; }

int log_set_file(const char *path) {
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

void log_json_line(const char *line, unsigned long len) {
    char stackbuf[4096];
    char *buf = len + 2 <= sizeof stackbuf ? stackbuf : malloc(len + 2);
    if (!buf) return;
    memcpy(buf, line, len);
    buf[len] = '\n';
    ssize_t r = write(log_fd, buf, len + 1);
    (void)r;
    if (buf != stackbuf) free(buf);
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
    if (s) {
        log_json_line(s, strlen(s));
        free(s);
    }
    json_decref(o);
}
