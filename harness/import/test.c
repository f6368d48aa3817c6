/* One Wild test while its directives are read: the config being filled
 * in and those before it, made, copied and inherited as Wild's test
 * runner does; the first error, which stops the test (no case is
 * written for it); and what the translation leaves out, which does not
 * stop it but is counted for the summary, written to the details file and
 * listed at the top of the case, so a reader sees what was lost. */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void imp_set_args(struct strvec *v, const char *s)
{
	sv_clear(v);
	imp_split(v, s, ' ');
}

const char *imp_flag_of(const char *arg, const char *const *flags, size_t n)
{
	const char *a = arg + (strncmp(arg, "-Wl,", 4) ? 0 : 4);
	size_t len = strcspn(a, ",");
	for (size_t k = 0; k < n; k++)
		if (strlen(flags[k]) == len && !strncmp(a, flags[k], len))
			return flags[k];
	return NULL;
}

void imp_cfg_init(struct wcfg *c, const char *name)
{
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->run = true;
	c->variant = c->load_align = -1;
	c->driver = "none";
	/* Wild links with -z now unless a test says otherwise. */
	imp_set_args(&c->l[L_LINK], "-z now");
	imp_set_args(&c->l[L_LINK_SO], "-z now");
}

struct dep *imp_add_dep(struct wcfg *c, enum dep_kind kind)
{
	c->deps = xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
	struct dep *d = &c->deps[c->ndeps++];
	d->kind = kind;
	d->files = d->flags = d->templ = d->nested = (struct strvec)STRVEC_INIT;
	return d;
}

void imp_cfg_copy(struct wcfg *dst, const struct wcfg *src, const char *name)
{
	*dst = *src;
	dst->name = xstrdup(name);
	dst->run_dyn_sym = src->run_dyn_sym ? xstrdup(src->run_dyn_sym) : NULL;
	for (size_t i = 0; i < NLISTS; i++) {
		dst->l[i] = (struct strvec)STRVEC_INIT;
		sv_pushv(&dst->l[i], src->l[i].v);
	}
	dst->deps = NULL;
	dst->ndeps = 0;
	for (size_t i = 0; i < src->ndeps; i++) {
		struct dep *d = imp_add_dep(dst, src->deps[i].kind);
		sv_pushv(&d->files, src->deps[i].files.v);
		sv_pushv(&d->flags, src->deps[i].flags.v);
		sv_pushv(&d->nested, src->deps[i].nested.v);
		sv_pushv(&d->templ, src->deps[i].templ.v);
	}
}

void imp_cfg_free(struct wcfg *c)
{
	free(c->name);
	free(c->run_dyn_sym);
	for (size_t i = 0; i < NLISTS; i++)
		sv_clear(&c->l[i]);
	for (size_t i = 0; i < c->ndeps; i++) {
		sv_clear(&c->deps[i].files);
		sv_clear(&c->deps[i].flags);
		sv_clear(&c->deps[i].nested);
		sv_clear(&c->deps[i].templ);
	}
	free(c->deps);
}

bool imp_direct(const struct wcfg *c)
{
	return !strcmp(c->driver, "none");
}

/* Moves cur to the finished configs; cur is left empty. */
void imp_push_cfg(struct wtest *t)
{
	t->cfgs = xrealloc(t->cfgs, (t->ncfgs + 1) * sizeof *t->cfgs);
	t->cfgs[t->ncfgs++] = t->cur;
	memset(&t->cur, 0, sizeof t->cur);
}

const struct wcfg *imp_find_cfg(const struct wtest *t, const char *name)
{
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!strcmp(t->cfgs[i].name, name))
			return &t->cfgs[i];
	return NULL;
}

/* ---- errors and what is not translated ----------------------------------- */

int imp_fail(struct wtest *t, const char *fmt, ...)
{
	if (t->err.len)
		return -1;
	char *where = path_join(t->im->dir, t->rel);
	if (t->line)
		sb_addf(&t->err, "%s:%d: ", where, t->line);
	else
		sb_addf(&t->err, "%s: ", where);
	free(where);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&t->err, fmt, ap);
	va_end(ap);
	return -1;
}

static void tally(struct importer *im, const char *name, bool lost)
{
	struct tally *k = NULL;
	for (size_t i = 0; i < im->nlost && !k; i++)
		if (!strcmp(im->lost[i].name, name))
			k = &im->lost[i];
	if (!k) {
		im->lost = xrealloc(im->lost, (im->nlost + 1) * sizeof *im->lost);
		k = &im->lost[im->nlost++];
		*k = (struct tally){ xstrdup(name), 0, 0 };
	}
	*(lost ? &k->lost : &k->weakened) += 1;
}

/* Counted, and kept in the config, whose case lists it at its top with
 * the file's name under DIR and the details file after the test's name. */
void imp_report(struct wtest *t, const char *file, int line, const char *directive, bool lost,
		const char *why)
{
	sv_pushf(&t->cur.l[L_LOST], "%s:%d: %s: %s: %s", file, line, directive,
		 lost ? "lost" : "weakened", why);
	t->cur.lost |= lost;
	tally(t->im, directive, lost);
}

static void report_at_line(struct wtest *t, const char *directive, bool lost, const char *fmt,
			   va_list ap)
{
	char *why = xvasprintf(fmt, ap);
	imp_report(t, t->rel, t->line, directive, lost, why);
	free(why);
}

void imp_lose(struct wtest *t, const char *directive, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at_line(t, directive, true, fmt, ap);
	va_end(ap);
}

void imp_weaken(struct wtest *t, const char *directive, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at_line(t, directive, false, fmt, ap);
	va_end(ap);
}

/* Adds a reason to those of one directive: each directive is reported once. */
void imp_note(struct strbuf *why, const char *fmt, ...)
{
	if (why->len)
		sb_adds(why, "; ");
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(why, fmt, ap);
	va_end(ap);
}
