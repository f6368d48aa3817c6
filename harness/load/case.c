#include "load/case.h"

#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/model.h"
#include "os/proc.h"

static const char *const mode_names[MODE_COUNT] = {
	[MODE_EXE] = "exe",
	[MODE_PIE] = "pie",
	[MODE_STATIC] = "static",
	[MODE_STATIC_PIE] = "static-pie",
	[MODE_SHARED] = "shared",
	[MODE_RELOCATABLE] = "relocatable",
	[MODE_ARCHIVE] = "archive",
	[MODE_OBJECT] = "object",
};

const char *mode_name(enum mode m)
{
	return mode_names[m];
}

const char *mode_ldflag(enum mode m)
{
	static const char *const flags[MODE_COUNT] = {
		[MODE_EXE] = "-no-pie",
		[MODE_PIE] = "-pie",
		[MODE_STATIC] = "-static",
		[MODE_STATIC_PIE] = "-static-pie",
		[MODE_SHARED] = "-shared",
		[MODE_RELOCATABLE] = "-r",
	};
	return flags[m];
}

bool mode_made(const struct elf_file *f, enum mode m, struct strbuf *made)
{
	size_t len;
	bool interp = elf_interp(f, &len) != NULL, needs = elf_has_dyn(f, DT_NEEDED);
	bool dynamic = false;
	for (size_t i = 0; i < f->nph; i++)
		dynamic |= f->ph[i].p_type == PT_DYNAMIC;
	uint16_t type = f->eh.e_type;
	bool ok = true;
	switch (m) {
	case MODE_EXE: ok = type == ET_EXEC; break;
	case MODE_PIE: ok = type == ET_DYN && interp; break;
	case MODE_STATIC: ok = (type == ET_EXEC || type == ET_DYN) && !interp && !needs; break;
	case MODE_STATIC_PIE: ok = type == ET_DYN && dynamic && !interp && !needs; break;
	case MODE_SHARED: ok = type == ET_DYN && dynamic; break;
	case MODE_RELOCATABLE: ok = type == ET_REL; break;
	case MODE_ARCHIVE: case MODE_OBJECT: case MODE_COUNT: break;
	}
	if (!ok)
		elf_describe(f, made);
	return ok;
}

bool mode_by_tool(enum mode m)
{
	return m == MODE_ARCHIVE || m == MODE_OBJECT;
}

bool mode_is_executable(enum mode m)
{
	return m == MODE_EXE || m == MODE_PIE || m == MODE_STATIC || m == MODE_STATIC_PIE;
}

enum mode step_mode(const struct build_step *s, const struct variant *v)
{
	if (v->has_mode && !s->reference && mode_is_executable(s->mode))
		return v->mode;
	return s->mode;
}

static bool word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '+' || ch == '-';
}

/* n bytes of word characters, the first not '-' (an option to the tools)
 * and, unless dot_first, not '.'. */
static bool word_span(const char *s, size_t n, bool dot_first)
{
	if (!n || s[0] == '-' || (s[0] == '.' && !dot_first))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!word_char(s[i]))
			return false;
	return true;
}

bool name_is_word(const char *s)
{
	size_t n = strlen(s);
	return n <= NAME_MAX_WORD && word_span(s, n, false);
}

bool name_is_file(const char *s, bool plain)
{
	if (strlen(s) > NAME_MAX_PATH)
		return false;
	for (const char *p = s;;) {
		size_t n = strcspn(p, "/");
		if (!word_span(p, n, true) || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		if (plain)
			return false;
		p += n + 1;
	}
}

/* A name the grammar refuses, shown as data: what it is and the rule. */
static void bad_name(struct ydoc *y, const yaml_node_t *n, const char *what, const char *s,
		     const char *rule)
{
	char *v = xvisible_ascii(s, 120);
	yerr(y, n, "%s '%s' is not a name: %s", what, v, rule);
	free(v);
}

char source_kind(const char *name)
{
	static const struct { const char *ext; char kind; } exts[] = {
		{ ".c", 'c' }, { ".cc", 'x' }, { ".cpp", 'x' }, { ".cxx", 'x' },
		{ ".C", 'x' }, { ".s", 's' }, { ".S", 's' },
	};
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(exts); i++)
		if (!strcmp(dot, exts[i].ext))
			return exts[i].kind;
	return 0;
}

static bool is_rust_source(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".rs");
}

bool step_is_rust(const struct build_step *s)
{
	return s->inputs.n && is_rust_source(s->inputs.v[0]);
}

/* ---- field decoders ---------------------------------------------------- */

static const struct yfield requires_fields[] = {
	YFIELD(struct requires, "arch", YF_STRLIST, arch),
	YFIELD(struct requires, "os", YF_STRLIST, os),
	YFIELD(struct requires, "libc", YF_STRLIST, libc),
	YFIELD(struct requires, "linkers", YF_STRLIST, linkers),
	YFIELD(struct requires, "cflags", YF_STRLIST, cflags),
	YFIELD(struct requires, "cxx", YF_BOOL, cxx),
};

static bool dec_case_requires(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	c->req.at = ypos(v);
	return y_fields(y, v, "requires", requires_fields, ARRAY_LEN(requires_fields), &c->req);
}

static bool dec_variant_requires(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct variant *var = obj;
	var->req.at = ypos(v);
	return y_fields(y, v, "requires", requires_fields, ARRAY_LEN(requires_fields), &var->req);
}

static bool parse_mode(struct ydoc *y, yaml_node_t *v, enum mode *out)
{
	const char *s;
	if (!y_str(y, v, "mode", &s))
		return false;
	for (int m = 0; m < MODE_COUNT; m++) {
		if (!strcmp(s, mode_names[m])) {
			*out = (enum mode)m;
			return true;
		}
	}
	yerr(y, v, "unknown mode '%s' (known: exe, pie, static, static-pie, shared, "
	     "relocatable, archive)", s);
	return false;
}

static bool dec_step_mode(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return parse_mode(y, v, &((struct build_step *)obj)->mode);
}

static bool dec_variant_mode(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct variant *var = obj;
	var->has_mode = parse_mode(y, v, &var->mode);
	return var->has_mode;
}

/* One of a few words, as an index into words[]. */
static bool parse_word(struct ydoc *y, yaml_node_t *v, const char *what,
		       const char *const *words, size_t n, int *out)
{
	const char *s;
	if (!y_str(y, v, what, &s))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(s, words[i])) {
			*out = (int)i;
			return true;
		}
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", words[i]);
	yerr(y, v, "%s must be one of %s, not '%s'", what, sb_str(&sb), s);
	sb_free(&sb);
	return false;
}

/* c, c++: the language, with the case's compilers; gcc, g++, clang,
 * clang++: a family's too. */
static bool dec_step_driver(struct ydoc *y, yaml_node_t *v, void *obj)
{
	static const char *const words[] = { "c", "c++", "gcc", "g++", "clang", "clang++" };
	static const enum toolchain tcs[] = { TC_CASE, TC_CASE, TC_GCC, TC_GCC, TC_CLANG, TC_CLANG };
	struct build_step *s = obj;
	int i;
	if (!parse_word(y, v, "driver", words, ARRAY_LEN(words), &i))
		return false;
	s->driver = i % 2 ? DRIVER_CXX : DRIVER_C;
	s->tc = tcs[i];
	return true;
}

/* One of two words: true for the second. */
static bool parse_pair(struct ydoc *y, yaml_node_t *v, const char *what, const char *no,
		       const char *yes, bool *out)
{
	const char *const words[] = { no, yes };
	int i;
	if (!parse_word(y, v, what, words, ARRAY_LEN(words), &i))
		return false;
	*out = i == 1;
	return true;
}

static bool dec_compiler(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return parse_pair(y, v, "compiler", "gcc", "clang", &((struct lcase *)obj)->clang);
}

static bool dec_step_linker(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return parse_pair(y, v, "linker", "test", "reference", &((struct build_step *)obj)->reference);
}

static bool dec_link_outcome(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return parse_pair(y, v, "expect: 'link'", "ok", "error",
			  &((struct build_step *)obj)->expect_error);
}

static bool dec_link_warnings(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return parse_pair(y, v, "expect: 'warnings'", "any", "none",
			  &((struct build_step *)obj)->no_warnings);
}

static const struct yfield link_expect_fields[] = {
	YFIELD_FN("link", dec_link_outcome),
	YFIELD_FN("warnings", dec_link_warnings),
	YFIELD(struct build_step, "stdout", YF_REGEX, expect_stdout),
	YFIELD(struct build_step, "stderr", YF_REGEX, expect_stderr),
};

static bool dec_step_expect(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return y_fields(y, v, "a build step's expect", link_expect_fields,
			ARRAY_LEN(link_expect_fields), obj);
}

static const struct yfield step_fields[] = {
	YFIELD_REQ(struct build_step, "output", YF_STR, output),
	YFIELD_FN("mode", dec_step_mode),
	YFIELD_REQ(struct build_step, "inputs", YF_STRLIST, inputs),
	YFIELD(struct build_step, "cflags", YF_STRLIST, cflags),
	YFIELD(struct build_step, "ldflags", YF_STRLIST, ldflags),
	YFIELD(struct build_step, "libs", YF_STRLIST, libs),
	YFIELD_FN("driver", dec_step_driver),
	YFIELD(struct build_step, "thin", YF_BOOL, thin),
	YFIELD_FN("linker", dec_step_linker),
	YFIELD_FN("expect", dec_step_expect),
};

static bool dec_signal(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct run_step *r = obj;
	const char *s;
	if (!y_str(y, v, "expect: 'signal'", &s))
		return false;
	r->signal = signal_number(s);
	if (r->signal <= 0) {
		yerr(y, v, "unknown signal '%s'", s);
		return false;
	}
	return true;
}

static const struct yfield run_expect_fields[] = {
	YFIELD(struct run_step, "exit", YF_INT, exit_status),
	YFIELD_FN("signal", dec_signal),
	YFIELD(struct run_step, "stdout", YF_REGEX, expect_stdout),
	YFIELD(struct run_step, "stderr", YF_REGEX, expect_stderr),
};

static bool dec_run_expect(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct run_step *r = obj;
	r->has_expect = true;
	r->exit_status = -1;
	bool ok = y_fields(y, v, "a run step's expect", run_expect_fields,
			   ARRAY_LEN(run_expect_fields), r);
	long exit_status = r->exit_status;
	if (exit_status != -1 && r->signal) {
		yerr(y, v, "a run step expects either an exit status or a signal, not both");
		return false;
	}
	if (exit_status == -1 && !r->signal)
		r->exit_status = 0;
	else if (!r->signal && (exit_status < 0 || exit_status > 255)) {
		yerr(y, v, "exit status %ld is out of range 0..255", exit_status);
		return false;
	}
	return ok;
}

static bool dec_env(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct run_step *r = obj;
	if (!y_map(y, v, "env"))
		return false;
	size_t cnt = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	r->env.v = arena_alloc(y->arena, (cnt + 1) * sizeof *r->env.v);
	bool ok = true;
	Y_FOREACH_PAIR(y, v, p) {
		const char *k, *val;
		yaml_node_t *kn = ydoc_node(y, p->key);
		if (!y_str(y, kn, "an environment variable's name", &k) ||
		    !y_str(y, ydoc_node(y, p->value), "an environment variable's value", &val)) {
			ok = false;
			continue;
		}
		if (!*k || strchr(k, '=')) {
			yerr(y, kn, "bad environment variable name '%s'", k);
			ok = false;
			continue;
		}
		char *kv = xasprintf("%s=%s", k, val);
		r->env.v[r->env.n++] = arena_strdup(y->arena, kv);
		free(kv);
	}
	return ok;
}

static const struct yfield limit_fields[] = {
	YFIELD(struct run_limits, "memory", YF_SIZE, memory),
	YFIELD(struct run_limits, "file-size", YF_SIZE, file_size),
	YFIELD(struct run_limits, "output", YF_SIZE, output),
	YFIELD(struct run_limits, "processes", YF_INT, processes),
};

/* A timeout written is above 0 and at most a week (0 was read as "the
 * run's"); left out, it is 0, the run's. */
static bool dec_run_timeout(struct ydoc *y, yaml_node_t *v, void *obj)
{
	double *t = &((struct run_step *)obj)->timeout;
	if (!y_num(y, v, "a run step's timeout", t))
		return false;
	if (timeout_ok(*t))
		return true;
	yerr(y, v, "a run step's timeout must be above 0 and at most %d seconds, not %g", TIMEOUT_MAX,
	     *t);
	return false;
}

/* A limit written is above 0: 0 is no program's limit (it was read as
 * "the default"); a limit left out is 0, the default. */
static bool dec_limits(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct run_limits *l = &((struct run_step *)obj)->limits;
	const unsigned long long unset = ~0ull;
	*l = (struct run_limits){ unset, unset, unset, LONG_MIN };
	if (!y_fields(y, v, "a run step's limits", limit_fields, ARRAY_LEN(limit_fields), l))
		return false;
	const char *zero = !l->memory ? "memory" : !l->file_size ? "file-size" : !l->output ? "output"
			 : l->processes < 1 && l->processes != LONG_MIN ? "processes" : NULL;
	if (zero) {
		yerr(y, v, "limits: '%s' must be above 0 (leave it out for the default)", zero);
		return false;
	}
	l->memory = l->memory == unset ? 0 : l->memory;
	l->file_size = l->file_size == unset ? 0 : l->file_size;
	l->output = l->output == unset ? 0 : l->output;
	l->processes = l->processes == LONG_MIN ? 0 : l->processes;
	return true;
}

static const struct yfield run_fields[] = {
	YFIELD_REQ(struct run_step, "args", YF_STRLIST, args),
	YFIELD(struct run_step, "stdin", YF_STR, stdin_text),
	YFIELD_FN("env", dec_env),
	YFIELD_FN("timeout", dec_run_timeout),
	YFIELD_FN("limits", dec_limits),
	YFIELD_FN("expect", dec_run_expect),
};

static const struct yfield xfail_fields[] = {
	YFIELD_REQ(struct xfail, "linkers", YF_STRLIST, linkers),
	YFIELD(struct xfail, "targets", YF_STRLIST, targets),
	YFIELD(struct xfail, "variants", YF_STRLIST, variants),
	YFIELD_REQ(struct xfail, "reason", YF_STR, reason),
};

static const struct yfield variant_fields[] = {
	YFIELD(struct variant, "description", YF_STR, description),
	YFIELD_FN("mode", dec_variant_mode),
	YFIELD(struct variant, "cflags", YF_STRLIST, cflags),
	YFIELD(struct variant, "ldflags", YF_STRLIST, ldflags),
	YFIELD_FN("requires", dec_variant_requires),
};

static const struct yfield file_fields[] = {
	YFIELD_REQ(struct case_file, "path", YF_STR, path),
};

/* A list of mappings, each decoded by one table into an array of elements
 * of size `size`, each with its position (struct ypos) at pos_off. */
static bool dec_list(struct ydoc *y, yaml_node_t *v, const char *what,
		     const struct yfield *fields, size_t nfields, size_t size,
		     size_t pos_off, void **out, size_t *count)
{
	char *arr = ydoc_list(y, v, size, what);
	if (!arr)
		return false;
	bool ok = true;
	size_t i = 0;
	Y_FOREACH_ITEM(y, v, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		*(struct ypos *)(void *)(arr + i * size + pos_off) = ypos(e);
		if (!y_fields(y, e, what, fields, nfields, arr + i * size))
			ok = false;
		i++;
	}
	*out = arr;
	*count = i;
	return ok;
}

static bool dec_build(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	return dec_list(y, v, "a build step", step_fields, ARRAY_LEN(step_fields),
			sizeof *c->steps, offsetof(struct build_step, at),
			(void **)&c->steps, &c->nsteps);
}

static bool dec_run(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	return dec_list(y, v, "a run step", run_fields, ARRAY_LEN(run_fields),
			sizeof *c->runs, offsetof(struct run_step, at),
			(void **)&c->runs, &c->nruns);
}

static bool dec_xfail(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	return dec_list(y, v, "an expect-failure entry", xfail_fields, ARRAY_LEN(xfail_fields),
			sizeof *c->xfails, offsetof(struct xfail, at),
			(void **)&c->xfails, &c->nxfails);
}

/* A mapping from names to elements; duplicate names are errors. */
static size_t map_size(yaml_node_t *v)
{
	return (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
}

static bool dup_name(struct ydoc *y, yaml_node_t *map, yaml_node_pair_t *upto,
		     yaml_node_t *k, const char *name, const char *what)
{
	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < upto; q++) {
		yaml_node_t *qk = ydoc_node(y, q->key);
		if (qk->type == YAML_SCALAR_NODE && !strcmp((const char *)qk->data.scalar.value, name)) {
			yerr(y, k, "duplicate %s '%s' (first at line %d)", what, name, yline(qk));
			return true;
		}
	}
	return false;
}

static bool dec_files(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	if (!y_map(y, v, "files"))
		return false;
	c->files = arena_alloc(y->arena, map_size(v) * sizeof *c->files);
	bool ok = true;
	Y_FOREACH_PAIR(y, v, p) {
		yaml_node_t *k = ydoc_node(y, p->key), *val = ydoc_node(y, p->value);
		struct case_file *f = &c->files[c->nfiles];
		f->at = ypos(val);
		if (!y_str(y, k, "a file name", &f->name) || dup_name(y, v, p, k, f->name, "file")) {
			ok = false;
			continue;
		}
		if (!name_is_file(f->name, false)) {
			bad_name(y, k, "file name", f->name, NAME_FILE_RULE);
			ok = false;
			continue;
		}
		if (val->type == YAML_SCALAR_NODE) {
			f->text = arena_strdup(y->arena, (const char *)val->data.scalar.value);
		} else if (!y_fields(y, val, "a file", file_fields, ARRAY_LEN(file_fields), f)) {
			ok = false;
			continue;
		}
		c->nfiles++;
	}
	return ok;
}

static bool dec_tags(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	if (!y_strlist(y, v, "tags", &c->tags))
		return false;
	bool ok = true;
	for (size_t i = 0; i < c->tags.n; i++)
		if (!name_is_word(c->tags.v[i])) {
			yaml_node_t *at = v->type == YAML_SEQUENCE_NODE
					  ? ydoc_node(y, v->data.sequence.items.start[i]) : v;
			bad_name(y, at, "tag", c->tags.v[i], NAME_WORD_RULE);
			ok = false;
		}
	return ok;
}

static bool dec_variants(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	if (!y_map(y, v, "variants"))
		return false;
	c->variants = arena_alloc(y->arena, map_size(v) * sizeof *c->variants);
	bool ok = true;
	Y_FOREACH_PAIR(y, v, p) {
		yaml_node_t *k = ydoc_node(y, p->key);
		struct variant *var = &c->variants[c->nvariants];
		var->at = ypos(k);
		if (!y_str(y, k, "a variant name", &var->name)) {
			ok = false;
			continue;
		}
		if (!name_is_word(var->name)) {
			bad_name(y, k, "variant name", var->name, NAME_WORD_RULE);
			ok = false;
			continue;
		}
		if (dup_name(y, v, p, k, var->name, "variant") ||
		    !y_fields(y, ydoc_node(y, p->value), "a variant", variant_fields,
			      ARRAY_LEN(variant_fields), var)) {
			ok = false;
			continue;
		}
		c->nvariants++;
	}
	if (c->nvariants == 0 && ok) {
		yerr(y, v, "variants: at least one variant is needed");
		ok = false;
	}
	return ok;
}

static const struct yfield diff_fields[] = {
	YFIELD(struct case_diff, "reference", YF_STR, reference),
	YFIELD(struct case_diff, "ignore", YF_STRLIST, ignore),
	YFIELD(struct case_diff, "require-empty", YF_BOOL, require_empty),
};

static bool dec_diff(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	c->diff.at = ypos(v);
	return y_fields(y, v, "diff", diff_fields, ARRAY_LEN(diff_fields), &c->diff);
}

static bool dec_elf(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct lcase *c = obj;
	return elfx_decode(y, v, &c->elf, &c->nelf);
}

static const struct yfield case_fields[] = {
	YFIELD_REQ(struct lcase, "name", YF_STR, name),
	YFIELD(struct lcase, "description", YF_STR, description),
	YFIELD(struct lcase, "skip", YF_STR, skip),
	YFIELD_FN("compiler", dec_compiler),
	YFIELD_FN("tags", dec_tags),
	YFIELD_FN("requires", dec_case_requires),
	YFIELD_FN("files", dec_files),
	YFIELD_FN("variants", dec_variants),
	YFIELD_FN_REQ("build", dec_build),
	YFIELD_FN("run", dec_run),
	YFIELD_FN("elf", dec_elf),
	YFIELD_FN("diff", dec_diff),
	YFIELD_FN("expect-failure", dec_xfail),
};

/* ---- checks across fields ---------------------------------------------- */

struct checker {
	struct lcase *c;
	struct ydoc *y;
	const struct slist *known_linkers;
	struct diags *d;
};

static void cerr(struct checker *k, struct ypos at, const char *fmt, ...) LM_PRINTF(3, 4);
static void cerr(struct checker *k, struct ypos at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(k->d, k->c->path, at.line, at.col, fmt, ap);
	va_end(ap);
	k->y->nerrors++;
}

static const struct case_file *find_file(const struct lcase *c, const char *name)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].name, name))
			return &c->files[i];
	return NULL;
}


bool linker_name_known(const struct slist *families, const char *name)
{
	size_t n = strcspn(name, "@");
	for (size_t i = 0; i < families->n; i++)
		if (!strncmp(families->v[i], name, n) && !families->v[i][n])
			return !name[n] || name[n + 1];
	return false;
}

static void check_linker_names(struct checker *k, struct ypos at, const struct slist *l,
			       const char *what)
{
	if (!k->known_linkers)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (!linker_name_known(k->known_linkers, l->v[i]))
			cerr(k, at, "%s names linker '%s', which no linkers.d file defines",
			     what, l->v[i]);
}

static void check_files(struct checker *k, const char *dir)
{
	for (size_t i = 0; i < k->c->nfiles; i++) {
		struct case_file *f = &k->c->files[i];
		if (f->text)
			continue;
		if (f->path[0] != '/') {
			char *full = path_join(dir, f->path);
			f->path = arena_strdup(&k->c->arena, full);
			free(full);
		}
		struct stat st;
		if (stat(f->path, &st) < 0 || !S_ISREG(st.st_mode))
			cerr(k, f->at, "file '%s': '%s' is not a readable file", f->name, f->path);
	}
}

/* YAML splits [-Wl,-z,now] at its commas; gcc rejects the lone -Wl. */
static void check_flags(struct checker *k, struct ypos at, const struct slist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], "-Wl"))
			cerr(k, at, "a lone '-Wl' flag: YAML splits [-Wl,-z,now] at the commas; "
			     "quote it: ['-Wl,-z,now']");
}

/* rustc builds one crate a step, from its root (other .rs files are its
 * modules, files of the case), into a program or a cdylib. */
static void check_rust_step(struct checker *k, const struct build_step *s)
{
	static const enum mode modes[] = { MODE_EXE, MODE_PIE, MODE_STATIC, MODE_STATIC_PIE,
					   MODE_SHARED };
	size_t n = 0;
	for (size_t j = 0; j < s->inputs.n; j++)
		n += is_rust_source(s->inputs.v[j]);
	if (n && (n > 1 || !step_is_rust(s)))
		cerr(k, s->at, "build step '%s': rustc builds one crate a step, its root the first "
		     "input; its modules are files of the case, not inputs", s->output);
	bool mode_ok = false;
	for (size_t i = 0; i < ARRAY_LEN(modes); i++)
		mode_ok |= s->mode == modes[i];
	if (step_is_rust(s) && !mode_ok)
		cerr(k, s->at, "build step '%s' is Rust: rustc makes exe, pie, static, static-pie and "
		     "shared (cdylib) files, not %s", s->output, mode_name(s->mode));
	if (step_is_rust(s) && s->no_warnings)
		cerr(k, s->at, "build step '%s' is Rust: rustc shows all the linker prints as "
		     "warnings (its banner too), so 'warnings: none' cannot hold", s->output);
}

static void check_steps(struct checker *k)
{
	struct lcase *c = k->c;
	for (size_t i = 0; i < c->nsteps; i++) {
		struct build_step *s = &c->steps[i];
		if (!name_is_file(s->output, true)) {
			char *v = xvisible(s->output, 120);
			cerr(k, s->at, "output '%s' is not a name: " NAME_FILE_RULE ", no '/'", v);
			free(v);
		}
		if (find_file(c, s->output))
			cerr(k, s->at, "output '%s' has the name of one of the case's files",
			     s->output);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->steps[j].output, s->output))
				cerr(k, s->at, "output '%s' is built twice", s->output);
		if (s->inputs.n == 0)
			cerr(k, s->at, "build step '%s' has no inputs", s->output);
		check_flags(k, s->at, &s->cflags);
		check_flags(k, s->at, &s->ldflags);
		for (size_t j = 0; j < s->inputs.n; j++) {
			const char *in = s->inputs.v[j];
			bool earlier = false;
			for (size_t m = 0; m < i; m++)
				earlier |= !strcmp(c->steps[m].output, in);
			if (!earlier && !find_file(c, in))
				cerr(k, s->at, "input '%s' of '%s' is neither a file of the case "
				     "nor the output of an earlier step", in, s->output);
		}
		check_rust_step(k, s);
		if (s->thin && s->mode != MODE_ARCHIVE)
			cerr(k, s->at, "'%s' is not an archive: only an archive is thin", s->output);
		if (mode_by_tool(s->mode) && (s->ldflags.n || s->libs.n || s->expect_error ||
					      s->no_warnings))
			cerr(k, s->at, "%s '%s' is made by %s: ldflags, libs and link expectations do "
			     "not apply", mode_name(s->mode), s->output,
			     s->mode == MODE_ARCHIVE ? "ar" : "the compiler");
		if (s->mode == MODE_OBJECT && (s->inputs.n != 1 || !source_kind(s->inputs.v[0])))
			cerr(k, s->at, "object '%s' is one C, C++ or assembly source compiled: its "
			     "inputs are that source", s->output);
	}
}

static void check_runs(struct checker *k)
{
	for (size_t i = 0; i < k->c->nruns; i++) {
		struct run_step *r = &k->c->runs[i];
		if (r->args.n == 0 || !*r->args.v[0])
			cerr(k, r->at, "a run step needs a program in args");
	}
}

static bool has_variant(const struct lcase *c, const char *name)
{
	for (size_t i = 0; i < c->nvariants; i++)
		if (!strcmp(c->variants[i].name, name))
			return true;
	return false;
}

static void check_elf(struct checker *k)
{
	for (size_t i = 0; i < k->c->nelf; i++) {
		const struct elf_check *e = &k->c->elf[i];
		const struct build_step *s = NULL;
		for (size_t j = 0; j < k->c->nsteps && !s; j++)
			if (!strcmp(k->c->steps[j].output, e->file))
				s = &k->c->steps[j];
		if (!s)
			cerr(k, e->at, "elf names '%s', which no build step writes", e->file);
		else if (s->reference)
			cerr(k, e->at, "elf names '%s', which the reference linker builds: only the "
			     "outputs of the linker under test are checked", e->file);
	}
}

static void check_xfails(struct checker *k)
{
	check_linker_names(k, k->c->req.at, &k->c->req.linkers, "requires");
	for (size_t i = 0; i < k->c->nvariants; i++) {
		const struct variant *v = &k->c->variants[i];
		check_linker_names(k, v->req.at, &v->req.linkers, "a variant's requires");
		check_flags(k, v->at, &v->cflags);
		check_flags(k, v->at, &v->ldflags);
	}
	if (k->c->diff.reference) {
		struct slist one = { &k->c->diff.reference, 1 };
		check_linker_names(k, k->c->diff.at, &one, "diff");
	}
	for (size_t i = 0; i < k->c->nxfails; i++) {
		struct xfail *x = &k->c->xfails[i];
		check_linker_names(k, x->at, &x->linkers, "expect-failure");
		for (size_t j = 0; j < x->variants.n; j++)
			if (!has_variant(k->c, x->variants.v[j]))
				cerr(k, x->at, "expect-failure names variant '%s', which the "
				     "case does not have", x->variants.v[j]);
	}
}

static void default_variant(struct lcase *c)
{
	if (c->nvariants)
		return;
	c->variants = arena_alloc(&c->arena, sizeof *c->variants);
	c->variants[0].name = "default";
	c->nvariants = 1;
}

struct lcase *case_load(const char *path, const struct slist *known_linkers, struct diags *d)
{
	struct lcase *c = xcalloc(1, sizeof *c);
	c->path = arena_strdup(&c->arena, path);
	if (ydoc_load(&c->doc, path, &c->arena, d) < 0) {
		case_free(c);
		return NULL;
	}
	struct ydoc *y = &c->doc;
	yaml_node_t *root = ydoc_root(y);
	if (y_fields(y, root, "a case", case_fields, ARRAY_LEN(case_fields), c)) {
		struct checker k = { c, y, known_linkers, d };
		if (!name_is_word(c->name))
			bad_name(y, root, "case name", c->name, NAME_WORD_RULE);
		if (!c->nsteps)
			yerr(y, root, "a case needs at least one build step");
		char *dir = path_dir(path);
		check_files(&k, dir);
		free(dir);
		check_steps(&k);
		check_runs(&k);
		check_elf(&k);
		default_variant(c);
		check_xfails(&k);
	}
	if (y->nerrors) {
		case_free(c);
		return NULL;
	}
	ydoc_drop_tree(y);
	return c;
}

void case_free(struct lcase *c)
{
	if (!c)
		return;
	ydoc_free(&c->doc);
	arena_free(&c->arena);
	free(c);
}
