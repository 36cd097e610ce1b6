/* test_id.c - UUIDv7 identifiers (RFC 9562): shape, order, uniqueness. */
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "base/id.h"

Test(id, uuid7_has_the_rfc_9562_shape) {
    char id[ID_LEN];
    id_uuid7(id);
    cr_assert_eq(strlen(id), 36);
    cr_assert(id_is_uuid(id), "%s", id);
    cr_assert_eq(id[14], '7', "version 7: %s", id);
    cr_assert(strchr("89ab", id[19]), "RFC variant: %s", id);
    for (int i = 0; i < 36; i++)
        if (i != 8 && i != 13 && i != 18 && i != 23) cr_assert(strchr("0123456789abcdef", id[i]), "%s", id);
}

Test(id, uuid7s_are_unique_and_ordered_by_time) {
    enum { N = 20000 };
    static char ids[N][ID_LEN];
    for (int i = 0; i < N; i++) id_uuid7(ids[i]);
    for (int i = 1; i < N; i++) cr_assert(strncmp(ids[i - 1], ids[i], 13) <= 0, "time prefix never goes back");
    qsort(ids, N, ID_LEN, (int (*)(const void *, const void *))strcmp);
    for (int i = 1; i < N; i++) cr_assert_str_neq(ids[i - 1], ids[i], "duplicate id");
}

Test(id, a_forked_child_does_not_repeat_the_parents_ids) {
    char mine[ID_LEN], theirs[ID_LEN] = "";
    id_uuid7(mine); /* the parent's buffer now holds unused random bytes */
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char id[ID_LEN];
        id_uuid7(id);
        ssize_t w = write(fd[1], id, ID_LEN);
        _exit(w == ID_LEN ? 0 : 1);
    }
    cr_assert_eq(read(fd[0], theirs, ID_LEN), ID_LEN);
    waitpid(pid, NULL, 0);
    char next[ID_LEN];
    id_uuid7(next);
    cr_assert_str_neq(theirs + 14, next + 14, "the child drew its own random bytes, not the parent's next ones");
}
