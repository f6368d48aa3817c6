#include "elf/expect.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/match.h"

/* ---- decoding ------------------------------------------------------------ */

/* An unknown name, at its place, with the name it is nearest to. */
static void unknown_name(struct ydoc *y, yaml_node_t *at, const struct elf_names *t,
			 const char *s)
{
	char *shown = xvisible(s, 80);
	const char *near = elf_name_near(t, s);
	if (near) {
		yerr(y, at, "unknown %s '%s' (did you mean %s?)", t->kind, shown, near);
	} else {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < t->n && t->v[i].word; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "one of ", t->v[i].word);
		if (!sb.len)
			sb_addf(&sb, "%s names such as %s%s", t->prefix, t->v[1].name,
				t->numbers ? ", or a number" : "");
		yerr(y, at, "unknown %s '%s' (%s)", t->kind, shown, sb_str(&sb));
		sb_free(&sb);
	}
	free(shown);
}

/* The names of v (one, or a list when list) as values of table t. */
static bool dec_names(struct ydoc *y, yaml_node_t *v, const struct elf_names *t, bool list,
		      struct elfvals *out)
{
	struct slist l = { 0 };
	const char *one;
	if (list ? !y_strlist(y, v, t->kind, &l) : !y_str(y, v, t->kind, &one))
		return false;
	if (!list)
		l.v = &one, l.n = 1;
	out->v = arena_alloc(y->arena, (l.n + 1) * sizeof *out->v);
	out->n = 0;
	bool ok = true;
	for (size_t i = 0; i < l.n; i++) {
		yaml_node_t *at = v->type == YAML_SEQUENCE_NODE
				  ? ydoc_node(y, v->data.sequence.items.start[i]) : v;
		if (elf_value(t, l.v[i], &out->v[out->n]))
			out->n++;
		else
			unknown_name(y, at, t, l.v[i]), ok = false;
	}
	return ok;
}

/* One decoder per field that names constants: its table, one or a list. */
#define NAMES(fn, table, list, member) \
	static bool fn(struct ydoc *y, yaml_node_t *v, void *obj) \
	{ return dec_names(y, v, &table, list, &((struct elfx *)obj)->member); }
NAMES(dec_pt, elf_pt_names, false, type)
NAMES(dec_before, elf_pt_names, false, before)
NAMES(dec_sht, elf_sht_names, false, type)
NAMES(dec_shf, elf_shf_names, true, set)
NAMES(dec_no_shf, elf_shf_names, true, unset)
NAMES(dec_dt_has, elf_dt_names, true, tags)
NAMES(dec_dt_lacks, elf_dt_names, true, no_tags)
NAMES(dec_df, elf_df_names, true, set)
NAMES(dec_no_df, elf_df_names, true, unset)
NAMES(dec_df1, elf_df1_names, true, set1)
NAMES(dec_no_df1, elf_df1_names, true, unset1)
NAMES(dec_stt, elf_stt_names, false, type)
NAMES(dec_stb, elf_stb_names, false, binding)
NAMES(dec_stv, elf_stv_names, false, visibility)
NAMES(dec_et, elf_et_names, false, type)
NAMES(dec_em, elf_em_names, false, machine)
NAMES(dec_class, elf_class_names, false, cls)
NAMES(dec_feature_has, elf_feature_names, true, set)
NAMES(dec_feature_lacks, elf_feature_names, true, unset)
#undef NAMES

static bool is_number(const char *s)
{
	char *end = (char *)s;
	if (*s && *s != '-')
		(void)strtoul(s, &end, 0);
	return end != s && !*end;
}

/* A relocation type: a name some machine has (the file's machine decides
 * which, when checked), relr, or a number. */
static bool dec_reloc(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	const char *near;
	if (!y_str(y, v, "a relocation type", &x->reloc))
		return false;
	if (!strcasecmp(x->reloc, "relr") || elf_reloc_known(x->reloc, &near) ||
	    is_number(x->reloc))
		return true;
	char *shown = xvisible(x->reloc, 80);
	if (near)
		yerr(y, v, "unknown relocation type '%s' (did you mean %s?)", shown, near);
	else
		yerr(y, v, "unknown relocation type '%s' (R_ names such as R_X86_64_RELATIVE "
		     "or RELATIVE, relr, or a number)", shown);
	free(shown);
	return false;
}

/* A symbol's section: a name, or UND, ABS and COMMON (SHN_UNDEF ...) as
 * the word they are printed as. */
static bool dec_sym_section(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	int64_t shn;
	char b[32];
	if (!y_str(y, v, "a symbol's section", &x->section))
		return false;
	if (elf_value(&elf_shn_names, x->section, &shn))
		x->section = elf_word(&elf_shn_names, shn, b);
	return true;
}

static bool dec_defined(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->has_defined = true;
	return y_strlist(y, v, "the versions defined", &x->defined);
}

/* needed: { FILE: [VERSION, ...], ... } */
static bool dec_need(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	if (!y_map(y, v, "versions: needed (a mapping of file to versions)"))
		return false;
	size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	x->need = arena_alloc(y->arena, (n + 1) * sizeof *x->need);
	bool ok = true;
	Y_FOREACH_PAIR(y, v, p) {
		struct elfx_need *e = &x->need[x->nneed];
		if (y_str(y, ydoc_node(y, p->key), "a file needed", &e->file) &&
		    y_strlist(y, ydoc_node(y, p->value), "the versions needed", &e->versions))
			x->nneed++;
		else
			ok = false;
	}
	return ok;
}

static const struct yfield header_fields[] = {
	YFIELD_FN("type", dec_et), YFIELD_FN("machine", dec_em), YFIELD_FN("class", dec_class),
};
static const struct yfield segment_fields[] = {
	YFIELD_FN_REQ("type", dec_pt),
	YFIELD(struct elfx, "flags", YF_STR, flags),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "align", YF_INT, align),
	YFIELD(struct elfx, "min-align", YF_INT, min_align),
	YFIELD_FN("before", dec_before),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield section_fields[] = {
	YFIELD_REQ(struct elfx, "name", YF_STR, name),
	YFIELD_FN("type", dec_sht),
	YFIELD_FN("flags", dec_shf),
	YFIELD_FN("no-flags", dec_no_shf),
	YFIELD(struct elfx, "align", YF_INT, align),
	YFIELD(struct elfx, "min-align", YF_INT, min_align),
	YFIELD(struct elfx, "entsize", YF_INT, entsize),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "bytes", YF_STR, hex),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield dynamic_fields[] = {
	YFIELD_FN("has", dec_dt_has),
	YFIELD_FN("lacks", dec_dt_lacks),
	YFIELD(struct elfx, "needed", YF_STRLIST, needed),
	YFIELD(struct elfx, "soname", YF_STR, soname),
	YFIELD(struct elfx, "runpath", YF_STR, runpath),
	YFIELD(struct elfx, "rpath", YF_STR, rpath),
	YFIELD_FN("flags", dec_df),
	YFIELD_FN("no-flags", dec_no_df),
	YFIELD_FN("flags-1", dec_df1),
	YFIELD_FN("no-flags-1", dec_no_df1),
};
static const struct yfield symbol_fields[] = {
	YFIELD_REQ(struct elfx, "name", YF_STR, name),
	YFIELD(struct elfx, "table", YF_STR, table),
	YFIELD_FN("type", dec_stt),
	YFIELD_FN("binding", dec_stb),
	YFIELD_FN("visibility", dec_stv),
	YFIELD_FN("section", dec_sym_section),
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
	YFIELD_FN("type", dec_reloc),
	YFIELD(struct elfx, "count", YF_INT, count),
	YFIELD(struct elfx, "min", YF_INT, min),
	YFIELD(struct elfx, "max", YF_INT, max),
};
static const struct yfield property_fields[] = {
	YFIELD_FN("has", dec_feature_has),
	YFIELD_FN("lacks", dec_feature_lacks),
	YFIELD(struct elfx, "present", YF_BOOL, present),
};
static const struct yfield versions_fields[] = {
	YFIELD_FN("defined", dec_defined),
	YFIELD_FN("needed", dec_need),
};

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
		return !x->hex || hex_ok(x->hex) ||
		       (yerr(y, v, "a section's bytes are pairs of hex digits, not '%s'", x->hex), false);
	case X_SYMBOL:
		return !x->table || !strcmp(x->table, "symtab") || !strcmp(x->table, "dynsym") ||
		       (yerr(y, v, "a symbol table is symtab or dynsym, not '%s'", x->table), false);
	case X_PROPERTY:
		return x->present || (!x->set.n && !x->unset.n) ||
		       (yerr(y, v, "a property expectation with present: false has no has or lacks"),
			false);
	default:
		return true;
	}
}

#define DEC(fn, kind, what, fields) \
	static bool fn(struct ydoc *y, yaml_node_t *v, void *obj) \
	{ return dec_kind(y, v, obj, kind, what, fields, ARRAY_LEN(fields)); }
DEC(dec_header, X_HEADER, "a header expectation", header_fields)
DEC(dec_segment, X_SEGMENT, "a segment expectation", segment_fields)
DEC(dec_section, X_SECTION, "a section expectation", section_fields)
DEC(dec_dynamic, X_DYNAMIC, "a dynamic expectation", dynamic_fields)
DEC(dec_symbol, X_SYMBOL, "a symbol expectation", symbol_fields)
DEC(dec_relocs, X_RELOCS, "a relocations expectation", relocs_fields)
DEC(dec_bytes, X_BYTES, "a bytes expectation", bytes_fields)
DEC(dec_property, X_PROPERTY, "a property expectation", property_fields)
DEC(dec_versions, X_VERSIONS, "a versions expectation", versions_fields)
#undef DEC

static bool dec_segment_order(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct elfx *x = obj;
	x->kind = X_SEGMENT_ORDER;
	return dec_names(y, v, &elf_pt_names, true, &x->type);
}

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
	YFIELD_FN("header", dec_header), YFIELD_FN("segment", dec_segment),
	YFIELD_FN("segment-order", dec_segment_order), YFIELD_FN("section", dec_section),
	YFIELD_FN("dynamic", dec_dynamic), YFIELD_FN("symbol", dec_symbol),
	YFIELD_FN("relocations", dec_relocs), YFIELD_FN("no-textrel", dec_no_textrel),
	YFIELD_FN("comment", dec_comment), YFIELD_FN("interp", dec_interp),
	YFIELD_FN("finding", dec_finding), YFIELD_FN("bytes", dec_bytes),
	YFIELD_FN("property", dec_property), YFIELD_FN("versions", dec_versions),
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
		x->count = x->min = x->max = x->align = x->min_align = x->entsize = -1;
		x->value = x->size = x->offset = -1;
		if (e->type != YAML_MAPPING_NODE ||
		    e->data.mapping.pairs.top - e->data.mapping.pairs.start != 1) {
			yerr(y, e, "an elf expectation is a mapping with one key: header, segment, "
			     "segment-order, section, dynamic, symbol, relocations, no-textrel, "
			     "comment, interp, finding, bytes, property or versions");
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

/* One failed expectation, one line: a newline from a name of the case or
 * of the file is shown as \n, never a second failure. */
static void failf(struct strbuf *fail, const char *fmt, ...) LM_PRINTF(2, 3);
static void failf(struct strbuf *fail, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	sb_add_replacing(fail, m, strlen(m), "\n", "\\n");
	sb_addc(fail, '\n');
	free(m);
}

/* A string of the file in a message, as data. */
static char *shown(const char *s, size_t n)
{
	char *c = xstrndup(s, n), *v = xvisible(c, 200);
	free(c);
	return v;
}

static uint64_t bits_of(const struct elfvals *v)
{
	uint64_t b = 0;
	for (size_t i = 0; i < v->n; i++)
		b |= (uint64_t)v->v[i];
	return b;
}

/* "[alloc, write]"-style lists of the bits of v by table t. */
static void add_bits(struct strbuf *sb, const struct elf_names *t, uint64_t v)
{
	if (v)
		elf_bit_names(t, v, false, " ", sb);
	else
		sb_adds(sb, "none");
}

static void check_header(const struct elf_file *f, const struct elfx *x,
			 const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	static const struct { const char *field; const struct elf_names *t; size_t off; } h[] = {
		{ "e_type", &elf_et_names, offsetof(struct elfx, type) },
		{ "e_machine", &elf_em_names, offsetof(struct elfx, machine) },
		{ "EI_CLASS", &elf_class_names, offsetof(struct elfx, cls) },
	};
	const int64_t got[] = { f->eh.e_type, f->eh.e_machine, f->cls };
	for (size_t i = 0; i < ARRAY_LEN(h); i++) {
		const struct elfvals *want = (const struct elfvals *)((const char *)x + h[i].off);
		char b1[32], b2[32];
		if (want->n && want->v[0] != got[i])
			failf(fail, "header: %s %s, expected %s", h[i].field,
			      elf_name(h[i].t, got[i], b1), elf_name(h[i].t, want->v[0], b2));
	}
}

/* The distinct types of the program headers, in their order. */
static void ph_types(const struct elf_file *f, struct strbuf *sb)
{
	char b[32];
	for (size_t i = 0; i < f->nph; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= f->ph[j].p_type == f->ph[i].p_type;
		if (!seen)
			sb_addf(sb, "%s%s", sb->len ? ", " : "", elf_pt_name(f->ph[i].p_type, b));
	}
}

static uint32_t pf_value(const char *s)
{
	return (strchr(s, 'R') ? PF_R : 0) | (strchr(s, 'W') ? PF_W : 0) |
	       (strchr(s, 'X') ? PF_X : 0);
}

/* The headers of x's type (with its flags), and their alignment. */
static long count_segments(const struct elf_file *f, const struct elfx *x, const char *what,
			   size_t *first, struct strbuf *other_flags, struct strbuf *fail)
{
	long n = 0;
	char fb[8];
	for (size_t i = 0; i < f->nph; i++) {
		const GElf_Phdr *p = &f->ph[i];
		if (p->p_type != (uint32_t)x->type.v[0])
			continue;
		if (x->flags && (p->p_flags & 7) != pf_value(x->flags)) {
			sb_addf(other_flags, "%s%s", other_flags->len ? ", " : "",
				*elf_pf_str(p->p_flags, fb) ? fb : "none");
			continue;
		}
		if (!n++)
			*first = i;
		if (x->align >= 0 && p->p_align != (uint64_t)x->align)
			failf(fail, "segment %s (program header %zu): align %#llx, expected %#lx", what,
			      i, (unsigned long long)p->p_align, (unsigned long)x->align);
		if (x->min_align >= 0 && p->p_align < (uint64_t)x->min_align)
			failf(fail, "segment %s (program header %zu): align %#llx, expected at least %#lx",
			      what, i, (unsigned long long)p->p_align, (unsigned long)x->min_align);
	}
	return n;
}

static void check_segment(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	char tb[32], bb[32];
	const char *type = elf_pt_name((uint32_t)x->type.v[0], tb);
	char *what = xasprintf("%s%s%s", type, x->flags ? " " : "", x->flags ? x->flags : "");
	struct strbuf other = STRBUF_INIT, types = STRBUF_INIT;
	size_t first = SIZE_MAX;
	long n = count_segments(f, x, what, &first, &other, fail);
	ph_types(f, &types);
	if (!x->present && n)
		failf(fail, "segment %s: present (program header %zu%s), expected none", what, first,
		      n > 1 ? " and more" : "");
	else if (x->present && x->count >= 0 && n != x->count)
		failf(fail, "segment %s: %ld program headers, expected %ld", what, n, x->count);
	else if (x->present && x->count < 0 && !n && other.len)
		failf(fail, "segment %s: flags %s, expected %s", type, sb_str(&other), x->flags);
	else if (x->present && x->count < 0 && !n)
		failf(fail, "segment %s: absent (the program headers are %s)", what,
		      types.len ? sb_str(&types) : "none");
	for (size_t i = 0; x->before.n && first != SIZE_MAX && i < first; i++)
		if (f->ph[i].p_type == (uint32_t)x->before.v[0]) {
			failf(fail, "segment %s: program header %zu comes after %s (%zu)", what, first,
			      elf_pt_name(f->ph[i].p_type, bb), i);
			break;
		}
	sb_free(&other);
	sb_free(&types);
	free(what);
}

/* Every header of each type listed before every header of the types after it. */
static void check_segment_order(const struct elf_file *f, const struct elfx *x,
				const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	char b1[32], b2[32];
	for (size_t j = 0; j < f->nph; j++)
		for (size_t i = j + 1; i < f->nph; i++) {
			size_t ti = SIZE_MAX, tj = SIZE_MAX;
			for (size_t k = 0; k < x->type.n; k++) {
				ti = f->ph[i].p_type == (uint32_t)x->type.v[k] && ti == SIZE_MAX ? k : ti;
				tj = f->ph[j].p_type == (uint32_t)x->type.v[k] && tj == SIZE_MAX ? k : tj;
			}
			if (ti == SIZE_MAX || tj == SIZE_MAX || ti >= tj)
				continue;
			struct strbuf got = STRBUF_INIT;
			for (size_t k = 0; k < f->nph; k++)
				if (!k || f->ph[k].p_type != f->ph[k - 1].p_type)
					sb_addf(&got, "%s%s", k ? ", " : "", elf_pt_name(f->ph[k].p_type, b1));
			failf(fail, "segment-order: %s (program header %zu) comes after %s (%zu), "
			      "expected before it; the program headers are %s", elf_pt_name(f->ph[i].p_type, b1), i,
			      elf_pt_name(f->ph[j].p_type, b2), j, sb_str(&got));
			sb_free(&got);
			return;
		}
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

static void check_section_flags(const struct elf_sec *s, const struct elfx *x,
				struct strbuf *fail)
{
	uint64_t missing = bits_of(&x->set) & ~s->sh.sh_flags;
	uint64_t extra = s->sh.sh_flags & bits_of(&x->unset);
	if (!missing && !extra)
		return;
	struct strbuf sb = STRBUF_INIT;
	add_bits(&sb, &elf_shf_names, s->sh.sh_flags);
	sb_adds(&sb, missing ? ", lacks " : ", has ");
	add_bits(&sb, &elf_shf_names, missing ? missing : extra);
	failf(fail, "section %s: flags %s%s", x->name, sb_str(&sb), missing ? "" : ", expected not");
	sb_free(&sb);
}

/* The name of a section of f that name is probably a typo of, or NULL. */
static const char *near_section(const struct elf_file *f, const char *name)
{
	const char **names = xmalloc((f->nsec + 1) * sizeof *names);
	for (size_t i = 0; i < f->nsec; i++)
		names[i] = f->sec[i].name;
	const char *near = did_you_mean(name, names, f->nsec);
	free(names);
	return near;
}

static void check_section(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	long n = 0;
	char tb[32], wb[32];
	for (size_t i = 1; i < f->nsec; i++) {
		const struct elf_sec *s = &f->sec[i];
		if (strcmp(s->name, x->name))
			continue;
		n++;
		if (x->type.n && s->sh.sh_type != (uint32_t)x->type.v[0])
			failf(fail, "section %s: type %s, expected %s", x->name,
			      elf_sht_name(s->sh.sh_type, tb), elf_sht_name((uint32_t)x->type.v[0], wb));
		check_section_flags(s, x, fail);
		if (x->align >= 0 && s->sh.sh_addralign != (uint64_t)x->align)
			failf(fail, "section %s: alignment %llu, expected %ld", x->name,
			      (unsigned long long)s->sh.sh_addralign, x->align);
		if (x->min_align >= 0 && s->sh.sh_addralign < (uint64_t)x->min_align)
			failf(fail, "section %s: alignment %llu, expected at least %ld", x->name,
			      (unsigned long long)s->sh.sh_addralign, x->min_align);
		if (x->entsize >= 0 && s->sh.sh_entsize != (uint64_t)x->entsize)
			failf(fail, "section %s: entsize %llu, expected %ld", x->name,
			      (unsigned long long)s->sh.sh_entsize, x->entsize);
		if (x->hex)
			check_section_bytes(f, s, x, fail);
	}
	const char *near = x->present && !n ? near_section(f, x->name) : NULL;
	if (!x->present && n)
		failf(fail, "section %s: present, expected absent", x->name);
	else if (x->present && !n)
		failf(fail, "section %s: absent%s%s%s", x->name, near ? " (the file has " : "",
		      near ? near : "", near ? ")" : "");
	else if (x->count >= 0 && n != x->count)
		failf(fail, "section %s: %ld sections of that name, expected %ld", x->name, n, x->count);
}

/* A string tag (DT_SONAME, DT_RUNPATH, DT_RPATH): want '' for none. */
static void check_dyn_string(const struct elf_file *f, int64_t tag, const char *want,
			     struct strbuf *fail)
{
	const GElf_Dyn *d = elf_dyn(f, tag);
	const char *s = d ? elf_dynstr(f, d->d_un.d_val) : NULL;
	char tb[32];
	const char *name = elf_dt_name(tag, tb);
	char *got = s ? shown(s, strlen(s)) : NULL;
	if (!want || (!d && !*want) || (s && !strcmp(s, want))) {
		free(got);
		return;
	}
	if (!d)
		failf(fail, "dynamic: no %s, expected '%s'", name, want);
	else if (!*want)
		failf(fail, "dynamic: %s is '%s', expected none", name, got ? got : "?");
	else
		failf(fail, "dynamic: %s is '%s', expected '%s'", name, got ? got : "?", want);
	free(got);
}

/* The bits of DT_FLAGS or DT_FLAGS_1 set and clear. */
static void check_dyn_flags(const struct elf_file *f, int64_t tag, const struct elf_names *t,
			    const struct elfvals *set, const struct elfvals *unset,
			    struct strbuf *fail)
{
	const GElf_Dyn *d = elf_dyn(f, tag);
	uint64_t v = d ? d->d_un.d_val : 0, want = bits_of(set), unwanted = bits_of(unset);
	uint64_t missing = want & ~v, extra = v & unwanted;
	char tb[32];
	struct strbuf sb = STRBUF_INIT;
	if (!d && missing) {
		add_bits(&sb, t, missing);
		failf(fail, "dynamic: no %s (%s expected)", elf_dt_name(tag, tb), sb_str(&sb));
	} else if (missing || extra) {
		add_bits(&sb, t, v);
		sb_adds(&sb, missing ? ", lacks " : ", has ");
		add_bits(&sb, t, missing ? missing : extra);
		failf(fail, "dynamic: %s is %s%s", elf_dt_name(tag, tb), sb_str(&sb),
		      missing ? "" : ", expected not");
	}
	sb_free(&sb);
}

static void add_list(struct strbuf *sb, const struct slist *l)
{
	for (size_t i = 0; i < l->n; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", l->v[i]);
}

static void check_needed(const struct elf_file *f, const struct elfx *x, struct strbuf *fail)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
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
	add_list(&want, &x->needed);
	if (!same || k != x->needed.n)
		failf(fail, "dynamic: DT_NEEDED [%s], expected [%s]", sb_str(&got), sb_str(&want));
	sb_free(&got);
	sb_free(&want);
}

static void check_dynamic(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	char tb[32];
	for (size_t i = 0; i < x->tags.n + x->no_tags.n; i++) {
		bool has = i < x->tags.n;
		int64_t tag = has ? x->tags.v[i] : x->no_tags.v[i - x->tags.n];
		const GElf_Dyn *d = elf_dyn(f, tag);
		if (has && !d)
			failf(fail, "dynamic: %s is absent", elf_dt_name(tag, tb));
		else if (!has && d)
			failf(fail, "dynamic: %s is present (%#llx), expected absent",
			      elf_dt_name(tag, tb), (unsigned long long)d->d_un.d_val);
	}
	if (x->needed.n)
		check_needed(f, x, fail);
	check_dyn_string(f, DT_SONAME, x->soname, fail);
	check_dyn_string(f, DT_RUNPATH, x->runpath, fail);
	check_dyn_string(f, DT_RPATH, x->rpath, fail);
	check_dyn_flags(f, DT_FLAGS, &elf_df_names, &x->set, &x->unset, fail);
	check_dyn_flags(f, DT_FLAGS_1, &elf_df1_names, &x->set1, &x->unset1, fail);
}

/* The entry of a name that fits best: an undefined one where the case
 * asks for section UND, a defined one otherwise; the other kind only when
 * there is no better, so that what it is is said, not "absent". */
struct sym_search {
	const struct elfx *x;
	struct elf_symbol best, other;
	const char *best_table, *other_table;
	const char *table;           /* of the walk under way */
};

static bool find_sym(void *ctx, const struct elf_symbol *s)
{
	struct sym_search *q = ctx;
	if (strcmp(s->name, q->x->name))
		return true;
	bool undef = s->sym.st_shndx == SHN_UNDEF;
	bool want_undef = q->x->section && !strcmp(q->x->section, "UND");
	if (undef == want_undef || !q->x->present) {
		q->best = *s;
		q->best_table = q->table;
		return false;
	}
	if (!q->other_table) {
		q->other = *s;
		q->other_table = q->table;
	}
	return true;
}

static bool sym_in(const struct elfx *x, const char *table)
{
	return !x->table || !strcmp(x->table, table);
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
		failf(fail, "symbol %s (%s): in no section of the file (%s), expected at offset %ld "
		      "of one", x->name, table, elf_symbol_section(f, s), x->offset);
	else if (x->offset >= 0 && s->st_value - f->sec[s->st_shndx].sh.sh_addr != (uint64_t)x->offset)
		failf(fail, "symbol %s (%s): at offset %#" PRIx64 " of %s, expected %#lx", x->name,
		      table, (uint64_t)(s->st_value - f->sec[s->st_shndx].sh.sh_addr),
		      f->sec[s->st_shndx].name, (unsigned long)x->offset);
}

/* Type, binding, visibility: each by its table. */
static void check_symbol_kind(const struct elfx *x, const GElf_Sym *s, const char *table,
			      struct strbuf *fail)
{
	const struct { const char *what; const struct elf_names *t; const struct elfvals *want;
		       int64_t got; } k[] = {
		{ "type", &elf_stt_names, &x->type, GELF_ST_TYPE(s->st_info) },
		{ "binding", &elf_stb_names, &x->binding, GELF_ST_BIND(s->st_info) },
		{ "visibility", &elf_stv_names, &x->visibility, GELF_ST_VISIBILITY(s->st_other) },
	};
	for (size_t i = 0; i < ARRAY_LEN(k); i++) {
		char b1[32], b2[32];
		if (k[i].want->n && k[i].want->v[0] != k[i].got)
			failf(fail, "symbol %s (%s): %s %s, expected %s", x->name, table, k[i].what,
			      elf_name(k[i].t, k[i].got, b1), elf_name(k[i].t, k[i].want->v[0], b2));
	}
}

static void check_symbol(const struct elf_file *f, const struct elfx *x,
                         const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct sym_search q = { .x = x };
	static const char *const tables[] = { "symtab", "dynsym" };
	for (size_t i = 0; i < 2 && !q.best_table; i++)
		if (sym_in(x, tables[i])) {
			q.table = tables[i];
			elf_each_symbol(f, i == 1, find_sym, &q);
		}
	const struct elf_symbol *found = q.best_table ? &q.best : q.other_table ? &q.other : NULL;
	const char *table = q.best_table ? q.best_table : q.other_table;
	if (!x->present) {
		if (found)
			failf(fail, "symbol %s: present in %s (%s), expected absent", x->name, table,
			      elf_symbol_section(f, &found->sym));
		return;
	}
	if (!found) {
		failf(fail, "symbol %s: absent from %s", x->name, x->table ? x->table : "symtab and dynsym");
		return;
	}
	const GElf_Sym *s = &found->sym;
	check_symbol_kind(x, s, table, fail);
	const char *sec = elf_symbol_section(f, s);
	if (x->section && strcmp(sec, x->section))
		failf(fail, "symbol %s (%s): in section %s, expected %s", x->name, table, sec,
		      x->section);
	if (x->version && (!found->version || strcmp(found->version, x->version)))
		failf(fail, "symbol %s (%s): version %s, expected %s", x->name, table,
		      found->version ? found->version : "none", x->version);
	check_symbol_numbers(f, x, s, table, fail);
}

struct reloc_count {
	int64_t type;                /* -2: RELR entries */
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
	struct reloc_count c = { 0, !x->reloc, 0 };
	uint32_t named;
	char mb[32];
	if (x->reloc && !strcasecmp(x->reloc, "relr")) {
		c.type = -2;
	} else if (x->reloc && is_number(x->reloc)) {
		c.type = (int64_t)strtoul(x->reloc, NULL, 0);
	} else if (x->reloc && elf_reloc_type(f->eh.e_machine, x->reloc, &named)) {
		c.type = named;
	} else if (x->reloc) {
		failf(fail, "relocations: %s is no relocation type of %s", x->reloc,
		      elf_name(&elf_em_names, f->eh.e_machine, mb));
		return;
	}
	elf_each_dynreloc(f, count_reloc, &c);
	const char *what = x->reloc ? x->reloc : "dynamic";
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
	size_t n;
	struct strbuf seen;          /* the first strings, for the message */
};

static bool match_comment(void *ctx, const char *s, size_t len)
{
	struct comment_search *c = ctx;
	c->hit = regex_match(c->re, s, len, NULL);
	if (c->n++ < 4) {
		char *v = shown(s, len);
		sb_addf(&c->seen, "%s'%s'", c->seen.len ? ", " : "", v);
		free(v);
	}
	return !c->hit;
}

static void check_comment(const struct elf_file *f, const struct elfx *x,
                          const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct comment_search c = { x->re, false, 0, STRBUF_INIT };
	elf_each_comment(f, match_comment, &c);
	if (!c.hit && !c.n)
		failf(fail, "comment: no .comment string, expected one matching '%s'",
		      regex_source(x->re));
	else if (!c.hit)
		failf(fail, "comment: the .comment strings are %s%s, none matches '%s'",
		      sb_str(&c.seen), c.n > 4 ? ", ..." : "", regex_source(x->re));
	sb_free(&c.seen);
}

static void check_interp(const struct elf_file *f, const struct elfx *x,
                         const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	size_t len;
	const char *s = elf_interp(f, &len);
	size_t n = s ? strnlen(s, len) : 0;
	if ((!*x->name && !s) || (s && strlen(x->name) == n && !memcmp(s, x->name, n)))
		return;
	char *got = s ? shown(s, n) : NULL;
	if (!*x->name)
		failf(fail, "interp: %s, expected none", got);
	else
		failf(fail, "interp: %s, expected %s", got ? got : "none", x->name);
	free(got);
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

/* ---- GNU property notes -------------------------------------------------- */

#define NT_GNU_PROPERTY 5
#ifndef VER_FLG_BASE
#define VER_FLG_BASE 1
#endif

/* The properties of the file's GNU property notes that hold features: the
 * _AND words of each machine (an output has the bits every input had). */
struct props {
	const struct elf_file *f;
	bool note;
	size_t n;
	uint32_t type[8], bits[8];
};

static bool read_props(void *ctx, const struct elf_note *n)
{
	struct props *p = ctx;
	const struct elf_file *f = p->f;
	if (strcmp(n->owner, "GNU") || n->type != NT_GNU_PROPERTY)
		return true;
	p->note = true;
	size_t align = f->cls == ELFCLASS64 ? 8 : 4;
	for (size_t off = 0; off + 8 <= n->descsz;) {
		uint32_t type = (uint32_t)elf_read_word(f, n->desc + off, 4);
		uint32_t sz = (uint32_t)elf_read_word(f, n->desc + off + 4, 4);
		if (sz > n->descsz - off - 8)
			break;
		if (sz >= 4 && p->n < ARRAY_LEN(p->type)) {
			p->type[p->n] = type;
			p->bits[p->n++] = (uint32_t)elf_read_word(f, n->desc + off + 8, 4);
		}
		off += 8 + (sz + align - 1) / align * align;
	}
	return true;
}

/* The names of the features set in bits of property type. */
static void feature_names(uint32_t type, uint32_t bits, struct strbuf *sb)
{
	uint32_t named = 0;
	size_t start = sb->len;
	for (size_t i = 0; i < elf_feature_names.n; i++) {
		int64_t v = elf_feature_names.v[i].v;
		if (elf_feature_property(v) == type && (bits & elf_feature_bit(v))) {
			sb_addf(sb, "%s%s", sb->len > start ? " " : "", elf_feature_names.v[i].word);
			named |= elf_feature_bit(v);
		}
	}
	if (bits & ~named)
		sb_addf(sb, "%s%#x", sb->len > start ? " " : "", bits & ~named);
	if (!bits)
		sb_adds(sb, "none");
}

static const uint32_t *prop_bits(const struct props *p, uint32_t type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->type[i] == type)
			return &p->bits[i];
	return NULL;
}

static void check_feature(const struct props *p, int64_t feature, bool want, struct strbuf *fail)
{
	uint32_t type = elf_feature_property(feature), bit = elf_feature_bit(feature);
	const uint32_t *bits = prop_bits(p, type);
	char fb[32], pb[32];
	const char *name = elf_word(&elf_feature_names, feature, fb);
	const char *prop = elf_property_name(type, pb);
	if (want && !p->note)
		failf(fail, "property: no GNU property note (%s expected)", name);
	else if (want && !bits)
		failf(fail, "property: no %s (%s expected)", prop, name);
	if (!bits || !(*bits & bit) != want)
		return;
	struct strbuf sb = STRBUF_INIT;
	feature_names(type, *bits, &sb);
	failf(fail, "property: %s is %s, %s %s%s", prop, sb_str(&sb), want ? "lacks" : "has", name,
	      want ? "" : ", expected not");
	sb_free(&sb);
}

static void check_property(const struct elf_file *f, const struct elfx *x,
			   const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	struct props p = { .f = f };
	elf_each_note(f, read_props, &p);
	if (!x->present && p.note) {
		struct strbuf sb = STRBUF_INIT;
		char b[32];
		for (size_t i = 0; i < p.n; i++) {
			sb_addf(&sb, "%s%s ", i ? ", " : "", elf_property_name(p.type[i], b));
			feature_names(p.type[i], p.bits[i], &sb);
		}
		failf(fail, "property: a GNU property note%s%s%s, expected none", sb.len ? " (" : "",
		      sb_str(&sb), sb.len ? ")" : "");
		sb_free(&sb);
	}
	if (x->present && !x->set.n && !x->unset.n && !p.note)
		failf(fail, "property: no GNU property note");
	for (size_t i = 0; i < x->set.n + x->unset.n; i++)
		check_feature(&p, i < x->set.n ? x->set.v[i] : x->unset.v[i - x->set.n], i < x->set.n,
			      fail);
}

/* ---- versions ------------------------------------------------------------ */

struct version_list {
	const char *file;            /* needed: from this file; NULL: defined */
	struct strbuf got;
	size_t n;
	const struct slist *want;
	bool same;
};

static void version_seen(struct version_list *l, const char *name)
{
	sb_addf(&l->got, "%s%s", l->n ? ", " : "", name);
	l->same &= l->n < l->want->n && !strcmp(l->want->v[l->n], name);
	l->n++;
}

static bool defined_version(void *ctx, const char *name, unsigned index, unsigned flags)
{
	(void)index;
	if (!(flags & VER_FLG_BASE))   /* the file's own name, not a version */
		version_seen(ctx, name);
	return true;
}

static bool needed_version(void *ctx, const char *file, const char *version)
{
	struct version_list *l = ctx;
	if (!strcmp(file, l->file))
		version_seen(l, version);
	return true;
}

static void version_verdict(struct version_list *l, struct strbuf *fail)
{
	if (l->same && l->n == l->want->n)
		return;
	struct strbuf want = STRBUF_INIT;
	add_list(&want, l->want);
	char *got = shown(sb_str(&l->got), l->got.len);
	if (l->file)
		failf(fail, "versions: needed from %s [%s], expected [%s]", l->file,
		      l->n ? got : "none", sb_str(&want));
	else
		failf(fail, "versions: defined [%s], expected [%s]", l->n ? got : "none",
		      sb_str(&want));
	free(got);
	sb_free(&want);
}

static void check_versions(const struct elf_file *f, const struct elfx *x,
			   const struct findings *fs, struct strbuf *fail)
{
	(void)fs;
	if (x->has_defined) {
		struct version_list l = { NULL, STRBUF_INIT, 0, &x->defined, true };
		elf_each_verdef(f, defined_version, &l);
		version_verdict(&l, fail);
		sb_free(&l.got);
	}
	for (size_t i = 0; i < x->nneed; i++) {
		struct version_list l = { x->need[i].file, STRBUF_INIT, 0, &x->need[i].versions, true };
		elf_each_verneed(f, needed_version, &l);
		version_verdict(&l, fail);
		sb_free(&l.got);
	}
}

static void (*const checkers[])(const struct elf_file *, const struct elfx *,
				const struct findings *, struct strbuf *) = {
	[X_SEGMENT] = check_segment, [X_SECTION] = check_section, [X_DYNAMIC] = check_dynamic,
	[X_SYMBOL] = check_symbol, [X_RELOCS] = check_relocs, [X_NO_TEXTREL] = check_no_textrel,
	[X_COMMENT] = check_comment, [X_INTERP] = check_interp, [X_FINDING] = check_finding,
	[X_BYTES] = check_bytes, [X_HEADER] = check_header, [X_SEGMENT_ORDER] = check_segment_order,
	[X_PROPERTY] = check_property, [X_VERSIONS] = check_versions,
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
