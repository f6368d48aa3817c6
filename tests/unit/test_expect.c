/* The `elf:` expectations checked: each one passing on a file that has
 * what it says, and failing on one that has not, with what was found in
 * its line. Files are made byte by byte (elfbuild.h) where that is
 * enough; versions, UND, ABS and COMMON symbols come from gcc and GNU ld. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/expect.h"
#include "elfbuild.h"
#include "load/case.h"
#include "tap.h"

static char dir[] = "/tmp/lm-test-expect.XXXXXX";

/* The failure lines of the expectations `expect` (a YAML flow list's
 * items) on the file at path; "" when they hold, NULL when the case or
 * the file does not load. */
static char *check_file(const char *path, const char *expect)
{
	char *yaml = xasprintf("name: x\nfiles: { a.c: '' }\nbuild: [{ output: a, inputs: [a.c] }]\n"
			       "elf: [{ file: a, expect: [%s] }]\n", expect);
	char *cpath = path_join(dir, "case.yaml");
	write_file(cpath, yaml, strlen(yaml));
	struct diags d = { 0 };
	struct lcase *c = case_load(cpath, NULL, &d);
	struct elf_file f;
	struct strbuf err = STRBUF_INIT, fail = STRBUF_INIT;
	char *r = NULL;
	if (!c)
		diag_print(&d, stderr);
	else if (elf_open(&f, path, &err) < 0)
		fprintf(stderr, "# %s\n", sb_str(&err));
	else {
		struct findings fs = { 0 };
		elfx_check(&f, &c->elf[0], &fs, &fail);
		elf_close(&f);
		r = xstrdup(sb_str(&fail));
	}
	sb_free(&err);
	sb_free(&fail);
	case_free(c);
	diag_free(&d);
	free(cpath);
	free(yaml);
	return r;
}

static char *check_fx(const struct fx *f, const char *expect)
{
	char *path = path_join(dir, "fx");
	char *r = fx_write(f, path) == 0 ? check_file(path, expect) : NULL;
	free(path);
	return r;
}

/* The expectation holds (no failure), or fails with exactly want. */
static void holds(char *got, const char *what)
{
	ok(got && !*got, "holds: %s", what);
	if (got && *got)
		fprintf(stderr, "# got: %s", got);
	free(got);
}

static void fails(char *got, const char *want)
{
	char *line = xasprintf("%s\n", want);
	struct strbuf name = STRBUF_INIT;
	sb_add_replacing(&name, want, strlen(want), "\n", " / ");
	is_str(got, line, sb_str(&name));
	sb_free(&name);
	free(line);
	free(got);
}

static void header(void)
{
	struct fx f;
	fx_init(&f, ET_EXEC, 0);
	holds(check_fx(&f, "{ header: { type: EXEC, machine: EM_X86_64, class: ELFCLASS64 } }"),
	      "header type, machine, class");
	fails(check_fx(&f, "{ header: { type: ET_DYN } }"), "header: e_type ET_EXEC, expected ET_DYN");
	fails(check_fx(&f, "{ header: { machine: AARCH64 } }"),
	      "header: e_machine EM_X86_64, expected EM_AARCH64");
	fails(check_fx(&f, "{ header: { class: ELFCLASS32 } }"),
	      "header: EI_CLASS ELFCLASS64, expected ELFCLASS32");
}

static void segments(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	fx_interp(&f, "/lib/ld.so", 1, 1);
	fx_dyn(&f, DT_FLAGS, DF_BIND_NOW);
	fx_ph(&f, 0x6474e552, PF_R, 0x2000, FX_RW, 0x800, 0x800, 1);   /* PT_GNU_RELRO */
	holds(check_fx(&f, "{ segment: { type: PT_GNU_RELRO, flags: R } }"), "PT_GNU_RELRO R");
	fails(check_fx(&f, "{ segment: { type: PT_GNU_RELRO, flags: RW } }"),
	      "segment PT_GNU_RELRO: flags R, expected RW");
	fails(check_fx(&f, "{ segment: { type: GNU_STACK } }"),
	      "segment PT_GNU_STACK: absent (the program headers are PT_INTERP, PT_LOAD, "
	      "PT_DYNAMIC, PT_GNU_RELRO)");
	fails(check_fx(&f, "{ segment: { type: LOAD, count: 1 } }"),
	      "segment PT_LOAD: 2 program headers, expected 1");
	fails(check_fx(&f, "{ segment: { type: INTERP, present: false } }"),
	      "segment PT_INTERP: present (program header 0), expected none");
	holds(check_fx(&f, "{ segment: { type: LOAD, min-align: 4096 } }"), "min-align met exactly");
	fails(check_fx(&f, "{ segment: { type: LOAD, flags: RX, min-align: 0x10000 } }"),
	      "segment PT_LOAD RX (program header 1): align 0x1000, expected at least 0x10000");
	fails(check_fx(&f, "{ segment: { type: LOAD, flags: RW, align: 0x200000 } }"),
	      "segment PT_LOAD RW (program header 2): align 0x1000, expected 0x200000");
	fails(check_fx(&f, "{ segment: { type: PT_GNU_RELRO, before: PT_LOAD } }"),
	      "segment PT_GNU_RELRO: program header 4 comes after PT_LOAD (1)");
	holds(check_fx(&f, "{ segment-order: [PT_PHDR, PT_INTERP, PT_LOAD, PT_DYNAMIC] }"),
	      "segment-order, PT_PHDR absent and passed over");
	fails(check_fx(&f, "{ segment-order: [PT_INTERP, PT_GNU_RELRO, PT_LOAD] }"),
	      "segment-order: PT_GNU_RELRO (program header 4) comes after PT_LOAD (1), expected "
	      "before it; the program headers are PT_INTERP, PT_LOAD, PT_DYNAMIC, PT_GNU_RELRO");
}

static void sections(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	fx_sec(&f, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, FX_RW, 0x2000, 0x10, 0);
	holds(check_fx(&f, "{ section: { name: .data, type: PROGBITS, flags: [alloc, SHF_WRITE], "
			   "no-flags: [exec], min-align: 8 } }"), "section type, flags, min-align");
	fails(check_fx(&f, "{ section: { name: .data, flags: [exec] } }"),
	      "section .data: flags SHF_WRITE SHF_ALLOC, lacks SHF_EXECINSTR");
	fails(check_fx(&f, "{ section: { name: .data, no-flags: [write] } }"),
	      "section .data: flags SHF_WRITE SHF_ALLOC, has SHF_WRITE, expected not");
	fails(check_fx(&f, "{ section: { name: .data, type: SHT_NOBITS } }"),
	      "section .data: type SHT_PROGBITS, expected SHT_NOBITS");
	fails(check_fx(&f, "{ section: { name: .data, min-align: 16 } }"),
	      "section .data: alignment 8, expected at least 16");
	fails(check_fx(&f, "{ section: { name: .date } }"), "section .date: absent (the file has .data)");
	fails(check_fx(&f, "{ section: { name: .text } }"), "section .text: absent");
}

/* A dynamic string table at the start of the RW load. */
static void dynstr(struct fx *f, const char *s, size_t n)
{
	fx_put(f, 0x2000, s, n);
	fx_dyn(f, DT_STRTAB, FX_RW);
	fx_dyn(f, DT_STRSZ, n);
}

static void dynamic(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	static const char strs[] = "\0$ORIGIN/lib\0libc.so.6\0a\nb";
	dynstr(&f, strs, sizeof strs);
	fx_dyn(&f, DT_RUNPATH, 1);
	fx_dyn(&f, DT_NEEDED, 13);
	fx_dyn(&f, DT_FLAGS, DF_BIND_NOW);
	fx_dyn(&f, DT_FLAGS_1, DF_1_NOW | DF_1_PIE);
	holds(check_fx(&f, "{ dynamic: { runpath: '$ORIGIN/lib', rpath: '', flags: [BIND_NOW], "
			   "flags-1: [NOW, DF_1_PIE], no-flags-1: [NODELETE], no-flags: [TEXTREL] } }"),
	      "DT_RUNPATH, no DT_RPATH, DT_FLAGS and DT_FLAGS_1 bits");
	fails(check_fx(&f, "{ dynamic: { runpath: /x } }"),
	      "dynamic: DT_RUNPATH is '$ORIGIN/lib', expected '/x'");
	fails(check_fx(&f, "{ dynamic: { runpath: '' } }"),
	      "dynamic: DT_RUNPATH is '$ORIGIN/lib', expected none");
	fails(check_fx(&f, "{ dynamic: { rpath: '$ORIGIN' } }"), "dynamic: no DT_RPATH, expected '$ORIGIN'");
	fails(check_fx(&f, "{ dynamic: { flags-1: [NODELETE] } }"),
	      "dynamic: DT_FLAGS_1 is DF_1_NOW DF_1_PIE, lacks DF_1_NODELETE");
	fails(check_fx(&f, "{ dynamic: { no-flags-1: [PIE] } }"),
	      "dynamic: DT_FLAGS_1 is DF_1_NOW DF_1_PIE, has DF_1_PIE, expected not");
	fails(check_fx(&f, "{ dynamic: { lacks: [DT_FLAGS] } }"),
	      "dynamic: DT_FLAGS is present (0x8), expected absent");
	fails(check_fx(&f, "{ dynamic: { needed: [libc.so.6, libm.so.6] } }"),
	      "dynamic: DT_NEEDED [libc.so.6], expected [libc.so.6, libm.so.6]");
	fails(check_fx(&f, "{ dynamic: { soname: libx.so } }"), "dynamic: no DT_SONAME, expected 'libx.so'");
	fx_dyn(&f, DT_SONAME, 23);
	fails(check_fx(&f, "{ dynamic: { soname: libx.so } }"),
	      "dynamic: DT_SONAME is 'a\\nb', expected 'libx.so'");
	fx_init(&f, ET_DYN, 0);
	fx_dyn(&f, DT_DEBUG, 0);
	fails(check_fx(&f, "{ dynamic: { flags: [BIND_NOW, ORIGIN] } }"),
	      "dynamic: no DT_FLAGS (DF_ORIGIN DF_BIND_NOW expected)");
}

/* A .note.gnu.property of one property, type and bits, at 0x1000. */
static void property_note(struct fx *f, uint32_t type, uint32_t bits)
{
	uint32_t note[] = { 4, 16, 5, 0x554e47 /* "GNU\0" */, type, 4, bits, 0 };
	fx_put(f, 0x1000, note, sizeof note);
	fx_sec(f, ".note.gnu.property", SHT_NOTE, SHF_ALLOC, FX_RX + 0x1000, 0x1000, sizeof note, 0);
}

static void property(void)
{
	struct fx f;
	fx_init(&f, ET_EXEC, 0);
	fails(check_fx(&f, "{ property: { has: [IBT] } }"), "property: no GNU property note (IBT expected)");
	holds(check_fx(&f, "{ property: { present: false } }"), "no note, none expected");
	property_note(&f, 0xc0000002, 3);
	holds(check_fx(&f, "{ property: { has: [IBT, X86_FEATURE_1_SHSTK] } }"), "IBT and SHSTK");
	fails(check_fx(&f, "{ property: { lacks: [SHSTK] } }"),
	      "property: GNU_PROPERTY_X86_FEATURE_1_AND is IBT SHSTK, has SHSTK, expected not");
	fails(check_fx(&f, "{ property: { has: [BTI] } }"),
	      "property: no GNU_PROPERTY_AARCH64_FEATURE_1_AND (BTI expected)");
	fails(check_fx(&f, "{ property: { present: false } }"),
	      "property: a GNU property note (GNU_PROPERTY_X86_FEATURE_1_AND IBT SHSTK), expected none");
	fx_init(&f, ET_EXEC, 0);
	property_note(&f, 0xc0000002, 1);
	fails(check_fx(&f, "{ property: { has: [IBT, SHSTK] } }"),
	      "property: GNU_PROPERTY_X86_FEATURE_1_AND is IBT, lacks SHSTK");
}

static void relocations(void)
{
	struct fx f;
	fx_init(&f, ET_DYN, 0);
	uint64_t at[] = { FX_RW + 0x10, FX_RW + 0x18 };
	fx_rela(&f, at, 2);
	holds(check_fx(&f, "{ relocations: { type: RELATIVE, count: 2 } }"),
	      "a relocation type without its machine's prefix");
	fails(check_fx(&f, "{ relocations: { type: R_X86_64_RELATIVE, max: 1 } }"),
	      "relocations R_X86_64_RELATIVE: 2, expected at most 1");
	fails(check_fx(&f, "{ relocations: { type: R_AARCH64_RELATIVE } }"),
	      "relocations: R_AARCH64_RELATIVE is no relocation type of EM_X86_64");
}

/* Symbols, versions and .comment of real files: a library with two
 * versions, a program using one, an object with a common symbol. */
static bool sh(const char *cmd)
{
	char *c = xasprintf("cd %s && %s >/dev/null 2>&1", dir, cmd);
	bool ok = system(c) == 0;
	free(c);
	return ok;
}

static void put(const char *name, const char *text)
{
	char *path = path_join(dir, name);
	write_file(path, text, strlen(text));
	free(path);
}

static char *check_built(const char *name, const char *expect)
{
	char *path = path_join(dir, name);
	char *r = check_file(path, expect);
	free(path);
	return r;
}

static void linked(void)
{
	put("v.map", "V1 { global: f; local: *; };\nV2 { global: g; } V1;\n");
	put("lib.c", "int f(void) { return 1; }\nint g(void) { return 2; }\n");
	put("main.c", "int f(void);\nint main(void) { return f() - 1; }\n");
	put("c.c", "int c;\n__asm__(\".globl a\\n.set a, 0x42\");\n");
	if (!ok(sh("gcc -fPIC -shared -fuse-ld=bfd -Wl,--version-script=v.map -o libv.so lib.c") &&
		sh("gcc -fuse-ld=bfd -o main main.c -L. -lv") && sh("gcc -c -fcommon -o c.o c.c"),
		"gcc and GNU ld build the library, the program and the object"))
		return;
	holds(check_built("libv.so", "{ versions: { defined: [V1, V2] } }"), "versions defined in order");
	fails(check_built("libv.so", "{ versions: { defined: [V2, V1] } }"),
	      "versions: defined [V1, V2], expected [V2, V1]");
	holds(check_built("main", "{ versions: { needed: { libv.so: [V1] } } }"), "version needed");
	fails(check_built("main", "{ versions: { needed: { libv.so: [V2], libw.so: [W] } } }"),
	      "versions: needed from libv.so [V1], expected [V2]\n"
	      "versions: needed from libw.so [none], expected [W]");
	/* section: UND never matched: undefined symbols were passed over. */
	holds(check_built("main", "{ symbol: { name: f, table: dynsym, section: UND, version: V1 } }"),
	      "an undefined symbol is in section UND");
	fails(check_built("main", "{ symbol: { name: f, table: dynsym, section: .text } }"),
	      "symbol f (dynsym): in section UND, expected .text");
	fails(check_built("libv.so", "{ symbol: { name: g, table: dynsym, section: UND, binding: weak } }"),
	      "symbol g (dynsym): binding STB_GLOBAL, expected STB_WEAK\n"
	      "symbol g (dynsym): in section .text, expected UND");
	holds(check_built("c.o", "{ symbol: { name: c, section: COMMON } }"), "a common symbol is in COMMON");
	holds(check_built("c.o", "{ symbol: { name: a, section: SHN_ABS, value: 0x42 } }"),
	      "an absolute symbol is in ABS");
	fails(check_built("c.o", "{ symbol: { name: c, section: .bss } }"),
	      "symbol c (symtab): in section COMMON, expected .bss");
	fails(check_built("main", "{ symbol: { name: main, present: false } }"),
	      "symbol main: present in symtab (.text), expected absent");
	char *got = check_built("main", "{ comment: '^no such linker' }");
	if (!ok(got && strstr(got, "comment: the .comment strings are 'GCC: ") &&
		strstr(got, ", none matches '^no such linker'"),
		"a .comment that does not match shows the strings"))
		fprintf(stderr, "# got: %s", got ? got : "(none)\n");
	free(got);
}

int main(void)
{
	tap_start();
	if (!mkdtemp(dir))
		return 1;
	header();
	segments();
	sections();
	dynamic();
	property();
	relocations();
	linked();
	rm_rf(dir);
	return tap_done();
}
