/* jobs/: the third stage, the work: compile, link, prove, run through
 * the target's runner, check (loader rules, expectations, diff), with the
 * cache in between; each job fills its test's result.
 * May use: util, yaml, os, elf, load, plan.
 *
 * The jobs of a run: compile a unit once, then per linker link, prove,
 * run, and check. exec_schedule() turns a plan into jobs. */
#ifndef LM_EXEC_H
#define LM_EXEC_H

#include <stdatomic.h>
#include <stdbool.h>

#include "elf/rules.h"
#include "load/known.h"
#include "load/linker.h"
#include "os/jobsched.h"
#include "plan/plan.h"

/* Seconds, where the run says none (run --timeout, --build-timeout). */
#define EXEC_RUN_TIMEOUT 10
#define EXEC_BUILD_TIMEOUT 300

struct exec_ctx {
	struct linker_set *linkers;
	double run_timeout;       /* a run step's default, seconds */
	double build_timeout;     /* a compile or link command's */
	bool keep;                /* keep the artefacts of tests that passed */
	bool verbose;             /* print each command as it runs */
	bool diagnose;            /* look closer at programs that failed (the target's diagnose) */
	struct known_set *known;      /* --known-failures, after the cases' own */
	const struct profile *check_profiles;   /* --check-profile, on top of each target's */
	size_t ncheck_profiles;
	/* Called once for each visible test when its result is final, from
	 * a worker thread. */
	void (*report)(struct test *t, void *arg);
	void *report_arg;
	atomic_size_t compiler_runs;   /* compile commands run, for the summary */
	const char *cache_dir;         /* the compile and link cache, or NULL (cache.h) */
	const char *rundir;            /* made neutral in cache keys */
	atomic_size_t cache_hits;      /* commands taken from the cache */
	struct spares *spares;         /* spare directories and files (spare.h); NULL: none kept */
};

void exec_schedule(struct plan *p, struct sched *s, struct exec_ctx *x);
/* A finished test as its case's expect-failure entries or known (NULL:
 * none) say: FAIL and TIMEOUT become XFAIL, PASS XPASS. */
void exec_apply_xfail(struct test *t, struct known_set *known);
/* Once the scheduler has stopped: closes what a run cut short left open
 * (the cache bundles of units whose tests did not all run). */
void exec_finish(struct plan *p);

#endif
