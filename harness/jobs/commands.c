#include "jobs/commands.h"

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

void compile_argv(struct strvec *argv, const struct unit *u, const struct compile_plan *o)
{
	const struct target *t = u->t;
	sv_push(argv, o->kind == 'x' ? t->cxx_path : t->cc_path);
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

void link_argv(struct strvec *argv, const struct unit *u, size_t step,
		      const struct linker *l)
{
	const struct target *t = u->t;
	const struct build_step *s = &u->c->steps[step];
	const struct step_plan *sp = &u->steps[step];
	if (sp->mode == MODE_ARCHIVE) {
		sv_push(argv, t->ar_path);
		sv_push(argv, "rcs");
		sv_push(argv, s->output);
		sv_pushv(argv, sv_argv((struct strvec *)&sp->inputs));
		return;
	}
	sv_push(argv, sp->cxx ? t->cxx_path : t->cc_path);
	push_slist(argv, &t->ldflags);
	sv_push(argv, mode_ldflag(sp->mode));
	if (l) {
		const struct slist *drive = t->family == CC_CLANG ? &l->drive_clang : &l->drive_gcc;
		for (size_t i = 0; i < drive->n; i++) {
			char *a = expand(drive->v[i], linker_for(l, t));
			sv_push(argv, a);
			free(a);
		}
		push_slist(argv, linker_os_ldflags(l, t->os));
		push_slist(argv, &l->proof_flag);
	}
	sv_push(argv, "-o");
	sv_push(argv, s->output);
	sv_pushv(argv, sv_argv((struct strvec *)&sp->inputs));
	push_slist(argv, &s->ldflags);
	if (l)
		push_slist(argv, &u->v->ldflags);
	sv_push(argv, "-L.");
	for (size_t i = 0; i < s->libs.n; i++)
		sv_pushf(argv, "-l%s", s->libs.v[i]);
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
