/* os/: what the harness asks of the operating system beyond files: child
 * processes (proc.h), the pool of worker threads that runs jobs
 * (jobsched.h), and the pool of directories and files a run reuses
 * (spare.h). Portable POSIX; Linux-only calls are guarded here.
 * May use: util.
 *
 * One child process: what to run, how, and what came of it.
 *
 * Every process the harness starts (compilers, linkers, test programs,
 * runners) goes through proc_run(), in the manner of git's run-command:
 * the caller fills the "in" half of a struct proc, proc_run() forks it into
 * its own process group, feeds stdin, captures stdout and stderr up to a
 * cap, enforces the timeout and resource limits, kills whatever the child
 * left behind in its group, and fills the "out" half. It is safe to call
 * from many threads at once. */
#ifndef LM_PROC_H
#define LM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/util.h"

struct spares;

/* 0 leaves a limit as inherited. */
struct proc_limits {
	unsigned long cpu_seconds;   /* RLIMIT_CPU */
	unsigned long long as_bytes; /* RLIMIT_AS */
	unsigned long long fsize_bytes; /* RLIMIT_FSIZE */
	unsigned long nproc;         /* RLIMIT_NPROC, where the system has it */
};

struct proc {
	/* in */
	char *const *argv;        /* argv[0] is looked up in PATH unless it has a '/' */
	char *const *env;         /* "NAME=value" entries set on top of the harness's environment */
	const char *cwd;          /* NULL: the harness's */
	const char *in;           /* stdin bytes; NULL: /dev/null */
	size_t in_len;
	size_t out_cap;           /* bytes kept of stdout and of stderr; 0: PROC_DEFAULT_CAP */
	bool keep_tail;           /* the last out_cap bytes, not the first (a script's
				   * trace says at its end where it stopped) */
	double timeout;           /* seconds; 0: none */
	size_t kill_after;        /* bytes of stdout and stderr together before the
				   * child is killed as a runaway; 0: never */
	const struct proc_limits *limits;
	bool after_others;        /* a compiler or linker, which never seeks its
				   * output: it may write after other children's
				   * in the same file (saves emptying it) */

	/* out */
	int exec_errno;           /* nonzero: the program could not be started */
	bool timed_out;           /* killed by the harness after `timeout` */
	bool flooded;             /* killed by the harness after `kill_after` bytes */
	bool cached;              /* not run: the outcome is a cached one (jobs/cache.h) */
	int status;               /* wait(2) status, when exec_errno == 0 */
	int stopped;              /* the signal it stopped at with the harness as its
				   * tracer (it called PTRACE_TRACEME), before it was
				   * killed; 0: none */
	struct strbuf out, err;   /* at most out_cap bytes each */
	size_t out_total, err_total; /* bytes the child wrote, kept or not */
	double wall;              /* seconds from start to reaping */
	double cpu;               /* user and system seconds of the child and of the
				   * descendants it waited for (a driver's collect2
				   * and ld); -1: unknown (no wait4 here, not run, or
				   * it left a process in its group) */
};

#define PROC_DEFAULT_CAP (1u << 20)
/* The kill_after that marks a compiler, linker or test program that
 * prints without end as a runaway (a case's limits: may change a test
 * program's). */
#define PROC_RUNAWAY_OUTPUT (64u << 20)

/* Runs p to completion. Returns 0 when the program ran, whatever its exit
 * status; -1 when it could not be started (p->exec_errno says why). */
int proc_run(struct proc *p);

/* Frees what proc_run() captured; the "in" half is the caller's. */
void proc_release(struct proc *p);

/* True when the child exited with status 0. */
bool proc_ok(const struct proc *p);

/* Appends a short human description of how the process ended:
 * "exit 1", "killed by signal 11 (SIGSEGV)", "timed out after 5 s",
 * "could not be started: No such file or directory"; PROC_FROM_CACHE
 * after it when the result is a cached one's. */
#define PROC_FROM_CACHE " (from the cache)"
void proc_describe(const struct proc *p, struct strbuf *sb);

/* Sends sig to the process group of every child now running under
 * proc_run() and makes new proc_run() calls fail at once with EINTR.
 * Async-signal-safe, so a SIGINT handler may call it. */
void proc_abort_all(int sig);

/* For code that starts a child of its own (startprobe): the environment
 * proc_run() gives a child, with add on top (free the array, not the
 * strings); in the child, its own process group, default signal handling
 * and no signal blocked, then the limits; the child's process group made
 * known to proc_abort_all() (returns a slot, or -1) and forgotten;
 * whether proc_abort_all() was called. */
char **proc_env(char *const *add);
void proc_child_reset(void);
void proc_apply_limits(const struct proc_limits *l);
/* In the child, after its stdin, stdout and stderr are in place: closes
 * every other descriptor but keep (-1 for none), where the platform can. */
void proc_close_past_stderr(int keep);
int proc_watch_group(pid_t pgid);
void proc_unwatch_group(int slot);
bool proc_aborted(void);
/* fork() for such code: under the lock proc_run() starts its children
 * under, the child made known at once as process group pid (in *slot, to
 * be forgotten with proc_unwatch_group), so that the harness, which kills
 * the children it did not start (os/reaper.h), does not take it for an
 * orphan. In the child, the child's own process group and death with the
 * harness come with proc_child_reset(). */
pid_t proc_fork(int *slot);
/* A daemon a child may leave that the harness keeps for the run (ssh's
 * connection master): an orphan whose command line or environment holds
 * marker is not killed. */
void proc_keep_daemons(const char *marker);
/* Kills and reaps the harness's children it did not start (os/reaper.h):
 * proc_run() does after each child; such code does after its own. */
void proc_sweep_orphans(void);

/* Writes a file that a program may run from at once: no child is forked
 * while it is open for writing, or one could still hold it when the
 * program is started (ETXTBSY). 0 or -1 with errno. */
int proc_write_file(struct spares *s, const char *path, const void *data, size_t len,
		    unsigned mode);

/* "SIGSEGV" for 11; NULL when unknown. */
const char *signal_name(int sig);
/* handler (or SIG_DFL) for the signals that end a command: SIGINT, SIGTERM
 * and SIGHUP (a closed terminal), system calls not restarted. */
void catch_interrupts(void (*handler)(int));
/* 11 for "SIGSEGV", "SEGV" or "11"; -1 when unknown. */
int signal_number(const char *name);

#endif
