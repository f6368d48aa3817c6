/* What a person sees during a run: on a terminal one live status line
 * with failures printed above it; without one, a line per finished test. */
#ifndef LM_CONSOLE_H
#define LM_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "plan/plan.h"

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

#endif
