/* What came of one test: its outcome, the stage that decided it, and the
 * commands that were run, with their outputs. */
#ifndef LM_RESULT_H
#define LM_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "os/proc.h"

enum outcome {
	OUT_PASS,
	OUT_FAIL,
	OUT_XFAIL,
	OUT_XPASS,
	OUT_SKIP,
	OUT_ERROR,
	OUT_TIMEOUT,
	OUT_COUNT,
};

enum stage {
	STAGE_NONE,
	STAGE_LOAD,
	STAGE_COMPILE,
	STAGE_LINK,
	STAGE_PROOF,
	STAGE_MODE,
	STAGE_ELF_RULE,
	STAGE_ELF_EXPECT,
	STAGE_RUN,
	STAGE_EXPECT,
	STAGE_COMPARE,
	STAGE_DIFF,
	STAGE_SUITE_SCRIPT,       /* a peer suite's own script said it failed (suite mold) */
	STAGE_COUNT,
};

const char *outcome_name(enum outcome o);
const char *stage_name(enum stage s);
/* FAIL, ERROR, TIMEOUT and XPASS make a run fail. */
bool outcome_is_bad(enum outcome o);

/* One command the harness ran for a test. */
struct cmdlog {
	char *cmd;               /* as a shell command line */
	char *cwd;
	char *how;               /* "exit 1", "killed by signal 11 (SIGSEGV)", ... */
	char *out, *err;
	size_t out_len, err_len;
	size_t out_total, err_total;   /* more than *_len: the output was cut */
	double secs;
};

/* A loader rule an output breaks (see elf/rules.h), kept as text. */
struct rule_note {
	char *file, *rule, *profile, *where, *consequence;
	bool expected;           /* the case says it must be there */
};

/* The links of a test's build steps under test (the linker's own, not a
 * reference's, an archive's or a compile's), as the table of link times
 * and --time-tests show them. */
struct link_time {
	unsigned links;          /* timed; 0: the test linked nothing */
	unsigned cached;         /* of them, restored from the cache: the times kept
				  * when the entry was made */
	double wall, cpu;        /* seconds, summed; cpu < 0: unknown (no wait4 where
				  * one of them ran) */
};

/* Adds one link's seconds (cpu < 0: unknown). */
void link_time_add(struct link_time *lt, double wall, double cpu, bool cached);

struct result {
	enum outcome outcome;
	enum stage stage;
	char *message;           /* one line: what went wrong */
	char *detail;            /* more lines, e.g. both sides of a comparison */
	struct cmdlog *logs;
	size_t nlogs;
	size_t failed_log;       /* index into logs of the deciding command, or (size_t)-1 */
	const char *xfail_reason;
	double secs;
	struct rule_note *notes;
	size_t nnotes;
	char *diff;              /* the outputs against the reference linker's (elf diff) */
	const char *died;        /* a program killed by a signal: how far it got
				  * (death_phase_name), or NULL */
	struct strvec warnings;  /* what a pass may hide, one line each */
	struct link_time link;
};

#define NO_LOG ((size_t)-1)

/* Records a finished process in r's log; returns its index. */
size_t result_log(struct result *r, const struct proc *p, const char *cwd);
void result_set(struct result *r, enum outcome o, enum stage s, const char *fmt, ...)
	LM_PRINTF(4, 5);
void result_note(struct result *r, const char *file, const char *rule, const char *profile,
		 const char *where, const char *consequence, bool expected);
/* Copies everything of src into dst (a test inherits its compile job's failure). */
void result_copy(struct result *dst, const struct result *src);
/* Frees the commands' log: a test that passed shows none in any report. */
void result_drop_logs(struct result *r);
/* Frees the outputs kept of the commands before log index upto. */
void result_drop_outputs(struct result *r, size_t upto);
void result_free(struct result *r);

#endif
