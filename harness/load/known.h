/* A known-failures file (run --known-failures FILE): the failures a port
 * or a nightly matrix expects today, kept outside the cases. A matching
 * FAIL or TIMEOUT is XFAIL, a matching PASS is XPASS, as with a case's own
 * expect-failure entries (which come first).
 *
 *   - case: modes                # a case name, or a glob: 'tls-*'
 *     variants: [static]         # optional
 *     targets: [x86_64-illumos]  # optional
 *     linkers: [wild]
 *     reason: PT_PHDR without PT_INTERP, SIGKILL in exec
 */
#ifndef LM_KNOWN_H
#define LM_KNOWN_H

#include <stdatomic.h>

#include "load/case.h"
#include "load/linker.h"
#include "util/arena.h"
#include "yaml/diag.h"
#include "yaml/yamldoc.h"

struct known_failure {
	const char *case_glob;
	struct xfail x;
	atomic_size_t matched;       /* tests it covered in this run */
};

struct known_set {
	struct known_failure *v;
	size_t n;
	struct arena arena;
	struct ydoc doc;
};

/* 0, or -1 with diagnostics (file:line:col) in d. */
int known_load(struct known_set *k, const char *path, struct diags *d);
/* The same, the diagnostics as lines in err without a newline at the end
 * (for a command's one error message). */
int known_load_err(struct known_set *k, const char *path, struct strbuf *err);
void known_free(struct known_set *k);
/* The entry covering this test, or NULL. */
const struct xfail *known_match(struct known_set *k, const char *case_name, const char *variant,
				const char *target, const struct linker *linker);

#endif
