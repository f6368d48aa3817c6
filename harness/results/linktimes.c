#include "results/linktimes.h"

#include <stdlib.h>
#include <string.h>

static struct link_row *row_of(struct link_times *t, const char *linker)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].linker, linker))
			return &t->rows[i];
	t->rows = xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
	struct link_row *r = &t->rows[t->n++];
	*r = (struct link_row){ .linker = xstrdup(linker), .median_cpu = -1 };
	return r;
}

void link_times_add(struct link_times *t, const struct record *rec)
{
	const struct link_time *lt = &rec->link;
	if (!lt->links || rec->outcome == OUT_SKIP)
		return;
	struct link_row *r = row_of(t, rec->linker);
	if (r->tests == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->walls = xrealloc(r->walls, r->cap * sizeof *r->walls);
		r->cpus = xrealloc(r->cpus, r->cap * sizeof *r->cpus);
	}
	r->walls[r->tests++] = lt->wall;
	r->wall += lt->wall;
	r->cached += lt->cached > 0;
	if (lt->cpu >= 0) {
		r->cpus[r->cpu_known++] = lt->cpu;
		r->cpu += lt->cpu;
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* lld@9 before lld@13, as the versions came out. */
static int by_linker(const void *a, const void *b)
{
	return version_cmp(((const struct link_row *)a)->linker,
			   ((const struct link_row *)b)->linker);
}

void link_times_finish(struct link_times *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct link_row *r = &t->rows[i];
		r->median_wall = median(r->walls, r->tests);
		/* All or none: the CPU of some tests would look fast beside
		 * another linker's of all. */
		if (r->cpu_known < r->tests)
			r->cpu_known = 0;
		r->median_cpu = r->cpu_known ? median(r->cpus, r->cpu_known) : -1;
		free(r->walls);
		free(r->cpus);
		r->walls = r->cpus = NULL;
		r->cap = 0;
	}
	if (t->n)
		qsort(t->rows, t->n, sizeof *t->rows, by_linker);
}

void link_times_of(struct link_times *t, const struct report *r)
{
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it))
		link_times_add(t, rec);
	report_iter_end(&it);
	link_times_finish(t);
}

void link_times_free(struct link_times *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].linker);
		free(t->rows[i].walls);
		free(t->rows[i].cpus);
	}
	free(t->rows);
	*t = (struct link_times){ 0 };
}

void slowest_init(struct slowest *s, size_t max)
{
	*s = (struct slowest){ .v = xcalloc(max ? max : 1, sizeof *s->v), .max = max };
}

/* After every test at least as slow: the list stays in order, and of two
 * as slow the first seen stays first. */
void slowest_add(struct slowest *s, const struct record *rec)
{
	s->seen++;
	size_t at = s->n;
	while (at > 0 && s->v[at - 1].secs < rec->secs)
		at--;
	if (at >= s->max)
		return;
	if (s->n == s->max)
		free(s->v[--s->n].id);
	memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof *s->v);
	s->v[at] = (struct slow_test){ xstrdup(rec->id), rec->secs,
				       rec->link.links ? rec->link.wall : -1 };
	s->n++;
}

void slowest_free(struct slowest *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].id);
	free(s->v);
	*s = (struct slowest){ 0 };
}
