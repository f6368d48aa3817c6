/* linkmatrix report merge | compare: reports made from results.json files. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cmd/cli.h"
#include "report/write.h"
#include "results/compare.h"
#include "results/merge.h"
#include "results/results.h"

static int open_all(char *const *paths, size_t n, struct report *v, struct strbuf *err)
{
	for (size_t i = 0; i < n; i++)
		if (report_open_json(&v[i], paths[i], err) < 0) {
			while (i--)
				report_free(&v[i]);
			return -1;
		}
	return 0;
}

/* Merge reads every input at once, an open file each: room for them
 * under the hard limit, however many shards a split had. */
static void allow_open_files(size_t n)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)n + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
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
	allow_open_files(files.n);
	struct report *in = xcalloc(files.n, sizeof *in), merged;
	if (open_all(files.v, files.n, in, &err) == 0) {
		/* The merged records wait beside the reports made of them. */
		if (report_merge(in, files.v, files.n, outdir, &merged, &err) == 0) {
			if (reports_write(outdir, &merged, &err) == 0) {
				printf("linkmatrix: merged %zu reports, %zu tests%s, into %s/\n", files.n,
				       merged.n, merged.complete ? "" : " (incomplete)", outdir);
				rc = 0;
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
	if (open_all(files.v, 2, r, &err) < 0) {
		fprintf(stderr, "linkmatrix report compare: %s\n", err.buf);
		goto out;
	}
	/* Read as they are compared: nothing is printed before both were
	 * read whole. */
	size_t newly = report_compare(&r[0], &r[1], &out);
	if (report_json_done(&r[0], &err) == 0 && report_json_done(&r[1], &err) == 0) {
		rc = newly ? 1 : 0;
		fputs(out.buf, stdout);
	} else {
		fprintf(stderr, "linkmatrix report compare: %s\n", err.buf);
	}
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
