/* import/: other test suites' tests as linkmatrix case files, for
 * `linkmatrix import`; Wild's (the //#Directive:args lines of its test
 * sources) are those it reads. It writes case files and reads them back
 * with the case loader; it runs nothing.
 * May use: util, yaml, os, elf, load.
 *
 * What the import files share: a Wild test as it is read (its files, its
 * configs as Wild keeps them, its first error), the build a config
 * becomes, and the functions that cross files. The directives are read as
 * Wild's test runner (wild/tests/integration_tests.rs) reads them, with
 * the same defaults, inheritance and parse errors; the translation table
 * is docs/import-wild.md. */
#ifndef LM_IMPORT_H
#define LM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct slist;   /* yaml/yamldoc.h */

/* ---- a test's configs, as Wild keeps them -------------------------------- */

enum list {
	L_LINK, L_LINK_SO, L_COMP, L_COMP_SO,  /* Wild's argument sets: each directive replaces one */
	L_SKIP,                                /* SkipLinker, EnableLinker: by linkers.d names */
	L_ENABLE,
	L_ARCH,
	L_REQ_FLAGS,                           /* RequiresCompilerFlags */
	L_ERRORS,                              /* ExpectError, ExpectWarning: stderr regexes */
	L_MESSAGES,                            /* ExpectMessage: stdout regexes */
	L_ELF,                                 /* elf expectations, as YAML flow items */
	L_FILES,                               /* the files LinkArgs names as ./FILE */
	L_LOST,                                /* "FILE:LINE: Directive: lost|weakened: why" */
	NLISTS
};

enum dep_kind { DEP_OBJECT, DEP_RELOCATABLE, DEP_ARCHIVE, DEP_THIN, DEP_BSD, DEP_SHARED,
		DEP_SCRIPT };

struct dep {
	enum dep_kind kind;
	struct strvec files;       /* relative to DIR */
	struct strvec flags;       /* each file's own compile flags, "" for none */
	struct strvec nested;      /* a shared object's: the shared objects its source's
				    * Shared: directives name, linked into it */
	struct strvec templ;       /* a shared object's template(ARGS $O ARGS), split */
};

enum wmode { WM_STATIC, WM_DYNAMIC, WM_UNSPECIFIED };

struct wcfg {
	char *name;
	bool abstract;
	bool touched;              /* Wild keeps a config only when it differs from the default */
	bool run, glibc;
	bool link_error;           /* ExpectError: the link must fail */
	bool dynsym;               /* Mode:dynamic: Wild checks that there is a .dynsym */
	bool lost;                 /* what the case would check is not Wild's: it is written as SKIP */
	bool so_reference;         /* SoSingleLinker:ld: shared objects linked by the reference linker */
	bool musl;                 /* RequiresRustMusl, or CompArgs' --target for musl */
	char *run_dyn_sym;         /* RunDynSym: the function to call in the loaded output */
	long variant, load_align;  /* -1: none */
	const char *driver;        /* LinkerDriver: none, gcc, g++, clang or clang++ */
	bool clang;                /* Compiler:clang or clang++ */
	enum wmode mode;
	struct strvec l[NLISTS];
	struct dep *deps;
	size_t ndeps;
};

struct wfile {
	char *name;                /* relative to DIR */
	char *text;
	struct strvec includes;    /* the local headers it includes, relative to DIR */
};

/* Of one directive, over the whole tree: how often it was translated with
 * something less checked, and how often its case was lost to it. */
struct tally {
	char *name;
	size_t weakened, lost;
};

struct importer {
	char *dir;                 /* where the tests are, found by import_find_tests */
	const char *outdir;
	const char *layout;        /* how they were found there, for the summary */
	const struct slist *linkers;
	bool all_linkers;          /* every linker of linkers.d, not Wild's set */
	bool literal_errors;       /* ExpectError is a string, not a regex (Wild before 2026-02) */
	struct strvec written;     /* case file names, so no test overwrites another's */
	struct strbuf details;     /* what each test lost, for OUTDIR/import-wild.txt */
	struct tally *lost;
	size_t nlost;
	size_t directives, tests, failed;
	size_t cases, whole, weakened, skipped;  /* cases written, and how */
};

struct wtest {
	struct importer *im;
	const char *rel;           /* the test's source, relative to DIR */
	char *stem;
	int line;                  /* of the directive being read; 0 after */
	struct wfile *files;
	size_t nfiles;
	struct wcfg *cfgs;         /* the configs before cur, abstract ones too */
	size_t ncfgs;
	struct wcfg cur;
	struct strvec nested;      /* Shared: of the shared object source being read */
	struct strbuf err;         /* the first error: no case is written for the test */
};

/* ---- a config as linkmatrix builds it ------------------------------------ */

struct step {
	char *output;
	const char *mode;
	struct strvec inputs, cflags, ldflags, libs;
	const char *driver;        /* the step's driver: key when it is not the case's C driver */
	bool reference;            /* linked by the target's reference linker */
	bool thin;                 /* ThinArchive */
	char *expect;              /* a YAML flow mapping, or NULL */
};

struct recipe {
	struct strvec files;       /* the files the case holds */
	struct step *steps;        /* the main one last, or before the RunDynSym loader */
	size_t nsteps;
	size_t main;               /* the test's program or shared object, of steps */
	bool loader;               /* the last step is RunDynSym's loader */
	bool cxx;                  /* a source is C++ */
};

/* RunDynSym's program: loads a shared object and exits with what the
 * function named returns, as Wild's runner calls it in its own process.
 * A file of every case that needs it, linked by the reference linker. */
#define IMP_LOADER_SOURCE "linkmatrix/run-dyn-sym.c"
extern const char imp_loader_text[];

/* ---- import.c: what `linkmatrix import wild` calls ----------------------- */

/* The command fills outdir, linkers and all_linkers of a zeroed importer,
 * and frees it with import_free. import_find_tests finds the tests under
 * DIR as Wild's runner does (DIR/elf/NAME/NAME.EXT, or the flat
 * directory of Wild 0.8, whose tests its integration_tests.rs lists),
 * and sets dir and layout; -1 with why in err. */
int import_find_tests(struct importer *im, const char *dir, struct strvec *tests,
		      struct strbuf *err);
void import_all(struct importer *im, struct strvec *tests);
/* The summary on stdout, the details in OUTDIR/import-wild.txt; -1 when
 * that file cannot be written (said on stderr). */
int import_summary(struct importer *im);
void import_free(struct importer *im);

/* ---- scan.c: a test's files and directive lines -------------------------- */

void imp_split(struct strvec *v, const char *s, char sep);
char *imp_stem_of(const char *path);
/* Whether a file is Rust, which rustc builds (and links) as a crate. */
bool imp_is_rust(const char *path);
bool imp_next_line(const char **p, const char **line, size_t *n);
char *imp_find_dep(const struct wtest *t, const char *name);
const struct wfile *imp_find_file(const struct wtest *t, const char *name);
int imp_embed(struct wtest *t, const char *rel);
/* Whether a file under DIR is text a case can hold (an empty archive is). */
bool imp_is_text_file(const struct wtest *t, const char *rel);

typedef int (*directive_fn)(struct wtest *t, const char *file, int line, const char *name,
			    const char *arg);
int scan_directives(struct wtest *t, const char *file, directive_fn fn);

/* ---- test.c: the configs, the first error, what is not translated -------- */

void imp_set_args(struct strvec *v, const char *s);
/* Which of flags arg is, or its -Wl, list starts with; NULL for none. */
const char *imp_flag_of(const char *arg, const char *const *flags, size_t n);
void imp_cfg_init(struct wcfg *c, const char *name);
struct dep *imp_add_dep(struct wcfg *c, enum dep_kind kind);
void imp_cfg_copy(struct wcfg *dst, const struct wcfg *src, const char *name);
void imp_cfg_free(struct wcfg *c);
bool imp_direct(const struct wcfg *c);
void imp_push_cfg(struct wtest *t);
const struct wcfg *imp_find_cfg(const struct wtest *t, const char *name);
int imp_fail(struct wtest *t, const char *fmt, ...) LM_PRINTF(2, 3);
/* What a directive's translation leaves out. Lost: the case would check
 * something other than Wild does, so it is written as SKIP with why.
 * Weakened: every check the case makes is Wild's, but one of Wild's, or
 * a way Wild builds, is not made; the case runs. */
void imp_report(struct wtest *t, const char *file, int line, const char *directive, bool lost,
		const char *why);
void imp_lose(struct wtest *t, const char *directive, const char *fmt, ...) LM_PRINTF(3, 4);
void imp_weaken(struct wtest *t, const char *directive, const char *fmt, ...) LM_PRINTF(3, 4);
void imp_note(struct strbuf *why, const char *fmt, ...) LM_PRINTF(2, 3);

/* ---- directives.c: each directive's handler ------------------------------ */

int imp_dispatch(struct wtest *t, const char *file, int line, const char *name,
		 const char *arg);

/* ---- recipe.c, emit.c: a config as a case file --------------------------- */

void recipe_make(const struct wtest *t, const struct wcfg *c, struct recipe *p);
void recipe_free(struct recipe *p);
void imp_y_scalar(struct strbuf *y, const char *s);
int imp_write_cases(struct wtest *t);

#endif
