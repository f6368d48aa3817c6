/* What `run` and `suite` show and do as their tests finish: the console's
 * progress, TAP on stdout, --max-failures, the signals that end them, and
 * the summary lines at the end. */
#ifndef LM_PROGRESS_H
#define LM_PROGRESS_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "os/jobsched.h"
#include "plan/plan.h"
#include "report/console.h"
#include "results/report.h"

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

/* The signal that ended the command, or 0. */
extern volatile sig_atomic_t run_interrupted;

/* A closed terminal too (SIGHUP): the children, each in a group of its
 * own, would otherwise outlive the harness and its watchdog. */
void run_catch_signals(void);

/* Before the first test is reported: the console for ntests, and TAP's
 * header when it goes to stdout (the console then to stderr). */
void reporter_start(struct reporter *rp, bool tap, bool quiet, enum color color, size_t ntests);
/* The callback of jobs (arg: the reporter). */
void reporter_test(struct test *t, void *arg);
/* The sched a window runs on, that --max-failures and signals stop; NULL
 * when it is done. */
void reporter_sched(struct reporter *rp, struct sched *sc);
/* After the last: TAP's plan (and why the run is incomplete, or NULL),
 * where the summary goes. */
FILE *reporter_end(struct reporter *rp, const char *incomplete);
/* FAIL, ERROR, TIMEOUT and XPASS reported. */
size_t reporter_bad(const struct reporter *rp);
/* Whether --max-failures stopped the run (a signal is run_interrupted). */
bool reporter_hit_max(const struct reporter *rp);

/* The summary's first line (the tests by outcome) and its last (wall
 * time, the harness's CPU against its children's, its peak RSS). */
void summary_counts(FILE *f, const struct reporter *rp);
void summary_costs(FILE *f, double wall);
/* Why a run of ntests planned is incomplete (a signal, --max-failures),
 * allocated; NULL when it is not. */
char *reporter_incomplete(const struct reporter *rp, size_t ntests);
/* The failed tests of r by cause, each group's first ids. */
void summary_causes(FILE *f, const struct report *r);
/* The tests whose outcome differs across versions of a linker, once the
 * report is finished (sorted). */
/* Where the reports went, and whether they are all of the run. */
void summary_reports(FILE *f, const char *dir, const char *incomplete);
void summary_versions(FILE *f, const struct report *r);
/* After them, from the run's records: the table of link times (table),
 * the slowest tests (run --time-tests). */
void summary_times(FILE *f, const struct report *r, bool table, bool slowest);

/* Now in UTC, as results.json says it. */
char *iso_now(void);

#endif
