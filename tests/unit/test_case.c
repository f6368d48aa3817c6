/* The case loader: what a good case becomes, and that every kind of
 * mistake is reported with its place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-case.XXXXXX";

static struct lcase *load(const char *text, struct diags *d)
{
	char *path = path_join(dir, "case.yaml");
	write_file_atomic(path, text, strlen(text));
	static const char *names[] = { "bfd", "mold" };
	struct slist known = { names, 2 };
	struct lcase *c = case_load(path, &known, d);
	free(path);
	return c;
}

/* True when some diagnostic is at line:col and contains text. */
static int has_diag(const struct diags *d, int line, int col, const char *text)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && (!col || d->v[i].col == col) && strstr(d->v[i].msg, text))
			return 1;
	diag_print(d, stderr);
	return 0;
}

static void good(void)
{
	struct diags d = { 0 };
	struct lcase *c = load(
		"name: good\n"
		"tags: [a, b]\n"
		"files:\n"
		"  lib.c: 'int f(void) { return 1; }'\n"
		"  main.c: 'int f(void); int main(void) { return f() - 1; }'\n"
		"variants:\n"
		"  default: {}\n"
		"  static: { mode: static, ldflags: ['-Wl,-z,now'] }\n"
		"build:\n"
		"  - { output: libf.a, mode: archive, inputs: [lib.c] }\n"
		"  - { output: main, inputs: [main.c, libf.a], libs: m }\n"
		"run:\n"
		"  - args: [main]\n"
		"    env: { A: b }\n"
		"    expect: { signal: SIGSEGV, stdout: '^x$' }\n"
		"  - args: [main]\n"
		"expect-failure:\n"
		"  - { linkers: mold, variants: [static], reason: why }\n", &d);
	if (!ok(c != NULL, "a good case loads")) {
		diag_print(&d, stderr);
		return;
	}
	is_int(c->nvariants, 2, "two variants");
	is_int(c->steps[0].mode, MODE_ARCHIVE, "mode archive");
	is_int(step_mode(&c->steps[1], &c->variants[1]), MODE_STATIC, "the variant's mode applies");
	is_int(step_mode(&c->steps[0], &c->variants[1]), MODE_ARCHIVE, "but not to archives");
	is_int(c->steps[1].libs.n, 1, "a scalar is a list of one");
	is_str(c->variants[1].ldflags.v[0], "-Wl,-z,now", "quoted flags stay whole");
	is_int(c->runs[0].signal, 11, "signal by name");
	ok(c->runs[0].has_expect && !c->runs[1].has_expect, "expect given or not");
	is_str(c->runs[0].env.v[0], "A=b", "env as NAME=value");
	is_str(c->xfails[0].reason, "why", "expect-failure");
	case_free(c);
	diag_free(&d);
}

static void one_variant_by_default(void)
{
	struct diags d = { 0 };
	struct lcase *c = load("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", &d);
	ok(c && c->nvariants == 1 && !strcmp(c->variants[0].name, "default"),
	   "no variants: one called default");
	case_free(c);
	diag_free(&d);
}

static void bad(const char *text, int line, int col, const char *msg)
{
	struct diags d = { 0 };
	struct lcase *c = load(text, &d);
	ok(!c && has_diag(&d, line, col, msg), "rejected at %d:%d: %s", line, col, msg);
	case_free(c);
	diag_free(&d);
}

int main(void)
{
	tap_start();
	if (!mkdtemp(dir))
		return 1;
	good();
	one_variant_by_default();
	bad("name: x\nbuild: [{ output: a, inputs: [a.c] }]\nfoo: 1\n", 3, 1, "unknown key 'foo' in a case");
	bad("name: x\nname: y\nbuild: []\n", 2, 1, "duplicate key 'name'");
	bad("files: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 1, 1, "missing required key 'name'");
	bad("name: x\nbuild: [{ output: a, inputs: [a.c], mode: exe2 }]\n", 2, 43, "unknown mode 'exe2'");
	bad("name: x\nfiles: { /etc/passwd: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 2, 10,
	    "must be relative");
	bad("name: x\nfiles: { a/../../b.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 2, 10,
	    "must be relative");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c], ldflags: [-Wl,-z,now] }]\n",
	    3, 9, "a lone '-Wl'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "variants:\n  v: { cflags: [-O2], ldflags: [-Wl,-z,now] }\n", 5, 3, "a lone '-Wl'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "variants:\n  v:\n    requires: { linkers: [gold2] }\n", 6, 15, "linker 'gold2'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }, { output: a, inputs: [a.c] }]\n",
	    3, 39, "output 'a' is built twice");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "run: [{ args: [a], expect: { exit: 1, signal: 9 } }]\n", 4, 28, "either an exit status or a signal");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "run: [{ args: [a], expect: { exit: 300 } }]\n", 4, 28, "out of range");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "run: [{ args: [a], expect: { stdout: '(' } }]\n", 4, 38, "bad regular expression");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "expect-failure: [{ linkers: [lld2], reason: r }]\n", 4, 18, "linker 'lld2'");
	bad("name: x\nfiles: { a.c: { path: nothere.c } }\nbuild: [{ output: a, inputs: [a.c] }]\n",
	    0, 0, "is not a readable file");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: b, expect: [] }]\n", 4, 7, "elf names 'b', which no build step writes");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, expect: [{ finding: no-such-rule }] }]\n", 4, 38, "unknown loader rule 'no-such-rule'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, expect: [{ section: { name: .t, flags: [alloc, wirte] } }] }]\n", 4, 38,
	    "a section flag must be one of");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, expect: [{ interp: x, comment: y }] }]\n", 4, 27, "a mapping with one key");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, expect: [{ segment: { type: LOAD, flags: RWZ } }] }]\n", 4, 38,
	    "segment flags are letters of RWX");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, expect: [{ symbol: { name: f, binding: globl } }] }]\n", 4, 37,
	    "a binding must be one of");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, profiles: [illumos, solaris] }]\n", 4, 38, "unknown loader profile 'solaris'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
	    "elf: [{ file: a, profiles: illumos }]\n", 4, 28, "profiles must be a list");
	bad("name: x\nbuild: {}\n", 2, 8, "must be a list");
	bad("name: [x]\nbuild: []\n", 1, 7, "must be a string");
	bad("name: x\nbuild: [\n", 3, 1, "malformed YAML");
	bad("name: x\n---\nname: y\n", 2, 1, "more than one YAML document");
	char *path = path_join(dir, "case.yaml");
	unlink(path);
	free(path);
	rmdir(dir);
	return tap_done();
}
