#include "yaml/diag.h"

#include <stdlib.h>

void diag_vadd(struct diags *d, const char *file, int line, int col,
	       const char *fmt, va_list ap)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	struct diag *g = &d->v[d->n++];
	g->file = xstrdup(file ? file : "");
	g->line = line;
	g->col = col;
	g->msg = xvasprintf(fmt, ap);
}

void diag_add(struct diags *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, file, line, col, fmt, ap);
	va_end(ap);
}

char *diag_file_shown(const char *file)
{
	return xvisible(file, 4096);
}

void diag_format(const struct diags *d, struct strbuf *sb)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		char *file = diag_file_shown(g->file);
		if (g->line)
			sb_addf(sb, "%s:%d:%d: %s\n", file, g->line, g->col, g->msg);
		else
			sb_addf(sb, "%s: %s\n", file, g->msg);
		free(file);
	}
}

void diag_print(const struct diags *d, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	diag_format(d, &sb);
	fputs(sb_str(&sb), f);
	sb_free(&sb);
}

void diag_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
