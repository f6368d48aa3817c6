/* How far a program that died of a signal got before it died: killed by
 * the kernel during exec, before its first instruction; in the dynamic
 * loader's work, before the program's entry point; in start-up code
 * between the entry point and main; or in main or later.
 *
 * A porter reads a different bug into each: a file the kernel refuses, a
 * loader that cannot relocate or initialise it, broken IRELATIVE or
 * init_array entries, or a code-generation fault. The exit status alone
 * does not tell them apart, so the probe runs the program once more under
 * ptrace with one-shot breakpoints at the entry point and at main, and
 * notes which stop came before the fatal signal, and where that signal
 * struck. It is Linux-only (x86_64 and aarch64) and optional: elsewhere,
 * or where ptrace is refused, it says why it could not tell. */
#ifndef LM_STARTPROBE_H
#define LM_STARTPROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "os/proc.h"

enum death_phase {
	DIED_UNKNOWN,
	DIED_EXEC,          /* no instruction of it ran */
	DIED_LOADER,        /* the interpreter ran; the entry point was not reached */
	DIED_ENTRY,         /* control reached the entry point, which could not run */
	DIED_STARTUP,       /* the entry point was reached, main was not */
	DIED_AFTER_ENTRY,   /* the entry point was reached; no symbol main to tell more */
	DIED_MAIN,          /* main was reached */
};

struct death {
	enum death_phase phase;
	int sig;            /* the signal it died of under the probe; 0: it did not */
	int exit_code;      /* when it exited under the probe */
	bool first_insn;    /* the fatal signal struck at its first instruction */
	char at[192];       /* where the fatal signal struck: "libfoo.so+0x1139", or "" */
	char why[192];      /* DIED_UNKNOWN: why the probe could not tell */
	char cause[320];    /* what the faulting address says, or "": "0x22c0 is the
			     * link-time address of frame_dummy, ..." */
};

struct probe_request {
	char *const *argv;  /* argv[0]: the program, relative to cwd */
	char *const *env;   /* on top of the harness's environment */
	const char *cwd;
	const char *in;     /* stdin (up to a pipe's capacity), or NULL */
	size_t in_len;
	double timeout;
	const struct proc_limits *limits;
};

void probe_death(const struct probe_request *rq, struct death *d);

/* "exec", "loader", "startup", "after-entry", "main"; NULL for DIED_UNKNOWN. */
const char *death_phase_name(enum death_phase ph);
/* One clause for a message: "the kernel killed it during exec, before
 * its first instruction", "in main or later (at main+0x12)", ... */
void death_describe(const struct death *d, struct strbuf *sb);

#endif
