/* A case's `elf:` expectations: structural assertions on the files a link
 * wrote, decoded from YAML and checked against the ELF model.
 *
 *   elf:
 *     - file: libeh.so
 *       expect:
 *         - segment: { type: PT_LOAD, flags: RX, count: 1, align: 4096, before: PT_DYNAMIC }
 *         - section: { name: .eh_frame, flags: [alloc, write], type: SHT_PROGBITS }
 *         - section: { name: .ctors, present: false }
 *         - dynamic: { has: [DT_INIT_ARRAY], lacks: [DT_TEXTREL], needed: [libc.so.6] }
 *         - symbol: { name: f, table: dynsym, type: func, binding: global }
 *         - symbol: { name: g, section: .data, offset: 8, size: 4 }
 *         - section: { name: .data, bytes: 2a000000 }
 *         - bytes: { contains: [kept], lacks: [stripped] }
 *         - relocations: { type: R_X86_64_RELATIVE, min: 1 }
 *         - no-textrel: true
 *         - comment: '^GCC'
 *         - interp: /lib64/ld-linux-x86-64.so.2
 *         - finding: illumos-phdr-needs-interp
 *
 * A `finding` is a loader-rule finding the case expects: it must be there,
 * and it does not fail the test. */
#ifndef LM_ELF_EXPECT_H
#define LM_ELF_EXPECT_H

#include <stdbool.h>

#include "elf/model.h"
#include "elf/rules.h"
#include "yaml/yamldoc.h"

enum elfx_kind {
	X_SEGMENT, X_SECTION, X_DYNAMIC, X_SYMBOL, X_RELOCS, X_NO_TEXTREL, X_COMMENT,
	X_INTERP, X_FINDING, X_BYTES,
};

struct elfx {
	enum elfx_kind kind;
	struct ypos at;
	const char *name;            /* section, symbol; the rule of a finding; interp path */
	const char *type;            /* PT_*, SHT_*, R_* or a number; symbol type */
	const char *flags;           /* segment: "RX" */
	struct slist sflags, no_sflags;  /* section flags: alloc, write, exec, ... */
	long count, min, max, align, entsize;   /* -1: not given */
	const char *before;          /* segment order */
	bool present;                /* default true */
	struct slist has, lacks, needed;   /* bytes: has what it contains, lacks what it must not */
	const char *hex;             /* section: its contents exactly, as hex digits */
	const char *soname;
	const char *table;           /* symtab, dynsym; NULL: either */
	const char *binding, *visibility, *section, *version;
	long value, size, offset;    /* symbol: st_value, st_size, st_value less its section's
				      * address; -1: not given */
	bool no_textrel;
	struct regex *re;            /* comment */
};

struct elf_check {
	const char *file;
	struct elfx *v;
	size_t n;
	struct profile *profiles;   /* checked on top of the target's and the run's */
	size_t nprofiles;
	bool loaded;                /* default true; false: no loader loads it (a test of the
				     * link alone), so its findings fail nothing */
	struct ypos at;
};

/* Decodes the `elf:` list of a case. */
bool elfx_decode(struct ydoc *y, yaml_node_t *v, struct elf_check **out, size_t *n);

/* Checks f against c; appends one line per failed expectation to fail
 * ("section .eh_frame: flags [alloc] lack write"). Findings are the loader
 * rule findings for f, for `finding:` expectations. */
void elfx_check(const struct elf_file *f, const struct elf_check *c,
		const struct findings *fs, struct strbuf *fail);
/* True when c expects the finding with this rule id. */
bool elfx_expects_finding(const struct elf_check *c, const char *rule);

#endif
