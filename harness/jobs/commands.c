#include "jobs/commands.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the unit's files --------------------------------------------------- */

static int write_one(const struct case_file *f, const char *path, struct spares *sp)
{
	if (f->text)
		return spares_write(sp, path, f->text, strlen(f->text), -1);
	/* Opened first, so a missing one makes no empty file. */
	int in = open(f->path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int rc = spares_copy(sp, path, in);
	int e = errno;
	close(in);
	errno = e;
	return rc;
}

int commands_materialise(const struct lcase *c, const char *dir, struct spares *sp,
			 struct strbuf *why)
{
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct case_file *f = &c->files[i];
		char *path = path_join(dir, f->name);
		char *pdir = path_dir(path);
		int rc = strchr(f->name, '/') ? spares_mkdir(sp, pdir) : 0;   /* dir is there */
		if (rc == 0)
			rc = write_one(f, path, sp);
		if (rc < 0)
			sb_addf(why, "cannot write %s: %s", path, strerror(errno));
		free(pdir);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- commands ----------------------------------------------------------- */

void push_slist(struct strvec *argv, const struct slist *l)
{
	for (size_t i = 0; l && i < l->n; i++)
		sv_push(argv, l->v[i]);
}

/* The compiler or driver of a family: the target's cc, cxx, clang or
 * clang++. */
static const char *tool(const struct target *t, bool clang, bool cxx)
{
	return clang ? (cxx ? t->clangxx_path : t->clang_path) : cxx ? t->cxx_path : t->cc_path;
}

void compile_argv(struct strvec *argv, const struct unit *u, const struct compile_plan *o)
{
	const struct target *t = u->t;
	sv_push(argv, tool(t, u->c->clang, o->kind == 'x'));
	push_slist(argv, &t->cflags);
	if (o->pic)
		sv_push(argv, o->pic);
	push_slist(argv, o->cflags);
	push_slist(argv, &u->v->cflags);
	sv_push(argv, "-c");
	sv_push(argv, o->src);
	sv_push(argv, "-o");
	sv_push(argv, o->obj);
}

/* {path} and {shimdir} in a linker's drive flags. */
static char *expand(const char *s, const struct linker_at *l)
{
	static const char *const names[] = { "path", "shimdir" };
	const char *const values[] = { l->path, l->shimdir };
	return expand_braces(s, names, values, 2);
}

/* A link argument: given to the driver, or through rustc to the driver
 * rustc runs. */
static void push_link(struct strvec *argv, bool rust, const char *a)
{
	if (rust)
		sv_pushf(argv, "-Clink-arg=%s", a);
	else
		sv_push(argv, a);
}

static void push_link_list(struct strvec *argv, bool rust, const struct slist *l)
{
	for (size_t i = 0; l && i < l->n; i++)
		push_link(argv, rust, l->v[i]);
}

/* rustc, for a Rust step: the crate (named after the output, as rustc's
 * names allow), the kind of file the mode asks for (rustc passes the
 * driver -pie, -no-pie, -static, -static-pie or -shared itself), the
 * target's driver as its linker, and the linker's messages shown, for
 * the banner that proves it. The step's cflags are rustc's flags. */
static void rustc_head(struct strvec *argv, const struct unit *u, size_t step)
{
	const struct target *t = u->t;
	const struct build_step *s = &u->c->steps[step];
	const struct step_plan *sp = &u->steps[step];
	char *crate = xstrdup(s->output);
	for (char *c = crate; *c; c++)
		if (!isalnum((unsigned char)*c) || (c == crate && isdigit((unsigned char)*c)))
			*c = '_';
	sv_push(argv, t->rustc_path);
	sv_push(argv, "--edition=2021");
	sv_pushf(argv, "--crate-name=%s", crate);
	sv_pushf(argv, "--crate-type=%s", sp->mode == MODE_SHARED ? "cdylib" : "bin");
	if (sp->mode == MODE_EXE || sp->mode == MODE_STATIC)
		sv_push(argv, "-Crelocation-model=static");
	if (sp->mode == MODE_STATIC || sp->mode == MODE_STATIC_PIE)
		sv_push(argv, "-Ctarget-feature=+crt-static");
	sv_pushf(argv, "--target=%s", t->rust_target);
	sv_pushf(argv, "-Clinker=%s", tool(t, sp->clang, sp->cxx));
	sv_push(argv, "-Wlinker-messages");
	push_slist(argv, &s->cflags);
	free(crate);
}

void link_argv(struct strvec *argv, const struct unit *u, size_t step,
		      const struct linker *l)
{
	const struct target *t = u->t;
	const struct build_step *s = &u->c->steps[step];
	const struct step_plan *sp = &u->steps[step];
	bool rust = sp->rust;
	if (sp->mode == MODE_OBJECT) {
		const struct compile_plan o = { sp->inputs.v[0], source_kind(sp->inputs.v[0]), NULL,
						&s->cflags, (char *)s->output };
		compile_argv(argv, u, &o);
		return;
	}
	if (sp->mode == MODE_ARCHIVE) {
		sv_push(argv, t->ar_path);
		if (s->thin)
			sv_push(argv, "--thin");
		sv_push(argv, "rcs");
		sv_push(argv, s->output);
		sv_pushv(argv, sv_argv((struct strvec *)&sp->inputs));
		return;
	}
	if (rust)
		rustc_head(argv, u, step);
	else
		sv_push(argv, tool(t, sp->clang, sp->cxx));
	push_link_list(argv, rust, &t->ldflags);
	if (!rust)
		sv_push(argv, mode_ldflag(sp->mode));
	if (l) {
		bool clang = sp->clang || t->family == CC_CLANG;
		const struct slist *drive = clang ? &l->drive_clang : &l->drive_gcc;
		for (size_t i = 0; i < drive->n; i++) {
			char *a = expand(drive->v[i], linker_for(l, t));
			push_link(argv, rust, a);
			free(a);
		}
		push_link_list(argv, rust, linker_os_ldflags(l, t->os));
		push_link_list(argv, rust, &l->proof_flag);
	}
	sv_push(argv, "-o");
	sv_push(argv, s->output);
	for (size_t i = 0; i < sp->inputs.n; i++)   /* a Rust crate's root first, as it is */
		if (rust && i == 0)
			sv_push(argv, sp->inputs.v[i]);
		else
			push_link(argv, rust, sp->inputs.v[i]);
	push_link_list(argv, rust, &s->ldflags);
	if (l)
		push_link_list(argv, rust, &u->v->ldflags);
	push_link(argv, rust, "-L.");
	for (size_t i = 0; i < s->libs.n; i++) {
		char *lib = xasprintf("-l%s", s->libs.v[i]);
		push_link(argv, rust, lib);
		free(lib);
	}
}

bool is_output(const struct lcase *c, const char *name)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (!strcmp(c->steps[i].output, name))
			return true;
	return false;
}

void run_argv(struct strvec *argv, const struct lcase *c, const struct run_step *rs)
{
	if (is_output(c, rs->args.v[0]))
		sv_pushf(argv, "./%s", rs->args.v[0]);
	else
		sv_push(argv, rs->args.v[0]);
	for (size_t k = 1; k < rs->args.n; k++)
		sv_push(argv, rs->args.v[k]);
}

char *diagnose_command(const char *tmpl, char *const *argv, const char *emulator)
{
	static const char *const names[] = { "program", "args", "emulator" };
	/* Quoted: the words come from a case, and the command goes to sh. */
	struct strbuf prog = STRBUF_INIT, args = STRBUF_INIT;
	sb_add_shquoted(&prog, argv[0]);
	sb_add_argv(&args, argv);
	const char *const values[] = { prog.buf, sb_str(&args), emulator };
	char *cmd = expand_braces(tmpl, names, values, ARRAY_LEN(names));
	sb_free(&prog);
	sb_free(&args);
	return cmd;
}
