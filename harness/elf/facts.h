/* An ELF file as keyed facts that survive a different layout: names, not
 * addresses. "segment.LOAD.RX.sections" = ".init .plt .text .fini",
 * "dynsym.foo.binding" = "global", "dynamic.DT_INIT_ARRAY" = "@.init_array".
 * The diff compares these across linkers. */
#ifndef LM_ELF_FACTS_H
#define LM_ELF_FACTS_H

#include <stddef.h>

#include "elf/model.h"

struct fact {
	char *key, *val;
	/* The presence fact this one details ("section..text" for
	 * "section..text.flags"), or NULL: a detail is compared only where
	 * the thing it details is there. */
	const char *parent;
};

struct facts {
	struct fact *v;
	size_t n, cap;
};

/* Fills fs with f's facts, sorted by key (keys are unique). */
void facts_collect(const struct elf_file *f, struct facts *fs);
/* The fact with this key, or NULL (binary search). */
const struct fact *facts_find(const struct facts *fs, const char *key);
void facts_free(struct facts *fs);

#endif
