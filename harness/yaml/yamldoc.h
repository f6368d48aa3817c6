/* yaml/: strict decoding of YAML files into C structs, and the errors
 * about input files with their file:line:column (diag.h). Every file a
 * user writes (cases, linkers.d, targets.d, known failures) is read here.
 * May use: util.
 *
 * YAML files decoded into C structs through tables of fields, strictly:
 * unknown keys, duplicate keys, wrong types and missing required keys are
 * errors with file:line:column. Strings point into the loaded document,
 * arrays live in the caller's arena; both live until ydoc_free. */
#ifndef LM_YAMLDOC_H
#define LM_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "util/arena.h"
#include "yaml/diag.h"

struct regex;

struct slist {
	const char **v;
	size_t n;
};

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	char *file;
	struct arena *arena;
	struct diags *diags;
	size_t nerrors;
	struct regex **regexes;   /* compiled while decoding; freed with the doc */
	size_t nregexes;
};

enum yf_type {
	YF_STR,      /* const char * */
	YF_STRLIST,  /* struct slist; a scalar is a list of one */
	YF_BOOL,     /* bool */
	YF_INT,      /* long */
	YF_NUM,      /* double */
	YF_SIZE,     /* unsigned long long: bytes, or a number with K, M or G (KiB...) */
	YF_REGEX,    /* struct regex * */
	YF_FN,       /* fn(y, value, obj) decodes it */
};

struct yfield {
	const char *key;
	enum yf_type type;
	size_t off;
	bool required;
	bool (*fn)(struct ydoc *y, yaml_node_t *value, void *obj);
};

#define YFIELD(T, key, type, member) { key, type, offsetof(T, member), false, NULL }
#define YFIELD_REQ(T, key, type, member) { key, type, offsetof(T, member), true, NULL }
#define YFIELD_FN(key, fn) { key, YF_FN, 0, false, fn }
#define YFIELD_FN_REQ(key, fn) { key, YF_FN, 0, true, fn }

/* 0 on success; -1 with a diagnostic when the file cannot be read or is
 * not well-formed YAML (or holds more than one document). */
int ydoc_load(struct ydoc *y, const char *file, struct arena *a, struct diags *d);
int ydoc_load_mem(struct ydoc *y, const char *file, const char *data, size_t len,
		  struct arena *a, struct diags *d);
/* Frees libyaml's tree once everything is decoded: y_str and y_strlist
 * copy into the arena, so what was decoded stays (a loaded case keeps
 * kilobytes, not the tree's tens). Regexes and the file name stay. */
void ydoc_drop_tree(struct ydoc *y);
void ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
yaml_node_t *ydoc_node(struct ydoc *y, int index);

/* An arena array for the items of list v, elements of `size` bytes; NULL
 * (and "WHAT must be a list" reported) when v is not a list. */
void *ydoc_list(struct ydoc *y, const yaml_node_t *v, size_t size, const char *what);
void yerr(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...) LM_PRINTF(3, 4);
int yline(const yaml_node_t *n);
int ycol(const yaml_node_t *n);

/* Where a node was written, kept for checks made after decoding. */
struct ypos {
	int line, col;
};
struct ypos ypos(const yaml_node_t *n);

/* Typed readers; each reports its own error, naming `what`. */
bool y_map(struct ydoc *y, yaml_node_t *n, const char *what);
bool y_str(struct ydoc *y, yaml_node_t *n, const char *what, const char **out);
bool y_strlist(struct ydoc *y, yaml_node_t *n, const char *what, struct slist *out);
bool y_long(struct ydoc *y, yaml_node_t *n, const char *what, long *out);
/* A finite number. */
bool y_num(struct ydoc *y, yaml_node_t *n, const char *what, double *out);
bool y_bool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out);
bool y_regex(struct ydoc *y, yaml_node_t *n, const char *what, struct regex **out);

/* Decodes the mapping n into obj through the field table. Returns false
 * when any error was reported (decoding goes on to report them all). */
bool y_fields(struct ydoc *y, yaml_node_t *n, const char *what,
	      const struct yfield *fields, size_t nfields, void *obj);

/* Iteration over a mapping's pairs. */
#define Y_FOREACH_PAIR(y, map, p) \
	for (yaml_node_pair_t *p = (map)->data.mapping.pairs.start; \
	     p < (map)->data.mapping.pairs.top; p++)
#define Y_FOREACH_ITEM(y, seq, it) \
	for (yaml_node_item_t *it = (seq)->data.sequence.items.start; \
	     it < (seq)->data.sequence.items.top; it++)

bool slist_has(const struct slist *l, const char *s);

#endif
