/* linkmatrix import wild DIR -o OUTDIR: Wild's integration tests (its
 * tests/sources, in either layout Wild has had) as case files, one per
 * config that is not abstract, with what linkmatrix cannot express in the
 * summary and the details file. The command line is all there is here;
 * import/ translates, and docs/import-wild.md is its table. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "import/import.h"
#include "load/setup.h"

static int import_wild(int argc, char **argv)
{
	const char *out = NULL, *linkers_dir = NULL, *targets_dir = NULL;
	bool help = false, all_linkers = false;
	const struct opt opts[] = {
		{ "output", 'o', OPT_STR, &out, "OUTDIR", "where to write the case files (required)" },
		{ "all-linkers", 0, OPT_FLAG, &all_linkers, NULL,
		  "cases for every linker of linkers.d, not Wild's set (ld, wild, what EnableLinker adds)" },
		{ "linkers-dir", 0, OPT_STR, &linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &targets_dir, "DIR", "target definitions" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strvec rest = STRVEC_INIT, tests = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	struct setup s = { 0 };
	struct importer im = { 0 };
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 3, &rest, &err) < 0)
		goto out;
	if (help) {
		usage_print(stdout, "import wild");
		printf("DIR: Wild's tests/sources (of the wild-linker crate, or wild/tests/sources of\n"
		       "its repository); each test becomes OUTDIR/NAME[-CONFIG].yaml, what was not\n"
		       "translated goes to OUTDIR/import-wild.txt (docs/import-wild.md). Exit status\n"
		       "0: every test translated whole; 1: something was not, or a test failed\n\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	if (rest.n != 1 || !out) {
		sb_adds(&err, "name one DIR and -o OUTDIR (see 'linkmatrix import wild --help')");
		goto out;
	}
	im.outdir = out;
	im.all_linkers = all_linkers;
	if (setup_config(&s, argv[0], linkers_dir, targets_dir, NULL, NULL) < 0)
		goto out;
	im.linkers = &s.ls.names;
	if (import_find_tests(&im, rest.v[0], &tests, &err) < 0)
		goto out;
	if (mkdir_p(out) < 0) {
		sb_addf(&err, "cannot make %s: %s", out, strerror(errno));
		goto out;
	}
	import_all(&im, &tests);
	rc = import_summary(&im) < 0 || im.failed || im.weakened || im.skipped;
out:
	if (err.len)
		fprintf(stderr, "linkmatrix import: %s\n", err.buf);
	import_free(&im);
	sv_clear(&tests);
	sv_clear(&rest);
	sb_free(&err);
	if (s.home)
		setup_free(&s);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	static const struct command subs[] = { { "wild", import_wild } };
	return cmd_dispatch(argc, argv, subs, ARRAY_LEN(subs));
}
