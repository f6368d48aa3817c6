#include "elf/expect.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/match.h"

/* ---- names -------------------------------------------------------------- */

struct num_name { long v; const char *name; };

#define N(x) { x, #x }
static const struct num_name sym_types[] = {
	{ STT_NOTYPE, "notype" }, { STT_OBJECT, "object" }, { STT_FUNC, "func" },
	{ STT_SECTION, "section" }, { STT_FILE, "file" }, { STT_COMMON, "common" },
	{ STT_TLS, "tls" }, { STT_GNU_IFUNC, "ifunc" },
};
static const struct num_name sym_binds[] = {
	{ STB_LOCAL, "local" }, { STB_GLOBAL, "global" }, { STB_WEAK, "weak" },
	{ STB_GNU_UNIQUE, "unique" },
};
static const struct num_name sym_vis[] = {
	{ STV_DEFAULT, "default" }, { STV_INTERNAL, "internal" }, { STV_HIDDEN, "hidden" },
	{ STV_PROTECTED, "protected" },
};
static const struct num_name sec_flags[] = {
	{ SHF_WRITE, "write" }, { SHF_ALLOC, "alloc" }, { SHF_EXECINSTR, "exec" },
	{ SHF_MERGE, "merge" }, { SHF_STRINGS, "strings" }, { SHF_INFO_LINK, "info-link" },
	{ SHF_LINK_ORDER, "link-order" }, { SHF_GROUP, "group" }, { SHF_TLS, "tls" },
	{ SHF_COMPRESSED, "compressed" }, { (long)SHF_GNU_RETAIN, "retain" },
	{ (long)SHF_EXCLUDE, "exclude" },
};
#undef N

static const char *num_to_name(const struct num_name *t, size_t n, long v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

static bool name_to_num(const struct num_name *t, size_t n, const char *s, long *v)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(t[i].name, s)) {
			*v = t[i].v;
			return true;
		}
	return false;
}

/* ---- decoding ------------------------------------------------------------ */

static const struct yfield segment_fields[] = {
	YFIELD_REQ(struct elfx, "type", YF_STR, type),
	YFIELD(struct elfx, "flags", YF_STR, flags),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "align", YF_INT, align),
	YFIELD(struct elfx, "before", YF_STR, before),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield section_fields[] = {
	YFIELD_REQ(struct elfx, "name", YF_STR, name),
	YFIELD(struct elfx, "type", YF_STR, type),
	YFIELD(struct elfx, "flags", YF_STRLIST, sflags),
	YFIELD(struct elfx, "no-flags", YF_STRLIST, no_sflags),
	YFIELD(struct elfx, "align", YF_INT, align),
	YFIELD(struct elfx, "entsize", YF_INT, entsize),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "bytes", YF_STR, hex),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield dynamic_fields[] = {
	YFIELD(struct elfx, "has", YF_STRLIST, has),
	YFIELD(struct elfx, "lacks", YF_STRLIST, lacks),
	YFIELD(struct elfx, "needed", YF_STRLIST, needed),
	YFIELD(struct elfx, "soname", YF_STR, soname),
};
static const struct yfield symbol_fields[] = {
	YFIELD_REQ(struct elfx, "name", YF_STR, name),
	YFIELD(struct elfx, "table", YF_STR, table),
	YFIELD(struct elfx, "type", YF_STR, type),
	YFIELD(struct elfx, "binding", YF_STR, binding),
	YFIELD(struct elfx, "visibility", YF_STR, visibility),
	YFIELD(struct elfx, "section", YF_STR, section),
	YFIELD(struct elfx, "version", YF_STR, version),
	YFIELD(struct elfx, "value", YF_INT, value),
	YFIELD(struct elfx, "size", YF_INT, size),
	YFIELD(struct elfx, "offset", YF_INT, offset),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield bytes_fields[] = {
	YFIELD(struct elfx, "contains", YF_STRLIST, has),
	YFIELD(struct elfx, "lacks", YF_STRLIST, lacks),
};
static const struct yfield relocs_fields[] = {
	YFIELD(struct elfx, "type", YF_STR, type),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "min", YF_INT, min),
	YFIELD(struct elfx, "max", YF_INT, max),
};

/* Values checked once decoded: names must be known. */
static bool known_name(struct ydoc *y, yaml_node_t *v, const char *what, const char *s,
		       const struct num_name *t, size_t n)
{
	long x;
	if (!s || name_to_num(t, n, s, &x))
		return true;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", t[i].name);
	yerr(y, v, "%s must be one of %s, not '%s'", what, sb.buf, s);
	sb_free(&sb);
	return false;
}

static bool known_flags(struct ydoc *y, yaml_node_t *v, const struct slist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!known_name(y, v, "a section flag", l->v[i], sec_flags, ARRAY_LEN(sec_flags)))
			return false;
	return true;
}

/* Pairs of hex digits, 0x first or not. */
static bool hex_ok(const char *s)
{
	s += strncmp(s, "0x", 2) ? 0 : 2;
	size_t n = strspn(s, "0123456789abcdefABCDEF");
	return !s[n] && n % 2 == 0;
}

static bool dec_kind(struct ydoc *y, yaml_node_t *v, struct elfx *x, enum elfx_kind kind,
		     const char *what, const struct yfield *f, size_t nf)
{
	x->kind = kind;
	if (!y_fields(y, v, what, f, nf, x))
		return false;
	switch (kind) {
	case X_SEGMENT:
		if (x->flags && x->flags[strspn(x->flags, "RWX")]) {
			yerr(y, v, "segment flags are letters of RWX, not '%s'", x->flags);
			return false;
		}
		return true;
	case X_SECTION:
		return known_flags(y, v, &x->sflags) && known_flags(y, v, &x->no_sflags) &&
		       (!x->hex || hex_ok(x->hex) ||
			(yerr(y, v, "a section's bytes are pairs of hex digits, not '%s'", x->hex), false));
	case X_SYMBOL:
		return known_name(y, v, "a symbol type", x->type, sym_types, ARRAY_LEN(sym_types)) &&
		       known_name(y, v, "a binding", x->binding, sym_binds, ARRAY_LEN(sym_binds)) &&
		       known_name(y, v, "a visibility", x->visibility, sym_vis, ARRAY_LEN(sym_vis)) &&
		       (!x->table || !strcmp(x->table, "symtab") || !strcmp(x->table, "dynsym") ||
			(yerr(y, v, "a symbol table is symtab or dynsym, not '%s'", x->table), false));
	default:
		return true;
	}
}

#define DEC(fn, kind, what, fields) \
	static bool fn(struct ydoc *y, yaml_node_t *v, void *obj) \
	{ return dec_kind(y, v, obj, kind, what, fields, ARRAY_LEN(fields)); }
DEC(dec_segment, X_SEGMENT, "a segment expectation", segment_fields)
DEC(dec_section, X_SECTION, "a section expectation", section_fields)
DEC(dec_dynamic, X_DYNAMIC, "a dynamic expectation", dynamic_fields)
DEC(dec_symbol, X_SYMBOL, "a symbol expectation", symbol_fields)
DEC(dec_relocs, X_RELOCS, "a relocations expectation", relocs_fields)
DEC(dec_bytes, X_BYTES, "a bytes expectation", bytes_fields)
#undef DEC

static bool dec_no_textrel(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->kind = X_NO_TEXTREL;
	return y_bool(y, v, "no-textrel", &x->no_textrel);
}

static bool dec_comment(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->kind = X_COMMENT;
	return y_regex(y, v, "comment", &x->re);
}

static bool dec_interp(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->kind = X_INTERP;
	return y_str(y, v, "interp", &x->name);
}

static bool dec_finding(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->kind = X_FINDING;
	if (!y_str(y, v, "finding", &x->name))
		return false;
	if (rule_exists(x->name))
		return true;
	yerr(y, v, "unknown loader rule '%s' (linkmatrix elf rules lists them)", x->name);
	return false;
}

static const struct yfield item_fields[] = {
	YFIELD_FN("segment", dec_segment), YFIELD_FN("section", dec_section),
	YFIELD_FN("dynamic", dec_dynamic), YFIELD_FN("symbol", dec_symbol),
	YFIELD_FN("relocations", dec_relocs), YFIELD_FN("no-textrel", dec_no_textrel),
	YFIELD_FN("comment", dec_comment), YFIELD_FN("interp", dec_interp),
	YFIELD_FN("finding", dec_finding), YFIELD_FN("bytes", dec_bytes),
};

static bool dec_expect(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elf_check *c = obj;
	if (!(c->v = ydoc_list(y, v, sizeof *c->v, "an elf check's expect")))
		return false;
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		struct elfx *x = &c->v[c->n];
		memset(x, 0, sizeof *x);
		x->at = ypos(e);
		x->present = true;
		x->count = x->min = x->max = x->align = x->entsize = -1;
		x->value = x->size = x->offset = -1;
		if (e->type != YAML_MAPPING_NODE ||
		    e->data.mapping.pairs.top - e->data.mapping.pairs.start != 1) {
			yerr(y, e, "an elf expectation is a mapping with one key: segment, section, "
			     "dynamic, symbol, relocations, no-textrel, comment, interp, finding or bytes");
			ok = false;
			continue;
		}
		if (!y_fields(y, e, "an elf expectation", item_fields, ARRAY_LEN(item_fields), x)) {
			ok = false;
			continue;
		}
		c->n++;
	}
	return ok;
}

/* Loader profiles this file is also checked against, whatever its target:
 * a case for a port (a static program against illumos) fails here, on
 * Linux, for the rule the port would break. */
static bool dec_profiles(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elf_check *c = obj;
	if (!(c->profiles = ydoc_list(y, v, sizeof *c->profiles, "profiles")))
		return false;
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		struct strbuf err = STRBUF_INIT;
		if (e->type != YAML_SCALAR_NODE) {
			yerr(y, e, "a loader profile is a name (linux-musl-1.2.3, illumos, ...)");
			ok = false;
		} else if (profile_parse((const char *)e->data.scalar.value,
					 &c->profiles[c->nprofiles], &err) < 0) {
			yerr(y, e, "%s", err.buf);
			ok = false;
		} else {
			c->nprofiles++;
		}
		sb_free(&err);
	}
	return ok;
}

static const struct yfield check_fields[] = {
	YFIELD_REQ(struct elf_check, "file", YF_STR, file),
	YFIELD_FN("profiles", dec_profiles),
	YFIELD(struct elf_check, "loaded", YF_BOOL, loaded),
	YFIELD_FN("expect", dec_expect),
};

bool elfx_decode(struct ydoc *y, yaml_node_t *v, struct elf_check **out, size_t *n)
{
	*n = 0;
	if (!(*out = ydoc_list(y, v, sizeof **out, "elf (a list of { file, expect } entries)")))
		return false;
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		struct elf_check *c = &(*out)[*n];
		memset(c, 0, sizeof *c);
		c->at = ypos(e);
		c->loaded = true;
		if (!y_fields(y, e, "an elf check", check_fields, ARRAY_LEN(check_fields), c))
			ok = false;
		else
			(*n)++;
	}
	return ok;
}

/* ---- checking ----------------------------------------------------------- */

static void failf(struct strbuf *fail, const char *fmt, ...) LM_PRINTF(2, 3);
static void failf(struct strbuf *fail, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(fail, fmt, ap);
	va_end(ap);
	sb_addc(fail, '\n');
}

/* A PT_, SHT_ or DT_ name (with or without its prefix) or a number. */
static bool type_value(const char *s, const char *prefix, const char *(*namer)(int64_t, char *),
		       int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 0);
	if (*s && !*end) {
		*out = v;
		return true;
	}
	size_t pl = strlen(prefix);
	char buf[32];
	for (int64_t t = lo; t <= hi; t++) {
		const char *n = namer(t, buf);
		if (n != buf && (!strcasecmp(n, s) || !strcasecmp(n + pl, s))) {
			*out = t;
			return true;
		}
	}
	return false;
}

static const char *pt_namer(int64_t v, char *b) { return elf_pt_name((uint32_t)v, b); }
static const char *sht_namer(int64_t v, char *b) { return elf_sht_name((uint32_t)v, b); }
static const char *dt_namer(int64_t v, char *b) { return elf_dt_name(v, b); }

/* Program header types live in two ranges: the standard and the OS ones. */
static bool pt_value(const char *s, int64_t *out)
{
	return type_value(s, "PT_", pt_namer, 0, 8, out) ||
	       type_value(s, "PT_", pt_namer, 0x6474e550, 0x6474e554, out) ||
	       type_value(s, "PT_", pt_namer, 0x6ffffffa, 0x6ffffffc, out);
}

static bool dt_value(const char *s, int64_t *out)
{
	return type_value(s, "DT_", dt_namer, 0, 37, out) ||
	       type_value(s, "DT_", dt_namer, 0x6ffffef0, 0x6fffffff, out) ||
	       type_value(s, "DT_", dt_namer, 0x6000000f, 0x60000012, out) ||   /* Android's */
	       type_value(s, "DT_", dt_namer, 0x6fffe000, 0x6fffe005, out);
}

static uint32_t pf_value(const char *s)
{
	return (strchr(s, 'R') ? PF_R : 0) | (strchr(s, 'W') ? PF_W : 0) | (strchr(s, 'X') ? PF_X : 0);
}

static void check_segment(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	int64_t type, before = 0;
	if (!pt_value(x->type, &type)) {
		failf(fail, "segment %s: unknown program header type", x->type);
		return;
	}
	if (x->before && !pt_value(x->before, &before)) {
		failf(fail, "segment %s: unknown program header type '%s'", x->type, x->before);
		return;
	}
	long n = 0;
	size_t first = SIZE_MAX, first_before = SIZE_MAX;
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *p = &f->ph[i];
		if (x->before && p->p_type == (uint32_t)before && first_before == SIZE_MAX)
			first_before = i;
		if (p->p_type != (uint32_t)type || (x->flags && (p->p_flags & 7) != pf_value(x->flags)))
			continue;
		n++;
		if (first == SIZE_MAX)
			first = i;
		if (x->align >= 0 && p->p_align != (uint64_t)x->align)
			failf(fail, "segment %s%s%s (program header %zu): align %#llx, expected %#lx",
			      x->type, x->flags ? " " : "", x->flags ? x->flags : "", i,
			      (unsigned long long)p->p_align, (unsigned long)x->align);
	}
	const char *what = x->flags ? x->flags : "";
	if (!x->present && n)
		failf(fail, "segment %s %s: present (%ld), expected none", x->type, what, n);
	else if (x->present && x->count >= 0 && n != x->count)
		failf(fail, "segment %s %s: %ld, expected %ld", x->type, what, n, x->count);
	else if (x->present && x->count < 0 && !n)
		failf(fail, "segment %s %s: absent", x->type, what);
	if (x->before && first != SIZE_MAX && first_before != SIZE_MAX && first > first_before)
		failf(fail, "segment %s %s: program header %zu comes after %s (%zu)", x->type, what,
		      first, x->before, first_before);
}

static void flag_names(uint64_t flags, struct strbuf *sb)
{
	bool any = false;
	for (size_t i = 0; i < ARRAY_LEN(sec_flags); i++)
		if (flags & (uint64_t)sec_flags[i].v)
			sb_addf(sb, "%s%s", any ? ", " : "", sec_flags[i].name), any = true;
}

static uint64_t flag_bits(const struct slist *l)
{
	uint64_t v = 0;
	long x;
	for (size_t i = 0; i < l->n; i++)
		if (name_to_num(sec_flags, ARRAY_LEN(sec_flags), l->v[i], &x))
			v |= (uint64_t)x;
	return v;
}

static int hex_digit(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* A section's contents, byte for byte; what it holds is shown as hex. */
static void check_section_bytes(const struct elf_file *f, const struct elf_sec *s,
				const struct elfx *x, struct strbuf *fail)
{
	const char *hex = x->hex + (strncmp(x->hex, "0x", 2) ? 0 : 2);
	size_t n = strlen(hex) / 2;
	const unsigned char *b = elf_section_bytes(f, s);
	bool same = b && s->sh.sh_type != SHT_NOBITS && s->sh.sh_size == n;
	for (size_t i = 0; same && i < n; i++)
		same = b[i] == (hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
	if (same)
		return;
	struct strbuf got = STRBUF_INIT;
	for (size_t i = 0; b && s->sh.sh_type != SHT_NOBITS && i < s->sh.sh_size && i < 32; i++)
		sb_addf(&got, "%02x", b[i]);
	failf(fail, "section %s: bytes %s%s (%llu), expected %s (%zu)", x->name,
	      got.len ? sb_str(&got) : "none", s->sh.sh_size > 32 ? "..." : "",
	      (unsigned long long)s->sh.sh_size, hex, n);
	sb_free(&got);
}

static void check_section(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	long n = 0;
	char tb[32];
	int64_t type = 0;
	if (x->type && !type_value(x->type, "SHT_", sht_namer, 0, 19, &type) &&
	    !type_value(x->type, "SHT_", sht_namer, 0x6ffffff5, 0x6fffffff, &type)) {
		failf(fail, "section %s: unknown section type '%s'", x->name, x->type);
		return;
	}
	uint64_t want = flag_bits(&x->sflags), unwanted = flag_bits(&x->no_sflags);
	for (size_t i = 1; i < f->nsec; i++) {
		const struct elf_sec *s = &f->sec[i];
		if (strcmp(s->name, x->name))
			continue;
		n++;
		if (x->type && s->sh.sh_type != (uint32_t)type)
			failf(fail, "section %s: type %s, expected %s", x->name,
			      elf_sht_name(s->sh.sh_type, tb), x->type);
		uint64_t missing = want & ~s->sh.sh_flags, extra = s->sh.sh_flags & unwanted;
		if (missing || extra) {
			struct strbuf sb = STRBUF_INIT;
			flag_names(s->sh.sh_flags, &sb);
			sb_adds(&sb, missing ? "] lack [" : "] have [");
			flag_names(missing ? missing : extra, &sb);
			failf(fail, "section %s: flags [%s]", x->name, sb_str(&sb));
			sb_free(&sb);
		}
		if (x->align >= 0 && s->sh.sh_addralign != (uint64_t)x->align)
			failf(fail, "section %s: alignment %llu, expected %ld", x->name,
			      (unsigned long long)s->sh.sh_addralign, x->align);
		if (x->entsize >= 0 && s->sh.sh_entsize != (uint64_t)x->entsize)
			failf(fail, "section %s: entsize %llu, expected %ld", x->name,
			      (unsigned long long)s->sh.sh_entsize, x->entsize);
		if (x->hex)
			check_section_bytes(f, s, x, fail);
	}
	if (!x->present && n)
		failf(fail, "section %s: present, expected absent", x->name);
	else if (x->present && !n)
		failf(fail, "section %s: absent", x->name);
	else if (x->count >= 0 && n != x->count)
		failf(fail, "section %s: %ld sections of that name, expected %ld", x->name, n, x->count);
}

static void check_dynamic(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	int64_t tag;
	for (size_t i = 0; i < x->has.n + x->lacks.n; i++) {
		bool has = i < x->has.n;
		const char *s = has ? x->has.v[i] : x->lacks.v[i - x->has.n];
		if (!dt_value(s, &tag))
			failf(fail, "dynamic: unknown tag '%s'", s);
		else if (elf_has_dyn(f, tag) != has)
			failf(fail, "dynamic: %s is %s", s, has ? "absent" : "present");
	}
	if (x->needed.n) {
		struct strbuf got = STRBUF_INIT;
		size_t k = 0;
		bool same = true;
		for (size_t i = 0; i < f->ndyn; i++) {
			if (f->dyn[i].d_tag != DT_NEEDED)
				continue;
			const char *s = elf_dynstr(f, f->dyn[i].d_un.d_val);
			sb_addf(&got, "%s%s", k ? ", " : "", s ? s : "?");
			same &= k < x->needed.n && s && !strcmp(s, x->needed.v[k]);
			k++;
		}
		if (!same || k != x->needed.n)
			failf(fail, "dynamic: DT_NEEDED [%s], expected [%s%s]", sb_str(&got),
			      x->needed.v[0], x->needed.n > 1 ? ", ..." : "");
		sb_free(&got);
	}
	if (x->soname) {
		const GElf_Dyn *d = elf_dyn(f, DT_SONAME);
		const char *s = d ? elf_dynstr(f, d->d_un.d_val) : NULL;
		if (!s || strcmp(s, x->soname))
			failf(fail, "dynamic: DT_SONAME %s, expected %s", s ? s : "absent", x->soname);
	}
}

struct sym_search {
	const struct elf_file *f;
	const struct elfx *x;
	struct elf_symbol found;
	bool hit;
	const char *section;
};

static bool find_sym(void *ctx, const struct elf_symbol *s)
{
	struct sym_search *q = ctx;
	if (strcmp(s->name, q->x->name) || (s->sym.st_shndx == SHN_UNDEF && q->x->present &&
					    (q->x->section || q->x->type)))
		return true;
	q->found = *s;
	q->hit = true;
	return false;
}

/* Its value, size, and offset in its own section (value less the
 * section's address, as a linker places it). */
static void check_symbol_numbers(const struct elf_file *f, const struct elfx *x,
				 const GElf_Sym *s, const char *table, struct strbuf *fail)
{
	bool in_sec = s->st_shndx != SHN_UNDEF && s->st_shndx < SHN_LORESERVE && s->st_shndx < f->nsec;
	if (x->value >= 0 && s->st_value != (uint64_t)x->value)
		failf(fail, "symbol %s (%s): value %#" PRIx64 ", expected %#lx", x->name, table,
		      (uint64_t)s->st_value, (unsigned long)x->value);
	if (x->size >= 0 && s->st_size != (uint64_t)x->size)
		failf(fail, "symbol %s (%s): size %" PRIu64 ", expected %ld", x->name, table,
		      (uint64_t)s->st_size, x->size);
	if (x->offset >= 0 && !in_sec)
		failf(fail, "symbol %s (%s): in no section of the file, expected at offset %ld of one",
		      x->name, table, x->offset);
	else if (x->offset >= 0 && s->st_value - f->sec[s->st_shndx].sh.sh_addr != (uint64_t)x->offset)
		failf(fail, "symbol %s (%s): at offset %#" PRIx64 " of %s, expected %#lx", x->name,
		      table, (uint64_t)(s->st_value - f->sec[s->st_shndx].sh.sh_addr),
		      f->sec[s->st_shndx].name, (unsigned long)x->offset);
}

static void check_symbol(const struct elf_file *f, const struct elfx *x,
                         const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct sym_search q = { f, x, { 0 }, false, NULL };
	const char *table = "symtab";
	if (!x->table || !strcmp(x->table, "symtab"))
		elf_each_symbol(f, false, find_sym, &q);
	if (!q.hit && (!x->table || !strcmp(x->table, "dynsym"))) {
		table = "dynsym";
		elf_each_symbol(f, true, find_sym, &q);
	}
	const char *where = x->table ? x->table : "symtab or dynsym";
	if (!x->present) {
		if (q.hit)
			failf(fail, "symbol %s: present in %s, expected absent", x->name, table);
		return;
	}
	if (!q.hit) {
		failf(fail, "symbol %s: absent from %s", x->name, where);
		return;
	}
	const GElf_Sym *s = &q.found.sym;
	const char *got;
	if (x->type && (got = num_to_name(sym_types, ARRAY_LEN(sym_types), GELF_ST_TYPE(s->st_info)),
			!got || strcasecmp(got, x->type)))
		failf(fail, "symbol %s (%s): type %s, expected %s", x->name, table, got ? got : "?", x->type);
	if (x->binding && (got = num_to_name(sym_binds, ARRAY_LEN(sym_binds), GELF_ST_BIND(s->st_info)),
			   !got || strcasecmp(got, x->binding)))
		failf(fail, "symbol %s (%s): binding %s, expected %s", x->name, table, got ? got : "?",
		      x->binding);
	if (x->visibility &&
	    (got = num_to_name(sym_vis, ARRAY_LEN(sym_vis), GELF_ST_VISIBILITY(s->st_other)),
	     !got || strcasecmp(got, x->visibility)))
		failf(fail, "symbol %s (%s): visibility %s, expected %s", x->name, table,
		      got ? got : "?", x->visibility);
	if (x->section) {
		const char *sec = s->st_shndx == SHN_UNDEF ? "UND" : s->st_shndx == SHN_ABS ? "ABS"
				: s->st_shndx < f->nsec ? f->sec[s->st_shndx].name : "?";
		if (strcmp(sec, x->section))
			failf(fail, "symbol %s (%s): in section %s, expected %s", x->name, table, sec,
			      x->section);
	}
	if (x->version && (!q.found.version || strcmp(q.found.version, x->version)))
		failf(fail, "symbol %s (%s): version %s, expected %s", x->name, table,
		      q.found.version ? q.found.version : "none", x->version);
	check_symbol_numbers(f, x, s, table, fail);
}

struct reloc_count {
	const struct elf_file *f;
	int64_t type;
	bool any;
	long n;
};

static bool count_reloc(void *ctx, const struct elf_reloc *r)
{
	struct reloc_count *c = ctx;
	bool relr_relative = r->kind == ELF_RELR && c->type == -2;
	c->n += c->any || relr_relative || (r->kind != ELF_RELR && r->type == (uint32_t)c->type);
	return true;
}

static void check_relocs(const struct elf_file *f, const struct elfx *x,
                         const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct reloc_count c = { f, 0, !x->type, 0 };
	if (x->type && !strcasecmp(x->type, "relr")) {
		c.type = -2;
	} else if (x->type) {
		uint32_t named = 0;
		char *end;
		long v = strtol(x->type, &end, 0);
		if (*end && !elf_reloc_type(f->eh.e_machine, x->type, &named)) {
			failf(fail, "relocations: unknown type '%s' for machine %u", x->type,
			      f->eh.e_machine);
			return;
		}
		c.type = *end ? (long)named : v;
	}
	elf_each_dynreloc(f, count_reloc, &c);
	const char *what = x->type ? x->type : "dynamic";
	if (x->count >= 0 && c.n != x->count)
		failf(fail, "relocations %s: %ld, expected %ld", what, c.n, x->count);
	if (x->min >= 0 && c.n < x->min)
		failf(fail, "relocations %s: %ld, expected at least %ld", what, c.n, x->min);
	if (x->max >= 0 && c.n > x->max)
		failf(fail, "relocations %s: %ld, expected at most %ld", what, c.n, x->max);
}

struct ro_scan {
	const struct elf_file *f;
	long n;
	uint64_t first;
};

static bool scan_ro(void *ctx, const struct elf_reloc *r)
{
	struct ro_scan *s = ctx;
	if (elf_reloc_writes_nothing(r))
		return true;
	const GElf_Phdr *l = elf_load_at(s->f, r->offset, true);
	if (l && !(l->p_flags & PF_W) && !s->n++)
		s->first = r->offset;
	return true;
}

static void check_no_textrel(const struct elf_file *f, const struct elfx *x,
                             const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	if (!x->no_textrel)
		return;
	struct ro_scan s = { f, 0, 0 };
	elf_each_dynreloc(f, scan_ro, &s);
	if (s.n) {
		const struct elf_sec *sec = elf_section_at(f, s.first);
		failf(fail, "no-textrel: %ld dynamic relocations into read-only memory, first at %#llx%s%s%s",
		      s.n, (unsigned long long)s.first, sec ? " (" : "", sec ? sec->name : "", sec ? ")" : "");
	}
	if (elf_has_dyn(f, DT_TEXTREL))
		failf(fail, "no-textrel: DT_TEXTREL is set");
}

struct comment_search {
	const struct regex *re;
	bool hit;
};

static bool match_comment(void *ctx, const char *s, size_t len)
{
	struct comment_search *c = ctx;
	c->hit = regex_match(c->re, s, len, NULL);
	return !c->hit;
}

static void check_comment(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct comment_search c = { x->re, false };
	elf_each_comment(f, match_comment, &c);
	if (!c.hit)
		failf(fail, "comment: no .comment string matches '%s'", regex_source(x->re));
}

static void check_interp(const struct elf_file *f, const struct elfx *x,
                         const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	size_t len;
	const char *s = elf_interp(f, &len);
	size_t n = s ? strnlen(s, len) : 0;
	if (!*x->name && s)
		failf(fail, "interp: %.*s, expected none", (int)n, s);
	else if (*x->name && (!s || strlen(x->name) != n || memcmp(s, x->name, n)))
		failf(fail, "interp: %.*s, expected %s", s ? (int)n : 4, s ? s : "none", x->name);
}

static void check_finding(const struct elf_file *f, const struct elfx *x,
			  const struct findings *fs, struct strbuf *fail)
{
	(void)f;
	if (!findings_has(fs, x->name))
		failf(fail, "finding %s: the file does not break that rule", x->name);
}

static bool has_bytes(const struct elf_file *f, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; n && i + n <= f->size; i++)
		if (f->raw[i] == (unsigned char)*s && !memcmp(f->raw + i, s, n))
			return true;
	return false;
}

/* What the file's bytes hold, anywhere: a string kept or stripped. */
static void check_bytes(const struct elf_file *f, const struct elfx *x,
			const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	for (size_t i = 0; i < x->has.n; i++)
		if (!has_bytes(f, x->has.v[i]))
			failf(fail, "bytes: the file does not contain '%s'", x->has.v[i]);
	for (size_t i = 0; i < x->lacks.n; i++)
		if (has_bytes(f, x->lacks.v[i]))
			failf(fail, "bytes: the file contains '%s', expected not", x->lacks.v[i]);
}

static void (*const checkers[])(const struct elf_file *, const struct elfx *,
				const struct findings *, struct strbuf *) = {
	[X_SEGMENT] = check_segment, [X_SECTION] = check_section, [X_DYNAMIC] = check_dynamic,
	[X_SYMBOL] = check_symbol, [X_RELOCS] = check_relocs, [X_NO_TEXTREL] = check_no_textrel,
	[X_COMMENT] = check_comment, [X_INTERP] = check_interp, [X_FINDING] = check_finding,
	[X_BYTES] = check_bytes,
};

void elfx_check(const struct elf_file *f, const struct elf_check *c, const struct findings *fs,
		struct strbuf *fail)
{
	for (size_t i = 0; i < c->n; i++)
		checkers[c->v[i].kind](f, &c->v[i], fs, fail);
}

bool elfx_expects_finding(const struct elf_check *c, const char *rule)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == X_FINDING && !strcmp(c->v[i].name, rule))
			return true;
	return false;
}
