/* The maths of the table of link times and of --time-tests: medians of
 * odd and even counts, a row per linker in name order with its tests,
 * cached ones and totals, tests that did not link or were skipped left
 * out, CPU seconds unknown kept out of the CPU columns; a link's unknown
 * CPU makes its test's unknown; the slowest tests kept in order, the first
 * seen first among equals, no more than asked for. */
#include <stdlib.h>

#include "results/linktimes.h"
#include "tap.h"

static struct record rec(const char *id, const char *linker, enum outcome o, double secs,
			 unsigned links, unsigned cached, double wall, double cpu)
{
	return (struct record){ .id = id, .linker = linker, .outcome = o, .secs = secs,
				.link = { links, cached, wall, cpu } };
}

static void medians(void)
{
	double none[1] = { 0 }, one[] = { 3 }, odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };
	ok(median(none, 0) == 0, "the median of nothing is 0");
	ok(median(one, 1) == 3, "of one value, that value");
	ok(median(odd, 3) == 3, "of an odd count, the middle one");
	ok(median(even, 4) == 2.5, "of an even count, the mean of the middle two");
}

static void table(void)
{
	struct link_times t = { 0 };
	const struct record v[] = {
		rec("a lld", "lld", OUT_PASS, 1, 2, 0, 0.5, 0.25),
		rec("a bfd", "bfd", OUT_FAIL, 1, 1, 0, 2, 1),
		rec("b bfd", "bfd", OUT_PASS, 1, 1, 1, 1, -1),
		rec("c bfd", "bfd", OUT_XFAIL, 1, 1, 0, 4, 3),
		rec("d bfd", "bfd", OUT_SKIP, 0, 0, 0, 0, 0),
		rec("e bfd", "bfd", OUT_FAIL, 1, 0, 0, 0, 0),   /* failed before it linked */
	};
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		link_times_add(&t, &v[i]);
	link_times_finish(&t);
	if (!ok(t.n == 2, "a row per linker that linked"))
		return;
	const struct link_row *b = &t.rows[0], *l = &t.rows[1];
	is_str(b->linker, "bfd", "rows in linker order");
	is_int(b->tests, 3, "bfd: the tests that linked, not skipped ones nor one that failed first");
	is_int(b->cached, 1, "bfd: one of them from the cache");
	ok(b->wall == 7 && b->median_wall == 2, "bfd: 7 s of wall in all, the median test's 2 s");
	ok(b->cpu_known == 0 && b->median_cpu < 0,
	   "bfd: CPU unknown for one test (a forked linker's), so for the row: "
	   "two tests' CPU would look fast beside another linker's of all");
	ok(l->tests == 1 && l->wall == 0.5 && l->median_cpu == 0.25, "lld: its one test");
	link_times_free(&t);

	struct link_time lt = { 0 };
	link_time_add(&lt, 1, 0.5, false);
	link_time_add(&lt, 2, -1, true);
	link_time_add(&lt, 1, 0.5, false);
	ok(lt.links == 3 && lt.cached == 1 && lt.wall == 4 && lt.cpu < 0,
	   "a test's links add up; one of unknown CPU makes its CPU unknown");
}

/* Versions as columns: lld@9 before lld@13, the default lld first. */
static void version_order(void)
{
	struct link_times t = { 0 };
	const struct record v[] = {
		rec("a lld@13", "lld@13", OUT_PASS, 1, 1, 0, 1, 1),
		rec("a lld@9", "lld@9", OUT_PASS, 1, 1, 0, 1, 1),
		rec("a lld", "lld", OUT_PASS, 1, 1, 0, 1, 1),
	};
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		link_times_add(&t, &v[i]);
	link_times_finish(&t);
	ok(t.n == 3 && !strcmp(t.rows[0].linker, "lld") && !strcmp(t.rows[1].linker, "lld@9") &&
	   !strcmp(t.rows[2].linker, "lld@13"), "rows of versions in version order");
	link_times_free(&t);
}

static void slowest(void)
{
	struct slowest s;
	slowest_init(&s, 3);
	const double secs[] = { 1, 5, 2, 5, 0.5, 3 };
	const char *const ids[] = { "one", "five", "two", "five again", "half", "three" };
	for (size_t i = 0; i < ARRAY_LEN(secs); i++) {
		struct record r = rec(ids[i], "bfd", OUT_PASS, secs[i], i % 3 != 0, 0, secs[i] / 2, 0);
		slowest_add(&s, &r);
	}
	is_int(s.seen, 6, "every test seen");
	ok(s.n == 3 && !strcmp(s.v[0].id, "five") && !strcmp(s.v[1].id, "five again") &&
	   !strcmp(s.v[2].id, "three"), "the three slowest, slowest first, the first seen first");
	ok(s.v[0].link == 2.5 && s.v[1].link < 0, "with their links' seconds, or none");
	slowest_free(&s);
}

int main(void)
{
	tap_start();
	medians();
	table();
	version_order();
	slowest();
	return tap_done();
}
