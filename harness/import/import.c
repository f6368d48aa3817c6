/* A tree of Wild tests imported one test at a time: Wild's layout says
 * which files are tests, each is read, its directives dispatched and its
 * configs written as cases, and a test that fails costs only its own
 * cases. What was not translated is tallied over the whole tree, for the
 * summary that says how much of Wild's suite the cases keep. */
#include "import/import.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Wild's layout: DIR/NAME/NAME.EXT is a test; the other files are what
 * tests use. */
int import_find_tests(const char *dir, struct strvec *tests)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *sub = path_join(dir, e->d_name);
		struct strvec files = STRVEC_INIT;
		if (e->d_name[0] != '.' && list_files(sub, "", false, &files) == 0)
			for (size_t i = 0; i < files.n; i++) {
				char *stem = imp_stem_of(files.v[i]);
				if (!strcmp(stem, e->d_name))
					sv_pushf(tests, "%s/%s", e->d_name, path_base(files.v[i]));
				free(stem);
			}
		sv_clear(&files);
		free(sub);
	}
	closedir(d);
	return 0;
}

void import_all(struct importer *im, struct strvec *tests)
{
	sv_sort(tests, 0);
	for (size_t i = 0; i < tests->n; i++) {
		const char *rel = tests->v[i], *dot = strrchr(rel, '.');
		if (dot && !strcmp(dot, ".rs")) {
			fprintf(stderr, "%s/%s: skipped: a Rust test, which rustc builds and links\n",
				im->dir, rel);
			im->skipped++;
		} else if (source_kind(rel)) {
			im->tests++;
			im->failed += import_test(im, rel) < 0;
		}
	}
}

static int cmp_tally(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : strcmp(x->name, y->name);
}

void import_summary(struct importer *im)
{
	size_t lost = 0;
	for (size_t i = 0; i < im->nlost; i++)
		lost += im->lost[i].n;
	printf("linkmatrix import wild: %zu test files read, %zu cases written to %s, "
	       "%zu files skipped, %zu failed\n", im->tests, im->cases, im->outdir, im->skipped,
	       im->failed);
	printf("%zu directives: %zu translated, %zu not translated%s\n", im->directives,
	       im->directives - lost, lost, lost ? ":" : "");
	if (im->nlost)
		qsort(im->lost, im->nlost, sizeof *im->lost, cmp_tally);
	for (size_t i = 0; i < im->nlost; i++)
		printf("  %-26s %zu\n", im->lost[i].name, im->lost[i].n);
}
