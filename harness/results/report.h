/* results/: the fourth stage: the finished tests of a run as records, in
 * memory or spooled to disk, and results.json, the one file every report,
 * merge, compare and rerun is read back from.
 * May use: util, yaml, os, elf, load, plan, jobs.
 *
 * The results of a run as every report format sees them. Made by a run a
 * window of its plan at a time (records copied into the report's arena,
 * or kept in its spool file), or read back from results.json (a record at
 * a time as it is read, or kept in a spool file: results.h); each writer
 * (JSON, JUnit XML, HTML, TAP) takes only this, through report_first and
 * report_next. */
#ifndef LM_REPORT_H
#define LM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plan/plan.h"
#include "plan/result.h"
#include "util/arena.h"

#define REPORT_SCHEMA "linkmatrix-results"
#define REPORT_SCHEMA_VERSION 1
/* Bytes of each command's stdout and stderr kept in results.json. */
#define REPORT_OUTPUT_CAP 16384

struct rep_cmd {
	const char *cmd, *cwd, *status, *out, *err;
	size_t out_len, err_len, out_total, err_total;
	double secs;
};

struct rep_finding {
	const char *file, *rule, *profile, *where, *consequence;
	bool expected;
};

struct record {
	const char *id;              /* "case:variant target linker", or a broken file's path */
	const char *case_name, *variant, *target, *linker;   /* "" for a broken case file */
	const char *case_file;
	const char *case_in_root;    /* case_file from its case root (loaded_case), or case_file */
	const char **tags;
	size_t ntags;
	enum outcome outcome;
	enum stage stage;
	const char *message, *detail, *xfail, *diff;
	const char *died;            /* startprobe's phase name, or NULL */
	const char **warnings;       /* what a pass may hide */
	size_t nwarnings;
	double secs;
	struct link_time link;       /* its links by the linker under test */
	struct rep_cmd *cmds;
	size_t ncmds;
	long failed_cmd;             /* index into cmds, or -1 */
	struct rep_finding *findings;
	size_t nfindings;
};

struct rep_linker {
	const char *name, *path, *version, *why;
	bool found;
	const char *family;          /* lld for lld@16 ("" read from an older file) */
};

struct rep_target {
	const char *name, *os, *arch, *libc, *profile, *why;
	bool usable;
};

/* The run's options that can decide an outcome, as they were resolved
 * (paths absolute), so that a rerun (run --failed) and a repro decide as
 * the run did. Strings "" where the option was not given. */
struct verdict_opts {
	const char **profiles;       /* --check-profile, each word as given */
	size_t nprofiles;
	/* The environment linkmatrix reads that decides what runs where:
	 * LINKMATRIX_* but the options (in argv) and the cache, "NAME=value",
	 * sorted (a linker's override, an ssh target's destination). */
	const char **env;
	size_t nenv;
	const char *known_failures, *diff_reference, *linkers_dir, *targets_dir;
	const char **added;          /* --linker NAME=PATH, the path absolute */
	size_t nadded;
	double timeout, build_timeout;
	bool recorded;               /* false: read from a file written before they were */
	/* The kind of the peer suite whose scripts are the tests (the report's
	 * suite.kind), which replay as they ran; NULL: a run of cases. */
	const char *suite;
};

/* The peer suite a report's tests are the scripts of (suite mold), all
 * NULL for a run of cases: two reports of other suites or versions are
 * no shards of one run. */
struct suite_id {
	const char *kind;            /* "mold" */
	const char *version;         /* the checkout's git commit, else its release, or "unknown" */
	const char *scripts_digest;  /* of the scripts selected and common.inc (= cases_digest) */
	const char *dir;             /* the scripts' directory, absolute */
};

/* Records that come from elsewhere, read as they come: once, in one pass
 * (results.json: report_open_json, results.h). */
struct record_reader {
	/* The first record (first: the pass begins) or the next; NULL at the
	 * end or on an error (which the reader keeps). */
	const struct record *(*read)(struct record_reader *rd, bool first);
	void (*close)(struct record_reader *rd);
};

struct report {
	const char *harness_version, *run_id, *host, *host_system, *started, *ended;
	bool complete;
	const char *incomplete;      /* why not complete, or NULL (unknown: older files) */
	const char *cases_digest;    /* of every case file loaded, before filters and shards */
	const char *comparison;      /* run --baseline: what changed since (not in results.json) */
	size_t ncases;
	unsigned shard_index, shard_count;   /* 0/0: not sharded */
	const char **argv;           /* the run's options */
	size_t nargv;
	struct verdict_opts verdict;
	struct suite_id suite;
	struct rep_linker *linkers;
	size_t nlinkers;
	struct rep_target *targets;
	size_t ntargets;
	struct record *v;            /* sorted by case, variant, target, linker */
	size_t n;
	size_t cap;                  /* v's, when it is grown by report_add_plan; else 0 */
	FILE *spool;                 /* the records, when kept in a file (report_spool) */
	int spool_err;               /* errno of the first write to it that failed */
	size_t counts[OUT_COUNT];
	struct arena arena;
	struct record_reader *reader;   /* the records, when read as they come: once, n and
					 * counts unknown */
};

/* What a run's report says of the run itself. */
struct report_meta {
	const char *harness_version, *run_id, *started, *ended;
	const char *incomplete;      /* why the run is not complete; NULL: it is */
	const char *cases_digest;
	size_t ncases;
	unsigned shard_index, shard_count;
	char *const *argv;
	size_t nargv;
	const struct linker_set *ls;
	const struct target_set *ts;
	struct suite_id suite;       /* borrowed */
};

/* Where a streaming report writer writes: sb, emptied into fd (when
 * fd >= 0) whenever a record is done and sb holds more than 256 KiB, so a
 * report of any size costs little memory to write. */
struct report_sink {
	struct strbuf *sb;
	int fd;
	int err;                     /* errno of the first failed write, or 0 */
};
void report_sink_record_done(struct report_sink *s);

/* One test as a record; arrays in r's arena, strings borrowed from t. */
void record_from_test(struct report *r, struct record *rec, const struct test *t);
/* A run's report is made as it goes: the records of the plan's visible
 * tests that are done, copied (a plan is a window of the run's cases,
 * freed once it has run); the run's own fields once it ends. r starts
 * zeroed. */
void report_add_plan(struct report *r, const struct plan *p);
void report_set_meta(struct report *r, const struct report_meta *m);
/* Sorts records, counts outcomes: after records were added. */
void report_finish(struct report *r);
/* Report order: by case, variant, target and linker (<0, 0, >0). */
int record_cmp(const struct record *a, const struct record *b);

/* Keeps the records a run adds in an unlinked file in dir instead of in
 * memory, so that a run's memory does not grow with its tests; each plan
 * added must then come after the last in report order. 0, or -1 when the
 * file cannot be made (the records stay in memory). */
int report_spool(struct report *r, const char *dir);
void report_spool_record(struct report *r, const struct record *rec);

/* The records in report order, one at a time, wherever they are kept
 * (read back from the spool into the iterator's arena, which the next
 * record reuses, or from results.json as it is read). */
struct record_iter {
	const struct report *r;
	size_t i;
	struct record cur;
	struct arena arena;
};
const struct record *report_first(struct record_iter *it, const struct report *r);
const struct record *report_next(struct record_iter *it);
void report_iter_end(struct record_iter *it);
void report_free(struct report *r);

/* The report's linker of that name, or NULL. */
const struct rep_linker *report_linker(const struct report *r, const char *name);

/* A digest of the case files (names and bytes), to tell whether two runs
 * ran the same cases. */
char *report_cases_digest(const struct loaded_case *cases, size_t n);

/* The shell command that replays one record without the harness:
 * `linkmatrix repro`, with v, the options that decided the outcome, writes
 * the case and repro.sh, which then runs; a suite's script reruns where it
 * ran, in its directory that a failure leaves. */
char *report_repro(const struct verdict_opts *v, const struct record *rec);
/* Whether two runs decided outcomes with the same options; when not, what
 * differs ("--timeout 10 and 30") in why. */
bool verdict_opts_same(const struct verdict_opts *a, const struct verdict_opts *b,
		       struct strbuf *why);
/* The options as words of a command line (absent ones left out), each
 * shell-quoted with a space before it; the environment as assignments,
 * each with a space after it. */
void verdict_opts_args(struct strbuf *sb, const struct verdict_opts *v);
void verdict_opts_env(struct strbuf *sb, const struct verdict_opts *v);
/* Both as one line, for people: "LINKMATRIX_X=y --timeout 5". */
void verdict_opts_line(struct strbuf *sb, const struct verdict_opts *v);

#endif
