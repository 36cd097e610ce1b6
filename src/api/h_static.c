/* h_static.c - the portal's static files from the web directory (server --web DIR).
 * Paths without an extension fall back to index.html so the portal's routes are deep-linkable. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "http/server.h"

static const char *mime(const char *path) {
    const char *dot = strrchr(path, '.');
    if (!dot) return "application/octet-stream";
    static const char *map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(dot, map[i][0]) == 0) return map[i][1];
    return "application/octet-stream";
}

static op_code serve_file(http_req *rq, http_res *rs, const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", server_web_dir, rel);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > 8 * 1024 * 1024) {
        if (fd >= 0) close(fd);
        return op_fail(&rq->c->err, OP_NOT_FOUND, NULL, "no file at /%s", rel);
    }
    char *buf = arena_alloc(rq->c->a, (size_t)sb.st_size + 1);
    ssize_t got = 0;
    while (got < sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)(sb.st_size - got));
        if (n <= 0) break;
        got += n;
    }
    close(fd);
    rs->body = buf;
    rs->body_len = (size_t)got;
    rs->content_type = mime(path);
    http_add_header(rs, "Cache-Control", "no-cache");
    http_add_header(rs, "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    return OP_OK;
}

static op_code static_file(http_req *rq, http_res *rs) {
    const char *p = rq->path;
    while (*p == '/') p++;
    if (strstr(p, "..") || strchr(p, '\\') || strncmp(p, "api/", 4) == 0)
        return op_fail(&rq->c->err, OP_ROUTE_NOT_FOUND, "see /api/v1/openapi.json", "no endpoint at %s", rq->path);
    const char *last = strrchr(p, '/');
    bool has_ext = strchr(last ? last : p, '.') != NULL;
    if (!*p || !has_ext) return serve_file(rq, rs, "index.html");
    return serve_file(rq, rs, p);
}

struct route static_routes[] = {
    {"GET", "/*", static_file, R_PUBLIC | R_HIDDEN, 0, NULL, 0, "portal static files", "portal", NULL},
    ROUTE_END,
};
