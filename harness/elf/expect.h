/* A case's `elf:` expectations: structural assertions on the files a link
 * wrote, decoded from YAML and checked against the ELF model.
 *
 *   elf:
 *     - file: libeh.so
 *       expect:
 *         - header: { type: ET_DYN, machine: EM_X86_64, class: ELFCLASS64 }
 *         - segment: { type: PT_LOAD, flags: RX, count: 1, align: 4096, before: PT_DYNAMIC }
 *         - segment: { type: PT_LOAD, min-align: 4096 }
 *         - segment-order: [PT_PHDR, PT_INTERP, PT_LOAD, PT_DYNAMIC]
 *         - section: { name: .eh_frame, flags: [alloc, write], type: SHT_PROGBITS }
 *         - section: { name: .ctors, present: false }
 *         - dynamic: { has: [DT_INIT_ARRAY], lacks: [DT_TEXTREL], needed: [libc.so.6] }
 *         - dynamic: { flags: [BIND_NOW], flags-1: [NOW, PIE], no-flags-1: [NODELETE] }
 *         - dynamic: { runpath: '$ORIGIN/lib', rpath: '' }
 *         - symbol: { name: f, table: dynsym, type: func, binding: global }
 *         - symbol: { name: g, section: .data, offset: 8, size: 4 }
 *         - symbol: { name: puts, section: UND }
 *         - section: { name: .data, bytes: 2a000000 }
 *         - bytes: { contains: [kept], lacks: [stripped] }
 *         - relocations: { type: R_X86_64_RELATIVE, min: 1 }
 *         - no-textrel: true
 *         - comment: '^GCC'
 *         - interp: /lib64/ld-linux-x86-64.so.2
 *         - finding: illumos-phdr-needs-interp
 *         - property: { has: [IBT, SHSTK] }
 *         - versions: { defined: [V1, V2], needed: { libc.so.6: [GLIBC_2.2.5] } }
 *
 * Every name of an ELF constant (PT_, SHT_, SHF_, DT_, DF_, DF_1_, STT_,
 * STB_, STV_, ET_, EM_, R_, a GNU property feature) is looked up in the
 * tables of elf/names.h when the case is loaded: an unknown one is an error
 * at its file:line:column, with the name it is nearest to. A name may be
 * written with its prefix or without (PT_LOAD, LOAD), in any case; where
 * numbers were allowed (segment, section and dynamic types, relocation
 * types) they still are. A relocation name without its machine's prefix
 * (RELATIVE) is that type of the file's machine.
 *
 * What each checks, and the line it adds when it fails (the value found
 * first, then the one expected):
 *   header          e_type, e_machine, EI_CLASS ("header: e_type ET_EXEC, expected ET_DYN")
 *   segment         program headers of a type (and flags): their number,
 *                   p_align (align exact, min-align at least), and that the
 *                   first comes before the first of `before`
 *                   ("segment PT_GNU_RELRO: flags R, expected RW")
 *   segment-order   every header of each type before every header of the
 *                   next type listed; types the file lacks are passed over
 *   section         sections of a name: type, flags, no-flags, alignment
 *                   (align, min-align), entsize, count, bytes
 *   dynamic         tags present or not, DT_NEEDED in order, DT_SONAME,
 *                   DT_RUNPATH and DT_RPATH ('' for none), the bits of
 *                   DT_FLAGS (flags, no-flags) and DT_FLAGS_1 (flags-1,
 *                   no-flags-1) ("dynamic: DT_RUNPATH is '/x', expected '$ORIGIN'")
 *   symbol          the symbol of that name (defined first, or undefined
 *                   where section is UND): type, binding, visibility,
 *                   section (a name, or UND, ABS, COMMON), version, value,
 *                   size, offset in its section
 *   property        the features of the GNU property notes (IBT, SHSTK of
 *                   GNU_PROPERTY_X86_FEATURE_1_AND; BTI, PAC, GCS of
 *                   GNU_PROPERTY_AARCH64_FEATURE_1_AND) set or clear;
 *                   present: false, no GNU property note at all
 *                   ("property: no GNU property note (IBT expected)")
 *   versions        the version definitions (.gnu.version_d, the file's
 *                   own base one left out) exactly and in order; the
 *                   versions needed from each file named (.gnu.version_r)
 *                   exactly and in order
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
	X_INTERP, X_FINDING, X_BYTES, X_HEADER, X_SEGMENT_ORDER, X_PROPERTY, X_VERSIONS,
};

/* ELF constants a case named, decoded when it was loaded. */
struct elfvals {
	int64_t *v;
	size_t n;
};

/* The versions a file must need from one file. */
struct elfx_need {
	const char *file;
	struct slist versions;
};

struct elfx {
	enum elfx_kind kind;
	struct ypos at;
	const char *name;            /* section, symbol; the rule of a finding; interp path */
	struct elfvals type;         /* PT_, SHT_, STT_, ET_ (one); segment-order's PT_ (many) */
	const char *reloc;           /* R_* (by the file's machine), "relr" or a number */
	const char *flags;           /* segment: "RX" */
	struct elfvals set, unset;   /* SHF_ or DF_ bits, or features: set, clear */
	struct elfvals set1, unset1; /* DF_1_ bits */
	struct elfvals tags, no_tags;   /* dynamic: has, lacks */
	struct elfvals before, machine, cls, binding, visibility;
	long count, min, max, align, min_align, entsize;   /* -1: not given */
	bool present;                /* default true */
	struct slist has, lacks, needed;   /* bytes: has what it contains, lacks what it must not */
	const char *hex;             /* section: its contents exactly, as hex digits */
	const char *soname, *runpath, *rpath;   /* '' for none */
	const char *table;           /* symtab, dynsym; NULL: either */
	const char *section, *version;   /* section: UND, ABS and COMMON by that word */
	long value, size, offset;    /* symbol: st_value, st_size, st_value less its section's
				      * address; -1: not given */
	bool no_textrel;
	struct regex *re;            /* comment */
	bool has_defined;            /* versions: defined given */
	struct slist defined;
	struct elfx_need *need;
	size_t nneed;
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
