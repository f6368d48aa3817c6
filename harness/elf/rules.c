#include "elf/rules.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef DT_RELR
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#endif
#ifndef DF_1_PIE
#define DF_1_PIE 0x08000000
#endif
#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#define PT_SUNWDTRACE 0x6ffffffc
#define NT_GNU_PROPERTY_TYPE_0 5
#define NT_FREEBSD_ABI_TAG 1
#define ELFOSABI_FREEBSD_ 9

/* ---- profiles ---------------------------------------------------------- */

static const struct { const char *prefix; enum profile_kind kind; bool versioned; } kinds[] = {
	{ "gabi", PROF_GABI, false },       { "linux-glibc", PROF_GLIBC, true },
	{ "linux-musl", PROF_MUSL, true },  { "illumos", PROF_ILLUMOS, false },
	{ "freebsd", PROF_FREEBSD, true },  { "android", PROF_ANDROID, false },
};

int profile_parse(const char *s, struct profile *p, struct strbuf *err)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (strncmp(s, kinds[i].prefix, n) || (s[n] && s[n] != '-'))
			continue;
		p->kind = kinds[i].kind;
		snprintf(p->name, sizeof p->name, "%s", s);
		if (!s[n])
			return 0;
		int k = 0;
		const char *v = s + n + 1;
		if (kinds[i].versioned)
			while (k < 3 && *v >= '0' && *v <= '9') {
				char *end;
				long x = strtol(v, &end, 10);
				p->ver[k++] = x > 9999 ? 9999 : (int)x;
				v = *end == '.' ? end + 1 : end;
				if (*end != '.')
					break;
			}
		if (k && !*v)
			return 0;
		break;
	}
	sb_addf(err, "unknown loader profile '%s' (known: gabi, linux-glibc[-2.36], "
		"linux-musl[-1.2.3], illumos, freebsd[-13.1], android)", s);
	return -1;
}

int profiles_parse(const char *list, struct profile **v, size_t *n, struct strbuf *err)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct profile p;
		if (profile_parse(t, &p, err) < 0) {
			rc = -1;
			break;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = p;
	}
	free(copy);
	return rc;
}

/* Version known and below a.b.c. */
static bool older(const struct profile *p, int a, int b, int c)
{
	if (!p->ver[0] && !p->ver[1] && !p->ver[2])
		return false;
	int want[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (p->ver[i] != want[i])
			return p->ver[i] < want[i];
	return false;
}

/* ---- checking context ---------------------------------------------------- */

struct rctx {
	const struct elf_file *f;
	const struct profile *p;
	const struct rule *r;
	struct findings *out;
	/* The relocations that write non-writable memory, counted once. */
	bool ro_done;
	size_t ro_count;
	uint64_t ro_first[3];
	struct elf_reloc ro_one;     /* the first, for its type and symbol */
};

struct rule {
	const char *id;
	unsigned kinds;              /* bit per enum profile_kind */
	void (*check)(struct rctx *c);
	const char *rule, *consequence;
};

#define K(k) (1u << (k))
/* In kinds: the rule is about what a dynamic loader does with the file,
 * and says nothing of one no loader loads (a static-pie). */
#define LOADED (1u << 16)
#define LINUX (K(PROF_GLIBC) | K(PROF_MUSL))

static void report(struct rctx *c, const char *fmt, ...) LM_PRINTF(2, 3);
static void report(struct rctx *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *prof = c->r->kinds == K(PROF_GABI) ? "gabi" : c->p->name;
	for (size_t i = 0; i < c->out->n; i++)
		if (!strcmp(c->out->v[i].rule, c->r->id) && !strcmp(c->out->v[i].where, sb_str(&sb))) {
			sb_free(&sb);
			return;
		}
	if (c->out->n == c->out->cap) {
		c->out->cap = c->out->cap ? 2 * c->out->cap : 8;
		c->out->v = xrealloc(c->out->v, c->out->cap * sizeof *c->out->v);
	}
	c->out->v[c->out->n++] = (struct finding){ c->r->id, prof, sb_detach(&sb), c->r->consequence };
}

static const GElf_Phdr *ph(const struct rctx *c, size_t i) { return &c->f->ph[i]; }

static size_t first_of(const struct elf_file *f, uint32_t type)
{
	for (size_t i = 0; i < f->nph; i++)
		if (f->ph[i].p_type == type)
			return i;
	return SIZE_MAX;
}

static size_t count_of(const struct elf_file *f, uint32_t type)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nph; i++)
		n += f->ph[i].p_type == type;
	return n;
}

static uint64_t dval(const struct elf_file *f, int64_t tag)
{
	const GElf_Dyn *d = elf_dyn(f, tag);
	return d ? d->d_un.d_val : 0;
}

static bool is_shared_object(const struct elf_file *f)
{
	return f->eh.e_type == ET_DYN && !elf_is_executable(f);
}

static bool has_textrel_flag(const struct elf_file *f)
{
	return elf_has_dyn(f, DT_TEXTREL) || (dval(f, DT_FLAGS) & DF_TEXTREL);
}

static uint64_t page_size(const struct elf_file *f)
{
	/* The smallest page the OS may run with: what the loaders assume. */
	(void)f;
	return 4096;
}

/* "0x1234 (.eh_frame)" */
static const char *where_addr(const struct elf_file *f, uint64_t a, char *buf, size_t n)
{
	const struct elf_sec *s = elf_section_at(f, a);
	snprintf(buf, n, "%#llx%s%s%s", (unsigned long long)a, s ? " (" : "", s ? s->name : "",
		 s ? ")" : "");
	return buf;
}

static bool note_ro(void *ctx, const struct elf_reloc *r)
{
	struct rctx *c = ctx;
	if (elf_reloc_writes_nothing(r))
		return true;
	const GElf_Phdr *load = elf_load_at(c->f, r->offset, true);
	if (load && !(load->p_flags & PF_W)) {
		if (!c->ro_count)
			c->ro_one = *r;
		if (c->ro_count < ARRAY_LEN(c->ro_first))
			c->ro_first[c->ro_count] = r->offset;
		c->ro_count++;
	}
	return true;
}

static size_t ro_relocs(struct rctx *c)
{
	if (!c->ro_done) {
		elf_each_dynreloc(c->f, note_ro, c);
		c->ro_done = true;
	}
	return c->ro_count;
}

static void describe_ro(struct rctx *c, struct strbuf *sb)
{
	char b[96], t[32];
	const struct elf_reloc *r = &c->ro_one;
	const char *sym = r->kind == ELF_RELR ? NULL : elf_dynsym_name(c->f, r->sym);
	sb_addf(sb, "%zu dynamic relocation%s into non-writable PT_LOAD, the first %s%s%s, at ",
		c->ro_count, c->ro_count == 1 ? "" : "s",
		r->kind == ELF_RELR ? "a RELR relative one" : elf_reloc_name(c->f->eh.e_machine, r->type, t),
		sym ? " against " : "", sym ? sym : "");
	size_t k = c->ro_count < ARRAY_LEN(c->ro_first) ? c->ro_count : ARRAY_LEN(c->ro_first);
	for (size_t i = 0; i < k; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", where_addr(c->f, c->ro_first[i], b, sizeof b));
}

/* ---- gABI ---------------------------------------------------------------- */

static void g_interp(struct rctx *c)
{
	size_t n = count_of(c->f, PT_INTERP), i = first_of(c->f, PT_INTERP);
	if (n > 1)
		report(c, "%zu PT_INTERP program headers", n);
	if (i != SIZE_MAX && first_of(c->f, PT_LOAD) < i)
		report(c, "PT_INTERP is program header %zu, after the first PT_LOAD (%zu)", i,
		       first_of(c->f, PT_LOAD));
}

static void g_phdr(struct rctx *c)
{
	size_t n = count_of(c->f, PT_PHDR), i = first_of(c->f, PT_PHDR);
	if (i == SIZE_MAX)
		return;
	if (n > 1)
		report(c, "%zu PT_PHDR program headers", n);
	if (first_of(c->f, PT_LOAD) < i)
		report(c, "PT_PHDR is program header %zu, after the first PT_LOAD (%zu)", i,
		       first_of(c->f, PT_LOAD));
	const GElf_Phdr *p = ph(c, i);
	const GElf_Phdr *l = elf_load_at(c->f, p->p_vaddr, true);
	if (!l || p->p_memsz > l->p_vaddr + l->p_memsz - p->p_vaddr)
		report(c, "PT_PHDR [%#llx, +%#llx) is not inside any PT_LOAD",
		       (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
}

static void g_sorted(struct rctx *c)
{
	const GElf_Phdr *prev = NULL;
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type != PT_LOAD)
			continue;
		if (prev && p->p_vaddr < prev->p_vaddr)
			report(c, "PT_LOAD %zu at %#llx follows one at %#llx", i,
			       (unsigned long long)p->p_vaddr, (unsigned long long)prev->p_vaddr);
		prev = p;
	}
}

static void pflags_str(uint32_t f, char *b)
{
	b[0] = f & PF_R ? 'R' : '-', b[1] = f & PF_W ? 'W' : '-', b[2] = f & PF_X ? 'X' : '-';
	b[3] = 0;
}

/* Loaders map each PT_LOAD by whole pages, one segment after another and
 * each over what was there (the Linux kernel, glibc's and musl's ld.so,
 * FreeBSD's and illumos's): on a page two segments share, the later one's
 * protection and file bytes win. The earlier segment's bytes there lose a
 * permission they need, or are other bytes of the file. lld does this with
 * a linker script that sets addresses without page alignment. */
static void g_load_pages(struct rctx *c)
{
	const uint64_t pg = page_size(c->f);
	const GElf_Phdr *prev = NULL;
	size_t prev_i = 0;
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		if (prev && p->p_vaddr >= prev->p_vaddr) {
			uint64_t end = prev->p_vaddr + prev->p_memsz, page = p->p_vaddr & ~(pg - 1);
			uint32_t lost = prev->p_flags & ~p->p_flags;
			bool moved = prev->p_offset - prev->p_vaddr != p->p_offset - p->p_vaddr &&
				     prev->p_vaddr + prev->p_filesz > page;
			if (end > page && (lost || moved)) {
				uint64_t from = prev->p_vaddr > page ? prev->p_vaddr : page,
					 to = end < p->p_vaddr ? end : p->p_vaddr;
				char a[4], b[4], lo[96], why[160];
				pflags_str(prev->p_flags, a), pflags_str(p->p_flags, b);
				where_addr(c->f, from, lo, sizeof lo);
				uint64_t e = c->f->eh.e_entry;
				if (lost)
					snprintf(why, sizeof why, "loses %s%s%s%s", lost & PF_X ? "PF_X" : "",
						 lost & PF_X && lost & ~PF_X ? " and " : "",
						 lost & PF_W ? "PF_W" : lost & PF_R ? "PF_R" : "",
						 e >= from && e < to && lost & PF_X ? ", and e_entry is there" : "");
				else
					snprintf(why, sizeof why, "holds other bytes of the file");
				report(c, "PT_LOAD %zu (%s, up to %#llx) and PT_LOAD %zu (%s, from %#llx) share the "
				       "page at 0x%llx: mapped last, PT_LOAD %zu's is the page, and [%s, %#llx) of "
				       "PT_LOAD %zu %s", prev_i, a, (unsigned long long)end, i, b,
				       (unsigned long long)p->p_vaddr, (unsigned long long)page, i, lo,
				       (unsigned long long)to, prev_i, why);
			}
		}
		prev = p, prev_i = i;
	}
}

static void filesz_memsz(struct rctx *c)
{
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type == PT_LOAD && p->p_filesz > p->p_memsz)
			report(c, "PT_LOAD %zu: p_filesz %#llx > p_memsz %#llx", i,
			       (unsigned long long)p->p_filesz, (unsigned long long)p->p_memsz);
	}
}

static void g_align(struct rctx *c)
{
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type != PT_LOAD)
			continue;
		uint64_t a = p->p_align;
		if (a > 1 && (a & (a - 1)))
			report(c, "PT_LOAD %zu: p_align %#llx is not a power of two", i, (unsigned long long)a);
		else if (a > 1 && p->p_vaddr % a != p->p_offset % a)
			report(c, "PT_LOAD %zu: p_vaddr %#llx and p_offset %#llx differ modulo p_align %#llx",
			       i, (unsigned long long)p->p_vaddr, (unsigned long long)p->p_offset,
			       (unsigned long long)a);
	}
}

static void g_textrel(struct rctx *c)
{
	if (has_textrel_flag(c->f) || !ro_relocs(c))
		return;
	struct strbuf sb = STRBUF_INIT;
	describe_ro(c, &sb);
	sb_adds(&sb, "; neither DT_TEXTREL nor DF_TEXTREL is set");
	report(c, "%s", sb_str(&sb));
	sb_free(&sb);
}

struct pair { int64_t tag, size, ent; size_t ent64, ent32; };

static void g_dyn_pairs(struct rctx *c)
{
	static const struct pair pairs[] = {
		{ DT_RELA, DT_RELASZ, DT_RELAENT, 24, 12 },
		{ DT_REL, DT_RELSZ, DT_RELENT, 16, 8 },
		{ DT_RELR, DT_RELRSZ, DT_RELRENT, 8, 4 },
		{ DT_JMPREL, DT_PLTRELSZ, DT_PLTREL, 0, 0 },
		{ DT_INIT_ARRAY, DT_INIT_ARRAYSZ, 0, 0, 0 },
		{ DT_FINI_ARRAY, DT_FINI_ARRAYSZ, 0, 0, 0 },
		{ DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, 0, 0, 0 },
		{ DT_SYMTAB, DT_SYMENT, 0, 0, 0 },
	};
	char a[32], b[32];
	for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
		const struct pair *q = &pairs[i];
		if (!elf_has_dyn(c->f, q->tag))
			continue;
		if (!elf_has_dyn(c->f, q->size))
			report(c, "%s without %s", elf_dt_name(q->tag, a), elf_dt_name(q->size, b));
		if (q->ent && !elf_has_dyn(c->f, q->ent))
			report(c, "%s without %s", elf_dt_name(q->tag, a), elf_dt_name(q->ent, b));
		size_t want = c->f->cls == ELFCLASS64 ? q->ent64 : q->ent32;
		if (want && elf_has_dyn(c->f, q->ent) && dval(c->f, q->ent) != want)
			report(c, "%s is %llu, not %zu", elf_dt_name(q->ent, a),
			       (unsigned long long)dval(c->f, q->ent), want);
	}
}

/* An executable's entry point is code: inside a PT_LOAD with PF_X. */
static void g_entry(struct rctx *c)
{
	const GElf_Ehdr *eh = &c->f->eh;
	if (!(eh->e_type == ET_EXEC || elf_is_executable(c->f)) || !eh->e_entry)
		return;   /* 0: illumos-entry-nonzero's, and no entry on Linux */
	const GElf_Phdr *l = elf_load_at(c->f, eh->e_entry, true);
	char b[96];
	if (!l)
		report(c, "e_entry %s is in no PT_LOAD", where_addr(c->f, eh->e_entry, b, sizeof b));
	else if (!(l->p_flags & PF_X))
		report(c, "e_entry %s is in a PT_LOAD without PF_X", where_addr(c->f, eh->e_entry, b,
										sizeof b));
}

/* ---- .eh_frame ------------------------------------------------------------ */

struct eh_cursor {
	const struct elf_file *f;
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t eh_uleb(struct eh_cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; c->p < c->end; shift += 7) {
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return v;
}

static const unsigned char *eh_take(struct eh_cursor *c, size_t n)
{
	const unsigned char *at = c->p;
	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		return c->end;
	}
	c->p += n;
	return at;
}

/* The FDE pointer encoding of the CIE at cie ("zR" augmentation), or -1
 * (none: absptr, 0) when it cannot be read. */
static int cie_fde_encoding(const struct elf_file *f, const unsigned char *cie,
			    const unsigned char *end)
{
	struct eh_cursor c = { f, cie, end, false };
	eh_take(&c, 4 + 4);                              /* length, CIE id */
	unsigned version = *eh_take(&c, 1);
	const char *aug = (const char *)c.p;
	size_t alen = strnlen(aug, (size_t)(c.end - c.p));
	eh_take(&c, alen + 1);
	eh_uleb(&c), eh_uleb(&c);                       /* code, data alignment */
	if (version == 1)
		eh_take(&c, 1);
	else
		eh_uleb(&c);                            /* return address register */
	if (c.bad || aug[0] != 'z')
		return c.bad ? -1 : 0;
	eh_uleb(&c);                                    /* augmentation data length */
	for (size_t i = 1; i < alen && !c.bad; i++) {
		if (aug[i] == 'R')
			return *eh_take(&c, 1);
		if (aug[i] == 'L')
			eh_take(&c, 1);
		else if (aug[i] == 'P') {
			unsigned enc = *eh_take(&c, 1);
			static const size_t sizes[] = { 8, 0, 2, 4, 8 };   /* absptr, uleb, 2, 4, 8 */
			size_t n = (enc & 0x7) < 5 ? sizes[enc & 0x7] : 0;
			if ((enc & 0x7) == 0)
				n = elf_addr_size(f);
			if ((enc & 0x7) == 1)
				eh_uleb(&c);
			else
				eh_take(&c, n);
		} else if (aug[i] != 'S' && aug[i] != 'B')
			return -1;                      /* unknown: cannot tell */
	}
	return 0;
}

struct reloc_at { uint64_t addr; bool hit; };

static bool relocated_at(void *ctx, const struct elf_reloc *r)
{
	struct reloc_at *q = ctx;
	q->hit |= r->offset == q->addr && !elf_reloc_writes_nothing(r);
	return !q->hit;
}

/* In a file loaded at a bias (ET_DYN), an FDE whose initial location is an
 * absolute address (DW_EH_PE_absptr) needs a dynamic relocation: without
 * one, the unwinder looks the function up at its link-time address and
 * finds no unwind information for it. mold 1.10 writes such FDEs into a
 * read-only .eh_frame and passes every test that does not unwind. */
static void g_eh_frame_absolute(struct rctx *c)
{
	const struct elf_file *f = c->f;
	const struct elf_sec *s = elf_section(f, ".eh_frame");
	const unsigned char *base = s ? elf_section_bytes(f, s) : NULL;
	if (f->eh.e_type != ET_DYN || !base || s->sh.sh_type == SHT_NOBITS)
		return;
	const unsigned char *end = base + s->sh.sh_size;
	size_t unrelocated = 0;
	uint64_t first = 0;
	for (const unsigned char *rec = base; end - rec >= 8;) {
		uint64_t len = elf_read_word(f, rec, 4);
		if (!len || len == 0xffffffff || len > (uint64_t)(end - rec - 4))
			break;                          /* the terminator, or 64-bit records */
		uint64_t id = elf_read_word(f, rec + 4, 4);
		const unsigned char *cie = rec + 4 - id;
		if (id && cie >= base && cie < rec && cie_fde_encoding(f, cie, end) == 0) {
			uint64_t at = s->sh.sh_addr + (uint64_t)(rec + 8 - base);
			struct reloc_at q = { at, false };
			elf_each_dynreloc(f, relocated_at, &q);
			if (!q.hit && !unrelocated++)
				first = elf_read_word(f, rec + 8, elf_addr_size(f));
		}
		rec += 4 + len;
	}
	char b[96];
	const char *fn = unrelocated ? elf_symbol_at(f, first, false) : NULL;
	if (unrelocated)
		report(c, "%zu FDE%s in .eh_frame with an absolute initial location and no dynamic "
		       "relocation, the first for %s%s%s", unrelocated, unrelocated == 1 ? "" : "s",
		       fn ? fn : "", fn ? " at " : "", where_addr(f, first, b, sizeof b));
}

/* Tags a loader keeps a list of; every other it keeps one of, the last. */
static bool listed_tag(int64_t tag)
{
	static const int64_t lists[] = {
		DT_NEEDED, DT_AUXILIARY, DT_FILTER,
		0x6ffffdfd,   /* DT_POSFLAG_1 (Solaris): applies to the DT_NEEDED after it */
		0x6000000f,   /* DT_SUNW_FILTER */
	};
	for (size_t i = 0; i < ARRAY_LEN(lists); i++)
		if (lists[i] == tag)
			return true;
	return false;
}

static bool written_before(const struct elf_file *f, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (f->dyn[k].d_tag == f->dyn[i].d_tag)
			return true;
	return false;
}

static void g_dyn_unique(struct rctx *c)
{
	char t[32];
	const struct elf_file *f = c->f;
	for (size_t i = 0; i < f->ndyn; i++) {
		int64_t tag = f->dyn[i].d_tag;
		const GElf_Dyn *last = elf_dyn(f, tag);
		if (listed_tag(tag) || last == &f->dyn[i] || written_before(f, i))
			continue;
		/* Only where the values differ does the loader's choice matter. */
		size_t n = 0;
		bool differ = false;
		for (size_t k = i; k < f->ndyn; k++)
			if (f->dyn[k].d_tag == tag) {
				n++;
				differ |= f->dyn[k].d_un.d_val != f->dyn[i].d_un.d_val;
			}
		if (differ)
			report(c, "%s is written %zu times in .dynamic, first %#llx (entry %zu), last "
			       "%#llx (entry %zu)", elf_dt_name(tag, t), n,
			       (unsigned long long)f->dyn[i].d_un.d_val, i,
			       (unsigned long long)last->d_un.d_val, (size_t)(last - f->dyn));
	}
}

struct array_kind { uint32_t sht; int64_t tag, size; const char *start, *end; };
static const struct array_kind arrays[] = {
	{ SHT_INIT_ARRAY, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, "__init_array_start", "__init_array_end" },
	{ SHT_FINI_ARRAY, DT_FINI_ARRAY, DT_FINI_ARRAYSZ, "__fini_array_start", "__fini_array_end" },
	{ SHT_PREINIT_ARRAY, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, "__preinit_array_start",
	  "__preinit_array_end" },
};

struct bounds { const struct array_kind *k; uint64_t lo, hi; int seen; };

static bool find_bounds(void *ctx, const struct elf_symbol *s)
{
	struct bounds *b = ctx;
	if (!strcmp(s->name, b->k->start))
		b->lo = s->sym.st_value, b->seen |= 1;
	else if (!strcmp(s->name, b->k->end))
		b->hi = s->sym.st_value, b->seen |= 2;
	return b->seen != 3;
}

/* The range the startup code runs: the dynamic tags, or in a static
 * program the linker-defined bounds symbols libc's startup walks. */
static bool array_range(const struct elf_file *f, const struct array_kind *k, uint64_t *lo,
			uint64_t *hi)
{
	if (elf_has_dyn(f, k->tag)) {
		*lo = dval(f, k->tag);
		*hi = *lo + dval(f, k->size);
		return true;
	}
	struct bounds b = { k, 0, 0, 0 };
	elf_each_symbol(f, false, find_bounds, &b);
	*lo = b.lo, *hi = b.hi;
	return b.seen == 3;
}

static void g_init_covered(struct rctx *c)
{
	char t[32];
	for (size_t a = 0; a < ARRAY_LEN(arrays); a++) {
		uint64_t lo, hi;
		bool known = false;
		for (size_t i = 1; i < c->f->nsec; i++) {
			const struct elf_sec *s = &c->f->sec[i];
			if (s->sh.sh_type != arrays[a].sht || !(s->sh.sh_flags & SHF_ALLOC) || !s->sh.sh_size)
				continue;
			if (!known && !(known = array_range(c->f, &arrays[a], &lo, &hi)))
				break;
			uint64_t from = s->sh.sh_addr, to = from + s->sh.sh_size;
			if (from >= lo && to <= hi)
				continue;
			bool part = from < hi && to > lo;
			report(c, "section %zu %s (%s) [%#llx, +%#llx) is %s the range run [%#llx, %#llx)%s",
			       i, s->name, elf_sht_name(s->sh.sh_type, t), (unsigned long long)from,
			       (unsigned long long)s->sh.sh_size, part ? "partly covered by" : "outside",
			       (unsigned long long)lo, (unsigned long long)hi,
			       part ? ": its entries outside it never run" : "");
		}
	}
}

/* ---- the interpreter a profile's system has ------------------------------ */

struct interp_path { unsigned kinds; uint16_t machine; const char *path; };
static const struct interp_path interp_paths[] = {
	{ K(PROF_GLIBC), EM_X86_64, "/lib64/ld-linux-x86-64.so.2" },
	{ K(PROF_GLIBC), EM_X86_64, "/libx32/ld-linux-x32.so.2" },
	{ K(PROF_GLIBC), EM_386, "/lib/ld-linux.so.2" },
	{ K(PROF_GLIBC), EM_AARCH64, "/lib/ld-linux-aarch64.so.1" },
	{ K(PROF_GLIBC), EM_AARCH64, "/lib/ld-linux-aarch64_be.so.1" },
	{ K(PROF_GLIBC), EM_ARM, "/lib/ld-linux-armhf.so.3" },
	{ K(PROF_GLIBC), EM_ARM, "/lib/ld-linux.so.3" },
	{ K(PROF_GLIBC), EM_RISCV, "/lib/ld-linux-riscv64-lp64d.so.1" },
	{ K(PROF_GLIBC), EM_RISCV, "/lib/ld-linux-riscv64-lp64.so.1" },
	{ K(PROF_GLIBC), EM_PPC64, "/lib64/ld64.so.2" },
	{ K(PROF_GLIBC), EM_PPC64, "/lib64/ld64.so.1" },
	{ K(PROF_GLIBC), EM_S390, "/lib/ld64.so.1" },
	{ K(PROF_MUSL), EM_X86_64, "/lib/ld-musl-x86_64.so.1" },
	{ K(PROF_MUSL), EM_386, "/lib/ld-musl-i386.so.1" },
	{ K(PROF_MUSL), EM_AARCH64, "/lib/ld-musl-aarch64.so.1" },
	{ K(PROF_MUSL), EM_ARM, "/lib/ld-musl-armhf.so.1" },
	{ K(PROF_MUSL), EM_ARM, "/lib/ld-musl-arm.so.1" },
	{ K(PROF_MUSL), EM_RISCV, "/lib/ld-musl-riscv64.so.1" },
	{ K(PROF_MUSL), EM_PPC64, "/lib/ld-musl-powerpc64le.so.1" },
	{ K(PROF_MUSL), EM_S390, "/lib/ld-musl-s390x.so.1" },
	{ K(PROF_ILLUMOS), EM_X86_64, "/usr/lib/amd64/ld.so.1" },
	{ K(PROF_ILLUMOS), EM_X86_64, "/lib/amd64/ld.so.1" },
	{ K(PROF_ILLUMOS), EM_X86_64, "/usr/lib/64/ld.so.1" },
	{ K(PROF_ILLUMOS), EM_X86_64, "/lib/64/ld.so.1" },
	{ K(PROF_ILLUMOS), EM_386, "/usr/lib/ld.so.1" },
	{ K(PROF_ILLUMOS), EM_386, "/lib/ld.so.1" },
	{ K(PROF_FREEBSD), 0, "/libexec/ld-elf.so.1" },
	{ K(PROF_FREEBSD), 0, "/libexec/ld-elf32.so.1" },
	{ K(PROF_FREEBSD), 0, "/usr/libexec/ld-elf.so.1" },
	{ K(PROF_ANDROID), 0, "/system/bin/linker64" },
	{ K(PROF_ANDROID), 0, "/system/bin/linker" },
	{ K(PROF_ANDROID), 0, "/apex/com.android.runtime/bin/linker64" },
	{ K(PROF_ANDROID), 0, "/apex/com.android.runtime/bin/linker" },
};

/* Whether the target has the file at path, where its loader looks: -1
 * when its files are not on this machine. */
static int target_has(const struct profile *p, const char *path)
{
	if (!p->root)
		return -1;
	char *full = xasprintf("%s%s", strcmp(p->root, "/") ? p->root : "", path);
	struct stat st;
	bool has = stat(full, &st) == 0 && S_ISREG(st.st_mode);
	free(full);
	if (!has && p->root_then_host && strcmp(p->root, "/"))
		has = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	return has;
}

static bool listed(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The loader the profile's system has at the path, or NULL; *first: the
 * first it has for the machine. */
static const char *table_loader(const struct rctx *c, const char *interp, const char **first)
{
	for (size_t i = 0; i < ARRAY_LEN(interp_paths); i++) {
		const struct interp_path *p = &interp_paths[i];
		if (!(p->kinds & K(c->p->kind)) || (p->machine && p->machine != c->f->eh.e_machine))
			continue;
		if (!strcmp(p->path, interp))
			return p->path;
		if (!*first)
			*first = p->path;
	}
	return NULL;
}

/* PT_INTERP names a loader the target has: one written in its file, else
 * the one its compiler writes or one its profile's system has, and, where
 * the target's files are here, a file that is there (Debian's
 * /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 is in no table, and the x32
 * loader of the table is on few machines). Not for a file made for another
 * system: its loader is that system's. */
static void interp_known(struct rctx *c)
{
	const struct profile *p = c->p;
	if (p->as_if)
		return;
	size_t len;
	const char *interp = elf_interp(c->f, &len);
	if (!interp || !len || !memchr(interp, 0, len))
		return;   /* missing or malformed: other rules' */
	const char *first = p->nloaders ? p->loaders[0] : NULL;
	bool named = listed(p->loaders, p->nloaders, interp);
	if (!p->loaders_only && !named)
		named = table_loader(c, interp, &first) != NULL;
	int has = target_has(p, interp);
	if (has == 1 && (named || !p->loaders_only))
		return;
	if (has == 0 && named) {
		report(c, "PT_INTERP %s, which this target does not have", interp);
		return;
	}
	if (!named && first)
		report(c, "PT_INTERP %s, where this %s loader is %s", interp,
		       p->nloaders ? "target's" : "system's", first);
}

/* ---- lazy binding ---------------------------------------------------------- */

struct relro_slots { uint64_t lo, hi, first; size_t n; };

static bool slot_in_relro(void *ctx, const struct elf_reloc *r)
{
	struct relro_slots *q = ctx;
	if (r->kind == ELF_JMPREL && r->offset >= q->lo && r->offset < q->hi && !q->n++)
		q->first = r->offset;
	return true;
}

/* The loaders that bind PLT slots at their first call (glibc, FreeBSD,
 * illumos) write the GOT then, after RELRO made it read-only, unless the
 * object asks for binding at load time. */
static void lazy_relro(struct rctx *c)
{
	const struct elf_file *f = c->f;
	size_t i = first_of(f, PT_GNU_RELRO);
	if (i == SIZE_MAX || elf_has_dyn(f, DT_BIND_NOW) || (dval(f, DT_FLAGS) & DF_BIND_NOW) ||
	    (dval(f, DT_FLAGS_1) & DF_1_NOW))
		return;
	/* The loader protects whole pages: the range's last partial one stays
	 * writable. */
	uint64_t mask = ~(page_size(f) - 1);
	struct relro_slots q = { f->ph[i].p_vaddr & mask, (f->ph[i].p_vaddr + f->ph[i].p_memsz) & mask,
				 0, 0 };
	elf_each_dynreloc(f, slot_in_relro, &q);
	char b[96];
	if (q.n)
		report(c, "%zu PLT GOT slot%s (DT_JMPREL) in PT_GNU_RELRO, first at %s, without "
		       "BIND_NOW", q.n, q.n == 1 ? "" : "s", where_addr(f, q.first, b, sizeof b));
}

/* ---- illumos ------------------------------------------------------------ */

static void i_phdr_interp(struct rctx *c)
{
	if (elf_is_executable(c->f) && first_of(c->f, PT_PHDR) != SIZE_MAX &&
	    first_of(c->f, PT_INTERP) == SIZE_MAX)
		report(c, "PT_PHDR (program header %zu) without PT_INTERP", first_of(c->f, PT_PHDR));
}

static void i_interp_load(struct rctx *c)
{
	size_t i = first_of(c->f, PT_INTERP);
	if (i != SIZE_MAX && first_of(c->f, PT_LOAD) < i)
		report(c, "PT_INTERP is program header %zu, after PT_LOAD %zu", i, first_of(c->f, PT_LOAD));
}

static void i_phdr_load(struct rctx *c)
{
	size_t i = first_of(c->f, PT_PHDR);
	if (i == SIZE_MAX || !elf_is_executable(c->f))
		return;
	if (first_of(c->f, PT_LOAD) < i)
		report(c, "PT_PHDR is program header %zu, after PT_LOAD %zu", i, first_of(c->f, PT_LOAD));
	if (ph(c, i)->p_flags == 0)
		report(c, "PT_PHDR (program header %zu) has p_flags 0", i);
}

static void i_entry(struct rctx *c)
{
	if (elf_is_executable(c->f) && c->f->eh.e_entry == 0)
		report(c, "e_entry is 0");
}

static void check_interp_string(struct rctx *c, size_t max)
{
	size_t len;
	const char *s = elf_interp(c->f, &len);
	if (!s)
		return;
	if (len < 2 || !*s)
		report(c, "PT_INTERP is empty (%zu bytes)", len);
	else if (len > max)
		report(c, "PT_INTERP is %zu bytes, more than %zu", len, max);
	else if (s[len - 1])
		report(c, "PT_INTERP '%.*s' is not NUL-terminated", (int)len, s);
}

static void i_interp_string(struct rctx *c) { check_interp_string(c, 1024); }

static void i_dtrace(struct rctx *c)
{
	size_t i = first_of(c->f, PT_SUNWDTRACE);
	if (i == SIZE_MAX)
		return;
	uint64_t need = c->f->eh.e_machine == EM_SPARCV9 || c->f->eh.e_machine == EM_SPARC ? 128 : 64;
	const GElf_Phdr *p = ph(c, i);
	if (p->p_memsz < need || (p->p_flags & (PF_R | PF_W | PF_X)) != (PF_R | PF_W | PF_X))
		report(c, "PT_SUNWDTRACE (program header %zu): %llu bytes, flags %#x; needs %llu, RWX",
		       i, (unsigned long long)p->p_memsz, p->p_flags, (unsigned long long)need);
}

static void i_hash(struct rctx *c)
{
	if (elf_has_dyn(c->f, DT_GNU_HASH) && !elf_has_dyn(c->f, DT_HASH))
		report(c, "DT_GNU_HASH without DT_HASH");
}

static void relr_present(struct rctx *c)
{
	if (elf_has_dyn(c->f, DT_RELR))
		report(c, "DT_RELR at %#llx, %llu bytes", (unsigned long long)dval(c->f, DT_RELR),
		       (unsigned long long)dval(c->f, DT_RELRSZ));
}

static void i_preinit(struct rctx *c)
{
	if (is_shared_object(c->f) && dval(c->f, DT_PREINIT_ARRAYSZ))
		report(c, "DT_PREINIT_ARRAY in a shared object");
}

static void i_elfdump_init(struct rctx *c)
{
	const struct elf_sec *first = NULL;
	size_t named = 0;
	for (size_t i = 1; i < c->f->nsec; i++) {
		const struct elf_sec *s = &c->f->sec[i];
		named += !strcmp(s->name, ".init_array");
		if (!first && s->sh.sh_type == SHT_INIT_ARRAY && (s->sh.sh_flags & SHF_ALLOC))
			first = s;
	}
	if (named > 1)
		report(c, "%zu output sections named .init_array", named);
	if (!first || !elf_has_dyn(c->f, DT_INIT_ARRAY))
		return;
	if (dval(c->f, DT_INIT_ARRAY) != first->sh.sh_addr ||
	    dval(c->f, DT_INIT_ARRAYSZ) != first->sh.sh_size)
		report(c, "DT_INIT_ARRAY %#llx size %llu, but the first SHT_INIT_ARRAY (%s) is %#llx "
		       "size %llu", (unsigned long long)dval(c->f, DT_INIT_ARRAY),
		       (unsigned long long)dval(c->f, DT_INIT_ARRAYSZ), first->name,
		       (unsigned long long)first->sh.sh_addr, (unsigned long long)first->sh.sh_size);
}

/* ---- Linux kernel --------------------------------------------------------- */

static void l_phentsize(struct rctx *c)
{
	if (c->f->eh.e_type != ET_EXEC && c->f->eh.e_type != ET_DYN)
		return;
	size_t want = elf_phdr_size(c->f);
	if (c->f->eh.e_phentsize != want)
		report(c, "e_phentsize %u, not %zu", c->f->eh.e_phentsize, want);
	else if (!c->f->nph)
		report(c, "no program headers");
	else if (c->f->nph * want > 65536)
		report(c, "%zu program headers: %zu bytes, more than 64 KiB", c->f->nph, c->f->nph * want);
}

static void l_interp(struct rctx *c) { check_interp_string(c, 4096); }

static void l_congruent(struct rctx *c)
{
	uint64_t pg = page_size(c->f);
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type == PT_LOAD && p->p_offset % pg != p->p_vaddr % pg)
			report(c, "PT_LOAD %zu: p_offset %#llx and p_vaddr %#llx differ modulo the "
			       "%llu-byte page", i, (unsigned long long)p->p_offset,
			       (unsigned long long)p->p_vaddr, (unsigned long long)pg);
	}
}

static void l_gnu_property(struct rctx *c)
{
	size_t i = first_of(c->f, PT_GNU_PROPERTY);
	if (i == SIZE_MAX)
		return;
	const GElf_Phdr *p = ph(c, i);
	size_t align = elf_addr_size(c->f);
	const unsigned char *b = c->f->raw + p->p_offset;
	if (p->p_filesz > 1024)
		report(c, "PT_GNU_PROPERTY is %llu bytes, more than the kernel's 1024",
		       (unsigned long long)p->p_filesz);
	else if (p->p_offset % align)
		report(c, "PT_GNU_PROPERTY at offset %#llx is not %zu-byte aligned",
		       (unsigned long long)p->p_offset, align);
	else if (p->p_filesz < 16 || elf_read_word(c->f, b, 4) != 4 ||
		 elf_read_word(c->f, b + 8, 4) != NT_GNU_PROPERTY_TYPE_0 || memcmp(b + 12, "GNU", 4))
		report(c, "PT_GNU_PROPERTY does not start with a GNU NT_GNU_PROPERTY_TYPE_0 note");
}

/* ---- glibc --------------------------------------------------------------- */

struct relr_need { bool libc, relr_abi; };

static bool scan_verneed(void *ctx, const char *file, const char *version)
{
	struct relr_need *n = ctx;
	(void)file;
	n->relr_abi |= !strcmp(version, "GLIBC_ABI_DT_RELR");
	return true;
}

static bool needs_libc(const struct elf_file *f)
{
	for (size_t i = 0; i < f->ndyn; i++) {
		const char *s = f->dyn[i].d_tag == DT_NEEDED ? elf_dynstr(f, f->dyn[i].d_un.d_val) : NULL;
		if (s && !strncmp(s, "libc.so", 7))
			return true;
	}
	return false;
}

static void gl_relr_version(struct rctx *c)
{
	if (!elf_has_dyn(c->f, DT_RELR) || older(c->p, 2, 36, 0) || !needs_libc(c->f))
		return;
	struct relr_need n = { true, false };
	elf_each_verneed(c->f, scan_verneed, &n);
	if (!n.relr_abi)
		report(c, "DT_RELR and DT_NEEDED libc.so, but no GLIBC_ABI_DT_RELR version need");
}

static void gl_relr_old(struct rctx *c)
{
	if (older(c->p, 2, 36, 0))
		relr_present(c);
}

static void gl_entsize(struct rctx *c)
{
	static const struct { int64_t tag; size_t e64, e32; } ents[] = {
		{ DT_RELAENT, 24, 12 }, { DT_RELENT, 16, 8 }, { DT_RELRENT, 8, 4 },
	};
	char b[32];
	for (size_t i = 0; i < ARRAY_LEN(ents); i++) {
		size_t want = c->f->cls == ELFCLASS64 ? ents[i].e64 : ents[i].e32;
		if (elf_has_dyn(c->f, ents[i].tag) && dval(c->f, ents[i].tag) != want)
			report(c, "%s is %llu, not %zu", elf_dt_name(ents[i].tag, b),
			       (unsigned long long)dval(c->f, ents[i].tag), want);
	}
}

static void gl_static_pie_textrel(struct rctx *c)
{
	size_t len;
	if (c->f->eh.e_type != ET_DYN || elf_interp(c->f, &len) || !(dval(c->f, DT_FLAGS_1) & DF_1_PIE))
		return;
	if (!ro_relocs(c))
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "static-pie: ");
	describe_ro(c, &sb);
	report(c, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* A program no loader starts (no PT_INTERP): glibc's own start-up
 * (__libc_setup_tls) copies the TLS image to a p_align-aligned block and
 * drops p_vaddr % p_align, which ld.so keeps (l_tls_firstbyte_offset). */
static void gl_static_tls_aligned(struct rctx *c)
{
	size_t len, i = first_of(c->f, PT_TLS);
	if (i == SIZE_MAX || is_shared_object(c->f) || elf_interp(c->f, &len))
		return;
	const GElf_Phdr *p = ph(c, i);
	if (p->p_align > 1 && p->p_vaddr % p->p_align)
		report(c, "PT_TLS %zu: p_vaddr %#llx is %#llx past a multiple of p_align %#llx, in a "
		       "program without PT_INTERP", i, (unsigned long long)p->p_vaddr,
		       (unsigned long long)(p->p_vaddr % p->p_align), (unsigned long long)p->p_align);
}

static void gl_dso_load(struct rctx *c)
{
	if (!is_shared_object(c->f))
		return;
	uint64_t pg = page_size(c->f);
	if (first_of(c->f, PT_LOAD) == SIZE_MAX)
		report(c, "shared object without PT_LOAD");
	if (first_of(c->f, PT_DYNAMIC) == SIZE_MAX)
		report(c, "shared object without PT_DYNAMIC");
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type == PT_LOAD && (p->p_vaddr - p->p_offset) % pg)
			report(c, "PT_LOAD %zu: p_vaddr %#llx - p_offset %#llx is not page-aligned", i,
			       (unsigned long long)p->p_vaddr, (unsigned long long)p->p_offset);
	}
}

/* ---- musl ---------------------------------------------------------------- */

static void mu_relr(struct rctx *c)
{
	if (older(c->p, 1, 2, 4))
		relr_present(c);
}

static void mu_hash(struct rctx *c)
{
	if (c->f->ndyn && !elf_has_dyn(c->f, DT_GNU_HASH) && !elf_has_dyn(c->f, DT_HASH))
		report(c, "neither DT_GNU_HASH nor DT_HASH");
}

static void mu_textrel(struct rctx *c)
{
	if ((dval(c->f, DT_FLAGS) & DF_TEXTREL) && !elf_has_dyn(c->f, DT_TEXTREL))
		report(c, "DF_TEXTREL in DT_FLAGS without a DT_TEXTREL tag");
}

static void mu_preinit(struct rctx *c)
{
	if (dval(c->f, DT_PREINIT_ARRAYSZ))
		report(c, "DT_PREINIT_ARRAY of %llu bytes", (unsigned long long)dval(c->f, DT_PREINIT_ARRAYSZ));
}

/* ---- FreeBSD --------------------------------------------------------------- */

static void fb_interp(struct rctx *c)
{
	if (count_of(c->f, PT_INTERP) > 1)
		report(c, "%zu PT_INTERP program headers", count_of(c->f, PT_INTERP));
	check_interp_string(c, 1024);
}

static void fb_phdr_page(struct rctx *c)
{
	if (!elf_is_executable(c->f) || !c->f->nph)
		return;
	uint64_t end = c->f->eh.e_phoff + c->f->nph * elf_phdr_size(c->f);
	if (end > page_size(c->f) || c->f->eh.e_phoff % elf_addr_size(c->f))
		report(c, "program headers at [%#llx, %#llx): not aligned within the first page",
		       (unsigned long long)c->f->eh.e_phoff, (unsigned long long)end);
}

static bool freebsd_note(void *ctx, const struct elf_note *n)
{
	bool *found = ctx;
	*found |= !strcmp(n->owner, "FreeBSD") && n->type == NT_FREEBSD_ABI_TAG;
	return !*found;
}

static void fb_brand(struct rctx *c)
{
	if (!elf_is_executable(c->f) || c->f->raw[EI_OSABI] == ELFOSABI_FREEBSD_)
		return;
	size_t len;
	const char *in = elf_interp(c->f, &len);
	if (in && len && memchr(in, 0, len) && strstr(in, "/ld-elf"))
		return;
	bool found = false;
	elf_each_note(c->f, freebsd_note, &found);
	if (!found)
		report(c, "EI_OSABI %d, no FreeBSD ABI note, interpreter %s", c->f->raw[EI_OSABI],
		       in && len && memchr(in, 0, len) ? in : "(none)");
}

static void fb_page_aligned(struct rctx *c)
{
	uint64_t pg = page_size(c->f);
	for (size_t i = 0; i < c->f->nph; i++) {
		const GElf_Phdr *p = ph(c, i);
		if (p->p_type == PT_LOAD && p->p_align % pg)
			report(c, "PT_LOAD %zu: p_align %#llx", i, (unsigned long long)p->p_align);
	}
}

static void fb_relr(struct rctx *c)
{
	if (older(c->p, 13, 1, 0))
		relr_present(c);
}

/* ---- Android ------------------------------------------------------------- */

static void an_textrel(struct rctx *c)
{
	if (elf_has_dyn(c->f, DT_TEXTREL))
		report(c, "DT_TEXTREL");
	else if (dval(c->f, DT_FLAGS) & DF_TEXTREL)
		report(c, "DF_TEXTREL in DT_FLAGS");
}

/* ---- the table --------------------------------------------------------- */

static const struct rule rules[] = {
	{ "gabi-interp-once-before-load", K(PROF_GABI), g_interp,
	  "at most one PT_INTERP, before any PT_LOAD",
	  "loaders disagree on which interpreter to use, or refuse the file" },
	{ "gabi-phdr-once-before-load-covered", K(PROF_GABI), g_phdr,
	  "at most one PT_PHDR, before any PT_LOAD, and inside some PT_LOAD",
	  "the loader computes the load bias from PT_PHDR: the program headers it reads at run "
	  "time are not where it expects" },
	{ "gabi-load-sorted", K(PROF_GABI), g_sorted, "PT_LOAD entries in ascending p_vaddr",
	  "loaders size the mapping from the first and last PT_LOAD: segments are mapped over "
	  "each other or outside the reservation" },
	{ "gabi-load-page-shared", K(PROF_GABI), g_load_pages,
	  "PT_LOAD segments that share a page have the same p_flags and map it from the same file page",
	  "each segment is mapped by whole pages over the one before: the page takes the later "
	  "segment's permissions and bytes, and the earlier one's code there is not executable "
	  "(or its data not writable, or other bytes): SIGSEGV there" },
	{ "gabi-filesz-le-memsz", K(PROF_GABI), filesz_memsz, "p_filesz <= p_memsz",
	  "the segment's file image does not fit its memory image" },
	{ "gabi-align-congruent", K(PROF_GABI), g_align,
	  "p_align 0, 1 or a power of two; p_vaddr congruent to p_offset modulo p_align",
	  "the segment cannot be mapped from the file at its address" },
	{ "gabi-textrel", K(PROF_GABI), g_textrel,
	  "no dynamic relocation writes a non-writable segment unless DT_TEXTREL or DF_TEXTREL is set",
	  "the loader writes read-only memory: SIGSEGV while relocating (at start-up or in dlopen)" },
	{ "gabi-dyn-pairs", K(PROF_GABI), g_dyn_pairs,
	  "a table tag comes with its size and entry-size tags, and entry sizes equal the structure's",
	  "the loader walks a table of unknown or wrong size" },
	{ "gabi-entry-executable", K(PROF_GABI), g_entry,
	  "an executable's e_entry lies in a PT_LOAD with PF_X",
	  "control goes to an entry point that is not mapped or not executable: SIGSEGV at the "
	  "first instruction" },
	{ "gabi-eh-frame-absolute", K(PROF_GABI), g_eh_frame_absolute,
	  "in a file loaded at a bias, every absolute (absptr) FDE address has a dynamic relocation",
	  "the unwinder looks the function up at its link-time address: no unwind information "
	  "for it once loaded elsewhere (exceptions, backtraces and pthread_cancel through it fail)" },
	{ "gabi-dyn-unique", K(PROF_GABI), g_dyn_unique,
	  "a dynamic tag other than DT_NEEDED and the filters is written once",
	  "every loader (glibc's ld.so, musl, FreeBSD's rtld, illumos's ld.so.1, bionic) uses the "
	  "last; tools and rules that read the first see another value" },
	{ "gabi-init-array-covered", K(PROF_GABI), g_init_covered,
	  "every allocated init/fini/preinit array section lies inside the range the startup code runs",
	  "the constructors (or destructors) in the uncovered section never run" },
	{ "illumos-phdr-needs-interp", K(PROF_ILLUMOS), i_phdr_interp,
	  "a PT_PHDR needs a PT_INTERP",
	  "the illumos kernel sends SIGKILL during exec, before the first instruction (gdb: "
	  "\"During startup program terminated with signal SIGKILL\")" },
	{ "illumos-interp-before-load", K(PROF_ILLUMOS), i_interp_load,
	  "PT_INTERP before every PT_LOAD", "the illumos kernel sends SIGKILL during exec" },
	{ "illumos-phdr-before-load", K(PROF_ILLUMOS), i_phdr_load,
	  "PT_PHDR before every PT_LOAD, with nonzero p_flags",
	  "the illumos kernel sends SIGKILL during exec" },
	{ "illumos-filesz-le-memsz", K(PROF_ILLUMOS), filesz_memsz, "p_filesz <= p_memsz",
	  "the illumos kernel sends SIGKILL during exec" },
	{ "illumos-entry-nonzero", K(PROF_ILLUMOS), i_entry, "e_entry is not 0",
	  "the illumos kernel says \"Bad entry point\" and sends SIGKILL" },
	{ "illumos-interp-string", K(PROF_ILLUMOS), i_interp_string,
	  "PT_INTERP is a non-empty NUL-terminated path of at most MAXPATHLEN bytes",
	  "the illumos kernel sends SIGKILL during exec" },
	{ "illumos-sunwdtrace", K(PROF_ILLUMOS), i_dtrace,
	  "PT_SUNWDTRACE is large enough and RWX", "the illumos kernel sends SIGKILL during exec" },
	{ "illumos-interp-path", K(PROF_ILLUMOS), interp_known,
	  "PT_INTERP names illumos's ld.so.1 for the machine",
	  "exec fails: the kernel cannot open the interpreter (ENOENT, although the program exists)" },
	{ "illumos-plt-got-relro", K(PROF_ILLUMOS) | LOADED, lazy_relro,
	  "no PLT GOT slot lies in PT_GNU_RELRO unless the object binds now",
	  "ld.so.1 binds the slot at the first call and writes read-only memory: SIGSEGV" },
	{ "illumos-needs-dt-hash", K(PROF_ILLUMOS) | LOADED, i_hash,
	  "ld.so.1 looks symbols up through DT_HASH only",
	  "ld.so.1 ignores DT_GNU_HASH: the object exports nothing and lookups against it fail" },
	{ "illumos-no-relr", K(PROF_ILLUMOS), relr_present, "ld.so.1 does not know DT_RELR",
	  "the packed relative relocations are silently not applied: pointers keep link-time "
	  "values and the program crashes or misbehaves" },
	{ "illumos-preinit-exec-only", K(PROF_ILLUMOS), i_preinit,
	  "DT_PREINIT_ARRAY runs for the main program only",
	  "the shared object's pre-initialisers never run" },
	{ "illumos-elfdump-init-array", K(PROF_ILLUMOS), i_elfdump_init,
	  "DT_INIT_ARRAY/DT_INIT_ARRAYSZ equal the first SHT_INIT_ARRAY section, and there is one .init_array",
	  "constructors outside the first .init_array never run (the Rustler/inventory NIF case)" },
	{ "linux-phentsize", LINUX, l_phentsize,
	  "e_phentsize is sizeof(Elf_Phdr); the table is non-empty and at most 64 KiB",
	  "execve fails with ENOEXEC (\"Exec format error\")" },
	{ "linux-interp", LINUX, l_interp,
	  "PT_INTERP is 2 to PATH_MAX bytes and NUL-terminated",
	  "execve fails with ENOEXEC (\"Exec format error\")" },
	{ "linux-filesz-le-memsz", LINUX, filesz_memsz, "p_filesz <= p_memsz",
	  "the Linux kernel kills the program with SIGSEGV after the point of no return in exec" },
	{ "linux-offset-congruence", LINUX, l_congruent,
	  "p_offset and p_vaddr are congruent modulo the page size",
	  "mmap of the segment fails: SIGSEGV during exec, or the loader refuses the object" },
	{ "linux-gnu-property", LINUX, l_gnu_property,
	  "PT_GNU_PROPERTY holds one well-formed GNU property note of at most 1 KiB",
	  "execve fails with ENOEXEC where the kernel parses properties (arm64 BTI, x86 shadow stack)" },
	{ "glibc-interp-path", K(PROF_GLIBC), interp_known,
	  "PT_INTERP names glibc's ld.so for the machine",
	  "execve fails with ENOENT (\"No such file or directory\", although the program exists): "
	  "the interpreter is not there" },
	{ "glibc-plt-got-relro", K(PROF_GLIBC) | LOADED, lazy_relro,
	  "no PLT GOT slot lies in PT_GNU_RELRO unless the object binds now (BIND_NOW)",
	  "ld.so binds the slot at the first call through the PLT and writes read-only memory: "
	  "SIGSEGV" },
	{ "glibc-relr-version", K(PROF_GLIBC), gl_relr_version,
	  "an object with DT_RELR that needs libc has a GLIBC_ABI_DT_RELR version need",
	  "glibc's ld.so refuses it: \"DT_RELR without GLIBC_ABI_DT_RELR dependency\"" },
	{ "glibc-relr-unsupported", K(PROF_GLIBC), gl_relr_old, "glibc before 2.36 ignores DT_RELR",
	  "the packed relative relocations are not applied: the program crashes at start-up" },
	{ "glibc-entsize", K(PROF_GLIBC), gl_entsize,
	  "DT_RELAENT, DT_RELENT and DT_RELRENT equal the structure sizes",
	  "an assertion in glibc's ld.so stops the program before main" },
	{ "glibc-static-pie-textrel", K(PROF_GLIBC), gl_static_pie_textrel,
	  "a static-pie has no relocations into non-writable segments",
	  "glibc's static-pie self-relocation cannot make text writable: SIGSEGV before main" },
	{ "glibc-static-tls-aligned", K(PROF_GLIBC), gl_static_tls_aligned,
	  "in a program without PT_INTERP (static, static-pie), PT_TLS's p_vaddr is a multiple of its p_align",
	  "glibc's static start-up copies the TLS image to an aligned block without the "
	  "misalignment, which ld.so would keep: thread-local data is not at the offsets the "
	  "linker gave it, libc's own included (SIGSEGV before main)" },
	{ "glibc-dso-load", K(PROF_GLIBC), gl_dso_load,
	  "a shared object has PT_LOAD and PT_DYNAMIC, each PT_LOAD page-aligned in address minus offset",
	  "dlopen and ld.so refuse it (\"ELF load command address/offset not page-aligned\")" },
	{ "musl-interp-path", K(PROF_MUSL), interp_known,
	  "PT_INTERP names musl's loader for the machine, /lib/ld-musl-ARCH.so.1",
	  "execve fails with ENOENT (\"No such file or directory\", although the program exists): "
	  "the interpreter is not there" },
	{ "musl-relr", K(PROF_MUSL), mu_relr, "musl before 1.2.4 ignores DT_RELR",
	  "relocated pointers keep link-time values: the program crashes at start-up (static-pie: "
	  "SIGSEGV in __copy_tls)" },
	{ "musl-hash", K(PROF_MUSL) | LOADED, mu_hash, "a dynamic object has DT_GNU_HASH or DT_HASH",
	  "musl's symbol lookup dereferences a NULL hash table: SIGSEGV" },
	{ "musl-textrel", K(PROF_MUSL), mu_textrel, "musl honours DT_TEXTREL only, not DF_TEXTREL",
	  "text relocations write read-only memory: SIGSEGV while relocating" },
	{ "musl-no-preinit", K(PROF_MUSL), mu_preinit, "musl never runs DT_PREINIT_ARRAY",
	  "the pre-initialisers never run" },
	{ "freebsd-interp-path", K(PROF_FREEBSD), interp_known,
	  "PT_INTERP names FreeBSD's rtld, /libexec/ld-elf.so.1",
	  "exec fails with ENOENT: the interpreter is not there" },
	{ "freebsd-plt-got-relro", K(PROF_FREEBSD) | LOADED, lazy_relro,
	  "no PLT GOT slot lies in PT_GNU_RELRO unless the object binds now",
	  "rtld binds the slot at the first call and writes read-only memory: SIGSEGV" },
	{ "freebsd-interp", K(PROF_FREEBSD), fb_interp,
	  "one PT_INTERP of 2 to MAXPATHLEN bytes, NUL-terminated",
	  "execve fails with ENOEXEC (\"Invalid PT_INTERP\" or \"Multiple PT_INTERP headers\")" },
	{ "freebsd-phdr-first-page", K(PROF_FREEBSD), fb_phdr_page,
	  "the program headers are aligned and within the first page",
	  "the FreeBSD kernel refuses to exec it" },
	{ "freebsd-brand", K(PROF_FREEBSD), fb_brand,
	  "an executable is branded: EI_OSABI FreeBSD, a FreeBSD ABI note, or a FreeBSD interpreter",
	  "execve fails: ELF binary type \"0\" not known" },
	{ "freebsd-load-page-aligned", K(PROF_FREEBSD), fb_page_aligned,
	  "every PT_LOAD's p_align is a multiple of the page size",
	  "rtld refuses the object: \"PT_LOAD segment N not page-aligned\"" },
	{ "freebsd-relr", K(PROF_FREEBSD), fb_relr, "FreeBSD supports DT_RELR from 13.1",
	  "the packed relative relocations are not applied: the program crashes" },
	{ "android-interp-path", K(PROF_ANDROID), interp_known,
	  "PT_INTERP names bionic's linker, /system/bin/linker64",
	  "exec fails with ENOENT: the interpreter is not there" },
	{ "android-textrel", K(PROF_ANDROID), an_textrel, "no text relocations on LP64",
	  "bionic's linker refuses to load it" },
};

/* Whether a dynamic loader loads f: it names one, or it is a shared
 * object. A static-pie relocates itself, and a static program has no
 * dynamic section to be read. */
static bool loader_loads(const struct elf_file *f)
{
	size_t len;
	return elf_interp(f, &len) || is_shared_object(f);
}

static void run_rules(struct rctx *c, unsigned kind)
{
	bool loaded = loader_loads(c->f);
	for (size_t i = 0; i < ARRAY_LEN(rules); i++) {
		if (!(rules[i].kinds & K(kind)) || ((rules[i].kinds & LOADED) && !loaded))
			continue;
		c->r = &rules[i];
		rules[i].check(c);
	}
}

void rules_check(const struct elf_file *f, const struct profile *p, size_t np,
		 struct findings *out)
{
	struct profile gabi = { .kind = PROF_GABI, .name = "gabi" };
	struct rctx c = { .f = f, .p = &gabi, .out = out };
	run_rules(&c, PROF_GABI);
	for (size_t i = 0; i < np; i++) {
		c.p = &p[i];
		if (p[i].kind != PROF_GABI)
			run_rules(&c, p[i].kind);
	}
}

void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].where);
	free(fs->v);
	memset(fs, 0, sizeof *fs);
}

bool findings_has(const struct findings *fs, const char *rule)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].rule, rule))
			return true;
	return false;
}

static const char *kinds_str(unsigned k)
{
	static const char *names[] = { "all (gABI)", "linux-glibc", "linux-musl", "illumos",
				       "freebsd", "android" };
	k &= ~LOADED;
	if (k == LINUX)
		return "linux-glibc, linux-musl";
	for (unsigned i = 0; i < ARRAY_LEN(names); i++)
		if (k == K(i))
			return names[i];
	return "?";
}

size_t rule_count(void)
{
	return ARRAY_LEN(rules);
}

struct rule_info rule_info_at(size_t i)
{
	return (struct rule_info){ rules[i].id, kinds_str(rules[i].kinds), rules[i].rule,
				   rules[i].consequence };
}

bool rule_exists(const char *id)
{
	for (size_t i = 0; i < ARRAY_LEN(rules); i++)
		if (!strcmp(rules[i].id, id))
			return true;
	return false;
}
