/* A tree of Wild tests imported one test at a time: Wild's layout says
 * which files are tests (either of the two Wild has had), each is read,
 * its directives dispatched and its configs written as cases, and a test
 * that fails costs only its own cases. What was not translated is
 * tallied over the whole tree, for the summary that says how much of
 * Wild's suite the cases keep; each case's losses go to the details. */
#include "import/import.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/case.h"

static void test_free(struct wtest *t)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		free(t->files[i].name);
		free(t->files[i].text);
		sv_clear(&t->files[i].includes);
	}
	free(t->files);
	for (size_t i = 0; i < t->ncfgs; i++)
		imp_cfg_free(&t->cfgs[i]);
	free(t->cfgs);
	imp_cfg_free(&t->cur);
	sv_clear(&t->nested);
	free(t->stem);
	sb_free(&t->err);
}

static int import_test(struct importer *im, const char *rel)
{
	struct wtest t = { .im = im, .rel = rel, .stem = imp_stem_of(rel), .err = STRBUF_INIT };
	imp_cfg_init(&t.cur, "default");
	int rc = imp_embed(&t, rel);
	if (rc == 0)
		rc = scan_directives(&t, rel, imp_dispatch);
	if (rc == 0)
		rc = imp_write_cases(&t);
	if (rc < 0)
		fprintf(stderr, "%s (no case written for this test)\n", t.err.buf);
	test_free(&t);
	return rc;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A test directory's primary source, as Wild's identify_primary_source
 * picks it: the first of NAME.rs, .c, .cc, .s there. */
static char *primary_source(const char *root, const char *name)
{
	static const char *const exts[] = { "rs", "c", "cc", "s" };
	for (size_t i = 0; i < ARRAY_LEN(exts); i++) {
		char *rel = xasprintf("%s/%s.%s", name, name, exts[i]);
		char *path = path_join(root, rel);
		bool found = access(path, R_OK) == 0;
		free(path);
		if (found)
			return rel;
		free(rel);
	}
	return NULL;
}

/* Wild's layout since 0.9: each directory of root but common/ is a test;
 * one without a primary source is refused, as Wild's runner refuses it. */
static size_t find_elf_tests(struct importer *im, const char *root, struct strvec *tests)
{
	DIR *d = opendir(root);
	size_t found = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char *sub = path_join(root, e->d_name);
		if (e->d_name[0] != '.' && strcmp(e->d_name, "common") && is_dir(sub)) {
			char *rel = primary_source(root, e->d_name);
			if (rel)
				sv_push(tests, rel), found++;
			else
				fprintf(stderr, "%s: no %s.rs, .c, .cc or .s: Wild's runner refuses the "
					"directory (no case written for it)\n", sub, e->d_name), im->failed++;
			free(rel);
		}
		free(sub);
	}
	if (d)
		closedir(d);
	return found;
}

/* Wild 0.8's layout: the sources side by side, the tests those its
 * integration_test function lists in #[values(...)], in
 * ../integration_tests.rs, which also says how it reads ExpectError. */
static int find_listed_tests(struct importer *im, const char *runner, struct strvec *tests)
{
	char *text = NULL;
	size_t len;
	if (read_file(runner, &text, &len) < 0)
		return -1;
	/* Wild's runner learnt regexes for ExpectError with its ErrorMatcher. */
	im->literal_errors = !strstr(text, "struct ErrorMatcher");
	const char *fn = strstr(text, "fn integration_test(");
	const char *p = fn ? strstr(fn, "#[values(") : NULL;
	const char *end = p ? strstr(p, ")]") : NULL;
	while (p && (p = strchr(p, '"')) && p < end) {
		const char *q = strchr(p + 1, '"');
		char *name = xstrndup(p + 1, (size_t)(q - p - 1));
		sv_push(tests, name);
		free(name);
		p = q + 1;
	}
	free(text);
	return end ? 0 : -1;
}

int import_find_tests(struct importer *im, const char *dir, struct strvec *tests,
		      struct strbuf *err)
{
	char *elf = path_join(dir, "elf"), *parent = path_dir(dir);
	char *runner = path_join(parent, "integration_tests.rs");
	bool nested = is_dir(elf);
	int rc = 0;
	im->dir = xstrdup(nested ? elf : dir);
	if (!is_dir(dir)) {
		sb_addf(err, "%s is no directory", dir);
		rc = -1;
	} else if (nested) {
		im->layout = "Wild's elf/NAME/NAME.EXT";
		find_elf_tests(im, im->dir, tests);
	} else if (find_listed_tests(im, runner, tests) == 0) {
		im->layout = "Wild 0.8's sources, the tests ../integration_tests.rs lists";
	} else if (im->layout = "Wild's NAME/NAME.EXT", !find_elf_tests(im, dir, tests)) {
		sb_addf(err, "%s holds no Wild tests: neither elf/NAME/NAME.EXT (Wild's tests/sources "
			"since 0.9) nor NAME/NAME.EXT, and no %s lists its sources (Wild 0.8)", dir,
			runner);
		rc = -1;
	}
	free(runner);
	free(parent);
	free(elf);
	return rc;
}

void import_all(struct importer *im, struct strvec *tests)
{
	sv_sort(tests, 0);
	for (size_t i = 0; i < tests->n; i++) {
		const char *rel = tests->v[i];
		if (source_kind(rel) || imp_is_rust(rel)) {
			im->tests++;
			im->failed += import_test(im, rel) < 0;
		} else {
			fprintf(stderr, "%s/%s: not a C, C++, assembly or Rust source (no case written "
				"for it)\n", im->dir, rel);
			im->failed++;
		}
	}
}

static int cmp_tally(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	size_t nx = x->lost + x->weakened, ny = y->lost + y->weakened;
	return nx != ny ? (nx < ny) - (nx > ny) : strcmp(x->name, y->name);
}

int import_summary(struct importer *im)
{
	char *details = path_join(im->outdir, "import-wild.txt");
	int rc = write_file_atomic(details, im->details.buf ? im->details.buf : "",
				   im->details.len);
	if (rc < 0)
		fprintf(stderr, "linkmatrix import: cannot write %s: %s\n", details, strerror(errno));
	printf("linkmatrix import wild: %s (%s)\n", im->dir, im->layout);
	printf("  %-34s %5zu\n", "tests read", im->tests);
	printf("  %-34s %5zu\n", "tests failed, no case written", im->failed);
	printf("  %-34s %5zu, to %s\n", "cases written", im->cases, im->outdir);
	printf("    %-32s %5zu\n", "translated whole", im->whole);
	printf("    %-32s %5zu\n", "weakened: they run, check less", im->weakened);
	printf("    %-32s %5zu\n", "lost: written as SKIP", im->skipped);
	if (im->nlost) {
		qsort(im->lost, im->nlost, sizeof *im->lost, cmp_tally);
		printf("  %-34s %8s %5s\n", "not translated, by directive", "weakened", "lost");
	}
	for (size_t i = 0; i < im->nlost; i++)
		printf("    %-32s %8zu %5zu\n", im->lost[i].name, im->lost[i].weakened,
		       im->lost[i].lost);
	printf("  details: %s\n", details);
	free(details);
	return rc;
}

void import_free(struct importer *im)
{
	for (size_t i = 0; i < im->nlost; i++)
		free(im->lost[i].name);
	free(im->lost);
	sv_clear(&im->written);
	sb_free(&im->details);
	free(im->dir);
}
