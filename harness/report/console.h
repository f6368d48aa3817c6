/* What a person sees during a run: on a terminal one live status line
 * with failures printed above it; without one, a line per finished test. */
#ifndef LM_CONSOLE_H
#define LM_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "plan/plan.h"
#include "results/causes.h"
#include "results/linktimes.h"

/* --color: auto is on a terminal, unless NO_COLOR is set (not empty, as
 * no-color.org says) or TERM is dumb. */
enum color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* "auto", "always" or "never" into *c; -1 for any other. */
int color_parse(const char *s, enum color *c);

struct console {
	FILE *f;
	bool tty;
	bool color;               /* outcome words in colour */
	bool quiet;               /* failures and the summary only */
	size_t total, done, bad;
	double start;
	bool line_shown;          /* a status line is on screen */
};

void console_init(struct console *c, FILE *f, size_t total, bool quiet, enum color color);
void console_result(struct console *c, const struct test *t);
/* Erases the status line before other output. */
void console_clear(struct console *c);

/* The tests skipped for what this machine lacks (plan.h's enum absent),
 * a line per missing linker or unusable target, not a line per test: 104
 * of a run's 326 lines said "not installed" of Wild. The strings are the
 * linker and target sets', which outlive it. */
struct absence {
	enum absent kind;
	const char *name, *target, *why;   /* target: a linker's own entry for it */
	size_t tests;
};

struct absences {
	struct absence *v;
	size_t n;
};

/* Counts t when it is such a SKIP. */
void absences_add(struct absences *a, const struct test *t);
/* "NAME: N tests skipped: WHY", a line each. */
void console_absences(FILE *f, const struct absences *a);
void absences_free(struct absences *a);

/* The failed tests by cause (causes_sort'ed), at most shown ids of each,
 * as the per-test lines print them. */
void console_causes(FILE *f, const struct causes *cs, size_t shown);

/* The table of link times, a row per linker, aligned; nothing when no
 * test linked. */
void console_link_times(FILE *f, const struct link_times *t);
/* The slowest tests, slowest first, with their link seconds. */
void console_slowest(FILE *f, const struct slowest *s);

#endif
