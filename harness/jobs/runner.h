/* How a target's test programs run: on this host, under qemu-user, or on
 * a remote host over ssh (the program and the shared objects the test
 * built are copied there first). One table of handlers per runner kind;
 * a session is one test's programs on its target. */
#ifndef LM_RUNNER_H
#define LM_RUNNER_H

#include "jobs/startprobe.h"
#include "load/case.h"
#include "load/target.h"
#include "os/proc.h"

struct runner_session {
	const struct target *t;
	const char *dir;             /* the test's local directory */
	/* ssh */
	char *dest;                  /* [user@]host */
	char *port, *identity;
	char *remote;                /* the remote copy of dir, once made */
	bool copy_failed;
};

struct run_request {
	char *const *argv;           /* program ("./main" for a build output) and args */
	char *const *env;            /* NAME=value for the program, on top of LD_LIBRARY_PATH=dir */
	const char *in;
	size_t in_len;
	double timeout;
	const struct run_limits *limits;   /* the case's; NULL: the defaults */
};

/* What a test program may take, wherever it runs: CPU time, 256 MiB per
 * file, 8 GiB of address space, 4096 processes of the user, unless its
 * case says otherwise. */
struct proc_limits program_limits(const struct run_request *rq);
/* Its output (stdout and stderr together) past which it is killed. */
size_t program_output_limit(const struct run_request *rq);

void runner_begin(struct runner_session *s, const struct target *t, const char *dir);
/* Runs one program as the target runs it; p is filled as proc_run fills
 * it, with the exit status or signal of the program itself (not of ssh or
 * qemu). cmd and env hold the command that ran, for the log. Returns 0,
 * or -1 when the runner failed (ssh could not connect or copy): why says
 * so, and that is an ERROR of the harness's setup, not a failure of the
 * program. */
int runner_run(struct runner_session *s, const struct run_request *rq, struct proc *p,
	       struct strvec *cmd, struct strvec *env, struct strbuf *why);
/* Runs the program of rq again to find where it died (startprobe.h):
 * false when the runner cannot tell (only programs run here can be
 * traced). */
bool runner_probe_death(struct runner_session *s, const struct run_request *rq,
			struct death *d);
/* Removes what the session left on the remote host. */
void runner_end(struct runner_session *s);

/* What a remote shell prints, a line of its own on stdout and on stderr,
 * just before it runs the program: a login shell's start-up files may
 * print (a motd, a version manager's complaints), and what comes before
 * the mark is not the program's output. */
#define RUNNER_START_MARK "@@linkmatrix-start"

/* Ends what the runner keeps open across tests (ssh's shared connection). */
void runner_close(const struct target *t);

/* NULL when the target's runner can run here, else why not (allocated).
 * An ssh runner is asked to connect. */
char *runner_unusable(const struct target *t);

#endif
