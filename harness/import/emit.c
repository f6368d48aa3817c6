/* A config written as a case file: scalars and embedded file texts
 * quoted so that they load back byte for byte, then the case's header,
 * requires, files, build steps, run and elf checks. Each case written is
 * read back with the loader `linkmatrix validate` uses, so that a case the
 * importer got wrong fails its test here, not the run that loads it. */
#include "import/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load/case.h"
#include "yaml/diag.h"
#include "yaml/yamldoc.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-"

/* ---- YAML ---------------------------------------------------------------- */

/* The code point at s (n bytes left) in *cp, and its length. Bytes that
 * are not UTF-8 read as U+FFFD, one at a time; embedded text has none. */
static size_t rune(const char *s, size_t n, unsigned long *cp)
{
	static const unsigned char lead_bits[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	const unsigned char *u = (const unsigned char *)s;
	size_t len = utf8_seq_len(u, n);
	if (!len) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = u[0] & lead_bits[len];
	for (size_t i = 1; i < len; i++)
		*cp = *cp << 6 | (u[i] & 0x3f);
	return len;
}

/* What YAML lets stand unescaped, less tab, the byte order mark and what
 * YAML 1.1 reads as line breaks (LF, NEL, LS, PS). */
static bool printable(unsigned long cp)
{
	return (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xfffd && cp != 0xfeff &&
					     cp != 0x2028 && cp != 0x2029) || cp >= 0x10000;
}

/* s as a double-quoted YAML scalar. With indent, each line of s after the
 * first goes on a line of its own (an escaped line break, then indent); a
 * space starting one is escaped, as YAML strips the indentation there. */
static void y_quoted(struct strbuf *y, const char *s, const char *indent)
{
	static const char from[] = "\"\\\t\r\n", to[] = "\"\\trn";
	size_t len = strlen(s);
	sb_addc(y, '"');
	for (size_t i = 0, k; i < len; i += k) {
		unsigned long cp;
		k = rune(s + i, len - i, &cp);
		const char *e = cp < 0x80 ? strchr(from, (int)cp) : NULL;
		if (e)
			sb_addf(y, "\\%c", to[e - from]);
		else if (!printable(cp))
			sb_addf(y, cp < 0x100 ? "\\x%02lx" : cp < 0x10000 ? "\\u%04lx" : "\\U%08lx", cp);
		else
			sb_add(y, s + i, k);
		if (cp == '\n' && indent && i + k < len) {
			sb_addf(y, "\\\n%s", indent);
			if (s[i + k] == ' ') {
				sb_adds(y, "\\ ");
				k++;
			}
		}
	}
	sb_addc(y, '"');
}

static bool all_printable(const char *s)
{
	size_t len = strlen(s);
	unsigned long cp;
	for (size_t i = 0, k; i < len; i += k)
		if (k = rune(s + i, len - i, &cp), !printable(cp))
			return false;
	return true;
}

void imp_y_scalar(struct strbuf *y, const char *s)
{
	if (*s && !s[strspn(s, NAME_CHARS "/=")] && strcmp(s, "-") && strcasecmp(s, "null")) {
		sb_adds(y, s);
	} else if (all_printable(s)) {
		sb_addc(y, '\'');
		sb_add_replacing(y, s, strlen(s), "'", "''");
		sb_addc(y, '\'');
	} else {
		y_quoted(y, s, NULL);
	}
}

/* Text a literal block holds as it is: printable, no tab where YAML
 * looks for indentation, and something besides line breaks. */
static bool literal_ok(const char *s)
{
	bool bol = true, content = false;
	size_t len = strlen(s);
	for (size_t i = 0, k; i < len; i += k) {
		unsigned long cp;
		k = rune(s + i, len - i, &cp);
		if ((cp == '\t' && bol) || (cp != '\t' && cp != '\n' && !printable(cp)))
			return false;
		content |= cp != '\n';
		bol = cp == '\n';
	}
	return content;
}

/* A file's text as a mapping value at indentation 2, and a line break. */
static void y_text(struct strbuf *y, const char *s)
{
	static const char indent[] = "    ";
	if (!literal_ok(s)) {
		y_quoted(y, s, indent);
		sb_addc(y, '\n');
		return;
	}
	size_t len = strlen(s), nl = 0;
	while (nl < len && s[len - 1 - nl] == '\n')
		nl++;
	/* The indentation indicator: the first line may start with spaces. */
	sb_adds(y, nl == 0 ? "|2-" : nl == 1 ? "|2" : "|2+");
	const char *p = s, *line;
	size_t n;
	while (imp_next_line(&p, &line, &n))
		sb_addf(y, "\n%s%.*s", n ? indent : "", (int)n, line);
	sb_addc(y, '\n');
}

/* key: [a, b], a line, when v has items. */
static void y_key_list(struct strbuf *y, const char *key, const struct strvec *v)
{
	if (!v->n)
		return;
	sb_addf(y, "%s: [", key);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			sb_adds(y, ", ");
		imp_y_scalar(y, v->v[i]);
	}
	sb_adds(y, "]\n");
}

/* ---- the case file ------------------------------------------------------- */

static void emit_header(struct strbuf *y, const struct wtest *t, const struct wcfg *c,
			const char *name)
{
	sb_addf(y, "# Wild's test %s, config %s, as 'linkmatrix import wild' translated it.\n",
		t->rel, c->name);
	if (c->l[L_LOST].n)
		sb_addf(y, "# Not translated, for want of an equivalent in linkmatrix (lost: the case "
			"would check\n# something else than Wild, so it is SKIP; weakened: it checks "
			"less):\n");
	for (size_t i = 0; i < c->l[L_LOST].n; i++)
		sb_addf(y, "#   %s\n", c->l[L_LOST].v[i]);
	char *description = xasprintf("Wild test %s, config %s", t->rel, c->name);
	sb_adds(y, "name: ");
	imp_y_scalar(y, name);
	sb_adds(y, "\ndescription: ");
	imp_y_scalar(y, description);
	sb_adds(y, "\ntags: [wild]\n");
	if (c->lost)
		sb_adds(y, "skip: 'the import lost what Wild checks: see the comments at the top'\n");
	if (c->clang)
		sb_adds(y, "compiler: clang\n");
	free(description);
}

static void emit_requires(struct strbuf *y, const struct wtest *t, const struct wcfg *c,
			  const struct recipe *p)
{
	static const char *const wild_set[] = { "bfd", "wild" };
	const struct slist *all = t->im->linkers;
	struct strvec linkers = STRVEC_INIT, libc = STRVEC_INIT;
	bool all_linkers = t->im->all_linkers;
	for (size_t i = 0; (!all_linkers || c->l[L_SKIP].n) && i < all->n; i++) {
		const char *l = all->v[i];
		bool wild = all_linkers || str_in(wild_set, ARRAY_LEN(wild_set), l) ||
			    sv_has(&c->l[L_ENABLE], l);
		if (wild && !sv_has(&c->l[L_SKIP], l))
			sv_push(&linkers, l);
	}
	if (c->glibc)
		sv_push(&libc, "glibc");
	if (c->musl)
		sv_push(&libc, "musl");
	if (c->l[L_ARCH].n || linkers.n || libc.n || p->cxx || c->l[L_REQ_FLAGS].n)
		sb_adds(y, "requires:\n");
	y_key_list(y, "  arch", &c->l[L_ARCH]);
	y_key_list(y, "  cflags", &c->l[L_REQ_FLAGS]);
	y_key_list(y, "  libc", &libc);
	y_key_list(y, "  linkers", &linkers);
	if (p->cxx)
		sb_adds(y, "  cxx: true\n");
	sv_clear(&linkers);
	sv_clear(&libc);
}

static void emit_body(struct strbuf *y, const struct wtest *t, const struct wcfg *c,
		      const struct recipe *p)
{
	sb_adds(y, "files:\n");
	for (size_t i = 0; i < p->files.n; i++) {
		sb_adds(y, "  ");
		imp_y_scalar(y, p->files.v[i]);
		sb_adds(y, ": ");
		y_text(y, imp_find_file(t, p->files.v[i])->text);
	}
	if (c->variant >= 0)
		sb_addf(y, "variants:\n  variant-%ld: { cflags: [-DVARIANT=%ld] }\n", c->variant,
			c->variant);
	sb_adds(y, "build:\n");
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		sb_adds(y, "  - output: ");
		imp_y_scalar(y, s->output);
		sb_addf(y, "\n    mode: %s\n", s->mode);
		y_key_list(y, "    inputs", &s->inputs);
		y_key_list(y, "    cflags", &s->cflags);
		y_key_list(y, "    ldflags", &s->ldflags);
		y_key_list(y, "    libs", &s->libs);
		if (s->driver)
			sb_addf(y, "    driver: %s\n", s->driver);
		if (s->reference)
			sb_adds(y, "    linker: reference\n");
		if (s->thin)
			sb_adds(y, "    thin: true\n");
		if (s->expect)
			sb_addf(y, "    expect: %s\n", s->expect);
	}
}

/* The program runs when Wild runs it, or RunDynSym's function is called,
 * and must exit 42 as in Wild. Wild checks nothing of an output whose
 * link must fail. */
static void emit_checks(struct strbuf *y, const struct wcfg *c, const struct recipe *p)
{
	const char *program = p->steps[p->main].output;
	if (c->run && !c->link_error) {
		sb_adds(y, "run:\n  - args: [");
		if (p->loader) {
			char *path = xasprintf("./%s", program);
			sb_addf(y, "%s, ", p->steps[p->nsteps - 1].output);
			imp_y_scalar(y, path);
			sb_adds(y, ", ");
			imp_y_scalar(y, c->run_dyn_sym);
			free(path);
		} else {
			imp_y_scalar(y, program);
		}
		sb_adds(y, "]\n    expect: { exit: 42 }\n");
	}
	bool checks = c->l[L_ELF].n || c->dynsym || c->load_align >= 0;
	if (c->link_error || (!checks && c->run))
		return;
	sb_adds(y, "elf:\n");
	/* Wild loads nothing it does not run: the loader's rules are not its
	 * test's (a RELR program glibc would refuse, made on purpose). */
	for (size_t i = 0; !c->run && i < p->nsteps; i++)
		if (i != p->main && !p->steps[i].reference && strcmp(p->steps[i].mode, "archive") &&
		    strcmp(p->steps[i].mode, "object")) {
			sb_adds(y, "  - file: ");
			imp_y_scalar(y, p->steps[i].output);
			sb_adds(y, "\n    loaded: false\n");
		}
	sb_adds(y, "  - file: ");
	imp_y_scalar(y, program);
	sb_adds(y, c->run ? "\n" : "\n    loaded: false\n");
	if (checks)
		sb_adds(y, "    expect:\n");
	for (size_t i = 0; i < c->l[L_ELF].n; i++)
		sb_addf(y, "      - %s\n", c->l[L_ELF].v[i]);
	if (c->dynsym)
		sb_adds(y, "      - section: { name: .dynsym }\n");
	if (c->load_align >= 0)   /* Wild checks the first PT_LOAD, linkmatrix each */
		sb_addf(y, "      - segment: { type: PT_LOAD, align: %ld }\n", c->load_align);
}

/* The case read back by the loader `linkmatrix validate` uses: a failure,
 * or a text the quoting did not keep, is a bug of the importer. */
static int check_written(struct wtest *t, const char *path, const struct recipe *p)
{
	struct diags d = { 0 };
	struct lcase *c = case_load(path, t->im->linkers, &d);
	int rc = 0;
	if (!c) {
		diag_print(&d, stderr);
		rc = imp_fail(t, "%s does not load: a bug in linkmatrix import", path);
	} else if (c->nfiles != p->files.n) {
		rc = imp_fail(t, "%s: %zu files load of %zu: a bug in linkmatrix import", path, c->nfiles,
			      p->files.n);
	}
	for (size_t i = 0; c && i < c->nfiles && rc == 0; i++) {
		const struct wfile *f = imp_find_file(t, c->files[i].name);
		if (!f || !c->files[i].text || strcmp(f->text, c->files[i].text))
			rc = imp_fail(t, "%s: %s does not load as it was read: a bug in linkmatrix import",
				      path, c->files[i].name);
	}
	case_free(c);
	diag_free(&d);
	return rc;
}

/* Tallied for the summary; its losses to the details file. */
static void count_case(struct importer *im, const struct wcfg *c, const char *file)
{
	im->cases++;
	*(c->lost ? &im->skipped : c->l[L_LOST].n ? &im->weakened : &im->whole) += 1;
	sb_addf(&im->details, "%s: %s\n", file,
		c->lost ? "SKIP, what Wild checks was lost" : c->l[L_LOST].n ? "runs, weakened"
		: "translated whole");
	for (size_t i = 0; i < c->l[L_LOST].n; i++)
		sb_addf(&im->details, "    %s\n", c->l[L_LOST].v[i]);
}

static int write_case(struct wtest *t, const struct wcfg *c, bool single)
{
	struct importer *im = t->im;
	char *base = single ? xstrdup(t->stem) : xasprintf("%s-%s", t->stem, c->name);
	char *name = xasprintf("wild-%s", base), *file = xasprintf("%s.yaml", base);
	char *path = path_join(im->outdir, file);
	int rc = 0;
	if (name[strspn(name, NAME_CHARS)] || strstr(name, "..")) {
		rc = imp_fail(t, "config '%s': the case name %s may only have letters, digits and ._+- "
			      "(and no ..)", c->name, name);
	} else if (sv_has(&im->written, file)) {
		rc = imp_fail(t, "%s is the case file of another test", path);
	} else {
		struct recipe p;
		struct strbuf y = STRBUF_INIT;
		recipe_make(t, c, &p);
		emit_header(&y, t, c, name);
		emit_requires(&y, t, c, &p);
		emit_body(&y, t, c, &p);
		emit_checks(&y, c, &p);
		sv_push(&im->written, file);
		if (write_file_atomic(path, y.buf, y.len) < 0)
			rc = imp_fail(t, "cannot write %s: %s", path, strerror(errno));
		else
			rc = check_written(t, path, &p);
		if (rc == 0)
			count_case(im, c, file);
		recipe_free(&p);
		sb_free(&y);
	}
	free(path);
	free(file);
	free(name);
	free(base);
	return rc;
}

/* Wild keeps the last config, whatever it holds, and runs the configs that
 * are not abstract; one named default alone is the test itself. */
int imp_write_cases(struct wtest *t)
{
	imp_push_cfg(t);
	t->line = 0;
	size_t n = 0, last = 0;
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!t->cfgs[i].abstract)
			n++, last = i;
	if (!n)
		return imp_fail(t, "every config is abstract: Wild has nothing to run");
	bool single = n == 1 && !strcmp(t->cfgs[last].name, "default");
	for (size_t i = 0; i < t->ncfgs; i++)
		if (t->cfgs[i].run_dyn_sym && !imp_find_file(t, IMP_LOADER_SOURCE)) {
			t->files = xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
			t->files[t->nfiles++] = (struct wfile){ xstrdup(IMP_LOADER_SOURCE),
								xstrdup(imp_loader_text), STRVEC_INIT };
		}
	int rc = 0;
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!t->cfgs[i].abstract && write_case(t, &t->cfgs[i], single) < 0)
			rc = -1;
	return rc;
}
