/* linkmatrix report merge | compare: reports made from results.json files. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "report/write.h"
#include "results/compare.h"
#include "results/merge.h"
#include "results/results.h"

static int load_all(char *const *paths, size_t n, struct report *v, struct strbuf *err)
{
	for (size_t i = 0; i < n; i++)
		if (report_read_json(&v[i], paths[i], err) < 0) {
			while (i--)
				report_free(&v[i]);
			return -1;
		}
	return 0;
}

static int merge(int argc, char **argv)
{
	const char *outdir = NULL;
	bool help = false;
	struct strvec files = STRVEC_INIT;
	const struct opt opts[] = {
		{ "output", 'o', OPT_STR, &outdir, "DIR", "where the merged reports go (required)" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT;
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 3, &files, &err) < 0 || help ||
	    !outdir || !files.n) {
		if (!err.len && !help)
			sb_adds(&err, "name the results.json files and -o DIR");
		if (err.len)
			fprintf(stderr, "linkmatrix report merge: %s\n", err.buf);
		printf("usage: linkmatrix report merge RESULTS.json... -o DIR\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = help ? 0 : 2;
		goto out;
	}
	struct report *in = xcalloc(files.n, sizeof *in), merged;
	if (load_all(files.v, files.n, in, &err) == 0) {
		if (report_merge(in, files.v, files.n, &merged, &err) == 0) {
			if (mkdir_p(outdir) == 0 && reports_write(outdir, &merged, &err) == 0) {
				printf("linkmatrix: merged %zu reports, %zu tests%s, into %s/\n", files.n,
				       merged.n, merged.complete ? "" : " (incomplete)", outdir);
				rc = 0;
			} else if (!err.len) {
				sb_addf(&err, "cannot make %s", outdir);
			}
			report_free(&merged);
		}
		for (size_t i = 0; i < files.n; i++)
			report_free(&in[i]);
	}
	free(in);
	if (rc)
		fprintf(stderr, "linkmatrix report merge: %s\n", err.buf);
out:
	sv_clear(&files);
	sb_free(&err);
	return rc;
}

static int compare(int argc, char **argv)
{
	struct strvec files = STRVEC_INIT;
	bool help = false;
	const struct opt opts[] = {
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 3, &files, &err) < 0 || help ||
	    files.n != 2) {
		fprintf(help ? stdout : stderr, "usage: linkmatrix report compare OLD.json NEW.json\n"
			"exit status: 0 nothing newly failing, 1 something is, 2 unreadable input\n");
		rc = help ? 0 : 2;
		goto out;
	}
	struct report r[2];
	if (load_all(files.v, 2, r, &err) < 0) {
		fprintf(stderr, "linkmatrix report compare: %s\n", err.buf);
		goto out;
	}
	rc = report_compare(&r[0], &r[1], &out) ? 1 : 0;
	fputs(out.buf, stdout);
	report_free(&r[0]);
	report_free(&r[1]);
out:
	sv_clear(&files);
	sb_free(&err);
	sb_free(&out);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[2], "merge"))
		return merge(argc, argv);
	if (argc > 2 && !strcmp(argv[2], "compare"))
		return compare(argc, argv);
	fprintf(stderr, "usage: linkmatrix report merge RESULTS.json... -o DIR\n"
			"       linkmatrix report compare OLD.json NEW.json\n");
	return 2;
}
