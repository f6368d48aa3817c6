/* A line diff of two texts, unified style (" ", "-", "+"), for a program
 * whose output differs from the reference's. */
#ifndef LM_TEXTDIFF_H
#define LM_TEXTDIFF_H

#include <stddef.h>

#include "util/util.h"

/* Appends the differences of b from a, with ctx lines of context around
 * each change. Texts of more than TEXTDIFF_MAX_LINES lines are compared
 * up to the first differing line only. */
#define TEXTDIFF_MAX_LINES 400
void text_diff(const char *a, size_t alen, const char *b, size_t blen, int ctx,
	       struct strbuf *out);

#endif
