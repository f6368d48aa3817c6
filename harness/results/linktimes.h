/* How fast each linker links: the table of link times a run's summary and
 * its page show (a row per linker: its tests that linked, their link
 * seconds in all and the median test's), and the slowest tests of
 * run --time-tests. Made from records, so a merged report has them too. */
#ifndef LM_LINKTIMES_H
#define LM_LINKTIMES_H

#include "results/report.h"

/* One linker's tests that linked: not skipped, not failed before their
 * first link. */
struct link_row {
	char *linker;
	size_t tests;
	size_t cached;               /* of them, with links restored from the cache */
	size_t cpu_known;            /* of them, whose CPU seconds are known; once
				      * finished, all of them or 0 */
	double wall, cpu;            /* seconds, in all (cpu: of cpu_known tests) */
	double median_wall, median_cpu;   /* a test's; median_cpu < 0: none known */
	double *walls, *cpus;        /* each test's, until link_times_finish */
	size_t cap;
};

struct link_times {
	struct link_row *rows;       /* by linker name once finished */
	size_t n;
};

/* A record's links, in the row of its linker (nothing for one that did
 * not link). */
void link_times_add(struct link_times *t, const struct record *rec);
/* Rows sorted by linker, medians made. */
void link_times_finish(struct link_times *t);
/* Every record of r, finished. */
void link_times_of(struct link_times *t, const struct report *r);
void link_times_free(struct link_times *t);

/* The median of v's n values (v sorted on the way); 0 for none. */
double median(double *v, size_t n);

/* The max slowest tests seen, slowest first (ties in the order seen). */
struct slow_test {
	char *id;
	double secs;                 /* the test's */
	double link;                 /* its links'; < 0: it linked nothing */
};
struct slowest {
	struct slow_test *v;
	size_t n, max;
	size_t seen;
};
void slowest_init(struct slowest *s, size_t max);
void slowest_add(struct slowest *s, const struct record *rec);
void slowest_free(struct slowest *s);

#endif
