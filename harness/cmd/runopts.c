#include "cmd/runopts.h"

#include "cmd/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

void known_note_unmatched(struct known_set *known, const char *path)
{
	for (size_t i = 0; i < known->n; i++)
		if (!atomic_load(&known->v[i].matched))
			fprintf(stderr, "linkmatrix: note: %s:%d: this known failure matched no test "
				"of this run\n", path, known->v[i].x.at.line);
}
