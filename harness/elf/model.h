/* elf/: ELF files as linkmatrix reads them: the model (this file), the
 * loader rules of each profile, a case's structural expectations, the
 * facts compared across linkers and their diff, and `elf show`. It knows
 * nothing of runs: `linkmatrix elf` uses it on any file.
 * May use: util, yaml.
 *
 * One ELF file as the rules, the expectations, the proof of the linker and
 * the diff see it: ELF32 or ELF64, either byte order, read with libelf
 * from a read-only mapping.
 *
 * elf_open() validates what everything after it relies on (headers,
 * tables inside the file, string indices) and says in one line what is
 * wrong when it cannot. Headers and the dynamic section are decoded into
 * small arrays; symbols, relocations, versions and notes, which can be
 * large, are walked in place with the elf_each_* functions, so nothing of
 * the file is copied beyond what libelf maps. */
#ifndef LM_ELF_MODEL_H
#define LM_ELF_MODEL_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/names.h"
#include "util/util.h"

struct elf_sec {
	const char *name;      /* "" when the section has none */
	GElf_Shdr sh;
};

/* Where a dynamic table is, as the loader finds it: by address. */
struct elf_span {
	uint64_t addr, size;
	const unsigned char *bytes;  /* NULL when the file does not hold it */
};

struct elf_file {
	const char *path;
	int fd;
	Elf *e;
	const unsigned char *raw;    /* the whole mapped file */
	size_t size;
	int cls;                     /* ELFCLASS32 or ELFCLASS64 */
	bool be;                     /* big-endian */
	GElf_Ehdr eh;
	GElf_Phdr *ph;
	size_t nph;
	struct elf_sec *sec;
	size_t nsec;
	GElf_Dyn *dyn;               /* from PT_DYNAMIC, else SHT_DYNAMIC; DT_NULL excluded */
	size_t ndyn;
	struct elf_span dynstr;      /* DT_STRTAB, DT_STRSZ */
};

/* 0, or -1 with a one-line reason in err ("truncated: section header
 * table ends at 4096, the file at 1000"). */
int elf_open(struct elf_file *f, const char *path, struct strbuf *err);
void elf_close(struct elf_file *f);
/* elf_open, the reason dropped: for looking closer where a file that does
 * not open is simply not looked at. */
int elf_open_quiet(struct elf_file *f, const char *path);
/* Each ELF file in path, opened as elf_open does: the file itself, or
 * each member of an ar archive, until fn returns false. Members and files
 * that do not open are passed over; -1 only when path cannot be opened. */
int elf_each_in(const char *path, bool (*fn)(void *ctx, const struct elf_file *f), void *ctx);

/* Sizes of the class's structures. */
size_t elf_addr_size(const struct elf_file *f);
size_t elf_phdr_size(const struct elf_file *f);
size_t elf_rel_size(const struct elf_file *f, bool rela);

/* The dynamic entry with this tag that loaders use, or NULL: the last one.
 * glibc's ld.so, musl, FreeBSD's rtld, illumos's ld.so.1 and bionic each
 * store every entry they read over the one before, so where a linker
 * wrote a tag twice the second counts (gabi-dyn-unique says so). */
const GElf_Dyn *elf_dyn(const struct elf_file *f, int64_t tag);
bool elf_has_dyn(const struct elf_file *f, int64_t tag);
/* The string at offset off of the dynamic string table, or NULL. */
const char *elf_dynstr(const struct elf_file *f, uint64_t off);

/* The PT_LOAD holding addr in its file image (filesz), or NULL; with
 * memsz when in_memory. */
const GElf_Phdr *elf_load_at(const struct elf_file *f, uint64_t addr, bool in_memory);
/* The file bytes at [addr, addr+len), or NULL when no PT_LOAD holds them. */
const unsigned char *elf_bytes_at(const struct elf_file *f, uint64_t addr, uint64_t len);
/* The section (SHF_ALLOC, not empty) holding addr, or NULL. */
const struct elf_sec *elf_section_at(const struct elf_file *f, uint64_t addr);
/* The first section of that name, or NULL. */
const struct elf_sec *elf_section(const struct elf_file *f, const char *name);
/* A section's bytes, or NULL for SHT_NOBITS and empty sections. */
const unsigned char *elf_section_bytes(const struct elf_file *f, const struct elf_sec *s);

uint64_t elf_read_word(const struct elf_file *f, const unsigned char *p, size_t size);

/* The PT_INTERP string as stored (maybe without its NUL): NULL when absent. */
const char *elf_interp(const struct elf_file *f, size_t *len);
/* Linked to be run: ET_EXEC, or ET_DYN with PT_INTERP or DF_1_PIE. */
bool elf_is_executable(const struct elf_file *f);
/* What kind of output f is, in a porter's words, with the facts that say
 * so: "a dynamic PIE (ET_DYN, PT_INTERP /lib/ld-musl-x86_64.so.1,
 * DT_NEEDED libc.so)". */
void elf_describe(const struct elf_file *f, struct strbuf *sb);

struct elf_symbol {
	const char *name;
	GElf_Sym sym;
	size_t index;
	const char *version;         /* dynsym only, from .gnu.version; NULL: none */
	bool hidden_version;         /* foo@V rather than foo@@V */
};
/* Where s is defined: its section's name, or UND, ABS or COMMON for the
 * special indices (as readelf prints them); "?" for an index no section has. */
const char *elf_symbol_section(const struct elf_file *f, const GElf_Sym *s);
/* Calls fn for each symbol of .symtab (dynamic false) or .dynsym; stops
 * when fn returns false. */
void elf_each_symbol(const struct elf_file *f, bool dynamic,
		     bool (*fn)(void *ctx, const struct elf_symbol *s), void *ctx);

/* Dynamic relocations, as the loader finds them through DT_RELA, DT_REL,
 * DT_JMPREL and DT_RELR. RELR entries come decoded: one relative
 * relocation per address, type 0, kind ELF_RELR. */
enum elf_rel_kind { ELF_REL, ELF_RELA, ELF_JMPREL, ELF_RELR };
struct elf_reloc {
	enum elf_rel_kind kind;
	uint64_t offset;
	uint32_t type, sym;
	int64_t addend;
};
void elf_each_dynreloc(const struct elf_file *f,
		       bool (*fn)(void *ctx, const struct elf_reloc *r), void *ctx);
/* R_*_NONE (type 0 on every machine): GNU ld pads unused dynamic
 * relocation slots with them, at offset 0; they write nothing. */
static inline bool elf_reloc_writes_nothing(const struct elf_reloc *r)
{
	return r->kind != ELF_RELR && r->type == 0;
}

/* Version needs: fn(ctx, file, version name) per vernaux. */
void elf_each_verneed(const struct elf_file *f,
		      bool (*fn)(void *ctx, const char *file, const char *version), void *ctx);
/* Version definitions: fn(ctx, name, index, flags) per verdef. */
void elf_each_verdef(const struct elf_file *f,
		     bool (*fn)(void *ctx, const char *name, unsigned index, unsigned flags),
		     void *ctx);

struct elf_note {
	const char *owner;           /* NUL-terminated within the file, or "" */
	uint32_t type;
	const unsigned char *desc;
	size_t descsz;
};
/* Notes of SHT_NOTE sections, or of PT_NOTE segments when the file has
 * no section headers. */
void elf_each_note(const struct elf_file *f,
		   bool (*fn)(void *ctx, const struct elf_note *n), void *ctx);

/* The strings of .comment, NUL-separated: fn(ctx, s, len). */
void elf_each_comment(const struct elf_file *f,
		      bool (*fn)(void *ctx, const char *s, size_t len), void *ctx);

/* The function (and, with objects, the object) defined at addr, by its
 * symbol (.symtab first, then .dynsym), or NULL. */
const char *elf_symbol_at(const struct elf_file *f, uint64_t addr, bool objects);
/* The name of dynamic symbol index, or NULL (0, out of range, no name). */
const char *elf_dynsym_name(const struct elf_file *f, size_t index);
/* "R", "RW", "RX", "RWX", "" from p_flags. */
const char *elf_pf_str(uint32_t flags, char *buf);

#endif
