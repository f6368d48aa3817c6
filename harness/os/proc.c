/* vfork and memfd_create are outside the POSIX level the rest of the
 * harness asks for. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "os/proc.h"
#include "os/reaper.h"
#include "os/spare.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* wait4 gives a child's CPU time, its waited-for descendants' included:
 * outside POSIX, and hidden by FreeBSD's and illumos's headers at the
 * level the harness asks for, but in their libc. */
#if defined(__linux__) || defined(__FreeBSD__) || defined(__sun)
#define HAVE_WAIT4 1
#ifndef __linux__
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
#endif
#endif

/* The harness, which its children die with (reaper_child). */
static pid_t harness_pid;

/* Live process groups, for proc_abort_all() from a signal handler: slots
 * claimed with atomics, so no lock is taken there. A child is in it from
 * its start, under fork_lock, so the sweep for orphans knows it. */
enum { SLOTS = 256 };
static atomic_long live[SLOTS];
static atomic_int aborting;

/* A child's descriptors are made and children forked under one lock, so
 * no child of another thread inherits one before it is close-on-exec
 * (mkstemp and pipe leave a moment between). */
static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

/* The stdin of a child that is given none: opened once, under fork_lock,
 * and kept. */
static int devnull = -1;

static int null_fd(void)
{
	if (devnull < 0)
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return devnull;
}

/* For the exec report of a forked child (not with vfork). */
static int cloexec_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
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

/* Markers of the daemons the harness keeps (proc_keep_daemons), under
 * fork_lock. */
static struct strvec keep = STRVEC_INIT;

void proc_keep_daemons(const char *marker)
{
	pthread_mutex_lock(&fork_lock);
	sv_push_once(&keep, marker);
	pthread_mutex_unlock(&fork_lock);
}

static bool watched(pid_t pid)
{
	for (int i = 0; i < SLOTS; i++)
		if (atomic_load(&live[i]) == (long)pid)
			return true;
	return false;
}

/* Kills and reaps the harness's children it did not start: orphans of
 * its children's descendants, given to it as their subreaper. Killing
 * one gives its own children to the harness: again, until none is left. */
void proc_sweep_orphans(void)
{
	for (int round = 0; round < 64; round++) {
		pid_t kids[256], dead[256];
		size_t ndead = 0;
		pthread_mutex_lock(&fork_lock);
		size_t n = reaper_children(kids, ARRAY_LEN(kids));
		for (size_t i = 0; i < n; i++) {
			/* A kept daemon is reaped once it has ended: a zombie's
			 * command line is empty. */
			if (watched(kids[i]) || reaper_kept(kids[i], keep.v, keep.n))
				continue;
			kill(kids[i], SIGKILL);
			dead[ndead++] = kids[i];
		}
		pthread_mutex_unlock(&fork_lock);
		for (size_t i = 0; i < ndead; i++)
			while (waitpid(dead[i], &(int){ 0 }, 0) < 0 && errno == EINTR)
				;
		if (!ndead)
			return;
	}
}

int proc_write_file(struct spares *s, const char *path, const void *data, size_t len,
		    unsigned mode)
{
	pthread_mutex_lock(&fork_lock);
	int rc = spares_write(s, path, data, len, (int)(mode & 07777));
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
 * (bundled matrix, -j2). The child below writes nothing of the parent's
 * but its exec report (see struct exec_report) and ends in execve or
 * _exit, which is what vfork allows. Elsewhere fork. */
#ifdef __linux__
#define SPAWN_VFORK 1
#define spawn_fork vfork
#else
#define SPAWN_VFORK 0
#define spawn_fork fork
#endif

/* Between fork and exec: async-signal-safe calls only, and no writes to
 * the parent's memory (see spawn_fork). Signals arrive blocked (see
 * proc_run), so no handler of the harness runs in the child. */
void proc_child_reset(void)
{
	if (harness_pid)
		reaper_child(harness_pid);
	setpgid(0, 0);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* How a child that cannot exec says why. A vfork child shares the
 * parent's memory and the parent sleeps until it execs or exits, so it
 * writes errno where the parent reads it (as glibc's posix_spawn does);
 * a forked child writes it to a close-on-exec pipe. */
struct exec_report {
	volatile int err;         /* SPAWN_VFORK */
	int fd[2];                /* otherwise */
};

static int report_open(struct exec_report *r)
{
	r->err = 0;
	r->fd[0] = r->fd[1] = -1;
	return SPAWN_VFORK ? 0 : cloexec_pipe(r->fd);
}

static void report_errno(struct exec_report *r, int e)
{
	if (SPAWN_VFORK)
		r->err = e;
	else
		(void)!write(r->fd[1], &e, sizeof e);
}

/* In the parent once the child has gone (a forked child's write end
 * closes at exec or exit): the errno it could not exec with, or 0. */
static int report_read(struct exec_report *r)
{
	int e = r->err;
	if (r->fd[0] >= 0 && read(r->fd[0], &e, sizeof e) != (ssize_t)sizeof e)
		e = 0;
	if (r->fd[0] >= 0)
		close(r->fd[0]);
	return e;
}

/* Every descriptor of the harness's is close-on-exec, but one a library
 * or sanitizer opens without it in another thread while a child starts
 * would reach a test program (an ELF file inspect had open did, under
 * ASan in CI). Where the C library closes a range in one call, the child
 * closes all past stderr but keep (its exec report, or -1); elsewhere the
 * close-on-exec discipline is what holds. */
void proc_close_past_stderr(int keep)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	closefrom(keep >= 3 ? keep + 1 : 3);
#else
	(void)keep;
#endif
}

static void child(const struct proc *p, const char *path, char **env, const int fd[3],
		  struct exec_report *report)
{
	proc_child_reset();
	if (p->cwd && chdir(p->cwd) < 0)
		goto fail;
	proc_apply_limits(p->limits);
	for (int i = 0; i < 3; i++)
		if (dup2(fd[i], i) < 0)
			goto fail;
	proc_close_past_stderr(report->fd[1]);
	execve(path, p->argv, env);
fail:
	report_errno(report, errno);
	_exit(127);
}

/* Under fork_lock; fd[] are the child's stdin, stdout and stderr. Its
 * own function, so that little of proc_run's is live across vfork. */
static pid_t spawn(const struct proc *p, const char *path, char **env, const int fd[3],
		   struct exec_report *report)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = spawn_fork();
	if (pid == 0)
		child(p, path, env, fd, report);
	int e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return pid;
}

/* ---- where a child's output goes ---------------------------------------- */

/* Files, read once the child has gone. A pipe costs the harness a wakeup
 * and a read for every write of the child's (collect2 -v writes a word at
 * a time: 50 a link); a file costs nothing until the end, and nothing the
 * child leaves behind can hold it open to stall the harness. In memory on
 * Linux (memfd: no inode on disk); elsewhere, or where memfd is refused,
 * an unlinked file in TMPDIR. Made under fork_lock, so no other child
 * inherits it before it is close-on-exec. */
static int new_capture_file(void)
{
#ifdef __linux__
	int fd = memfd_create("linkmatrix-capture", MFD_CLOEXEC);
	if (fd >= 0)
		return fd;
#endif
	const char *dir = getenv("TMPDIR");
	char *name = xasprintf("%s/linkmatrix-capture.XXXXXX", dir && *dir ? dir : "/tmp");
	int tmp = mkstemp(name);
	if (tmp >= 0) {
		unlink(name);
		fcntl(tmp, F_SETFD, FD_CLOEXEC);
	}
	free(name);
	return tmp;
}

/* Capture files are used again once their child's process group is found
 * empty: making a memfd and freeing it was 8 % of the harness's CPU in a
 * cold run of bench/matrix.sh. A compiler or linker
 * (struct proc's after_others) writes after the last child's output, which
 * is read from where that ended; the file is emptied when it has grown
 * past CAPTURE_SHED: emptying it per child freed a page of memory per
 * link log, costing half what was saved. Any other child starts with
 * empty files. A process that left its group can still hold one (see the
 * trust model in the README); one written to while it was idle is
 * dropped. Only stdout and stderr: a program may write to its stdin too. */
enum { IDLE_CAPTURES = 16, CAPTURE_SHED = 256 << 10 };
static struct idle {
	int fd;
	off_t end;     /* its size, and the offset a child starts at */
} idle[IDLE_CAPTURES];
static size_t nidle;

static bool emptied(int fd)
{
	return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0;
}

/* Under fork_lock. *at: where the child's output will start. */
static int capture_file(bool after_others, off_t *at)
{
	while (nidle) {
		struct idle c = idle[--nidle];
		struct stat st;
		if (fstat(c.fd, &st) == 0 && st.st_size == c.end &&
		    (after_others || !c.end || emptied(c.fd))) {
			*at = after_others ? c.end : 0;
			return c.fd;
		}
		close(c.fd);
	}
	*at = 0;
	return new_capture_file();
}

/* At its end, or emptied, and with the flags it was made with, or closed:
 * a child may have truncated it, seeked, or set O_APPEND. */
static void capture_done(int fd, bool reuse)
{
	off_t end = reuse ? lseek(fd, 0, SEEK_END) : -1;
	if (end > CAPTURE_SHED)
		end = emptied(fd) ? 0 : -1;
	reuse = end >= 0 && fcntl(fd, F_SETFL, 0) == 0;
	pthread_mutex_lock(&fork_lock);
	if (reuse && nidle < IDLE_CAPTURES)
		idle[nidle++] = (struct idle){ fd, end }, fd = -1;
	pthread_mutex_unlock(&fork_lock);
	if (fd >= 0)
		close(fd);
}

/* The child's stdin: its bytes in a file, or /dev/null (shared: not to be
 * closed) when it has none. */
static int stdin_file(const struct proc *p)
{
	if (!p->in || !p->in_len)
		return null_fd();
	off_t at;
	int fd = capture_file(false, &at);
	if (fd >= 0 && (write_all(fd, p->in, p->in_len) < 0 || lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* What a child wrote to a capture file from at: its size past at. */
static size_t size_from(int fd, off_t at)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_size > at ? (size_t)(st.st_size - at) : 0;
}

/* At most cap bytes of what the child wrote to fd from at; *total is all
 * of it. */
static void collect(int fd, off_t at, struct strbuf *sb, size_t *total, size_t cap, bool tail)
{
	*total = size_from(fd, at);
	size_t want = *total < cap ? *total : cap;
	if (!want)
		return;
	sb_grow(sb, want);
	sb->len = read_at(fd, sb->buf, want, tail ? at + (off_t)(*total - want) : at);
	sb->buf[sb->len] = 0;
}

/* ---- the watchdog ------------------------------------------------------- */

/* One thread keeps every child's deadline and output bound, ticking while
 * there are children, so the thread that started one only waits for it:
 * a wakeup per child and a tick per 100 ms, not one per write. */
#define WATCH_TICK 0.1
enum verdict { RAN, TIMED_OUT, FLOODED };

struct watch {
	pid_t pg;                 /* 0: a free entry */
	double deadline;          /* 0: none */
	size_t kill_after;
	int fd[2];                /* stdout and stderr files */
	off_t at[2];              /* where the child's output starts in them */
	enum verdict verdict;
};

static struct watch *watches;
static size_t nwatches, watching;
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static bool watchdog_running;

static size_t written(const struct watch *w)
{
	return size_from(w->fd[0], w->at[0]) + size_from(w->fd[1], w->at[1]);
}

static void judge(struct watch *w, double now)
{
	if (w->deadline && now >= w->deadline)
		w->verdict = TIMED_OUT;
	else if (w->kill_after && written(w) > w->kill_after)
		w->verdict = FLOODED;
	else
		return;
	kill(-w->pg, SIGKILL);
}

static void *watchdog(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		while (!watching)
			pthread_cond_wait(&watch_cond, &watch_lock);
		double now = now_seconds();
		for (size_t i = 0; i < nwatches; i++)
			if (watches[i].pg && watches[i].verdict == RAN)
				judge(&watches[i], now);
		double next = now + WATCH_TICK;
		struct timespec ts = { (time_t)next, (long)((next - (time_t)next) * 1e9) };
		pthread_cond_timedwait(&watch_cond, &watch_lock, &ts);
	}
	return NULL;
}

static void watch_init(void)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);   /* now_seconds()'s clock */
	pthread_cond_init(&watch_cond, &a);
	pthread_condattr_destroy(&a);
	pthread_t t;
	pthread_attr_t ta;
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	watchdog_running = pthread_create(&t, &ta, watchdog, NULL) == 0;
	pthread_attr_destroy(&ta);
	harness_pid = getpid();
}

pid_t proc_fork(int *slot)
{
	pthread_once(&watch_once, watch_init);
	pthread_mutex_lock(&fork_lock);
	pid_t pid = fork();
	if (pid > 0)
		*slot = proc_watch_group(pid);
	int e = errno;
	if (pid != 0)
		pthread_mutex_unlock(&fork_lock);
	errno = e;
	return pid;
}

static size_t watch_start(pid_t pg, double deadline, size_t kill_after, const int fd[2],
			  const off_t at[2])
{
	pthread_mutex_lock(&watch_lock);
	size_t i = 0;
	while (i < nwatches && watches[i].pg)
		i++;
	if (i == nwatches)
		watches = xrealloc(watches, ++nwatches * sizeof *watches);
	watches[i] = (struct watch){ pg, deadline, kill_after, { fd[0], fd[1] }, { at[0], at[1] },
				     RAN };
	if (!watching++)
		pthread_cond_signal(&watch_cond);
	pthread_mutex_unlock(&watch_lock);
	return i;
}

static enum verdict watch_end(size_t i)
{
	pthread_mutex_lock(&watch_lock);
	enum verdict v = watches[i].verdict;
	watches[i].pg = 0;
	watching--;
	pthread_mutex_unlock(&watch_lock);
	return v;
}

/* A run starts a few programs by name (the compiler drivers, ssh, qemu)
 * thousands of times: their PATH lookups are remembered, as long as PATH
 * is what it was. A program that goes away meanwhile fails at exec. */
enum { FOUND_SLOTS = 32 };
static struct found {
	char *name, *path, *search;
} found[FOUND_SLOTS];
static size_t nfound;
static pthread_mutex_t found_lock = PTHREAD_MUTEX_INITIALIZER;

static char *lookup(const char *name)
{
	if (strchr(name, '/'))   /* the child's business: relative to its cwd */
		return xstrdup(name);
	const char *search = getenv("PATH");
	search = search ? search : "";
	char *path = NULL;
	pthread_mutex_lock(&found_lock);
	for (size_t i = 0; i < nfound && !path; i++)
		if (!strcmp(found[i].name, name) && !strcmp(found[i].search, search))
			path = xstrdup(found[i].path);
	pthread_mutex_unlock(&found_lock);
	if (path || !(path = which(name)))
		return path;
	pthread_mutex_lock(&found_lock);
	if (nfound < FOUND_SLOTS)
		found[nfound++] = (struct found){ xstrdup(name), xstrdup(path), xstrdup(search) };
	pthread_mutex_unlock(&found_lock);
	return path;
}

static int start_failed(struct proc *p, int e)
{
	p->exec_errno = e ? e : EINVAL;
	return -1;
}

#ifdef HAVE_WAIT4
static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void wait_child(pid_t pid, struct proc *p)
{
	struct rusage ru = { 0 };
	pid_t got;
	while ((got = wait4(pid, &p->status, 0, &ru)) < 0 && errno == EINTR)
		;
	p->cpu = got == pid ? tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime) : -1;
}
#else
static void wait_child(pid_t pid, struct proc *p)
{
	while (waitpid(pid, &p->status, 0) < 0 && errno == EINTR)
		;
}
#endif

/* A child that made the harness its tracer (PTRACE_TRACEME) is reported
 * stopped at its next signal, where it would have died of it or gone on:
 * that is no exit status. It is killed, and the signal kept to say so. */
static void reap(pid_t pid, struct proc *p)
{
	wait_child(pid, p);
	for (int n = 0; WIFSTOPPED(p->status) && n < 16; n++) {
		if (!p->stopped)
			p->stopped = WSTOPSIG(p->status);
		kill(pid, SIGKILL);
		wait_child(pid, p);
	}
}

int proc_run(struct proc *p)
{
	p->exec_errno = 0;
	p->timed_out = p->flooded = p->cached = false;
	p->status = 0;
	p->out_total = p->err_total = 0;
	p->cpu = -1;
	double start = now_seconds();
	if (atomic_load(&aborting))
		return start_failed(p, EINTR);
	/* Without it no child could be bounded in time: none is started. */
	pthread_once(&watch_once, watch_init);
	if (!watchdog_running)
		return start_failed(p, EAGAIN);
	char *path = lookup(p->argv[0]);
	if (!path)
		return start_failed(p, ENOENT);
	char **env = proc_env(p->env);
	int fd[3] = { -1, -1, -1 };   /* the child's stdin, stdout and stderr */
	bool alone = true;            /* no process but the child had them */
	struct exec_report rep;
	pthread_mutex_lock(&fork_lock);
	off_t at[2];                  /* where its output starts in fd[1] and fd[2] */
	bool ok = report_open(&rep) == 0 && (fd[1] = capture_file(p->after_others, &at[0])) >= 0 &&
		  (fd[2] = capture_file(p->after_others, &at[1])) >= 0 && (fd[0] = stdin_file(p)) >= 0;
	pid_t pid = ok ? spawn(p, path, env, fd, &rep) : -1;
	int fork_errno = errno;
	int slot = pid > 0 ? proc_watch_group(pid) : -1;
	pthread_mutex_unlock(&fork_lock);
	free(path);
	free(env);
	if (rep.fd[1] >= 0)
		close(rep.fd[1]);
	if (pid > 0) {
		/* A vfork child has set its group before the parent runs again. */
		if (!SPAWN_VFORK)
			setpgid(pid, pid);
		if (atomic_load(&aborting))
			kill(-pid, SIGKILL);
		size_t w = watch_start(pid, p->timeout > 0 ? start + p->timeout : 0, p->kill_after,
				       fd + 1, at);
		reap(pid, p);
		enum verdict v = watch_end(w);
		/* Whatever the child left in its group goes with it; EPERM
		 * (a member that changed its user) is not an empty group. */
		alone = kill(-pid, SIGKILL) < 0 && errno == ESRCH;
		/* Work left to such a process (mold's forked linker, which
		 * the driver does not wait for) is in no rusage: unknown,
		 * not fast. */
		if (!alone)
			p->cpu = -1;
		proc_unwatch_group(slot);
		proc_sweep_orphans();
		bool killed = WIFSIGNALED(p->status) && WTERMSIG(p->status) == SIGKILL;
		p->timed_out = killed && v == TIMED_OUT;
		size_t cap = p->out_cap ? p->out_cap : PROC_DEFAULT_CAP;
		collect(fd[1], at[0], &p->out, &p->out_total, cap, p->keep_tail);
		collect(fd[2], at[1], &p->err, &p->err_total, cap, p->keep_tail);
		/* Past the bound is a runaway, whether the watchdog's tick or
		 * RLIMIT_FSIZE on the files came first. */
		p->flooded = !p->timed_out && p->kill_after &&
			     p->out_total + p->err_total > p->kill_after;
	}
	if (fd[0] >= 0 && fd[0] != devnull)
		close(fd[0]);
	if (fd[1] >= 0)
		capture_done(fd[1], alone);
	if (fd[2] >= 0)
		capture_done(fd[2], alone);
	int e = report_read(&rep);
	p->wall = now_seconds() - start;
	if (pid < 0)
		return start_failed(p, fork_errno);
	return e ? start_failed(p, e) : 0;
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
	char size[32];
	if (p->exec_errno) {
		sb_addf(sb, "could not be started: %s", strerror(p->exec_errno));
	} else if (p->timed_out) {
		sb_addf(sb, "timed out after %g s", p->timeout);
	} else if (p->flooded) {
		sb_addf(sb, "killed by the harness after writing more than %s of output",
			human_size(p->kill_after, size));
	} else if (p->stopped) {
		const char *n = signal_name(p->stopped);
		sb_addf(sb, "stopped at signal %d (%s) with the harness as its tracer (it called "
			"PTRACE_TRACEME), and was killed", p->stopped, n ? n : "unknown");
	} else if (WIFSIGNALED(p->status)) {
		int s = WTERMSIG(p->status);
		const char *n = signal_name(s);
		sb_addf(sb, "killed by signal %d (%s)", s, n ? n : "unknown");
	} else {
		sb_addf(sb, "exit %d", WEXITSTATUS(p->status));
	}
	if (p->cached)
		sb_adds(sb, PROC_FROM_CACHE);
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

void catch_interrupts(void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

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
