/* Failures grouped by cause, as lit's "Failed Tests (N)" lists them but
 * grouped: a run's summary and the page say "8 tests: run: breaks
 * illumos-phdr-needs-interp" once, not eight times. */
#ifndef LM_CAUSES_H
#define LM_CAUSES_H

#include "results/report.h"

/* The cause of a test that went wrong (FAIL, ERROR, TIMEOUT, XPASS), NULL
 * for any other: its stage and the loader rules its outputs break; else
 * its stage and its message with the parts that vary from test to test
 * taken out (quoted names, paths, numbers, symbol+offset places, "from
 * the cache", the file its step is named by: "linking OUT"), so that one linker bug met by many cases is one cause.
 * The test's own names (case, variant, linker) are not taken out: they
 * are words too ("undefined", "default"), and a linker's name in its
 * message is its own. Allocated. */
char *record_cause(const struct record *rec);

struct cause_group {
	char *cause;
	/* Of its tests: FAIL, ERROR, TIMEOUT or XPASS. A cause names every
	 * outcome but FAIL ("timeout at run: ...", "error at link: ..."). */
	enum outcome outcome;
	struct strvec ids;         /* the tests' ids, in the order added */
};

struct causes {
	struct cause_group *v;
	size_t n, tests;
};

/* Adds rec to its cause's group; one that did not go wrong is left out. */
void causes_add(struct causes *c, const struct record *rec);
/* The largest groups first, then by cause. */
void causes_sort(struct causes *c);
void causes_free(struct causes *c);

#endif
