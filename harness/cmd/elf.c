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

static int check(int argc, char **argv)
{
	struct strvec profs = STRVEC_INIT, files = STRVEC_INIT;
	bool json = false, help = false;
	const struct opt opts[] = {
		{ "profile", 'p', OPT_LIST, &profs, "P,...",
		  "loader profiles: gabi, linux-glibc[-VER], linux-musl[-VER], illumos, "
		  "freebsd[-VER], android (default: gabi)" },
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
		printf("usage: linkmatrix elf check [--profile P,...] [--json] FILE...\n"
		       "exit status: 0 clean, 1 findings, 2 an unreadable file or usage\n");
		cli_help(stdout, opts, ARRAY_LEN(opts));
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < profs.n; i++)
		if (profiles_parse(profs.v[i], &pv, &np, &err) < 0)
			goto usage;
	if (!files.n) {
		sb_adds(&err, "name the files to check");
		goto usage;
	}
	struct strbuf out = STRBUF_INIT;
	struct json j;
	json_init(&j, &out, true);
	json_arr(&j);
	rc = 0;
	for (size_t i = 0; i < files.n; i++) {
		struct elf_file f;
		struct strbuf why = STRBUF_INIT;
		if (json) {
			json_obj(&j);
			json_kstr(&j, "file", files.v[i]);
		}
		if (elf_open(&f, files.v[i], &why) < 0) {
			if (json)
				json_kstr(&j, "error", why.buf);
			else
				fprintf(stderr, "linkmatrix elf check: %s\n", why.buf);
			rc = 2;
		} else {
			struct findings fs = { 0 };
			rules_check(&f, pv, np, &fs);
			if (json)
				json_findings(&j, &fs);
			else
				text_findings(files.v[i], &fs);
			if (fs.n && rc == 0)
				rc = 1;
			findings_free(&fs);
			elf_close(&f);
		}
		if (json)
			json_obj_end(&j);
		sb_free(&why);
	}
	json_arr_end(&j);
	if (json)
		printf("%s\n", out.buf);
	sb_free(&out);
	goto out;
usage:
	fprintf(stderr, "linkmatrix elf check: %s\n", sb_str(&err));
out:
	free(pv);
	sv_clear(&profs);
	sv_clear(&files);
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
		printf("usage: linkmatrix elf diff FILE REFERENCE... [--ignore GLOB,...] [--json]\n"
		       "FILE's facts that differ from those of every REFERENCE; exit status 0 none,\n"
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

static int show(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: linkmatrix elf show FILE...\n");
		return 2;
	}
	int rc = 0;
	for (int i = 3; i < argc; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (argc > 4)
			printf("%s%s:\n", i > 3 ? "\n" : "", argv[i]);
		if (elf_show_file(argv[i], &sb) < 0) {
			fputs(sb.buf, stderr);
			rc = 2;
		} else {
			fputs(sb.buf, stdout);
		}
		sb_free(&sb);
	}
	return rc;
}

static int rules(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < rule_count(); i++) {
		struct rule_info r = rule_info_at(i);
		printf("%-36s %s\n    %s\n    -> %s\n", r.id, r.profiles, r.rule, r.consequence);
	}
	return 0;
}

int cmd_elf(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = { { "check", check }, { "diff", diff }, { "show", show }, { "rules", rules } };
	for (size_t i = 0; argc > 2 && i < ARRAY_LEN(subs); i++)
		if (!strcmp(argv[2], subs[i].name))
			return subs[i].fn(argc, argv);
	fprintf(stderr, "usage: linkmatrix elf check [--profile P,...] [--json] FILE...\n"
			"       linkmatrix elf diff FILE REFERENCE... [--ignore GLOB,...] [--json]\n"
			"       linkmatrix elf show FILE...\n"
			"       linkmatrix elf rules\n");
	return 2;
}
