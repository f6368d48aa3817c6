/* linkmatrix list, linkers, targets and validate: what the configuration
 * and the case files hold, without running anything. */
#include "cmd/cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "jobs/runner.h"
#include "load/setup.h"

struct config_opts {
	const char *linkers_dir, *targets_dir;
	struct strvec linkers;
	bool help, names;
};

static int parse_config_opts(int argc, char **argv, struct config_opts *o, struct strvec *rest)
{
	const struct opt opts[] = {
		{ "linkers-dir", 0, OPT_STR, &o->linkers_dir, "DIR", "linker definitions" },
		{ "targets-dir", 0, OPT_STR, &o->targets_dir, "DIR", "target definitions" },
		{ "linker", 'l', OPT_LIST, &o->linkers, "NAME=PATH,...",
		  "add these linkers: each is of the family its version output names" },
		{ "help", 'h', OPT_FLAG, &o->help, NULL, "this help" },
		{ "names", 0, OPT_FLAG, &o->names, NULL,
		  "the names alone, one a line (for scripts and shell completion)" },
	};
	/* validate lists no names. */
	size_t n = ARRAY_LEN(opts) - !strcmp(argv[1], "validate");
	struct strbuf err = STRBUF_INIT;
	int rc = cli_parse(opts, n, argc, argv, 2, rest, &err);
	if (rc < 0)
		fprintf(stderr, "linkmatrix %s: %s (see 'linkmatrix %s --help')\n", argv[1], err.buf,
			argv[1]);
	if (o->help && rc == 0) {
		usage_print(stdout, argv[1]);
		cli_help(stdout, opts, n);
	}
	sb_free(&err);
	return rc;
}

/* What a line of `linkers` says a linker is: a family's default, when it
 * has other versions, is the one its name selects. */
static void print_what(const struct linker_set *ls, const struct linker *l)
{
	size_t versions = 0;
	for (size_t i = 0; i < ls->n; i++)
		versions += !ls->v[i].added && !strcmp(ls->v[i].family, l->family);
	if (l->added)
		printf(" (given by path: %s, by its version output)\n", l->family);
	else if (strcmp(l->name, l->family))
		printf(" (another version of %s)\n", l->family);
	else
		printf(" (%s%s%s%s)\n", l->description ? l->description : "",
		       versions > 1 ? "; the default of its versions, which --linker " : "",
		       versions > 1 ? l->name : "", versions > 1 ? " selects" : "");
}

static void print_linkers(const struct setup *s)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		const struct linker *l = &s->ls.v[i];
		if (l->host.found) {
			printf("%-10s %-9s %s", l->name, l->host.version, l->host.path);
			print_what(&s->ls, l);
		} else {
			printf("%-10s %-9s %s\n", l->name, "-", l->host.why);
		}
		for (size_t k = 0; k < l->nat; k++) {
			const struct linker_at *a = &l->at[k];
			if (!a->owned)
				continue;
			if (a->found)
				printf("%-10s %-9s %s (for %s)\n", "", a->version, a->path, a->t->name);
			else
				printf("%-10s %-9s for %s: %s\n", "", "-", a->t->name, a->why);
		}
	}
}

static void print_targets(const struct setup *s)
{
	static const char *const runners[] = { [RUNNER_NATIVE] = "native", [RUNNER_QEMU_USER] = "qemu-user", [RUNNER_SSH] = "ssh" };
	for (size_t i = 0; i < s->ts.n; i++) {
		const struct target *t = &s->ts.v[i];
		printf("%-22s %-7s %s %s %s, cc %s, runner %s, reference %s, profile %s%s", t->name,
		       t->usable ? "usable" : "-", t->os, t->arch, t->libc, t->cc,
		       runners[t->runner], t->reference_linker, t->prof.name,
		       t->is_default ? ", default" : "");
		if (!t->usable) {
			printf("\n    not usable: %s\n", t->why);
			continue;
		}
		printf("\n    %s\n", t->cc_version ? t->cc_version : "");
		target_detect_rust(&s->ts.v[i]);
		if (t->rustc_path)
			printf("    Rust: %s --target %s\n", t->rustc_path, t->rust_target);
		else
			printf("    no Rust: %s\n", t->rust_why);
		const struct profile *p = &t->prof;
		for (size_t j = 0; j < p->nloaders; j++)
			printf("%s%s%s", j ? ", " : "    loader ", p->loaders[j],
			       j + 1 < p->nloaders ? "" : p->loaders_only ? " (its file's list)\n"
			       : " (what cc writes into a PIE)\n");
		if (p->root && strcmp(p->root, "/"))
			printf("    its files under %s%s\n", p->root, p->root_then_host ? ", then the host's" : "");
		for (size_t m = 0; m < MODE_COUNT; m++)
			if (t->cannot[m])
				printf("    no %s: %s\n", mode_name(m), t->cannot[m]);
	}
}

static void print_cases(const struct setup *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const struct loaded_case *lc = &s->cases[i];
		if (!lc->c) {
			printf("%s: broken\n%s", lc->path, lc->errors ? lc->errors : "");
			continue;
		}
		printf("%-32s", lc->c->name);
		for (size_t v = 0; v < lc->c->nvariants; v++)
			printf("%s%s", v ? "," : " ", lc->c->variants[v].name);
		if (lc->c->tags.n) {
			printf("  [");
			for (size_t t = 0; t < lc->c->tags.n; t++)
				printf("%s%s", t ? " " : "", lc->c->tags.v[t]);
			printf("]");
		}
		printf("\n");
	}
}

/* --names: what a shell completes, or a script loops over. */
static void print_names(const struct setup *s, const char *cmd)
{
	if (!strcmp(cmd, "list"))
		for (size_t i = 0; i < s->ncases; i++)
			if (s->cases[i].c)
				printf("%s\n", s->cases[i].c->name);
	if (!strcmp(cmd, "linkers"))
		for (size_t i = 0; i < s->ls.n; i++)
			printf("%s\n", s->ls.v[i].name);
	if (!strcmp(cmd, "targets"))
		for (size_t i = 0; i < s->ts.n; i++)
			printf("%s\n", s->ts.v[i].name);
}

int cmd_info(int argc, char **argv)
{
	struct config_opts o = { 0 };
	struct strvec rest = STRVEC_INIT;
	int parsed = parse_config_opts(argc, argv, &o, &rest);
	if (parsed < 0 || o.help) {
		sv_clear(&rest);
		sv_clear(&o.linkers);
		return parsed < 0 ? 2 : 0;
	}
	const char *cmd = argv[1];
	bool cases = !strcmp(cmd, "list") || !strcmp(cmd, "validate");
	struct setup s;
	int rc = 2;
	if (!strcmp(cmd, "validate") && !rest.n) {
		fprintf(stderr, "linkmatrix validate: name the case files to check\n");
	} else if (setup_config(&s, argv[0], o.linkers_dir, o.targets_dir, cases ? NULL : runner_unusable, &o.linkers) == 0) {
		struct strbuf err = STRBUF_INIT;
		rc = 0;
		if (cases && setup_cases(&s, sv_argv(&rest), rest.n, &err) < 0) {
			fprintf(stderr, "linkmatrix %s: %s\n", cmd, err.buf);
			rc = 2;
		} else if (o.names) {
			print_names(&s, cmd);
		} else if (!strcmp(cmd, "list")) {
			print_cases(&s);
		} else if (!strcmp(cmd, "validate")) {
			for (size_t i = 0; i < s.ncases; i++) {
				if (s.cases[i].c)
					continue;
				fputs(s.cases[i].errors, stderr);
				rc = 1;
			}
			if (!rc)
				printf("%zu case files are valid\n", s.ncases);
		} else if (!strcmp(cmd, "linkers")) {
			print_linkers(&s);
		} else {
			print_targets(&s);
		}
		sb_free(&err);
	}
	setup_free(&s);
	sv_clear(&rest);
	sv_clear(&o.linkers);
	return rc;
}
