#include "elf/names.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Values past the oldest <elf.h> the harness builds with (and every
 * OS-specific one) are written as numbers, so that no system header decides
 * which names exist. */
#define N(x) { x, #x, NULL }
#define W(x, w) { x, #x, w }
#define TABLE(var, k, pfx, nums, arr) \
	const struct elf_names var = { k, pfx, arr, sizeof arr / sizeof *arr, nums }

static const struct elf_name pt[] = {
	N(PT_NULL), N(PT_LOAD), N(PT_DYNAMIC), N(PT_INTERP), N(PT_NOTE), N(PT_SHLIB),
	N(PT_PHDR), N(PT_TLS),
	{ 0x6474e550, "PT_GNU_EH_FRAME", NULL }, { 0x6474e551, "PT_GNU_STACK", NULL },
	{ 0x6474e552, "PT_GNU_RELRO", NULL }, { 0x6474e553, "PT_GNU_PROPERTY", NULL },
	{ 0x6474e554, "PT_GNU_SFRAME", NULL },
	{ 0x6464e550, "PT_SUNW_UNWIND", NULL }, { 0x6474e550, "PT_SUNW_EH_FRAME", NULL },
	{ 0x6ffffffa, "PT_SUNWBSS", NULL }, { 0x6ffffffb, "PT_SUNWSTACK", NULL },
	{ 0x6ffffffc, "PT_SUNWDTRACE", NULL }, { 0x6ffffffd, "PT_SUNWCAP", NULL },
	{ 0x65041580, "PT_PAX_FLAGS", NULL },
	{ 0x65a3dbe5, "PT_OPENBSD_MUTABLE", NULL }, { 0x65a3dbe6, "PT_OPENBSD_RANDOMIZE", NULL },
	{ 0x65a3dbe7, "PT_OPENBSD_WXNEEDED", NULL }, { 0x65a3dbe8, "PT_OPENBSD_NOBTCFI", NULL },
	{ 0x65a41be6, "PT_OPENBSD_BOOTDATA", NULL },
	{ 0x70000001, "PT_ARM_EXIDX/PT_MIPS_RTPROC", NULL }, { 0x70000001, "PT_ARM_EXIDX", NULL },
	{ 0x70000002, "PT_AARCH64_MEMTAG_MTE/PT_MIPS_OPTIONS", NULL },
	{ 0x70000002, "PT_AARCH64_MEMTAG_MTE", NULL },
	{ 0x70000003, "PT_RISCV_ATTRIBUTES/PT_MIPS_ABIFLAGS", NULL },
	{ 0x70000003, "PT_RISCV_ATTRIBUTES", NULL },
};
TABLE(elf_pt_names, "segment type", "PT_", true, pt);

static const struct elf_name dt[] = {
	N(DT_NULL), N(DT_NEEDED), N(DT_PLTRELSZ), N(DT_PLTGOT), N(DT_HASH), N(DT_STRTAB),
	N(DT_SYMTAB), N(DT_RELA), N(DT_RELASZ), N(DT_RELAENT), N(DT_STRSZ), N(DT_SYMENT),
	N(DT_INIT), N(DT_FINI), N(DT_SONAME), N(DT_RPATH), N(DT_SYMBOLIC), N(DT_REL),
	N(DT_RELSZ), N(DT_RELENT), N(DT_PLTREL), N(DT_DEBUG), N(DT_TEXTREL), N(DT_JMPREL),
	N(DT_BIND_NOW), N(DT_INIT_ARRAY), N(DT_FINI_ARRAY), N(DT_INIT_ARRAYSZ),
	N(DT_FINI_ARRAYSZ), N(DT_RUNPATH), N(DT_FLAGS), N(DT_PREINIT_ARRAY),
	N(DT_PREINIT_ARRAYSZ), { 34, "DT_SYMTAB_SHNDX", NULL }, { 35, "DT_RELRSZ", NULL },
	{ 36, "DT_RELR", NULL }, { 37, "DT_RELRENT", NULL },
	{ 0x6ffffdf5, "DT_GNU_PRELINKED", NULL }, { 0x6ffffdf6, "DT_GNU_CONFLICTSZ", NULL },
	{ 0x6ffffdf7, "DT_GNU_LIBLISTSZ", NULL }, { 0x6ffffdf8, "DT_CHECKSUM", NULL },
	{ 0x6ffffdf9, "DT_PLTPADSZ", NULL }, { 0x6ffffdfa, "DT_MOVEENT", NULL },
	{ 0x6ffffdfb, "DT_MOVESZ", NULL }, { 0x6ffffdfc, "DT_FEATURE_1", NULL },
	{ 0x6ffffdfd, "DT_POSFLAG_1", NULL }, { 0x6ffffdfe, "DT_SYMINSZ", NULL },
	{ 0x6ffffdff, "DT_SYMINENT", NULL },
	{ 0x6ffffef5, "DT_GNU_HASH", NULL }, { 0x6ffffef6, "DT_TLSDESC_PLT", NULL },
	{ 0x6ffffef7, "DT_TLSDESC_GOT", NULL }, { 0x6ffffef8, "DT_GNU_CONFLICT", NULL },
	{ 0x6ffffef9, "DT_GNU_LIBLIST", NULL }, { 0x6ffffefa, "DT_CONFIG", NULL },
	{ 0x6ffffefb, "DT_DEPAUDIT", NULL }, { 0x6ffffefc, "DT_AUDIT", NULL },
	{ 0x6ffffefd, "DT_PLTPAD", NULL }, { 0x6ffffefe, "DT_MOVETAB", NULL },
	{ 0x6ffffeff, "DT_SYMINFO", NULL },
	{ 0x6ffffff0, "DT_VERSYM", NULL }, { 0x6ffffff9, "DT_RELACOUNT", NULL },
	{ 0x6ffffffa, "DT_RELCOUNT", NULL }, { 0x6ffffffb, "DT_FLAGS_1", NULL },
	{ 0x6ffffffc, "DT_VERDEF", NULL }, { 0x6ffffffd, "DT_VERDEFNUM", NULL },
	{ 0x6ffffffe, "DT_VERNEED", NULL }, { 0x6fffffff, "DT_VERNEEDNUM", NULL },
	{ 0x7ffffffd, "DT_AUXILIARY", NULL }, { 0x7ffffffe, "DT_USED", NULL },
	{ 0x7fffffff, "DT_FILTER", NULL },
	/* Android's packed relocations (lld's --pack-dyn-relocs=android[+relr]);
	 * illumos gives the first four values other names. */
	{ 0x6000000f, "DT_ANDROID_REL/DT_SUNW_FILTER", NULL },
	{ 0x60000010, "DT_ANDROID_RELSZ/DT_SUNW_CAP", NULL },
	{ 0x60000011, "DT_ANDROID_RELA/DT_SUNW_SYMTAB", NULL },
	{ 0x60000012, "DT_ANDROID_RELASZ/DT_SUNW_SYMSZ", NULL },
	{ 0x6000000f, "DT_ANDROID_REL", NULL }, { 0x60000010, "DT_ANDROID_RELSZ", NULL },
	{ 0x60000011, "DT_ANDROID_RELA", NULL }, { 0x60000012, "DT_ANDROID_RELASZ", NULL },
	{ 0x6fffe000, "DT_ANDROID_RELR", NULL }, { 0x6fffe001, "DT_ANDROID_RELRSZ", NULL },
	{ 0x6fffe003, "DT_ANDROID_RELRENT", NULL }, { 0x6fffe005, "DT_ANDROID_RELRCOUNT", NULL },
	{ 0x6000000d, "DT_SUNW_AUXILIARY", NULL }, { 0x6000000e, "DT_SUNW_RTLDINF", NULL },
	{ 0x6000000f, "DT_SUNW_FILTER", NULL }, { 0x60000010, "DT_SUNW_CAP", NULL },
	{ 0x60000011, "DT_SUNW_SYMTAB", NULL }, { 0x60000012, "DT_SUNW_SYMSZ", NULL },
	{ 0x60000013, "DT_SUNW_SORTENT", NULL }, { 0x60000014, "DT_SUNW_SYMSORT", NULL },
	{ 0x60000015, "DT_SUNW_SYMSORTSZ", NULL }, { 0x60000016, "DT_SUNW_TLSSORT", NULL },
	{ 0x60000017, "DT_SUNW_TLSSORTSZ", NULL }, { 0x60000018, "DT_SUNW_CAPINFO", NULL },
	{ 0x60000019, "DT_SUNW_STRPAD", NULL }, { 0x6000001a, "DT_SUNW_CAPCHAIN", NULL },
	{ 0x6000001b, "DT_SUNW_LDMACH", NULL }, { 0x60000023, "DT_SUNW_ASLR", NULL },
};
TABLE(elf_dt_names, "dynamic tag", "DT_", true, dt);

/* GNU's and illumos' values share the OS range; linkers of the GNU
 * family print first. */
static const struct elf_name sht[] = {
	N(SHT_NULL), N(SHT_PROGBITS), N(SHT_SYMTAB), N(SHT_STRTAB), N(SHT_RELA), N(SHT_HASH),
	N(SHT_DYNAMIC), N(SHT_NOTE), N(SHT_NOBITS), N(SHT_REL), N(SHT_SHLIB), N(SHT_DYNSYM),
	N(SHT_INIT_ARRAY), N(SHT_FINI_ARRAY), N(SHT_PREINIT_ARRAY), N(SHT_GROUP),
	N(SHT_SYMTAB_SHNDX), { 19, "SHT_RELR", NULL },
	{ 0x6ffffff5, "SHT_GNU_ATTRIBUTES", NULL }, { 0x6ffffff6, "SHT_GNU_HASH", NULL },
	{ 0x6ffffff7, "SHT_GNU_LIBLIST", NULL }, { 0x6ffffff8, "SHT_CHECKSUM", NULL },
	{ 0x6ffffffd, "SHT_GNU_verdef", NULL }, { 0x6ffffffe, "SHT_GNU_verneed", NULL },
	{ 0x6fffffff, "SHT_GNU_versym", NULL },
	{ 0x6fffffef, "SHT_SUNW_capchain", NULL }, { 0x6ffffff0, "SHT_SUNW_capinfo", NULL },
	{ 0x6ffffff1, "SHT_SUNW_symsort", NULL }, { 0x6ffffff2, "SHT_SUNW_tlssort", NULL },
	{ 0x6ffffff3, "SHT_SUNW_LDYNSYM", NULL }, { 0x6ffffff4, "SHT_SUNW_dof", NULL },
	{ 0x6ffffff5, "SHT_SUNW_cap", NULL }, { 0x6ffffff6, "SHT_SUNW_SIGNATURE", NULL },
	{ 0x6ffffff7, "SHT_SUNW_ANNOTATE", NULL }, { 0x6ffffff8, "SHT_SUNW_DEBUGSTR", NULL },
	{ 0x6ffffff9, "SHT_SUNW_DEBUG", NULL }, { 0x6ffffffa, "SHT_SUNW_move", NULL },
	{ 0x6ffffffb, "SHT_SUNW_COMDAT", NULL }, { 0x6ffffffc, "SHT_SUNW_syminfo", NULL },
	{ 0x6ffffffd, "SHT_SUNW_verdef", NULL }, { 0x6ffffffe, "SHT_SUNW_verneed", NULL },
	{ 0x6fffffff, "SHT_SUNW_versym", NULL },
	{ 0x60000001, "SHT_ANDROID_REL", NULL }, { 0x60000002, "SHT_ANDROID_RELA", NULL },
	{ 0x6fffff00, "SHT_ANDROID_RELR", NULL },
	{ 0x6fff4c00, "SHT_LLVM_ODRTAB", NULL }, { 0x6fff4c01, "SHT_LLVM_LINKER_OPTIONS", NULL },
	{ 0x6fff4c03, "SHT_LLVM_ADDRSIG", NULL },
	{ 0x6fff4c04, "SHT_LLVM_DEPENDENT_LIBRARIES", NULL },
	{ 0x6fff4c05, "SHT_LLVM_SYMPART", NULL }, { 0x6fff4c09, "SHT_LLVM_CALL_GRAPH_PROFILE", NULL },
	{ 0x6fff4c0a, "SHT_LLVM_BB_ADDR_MAP", NULL }, { 0x6fff4c0c, "SHT_LLVM_LTO", NULL },
	{ 0x70000001, "SHT_X86_64_UNWIND/SHT_ARM_EXIDX", NULL },
	{ 0x70000001, "SHT_X86_64_UNWIND", NULL }, { 0x70000001, "SHT_ARM_EXIDX", NULL },
	{ 0x70000003, "SHT_ARM_ATTRIBUTES/SHT_RISCV_ATTRIBUTES", NULL },
	{ 0x70000003, "SHT_ARM_ATTRIBUTES", NULL }, { 0x70000003, "SHT_RISCV_ATTRIBUTES", NULL },
	{ 0x70000003, "SHT_AARCH64_ATTRIBUTES", NULL },
};
TABLE(elf_sht_names, "section type", "SHT_", true, sht);

static const struct elf_name shf[] = {
	W(SHF_WRITE, "write"), W(SHF_ALLOC, "alloc"), W(SHF_EXECINSTR, "exec"),
	W(SHF_MERGE, "merge"), W(SHF_STRINGS, "strings"), W(SHF_INFO_LINK, "info-link"),
	W(SHF_LINK_ORDER, "link-order"), W(SHF_OS_NONCONFORMING, "os-nonconforming"),
	W(SHF_GROUP, "group"), W(SHF_TLS, "tls"), { 0x800, "SHF_COMPRESSED", "compressed" },
	{ 0x100000, "SHF_SUNW_NODISCARD", "nodiscard" }, { 0x200000, "SHF_GNU_RETAIN", "retain" },
	{ 0x10000000, "SHF_X86_64_LARGE", "large" }, { 0x80000000, "SHF_EXCLUDE", "exclude" },
};
TABLE(elf_shf_names, "section flag", "SHF_", false, shf);

static const struct elf_name stt[] = {
	W(STT_NOTYPE, "notype"), W(STT_OBJECT, "object"), W(STT_FUNC, "func"),
	W(STT_SECTION, "section"), W(STT_FILE, "file"), W(STT_COMMON, "common"),
	W(STT_TLS, "tls"), { 10, "STT_GNU_IFUNC", "ifunc" },
};
TABLE(elf_stt_names, "symbol type", "STT_", false, stt);

static const struct elf_name stb[] = {
	W(STB_LOCAL, "local"), W(STB_GLOBAL, "global"), W(STB_WEAK, "weak"),
	{ 10, "STB_GNU_UNIQUE", "unique" },
};
TABLE(elf_stb_names, "symbol binding", "STB_", false, stb);

static const struct elf_name stv[] = {
	W(STV_DEFAULT, "default"), W(STV_INTERNAL, "internal"), W(STV_HIDDEN, "hidden"),
	W(STV_PROTECTED, "protected"),
};
TABLE(elf_stv_names, "symbol visibility", "STV_", false, stv);

/* The section indices that name no section, as readelf prints them. */
static const struct elf_name shn[] = {
	W(SHN_UNDEF, "UND"), W(SHN_ABS, "ABS"), W(SHN_COMMON, "COMMON"),
};
TABLE(elf_shn_names, "special section index", "SHN_", false, shn);

static const struct elf_name df[] = {
	N(DF_ORIGIN), N(DF_SYMBOLIC), N(DF_TEXTREL), N(DF_BIND_NOW), N(DF_STATIC_TLS),
};
TABLE(elf_df_names, "DT_FLAGS bit", "DF_", false, df);

static const struct elf_name df1[] = {
	{ 0x1, "DF_1_NOW", NULL }, { 0x2, "DF_1_GLOBAL", NULL }, { 0x4, "DF_1_GROUP", NULL },
	{ 0x8, "DF_1_NODELETE", NULL }, { 0x10, "DF_1_LOADFLTR", NULL },
	{ 0x20, "DF_1_INITFIRST", NULL }, { 0x40, "DF_1_NOOPEN", NULL },
	{ 0x80, "DF_1_ORIGIN", NULL }, { 0x100, "DF_1_DIRECT", NULL },
	{ 0x200, "DF_1_TRANS", NULL }, { 0x400, "DF_1_INTERPOSE", NULL },
	{ 0x800, "DF_1_NODEFLIB", NULL }, { 0x1000, "DF_1_NODUMP", NULL },
	{ 0x2000, "DF_1_CONFALT", NULL }, { 0x4000, "DF_1_ENDFILTEE", NULL },
	{ 0x8000, "DF_1_DISPRELDNE", NULL }, { 0x10000, "DF_1_DISPRELPND", NULL },
	{ 0x20000, "DF_1_NODIRECT", NULL }, { 0x40000, "DF_1_IGNMULDEF", NULL },
	{ 0x80000, "DF_1_NOKSYMS", NULL }, { 0x100000, "DF_1_NOHDR", NULL },
	{ 0x200000, "DF_1_EDITED", NULL }, { 0x400000, "DF_1_NORELOC", NULL },
	{ 0x800000, "DF_1_SYMINTPOSE", NULL }, { 0x1000000, "DF_1_GLOBAUDIT", NULL },
	{ 0x2000000, "DF_1_SINGLETON", NULL }, { 0x4000000, "DF_1_STUB", NULL },
	{ 0x8000000, "DF_1_PIE", NULL }, { 0x10000000, "DF_1_KMOD", NULL },
	{ 0x20000000, "DF_1_WEAKFILTER", NULL }, { 0x40000000, "DF_1_NOCOMMON", NULL },
};
TABLE(elf_df1_names, "DT_FLAGS_1 bit", "DF_1_", false, df1);

static const struct elf_name et[] = {
	N(ET_NONE), N(ET_REL), N(ET_EXEC), N(ET_DYN), N(ET_CORE),
};
TABLE(elf_et_names, "ELF type", "ET_", true, et);

static const struct elf_name em[] = {
	N(EM_NONE), N(EM_SPARC), N(EM_386), N(EM_MIPS), N(EM_PPC), N(EM_PPC64), N(EM_S390),
	N(EM_ARM), N(EM_SPARCV9), N(EM_X86_64), { 183, "EM_AARCH64", NULL },
	{ 243, "EM_RISCV", NULL }, { 258, "EM_LOONGARCH", NULL },
};
TABLE(elf_em_names, "machine", "EM_", true, em);

static const struct elf_name classes[] = { N(ELFCLASS32), N(ELFCLASS64) };
TABLE(elf_class_names, "ELF class", "ELFCLASS", false, classes);

/* Features of the GNU property notes: the property's type in the high
 * word, the feature's bit in the low one. */
#define X86_AND 0xc0000002ll
#define AARCH64_AND 0xc0000000ll
static const struct elf_name features[] = {
	{ X86_AND << 32 | 1, "GNU_PROPERTY_X86_FEATURE_1_IBT", "IBT" },
	{ X86_AND << 32 | 2, "GNU_PROPERTY_X86_FEATURE_1_SHSTK", "SHSTK" },
	{ AARCH64_AND << 32 | 1, "GNU_PROPERTY_AARCH64_FEATURE_1_BTI", "BTI" },
	{ AARCH64_AND << 32 | 2, "GNU_PROPERTY_AARCH64_FEATURE_1_PAC", "PAC" },
	{ AARCH64_AND << 32 | 4, "GNU_PROPERTY_AARCH64_FEATURE_1_GCS", "GCS" },
};
TABLE(elf_feature_names, "GNU property feature", "GNU_PROPERTY_", false, features);

static const struct elf_name properties[] = {
	{ X86_AND, "GNU_PROPERTY_X86_FEATURE_1_AND", NULL },
	{ AARCH64_AND, "GNU_PROPERTY_AARCH64_FEATURE_1_AND", NULL },
	{ 1, "GNU_PROPERTY_STACK_SIZE", NULL }, { 2, "GNU_PROPERTY_NO_COPY_ON_PROTECTED", NULL },
	{ 0xb0008000, "GNU_PROPERTY_1_NEEDED", NULL },
	{ 0xc0008001, "GNU_PROPERTY_X86_FEATURE_2_NEEDED", NULL },
	{ 0xc0008002, "GNU_PROPERTY_X86_ISA_1_NEEDED", NULL },
	{ 0xc0010001, "GNU_PROPERTY_X86_FEATURE_2_USED", NULL },
	{ 0xc0010002, "GNU_PROPERTY_X86_ISA_1_USED", NULL },
};
TABLE(property_names, "GNU property", "GNU_PROPERTY_", true, properties);

/* Relocation types by machine, for messages, expectations and the diff. */
static const struct elf_name x86_64_relocs[] = {
	N(R_X86_64_NONE), N(R_X86_64_64), N(R_X86_64_PC32), N(R_X86_64_GOT32),
	N(R_X86_64_PLT32), N(R_X86_64_COPY), N(R_X86_64_GLOB_DAT), N(R_X86_64_JUMP_SLOT),
	N(R_X86_64_RELATIVE), N(R_X86_64_GOTPCREL), N(R_X86_64_32), N(R_X86_64_32S),
	N(R_X86_64_DTPMOD64), N(R_X86_64_DTPOFF64), N(R_X86_64_TPOFF64), N(R_X86_64_TLSGD),
	N(R_X86_64_TLSLD), N(R_X86_64_DTPOFF32), N(R_X86_64_GOTTPOFF), N(R_X86_64_TPOFF32),
	N(R_X86_64_PC64), N(R_X86_64_GOTPC32), N(R_X86_64_SIZE32), N(R_X86_64_SIZE64),
	N(R_X86_64_GOTPC32_TLSDESC), N(R_X86_64_TLSDESC), N(R_X86_64_IRELATIVE),
	N(R_X86_64_RELATIVE64), { 41, "R_X86_64_GOTPCRELX", NULL },
	{ 42, "R_X86_64_REX_GOTPCRELX", NULL },
};
static const struct elf_name aarch64_relocs[] = {
	{ 0, "R_AARCH64_NONE", NULL }, { 257, "R_AARCH64_ABS64", NULL },
	{ 1024, "R_AARCH64_COPY", NULL }, { 1025, "R_AARCH64_GLOB_DAT", NULL },
	{ 1026, "R_AARCH64_JUMP_SLOT", NULL }, { 1027, "R_AARCH64_RELATIVE", NULL },
	{ 1028, "R_AARCH64_TLS_DTPMOD", NULL }, { 1029, "R_AARCH64_TLS_DTPREL", NULL },
	{ 1030, "R_AARCH64_TLS_TPREL", NULL }, { 1031, "R_AARCH64_TLSDESC", NULL },
	{ 1032, "R_AARCH64_IRELATIVE", NULL },
};
static const struct elf_name riscv_relocs[] = {
	{ 0, "R_RISCV_NONE", NULL }, { 1, "R_RISCV_32", NULL }, { 2, "R_RISCV_64", NULL },
	{ 3, "R_RISCV_RELATIVE", NULL }, { 4, "R_RISCV_COPY", NULL },
	{ 5, "R_RISCV_JUMP_SLOT", NULL }, { 6, "R_RISCV_TLS_DTPMOD32", NULL },
	{ 7, "R_RISCV_TLS_DTPMOD64", NULL }, { 8, "R_RISCV_TLS_DTPREL32", NULL },
	{ 9, "R_RISCV_TLS_DTPREL64", NULL }, { 10, "R_RISCV_TLS_TPREL32", NULL },
	{ 11, "R_RISCV_TLS_TPREL64", NULL }, { 12, "R_RISCV_TLSDESC", NULL },
	{ 58, "R_RISCV_IRELATIVE", NULL },
};
static const struct elf_name i386_relocs[] = {
	N(R_386_NONE), N(R_386_32), N(R_386_PC32), N(R_386_COPY), N(R_386_GLOB_DAT),
	N(R_386_JMP_SLOT), N(R_386_RELATIVE), N(R_386_TLS_TPOFF), N(R_386_TLS_DTPMOD32),
	N(R_386_TLS_DTPOFF32), N(R_386_TLS_TPOFF32), { 41, "R_386_TLS_DESC", NULL },
	{ 42, "R_386_IRELATIVE", NULL },
};
static const struct {
	uint16_t machine;
	struct elf_names t;
} relocs[] = {
	{ EM_X86_64, { "relocation type", "R_X86_64_", x86_64_relocs, ARRAY_LEN(x86_64_relocs), true } },
	{ 183, { "relocation type", "R_AARCH64_", aarch64_relocs, ARRAY_LEN(aarch64_relocs), true } },
	{ 243, { "relocation type", "R_RISCV_", riscv_relocs, ARRAY_LEN(riscv_relocs), true } },
	{ EM_386, { "relocation type", "R_386_", i386_relocs, ARRAY_LEN(i386_relocs), true } },
};
#undef N
#undef W
#undef TABLE

/* The entry of v, or NULL. */
static const struct elf_name *entry(const struct elf_names *t, int64_t v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].v == v)
			return &t->v[i];
	return NULL;
}

static const char *unnamed(int64_t v, const char *pfx, char *buf)
{
	snprintf(buf, 32, "%s%#llx", pfx, (unsigned long long)v);
	return buf;
}

const char *elf_name(const struct elf_names *t, int64_t v, char *buf)
{
	const struct elf_name *e = entry(t, v);
	return e ? e->name : unnamed(v, t->prefix, buf);
}

const char *elf_word(const struct elf_names *t, int64_t v, char *buf)
{
	const struct elf_name *e = entry(t, v);
	if (!e)
		return unnamed(v, "", buf);
	return e->word ? e->word : e->name + strlen(t->prefix);
}

static bool prefixed(const struct elf_names *t, const char *s)
{
	return !strncasecmp(s, t->prefix, strlen(t->prefix));
}

bool elf_value(const struct elf_names *t, const char *s, int64_t *v)
{
	size_t pl = strlen(t->prefix);
	for (size_t i = 0; i < t->n; i++) {
		const struct elf_name *e = &t->v[i];
		if (!strcasecmp(e->name, s) || !strcasecmp(e->name + pl, s) ||
		    (e->word && !strcasecmp(e->word, s))) {
			*v = e->v;
			return true;
		}
	}
	char *end;
	long long n = t->numbers && *s && *s != '-' ? strtoll(s, &end, 0) : 0;
	if (!t->numbers || !*s || *s == '-' || *end)
		return false;
	*v = n;
	return true;
}

const char *elf_name_near(const struct elf_names *t, const char *s)
{
	const char **cands = xmalloc(2 * t->n * sizeof *cands);
	size_t n = 0, pl = strlen(t->prefix);
	bool full = prefixed(t, s);
	for (size_t i = 0; i < t->n; i++) {
		const struct elf_name *e = &t->v[i];
		if (strchr(e->name, '/'))     /* a machine's name, read one at a time */
			continue;
		if (e->word && !full)      /* first: ties go to the word a case writes */
			cands[n++] = e->word;
		cands[n++] = full ? e->name : e->name + pl;
	}
	const char *near = did_you_mean(s, cands, n);
	free(cands);
	return near;
}

void elf_bit_names(const struct elf_names *t, uint64_t v, bool words, const char *sep,
		   struct strbuf *sb)
{
	uint64_t named = 0;
	size_t start = sb->len;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t bit = (uint64_t)t->v[i].v;
		if (!(v & bit) || (named & bit))
			continue;
		char b[32];
		sb_addf(sb, "%s%s", sb->len > start ? sep : "",
			words ? elf_word(t, t->v[i].v, b) : t->v[i].name);
		named |= bit;
	}
	if (v & ~named)
		sb_addf(sb, "%s%#llx", sb->len > start ? sep : "", (unsigned long long)(v & ~named));
}

const char *elf_property_name(uint32_t type, char *buf)
{
	return elf_name(&property_names, type, buf);
}

const char *elf_pt_name(uint32_t type, char *buf) { return elf_name(&elf_pt_names, type, buf); }
const char *elf_dt_name(int64_t tag, char *buf) { return elf_name(&elf_dt_names, tag, buf); }
const char *elf_sht_name(uint32_t type, char *buf) { return elf_name(&elf_sht_names, type, buf); }

static const struct elf_names *reloc_table(uint16_t machine)
{
	for (size_t i = 0; i < ARRAY_LEN(relocs); i++)
		if (relocs[i].machine == machine)
			return &relocs[i].t;
	return NULL;
}

const char *elf_reloc_name(uint16_t machine, uint32_t type, char *buf)
{
	const struct elf_names *t = reloc_table(machine);
	const struct elf_name *e = t ? entry(t, type) : NULL;
	if (e)
		return e->name;
	snprintf(buf, 32, "R_%u", type);
	return buf;
}

bool elf_reloc_type(uint16_t machine, const char *name, uint32_t *type)
{
	const struct elf_names *t = reloc_table(machine);
	int64_t v;
	/* By name only: a number is a number on every machine, read by the caller. */
	struct elf_names names = t ? *t : (struct elf_names){ 0 };
	names.numbers = false;
	if (!t || !elf_value(&names, name, &v))
		return false;
	*type = (uint32_t)v;
	return true;
}

bool elf_reloc_known(const char *name, const char **near)
{
	uint32_t type;
	*near = NULL;
	for (size_t i = 0; i < ARRAY_LEN(relocs); i++)
		if (elf_reloc_type(relocs[i].machine, name, &type))
			return true;
	for (size_t i = 0; i < ARRAY_LEN(relocs) && !*near; i++)
		*near = elf_name_near(&relocs[i].t, name);
	return false;
}
