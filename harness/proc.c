/* vfork and pipe2 are outside the POSIX level the rest of the harness
 * asks for. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Live process groups, for proc_abort_all() from a signal handler: slots
 * claimed with atomics, so no lock is taken there. */
enum { SLOTS = 256 };
static atomic_long live[SLOTS];
static atomic_int aborting;

/* Pipes are made and children forked under one lock, so no child of
 * another thread inherits a pipe end before it is marked close-on-exec
 * (pipe2 is not everywhere). */
static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every child costs about twenty system calls here; pipe2 saves the six
 * fcntl calls of its three pipes on Linux. */
static int cloexec_pipe(int fds[2])
{
#ifdef __linux__
	return pipe2(fds, O_CLOEXEC);
#else
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
#endif
}

int proc_watch_group(pid_t pg)
{
	for (int i = 0; i < SLOTS; i++) {
		long expect = 0;
		if (atomic_compare_exchange_strong(&live[i], &expect, (long)pg))
			return i;
	}
	return -1;
}

void proc_unwatch_group(int i)
{
	if (i >= 0)
		atomic_store(&live[i], 0);
}

int proc_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
	pthread_mutex_lock(&fork_lock);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : write_all(fd, data, len);
	if (fd >= 0 && fchmod(fd, (mode_t)mode) < 0)
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	pthread_mutex_unlock(&fork_lock);
	return rc;
}

bool proc_aborted(void)
{
	return atomic_load(&aborting);
}

void proc_abort_all(int sig)
{
	atomic_store(&aborting, 1);
	for (int i = 0; i < SLOTS; i++) {
		long pg = atomic_load(&live[i]);
		if (pg > 0)
			kill(-(pid_t)pg, sig);
	}
}

/* Made before fork: the child may not allocate. */
char **proc_env(char *const *add)
{
	size_t n = 0, m = 0;
	while (environ[n])
		n++;
	while (add && add[m])
		m++;
	char **env = xcalloc(n + m + 1, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(environ[i], "=");
		bool replaced = false;
		for (size_t j = 0; j < m && !replaced; j++)
			replaced = !strncmp(add[j], environ[i], len) && add[j][len] == '=';
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		env[k++] = add[j];
	env[k] = NULL;
	return env;
}

static void set_limit(int res, unsigned long long v)
{
	if (!v)
		return;
	struct rlimit rl = { (rlim_t)v, (rlim_t)v };
	setrlimit(res, &rl);
}

/* Async-signal-safe: called between fork and exec. */
void proc_apply_limits(const struct proc_limits *l)
{
	if (!l)
		return;
	set_limit(RLIMIT_CPU, l->cpu_seconds);
	set_limit(RLIMIT_AS, l->as_bytes);
	set_limit(RLIMIT_FSIZE, l->fsize_bytes);
#ifdef RLIMIT_NPROC
	set_limit(RLIMIT_NPROC, l->nproc);
#endif
}

/* Linux's vfork shares the address space until exec instead of copying
 * the page tables and taking a copy-on-write fault for every page the
 * harness's threads then touch: with a compiler, a linker and a test
 * program per test, fork made process starts cost 1.7 times as much CPU
 * (bundled matrix, -j2). The child below writes to nothing of the parent's (its locals are
 * on its own frame, errno aside) and ends in execve or _exit, which is
 * what vfork allows. Elsewhere fork. */
#ifdef __linux__
#define spawn_fork vfork
#else
#define spawn_fork fork
#endif

/* Between fork and exec: async-signal-safe calls only, and no writes to
 * the parent's memory (see spawn_fork). Signals arrive blocked (see
 * proc_run), so no handler of the harness runs in the child. */
void proc_child_reset(void)
{
	setpgid(0, 0);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child(const struct proc *p, const char *path, char **env, int in, int out,
		  int err, int report)
{
	proc_child_reset();
	if (p->cwd && chdir(p->cwd) < 0)
		goto fail;
	proc_apply_limits(p->limits);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	execve(path, p->argv, env);
fail:;
	int e = errno;
	(void)!write(report, &e, sizeof e);
	_exit(127);
}

static void keep(struct strbuf *sb, size_t *total, size_t cap, const char *buf, size_t n)
{
	*total += n;
	if (sb->len < cap)
		sb_add(sb, buf, n < cap - sb->len ? n : cap - sb->len);
}

struct io {
	int fd[3];                /* stdin write end, stdout and stderr read ends */
	size_t in_off;
};

/* Moves data until both outputs close, the deadline passes, or the child
 * has been gone for a grace period with its outputs still held open by
 * something it left behind. */
static void pump(struct proc *p, struct io *io, pid_t pid, double deadline, bool *reaped)
{
	size_t cap = p->out_cap ? p->out_cap : PROC_DEFAULT_CAP;
	double gone_at = 0;
	char buf[65536];
	while (io->fd[1] >= 0 || io->fd[2] >= 0) {
		struct pollfd pf[3];
		int n = 0, map[3];
		for (int i = 0; i < 3; i++) {
			if (io->fd[i] < 0)
				continue;
			pf[n].fd = io->fd[i];
			pf[n].events = i == 0 ? POLLOUT : POLLIN;
			map[n++] = i;
		}
		double now = now_seconds();
		if (deadline && now >= deadline) {
			p->timed_out = true;
			return;
		}
		if (*reaped && now - gone_at > 0.2)
			return;
		int ms = 100;
		if (deadline && (deadline - now) * 1000 < ms)
			ms = (int)((deadline - now) * 1000) + 1;
		int ready = poll(pf, (nfds_t)n, ms);
		if (ready < 0 && errno != EINTR)
			return;
		/* Quiet pipes with the child gone: something it started holds
		 * them. Checked only when idle, as a wait per read adds up. */
		if (ready == 0 && !*reaped && waitpid(pid, &p->status, WNOHANG) == pid) {
			*reaped = true;
			gone_at = now;
		}
		bool trickle = false;
		for (int k = 0; k < n; k++) {
			int i = map[k];
			if (!pf[k].revents)
				continue;
			if (i == 0) {
				ssize_t w = write(io->fd[0], p->in + io->in_off, p->in_len - io->in_off);
				if (w > 0)
					io->in_off += (size_t)w;
				if ((w < 0 && errno != EAGAIN && errno != EINTR) || io->in_off == p->in_len) {
					close(io->fd[0]);
					io->fd[0] = -1;
				}
				continue;
			}
			ssize_t r = read(io->fd[i], buf, sizeof buf);
			trickle |= r > 0 && r < 512;
			if (r > 0) {
				if (i == 1)
					keep(&p->out, &p->out_total, cap, buf, (size_t)r);
				else
					keep(&p->err, &p->err_total, cap, buf, (size_t)r);
				if (p->kill_after && p->out_total + p->err_total > p->kill_after) {
					p->flooded = true;
					return;
				}
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(io->fd[i]);
				io->fd[i] = -1;
			}
		}
		/* A child writing a little at a time (collect2 -v: a word per
		 * write, 50 a link) would cost a wakeup and a read per write; a
		 * millisecond lets the pipe gather them. */
		if (trickle)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

static int start_failed(struct proc *p, int e)
{
	p->exec_errno = e ? e : EINVAL;
	return -1;
}

int proc_run(struct proc *p)
{
	p->exec_errno = 0;
	p->timed_out = p->flooded = p->cached = false;
	p->status = 0;
	p->out_total = p->err_total = 0;
	double start = now_seconds();
	if (atomic_load(&aborting))
		return start_failed(p, EINTR);
	/* A name with a '/' is the child's business: relative to its cwd. */
	char *path = strchr(p->argv[0], '/') ? xstrdup(p->argv[0]) : which(p->argv[0]);
	if (!path)
		return start_failed(p, ENOENT);
	char **env = proc_env(p->env);
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	pthread_mutex_lock(&fork_lock);
	int devnull = -1;
	bool ok = cloexec_pipe(out) == 0 && cloexec_pipe(err) == 0 && cloexec_pipe(rep) == 0;
	if (ok && p->in)
		ok = cloexec_pipe(in) == 0;
	else if (ok)
		ok = (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = ok ? spawn_fork() : -1;
	if (pid == 0)
		child(p, path, env, p->in ? in[0] : devnull, out[1], err[1], rep[1]);
	int fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_mutex_unlock(&fork_lock);
	if (pid > 0)
		setpgid(pid, pid);
	int slot = pid > 0 ? proc_watch_group(pid) : -1;
	if (pid > 0 && atomic_load(&aborting))
		kill(-pid, SIGKILL);
	free(path);
	free(env);
	if (devnull >= 0)
		close(devnull);
	close(out[1]), close(err[1]), close(rep[1]);
	if (in[0] >= 0)
		close(in[0]);
	if (pid < 0) {
		close(out[0]), close(err[0]), close(rep[0]), close(in[1]);
		return start_failed(p, fork_errno);
	}
	struct io io = { { in[1], out[0], err[0] }, 0 };
	if (io.fd[0] >= 0)
		fcntl(io.fd[0], F_SETFL, fcntl(io.fd[0], F_GETFL) | O_NONBLOCK);
	bool reaped = false;
	double deadline = p->timeout > 0 ? start + p->timeout : 0;
	pump(p, &io, pid, deadline, &reaped);
	/* Its outputs closed: the child is exiting, or closed them and goes
	 * on. Wait for it (within the deadline) before killing its group, or
	 * the kill would race its exit. */
	for (long nap = 50000; !reaped && !p->timed_out && !p->flooded; nap = nap < 5000000 ? nap * 2 : nap) {
		if (waitpid(pid, &p->status, WNOHANG) == pid)
			reaped = true;
		else if (deadline && now_seconds() >= deadline)
			p->timed_out = true;
		else
			nanosleep(&(struct timespec){ 0, nap }, NULL);
	}
	/* Whatever the child left in its group goes with it. */
	kill(-pid, SIGKILL);
	if (!reaped)
		while (waitpid(pid, &p->status, 0) < 0 && errno == EINTR)
			;
	proc_unwatch_group(slot);
	for (int i = 0; i < 3; i++)
		if (io.fd[i] >= 0)
			close(io.fd[i]);
	int e = 0;
	ssize_t r = read(rep[0], &e, sizeof e);
	close(rep[0]);
	p->wall = now_seconds() - start;
	if (r == (ssize_t)sizeof e)
		return start_failed(p, e);
	return 0;
}

void proc_release(struct proc *p)
{
	sb_free(&p->out);
	sb_free(&p->err);
}

bool proc_ok(const struct proc *p)
{
	return !p->exec_errno && !p->timed_out && WIFEXITED(p->status) &&
	       WEXITSTATUS(p->status) == 0;
}

void proc_describe(const struct proc *p, struct strbuf *sb)
{
	if (p->exec_errno) {
		sb_addf(sb, "could not be started: %s", strerror(p->exec_errno));
	} else if (p->timed_out) {
		sb_addf(sb, "timed out after %g s", p->timeout);
	} else if (p->flooded) {
		sb_addf(sb, "killed by the harness after writing more than %zu MiB of output",
			p->kill_after >> 20);
	} else if (WIFSIGNALED(p->status)) {
		int s = WTERMSIG(p->status);
		const char *n = signal_name(s);
		sb_addf(sb, "killed by signal %d (%s)", s, n ? n : "unknown");
	} else {
		sb_addf(sb, "exit %d", WEXITSTATUS(p->status));
	}
	if (p->cached)
		sb_adds(sb, " (from the cache)");
}

static const struct {
	int sig;
	const char *name;
} signals[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" }, { SIGSYS, "SIGSYS" },
#ifdef SIGWINCH
	{ SIGWINCH, "SIGWINCH" },
#endif
#ifdef SIGIO
	{ SIGIO, "SIGIO" },
#endif
#ifdef SIGPWR
	{ SIGPWR, "SIGPWR" },
#endif
#ifdef SIGSTKFLT
	{ SIGSTKFLT, "SIGSTKFLT" },
#endif
#ifdef SIGEMT
	{ SIGEMT, "SIGEMT" },
#endif
};

const char *signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_LEN(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

int signal_number(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);
	if (end != name && !*end)
		return v > 0 && v < 128 ? (int)v : -1;
	for (size_t i = 0; i < ARRAY_LEN(signals); i++)
		if (!strcasecmp(signals[i].name, name) || !strcasecmp(signals[i].name + 3, name))
			return signals[i].sig;
	return -1;
}
