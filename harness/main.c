/* linkmatrix: a linker test harness. Dispatches the commands. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/elf.h"
#include "import/wild.h"
#include "cmd/report.h"
#include "cmd/repro.h"
#include "cmd/run.h"
#include "load/setup.h"
#include "cmd/version.h"


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
	      "  report merge RESULTS.json... -o DIR\n"
	      "                           the reports of shards as one\n"
	      "  report compare OLD.json NEW.json\n"
	      "                           newly failing, newly passing, changed\n"
	      "  version                  the harness's version\n\n"
	      "'linkmatrix run --help' lists the run options; LINKMATRIX_OPTS is\n"
	      "prepended to them. Exit status: 0 nothing unexpected, 1 a test failed,\n"
	      "2 usage or configuration error.\n", f);
}

struct config_opts {
	const char *linkers_dir, *targets_dir;
	bool help;
};

static int parse_config_opts(int argc, char **argv, struct config_opts *o, struct strvec *rest)
{
	const struct opt opts[] = {
		{ "linkers-dir", 0, OPT_STR, &o->linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &o->targets_dir, "DIR", "target definitions" },
		{ "help", 'h', OPT_FLAG, &o->help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT;
	int rc = cli_parse(opts, ARRAY_LEN(opts), argc, argv, 2, rest, &err);
	if (rc < 0)
		fprintf(stderr, "linkmatrix %s: %s\n", argv[1], err.buf);
	if (o->help)
		cli_help(stdout, opts, ARRAY_LEN(opts));
	sb_free(&err);
	return rc;
}

static void print_linkers(const struct setup *s)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		const struct linker *l = &s->ls.v[i];
		if (l->host.found)
			printf("%-10s %-9s %s (%s)\n", l->name, l->host.version, l->host.path,
			       l->description ? l->description : "");
		else
			printf("%-10s %-9s %s\n", l->name, "-", l->host.why);
		for (size_t k = 0; k < l->nat; k++) {
			const struct linker_at *a = &l->at[k];
			if (!a->owned)
				continue;
			if (a->found)
				printf("%-10s %-9s %s (for %s)\n", "", a->version, a->path, a->t->name);
			else
				printf("%-10s %-9s for %s: %s\n", "", "-", a->t->name, a->why);
		}
	}
}

static void print_targets(const struct setup *s)
{
	static const char *const runners[] = { [RUNNER_NATIVE] = "native", [RUNNER_QEMU_USER] = "qemu-user", [RUNNER_SSH] = "ssh" };
	for (size_t i = 0; i < s->ts.n; i++) {
		const struct target *t = &s->ts.v[i];
		printf("%-22s %-7s %s %s %s, cc %s, runner %s, reference %s, profile %s%s", t->name,
		       t->usable ? "usable" : "-", t->os, t->arch, t->libc, t->cc,
		       runners[t->runner], t->reference_linker, t->prof.name,
		       t->is_default ? ", default" : "");
		if (t->usable)
			printf("\n    %s\n", t->cc_version ? t->cc_version : "");
		if (t->usable && t->no_static_pie)
			printf("    no static-pie: %s\n", t->no_static_pie);
		else if (!t->usable)
			printf("\n    not usable: %s\n", t->why);
	}
}

static void print_cases(const struct setup *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const struct loaded_case *lc = &s->cases[i];
		if (!lc->c) {
			printf("%s: broken\n%s", lc->path, lc->errors ? lc->errors : "");
			continue;
		}
		printf("%-32s", lc->c->name);
		for (size_t v = 0; v < lc->c->nvariants; v++)
			printf("%s%s", v ? "," : " ", lc->c->variants[v].name);
		if (lc->c->tags.n) {
			printf("  [");
			for (size_t t = 0; t < lc->c->tags.n; t++)
				printf("%s%s", t ? " " : "", lc->c->tags.v[t]);
			printf("]");
		}
		printf("\n");
	}
}

/* Commands that read the configuration and the case files. */
static int cmd_info(int argc, char **argv)
{
	struct config_opts o = { 0 };
	struct strvec rest = STRVEC_INIT;
	if (parse_config_opts(argc, argv, &o, &rest) < 0 || o.help) {
		sv_clear(&rest);
		return o.help ? 0 : 2;
	}
	const char *cmd = argv[1];
	bool cases = !strcmp(cmd, "list") || !strcmp(cmd, "validate");
	struct setup s;
	int rc = 2;
	if (!strcmp(cmd, "validate") && !rest.n) {
		fprintf(stderr, "linkmatrix validate: name the case files to check\n");
	} else if (setup_config(&s, argv[0], o.linkers_dir, o.targets_dir, !cases) == 0) {
		struct strbuf err = STRBUF_INIT;
		rc = 0;
		if (cases && setup_cases(&s, sv_argv(&rest), rest.n, &err) < 0) {
			fprintf(stderr, "linkmatrix %s: %s\n", cmd, err.buf);
			rc = 2;
		} else if (!strcmp(cmd, "list")) {
			print_cases(&s);
		} else if (!strcmp(cmd, "validate")) {
			for (size_t i = 0; i < s.ncases; i++) {
				if (s.cases[i].c)
					continue;
				fputs(s.cases[i].errors, stderr);
				rc = 1;
			}
			if (!rc)
				printf("%zu case files are valid\n", s.ncases);
		} else if (!strcmp(cmd, "linkers")) {
			print_linkers(&s);
		} else {
			print_targets(&s);
		}
		sb_free(&err);
	}
	setup_free(&s);
	sv_clear(&rest);
	return rc;
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
	};
	fill_std_fds();
	hold_inherited_fds();
	/* Compilers, linkers and test programs speak the C locale, as under
	 * DejaGnu: messages that cases match are in English, and cached
	 * output is the same whoever ran it. A case's env may set another. */
	setenv("LC_ALL", "C", 1);
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
