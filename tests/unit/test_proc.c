/* The process layer: capture, stdin, caps, timeouts, what a child leaves
 * behind, exec errors, signals, limits, many threads at once. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os/proc.h"
#include "tap.h"

static int run_sh(struct proc *p, const char *script)
{
	static char *argv[4];
	argv[0] = "sh", argv[1] = "-c", argv[2] = (char *)script, argv[3] = NULL;
	p->argv = argv;
	return proc_run(p);
}

static void capture(void)
{
	struct proc p = { 0 };
	ok(run_sh(&p, "echo out; echo err >&2; exit 3") == 0, "runs");
	is_str(p.out.buf, "out\n", "stdout captured");
	is_str(p.err.buf, "err\n", "stderr captured apart");
	ok(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 3 && !proc_ok(&p), "exit status");
	struct strbuf sb = STRBUF_INIT;
	proc_describe(&p, &sb);
	is_str(sb.buf, "exit 3", "described");
	sb_free(&sb);
	proc_release(&p);
}

static void stdin_big(void)
{
	size_t n = 1 << 20;
	char *in = malloc(n);
	memset(in, 'x', n);
	char *argv[] = { "cat", NULL };
	struct proc p = { .argv = argv, .in = in, .in_len = n, .out_cap = 2 << 20 };
	proc_run(&p);
	ok(p.out.len == n && proc_ok(&p), "1 MiB through cat: no deadlock");
	proc_release(&p);
	struct proc q = { .in = in, .in_len = n };
	run_sh(&q, "exec 0<&-; echo closed");
	ok(proc_ok(&q) && !strcmp(q.out.buf, "closed\n"), "a child that closes stdin does not hang us");
	proc_release(&q);
	free(in);
}

static void cap(void)
{
	struct proc p = { .out_cap = 4096 };
	run_sh(&p, "dd if=/dev/zero bs=65536 count=160 2>/dev/null");
	ok(p.out.len == 4096 && p.out_total == 160u * 65536, "output capped, all counted");
	proc_release(&p);
}

/* Output goes to files read at the end, and the watchdog thread bounds
 * time and size: a chatty child, a runaway one, and one whose escaped
 * grandchild writes on after it has gone. */
static void chatty_runaway_escaped(void)
{
	struct proc p = { 0 };
	run_sh(&p, "i=0; while [ $i -lt 300 ]; do printf 'w%d ' $i >&2; i=$((i + 1)); done; echo");
	ok(proc_ok(&p) && p.err_total == 1390 && !strncmp(p.err.buf, "w0 w1 ", 6) &&
	   !strcmp(p.err.buf + p.err.len - 5, "w299 "), "300 small writes, all captured, in order");
	proc_release(&p);
	struct proc q = { .kill_after = 1 << 20, .out_cap = 4096, .timeout = 20 };
	double t = now_seconds();
	run_sh(&q, "while :; do echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; done");
	ok(q.flooded && !q.timed_out && WIFSIGNALED(q.status) && q.out.len == 4096 &&
	   q.out_total > (1 << 20) && now_seconds() - t < 10, "a runaway is killed past kill_after");
	struct strbuf sb = STRBUF_INIT;
	proc_describe(&q, &sb);
	is_str(sb.buf, "killed by the harness after writing more than 1 MiB of output", "and said so");
	sb_free(&sb);
	proc_release(&q);
	/* It has left the group before the child ends (else the group's
	 * kill could take it first), and writes a second later. */
	char base[64], script[320];
	snprintf(base, sizeof base, "%s/lm-test-proc-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	snprintf(script, sizeof script,
		 "setsid sh -c ':>%s.out; sleep 1; echo late; echo late >&2; :>%s.done' & "
		 "while [ ! -e %s.out ]; do sleep 0.01; done; cat; echo early", base, base, base);
	char *out = xasprintf("%s.out", base), *done = xasprintf("%s.done", base);
	struct proc r = { .in = "", .in_len = 0, .timeout = 20 };
	t = now_seconds();
	run_sh(&r, script);
	ok(proc_ok(&r) && !strcmp(r.out.buf, "early\n") && access(done, F_OK) < 0,
	   "empty stdin reads as EOF; an escaped grandchild neither holds us nor writes into our capture");
	proc_release(&r);
	while (access(done, F_OK) < 0 && now_seconds() - t < 30) {
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
	}
	ok(access(done, F_OK) == 0, "it wrote while no child ran");
	unlink(out);
	unlink(done);
	free(out);
	free(done);
	struct proc s = { 0 };
	run_sh(&s, "printf x");
	ok(proc_ok(&s) && !strcmp(sb_str(&s.out), "x") && !s.err.len,
	   "its late write to the idle capture files reaches no later child");
	proc_release(&s);
}

/* Capture files are used again: each child's start empty, at offset 0 and
 * without the flags its last child set (an escaped process's late write
 * is in chatty_runaway_escaped). */
static void captures_reused(void)
{
	struct proc p = { 0 };
	run_sh(&p, "echo some output; echo more >&2; perl -MFcntl -e 'for (*STDOUT, *STDERR) "
		   "{ fcntl($_, F_SETFL, O_APPEND | O_NONBLOCK) or die; sysseek($_, 100, 0) or die }'");
	ok(proc_ok(&p) && p.out_total == 12, "a child writes, sets O_APPEND and seeks past its output");
	proc_release(&p);
	struct proc q = { 0 };
	run_sh(&q, "perl -MFcntl -e 'for (*STDOUT, *STDERR) "
		   "{ syswrite $_, (fcntl($_, F_GETFL, 0) & (O_APPEND | O_NONBLOCK)) ? \"set\" : \"clear\" }'");
	ok(proc_ok(&q) && !strcmp(sb_str(&q.out), "clear") && !strcmp(sb_str(&q.err), "clear") &&
	   q.out_total == 5 && q.err_total == 5, "the next finds its files empty, at 0, flags clear");
	proc_release(&q);
}

static void timeout_and_leftovers(void)
{
	struct proc p = { .timeout = 0.3 };
	run_sh(&p, "sleep 10");
	ok(p.timed_out && p.wall < 2, "timed out after 0.3 s");
	proc_release(&p);
	struct proc q = { 0 };
	double t = now_seconds();
	run_sh(&q, "sleep 30 & echo $!");
	long pid = atol(q.out.buf ? q.out.buf : "0");
	ok(now_seconds() - t < 2, "a grandchild holding the pipe does not hold us");
	/* Killed, it stays a zombie until its new parent reaps it, which a
	 * container's init may never do: a zombie counts as dead. */
	char cmd[64];
	snprintf(cmd, sizeof cmd, "ps -o stat= -p %ld | grep -qv Z", pid);
	ok(pid > 0 && (kill((pid_t)pid, 0) < 0 || system(cmd) != 0), "and it is killed with its group");
	proc_release(&q);
}

static void errors(void)
{
	char *argv[] = { "no-such-program-lm", NULL };
	struct proc p = { .argv = argv };
	ok(proc_run(&p) < 0 && p.exec_errno == ENOENT, "missing program: ENOENT");
	proc_release(&p);
	struct proc q = { 0 };
	run_sh(&q, "kill -SEGV $$");
	struct strbuf sb = STRBUF_INIT;
	proc_describe(&q, &sb);
	is_str(sb.buf, "killed by signal 11 (SIGSEGV)", "signal death described");
	sb_free(&sb);
	proc_release(&q);
}

static void cwd_env_limits(void)
{
	char *env[] = { "LM_TEST=yes", "HOME=/nowhere", NULL };
	struct proc p = { .cwd = "/", .env = env };
	run_sh(&p, "pwd; echo $LM_TEST $HOME");
	is_str(p.out.buf, "/\nyes /nowhere\n", "cwd and env honoured, env overrides");
	proc_release(&p);
	struct proc_limits lim = { .cpu_seconds = 1 };
	struct proc q = { .limits = &lim, .timeout = 10 };
	run_sh(&q, "while :; do :; done");
	ok(!q.timed_out && WIFSIGNALED(q.status), "RLIMIT_CPU stops a busy loop");
	proc_release(&q);
}

static void *worker(void *arg)
{
	long id = (long)arg, good = 0;
	for (int i = 0; i < 20; i++) {
		char want[32];
		snprintf(want, sizeof want, "%ld-%d\n", id, i);
		char *argv[] = { "printf", "%s", want, NULL };
		struct proc p = { .argv = argv, .timeout = 10 };
		proc_run(&p);
		good += proc_ok(&p) && p.out.buf && !strcmp(p.out.buf, want);
		proc_release(&p);
	}
	return (void *)good;
}

static void threads(void)
{
	pthread_t t[8];
	long total = 0;
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)r;
	}
	is_int(total, 160, "8 threads x 20 runs, each its own output");
}

static void *aborter(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 200000000 };
	nanosleep(&ts, NULL);
	proc_abort_all(SIGKILL);
	return NULL;
}

static void abort_all(void)
{
	pthread_t t;
	pthread_create(&t, NULL, aborter, NULL);
	struct proc p = { .timeout = 20 };
	double start = now_seconds();
	run_sh(&p, "sleep 20");
	pthread_join(t, NULL);
	ok(now_seconds() - start < 5 && WIFSIGNALED(p.status), "proc_abort_all kills running children");
	proc_release(&p);
	struct proc q = { 0 };
	ok(run_sh(&q, "true") < 0 && q.exec_errno == EINTR, "and later runs fail with EINTR");
	proc_release(&q);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The child starts with default dispositions and nothing blocked, whatever
 * the harness ignores, catches or blocks: a test program's signals are its
 * own, and no handler of the harness may run in a child sharing its memory. */
static void signals_reset(void)
{
	signal(SIGUSR1, on_usr1);
	sigset_t usr2, old;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &usr2, &old);
	struct proc p = { 0 };
	run_sh(&p, "kill -PIPE $$");
	ok(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGPIPE, "an ignored SIGPIPE is default again");
	proc_release(&p);
	struct proc q = { 0 };
	run_sh(&q, "kill -USR1 $$");
	ok(WIFSIGNALED(q.status) && WTERMSIG(q.status) == SIGUSR1, "a caught SIGUSR1 is default again");
	proc_release(&q);
	struct proc r = { 0 };
	run_sh(&r, "kill -USR2 $$; echo survived");
	ok(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGUSR2, "a blocked SIGUSR2 is unblocked");
	proc_release(&r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* A descriptor some library opened without close-on-exec, in another
 * thread while the child started: the child still has only 0 to 2, where
 * the platform can close the rest (proc_close_past_stderr). */
static void no_leaked_descriptor(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	int fd = open("/dev/null", O_RDONLY);
	struct proc p = { 0 };
	char *script = xasprintf("test -e /dev/fd/%d && echo inherited || echo closed", fd);
	run_sh(&p, script);
	is_str(p.out.buf, "closed\n", "a descriptor opened without close-on-exec is not inherited");
	proc_release(&p);
	free(script);
	close(fd);
#else
	ok(1, "# SKIP this C library closes no range in the child");
#endif
}

int main(void)
{
	tap_start();
	signal(SIGPIPE, SIG_IGN);
	capture();
	stdin_big();
	cap();
	chatty_runaway_escaped();
	captures_reused();
	timeout_and_leftovers();
	errors();
	cwd_env_limits();
	threads();
	signals_reset();
	no_leaked_descriptor();
	is_int(signal_number("SIGSEGV"), SIGSEGV, "signal by name");
	is_int(signal_number("segv"), SIGSEGV, "without SIG, any case");
	is_int(signal_number("9"), 9, "by number");
	is_str(signal_name(SIGABRT), "SIGABRT", "name of a number");
	abort_all();
	return tap_done();
}
