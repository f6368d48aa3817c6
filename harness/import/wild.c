/* linkmatrix import wild DIR -o OUTDIR.
 *
 * Wild's integration tests (wild/tests/sources/elf/NAME/NAME.c and .cc, .s)
 * say in //#Directive:args lines how to build, link and check them. Each
 * config that is not abstract becomes one case file. The directives are
 * read as Wild's test runner (wild/tests/integration_tests.rs) reads them:
 * the same defaults, inheritance and parse errors. What linkmatrix cannot
 * express is reported on stderr and listed at the top of the case, so a
 * reader sees what was lost. The translation table is docs/import-wild.md. */
#include "import/wild.h"
#include "cmd/cmd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "load/case.h"
#include "cmd/cli.h"
#include "yaml/diag.h"
#include "util/match.h"
#include "load/setup.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-"

/* ---- a test's configs, as Wild keeps them -------------------------------- */

enum list {
	L_LINK, L_LINK_SO, L_COMP, L_COMP_SO,  /* Wild's argument sets: each directive replaces one */
	L_SKIP,                                /* skipped linkers, by their linkers.d names */
	L_ARCH,
	L_ERRORS,                              /* ExpectError regexes */
	L_ELF,                                 /* elf expectations, as YAML flow items */
	L_FILES,                               /* the files LinkArgs names as ./FILE */
	L_LOST,                                /* "FILE:LINE: Directive: not translated: why" */
	NLISTS
};

enum dep_kind { DEP_OBJECT, DEP_ARCHIVE, DEP_THIN, DEP_BSD, DEP_SHARED, DEP_SCRIPT };

struct dep {
	enum dep_kind kind;
	struct strvec files;       /* relative to DIR */
	struct strvec templ;       /* a shared object's template(ARGS $O ARGS), split */
};

enum wmode { WM_STATIC, WM_DYNAMIC, WM_UNSPECIFIED };

struct wcfg {
	char *name;
	bool abstract;
	bool touched;              /* Wild keeps a config only when it differs from the default */
	bool run, glibc;
	bool link_error;           /* ExpectError: the link must fail */
	bool dynsym;               /* Mode:dynamic: Wild checks that there is a .dynsym */
	long variant, load_align;  /* -1: none */
	const char *driver;        /* none, gcc or g++ */
	enum wmode mode;
	struct strvec l[NLISTS];
	struct dep *deps;
	size_t ndeps;
};

struct wfile {
	char *name;                /* relative to DIR */
	char *text;
	struct strvec includes;    /* the local headers it includes, relative to DIR */
};

struct tally {
	char *name;
	size_t n;
};

struct importer {
	const char *dir, *outdir;
	const struct slist *linkers;
	struct strvec written;     /* case file names, so no test overwrites another's */
	struct tally *lost;
	size_t nlost;
	size_t directives, tests, cases, skipped, failed;
};

struct wtest {
	struct importer *im;
	const char *rel;           /* the test's source, relative to DIR */
	char *stem;
	int line;                  /* of the directive being read; 0 after */
	struct wfile *files;
	size_t nfiles;
	struct wcfg *cfgs;         /* the configs before cur, abstract ones too */
	size_t ncfgs;
	struct wcfg cur;
	struct strbuf err;         /* the first error: no case is written for the test */
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* Appends the items of s between seps, trimmed, leaving out empty ones. */
static void split(struct strvec *v, const char *s, char sep)
{
	const char seps[] = { sep, 0 };
	while (*s) {
		size_t n = strcspn(s, seps);
		char *item = xstrndup(s, n);
		if (*trim(item))
			sv_push(v, trim(item));
		free(item);
		s += n + (s[n] == sep);
	}
}

static void set_args(struct strvec *v, const char *s)
{
	sv_clear(v);
	split(v, s, ' ');
}

static char *stem_of(const char *path)
{
	const char *base = path_base(path), *dot = strrchr(base, '.');
	return dot ? xstrndup(base, (size_t)(dot - base)) : xstrdup(base);
}

/* The next line of text at *p, without its newline; false at the end. */
static bool next_line(const char **p, const char **line, size_t *n)
{
	if (!**p)
		return false;
	*line = *p;
	*n = strcspn(*p, "\n");
	*p += *n + ((*p)[*n] == '\n');
	return true;
}

static void cfg_init(struct wcfg *c, const char *name)
{
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->run = true;
	c->variant = c->load_align = -1;
	c->driver = "none";
	/* Wild links with -z now unless a test says otherwise. */
	set_args(&c->l[L_LINK], "-z now");
	set_args(&c->l[L_LINK_SO], "-z now");
}

static struct dep *add_dep(struct wcfg *c, enum dep_kind kind)
{
	c->deps = xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
	struct dep *d = &c->deps[c->ndeps++];
	d->kind = kind;
	d->files = d->templ = (struct strvec)STRVEC_INIT;
	return d;
}

static void cfg_copy(struct wcfg *dst, const struct wcfg *src, const char *name)
{
	*dst = *src;
	dst->name = xstrdup(name);
	for (size_t i = 0; i < NLISTS; i++) {
		dst->l[i] = (struct strvec)STRVEC_INIT;
		sv_pushv(&dst->l[i], src->l[i].v);
	}
	dst->deps = NULL;
	dst->ndeps = 0;
	for (size_t i = 0; i < src->ndeps; i++) {
		struct dep *d = add_dep(dst, src->deps[i].kind);
		sv_pushv(&d->files, src->deps[i].files.v);
		sv_pushv(&d->templ, src->deps[i].templ.v);
	}
}

static void cfg_free(struct wcfg *c)
{
	free(c->name);
	for (size_t i = 0; i < NLISTS; i++)
		sv_clear(&c->l[i]);
	for (size_t i = 0; i < c->ndeps; i++) {
		sv_clear(&c->deps[i].files);
		sv_clear(&c->deps[i].templ);
	}
	free(c->deps);
}

static bool direct(const struct wcfg *c)
{
	return !strcmp(c->driver, "none");
}

/* Moves cur to the finished configs; cur is left empty. */
static void push_cfg(struct wtest *t)
{
	t->cfgs = xrealloc(t->cfgs, (t->ncfgs + 1) * sizeof *t->cfgs);
	t->cfgs[t->ncfgs++] = t->cur;
	memset(&t->cur, 0, sizeof t->cur);
}

static const struct wcfg *find_cfg(const struct wtest *t, const char *name)
{
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!strcmp(t->cfgs[i].name, name))
			return &t->cfgs[i];
	return NULL;
}

/* ---- errors and what is not translated ----------------------------------- */

static int fail(struct wtest *t, const char *fmt, ...) LM_PRINTF(2, 3);
static int fail(struct wtest *t, const char *fmt, ...)
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

static void tally(struct importer *im, const char *name)
{
	for (size_t i = 0; i < im->nlost; i++)
		if (!strcmp(im->lost[i].name, name)) {
			im->lost[i].n++;
			return;
		}
	im->lost = xrealloc(im->lost, (im->nlost + 1) * sizeof *im->lost);
	im->lost[im->nlost++] = (struct tally){ xstrdup(name), 1 };
}

/* On stderr, counted, and in the config, whose case lists it at its top
 * with the file's name under DIR (on stderr, DIR before it). */
static void report(struct wtest *t, const char *file, int line, const char *directive,
		   const char *why)
{
	char *entry = xasprintf("%s:%d: %s: not translated: %s", file, line, directive, why);
	char *shown = path_join(t->im->dir, entry);
	fprintf(stderr, "%s\n", shown);
	sv_push(&t->cur.l[L_LOST], entry);
	tally(t->im, directive);
	free(shown);
	free(entry);
}

static void lose(struct wtest *t, const char *directive, const char *fmt, ...) LM_PRINTF(3, 4);
static void lose(struct wtest *t, const char *directive, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	report(t, t->rel, t->line, directive, why);
	free(why);
}

/* Adds a reason to those of one directive: each directive is reported once. */
static void note(struct strbuf *why, const char *fmt, ...) LM_PRINTF(2, 3);
static void note(struct strbuf *why, const char *fmt, ...)
{
	if (why->len)
		sb_adds(why, "; ");
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(why, fmt, ap);
	va_end(ap);
}

/* ---- the files a case holds ---------------------------------------------- */

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

/* UTF-8 without NUL: what a YAML string can hold. */
static bool is_text(const char *s, size_t len)
{
	for (size_t i = 0, k; i < len; i += k)
		if (!s[i] || !(k = utf8_seq_len((const unsigned char *)s + i, len - i)))
			return false;
	return true;
}

/* path with its . and .. resolved; NULL when it leaves DIR. */
static char *normalize(const char *path)
{
	struct strvec parts = STRVEC_INIT;
	bool ok = path[0] != '/';
	for (const char *p = path; *p && ok;) {
		size_t n = strcspn(p, "/");
		bool up = n == 2 && !strncmp(p, "..", 2);
		if (up && parts.n) {
			free(parts.v[--parts.n]);
			parts.v[parts.n] = NULL;
		} else if (up) {
			ok = false;
		} else if (n && !(n == 1 && *p == '.')) {
			char *part = xstrndup(p, n);
			sv_push(&parts, part);
			free(part);
		}
		p += n + (p[n] == '/');
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; ok && i < parts.n; i++)
		sb_addf(&sb, "%s%s", i ? "/" : "", parts.v[i]);
	sv_clear(&parts);
	if (ok && sb.len)
		return sb_detach(&sb);
	sb_free(&sb);
	return NULL;
}

static bool is_file(const struct importer *im, const char *rel)
{
	char *path = path_join(im->dir, rel);
	struct stat st;
	bool r = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return r;
}

/* A dependency where Wild looks for it: beside the test, in DIR/common,
 * in DIR. Its name relative to DIR, or NULL. */
static char *find_dep(const struct wtest *t, const char *name)
{
	char *tdir = path_dir(t->rel);
	const char *const bases[] = { tdir, "common", "" };
	char *found = NULL;
	for (size_t i = 0; i < ARRAY_LEN(bases) && !found; i++) {
		char *joined = path_join(bases[i], name);
		found = normalize(joined);
		if (found && !is_file(t->im, found)) {
			free(found);
			found = NULL;
		}
		free(joined);
	}
	free(tdir);
	return found;
}

static const struct wfile *find_file(const struct wtest *t, const char *name)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!strcmp(t->files[i].name, name))
			return &t->files[i];
	return NULL;
}

/* The name in `#include "NAME"`, or NULL. */
static char *quoted_include(const char *line, size_t n)
{
	char *s = xstrndup(line, n), *p = s + strspn(s, " \t"), *name = NULL;
	if (*p == '#') {
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "include", 7)) {
			p += 7 + strspn(p + 7, " \t");
			char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
			name = end ? xstrndup(p + 1, (size_t)(end - p - 1)) : NULL;
		}
	}
	free(s);
	return name;
}

static int embed(struct wtest *t, const char *rel);

/* The local headers file i includes, resolved from its directory as the
 * compiler does; one outside DIR cannot be held by the case. */
static int embed_includes(struct wtest *t, size_t i)
{
	char *dir = path_dir(t->files[i].name);
	const char *p = t->files[i].text, *line;
	size_t n;
	int rc = 0;
	while (rc == 0 && next_line(&p, &line, &n)) {
		char *name = quoted_include(line, n);
		char *joined = name && name[0] != '/' ? path_join(dir, name) : NULL;
		char *rel = joined ? normalize(joined) : NULL;
		if (joined && !rel)
			rc = fail(t, "%s includes \"%s\", which is outside %s: a case holds only the "
				  "files under it", t->files[i].name, name, t->im->dir);
		else if (rel && is_file(t->im, rel)) {
			sv_push(&t->files[i].includes, rel);
			rc = embed(t, rel);
		}
		free(rel);
		free(joined);
		free(name);
	}
	free(dir);
	return rc;
}

/* Reads rel into the test's files, with the local headers it includes. */
static int embed(struct wtest *t, const char *rel)
{
	if (find_file(t, rel))
		return 0;
	char *path = path_join(t->im->dir, rel), *data = NULL;
	size_t len;
	int rc = 0;
	if (read_file(path, &data, &len) < 0)
		rc = fail(t, "cannot read %s: %s", path, strerror(errno));
	else if (!is_text(data, len) || !is_text(rel, strlen(rel)) || !safe_relative_name(rel))
		rc = fail(t, "%s is not UTF-8 text with a plain name: a case cannot hold it", rel);
	free(path);
	if (rc < 0) {
		free(data);
		return rc;
	}
	t->files = xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
	t->files[t->nfiles++] = (struct wfile){ xstrdup(rel), data, STRVEC_INIT };
	return embed_includes(t, t->nfiles - 1);
}

/* ---- YAML ---------------------------------------------------------------- */

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

static void y_scalar(struct strbuf *y, const char *s)
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
	while (next_line(&p, &line, &n))
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
		y_scalar(y, v->v[i]);
	}
	sb_adds(y, "]\n");
}

/* ---- the directives ------------------------------------------------------ */

struct directive {
	const char *name;
	int (*fn)(struct wtest *t, const struct directive *d, const char *arg);
	int what;            /* the list or dependency kind the handler fills */
	const char *text;    /* the handler's word (symtab, has); without fn: why not translated */
};

typedef int (*directive_fn)(struct wtest *t, const char *file, int line, const char *name,
			    const char *arg);

/* Calls fn for each //#Name:args line of file; arg is NULL without ':'. */
static int scan_directives(struct wtest *t, const char *file, directive_fn fn)
{
	const char *p = find_file(t, file)->text, *s;
	size_t n;
	int line = 0, rc = 0;
	while (rc == 0 && next_line(&p, &s, &n)) {
		char *copy = xstrndup(s, n), *d = trim(copy);
		line++;
		if (!strncmp(d, "//#", 3)) {
			char *colon = strchr(d + 3, ':');
			if (colon)
				*colon = 0;
			rc = fn(t, file, line, d + 3, colon ? trim(colon + 1) : NULL);
		}
		free(copy);
	}
	return rc;
}

static int parse_bool(struct wtest *t, const struct directive *d, const char *arg, bool *out)
{
	if (strcmp(arg, "true") && strcmp(arg, "false"))
		return fail(t, "%s: '%s' is neither true nor false", d->name, arg);
	*out = !strcmp(arg, "true");
	return 0;
}

static int d_config(struct wtest *t, const struct directive *d, const char *arg)
{
	char *name = xstrdup(arg), *inherit = strchr(name, ':');
	if (inherit)
		*inherit++ = 0;
	if (t->cur.touched)
		push_cfg(t);
	else
		cfg_free(&t->cur);
	const struct wcfg *base = inherit ? find_cfg(t, inherit) : NULL;
	int rc = 0;
	if (inherit && !base)
		rc = fail(t, "%s: config '%s' inherits from unknown config '%s'", d->name, name,
			  inherit);
	else if (find_cfg(t, name))
		rc = fail(t, "%s: a second config named '%s'", d->name, name);
	if (base)
		cfg_copy(&t->cur, base, name);
	else
		cfg_init(&t->cur, name);
	t->cur.variant = -1;   /* Wild does not inherit it */
	t->cur.abstract = d->what;
	free(name);
	return rc;
}

static int d_variant(struct wtest *t, const struct directive *d, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (t->cur.variant >= 0)
		return fail(t, "%s: a second one in config '%s' (Wild takes one a config)", d->name,
			    t->cur.name);
	if (!isdigit((unsigned char)*arg) || *end || errno || v > UINT32_MAX)
		return fail(t, "%s: '%s' is not a number", d->name, arg);
	t->cur.variant = (long)v;
	return 0;
}

static int d_args(struct wtest *t, const struct directive *d, const char *arg)
{
	set_args(&t->cur.l[d->what], arg);
	return 0;
}

/* LinkArgs that act on the inputs after them: Wild puts them before its
 * inputs, linkmatrix a step's ldflags after its objects and archives. */
static void positional_args(struct wtest *t, const struct directive *d)
{
	static const char *const flags[] = { "--whole-archive", "--no-whole-archive",
					     "--start-group", "--end-group", "-(", "-)" };
	struct strbuf found = STRBUF_INIT;
	for (size_t i = 0; i < t->cur.l[L_LINK].n; i++) {
		const char *a = t->cur.l[L_LINK].v[i];
		a += strncmp(a, "-Wl,", 4) ? 0 : 4;
		char *flag = xstrndup(a, strcspn(a, ","));
		if (str_in(flags, ARRAY_LEN(flags), flag))
			sb_addf(&found, "%s%s", found.len ? " " : "", flag);
		free(flag);
	}
	if (found.len)
		lose(t, d->name, "%s: linkmatrix passes it after the objects and archives it acts on "
		     "in Wild", found.buf);
	sb_free(&found);
}

/* Wild replaces ./FILE in LinkArgs by the file's path: the case holds it. */
static int d_link_args(struct wtest *t, const struct directive *d, const char *arg)
{
	const char *dot = strstr(arg, "./");
	char *name = dot ? xstrndup(dot + 2, strcspn(dot + 2, " ")) : NULL;
	char *rel = name && *name ? find_dep(t, name) : NULL;
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;
	if (rel) {
		char *from = xasprintf("./%s", name);
		sb_add_replacing(&sb, arg, strlen(arg), from, rel);
		free(from);
		sv_push(&t->cur.l[L_FILES], rel);
		rc = embed(t, rel);
	} else {
		sb_adds(&sb, arg);
	}
	set_args(&t->cur.l[d->what], sb.buf);
	positional_args(t, d);
	sb_free(&sb);
	free(rel);
	free(name);
	return rc;
}

static int d_driver(struct wtest *t, const struct directive *d, const char *arg)
{
	static const struct { const char *wild, *driver; bool clang; } drivers[] = {
		{ "none", "none", false }, { "", "none", false }, { "gcc", "gcc", false },
		{ "g++", "g++", false }, { "clang", "gcc", true }, { "clang++", "g++", true },
	};
	for (size_t i = 0; i < ARRAY_LEN(drivers); i++) {
		if (strcmp(arg, drivers[i].wild))
			continue;
		t->cur.driver = drivers[i].driver;
		t->cur.mode = WM_STATIC;
		if (drivers[i].clang)
			lose(t, d->name, "%s: linkmatrix links with the target's cc or cxx, as "
			     "LinkerDriver:%s would", arg, drivers[i].driver);
		return 0;
	}
	return fail(t, "%s: '%s' is not gcc, g++, clang, clang++ or none", d->name, arg);
}

static int set_mode(struct wtest *t, const struct directive *d, enum wmode mode)
{
	if (!direct(&t->cur))
		return fail(t, "%s: only with LinkerDriver:none (Wild refuses it with a driver)",
			    d->name);
	t->cur.mode = mode;
	t->cur.dynsym |= mode == WM_DYNAMIC;
	return 0;
}

static int d_mode(struct wtest *t, const struct directive *d, const char *arg)
{
	static const char *const modes[] = { [WM_STATIC] = "static", [WM_DYNAMIC] = "dynamic",
					     [WM_UNSPECIFIED] = "unspecified" };
	for (size_t i = 0; i < ARRAY_LEN(modes); i++)
		if (!strcmp(arg, modes[i]))
			return set_mode(t, d, (enum wmode)i);
	return fail(t, "%s: '%s' is not static, dynamic or unspecified", d->name, arg);
}

/* Static:{bool}, Mode's older spelling. */
static int d_static(struct wtest *t, const struct directive *d, const char *arg)
{
	bool is_static = true;
	return parse_bool(t, d, arg, &is_static) < 0 ? -1
	       : set_mode(t, d, is_static ? WM_STATIC : WM_UNSPECIFIED);
}

static int dep_directive(struct wtest *t, const char *file, int line, const char *name,
			 const char *arg)
{
	(void)arg;
	t->im->directives++;
	report(t, file, line, name, "in a shared object's source: Wild builds that object with "
	       "them, linkmatrix with the test's config");
	return 0;
}

/* The files of a dependency, found, read and added to files; what cannot
 * be translated of them goes to why. */
static int dep_files(struct wtest *t, const struct directive *d, const char *list,
		     struct strvec *files, struct strbuf *why)
{
	struct strvec items = STRVEC_INIT;
	split(&items, list, ',');
	int rc = 0;
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		char *name = items.v[i], *args = strchr(name, ':'), *rel = NULL;
		if (args)
			*args++ = 0;
		if (args && *args)
			note(why, "the compile flags '%s' of %s dropped: a step compiles its sources "
			     "with the same flags", args, name);
		if (d->what != DEP_SCRIPT && !source_kind(name))
			note(why, "%s dropped: linkmatrix builds inputs from C, C++ and assembly "
			     "sources", name);
		else if (!(rel = find_dep(t, name)))
			rc = fail(t, "%s: no %s beside the test, in common/ or in %s", d->name, name,
				  t->im->dir);
		else if ((rc = embed(t, rel)) == 0) {
			sv_push(files, rel);
			if (d->what == DEP_SHARED)
				rc = scan_directives(t, rel, dep_directive);
		}
		free(rel);
	}
	sv_clear(&items);
	return rc;
}

/* Shared objects and linker scripts go after a step's inputs (in its
 * ldflags, where their order and templates can be kept). */
static bool linked_late(enum dep_kind kind)
{
	return kind == DEP_SHARED || kind == DEP_SCRIPT;
}

/* template(ARGS $O ARGS): how Wild puts the input on the command line. */
static int dep_template(struct wtest *t, const struct directive *d, const char *templ,
			struct strvec *parts, struct strbuf *why)
{
	if (!strstr(templ, "$O"))
		return fail(t, "%s: template(%s) has no $O", d->name, templ);
	if (linked_late(d->what))
		set_args(parts, templ);
	else
		note(why, "template(%s) dropped: linkmatrix links a step's objects and archives as "
		     "they are", templ);
	return 0;
}

/* Object, Archive, ThinArchive, BsdArchive, Shared, LinkerScript:
 * [template(ARGS $O ARGS):]FILE[:FLAGS][,FILE[:FLAGS]...] */
static int d_dep(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf why = STRBUF_INIT;
	struct strvec files = STRVEC_INIT, templ = STRVEC_INIT;
	const char *list = arg, *end = NULL;
	int rc = 0;
	if (!strncmp(arg, "template(", 9) && !(end = strstr(arg, "):")))
		rc = fail(t, "%s: no '):' closes template(", d->name);
	if (end) {
		char *parts = xstrndup(arg + 9, (size_t)(end - arg - 9));
		rc = dep_template(t, d, parts, &templ, &why);
		list = end + 2;
		free(parts);
	}
	if (d->what == DEP_THIN || d->what == DEP_BSD)
		note(&why, "made as a regular archive (linkmatrix's archives are made by ar rcs)");
	for (size_t i = 0; !linked_late(d->what) && i < t->cur.ndeps; i++)
		if (linked_late(t->cur.deps[i].kind)) {
			note(&why, "linked before the shared objects and linker scripts above it: "
			     "linkmatrix links those after a step's other inputs");
			break;
		}
	if (rc == 0)
		rc = dep_files(t, d, list, &files, &why);
	if (rc == 0 && d->what == DEP_OBJECT && files.n > 1)
		rc = fail(t, "%s: one file a line (Wild refuses more)", d->name);
	if (rc == 0 && files.n) {
		struct dep *dep = add_dep(&t->cur, d->what);
		sv_pushv(&dep->files, files.v);
		sv_pushv(&dep->templ, templ.v);
	}
	if (rc == 0 && why.len)
		lose(t, d->name, "%s", why.buf);
	sv_clear(&files);
	sv_clear(&templ);
	sb_free(&why);
	return rc;
}

static void add_elf(struct wtest *t, struct strbuf *item)
{
	sv_push(&t->cur.l[L_ELF], item->buf);
	sb_free(item);
}

static char *unquote(char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = 0;
		return s + 1;
	}
	return s;
}

/* Wild's symbol properties: section="S",offset-in-section=N,address=N,size=N;
 * a bare word is the section, as Wild once wrote it. */
static int parse_props(struct wtest *t, const struct directive *d, char *s, const char **section,
		       struct strbuf *lost)
{
	static const char *const untranslated[] = { "offset-in-section", "address", "size" };
	while (*s) {
		char *item = s;
		for (bool quoted = false; *s && (quoted || *s != ','); s++)
			quoted ^= *s == '"';
		if (*s)
			*s++ = 0;
		char *eq = strchr(item, '=');
		if (eq)
			*eq = 0;
		char *val = eq ? unquote(eq + 1) : item;
		if (!eq || !strcmp(item, "section"))
			*section = val;
		else if (str_in(untranslated, ARRAY_LEN(untranslated), item))
			sb_addf(lost, "%s%s=%s", lost->len ? "," : "", item, val);
		else
			return fail(t, "%s: unknown symbol property '%s' (Wild knows section, "
				    "offset-in-section, address and size)", d->name, item);
	}
	return 0;
}

/* ExpectSym, ExpectDynSym: NAME [PROPERTIES] */
static int d_expect_sym(struct wtest *t, const struct directive *d, const char *arg)
{
	char *name = xstrdup(arg), *props = strchr(name, ' ');
	const char *section = NULL;
	struct strbuf lost = STRBUF_INIT, x = STRBUF_INIT;
	if (props)
		*props++ = 0;
	int rc = props ? parse_props(t, d, props, &section, &lost) : 0;
	if (rc == 0) {
		sb_adds(&x, "symbol: { name: ");
		y_scalar(&x, name);
		sb_addf(&x, ", table: %s", d->text);
		if (section) {
			sb_adds(&x, ", section: ");
			y_scalar(&x, section);
		}
		sb_adds(&x, " }");
		add_elf(t, &x);
	}
	if (rc == 0 && lost.len)
		lose(t, d->name, "%s: linkmatrix's symbol expectations check neither offsets, "
		     "addresses nor sizes", lost.buf);
	sb_free(&lost);
	free(name);
	return rc;
}

/* NoSym (neither table), NoDynSym. */
static int d_no_sym(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf x = STRBUF_INIT;
	sb_adds(&x, "symbol: { name: ");
	y_scalar(&x, arg);
	if (d->text)
		sb_addf(&x, ", table: %s", d->text);
	sb_adds(&x, ", present: false }");
	add_elf(t, &x);
	return 0;
}

/* ExpectDynamic (has), NoDynamic (lacks). */
static int d_dynamic(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf x = STRBUF_INIT;
	sb_addf(&x, "dynamic: { %s: [", d->text);
	y_scalar(&x, arg);
	sb_adds(&x, "] }");
	add_elf(t, &x);
	return 0;
}

/* Wild compares .comment strings with the text, or its start when it ends
 * with '*'; linkmatrix matches a regex. */
static int d_comment(struct wtest *t, const struct directive *d, const char *arg)
{
	(void)d;
	size_t n = strlen(arg);
	bool prefix = n && arg[n - 1] == '*';
	struct strbuf re = STRBUF_INIT, x = STRBUF_INIT;
	sb_addc(&re, '^');
	for (size_t i = 0; i < n - prefix; i++) {
		if (strchr("\\^$.|?*+()[]{}", arg[i]))
			sb_addc(&re, '\\');
		sb_addc(&re, arg[i]);
	}
	if (!prefix)
		sb_addc(&re, '$');
	sb_adds(&x, "comment: ");
	y_scalar(&x, re.buf);
	add_elf(t, &x);
	sb_free(&re);
	return 0;
}

static int d_load_align(struct wtest *t, const struct directive *d, const char *arg)
{
	bool hex = !strncmp(arg, "0x", 2);
	char *end;
	errno = 0;
	long v = strtol(arg + 2 * hex, &end, hex ? 16 : 10);
	if (!isxdigit((unsigned char)arg[2 * hex]) || *end || errno || v < 0)
		return fail(t, "%s: '%s' is not a number", d->name, arg);
	t->cur.load_align = v;
	return 0;
}

static int d_error(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf err = STRBUF_INIT;
	struct regex *re = regex_compile(arg, &err);
	if (re)
		sv_push(&t->cur.l[L_ERRORS], arg);
	else
		lose(t, d->name, "not a PCRE2 pattern (%s): the link must fail, whatever it says",
		     err.buf);
	regex_free(re);
	sb_free(&err);
	t->cur.link_error = true;
	t->cur.run = false;
	return 0;
}

static int d_run(struct wtest *t, const struct directive *d, const char *arg)
{
	return parse_bool(t, d, arg, &t->cur.run);
}

static int d_glibc(struct wtest *t, const struct directive *d, const char *arg)
{
	return parse_bool(t, d, arg, &t->cur.glibc);
}

static int d_glibc_version(struct wtest *t, const struct directive *d, const char *arg)
{
	t->cur.glibc = true;
	lose(t, d->name, "glibc %s or later: linkmatrix requires glibc, of any version", arg);
	return 0;
}

static int d_skip(struct wtest *t, const struct directive *d, const char *arg)
{
	/* Wild's name for GNU ld; its other names are linkmatrix's. */
	const char *name = !strcmp(arg, "ld") ? "bfd" : arg;
	if (slist_has(t->im->linkers, name))
		sv_push(&t->cur.l[L_SKIP], name);
	else
		lose(t, d->name, "linkers.d has no linker '%s'", name);
	return 0;
}

/* EnableLinker: linkmatrix runs every linker anyway. */
static int d_noop(struct wtest *t, const struct directive *d, const char *arg)
{
	(void)t, (void)d, (void)arg;
	return 0;
}

static int d_compiler(struct wtest *t, const struct directive *d, const char *arg)
{
	if (strcmp(arg, "gcc"))
		lose(t, d->name, "%s: linkmatrix compiles with the target's cc and cxx", arg);
	return 0;
}

static void lower(struct strvec *v)
{
	for (size_t i = 0; i < v->n; i++)
		for (char *s = v->v[i]; *s; s++)
			*s = (char)tolower((unsigned char)*s);
}

static int d_arch(struct wtest *t, const struct directive *d, const char *arg)
{
	(void)d;
	sv_clear(&t->cur.l[L_ARCH]);
	split(&t->cur.l[L_ARCH], arg, ',');
	lower(&t->cur.l[L_ARCH]);
	return 0;
}

/* Wild's architectures less the skipped ones. */
static int d_skip_arch(struct wtest *t, const struct directive *d, const char *arg)
{
	static const char *const wild_arches[] = { "x86_64", "aarch64", "riscv64", "loongarch64" };
	struct strvec skipped = STRVEC_INIT;
	(void)d;
	split(&skipped, arg, ',');
	lower(&skipped);
	sv_clear(&t->cur.l[L_ARCH]);
	for (size_t i = 0; i < ARRAY_LEN(wild_arches); i++)
		if (!sv_has(&skipped, wild_arches[i]))
			sv_push(&t->cur.l[L_ARCH], wild_arches[i]);
	sv_clear(&skipped);
	return 0;
}

static const char diff_why[] = "Wild's linker-diff; its keys are not linkmatrix's elf diff keys";
static const char requires_why[] = "linkmatrix's requires has no such condition";
static const char bytes_why[] = "linkmatrix's elf expectations do not search an output's bytes";

static const struct directive directives[] = {
	{ "Config", d_config, false, NULL },
	{ "AbstractConfig", d_config, true, NULL },
	{ "Variant", d_variant, 0, NULL },
	{ "LinkerDriver", d_driver, 0, NULL },
	{ "Mode", d_mode, 0, NULL },
	{ "Static", d_static, 0, NULL },
	{ "LinkArgs", d_link_args, L_LINK, NULL },
	{ "LinkSoArgs", d_args, L_LINK_SO, NULL },
	{ "CompArgs", d_args, L_COMP, NULL },
	{ "CompSoArgs", d_args, L_COMP_SO, NULL },
	{ "Object", d_dep, DEP_OBJECT, NULL },
	{ "Archive", d_dep, DEP_ARCHIVE, NULL },
	{ "ThinArchive", d_dep, DEP_THIN, NULL },
	{ "BsdArchive", d_dep, DEP_BSD, NULL },
	{ "Shared", d_dep, DEP_SHARED, NULL },
	{ "LinkerScript", d_dep, DEP_SCRIPT, NULL },
	{ "ExpectSym", d_expect_sym, 0, "symtab" },
	{ "ExpectDynSym", d_expect_sym, 0, "dynsym" },
	{ "NoSym", d_no_sym, 0, NULL },
	{ "NoDynSym", d_no_sym, 0, "dynsym" },
	{ "ExpectDynamic", d_dynamic, 0, "has" },
	{ "NoDynamic", d_dynamic, 0, "lacks" },
	{ "ExpectComment", d_comment, 0, NULL },
	{ "ExpectLoadAlignment", d_load_align, 0, NULL },
	{ "ExpectError", d_error, 0, NULL },
	{ "RunEnabled", d_run, 0, NULL },
	{ "SkipLinker", d_skip, 0, NULL },
	{ "EnableLinker", d_noop, 0, NULL },
	{ "Compiler", d_compiler, 0, NULL },
	{ "Arch", d_arch, 0, NULL },
	{ "SkipArch", d_skip_arch, 0, NULL },
	{ "RequiresGlibc", d_glibc, 0, NULL },
	{ "RequiresGlibcVersion", d_glibc_version, 0, NULL },
	{ "WildExtraLinkArgs", NULL, 0, "linkmatrix passes the same flags to every linker" },
	{ "DiffEnabled", NULL, 0, diff_why },
	{ "DiffIgnore", NULL, 0, diff_why },
	{ "SecEquiv", NULL, 0, diff_why },
	{ "Contains", NULL, 0, bytes_why },
	{ "DoesNotContain", NULL, 0, bytes_why },
	{ "Cross", NULL, 0, "linkmatrix runs a case on every usable target, cross ones too" },
	{ "RequiresCompilerFlags", NULL, 0, requires_why },
	{ "RequiresLinkerPlugin", NULL, 0, requires_why },
	{ "RequiresRustMusl", NULL, 0, requires_why },
	{ "RequiresNightlyRustc", NULL, 0, requires_why },
	{ "RequiresSFrameBacktrace", NULL, 0, requires_why },
	{ "RequiresClangWithTlsDesc", NULL, 0, requires_why },
	{ "AutoAddObjects", NULL, 0, "linkmatrix always links a step's inputs" },
	{ "TestUpdateInPlace", NULL, 0, "Wild's own --update-in-place check" },
	{ "RemoveSection", NULL, 0, "linkmatrix does not edit an output after the link" },
};

static int dispatch(struct wtest *t, const char *file, int line, const char *name,
		    const char *arg)
{
	(void)file;
	t->line = line;
	t->im->directives++;
	if (!arg)
		return fail(t, "//#%s: no ':' (Wild's directives are //#Name:args)", name);
	const struct directive *d = NULL;
	for (size_t i = 0; i < ARRAY_LEN(directives) && !d; i++)
		if (!strcmp(directives[i].name, name))
			d = &directives[i];
	int rc = 0;
	if (!d)
		lose(t, name, "not a directive of Wild's this importer knows");
	else if (!d->fn)
		lose(t, name, "%s", d->text);
	else
		rc = d->fn(t, d, arg);
	t->cur.touched = true;
	return rc;
}

/* ---- a config as a case -------------------------------------------------- */

struct step {
	char *output;
	const char *mode;
	struct strvec inputs, cflags, ldflags;
	bool cxx_driver;
	char *expect;              /* a YAML flow mapping, or NULL */
};

struct recipe {
	struct strvec files;       /* the files the case holds */
	struct step *steps;        /* the main one last */
	size_t nsteps;
	bool cxx;                  /* a source is C++ */
};

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
		const struct strvec *inc = &find_file(t, files->v[i])->includes;
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
	if (direct(c))
		sv_push(out, "-Xlinker");
	sv_push(out, arg);
}

/* Wild's link arguments; a shared object's have LinkSoArgs after them.
 * Run directly, the linker gets no libc, no start files, Wild's
 * --gc-sections, and not the --as-needed some drivers add (Debian's). */
static void link_flags(const struct wcfg *c, bool shared, struct strvec *out)
{
	if (direct(c)) {
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
		y_scalar(&sb, re);
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
static void recipe_make(const struct wtest *t, const struct wcfg *c, struct recipe *p)
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
		char *stem = stem_of(d->files.v[0]), *base = xasprintf("lib%s", stem);
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
				  direct(c) ? main_mode[c->mode] : "pie");
	m->inputs = inputs;
	sv_pushv(&m->cflags, c->l[L_COMP].v);
	link_flags(c, false, &m->ldflags);
	sv_pushv(&m->ldflags, late.v);
	m->cxx_driver = !strcmp(c->driver, "g++");
	m->expect = link_expect(c);
	sv_clear(&late);
}

static void recipe_free(struct recipe *p)
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

static void emit_header(struct strbuf *y, const struct wtest *t, const struct wcfg *c,
			const char *name)
{
	sb_addf(y, "# Wild's test %s, config %s, as 'linkmatrix import wild' translated it.\n",
		t->rel, c->name);
	if (c->l[L_LOST].n)
		sb_adds(y, "# Not translated, for want of an equivalent in linkmatrix:\n");
	for (size_t i = 0; i < c->l[L_LOST].n; i++)
		sb_addf(y, "#   %s\n", c->l[L_LOST].v[i]);
	char *description = xasprintf("Wild test %s, config %s", t->rel, c->name);
	sb_adds(y, "name: ");
	y_scalar(y, name);
	sb_adds(y, "\ndescription: ");
	y_scalar(y, description);
	sb_adds(y, "\ntags: [wild]\n");
	free(description);
}

static void emit_requires(struct strbuf *y, const struct wtest *t, const struct wcfg *c,
			  const struct recipe *p)
{
	const struct slist *all = t->im->linkers;
	struct strvec linkers = STRVEC_INIT, libc = STRVEC_INIT;
	for (size_t i = 0; c->l[L_SKIP].n && i < all->n; i++)
		if (!sv_has(&c->l[L_SKIP], all->v[i]))
			sv_push(&linkers, all->v[i]);
	if (c->glibc)
		sv_push(&libc, "glibc");
	if (c->l[L_ARCH].n || linkers.n || libc.n || p->cxx)
		sb_adds(y, "requires:\n");
	y_key_list(y, "  arch", &c->l[L_ARCH]);
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
		y_scalar(y, p->files.v[i]);
		sb_adds(y, ": ");
		y_text(y, find_file(t, p->files.v[i])->text);
	}
	if (c->variant >= 0)
		sb_addf(y, "variants:\n  variant-%ld: { cflags: [-DVARIANT=%ld] }\n", c->variant,
			c->variant);
	sb_adds(y, "build:\n");
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		sb_adds(y, "  - output: ");
		y_scalar(y, s->output);
		sb_addf(y, "\n    mode: %s\n", s->mode);
		y_key_list(y, "    inputs", &s->inputs);
		y_key_list(y, "    cflags", &s->cflags);
		y_key_list(y, "    ldflags", &s->ldflags);
		if (s->cxx_driver)
			sb_adds(y, "    driver: c++\n");
		if (s->expect)
			sb_addf(y, "    expect: %s\n", s->expect);
	}
}

/* The program runs when Wild runs it, and must exit 42 as in Wild. Wild
 * checks nothing of an output whose link must fail. */
static void emit_checks(struct strbuf *y, const struct wcfg *c, const struct recipe *p)
{
	const char *program = p->steps[p->nsteps - 1].output;
	if (c->run && !c->link_error) {
		sb_adds(y, "run:\n  - args: [");
		y_scalar(y, program);
		sb_adds(y, "]\n    expect: { exit: 42 }\n");
	}
	if (c->link_error || !(c->l[L_ELF].n || c->dynsym || c->load_align >= 0))
		return;
	sb_adds(y, "elf:\n  - file: ");
	y_scalar(y, program);
	sb_adds(y, "\n    expect:\n");
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
		rc = fail(t, "%s does not load: a bug in linkmatrix import", path);
	} else if (c->nfiles != p->files.n) {
		rc = fail(t, "%s: %zu files load of %zu: a bug in linkmatrix import", path, c->nfiles,
			  p->files.n);
	}
	for (size_t i = 0; c && i < c->nfiles && rc == 0; i++) {
		const struct wfile *f = find_file(t, c->files[i].name);
		if (!f || !c->files[i].text || strcmp(f->text, c->files[i].text))
			rc = fail(t, "%s: %s does not load as it was read: a bug in linkmatrix import",
				  path, c->files[i].name);
	}
	case_free(c);
	diag_free(&d);
	return rc;
}

static int write_case(struct wtest *t, const struct wcfg *c, bool single)
{
	struct importer *im = t->im;
	char *base = single ? xstrdup(t->stem) : xasprintf("%s-%s", t->stem, c->name);
	char *name = xasprintf("wild-%s", base), *file = xasprintf("%s.yaml", base);
	char *path = path_join(im->outdir, file);
	int rc = 0;
	if (name[strspn(name, NAME_CHARS)] || strstr(name, "..")) {
		rc = fail(t, "config '%s': the case name %s may only have letters, digits and ._+- "
			  "(and no ..)", c->name, name);
	} else if (sv_has(&im->written, file)) {
		rc = fail(t, "%s is the case file of another test", path);
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
			rc = fail(t, "cannot write %s: %s", path, strerror(errno));
		else
			rc = check_written(t, path, &p);
		im->cases += rc == 0;
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
static int write_cases(struct wtest *t)
{
	push_cfg(t);
	t->line = 0;
	size_t n = 0, last = 0;
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!t->cfgs[i].abstract)
			n++, last = i;
	if (!n)
		return fail(t, "every config is abstract: Wild has nothing to run");
	bool single = n == 1 && !strcmp(t->cfgs[last].name, "default");
	int rc = 0;
	for (size_t i = 0; i < t->ncfgs; i++)
		if (!t->cfgs[i].abstract && write_case(t, &t->cfgs[i], single) < 0)
			rc = -1;
	return rc;
}

static void test_free(struct wtest *t)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		free(t->files[i].name);
		free(t->files[i].text);
		sv_clear(&t->files[i].includes);
	}
	free(t->files);
	for (size_t i = 0; i < t->ncfgs; i++)
		cfg_free(&t->cfgs[i]);
	free(t->cfgs);
	cfg_free(&t->cur);
	free(t->stem);
	sb_free(&t->err);
}

static int import_test(struct importer *im, const char *rel)
{
	struct wtest t = { .im = im, .rel = rel, .stem = stem_of(rel), .err = STRBUF_INIT };
	cfg_init(&t.cur, "default");
	int rc = embed(&t, rel);
	if (rc == 0)
		rc = scan_directives(&t, rel, dispatch);
	if (rc == 0)
		rc = write_cases(&t);
	if (rc < 0)
		fprintf(stderr, "%s (no case written for this test)\n", t.err.buf);
	test_free(&t);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

/* Wild's layout: DIR/NAME/NAME.EXT is a test; the other files are what
 * tests use. */
static int find_tests(const char *dir, struct strvec *tests)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *sub = path_join(dir, e->d_name);
		struct strvec files = STRVEC_INIT;
		if (e->d_name[0] != '.' && list_files(sub, "", false, &files) == 0)
			for (size_t i = 0; i < files.n; i++) {
				char *stem = stem_of(files.v[i]);
				if (!strcmp(stem, e->d_name))
					sv_pushf(tests, "%s/%s", e->d_name, path_base(files.v[i]));
				free(stem);
			}
		sv_clear(&files);
		free(sub);
	}
	closedir(d);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void import_all(struct importer *im, struct strvec *tests)
{
	if (tests->n)
		qsort(tests->v, tests->n, sizeof *tests->v, cmp_str);
	for (size_t i = 0; i < tests->n; i++) {
		const char *rel = tests->v[i], *dot = strrchr(rel, '.');
		if (dot && !strcmp(dot, ".rs")) {
			fprintf(stderr, "%s/%s: skipped: a Rust test, which rustc builds and links\n",
				im->dir, rel);
			im->skipped++;
		} else if (source_kind(rel)) {
			im->tests++;
			im->failed += import_test(im, rel) < 0;
		}
	}
}

static int cmp_tally(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : strcmp(x->name, y->name);
}

static void summary(struct importer *im)
{
	size_t lost = 0;
	for (size_t i = 0; i < im->nlost; i++)
		lost += im->lost[i].n;
	printf("linkmatrix import wild: %zu test files read, %zu cases written to %s, "
	       "%zu files skipped, %zu failed\n", im->tests, im->cases, im->outdir, im->skipped,
	       im->failed);
	printf("%zu directives: %zu translated, %zu not translated%s\n", im->directives,
	       im->directives - lost, lost, lost ? ":" : "");
	if (im->nlost)
		qsort(im->lost, im->nlost, sizeof *im->lost, cmp_tally);
	for (size_t i = 0; i < im->nlost; i++)
		printf("  %-26s %zu\n", im->lost[i].name, im->lost[i].n);
}

int cmd_import(int argc, char **argv)
{
	const char *out = NULL, *linkers_dir = NULL, *targets_dir = NULL;
	bool help = false;
	const struct opt opts[] = {
		{ "output", 'o', OPT_STR, &out, "OUTDIR", "where to write the case files (required)" },
		{ "linkers-dir", 0, OPT_STR, &linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &targets_dir, "DIR", "target definitions" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strvec rest = STRVEC_INIT, tests = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	struct setup s = { 0 };
	struct importer im = { 0 };
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 2, &rest, &err) < 0)
		goto out;
	if (help) {
		printf("usage: linkmatrix import wild DIR -o OUTDIR\n"
		       "DIR: Wild's wild/tests/sources/elf; each NAME/NAME.c, .cc or .s under it\n"
		       "becomes OUTDIR/NAME[-CONFIG].yaml (docs/import-wild.md)\n\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	if (rest.n != 2 || strcmp(rest.v[0], "wild") || !out) {
		sb_adds(&err, "usage: linkmatrix import wild DIR -o OUTDIR");
		goto out;
	}
	im.dir = rest.v[1];
	im.outdir = out;
	if (setup_config(&s, argv[0], linkers_dir, targets_dir, false) < 0)
		goto out;
	im.linkers = &s.ls.names;
	if (find_tests(im.dir, &tests) < 0) {
		sb_addf(&err, "cannot read %s: %s", im.dir, strerror(errno));
		goto out;
	}
	if (mkdir_p(out) < 0) {
		sb_addf(&err, "cannot make %s: %s", out, strerror(errno));
		goto out;
	}
	import_all(&im, &tests);
	summary(&im);
	rc = im.failed ? 1 : 0;
out:
	if (err.len)
		fprintf(stderr, "linkmatrix import: %s\n", err.buf);
	for (size_t i = 0; i < im.nlost; i++)
		free(im.lost[i].name);
	free(im.lost);
	sv_clear(&im.written);
	sv_clear(&tests);
	sv_clear(&rest);
	sb_free(&err);
	if (s.home)
		setup_free(&s);
	return rc;
}
