/* targets.d: what a test is built for and how it is run. */
#ifndef LM_TARGET_H
#define LM_TARGET_H

#include <stdbool.h>

#include "elf/rules.h"
#include "load/case.h"
#include "util/arena.h"
#include "yaml/diag.h"
#include "yaml/yamldoc.h"

enum runner_kind { RUNNER_NATIVE, RUNNER_QEMU_USER, RUNNER_SSH };

/* Where an ssh runner runs programs; the environment can say it instead
 * (LINKMATRIX_SSH_<TARGET> = [user@]host[:port], ..._IDENTITY = key). */
struct ssh_spec {
	const char *host, *user, *identity, *dir;   /* dir: remote scratch, default /tmp */
	long port;                                   /* 0: ssh's default */
	struct slist options;                        /* more ssh -o options */
};
enum cc_family { CC_GCC, CC_CLANG };

struct target {
	const char *name, *description, *file;
	const char *os, *arch, *libc;
	const char *triple;        /* for cross tools: aarch64-linux-gnu-ld.bfd; default the name */
	bool is_default;
	const char *cc, *cxx, *ar;
	const char *clang, *clangxx;  /* the target's clang and clang++, for cases that ask for
				       * them (compiler: clang, driver: clang); NULL: none */
	const char *rust_target;   /* rustc's name of the target (x86_64-unknown-linux-gnu), or NULL */
	const char *rustc;         /* default rustc */
	struct slist cflags, ldflags;
	const char *reference_linker;
	enum runner_kind runner;
	struct slist runner_command;
	struct ssh_spec ssh;
	const char *profile;       /* loader profile as written; default from os and libc */
	struct slist profile_cmd;  /* prints the loader's version ... */
	struct regex *profile_re;  /* ... which this captures */
	struct slist interpreters; /* the loaders its system has, when written */
	struct slist diagnose;     /* shell commands that look closer at a failed program:
				    * {program}, {args}, {emulator} (see jobs/exec.c) */

	/* detection */
	bool usable;
	char *why;                 /* when not usable */
	char *cc_path, *cxx_path, *ar_path;
	char *clang_path, *clangxx_path;
	char *rustc_path;          /* target_detect_rust: a rustc with std for rust_target ... */
	char *rust_why;            /* ... or why not */
	char *cannot[MODE_COUNT];  /* why cc cannot make a file of the mode, or NULL */
	char *default_ld;          /* what cc links with when no linker is named
				    * ({triple}-ld, else ld), or NULL */
	enum cc_family family;
	char *cc_version;
	char *pie_interp;          /* the PT_INTERP cc writes into a PIE, or NULL */
	struct profile prof;       /* with the detected version, when found */
	struct strvec flag_probes; /* target_flags_refused's answers: key, why ("" none) */
};

struct target_set {
	struct target *v;
	size_t n;
	struct arena arena;
	struct ydoc *docs;
	size_t ndocs;
};

int targets_load(struct target_set *ts, const char *dir, struct diags *d);
void targets_free(struct target_set *ts);
/* Whether a target's runner can run its programs here (an emulator that
 * is installed, a host that answers): NULL, or why not. The runners
 * answer it (jobs/runner.h); they are a later stage than the targets. */
typedef char *runner_check_fn(const struct target *t);
/* Looks for each target's tools, and asks check about its runner. */
void targets_detect(struct target_set *ts, runner_check_fn *check);
struct target *target_by_name(struct target_set *ts, const char *name);
/* The target's name name is likely a typo of, "all" among them where
 * all is (a --target list), or NULL. */
const char *target_near(const struct target_set *ts, const char *name, bool all);
/* Looks for the rustc that builds for t, once: rustc_path, else
 * rust_why. Asked where a case has Rust (and by `targets`), not when the
 * targets are detected: it runs rustc. */
void target_detect_rust(struct target *t);
/* Why the target's compiler (its clang with clang) refuses to compile C
 * with flags, or NULL: a case's requires: { cflags }, as Wild's
 * RequiresCompilerFlags asks it. Asked once a compiler and list. */
const char *target_flags_refused(struct target *t, bool clang, const struct slist *flags);

/* The host's OS and arch in the names targets use (linux, x86_64). */
const char *host_os(void);
const char *host_arch(void);

#endif
