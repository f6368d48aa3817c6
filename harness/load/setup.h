/* load/: the first stage, the model a run is made from: case files
 * (case.h), linkers.d (linker.h), targets.d (target.h), known-failures
 * files (known.h), and this file, which loads them and detects the
 * installed tools.
 * May use: util, yaml, os, elf.
 *
 * What every command starts from: where linkmatrix's data lives, the
 * linkers and targets it knows, and the case files named on the command
 * line (or all bundled ones). */
#ifndef LM_SETUP_H
#define LM_SETUP_H

#include "load/case.h"
#include "load/linker.h"
#include "load/target.h"

struct setup {
	char *home;               /* holds linkers.d, targets.d, cases */
	struct linker_set ls;
	struct target_set ts;
	struct loaded_case *cases;
	size_t ncases;
	bool lazy;                /* setup_cases keeps at most SETUP_WINDOW cases */
};

/* How many cases a run holds at a time (see setup_release). */
enum { SETUP_WINDOW = 64 };

/* Loads linkers.d and targets.d (from the given dirs, or home's) and,
 * with detect, looks for the tools, detect saying whether each target's
 * runner can be used (runner_unusable): every installed version of each
 * linker, and the linkers added by NAME=PATH (NULL: none). Prints errors;
 * -1 on any. */
int setup_config(struct setup *s, const char *argv0, const char *linkers_dir,
		 const char *targets_dir, runner_check_fn *detect, const struct strvec *added);

/* Loads the case files named by args: files, directories (searched for
 * *.yaml), or case names from home's cases/. No args: every bundled case.
 * A directory searched is its files' case root: what reports name a case
 * file from (loaded_case.root_len).
 * A broken file is kept, with its errors, for the run to report. Returns
 * -1 (message in err) when an argument names nothing. */
int setup_cases(struct setup *s, char *const *args, size_t nargs, struct strbuf *err);

/* A run holds a window of cases at a time: releasing one frees all but
 * its path, name and errors; loading it again makes it broken, with why,
 * if it no longer loads (changed during the run). */
void setup_release(struct setup *s, size_t i);
void setup_reload(struct setup *s, size_t i);

void setup_free(struct setup *s);

#endif
