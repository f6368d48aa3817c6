/* The case model (docs/case-format.md) and its strict loader. */
#ifndef LM_CASE_H
#define LM_CASE_H

#include <stdbool.h>

#include "elf/expect.h"
#include "util/arena.h"
#include "yaml/yamldoc.h"

enum mode {
	MODE_EXE,
	MODE_PIE,
	MODE_STATIC,
	MODE_STATIC_PIE,
	MODE_SHARED,
	MODE_RELOCATABLE,
	MODE_ARCHIVE,
	MODE_OBJECT,              /* one source compiled, with the step's own flags */
	MODE_COUNT,
};

const char *mode_name(enum mode m);
bool mode_is_executable(enum mode m);
/* Whether a step of the mode is made by the target's ar or compiler, not
 * linked: archive, object. Made once for every linker. */
bool mode_by_tool(enum mode m);
/* The compiler driver's flag that asks for the mode ("-static-pie"), or
 * NULL (an archive is not linked). */
const char *mode_ldflag(enum mode m);
struct elf_file;
/* Whether f is what mode m asks for: static, no PT_INTERP and no
 * DT_NEEDED (ET_EXEC or ET_DYN); static-pie, ET_DYN with PT_DYNAMIC, no PT_INTERP and no
 * DT_NEEDED; pie, ET_DYN with PT_INTERP; exe, ET_EXEC; shared, ET_DYN with
 * PT_DYNAMIC; relocatable, ET_REL. If not, appends what was made instead
 * (elf_describe). A driver that drops a flag (Debian's musl-gcc and
 * -static-pie) makes another kind of file, which links and may even run. */
bool mode_made(const struct elf_file *f, enum mode m, struct strbuf *made);

enum driver { DRIVER_AUTO, DRIVER_C, DRIVER_CXX };
/* Which compilers build: the target's cc and cxx (GCC on the bundled
 * targets) or its clang and clang++; a step's TC_CASE is its case's. */
enum toolchain { TC_CASE, TC_GCC, TC_CLANG };

struct requires {
	struct slist arch, os, libc, linkers;
	struct slist cflags;      /* flags the compiler must accept */
	bool cxx;
	struct ypos at;
};

struct case_file {
	const char *name;
	const char *text;     /* inline contents, or NULL */
	const char *path;     /* else the file to copy, resolved against the case's directory */
	struct ypos at;
};

struct variant {
	const char *name;
	const char *description;
	bool has_mode;
	enum mode mode;
	struct slist cflags, ldflags;
	struct requires req;
	struct ypos at;
};

struct build_step {
	const char *output;
	enum mode mode;
	struct slist inputs, cflags, ldflags, libs;
	enum driver driver;
	enum toolchain tc;        /* driver: gcc, g++ (TC_GCC), clang, clang++ (TC_CLANG) */
	bool reference;           /* linked by the target's default linker */
	bool thin;                /* an archive that names its members, not holds them */
	bool expect_error;        /* the link must fail */
	bool no_warnings;         /* expect: { warnings: none }: it prints no line saying "warning" */
	struct regex *expect_stdout, *expect_stderr;
	struct ypos at;           /* where it was written */
};

/* A run step's `limits:`; 0 keeps jobs/runner.h's default. */
struct run_limits {
	unsigned long long memory;     /* address space */
	unsigned long long file_size;  /* each file written */
	unsigned long long output;     /* stdout and stderr together */
	long processes;                /* of the user */
};

struct run_step {
	struct slist args;
	const char *stdin_text;
	struct slist env;         /* NAME=value */
	double timeout;           /* 0: the run's */
	struct run_limits limits;
	bool has_expect;
	long exit_status;
	int signal;               /* 0: none expected */
	struct regex *expect_stdout, *expect_stderr;
	struct ypos at;
};

struct xfail {
	struct slist linkers, targets, variants;
	const char *reason;
	struct ypos at;
};

/* `diff:` of a case: how its outputs are compared with another linker's. */
struct case_diff {
	const char *reference;    /* a linker; default the target's reference linker */
	struct slist ignore;      /* key globs on top of the default ignores */
	bool require_empty;       /* any difference fails the test (stage diff) */
	struct ypos at;
};

struct lcase {
	const char *name;
	const char *description;
	const char *skip;         /* why no test of the case runs (an importer's "meaning lost"), or NULL */
	bool clang;               /* compiler: clang, which builds its compiles and links */
	const char *path;         /* the case file */
	size_t root_len;          /* path's bytes naming its case root (setup.h), or 0 */
	struct slist tags;
	struct requires req;
	struct case_file *files;
	size_t nfiles;
	struct variant *variants;
	size_t nvariants;
	struct build_step *steps;
	size_t nsteps;
	struct run_step *runs;
	size_t nruns;
	struct xfail *xfails;
	size_t nxfails;
	struct elf_check *elf;
	size_t nelf;
	struct case_diff diff;

	struct arena arena;
	struct ydoc doc;
};

/* Loads and checks one case file. known_linkers, when not NULL, is the
 * list of linker names an expect-failure or requires entry may name.
 * Returns NULL with diagnostics in d when the file is broken. */
struct lcase *case_load(const char *path, const struct slist *known_linkers, struct diags *d);
void case_free(struct lcase *c);

/* The variant's mode for a step, and whether the step is built by the
 * linker under test. */
enum mode step_mode(const struct build_step *s, const struct variant *v);

/* The one grammar of the names a case gives (docs/case-format.md,
 * "Names"). A word (a case, variant or tag name): letters, digits and
 * ._+-, a letter, digit, '_' or '+' first, at most NAME_MAX_WORD bytes. A
 * file name: words ('.' first allowed, but not "." or "..") joined by '/',
 * at most NAME_MAX_PATH bytes; a plain one has no '/'. Names become
 * directories, file names, arguments of the tools and report text: what
 * the grammar keeps out ('/', "..", spaces, quotes, '$', '#', '&', control
 * characters, a leading '-') cannot leave the run's directory, run a
 * command, be read as an option or change what a report says. */
#define NAME_MAX_WORD 100
#define NAME_MAX_PATH 255

/* Every timeout, a run step's, the run's, its builds' or one read back
 * from results.json: above 0, at most a week (0 would mean none at all,
 * and inf never ends). */
#define TIMEOUT_MAX 604800
static inline bool timeout_ok(double seconds)
{
	return seconds > 0 && seconds <= TIMEOUT_MAX;
}
#define NAME_WORD_RULE "letters, digits and ._+-, not '.' or '-' first, at most 100 bytes"
#define NAME_FILE_RULE "letters, digits and ._+- (not '-' first), parts joined by '/', " \
		       "no '.' or '..' part, at most 255 bytes"
bool name_is_word(const char *s);
bool name_is_file(const char *s, bool plain);

/* The source language of a file name: 'c', 'x' (C++), 's' (assembly), or 0. */
char source_kind(const char *name);
/* Whether a step is built by rustc: its first input, the crate's root, is
 * Rust (.rs); rustc compiles it and drives the link. */
bool step_is_rust(const struct build_step *s);

/* A case file as a run holds it: loaded, or not and why. */
struct loaded_case {
	char *path;
	/* The bytes of path that name its case root, '/' and all: the
	 * directory run was given (or the bundled cases/) that it was found
	 * in; 0 for a file named itself. */
	size_t root_len;
	struct lcase *c;          /* NULL when it could not be loaded (or is released) */
	char *errors;             /* its diagnostics then */
	char *name;               /* its case name, kept while it is released */
};

/* Whether name could name a linker of the families (the linkers.d
 * names), installed or not: a family, FAMILY@VERSION or FAMILY@*. */
bool linker_name_known(const struct slist *families, const char *name);

#endif
