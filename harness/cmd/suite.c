/* linkmatrix suite mold DIR: mold's own test scripts against every linker,
 * with run's selection, known failures, progress and reports. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/progress.h"
#include "cmd/runopts.h"
#include "cmd/version.h"
#include "jobs/exec.h"
#include "jobs/runner.h"
#include "report/write.h"
#include "results/report.h"
#include "suite/suite.h"
#include "util/match.h"

/* Seconds a script may run where --timeout does not say: mold's slowest
 * take a few seconds; a hung one should not hold a worker for long. */
#define SUITE_TIMEOUT 300

/* What one suite run holds, freed together. */
struct suite_run {
	struct run_opts *o;
	struct setup s;
	struct suite suite;
	struct known_set known;
	const char *target;         /* the one the plan names the tests by */
	struct plan_opts po;
	struct plan plan;
	struct report r;
	struct reporter rp;
	struct strvec paths, env;   /* what the report's verdict options borrow */
	char *outdir, *workdir;
	struct strbuf err;
};

/* The target the scripts build for: they run $CC natively, as mold's
 * CMake does for the host's triple. */
static const char *host_target(const struct target_set *ts)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ts->n; i++)
			if (ts->v[i].usable && ts->v[i].runner == RUNNER_NATIVE &&
			    (pass || ts->v[i].is_default))
				return ts->v[i].name;
	return NULL;
}

static char *output_dir(const struct run_opts *o, struct strbuf *err)
{
	if (!o->output)
		return run_make_dir(o->report_dir, err);
	char *dir = mkdir_p(o->output) == 0 ? realpath(o->output, NULL) : NULL;
	if (!dir)
		sb_addf(err, "cannot make %s: %s", o->output, strerror(errno));
	return dir;
}

/* The suite, the options' files, the plan of its scripts and the
 * directories they run in. */
static int prepare(struct suite_run *x, const char *dir)
{
	struct run_opts *o = x->o;
	x->target = host_target(&x->s.ts);
	x->po = (struct plan_opts){ .linkers = { (const char **)o->linkers.v, o->linkers.n },
				    .targets = { &x->target, 1 } };
	x->po.filter = run_compile_opt("filter", o->filter, &x->err);
	x->po.filter_out = run_compile_opt("filter-out", o->filter_out, &x->err);
	if (x->err.len || (o->shard && run_parse_shard(o->shard, &x->po, &x->err) < 0) ||
	    (o->known_failures && known_load_err(&x->known, o->known_failures, &x->err) < 0) ||
	    suite_mold_open(&x->suite, dir, &x->err) < 0)
		return -1;
	if (!x->target) {
		sb_adds(&x->err, "no usable native target for the scripts' compiler (see 'linkmatrix targets')");
		return -1;
	}
	if (!(x->outdir = output_dir(o, &x->err)))
		return -1;
	x->workdir = path_join(x->outdir, "work");
	x->po.workdir = x->workdir;
	char *shims = path_join(x->outdir, "shims");
	int rc = linkers_make_shims(&x->s.ls, shims) < 0 || suite_make_shims(&x->s.ls) < 0 ? -1 : 0;
	if (rc < 0)
		sb_addf(&x->err, "cannot make linker shims in %s: %s", shims, strerror(errno));
	free(shims);
	return rc < 0 ? -1 : plan_make(&x->plan, x->suite.files, x->suite.ncases, &x->s.ls, &x->s.ts,
				       &x->po, &x->err);
}

static void run_scripts(struct suite_run *x)
{
	struct run_opts *o = x->o;
	struct suite_ctx ctx = { .timeout = o->timeout, .keep = o->keep,
				 .known = o->known_failures ? &x->known : NULL,
				 .report = reporter_test, .report_arg = &x->rp };
	reporter_start(&x->rp, o->tap, o->quiet, o->color, x->plan.ntests);
	struct absences absent = { 0 };
	for (size_t i = 0; i < x->plan.ntests; i++)
		absences_add(&absent, x->plan.tests[i]);
	console_absences(x->rp.con.f, &absent);
	absences_free(&absent);
	for (size_t i = 0; i < x->plan.ntests; i++)
		if (x->plan.tests[i]->done)
			reporter_test(x->plan.tests[i], &x->rp);
	struct sched *sc = sched_new((int)o->jobs);
	reporter_sched(&x->rp, sc);
	suite_schedule(&x->plan, sc, &ctx);
	sched_run(sc);
	reporter_sched(&x->rp, NULL);
	sched_free(sc);
}

static int write_reports(struct suite_run *x, const struct strvec *args, const char *started,
			 const char *incomplete)
{
	char *digest = report_cases_digest(x->suite.files, x->suite.nfiles), *ended = iso_now();
	struct report_meta m = {
		.harness_version = LM_VERSION, .run_id = path_base(x->outdir), .started = started,
		.ended = ended, .incomplete = incomplete, .cases_digest = digest,
		.ncases = x->suite.ncases, .shard_index = x->po.shard_index,
		.shard_count = x->po.shard_count, .argv = args->v + 1, .nargv = args->n - 1,
		.ls = &x->s.ls, .ts = &x->s.ts,
		.suite = { x->suite.kind, x->suite.version, digest, x->suite.dir },
	};
	report_add_plan(&x->r, &x->plan);
	report_set_meta(&x->r, &m);
	report_finish(&x->r);
	int rc = reports_write(x->outdir, &x->r, &x->err);
	free(digest);
	free(ended);
	return rc;
}

static void summary(FILE *out, const struct suite_run *x, double wall, const char *incomplete)
{
	summary_counts(out, &x->rp);
	if (incomplete && !run_interrupted)
		fprintf(out, "linkmatrix: %s\n", incomplete);
	fprintf(out, "linkmatrix: %s suite %s: %zu scripts of %s (the generic ones and %s%s%s*.sh)\n",
		x->suite.kind, x->suite.version, x->suite.ncases, x->suite.dir,
		x->suite.arch_prefix ? "arch-" : "", x->suite.machine,
		x->suite.arch_prefix ? "-" : "_");
	summary_costs(out, wall);
}

static int run(struct suite_run *x, const char *dir, const struct strvec *args)
{
	if (prepare(x, dir) < 0)
		return 2;
	run_verdict_of(x->o, &x->r.verdict, &x->paths, &x->env);
	x->r.verdict.suite = x->suite.kind;
	x->rp.verdict = &x->r.verdict;
	x->rp.max_failures = x->o->max_failures;
	double start = now_seconds();
	char *started = iso_now();
	run_scripts(x);
	char *incomplete = reporter_incomplete(&x->rp, x->plan.ntests);
	FILE *out = reporter_end(&x->rp, incomplete);
	summary(out, x, now_seconds() - start, incomplete);
	known_note_unmatched(&x->known, x->o->known_failures);
	int rc = write_reports(x, args, started, incomplete);
	free(started);
	/* The records are there once the reports are made of them. */
	summary_causes(out, &x->r);
	summary_times(out, &x->r, !x->o->quiet, x->o->time_tests);
	summary_versions(out, &x->r);
	if (rc == 0)
		summary_reports(out, x->outdir, incomplete);
	free(incomplete);
	if (rc < 0)
		return 2;
	if (!run_interrupted && !x->o->output)
		run_point_latest(x->o->report_dir, x->outdir);
	return run_interrupted ? 128 + run_interrupted : reporter_bad(&x->rp) ? 1 : 0;
}

static void suite_run_free(struct suite_run *x)
{
	plan_free(&x->plan);
	report_free(&x->r);
	pthread_mutex_destroy(&x->rp.lock);
	regex_free((struct regex *)x->po.filter);
	regex_free((struct regex *)x->po.filter_out);
	known_free(&x->known);
	suite_free(&x->suite);
	setup_free(&x->s);
	sv_clear(&x->paths);
	sv_clear(&x->env);
	free(x->outdir);
	free(x->workdir);
	sb_free(&x->err);
}

/* The linkers and targets detected, then the run. */
static int start(struct run_opts *o, const char *argv0, const char *dir, const struct strvec *args)
{
	struct suite_run x = { .o = o };
	pthread_mutex_init(&x.rp.lock, NULL);
	if (o->timeout < 0)
		o->timeout = SUITE_TIMEOUT;
	/* Recorded as a run's: a report read back needs one. */
	o->build_timeout = EXEC_BUILD_TIMEOUT;
	run_catch_signals();
	int rc = 2;
	if (setup_config(&x.s, argv0, o->linkers_dir, o->targets_dir, runner_unusable, &o->added) < 0)
		goto out;
	if (run_interrupted) {
		fprintf(stderr, "linkmatrix: interrupted by %s while it detected linkers and "
			"targets: no script ran, no report written\n", signal_name(run_interrupted));
		rc = 128 + run_interrupted;
		goto out;
	}
	rc = run(&x, dir, args);
out:
	if (x.err.len)
		fprintf(stderr, "linkmatrix suite mold: %s\n", x.err.buf);
	suite_run_free(&x);
	return rc;
}

static struct opt *suite_options(struct run_opts *o, size_t *n)
{
	const struct opt own[] = {
		{ "output", 'o', OPT_STR, &o->output, "DIR",
		  "the reports and the scripts' directories (default: a new one in --report's)" },
		{ "report", 0, OPT_STR, &o->report_dir, "DIR", "where runs write reports (default: reports)" },
	};
	return run_options_with(o, "seconds a script may run (default 300)", own, ARRAY_LEN(own), n);
}

static int suite_mold(int argc, char **argv)
{
	(void)argc;   /* argv ends in NULL, as sv_pushv reads it */
	struct run_opts o;
	run_opts_init(&o);
	size_t nopts;
	struct opt *opts = suite_options(&o, &nopts);
	struct strvec args = STRVEC_INIT, rest = STRVEC_INIT;
	sv_pushv(&args, argv);
	int rc = run_parse_args("suite mold", opts, nopts, &args, 3, &o, &rest);
	if (rc < 0 && rest.n != 1) {
		fprintf(stderr, "linkmatrix suite mold: name one directory, a mold checkout or its "
			"test/elf (mold 1) or test (mold 2) (see 'linkmatrix suite mold --help')\n");
		rc = 2;
	} else if (rc < 0) {
		rc = start(&o, argv[0], rest.v[0], &args);
	}
	run_opts_free(&o);
	free(opts);
	sv_clear(&args);
	sv_clear(&rest);
	return rc;
}

int cmd_suite(int argc, char **argv)
{
	static const struct command subs[] = { { "mold", suite_mold } };
	return cmd_dispatch(argc, argv, subs, ARRAY_LEN(subs));
}
