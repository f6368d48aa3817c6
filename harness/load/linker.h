/* linkers.d: how to find each linker, drive it through a compiler driver,
 * and prove that it made an output. */
#ifndef LM_LINKER_H
#define LM_LINKER_H

#include <stdbool.h>

#include "load/target.h"
#include "util/arena.h"
#include "yaml/diag.h"
#include "yaml/yamldoc.h"

struct linker_os {
	const char *os;
	struct slist ldflags;
};

/* A linker as found, for the host or for one target. A target of another
 * arch gets the linker's cross binary when its find list names one with
 * {triple} (GNU ld and gold are built per arch; lld and mold are not). */
struct linker_at {
	const struct target *t;   /* NULL: the host */
	bool found;
	char *path;        /* what was found */
	char *version;
	char *why;         /* when not found: why not */
	char *shimdir;     /* a directory whose `ld` runs this linker */
	bool owned;        /* the strings are this entry's, not the host's */
};

/* A linkers.d file describes a family; detection makes a linker of each
 * version of it installed (the first its find list names is the default,
 * named as the family, the others NAME@VERSION), and --linker NAME=PATH
 * adds one of the family its version banner names. */
struct linker {
	const char *name;
	const char *family;       /* the linkers.d name: lld for lld@16 */
	bool added;               /* by path (NAME=PATH), not found by its family */
	const char *description;
	const char *file;
	struct slist find;
	struct slist version_args;
	struct regex *version_re;
	struct slist drive_gcc, drive_clang;
	struct slist proof_flag;
	struct regex *proof_banner, *proof_comment;
	const char *proof_section;
	struct linker_os *os;
	size_t nos;

	struct linker_at host;
	struct linker_at *at;     /* one per target, after linkers_detect_targets */
	size_t nat;
};

struct linker_set {
	struct linker *v;
	size_t n;
	struct slist names;
	struct arena arena;
	struct ydoc *docs;
	size_t ndocs;
};

/* Loads every *.yaml of dir. Returns -1 with diagnostics on any error. */
int linkers_load(struct linker_set *ls, const char *dir, struct diags *d);
void linkers_free(struct linker_set *ls);

/* Looks for each linker (env override, then `find`), runs its version
 * command and checks the pattern. */
void linkers_detect(struct linker_set *ls);
/* After linkers_detect: every other version of a family its find list
 * finds (a glob names several), each a linker of its own, NAME@MAJOR (the
 * whole version when two share a major), after its default. */
void linkers_detect_versions(struct linker_set *ls);
/* Adds a linker from NAME=PATH, of the family whose version pattern its
 * version output matches. 0, or -1 with why in err. */
int linkers_add(struct linker_set *ls, const char *spec, struct strbuf *err);
/* The linkers for each target: the host's, or for a target of another
 * arch the {triple} entries of find expanded with its triple. */
void linkers_detect_targets(struct linker_set *ls, const struct target_set *ts);
/* The linker as target t has it (the host's when t has no entry). */
const struct linker_at *linker_for(const struct linker *l, const struct target *t);

/* Makes shimroot/NAME[@TARGET]/ld a symbolic link to each found linker. */
int linkers_make_shims(struct linker_set *ls, const char *shimroot);
/* Adds to a's shim directory an executable `name` that runs the linker
 * by the path it was found at, for scripts that call it by other names
 * (./mold, -fuse-ld=lld). A script, not a link: lld takes its flavour
 * from the name it runs as, and as `mold` it is no linker at all. 0, or
 * -1 with errno. */
int linker_shim_alias(const struct linker_at *a, const char *name);

struct linker *linker_by_name(struct linker_set *ls, const char *name);
/* The linker's name name is likely a typo of (did_you_mean), or NULL. */
const char *linker_near(const struct linker_set *ls, const char *name);
/* A selector (--linker, known-failures files, report names) names one
 * linker by its name (lld: the default lld), a version of a family
 * (lld@16: the lld whose version is 16 or 16.x, the default's included),
 * or every linker of a family (lld@*). */
bool linker_selects(const struct linker *l, const char *sel);
/* The first linker sel selects, or NULL. */
struct linker *linker_find(struct linker_set *ls, const char *sel);
/* A case names linkers as behaviours: a family is all of its versions
 * (requires: {linkers: [lld]} runs with lld@16 too), NAME@VERSION one. */
bool linker_is(const struct linker *l, const char *name);
/* Whether version is ver, or ver followed by a '.' part (14.0.6 is 14). */
bool version_is(const char *version, const char *ver);
const struct slist *linker_os_ldflags(const struct linker *l, const char *os);

/* The environment variable that overrides where a linker is. */
char *linker_env_name(const char *name);

#endif
