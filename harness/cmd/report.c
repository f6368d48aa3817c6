/* linkmatrix report merge | compare: reports made from results.json files. */
#include "cmd/cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "os/proc.h"
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

/* The merge proper, in the directory it is given: 0, or 2 with a message. */
static int merge_into(char *const *files, size_t n, const char *dir, const char *shown)
{
	struct strbuf err = STRBUF_INIT;
	int rc = 2;
	allow_open_files(n);
	struct report *in = xcalloc(n, sizeof *in), merged;
	if (open_all(files, n, in, &err) == 0) {
		/* The merged records wait beside the reports made of them. */
		if (report_merge(in, files, n, dir, &merged, &err) == 0) {
			if (reports_write(dir, &merged, &err) == 0) {
				char *why = merged.complete ? NULL : xvisible(merged.incomplete, 4096);
				printf("linkmatrix: merged %zu reports, %zu tests%s%s%s, into %s/\n", n,
				       merged.n, why ? " (incomplete: " : "", why ? why : "",
				       why ? ")" : "", shown);
				free(why);
				rc = 0;
			}
			report_free(&merged);
		}
		for (size_t i = 0; i < n; i++)
			report_free(&in[i]);
	}
	free(in);
	if (rc)
		fprintf(stderr, "linkmatrix report merge: %s\n", err.buf);
	fflush(stdout);
	sb_free(&err);
	return rc;
}

/* An interrupted merge leaves nothing half-made (a merge of 100,000
 * results takes 10 s): a child merges into a directory of its own beside
 * DIR; a signal ends it (a terminal's reaches it too; one sent to the
 * parent alone, the parent passes on as SIGKILL) and the parent removes
 * that directory. A finished merge is moved into place with signals
 * held: DIR has all of the new reports or none of them. */
static volatile sig_atomic_t stopped;

static void on_stop(int sig)
{
	stopped = sig;
}

/* DIR made new by a rename, or, where it is there, each file renamed into it. */
static int publish(const char *tmp, const char *dir, struct strbuf *err)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int rc = rename(tmp, dir);
	if (rc < 0 && (errno == EEXIST || errno == ENOTEMPTY)) {
		struct strvec names = STRVEC_INIT;
		rc = list_names(tmp, &names);
		for (size_t i = 0; rc == 0 && i < names.n; i++) {
			char *from = path_join(tmp, names.v[i]), *to = path_join(dir, names.v[i]);
			rc = rename(from, to);
			free(from);
			free(to);
		}
		sv_clear(&names);
		if (rc == 0)
			rmdir(tmp);
	}
	if (rc < 0)
		sb_addf(err, "cannot move the merged reports from %s into %s: %s", tmp, dir,
			strerror(errno));
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* A fresh directory beside dir, or NULL with the reason in err. */
static char *scratch_beside(const char *dir, struct strbuf *err)
{
	char *parent = path_dir(dir);
	char *tmp = xasprintf("%s/.%s.merging.XXXXXX", parent, path_base(dir));
	mode_t mask = umask(0);   /* the mode DIR would have been made with */
	umask(mask);
	if (mkdir_p(parent) < 0 || !mkdtemp(tmp) || chmod(tmp, 0777 & ~mask) < 0) {
		sb_addf(err, "cannot make a directory beside %s: %s", dir, strerror(errno));
		free(tmp);
		tmp = NULL;
	}
	free(parent);
	return tmp;
}

static int merge_apart(char *const *files, size_t n, const char *dir)
{
	struct strbuf err = STRBUF_INIT;
	char *tmp = scratch_beside(dir, &err);
	int rc = 2, status = 0;
	if (!tmp)
		goto out;
	catch_interrupts(on_stop);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		catch_interrupts(SIG_DFL);
		rc = stopped ? 128 + stopped : merge_into(files, n, tmp, dir);
		free(tmp);   /* the parent's, left to it (valgrind counts a leak) */
		_exit(rc);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		if (stopped)
			kill(pid, SIGKILL);
	if (pid < 0)
		sb_addf(&err, "cannot start the merge: %s", strerror(errno));
	else if (stopped)
		rc = 128 + stopped;
	else if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		sb_addf(&err, "the merge was killed by %s: nothing written to %s",
			signal_name(WTERMSIG(status)), dir);
	if (rc == 0 && publish(tmp, dir, &err) < 0)
		rc = 2;
	if (rc)
		rm_rf(tmp);
	if (stopped)
		fprintf(stderr, "linkmatrix report merge: interrupted by %s: nothing written to %s\n",
			signal_name(stopped), dir);
	free(tmp);
out:
	if (err.len)
		fprintf(stderr, "linkmatrix report merge: %s\n", err.buf);
	sb_free(&err);
	return rc;
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
		usage_print(help ? stdout : stderr, "report merge");
		cli_help(help ? stdout : stderr, opts, ARRAY_LEN(opts));
		rc = help ? 0 : 2;
	} else {
		rc = merge_apart(files.v, files.n, outdir);
	}
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
		if (err.len)
			fprintf(stderr, "linkmatrix report compare: %s\n", err.buf);
		usage_print(help ? stdout : stderr, "report compare");
		fprintf(help ? stdout : stderr, "exit status: 0 nothing newly failing, 1 something is, 2 unreadable input\n");
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
	static const struct command subs[] = { { "merge", merge }, { "compare", compare } };
	return cmd_dispatch(argc, argv, subs, ARRAY_LEN(subs));
}
