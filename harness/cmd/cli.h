/* Command-line options from a table: long names, short letters, values
 * given as `--opt VALUE`, `--opt=VALUE` or `-oVALUE`. */
#ifndef LM_CLI_H
#define LM_CLI_H

#include <stdbool.h>

#include <stdio.h>

#include "util/util.h"

enum opt_kind { OPT_FLAG, OPT_STR, OPT_LIST, OPT_INT, OPT_NUM };

struct opt {
	const char *name;         /* without the leading dashes */
	char letter;              /* 0: none */
	enum opt_kind kind;
	void *dst;                /* bool, const char *, struct strvec (comma lists), long, double */
	const char *arg, *help;
};

/* Parses argv[first..]; operands go to rest. Returns -1 with a message in
 * err on a usage error. */
int cli_parse(const struct opt *opts, size_t nopts, int argc, char **argv, int first,
	      struct strvec *rest, struct strbuf *err);
void cli_help(FILE *f, const struct opt *opts, size_t nopts);

/* argv with the words of the environment variable env inserted after
 * argv[0] and argv[1] (the command). */
void cli_with_env(struct strvec *out, const char *env, int argc, char **argv);

#endif
