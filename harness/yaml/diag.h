/* Errors about input files, each with its place: file:line:column. They
 * are collected, not printed, so one broken case file becomes one ERROR
 * result and the run goes on. */
#ifndef LM_DIAG_H
#define LM_DIAG_H

#include <stdio.h>

#include "util/util.h"

struct diag {
	char *file;
	int line, col;    /* 1-based; 0 when unknown */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
};

void diag_add(struct diags *d, const char *file, int line, int col,
	      const char *fmt, ...) LM_PRINTF(5, 6);
void diag_vadd(struct diags *d, const char *file, int line, int col,
	       const char *fmt, va_list ap);
/* A file's name as diagnostics show it: one line, whatever its bytes (a
 * name can hold a newline). Malloc'd. */
char *diag_file_shown(const char *file);
/* "file:line:col: msg" lines. */
void diag_format(const struct diags *d, struct strbuf *sb);
void diag_print(const struct diags *d, FILE *f);
void diag_free(struct diags *d);

#endif
