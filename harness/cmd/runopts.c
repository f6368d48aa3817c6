#include "cmd/runopts.h"

#include "cmd/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "util/match.h"

extern char **environ;

void run_opts_init(struct run_opts *o)
{
	*o = (struct run_opts){ .timeout = -1, .build_timeout = -1, .report_dir = "reports" };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cores > 0 ? cores : 1;
}

void run_opts_free(struct run_opts *o)
{
	sv_clear(&o->linkers);
	sv_clear(&o->added);
	sv_clear(&o->targets);
	sv_clear(&o->tags);
	sv_clear(&o->profiles);
}

struct opt *run_options_with(struct run_opts *o, const char *timeout_help,
			     const struct opt *own, size_t nown, size_t *n)
{
	const struct opt table[] = {
		{ "jobs", 'j', OPT_INT, &o->jobs, "N", "run N jobs at once (default: online cores)" },
		{ "linker", 'l', OPT_LIST, &o->linkers, "L,...",
		  "only these linkers (default: all): NAME, FAMILY@VERSION, FAMILY@*, or NAME=PATH "
		  "to add one" },
		{ "filter", 0, OPT_STR, &o->filter, "RE", "only case:variant names matching RE" },
		{ "filter-out", 0, OPT_STR, &o->filter_out, "RE", "not case:variant names matching RE" },
		{ "shard", 0, OPT_STR, &o->shard, "I/N", "only the I-th of N even parts of the plan" },
		{ "timeout", 0, OPT_NUM, &o->timeout, "S", timeout_help },
		{ "known-failures", 0, OPT_STR, &o->known_failures, "FILE",
		  "expected failures kept outside the cases: FAIL is XFAIL, PASS is XPASS" },
		{ "max-failures", 0, OPT_INT, &o->max_failures, "N", "stop after N failures" },
		{ "keep", 0, OPT_FLAG, &o->keep, NULL,
		  "keep the artefacts and the commands of tests that passed" },
		{ "tap", 0, OPT_FLAG, &o->tap, NULL, "print TAP on stdout" },
		{ "quiet", 'q', OPT_FLAG, &o->quiet, NULL,
		  "print only failures and the summary (without the table of link times)" },
		{ "color", 0, OPT_STR, &o->color_when, "WHEN",
		  "outcomes in colour: auto (on a terminal, unless NO_COLOR is set or TERM is "
		  "dumb), always or never" },
		{ "time-tests", 0, OPT_FLAG, &o->time_tests, NULL,
		  "after the run, list the 20 slowest tests" },
		{ "linkers-dir", 0, OPT_STR, &o->linkers_dir, "DIR", "linker definitions (default: linkers.d)" },
		{ "targets-dir", 0, OPT_STR, &o->targets_dir, "DIR", "target definitions (default: targets.d)" },
		{ "help", 'h', OPT_FLAG, &o->help, NULL, "this help" },
	};
	*n = ARRAY_LEN(table) + nown;
	struct opt *opts = xmalloc(*n * sizeof *opts);
	memcpy(opts, table, sizeof table);
	memcpy(opts + ARRAY_LEN(table), own, nown * sizeof *own);
	return opts;
}

int run_parse_args(const char *cmd, const struct opt *opts, size_t nopts,
		   struct strvec *args, int first, struct run_opts *o, struct strvec *rest)
{
	struct strbuf err = STRBUF_INIT;
	int rc = -1;
	if (cli_parse(opts, nopts, (int)args->n, args->v, first, rest, &err) == 0)
		run_split_added(&o->linkers, &o->added);
	if (!err.len && o->color_when && color_parse(o->color_when, &o->color) < 0)
		sb_addf(&err, "--color needs auto, always or never, not '%s'", o->color_when);
	if (err.len || (!o->help && run_check_numbers(o, &err) < 0)) {
		fprintf(stderr, "linkmatrix %s: %s (see 'linkmatrix %s --help')\n", cmd, err.buf, cmd);
		rc = 2;
	} else if (o->help) {
		usage_print(stdout, cmd);
		putchar('\n');
		cli_help(stdout, opts, nopts);
		rc = 0;
	}
	sb_free(&err);
	return rc;
}

void run_split_added(struct strvec *linkers, struct strvec *added)
{
	for (size_t i = 0; i < linkers->n; i++) {
		char *eq = strchr(linkers->v[i], '=');
		if (!eq)
			continue;
		/* Absolute, not resolved: lld reads the name it runs as. */
		char cwd[PATH_MAX];
		bool rel = eq[1] != '/' && strchr(eq, '/') && getcwd(cwd, sizeof cwd);
		sv_pushf(added, "%.*s%s%s%s", (int)(eq + 1 - linkers->v[i]), linkers->v[i],
			 rel ? cwd : "", rel ? "/" : "", eq + 1);
		*eq = 0;
	}
}

/* -j 99999999999 became a negative int; a timeout of inf never ended. */
int run_check_numbers(const struct run_opts *o, struct strbuf *err)
{
	if (o->jobs < 1 || o->jobs > 4096)
		sb_addf(err, "--jobs needs a whole number from 1 to 4096, not %ld", o->jobs);
	else if (o->max_failures > 1000000000)
		sb_addf(err, "--max-failures needs a whole number up to 1000000000 (0: no limit), not %ld",
			o->max_failures);
	else if (o->timeout != -1 && !timeout_ok(o->timeout))
		sb_addf(err, "--timeout needs seconds above 0, up to a week (%d), not %g", TIMEOUT_MAX,
			o->timeout);
	else if (o->build_timeout != -1 && !timeout_ok(o->build_timeout))
		sb_addf(err, "--build-timeout needs seconds above 0, up to a week (%d), not %g",
			TIMEOUT_MAX, o->build_timeout);
	return err->len ? -1 : 0;
}

/* Digits only (sscanf's %u took "-1" as 4294967295). */
int run_parse_shard(const char *s, struct plan_opts *po, struct strbuf *err)
{
	char *end;
	errno = 0;
	unsigned long i = s[0] >= '0' && s[0] <= '9' ? strtoul(s, &end, 10) : 0, n = 0;
	if (i && *end == '/' && end[1] >= '0' && end[1] <= '9')
		n = strtoul(end + 1, &end, 10);
	if (errno || !i || !n || *end || i > n || n > SHARD_MAX) {
		sb_addf(err, "--shard needs I/N with 1 <= I <= N <= %u, not '%s'", SHARD_MAX, s);
		return -1;
	}
	po->shard_index = (unsigned)i;
	po->shard_count = (unsigned)n;
	return 0;
}

struct regex *run_compile_opt(const char *name, const char *re, struct strbuf *err)
{
	if (!re)
		return NULL;
	struct strbuf e = STRBUF_INIT;
	struct regex *r = regex_compile(re, &e);
	if (!r)
		sb_addf(err, "--%s: %s", name, sb_str(&e));
	sb_free(&e);
	return r;
}

/* LINKMATRIX_* of the environment but the options (in argv) and the
 * cache, which decides nothing: a linker's override, an ssh target's
 * destination, the harness's home. A relative path is made absolute.
 * Sorted. */
static void verdict_env(struct strvec *env)
{
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		if (strncmp(*e, "LINKMATRIX_", 11) || !eq || !strncmp(*e, "LINKMATRIX_OPTS=", 16) ||
		    !strncmp(*e, "LINKMATRIX_CACHE=", 17))
			continue;
		/* Not resolved: a linker called through a symlink may read its
		 * name (ld.lld). */
		char cwd[PATH_MAX];
		bool rel = eq[1] != '/' && strchr(eq, '/') && getcwd(cwd, sizeof cwd);
		sv_pushf(env, "%.*s%s%s%s", (int)(eq + 1 - *e), *e, rel ? cwd : "", rel ? "/" : "",
			 eq + 1);
	}
	sv_sort(env, 0);
}

/* Paths absolute, so a rerun or a repro from elsewhere finds the same
 * files. */
void run_verdict_of(const struct run_opts *o, struct verdict_opts *v, struct strvec *paths,
		    struct strvec *env)
{
	*v = (struct verdict_opts){ .profiles = (const char **)o->profiles.v,
				    .nprofiles = o->profiles.n, .added = (const char **)o->added.v,
				    .nadded = o->added.n, .diff_reference = o->diff_reference,
				    .timeout = o->timeout, .build_timeout = o->build_timeout,
				    .recorded = true };
	const struct { const char *given, **to; } files[] = {
		{ o->known_failures, &v->known_failures }, { o->linkers_dir, &v->linkers_dir },
		{ o->targets_dir, &v->targets_dir },
	};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		if (!files[i].given)
			continue;
		char *abs = realpath(files[i].given, NULL);
		sv_push(paths, abs ? abs : files[i].given);
		free(abs);
		*files[i].to = paths->v[paths->n - 1];
	}
	verdict_env(env);
	v->env = (const char **)env->v;
	v->nenv = env->n;
}

char *run_make_dir(const char *base, struct strbuf *err)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	char *rel = xasprintf("%s/%s-%ld", base, stamp, (long)getpid());
	char real[PATH_MAX];
	char *dir = NULL;
	if (mkdir_p(rel) == 0 && realpath(rel, real))
		dir = xstrdup(real);
	else
		sb_addf(err, "cannot make the run directory %s: %s", rel, strerror(errno));
	free(rel);
	return dir;
}

/* reports/latest names the newest finished run; replaced atomically. */
void run_point_latest(const char *base, const char *rundir)
{
	char *tmp = xasprintf("%s/.latest.%ld", base, (long)getpid());
	char *latest = path_join(base, "latest");
	unlink(tmp);
	if (symlink(path_base(rundir), tmp) == 0 && rename(tmp, latest) < 0)
		unlink(tmp);
	free(tmp);
	free(latest);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* case:variant, both words (case.h's names). */
static bool unit_shaped(const char *w)
{
	const char *colon = strchr(w, ':');
	if (!colon)
		return false;
	char *c = xstrndup(w, (size_t)(colon - w));
	bool ok = name_is_word(c) && name_is_word(colon + 1);
	free(c);
	return ok;
}

/* The words of arg: an id of one to three words, case:variant first, or
 * none (0). */
static size_t id_words(const char *arg, struct strvec *w)
{
	for (const char *p = arg + strspn(arg, " "); *p; p += strspn(p, " ")) {
		size_t n = strcspn(p, " ");
		sv_pushf(w, "%.*s", (int)n, p);
		p += n;
	}
	return w->n >= 1 && w->n <= 3 && unit_shaped(w->v[0]) ? w->n : 0;
}

/* Whether arg, the operand after an id's words w, is its next word:
 * after case:variant, a target's name; after the target, any word but a
 * file or another id (a linker's name, or a mistake run_load_ids names).
 * Such a word that is also a file is refused in err. */
static bool next_word(struct setup *s, const char *arg, struct strvec *w, struct strbuf *err)
{
	bool target = w->n == 1;
	if (target ? !target_by_name(&s->ts, arg) : strchr(arg, ':') || strchr(arg, '/'))
		return false;
	if (exists(arg)) {
		if (target || linker_by_name(&s->ls, arg))
			sb_addf(err, "'%s' after '%s' names a %s and a file: write ./%s for the "
				"file, or the test's id as one operand", arg, w->v[0],
				target ? "target" : "linker", arg);
		return false;
	}
	sv_push(w, arg);
	return true;
}

int run_take_ids(struct setup *s, struct strvec *rest, struct strvec *ids, struct strbuf *err)
{
	struct strvec left = STRVEC_INIT;
	for (size_t i = 0; i < rest->n && !err->len; i++) {
		struct strvec w = STRVEC_INIT;
		if (!id_words(rest->v[i], &w)) {
			sv_push(&left, rest->v[i]);
		} else if (exists(rest->v[i])) {
			sb_addf(err, "'%s' is a test's id and a file: write ./%s for the file",
				rest->v[i], rest->v[i]);
		} else {
			while (w.n < 3 && i + 1 < rest->n && next_word(s, rest->v[i + 1], &w, err))
				i++;
			struct strbuf id = STRBUF_INIT;
			for (size_t k = 0; k < w.n; k++)
				sb_addf(&id, "%s%s", k ? " " : "", w.v[k]);
			sv_push(ids, id.buf);
			sb_free(&id);
		}
		sv_clear(&w);
	}
	sv_clear(rest);
	*rest = left;
	return err->len ? -1 : 0;
}

/* The index of the loaded case named name, or s->ncases. */
static size_t case_named(const struct setup *s, const char *name)
{
	size_t i = 0;
	while (i < s->ncases && !(s->cases[i].name && !strcmp(s->cases[i].name, name)))
		i++;
	return i;
}

/* " (did you mean 'x'?)" where near is, or nothing. */
static void suggest(struct strbuf *sb, const char *near)
{
	if (near)
		sb_addf(sb, " (did you mean '%s'?)", near);
}

/* The words of id but its first: its target and linker there. */
static int check_names(struct setup *s, const char *id, const struct strvec *w, struct strbuf *err)
{
	if (w->n > 1 && !target_by_name(&s->ts, w->v[1])) {
		sb_addf(err, "test id '%s': no target '%s'", id, w->v[1]);
		suggest(err, target_near(&s->ts, w->v[1], false));
		sb_adds(err, " (see 'linkmatrix targets')");
	} else if (w->n > 2 && !linker_by_name(&s->ls, w->v[2])) {
		sb_addf(err, "test id '%s': no linker '%s'", id, w->v[2]);
		suggest(err, linker_near(&s->ls, w->v[2]));
		sb_adds(err, " (see 'linkmatrix linkers')");
	}
	return err->len ? -1 : 0;
}

/* The id's case has its variant. */
static int check_variant(struct setup *s, size_t i, const char *id, const char *variant,
			 struct strbuf *err)
{
	bool loaded = s->cases[i].c != NULL;
	setup_reload(s, i);
	const struct lcase *c = s->cases[i].c;
	const char **names = c ? xcalloc(c->nvariants + 1, sizeof *names) : NULL;
	size_t k = 0;
	while (c && k < c->nvariants && strcmp(c->variants[k].name, variant))
		k++;
	if (c && k == c->nvariants) {
		for (k = 0; k < c->nvariants; k++)
			names[k] = c->variants[k].name;
		sb_addf(err, "test id '%s': case %s has no variant '%s'", id, c->name, variant);
		suggest(err, did_you_mean(variant, names, c->nvariants));
		sb_adds(err, "; its variants:");
		for (k = 0; k < c->nvariants; k++)
			sb_addf(err, " %s", names[k]);
	}
	free(names);
	if (!loaded)
		setup_release(s, i);
	return err->len ? -1 : 0;
}

int run_load_ids(struct setup *s, const struct strvec *ids, struct strbuf *err)
{
	for (size_t i = 0; i < ids->n && !err->len; i++) {
		struct strvec w = STRVEC_INIT;
		id_words(ids->v[i], &w);
		char *colon = strchr(w.v[0], ':');
		*colon = 0;
		size_t k;
		/* A case no operand loaded is a bundled one. */
		if (check_names(s, ids->v[i], &w, err) == 0 && case_named(s, w.v[0]) == s->ncases &&
		    setup_cases(s, &w.v[0], 1, err) < 0)
			sb_addf(err, " (in test id '%s')", ids->v[i]);
		else if (!err->len && (k = case_named(s, w.v[0])) < s->ncases)
			check_variant(s, k, ids->v[i], colon + 1, err);
		sv_clear(&w);
	}
	return err->len ? -1 : 0;
}

void known_note_unmatched(struct known_set *known, const char *path)
{
	for (size_t i = 0; i < known->n; i++)
		if (!atomic_load(&known->v[i].matched))
			fprintf(stderr, "linkmatrix: note: %s:%d: this known failure matched no test "
				"of this run\n", path, known->v[i].x.at.line);
}
