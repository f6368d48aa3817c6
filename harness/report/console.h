/* What a person sees during a run: on a terminal one live status line
 * with failures printed above it; without one, a line per finished test. */
#ifndef LM_CONSOLE_H
#define LM_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "plan/plan.h"
#include "results/linktimes.h"

struct console {
	FILE *f;
	bool tty;
	bool quiet;               /* failures and the summary only */
	size_t total, done, bad;
	double start;
	bool line_shown;          /* a status line is on screen */
};

void console_init(struct console *c, FILE *f, size_t total, bool quiet);
void console_result(struct console *c, const struct test *t);
/* Erases the status line before other output. */
void console_clear(struct console *c);

/* The table of link times, a row per linker, aligned; nothing when no
 * test linked. */
void console_link_times(FILE *f, const struct link_times *t);
/* The slowest tests, slowest first, with their link seconds. */
void console_slowest(FILE *f, const struct slowest *s);

#endif
