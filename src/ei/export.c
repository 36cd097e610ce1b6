/* export.c - files for another system (the bank's payment file, the giro printer's notices).
 *
 * Written to FILE.tmp, readable by the service account only whatever the umask (a left-over file
 * keeps its mode, so it is set again), in chunks of ei_batch_chunk_size rows, each chunk read in
 * its own transaction whose audit records go to the committer like a batch's (ei_batch_chunk_*),
 * so a day of 1.8 M rows is read in bounded memory; then flushed, fsync'd and renamed, so the
 * file under its name is always whole.  On an error the temporary file is removed. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ei/ei_int.h"

void ei_csv_quoted(FILE *f, const char *v) {
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"') fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

op_code ei_export_file(ctx *c, const char *path, const char *header, ei_export_chunk_fn chunk_fn, void *arg) {
    char *tmp = arena_printf(c->a, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 && fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        return op_fail(&c->err, OP_INTERNAL, "check the --out directory", "cannot write %s", tmp);
    }
    fputs(header, f);
    size_t chunk = ei_batch_chunk_size > 0 ? (size_t)ei_batch_chunk_size : 1, got;
    char last[ID_LEN] = "";
    struct ei_chunk k = {0};
    op_code rc = OP_OK;
    do {
        if ((rc = ei_batch_chunk_begin(c, &k))) break;
        rc = chunk_fn(c, f, last, chunk, &got, arg);
        rc = ei_batch_chunk_end(c, &k, rc);
    } while (!rc && got == chunk);
    ei_batch_done(c, &k);
    if (rc) {
        fclose(f);
        unlink(tmp);
        return rc;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 || rename(tmp, path) != 0)
        return op_fail(&c->err, OP_INTERNAL, NULL, "cannot write %s", path);
    return OP_OK;
}
