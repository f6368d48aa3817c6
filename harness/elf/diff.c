#include "elf/diff.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const struct diff_ignore defaults[] = {
	{ "comment", "each linker writes its own name into .comment" },
	{ "note.GNU.NT_GNU_GOLD_VERSION", "gold's mark" },
	{ "section..note.gnu.gold-version*", "gold's mark" },
	{ "dynamic.DT_RELASZ", "sizes follow the relocation counts, compared in reloc.*" },
	{ "dynamic.DT_RELSZ", "sizes follow the relocation counts, compared in reloc.*" },
	{ "dynamic.DT_RELRSZ", "sizes follow the relocation counts, compared in reloc.*" },
	{ "dynamic.DT_PLTRELSZ", "sizes follow the relocation counts, compared in reloc.*" },
	{ "dynamic.DT_RELACOUNT", "a count of reloc.*RELATIVE, compared there" },
	{ "dynamic.DT_RELCOUNT", "a count of reloc.*RELATIVE, compared there" },
	{ "dynamic.DT_STRSZ", "string table size follows string merging and order" },
	{ "segment.GNU_STACK.*.align", "meaningless: the segment maps nothing" },
	{ "symtab._edata*", "linker-defined boundary symbol; each linker defines its own set" },
	{ "symtab._end*", "linker-defined boundary symbol; each linker defines its own set" },
	{ "symtab._etext*", "linker-defined boundary symbol; each linker defines its own set" },
	{ "symtab.__bss_start*", "linker-defined boundary symbol; each linker defines its own set" },
	{ "symtab.__end__*", "linker-defined boundary symbol; each linker defines its own set" },
};

const struct diff_ignore *elf_diff_default_ignores(size_t *n)
{
	*n = ARRAY_LEN(defaults);
	return defaults;
}

static bool ignored(const char *key, const struct slist *ignore, bool no_defaults)
{
	for (size_t i = 0; !no_defaults && i < ARRAY_LEN(defaults); i++)
		if (!fnmatch(defaults[i].glob, key, 0))
			return true;
	for (size_t i = 0; ignore && i < ignore->n; i++)
		if (!fnmatch(ignore->v[i], key, 0))
			return true;
	return false;
}

/* The last k components of path, or all of it. */
static const char *suffix(const char *path, size_t k)
{
	const char *p = path + strlen(path);
	while (p > path) {
		if (p[-1] == '/' && !--k)
			return p;
		p--;
	}
	return path;
}

static void short_names(struct elf_diff *d, char *const *paths)
{
	for (size_t k = 1; k < 64; k++) {
		bool distinct = true;
		for (size_t i = 0; i < d->nfiles && distinct; i++)
			for (size_t j = 0; j < i && distinct; j++)
				distinct = strcmp(suffix(paths[i], k), suffix(paths[j], k)) != 0;
		if (distinct || k == 63) {
			for (size_t i = 0; i < d->nfiles; i++)
				d->names[i] = xstrdup(suffix(paths[i], k));
			return;
		}
	}
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A detail of something file 0 or every reference lacks is covered by
 * the presence row. */
static bool parent_missing(const struct elf_diff *d, const char *parent)
{
	if (!parent)
		return false;
	if (!facts_find(&d->facts[0], parent))
		return true;
	for (size_t i = 1; i < d->nfiles; i++)
		if (facts_find(&d->facts[i], parent))
			return false;
	return true;
}

/* A merge of the files' sorted facts: each key once, with each file's
 * value. */
static void compare(struct elf_diff *d, const struct slist *ignore, bool no_defaults)
{
	size_t total = 0;
	for (size_t i = 0; i < d->nfiles; i++)
		total += d->facts[i].n;
	d->rows = xcalloc(total ? total : 1, sizeof *d->rows);
	size_t *at = xcalloc(d->nfiles, sizeof *at);
	const char **vals = xcalloc(d->nfiles, sizeof *vals);
	for (;;) {
		const char *key = NULL;
		for (size_t i = 0; i < d->nfiles; i++)
			if (at[i] < d->facts[i].n && (!key || strcmp(d->facts[i].v[at[i]].key, key) < 0))
				key = d->facts[i].v[at[i]].key;
		if (!key)
			break;
		const char *parent = NULL;
		for (size_t i = 0; i < d->nfiles; i++) {
			const struct fact *f = at[i] < d->facts[i].n ? &d->facts[i].v[at[i]] : NULL;
			vals[i] = NULL;
			if (f && !strcmp(f->key, key)) {
				vals[i] = f->val;
				parent = f->parent ? f->parent : parent;
				at[i]++;
			}
		}
		bool matched = d->nfiles < 2;
		for (size_t i = 1; i < d->nfiles && !matched; i++)
			matched = same(vals[0], vals[i]);
		if (matched || ignored(key, ignore, no_defaults) || parent_missing(d, parent))
			continue;
		struct diff_row *r = &d->rows[d->nrows++];
		r->key = key;
		r->vals = xcalloc(d->nfiles, sizeof *r->vals);
		memcpy(r->vals, vals, d->nfiles * sizeof *vals);
	}
	free(vals);
	free(at);
}

int elf_diff_files(char *const *paths, size_t n, const struct slist *ignore, bool no_defaults,
		   struct elf_diff *d, struct strbuf *err)
{
	memset(d, 0, sizeof *d);
	d->facts = xcalloc(n ? n : 1, sizeof *d->facts);
	d->names = xcalloc(n ? n : 1, sizeof *d->names);
	d->nfiles = n;
	for (size_t i = 0; i < n; i++) {
		struct elf_file f;
		if (elf_open(&f, paths[i], err) < 0) {
			elf_diff_free(d);
			return -1;
		}
		facts_collect(&f, &d->facts[i]);
		elf_close(&f);
	}
	short_names(d, paths);
	compare(d, ignore, no_defaults);
	return 0;
}

/* "symtab" of "symtab.foo.binding". */
static size_t group_len(const char *key)
{
	return strcspn(key, ".");
}

void elf_diff_text(const struct elf_diff *d, size_t max_per_group, struct strbuf *sb)
{
	size_t w = 0;
	for (size_t i = 0; i < d->nrows; i++)
		if (strlen(d->rows[i].key) > w)
			w = strlen(d->rows[i].key);
	w = w > 48 ? 48 : w;
	sb_addf(sb, "%-*s  ", (int)w, "key");
	for (size_t i = 0; i < d->nfiles; i++)
		sb_addf(sb, "%s%s", i ? " | " : "", d->names[i]);
	sb_addc(sb, '\n');
	size_t in_group = 0;
	for (size_t r = 0; r < d->nrows; r++) {
		const char *key = d->rows[r].key;
		size_t g = group_len(key);
		bool same_group = r && group_len(d->rows[r - 1].key) == g &&
				  !strncmp(d->rows[r - 1].key, key, g);
		in_group = same_group ? in_group + 1 : 1;
		if (max_per_group && in_group > max_per_group) {
			size_t end = r;
			while (end < d->nrows && group_len(d->rows[end].key) == g &&
			       !strncmp(d->rows[end].key, key, g))
				end++;
			sb_addf(sb, "... and %zu more %.*s.* keys\n", end - r, (int)g, key);
			r = end - 1;
			continue;
		}
		sb_addf(sb, "%-*s  ", (int)w, key);
		for (size_t i = 0; i < d->nfiles; i++) {
			const char *v = d->rows[r].vals[i];
			sb_addf(sb, "%s%s", i ? " | " : "", v ? (*v ? v : "\"\"") : "-");
		}
		sb_addc(sb, '\n');
	}
}

void elf_diff_json(const struct elf_diff *d, struct json *j)
{
	json_obj(j);
	json_kint(j, "default-ignores", ELF_DIFF_IGNORES_VERSION);
	json_key(j, "files");
	json_arr(j);
	for (size_t i = 0; i < d->nfiles; i++)
		json_str(j, d->names[i]);
	json_arr_end(j);
	json_key(j, "differences");
	json_arr(j);
	for (size_t r = 0; r < d->nrows; r++) {
		json_obj(j);
		json_kstr(j, "key", d->rows[r].key);
		json_key(j, "values");
		json_arr(j);
		for (size_t i = 0; i < d->nfiles; i++)
			json_str(j, d->rows[r].vals[i]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void elf_diff_free(struct elf_diff *d)
{
	for (size_t r = 0; r < d->nrows; r++)
		free(d->rows[r].vals);
	free(d->rows);
	for (size_t i = 0; i < d->nfiles; i++) {
		facts_free(&d->facts[i]);
		free(d->names[i]);
	}
	free(d->facts);
	free(d->names);
	memset(d, 0, sizeof *d);
}
