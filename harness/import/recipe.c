/* A config as linkmatrix builds it: the files its case holds, a step for
 * each archive and shared object its dependencies make, and the program's
 * step last, with the link arguments Wild would pass, as they are through
 * a compiler driver or with -Xlinker when Wild runs the linker itself.
 * What Wild's command lines become is decided here, apart from the YAML
 * that writes it down. */
#include "import/import.h"

#include <stdlib.h>
#include <string.h>

#include "load/case.h"

/* The config's files and the local headers they include, transitively. */
static void recipe_files(const struct wtest *t, const struct wcfg *c, struct strvec *files)
{
	sv_push_once(files, t->rel);
	for (size_t i = 0; i < c->ndeps; i++)
		for (size_t k = 0; k < c->deps[i].files.n; k++)
			sv_push_once(files, c->deps[i].files.v[k]);
	for (size_t i = 0; i < c->l[L_FILES].n; i++)
		sv_push_once(files, c->l[L_FILES].v[i]);
	for (size_t i = 0; i < files->n; i++) {
		const struct strvec *inc = &imp_find_file(t, files->v[i])->includes;
		for (size_t k = 0; k < inc->n; k++)
			sv_push_once(files, inc->v[k]);
	}
}

/* A file of the case, a directory of them, or an output has that name. */
static bool taken(const struct recipe *p, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < p->files.n; i++)
		if (!strncmp(p->files.v[i], name, n) && (!p->files.v[i][n] || p->files.v[i][n] == '/'))
			return true;
	for (size_t i = 0; i < p->nsteps; i++)
		if (!strcmp(p->steps[i].output, name))
			return true;
	return false;
}

static char *free_name(const struct recipe *p, const char *base, const char *ext)
{
	char *s = xasprintf("%s%s", base, ext);
	for (int n = 2; taken(p, s); n++) {
		free(s);
		s = xasprintf("%s-%d%s", base, n, ext);
	}
	return s;
}

static struct step *add_step(struct recipe *p, char *output, const char *mode)
{
	p->steps = xrealloc(p->steps, (p->nsteps + 1) * sizeof *p->steps);
	struct step *s = &p->steps[p->nsteps++];
	*s = (struct step){ output, mode, STRVEC_INIT, STRVEC_INIT, STRVEC_INIT, false, NULL };
	return s;
}

/* An argument for the linker: with no driver Wild runs the linker itself,
 * so the compiler driver is told to pass it on as it is. */
static void link_arg(const struct wcfg *c, struct strvec *out, const char *arg)
{
	if (imp_direct(c))
		sv_push(out, "-Xlinker");
	sv_push(out, arg);
}

/* Wild's link arguments; a shared object's have LinkSoArgs after them.
 * Run directly, the linker gets no libc, no start files, Wild's
 * --gc-sections, and not the --as-needed some drivers add (Debian's). */
static void link_flags(const struct wcfg *c, bool shared, struct strvec *out)
{
	if (imp_direct(c)) {
		sv_push(out, "-nostdlib");
		link_arg(c, out, "--gc-sections");
		link_arg(c, out, "--no-as-needed");
	}
	for (size_t i = 0; i < c->l[L_LINK].n; i++)
		link_arg(c, out, c->l[L_LINK].v[i]);
	for (size_t i = 0; shared && i < c->l[L_LINK_SO].n; i++)
		link_arg(c, out, c->l[L_LINK_SO].v[i]);
}

/* Wild's ExpectError regexes (Rust's syntax, which PCRE2 reads alike), all
 * of which must match, as one pattern. (?-m) keeps ^ and $ to the whole
 * stderr as in Wild: linkmatrix's patterns are multiline. */
static char *error_regex(const struct strvec *v)
{
	if (v->n == 1)
		return strpbrk(v->v[0], "^$") ? xasprintf("(?-m)%s", v->v[0]) : xstrdup(v->v[0]);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "(?-m)\\A");
	for (size_t i = 0; i < v->n; i++)
		sb_addf(&sb, "(?=[\\s\\S]*?(?:%s))", v->v[i]);
	return sb_detach(&sb);
}

static char *link_expect(const struct wcfg *c)
{
	if (!c->link_error)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{ link: error");
	if (c->l[L_ERRORS].n) {
		char *re = error_regex(&c->l[L_ERRORS]);
		sb_adds(&sb, ", stderr: ");
		imp_y_scalar(&sb, re);
		free(re);
	}
	sb_adds(&sb, " }");
	return sb_detach(&sb);
}

static void note_sources(struct recipe *p, const struct strvec *files)
{
	for (size_t i = 0; i < files->n; i++)
		p->cxx |= source_kind(files->v[i]) == 'x';
}

/* A shared object or linker script on the program's link line, as Wild
 * puts it: -T before a script, and the template around the file. */
static void late_input(const struct wcfg *c, const struct dep *d, const char *file,
		       struct strvec *out)
{
	if (d->kind == DEP_SCRIPT)
		link_arg(c, out, "-T");
	if (!d->templ.n)
		link_arg(c, out, file);
	for (size_t i = 0; i < d->templ.n; i++) {
		struct strbuf a = STRBUF_INIT;
		sb_add_replacing(&a, d->templ.v[i], strlen(d->templ.v[i]), "$O", file);
		link_arg(c, out, a.buf);
		sb_free(&a);
	}
}

/* Archives and shared objects first, named after their first file as Wild
 * names them, then the program from the test's source and every input. */
void recipe_make(const struct wtest *t, const struct wcfg *c, struct recipe *p)
{
	static const char *const main_mode[] = { [WM_STATIC] = "static", [WM_DYNAMIC] = "exe",
						 [WM_UNSPECIFIED] = "exe" };
	memset(p, 0, sizeof *p);
	recipe_files(t, c, &p->files);
	const struct strvec *comp_so = c->l[L_COMP_SO].n ? &c->l[L_COMP_SO] : &c->l[L_COMP];
	struct strvec inputs = STRVEC_INIT, late = STRVEC_INIT;
	sv_push(&inputs, t->rel);
	note_sources(p, &inputs);
	for (size_t i = 0; i < c->ndeps; i++) {
		const struct dep *d = &c->deps[i];
		bool shared = d->kind == DEP_SHARED;
		note_sources(p, &d->files);
		if (d->kind == DEP_OBJECT) {
			sv_pushv(&inputs, d->files.v);
			continue;
		}
		if (d->kind == DEP_SCRIPT) {
			for (size_t k = 0; k < d->files.n; k++)
				late_input(c, d, d->files.v[k], &late);
			continue;
		}
		char *stem = imp_stem_of(d->files.v[0]), *base = xasprintf("lib%s", stem);
		struct step *s = add_step(p, free_name(p, base, shared ? ".so" : ".a"),
					  shared ? "shared" : "archive");
		sv_pushv(&s->inputs, d->files.v);
		sv_pushv(&s->cflags, shared ? comp_so->v : c->l[L_COMP].v);
		if (shared) {
			link_flags(c, true, &s->ldflags);
			late_input(c, d, s->output, &late);
		} else {
			sv_push(&inputs, s->output);
		}
		s->cxx_driver = shared && !strcmp(c->driver, "g++");
		free(base);
		free(stem);
	}
	struct step *m = add_step(p, free_name(p, t->stem, taken(p, t->stem) ? ".out" : ""),
				  imp_direct(c) ? main_mode[c->mode] : "pie");
	m->inputs = inputs;
	sv_pushv(&m->cflags, c->l[L_COMP].v);
	link_flags(c, false, &m->ldflags);
	sv_pushv(&m->ldflags, late.v);
	m->cxx_driver = !strcmp(c->driver, "g++");
	m->expect = link_expect(c);
	sv_clear(&late);
}

void recipe_free(struct recipe *p)
{
	sv_clear(&p->files);
	for (size_t i = 0; i < p->nsteps; i++) {
		struct step *s = &p->steps[i];
		free(s->output);
		sv_clear(&s->inputs);
		sv_clear(&s->cflags);
		sv_clear(&s->ldflags);
		free(s->expect);
	}
	free(p->steps);
}
