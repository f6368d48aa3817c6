/* Wild's directives, one handler each, in the table a test's directive
 * lines are dispatched through. A handler parses its arguments as Wild's
 * test runner does, with the same parse errors, and records in the config
 * being read what its case will hold, or why it cannot be translated; a
 * directive without an equivalent, or one this table does not know, is
 * reported and the test goes on. */
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
	const char *text;    /* the handler's word (symtab, has); without fn: why not translated */
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

static int d_args(struct wtest *t, const struct directive *d, const char *arg)
{
	imp_set_args(&t->cur.l[d->what], arg);
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
		imp_lose(t, d->name, "%s: linkmatrix passes it after the objects and archives it acts on "
			 "in Wild", found.buf);
	sb_free(&found);
}

/* Wild replaces ./FILE in LinkArgs by the file's path: the case holds it. */
static int d_link_args(struct wtest *t, const struct directive *d, const char *arg)
{
	const char *dot = strstr(arg, "./");
	char *name = dot ? xstrndup(dot + 2, strcspn(dot + 2, " ")) : NULL;
	char *rel = name && *name ? imp_find_dep(t, name) : NULL;
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;
	if (rel) {
		char *from = xasprintf("./%s", name);
		sb_add_replacing(&sb, arg, strlen(arg), from, rel);
		free(from);
		sv_push(&t->cur.l[L_FILES], rel);
		rc = imp_embed(t, rel);
	} else {
		sb_adds(&sb, arg);
	}
	imp_set_args(&t->cur.l[d->what], sb.buf);
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
			imp_lose(t, d->name, "%s: linkmatrix links with the target's cc or cxx, as "
				 "LinkerDriver:%s would", arg, drivers[i].driver);
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

static int dep_directive(struct wtest *t, const char *file, int line, const char *name,
			 const char *arg)
{
	(void)arg;
	t->im->directives++;
	imp_report(t, file, line, name, "in a shared object's source: Wild builds that object with "
		   "them, linkmatrix with the test's config");
	return 0;
}

/* The files of a dependency, found, read and added to files; what cannot
 * be translated of them goes to why. */
static int dep_files(struct wtest *t, const struct directive *d, const char *list,
		     struct strvec *files, struct strbuf *why)
{
	struct strvec items = STRVEC_INIT;
	imp_split(&items, list, ',');
	int rc = 0;
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		char *name = items.v[i], *args = strchr(name, ':'), *rel = NULL;
		if (args)
			*args++ = 0;
		if (args && *args)
			imp_note(why, "the compile flags '%s' of %s dropped: a step compiles its sources "
				 "with the same flags", args, name);
		if (d->what != DEP_SCRIPT && !source_kind(name))
			imp_note(why, "%s dropped: linkmatrix builds inputs from C, C++ and assembly "
				 "sources", name);
		else if (!(rel = imp_find_dep(t, name)))
			rc = imp_fail(t, "%s: no %s beside the test, in common/ or in %s", d->name, name,
				      t->im->dir);
		else if ((rc = imp_embed(t, rel)) == 0) {
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
	struct strvec files = STRVEC_INIT, templ = STRVEC_INIT;
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
	if (d->what == DEP_THIN || d->what == DEP_BSD)
		imp_note(&why, "made as a regular archive (linkmatrix's archives are made by ar rcs)");
	for (size_t i = 0; !linked_late(d->what) && i < t->cur.ndeps; i++)
		if (linked_late(t->cur.deps[i].kind)) {
			imp_note(&why, "linked before the shared objects and linker scripts above it: "
				 "linkmatrix links those after a step's other inputs");
			break;
		}
	if (rc == 0)
		rc = dep_files(t, d, list, &files, &why);
	if (rc == 0 && d->what == DEP_OBJECT && files.n > 1)
		rc = imp_fail(t, "%s: one file a line (Wild refuses more)", d->name);
	if (rc == 0 && files.n) {
		struct dep *dep = imp_add_dep(&t->cur, d->what);
		sv_pushv(&dep->files, files.v);
		sv_pushv(&dep->templ, templ.v);
	}
	if (rc == 0 && why.len)
		imp_lose(t, d->name, "%s", why.buf);
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
			return imp_fail(t, "%s: unknown symbol property '%s' (Wild knows section, "
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
		imp_y_scalar(&x, name);
		sb_addf(&x, ", table: %s", d->text);
		if (section) {
			sb_adds(&x, ", section: ");
			imp_y_scalar(&x, section);
		}
		sb_adds(&x, " }");
		add_elf(t, &x);
	}
	if (rc == 0 && lost.len)
		imp_lose(t, d->name, "%s: linkmatrix's symbol expectations check neither offsets, "
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
	imp_y_scalar(&x, arg);
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
	for (size_t i = 0; i < n - prefix; i++) {
		if (strchr("\\^$.|?*+()[]{}", arg[i]))
			sb_addc(&re, '\\');
		sb_addc(&re, arg[i]);
	}
	if (!prefix)
		sb_addc(&re, '$');
	sb_adds(&x, "comment: ");
	imp_y_scalar(&x, re.buf);
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
		return imp_fail(t, "%s: '%s' is not a number", d->name, arg);
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
		imp_lose(t, d->name, "not a PCRE2 pattern (%s): the link must fail, whatever it says",
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
	imp_lose(t, d->name, "glibc %s or later: linkmatrix requires glibc, of any version", arg);
	return 0;
}

static int d_skip(struct wtest *t, const struct directive *d, const char *arg)
{
	/* Wild's name for GNU ld; its other names are linkmatrix's. */
	const char *name = !strcmp(arg, "ld") ? "bfd" : arg;
	if (slist_has(t->im->linkers, name))
		sv_push(&t->cur.l[L_SKIP], name);
	else
		imp_lose(t, d->name, "linkers.d has no linker '%s'", name);
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
		imp_lose(t, d->name, "%s: linkmatrix compiles with the target's cc and cxx", arg);
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

int imp_dispatch(struct wtest *t, const char *file, int line, const char *name,
		 const char *arg)
{
	(void)file;
	t->line = line;
	t->im->directives++;
	if (!arg)
		return imp_fail(t, "//#%s: no ':' (Wild's directives are //#Name:args)", name);
	const struct directive *d = NULL;
	for (size_t i = 0; i < ARRAY_LEN(directives) && !d; i++)
		if (!strcmp(directives[i].name, name))
			d = &directives[i];
	int rc = 0;
	if (!d)
		imp_lose(t, name, "not a directive of Wild's this importer knows");
	else if (!d->fn)
		imp_lose(t, name, "%s", d->text);
	else
		rc = d->fn(t, d, arg);
	t->cur.touched = true;
	return rc;
}
