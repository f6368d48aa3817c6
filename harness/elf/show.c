#include "elf/show.h"

#include <inttypes.h>
#include <string.h>

static void show_header(const struct elf_file *f, struct strbuf *sb)
{
	char tb[32], mb[32];
	sb_addf(sb, "ELF%d %s-endian, %s%s, %s", f->cls == ELFCLASS64 ? 64 : 32,
		f->be ? "big" : "little", elf_name(&elf_et_names, f->eh.e_type, tb),
		f->eh.e_type == ET_DYN && elf_is_executable(f) ? " (a position-independent executable)" : "",
		elf_name(&elf_em_names, f->eh.e_machine, mb));
	sb_addf(sb, ", OS ABI %u, entry 0x%" PRIx64 "\n", f->eh.e_ident[EI_OSABI],
		(uint64_t)f->eh.e_entry);
	size_t len;
	const char *interp = elf_interp(f, &len);
	if (interp)
		sb_addf(sb, "interpreter: %.*s\n", (int)strnlen(interp, len), interp);
	else
		sb_adds(sb, "interpreter: none\n");
}

static void show_phdrs(const struct elf_file *f, struct strbuf *sb)
{
	sb_addf(sb, "program headers (%zu):\n", f->nph);
	if (!f->nph)
		return;
	sb_addf(sb, "  %-18s %-10s %-18s %-10s %-10s %-4s %s\n", "type", "offset", "vaddr",
		"filesz", "memsz", "flg", "align");
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *p = &f->ph[i];
		char tb[32], fb[8];
		sb_addf(sb, "  %-18s 0x%08" PRIx64 " 0x%016" PRIx64 " 0x%08" PRIx64 " 0x%08" PRIx64
			" %-4s 0x%" PRIx64 "\n", elf_pt_name(p->p_type, tb), (uint64_t)p->p_offset,
			(uint64_t)p->p_vaddr, (uint64_t)p->p_filesz, (uint64_t)p->p_memsz,
			elf_pf_str(p->p_flags, fb), (uint64_t)p->p_align);
	}
}

/* How a dynamic entry's value reads: per tag, as in readelf's tables. */
typedef void (*dyn_fmt)(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb);

static void dyn_addr(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb)
{
	(void)f;
	sb_addf(sb, "0x%" PRIx64, (uint64_t)d->d_un.d_val);
}

static void dyn_num(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb)
{
	(void)f;
	sb_addf(sb, "%" PRIu64, (uint64_t)d->d_un.d_val);
}

static void dyn_str(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb)
{
	const char *s = elf_dynstr(f, d->d_un.d_val);
	if (s)
		sb_addf(sb, "%s", s);
	else
		sb_addf(sb, "<string at %" PRIu64 " outside .dynstr>", (uint64_t)d->d_un.d_val);
}

static void flag_names(uint64_t v, const char *const *names, size_t n, struct strbuf *sb)
{
	bool any = false;
	for (size_t bit = 0; bit < 64; bit++) {
		if (!(v & (1ull << bit)))
			continue;
		if (any)
			sb_addc(sb, ' ');
		any = true;
		if (bit < n && names[bit])
			sb_adds(sb, names[bit]);
		else
			sb_addf(sb, "0x%" PRIx64, (uint64_t)1 << bit);
	}
	if (!any)
		sb_adds(sb, "0");
}

static void dyn_flags(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb)
{
	static const char *const n[] = { "ORIGIN", "SYMBOLIC", "TEXTREL", "BIND_NOW", "STATIC_TLS" };
	(void)f;
	flag_names(d->d_un.d_val, n, ARRAY_LEN(n), sb);
}

static void dyn_flags1(const struct elf_file *f, const GElf_Dyn *d, struct strbuf *sb)
{
	static const char *const n[] = {
		"NOW", "GLOBAL", "GROUP", "NODELETE", "LOADFLTR", "INITFIRST", "NOOPEN", "ORIGIN",
		"DIRECT", "TRANS", "INTERPOSE", "NODEFLIB", "NODUMP", "CONFALT", "ENDFILTEE",
		"DISPRELDNE", "DISPRELPND", "NODIRECT", "IGNMULDEF", "NOKSYMS", "NOHDR", "EDITED",
		"NORELOC", "SYMINTPOSE", "GLOBAUDIT", "SINGLETON", "STUB", "PIE",
	};
	(void)f;
	flag_names(d->d_un.d_val, n, ARRAY_LEN(n), sb);
}

static const struct { int64_t tag; dyn_fmt fmt; } dyn_fmts[] = {
	{ DT_NEEDED, dyn_str }, { DT_SONAME, dyn_str }, { DT_RPATH, dyn_str },
	{ DT_RUNPATH, dyn_str }, { DT_AUXILIARY, dyn_str }, { DT_FILTER, dyn_str },
	{ DT_PLTRELSZ, dyn_num }, { DT_RELASZ, dyn_num }, { DT_RELAENT, dyn_num },
	{ DT_STRSZ, dyn_num }, { DT_SYMENT, dyn_num }, { DT_RELSZ, dyn_num },
	{ DT_RELENT, dyn_num }, { DT_INIT_ARRAYSZ, dyn_num }, { DT_FINI_ARRAYSZ, dyn_num },
	{ DT_PREINIT_ARRAYSZ, dyn_num }, { DT_RELACOUNT, dyn_num }, { DT_RELCOUNT, dyn_num },
	{ DT_VERNEEDNUM, dyn_num }, { DT_VERDEFNUM, dyn_num }, { DT_PLTREL, dyn_num },
#ifdef DT_RELRSZ
	{ DT_RELRSZ, dyn_num }, { DT_RELRENT, dyn_num },
#endif
	{ DT_FLAGS, dyn_flags }, { DT_FLAGS_1, dyn_flags1 },
};

static void show_dynamic(const struct elf_file *f, struct strbuf *sb)
{
	if (!f->ndyn) {
		sb_adds(sb, "dynamic section: none\n");
		return;
	}
	sb_addf(sb, "dynamic section (%zu entries):\n", f->ndyn);
	for (size_t i = 0; i < f->ndyn; i++) {
		const GElf_Dyn *d = &f->dyn[i];
		dyn_fmt fmt = dyn_addr;
		for (size_t k = 0; k < ARRAY_LEN(dyn_fmts); k++)
			if (dyn_fmts[k].tag == d->d_tag)
				fmt = dyn_fmts[k].fmt;
		char tb[32];
		sb_addf(sb, "  %-20s ", elf_dt_name(d->d_tag, tb));
		fmt(f, d, sb);
		sb_addc(sb, '\n');
	}
}

void elf_show(const struct elf_file *f, struct strbuf *sb)
{
	show_header(f, sb);
	show_phdrs(f, sb);
	show_dynamic(f, sb);
}

int elf_show_file(const char *path, struct strbuf *sb)
{
	struct elf_file f;
	struct strbuf err = STRBUF_INIT;
	int rc = elf_open(&f, path, &err);
	if (rc < 0) {
		sb_addf(sb, "%s: %s\n", path, err.buf);
	} else {
		elf_show(&f, sb);
		elf_close(&f);
	}
	sb_free(&err);   /* elf_open writes to it either way */
	return rc;
}
