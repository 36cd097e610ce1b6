/* log.h - JSON-lines logging to stderr (or a file) with levels.
 *
 * Each record is one line: {"ts","level","msg", ...fields}.  The macro skips all formatting
 * when the level is filtered out.  log_kv writes a record whose fields are given as
 * alternating key/value strings, ending with NULL. */
#ifndef OPENPES_LOG_H
#define OPENPES_LOG_H
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };
extern enum log_level log_min_level;

void log_set_level(enum log_level l);
int log_set_file(const char *path); /* NULL = stderr */
void log_msg_(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (quotes included) to out[*len..cap), truncating long values
 * to `max` bytes of input; keeps out NUL-terminated.  For hot-path log lines built by hand. */
void log_json_str(char *out, size_t cap, size_t *len, const char *s, size_t max);
/* Write a pre-built JSON object (serialised by the caller) as one line.  Buffered: lines reach
 * the log when 64 KiB have gathered and at least every 20 ms (a flusher thread), and at exit;
 * a crash can lose the last 20 ms of them.  log_msg_ records are written at once (after the
 * buffered lines, so the order is kept). */
void log_json_line(const char *line, unsigned long len);
void log_flush(void);

#define log_at(l, ...)                                                                             \
    do {                                                                                           \
        if ((l) >= log_min_level) log_msg_((l), __VA_ARGS__);                                      \
    } while (0)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_at(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_at(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_at(LOG_ERROR, __VA_ARGS__)

#endif
