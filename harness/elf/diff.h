/* What one linker's output does differently: the facts (elf/facts.h) of a
 * file against those of one or more references. A key is reported only
 * where the file's value differs from every reference's, so matching any
 * one other linker is enough. */
#ifndef LM_ELF_DIFF_H
#define LM_ELF_DIFF_H

#include <stdbool.h>

#include "elf/facts.h"
#include "util/json.h"
#include "yaml/yamldoc.h"

/* The keys ignored unless asked otherwise, with why; versioned, as
 * reports say which list they used. */
#define ELF_DIFF_IGNORES_VERSION 1
struct diff_ignore {
	const char *glob, *why;
};
const struct diff_ignore *elf_diff_default_ignores(size_t *n);

struct diff_row {
	const char *key;
	const char **vals;        /* one per file; NULL: absent */
};

struct elf_diff {
	size_t nfiles;
	char **names;             /* short names: the shortest distinct path suffixes */
	struct facts *facts;
	struct diff_row *rows;
	size_t nrows;
};

/* Compares paths[0] with paths[1..n-1]. ignore: globs (fnmatch) of keys,
 * on top of the default list unless no_defaults. 0, or -1 with a one-line
 * reason in err when a file cannot be read. */
int elf_diff_files(char *const *paths, size_t n, const struct slist *ignore, bool no_defaults,
		   struct elf_diff *d, struct strbuf *err);
/* One line per key, one column per file; max_per_group > 0 shortens each
 * group of keys (symtab, section, ...) to that many lines and a count. */
void elf_diff_text(const struct elf_diff *d, size_t max_per_group, struct strbuf *sb);
void elf_diff_json(const struct elf_diff *d, struct json *j);
void elf_diff_free(struct elf_diff *d);

#endif
