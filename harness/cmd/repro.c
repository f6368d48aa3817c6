/* linkmatrix repro: one case, variant, target and linker as a directory a
 * developer can take anywhere: the case's files in src/ and repro.sh, a
 * POSIX shell script that compiles, links (with the linker under test and,
 * where the case compares, the reference linker), runs and checks, printing
 * each command. The commands are the ones a run makes (jobs/commands.c), with
 * the tools' paths turned into variables the environment can override. */
#include "cmd/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cli.h"
#include "cmd/runopts.h"
#include "cmd/version.h"
#include "jobs/commands.h"
#include "jobs/exec.h"
#include "jobs/runner.h"
#include "load/known.h"
#include "load/setup.h"
#include "util/match.h"

/* A path in a command that becomes a shell variable in the script. */
struct subst {
	const char *from, *to;   /* to: "$CC", "$here/shims/lld", ... */
};

/* "..." with $, `, \ and " escaped, but the substitutions' variables. */
static void dq_add(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("$`\\\"", s[i]))
			sb_addc(sb, '\\');
		sb_addc(sb, s[i]);
	}
}

/* The longest tool path in arg becomes its variable: /usr/bin/clang++ is
 * $CLANGXX, not $CLANG followed by ++. */
static void sh_word(struct strbuf *sb, const char *arg, const struct subst *subs, size_t n)
{
	const struct subst *hit = NULL;
	const char *at = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *p = subs[i].from && *subs[i].from ? strstr(arg, subs[i].from) : NULL;
		if (p && (!hit || strlen(subs[i].from) > strlen(hit->from)))
			hit = &subs[i], at = p;
	}
	if (!hit) {
		sb_add_shquoted(sb, arg);
		return;
	}
	sb_addc(sb, '"');
	dq_add(sb, arg, (size_t)(at - arg));
	sb_adds(sb, hit->to);
	const char *rest = at + strlen(hit->from);
	dq_add(sb, rest, strlen(rest));
	sb_addc(sb, '"');
}

static void sh_argv(struct strbuf *sb, char *const *argv, const struct subst *subs, size_t n)
{
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			sb_addc(sb, ' ');
		sh_word(sb, argv[i], subs, n);
	}
}

struct script {
	struct strbuf sb;
	const struct unit *u;
	struct subst subs[12];
	size_t nsubs;
	const char *self;                /* this linkmatrix, for the ELF checks */
	const struct strvec *profiles;   /* --check-profile */
	double timeout, build_timeout;   /* --timeout, --build-timeout: the run's */
	const struct linker *dref;       /* a required empty diff's reference, or NULL */
	const char *xfail;               /* why the run expects this test to fail, or NULL */
};

/* NAME=${NAME:-path}, and path becomes "$NAME" in the commands. */
static void tool_var(struct script *s, const char *name, const char *ref, const char *path)
{
	if (!path)
		return;
	sb_addf(&s->sb, "%s=${%s:-", name, name);
	sb_add_shquoted(&s->sb, path);
	sb_adds(&s->sb, "}\n");
	s->subs[s->nsubs++] = (struct subst){ path, ref };
}

static void header(struct script *s, const struct linker *l, const struct linker *ref)
{
	const struct unit *u = s->u;
	const struct target *t = u->t;
	sb_addf(&s->sb, "#!/bin/sh\n# %s on %s, linked by %s: a repro written by linkmatrix %s.\n",
		u->name, t->name, l->name, LM_VERSION);
	sb_adds(&s->sb,
		"# It replays a run: the case's sources (src/) compiled once, each build\n"
		"# step linked with the linker under test");
	if (ref)
		sb_addf(&s->sb, " and with %s (the reference,\n# whose run the output is "
			"compared with)", ref->name);
	sb_adds(&s->sb,
		", the programs run and checked.\n"
		"# Each command is printed before it runs. Needs a POSIX shell and the\n"
		"# tools below, not linkmatrix; each can be set from the environment:\n"
		"#   LINKER=/path/to/rebuilt/ld ./repro.sh\n"
		"start=$(pwd)\n"
		"here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
		"LC_ALL=C   # as in the run: messages in English\n"
		"export LC_ALL\n");
	tool_var(s, "CC", "$CC", t->cc_path);
	tool_var(s, "CXX", "$CXX", t->cxx_path);
	tool_var(s, "AR", "$AR", t->ar_path);
	if (u->clang) {
		tool_var(s, "CLANG", "$CLANG", t->clang_path);
		tool_var(s, "CLANGXX", "$CLANGXX", t->clangxx_path);
	}
	if (u->rust)
		tool_var(s, "RUSTC", "$RUSTC", t->rustc_path);
	tool_var(s, "LINKER", "$LINKER", linker_for(l, t)->path);
	if (ref)
		tool_var(s, "REFERENCE", "$REFERENCE", linker_for(ref, t)->path);
	if (s->dref && s->dref != ref)
		tool_var(s, "DIFF_REFERENCE", "$DIFF_REFERENCE", linker_for(s->dref, t)->path);
	sb_adds(&s->sb, "LINKMATRIX=${LINKMATRIX-");
	sb_add_shquoted(&s->sb, s->self ? s->self : "linkmatrix");
	sb_adds(&s->sb, "}\n");
	if (t->runner == RUNNER_QEMU_USER) {
		struct strbuf e = STRBUF_INIT;
		sb_add_argv(&e, (char *const *)t->runner_command.v);
		sb_adds(&s->sb, "EMULATOR=${EMULATOR:-");
		sb_add_shquoted(&s->sb, e.buf);
		sb_adds(&s->sb, "}\n");
		sb_free(&e);
	} else if (t->runner == RUNNER_SSH) {
		sb_addf(&s->sb, "REMOTE=${REMOTE:-%s%s%s}   # [user@]host where %s programs run\n",
			t->ssh.user ? t->ssh.user : "", t->ssh.user ? "@" : "",
			t->ssh.host ? t->ssh.host : "host", t->name);
		sb_addf(&s->sb, "RDIR=${RDIR:-%s/linkmatrix-repro}\n", t->ssh.dir ? t->ssh.dir : "/tmp");
		/* As the ssh runner does: what the remote login shell prints as
		 * it starts is not the program's. */
		sb_adds(&s->sb,
			"MARK=" RUNNER_START_MARK "\n"
			"unmark() {  # unmark FILE: drops what came before the program's output\n"
			"\tgrep -q \"^$MARK\\$\" \"$1\" || return 0\n"
			"\tawk -v m=\"$MARK\" 'f { print } !f && $0 == m { f = 1 }' \"$1\" >\"$1.t\" && mv \"$1.t\" \"$1\"\n"
			"}\n");
	}
	sb_addf(&s->sb,
		"TIMEOUT=${TIMEOUT:-%.10g}   # seconds a program may run (the run's --timeout)\n"
		"BUILD_TIMEOUT=${BUILD_TIMEOUT:-%.10g}   # a compile or a link (--build-timeout)\n",
		s->timeout, s->build_timeout);
	sb_adds(&s->sb,
		"failed=0\n"
		"# The trace goes to fd 9, the script's stderr, whatever a command's\n"
		"# own stderr is redirected to.\n"
		"exec 9>&2\n"
		"# As in the run, a command that outlives its time ($limit seconds) is\n"
		"# stopped and fails; without timeout(1) nothing is stopped.\n"
		"limit=$BUILD_TIMEOUT\n"
		"if command -v timeout >/dev/null 2>&1; then\n"
		"\twithin() { timeout -k 1 \"$limit\" \"$@\"; st=$?\n"
		"\t\t[ \"$st\" -ne 124 ] || echo \"timed out after $limit s\" >&9; return \"$st\"; }\n"
		"else\n"
		"\twithin() { \"$@\"; }\n"
		"fi\n"
		"run() { printf '+ %s\\n' \"$*\" >&9; within \"$@\"; }\n"
		"step() { printf '\\n== %s\\n' \"$*\" >&9; }\n"
		"fail() { echo \"FAIL: $*\"; failed=1; }\n"
		"fail_run() {  # fail_run WHO.N MESSAGE: a program failed; what it said\n"
		"\tfail \"$2\"\n"
		"\t[ -s \"$here/work/$1.err\" ] || return 0\n"
		"\techo '  its stderr (the first 20 lines):'\n"
		"\thead -n 20 \"$here/work/$1.err\" | sed 's/^/  | /'\n"
		"}\n"
		"# linkmatrix checks each output as the run did (the mode asked for, the\n"
		"# loader rules of the target, the case's elf: expectations); without it\n"
		"# the script says what it leaves unchecked.\n"
		"elf_check() {  # elf_check OUTPUT OPTIONS...\n"
		"\tif [ -n \"$LINKMATRIX\" ] && command -v \"$LINKMATRIX\" >/dev/null 2>&1; then\n"
		"\t\trun \"$LINKMATRIX\" elf check --case \"$here/case.yaml\" --output \"$@\" ||\n"
		"\t\t\tfail \"$1: the run's checks of the file (mode, loader rules, elf:)\"\n"
		"\telse\n"
		"\t\techo \"not checked: $1 against the mode, the loader rules and the elf: expectations (they need linkmatrix: set LINKMATRIX)\"\n"
		"\tfi\n"
		"}\n"
		"elf_diff() {  # elf_diff OUTPUT REFERENCE_OUTPUT [--ignore GLOB]...\n"
		"\tif [ -n \"$LINKMATRIX\" ] && command -v \"$LINKMATRIX\" >/dev/null 2>&1; then\n"
		"\t\trun \"$LINKMATRIX\" elf diff \"$@\" ||\n"
		"\t\t\tfail \"${1##*/}: differs from the diff reference's; the case requires no difference\"\n"
		"\telse\n"
		"\t\techo \"not checked: ${1##*/} against the diff reference's (that needs linkmatrix: set LINKMATRIX)\"\n"
		"\tfi\n"
		"}\n"
		"# A directory of the build's files, and a shim that makes the compiler\n"
		"# driver run the chosen linker as its ld (a shim to nothing would let it\n"
		"# run its own ld instead).\n"
		"setup_linker() {  # setup_linker NAME LINKER\n"
		"\tcase $2 in /*) l=$2 ;; */*) l=$(cd \"$start\" && cd \"$(dirname \"$2\")\" && pwd)/${2##*/} ;;\n"
		"\t*) l=$(command -v \"$2\") ;; esac\n"
		"\t[ -x \"$l\" ] || { echo \"no linker at $2\"; exit 2; }\n"
		"\tmkdir -p \"$here/work/$1\" \"$here/shims/$1\" &&\n"
		"\tln -sf \"$l\" \"$here/shims/$1/ld\" &&\n"
		"\tcp -R \"$here/work/build/.\" \"$here/work/$1/\" && cd \"$here/work/$1\" || exit 2\n"
		"}\n\n");
}

static void compile(struct script *s)
{
	const struct unit *u = s->u;
	sb_adds(&s->sb, "step compile\n"
		"rm -rf \"$here/work\" && mkdir -p \"$here/work/build\" &&\n"
		"cp -R \"$here/src/.\" \"$here/work/build/\" && cd \"$here/work/build\" || exit 2\n");
	for (size_t i = 0; i < u->nobjs; i++) {
		struct strvec argv = STRVEC_INIT;
		compile_argv(&argv, u, &u->objs[i]);
		sb_adds(&s->sb, "run ");
		sh_argv(&s->sb, argv.v, s->subs, s->nsubs);
		sb_addf(&s->sb, " || { echo 'FAIL: compiling %s'; exit 1; }\n", u->objs[i].src);
		sv_clear(&argv);
	}
	for (size_t i = 0; i < u->c->nsteps; i++) {
		if (!u->steps[i].shared)
			continue;
		struct strvec argv = STRVEC_INIT;
		link_argv(&argv, u, i, NULL);
		sb_adds(&s->sb, "run ");
		sh_argv(&s->sb, argv.v, s->subs, s->nsubs);
		sb_addf(&s->sb, " || { echo 'FAIL: building %s%s'; exit 1; }\n",
			u->c->steps[i].output,
			mode_by_tool(u->steps[i].mode) ? "" : " with the default linker");
		sv_clear(&argv);
	}
}

/* The run's checks of an output (jobs/inspect.c), with the facts of the
 * target they used: its profile, its loaders, where its files are. */
static void elf_check(struct script *s, const char *output)
{
	const struct profile *p = &s->u->t->prof;
	sb_adds(&s->sb, "elf_check ");
	sb_add_shquoted(&s->sb, output);
	sb_adds(&s->sb, " --variant ");
	sb_add_shquoted(&s->sb, s->u->v->name);
	sb_adds(&s->sb, " --made-for ");
	sb_add_shquoted(&s->sb, p->name);
	for (size_t i = 0; i < p->nloaders; i++) {
		sb_adds(&s->sb, " --loaders ");
		sb_add_shquoted(&s->sb, p->loaders[i]);
	}
	if (p->loaders_only)
		sb_adds(&s->sb, " --only-loaders");
	if (p->root) {
		sb_adds(&s->sb, " --root ");
		sb_add_shquoted(&s->sb, p->root);
	}
	if (p->root_then_host)
		sb_adds(&s->sb, " --root-then-host");
	for (size_t i = 0; i < s->profiles->n; i++) {
		sb_adds(&s->sb, " --profile ");
		sb_add_shquoted(&s->sb, s->profiles->v[i]);
	}
	sb_addc(&s->sb, ' ');
	sb_add_shquoted(&s->sb, output);
	sb_addc(&s->sb, '\n');
}

/* The build steps of one linker in its directory; a link that fails (or
 * one that must fail and does not) ends that linker's part. */
static void link_steps(struct script *s, const struct linker *l, const char *var, bool is_ref)
{
	const struct unit *u = s->u;
	char *shimdir = xasprintf("$here/shims/%s", l->name);
	s->subs[s->nsubs++] = (struct subst){ linker_for(l, u->t)->shimdir, shimdir };
	sb_addf(&s->sb, "\nstep 'link with %s'\nlimit=$BUILD_TIMEOUT\nsetup_linker %s \"%s\"\n",
		l->name, l->name, var);
	for (size_t i = 0; i < u->c->nsteps; i++) {
		const struct build_step *b = &u->c->steps[i];
		if (u->steps[i].shared)
			continue;
		struct strvec argv = STRVEC_INIT;
		link_argv(&argv, u, i, b->reference ? NULL : l);
		struct strbuf cmd = STRBUF_INIT;
		sh_argv(&cmd, argv.v, s->subs, s->nsubs);
		if (b->expect_error)
			sb_addf(&s->sb, "if run %s; then fail 'linking %s with %s was expected to fail'; "
				"else echo 'ok: the link of %s failed, as expected'; fi\n", cmd.buf,
				b->output, l->name, b->output);
		else
			sb_addf(&s->sb, "run %s || { fail 'linking %s with %s'; exit 1; }\n", cmd.buf,
				b->output, l->name);
		if (!b->reference && !mode_by_tool(u->steps[i].mode) && !is_ref && !b->expect_error)
			elf_check(s, b->output);
		sb_free(&cmd);
		sv_clear(&argv);
	}
	s->nsubs--;
	free(shimdir);
}

/* How a program runs on the target, its outputs to files beside the
 * linker's directory and its status in $status. */
static void run_step(struct script *s, const struct run_step *rs, size_t k, const char *who)
{
	const struct target *t = s->u->t;
	struct strbuf env = STRBUF_INIT, args = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT;
	for (size_t i = 0; i < rs->env.n; i++) {
		sb_addc(&env, ' ');
		sb_add_shquoted(&env, rs->env.v[i]);
	}
	run_argv(&argv, s->u->c, rs);
	sb_add_argv(&args, sv_argv(&argv));
	sv_clear(&argv);
	if (rs->timeout > 0)
		sb_addf(&s->sb, "limit=%.10g   # the case's timeout for this step\n", rs->timeout);
	char *inpath = rs->stdin_text ? xasprintf("\"$here/stdin.%zu\"", k + 1) : xstrdup("/dev/null");
	const char *out = "\"$here/work/%s.%zu.out\" 2>\"$here/work/%s.%zu.err\"";
	if (t->runner == RUNNER_SSH) {
		sb_adds(&s->sb, "run ssh \"$REMOTE\" \"rm -rf $RDIR && mkdir -p $RDIR\" && "
			"run scp -q ./* \"$REMOTE:$RDIR/\" || exit 2\n");
		sb_addf(&s->sb, "run ssh \"$REMOTE\" \"cd $RDIR && echo $MARK && echo $MARK >&2 && "
			"env LD_LIBRARY_PATH=$RDIR%s ", sb_str(&env));
		dq_add(&s->sb, args.buf, args.len);
		sb_addf(&s->sb, "\" <%s >", inpath);
	} else if (t->runner == RUNNER_QEMU_USER) {
		sb_addf(&s->sb, "run $EMULATOR -E LD_LIBRARY_PATH=\"$PWD\"");
		for (size_t i = 0; i < rs->env.n; i++) {
			sb_adds(&s->sb, " -E ");
			sb_add_shquoted(&s->sb, rs->env.v[i]);
		}
		sb_addf(&s->sb, " %s <%s >", args.buf, inpath);
	} else {
		sb_addf(&s->sb, "run env LD_LIBRARY_PATH=\"$PWD\"%s %s <%s >", sb_str(&env),
			args.buf, inpath);
	}
	sb_addf(&s->sb, out, who, k + 1, who, k + 1);
	/* The program's name is the case's data: in messages as "$prog". */
	sb_adds(&s->sb, "\nstatus=$?; prog=");
	sb_add_shquoted(&s->sb, rs->args.v[0]);
	sb_adds(&s->sb, "; echo \"$prog: status $status\"\n");
	if (t->runner == RUNNER_SSH)
		sb_addf(&s->sb, "unmark \"$here/work/%s.%zu.out\"; unmark \"$here/work/%s.%zu.err\"\n",
			who, k + 1, who, k + 1);
	if (rs->timeout > 0)
		sb_adds(&s->sb, "limit=$TIMEOUT\n");
	free(inpath);
	sb_free(&env);
	sb_free(&args);
}

static void expect_checks(struct script *s, const struct run_step *rs, size_t k, const char *who)
{
	if (rs->signal)
		sb_addf(&s->sb, "[ \"$status\" -eq %d ] || fail_run %s.%zu \"$prog: status $status, "
			"expected %d (killed by signal %d)\"\n", 128 + rs->signal, who, k + 1,
			128 + rs->signal, rs->signal);
	else
		sb_addf(&s->sb, "[ \"$status\" -eq %ld ] || fail_run %s.%zu \"$prog: exit status $status, "
			"expected %ld\"\n", rs->exit_status, who, k + 1, rs->exit_status);
	const struct { const struct regex *re; const char *what, *ext; } outs[] = {
		{ rs->expect_stdout, "stdout", "out" }, { rs->expect_stderr, "stderr", "err" },
	};
	for (size_t i = 0; i < ARRAY_LEN(outs); i++) {
		if (!outs[i].re)
			continue;
		/* linkmatrix matches with PCRE2; grep -E agrees on the usual
		 * patterns, grep -P where it is there. */
		sb_adds(&s->sb, "$GREP -q ");
		sb_add_shquoted(&s->sb, regex_source(outs[i].re));
		sb_addf(&s->sb, " \"$here/work/%s.%zu.%s\" || fail \"$prog: %s does not match ", who,
			k + 1, outs[i].ext, outs[i].what);
		dq_add(&s->sb, regex_source(outs[i].re), strlen(regex_source(outs[i].re)));
		sb_adds(&s->sb, "\"\n");
	}
}

static void compare_checks(struct script *s, size_t k, const char *who, const char *ref)
{
	sb_addf(&s->sb, "[ \"$status\" = \"$ref_status_%zu\" ] || fail_run %s.%zu \"$prog: status $status, "
		"with %s $ref_status_%zu\"\n", k + 1, who, k + 1, ref, k + 1);
	static const char *const ext[] = { "out", "err" };
	for (size_t i = 0; i < 2; i++)
		sb_addf(&s->sb, "cmp -s \"$here/work/%s.%zu.%s\" \"$here/work/%s.%zu.%s\" || "
			"{ fail \"$prog printed a different std%s than with %s\"; diff -u "
			"\"$here/work/%s.%zu.%s\" \"$here/work/%s.%zu.%s\"; }\n",
			ref, k + 1, ext[i], who, k + 1, ext[i], ext[i], ref, ref, k + 1, ext[i],
			who, k + 1, ext[i]);
}

/* A case that requires an empty diff: each output against the diff
 * reference's, as the run diffs them (jobs/inspect.c). */
static void diff_checks(struct script *s, const struct linker *l)
{
	const struct lcase *c = s->u->c;
	sb_addf(&s->sb, "\nstep 'diff against what %s linked (the case requires no difference)'\n",
		s->dref->name);
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct build_step *b = &c->steps[i];
		if (b->reference || mode_by_tool(b->mode) || b->expect_error)
			continue;
		struct strbuf out = STRBUF_INIT;
		sb_add_shquoted(&out, b->output);
		sb_addf(&s->sb, "elf_diff \"$here/work/%s/\"%s \"$here/work/%s/\"%s", l->name, out.buf,
			s->dref->name, out.buf);
		for (size_t k = 0; k < c->diff.ignore.n; k++) {
			sb_adds(&s->sb, " --ignore ");
			sb_add_shquoted(&s->sb, c->diff.ignore.v[k]);
		}
		sb_addc(&s->sb, '\n');
		sb_free(&out);
	}
}

/* The target's diagnose commands for the first program, as comments. */
static void diagnose_notes(struct script *s)
{
	const struct target *t = s->u->t;
	if (!t->diagnose.n || !s->u->c->nruns)
		return;
	sb_addf(&s->sb, "\n# To look closer at a program that failed (run in work/<linker>%s):\n",
		t->runner == RUNNER_SSH ? ", on $REMOTE in $RDIR" : "");
	struct strvec argv = STRVEC_INIT;
	run_argv(&argv, s->u->c, &s->u->c->runs[0]);
	for (size_t i = 0; i < t->diagnose.n; i++) {
		char *cmd = diagnose_command(t->diagnose.v[i], sv_argv(&argv), "$EMULATOR");
		sb_addf(&s->sb, "#   %s\n", cmd);
		free(cmd);
	}
	sv_clear(&argv);
}

static void write_script(struct script *s, const struct linker *l, const struct linker *ref)
{
	const struct unit *u = s->u;
	header(s, l, ref);
	sb_adds(&s->sb, "if echo x | grep -qP x 2>/dev/null; then GREP='grep -P'; "
		"else GREP='grep -E'; fi\n\n");
	compile(s);
	if (ref) {
		link_steps(s, ref, "$REFERENCE", true);
		sb_adds(&s->sb, "limit=$TIMEOUT\n");
		for (size_t k = 0; k < u->c->nruns; k++)
			if (!u->c->runs[k].has_expect) {
				run_step(s, &u->c->runs[k], k, ref->name);
				sb_addf(&s->sb, "ref_status_%zu=$status\n", k + 1);
			}
	}
	if (s->dref && s->dref != ref)
		link_steps(s, s->dref, "$DIFF_REFERENCE", true);
	link_steps(s, l, "$LINKER", false);
	sb_addf(&s->sb, "\nstep 'run what %s linked'\nlimit=$TIMEOUT\n", l->name);
	for (size_t k = 0; k < u->c->nruns; k++) {
		const struct run_step *rs = &u->c->runs[k];
		run_step(s, rs, k, l->name);
		if (rs->has_expect)
			expect_checks(s, rs, k, l->name);
		else if (ref)
			compare_checks(s, k, l->name, ref->name);
		else
			sb_addf(&s->sb, "[ \"$status\" -eq 0 ] || fail_run %s.%zu \"$prog: exit status "
				"$status, expected 0\"\n", l->name, k + 1);
	}
	if (s->dref)
		diff_checks(s, l);
	diagnose_notes(s);
	sb_adds(&s->sb, "\nif [ \"$failed\" -eq 0 ]; then echo PASS; else echo FAIL; fi\n");
	/* The behaviour decides the status; the run's verdict is said. */
	if (s->xfail) {
		sb_adds(&s->sb, "reason=");
		sb_add_shquoted(&s->sb, s->xfail);
		sb_adds(&s->sb, "\nif [ \"$failed\" -eq 0 ]; then echo \"the run calls this XPASS: "
			"expected to fail: $reason\"; else echo \"the run calls this XFAIL: expected "
			"to fail: $reason\"; fi\n");
	}
	sb_adds(&s->sb, "exit \"$failed\"\n");
}

/* The unit and the test of linker l in a plan of one case variant. */
static const struct test *find_test(const struct plan *p, const struct linker *l)
{
	for (size_t i = 0; i < p->nunits; i++)
		for (size_t k = 0; k < p->units[i]->ntests; k++)
			if (p->units[i]->tests[k]->l == l && !p->units[i]->tests[k]->hidden)
				return p->units[i]->tests[k];
	return NULL;
}

/* The case file beside the script, for its ELF checks. */
static int copy_case(const char *dir, const struct lcase *c, struct strbuf *err)
{
	size_t len;
	char *text = NULL;
	char *to = path_join(dir, "case.yaml");
	int rc = read_file(c->path, &text, &len) == 0 && write_file(to, text, len) == 0 ? 0 : -1;
	if (rc < 0)
		sb_addf(err, "cannot copy %s to %s: %s", c->path, to, strerror(errno));
	free(to);
	free(text);
	return rc;
}

static int write_repro(struct script *s, const char *dir, const struct linker *l,
		       struct strbuf *err)
{
	const struct unit *u = s->u;
	char *src = path_join(dir, "src");
	if (mkdir_p(src) < 0 || commands_materialise(u->c, src, NULL, err) < 0) {
		if (!err->len)
			sb_addf(err, "cannot make %s: %s", src, strerror(errno));
		free(src);
		return -1;
	}
	free(src);
	for (size_t k = 0; k < u->c->nruns; k++) {
		const char *in = u->c->runs[k].stdin_text;
		char *f = xasprintf("%s/stdin.%zu", dir, k + 1);
		if (in && write_file(f, in, strlen(in)) < 0)
			sb_addf(err, "cannot write %s: %s", f, strerror(errno));
		free(f);
	}
	if (!err->len)
		copy_case(dir, u->c, err);
	const struct linker *ref = u->compares && u->ref && u->ref->l != l ? u->ref->l : NULL;
	write_script(s, l, ref);
	/* Last, and whole: an interrupted repro leaves no script, never half. */
	char *path = path_join(dir, "repro.sh");
	int rc = err->len || write_file_atomic(path, s->sb.buf, s->sb.len) < 0 ||
		 chmod(path, 0755) < 0 ? -1 : 0;
	if (rc < 0 && !err->len)
		sb_addf(err, "cannot write %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

struct repro_opts {
	const char *linker, *target, *out, *linkers_dir, *targets_dir;
	const char *known_failures, *diff_reference;
	struct strvec profiles;
	double timeout, build_timeout;
	bool help;
};

/* Why the run expects t to fail: the case's expect-failure, else the
 * known-failures file's entry; NULL, or -1 when the file is broken. */
static int xfail_of(const struct test *t, const char *known_failures, struct known_set *k,
		    const char **why, struct strbuf *err)
{
	const struct xfail *x = plan_xfail(t);
	if (!x && known_failures) {
		if (known_load_err(k, known_failures, err) < 0)
			return -1;
		const struct unit *u = t->u;
		x = known_match(k, u->c->name, u->v->name, u->t->name, t->l);
	}
	*why = x ? x->reason : NULL;
	return 0;
}

static bool is_added(const struct strvec *added, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < added->n; i++)
		if (!strncmp(added->v[i], name, n) && added->v[i][n] == '=')
			return true;
	return false;
}

/* The one name of sel, else the one not added: NULL when not one (the
 * command of a report names an added linker and adds it). */
static const char *under_test(const struct strvec *sel, const struct strvec *added)
{
	const char *one = NULL, *plain = NULL;
	bool many = false, plains = false;
	for (size_t i = 0; i < sel->n; i++) {
		many |= one && strcmp(one, sel->v[i]);
		one = sel->v[i];
		if (is_added(added, sel->v[i]))
			continue;
		plains |= plain && strcmp(plain, sel->v[i]);
		plain = sel->v[i];
	}
	return !many ? one : plains ? NULL : plain;
}

int cmd_repro(int argc, char **argv)
{
	struct repro_opts o = { .profiles = STRVEC_INIT, .timeout = EXEC_RUN_TIMEOUT,
				.build_timeout = EXEC_BUILD_TIMEOUT };
	struct strvec rest = STRVEC_INIT, sel = STRVEC_INIT, added = STRVEC_INIT;
	const struct opt opts[] = {
		{ "linker", 'l', OPT_LIST, &sel, "L",
		  "the linker under test (required); NAME=PATH adds one, the one under test "
		  "when no other is named" },
		{ "target", 't', OPT_STR, &o.target, "T", "the target (default: the default one)" },
		{ "output", 'o', OPT_STR, &o.out, "DIR", "where to write (default: repro/CASE-VARIANT-TARGET-L)" },
		{ "check-profile", 0, OPT_LIST, &o.profiles, "P,...",
		  "check the outputs against these loader profiles too, as the run did" },
		{ "timeout", 0, OPT_NUM, &o.timeout, "S", "seconds a program may run, as in the run (default 10)" },
		{ "build-timeout", 0, OPT_NUM, &o.build_timeout, "S",
		  "seconds a compile or link may take, as in the run (default 300)" },
		{ "known-failures", 0, OPT_STR, &o.known_failures, "FILE",
		  "the run's known failures: the script says when the run expects a failure" },
		{ "diff-reference", 0, OPT_STR, &o.diff_reference, "L",
		  "the run's diff reference, for a case that requires an empty diff" },
		{ "linkers-dir", 0, OPT_STR, &o.linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &o.targets_dir, "DIR", "target definitions" },
		{ "help", 'h', OPT_FLAG, &o.help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT;
	int rc = 2;
	struct setup s = { 0 };
	struct plan p = { 0 };
	char *name = NULL, *dir = NULL, *re_src = NULL, *workdir = NULL;
	struct regex *re = NULL;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 2, &rest, &err) < 0)
		goto out;
	if (o.help) {
		usage_print(stdout, "repro");
		printf("CASE: a case name, or a case file; VARIANT: default the case's first\n\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	run_split_added(&sel, &added);
	o.linker = under_test(&sel, &added);
	if (rest.n != 1 || !o.linker) {
		sb_adds(&err, "name one CASE[:VARIANT] and --linker L");
		goto out;
	}
	if (!timeout_ok(o.timeout) || !timeout_ok(o.build_timeout)) {
		sb_addf(&err, "--timeout and --build-timeout need seconds above 0, up to a week (%d)",
			TIMEOUT_MAX);
		goto out;
	}
	name = xstrdup(rest.v[0]);
	char *colon = strrchr(name, ':');
	const char *variant = NULL;
	if (colon && !strchr(colon, '/')) {
		*colon = 0;
		variant = colon + 1;
	}
	if (setup_config(&s, argv[0], o.linkers_dir, o.targets_dir, runner_unusable, &added) < 0) {
		rc = 2;
		goto out;
	}
	size_t named = 0;
	for (size_t i = 0; i < s.ls.n; i++)
		named += linker_selects(&s.ls.v[i], o.linker);
	if (named > 1) {
		sb_addf(&err, "--linker %s names %zu linkers: a repro is of one (see 'linkmatrix "
			"linkers')", o.linker, named);
		goto out;
	}
	char *const one[] = { name, NULL };
	if (setup_cases(&s, one, 1, &err) < 0)
		goto out;
	const struct lcase *c = s.ncases == 1 ? s.cases[0].c : NULL;
	if (!c) {
		sb_addf(&err, "%s: %s", name, s.ncases == 1 && s.cases[0].errors ? s.cases[0].errors
							 : "not one case");
		goto out;
	}
	if (!variant)
		variant = c->variants[0].name;
	re_src = xasprintf("^%s:%s$", c->name, variant);
	re = regex_compile(re_src, &err);
	dir = o.out ? xstrdup(o.out) : xasprintf("repro/%s-%s-%s-%s", c->name, variant,
						 o.target ? o.target : "default", o.linker);
	workdir = path_join(dir, "work");
	char *shims = path_join(dir, "shims");
	struct plan_opts po = {
		.linkers = { (const char **)&o.linker, 1 },
		.targets = { (const char **)&o.target, o.target ? 1 : 0 },
		.filter = re, .workdir = workdir, .diff_reference = o.diff_reference,
	};
	int made = re && mkdir_p(dir) == 0 && linkers_make_shims(&s.ls, shims) == 0 ? 0 : -1;
	free(shims);
	if (made < 0 || plan_make(&p, s.cases, s.ncases, &s.ls, &s.ts, &po, &err) < 0) {
		if (!err.len)
			sb_addf(&err, "cannot make %s: %s", dir, strerror(errno));
		goto out;
	}
	const struct test *t = find_test(&p, linker_find(&s.ls, o.linker));
	if (!t) {
		sb_addf(&err, "%s has no variant '%s'", c->name, variant);
		goto out;
	}
	if (t->done && t->res.outcome == OUT_SKIP) {
		sb_addf(&err, "%s %s: %s", t->id, outcome_name(t->res.outcome), t->res.message);
		goto out;
	}
	struct profile *pv = NULL;
	size_t np = 0;
	for (size_t i = 0; i < o.profiles.n && !err.len; i++)
		profiles_parse(o.profiles.v[i], &pv, &np, &err);
	free(pv);
	char real[PATH_MAX];
	char *self = which(argv[0]);
	struct script sc = { .u = t->u, .profiles = &o.profiles,
			     .self = self && realpath(self, real) ? real : NULL,
			     .timeout = o.timeout, .build_timeout = o.build_timeout };
	const struct test *dref = t->u->dref;
	if (c->diff.require_empty && dref && dref->l != t->l)
		sc.dref = dref->l;
	struct known_set known = { 0 };
	int wrote = err.len || xfail_of(t, o.known_failures, &known, &sc.xfail, &err) < 0
		  ? -1 : write_repro(&sc, dir, t->l, &err);
	known_free(&known);
	sb_free(&sc.sb);
	free(self);
	if (wrote < 0)
		goto out;
	printf("%s/repro.sh: %s\n", dir, t->id);
	rc = 0;
out:
	if (err.len)
		fprintf(stderr, "linkmatrix repro: %s\n", err.buf);
	plan_free(&p);
	if (s.home)
		setup_free(&s);
	regex_free(re);
	free(re_src);
	free(workdir);
	free(dir);
	free(name);
	sv_clear(&rest);
	sv_clear(&sel);
	sv_clear(&added);
	sv_clear(&o.profiles);
	sb_free(&err);
	return rc;
}
