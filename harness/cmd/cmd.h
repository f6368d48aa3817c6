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
