/* One script of a suite with one linker, as mold's CMake runs it: `bash -x
 * SCRIPT` in a directory where the linker's names run the linker (mold's
 * build directory holds `mold` and `ld`; the scripts link with `$CC -B.`
 * and call ./mold), stdin /dev/null, LC_ALL=C (main sets it). Read as
 * mold's test/elf/common.inc writes it: `skipped` at the end is SKIP,
 * `OK` PASS, and a failure says `command failed: LINE: COMMAND`. */
#include "suite/suite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/exec.h"
#include "os/proc.h"

/* The names mold's scripts and compiler drivers run a linker by. */
static const char *const names[] = { "ld", "mold", "ld.mold", "ld.lld", "ld.bfd", "ld.gold" };

/* What results.json keeps of a command's output: the end of the trace,
 * where the script stopped. */
#define OUTPUT_TAIL 16384

static const struct suite_ctx *ctx;

int suite_make_shims(struct linker_set *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		for (size_t k = 1; ls->v[i].host.found && k < ARRAY_LEN(names); k++)
			if (linker_shim_alias(&ls->v[i].host, names[k]) < 0)
				return -1;
	return 0;
}

/* t->dir, new, with each name a link into the linker's shim directory. */
static int scratch(const struct test *t)
{
	rm_rf(t->dir);
	if (mkdir_p(t->dir) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *from = path_join(t->l->host.shimdir, names[i]), *to = path_join(t->dir, names[i]);
		int rc = symlink(from, to);
		free(from);
		free(to);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The text's last line that is not blank, as [*line, *line + *len). */
static void last_line(const struct strbuf *sb, const char **line, size_t *len)
{
	const char *s = sb_str(sb);
	size_t n = sb->len;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	size_t start = n;
	while (start && s[start - 1] != '\n')
		start--;
	*line = s + start;
	*len = n - start;
}

static bool ends_with(const struct strbuf *sb, const char *word)
{
	const char *line;
	size_t len, n = strlen(word);
	last_line(sb, &line, &len);
	return len >= n && !memcmp(line + len - n, word, n);
}

/* common.inc's on_error line, the last one: the script's own word on
 * where it stopped. */
static char *failed_line(const struct strbuf *out)
{
	static const char mark[] = "command failed: ";
	const char *s = sb_str(out), *found = NULL;
	for (const char *p = s; (p = strstr(p, mark)); p++)
		found = p;
	return found ? xstrndup(found, strcspn(found, "\n")) : NULL;
}

static void judge(struct result *r, const struct proc *p)
{
	struct strbuf how = STRBUF_INIT;
	proc_describe(p, &how);
	char *failed = failed_line(&p->out);
	if (p->exec_errno)
		result_set(r, OUT_ERROR, STAGE_SUITE_SCRIPT, "bash %s", how.buf);
	else if (p->timed_out)
		result_set(r, OUT_TIMEOUT, STAGE_SUITE_SCRIPT, "the script %s", how.buf);
	else if (!proc_ok(p))
		result_set(r, OUT_FAIL, STAGE_SUITE_SCRIPT, "%s", failed ? failed : how.buf);
	else if (ends_with(&p->out, "skipped"))
		result_set(r, OUT_SKIP, STAGE_NONE, "the script skipped itself");
	else if (ends_with(&p->out, "OK"))
		r->outcome = OUT_PASS;
	else
		result_set(r, OUT_FAIL, STAGE_SUITE_SCRIPT, "the script ended with exit 0 but "
			   "printed neither OK nor skipped last");
	free(failed);
	sb_free(&how);
}

static void run_script(struct test *t)
{
	struct result *r = &t->res;
	t->dir = xasprintf("%s/%s", t->u->dir, t->l->name);
	if (scratch(t) < 0) {
		result_set(r, OUT_ERROR, STAGE_SUITE_SCRIPT, "cannot prepare %s: %s", t->dir,
			   strerror(errno));
		return;
	}
	char *argv[] = { "bash", "-x", (char *)t->u->c->path, NULL };
	struct proc p = { .argv = argv, .cwd = t->dir, .timeout = ctx->timeout,
			  .out_cap = OUTPUT_TAIL, .keep_tail = true,
			  .kill_after = PROC_RUNAWAY_OUTPUT };
	proc_run(&p);
	r->failed_log = result_log(r, &p, t->dir);
	judge(r, &p);
	proc_release(&p);
}

/* As a run keeps a test's: the directory of a script that failed
 * unexpectedly, the command of one that did not pass (and all with
 * --keep). The unit's directory goes with its last test when that leaves
 * it empty: not before, when another linker's may be making its own in
 * it. */
static void tidy(struct test *t)
{
	enum outcome o = t->res.outcome;
	if (!ctx->keep && (o == OUT_PASS || o == OUT_SKIP))
		result_drop_logs(&t->res);
	if (!ctx->keep && (o == OUT_PASS || o == OUT_SKIP || o == OUT_XFAIL))
		rm_rf(t->dir);
	if (atomic_fetch_sub(&t->u->pending, 1) == 1)
		rmdir(t->u->dir);
}

static void script_job(struct job *j)
{
	struct test *t = j->arg;
	double start = now_seconds();
	run_script(t);
	exec_apply_xfail(t, ctx->known);
	t->res.secs = now_seconds() - start;
	t->done = true;
	tidy(t);
	ctx->report(t, ctx->report_arg);
}

void suite_schedule(struct plan *p, struct sched *sc, const struct suite_ctx *x)
{
	ctx = x;
	for (size_t i = 0; i < p->ntests; i++) {
		struct test *t = p->tests[i];
		if (t->done)
			continue;
		t->run_job.run = script_job;
		t->run_job.arg = t;
		sched_add(sc, &t->run_job);
	}
}
