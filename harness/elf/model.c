#include "elf/model.h"

#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#endif
#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef SHT_RELR
#define SHT_RELR 19
#endif

size_t elf_addr_size(const struct elf_file *f) { return f->cls == ELFCLASS64 ? 8 : 4; }
size_t elf_phdr_size(const struct elf_file *f) { return f->cls == ELFCLASS64 ? 56 : 32; }
size_t elf_rel_size(const struct elf_file *f, bool rela)
{
	return f->cls == ELFCLASS64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
}
static size_t dyn_size(const struct elf_file *f) { return f->cls == ELFCLASS64 ? 16 : 8; }
static size_t shdr_size(const struct elf_file *f) { return f->cls == ELFCLASS64 ? 64 : 40; }

uint64_t elf_read_word(const struct elf_file *f, const unsigned char *p, size_t size)
{
	uint64_t v = 0;
	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)p[f->be ? size - 1 - i : i] << (8 * i);
	return v;
}

/* a + b <= limit, without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

/* ---- decoding tables from raw bytes ---------------------------------- */

static void decode_phdr(const struct elf_file *f, const unsigned char *p, GElf_Phdr *ph)
{
	if (f->cls == ELFCLASS64) {
		ph->p_type = (uint32_t)elf_read_word(f, p, 4);
		ph->p_flags = (uint32_t)elf_read_word(f, p + 4, 4);
		ph->p_offset = elf_read_word(f, p + 8, 8);
		ph->p_vaddr = elf_read_word(f, p + 16, 8);
		ph->p_paddr = elf_read_word(f, p + 24, 8);
		ph->p_filesz = elf_read_word(f, p + 32, 8);
		ph->p_memsz = elf_read_word(f, p + 40, 8);
		ph->p_align = elf_read_word(f, p + 48, 8);
	} else {
		ph->p_type = (uint32_t)elf_read_word(f, p, 4);
		ph->p_offset = elf_read_word(f, p + 4, 4);
		ph->p_vaddr = elf_read_word(f, p + 8, 4);
		ph->p_paddr = elf_read_word(f, p + 12, 4);
		ph->p_filesz = elf_read_word(f, p + 16, 4);
		ph->p_memsz = elf_read_word(f, p + 20, 4);
		ph->p_flags = (uint32_t)elf_read_word(f, p + 24, 4);
		ph->p_align = elf_read_word(f, p + 28, 4);
	}
}

static size_t decode_dynamic(struct elf_file *f, const unsigned char *p, uint64_t len)
{
	size_t w = elf_addr_size(f), n = (size_t)(len / dyn_size(f));
	f->dyn = xcalloc(n ? n : 1, sizeof *f->dyn);
	size_t k = 0;
	for (size_t i = 0; i < n; i++, p += 2 * w) {
		int64_t tag = (int64_t)elf_read_word(f, p, w);
		if (w == 4)
			tag = (int32_t)tag;
		if (tag == DT_NULL)
			break;
		f->dyn[k].d_tag = tag;
		f->dyn[k].d_un.d_val = elf_read_word(f, p + w, w);
		k++;
	}
	return k;
}

/* ---- opening ----------------------------------------------------------- */

static int fail(struct strbuf *err, const char *fmt, ...) LM_PRINTF(2, 3);
static int fail(struct strbuf *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(err, fmt, ap);
	va_end(ap);
	return -1;
}

static int read_phdrs(struct elf_file *f, struct strbuf *err)
{
	size_t n;
	if (elf_getphdrnum(f->e, &n) != 0)
		return fail(err, "bad program header count: %s", elf_errmsg(-1));
	if (!n)
		return 0;
	size_t sz = elf_phdr_size(f);
	if (n > f->size / sz || !fits(f->eh.e_phoff, (uint64_t)n * sz, f->size))
		return fail(err, "truncated: %zu program headers at offset %llu do not fit in "
			    "%zu bytes", n, (unsigned long long)f->eh.e_phoff, f->size);
	f->ph = xcalloc(n, sizeof *f->ph);
	f->nph = n;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr *ph = &f->ph[i];
		decode_phdr(f, f->raw + f->eh.e_phoff + i * sz, ph);
		if (!fits(ph->p_offset, ph->p_filesz, f->size)) {
			char b[32];
			return fail(err, "truncated: program header %zu (%s) has file bytes "
				    "[%#llx, +%#llx) past the end of the file (%zu bytes)", i,
				    elf_pt_name(ph->p_type, b), (unsigned long long)ph->p_offset,
				    (unsigned long long)ph->p_filesz, f->size);
		}
	}
	return 0;
}

static bool uses_link(uint32_t type)
{
	switch (type) {
	case SHT_SYMTAB: case SHT_DYNSYM: case SHT_DYNAMIC: case SHT_REL: case SHT_RELA:
	case SHT_HASH: case SHT_GNU_HASH: case SHT_GNU_versym: case SHT_GNU_verneed:
	case SHT_GNU_verdef: case SHT_SYMTAB_SHNDX: case SHT_GROUP:
		return true;
	}
	return false;
}

static int read_sections(struct elf_file *f, struct strbuf *err)
{
	size_t n, strndx;
	/* libelf quietly reads a section table that does not fit as none:
	 * the header's own count says whether there should be one. */
	uint64_t want = f->eh.e_shnum;
	if (want && (want > f->size / shdr_size(f) ||
		     !fits(f->eh.e_shoff, want * shdr_size(f), f->size)))
		return fail(err, "truncated: %llu section headers at offset %llu do not fit in "
			    "%zu bytes", (unsigned long long)want, (unsigned long long)f->eh.e_shoff,
			    f->size);
	if (elf_getshdrnum(f->e, &n) != 0)
		return fail(err, "bad section header count: %s", elf_errmsg(-1));
	if (!n)
		return 0;
	if (n > f->size / shdr_size(f) || !fits(f->eh.e_shoff, (uint64_t)n * shdr_size(f), f->size))
		return fail(err, "truncated: %zu section headers at offset %llu do not fit in "
			    "%zu bytes", n, (unsigned long long)f->eh.e_shoff, f->size);
	if (elf_getshdrstrndx(f->e, &strndx) != 0 || strndx >= n)
		return fail(err, "bad section name table index: %s", elf_errmsg(-1));
	f->sec = xcalloc(n, sizeof *f->sec);
	f->nsec = n;
	for (size_t i = 0; i < n; i++) {
		struct elf_sec *s = &f->sec[i];
		Elf_Scn *scn = elf_getscn(f->e, i);
		if (!scn || !gelf_getshdr(scn, &s->sh))
			return fail(err, "section header %zu unreadable: %s", i, elf_errmsg(-1));
		s->name = i ? elf_strptr(f->e, strndx, s->sh.sh_name) : "";
		if (!s->name)
			return fail(err, "section %zu: name index %u outside the section name table",
				    i, s->sh.sh_name);
		if (s->sh.sh_type != SHT_NOBITS && i && !fits(s->sh.sh_offset, s->sh.sh_size, f->size))
			return fail(err, "truncated: section %zu (%s) has bytes [%#llx, +%#llx) past "
				    "the end of the file (%zu bytes)", i, s->name,
				    (unsigned long long)s->sh.sh_offset,
				    (unsigned long long)s->sh.sh_size, f->size);
		if (uses_link(s->sh.sh_type) && s->sh.sh_link >= n)
			return fail(err, "section %zu (%s): sh_link %u is not a section (there are %zu)",
				    i, s->name, s->sh.sh_link, n);
	}
	return 0;
}

static void read_dynamic(struct elf_file *f)
{
	for (size_t i = 0; i < f->nph; i++)
		if (f->ph[i].p_type == PT_DYNAMIC) {
			f->ndyn = decode_dynamic(f, f->raw + f->ph[i].p_offset, f->ph[i].p_filesz);
			break;
		}
	const struct elf_sec *ds = NULL;
	for (size_t i = 1; i < f->nsec && !f->dyn; i++)
		if (f->sec[i].sh.sh_type == SHT_DYNAMIC)
			ds = &f->sec[i];
	if (ds)
		f->ndyn = decode_dynamic(f, f->raw + ds->sh.sh_offset, ds->sh.sh_size);
	const GElf_Dyn *tab = elf_dyn(f, DT_STRTAB), *sz = elf_dyn(f, DT_STRSZ);
	if (tab && sz) {
		f->dynstr.addr = tab->d_un.d_ptr;
		f->dynstr.size = sz->d_un.d_val;
		f->dynstr.bytes = elf_bytes_at(f, f->dynstr.addr, f->dynstr.size);
	}
	/* Without a usable DT_STRTAB (a relocatable file, a broken one), the
	 * section the dynamic section links to. */
	for (size_t i = 1; i < f->nsec && !f->dynstr.bytes; i++) {
		const GElf_Shdr *sh = &f->sec[i].sh;
		if (sh->sh_type != SHT_DYNAMIC || f->sec[sh->sh_link].sh.sh_type != SHT_STRTAB)
			continue;
		const struct elf_sec *ss = &f->sec[sh->sh_link];
		f->dynstr.addr = ss->sh.sh_addr;
		f->dynstr.size = ss->sh.sh_size;
		f->dynstr.bytes = f->raw + ss->sh.sh_offset;
	}
}

/* Reads what everything after relies on from f->e, opened. */
static int decode(struct elf_file *f, struct strbuf *err)
{
	if (!f->e || elf_kind(f->e) != ELF_K_ELF)
		return fail(err, "not an ELF file%s%s", f->e ? "" : ": ", f->e ? "" : elf_errmsg(-1));
	f->raw = (const unsigned char *)elf_rawfile(f->e, &f->size);
	const unsigned char *id = f->raw;
	if (!id || f->size < EI_NIDENT)
		return fail(err, "truncated: %zu bytes", f->size);
	f->cls = id[EI_CLASS];
	if (f->cls != ELFCLASS32 && f->cls != ELFCLASS64)
		return fail(err, "unknown ELF class %d", f->cls);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return fail(err, "unknown byte order %d", id[EI_DATA]);
	f->be = id[EI_DATA] == ELFDATA2MSB;
	if (!gelf_getehdr(f->e, &f->eh))
		return fail(err, "truncated or bad ELF header: %s", elf_errmsg(-1));
	if (read_phdrs(f, err) < 0 || read_sections(f, err) < 0)
		return -1;
	read_dynamic(f);
	return 0;
}

int elf_open(struct elf_file *f, const char *path, struct strbuf *err)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return fail(err, "%s: %s", path, strerror(errno));
	size_t start = err->len;
	sb_addf(err, "%s: ", path);
	elf_version(EV_CURRENT);
	f->e = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (decode(f, err) < 0) {
		elf_close(f);
		return -1;
	}
	err->len = start, err->buf[start] = 0;
	return 0;
}

int elf_each_in(const char *path, bool (*fn)(void *ctx, const struct elf_file *f), void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	Elf *ar = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	struct strbuf err = STRBUF_INIT;
	if (ar && elf_kind(ar) == ELF_K_ELF) {
		struct elf_file f = { .path = path, .fd = fd, .e = ar };
		if (decode(&f, &err) == 0)
			fn(ctx, &f);
		elf_close(&f);
		sb_free(&err);
		return 0;
	}
	Elf_Cmd cmd = ELF_C_READ_MMAP;
	bool more = ar && elf_kind(ar) == ELF_K_AR;
	for (Elf *m; more && (m = elf_begin(fd, cmd, ar));) {
		struct elf_file f = { .path = path, .fd = -1, .e = m };
		cmd = elf_next(m);
		if (decode(&f, &err) == 0)
			more = fn(ctx, &f);
		sb_reset(&err);
		elf_close(&f);
	}
	if (ar)
		elf_end(ar);
	close(fd);
	sb_free(&err);
	return 0;
}

void elf_close(struct elf_file *f)
{
	if (f->e)
		elf_end(f->e);
	if (f->fd >= 0)
		close(f->fd);
	free(f->ph);
	free(f->sec);
	free(f->dyn);
	memset(f, 0, sizeof *f);
	f->fd = -1;
}

/* ---- lookups ----------------------------------------------------------- */

const GElf_Dyn *elf_dyn(const struct elf_file *f, int64_t tag)
{
	for (size_t i = f->ndyn; i-- > 0;)
		if (f->dyn[i].d_tag == tag)
			return &f->dyn[i];
	return NULL;
}

bool elf_has_dyn(const struct elf_file *f, int64_t tag)
{
	return elf_dyn(f, tag) != NULL;
}

const char *elf_dynstr(const struct elf_file *f, uint64_t off)
{
	if (!f->dynstr.bytes || off >= f->dynstr.size)
		return NULL;
	const char *s = (const char *)f->dynstr.bytes + off;
	return memchr(s, 0, (size_t)(f->dynstr.size - off)) ? s : NULL;
}

const GElf_Phdr *elf_load_at(const struct elf_file *f, uint64_t addr, bool in_memory)
{
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *ph = &f->ph[i];
		uint64_t len = in_memory ? ph->p_memsz : ph->p_filesz;
		if (ph->p_type == PT_LOAD && addr >= ph->p_vaddr && addr - ph->p_vaddr < len)
			return ph;
	}
	return NULL;
}

const unsigned char *elf_bytes_at(const struct elf_file *f, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *ph = &f->ph[i];
		if (ph->p_type != PT_LOAD || addr < ph->p_vaddr)
			continue;
		if (fits(addr - ph->p_vaddr, len, ph->p_filesz))
			return f->raw + ph->p_offset + (addr - ph->p_vaddr);
	}
	return NULL;
}

const struct elf_sec *elf_section_at(const struct elf_file *f, uint64_t addr)
{
	for (size_t i = 1; i < f->nsec; i++) {
		const GElf_Shdr *sh = &f->sec[i].sh;
		/* .tbss has an address and no place at it: the sections after it
		 * (.init_array, .data.rel.ro) are there. */
		bool tbss = (sh->sh_flags & SHF_TLS) && sh->sh_type == SHT_NOBITS;
		if ((sh->sh_flags & SHF_ALLOC) && !tbss && sh->sh_size && addr >= sh->sh_addr &&
		    addr - sh->sh_addr < sh->sh_size)
			return &f->sec[i];
	}
	return NULL;
}

const struct elf_sec *elf_section(const struct elf_file *f, const char *name)
{
	for (size_t i = 1; i < f->nsec; i++)
		if (!strcmp(f->sec[i].name, name))
			return &f->sec[i];
	return NULL;
}

const unsigned char *elf_section_bytes(const struct elf_file *f, const struct elf_sec *s)
{
	if (s->sh.sh_type == SHT_NOBITS || !s->sh.sh_size)
		return NULL;
	return f->raw + s->sh.sh_offset;
}

const char *elf_interp(const struct elf_file *f, size_t *len)
{
	for (size_t i = 0; i < f->nph; i++)
		if (f->ph[i].p_type == PT_INTERP) {
			*len = (size_t)f->ph[i].p_filesz;
			return (const char *)f->raw + f->ph[i].p_offset;
		}
	*len = 0;
	return NULL;
}

bool elf_is_executable(const struct elf_file *f)
{
	if (f->eh.e_type == ET_EXEC)
		return true;
	if (f->eh.e_type != ET_DYN)
		return false;
	size_t len;
	const GElf_Dyn *fl = elf_dyn(f, DT_FLAGS_1);
	return elf_interp(f, &len) || (fl && (fl->d_un.d_val & DF_1_PIE));
}

static bool has_ph(const struct elf_file *f, uint32_t type)
{
	for (size_t i = 0; i < f->nph; i++)
		if (f->ph[i].p_type == type)
			return true;
	return false;
}

void elf_describe(const struct elf_file *f, struct strbuf *sb)
{
	static const char *const types[] = { [ET_REL] = "ET_REL", [ET_EXEC] = "ET_EXEC",
					     [ET_DYN] = "ET_DYN" };
	size_t len;
	const char *interp = elf_interp(f, &len);
	const GElf_Dyn *fl = elf_dyn(f, DT_FLAGS_1);
	bool dynamic = has_ph(f, PT_DYNAMIC);
	uint16_t type = f->eh.e_type;
	const char *what = "an ELF file of another type";
	if (type == ET_REL)
		what = "a relocatable object";
	else if (type == ET_EXEC)
		what = interp ? "a dynamic executable" : "a static executable";
	else if (type == ET_DYN && interp)
		what = "a dynamic PIE";
	else if (type == ET_DYN)
		what = fl && (fl->d_un.d_val & DF_1_PIE) ? "a static-pie" :
		       dynamic ? "a shared object" : "an ET_DYN file without PT_DYNAMIC";
	if (type < ARRAY_LEN(types) && types[type])
		sb_addf(sb, "%s (%s", what, types[type]);
	else
		sb_addf(sb, "%s (e_type %u", what, type);
	if (interp)
		sb_addf(sb, ", PT_INTERP %.*s", (int)strnlen(interp, len), interp);
	if (type == ET_DYN && !interp)
		sb_adds(sb, dynamic ? ", PT_DYNAMIC" : ", no PT_DYNAMIC");
	for (size_t i = 0; i < f->ndyn; i++) {
		if (f->dyn[i].d_tag != DT_NEEDED)
			continue;
		const char *name = elf_dynstr(f, f->dyn[i].d_un.d_val);
		sb_addf(sb, ", DT_NEEDED %s", name ? name : "?");
	}
	sb_addc(sb, ')');
}

/* ---- symbols ------------------------------------------------------------- */

/* Version index -> name, from .gnu.version_d and .gnu.version_r. */
struct vernames {
	const char **v;
	size_t n;
};

static void vername_set(struct vernames *vn, size_t idx, const char *name)
{
	if (idx >= 0x8000)
		return;
	if (idx >= vn->n) {
		size_t n = idx + 16;
		vn->v = xrealloc(vn->v, n * sizeof *vn->v);
		memset(vn->v + vn->n, 0, (n - vn->n) * sizeof *vn->v);
		vn->n = n;
	}
	vn->v[idx] = name;
}

static Elf_Data *section_data(const struct elf_file *f, size_t i)
{
	Elf_Scn *scn = elf_getscn(f->e, i);
	return scn ? elf_getdata(scn, NULL) : NULL;
}

/* Walks a verdef or verneed chain in d, with bounded steps: a corrupt
 * vd_next or vn_next never loops or leaves the section. */
static void each_version_entry(const struct elf_file *f, size_t secidx, bool need,
			       void (*fn)(void *ctx, const char *file, const char *name,
					  unsigned idx, unsigned flags), void *ctx)
{
	Elf_Data *d = section_data(f, secidx);
	size_t strsec = f->sec[secidx].sh.sh_link;
	if (!d || !d->d_buf)
		return;
	size_t off = 0, count = f->sec[secidx].sh.sh_info ? f->sec[secidx].sh.sh_info : 1000000;
	for (size_t k = 0; k < count && off < d->d_size; k++) {
		size_t aux, naux, next;
		const char *file = NULL;
		unsigned idx = 0, flags = 0;
		if (need) {
			GElf_Verneed vn;
			if (!gelf_getverneed(d, (int)off, &vn))
				return;
			file = elf_strptr(f->e, strsec, vn.vn_file);
			aux = off + vn.vn_aux, naux = vn.vn_cnt, next = vn.vn_next;
		} else {
			GElf_Verdef vd;
			if (!gelf_getverdef(d, (int)off, &vd))
				return;
			aux = off + vd.vd_aux, naux = vd.vd_cnt ? 1 : 0, next = vd.vd_next;
			idx = vd.vd_ndx, flags = vd.vd_flags;
		}
		for (size_t j = 0; j < naux && aux < d->d_size; j++) {
			const char *name;
			size_t anext;
			if (need) {
				GElf_Vernaux va;
				if (!gelf_getvernaux(d, (int)aux, &va))
					return;
				name = elf_strptr(f->e, strsec, va.vna_name);
				idx = va.vna_other, flags = va.vna_flags, anext = va.vna_next;
			} else {
				GElf_Verdaux va;
				if (!gelf_getverdaux(d, (int)aux, &va))
					return;
				name = elf_strptr(f->e, strsec, va.vda_name);
				anext = va.vda_next;
			}
			if (name)
				fn(ctx, file ? file : "", name, idx, flags);
			if (!anext)
				break;
			aux += anext;
		}
		if (!next)
			break;
		off += next;
	}
}

static size_t find_section(const struct elf_file *f, uint32_t type)
{
	for (size_t i = 1; i < f->nsec; i++)
		if (f->sec[i].sh.sh_type == type)
			return i;
	return 0;
}

static void collect_vername(void *ctx, const char *file, const char *name, unsigned idx,
			    unsigned flags)
{
	(void)file, (void)flags;
	vername_set(ctx, idx, name);
}

void elf_each_symbol(const struct elf_file *f, bool dynamic,
		     bool (*fn)(void *ctx, const struct elf_symbol *s), void *ctx)
{
	size_t si = find_section(f, dynamic ? SHT_DYNSYM : SHT_SYMTAB);
	Elf_Data *d = si ? section_data(f, si) : NULL;
	if (!d)
		return;
	struct vernames vn = { 0 };
	Elf_Data *versym = NULL;
	if (dynamic) {
		size_t vs = find_section(f, SHT_GNU_versym);
		versym = vs ? section_data(f, vs) : NULL;
		size_t s;
		if ((s = find_section(f, SHT_GNU_verdef)))
			each_version_entry(f, s, false, collect_vername, &vn);
		if ((s = find_section(f, SHT_GNU_verneed)))
			each_version_entry(f, s, true, collect_vername, &vn);
	}
	size_t n = d->d_size / gelf_fsize(f->e, ELF_T_SYM, 1, EV_CURRENT);
	size_t strsec = f->sec[si].sh.sh_link;
	for (size_t i = 0; i < n; i++) {
		struct elf_symbol s = { .index = i };
		if (!gelf_getsym(d, (int)i, &s.sym))
			break;
		s.name = elf_strptr(f->e, strsec, s.sym.st_name);
		if (!s.name)
			s.name = "";
		GElf_Versym v;
		if (versym && gelf_getversym(versym, (int)i, &v)) {
			size_t idx = v & 0x7fff;
			s.hidden_version = (v & 0x8000) != 0;
			if (idx > 1 && idx < vn.n)
				s.version = vn.v[idx];
		}
		if (!fn(ctx, &s))
			break;
	}
	free(vn.v);
}

/* ---- versions ------------------------------------------------------------ */

struct verneed_ctx {
	bool (*fn)(void *, const char *, const char *);
	void *ctx;
};

static void call_verneed(void *ctx, const char *file, const char *name, unsigned idx,
			 unsigned flags)
{
	(void)idx, (void)flags;
	struct verneed_ctx *c = ctx;
	c->fn(c->ctx, file, name);
}

void elf_each_verneed(const struct elf_file *f,
		      bool (*fn)(void *ctx, const char *file, const char *version), void *ctx)
{
	size_t s = find_section(f, SHT_GNU_verneed);
	struct verneed_ctx c = { fn, ctx };
	if (s)
		each_version_entry(f, s, true, call_verneed, &c);
}

struct verdef_ctx {
	bool (*fn)(void *, const char *, unsigned, unsigned);
	void *ctx;
};

static void call_verdef(void *ctx, const char *file, const char *name, unsigned idx,
			unsigned flags)
{
	(void)file;
	struct verdef_ctx *c = ctx;
	c->fn(c->ctx, name, idx, flags);
}

void elf_each_verdef(const struct elf_file *f,
		     bool (*fn)(void *ctx, const char *name, unsigned index, unsigned flags),
		     void *ctx)
{
	size_t s = find_section(f, SHT_GNU_verdef);
	struct verdef_ctx c = { fn, ctx };
	if (s)
		each_version_entry(f, s, false, call_verdef, &c);
}

/* ---- dynamic relocations ------------------------------------------------- */

static bool each_table(const struct elf_file *f, enum elf_rel_kind kind, uint64_t addr,
		       uint64_t size, bool rela,
		       bool (*fn)(void *ctx, const struct elf_reloc *r), void *ctx)
{
	size_t w = elf_addr_size(f), esz = elf_rel_size(f, rela);
	const unsigned char *p = elf_bytes_at(f, addr, size);
	if (!p)
		return true;
	for (uint64_t off = 0; off + esz <= size; off += esz) {
		struct elf_reloc r = { .kind = kind };
		r.offset = elf_read_word(f, p + off, w);
		uint64_t info = elf_read_word(f, p + off + w, w);
		r.type = w == 8 ? (uint32_t)info : (uint32_t)(info & 0xff);
		r.sym = w == 8 ? (uint32_t)(info >> 32) : (uint32_t)(info >> 8);
		if (rela) {
			uint64_t a = elf_read_word(f, p + off + 2 * w, w);
			r.addend = w == 8 ? (int64_t)a : (int32_t)a;
		}
		if (!fn(ctx, &r))
			return false;
	}
	return true;
}

/* An even entry is an address; an odd one a bitmap of the words that
 * follow the last address, one bit per word, bit 0 the marker. */
static bool each_relr(const struct elf_file *f, uint64_t addr, uint64_t size,
		      bool (*fn)(void *ctx, const struct elf_reloc *r), void *ctx)
{
	size_t w = elf_addr_size(f);
	const unsigned char *p = elf_bytes_at(f, addr, size);
	if (!p)
		return true;
	uint64_t where = 0;
	for (uint64_t off = 0; off + w <= size; off += w) {
		uint64_t e = elf_read_word(f, p + off, w);
		struct elf_reloc r = { .kind = ELF_RELR };
		if (!(e & 1)) {
			r.offset = e;
			if (!fn(ctx, &r))
				return false;
			where = e + w;
			continue;
		}
		for (size_t bit = 1; bit < 8 * w; bit++)
			if ((e >> bit) & 1) {
				r.offset = where + (bit - 1) * w;
				if (!fn(ctx, &r))
					return false;
			}
		where += (8 * w - 1) * w;
	}
	return true;
}

static uint64_t dval(const struct elf_file *f, int64_t tag)
{
	const GElf_Dyn *d = elf_dyn(f, tag);
	return d ? d->d_un.d_val : 0;
}

void elf_each_dynreloc(const struct elf_file *f,
		       bool (*fn)(void *ctx, const struct elf_reloc *r), void *ctx)
{
	uint64_t rela = dval(f, DT_RELA), relasz = dval(f, DT_RELASZ);
	uint64_t jmp = dval(f, DT_JMPREL), jmpsz = dval(f, DT_PLTRELSZ);
	bool more = true;
	if (elf_has_dyn(f, DT_RELA))
		more = each_table(f, ELF_RELA, rela, relasz, true, fn, ctx);
	if (more && elf_has_dyn(f, DT_REL))
		more = each_table(f, ELF_REL, dval(f, DT_REL), dval(f, DT_RELSZ), false, fn, ctx);
	/* Some linkers count .rela.plt in DT_RELASZ too: do not walk it twice. */
	bool inside = elf_has_dyn(f, DT_RELA) && jmp >= rela && jmp - rela < relasz;
	if (more && elf_has_dyn(f, DT_JMPREL) && !inside)
		more = each_table(f, ELF_JMPREL, jmp, jmpsz, dval(f, DT_PLTREL) == DT_RELA, fn, ctx);
	if (more && elf_has_dyn(f, DT_RELR))
		each_relr(f, dval(f, DT_RELR), dval(f, DT_RELRSZ), fn, ctx);
}

/* ---- notes and .comment ------------------------------------------------ */

static bool each_note_in(const struct elf_file *f, Elf_Data *d,
			 bool (*fn)(void *ctx, const struct elf_note *n), void *ctx)
{
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;
	while (d && d->d_buf && off < d->d_size &&
	       (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > off) {
		const char *owner = nh.n_namesz ? (const char *)d->d_buf + name_off : "";
		if (nh.n_namesz && !memchr(owner, 0, nh.n_namesz))
			owner = "";
		struct elf_note n = { owner, nh.n_type, (const unsigned char *)d->d_buf + desc_off,
				      nh.n_descsz };
		if (!fn(ctx, &n))
			return false;
		off = next;
	}
	(void)f;
	return true;
}

void elf_each_note(const struct elf_file *f,
		   bool (*fn)(void *ctx, const struct elf_note *n), void *ctx)
{
	bool any = false;
	for (size_t i = 1; i < f->nsec; i++) {
		if (f->sec[i].sh.sh_type != SHT_NOTE)
			continue;
		any = true;
		if (!each_note_in(f, section_data(f, i), fn, ctx))
			return;
	}
	for (size_t i = 0; i < f->nph && !any; i++) {
		if (f->ph[i].p_type != PT_NOTE)
			continue;
		Elf_Data *d = elf_getdata_rawchunk(f->e, (int64_t)f->ph[i].p_offset,
						   (size_t)f->ph[i].p_filesz, ELF_T_NHDR);
		if (!each_note_in(f, d, fn, ctx))
			return;
	}
}

void elf_each_comment(const struct elf_file *f,
		      bool (*fn)(void *ctx, const char *s, size_t len), void *ctx)
{
	const struct elf_sec *s = elf_section(f, ".comment");
	const char *p = s ? (const char *)elf_section_bytes(f, s) : NULL;
	if (!p)
		return;
	const char *end = p + s->sh.sh_size;
	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));
		if (n && !fn(ctx, p, n))
			return;
		p += n + 1;
	}
}

int elf_open_quiet(struct elf_file *f, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	int rc = elf_open(f, path, &err);
	sb_free(&err);
	return rc;
}

const char *elf_symbol_section(const struct elf_file *f, const GElf_Sym *s)
{
	if (s->st_shndx != SHN_UNDEF && s->st_shndx < SHN_LORESERVE)
		return s->st_shndx < f->nsec ? f->sec[s->st_shndx].name : "?";
	char b[32];
	const char *w = elf_word(&elf_shn_names, s->st_shndx, b);
	return w == b ? "?" : w;
}

struct named_at { uint64_t addr; bool objects; const char *name; };

static bool defined_at(void *ctx, const struct elf_symbol *s)
{
	struct named_at *q = ctx;
	int type = GELF_ST_TYPE(s->sym.st_info);
	if ((type != STT_FUNC && !(q->objects && type == STT_OBJECT)) ||
	    s->sym.st_shndx == SHN_UNDEF || s->sym.st_value != q->addr || !*s->name)
		return true;
	q->name = s->name;
	return false;
}

const char *elf_symbol_at(const struct elf_file *f, uint64_t addr, bool objects)
{
	struct named_at q = { addr, objects, NULL };
	elf_each_symbol(f, false, defined_at, &q);
	if (!q.name)
		elf_each_symbol(f, true, defined_at, &q);
	return q.name;
}

struct by_index { size_t index; const char *name; };

static bool sym_by_index(void *ctx, const struct elf_symbol *s)
{
	struct by_index *q = ctx;
	if (s->index != q->index)
		return true;
	q->name = s->name;
	return false;
}

const char *elf_dynsym_name(const struct elf_file *f, size_t index)
{
	struct by_index q = { index, NULL };
	if (index)
		elf_each_symbol(f, true, sym_by_index, &q);
	return q.name && *q.name ? q.name : NULL;
}

const char *elf_pf_str(uint32_t flags, char *buf)
{
	char *p = buf;
	if (flags & PF_R)
		*p++ = 'R';
	if (flags & PF_W)
		*p++ = 'W';
	if (flags & PF_X)
		*p++ = 'X';
	*p = 0;
	return buf;
}
