/* The commands of linkmatrix, one file each in cmd/ (as git's builtin/):
 * each parses its own options and returns the exit status, 0 nothing
 * unexpected, 1 a test failed or a finding, 2 a usage or configuration
 * error.
 *
 * cmd/ is the top of the flow: it reads the command line and drives the
 * stages below it; nothing below includes it. cli.h is its option parser.
 * May use: util, yaml, os, elf, load, plan, jobs, results, report, import, suite.
 */
#ifndef LM_CMD_H
#define LM_CMD_H

#include <stdio.h>

/* A command, or a subcommand of a group (elf check): fn gets the whole
 * argv. */
struct command {
	const char *name;
	int (*fn)(int, char **);
};

/* "usage: linkmatrix NAME ..." for the command NAME, or for every
 * subcommand of the group NAME (cmd/usage.c holds them all). */
void usage_print(FILE *f, const char *name);
/* The top level's help: every command, the environment, the exit status. */
void usage_main(FILE *f);
/* Says word is no command of cmds (of group, NULL at the top level), with
 * the nearest one's name; returns 2. */
int usage_unknown(const char *group, const char *word, const struct command *cmds, size_t n);
/* The options of a command that has none but --help: 0 to go on with
 * the operands in operands, -1 once the help is said, else 2 once the
 * usage error is. */
struct strvec;
int usage_no_options(const char *name, int argc, char **argv, struct strvec *operands);
/* A group's subcommand, argv[2], run; its usage for none, --help or -h;
 * usage_unknown for a name not in cmds. */
int cmd_dispatch(int argc, char **argv, const struct command *cmds, size_t n);

/* list, linkers, targets, validate: the configuration and the cases. */
int cmd_info(int argc, char **argv);
/* run: load, plan, run the jobs, report. */
int cmd_run(int argc, char **argv);
/* elf check | rules | diff | show. */
int cmd_elf(int argc, char **argv);
/* report merge | compare. */
int cmd_report(int argc, char **argv);
/* repro CASE[:VARIANT] --linker L [--target T] [-o DIR]: a directory with
 * the case's files and repro.sh, which replays the test's compile, link,
 * run and checks without linkmatrix. */
int cmd_repro(int argc, char **argv);
/* import wild DIR -o OUTDIR: Wild's tests as case files. */
int cmd_import(int argc, char **argv);
/* suite mold DIR: mold's test scripts run against every linker. */
int cmd_suite(int argc, char **argv);

#endif
