/* A bump allocator for data that lives as long as the thing it describes
 * (a loaded case, the linker table): one free releases it all. */
#ifndef LM_ARENA_H
#define LM_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t n);   /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
