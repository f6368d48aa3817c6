/* linkmatrix: a linker test harness. Dispatches the commands. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/version.h"
#include "os/reaper.h"
#include "util/util.h"


/* Started with stdin, stdout or stderr closed, the first files and pipes
 * the harness opens would take their numbers, and a child given a pipe as
 * fd 1 would find it at fd 0 too, or lose it to close-on-exec when dup2
 * leaves it in place. /dev/null fills the gaps, as git does. */
static void fill_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			exit(2);
}

/* What the harness was started with past stdin, stdout and stderr (a
 * shell's descriptors, make's jobserver) is not passed on: compilers,
 * linkers and test programs start with those three, whoever started the
 * run. Its own descriptors are all close-on-exec. /dev/fd lists a
 * process's descriptors on Linux, illumos, macOS and FreeBSD with fdescfs;
 * a listing without the directory's own is not that (FreeBSD without
 * fdescfs lists 0 to 2), and then every number below the limit is set. */
static void hold_inherited_fds(void)
{
	DIR *d = opendir("/dev/fd");
	bool listed = false;
	for (struct dirent *e; d && (e = readdir(d));) {
		char *end;
		long n = strtol(e->d_name, &end, 10);
		if (end == e->d_name || *end)
			continue;
		if (n == dirfd(d))
			listed = true;
		else if (n > 2 && n <= INT_MAX)
			fcntl((int)n, F_SETFD, FD_CLOEXEC);
	}
	if (d)
		closedir(d);
	long max = listed ? 0 : sysconf(_SC_OPEN_MAX);
	for (long n = 3; n < (max < 65536 ? max : 65536); n++)
		fcntl((int)n, F_SETFD, FD_CLOEXEC);   /* EBADF where none is open */
}

static int version(int argc, char **argv)
{
	struct strvec rest = STRVEC_INIT;
	int rc = usage_no_options("version", argc, argv, &rest);
	if (!rc && rest.n) {
		fprintf(stderr, "linkmatrix version: takes no operands\n");
		rc = 2;
	} else if (!rc) {
		printf("linkmatrix %s\n", LM_VERSION);
	}
	sv_clear(&rest);
	return rc < 0 ? 0 : rc;
}

static int dispatch(int argc, char **argv);

/* help CMD [SUB] is CMD [SUB] --help. */
static int help(int argc, char **argv)
{
	if (argc > 2 && argv[2][0] == '-') {   /* help --help: help's own */
		struct strvec none = STRVEC_INIT;
		int rc = usage_no_options("help", argc, argv, &none);
		sv_clear(&none);
		if (rc)
			return rc < 0 ? 0 : rc;
	}
	if (argc < 3 || argv[2][0] == '-') {
		usage_main(stdout);
		return 0;
	}
	/* Ended by NULL, as argv is: commands read it so (sv_pushv). */
	char **v = xmalloc(((size_t)argc + 1) * sizeof *v);
	v[0] = argv[0];
	for (int i = 2; i < argc; i++)
		v[i - 1] = argv[i];
	v[argc - 1] = "--help";
	v[argc] = NULL;
	int rc = dispatch(argc, v);
	free(v);
	return rc;
}

static int dispatch(int argc, char **argv)
{
	static const struct command commands[] = {
		{ "run", cmd_run }, { "list", cmd_info }, { "linkers", cmd_info },
		{ "targets", cmd_info }, { "validate", cmd_info }, { "elf", cmd_elf },
		{ "report", cmd_report }, { "repro", cmd_repro }, { "import", cmd_import },
		{ "suite", cmd_suite }, { "version", version }, { "help", help },
	};
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(1, argv);
	if (!strcmp(argv[1], "--version"))
		return version(argc, argv);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc, argv);
	return usage_unknown(NULL, argv[1], commands, ARRAY_LEN(commands));
}

int main(int argc, char **argv)
{
	fill_std_fds();
	hold_inherited_fds();
	/* Compilers, linkers and test programs speak the C locale, as under
	 * DejaGnu: messages that cases match are in English, and cached
	 * output is the same whoever ran it. A case's env may set another. */
	setenv("LC_ALL", "C", 1);
	/* What the harness's children leave behind becomes its own, to be
	 * killed (os/reaper.h). */
	reaper_init();
	return dispatch(argc, argv);
}
