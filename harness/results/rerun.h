/* run --failed: what failed, errored, timed out or passed unexpectedly in
 * an earlier run's results.json, as a selection for the plan. */
#ifndef LM_RERUN_H
#define LM_RERUN_H

#include "results/report.h"
#include "util/arena.h"
#include "util/util.h"

struct rerun {
	struct strvec ids;       /* "case:variant target linker", sorted */
	struct strvec files;     /* the case files to load, each once */
	struct strvec broken;    /* case files that did not load then: all of each runs */
	struct strvec targets, linkers;   /* each named once */
	struct verdict_opts verdict;      /* the options that decided the outcomes, in arena */
	struct arena arena;
};

/* 0, or -1 with a one-line reason in err. */
int rerun_load(struct rerun *rr, const char *results_json, struct strbuf *err);
void rerun_free(struct rerun *rr);

#endif
