/* arena.h - region allocator: one per request or job, freed in one call.
 *
 * Allocation never returns NULL: running out of memory aborts the process (as palloc does),
 * so callers do not check.  Everything allocated from an arena lives until arena_free(). */
#ifndef OPENPES_ARENA_H
#define OPENPES_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t first_block);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);             /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s);       /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
size_t arena_used(const arena *a);
/* Run the clean-ups and free everything but the first block, leaving an empty arena to reuse. */
void arena_reset(arena *a);
/* Run fn(arg) when the arena is freed (for non-memory resources such as jansson values). */
void arena_on_free(arena *a, void (*fn)(void *), void *arg);

#endif
