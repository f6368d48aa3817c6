#include "jobs/exec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elf/model.h"
#include "elf/show.h"
#include "jobs/cache.h"
#include "jobs/commands.h"
#include "jobs/inspect.h"
#include "jobs/loadmsg.h"
#include "jobs/proof.h"
#include "jobs/runner.h"
#include "os/spare.h"
#include "util/match.h"
#include "util/textdiff.h"

/* Bytes of each side shown when outputs are compared. */
enum { SHOW_MAX = 2000 };

static struct exec_ctx *ctx;

/* ---- running one command ------------------------------------------------ */

static void show_command(const struct proc *p, const char *cwd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "+ (cd %s && ", cwd);
	sb_add_argv(&sb, p->argv);
	sb_adds(&sb, ")\n");
	fputs(sb.buf, stderr);
	sb_free(&sb);
}

/* ---- a job's commands: run, or replayed from the cache ------------------ */

/* The compiles of a unit, or the links of a test, as one cache entry
 * (cache.h): the key is computed from every command before the first
 * runs; on a hit the commands' outcomes are handed out in order, on a
 * miss they are kept as they run and stored at the end. */
struct batch {
	const char *dir;
	char key[65];
	struct cache_bundle *bundle;   /* its unit's; NULL: not cached */
	struct cache_cmd *hit;    /* replaying these */
	size_t nhit, next;
	struct cache_cmd *ran;    /* run, to be kept */
	size_t nran;
	bool unfinished;          /* a command did not run to its end: keep nothing */
	struct strvec outputs;
};

/* Keys b (set up by batch_of) and takes its entry if there is one. The
 * compiles' key names the unit's bundle, which its tests then share.
 * argvs: the job's commands, NULL-terminated each, one after another in a
 * NULL-terminated list. */
static void batch_begin(struct batch *b, struct unit *u, const struct linker *l, bool compile,
			char **const *argvs)
{
	const struct target *t = u->t;
	const char *dir = b->dir;
	struct sha256 k;
	cache_key_begin(&k, compile ? "compile" : "link");
	cache_key_str(&k, t->name);
	cache_key_str(&k, t->cc_version);
	const char *ids[] = { cache_tool_id(ctx->cache_dir, t->cc_path),
			      t->cxx_path ? cache_tool_id(ctx->cache_dir, t->cxx_path) : "",
			      t->ar_path ? cache_tool_id(ctx->cache_dir, t->ar_path) : "",
			      t->default_ld ? cache_tool_id(ctx->cache_dir, t->default_ld) : "",
			      /* read only for the units that use them */
			      u->clang && t->clang_path ? cache_tool_id(ctx->cache_dir, t->clang_path) : "",
			      u->clang && t->clangxx_path ?
			      cache_tool_id(ctx->cache_dir, t->clangxx_path) : "",
			      u->rust && t->rustc_path ? cache_tool_id(ctx->cache_dir, t->rustc_path) : "",
			      l ? cache_tool_id(ctx->cache_dir, linker_for(l, t)->path) : "" };
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		if (!ids[i])
			return;
		cache_key_str(&k, ids[i]);
	}
	for (size_t i = 0; argvs[i]; i++)
		cache_key_argv(&k, argvs[i], ctx->rundir);
	if (cache_key_dir(&k, dir) < 0)
		return;
	sha256_hex(&k, b->key);
	if (compile)
		u->bundle = cache_bundle_open(ctx->cache_dir, b->key, ctx->spares);
	if ((b->bundle = u->bundle))
		b->hit = cache_bundle_get(b->bundle, b->key, dir, ctx->spares, &b->nhit);
}

/* Runs a command of the job in its directory, or takes its outcome from
 * the entry; logs it in r. */
static size_t batch_run(struct batch *b, struct result *r, struct proc *p, const char *output)
{
	p->cwd = b->dir;
	/* A compiler or linker that prints without end is a runaway too: its
	 * output fills memory-backed files until it ends. */
	p->kill_after = PROC_RUNAWAY_OUTPUT;
	p->after_others = true;
	if (ctx->verbose)
		show_command(p, b->dir);
	if (output)
		sv_push(&b->outputs, output);
	if (b->hit && b->next < b->nhit) {
		struct cache_cmd *m = &b->hit[b->next++];
		p->status = m->status;
		p->exec_errno = 0;
		p->timed_out = p->flooded = false;
		p->cached = true;
		/* What it took when it ran, not nothing: a table of link
		 * times would take a cached link for a fast one. */
		p->wall = m->wall;
		p->cpu = m->cpu;
		sb_add_replacing(&p->out, sb_str(&m->out), m->out.len, RUNDIR_MARK, ctx->rundir);
		sb_add_replacing(&p->err, sb_str(&m->err), m->err.len, RUNDIR_MARK, ctx->rundir);
		p->out_total = m->out_total;
		p->err_total = m->err_total;
		atomic_fetch_add(&ctx->cache_hits, 1);
	} else {
		proc_run(p);
		bool ended = !p->exec_errno && !p->timed_out && !p->flooded && WIFEXITED(p->status);
		b->unfinished |= !ended;
		if (b->bundle && !b->hit && ended) {
			b->ran = xrealloc(b->ran, (b->nran + 1) * sizeof *b->ran);
			struct cache_cmd *m = &b->ran[b->nran++];
			*m = (struct cache_cmd){ p->status, STRBUF_INIT, STRBUF_INIT, p->out_total,
						 p->err_total, p->wall, p->cpu };
			sb_add_replacing(&m->out, sb_str(&p->out), p->out.len, ctx->rundir, RUNDIR_MARK);
			sb_add_replacing(&m->err, sb_str(&p->err), p->err.len, ctx->rundir, RUNDIR_MARK);
		}
	}
	size_t i = result_log(r, p, b->dir);
	proc_release(p);
	return i;
}

static void batch_end(struct batch *b)
{
	if (b->bundle && !b->hit && !b->unfinished && b->nran)
		cache_bundle_put(b->bundle, b->key, b->dir, b->outputs.v, b->outputs.n, b->ran, b->nran);
	cache_cmds_free(b->hit, b->nhit);
	cache_cmds_free(b->ran, b->nran);
	sv_clear(&b->outputs);
}

/* The line of a compiler's or linker's stderr that says what went wrong:
 * the first with one of these words; else the last line that is neither
 * a banner, a command line the driver echoed (-v), nor collect2's
 * summary, which says nothing the linker did not (GNU ld words some
 * errors without a keyword: "copy relocation against non-copyable
 * protected symbol"). */
static const char *const complaints[] = {
	"error", "fatal", "undefined reference", "cannot find", "multiple definition", "not found",
	"unknown", "unrecognized",
};

/* A command line as a driver echoes it: many options. */
static bool echoed_command(const char *p, size_t n)
{
	size_t opts = 0;
	for (size_t j = 0; j + 1 < n; j++)
		opts += p[j] == ' ' && p[j + 1] == '-';
	return opts >= 8;
}

static bool has_complaint(const char *p, size_t n)
{
	for (size_t k = 0; k < ARRAY_LEN(complaints); k++) {
		size_t kl = strlen(complaints[k]);
		for (size_t j = 0; j + kl <= n; j++)
			if (!strncmp(p + j, complaints[k], kl))
				return true;
	}
	return false;
}

static int first_complaint(const char *err, size_t len, const char **line)
{
	const char *last = NULL;
	size_t last_n = 0;
	for (const char *p = err, *end = err + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool other = !strncmp(p, "collect2: error: ", 17) || !strncmp(p, "collect2 version ", 17) ||
			     echoed_command(p, n);
		if (!other && has_complaint(p, n)) {
			*line = p;
			return n > 300 ? 300 : (int)n;
		}
		if (!other && n)
			last = p, last_n = n;
		p += n + 1;
	}
	*line = last;
	return last_n > 300 ? 300 : (int)last_n;
}

/* Fails r at stage s for the command at log index i, unless it succeeded. */
static bool command_ok(struct result *r, size_t i, const struct proc *p, enum stage s,
		       const char *what)
{
	if (proc_ok(p))
		return true;
	r->failed_log = i;
	const struct cmdlog *lg = &r->logs[i];
	const char *line = NULL;
	int n = first_complaint(lg->err, lg->err_len, &line);
	result_set(r, p->timed_out ? OUT_TIMEOUT : OUT_FAIL, s, "%s: %s%s%.*s", what, lg->how,
		   n ? ": " : "", n, n ? line : "");
	return false;
}

/* ---- build steps -------------------------------------------------------- */

static bool match_or_fail(struct result *r, size_t log, const struct regex *re,
			  const char *text, size_t len, const char *what)
{
	if (!re || regex_match(re, text, len, NULL))
		return true;
	r->failed_log = log;
	result_set(r, OUT_FAIL, STAGE_LINK, "%s does not match '%s'", what, regex_source(re));
	return false;
}

/* The first line of text[0, len) that says "warning" in any case, or NULL. */
static const char *warning_line(const char *text, size_t len, int *n)
{
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		for (size_t i = 0; i + 7 <= l; i++)
			if (!strncasecmp(p + i, "warning", 7)) {
				*n = l > 300 ? 300 : (int)l;
				return p;
			}
		p += l + 1;
	}
	return NULL;
}

/* expect: { warnings: none }: the link said nothing of a warning, on
 * stderr (without collect2's echo) or stdout. */
static bool no_warning(struct result *r, size_t log, const struct build_step *s,
		       const struct strbuf *err, const struct cmdlog *lg)
{
	if (!s->no_warnings)
		return true;
	int n = 0;
	const char *where = "stderr", *w = warning_line(sb_str(err), err->len, &n);
	if (!w)
		where = "stdout", w = lg->out ? warning_line(lg->out, lg->out_len, &n) : NULL;
	if (!w)
		return true;
	r->failed_log = log;
	result_set(r, OUT_FAIL, STAGE_LINK, "the link printed a warning (expected none) on its %s: %.*s",
		   where, n, w);
	return false;
}

enum step_end { STEP_OK, STEP_FAILED, STEP_EXPECTED_ERROR };

/* A link that exits 0 without writing its output is the linker's failure,
 * and said so: not a missing file found later. */
static bool wrote(struct result *r, size_t li, const char *dir, const char *output,
		  const char *what)
{
	char *path = path_join(dir, output);
	bool ok = access(path, F_OK) == 0;
	free(path);
	if (!ok) {
		r->failed_log = li;
		result_set(r, OUT_FAIL, STAGE_LINK, "%s: exit 0, but %s was not written", what, output);
	}
	return ok;
}

/* Step i is linked by the linker under test: not a reference's link, an
 * archive or an object made by the target's tools. */
static bool under_test(const struct unit *u, size_t i)
{
	return !u->c->steps[i].reference && !mode_by_tool(u->steps[i].mode);
}

/* A link by the linker under test that ran to its end, failing or not, is
 * timed; one that timed out or could not start says nothing of its speed. */
static void time_link(struct result *r, const struct proc *p)
{
	if (!p->exec_errno && !p->timed_out && !p->flooded && WIFEXITED(p->status))
		link_time_add(&r->link, p->wall, p->cpu, p->cached);
}

/* Makes one build step in the batch's directory; l is the linker under
 * test, or NULL for the default one. */
static enum step_end build_step(struct result *r, const struct unit *u, size_t i,
				const struct linker *l, struct batch *b)
{
	const struct build_step *s = &u->c->steps[i];
	struct strvec argv = STRVEC_INIT;
	link_argv(&argv, u, i, s->reference ? NULL : l);
	struct proc p = { .argv = sv_argv(&argv), .timeout = ctx->build_timeout };
	size_t li = batch_run(b, r, &p, s->output);
	sv_clear(&argv);
	if (l && under_test(u, i))
		time_link(r, &p);
	const struct cmdlog *lg = &r->logs[li];
	bool ok = proc_ok(&p);
	static const char *const verbs[MODE_COUNT] = { [MODE_ARCHIVE] = "archiving",
							[MODE_OBJECT] = "compiling" };
	const char *verb = verbs[u->steps[i].mode];
	char *what = xasprintf("%s %s", verb ? verb : "linking", s->output);
	struct strbuf err = STRBUF_INIT;
	proof_strip_echo(lg->err, lg->err_len, &err);
	enum step_end end = STEP_FAILED;
	if (s->expect_error && !p.timed_out && p.exec_errno == 0) {
		if (ok) {
			r->failed_log = li;
			result_set(r, OUT_FAIL, STAGE_LINK, "%s was expected to fail, but succeeded", what);
		} else if (match_or_fail(r, li, s->expect_stderr, sb_str(&err), err.len,
					 "the link's stderr") &&
			   match_or_fail(r, li, s->expect_stdout, lg->out, lg->out_len,
					 "the link's stdout") && no_warning(r, li, s, &err, lg)) {
			end = STEP_EXPECTED_ERROR;
		}
	} else if (command_ok(r, li, &p, STAGE_LINK, what) && wrote(r, li, b->dir, s->output, what) &&
		   match_or_fail(r, li, s->expect_stderr, sb_str(&err), err.len, "the link's stderr") &&
		   match_or_fail(r, li, s->expect_stdout, lg->out, lg->out_len, "the link's stdout") &&
		   no_warning(r, li, s, &err, lg)) {
		end = STEP_OK;
	}
	sb_free(&err);
	free(what);
	return end;
}

/* The files of dir that the link command of step i names (its inputs,
 * -lNAME as dir's libNAME.a or libNAME.so), not its output. */
static void link_inputs(const struct unit *u, size_t i, const struct linker *l, const char *dir,
			struct strvec *paths)
{
	struct strvec argv = STRVEC_INIT;
	link_argv(&argv, u, i, l);
	for (size_t k = 1; k < argv.n; k++) {
		const char *a = argv.v[k];
		if (!strncmp(a, "-Clink-arg=", 11))   /* given through rustc */
			a += 11;
		if (!strcmp(a, "-o")) {
			k++;
			continue;
		}
		char *lib = !strncmp(a, "-l", 2) && a[2] ? xasprintf("lib%s", a + 2) : NULL;
		for (int so = 0; so < (lib ? 2 : 1); so++) {
			char *name = lib ? xasprintf("%s.%s", lib, so ? "so" : "a") : xstrdup(a);
			char *path = *name == '/' ? xstrdup(name) : path_join(dir, name);
			struct stat st;
			if (*name != '-' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
				sv_push(paths, path);
			free(path);
			free(name);
		}
		free(lib);
	}
	sv_clear(&argv);
}

static bool prove(struct result *r, const struct test *t, size_t i, const struct elf_file *f,
		  const char *unreadable)
{
	const struct unit *u = t->u;
	const struct cmdlog *lg = &r->logs[r->nlogs - 1];
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct strvec inputs = STRVEC_INIT;
	if (u->steps[i].rust) {
		proof_rustc_text(lg->err, lg->err_len, &text);
	} else {
		sb_add(&text, lg->out, lg->out_len);
		sb_add(&text, lg->err, lg->err_len);
	}
	link_inputs(u, i, t->l, t->dir, &inputs);
	struct proof_input in = { sb_str(&text), text.len, u->c->steps[i].output, unreadable,
				  u->steps[i].mode, &inputs };
	bool ok = proof_check(t->l, ctx->linkers, &in, f, &why);
	if (!ok) {
		r->failed_log = r->nlogs - 1;
		result_set(r, OUT_FAIL, STAGE_PROOF, "%s", sb_str(&why));
	}
	sv_clear(&inputs);
	sb_free(&text);
	sb_free(&why);
	return ok;
}

/* The output of a step under test, read once: proved to be the linker's,
 * then checked against the loader rules and the case's expectations.
 * False when nothing after it can be built. */
static bool check_linked(struct test *t, size_t i)
{
	const struct unit *u = t->u;
	const char *output = u->c->steps[i].output;
	char *path = path_join(t->dir, output);
	struct strbuf unreadable = STRBUF_INIT;
	struct elf_file f;
	bool readable = elf_open(&f, path, &unreadable) == 0;
	const struct elf_file *fp = readable ? &f : NULL;
	bool ok = prove(&t->res, t, i, fp, unreadable.buf);
	/* Another kind of file than the mode asked for, or a broken rule,
	 * fails the test, but the program still runs: how it dies is half of
	 * the explanation. */
	struct inspect_ctx ic = { &u->t->prof, ctx->check_profiles, ctx->ncheck_profiles,
				  u->steps[i].mode };
	if (ok)
		inspect_output(&t->res, u->c, &ic, output, fp, unreadable.buf);
	if (readable)
		elf_close(&f);
	sb_free(&unreadable);
	free(path);
	return ok;
}

/* The commands of a job, for its cache key: a unit's compiles and shared
 * steps (l NULL, compile), or a test's own build steps. */
struct argvs {
	struct strvec *v;
	char ***list;             /* NULL-terminated */
	size_t n;
};

static void argvs_make(struct argvs *a, const struct unit *u, const struct linker *l, bool compile)
{
	size_t max = u->nobjs + u->c->nsteps;
	a->v = xcalloc(max + 1, sizeof *a->v);
	a->list = xcalloc(max + 1, sizeof *a->list);
	a->n = 0;
	for (size_t i = 0; compile && i < u->nobjs; i++)
		compile_argv(&a->v[a->n++], u, &u->objs[i]);
	for (size_t i = 0; i < u->c->nsteps; i++)
		if (u->steps[i].shared == compile)
			link_argv(&a->v[a->n++], u, i, u->c->steps[i].reference ? NULL : l);
	for (size_t i = 0; i < a->n; i++)
		a->list[i] = sv_argv(&a->v[i]);
}

static void argvs_free(struct argvs *a)
{
	for (size_t i = 0; i < a->n; i++)
		sv_clear(&a->v[i]);
	free(a->v);
	free(a->list);
}

static void batch_of(struct batch *b, const char *dir, struct unit *u, const struct linker *l,
		     bool compile)
{
	memset(b, 0, sizeof *b);
	b->dir = dir;
	if (!ctx->cache_dir)
		return;
	struct argvs a;
	argvs_make(&a, u, l, compile);
	batch_begin(b, u, l, compile, a.list);
	argvs_free(&a);
}

/* The unit's build directory once compiled: the objects, data files and
 * outputs of reference-linked steps a test's directory sees (sources are
 * the compiler's business only). Listed once, not once per test. */
static void list_built(struct unit *u, const char *build)
{
	DIR *d = opendir(build);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !source_kind(e->d_name))
			sv_push(&u->built, e->d_name);
	if (d)
		closedir(d);
}

/* ---- the compile job ---------------------------------------------------- */

static void compile_job(struct job *j)
{
	struct unit *u = j->arg;
	struct result *r = &u->compile;
	char *dir = path_join(u->dir, "build");
	struct strbuf why = STRBUF_INIT;
	struct batch b;
	if (spares_mkbuild(ctx->spares, u->dir) < 0 || spares_mkdir(ctx->spares, dir) < 0 ||
	    commands_materialise(u->c, dir, ctx->spares, &why) < 0) {
		result_set(r, OUT_ERROR, STAGE_COMPILE, "cannot prepare %s: %s", dir,
			   why.len ? why.buf : strerror(errno));
		sb_free(&why);
		free(dir);
		return;
	}
	batch_of(&b, dir, u, NULL, true);
	for (size_t i = 0; i < u->nobjs; i++) {
		struct strvec argv = STRVEC_INIT;
		compile_argv(&argv, u, &u->objs[i]);
		struct proc p = { .argv = sv_argv(&argv), .timeout = ctx->build_timeout };
		size_t li = batch_run(&b, r, &p, u->objs[i].obj);
		if (!p.cached)
			atomic_fetch_add(&ctx->compiler_runs, 1);
		sv_clear(&argv);
		char *what = xasprintf("compiling %s", u->objs[i].src);
		bool ok = command_ok(r, li, &p, STAGE_COMPILE, what);
		free(what);
		if (!ok)
			goto out;
	}
	for (size_t i = 0; i < u->c->nsteps; i++) {
		if (!u->steps[i].shared)
			continue;
		if (build_step(r, u, i, NULL, &b) != STEP_OK) {
			/* A helper the case builds with the default tools: not the
			 * linker under test's failure. */
			r->stage = STAGE_COMPILE;
			goto out;
		}
	}
	list_built(u, dir);
	u->compiled = true;
out:
	batch_end(&b);
	sb_free(&why);
	free(dir);
}

/* ---- the test job: link, prove, run ------------------------------------- */

/* Hard links, as a symlink costs an inode apiece (a third of the harness's
 * CPU when every test had one per file); symlinks where the file system
 * will not link. */
static int place(const char *build, const char *dir, const char *name)
{
	char *from = path_join(build, name), *to = path_join(dir, name);
	int rc = link(from, to);
	if (rc < 0 && errno == EEXIST && unlink(to) == 0)
		rc = link(from, to);
	if (rc < 0) {
		char *rel = xasprintf("../build/%s", name);
		rc = symlink(rel, to);
		free(rel);
	}
	free(from);
	free(to);
	return rc;
}

static int populate(const struct unit *u, const char *dir)
{
	if (spares_mkdir(ctx->spares, dir) < 0)
		return -1;
	char *build = path_join(u->dir, "build");
	int rc = 0;
	for (size_t i = 0; i < u->built.n && rc == 0; i++)
		rc = place(build, dir, u->built.v[i]);
	free(build);
	return rc;
}

/* Killed by a signal the case did not ask for: worth finding out where,
 * unless a limit killed it (the limit says why, and running it again
 * would only spend the limit again). */
static bool died_unexpectedly(const struct run_obs *o, const struct run_step *rs)
{
	if (o->exec_errno || o->timed_out || o->flooded || !WIFSIGNALED(o->status) ||
	    proc_aborted())
		return false;
	int sig = WTERMSIG(o->status);
	return sig != rs->signal && sig != SIGXCPU && sig != SIGXFSZ;
}

static void run_steps(struct test *t)
{
	const struct unit *u = t->u;
	struct runner_session rs_;
	runner_begin(&rs_, u->t, t->dir);
	for (size_t i = 0; i < u->c->nruns; i++) {
		const struct run_step *rs = &u->c->runs[i];
		struct strvec argv = STRVEC_INIT, env = STRVEC_INIT, cmd = STRVEC_INIT, cenv = STRVEC_INIT;
		run_argv(&argv, u->c, rs);
		push_slist(&env, &rs->env);
		struct run_request rq = {
			.argv = sv_argv(&argv), .env = sv_argv(&env),
			.in = rs->stdin_text, .in_len = rs->stdin_text ? strlen(rs->stdin_text) : 0,
			.timeout = rs->timeout > 0 ? rs->timeout : ctx->run_timeout,
			.limits = &rs->limits,
		};
		struct run_obs *o = &t->obs[i];
		struct proc p = { 0 };
		struct strbuf why = STRBUF_INIT;
		int rc = runner_run(&rs_, &rq, &p, &cmd, &cenv, &why);
		if (ctx->verbose && p.argv)
			show_command(&p, t->dir);
		o->log = p.argv ? result_log(&t->res, &p, t->dir) : NO_LOG;
		o->status = p.status;
		o->exec_errno = p.exec_errno;
		o->timed_out = p.timed_out;
		o->flooded = p.flooded;
		o->file_limit = program_limits(&rq).fsize_bytes;
		proc_release(&p);
		if (rc == 0 && died_unexpectedly(o, rs) && is_output(u->c, rs->args.v[0]))
		{
			o->death = xcalloc(1, sizeof *o->death);
			if (!runner_probe_death(&rs_, &rq, o->death)) {
				free(o->death);
				o->death = NULL;
			}
		}
		sv_clear(&argv), sv_clear(&env), sv_clear(&cmd), sv_clear(&cenv);
		if (rc < 0) {
			/* The runner failed, not the program: nothing is known of it. */
			result_set(&t->res, OUT_ERROR, STAGE_RUN, "%s", why.buf);
			t->res.failed_log = o->log;
			o->log = NO_LOG;
		}
		sb_free(&why);
		if (rc < 0 || o->timed_out)
			break;
	}
	runner_end(&rs_);
}

static void test_job(struct job *j)
{
	struct test *t = j->arg;
	struct unit *u = t->u;
	struct result *r = &t->res;
	if (!u->compiled) {
		result_copy(r, &u->compile);
		return;
	}
	t->dir = xasprintf("%s/%s%s", u->dir, t->l->name, t->hidden ? ".reference" : "");
	if (populate(u, t->dir) < 0) {
		result_set(r, OUT_ERROR, STAGE_LINK, "cannot prepare %s: %s", t->dir, strerror(errno));
		return;
	}
	struct batch b;
	batch_of(&b, t->dir, u, t->l, false);
	bool built = true;
	for (size_t i = 0; built && i < u->c->nsteps; i++) {
		if (u->steps[i].shared)
			continue;
		enum step_end end = build_step(r, u, i, t->l, &b);
		/* Nothing after a failed link, or an expected link error, can be built. */
		built = end == STEP_OK && (!under_test(u, i) || check_linked(t, i));
	}
	batch_end(&b);
	if (built)
		run_steps(t);
}

/* ---- the check job ------------------------------------------------------ */

static void add_side(struct strbuf *sb, const char *who, const char *how,
		     const char *out, size_t out_len, const char *err, size_t err_len)
{
	sb_addf(sb, "%s: %s\n", who, how);
	sb_addf(sb, "  stdout (%zu bytes): %.*s%s\n", out_len, (int)(out_len > SHOW_MAX ? SHOW_MAX : out_len),
		out, out_len > SHOW_MAX ? " [...]" : "");
	sb_addf(sb, "  stderr (%zu bytes): %.*s%s\n", err_len, (int)(err_len > SHOW_MAX ? SHOW_MAX : err_len),
		err, err_len > SHOW_MAX ? " [...]" : "");
}

/* Where a program died, or the limit that killed it, in the message and
 * the result. */
static void add_death(struct result *r, const struct run_obs *o)
{
	int sig = WIFSIGNALED(o->status) && !o->flooded ? WTERMSIG(o->status) : 0;
	if (!o->death && sig != SIGXCPU && sig != SIGXFSZ)
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, r->message);
	sb_adds(&sb, ": ");
	char size[32];
	if (sig == SIGXCPU)
		sb_adds(&sb, "it used up its CPU time limit (its timeout plus 2 s)");
	else if (sig == SIGXFSZ)
		sb_addf(&sb, "it wrote a file past its %s limit", human_size(o->file_limit, size));
	else
		death_describe(o->death, &sb);
	free(r->message);
	r->message = sb_detach(&sb);
	if (o->death)
		r->died = death_phase_name(o->death->phase);
}

/* Fails r when a program that should have run normally did not: it could
 * not start, was killed, or hung. */
/* execve's ENOENT for a program that is there: the interpreter it names
 * is not, which the kernel reports as the program missing. NULL when that
 * is not it. */
static char *missing_interp(const struct cmdlog *lg, const struct run_obs *o, const char *prog)
{
	if (o->exec_errno != ENOENT)
		return NULL;
	char *path = path_join(lg->cwd ? lg->cwd : ".", prog), *why = NULL;
	struct elf_file f;
	if (access(path, F_OK) == 0 && elf_open_quiet(&f, path) == 0) {
		size_t len;
		const char *interp = elf_interp(&f, &len);
		if (interp && len && memchr(interp, 0, len) && access(interp, F_OK) < 0)
			why = xasprintf("%s could not be started: its interpreter %s does not exist "
					"(execve's \"No such file or directory\" is about it, not %s)",
					prog, interp, prog);
		elf_close(&f);
	}
	free(path);
	return why;
}

static bool ran_badly(struct result *r, const struct run_obs *o, const char *prog)
{
	const struct cmdlog *lg = &r->logs[o->log];
	const char *who = NULL;
	char *refusal = WIFEXITED(o->status) && WEXITSTATUS(o->status) ?
		loader_message(lg->err, lg->err_len, &who) : NULL, *interp;
	if (o->timed_out) {
		result_set(r, OUT_TIMEOUT, STAGE_RUN, "%s %s", prog, lg->how);
	} else if ((interp = missing_interp(lg, o, prog))) {
		result_set(r, OUT_FAIL, STAGE_RUN, "%s", interp);
		free(interp);
	} else if (o->exec_errno || WIFSIGNALED(o->status)) {
		result_set(r, OUT_FAIL, STAGE_RUN, "%s %s", prog, lg->how);
		add_death(r, o);
	} else if (refusal) {
		result_set(r, OUT_FAIL, STAGE_RUN, "%s was refused by the loader (%s, %s): %s", prog,
			   who, lg->how, refusal);
	} else {
		return false;
	}
	free(refusal);
	r->failed_log = o->log;
	return true;
}

/* The first of stdout and stderr that is not what the step expects, and
 * the expectation; NULL when both are. */
/* Line k (from 0) of s, quoted on one line of a message: 'text', cut at
 * 80 bytes, bytes that are not printable as '?'; "nothing" past the end. */
static void quote_line(struct strbuf *sb, const char *s, size_t len, size_t k)
{
	const char *p = s, *end = s + len;
	for (; k && p < end; k--) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end) {
		sb_adds(sb, "nothing");
		return;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	sb_addc(sb, '\'');
	for (size_t i = 0; i < n && i < 80; i++)
		sb_addc(sb, p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
	sb_adds(sb, n > 80 ? "...'" : "'");
}

/* What a program printed on stream ("stdout" or "stderr") where it did
 * not match: its first line, and how many there were. */
static void printed(struct strbuf *sb, const struct cmdlog *lg, const char *stream)
{
	bool out = !strcmp(stream, "stdout");
	const char *s = out ? lg->out : lg->err;
	size_t len = out ? lg->out_len : lg->err_len, lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += s[i] == '\n';
	lines += len && s[len - 1] != '\n';
	sb_adds(sb, "it printed ");
	quote_line(sb, s, len, 0);
	if (lines > 1)
		sb_addf(sb, " and %zu more line%s", lines - 1, lines > 2 ? "s" : "");
}

/* The first line where a's text and b's differ: "line 2 is 'x' where
 * bfd's is 'y'". */
static void first_difference(struct strbuf *sb, const char *a, size_t an, const char *b, size_t bn,
			     const char *who)
{
	size_t k = 0, i = 0;
	for (; i < an && i < bn && a[i] == b[i]; i++)
		k += a[i] == '\n';
	sb_addf(sb, "line %zu is ", k + 1);
	quote_line(sb, a, an, k);
	sb_addf(sb, " where %s's is ", who);
	quote_line(sb, b, bn, k);
}

static const char *mismatch(const struct run_step *rs, const struct cmdlog *lg,
			    const struct regex **want)
{
	*want = rs->expect_stdout;
	if (*want && !regex_match(*want, lg->out, lg->out_len, NULL))
		return "stdout";
	*want = rs->expect_stderr;
	if (*want && !regex_match(*want, lg->err, lg->err_len, NULL))
		return "stderr";
	return NULL;
}

static bool check_expect(struct result *r, const struct run_step *rs, const struct run_obs *o)
{
	const char *prog = rs->args.v[0];
	const struct cmdlog *lg = &r->logs[o->log];
	if (rs->signal) {
		if (o->timed_out || o->flooded || o->exec_errno || !WIFSIGNALED(o->status) ||
		    WTERMSIG(o->status) != rs->signal) {
			r->failed_log = o->log;
			const char *sn = signal_name(rs->signal);
			result_set(r, o->timed_out ? OUT_TIMEOUT : OUT_FAIL, STAGE_EXPECT,
				   "%s was expected to be killed by %s, but it %s", prog,
				   sn ? sn : "a signal", lg->how);
			add_death(r, o);
			return false;
		}
	} else if (ran_badly(r, o, prog)) {
		return false;
	} else if (WEXITSTATUS(o->status) != rs->exit_status) {
		r->failed_log = o->log;
		result_set(r, OUT_FAIL, STAGE_EXPECT, "%s: exit status %d, expected %ld", prog,
			   WEXITSTATUS(o->status), rs->exit_status);
		return false;
	}
	const struct regex *want;
	const char *stream = mismatch(rs, lg, &want);
	if (stream) {
		r->failed_log = o->log;
		struct strbuf what = STRBUF_INIT;
		printed(&what, lg, stream);
		result_set(r, OUT_FAIL, STAGE_EXPECT, "%s: %s does not match '%s': %s", prog, stream,
			   regex_source(want), what.buf);
		sb_free(&what);
		return false;
	}
	return true;
}

/* Without an expectation, a program must do what the reference's did. */
static bool check_compare(struct test *t, size_t i)
{
	struct result *r = &t->res;
	const struct run_obs *o = &t->obs[i];
	const struct test *ref = t->u->ref;
	const char *prog = t->u->c->runs[i].args.v[0];
	/* The reference's own run must have been sound to judge others by. */
	const struct run_obs *ro = ref ? &ref->obs[i] : NULL;
	bool sound = ro && ro->log != NO_LOG && !ro->exec_errno && !ro->timed_out && !ro->flooded &&
		     WIFEXITED(ro->status) && WEXITSTATUS(ro->status) == 0;
	if (t->is_ref || !sound) {
		if (ran_badly(r, o, prog))
			return false;
		if (WEXITSTATUS(o->status) != 0) {
			r->failed_log = o->log;
			result_set(r, OUT_FAIL, STAGE_EXPECT, "%s: exit status %d, expected 0%s", prog,
				   WEXITSTATUS(o->status),
				   t->is_ref ? "" : " (no sound reference run to compare with)");
			return false;
		}
		return true;
	}
	const struct cmdlog *a = &r->logs[o->log], *b = &ref->res.logs[ro->log];
	bool ended = !strcmp(a->how, b->how);
	bool out = a->out_len != b->out_len || memcmp(a->out, b->out, a->out_len);
	bool err = a->err_len != b->err_len || memcmp(a->err, b->err, a->err_len);
	const char *what = !ended ? "ended differently" : out ? "printed a different stdout" :
			   err ? "printed a different stderr" : NULL;
	if (!what)
		return true;
	/* A crash or a hang is a run failure whatever the reference did; the
	 * comparison is still shown. */
	if (!ran_badly(r, o, prog)) {
		r->failed_log = o->log;
		struct strbuf diff = STRBUF_INIT;
		if (!ended)
			sb_addf(&diff, "%s where %s's %s", a->how, ref->l->name, b->how);
		else if (out)
			first_difference(&diff, a->out, a->out_len, b->out, b->out_len, ref->l->name);
		else
			first_difference(&diff, a->err, a->err_len, b->err, b->err_len, ref->l->name);
		result_set(r, OUT_FAIL, STAGE_COMPARE, "%s %s than with the reference linker %s: %s",
			   prog, what, ref->l->name, diff.buf);
		sb_free(&diff);
	}
	struct strbuf sb = STRBUF_INIT;
	add_side(&sb, ref->l->name, b->how, b->out, b->out_len, b->err, b->err_len);
	add_side(&sb, t->l->name, a->how, a->out, a->out_len, a->err, a->err_len);
	/* The lines that differ, - the reference's, + this linker's. */
	if (out) {
		sb_addf(&sb, "stdout, -%s +%s:\n", ref->l->name, t->l->name);
		text_diff(b->out, b->out_len, a->out, a->out_len, 2, &sb);
	}
	if (err) {
		sb_addf(&sb, "stderr, -%s +%s:\n", ref->l->name, t->l->name);
		text_diff(b->err, b->err_len, a->err, a->err_len, 2, &sb);
	}
	free(r->detail);
	r->detail = sb_detach(&sb);
	return false;
}

static void append_message(struct result *r, char *more)
{
	char *m = xasprintf("%s; %s", r->message, more);
	free(r->message);
	free(more);
	r->message = m;
}

/* A program that failed from an output that breaks a loader rule: the
 * rule is the likely reason, so the message says it. */
static void explain(struct result *r)
{
	if (r->nnotes)
		append_message(r, xasprintf("%s breaks %s [%s]: %s", r->notes[0].file,
					    r->notes[0].rule, r->notes[0].profile,
					    r->notes[0].consequence));
}

/* Failed on what the linker wrote, not on running it: the programs still
 * ran, and how is part of the message. */
static bool decided_by_output(const struct result *r)
{
	return r->stage == STAGE_MODE || r->stage == STAGE_ELF_RULE;
}

static void evaluate(struct test *t)
{
	struct result *r = &t->res;
	const struct lcase *c = t->u->c;
	if (decided_by_output(r) && c->nruns && t->obs[0].log != NO_LOG) {
		const struct run_obs *o = &t->obs[0];
		const struct cmdlog *lg = &r->logs[o->log];
		const char *prog = c->runs[0].args.v[0], *who = NULL;
		char *refusal = loader_message(lg->err, lg->err_len, &who);
		/* Its output matters when it ended normally. */
		const struct regex *want = NULL;
		bool ended = !o->exec_errno && !o->timed_out && !o->flooded && WIFEXITED(o->status);
		const char *stream = ended ? mismatch(&c->runs[0], lg, &want) : NULL;
		struct strbuf what = STRBUF_INIT;
		if (stream)
			printed(&what, lg, stream);
		char *how = stream ? xasprintf("%s, and its %s does not match '%s' (%s)", lg->how,
					       stream, regex_source(want), what.buf)
				   : xstrdup(lg->how);
		sb_free(&what);
		char *interp = missing_interp(lg, o, prog);
		append_message(r, refusal ? xasprintf("on this host, %s was refused by the loader "
						      "(%s): %s", prog, who, refusal)
				  : interp ? xasprintf("on this host, %s", interp)
					  : xasprintf("on this host, %s: %s", prog, how));
		free(interp);
		free(how);
		free(refusal);
		add_death(r, o);
	}
	if (r->outcome != OUT_PASS)
		return;   /* decided while building */
	for (size_t i = 0; i < c->nruns; i++) {
		if (t->obs[i].log == NO_LOG)
			break;
		bool ok = c->runs[i].has_expect ? check_expect(r, &c->runs[i], &t->obs[i])
						: check_compare(t, i);
		if (!ok) {
			explain(r);
			return;
		}
	}
}

void exec_apply_xfail(struct test *t, struct known_set *known)
{
	const struct xfail *x = plan_xfail(t);
	if (!x && t->u)
		x = known_match(known, t->u->c->name, t->u->v->name, t->u->t->name, t->l);
	if (!x)
		return;
	t->res.xfail_reason = x->reason;
	if (t->res.outcome == OUT_FAIL || t->res.outcome == OUT_TIMEOUT)
		t->res.outcome = OUT_XFAIL;
	else if (t->res.outcome == OUT_PASS)
		t->res.outcome = OUT_XPASS;
}

static bool keep_artefacts(const struct test *t)
{
	return ctx->keep || t->res.outcome == OUT_FAIL || t->res.outcome == OUT_ERROR ||
	       t->res.outcome == OUT_TIMEOUT || t->res.outcome == OUT_XPASS;
}

/* A kept build's directory without the empty ones its spare had that no
 * test of its used (another target's linkers). */
static void prune(const struct unit *u)
{
	struct strvec names = STRVEC_INIT;
	list_names(u->dir, &names);
	for (size_t i = 0; i < names.n; i++) {
		bool used = !strcmp(names.v[i], "build");
		for (size_t k = 0; k < u->ntests && !used; k++)
			used = u->tests[k]->dir && !strcmp(path_base(u->tests[k]->dir), names.v[i]);
		char *path = path_join(u->dir, names.v[i]);
		if (!used)
			rmdir(path);
		free(path);
	}
	sv_clear(&names);
}

/* The last check of a unit removes what nobody needs to look at. */
static void unit_done(struct unit *u)
{
	bool keep_build = ctx->keep || !u->compiled;
	cache_bundle_close(u->bundle);
	u->bundle = NULL;
	sv_clear(&u->built);
	for (size_t i = 0; i < u->ntests; i++) {
		struct test *t = u->tests[i];
		/* Now that no test compares with it, what passed keeps its outcome
		 * and findings, not its commands (but with --keep): the harness's
		 * memory grows by a few hundred bytes per passing test. */
		if (!ctx->keep && (t->res.outcome == OUT_PASS || t->res.outcome == OUT_SKIP))
			result_drop_logs(&t->res);
		keep_build |= t->done && t->dir && keep_artefacts(t);
	}
	if (!keep_build) {
		spares_remove_build(ctx->spares, u->dir);
		return;
	}
	for (size_t i = 0; i < u->ntests; i++) {
		struct test *t = u->tests[i];
		if (t->dir && !(t->done && keep_artefacts(t)))
			spares_remove(ctx->spares, t->dir);
	}
	prune(u);
}

/* A failed test carries its outputs' differences from the reference
 * linker's; a case that requires an empty diff fails on any. */
static void attach_diff(struct test *t)
{
	struct result *r = &t->res;
	const struct lcase *c = t->u->c;
	const struct test *ref = t->u->dref;
	bool failed = r->outcome == OUT_FAIL || r->outcome == OUT_TIMEOUT;
	if (!ref || ref == t || !ref->dir || !t->dir || (!failed && !c->diff.require_empty))
		return;
	size_t n = inspect_diff(r, c, t->dir, ref->dir, ref->l->name);
	if (n && c->diff.require_empty && r->outcome == OUT_PASS) {
		result_set(r, OUT_FAIL, STAGE_DIFF, "%zu difference%s from %s's outputs; the case "
			   "requires none", n, n == 1 ? "" : "s", ref->l->name);
		free(r->detail);
		r->detail = xstrdup(r->diff);
	}
}

/* A pass, or a known failure's pass, that differs from the reference's
 * outputs where the loader or the unwinder reads carries a warning. */
static void warn_hidden(struct test *t)
{
	const struct test *ref = t->u->dref;
	if ((t->res.outcome == OUT_PASS || t->res.outcome == OUT_XPASS) && ref && ref != t &&
	    ref->dir && t->dir)
		inspect_hidden(&t->res, t->u->c, t->dir, ref->dir, ref->l->name);
}

/* ---- diagnose: a closer look at a program that failed -------------------- */

/* The run step whose program decided the failure, or -1. */
static long failed_run(const struct test *t)
{
	const struct result *r = &t->res;
	for (size_t i = 0; i < t->u->c->nruns; i++)
		if (t->obs[i].log != NO_LOG &&
		    (t->obs[i].log == r->failed_log || decided_by_output(r)))
			return (long)i;
	return -1;
}

/* Our own summary of the program, logged as the command that prints it. */
static void log_elf_summary(struct result *r, const char *dir, const char *prog)
{
	char *path = path_join(dir, prog);
	struct proc p = { .argv = (char *[]){ "linkmatrix", "elf", "show", (char *)prog, NULL } };
	p.status = elf_show_file(path, &p.out) < 0 ? 2 << 8 : 0;
	p.out_total = p.out.len;
	result_log(r, &p, dir);
	proc_release(&p);
	free(path);
}

/* The target's diagnose commands: run here for a program that ran here
 * (gdb, LD_DEBUG, qemu -strace), and each logged like any command; for a
 * remote target, said, for a porter to run there (truss, elfdump, DTrace
 * need the remote system and often its root). */
static void run_diagnose(struct test *t, const struct run_step *rs)
{
	const struct target *tg = t->u->t;
	struct strbuf emu = STRBUF_INIT, remote = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT;
	run_argv(&argv, t->u->c, rs);
	if (tg->runner == RUNNER_QEMU_USER)
		sb_add_argv(&emu, (char *const *)tg->runner_command.v);
	for (size_t i = 0; i < tg->diagnose.n; i++) {
		char *cmd = diagnose_command(tg->diagnose.v[i], sv_argv(&argv), sb_str(&emu));
		if (tg->runner == RUNNER_SSH) {
			sb_addf(&remote, "  $ %s\n", cmd);
		} else {
			struct strvec env = STRVEC_INIT;
			sv_pushf(&env, "LD_LIBRARY_PATH=%s", t->dir);
			push_slist(&env, &rs->env);
			struct proc p = {
				.argv = (char *[]){ "sh", "-c", cmd, NULL }, .env = sv_argv(&env),
				.cwd = t->dir, .timeout = (rs->timeout > 0 ? rs->timeout : ctx->run_timeout) + 30,
			};
			proc_run(&p);
			result_log(&t->res, &p, t->dir);
			proc_release(&p);
			sv_clear(&env);
		}
		free(cmd);
	}
	if (remote.len) {
		struct result *r = &t->res;
		char *more = xasprintf("%s%sTo look closer, run on %s, in a copy of the test's "
				       "directory:\n%s", r->detail ? r->detail : "",
				       r->detail ? "\n" : "", tg->name, remote.buf);
		free(r->detail);
		r->detail = more;
	}
	sv_clear(&argv);
	sb_free(&emu), sb_free(&remote);
}

static void diagnose(struct test *t)
{
	enum outcome o = t->res.outcome;
	long i = failed_run(t);
	if (!ctx->diagnose || t->hidden || (o != OUT_FAIL && o != OUT_TIMEOUT) || i < 0)
		return;
	const struct run_step *rs = &t->u->c->runs[i];
	if (is_output(t->u->c, rs->args.v[0]))
		log_elf_summary(&t->res, t->dir, rs->args.v[0]);
	run_diagnose(t, rs);
}

/* A test that passed shows no command in any report (but with --keep),
 * and its unit's other tests may finish much later: its log goes now, but
 * for the reference's runs, which the others are compared with until the
 * unit is done. */
static void forget_passed(struct test *t)
{
	enum outcome o = t->res.outcome;
	if (ctx->keep || (o != OUT_PASS && o != OUT_SKIP))
		return;
	if (!t->is_ref)
		result_drop_logs(&t->res);
	else if (t->obs && t->obs[0].log != NO_LOG)
		result_drop_outputs(&t->res, t->obs[0].log);
}

static void check_job(struct job *j)
{
	struct test *t = j->arg;
	double start = now_seconds();
	evaluate(t);
	attach_diff(t);
	warn_hidden(t);
	exec_apply_xfail(t, ctx->known);
	diagnose(t);
	t->res.secs += now_seconds() - start;
	t->done = true;
	if (!t->hidden)
		ctx->report(t, ctx->report_arg);
	forget_passed(t);
	if (atomic_fetch_sub(&t->u->pending, 1) == 1)
		unit_done(t->u);
}

/* ---- wiring ------------------------------------------------------------- */

static void timed_test_job(struct job *j)
{
	struct test *t = j->arg;
	double start = now_seconds();
	test_job(j);
	t->res.secs = now_seconds() - start;
}

void exec_schedule(struct plan *p, struct sched *s, struct exec_ctx *x)
{
	ctx = x;
	for (size_t i = 0; i < p->nunits; i++) {
		struct unit *u = p->units[i];
		if (!atomic_load(&u->pending))
			continue;
		u->compile_job = (struct job){ .run = compile_job, .arg = u };
		sched_add(s, &u->compile_job);
		for (size_t k = 0; k < u->ntests; k++) {
			struct test *t = u->tests[k];
			if (t->done)
				continue;
			t->obs = xcalloc(u->c->nruns ? u->c->nruns : 1, sizeof *t->obs);
			for (size_t m = 0; m < u->c->nruns; m++)
				t->obs[m].log = NO_LOG;
			t->run_job = (struct job){ .run = timed_test_job, .arg = t, .urgent = true };
			t->check_job = (struct job){ .run = check_job, .arg = t, .urgent = true };
			job_after(&t->run_job, &u->compile_job);
			job_after(&t->check_job, &t->run_job);
			sched_add(s, &t->run_job);
			sched_add(s, &t->check_job);
		}
		/* Comparisons need the reference's run; diffs its outputs. */
		struct test *dref = u->dref;
		for (size_t k = 0; k < u->ntests; k++) {
			struct test *t = u->tests[k];
			if (t->done)
				continue;
			bool on_ref = u->ref && u->compares && t != u->ref && !u->ref->done;
			if (on_ref)
				job_after(&t->check_job, &u->ref->run_job);
			if (dref && dref != t && !dref->done && !(on_ref && dref == u->ref))
				job_after(&t->check_job, &dref->run_job);
		}
	}
}

void exec_finish(struct plan *p)
{
	for (size_t i = 0; i < p->nunits; i++) {
		cache_bundle_close(p->units[i]->bundle);
		p->units[i]->bundle = NULL;
	}
}
