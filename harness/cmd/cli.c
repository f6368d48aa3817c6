#include "cmd/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int set_value(const struct opt *o, const char *v, struct strbuf *err)
{
	char *end;
	errno = 0;
	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case OPT_STR:
		*(const char **)o->dst = v;
		return 0;
	case OPT_LIST:
		while (*v) {
			size_t n = strcspn(v, ",");
			if (n) {
				char *item = xstrndup(v, n);
				sv_push(o->dst, item);
				free(item);
			}
			v += n + (v[n] == ',');
		}
		return 0;
	case OPT_INT: {
		long x = strtol(v, &end, 10);
		if (errno || end == v || *end || x < 0)
			break;
		*(long *)o->dst = x;
		return 0;
	}
	case OPT_NUM: {
		double x = strtod(v, &end);
		if (errno || end == v || *end || !(x >= 0))
			break;
		*(double *)o->dst = x;
		return 0;
	}
	}
	sb_addf(err, "--%s needs a non-negative number, not '%s'", o->name, v);
	return -1;
}

static const struct opt *find_long(const struct opt *opts, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i].letter && opts[i].letter == c)
			return &opts[i];
	return NULL;
}

/* "unknown option '--max-failure' (did you mean --max-failures?)": the
 * long name nearest to what was typed, its value left out. */
static void unknown_option(struct strbuf *err, const char *a, const struct opt *opts, size_t n)
{
	sb_addf(err, "unknown option '%s'", a);
	if (a[1] != '-')
		return;
	const char **names = xmalloc((n ? n : 1) * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = opts[i].name;
	char *typed = xstrndup(a + 2, strcspn(a + 2, "="));
	const char *near = did_you_mean(typed, names, n);
	if (near)
		sb_addf(err, " (did you mean --%s?)", near);
	free(typed);
	free(names);
}

int cli_parse(const struct opt *opts, size_t nopts, int argc, char **argv, int first,
	      struct strvec *rest, struct strbuf *err)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				sv_push(rest, argv[i]);
			break;
		}
		if (a[0] != '-' || !a[1]) {
			sv_push(rest, a);
			continue;
		}
		const struct opt *o;
		const char *val = NULL;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(opts, nopts, a + 2, len);
			if (eq)
				val = eq + 1;
		} else {
			o = find_short(opts, nopts, a[1]);
			if (a[2])
				val = a + 2;
		}
		if (!o) {
			unknown_option(err, a, opts, nopts);
			return -1;
		}
		if (o->kind == OPT_FLAG && val) {
			sb_addf(err, "option '%s' takes no value", a);
			return -1;
		}
		if (o->kind != OPT_FLAG && !val) {
			if (i + 1 >= argc) {
				sb_addf(err, "option '%s' needs a value", a);
				return -1;
			}
			val = argv[++i];
		}
		if (set_value(o, val, err) < 0)
			return -1;
	}
	return 0;
}

void cli_help(FILE *f, const struct opt *opts, size_t nopts)
{
	for (size_t i = 0; i < nopts; i++) {
		char head[64], letter[8] = "    ";
		if (opts[i].letter)
			snprintf(letter, sizeof letter, "-%c, ", opts[i].letter);
		snprintf(head, sizeof head, "%s--%s%s%s", letter, opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-28s %s\n", head, opts[i].help);
	}
}

void cli_with_env(struct strvec *out, const char *env, int argc, char **argv)
{
	const char *words = getenv(env);
	for (int i = 0; i < argc && i < 2; i++)
		sv_push(out, argv[i]);
	while (words && *words) {
		words += strspn(words, " \t\n");
		size_t n = strcspn(words, " \t\n");
		if (n) {
			char *w = xstrndup(words, n);
			sv_push(out, w);
			free(w);
		}
		words += n;
	}
	for (int i = 2; i < argc; i++)
		sv_push(out, argv[i]);
}
