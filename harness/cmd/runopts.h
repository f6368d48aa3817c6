/* The options `run` and `suite` share: one table of their names, help
 * and checks, so each means the same in both, and the options that
 * decide outcomes recorded alike for the reports. */
#ifndef LM_RUNOPTS_H
#define LM_RUNOPTS_H

#include "cmd/cli.h"
#include "load/known.h"
#include "load/setup.h"
#include "plan/plan.h"
#include "report/console.h"
#include "results/report.h"

struct run_opts {
	long jobs;
	struct strvec linkers, targets, profiles, tags;
	struct strvec added;      /* --linker NAME=PATH, the path absolute (NAME in linkers) */
	const char *filter, *filter_out, *shard, *report_dir, *diff_reference, *baseline;
	const char *known_failures, *failed_from, *cache_dir, *output;
	const char *linkers_dir, *targets_dir;
	const char *color_when;   /* --color, parsed into color */
	enum color color;
	double timeout, build_timeout;
	long max_failures;
	bool keep, verbose, quiet, tap, help, diagnose, failed, no_cache, time_tests;
};

/* Both commands' defaults: a job per online core, timeouts below 0 (not
 * given: run --failed replays the earlier run's). */
void run_opts_init(struct run_opts *o);
void run_opts_free(struct run_opts *o);

/* The options both commands take, timeout_help saying what --timeout
 * bounds, then the command's own: an array to free, its length in n. */
struct opt *run_options_with(struct run_opts *o, const char *timeout_help,
			     const struct opt *own, size_t nown, size_t *n);

/* `linkmatrix CMD ...` parsed from args->v[first] on:
 * -1 to go on (the operands in rest), else the exit status once the help
 * or the usage error is said. */
int run_parse_args(const char *cmd, const struct opt *opts, size_t nopts,
		   struct strvec *args, int first, struct run_opts *o, struct strvec *rest);

/* Takes --linker's NAME=PATH out of linkers into added (NAME stays in
 * linkers), the path made absolute so a rerun or repro finds it. */
void run_split_added(struct strvec *linkers, struct strvec *added);

/* Every number bounded, so none wraps or overflows where it is used.
 * 0, or -1 with why in err. */
int run_check_numbers(const struct run_opts *o, struct strbuf *err);
/* --shard I/N into po. 0, or -1 with why in err. */
int run_parse_shard(const char *s, struct plan_opts *po, struct strbuf *err);
/* --NAME RE compiled, NULL when re is; a bad one said in err. */
struct regex *run_compile_opt(const char *name, const char *re, struct strbuf *err);

/* The options that decide outcomes, for the reports (paths made absolute
 * and kept in paths, the environment's in env). */
void run_verdict_of(const struct run_opts *o, struct verdict_opts *v, struct strvec *paths,
		    struct strvec *env);

/* A new directory base/STAMP-PID for a run's reports, absolute; NULL with
 * why in err. */
char *run_make_dir(const char *base, struct strbuf *err);
/* base/latest names the newest finished run; replaced atomically. */
void run_point_latest(const char *base, const char *rundir);

/* run's operands that are test ids as printed, taken out of rest into
 * ids, each as its words joined by one space: "case:variant target
 * linker" as one operand (quoted), or as three; case:variant alone, or
 * with its target. After case:variant, an operand naming a target is its
 * target, and after that any operand but a file or another id is its
 * linker. Such a target or linker, or a case:variant, that is also a file
 * is refused: ./ makes it the file. 0, or -1 with why in err. */
int run_take_ids(struct setup *s, struct strvec *rest, struct strvec *ids, struct strbuf *err);
/* After setup_cases: each id's case loaded (a bundled one, when no
 * operand loaded it), its variant, target and linker there. 0, or -1 with
 * why (and a likely name) in err. */
int run_load_ids(struct setup *s, const struct strvec *ids, struct strbuf *err);

/* Says on stderr which entries of the known-failures file at path
 * matched no test: a fix is noticed. */
void known_note_unmatched(struct known_set *known, const char *path);

#endif
