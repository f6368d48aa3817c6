/* Wild's directives, one handler each, in the table a test's directive
 * lines are dispatched through. A handler parses its arguments as Wild's
 * test runner does, with the same parse errors, and records in the config
 * being read what its case will hold, or what its translation leaves
 * out: lost (the case would check something else than Wild: it becomes
 * SKIP) or weakened (the case checks less than Wild). A directive this
 * table does not know is lost: Wild's runner refuses it. */
#include "import/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/case.h"
#include "util/match.h"
#include "yaml/yamldoc.h"

struct directive {
	const char *name;
	int (*fn)(struct wtest *t, const struct directive *d, const char *arg);
	int what;            /* the list or dependency kind the handler fills */
	const char *text;    /* the handler's word (symtab, has) */
};

/* A directive with no equivalent: why, whether its case is lost, and the
 * argument that is Wild's default, which changes nothing. */
struct untranslated {
	const char *name, *why;
	bool lost;
	const char *noop;
};

static int parse_bool(struct wtest *t, const struct directive *d, const char *arg, bool *out)
{
	if (strcmp(arg, "true") && strcmp(arg, "false"))
		return imp_fail(t, "%s: '%s' is neither true nor false", d->name, arg);
	*out = !strcmp(arg, "true");
	return 0;
}

static int d_config(struct wtest *t, const struct directive *d, const char *arg)
{
	char *name = xstrdup(arg), *inherit = strchr(name, ':');
	if (inherit)
		*inherit++ = 0;
	if (t->cur.touched)
		imp_push_cfg(t);
	else
		imp_cfg_free(&t->cur);
	const struct wcfg *base = inherit ? imp_find_cfg(t, inherit) : NULL;
	int rc = 0;
	if (inherit && !base)
		rc = imp_fail(t, "%s: config '%s' inherits from unknown config '%s'", d->name, name,
			      inherit);
	else if (imp_find_cfg(t, name))
		rc = imp_fail(t, "%s: a second config named '%s'", d->name, name);
	if (base)
		imp_cfg_copy(&t->cur, base, name);
	else
		imp_cfg_init(&t->cur, name);
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
		return imp_fail(t, "%s: a second one in config '%s' (Wild takes one a config)", d->name,
				t->cur.name);
	if (!isdigit((unsigned char)*arg) || *end || errno || v > UINT32_MAX)
		return imp_fail(t, "%s: '%s' is not a number", d->name, arg);
	t->cur.variant = (long)v;
	return 0;
}

/* A Rust test's CompArgs are rustc's: the musl target is linkmatrix's
 * musl target (recipe.c takes --target out), and a linker of their own
 * would not be the one under test. */
static void rustc_args(struct wtest *t, const struct directive *d)
{
	const struct strvec *v = &t->cur.l[d->what];
	for (size_t i = 0; i < v->n; i++) {
		const char *a = v->v[i], *next = i + 1 < v->n ? v->v[i + 1] : "";
		if (!strcmp(a, "--target") && strstr(next, "-musl"))
			t->cur.musl = true;
		if (!strncmp(a, "-Clinker=", 9) || (!strcmp(a, "-C") && !strncmp(next, "linker=", 7)))
			imp_lose(t, d->name, "%s: linkmatrix gives rustc the target's C driver as its "
				 "linker, so that the linker under test links", a[2] ? a : next);
	}
}

static int d_args(struct wtest *t, const struct directive *d, const char *arg)
{
	imp_set_args(&t->cur.l[d->what], arg);
	if (d->what == L_COMP && imp_is_rust(t->rel))
		rustc_args(t, d);
	return 0;
}

/* LinkArgs that act on the objects after them: Wild puts them before its
 * inputs, linkmatrix a step's ldflags after its compiled sources. (Those
 * acting on archives are kept: recipe.c puts the archives after them.) */
static void positional_args(struct wtest *t, const struct directive *d)
{
	static const char *const flags[] = { "--start-lib", "--end-lib" };
	struct strbuf found = STRBUF_INIT;
	for (size_t i = 0; i < t->cur.l[L_LINK].n; i++) {
		const char *flag = imp_flag_of(t->cur.l[L_LINK].v[i], flags, ARRAY_LEN(flags));
		if (flag)
			sb_addf(&found, "%s%s", found.len ? " " : "", flag);
	}
	if (found.len)
		imp_lose(t, d->name, "%s: linkmatrix passes it after the objects it acts on in Wild",
			 found.buf);
	sb_free(&found);
}

/* Wild adds no -o of its own when LinkArgs has one: the output is named
 * there (recipe.c takes it), and one outside the test's directory leaves
 * linkmatrix nothing to check. */
static void output_arg(struct wtest *t, const struct directive *d)
{
	const struct strvec *v = &t->cur.l[L_LINK];
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], "-o") && (i + 1 == v->n || !name_is_file(v->v[i + 1], true)))
			imp_lose(t, d->name, "-o %s: linkmatrix proves and checks every output it links, "
				 "in the test's directory", i + 1 < v->n ? v->v[i + 1] : "");
}

/* One ./FILE of LinkArgs, which starts at p: the file's path under DIR
 * in sb, and the file held by the case; as it is when no such file is
 * found (./ may be part of another word). Returns its length. */
static size_t link_file(struct wtest *t, const char *p, struct strbuf *sb, int *rc)
{
	size_t n = 2 + strcspn(p + 2, " ,");
	char *name = xstrndup(p + 2, n - 2), *rel = *name ? imp_find_dep(t, name) : NULL;
	if (rel) {
		sb_adds(sb, rel);
		sv_push_once(&t->cur.l[L_FILES], rel);
		if (*rc == 0)
			*rc = imp_embed(t, rel);
	} else {
		sb_add(sb, p, n);
	}
	free(rel);
	free(name);
	return n;
}

/* Wild replaces each ./FILE of LinkArgs by the file's path (the case
 * holds the file) and $OUT_DIR by its build directory: the test's
 * directory, where linkmatrix links. */
static int d_link_args(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;
	for (const char *p = arg; *p;) {
		bool word_start = p == arg || strchr(" ,=", p[-1]);
		if (word_start && !strncmp(p, "./", 2))
			p += link_file(t, p, &sb, &rc);
		else if (!strncmp(p, "$OUT_DIR", 8))
			sb_addc(&sb, '.'), p += 8;
		else
			sb_addc(&sb, *p++);
	}
	imp_set_args(&t->cur.l[d->what], sb.buf);
	positional_args(t, d);
	output_arg(t, d);
	sb_free(&sb);
	return rc;
}

static int d_driver(struct wtest *t, const struct directive *d, const char *arg)
{
	static const char *const drivers[] = { "none", "gcc", "g++", "clang", "clang++" };
	for (size_t i = 0; i < ARRAY_LEN(drivers); i++)
		if (!strcmp(arg, drivers[i]) || (!i && !*arg)) {
			t->cur.driver = drivers[i];
			t->cur.mode = WM_STATIC;
			return 0;
		}
	return imp_fail(t, "%s: '%s' is not gcc, g++, clang, clang++ or none", d->name, arg);
}

static int set_mode(struct wtest *t, const struct directive *d, enum wmode mode)
{
	if (!imp_direct(&t->cur))
		return imp_fail(t, "%s: only with LinkerDriver:none (Wild refuses it with a driver)",
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
	return imp_fail(t, "%s: '%s' is not static, dynamic or unspecified", d->name, arg);
}

/* Static:{bool}, Mode's older spelling. */
static int d_static(struct wtest *t, const struct directive *d, const char *arg)
{
	bool is_static = true;
	return parse_bool(t, d, arg, &is_static) < 0 ? -1
	       : set_mode(t, d, is_static ? WM_STATIC : WM_UNSPECIFIED);
}

/* A shared object source's Shared: its files, linked into that object
 * (Wild builds a shared object with its source's own config); its other
 * directives are lost. */
static int dep_directive(struct wtest *t, const char *file, int line, const char *name,
			 const char *arg)
{
	t->im->directives++;
	bool plain = arg && !strchr(arg, ':') && strncmp(arg, "template(", 9);
	if (strcmp(name, "Shared") || !plain) {
		imp_report(t, file, line, name, true, "in a shared object's source: Wild builds that "
			   "object with them, linkmatrix with the test's config");
		return 0;
	}
	struct strvec items = STRVEC_INIT;
	imp_split(&items, arg, ',');
	int rc = 0;
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		char *rel = imp_find_dep(t, items.v[i]);
		if (!rel)
			rc = imp_fail(t, "%s:%d: Shared: no %s beside the test, in common/ or in %s", file,
				      line, items.v[i], t->im->dir);
		else if ((rc = imp_embed(t, rel)) == 0)
			sv_push(&t->nested, rel);
		free(rel);
	}
	sv_clear(&items);
	return rc;
}

/* The files of a dependency, found, read and added to files with their
 * own compile flags; what cannot be translated of them goes to why. */
static int dep_files(struct wtest *t, const struct directive *d, const char *list,
		     struct strvec *files, struct strvec *flags, struct strbuf *why)
{
	struct strvec items = STRVEC_INIT;
	imp_split(&items, list, ',');
	int rc = 0;
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		char *name = items.v[i], *args = strchr(name, ':'), *rel = NULL;
		if (args)
			*args++ = 0;
		bool rust_ok = d->what == DEP_SHARED && imp_is_rust(name);   /* a cdylib */
		bool prebuilt = d->what != DEP_SCRIPT && !source_kind(name) && !rust_ok;
		if (prebuilt && name[0] == '/') {   /* passed as it is: one not there, for an error */
			sv_push(files, name);
			sv_push(flags, "");
		} else if (prebuilt && (!(rel = imp_find_dep(t, name)) || !imp_is_text_file(t, rel)))
			imp_note(why, "%s left out: a case holds text, and this file is %s", name,
				 rel ? "binary" : "not there");
		else if (!prebuilt && !(rel = imp_find_dep(t, name)))
			rc = imp_fail(t, "%s: no %s beside the test, in common/ or in %s", d->name, name,
				      t->im->dir);
		else if ((rc = imp_embed(t, rel)) == 0) {
			sv_push(files, rel);
			sv_push(flags, args ? args : "");
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
		return imp_fail(t, "%s: template(%s) has no $O", d->name, templ);
	if (linked_late(d->what))
		imp_set_args(parts, templ);
	else
		imp_note(why, "template(%s) dropped: linkmatrix links a step's objects and archives as "
			 "they are", templ);
	return 0;
}

/* Object, Archive, ThinArchive, BsdArchive, Shared, LinkerScript:
 * [template(ARGS $O ARGS):]FILE[:FLAGS][,FILE[:FLAGS]...] */
static int d_dep(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf why = STRBUF_INIT;
	struct strvec files = STRVEC_INIT, flags = STRVEC_INIT, templ = STRVEC_INIT;
	const char *list = arg, *end = NULL;
	int rc = 0;
	if (!strncmp(arg, "template(", 9) && !(end = strstr(arg, "):")))
		rc = imp_fail(t, "%s: no '):' closes template(", d->name);
	if (end) {
		char *parts = xstrndup(arg + 9, (size_t)(end - arg - 9));
		rc = dep_template(t, d, parts, &templ, &why);
		list = end + 2;
		free(parts);
	}
	if (d->what == DEP_BSD)
		imp_note(&why, "made as a regular archive (linkmatrix's archives are made by the "
			 "target's ar, which writes no BSD format), so what Wild tests of it is not");
	if (rc == 0)
		rc = dep_files(t, d, list, &files, &flags, &why);
	if (rc == 0 && d->what == DEP_OBJECT && files.n > 1)
		rc = imp_fail(t, "%s: one file a line (Wild refuses more)", d->name);
	if (rc == 0 && files.n) {
		struct dep *dep = imp_add_dep(&t->cur, d->what);
		sv_pushv(&dep->files, files.v);
		sv_pushv(&dep->flags, flags.v);
		sv_pushv(&dep->nested, t->nested.v);
		sv_pushv(&dep->templ, templ.v);
	}
	if (rc == 0 && why.len)
		imp_lose(t, d->name, "%s", why.buf);
	sv_clear(&files);
	sv_clear(&flags);
	sv_clear(&templ);
	sv_clear(&t->nested);
	sb_free(&why);
	return rc;
}

static void add_elf(struct wtest *t, struct strbuf *item)
{
	sv_push(&t->cur.l[L_ELF], item->buf);
	sb_free(item);
}

static void regex_escape(struct strbuf *re, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\^$.|?*+()[]{}", s[i]))
			sb_addc(re, '\\');
		sb_addc(re, s[i]);
	}
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

/* Wild's numeric symbol properties, and linkmatrix's keys for them. */
static const char *number_key(const char *prop)
{
	static const char *const map[][2] = {
		{ "offset-in-section", "offset" }, { "address", "value" }, { "size", "size" },
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (!strcmp(prop, map[i][0]))
			return map[i][1];
	return NULL;
}

static bool is_number(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	return *s && !*end && !errno && v >= 0;
}

/* Wild's symbol properties: section="S",offset-in-section=N,address=N,
 * size=N,binding=B; a bare word is the section, as Wild once wrote it.
 * Each goes to x as YAML. */
static int parse_props(struct wtest *t, const struct directive *d, char *s, struct strbuf *x)
{
	static const char *const bindings[] = { "local", "global", "weak" };
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
		if (!eq || !strcmp(item, "section")) {
			sb_adds(x, ", section: ");
			imp_y_scalar(x, val);
		} else if (!strcmp(item, "binding") && str_in(bindings, ARRAY_LEN(bindings), val)) {
			sb_addf(x, ", binding: %s", val);
		} else if (!strcmp(item, "binding")) {
			return imp_fail(t, "%s: binding '%s' is not local, global or weak", d->name, val);
		} else if (number_key(item) && is_number(val)) {
			sb_addf(x, ", %s: %s", number_key(item), val);
		} else if (number_key(item)) {
			return imp_fail(t, "%s: %s=%s is not a number", d->name, item, val);
		} else {
			return imp_fail(t, "%s: unknown symbol property '%s' (Wild knows section, "
					"offset-in-section, address, size and binding)", d->name, item);
		}
	}
	return 0;
}

/* ExpectSym, ExpectDynSym: NAME [PROPERTIES] */
static int d_expect_sym(struct wtest *t, const struct directive *d, const char *arg)
{
	char *name = xstrdup(arg), *props = strchr(name, ' ');
	struct strbuf x = STRBUF_INIT;
	if (props)
		*props++ = 0;
	sb_adds(&x, "symbol: { name: ");
	imp_y_scalar(&x, name);
	sb_addf(&x, ", table: %s", d->text);
	int rc = props ? parse_props(t, d, props, &x) : 0;
	sb_adds(&x, " }");
	if (rc == 0)
		add_elf(t, &x);
	else
		sb_free(&x);
	free(name);
	return rc;
}

/* NoSym (neither table), NoDynSym. */
static int d_no_sym(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf x = STRBUF_INIT;
	sb_adds(&x, "symbol: { name: ");
	imp_y_scalar(&x, arg);
	if (d->text)
		sb_addf(&x, ", table: %s", d->text);
	sb_adds(&x, ", present: false }");
	add_elf(t, &x);
	return 0;
}

/* An expectation with a list of one item, "KIND: { KEY" in d->text:
 * ExpectDynamic (dynamic has), NoDynamic (dynamic lacks), Contains (bytes
 * contains: anywhere in the output), DoesNotContain (bytes lacks). */
static int d_one_item(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf x = STRBUF_INIT;
	sb_addf(&x, "%s: [", d->text);
	imp_y_scalar(&x, arg);
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
	regex_escape(&re, arg, n - prefix);
	if (!prefix)
		sb_addc(&re, '$');
	sb_adds(&x, "comment: ");
	imp_y_scalar(&x, re.buf);
	add_elf(t, &x);
	sb_free(&re);
	return 0;
}

/* ExpectSectionBytes:NAME=0xHEX: the section's contents, exactly. */
static int d_section_bytes(struct wtest *t, const struct directive *d, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *hex = eq && !strncmp(eq + 1, "0x", 2) ? eq + 3 : NULL;
	size_t n = hex ? strspn(hex, "0123456789abcdefABCDEF") : 0;
	if (!hex || hex[n] || n % 2)
		return imp_fail(t, "%s: '%s' is not SECTION=0xHEX (pairs of hex digits)", d->name, arg);
	char *name = xstrndup(arg, (size_t)(eq - arg));
	struct strbuf x = STRBUF_INIT;
	sb_adds(&x, "section: { name: ");
	imp_y_scalar(&x, name);
	sb_addf(&x, ", bytes: %s }", *hex ? hex : "''");
	add_elf(t, &x);
	free(name);
	return 0;
}

static int d_load_align(struct wtest *t, const struct directive *d, const char *arg)
{
	bool hex = !strncmp(arg, "0x", 2);
	char *end;
	errno = 0;
	long v = strtol(arg + 2 * hex, &end, hex ? 16 : 10);
	if (!isxdigit((unsigned char)arg[2 * hex]) || *end || errno || v < 0)
		return imp_fail(t, "%s: '%s' is not a number", d->name, arg);
	t->cur.load_align = v;
	return 0;
}

/* ExpectError, ExpectWarning (stderr), ExpectMessage (stdout): Wild's
 * regexes, which PCRE2 reads alike but for what it reports; Wild 0.8's
 * ExpectError was a string stderr must hold. */
static int d_output(struct wtest *t, const struct directive *d, const char *arg)
{
	struct strbuf err = STRBUF_INIT, literal = STRBUF_INIT;
	if (d->text && t->im->literal_errors) {
		regex_escape(&literal, arg, strlen(arg));
		arg = literal.buf;
	}
	struct regex *re = regex_compile(arg, &err);
	if (re)
		sv_push(&t->cur.l[d->what], arg);
	else
		imp_lose(t, d->name, "not a PCRE2 pattern (%s)", err.buf);
	regex_free(re);
	sb_free(&err);
	sb_free(&literal);
	if (d->text) {   /* ExpectError: the link must fail; nothing runs */
		t->cur.link_error = true;
		t->cur.run = false;
	}
	return 0;
}

static int d_run_dyn_sym(struct wtest *t, const struct directive *d, const char *arg)
{
	(void)d;
	free(t->cur.run_dyn_sym);
	t->cur.run_dyn_sym = xstrdup(arg);
	return 0;
}

/* Wild links shared objects with this linker whatever the one under test:
 * linkmatrix can name the target's reference linker, GNU ld on Linux. */
static int d_so_linker(struct wtest *t, const struct directive *d, const char *arg)
{
	t->cur.so_reference = !strcmp(arg, "ld");
	if (!t->cur.so_reference)
		imp_lose(t, d->name, "%s: linkmatrix links a case's shared objects with the linker "
			 "under test or the target's reference linker (GNU ld), no other", arg);
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

/* A Rust test for musl runs on linkmatrix's musl target. */
static int d_rust_musl(struct wtest *t, const struct directive *d, const char *arg)
{
	bool musl = false;
	int rc = parse_bool(t, d, arg, &musl);
	t->cur.musl |= musl;
	return rc;
}

static int d_glibc_version(struct wtest *t, const struct directive *d, const char *arg)
{
	t->cur.glibc = true;
	imp_weaken(t, d->name, "glibc %s or later: linkmatrix requires glibc, of any version", arg);
	return 0;
}

/* SkipLinker, EnableLinker: Wild's name for GNU ld is ld; its others are
 * linkmatrix's. */
static int d_linker(struct wtest *t, const struct directive *d, const char *arg)
{
	const char *name = !strcmp(arg, "ld") ? "bfd" : arg;
	if (slist_has(t->im->linkers, name))
		sv_push_once(&t->cur.l[d->what], name);
	else
		imp_weaken(t, d->name, "linkers.d has no linker '%s'", name);
	return 0;
}

/* Wild's gcc and g++ are the target's cc and cxx (GCC on Linux), its
 * clang and clang++ the target's clang and clang++ (compiler: clang). */
static int d_compiler(struct wtest *t, const struct directive *d, const char *arg)
{
	static const char *const compilers[] = { "gcc", "g++", "clang", "clang++" };
	for (size_t i = 0; i < ARRAY_LEN(compilers); i++)
		if (!strcmp(arg, compilers[i])) {
			t->cur.clang = i >= 2;
			return 0;
		}
	return imp_fail(t, "%s: '%s' is not gcc, g++, clang or clang++", d->name, arg);
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
	imp_split(&t->cur.l[L_ARCH], arg, ',');
	lower(&t->cur.l[L_ARCH]);
	return 0;
}

/* Wild's architectures less the skipped ones. */
static int d_skip_arch(struct wtest *t, const struct directive *d, const char *arg)
{
	static const char *const wild_arches[] = { "x86_64", "aarch64", "riscv64", "loongarch64" };
	struct strvec skipped = STRVEC_INIT;
	(void)d;
	imp_split(&skipped, arg, ',');
	lower(&skipped);
	sv_clear(&t->cur.l[L_ARCH]);
	for (size_t i = 0; i < ARRAY_LEN(wild_arches); i++)
		if (!sv_has(&skipped, wild_arches[i]))
			sv_push(&t->cur.l[L_ARCH], wild_arches[i]);
	sv_clear(&skipped);
	return 0;
}

static const char diff_why[] = "Wild's linker-diff of its output against ld's is not made "
	"(its keys are not linkmatrix's elf diff keys)";
static const char requires_why[] = "linkmatrix's requires has no such condition: where it is "
	"not met, the case fails instead of being skipped";

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
	{ "Relocatable", d_dep, DEP_RELOCATABLE, NULL },
	{ "Archive", d_dep, DEP_ARCHIVE, NULL },
	{ "ThinArchive", d_dep, DEP_THIN, NULL },
	{ "BsdArchive", d_dep, DEP_BSD, NULL },
	{ "Shared", d_dep, DEP_SHARED, NULL },
	{ "LinkerScript", d_dep, DEP_SCRIPT, NULL },
	{ "ExpectSym", d_expect_sym, 0, "symtab" },
	{ "ExpectDynSym", d_expect_sym, 0, "dynsym" },
	{ "NoSym", d_no_sym, 0, NULL },
	{ "NoDynSym", d_no_sym, 0, "dynsym" },
	{ "ExpectDynamic", d_one_item, 0, "dynamic: { has" },
	{ "NoDynamic", d_one_item, 0, "dynamic: { lacks" },
	{ "ExpectComment", d_comment, 0, NULL },
	{ "ExpectLoadAlignment", d_load_align, 0, NULL },
	{ "Contains", d_one_item, 0, "bytes: { contains" },
	{ "DoesNotContain", d_one_item, 0, "bytes: { lacks" },
	{ "ExpectSectionBytes", d_section_bytes, 0, NULL },
	{ "ExpectError", d_output, L_ERRORS, "error" },
	{ "ExpectWarning", d_output, L_ERRORS, NULL },
	{ "ExpectMessage", d_output, L_MESSAGES, NULL },
	{ "RunEnabled", d_run, 0, NULL },
	{ "RunDynSym", d_run_dyn_sym, 0, NULL },
	{ "SoSingleLinker", d_so_linker, 0, NULL },
	{ "SkipLinker", d_linker, L_SKIP, NULL },
	{ "EnableLinker", d_linker, L_ENABLE, NULL },
	{ "Compiler", d_compiler, 0, NULL },
	{ "Arch", d_arch, 0, NULL },
	{ "SkipArch", d_skip_arch, 0, NULL },
	{ "RequiresGlibc", d_glibc, 0, NULL },
	{ "RequiresRustMusl", d_rust_musl, 0, NULL },
	{ "RequiresCompilerFlags", d_args, L_REQ_FLAGS, NULL },
	{ "RequiresGlibcVersion", d_glibc_version, 0, NULL },
};

static const struct untranslated untranslated[] = {
	{ "WildExtraLinkArgs", "flags for Wild alone: linkmatrix passes the same flags "
	  "to every linker, so Wild links as the config it inherits from", false, NULL },
	{ "DiffEnabled", diff_why, false, "true" },
	{ "DiffIgnore", diff_why, false, NULL },
	{ "SecEquiv", diff_why, false, NULL },
	{ "Cross", "linkmatrix runs a case on every usable target, cross ones too", false, "true" },
	{ "RequiresLinkerPlugin", requires_why, false, "false" },
	{ "RequiresNightlyRustc", "linkmatrix builds Rust with the target's rustc, not a nightly "
	  "one (Wild skips the test without it)", true, "false" },
	{ "RequiresSFrameBacktrace", requires_why, false, "false" },
	{ "RequiresClangWithTlsDesc", requires_why, false, "false" },
	{ "TestUpdateInPlace", "Wild's second link with --update-in-place is not made", false,
	  "false" },
	{ "MaxThunks", "Wild's count of the thunks it made is not checked", false, NULL },
	{ "AutoAddObjects", "linkmatrix always links a step's inputs", true, "true" },
	{ "RemoveSection", "linkmatrix does not edit an output after the link", true, NULL },
	{ "AssertOutputFileMatches", "linkmatrix checks no file a link writes beside its "
	  "output", true, NULL },
	{ "DriverMode", "linkmatrix links through the driver, not through Wild's "
	  "save-dir and response files", true, NULL },
};

int imp_dispatch(struct wtest *t, const char *file, int line, const char *name,
		 const char *arg)
{
	(void)file;
	t->line = line;
	t->im->directives++;
	if (!arg)
		return imp_fail(t, "//#%s: no ':' (Wild's directives are //#Name:args)", name);
	const struct directive *d = NULL;
	const struct untranslated *u = NULL;
	for (size_t i = 0; i < ARRAY_LEN(directives) && !d; i++)
		if (!strcmp(directives[i].name, name))
			d = &directives[i];
	for (size_t i = 0; i < ARRAY_LEN(untranslated) && !u; i++)
		if (!strcmp(untranslated[i].name, name))
			u = &untranslated[i];
	int rc = 0;
	if (d)
		rc = d->fn(t, d, arg);
	else if (u && !(u->noop && !strcmp(arg, u->noop)))
		(u->lost ? imp_lose : imp_weaken)(t, name, "%s", u->why);
	else
		imp_lose(t, name, "not a directive this importer knows (Wild's runner refuses one it "
			 "does not know: a newer Wild's?)");
	t->cur.touched = true;
	return rc;
}
