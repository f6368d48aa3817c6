/* linkmatrix import wild DIR -o OUTDIR: Wild's integration tests
 * (wild/tests/sources/elf/NAME/NAME.c and .cc, .s) as case files, one per
 * config that is not abstract, with what linkmatrix cannot express
 * reported on stderr and in the summary. The command line is all there is
 * here; import/ translates, and docs/import-wild.md is its table. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "import/import.h"
#include "load/setup.h"

int cmd_import(int argc, char **argv)
{
	const char *out = NULL, *linkers_dir = NULL, *targets_dir = NULL;
	bool help = false;
	const struct opt opts[] = {
		{ "output", 'o', OPT_STR, &out, "OUTDIR", "where to write the case files (required)" },
		{ "linkers-dir", 0, OPT_STR, &linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &targets_dir, "DIR", "target definitions" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strvec rest = STRVEC_INIT, tests = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	struct setup s = { 0 };
	struct importer im = { 0 };
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 2, &rest, &err) < 0)
		goto out;
	if (help) {
		printf("usage: linkmatrix import wild DIR -o OUTDIR\n"
		       "DIR: Wild's wild/tests/sources/elf; each NAME/NAME.c, .cc or .s under it\n"
		       "becomes OUTDIR/NAME[-CONFIG].yaml (docs/import-wild.md)\n\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	if (rest.n != 2 || strcmp(rest.v[0], "wild") || !out) {
		sb_adds(&err, "usage: linkmatrix import wild DIR -o OUTDIR");
		goto out;
	}
	im.dir = rest.v[1];
	im.outdir = out;
	if (setup_config(&s, argv[0], linkers_dir, targets_dir, NULL) < 0)
		goto out;
	im.linkers = &s.ls.names;
	if (import_find_tests(im.dir, &tests) < 0) {
		sb_addf(&err, "cannot read %s: %s", im.dir, strerror(errno));
		goto out;
	}
	if (mkdir_p(out) < 0) {
		sb_addf(&err, "cannot make %s: %s", out, strerror(errno));
		goto out;
	}
	import_all(&im, &tests);
	import_summary(&im);
	rc = im.failed ? 1 : 0;
out:
	if (err.len)
		fprintf(stderr, "linkmatrix import: %s\n", err.buf);
	for (size_t i = 0; i < im.nlost; i++)
		free(im.lost[i].name);
	free(im.lost);
	sv_clear(&im.written);
	sv_clear(&tests);
	sv_clear(&rest);
	sb_free(&err);
	if (s.home)
		setup_free(&s);
	return rc;
}
