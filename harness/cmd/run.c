#include "cmd/cmd.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/progress.h"
#include "cmd/runopts.h"
#include "cmd/version.h"
#include "jobs/exec.h"
#include "jobs/runner.h"
#include "load/setup.h"
#include "os/spare.h"
#include "report/write.h"
#include "results/compare.h"
#include "results/report.h"
#include "results/rerun.h"
#include "results/results.h"
#include "util/match.h"

static struct opt *run_options(struct run_opts *o, size_t *n)
{
	const struct opt own[] = {
		{ "target", 't', OPT_LIST, &o->targets, "T,...", "these targets, or 'all' (default: the default ones)" },
		{ "build-timeout", 0, OPT_NUM, &o->build_timeout, "S", "seconds a compile or link may take (default 300)" },
		{ "check-profile", 0, OPT_LIST, &o->profiles, "P,...",
		  "also check every output against these loader profiles (e.g. illumos,linux-musl-1.2.3)" },
		{ "diff-reference", 0, OPT_STR, &o->diff_reference, "L",
		  "diff failed tests' outputs against this linker's (default: the target's reference)" },
		{ "baseline", 0, OPT_STR, &o->baseline, "RESULTS.json",
		  "say what newly fails, newly passes or changed since that run (also in compare.txt)" },
		{ "failed", 0, OPT_FLAG, &o->failed, NULL,
		  "rerun exactly what failed, errored or passed unexpectedly in the latest run" },
		{ "failed-from", 0, OPT_STR, &o->failed_from, "RESULTS.json",
		  "the same, from that run's results" },
		{ "cache-dir", 0, OPT_STR, &o->cache_dir, "DIR",
		  "the compile and link cache (default: $LINKMATRIX_CACHE, else ~/.cache/linkmatrix)" },
		{ "no-cache", 0, OPT_FLAG, &o->no_cache, NULL, "compile and link everything anew" },
		{ "report", 0, OPT_STR, &o->report_dir, "DIR", "where runs write reports (default: reports)" },
		{ "verbose", 'v', OPT_FLAG, &o->verbose, NULL, "print every command as it runs" },
		{ "tag", 0, OPT_LIST, &o->tags, "T,...",
		  "only cases with one of these tags (cases/large: --tag large)" },
		{ "diagnose", 0, OPT_FLAG, &o->diagnose, NULL,
		  "look closer at failed programs: ELF summary, the target's diagnose commands" },
	};
	return run_options_with(o, "seconds a test program may run (default 10)", own,
				ARRAY_LEN(own), n);
}

/* The one command that reruns what failed: run --failed reads
 * DIR/latest, which an interrupted run leaves at the run before. */
static void rerun_hint(FILE *f, const struct run_opts *o, const char *rundir)
{
	struct strbuf sb = STRBUF_INIT;
	if (run_interrupted) {
		char *path = path_join(rundir, "results.json");
		sb_adds(&sb, " --failed-from ");
		sb_add_shquoted(&sb, path);
		free(path);
	} else {
		sb_adds(&sb, " --failed");
		if (strcmp(o->report_dir, "reports")) {
			sb_adds(&sb, " --report ");
			sb_add_shquoted(&sb, o->report_dir);
		}
	}
	fprintf(f, "linkmatrix: rerun them: linkmatrix run%s\n", sb.buf);
	sb_free(&sb);
}

/* The summary a person reads first: the tests by outcome, why the run
 * stopped early, what failed by cause and how to rerun it. */
static void summary(FILE *f, const struct reporter *rp, const struct report *r,
		    const char *incomplete, const struct run_opts *o, const char *rundir)
{
	summary_counts(f, rp);
	if (incomplete && !run_interrupted)
		fprintf(f, "linkmatrix: %s\n", incomplete);
	summary_causes(f, r);
	if (reporter_bad(rp))
		rerun_hint(f, o, rundir);
}

/* How many builds the run compiled and cached, and what it cost. */
static void summary_builds(FILE *f, size_t ncompiles, struct exec_ctx *x, double wall,
			   size_t nlinkers)
{
	fprintf(f, "linkmatrix: %zu builds (case x variant x target) for %zu linkers: "
		"%zu compiler runs, each build compiled once", ncompiles, nlinkers,
		atomic_load(&x->compiler_runs));
	if (x->cache_dir)
		fprintf(f, "; %zu compiles and links from the cache in %s", atomic_load(&x->cache_hits),
			x->cache_dir);
	fputc('\n', f);
	summary_costs(f, wall);
}

static size_t installed_linkers(const struct linker_set *ls)
{
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++)
		n += ls->v[i].host.found;
	return n;
}

/* results.json, junit.xml, index.html of what is done, complete or not;
 * with a baseline, what changed since it. Frees r. */
static int write_reports(const char *rundir, struct report *r, const struct setup *s,
			 const struct plan_opts *po, const struct strvec *args, const char *started,
			 const char *incomplete, const struct report *baseline, FILE *out,
			 struct strbuf *err)
{
	char *digest = report_cases_digest(s->cases, s->ncases), *ended = iso_now();
	struct report_meta m = {
		.harness_version = LM_VERSION, .run_id = path_base(rundir), .started = started,
		.ended = ended, .incomplete = incomplete, .cases_digest = digest,
		.ncases = s->ncases, .shard_index = po->shard_index, .shard_count = po->shard_count,
		.argv = args->v + 1, .nargv = args->n ? args->n - 1 : 0, .ls = &s->ls, .ts = &s->ts,
	};
	report_set_meta(r, &m);
	report_finish(r);
	summary_versions(out, r);
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
	if (!o->added.n) {
		for (size_t i = 0; i < v->nadded; i++)
			sv_push(&o->added, v->added[i]);
		took.added = v->added;
		took.nadded = v->nadded;
	}
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
	run_verdict_of(o, &now, &paths, &env);
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

/* An id that names no test of the run is a mistake, said before anything
 * runs (a shard may hold none of an id's tests). */
static int check_picked(const struct plan_opts *po, struct strbuf *err)
{
	for (size_t i = 0; po->picks && !po->shard_count && i < po->picks->n; i++)
		if (!po->picked[i]) {
			sb_addf(err, "test id '%s' names no test of this run (--linker, --target, "
				"--filter, --tag or --failed leave its tests out)", po->picks->v[i]);
			return -1;
		}
	return 0;
}

/* The case files of the operands, and those of the ids' cases. */
static int load_cases(struct setup *s, struct strvec *rest, const struct strvec *picks,
		      struct strbuf *err)
{
	if ((rest->n || !picks->n) && setup_cases(s, sv_argv(rest), rest->n, err) < 0)
		return -1;
	return run_load_ids(s, picks, err);
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
		      size_t *ncompiles, struct absences *absent, struct strbuf *err)
{
	size_t from = 0;
	int rc;
	do {
		struct plan p;
		rc = plan_window(&p, s, from, po, err);
		*ntests += p.ntests;
		*ncompiles += p.ncompiles;
		for (size_t i = 0; i < p.ntests; i++)
			absences_add(absent, p.tests[i]);
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
				reporter_test(p.tests[i], rp);
		struct sched *sc = sched_new(jobs);
		reporter_sched(rp, sc);
		exec_schedule(&p, sc, x);
		sched_run(sc);
		exec_finish(&p);
		reporter_sched(rp, NULL);
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
				.tags = { (const char **)o->tags.v, o->tags.n },
				.diff_reference = o->diff_reference };
	struct regex *filter = run_compile_opt("filter", o->filter, &err);
	struct regex *filter_out = run_compile_opt("filter-out", o->filter_out, &err);
	po.filter = filter;
	po.filter_out = filter_out;
	int rc = 2;
	char *rundir = NULL, *incomplete = NULL;
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
	struct strvec picks = STRVEC_INIT;
	if (!err.len)
		run_take_ids(s, rest, &picks, &err);
	po.picks = picks.n ? &picks : NULL;
	po.picked = xcalloc(picks.n + 1, sizeof *po.picked);
	if (rr)
		select_failed(o, rr, &po, rest);
	struct verdict_opts verdict;
	struct strvec paths = STRVEC_INIT, env = STRVEC_INIT;
	run_verdict_of(o, &verdict, &paths, &env);
	r.verdict = verdict;
	rp.verdict = &r.verdict;
	s->lazy = true;
	if (err.len || (o->shard && run_parse_shard(o->shard, &po, &err) < 0) ||
	    load_cases(s, rest, &picks, &err) < 0 ||
	    !(rundir = run_make_dir(o->report_dir, &err)))
		goto out;
	char *workdir = path_join(rundir, "work"), *shims = path_join(rundir, "shims");
	po.workdir = workdir;
	qsort(s->cases, s->ncases, sizeof *s->cases, by_report_order);
	report_spool(&r, rundir);
	size_t ntests = 0, ncompiles = 0, shard = 0;
	po.shard_counter = &shard;
	struct absences absent = { 0 };
	int planned = linkers_make_shims(&s->ls, shims) == 0
		? count_plan(s, &po, &ntests, &ncompiles, &absent, &err) : -1;
	if (planned == 0)
		planned = check_picked(&po, &err);
	if (planned < 0 && !err.len)
		sb_addf(&err, "cannot make linker shims in %s: %s", shims, strerror(errno));
	free(shims);
	if (planned < 0) {
		absences_free(&absent);
		free(workdir);
		goto out;
	}
	reporter_start(&rp, o->tap, o->quiet, o->color, ntests);
	console_absences(rp.con.f, &absent);
	absences_free(&absent);

	struct exec_ctx x = {
		.linkers = &s->ls, .run_timeout = o->timeout, .build_timeout = o->build_timeout,
		.keep = o->keep, .verbose = o->verbose, .diagnose = o->diagnose, .report = reporter_test, .report_arg = &rp,
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
	while (!rp.stopped && !run_interrupted && (from += SETUP_WINDOW) < s->ncases);
	for (size_t i = 0; i < s->ts.n; i++)
		if (s->ts.v[i].usable)
			runner_close(&s->ts.v[i]);
	if (x.spares)
		spares_close(x.spares);
	incomplete = reporter_incomplete(&rp, ntests);
	FILE *out = reporter_end(&rp, incomplete);
	summary(out, &rp, &r, incomplete, o, rundir);
	summary_builds(out, ncompiles, &x, now_seconds() - start, installed_linkers(&s->ls));
	summary_times(out, &r, !o->quiet, o->time_tests);
	known_note_unmatched(&known, o->known_failures);
	free(workdir);
	bool wrote = write_reports(rundir, &r, s, &po, args, started, incomplete,
				   o->baseline ? &baseline : NULL, out, &err) == 0;
	free(started);
	if (!wrote) {
		sb_addf(&err, "; %s/latest still names the last run whose reports were written",
			o->report_dir);
		goto out;
	}
	summary_reports(out, rundir, incomplete);
	/* A run --max-failures stopped moves it: its failures are what
	 * run --failed is for, and its report says it is incomplete. */
	if (!run_interrupted)
		run_point_latest(o->report_dir, rundir);
	rc = run_interrupted ? 128 + run_interrupted : reporter_bad(&rp) ? 1 : 0;
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
	free(incomplete);
	sv_clear(&picks);
	free(po.picked);
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
	run_catch_signals();
	int set = setup_config(&s, argv0, o->linkers_dir, o->targets_dir, runner_unusable, &o->added);
	if (run_interrupted) {
		fprintf(stderr, "linkmatrix: interrupted by %s while it detected linkers and "
			"targets: no test ran, no report written\n", signal_name(run_interrupted));
		rc = 128 + run_interrupted;
	} else if (set == 0) {
		rc = run(o, &s, rest, args, o->failed || o->failed_from ? &rr : NULL);
	}
	setup_free(&s);
out:
	rerun_free(&rr);
	sb_free(&err);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	run_opts_init(&o);
	size_t nopts;
	struct opt *opts = run_options(&o, &nopts);
	struct strvec args = STRVEC_INIT, rest = STRVEC_INIT;
	cli_with_env(&args, "LINKMATRIX_OPTS", argc, argv);
	int rc = run_parse_args("run", opts, nopts, &args, 2, &o, &rest);
	if (rc < 0)
		rc = start(&o, argv[0], &rest, &args);
	run_opts_free(&o);
	free(opts);
	sv_clear(&args);
	sv_clear(&rest);
	return rc;
}
