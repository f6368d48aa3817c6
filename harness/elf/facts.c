#include "elf/facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/expect.h"

#ifndef DT_RELR
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#endif

/* ---- building ------------------------------------------------------------- */

static const char *add(struct facts *fs, const char *parent, const char *val, const char *fmt, ...)
	LM_PRINTF(4, 5);
static const char *add(struct facts *fs, const char *parent, const char *val, const char *fmt, ...)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? 2 * fs->cap : 256;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	va_list ap;
	va_start(ap, fmt);
	char *key = xvasprintf(fmt, ap);
	va_end(ap);
	fs->v[fs->n++] = (struct fact){ key, xstrdup(val), parent };
	return key;
}

/* Names seen so far, with how often: a hash table, as a symbol table
 * has tens of thousands. */
struct seen {
	struct { char *name; size_t count; } *v;
	size_t cap, n;
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static size_t *seen_slot(struct seen *t, const char *name)
{
	if (2 * (t->n + 1) > t->cap) {
		struct seen old = *t;
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xcalloc(t->cap, sizeof *t->v);
		t->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].name)
				*seen_slot(t, old.v[i].name) = old.v[i].count, free(old.v[i].name);
		free(old.v);
	}
	size_t i = hash(name) & (t->cap - 1);
	while (t->v[i].name && strcmp(t->v[i].name, name))
		i = (i + 1) & (t->cap - 1);
	if (!t->v[i].name) {
		t->v[i].name = xstrdup(name);
		t->n++;
	}
	return &t->v[i].count;
}

static void seen_free(struct seen *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].name);
	free(t->v);
}

/* Keys of things that may repeat (two LOAD RW segments, two sections of one
 * name): the second is "name#2". */
static char *unique(struct seen *seen, const char *base)
{
	size_t n = (*seen_slot(seen, base))++;
	return n ? xasprintf("%s#%zu", base, n + 1) : xstrdup(base);
}

static const char *hex(uint64_t v, char *buf)
{
	snprintf(buf, 32, "%#llx", (unsigned long long)v);
	return buf;
}

static const char *dec(uint64_t v, char *buf)
{
	snprintf(buf, 32, "%llu", (unsigned long long)v);
	return buf;
}

/* ---- address -> symbol ---------------------------------------------------- */

struct sym_at {
	uint64_t addr, size;
	const char *name;   /* points into the mapped file */
};

struct symmap {
	struct sym_at *v;
	size_t n, cap;
};

static bool collect_sym(void *ctx, const struct elf_symbol *s)
{
	struct symmap *m = ctx;
	int t = GELF_ST_TYPE(s->sym.st_info);
	if (!*s->name || s->sym.st_shndx == SHN_UNDEF || (t != STT_FUNC && t != STT_OBJECT &&
							  t != STT_GNU_IFUNC && t != STT_NOTYPE))
		return true;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	m->v[m->n++] = (struct sym_at){ s->sym.st_value, s->sym.st_size, s->name };
	return true;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym_at *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Sized symbols first: they say more than labels. */
	return (x->size == 0) - (y->size == 0);
}

static void symmap_build(const struct elf_file *f, struct symmap *m)
{
	elf_each_symbol(f, false, collect_sym, m);
	if (!m->n)
		elf_each_symbol(f, true, collect_sym, m);
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, by_addr);
}

/* "main", "foo+0x10", or "@.text+0x40" when no symbol covers addr. */
static char *name_addr(const struct elf_file *f, const struct symmap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {        /* lo: the first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && m->v[lo - 1].addr == addr) {
		size_t i = lo - 1;
		while (i && m->v[i - 1].addr == addr)
			i--;
		return xstrdup(m->v[i].name);   /* sized ones sort first */
	}
	/* A function holding addr starts at most a few labels below it. */
	for (size_t i = lo, k = 0; i-- > 0 && k < 64; k++)
		if (addr - m->v[i].addr < m->v[i].size)
			return xasprintf("%s+%#llx", m->v[i].name,
					 (unsigned long long)(addr - m->v[i].addr));
	const struct elf_sec *sec = elf_section_at(f, addr);
	if (sec)
		return xasprintf("@%s+%#llx", sec->name, (unsigned long long)(addr - sec->sh.sh_addr));
	return addr ? xasprintf("%#llx", (unsigned long long)addr) : xstrdup("0");
}

/* ---- header, segments, sections ------------------------------------------ */

static void header(const struct elf_file *f, const struct symmap *m, struct facts *fs)
{
	char b[32];
	add(fs, NULL, f->cls == ELFCLASS64 ? "ELF64" : "ELF32", "header.class");
	add(fs, NULL, f->be ? "big-endian" : "little-endian", "header.data");
	add(fs, NULL, dec(f->eh.e_machine, b), "header.machine");
	add(fs, NULL, dec(f->raw[EI_OSABI], b), "header.osabi");
	add(fs, NULL, elf_name(&elf_et_names, f->eh.e_type, b), "header.type");
	char *entry = name_addr(f, m, f->eh.e_entry);
	add(fs, NULL, entry, "header.entry");
	free(entry);
}

static void segment_name(const GElf_Phdr *p, char *buf, size_t n)
{
	char t[32], fl[8];
	const char *type = elf_pt_name(p->p_type, t);
	if (!strncmp(type, "PT_", 3))
		type += 3;
	snprintf(buf, n, "%s.%s", type, elf_pf_str(p->p_flags, fl));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The allocated sections inside a segment's memory image, as a sorted set:
 * their order is the layout's business, segment.order says the rest. */
static void segment_sections(const struct elf_file *f, const GElf_Phdr *p, struct strbuf *sb)
{
	const char **names = xcalloc(f->nsec ? f->nsec : 1, sizeof *names);
	size_t n = 0;
	for (size_t i = 1; i < f->nsec; i++) {
		const GElf_Shdr *sh = &f->sec[i].sh;
		if (!(sh->sh_flags & SHF_ALLOC) || !sh->sh_size || sh->sh_addr < p->p_vaddr ||
		    sh->sh_addr - p->p_vaddr >= p->p_memsz)
			continue;
		/* .tbss lives in the TLS segment only. */
		if ((sh->sh_flags & SHF_TLS) && sh->sh_type == SHT_NOBITS && p->p_type != PT_TLS)
			continue;
		names[n++] = f->sec[i].name;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? " " : "", names[i]);
	free(names);
}

static void segments(const struct elf_file *f, struct facts *fs, char **holder)
{
	struct seen seen = { 0 };
	struct strbuf order = STRBUF_INIT;
	char b[32];
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *p = &f->ph[i];
		char base[64];
		segment_name(p, base, sizeof base);
		char *name = unique(&seen, base);
		sb_addf(&order, "%s%s", order.len ? " " : "", name);
		const char *key = add(fs, NULL, "present", "segment.%s", name);
		add(fs, key, hex(p->p_align, b), "segment.%s.align", name);
		struct strbuf secs = STRBUF_INIT;
		segment_sections(f, p, &secs);
		add(fs, key, sb_str(&secs), "segment.%s.sections", name);
		sb_free(&secs);
		/* Which LOAD holds each section, for section.X.segment. */
		for (size_t s = 1; p->p_type == PT_LOAD && s < f->nsec; s++) {
			const GElf_Shdr *sh = &f->sec[s].sh;
			if ((sh->sh_flags & SHF_ALLOC) && sh->sh_addr >= p->p_vaddr &&
			    sh->sh_addr - p->p_vaddr < p->p_memsz && !holder[s])
				holder[s] = xstrdup(name);
		}
		free(name);
	}
	add(fs, NULL, sb_str(&order), "segment.order");
	sb_free(&order);
	seen_free(&seen);
}

static void sections(const struct elf_file *f, struct facts *fs, char **holder)
{
	struct seen seen = { 0 };
	char b[32];
	for (size_t i = 1; i < f->nsec; i++) {
		const struct elf_sec *s = &f->sec[i];
		char *name = unique(&seen, s->name);
		const char *key = add(fs, NULL, "present", "section.%s", name);
		add(fs, key, elf_sht_name(s->sh.sh_type, b), "section.%s.type", name);
		struct strbuf fl = STRBUF_INIT;
		elf_bit_names(&elf_shf_names, s->sh.sh_flags, true, ",", &fl);
		add(fs, key, sb_str(&fl), "section.%s.flags", name);
		sb_free(&fl);
		add(fs, key, dec(s->sh.sh_addralign, b), "section.%s.align", name);
		add(fs, key, dec(s->sh.sh_entsize, b), "section.%s.entsize", name);
		if (s->sh.sh_flags & SHF_ALLOC)
			add(fs, key, holder[i] ? holder[i] : "none", "section.%s.segment", name);
		free(name);
	}
	seen_free(&seen);
}

/* ---- dynamic ------------------------------------------------------------- */

static bool is_string_tag(int64_t t)
{
	return t == DT_NEEDED || t == DT_SONAME || t == DT_RPATH || t == DT_RUNPATH ||
	       t == DT_AUXILIARY || t == DT_FILTER;
}

static bool is_address_tag(int64_t t)
{
	static const int64_t tags[] = {
		DT_PLTGOT, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_INIT, DT_FINI, DT_REL,
		DT_JMPREL, DT_INIT_ARRAY, DT_FINI_ARRAY, DT_PREINIT_ARRAY, DT_RELR, DT_GNU_HASH,
		DT_VERSYM, DT_VERDEF, DT_VERNEED,
	};
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		if (tags[i] == t)
			return true;
	return false;
}

static void dynamic(const struct elf_file *f, struct facts *fs)
{
	char t[32], b[32];
	struct seen seen = { 0 };
	struct strbuf needed = STRBUF_INIT;
	for (size_t i = 0; i < f->ndyn; i++) {
		const GElf_Dyn *d = &f->dyn[i];
		const char *tag = elf_dt_name(d->d_tag, t);
		if (d->d_tag == DT_NEEDED) {
			const char *s = elf_dynstr(f, d->d_un.d_val);
			sb_addf(&needed, "%s%s", needed.len ? " " : "", s ? s : "?");
			continue;
		}
		char *name = unique(&seen, tag);
		struct strbuf v = STRBUF_INIT;
		if (is_string_tag(d->d_tag)) {
			const char *s = elf_dynstr(f, d->d_un.d_val);
			sb_adds(&v, s ? s : "?");
		} else if (d->d_tag == DT_FLAGS || d->d_tag == DT_FLAGS_1) {
			elf_bit_names(d->d_tag == DT_FLAGS ? &elf_df_names : &elf_df1_names,
				      d->d_un.d_val, true, " ", &v);
		} else if (is_address_tag(d->d_tag)) {
			const struct elf_sec *s = elf_section_at(f, d->d_un.d_ptr);
			if (s && s->sh.sh_addr == d->d_un.d_ptr)
				sb_addf(&v, "@%s", s->name);
			else if (s)
				sb_addf(&v, "@%s+%#llx", s->name,
					(unsigned long long)(d->d_un.d_ptr - s->sh.sh_addr));
			else
				sb_adds(&v, d->d_un.d_ptr ? "address" : "0");
		} else {
			sb_adds(&v, dec(d->d_un.d_val, b));
		}
		add(fs, NULL, sb_str(&v), "dynamic.%s", name);
		sb_free(&v);
		free(name);
	}
	if (needed.len)
		add(fs, NULL, needed.buf, "dynamic.DT_NEEDED");
	sb_free(&needed);
	seen_free(&seen);
}

/* ---- symbols ------------------------------------------------------------ */

struct sym_ctx {
	const struct elf_file *f;
	struct facts *fs;
	const char *table;
	struct seen seen;
};

static bool sym_fact(void *ctx, const struct elf_symbol *s)
{
	struct sym_ctx *c = ctx;
	const GElf_Sym *y = &s->sym;
	int bind = GELF_ST_BIND(y->st_info), type = GELF_ST_TYPE(y->st_info);
	/* Locals differ between linkers for reasons nobody needs to see
	 * (synthetic labels, section symbols); globals are the interface. A
	 * hidden symbol in a linked file is local too, whatever its binding:
	 * GNU ld keeps libc.a's hidden symbols GLOBAL in a static program,
	 * gold and lld make them LOCAL as the gABI says. */
	int vis = GELF_ST_VISIBILITY(y->st_other);
	bool hidden = (vis == STV_HIDDEN || vis == STV_INTERNAL) && c->f->eh.e_type != ET_REL;
	if (!*s->name || bind == STB_LOCAL || hidden)
		return true;
	/* GNU ld names versioned undefined symbols "foo@V" in .symtab; the
	 * version is a fact of its own. */
	const char *at = c->table[0] == 's' ? strchr(s->name, '@') : NULL;
	char *base = at ? xstrndup(s->name, (size_t)(at - s->name)) : NULL;
	char *name = unique(&c->seen, base ? base : s->name);
	bool undef = y->st_shndx == SHN_UNDEF;
	char b[32];
	const char *key = add(c->fs, NULL, undef ? "undefined" : "defined", "%s.%s", c->table, name);
	add(c->fs, key, elf_word(&elf_stt_names, type, b), "%s.%s.type", c->table, name);
	add(c->fs, key, elf_word(&elf_stb_names, bind, b), "%s.%s.binding", c->table, name);
	add(c->fs, key, elf_word(&elf_stv_names, vis, b), "%s.%s.visibility", c->table, name);
	if (!undef) {
		add(c->fs, key, elf_symbol_section(c->f, y), "%s.%s.section", c->table, name);
		add(c->fs, key, dec(y->st_size, b), "%s.%s.size", c->table, name);
	}
	if (s->version) {
		char *v = xasprintf("%s%s", s->version, s->hidden_version ? " (hidden)" : "");
		add(c->fs, key, v, "%s.%s.version", c->table, name);
		free(v);
	} else if (at) {
		add(c->fs, key, at + 1 + (at[1] == '@'), "%s.%s.version", c->table, name);
	}
	free(base);
	free(name);
	return true;
}

static void symbols(const struct elf_file *f, struct facts *fs, bool dynamic)
{
	struct sym_ctx c = { f, fs, dynamic ? "dynsym" : "symtab", { 0 } };
	elf_each_symbol(f, dynamic, sym_fact, &c);
	seen_free(&c.seen);
}

/* ---- relocations --------------------------------------------------------- */

struct rel_count {
	char *type, *section;
	size_t n;
};

struct rel_ctx {
	const struct elf_file *f;
	struct rel_count *v;
	size_t n, cap, last;
	size_t readonly;
};

static void count(struct rel_ctx *c, const char *type, const char *section)
{
	/* Relocations come in runs of one type into one section. */
	struct rel_count *last = c->n ? &c->v[c->last] : NULL;
	if (last && !strcmp(last->type, type) && !strcmp(last->section, section)) {
		last->n++;
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].type, type) && !strcmp(c->v[i].section, section)) {
			c->v[i].n++;
			c->last = i;
			return;
		}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->last = c->n;
	c->v[c->n++] = (struct rel_count){ xstrdup(type), xstrdup(section), 1 };
}

static bool rel_fact(void *ctx, const struct elf_reloc *r)
{
	struct rel_ctx *c = ctx;
	char b[32];
	const char *type = r->kind == ELF_RELR ? "RELR" : elf_reloc_name(c->f->eh.e_machine, r->type, b);
	const struct elf_sec *s = elf_section_at(c->f, r->offset);
	count(c, type, s ? s->name : "?");
	const GElf_Phdr *l = elf_load_at(c->f, r->offset, true);
	c->readonly += l && !(l->p_flags & PF_W) && !elf_reloc_writes_nothing(r);
	return true;
}

static int by_type_section(const void *a, const void *b)
{
	const struct rel_count *x = a, *y = b;
	int d = strcmp(x->type, y->type);
	return d ? d : strcmp(x->section, y->section);
}

static void relocations(const struct elf_file *f, struct facts *fs)
{
	struct rel_ctx c = { f, NULL, 0, 0, 0, 0 };
	elf_each_dynreloc(f, rel_fact, &c);
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, by_type_section);
	char b[32];
	for (size_t i = 0; i < c.n;) {
		size_t total = 0, j;
		for (j = i; j < c.n && !strcmp(c.v[j].type, c.v[i].type); j++)
			total += c.v[j].n;
		const char *key = add(fs, NULL, dec(total, b), "reloc.%s", c.v[i].type);
		for (; i < j; i++)
			add(fs, key, dec(c.v[i].n, b), "reloc.%s.%s", c.v[i].type, c.v[i].section);
	}
	add(fs, NULL, dec(c.readonly, b), "reloc.into-read-only");
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].type), free(c.v[i].section);
	free(c.v);
}

/* ---- init/fini arrays ---------------------------------------------------- */

/* Every slot of every init/fini/preinit array section, with the address
 * it will hold at run time: its RELATIVE relocation's addend (RELA), or
 * what the file holds (REL, RELR, static). */
struct slots {
	const struct elf_sec **sec;   /* per section */
	uint64_t **val;               /* per section, per slot */
	size_t n, w;
};

static bool slot_reloc(void *ctx, const struct elf_reloc *r)
{
	struct slots *sl = ctx;
	if (r->kind != ELF_RELA || r->sym)
		return true;
	for (size_t i = 0; i < sl->n; i++) {
		const GElf_Shdr *sh = &sl->sec[i]->sh;
		uint64_t off = r->offset - sh->sh_addr;
		/* A whole slot: an array's size need not be a multiple of one. */
		if (r->offset >= sh->sh_addr && off % sl->w == 0 && off / sl->w < sh->sh_size / sl->w)
			sl->val[i][off / sl->w] = (uint64_t)r->addend;
	}
	return true;
}

static bool is_array(uint32_t type)
{
	return type == SHT_INIT_ARRAY || type == SHT_FINI_ARRAY || type == SHT_PREINIT_ARRAY;
}

static void arrays(const struct elf_file *f, const struct symmap *m, struct facts *fs)
{
	struct slots sl = { xcalloc(f->nsec ? f->nsec : 1, sizeof *sl.sec),
			    xcalloc(f->nsec ? f->nsec : 1, sizeof *sl.val), 0, elf_addr_size(f) };
	for (size_t i = 1; i < f->nsec; i++) {
		const struct elf_sec *s = &f->sec[i];
		const unsigned char *p = elf_section_bytes(f, s);
		if (!is_array(s->sh.sh_type) || !(s->sh.sh_flags & SHF_ALLOC) || !p)
			continue;
		size_t n = (size_t)(s->sh.sh_size / sl.w);
		sl.sec[sl.n] = s;
		sl.val[sl.n] = xcalloc(n ? n : 1, sizeof **sl.val);
		for (size_t k = 0; k < n; k++)
			sl.val[sl.n][k] = elf_read_word(f, p + k * sl.w, sl.w);
		sl.n++;
	}
	if (sl.n)
		elf_each_dynreloc(f, slot_reloc, &sl);
	static const struct { uint32_t type; const char *key; } kinds[] = {
		{ SHT_PREINIT_ARRAY, "preinit_array" }, { SHT_INIT_ARRAY, "init_array" },
		{ SHT_FINI_ARRAY, "fini_array" },
	};
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		struct strbuf sb = STRBUF_INIT;
		bool any = false;
		for (size_t i = 0; i < sl.n; i++) {
			if (sl.sec[i]->sh.sh_type != kinds[k].type)
				continue;
			any = true;
			for (size_t j = 0; j < sl.sec[i]->sh.sh_size / sl.w; j++) {
				char *name = name_addr(f, m, sl.val[i][j]);
				sb_addf(&sb, "%s%s", sb.len ? " " : "", name);
				free(name);
			}
		}
		if (any)
			add(fs, NULL, sb_str(&sb), "%s", kinds[k].key);
		sb_free(&sb);
	}
	for (size_t i = 0; i < sl.n; i++)
		free(sl.val[i]);
	free(sl.val);
	free(sl.sec);
}

/* ---- versions, interpreter, notes, comment ------------------------------ */

static bool verdef_fact(void *ctx, const char *name, unsigned index, unsigned flags)
{
	(void)index, (void)flags;
	struct strbuf *sb = ctx;
	sb_addf(sb, "%s%s", sb->len ? " " : "", name);
	return true;
}

struct need_ctx {
	struct strvec files;
	struct strbuf *per;    /* one list per file */
};

static bool verneed_fact(void *ctx, const char *file, const char *version)
{
	struct need_ctx *c = ctx;
	size_t i = 0;
	while (i < c->files.n && strcmp(c->files.v[i], file))
		i++;
	if (i == c->files.n) {
		sv_push(&c->files, file);
		c->per = xrealloc(c->per, c->files.n * sizeof *c->per);
		c->per[i] = (struct strbuf)STRBUF_INIT;
	}
	sb_addf(&c->per[i], "%s%s", c->per[i].len ? " " : "", version);
	return true;
}

static void versions(const struct elf_file *f, struct facts *fs)
{
	struct strbuf defs = STRBUF_INIT;
	elf_each_verdef(f, verdef_fact, &defs);
	if (defs.len)
		add(fs, NULL, defs.buf, "verdef");
	sb_free(&defs);
	struct need_ctx c = { STRVEC_INIT, NULL };
	elf_each_verneed(f, verneed_fact, &c);
	for (size_t i = 0; i < c.files.n; i++) {
		add(fs, NULL, sb_str(&c.per[i]), "verneed.%s", c.files.v[i]);
		sb_free(&c.per[i]);
	}
	free(c.per);
	sv_clear(&c.files);
}

static bool note_fact(void *ctx, const struct elf_note *n)
{
	static const char *const gnu[] = { NULL, "NT_GNU_ABI_TAG", "NT_GNU_HWCAP",
					   "NT_GNU_BUILD_ID", "NT_GNU_GOLD_VERSION",
					   "NT_GNU_PROPERTY_TYPE_0" };
	struct facts *fs = ctx;
	char b[32];
	const char *type = !strcmp(n->owner, "GNU") && n->type < 6 && n->type ? gnu[n->type]
			 : dec(n->type, b);
	char *key = xasprintf("note.%s.%s", *n->owner ? n->owner : "-", type);
	bool seen = false;     /* notes may repeat: presence is what is compared */
	for (size_t i = 0; i < fs->n && !seen; i++)
		seen = !strcmp(fs->v[i].key, key);
	if (!seen)
		add(fs, NULL, "present", "%s", key);
	free(key);
	return true;
}

static bool comment_fact(void *ctx, const char *s, size_t len)
{
	struct strbuf *sb = ctx;
	sb_addf(sb, "%s%.*s", sb->len ? " | " : "", (int)len, s);
	return true;
}

static void misc(const struct elf_file *f, struct facts *fs)
{
	size_t len;
	const char *in = elf_interp(f, &len);
	if (in) {
		char *s = xstrndup(in, strnlen(in, len));
		add(fs, NULL, s, "interp");
		free(s);
	}
	elf_each_note(f, note_fact, fs);
	struct strbuf sb = STRBUF_INIT;
	elf_each_comment(f, comment_fact, &sb);
	if (sb.len)
		add(fs, NULL, sb.buf, "comment");
	sb_free(&sb);
}

/* ---- the whole ----------------------------------------------------------- */

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct fact *)a)->key, ((const struct fact *)b)->key);
}

void facts_collect(const struct elf_file *f, struct facts *fs)
{
	memset(fs, 0, sizeof *fs);
	struct symmap m = { 0 };
	symmap_build(f, &m);
	char **holder = xcalloc(f->nsec ? f->nsec : 1, sizeof *holder);
	header(f, &m, fs);
	segments(f, fs, holder);
	sections(f, fs, holder);
	dynamic(f, fs);
	symbols(f, fs, false);
	symbols(f, fs, true);
	relocations(f, fs);
	arrays(f, &m, fs);
	versions(f, fs);
	misc(f, fs);
	for (size_t i = 0; i < f->nsec; i++)
		free(holder[i]);
	free(holder);
	free(m.v);
	if (fs->n)
		qsort(fs->v, fs->n, sizeof *fs->v, by_key);
}

const struct fact *facts_find(const struct facts *fs, const char *key)
{
	size_t lo = 0, hi = fs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(fs->v[mid].key, key);
		if (!d)
			return &fs->v[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void facts_free(struct facts *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].key), free(fs->v[i].val);
	free(fs->v);
	memset(fs, 0, sizeof *fs);
}
