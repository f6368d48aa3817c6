/* The usage of every command and subcommand, in one table: the top
 * level's help, each command's --help and the unknown-command message are
 * made of it, and tests/e2e/manpage.t holds the man page to it. */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"

struct usage {
	const char *name, *synopsis, *summary;   /* synopsis: lines, '\n' between */
};

static const struct usage usages[] = {
	{ "run", "[CASE|DIR|FILE|TEST-ID...] [options]", "build, link with every linker, run and check" },
	{ "list", "[CASE|DIR|FILE...] [--names]", "the cases, their variants and tags" },
	{ "linkers", "[--linker NAME=PATH,...] [--names]", "the linkers of linkers.d: found or why not" },
	{ "targets", "[--names]", "the targets of targets.d: usable or why not" },
	{ "validate", "FILE|DIR...", "check case files without running them" },
	{ "elf check", "[--profile P,...] [--made-for P ...] [--json] FILE...\n"
		       "--case CASE.yaml --output NAME [--variant V] --made-for P ... FILE",
	  "the loader rules a file breaks" },
	{ "elf rules", "", "every loader rule, its profiles and consequence" },
	{ "elf diff", "FILE REFERENCE... [--ignore GLOB,...] [--json]",
	  "where FILE differs from every REFERENCE" },
	{ "elf show", "FILE...", "header, interpreter, program headers, dynamic section" },
	{ "repro", "CASE[:VARIANT] --linker L [--target T] [-o DIR] [options]",
	  "a directory whose repro.sh replays one test" },
	{ "import wild", "DIR -o OUTDIR [--all-linkers]",
	  "Wild's tests as case files, what they lose reported" },
	{ "suite mold", "DIR [options]", "mold's own test scripts, run with every linker" },
	{ "report merge", "RESULTS.json... -o DIR", "the reports of shards as one" },
	{ "report compare", "OLD.json NEW.json", "newly failing, newly passing, changed" },
	{ "version", "", "the harness's version" },
	{ "help", "[COMMAND [SUBCOMMAND]]", "this help, or a command's" },
};

/* name is the entry's name or the group (elf, report) it is of. */
static bool of(const struct usage *u, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(u->name, name, n) && (!u->name[n] || u->name[n] == ' ');
}

void usage_print(FILE *f, const char *name)
{
	const char *head = "usage:";
	for (size_t i = 0; i < ARRAY_LEN(usages); i++) {
		if (!of(&usages[i], name))
			continue;
		for (const char *s = usages[i].synopsis;; s++) {
			int len = (int)strcspn(s, "\n");
			fprintf(f, "%-6s linkmatrix %s%s%.*s\n", head, usages[i].name, len ? " " : "",
				len, s);
			head = "";
			if (!*(s += len))
				break;
		}
	}
}

void usage_main(FILE *f)
{
	fputs("usage: linkmatrix COMMAND [ARGS]\n\ncommands:\n", f);
	for (size_t i = 0; i < ARRAY_LEN(usages); i++) {
		const struct usage *u = &usages[i];
		int len = (int)strcspn(u->synopsis, "\n");
		int w = fprintf(f, "  %s%s%.*s", u->name, len ? " " : "", len, u->synopsis);
		fprintf(f, "%*s%s\n", w < 28 ? 28 - w : 0, w < 28 ? "" : "\n                            ",
			u->summary);
	}
	fputs("\n'linkmatrix COMMAND --help' (or 'linkmatrix help COMMAND') lists a command's\n"
	      "options.\n\n"
	      "environment:\n"
	      "  LINKMATRIX_HOME          the directory of cases/, linkers.d/ and targets.d/\n"
	      "                           (default: the source tree the program was built in,\n"
	      "                           else the installed data directory)\n"
	      "  LINKMATRIX_OPTS          words put before the options of run\n"
	      "  LINKMATRIX_CACHE         the compile and link cache; '' or 'off': none\n"
	      "                           (default: $XDG_CACHE_HOME/linkmatrix, ~/.cache/linkmatrix)\n"
	      "  LINKMATRIX_LINKER_NAME   the binary of linker NAME (upper case, '_' for\n"
	      "                           others), e.g. LINKMATRIX_LINKER_LLD\n"
	      "  LINKMATRIX_SSH_TARGET    [user@]host[:port] of an ssh target (its name upper\n"
	      "                           case, '_' for others); LINKMATRIX_SSH_TARGET_IDENTITY\n"
	      "                           its key\n\n"
	      "exit status: 0 nothing unexpected, 1 a test failed (or a finding), 2 usage or\n"
	      "configuration error, 128+N killed by signal N (the reports marked incomplete).\n",
	      f);
}

int usage_unknown(const char *group, const char *word, const struct command *cmds, size_t n)
{
	const char **names = xmalloc((n ? n : 1) * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = cmds[i].name;
	const char *near = did_you_mean(word, names, n);
	fprintf(stderr, "linkmatrix%s%s: unknown %scommand '%s'", group ? " " : "", group ? group : "",
		group ? "sub" : "", word);
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fputs("\n", stderr);
	free(names);
	if (group)
		usage_print(stderr, group);
	else
		fputs("see 'linkmatrix --help'\n", stderr);
	return 2;
}

int cmd_dispatch(int argc, char **argv, const struct command *cmds, size_t n)
{
	const char *word = argc > 2 ? argv[2] : NULL;
	if (!word || !strcmp(word, "--help") || !strcmp(word, "-h")) {
		usage_print(word ? stdout : stderr, argv[1]);
		return word ? 0 : 2;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(word, cmds[i].name))
			return cmds[i].fn(argc, argv);
	return usage_unknown(argv[1], word, cmds, n);
}

int usage_no_options(const char *name, int argc, char **argv, struct strvec *operands)
{
	bool help = false;
	const struct opt opts[] = { { "help", 'h', OPT_FLAG, &help, NULL, "this help" } };
	struct strbuf err = STRBUF_INIT;
	int first = strchr(name, ' ') ? 3 : 2, rc = 0;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, first, operands, &err) < 0) {
		fprintf(stderr, "linkmatrix %s: %s\n", name, err.buf);
		usage_print(stderr, name);
		rc = 2;
	} else if (help) {
		usage_print(stdout, name);
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = -1;
	}
	sb_free(&err);
	return rc;
}
