#include "load/known.h"

#include <fnmatch.h>
#include <string.h>

static const struct yfield fields[] = {
	YFIELD_REQ(struct known_failure, "case", YF_STR, case_glob),
	YFIELD_REQ(struct known_failure, "linkers", YF_STRLIST, x.linkers),
	YFIELD(struct known_failure, "targets", YF_STRLIST, x.targets),
	YFIELD(struct known_failure, "variants", YF_STRLIST, x.variants),
	YFIELD_REQ(struct known_failure, "reason", YF_STR, x.reason),
};

int known_load(struct known_set *k, const char *path, struct diags *d)
{
	memset(k, 0, sizeof *k);
	if (ydoc_load(&k->doc, path, &k->arena, d) < 0)
		return -1;
	yaml_node_t *root = ydoc_root(&k->doc);
	if (!root || root->type != YAML_SEQUENCE_NODE) {
		yerr(&k->doc, root, "a known-failures file is a list of { case, linkers, reason } "
		     "entries");
		return -1;
	}
	size_t n = (size_t)(root->data.sequence.items.top - root->data.sequence.items.start);
	k->v = arena_alloc(&k->arena, (n + 1) * sizeof *k->v);
	bool ok = true;
	Y_FOREACH_ITEM(&k->doc, root, it) {
		yaml_node_t *e = ydoc_node(&k->doc, *it);
		struct known_failure *f = &k->v[k->n];
		f->x.at = ypos(e);
		if (y_fields(&k->doc, e, "a known failure", fields, ARRAY_LEN(fields), f))
			k->n++;
		else
			ok = false;
	}
	return ok ? 0 : -1;
}

int known_load_err(struct known_set *k, const char *path, struct strbuf *err)
{
	struct diags d = { 0 };
	int rc = known_load(k, path, &d);
	if (rc < 0) {
		diag_format(&d, err);
		while (err->len && err->buf[err->len - 1] == '\n')
			err->buf[--err->len] = 0;
	}
	diag_free(&d);
	return rc;
}

void known_free(struct known_set *k)
{
	ydoc_free(&k->doc);
	arena_free(&k->arena);
	memset(k, 0, sizeof *k);
}

static bool covers(const struct slist *l, const char *name)
{
	return !l->n || slist_has(l, name);
}

static bool selected(const struct slist *sels, const struct linker *l)
{
	for (size_t i = 0; i < sels->n; i++)
		if (linker_selects(l, sels->v[i]))
			return true;
	return false;
}

const struct xfail *known_match(struct known_set *k, const char *case_name, const char *variant,
				const char *target, const struct linker *linker)
{
	for (size_t i = 0; k && i < k->n; i++) {
		struct known_failure *f = &k->v[i];
		if (!fnmatch(f->case_glob, case_name, 0) && selected(&f->x.linkers, linker) &&
		    covers(&f->x.targets, target) && covers(&f->x.variants, variant)) {
			atomic_fetch_add(&f->matched, 1);
			return &f->x;
		}
	}
	return NULL;
}
