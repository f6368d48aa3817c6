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


static void usage(FILE *f)
{
	fputs("usage: linkmatrix COMMAND [ARGS]\n\n"
	      "commands:\n"
	      "  run [CASE|DIR|FILE...]   build, link with every linker, run and check\n"
	      "  list [CASE|DIR|FILE...]  the cases, their variants and tags\n"
	      "  linkers                  the linkers of linkers.d: found or why not\n"
	      "  targets                  the targets of targets.d: usable or why not\n"
	      "  validate FILE...         check case files without running them\n"
	      "  elf check [--profile P,...] [--json] FILE...\n"
	      "                           the loader rules a file breaks (0 clean, 1 findings,\n"
	      "                           2 unreadable)\n"
	      "  elf rules                every loader rule, its profiles and consequence\n"
	      "  elf diff FILE REF...     FILE's structure where it differs from every REF\n"
	      "  elf show FILE...         header, interpreter, program headers, dynamic section\n"
	      "  repro CASE[:VARIANT] --linker L [--target T] [-o DIR]\n"
	      "                           a directory with the case and repro.sh, which\n"
	      "                           replays the test without linkmatrix\n"
	      "  import wild DIR -o OUTDIR\n"
	      "                           Wild's tests as case files, what they lose reported\n"
	      "  suite mold DIR [-j N] [--linker L]... [--filter RE] [-o OUTDIR] ...\n"
	      "                           mold's own test scripts, run with every linker\n"
	      "  report merge RESULTS.json... -o DIR\n"
	      "                           the reports of shards as one\n"
	      "  report compare OLD.json NEW.json\n"
	      "                           newly failing, newly passing, changed\n"
	      "  version                  the harness's version\n\n"
	      "'linkmatrix run --help' lists the run options; LINKMATRIX_OPTS is\n"
	      "prepended to them. Exit status: 0 nothing unexpected, 1 a test failed,\n"
	      "2 usage or configuration error.\n", f);
}

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

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} commands[] = {
		{ "run", cmd_run }, { "list", cmd_info }, { "linkers", cmd_info },
		{ "targets", cmd_info }, { "validate", cmd_info }, { "elf", cmd_elf },
		{ "report", cmd_report }, { "repro", cmd_repro }, { "import", cmd_import },
		{ "suite", cmd_suite },
	};
	fill_std_fds();
	hold_inherited_fds();
	/* Compilers, linkers and test programs speak the C locale, as under
	 * DejaGnu: messages that cases match are in English, and cached
	 * output is the same whoever ran it. A case's env may set another. */
	setenv("LC_ALL", "C", 1);
	/* What the harness's children leave behind becomes its own, to be
	 * killed (os/reaper.h). */
	reaper_init();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("linkmatrix %s\n", LM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc, argv);
	fprintf(stderr, "linkmatrix: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
