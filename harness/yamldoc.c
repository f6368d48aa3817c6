#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

int yline(const yaml_node_t *n) { return n ? (int)n->start_mark.line + 1 : 0; }
int ycol(const yaml_node_t *n) { return n ? (int)n->start_mark.column + 1 : 0; }
struct ypos ypos(const yaml_node_t *n) { return (struct ypos){ yline(n), ycol(n) }; }

void yerr(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(y->diags, y->file, yline(n), ycol(n), fmt, ap);
	va_end(ap);
	y->nerrors++;
}

static int load_error(struct ydoc *y, yaml_parser_t *p)
{
	const yaml_mark_t *m = p->context ? &p->context_mark : &p->problem_mark;
	if (p->problem)
		m = &p->problem_mark;
	diag_add(y->diags, y->file, (int)m->line + 1, (int)m->column + 1,
		 "malformed YAML: %s%s%s", p->problem ? p->problem : "parse error",
		 p->context ? " " : "", p->context ? p->context : "");
	y->nerrors++;
	return -1;
}

int ydoc_load_mem(struct ydoc *y, const char *file, const char *data, size_t len,
		  struct arena *a, struct diags *d)
{
	memset(y, 0, sizeof *y);
	y->file = xstrdup(file);
	y->arena = a;
	y->diags = d;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		diag_add(d, file, 0, 0, "cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	int rc = 0;
	if (!yaml_parser_load(&p, &y->doc)) {
		rc = load_error(y, &p);
	} else {
		y->loaded = true;
		if (!yaml_document_get_root_node(&y->doc)) {
			diag_add(d, file, 0, 0, "empty file");
			y->nerrors++;
			rc = -1;
		} else {
			yaml_document_t next;
			if (!yaml_parser_load(&p, &next)) {
				rc = load_error(y, &p);
			} else {
				if (yaml_document_get_root_node(&next)) {
					diag_add(d, file, (int)next.start_mark.line + 1,
						 (int)next.start_mark.column + 1,
						 "more than one YAML document in one file");
					y->nerrors++;
					rc = -1;
				}
				yaml_document_delete(&next);
			}
		}
	}
	yaml_parser_delete(&p);
	return rc;
}

int ydoc_load(struct ydoc *y, const char *file, struct arena *a, struct diags *d)
{
	char *data;
	size_t len;
	if (read_file(file, &data, &len) < 0) {
		memset(y, 0, sizeof *y);
		y->file = xstrdup(file);
		diag_add(d, file, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	int rc = ydoc_load_mem(y, file, data, len, a, d);
	free(data);
	return rc;
}

void ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	for (size_t i = 0; i < y->nregexes; i++)
		regex_free(y->regexes[i]);
	free(y->regexes);
	free(y->file);
	memset(y, 0, sizeof *y);
}

void ydoc_drop_tree(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ydoc_node(struct ydoc *y, int index)
{
	return yaml_document_get_node(&y->doc, index);
}

void *ydoc_list(struct ydoc *y, const yaml_node_t *v, size_t size, const char *what)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		yerr(y, v, "%s must be a list", what);
		return NULL;
	}
	size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	return arena_alloc(y->arena, (n ? n : 1) * size);
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

bool y_map(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n->type == YAML_MAPPING_NODE)
		return true;
	yerr(y, n, "%s must be a mapping, not %s", what, type_name(n));
	return false;
}

bool y_str(struct ydoc *y, yaml_node_t *n, const char *what, const char **out)
{
	if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		yerr(y, n, "%s must be a string, not %s", what,
		     is_null(n) ? "empty" : type_name(n));
		return false;
	}
	*out = arena_strdup(y->arena, (const char *)n->data.scalar.value);
	return true;
}

bool y_strlist(struct ydoc *y, yaml_node_t *n, const char *what, struct slist *out)
{
	if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
		out->v = arena_alloc(y->arena, sizeof *out->v);
		out->v[0] = arena_strdup(y->arena, (const char *)n->data.scalar.value);
		out->n = 1;
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		yerr(y, n, "%s must be a list of strings, not %s", what, type_name(n));
		return false;
	}
	size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	out->v = arena_alloc(y->arena, (cnt + 1) * sizeof *out->v);
	out->n = 0;
	bool ok = true;
	Y_FOREACH_ITEM(y, n, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		const char *s;
		if (y_str(y, e, what, &s))
			out->v[out->n++] = s;
		else
			ok = false;
	}
	return ok;
}

bool y_long(struct ydoc *y, yaml_node_t *n, const char *what, long *out)
{
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || end == s || *end) {
		yerr(y, n, "%s must be an integer, not '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

static bool y_num(struct ydoc *y, yaml_node_t *n, const char *what, double *out)
{
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v != v) {
		yerr(y, n, "%s must be a number, not '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

bool y_bool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off" };
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*out = !strcmp(s, yes[i]);
			return true;
		}
	}
	yerr(y, n, "%s must be true or false, not '%s'", what, s);
	return false;
}

bool y_regex(struct ydoc *y, yaml_node_t *n, const char *what, struct regex **out)
{
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	struct strbuf err = STRBUF_INIT;
	struct regex *re = regex_compile(s, &err);
	if (!re) {
		yerr(y, n, "%s: %s", what, sb_str(&err));
		sb_free(&err);
		return false;
	}
	y->regexes = xrealloc(y->regexes, (y->nregexes + 1) * sizeof *y->regexes);
	y->regexes[y->nregexes++] = re;
	*out = re;
	return true;
}

static bool decode_field(struct ydoc *y, yaml_node_t *v, const struct yfield *f,
			 const char *what, void *obj)
{
	char *name = xasprintf("%s: '%s'", what, f->key);
	void *dst = (char *)obj + f->off;
	bool ok = false;
	switch (f->type) {
	case YF_STR: ok = y_str(y, v, name, dst); break;
	case YF_STRLIST: ok = y_strlist(y, v, name, dst); break;
	case YF_BOOL: ok = y_bool(y, v, name, dst); break;
	case YF_INT: ok = y_long(y, v, name, dst); break;
	case YF_NUM: ok = y_num(y, v, name, dst); break;
	case YF_REGEX: ok = y_regex(y, v, name, dst); break;
	case YF_FN: ok = f->fn(y, v, obj); break;
	}
	free(name);
	return ok;
}

static void unknown_key(struct ydoc *y, yaml_node_t *k, const char *key, const char *what,
			const struct yfield *fields, size_t nfields)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < nfields; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", fields[i].key);
	yerr(y, k, "unknown key '%s' in %s (known: %s)", key, what, sb_str(&sb));
	sb_free(&sb);
}

bool y_fields(struct ydoc *y, yaml_node_t *n, const char *what,
	      const struct yfield *fields, size_t nfields, void *obj)
{
	yaml_node_t *where = n;
	if (is_null(n))
		n = NULL;   /* `key:` with nothing: an empty mapping */
	else if (!y_map(y, n, what))
		return false;
	size_t before = y->nerrors;
	const yaml_node_t **seen = xcalloc(nfields, sizeof *seen);
	if (n) {
		Y_FOREACH_PAIR(y, n, p) {
			yaml_node_t *k = ydoc_node(y, p->key), *v = ydoc_node(y, p->value);
			const char *key;
			if (!y_str(y, k, "a key", &key))
				continue;
			size_t i = 0;
			while (i < nfields && strcmp(fields[i].key, key))
				i++;
			if (i == nfields) {
				unknown_key(y, k, key, what, fields, nfields);
				continue;
			}
			if (seen[i]) {
				yerr(y, k, "duplicate key '%s' in %s (first at line %d)", key, what,
				     yline(seen[i]));
				continue;
			}
			seen[i] = k;
			decode_field(y, v, &fields[i], what, obj);
		}
	}
	for (size_t i = 0; i < nfields; i++)
		if (fields[i].required && !seen[i])
			yerr(y, where, "%s: missing required key '%s'", what, fields[i].key);
	free(seen);
	return y->nerrors == before;
}

bool slist_has(const struct slist *l, const char *s)
{
	return str_in(l->v, l->n, s);
}
