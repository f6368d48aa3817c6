/* The case loader: what a good case becomes, and that every kind of
 * mistake is reported with its place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/model.h"
#include "elfbuild.h"
#include "load/case.h"
#include "tap.h"

/* The smallest good case, for the rejections to add their mistake to. */
#define A_CASE "name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
/* The same with more keys in its build step. */
#define A_CASE_STEP(more) "name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c], " more " }]\n"

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
	struct lcase *c = load(A_CASE, &d);
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

/* A case that must load; what is wrong with it is printed if it does not. */
static struct lcase *must_load(const char *text)
{
	struct diags d = { 0 };
	struct lcase *c = load(text, &d);
	if (!c)
		diag_print(&d, stderr);
	diag_free(&d);
	return c;
}

static void limits(void)
{
	struct lcase *c = must_load(A_CASE
			       "run: [{ args: [a], limits: { memory: 256M, file-size: 1024, "
			       "output: 4K, processes: 16 } }]\n");
	ok(c && c->runs[0].limits.memory == 256u << 20 && c->runs[0].limits.file_size == 1024 &&
	   c->runs[0].limits.output == 4096 && c->runs[0].limits.processes == 16,
	   "a run step's limits, in bytes and with units");
	case_free(c);
}

/* Anchors and aliases work as YAML says: a build step's flags shared. */
static void aliases(void)
{
	struct lcase *c = must_load("name: x\nfiles: { a.c: '' }\n"
			       "build:\n  - { output: a, inputs: [a.c], cflags: &f [-O2, -g] }\n"
			       "  - { output: b, inputs: [a.c], cflags: *f }\n");
	ok(c && c->nsteps == 2 && c->steps[1].cflags.n == 2 &&
	   !strcmp(c->steps[1].cflags.v[1], "-g"), "an alias repeats its anchor's list");
	case_free(c);
}

/* What libyaml would take minutes or gigabytes over, or loop on. */
static void hostile_yaml(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "name: x\nbuild: ");
	for (int i = 0; i < 20000; i++)
		sb_addc(&sb, '[');
	bad(sb.buf, 2, 71, "nested more than 64 levels deep");
	sb_reset(&sb);
	sb_adds(&sb, "name: x\ndescription: &d '");
	for (int i = 0; i < 100000; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "'\ntags: [");
	for (int i = 0; i < 100; i++)
		sb_adds(&sb, "*d, ");
	sb_adds(&sb, "]\nbuild: []\n");
	bad(sb.buf, 3, 56, "expand past 1 MiB (an alias bomb?)");
	sb_free(&sb);
	bad("name: &n [*n]\nbuild: []\n", 1, 11, "alias *n names no finished node");
	bad("name: *n\nbuild: []\n", 1, 7, "alias *n names no finished node");
}

/* What each kind of output satisfies, mode by mode (exe, pie, static,
 * static-pie, shared, relocatable), and how it is described when it does
 * not: the mode check after every link and the targets' probes. */
static void modes(void)
{
	static const enum mode order[] = { MODE_EXE, MODE_PIE, MODE_STATIC, MODE_STATIC_PIE,
					   MODE_SHARED, MODE_RELOCATABLE };
	struct { const char *what, *made, *describe; } kinds[] = {
		{ "a dynamic executable", "100000", "a dynamic executable (ET_EXEC, PT_INTERP /lib/ld.so)" },
		{ "a static executable", "101000", "a static executable (ET_EXEC)" },
		{ "a dynamic PIE that needs a library", "010010", "a dynamic PIE (ET_DYN, PT_INTERP /lib/ld.so, DT_NEEDED ?)" },
		{ "a static-pie", "001110", "a static-pie (ET_DYN, PT_DYNAMIC)" },
		{ "ET_DYN without PT_DYNAMIC", "001000", "an ET_DYN file without PT_DYNAMIC (ET_DYN, no PT_DYNAMIC)" },
		{ "a relocatable object", "000001", "a relocatable object (ET_REL)" },
	};
	char *path = path_join(dir, "kind");
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		struct fx f;
		fx_init(&f, k < 2 ? ET_EXEC : k < 5 ? ET_DYN : ET_REL, k == 5);
		if (k == 0 || k == 2)
			fx_interp(&f, "/lib/ld.so", 1, 1);
		if (k == 2)
			fx_dyn(&f, DT_NEEDED, 1);
		if (k == 3)
			fx_dyn(&f, DT_FLAGS_1, DF_1_PIE);
		struct strbuf err = STRBUF_INIT, made = STRBUF_INIT, all = STRBUF_INIT;
		struct elf_file e;
		if (!ok(fx_write(&f, path) == 0 && elf_open(&e, path, &err) == 0, kinds[k].what)) {
			fprintf(stderr, "# %s\n", sb_str(&err));
			continue;
		}
		for (size_t m = 0; m < sizeof order / sizeof *order; m++) {
			sb_reset(&made);
			sb_addc(&all, mode_made(&e, order[m], &made) ? '1' : '0');
		}
		is_str(all.buf, kinds[k].made, "  the modes it is");
		sb_reset(&made);
		elf_describe(&e, &made);
		is_str(made.buf, kinds[k].describe, "  and what it is called");
		elf_close(&e);
		sb_free(&err);
		sb_free(&made);
		sb_free(&all);
	}
	free(path);
}

/* An elf expectation on line 4 that is refused at the column of token. */
static void bad_elf(const char *expect, const char *token, const char *msg)
{
	char *text = xasprintf(A_CASE "elf: [{ file: a, expect: [%s] }]\n", expect);
	char *line = strrchr(text, '\n');
	while (line > text && line[-1] != '\n')
		line--;
	const char *at = strstr(line, token);
	bad(text, 4, at ? (int)(at - line) + 1 : -1, msg);
	free(text);
}

/* Every place a case names an ELF constant: refused at the name itself,
 * the nearest name offered where one is near. */
static void elf_names(void)
{
	bad_elf("{ segment: { type: PT_BOGUS } }", "PT_BOGUS",
		"unknown segment type 'PT_BOGUS' (PT_ names such as PT_LOAD, or a number)");
	bad_elf("{ segment: { type: PT_GNU_RELR } }", "PT_GNU_RELR",
		"unknown segment type 'PT_GNU_RELR' (did you mean PT_GNU_RELRO?)");
	bad_elf("{ segment: { type: LOAD, before: DYNAMC } }", "DYNAMC",
		"unknown segment type 'DYNAMC' (did you mean DYNAMIC?)");
	bad_elf("{ segment-order: [PT_PHDR, PT_INTREP, PT_LOAD] }", "PT_INTREP",
		"unknown segment type 'PT_INTREP' (did you mean PT_INTERP?)");
	bad_elf("{ section: { name: .t, type: SHT_PROGBIT } }", "SHT_PROGBIT",
		"unknown section type 'SHT_PROGBIT' (did you mean SHT_PROGBITS?)");
	bad_elf("{ section: { name: .t, flags: [alloc, wirte] } }", "wirte",
		"unknown section flag 'wirte' (did you mean write?)");
	bad_elf("{ section: { name: .t, no-flags: [SHF_EXECINST] } }", "SHF_EXECINST",
		"unknown section flag 'SHF_EXECINST' (did you mean SHF_EXECINSTR?)");
	bad_elf("{ section: { name: .t, flags: [xyzzy] } }", "xyzzy",
		"unknown section flag 'xyzzy' (one of write, alloc, exec,");
	bad_elf("{ dynamic: { has: [DT_INIT_ARRAY, DT_TEXTRLE] } }", "DT_TEXTRLE",
		"unknown dynamic tag 'DT_TEXTRLE' (did you mean DT_TEXTREL?)");
	bad_elf("{ dynamic: { lacks: [DT_GNU_HAHS] } }", "DT_GNU_HAHS",
		"unknown dynamic tag 'DT_GNU_HAHS' (did you mean DT_GNU_HASH?)");
	bad_elf("{ dynamic: { flags: [BIND_NOE] } }", "BIND_NOE",
		"unknown DT_FLAGS bit 'BIND_NOE' (did you mean BIND_NOW?)");
	bad_elf("{ dynamic: { flags-1: [NOW, DF_1_PIEE] } }", "DF_1_PIEE",
		"unknown DT_FLAGS_1 bit 'DF_1_PIEE' (did you mean DF_1_PIE?)");
	bad_elf("{ dynamic: { flags: [PIE] } }", "PIE", "unknown DT_FLAGS bit 'PIE'");
	bad_elf("{ symbol: { name: f, type: fnuc } }", "fnuc",
		"unknown symbol type 'fnuc' (did you mean func?)");
	bad_elf("{ symbol: { name: f, binding: globl } }", "globl",
		"unknown symbol binding 'globl' (did you mean global?)");
	bad_elf("{ symbol: { name: f, visibility: STV_HIDEN } }", "STV_HIDEN",
		"unknown symbol visibility 'STV_HIDEN' (did you mean STV_HIDDEN?)");
	bad_elf("{ relocations: { type: R_X86_64_RELATIV } }", "R_X86_64_RELATIV",
		"unknown relocation type 'R_X86_64_RELATIV' (did you mean R_X86_64_RELATIVE?)");
	bad_elf("{ relocations: { type: R_BOGUS_1 } }", "R_BOGUS_1",
		"unknown relocation type 'R_BOGUS_1' (R_ names such as");
	bad_elf("{ header: { type: ET_DYNN } }", "ET_DYNN",
		"unknown ELF type 'ET_DYNN' (did you mean ET_DYN?)");
	bad_elf("{ header: { machine: EM_X86_46 } }", "EM_X86_46",
		"unknown machine 'EM_X86_46' (did you mean EM_X86_64?)");
	bad_elf("{ header: { class: ELFCLASS65 } }", "ELFCLASS65",
		"unknown ELF class 'ELFCLASS65' (did you mean ELFCLASS64?)");
	bad_elf("{ property: { has: [IBT, SHTSK] } }", "SHTSK",
		"unknown GNU property feature 'SHTSK' (did you mean SHSTK?)");
	bad_elf("{ property: { present: false, has: [IBT] } }", "{ present",
		"present: false has no has or lacks");
	bad_elf("{ versions: { needed: [libc.so.6] } }", "[libc",
		"versions: needed (a mapping of file to versions)");
	/* A newline in a name stays in the one line of the message. */
	bad_elf("{ segment: { type: \"PT_\\nX\" } }", "\"PT_",
		"unknown segment type 'PT_\\nX'");
}

/* What the names decode to, and what else is taken. */
static void elf_values(void)
{
	struct lcase *c = must_load(A_CASE
		"elf: [{ file: a, expect: [\n"
		"  { segment: { type: 0x6474e553, before: gnu_relro } },\n"
		"  { segment-order: [PHDR, PT_INTERP, 1] },\n"
		"  { section: { name: .t, type: 19, flags: [alloc, SHF_WRITE, EXECINSTR] } },\n"
		"  { dynamic: { has: [0x6ffffffb, RELR], flags-1: [now, DF_1_PIE] } },\n"
		"  { symbol: { name: f, section: SHN_UNDEF, binding: STB_WEAK, type: GNU_IFUNC } },\n"
		"  { relocations: { type: RELATIVE } },\n"
		"  { header: { type: 3, machine: AARCH64, class: 64 } },\n"
		"  { property: { has: [GNU_PROPERTY_X86_FEATURE_1_IBT], lacks: [X86_FEATURE_1_SHSTK] } },\n"
		"  { versions: { defined: [], needed: { libc.so.6: [GLIBC_2.2.5] } } }] }]\n");
	if (!ok(c != NULL, "names with or without their prefix, in any case, and numbers, load"))
		return;
	const struct elfx *x = c->elf[0].v;
	ok(x[0].type.v[0] == 0x6474e553 && x[0].before.v[0] == 0x6474e552, "a segment type by number, before by a lowercase name");
	ok(x[1].type.n == 3 && x[1].type.v[0] == PT_PHDR && x[1].type.v[2] == PT_LOAD, "segment-order's types");
	ok(x[2].type.v[0] == 19 && x[2].set.n == 3 &&
	   (x[2].set.v[0] | x[2].set.v[1] | x[2].set.v[2]) == (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR),
	   "section flags by word, name and name without prefix");
	ok(x[3].tags.v[0] == DT_FLAGS_1 && x[3].tags.v[1] == 36 && x[3].set1.n == 2 &&
	   (x[3].set1.v[0] | x[3].set1.v[1]) == (DF_1_NOW | DF_1_PIE), "dynamic tags and DT_FLAGS_1 bits");
	ok(!strcmp(x[4].section, "UND") && x[4].binding.v[0] == STB_WEAK && x[4].type.v[0] == STT_GNU_IFUNC,
	   "SHN_UNDEF is section UND; STB_ and STT_ names");
	is_str(x[5].reloc, "RELATIVE", "a relocation name without its machine's prefix");
	ok(x[6].type.v[0] == ET_DYN && x[6].machine.v[0] == EM_AARCH64 && x[6].cls.v[0] == ELFCLASS64,
	   "the header's type, machine and class");
	ok(x[7].set.n == 1 && x[7].unset.n == 1, "property features, by full name and without the prefix");
	ok(x[8].has_defined && x[8].defined.n == 0 && x[8].nneed == 1 &&
	   !strcmp(x[8].need[0].file, "libc.so.6") && x[8].need[0].versions.n == 1,
	   "versions: defined (none) and needed by file");
	case_free(c);
}

/* expect: { warnings: none } is a link's: not an archive's, not rustc's. */
static void link_warnings(void)
{
	struct lcase *c = must_load(A_CASE_STEP("expect: { warnings: none }"));
	ok(c && c->steps[0].no_warnings, "warnings: none on a link");
	case_free(c);
	c = must_load(A_CASE_STEP("expect: { warnings: any }"));
	ok(c && !c->steps[0].no_warnings, "warnings: any, the default");
	case_free(c);
	bad(A_CASE_STEP("expect: { warnings: few }"), 3, 57,
	    "expect: 'warnings' must be one of any, none, not 'few'");
	bad("name: x\nfiles: { a.c: '' }\n"
	    "build: [{ output: a.a, mode: archive, inputs: [a.c], expect: { warnings: none } }]\n",
	    3, 9, "link expectations do not apply");
	bad("name: x\nfiles: { a.rs: '' }\n"
	    "build: [{ output: a, inputs: [a.rs], expect: { warnings: none } }]\n",
	    3, 9, "'warnings: none' cannot hold");
}

int main(void)
{
	tap_start();
	if (!mkdtemp(dir))
		return 1;
	good();
	one_variant_by_default();
	modes();
	bad("name: x\nbuild: [{ output: a, inputs: [a.c] }]\nfoo: 1\n", 3, 1, "unknown key 'foo' in a case");
	bad("name: x\nname: y\nbuild: []\n", 2, 1, "duplicate key 'name'");
	bad("files: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 1, 1, "missing required key 'name'");
	bad("name: x\nbuild: [{ output: a, inputs: [a.c], mode: exe2 }]\n", 2, 43, "unknown mode 'exe2'");
	bad("name: x\nfiles: { /etc/passwd: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 2, 10,
	    "is not a name: letters, digits");
	bad("name: x\nfiles: { a/../../b.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n", 2, 10,
	    "is not a name: letters, digits");
	/* A zero-width space is shown, not printed: the name looked like "ab". */
	bad(A_CASE "variants:\n  \"a\\u200Bb\": {}\n", 5, 3, "variant name 'a\\xe2\\x80\\x8bb' is not a name");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c], ldflags: [-Wl,-z,now] }]\n",
	    3, 9, "a lone '-Wl'");
	bad(A_CASE
	    "variants:\n  v: { cflags: [-O2], ldflags: [-Wl,-z,now] }\n", 5, 3, "a lone '-Wl'");
	bad(A_CASE
	    "variants:\n  v:\n    requires: { linkers: [gold2] }\n", 6, 15, "linker 'gold2'");
	bad("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }, { output: a, inputs: [a.c] }]\n",
	    3, 39, "output 'a' is built twice");
	bad(A_CASE
	    "run: [{ args: [a], expect: { exit: 1, signal: 9 } }]\n", 4, 28, "either an exit status or a signal");
	bad(A_CASE
	    "run: [{ args: [a], expect: { exit: 300 } }]\n", 4, 28, "out of range");
	bad(A_CASE
	    "run: [{ args: [a], expect: { stdout: '(' } }]\n", 4, 38, "bad regular expression");
	bad(A_CASE
	    "expect-failure: [{ linkers: [lld2], reason: r }]\n", 4, 18, "linker 'lld2'");
	bad("name: x\nfiles: { a.c: { path: nothere.c } }\nbuild: [{ output: a, inputs: [a.c] }]\n",
	    2, 15, "is not a readable file");
	bad(A_CASE
	    "elf: [{ file: b, expect: [] }]\n", 4, 7, "elf names 'b', which no build step writes");
	bad(A_CASE
	    "elf: [{ file: a, expect: [{ finding: no-such-rule }] }]\n", 4, 38, "unknown loader rule 'no-such-rule'");
	bad(A_CASE
	    "elf: [{ file: a, expect: [{ interp: x, comment: y }] }]\n", 4, 27, "a mapping with one key");
	bad(A_CASE
	    "elf: [{ file: a, expect: [{ segment: { type: LOAD, flags: RWZ } }] }]\n", 4, 38,
	    "segment flags are letters of RWX");
	bad(A_CASE
	    "elf: [{ file: a, profiles: [illumos, solaris] }]\n", 4, 38, "unknown loader profile 'solaris'");
	bad(A_CASE
	    "elf: [{ file: a, profiles: illumos }]\n", 4, 28, "profiles must be a list");
	bad("name: x\nbuild: {}\n", 2, 8, "must be a list");
	bad("name: [x]\nbuild: []\n", 1, 7, "must be a string");
	bad("name: x\nbuild: [\n", 3, 1, "malformed YAML");
	bad("name: x\n---\nname: y\n", 2, 1, "more than one YAML document");
	bad("# nothing but a comment\n", 0, 0, "empty file");
	bad(A_CASE
	    "run: [{ args: [a], limits: { memory: 12X } }]\n", 4, 38, "must be a size");
	bad(A_CASE
	    "run: [{ args: [a], limits: { output: 99999999999G } }]\n", 4, 38, "must be a size");
	bad(A_CASE
	    "run: [{ args: [a], limits: { processes: -1 } }]\n", 4, 28,
	    "limits: 'processes' must be above 0 (leave it out for the default)");
	/* 0 was silently the default: it is refused, and left out it is still it. */
	bad(A_CASE
	    "run: [{ args: [a], limits: { memory: 0 } }]\n", 4, 28,
	    "limits: 'memory' must be above 0 (leave it out for the default)");
	bad(A_CASE
	    "run: [{ args: [a], limits: { output: 0 } }]\n", 4, 28,
	    "limits: 'output' must be above 0");
	bad(A_CASE
	    "run: [{ args: [a], timeout: 0 }]\n", 4, 29,
	    "a run step's timeout must be above 0 and at most 604800 seconds, not 0");
	bad(A_CASE
	    "run: [{ args: [a], timeout: .inf }]\n", 4, 29, "must be a number, not '.inf'");
	elf_names();
	elf_values();
	link_warnings();
	limits();
	aliases();
	hostile_yaml();
	char *path = path_join(dir, "case.yaml");
	unlink(path);
	free(path);
	rmdir(dir);
	return tap_done();
}
