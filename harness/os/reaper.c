/* prctl and /proc/<pid>/task/<tid>/children are Linux's. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "os/reaper.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#ifdef __linux__

bool reaper_init(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
}

void reaper_child(pid_t harness)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* The harness died before the line above: nothing would kill us. */
	if (getppid() != harness)
		_exit(127);
}

/* The start of a /proc file, its NUL separators as spaces, as a string. */
static int proc_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t len = read(fd, buf, size - 1);
	close(fd);
	for (ssize_t i = 0; i < len; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[len > 0 ? len : 0] = 0;
	return 0;
}

/* An orphan goes to the subreaper's first live thread, its main thread
 * while the harness runs (find_alive_thread in the kernel's exit.c): one
 * read of that thread's children finds them all. The children the other
 * threads start are theirs and never listed here: the harness knows those. */
size_t reaper_children(pid_t *out, size_t max)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
	if (proc_file(path, buf, sizeof buf) < 0)
		return 0;
	size_t n = 0;
	for (char *p = buf, *end; n < max; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		out[n++] = (pid_t)pid;
	}
	return n;
}

static bool file_holds(pid_t pid, const char *what, char *const *markers, size_t n)
{
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, what);
	if (proc_file(path, buf, sizeof buf) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strstr(buf, markers[i]))
			return true;
	return false;
}

bool reaper_kept(pid_t pid, char *const *markers, size_t n)
{
	return n && (file_holds(pid, "cmdline", markers, n) || file_holds(pid, "environ", markers, n));
}

#else

bool reaper_init(void)
{
	return false;
}

void reaper_child(pid_t harness)
{
	(void)harness;
}

size_t reaper_children(pid_t *out, size_t max)
{
	(void)out, (void)max;
	return 0;
}

bool reaper_kept(pid_t pid, char *const *markers, size_t n)
{
	(void)pid, (void)markers, (void)n;
	return false;
}

#endif
