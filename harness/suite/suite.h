/* suite/: a peer's own test suite run as the peer runs it, against every
 * linker (`linkmatrix suite mold DIR`): each script is a case of one
 * variant, so the plan selects, names and shards its tests as a run's and
 * the reports are a run's; only the work differs: a script run in a
 * directory whose linker names run the linker under test, its outcome
 * read the way the suite's own driver reads it.
 * May use: util, yaml, os, elf, load, plan, jobs.
 */
#ifndef LM_SUITE_H
#define LM_SUITE_H

#include "load/known.h"
#include "load/setup.h"
#include "os/jobsched.h"
#include "plan/plan.h"

/* A suite's scripts and what tells one copy of the suite from another. */
struct suite {
	const char *kind;           /* "mold" */
	char *root;                 /* the checkout, absolute */
	char *dir;                  /* its scripts' directory, absolute */
	char *machine;              /* the arch whose own scripts run (mold's MACHINE) */
	bool arch_prefix;           /* mold 2's test/: arch-MACHINE-*.sh; mold 1's test/elf:
				     * MACHINE_*.sh, the generic ones without '_' */
	char *version;              /* the checkout's git commit, else its release, else "unknown" */
	/* A case per script, then the files every script includes, which
	 * are in the digest but no test: ncases of nfiles are cases. */
	struct loaded_case *files;
	size_t ncases, nfiles;
	struct variant variant;     /* "default": a script has one */
	const char *tags[1];
};

/* mold's scripts as mold's CMakeLists.txt selects them on this host:
 * mold 1's test/elf, the scripts without '_' in their name and
 * MACHINE_*.sh; mold 2's test, those not named arch-*, and
 * arch-MACHINE-*.sh. dir is a mold checkout or that directory. 0, or -1
 * with why in err. */
int suite_mold_open(struct suite *s, const char *dir, struct strbuf *err);
void suite_free(struct suite *s);

/* The names a script runs the linker by (./mold, -B. for ld,
 * -fuse-ld=lld), in the shim directory of every linker found. 0, or -1
 * with errno. */
int suite_make_shims(struct linker_set *ls);

struct suite_ctx {
	double timeout;             /* seconds a script may run */
	bool keep;                  /* keep the directories of scripts that passed */
	struct known_set *known;    /* or NULL */
	void (*report)(struct test *t, void *arg);   /* each test as it is done */
	void *report_arg;
};

/* A job on sc per test of p that is not done yet (a linker not found is
 * SKIP from the plan). x must outlive sched_run. */
void suite_schedule(struct plan *p, struct sched *sc, const struct suite_ctx *x);

#endif
