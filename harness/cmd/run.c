#include "cmd/cmd.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/version.h"
#include "jobs/exec.h"
#include "jobs/runner.h"
#include "load/setup.h"
#include "os/spare.h"
#include "report/console.h"
#include "report/tap.h"
#include "report/write.h"
#include "results/compare.h"
#include "results/report.h"
#include "results/rerun.h"
#include "results/results.h"
#include "util/match.h"

extern char **environ;

struct run_opts {
	long jobs;
	struct strvec linkers, targets, profiles;
	const char *filter, *filter_out, *shard, *report_dir, *diff_reference, *baseline;
	const char *known_failures, *failed_from, *cache_dir;
	const char *linkers_dir, *targets_dir;
	double timeout, build_timeout;
	long max_failures;
	bool keep, verbose, quiet, tap, help, diagnose, failed, no_cache;
};

/* Shared by the workers' report callback. */
struct reporter {
	pthread_mutex_t lock;
	const struct verdict_opts *verdict;   /* for the repro commands */
	bool tap_stdout;          /* stream TAP on stdout as tests finish */
	struct console con;
	size_t n;                 /* test points written */
	size_t counts[OUT_COUNT];
	long max_failures;
	struct sched *sched;
	bool stopped;             /* by --max-failures or a signal: no more windows */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
	proc_abort_all(SIGKILL);
}

/* A closed terminal too (SIGHUP): its children, each in a group of its
 * own, would otherwise outlive the harness and its watchdog. */
static void catch_signals(void)
{
	catch_interrupts(on_signal);
	signal(SIGPIPE, SIG_IGN);
}

static void report(struct test *t, void *arg)
{
	struct reporter *rp = arg;
	pthread_mutex_lock(&rp->lock);
	/* After an interrupt, what the killed children did means nothing. */
	if (!interrupted) {
		rp->n++;
		rp->counts[t->res.outcome]++;
		if (rp->tap_stdout) {
			struct report one = { 0 };
			struct record rec;
			record_from_test(&one, &rec, t);
			struct strbuf sb = STRBUF_INIT;
			tap_point(&sb, rp->n, &rec, rp->verdict);
			fputs(sb.buf, stdout);
			fflush(stdout);
			sb_free(&sb);
			report_free(&one);
		}
		console_result(&rp->con, t);
		size_t bad = rp->counts[OUT_FAIL] + rp->counts[OUT_ERROR] +
			     rp->counts[OUT_TIMEOUT] + rp->counts[OUT_XPASS];
		rp->stopped |= rp->max_failures && bad >= (size_t)rp->max_failures;
	} else {
		t->done = false;   /* not in the reports either */
		rp->stopped = true;
	}
	if (rp->stopped && rp->sched)
		sched_stop(rp->sched);
	pthread_mutex_unlock(&rp->lock);
}

static const struct opt *run_options(struct run_opts *o, size_t *n)
{
	static struct opt opts[26];
	const struct opt table[] = {
		{ "jobs", 'j', OPT_INT, &o->jobs, "N", "run N jobs at once (default: online cores)" },
		{ "linker", 'l', OPT_LIST, &o->linkers, "L,...", "only these linkers (default: all)" },
		{ "target", 't', OPT_LIST, &o->targets, "T,...", "these targets, or 'all' (default: the default ones)" },
		{ "filter", 0, OPT_STR, &o->filter, "RE", "only case:variant names matching RE" },
		{ "filter-out", 0, OPT_STR, &o->filter_out, "RE", "not case:variant names matching RE" },
		{ "shard", 0, OPT_STR, &o->shard, "I/N", "only the I-th of N even parts of the plan" },
		{ "timeout", 0, OPT_NUM, &o->timeout, "S", "seconds a test program may run (default 10)" },
		{ "build-timeout", 0, OPT_NUM, &o->build_timeout, "S", "seconds a compile or link may take (default 300)" },
		{ "check-profile", 0, OPT_LIST, &o->profiles, "P,...",
		  "also check every output against these loader profiles (e.g. illumos,linux-musl-1.2.3)" },
		{ "diff-reference", 0, OPT_STR, &o->diff_reference, "L",
		  "diff failed tests' outputs against this linker's (default: the target's reference)" },
		{ "baseline", 0, OPT_STR, &o->baseline, "RESULTS.json",
		  "say what newly fails, newly passes or changed since that run (also in compare.txt)" },
		{ "known-failures", 0, OPT_STR, &o->known_failures, "FILE",
		  "expected failures kept outside the cases: FAIL is XFAIL, PASS is XPASS" },
		{ "failed", 0, OPT_FLAG, &o->failed, NULL,
		  "rerun exactly what failed, errored or passed unexpectedly in the latest run" },
		{ "failed-from", 0, OPT_STR, &o->failed_from, "RESULTS.json",
		  "the same, from that run's results" },
		{ "cache-dir", 0, OPT_STR, &o->cache_dir, "DIR",
		  "the compile and link cache (default: $LINKMATRIX_CACHE, else ~/.cache/linkmatrix)" },
		{ "no-cache", 0, OPT_FLAG, &o->no_cache, NULL, "compile and link everything anew" },
		{ "max-failures", 0, OPT_INT, &o->max_failures, "N", "stop after N failures" },
		{ "report", 0, OPT_STR, &o->report_dir, "DIR", "where runs write reports (default: reports)" },
		{ "keep", 0, OPT_FLAG, &o->keep, NULL,
		  "keep the artefacts and the commands of tests that passed" },
		{ "tap", 0, OPT_FLAG, &o->tap, NULL, "print TAP on stdout" },
		{ "verbose", 'v', OPT_FLAG, &o->verbose, NULL, "print every command as it runs" },
		{ "diagnose", 0, OPT_FLAG, &o->diagnose, NULL,
		  "look closer at failed programs: ELF summary, the target's diagnose commands" },
		{ "quiet", 'q', OPT_FLAG, &o->quiet, NULL, "print only failures and the summary" },
		{ "linkers-dir", 0, OPT_STR, &o->linkers_dir, "DIR", "linker definitions (default: linkers.d)" },
		{ "targets-dir", 0, OPT_STR, &o->targets_dir, "DIR", "target definitions (default: targets.d)" },
		{ "help", 'h', OPT_FLAG, &o->help, NULL, "this help" },
	};
	_Static_assert(sizeof table / sizeof table[0] == sizeof opts / sizeof opts[0], "opts");
	memcpy(opts, table, sizeof table);
	*n = ARRAY_LEN(opts);
	return opts;
}

/* I/N, digits only (sscanf's %u took "-1" as 4294967295). */
static int parse_shard(const char *s, struct plan_opts *po, struct strbuf *err)
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

static struct regex *compile_opt(const char *name, const char *re, struct strbuf *err)
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

static char *make_run_dir(const char *base, struct strbuf *err)
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
static void point_latest(const char *base, const char *rundir)
{
	char *tmp = xasprintf("%s/.latest.%ld", base, (long)getpid());
	char *latest = path_join(base, "latest");
	unlink(tmp);
	if (symlink(path_base(rundir), tmp) == 0 && rename(tmp, latest) < 0)
		unlink(tmp);
	free(tmp);
	free(latest);
}

/* User and system CPU seconds of who. */
static double cpu_seconds(int who, double *sys)
{
	struct rusage ru;
	getrusage(who, &ru);
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + *sys;
}

static void summary(FILE *f, struct reporter *rp, size_t ncompiles, struct exec_ctx *x,
		    double wall, size_t nlinkers)
{
	fprintf(f, "linkmatrix: %zu tests:", rp->n);
	for (int o = 0; o < OUT_COUNT; o++)
		fprintf(f, "%s %zu %s", o ? "," : "", rp->counts[o], outcome_name((enum outcome)o));
	fputc('\n', f);
	fprintf(f, "linkmatrix: %zu builds (case x variant x target) for %zu linkers: "
		"%zu compiler runs, each build compiled once", ncompiles, nlinkers,
		atomic_load(&x->compiler_runs));
	if (x->cache_dir)
		fprintf(f, "; %zu compiles and links from the cache in %s", atomic_load(&x->cache_hits),
			x->cache_dir);
	fputc('\n', f);
	double sys, ksys, self = cpu_seconds(RUSAGE_SELF, &sys), kids = cpu_seconds(RUSAGE_CHILDREN, &ksys);
	/* ru_maxrss is KiB on Linux and the BSDs; RUSAGE_SELF leaves the
	 * children's out. */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "linkmatrix: %.1f s wall; harness CPU %.2f s (%.2f s in the kernel) = %.2f%% "
		"of its children's %.1f s; harness peak RSS %.1f MB\n", wall, self, sys,
		kids > 0 ? 100.0 * self / kids : 0.0, kids, (double)ru.ru_maxrss / 1024);
}

static size_t installed_linkers(const struct linker_set *ls)
{
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++)
		n += ls->v[i].host.found;
	return n;
}

static char *iso_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* results.json, junit.xml, index.html of what is done, complete or not;
 * with a baseline, what changed since it. Frees r. */
static int write_reports(const char *rundir, struct report *r, const struct setup *s,
			 const struct plan_opts *po, const struct strvec *args, const char *started,
			 const struct report *baseline, struct strbuf *err)
{
	char *digest = report_cases_digest(s->cases, s->ncases), *ended = iso_now();
	struct report_meta m = {
		.harness_version = LM_VERSION, .run_id = path_base(rundir), .started = started,
		.ended = ended, .complete = !interrupted, .cases_digest = digest,
		.ncases = s->ncases, .shard_index = po->shard_index, .shard_count = po->shard_count,
		.argv = args->v + 1, .nargv = args->n ? args->n - 1 : 0, .ls = &s->ls, .ts = &s->ts,
	};
	report_set_meta(r, &m);
	report_finish(r);
	struct strbuf cmp = STRBUF_INIT;
	int rc = 0;
	if (baseline) {
		report_compare(baseline, r, &cmp);
		r->comparison = cmp.buf;
		fputs(cmp.buf, stdout);
		char *path = path_join(rundir, "compare.txt");
		if (write_file_atomic(path, cmp.buf, cmp.len) < 0) {
			sb_addf(err, "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
		free(path);
	}
	if (reports_write(rundir, r, err) < 0)
		rc = -1;
	sb_free(&cmp);
	report_free(r);
	free(digest);
	free(ended);
	return rc;
}

/* $LINKMATRIX_CACHE ("" or "off": none), else the XDG place. */
static char *cache_dir(const struct run_opts *o)
{
	if (o->no_cache)
		return NULL;
	if (o->cache_dir)
		return xstrdup(o->cache_dir);
	const char *env = getenv("LINKMATRIX_CACHE"), *xdg = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	if (env)
		return *env && strcmp(env, "off") ? xstrdup(env) : NULL;
	if (xdg && *xdg)
		return path_join(xdg, "linkmatrix");
	return home && *home ? xasprintf("%s/.cache/linkmatrix", home) : NULL;
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

/* The options that decide outcomes, for the reports: paths absolute, so
 * a rerun or a repro from elsewhere finds the same files (kept in paths,
 * the environment's in env). */
static void verdict_of(const struct run_opts *o, struct verdict_opts *v, struct strvec *paths,
		       struct strvec *env)
{
	*v = (struct verdict_opts){ .profiles = (const char **)o->profiles.v,
				    .nprofiles = o->profiles.n, .diff_reference = o->diff_reference,
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

/* The run's LINKMATRIX_* variables this environment does not set (set
 * in it, the rerun's own apply), each one set put in set. */
static void replay_env(const struct verdict_opts *v, struct strvec *set)
{
	for (size_t i = 0; i < v->nenv; i++) {
		const char *eq = strchr(v->env[i], '=');
		char *name = xstrndup(v->env[i], (size_t)(eq - v->env[i]));
		if (!getenv(name) && setenv(name, eq + 1, 1) == 0)
			sv_push(set, v->env[i]);
		free(name);
	}
}

/* Unset options (a timeout below 0) from v; what was taken said in one
 * line. */
static void replay_verdict(struct run_opts *o, const struct verdict_opts *v, const char *from)
{
	FILE *out = o->tap ? stderr : stdout;
	if (!v->recorded) {
		fprintf(out, "linkmatrix: note: %s does not record the options that decided its "
			"outcomes (an older linkmatrix wrote it): this command line's apply\n", from);
		return;
	}
	struct verdict_opts took = { .timeout = -1, .build_timeout = -1 };
	if (!o->profiles.n) {
		for (size_t i = 0; i < v->nprofiles; i++)
			sv_push(&o->profiles, v->profiles[i]);
		took.profiles = v->profiles;
		took.nprofiles = v->nprofiles;
	}
	const struct { const char **to, *from, **took; } strs[] = {
		{ &o->known_failures, v->known_failures, &took.known_failures },
		{ &o->diff_reference, v->diff_reference, &took.diff_reference },
		{ &o->linkers_dir, v->linkers_dir, &took.linkers_dir },
		{ &o->targets_dir, v->targets_dir, &took.targets_dir },
	};
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (!*strs[i].to && *strs[i].from)
			*strs[i].to = *strs[i].took = strs[i].from;
	if (o->timeout < 0)
		o->timeout = took.timeout = v->timeout;
	if (o->build_timeout < 0)
		o->build_timeout = took.build_timeout = v->build_timeout;
	struct strvec set = STRVEC_INIT;
	replay_env(v, &set);
	took.env = (const char **)set.v;
	took.nenv = set.n;
	struct strbuf sb = STRBUF_INIT;
	verdict_opts_line(&sb, &took);
	if (sb.len)
		fprintf(out, "linkmatrix: as the run in %s decided its outcomes: %s\n", from, sb.buf);
	sb_reset(&sb);
	/* What this command line says instead, said too: a change of
	 * outcome may be the options'. */
	struct verdict_opts now;
	struct strvec paths = STRVEC_INIT, env = STRVEC_INIT;
	verdict_of(o, &now, &paths, &env);
	if (!verdict_opts_same(v, &now, &sb))
		fprintf(out, "linkmatrix: note: outcomes are decided with options other than that "
			"run's: %s\n", sb.buf);
	sb_free(&sb);
	sv_clear(&paths);
	sv_clear(&env);
	sv_clear(&set);
}

/* run --failed: the earlier run's failures, and the options that decided
 * them, which this run takes where its command line does not say: 169
 * FAILs of --check-profile illumos reran as PASS without it. 1 when
 * nothing failed. */
static int load_failed(struct run_opts *o, struct rerun *rr, struct strbuf *err)
{
	char *path = o->failed_from ? xstrdup(o->failed_from)
				    : xasprintf("%s/latest/results.json", o->report_dir);
	int rc = rerun_load(rr, path, err);
	if (rc == 0 && !rr->ids.n && !rr->broken.n) {
		printf("linkmatrix: nothing failed in %s\n", path);
		rc = 1;
	}
	if (rc == 0)
		replay_verdict(o, &rr->verdict, path);
	free(path);
	return rc;
}

/* The earlier run's case files (unless some are named), its failed
 * tests, and its targets and linkers (unless --target or --linker say). */
static void select_failed(const struct run_opts *o, struct rerun *rr, struct plan_opts *po,
			  struct strvec *rest)
{
	if (!rest->n)
		sv_pushv(rest, rr->files.v);
	if (!o->targets.n)
		po->targets = (struct slist){ (const char **)rr->targets.v, rr->targets.n };
	if (!o->linkers.n)
		po->linkers = (struct slist){ (const char **)rr->linkers.v, rr->linkers.n };
	po->only = &rr->ids;
	po->whole = &rr->broken;
}

/* Cases are loaded, planned and run a window at a time (SETUP_WINDOW),
 * each window's records copied into the report before it is freed, so the
 * harness's memory does not grow with the cases' number. Windows are
 * large enough that the idle cores at each one's end cost little. */

static int plan_window(struct plan *p, struct setup *s, size_t from, const struct plan_opts *po,
		       struct strbuf *err)
{
	size_t to = s->ncases - from > SETUP_WINDOW ? from + SETUP_WINDOW : s->ncases;
	for (size_t i = from; i < to; i++)
		setup_reload(s, i);
	return plan_make(p, s->cases + from, to - from, &s->ls, &s->ts, po, err);
}

static void end_window(struct plan *p, struct setup *s, size_t from, bool keep)
{
	plan_free(p);
	for (size_t i = from; !keep && i < s->ncases && i < from + SETUP_WINDOW; i++)
		setup_release(s, i);
}

/* The run's tests and builds, for the progress line and the summary. Also
 * where a bad linker or target name is found, before anything runs. The
 * first window's cases stay loaded for the run: each load parses the
 * case's YAML again, and a run of up to a window's cases loads each twice,
 * not three times. */
static int count_plan(struct setup *s, const struct plan_opts *po, size_t *ntests,
		      size_t *ncompiles, struct strbuf *err)
{
	size_t from = 0;
	int rc;
	do {
		struct plan p;
		rc = plan_window(&p, s, from, po, err);
		*ntests += p.ntests;
		*ncompiles += p.ncompiles;
		end_window(&p, s, from, from == 0);
	} while (rc == 0 && (from += SETUP_WINDOW) < s->ncases);
	return rc;
}

static void run_window(struct setup *s, size_t from, const struct plan_opts *po,
		       struct exec_ctx *x, struct reporter *rp, struct report *r, int jobs)
{
	struct plan p;
	struct strbuf err = STRBUF_INIT;   /* count_plan has said it */
	if (plan_window(&p, s, from, po, &err) == 0) {
		for (size_t i = 0; i < p.ntests; i++)
			if (p.tests[i]->done)
				report(p.tests[i], rp);
		struct sched *sc = sched_new(jobs);
		pthread_mutex_lock(&rp->lock);
		rp->sched = sc;
		if (rp->stopped)
			sched_stop(sc);
		pthread_mutex_unlock(&rp->lock);
		exec_schedule(&p, sc, x);
		sched_run(sc);
		exec_finish(&p);
		pthread_mutex_lock(&rp->lock);
		rp->sched = NULL;
		pthread_mutex_unlock(&rp->lock);
		sched_free(sc);
		report_add_plan(r, &p);
	}
	sb_free(&err);
	end_window(&p, s, from, false);
}

/* Windows in the report's order (by case name; a broken file's by its
 * path), so that a spooled report is sorted as it is written. */
static int by_report_order(const void *a, const void *b)
{
	const struct loaded_case *x = a, *y = b;
	return strcmp(x->name ? x->name : x->path, y->name ? y->name : y->path);
}

static int run(struct run_opts *o, struct setup *s, struct strvec *rest, const struct strvec *args,
	       struct rerun *rr)
{
	struct strbuf err = STRBUF_INIT;
	struct plan_opts po = { .linkers = { (const char **)o->linkers.v, o->linkers.n },
				.targets = { (const char **)o->targets.v, o->targets.n },
				.diff_reference = o->diff_reference };
	struct regex *filter = compile_opt("filter", o->filter, &err);
	struct regex *filter_out = compile_opt("filter-out", o->filter_out, &err);
	po.filter = filter;
	po.filter_out = filter_out;
	int rc = 2;
	char *rundir = NULL;
	struct report r = { 0 };
	struct reporter rp = { .max_failures = o->max_failures };
	pthread_mutex_init(&rp.lock, NULL);
	struct profile *profiles = NULL;
	size_t nprofiles = 0;
	struct report baseline = { 0 };   /* read first: a bad file fails fast */
	if (o->baseline)
		report_read_json(&baseline, o->baseline, &err);
	struct known_set known = { 0 };
	if (o->known_failures && !err.len)
		known_load_err(&known, o->known_failures, &err);
	for (size_t i = 0; i < o->profiles.n && !err.len; i++)
		profiles_parse(o->profiles.v[i], &profiles, &nprofiles, &err);
	char *cache = cache_dir(o);
	if (rr)
		select_failed(o, rr, &po, rest);
	struct verdict_opts verdict;
	struct strvec paths = STRVEC_INIT, env = STRVEC_INIT;
	verdict_of(o, &verdict, &paths, &env);
	r.verdict = verdict;
	rp.verdict = &r.verdict;
	s->lazy = true;
	if (err.len || (o->shard && parse_shard(o->shard, &po, &err) < 0) ||
	    setup_cases(s, sv_argv(rest), rest->n, &err) < 0 ||
	    !(rundir = make_run_dir(o->report_dir, &err)))
		goto out;
	char *workdir = path_join(rundir, "work"), *shims = path_join(rundir, "shims");
	po.workdir = workdir;
	qsort(s->cases, s->ncases, sizeof *s->cases, by_report_order);
	report_spool(&r, rundir);
	size_t ntests = 0, ncompiles = 0, shard = 0;
	po.shard_counter = &shard;
	int planned = linkers_make_shims(&s->ls, shims) == 0
		? count_plan(s, &po, &ntests, &ncompiles, &err) : -1;
	if (planned < 0 && !err.len)
		sb_addf(&err, "cannot make linker shims in %s: %s", shims, strerror(errno));
	free(shims);
	if (planned < 0) {
		free(workdir);
		goto out;
	}
	rp.tap_stdout = o->tap;
	console_init(&rp.con, o->tap ? stderr : stdout, ntests, o->quiet || o->tap);
	if (o->tap)
		fputs(TAP_HEADER, stdout);

	struct exec_ctx x = {
		.linkers = &s->ls, .run_timeout = o->timeout, .build_timeout = o->build_timeout,
		.keep = o->keep, .verbose = o->verbose, .diagnose = o->diagnose, .report = report, .report_arg = &rp,
		.check_profiles = profiles, .ncheck_profiles = nprofiles,
		.known = o->known_failures ? &known : NULL,
		.cache_dir = cache, .rundir = rundir,
	};
	/* Without a pool every directory is made and removed: slower, no less right. */
	struct spares spares;
	if (spares_open(&spares, workdir) == 0)
		x.spares = &spares;
	double start = now_seconds();
	char *started = iso_now();
	shard = 0;   /* the windows shard as the count did */
	size_t from = 0;
	do
		run_window(s, from, &po, &x, &rp, &r, (int)o->jobs);
	while (!rp.stopped && !interrupted && (from += SETUP_WINDOW) < s->ncases);
	for (size_t i = 0; i < s->ts.n; i++)
		if (s->ts.v[i].usable)
			runner_close(&s->ts.v[i]);
	if (x.spares)
		spares_close(x.spares);
	console_clear(&rp.con);

	if (o->tap)
		printf("1..%zu\n%s", rp.n, interrupted ? "# incomplete: the run was interrupted\n" : "");
	FILE *out = o->tap ? stderr : stdout;
	summary(out, &rp, ncompiles, &x, now_seconds() - start, installed_linkers(&s->ls));
	for (size_t i = 0; i < known.n; i++)
		if (!atomic_load(&known.v[i].matched))
			fprintf(stderr, "linkmatrix: note: %s:%d: this known failure matched no test "
				"of this run\n", o->known_failures, known.v[i].x.at.line);
	free(workdir);
	bool wrote = write_reports(rundir, &r, s, &po, args, started,
				   o->baseline ? &baseline : NULL, &err) == 0;
	free(started);
	if (!wrote) {
		sb_addf(&err, "; %s/latest still names the last run whose reports were written",
			o->report_dir);
		goto out;
	}
	fprintf(out, "linkmatrix: reports in %s/ (index.html, results.json, results.tap, junit.xml)%s\n",
		rundir, interrupted ? " (interrupted: incomplete)" : "");
	if (!interrupted)
		point_latest(o->report_dir, rundir);
	size_t bad = rp.counts[OUT_FAIL] + rp.counts[OUT_ERROR] + rp.counts[OUT_TIMEOUT] +
		     rp.counts[OUT_XPASS];
	rc = interrupted ? 128 + interrupted : bad ? 1 : 0;
out:
	if (err.len)
		fprintf(stderr, "linkmatrix: %s\n", err.buf);
	pthread_mutex_destroy(&rp.lock);
	report_free(&r);
	regex_free(filter);
	regex_free(filter_out);
	free(profiles);
	report_free(&baseline);
	known_free(&known);
	sv_clear(&paths);
	sv_clear(&env);
	free(cache);
	free(rundir);
	sb_free(&err);
	return rc;
}

/* After the options: the earlier run's for run --failed, then the
 * defaults; the linkers and targets; the run. */
static int start(struct run_opts *o, const char *argv0, struct strvec *rest,
		 const struct strvec *args)
{
	struct rerun rr = { 0 };
	struct strbuf err = STRBUF_INIT;
	int rc = 2;
	if (o->failed || o->failed_from) {
		int sel = load_failed(o, &rr, &err);
		if (sel) {
			if (sel < 0)
				fprintf(stderr, "linkmatrix: %s\n", err.buf);
			rc = sel < 0 ? 2 : 0;
			goto out;
		}
	}
	if (o->timeout < 0)
		o->timeout = EXEC_RUN_TIMEOUT;
	if (o->build_timeout < 0)
		o->build_timeout = EXEC_BUILD_TIMEOUT;
	struct setup s;
	/* From the start: a signal while linkers and targets are detected
	 * ends the run with a word, not silently. */
	catch_signals();
	int set = setup_config(&s, argv0, o->linkers_dir, o->targets_dir, runner_unusable);
	if (interrupted) {
		fprintf(stderr, "linkmatrix: interrupted by %s while it detected linkers and "
			"targets: no test ran, no report written\n", signal_name(interrupted));
		rc = 128 + interrupted;
	} else if (set == 0) {
		rc = run(o, &s, rest, args, o->failed || o->failed_from ? &rr : NULL);
	}
	setup_free(&s);
out:
	rerun_free(&rr);
	sb_free(&err);
	return rc;
}

/* Every number bounded, so none wraps or overflows where it is used
 * (-j 99999999999 became a negative int; a timeout of inf never ended). */
static int check_numbers(const struct run_opts *o, struct strbuf *err)
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

int cmd_run(int argc, char **argv)
{
	/* Timeouts below 0: not given (the command line takes none below 0),
	 * for run --failed to replay the earlier run's. */
	struct run_opts o = { .timeout = -1, .build_timeout = -1, .report_dir = "reports" };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = cores > 0 ? cores : 1;
	size_t nopts;
	const struct opt *opts = run_options(&o, &nopts);
	struct strvec args = STRVEC_INIT, rest = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	cli_with_env(&args, "LINKMATRIX_OPTS", argc, argv);
	int rc = 2;
	if (cli_parse(opts, nopts, (int)args.n, args.v, 2, &rest, &err) < 0 ||
	    (!o.help && check_numbers(&o, &err) < 0)) {
		fprintf(stderr, "linkmatrix run: %s (see 'linkmatrix run --help')\n", err.buf);
	} else if (o.help) {
		printf("usage: linkmatrix run [CASE|DIR|FILE...] [options]\n\n");
		cli_help(stdout, opts, nopts);
		rc = 0;
	} else {
		rc = start(&o, argv[0], &rest, &args);
	}
	sv_clear(&o.linkers);
	sv_clear(&o.targets);
	sv_clear(&o.profiles);
	sv_clear(&args);
	sv_clear(&rest);
	sb_free(&err);
	return rc;
}
