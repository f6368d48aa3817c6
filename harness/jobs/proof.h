/* Proof that an output was made by the linker that was asked for: its
 * banner in the link's output, its mark in the output file. */
#ifndef LM_PROOF_H
#define LM_PROOF_H

#include <stdbool.h>

#include "load/case.h"
#include "load/linker.h"

struct elf_file;

/* Checks the link output (stdout and stderr of the link run with the
 * linker's proof flag) and the output file, named output and opened as f
 * (NULL when it could not be: unreadable says why). Returns true when
 * proved; else appends the reason to why. */
bool proof_check(const struct linker *l, const struct linker_set *all,
		 const char *link_text, size_t link_len, const char *output,
		 const struct elf_file *f, const char *unreadable, enum mode m, struct strbuf *why);

#endif
