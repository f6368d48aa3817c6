/* plan/: the second stage: cases x variants x targets x linkers as units
 * and tests, selected (--filter, --shard, --failed) and ready to be
 * scheduled, each test with the result it will get (result.h).
 * May use: util, yaml, os, elf, load.
 *
 * The plan of a run: cases × variants × targets (units, each compiled
 * once) × linkers (tests). Pure data: nothing here runs anything. */
#ifndef LM_PLAN_H
#define LM_PLAN_H

/* More shards than any CI matrix has; a bound, so that no count read from
 * a command line or a results.json sizes an allocation. */
#define SHARD_MAX 100000

#include <stdatomic.h>
#include <stdbool.h>

#include "load/case.h"
#include "load/linker.h"
#include "load/target.h"
#include "os/jobsched.h"
#include "plan/result.h"

struct regex;
struct death;          /* jobs/startprobe.h */
struct cache_bundle;   /* jobs/cache.h */

/* How one run step of one test went. */
struct run_obs {
	size_t log;               /* index into the test's result logs; NO_LOG: not run */
	int status;
	int exec_errno;
	bool timed_out, flooded;
	struct death *death;      /* died of a signal it should not have: where, or NULL */
	unsigned long long file_limit; /* RLIMIT_FSIZE it ran with, to name it */
};

/* How one build step is made for a unit. */
struct step_plan {
	bool shared;              /* made once by the compile job, not per linker */
	enum mode mode;
	bool cxx;                 /* linked with the C++ driver */
	bool rust;                /* built and linked by rustc (step_is_rust) */
	bool clang;               /* linked with the target's clang or clang++ */
	struct strvec inputs;     /* file names as the link or ar command takes them */
};

/* One compilation: a source with the flags one or more steps give it. */
struct compile_plan {
	const char *src;
	char kind;                /* source_kind() */
	const char *pic;          /* the mode's code-model flag, or NULL */
	const struct slist *cflags;
	char *obj;
};

struct unit;

/* A SKIP for what this machine lacks, not for what the case asks: the
 * console says it once per linker or target, not once per test. */
enum absent {
	ABSENT_NONE,
	ABSENT_LINKER,            /* linker_for(t->l, t->u->t) not found: its why */
	ABSENT_TARGET,            /* t->u->t not usable: its why */
};

struct test {
	struct unit *u;           /* NULL for a case file that could not be loaded */
	struct linker *l;
	bool hidden;              /* the reference, run only for others to compare with */
	bool is_ref;
	char *id;                 /* "case:variant target linker", or the broken file */
	size_t root_len;          /* the broken file's case root's bytes of id (loaded_case) */
	char *dir;
	struct result res;
	bool done;                /* res is final */
	enum absent absent;       /* a SKIP's reason, where it is the machine's */
	struct run_obs *obs;      /* one per run step */
	struct job run_job, check_job;
};

struct unit {
	struct lcase *c;
	const struct variant *v;
	struct target *t;
	char *name;               /* case:variant */
	char *dir;
	struct compile_plan *objs;
	size_t nobjs;
	struct step_plan *steps;
	struct result compile;
	bool compiled;
	bool compares;            /* some run step has no expectation */
	bool clang, rust;         /* it is built with the target's clang, with rustc */
	struct test **tests;      /* visible and hidden */
	size_t ntests;
	struct test *ref;
	/* Whose outputs failed tests are diffed against (the case's diff
	 * reference, else the run's, else the target's reference); NULL when
	 * not in the plan. Hidden when the selection left it out and the case
	 * requires an empty diff: a rerun of one linker diffs as the run did. */
	struct test *dref;
	struct strvec built;       /* what the compile job left in build/ (populate) */
	struct job compile_job;
	atomic_size_t pending;    /* tests not yet final */
	struct cache_bundle *bundle;   /* its cache entries, while its tests run */
};

struct plan_opts {
	struct slist linkers;     /* empty: all */
	struct slist targets;     /* empty: the default targets; "all": every target */
	const struct regex *filter, *filter_out;
	struct slist tags;        /* empty: every case; else those with one of them */
	unsigned shard_index, shard_count;   /* 1-based index; count 0: no sharding;
					      * count at most SHARD_MAX */
	const char *workdir;
	const char *diff_reference;   /* run --diff-reference; NULL: each target's reference */
	/* run --failed: only these test ids (sorted), except in the case files
	 * of whole, which run entirely; NULL: no such selection. */
	const struct strvec *only, *whole;
	/* run's operands that are test ids as printed, or their first words
	 * (case:variant, case:variant target): only the tests they name, each
	 * one's tests counted in picked (as many); NULL: no such selection.
	 * Their targets are the run's too when --target does not say. */
	const struct strvec *picks;
	size_t *picked;
	/* Builds counted so far, for a plan made a window of cases at a time
	 * to shard as one made at once; NULL: from 0. */
	size_t *shard_counter;
};

struct plan {
	struct unit **units;
	size_t nunits;
	struct test **tests;      /* every visible test, in report order */
	size_t ntests;
	size_t ncompiles;         /* units that have a compile job */
};

/* Returns -1 and a message in err for a configuration error (an unknown
 * linker or target name). */
int plan_make(struct plan *p, struct loaded_case *cases, size_t ncases,
	      struct linker_set *ls, struct target_set *ts,
	      const struct plan_opts *o, struct strbuf *err);
void plan_free(struct plan *p);

/* Whether a known failure of the case covers this test. */
const struct xfail *plan_xfail(const struct test *t);

#endif
