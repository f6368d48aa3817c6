/* Small ELF64 little-endian files made byte by byte for the tests: every
 * fixture is a few lines of what it breaks, and no binary is committed.
 *
 * Layout: ELF header at 0, program headers at 0x40, the section name table
 * at 0x700, section headers at 0x800, free space from 0x1000 to 0x3000 for
 * contents. By default two PT_LOADs map the file: [0, 0x2000) RX at
 * 0x400000 and [0x2000, 0x3000) RW at 0x402000. Dynamic entries added with
 * fx_dyn() go to 0x2800 (vaddr 0x402800) with a PT_DYNAMIC for them. */
#ifndef LM_TEST_ELFBUILD_H
#define LM_TEST_ELFBUILD_H

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FX_SIZE 0x3000
#define FX_RX 0x400000ull
#define FX_RW 0x402000ull
#define FX_DYN_OFF 0x2800
#define FX_DYN_ADDR (FX_RW + 0x800)

struct fx {
	unsigned char b[FX_SIZE];
	Elf64_Ehdr *eh;
	int nph, nsh, ndyn;
	size_t shstr;              /* bytes used of the name table */
	int dyn_ph;                /* -1: no PT_DYNAMIC yet */
};

static inline void fx_put(struct fx *f, size_t off, const void *p, size_t n)
{
	memcpy(f->b + off, p, n);
}

static inline void fx_ph(struct fx *f, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		  uint64_t filesz, uint64_t memsz, uint64_t align)
{
	Elf64_Phdr p = { type, flags, off, vaddr, vaddr, filesz, memsz, align };
	fx_put(f, 0x40 + (size_t)f->nph++ * sizeof p, &p, sizeof p);
	f->eh->e_phnum = (Elf64_Half)f->nph;
}

/* An empty fixture of type ET_EXEC or ET_DYN, with the default loads
 * unless bare. */
static inline void fx_init(struct fx *f, uint16_t type, int bare)
{
	memset(f, 0, sizeof *f);
	f->eh = (Elf64_Ehdr *)f->b;
	memcpy(f->eh->e_ident, ELFMAG, SELFMAG);
	f->eh->e_ident[EI_CLASS] = ELFCLASS64;
	f->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	f->eh->e_ident[EI_VERSION] = EV_CURRENT;
	f->eh->e_type = type;
	f->eh->e_machine = EM_X86_64;
	f->eh->e_version = EV_CURRENT;
	f->eh->e_entry = FX_RX + 0x1000;
	f->eh->e_phoff = 0x40;
	f->eh->e_ehsize = sizeof(Elf64_Ehdr);
	f->eh->e_phentsize = sizeof(Elf64_Phdr);
	f->eh->e_shentsize = sizeof(Elf64_Shdr);
	f->dyn_ph = -1;
	f->shstr = 1;
	if (!bare) {
		fx_ph(f, PT_LOAD, PF_R | PF_X, 0, FX_RX, 0x2000, 0x2000, 0x1000);
		fx_ph(f, PT_LOAD, PF_R | PF_W, 0x2000, FX_RW, 0x1000, 0x1000, 0x1000);
	}
}

/* A program header at the front of the table (PT_PHDR, PT_INTERP), the
 * others moved down. */
static inline void fx_ph_first(struct fx *f, uint32_t type, uint32_t flags, uint64_t off,
			uint64_t vaddr, uint64_t filesz, uint64_t align)
{
	memmove(f->b + 0x40 + sizeof(Elf64_Phdr), f->b + 0x40, (size_t)f->nph * sizeof(Elf64_Phdr));
	Elf64_Phdr p = { type, flags, off, vaddr, vaddr, filesz, filesz, align };
	fx_put(f, 0x40, &p, sizeof p);
	f->eh->e_phnum = (Elf64_Half)++f->nph;
	if (f->dyn_ph >= 0)
		f->dyn_ph++;
}

/* PT_PHDR covering the table, inside the RX load, first. */
static inline void fx_phdr(struct fx *f)
{
	fx_ph_first(f, PT_PHDR, PF_R, 0x40, FX_RX + 0x40, (uint64_t)(f->nph + 1) * sizeof(Elf64_Phdr), 8);
}

/* PT_INTERP naming path (with its NUL unless nul is 0), at 0x1800. */
static inline void fx_interp(struct fx *f, const char *path, int nul, int first)
{
	size_t n = strlen(path) + (nul ? 1 : 0);
	fx_put(f, 0x1800, path, strlen(path));
	if (first)
		fx_ph_first(f, PT_INTERP, PF_R, 0x1800, FX_RX + 0x1800, n, 1);
	else
		fx_ph(f, PT_INTERP, PF_R, 0x1800, FX_RX + 0x1800, n, n, 1);
}

static inline void fx_dyn(struct fx *f, int64_t tag, uint64_t val)
{
	Elf64_Dyn d = { tag, { val } };
	fx_put(f, FX_DYN_OFF + (size_t)f->ndyn++ * sizeof d, &d, sizeof d);
	uint64_t size = (uint64_t)(f->ndyn + 1) * sizeof d;   /* with the DT_NULL */
	if (f->dyn_ph < 0) {
		f->dyn_ph = f->nph;
		fx_ph(f, PT_DYNAMIC, PF_R | PF_W, FX_DYN_OFF, FX_DYN_ADDR, size, size, 8);
	} else {
		Elf64_Phdr *p = (Elf64_Phdr *)(f->b + 0x40) + f->dyn_ph;
		p->p_filesz = p->p_memsz = size;
	}
}

/* Relocations at these addresses, each with info and addend, at off. */
static inline void fx_relocs(struct fx *f, size_t off, const uint64_t *at, int n, uint64_t info,
			     int64_t addend)
{
	for (int i = 0; i < n; i++) {
		Elf64_Rela r = { at[i], info, addend };
		fx_put(f, off + (size_t)i * sizeof r, &r, sizeof r);
	}
}

/* A RELA table at 0x2400 (in the RW load) with relocations at these
 * addresses, its dynamic tags set. */
static inline void fx_rela(struct fx *f, const uint64_t *at, int n)
{
	fx_relocs(f, 0x2400, at, n, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x1234);
	fx_dyn(f, DT_RELA, FX_RW + 0x400);
	fx_dyn(f, DT_RELASZ, (uint64_t)n * sizeof(Elf64_Rela));
	fx_dyn(f, DT_RELAENT, sizeof(Elf64_Rela));
}

/* A PLT relocation table (DT_JMPREL) at 0x2500 with JUMP_SLOT
 * relocations at these addresses. */
static inline void fx_jmprel(struct fx *f, const uint64_t *at, int n)
{
	fx_relocs(f, 0x2500, at, n, ELF64_R_INFO(1, R_X86_64_JUMP_SLOT), 0);
	fx_dyn(f, DT_JMPREL, FX_RW + 0x500);
	fx_dyn(f, DT_PLTRELSZ, (uint64_t)n * sizeof(Elf64_Rela));
	fx_dyn(f, DT_PLTREL, DT_RELA);
}

/* A RELR table at 0x2600 of these raw entries. */
static inline void fx_relr(struct fx *f, const uint64_t *e, int n)
{
	fx_put(f, 0x2600, e, (size_t)n * 8);
	fx_dyn(f, 36 /* DT_RELR */, FX_RW + 0x600);
	fx_dyn(f, 35 /* DT_RELRSZ */, (uint64_t)n * 8);
	fx_dyn(f, 37 /* DT_RELRENT */, 8);
}

/* A section header; the first call makes the null section and the name
 * table too. Returns its index. */
static inline int fx_sec(struct fx *f, const char *name, uint32_t type, uint64_t flags, uint64_t addr,
		  uint64_t off, uint64_t size, uint64_t entsize)
{
	if (!f->nsh) {
		f->nsh = 2;        /* [0] null, [1] .shstrtab */
		f->eh->e_shoff = 0x800;
		f->eh->e_shstrndx = 1;
		Elf64_Shdr s = { (Elf64_Word)f->shstr, SHT_STRTAB, 0, 0, 0x700, 0, 0, 0, 1, 0 };
		fx_put(f, 0x700 + f->shstr, ".shstrtab", 10);
		f->shstr += 10;
		fx_put(f, 0x800 + sizeof s, &s, sizeof s);
	}
	Elf64_Shdr s = { (Elf64_Word)f->shstr, type, flags, addr, off, size, 0, 0, 8, entsize };
	fx_put(f, 0x700 + f->shstr, name, strlen(name) + 1);
	f->shstr += strlen(name) + 1;
	fx_put(f, 0x800 + (size_t)f->nsh * sizeof s, &s, sizeof s);
	Elf64_Shdr *strtab = (Elf64_Shdr *)(f->b + 0x800) + 1;
	strtab->sh_size = f->shstr;
	f->eh->e_shnum = (Elf64_Half)(f->nsh + 1);
	return f->nsh++;
}

static inline int fx_write(const struct fx *f, const char *path)
{
	FILE *o = fopen(path, "wb");
	if (!o)
		return -1;
	size_t n = fwrite(f->b, 1, sizeof f->b, o);
	return fclose(o) == 0 && n == sizeof f->b ? 0 : -1;
}

#endif
