/* The ELF reader, the loader rules of every profile, the case's `elf:`
 * expectations of every kind and `elf show`: ELF bytes in, findings or a
 * one-line reason out, never a crash, a leak or undefined behaviour. */
#include <stdio.h>
#include <stdlib.h>

#include "elf/expect.h"
#include "elf/model.h"
#include "elf/rules.h"
#include "elf/show.h"
#include "fuzz.h"
#include "load/case.h"
#include "yaml/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

/* One expectation of each kind, so every checker reads the input. */
static const char expectations[] =
	"name: fuzz\n"
	"files: { a.c: '' }\n"
	"build: [{ output: a, inputs: [a.c] }]\n"
	"elf:\n"
	"  - file: a\n"
	"    profiles: [illumos, freebsd-13.1, android, linux-musl-1.2.3, linux-glibc-2.35]\n"
	"    expect:\n"
	"      - segment: { type: PT_LOAD, flags: RX, count: 1, align: 4096, before: PT_DYNAMIC }\n"
	"      - segment: { type: PT_INTERP, present: false }\n"
	"      - section: { name: .init_array, type: SHT_INIT_ARRAY, flags: [alloc, write],\n"
	"                   no-flags: [exec], align: 8, entsize: 8, count: 1 }\n"
	"      - dynamic: { has: [DT_INIT_ARRAY], lacks: [DT_TEXTREL], needed: [libc.so.6], soname: a }\n"
	"      - symbol: { name: f, table: dynsym, type: func, binding: global,\n"
	"                  visibility: default, section: .text, version: V1 }\n"
	"      - symbol: { name: g, table: symtab, present: false }\n"
	"      - relocations: { type: R_X86_64_RELATIVE, min: 1 }\n"
	"      - relocations: { type: relr, max: 3 }\n"
	"      - no-textrel: true\n"
	"      - comment: '^GCC: '\n"
	"      - interp: /lib64/ld-linux-x86-64.so.2\n"
	"      - finding: illumos-phdr-needs-interp\n"
	"      - header: { type: ET_DYN, machine: EM_X86_64, class: ELFCLASS64 }\n"
	"      - segment: { type: PT_GNU_RELRO, flags: RW, min-align: 4096 }\n"
	"      - segment-order: [PT_PHDR, PT_INTERP, PT_LOAD, PT_DYNAMIC]\n"
	"      - dynamic: { flags: [BIND_NOW], flags-1: [NOW], no-flags-1: [PIE], runpath: x, rpath: '' }\n"
	"      - symbol: { name: puts, section: UND }\n"
	"      - property: { has: [IBT], lacks: [SHSTK] }\n"
	"      - property: { present: false }\n"
	"      - versions: { defined: [V1], needed: { libc.so.6: [GLIBC_2.2.5] } }\n";

static struct lcase *expecting(void)
{
	static struct lcase *c;
	if (!c) {
		struct diags d = { 0 };
		c = case_load(fuzz_file(1, (const uint8_t *)expectations, sizeof expectations - 1),
			      NULL, &d);
		if (!c) {
			diag_print(&d, stderr);
			abort();
		}
		diag_free(&d);
	}
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const struct elf_check *ec = &expecting()->elf[0];
	const char *path = fuzz_file(0, data, n);
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct elf_file f;
	if (elf_open(&f, path, &err) == 0) {
		struct profile p[7];
		size_t np = 0;
		p[np++] = (struct profile){ 0 };
		profile_parse("linux-glibc-2.36", &p[0], &err);
		for (size_t i = 0; i < ec->nprofiles; i++)
			p[np++] = ec->profiles[i];
		struct findings fs = { 0 };
		rules_check(&f, p, np, &fs);
		elfx_check(&f, ec, &fs, &out);
		findings_free(&fs);
		elf_close(&f);
	}
	elf_show_file(path, &out);
	sb_free(&out);
	sb_free(&err);
	return 0;
}
