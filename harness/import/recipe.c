/* A config as linkmatrix builds it: the files its case holds, a step for
 * each archive, relocatable and shared object its dependencies make, and
 * the program's step, with the link arguments Wild would pass, as they
 * are through a compiler driver or with -Xlinker when Wild runs the
 * linker itself, the output kind they ask for as the step's mode, and
 * RunDynSym's loader last. What Wild's command lines become is decided
 * here, apart from the YAML that writes it down. */
#include "import/import.h"

#include <stdlib.h>
#include <string.h>

#include "load/case.h"

const char imp_loader_text[] =
	"/* Wild's RunDynSym, as `linkmatrix import wild` runs it: the shared object\n"
	" * is loaded as Wild's runner loads it (RTLD_LAZY | RTLD_LOCAL) and the\n"
	" * function called; its value is the exit status, 42 for success. */\n"
	"#include <dlfcn.h>\n"
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"  if (argc != 3) {\n"
	"    fprintf(stderr, \"usage: run-dyn-sym SHARED-OBJECT FUNCTION\\n\");\n"
	"    return 2;\n"
	"  }\n"
	"  void *lib = dlopen(argv[1], RTLD_LAZY | RTLD_LOCAL);\n"
	"  void *sym = lib ? dlsym(lib, argv[2]) : NULL;\n"
	"  if (!sym) {\n"
	"    fprintf(stderr, \"run-dyn-sym: %s\\n\", dlerror());\n"
	"    return 1;\n"
	"  }\n"
	"  int (*fn)(void);\n"
	"  memcpy(&fn, &sym, sizeof fn);\n"
	"  return fn();\n"
	"}\n";

/* The config's files and the local headers they include, transitively. */
static void recipe_files(const struct wtest *t, const struct wcfg *c, struct strvec *files)
{
	sv_push_once(files, t->rel);
	if (c->run_dyn_sym && c->run)
		sv_push_once(files, IMP_LOADER_SOURCE);
	for (size_t i = 0; i < c->ndeps; i++) {
		for (size_t k = 0; k < c->deps[i].files.n; k++)
			if (c->deps[i].files.v[k][0] != '/')   /* not the case's */
				sv_push_once(files, c->deps[i].files.v[k]);
		for (size_t k = 0; k < c->deps[i].nested.n; k++)
			sv_push_once(files, c->deps[i].nested.v[k]);
	}
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

/* The driver of a link, as a step's driver: key: Wild's LinkerDriver, or
 * with none (Wild runs the linker) the case's compiler's, given only
 * where it is not the case's C driver. */
static const char *step_driver(const struct wcfg *c)
{
	bool cxx = !strcmp(c->driver, "g++") || !strcmp(c->driver, "clang++");
	bool clang = imp_direct(c) ? c->clang : !strncmp(c->driver, "clang", 5);
	if (clang == c->clang)
		return cxx ? "c++" : NULL;
	return c->driver;
}

static struct step *add_step(struct recipe *p, char *output, const char *mode)
{
	p->steps = xrealloc(p->steps, (p->nsteps + 1) * sizeof *p->steps);
	struct step *s = &p->steps[p->nsteps++];
	*s = (struct step){ .output = output, .mode = mode };
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

/* Wild's link arguments; a dependency's (d: a shared object or a
 * relocatable; NULL for the program) have LinkSoArgs after them. Run
 * directly, the linker gets no libc, no start files, Wild's --gc-sections
 * (but for a relocatable, whose -r Wild sees), and not the --build-id and
 * --as-needed some drivers add (Debian's): a build-id note is a section a
 * linker script must place. */
static void link_flags(const struct wcfg *c, const struct strvec *args, const struct dep *d,
		       struct strvec *out)
{
	if (imp_direct(c)) {
		sv_push(out, "-nostdlib");
		if (!d || d->kind != DEP_RELOCATABLE)
			link_arg(c, out, "--gc-sections");
		link_arg(c, out, "--build-id=none");
		link_arg(c, out, "--no-as-needed");
	}
	for (size_t i = 0; i < args->n; i++)
		link_arg(c, out, args->v[i]);
	for (size_t i = 0; d && i < c->l[L_LINK_SO].n; i++)
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

static void expect_output(struct strbuf *sb, const char *key, const struct strvec *v)
{
	if (!v->n)
		return;
	char *re = error_regex(v);
	sb_addf(sb, "%s%s: ", sb->len > 2 ? ", " : "", key);
	imp_y_scalar(sb, re);
	free(re);
}

/* What Wild expects of the test's link (not of its shared objects'):
 * failure, and what stderr and stdout must match. */
static char *link_expect(const struct wcfg *c)
{
	if (!c->link_error && !c->l[L_ERRORS].n && !c->l[L_MESSAGES].n)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{ ");
	if (c->link_error)
		sb_adds(&sb, "link: error");
	expect_output(&sb, "stderr", &c->l[L_ERRORS]);
	expect_output(&sb, "stdout", &c->l[L_MESSAGES]);
	sb_adds(&sb, " }");
	return sb_detach(&sb);
}

/* The output kinds the link flags ask for. GCC's -shared, -pie, -no-pie
 * and -static-pie cancel each other, the last one winning (the Negative
 * chain of its common.opt); a linker's -shared, -pie and -no-pie do so
 * too. -static is apart: with GCC it overrides -pie. */
static const struct { const char *flag, *kind; bool direct, driver; } kind_flags[] = {
	{ "-shared", "shared", true, true }, { "--shared", "shared", true, true },
	{ "-Bshareable", "shared", true, false }, { "-pie", "pie", true, true },
	{ "--pie", "pie", true, false }, { "-pic-executable", "pie", true, false },
	{ "-no-pie", "exe", true, true }, { "-static-pie", "static-pie", false, true },
};

/* The kind arg asks for, or NULL. */
static const char *kind_of(const struct wcfg *c, const char *arg)
{
	for (size_t i = 0; i < ARRAY_LEN(kind_flags); i++)
		if (!strcmp(arg, kind_flags[i].flag) &&
		    (imp_direct(c) ? kind_flags[i].direct : kind_flags[i].driver))
			return kind_flags[i].kind;
	return NULL;
}

/* Takes out of a driver's args the flags a mode passes it, so that the
 * mode's is the one that counts; -static stays with a shared object, which
 * it does not cancel. */
static void drop_kind_flags(const struct wcfg *c, struct strvec *args, bool shared)
{
	for (size_t i = 0; !imp_direct(c) && i < args->n; i++)
		if (kind_of(c, args->v[i]) || (!shared && !strcmp(args->v[i], "-static")))
			sv_remove(args, i--);
}

/* The kind of output the program's link asks for, as linkmatrix's mode:
 * the last kind flag of LinkArgs, else Wild's Mode (a direct link), else
 * a PIE (GCC's default on Debian). A direct link keeps its flags, which
 * are the linker's; -static with a driver or Mode:static makes any kind
 * but a shared object static, as linkmatrix's static mode admits a
 * static PIE. */
static const char *main_mode(const struct wcfg *c, struct strvec *args)
{
	const char *last = NULL;
	bool is_static = imp_direct(c) ? c->mode == WM_STATIC : sv_has(args, "-static");
	for (size_t i = 0; i < args->n; i++)
		last = kind_of(c, args->v[i]) ? kind_of(c, args->v[i]) : last;
	const char *mode = !last && imp_direct(c) && c->mode != WM_STATIC ? "exe"
			   : !last ? "pie" : last;
	if (is_static && strcmp(mode, "shared") && strcmp(mode, "static-pie"))
		mode = "static";
	drop_kind_flags(c, args, !strcmp(mode, "shared"));
	return mode;
}

/* LinkArgs' -o NAME names the output (Wild adds no -o then); any other
 * -o lost the case, which keeps it as it is. */
static char *main_output(struct strvec *args)
{
	for (size_t i = 0; i + 1 < args->n; i++)
		if (!strcmp(args->v[i], "-o") && name_is_file(args->v[i + 1], true)) {
			char *name = xstrdup(args->v[i + 1]);
			sv_remove(args, i);
			sv_remove(args, i);
			return name;
		}
	return NULL;
}

static void note_sources(struct recipe *p, const struct strvec *files)
{
	for (size_t i = 0; i < files->n; i++)
		p->cxx |= source_kind(files->v[i]) == 'x';
}

/* A shared object or linker script on the program's link line, as Wild
 * puts it (-T before a script, the template around the file), or an
 * archive or relocatable that follows one there. */
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

/* A Rust crate's CompArgs, rustc's flags, less what linkmatrix gives
 * rustc itself: --target (the case's target's), and the static
 * relocation model and +crt-static, which make the mode returned. */
static const char *rust_flags(const struct strvec *comp, struct strvec *flags)
{
	bool reloc_static = false, crt_static = false;
	for (size_t i = 0; i < comp->n; i++) {
		const char *a = comp->v[i], *next = i + 1 < comp->n ? comp->v[i + 1] : NULL;
		bool pair = !strcmp(a, "-C") && next;
		const char *opt = pair ? next : !strncmp(a, "-C", 2) ? a + 2 : "";
		if (!strcmp(a, "--target") && next)
			i++;
		else if (!strcmp(opt, "relocation-model=static"))
			reloc_static = true, i += pair;
		else if (!strcmp(opt, "target-feature=+crt-static"))
			crt_static = true, i += pair;
		else if (strncmp(a, "--target=", 9))
			sv_push(flags, a);
	}
	return crt_static ? (reloc_static ? "static" : "static-pie") : reloc_static ? "exe" : "pie";
}

/* A source with flags of its own (Object:F:FLAGS), or one that must keep
 * its place among inputs linked after the others: a step of its own,
 * compiled with the dependency's flags and then its own, as Wild compiles
 * it; its output's name. */
static const char *object_step(struct recipe *p, const char *file, const struct strvec *cflags,
			       const char *flags)
{
	struct step *s = add_step(p, free_name(p, path_base(file), ".o"), "object");
	sv_push(&s->inputs, file);
	sv_pushv(&s->cflags, cflags->v);
	imp_split(&s->cflags, flags, ' ');
	return s->output;
}

/* A dependency's files as a step takes them: each with flags of its own
 * as an object step's output. */
static void dep_inputs(struct recipe *p, const struct dep *d, const struct strvec *cflags,
		       struct strvec *out)
{
	for (size_t i = 0; i < d->files.n; i++)
		if (*d->flags.v[i])
			sv_push(out, object_step(p, d->files.v[i], cflags, d->flags.v[i]));
		else
			sv_push(out, d->files.v[i]);
}

/* The shared object already made of these files: Wild names a shared
 * object after its source, so a source named twice (by the test and by
 * another shared object's source) is one object, made once. */
static struct step *made_shared(struct recipe *p, const struct dep *d)
{
	for (size_t i = 0; d->kind == DEP_SHARED && i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		bool same = !strcmp(s->mode, "shared") && s->inputs.n == d->files.n;
		for (size_t k = 0; same && k < d->files.n; k++)
			same = !*d->flags.v[k] && !strcmp(s->inputs.v[k], d->files.v[k]);
		if (same)
			return &p->steps[i];
	}
	return NULL;
}

/* An archive, relocatable or shared object: a step named as Wild names
 * it, after its first source (STEM.a, STEM.so; STEM.r.o, as STEM.o may
 * be a compiled source's), built as the test's config builds deps. */
static struct step *dep_step(struct recipe *p, const struct wcfg *c, const struct dep *d)
{
	struct step *made = made_shared(p, d);
	if (made)
		return made;
	static const struct { const char *ext, *mode; } kinds[] = {
		[DEP_ARCHIVE] = { ".a", "archive" }, [DEP_THIN] = { ".a", "archive" },
		[DEP_BSD] = { ".a", "archive" }, [DEP_SHARED] = { ".so", "shared" },
		[DEP_RELOCATABLE] = { ".r.o", "relocatable" },
	};
	bool linked = d->kind == DEP_SHARED || d->kind == DEP_RELOCATABLE;
	const struct strvec *cflags = d->kind == DEP_SHARED && c->l[L_COMP_SO].n ?
				      &c->l[L_COMP_SO] : &c->l[L_COMP];
	struct strvec inputs = STRVEC_INIT, nested = STRVEC_INIT;
	dep_inputs(p, d, cflags, &inputs);   /* before the step: add_step moves steps */
	for (size_t i = 0; i < d->nested.n; i++) {   /* the shared objects it links, first */
		const struct dep nd = { .kind = DEP_SHARED, .files = { &d->nested.v[i], 1, 1 },
					.flags = { (char *[]){ "" }, 1, 1 } };
		sv_push(&nested, dep_step(p, c, &nd)->output);
	}
	char *stem = imp_stem_of(d->files.v[0]);
	struct step *s = add_step(p, free_name(p, stem, kinds[d->kind].ext), kinds[d->kind].mode);
	free(stem);
	s->inputs = inputs;
	s->thin = d->kind == DEP_THIN;
	if (imp_is_rust(d->files.v[0])) {   /* a cdylib: rustc links it, with Wild's driver */
		rust_flags(cflags, &s->cflags);
		s->driver = step_driver(c);
		sv_clear(&nested);
		return s;
	}
	sv_pushv(&s->cflags, cflags->v);
	if (linked) {
		/* Wild gives its -shared last, which wins over LinkArgs' kind. */
		struct strvec args = STRVEC_INIT;
		sv_pushv(&args, c->l[L_LINK].v);
		drop_kind_flags(c, &args, true);
		link_flags(c, &args, d, &s->ldflags);
		for (size_t i = 0; i < nested.n; i++)
			link_arg(c, &s->ldflags, nested.v[i]);
		if (d->kind == DEP_SHARED && imp_direct(c))
			link_arg(c, &s->ldflags, "-shared");
		s->reference = c->so_reference;
		s->driver = step_driver(c);
		sv_clear(&args);
	}
	sv_clear(&nested);
	return s;
}

/* The program's step: its inputs, Wild's LinkArgs less what became its
 * mode and output name, the shared objects and scripts after them. */
static void main_step(const struct wtest *t, const struct wcfg *c, struct recipe *p,
		      struct strvec *inputs, const struct strvec *late)
{
	struct strvec args = STRVEC_INIT;
	sv_pushv(&args, c->l[L_LINK].v);
	const char *mode = main_mode(c, &args);
	char *output = main_output(&args);
	bool shared = !strcmp(mode, "shared");
	if (!output)
		output = free_name(p, t->stem, shared ? ".so" : taken(p, t->stem) ? ".out" : "");
	p->main = p->nsteps;
	struct step *m = add_step(p, output, mode);
	m->inputs = *inputs;
	sv_pushv(&m->cflags, c->l[L_COMP].v);
	/* Wild's static mode gives a direct link -static, which the shared
	 * mode's driver flag does not. */
	if (shared && imp_direct(c) && c->mode == WM_STATIC)
		link_arg(c, &m->ldflags, "-static");
	link_flags(c, &args, NULL, &m->ldflags);
	sv_pushv(&m->ldflags, late->v);
	m->driver = step_driver(c);
	m->expect = link_expect(c);
	sv_clear(&args);
}

/* A Rust test's program: rustc links it, from its crate and every input,
 * in the kind of file its CompArgs ask for. */
static void rust_main_step(const struct wtest *t, const struct wcfg *c, struct recipe *p,
			   struct strvec *inputs)
{
	struct strvec flags = STRVEC_INIT;
	const char *mode = rust_flags(&c->l[L_COMP], &flags);
	p->main = p->nsteps;
	struct step *m = add_step(p, free_name(p, t->stem, taken(p, t->stem) ? ".out" : ""), mode);
	m->inputs = *inputs;
	m->cflags = flags;
	m->driver = step_driver(c);
	m->expect = link_expect(c);
}

/* RunDynSym's loader: any program the reference linker makes will do. */
static void loader_step(struct recipe *p)
{
	struct step *s = add_step(p, free_name(p, "run-dyn-sym", ""), "pie");
	p->loader = true;
	sv_push(&s->inputs, IMP_LOADER_SOURCE);
	sv_push(&s->libs, "dl");
	s->reference = true;
}

/* Whether LinkArgs act on the archives after them (--whole-archive, a
 * group): Wild puts its inputs after LinkArgs, so the archives go there. */
static bool archive_flags(const struct strvec *args)
{
	static const char *const flags[] = { "--whole-archive", "--no-whole-archive",
					     "--start-group", "--end-group", "-(", "-)" };
	for (size_t i = 0; i < args->n; i++)
		if (imp_flag_of(args->v[i], flags, ARRAY_LEN(flags)))
			return true;
	return false;
}

/* A file of the program's link where Wild puts it: among the inputs, or
 * in ldflags after the shared objects and scripts already there, or
 * where LinkArgs act on it (late). */
static void place(const struct wcfg *c, const struct dep *d, const char *file, bool late_now,
		  struct strvec *late, struct strvec *inputs)
{
	if (late_now || late->n)
		late_input(c, d, file, late);
	else
		sv_push(inputs, file);
}

/* Archives, relocatables and shared objects first, then the program from
 * the test's source and every input, then RunDynSym's loader. */
void recipe_make(const struct wtest *t, const struct wcfg *c, struct recipe *p)
{
	memset(p, 0, sizeof *p);
	recipe_files(t, c, &p->files);
	struct strvec inputs = STRVEC_INIT, late = STRVEC_INIT;
	bool rust = imp_is_rust(t->rel), archives_late = archive_flags(&c->l[L_LINK]);
	sv_push(&inputs, t->rel);
	note_sources(p, &inputs);
	for (size_t i = 0; i < c->ndeps; i++) {
		const struct dep *d = &c->deps[i];
		note_sources(p, &d->files);
		if (d->files.v[0][0] == '/') {   /* a path passed as it is */
			place(c, d, d->files.v[0], true, &late, &inputs);
		} else if (d->kind == DEP_ARCHIVE && d->files.n == 1 &&
			   !source_kind(d->files.v[0])) {   /* an archive Wild links as it is */
			place(c, d, d->files.v[0], archives_late, &late, &inputs);
		} else if (d->kind == DEP_OBJECT && (late.n || *d->flags.v[0])) {
			/* After a shared object (in Wild's order), or with its own flags. */
			const char *o = object_step(p, d->files.v[0], &c->l[L_COMP], d->flags.v[0]);
			place(c, d, o, false, &late, &inputs);
		} else if (d->kind == DEP_OBJECT) {
			sv_pushv(&inputs, d->files.v);
		} else if (d->kind == DEP_SCRIPT) {
			for (size_t k = 0; k < d->files.n; k++)
				late_input(c, d, d->files.v[k], &late);
		} else {
			const char *out = dep_step(p, c, d)->output;
			bool archive = d->kind != DEP_SHARED && d->kind != DEP_RELOCATABLE;
			if (rust)   /* rustc takes every input as a link argument */
				sv_push(&inputs, out);
			else
				place(c, d, out, d->kind == DEP_SHARED || (archive && archives_late),
				      &late, &inputs);
		}
	}
	if (rust)
		rust_main_step(t, c, p, &inputs);
	else
		main_step(t, c, p, &inputs, &late);
	if (c->run_dyn_sym && c->run)
		loader_step(p);
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
		sv_clear(&s->libs);
		free(s->expect);
	}
	free(p->steps);
}
