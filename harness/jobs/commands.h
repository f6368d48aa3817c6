/* The commands that make a unit's files: the case's files written out,
 * an object compiled, a build step linked (or archived) with a linker. One
 * place, so that what a run does and what a repro script replays are the
 * same commands. */
#ifndef LM_COMMANDS_H
#define LM_COMMANDS_H

#include "os/spare.h"
#include "plan/plan.h"

/* Writes the case's files into dir (files and directories from sp, which
 * may be NULL); 0, or -1 with why. */
int commands_materialise(const struct lcase *c, const char *dir, struct spares *sp,
			 struct strbuf *why);
void push_slist(struct strvec *argv, const struct slist *l);
void compile_argv(struct strvec *argv, const struct unit *u, const struct compile_plan *o);
/* l is NULL for the target's default linker. */
void link_argv(struct strvec *argv, const struct unit *u, size_t step, const struct linker *l);

/* Whether name is one of the case's build outputs. */
bool is_output(const struct lcase *c, const char *name);
/* A run step's program and arguments as they run in the test's directory:
 * a build output as ./name, any other program by its name. */
void run_argv(struct strvec *argv, const struct lcase *c, const struct run_step *rs);
/* A target's diagnose command for that program: {program}, {args} (the
 * program and its arguments, shell-quoted) and {emulator} replaced. */
char *diagnose_command(const char *tmpl, char *const *argv, const char *emulator);

#endif
