/* After a link: the output against the loader rules of its target's
 * profile (and any extra profiles), and against the case's `elf:`
 * expectations for that file. f is the output, opened (NULL when it could
 * not be: unreadable says why). */
#ifndef LM_INSPECT_H
#define LM_INSPECT_H

#include <stdbool.h>

#include "elf/rules.h"
#include "load/case.h"
#include "plan/result.h"

struct inspect_ctx {
	const struct profile *target;   /* the target's loader profile */
	const struct profile *extra;    /* --check-profile */
	size_t nextra;
	enum mode mode;                 /* the mode the step asked for */
};

/* Records every rule finding as a note in r, and fails r (stage mode for
 * another kind of file than the mode's, elf-rule for an unexpected finding
 * or an unreadable output, elf-expect for a failed expectation) unless it
 * has failed already. */
void inspect_output(struct result *r, const struct lcase *c, const struct inspect_ctx *ic,
		    const char *output, const struct elf_file *f, const char *unreadable);

/* Appends to r->diff how each output of the linker under test in dir
 * differs from the same file in refdir (elf diff, the case's ignores on top
 * of the defaults). Returns the number of differing keys. */
size_t inspect_diff(struct result *r, const struct lcase *c, const char *dir,
		    const char *refdir, const char *refname);

/* A pass that hides a difference: where an output of the linker under
 * test and the reference's differ in whether a section the loader or the
 * unwinder reads (.eh_frame, .init_array, .fini_array, .data.rel.ro) is
 * relocated at run time, or the output's .got holds an address nothing
 * relocates where the reference's .got is relocated, a warning in r. */
void inspect_hidden(struct result *r, const struct lcase *c, const char *dir, const char *refdir,
		    const char *refname);

#endif
