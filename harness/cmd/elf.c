/* linkmatrix elf check | diff | rules: the ELF tools, on files, outside runs. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "elf/diff.h"
#include "elf/model.h"
#include "elf/rules.h"
#include "elf/show.h"
#include "jobs/inspect.h"
#include "load/case.h"
#include "util/json.h"

static void text_findings(const char *path, const struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->v[i];
		printf("%s: %s [%s]: %s\n    -> %s\n", path, x->rule, x->profile, x->where,
		       x->consequence);
	}
}

static void json_findings(struct json *j, const struct findings *fs)
{
	json_key(j, "findings");
	json_arr(j);
	for (size_t i = 0; i < fs->n; i++) {
		json_obj(j);
		json_kstr(j, "rule", fs->v[i].rule);
		json_kstr(j, "profile", fs->v[i].profile);
		json_kstr(j, "where", fs->v[i].where);
		json_kstr(j, "consequence", fs->v[i].consequence);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* The system a file was made for, as a run knows its target: its
 * profile, its own loaders and where its files are. */
struct made_for {
	const char *profile, *root;
	struct strvec loaders;
	bool only_loaders, root_then_host;
};

/* The profiles to check against: the made-for one first (the others check
 * the file as if it ran elsewhere, as a run's --check-profile does), then
 * --profile's; gabi alone when neither is given. */
static int check_profiles(const struct made_for *m, const struct strvec *profs,
			  struct profile **pv, size_t *np, struct strbuf *err)
{
	if (m->profile && profiles_parse(m->profile, pv, np, err) < 0)
		return -1;
	if (m->profile && *np != 1) {
		sb_addf(err, "--made-for names one profile");
		return -1;
	}
	for (size_t i = 0; i < profs->n; i++)
		if (profiles_parse(profs->v[i], pv, np, err) < 0)
			return -1;
	if (!*np && profiles_parse("gabi", pv, np, err) < 0)
		return -1;
	struct profile *p = &(*pv)[0];
	if (m->profile) {
		p->loaders = (const char *const *)m->loaders.v;
		p->nloaders = m->loaders.n;
		p->loaders_only = m->only_loaders;
		p->root = m->root;
		p->root_then_host = m->root_then_host;
		for (size_t i = 1; i < *np; i++)
			(*pv)[i].as_if = (*pv)[i].kind != p->kind;
	}
	return 0;
}

static void findings_out(struct json *j, const char *path, const struct findings *fs)
{
	if (j)
		json_findings(j, fs);
	else
		text_findings(path, fs);
}

/* One file against the rules; 0 clean, 1 findings, 2 unreadable. */
static int check_file(const char *path, const struct profile *pv, size_t np, struct json *j)
{
	struct elf_file f;
	struct strbuf why = STRBUF_INIT;
	int rc = 2;
	if (elf_open(&f, path, &why) < 0) {
		if (j)
			json_kstr(j, "error", why.buf);
		else
			fprintf(stderr, "linkmatrix elf check: %s\n", why.buf);
	} else {
		struct findings fs = { 0 };
		rules_check(&f, pv, np, &fs);
		findings_out(j, path, &fs);
		rc = fs.n ? 1 : 0;
		findings_free(&fs);
		elf_close(&f);
	}
	sb_free(&why);
	return rc;
}

/* The checks a run makes of one output of a case (jobs/inspect.c): the
 * mode its step asks for in the variant, the loader rules with the
 * findings the case expects, the case's elf: expectations. How a repro
 * replays them. 0 pass, 1 fail, 2 unreadable case. */
static int check_as_case(const char *path, const char *casefile, const char *output,
			 const char *variant, const struct profile *pv, size_t np, struct json *j,
			 struct strbuf *err)
{
	struct diags d = { 0 };
	struct lcase *c = case_load(casefile, NULL, &d);
	if (!c) {
		diag_format(&d, err);
		diag_free(&d);
		return 2;
	}
	diag_free(&d);
	const struct variant *v = NULL;
	for (size_t i = 0; i < c->nvariants && !v; i++)
		if (!variant || !strcmp(c->variants[i].name, variant))
			v = &c->variants[i];
	const struct build_step *step = NULL;
	for (size_t i = 0; i < c->nsteps && !step; i++)
		if (!strcmp(c->steps[i].output, output))
			step = &c->steps[i];
	int rc = 2;
	if (!v)
		sb_addf(err, "%s has no variant '%s'", casefile, variant);
	else if (!step)
		sb_addf(err, "%s builds no output '%s'", casefile, output);
	struct elf_file f;
	struct strbuf why = STRBUF_INIT;
	bool readable = !err->len && elf_open(&f, path, &why) == 0;
	if (!err->len) {
		struct inspect_ctx ic = { pv, pv + 1, np - 1, step_mode(step, v) };
		struct result r = { 0 };
		inspect_output(&r, c, &ic, output, readable ? &f : NULL, why.buf);
		struct findings fs = { 0 };
		for (size_t i = 0; i < r.nnotes; i++) {
			const struct rule_note *n = &r.notes[i];
			struct finding x = { n->rule, n->profile, n->where, n->consequence };
			if (fs.n == fs.cap)
				fs.v = xrealloc(fs.v, (fs.cap = fs.cap ? 2 * fs.cap : 8) * sizeof *fs.v);
			fs.v[fs.n++] = x;
		}
		findings_out(j, path, &fs);
		free(fs.v);
		if (j) {
			json_kstr(j, "outcome", outcome_name(r.outcome));
			if (r.outcome != OUT_PASS) {
				json_kstr(j, "stage", stage_name(r.stage));
				json_kstr(j, "message", r.message);
			}
		} else if (r.outcome != OUT_PASS) {
			printf("%s: %s [%s]: %s\n", path, outcome_name(r.outcome), stage_name(r.stage),
			       r.message);
		}
		rc = r.outcome == OUT_PASS ? 0 : 1;
		result_free(&r);
	}
	if (readable)
		elf_close(&f);
	sb_free(&why);
	case_free(c);
	return rc;
}

static int check(int argc, char **argv)
{
	struct strvec profs = STRVEC_INIT, files = STRVEC_INIT;
	struct made_for m = { .loaders = STRVEC_INIT };
	const char *casefile = NULL, *output = NULL, *variant = NULL;
	bool json = false, help = false;
	const struct opt opts[] = {
		{ "profile", 'p', OPT_LIST, &profs, "P,...",
		  "loader profiles: gabi, linux-glibc[-VER], linux-musl[-VER], illumos, "
		  "freebsd[-VER], android (default: gabi)" },
		{ "made-for", 0, OPT_STR, &m.profile, "P",
		  "the profile of the system the file was made for, as a run's target: the "
		  "--profile ones then check it as if it ran on theirs" },
		{ "loaders", 0, OPT_LIST, &m.loaders, "PATH,...",
		  "the made-for target's own loaders (its compiler's, or its file's interpreters:)" },
		{ "only-loaders", 0, OPT_FLAG, &m.only_loaders, NULL, "those and no other" },
		{ "root", 0, OPT_STR, &m.root, "DIR",
		  "where the made-for target's files are here: its loader must be there" },
		{ "root-then-host", 0, OPT_FLAG, &m.root_then_host, NULL,
		  "and then on this host (qemu-user's -L)" },
		{ "case", 0, OPT_STR, &casefile, "FILE",
		  "check FILE as a run checks an output of this case: its mode, the findings "
		  "it expects, its elf: expectations" },
		{ "output", 0, OPT_STR, &output, "NAME", "which output of the case FILE is" },
		{ "variant", 0, OPT_STR, &variant, "V", "the case's variant (default: its first)" },
		{ "json", 0, OPT_FLAG, &json, NULL, "JSON on stdout" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT;
	struct profile *pv = NULL;
	size_t np = 0;
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 3, &files, &err) < 0)
		goto usage;
	if (help) {
		usage_print(stdout, "elf check");
		printf("exit status: 0 clean, 1 findings (with --case: the run's checks fail), "
		       "2 an unreadable file or usage\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	if (check_profiles(&m, &profs, &pv, &np, &err) < 0)
		goto usage;
	if (!files.n) {
		sb_adds(&err, "name the files to check");
		goto usage;
	}
	if (!casefile != !output || (casefile && files.n != 1) || (variant && !casefile)) {
		sb_adds(&err, "--case and --output go together, with one FILE (and --variant with them)");
		goto usage;
	}
	struct strbuf out = STRBUF_INIT;
	struct json j;
	json_init(&j, &out, true);
	json_arr(&j);
	rc = 0;
	for (size_t i = 0; i < files.n; i++) {
		if (json) {
			json_obj(&j);
			json_kstr(&j, "file", files.v[i]);
		}
		int one = casefile ? check_as_case(files.v[i], casefile, output, variant, pv, np,
						   json ? &j : NULL, &err)
				   : check_file(files.v[i], pv, np, json ? &j : NULL);
		if (one > rc)
			rc = one;
		if (json)
			json_obj_end(&j);
	}
	json_arr_end(&j);
	if (json && !err.len)
		printf("%s\n", out.buf);
	sb_free(&out);
	if (!err.len)
		goto out;
usage:
	fprintf(stderr, "linkmatrix elf check: %s\n", sb_str(&err));
out:
	free(pv);
	sv_clear(&profs);
	sv_clear(&files);
	sv_clear(&m.loaders);
	sb_free(&err);
	return rc;
}

static int diff(int argc, char **argv)
{
	struct strvec ignore = STRVEC_INIT, files = STRVEC_INIT;
	bool json = false, help = false, no_defaults = false;
	const struct opt opts[] = {
		{ "ignore", 'i', OPT_LIST, &ignore, "GLOB,...", "keys not to compare (fnmatch globs)" },
		{ "no-default-ignores", 0, OPT_FLAG, &no_defaults, NULL,
		  "compare the keys of the default ignore list too" },
		{ "json", 0, OPT_FLAG, &json, NULL, "JSON on stdout" },
		{ "help", 'h', OPT_FLAG, &help, NULL, "this help" },
	};
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	int rc = 2;
	if (cli_parse(opts, ARRAY_LEN(opts), argc, argv, 3, &files, &err) < 0) {
		fprintf(stderr, "linkmatrix elf diff: %s\n", err.buf);
	} else if (help) {
		size_t n;
		const struct diff_ignore *d = elf_diff_default_ignores(&n);
		usage_print(stdout, "elf diff");
		printf("FILE's facts that differ from those of every REFERENCE; exit status 0 none,\n"
		       "1 some, 2 an unreadable file or usage\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		printf("default ignores (version %d):\n", ELF_DIFF_IGNORES_VERSION);
		for (size_t i = 0; i < n; i++)
			printf("  %-34s %s\n", d[i].glob, d[i].why);
		rc = 0;
	} else if (files.n < 2) {
		fprintf(stderr, "linkmatrix elf diff: name a file and at least one reference\n");
	} else {
		struct slist ig = { (const char **)ignore.v, ignore.n };
		struct elf_diff d;
		if (elf_diff_files(files.v, files.n, &ig, no_defaults, &d, &err) < 0) {
			fprintf(stderr, "linkmatrix elf diff: %s\n", err.buf);
		} else {
			if (json) {
				struct json j;
				json_init(&j, &out, true);
				elf_diff_json(&d, &j);
				sb_addc(&out, '\n');
			} else {
				elf_diff_text(&d, 0, &out);
			}
			fputs(out.buf, stdout);
			rc = d.nrows ? 1 : 0;
			elf_diff_free(&d);
		}
	}
	sb_free(&out);
	sb_free(&err);
	sv_clear(&ignore);
	sv_clear(&files);
	return rc;
}

/* Every file is shown, an unreadable one said on stderr. */
static int show_files(const struct strvec *files)
{
	int rc = 0;
	for (size_t i = 0; i < files->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (files->n > 1)
			printf("%s%s:\n", i ? "\n" : "", files->v[i]);
		if (elf_show_file(files->v[i], &sb) < 0) {
			fputs(sb.buf, stderr);
			rc = 2;
		} else {
			fputs(sb.buf, stdout);
		}
		sb_free(&sb);
	}
	return rc;
}

static int show(int argc, char **argv)
{
	struct strvec files = STRVEC_INIT;
	int rc = usage_no_options("elf show", argc, argv, &files);
	if (!rc && !files.n) {
		usage_print(stderr, "elf show");
		rc = 2;
	} else if (!rc) {
		rc = show_files(&files);
	}
	sv_clear(&files);
	return rc < 0 ? 0 : rc;
}

static int rules(int argc, char **argv)
{
	struct strvec rest = STRVEC_INIT;
	int rc = usage_no_options("elf rules", argc, argv, &rest);
	if (!rc && rest.n) {
		fprintf(stderr, "linkmatrix elf rules: takes no operands\n");
		rc = 2;
	}
	for (size_t i = 0; !rc && i < rule_count(); i++) {
		struct rule_info r = rule_info_at(i);
		printf("%-36s %s\n    %s\n    -> %s\n", r.id, r.profiles, r.rule, r.consequence);
	}
	sv_clear(&rest);
	return rc < 0 ? 0 : rc;
}

int cmd_elf(int argc, char **argv)
{
	static const struct command subs[] = {
		{ "check", check }, { "diff", diff }, { "show", show }, { "rules", rules },
	};
	return cmd_dispatch(argc, argv, subs, ARRAY_LEN(subs));
}
