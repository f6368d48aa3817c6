#include "yaml/yamldoc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/match.h"

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

/* libyaml's reader names a bad byte by its offset only. */
static yaml_mark_t reader_mark(const yaml_parser_t *p)
{
	yaml_mark_t m = { 0, 0, 0 };
	const unsigned char *s = p->input.string.start;
	for (size_t i = 0; i < p->problem_offset && s + i < p->input.string.end; i++) {
		if (s[i] == '\n')
			m.line++, m.column = 0;
		else if ((s[i] & 0xc0) != 0x80)
			m.column++;
	}
	return m;
}

static int load_error(struct ydoc *y, yaml_parser_t *p)
{
	yaml_mark_t reader = reader_mark(p);
	const yaml_mark_t *m = p->context ? &p->context_mark : &p->problem_mark;
	if (p->error == YAML_READER_ERROR)
		m = &reader;
	else if (p->problem)
		m = &p->problem_mark;
	diag_add(y->diags, y->file, (int)m->line + 1, (int)m->column + 1,
		 "malformed YAML: %s%s%s", p->problem ? p->problem : "parse error",
		 p->context ? " " : "", p->context ? p->context : "");
	y->nerrors++;
	return -1;
}

/* Our own composer over libyaml's events, instead of yaml_parser_load:
 * it bounds nesting (libyaml's scanner is quadratic in flow nesting:
 * 20,000 '[' took 33 s) and what aliases expand to (20,000 aliases of a
 * 1 MB string were copied into 20 GB), and an alias may only name a
 * finished node, so the tree has no cycles. */
enum { MAX_DEPTH = 64 };

struct open_node {
	int node;
	int key;                  /* a mapping's key waiting for its value */
	size_t size;              /* expanded bytes so far */
	char *anchor;
};

struct composer {
	struct ydoc *y;
	size_t budget;            /* expanded bytes the tree may hold */
	size_t *size;             /* expanded bytes of each finished node */
	size_t nsize;
	struct open_node open[MAX_DEPTH];
	int depth;
	struct anchor { char *name; int node; } *anchors;
	size_t nanchors;
	int docs;
};

static int compose_error(struct composer *c, const yaml_mark_t *m, const char *fmt, ...)
	LM_PRINTF(3, 4);
static int compose_error(struct composer *c, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(c->y->diags, c->y->file, (int)m->line + 1, (int)m->column + 1, fmt, ap);
	va_end(ap);
	c->y->nerrors++;
	return -1;
}

static yaml_node_t *node_at(struct composer *c, int id, const yaml_mark_t *start)
{
	yaml_node_t *n = ydoc_node(c->y, id);
	n->start_mark = n->end_mark = *start;
	return n;
}

/* A finished node: its size, and its anchor, which aliases may name from
 * now on. */
static void finish(struct composer *c, int id, size_t size, const char *anchor)
{
	if ((size_t)id >= c->nsize) {
		c->nsize = 2 * (size_t)id + 16;
		c->size = xrealloc(c->size, c->nsize * sizeof *c->size);
	}
	c->size[id] = size;
	if (anchor) {
		c->anchors = xrealloc(c->anchors, (c->nanchors + 1) * sizeof *c->anchors);
		c->anchors[c->nanchors++] = (struct anchor){ xstrdup(anchor), id };
	}
}

/* Gives a node to the open collection (the root, node 1, has none). */
static int attach(struct composer *c, int id, size_t size, const yaml_mark_t *m)
{
	if (!c->depth)
		return 0;
	struct open_node *o = &c->open[c->depth - 1];
	yaml_document_t *d = &c->y->doc;
	int ok;
	if (ydoc_node(c->y, o->node)->type == YAML_SEQUENCE_NODE) {
		ok = yaml_document_append_sequence_item(d, o->node, id);
	} else if (!o->key) {
		o->key = id;
		ok = 1;
	} else {
		ok = yaml_document_append_mapping_pair(d, o->node, o->key, id);
		o->key = 0;
	}
	if (!ok)
		return compose_error(c, m, "out of memory");
	o->size += size;
	if (o->size > c->budget)
		return compose_error(c, m, "aliases make this file expand past %zu MiB (an alias bomb?)",
				     c->budget >> 20);
	return 0;
}

static int alias(struct composer *c, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	for (size_t i = c->nanchors; i-- > 0;)
		if (!strcmp(c->anchors[i].name, name))
			return attach(c, c->anchors[i].node, c->size[c->anchors[i].node],
				      &ev->start_mark);
	return compose_error(c, &ev->start_mark,
			     "alias *%s names no finished node before it", name);
}

static int open_node(struct composer *c, int id, const yaml_event_t *ev, yaml_char_t *anchor)
{
	if (!id)
		return compose_error(c, &ev->start_mark, "out of memory");
	if (c->depth == MAX_DEPTH)
		return compose_error(c, &ev->start_mark, "nested more than %d levels deep",
				     MAX_DEPTH);
	node_at(c, id, &ev->start_mark);
	c->open[c->depth++] = (struct open_node){ id, 0, 1, anchor ? xstrdup((char *)anchor) : NULL };
	return 0;
}

static int close_node(struct composer *c, const yaml_event_t *ev)
{
	struct open_node o = c->open[--c->depth];
	ydoc_node(c->y, o.node)->end_mark = ev->end_mark;
	finish(c, o.node, o.size, o.anchor);
	free(o.anchor);
	return attach(c, o.node, o.size, &ev->end_mark);
}

static int scalar(struct composer *c, const yaml_event_t *ev)
{
	yaml_document_t *d = &c->y->doc;
	int id = yaml_document_add_scalar(d, ev->data.scalar.tag, ev->data.scalar.value,
					  (int)ev->data.scalar.length, ev->data.scalar.style);
	if (!id)
		return compose_error(c, &ev->start_mark, "out of memory");
	node_at(c, id, &ev->start_mark)->end_mark = ev->end_mark;
	size_t size = ev->data.scalar.length + 1;
	finish(c, id, size, (const char *)ev->data.scalar.anchor);
	return attach(c, id, size, &ev->start_mark);
}

static int on_event(struct composer *c, const yaml_event_t *ev)
{
	yaml_document_t *d = &c->y->doc;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (c->docs++)
			return compose_error(c, &ev->start_mark,
					     "more than one YAML document in one file");
		if (!yaml_document_initialize(d, NULL, NULL, NULL, 1, 1))
			return compose_error(c, &ev->start_mark, "out of memory");
		c->y->loaded = true;
		return 0;
	case YAML_STREAM_END_EVENT:
		if (!c->docs) {
			diag_add(c->y->diags, c->y->file, 0, 0, "empty file");
			c->y->nerrors++;
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		return alias(c, ev);
	case YAML_SCALAR_EVENT:
		return scalar(c, ev);
	case YAML_SEQUENCE_START_EVENT:
		return open_node(c, yaml_document_add_sequence(d, ev->data.sequence_start.tag,
				 ev->data.sequence_start.style), ev, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return open_node(c, yaml_document_add_mapping(d, ev->data.mapping_start.tag,
				 ev->data.mapping_start.style), ev, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return close_node(c, ev);
	default:
		return 0;
	}
}

static int compose(struct ydoc *y, yaml_parser_t *p, size_t len)
{
	struct composer c = { .y = y, .budget = 2 * len + (1u << 20) };
	int rc = 0;
	for (bool end = false; !end && rc == 0;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			rc = load_error(y, p);
			break;
		}
		rc = on_event(&c, &ev);
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	while (c.depth)
		free(c.open[--c.depth].anchor);
	for (size_t i = 0; i < c.nanchors; i++)
		free(c.anchors[i].name);
	free(c.anchors);
	free(c.size);
	return rc;
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
	int rc = compose(y, &p, len);
	yaml_parser_delete(&p);
	if (rc < 0)
		ydoc_drop_tree(y);   /* half a tree is no tree */
	return rc;
}

/* Bigger than any case, linker or target file needs to be: sources that
 * big belong beside the case file (files: { path: ... }). */
enum { MAX_YAML_BYTES = 64 << 20 };

int ydoc_load(struct ydoc *y, const char *file, struct arena *a, struct diags *d)
{
	char *data = NULL, why[96] = "";
	size_t len = 0;
	if (read_file_max(file, MAX_YAML_BYTES, &data, &len, why, sizeof why) < 0) {
		memset(y, 0, sizeof *y);
		y->file = xstrdup(file);
		if (errno == EFBIG)
			diag_add(d, file, 0, 0, "%s, the limit of a YAML file", why);
		else
			diag_add(d, file, 0, 0, "cannot read: %s", *why ? why : strerror(errno));
		y->nerrors++;
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

bool y_num(struct ydoc *y, yaml_node_t *n, const char *what, double *out)
{
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v)) {
		yerr(y, n, "%s must be a number, not '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

static bool y_size(struct ydoc *y, yaml_node_t *n, const char *what, unsigned long long *out)
{
	const char *s;
	if (!y_str(y, n, what, &s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = !*end ? 0 : !strcmp(end, "K") ? 10 : !strcmp(end, "M") ? 20 :
		    !strcmp(end, "G") ? 30 : -1;
	if (errno || end == s || *s == '-' || shift < 0 || v > (~0ull >> shift)) {
		yerr(y, n, "%s must be a size (bytes, or a number with K, M or G), not '%s'",
		     what, s);
		return false;
	}
	*out = v << shift;
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
	case YF_SIZE: ok = y_size(y, v, name, dst); break;
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
