#include "report/console.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int color_parse(const char *s, enum color *c)
{
	static const char *const names[] = { "auto", "always", "never" };
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(s, names[i])) {
			*c = (enum color)i;
			return 0;
		}
	return -1;
}

static bool color_on(enum color c, bool tty)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if (c != COLOR_AUTO)
		return c == COLOR_ALWAYS;
	return tty && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

void console_init(struct console *c, FILE *f, size_t total, bool quiet, enum color color)
{
	memset(c, 0, sizeof *c);
	c->f = f;
	c->tty = isatty(fileno(f));
	c->color = color_on(color, c->tty);
	c->quiet = quiet;
	c->total = total;
	c->start = now_seconds();
}

void console_clear(struct console *c)
{
	if (c->line_shown)
		fputs("\r\033[K", c->f);
	c->line_shown = false;
}

static void fmt_time(char *buf, size_t n, double s)
{
	unsigned long t = (unsigned long)(s + 0.5);
	snprintf(buf, n, "%lu:%02lu", t / 60, t % 60);
}

static void status_line(struct console *c)
{
	double el = now_seconds() - c->start;
	char e[32], eta[32] = "?";
	fmt_time(e, sizeof e, el);
	if (c->done)
		fmt_time(eta, sizeof eta, el / (double)c->done * (double)(c->total - c->done));
	fprintf(c->f, "\r\033[K[%zu/%zu] %zu failed, %s elapsed, ETA %s", c->done, c->total,
		c->bad, e, eta);
	c->line_shown = true;
}

/* Text on the one line of a result: a YAML block keeps its newlines (the
 * last one dropped), a file name can hold any byte. A newline is a space
 * and other control bytes are \xNN, so no name or message starts a line
 * that reads as another result. */
static void put_line(FILE *f, const char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n')
			fputc(' ', f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
}

/* SGR colours: red for what fails a run, green for a pass, yellow for
 * what neither passed nor failed. */
static const char *color_of(enum outcome o)
{
	return outcome_is_bad(o) ? "31" : o == OUT_PASS ? "32" : "33";
}

/* The outcome's word, padded to width. */
static void put_outcome(FILE *f, enum outcome o, bool color, int width)
{
	const char *name = outcome_name(o);
	if (color)
		fprintf(f, "\033[%sm%s\033[0m%*s", color_of(o), name, width - (int)strlen(name), "");
	else
		fprintf(f, "%-*s", width, name);
}

static void result_line(struct console *c, const struct test *t)
{
	const struct result *r = &t->res;
	char *id = xvisible(t->id, 4096);
	put_outcome(c->f, r->outcome, c->color, 7);
	fprintf(c->f, " %s", id);
	free(id);
	if (r->outcome == OUT_PASS) {
		fprintf(c->f, " (%.2f s)", r->secs);
		for (size_t i = 0; i < r->warnings.n; i++)
			fprintf(c->f, "\n    warning: %s", r->warnings.v[i]);
	} else if (r->outcome == OUT_XFAIL || r->outcome == OUT_XPASS) {
		fputs(" [known failure: ", c->f);
		put_line(c->f, r->xfail_reason);
		fputc(']', c->f);
	} else if (r->message) {
		fprintf(c->f, "%s%s%s: ", r->stage ? " [" : "", stage_name(r->stage),
			r->stage ? "]" : "");
		put_line(c->f, r->message);
	}
	fputc('\n', c->f);
	if (r->outcome == OUT_ERROR && r->detail)
		fputs(r->detail, c->f);
}

void console_result(struct console *c, const struct test *t)
{
	c->done++;
	bool bad = outcome_is_bad(t->res.outcome);
	c->bad += bad;
	if (c->tty) {
		console_clear(c);
		if (bad)
			result_line(c, t);
		status_line(c);
	} else if (bad || (!c->quiet && !t->absent)) {
		result_line(c, t);
	}
	fflush(c->f);
}

static bool same(const char *x, const char *y)
{
	return x == y || (x && y && !strcmp(x, y));
}

void absences_add(struct absences *a, const struct test *t)
{
	if (!t->absent || !t->u)
		return;
	struct absence k = { t->absent, t->u->t->name, NULL, t->u->t->why, 1 };
	if (t->absent == ABSENT_LINKER) {
		const struct linker_at *at = linker_for(t->l, t->u->t);
		/* A cross target's own binary is missing, not the linker. */
		k = (struct absence){ t->absent, t->l->name, at->owned ? at->t->name : NULL, at->why, 1 };
	}
	for (size_t i = 0; i < a->n; i++) {
		struct absence *o = &a->v[i];
		if (o->kind == k.kind && same(o->name, k.name) && same(o->target, k.target) &&
		    same(o->why, k.why)) {
			o->tests++;
			return;
		}
	}
	a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
	a->v[a->n++] = k;
}

void console_absences(FILE *f, const struct absences *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct absence *x = &a->v[i];
		fprintf(f, "linkmatrix: %s%s%s%s: %zu test%s skipped: %s", x->kind == ABSENT_TARGET
			? "target " : "", x->name, x->target ? " for target " : "",
			x->target ? x->target : "", x->tests, x->tests == 1 ? "" : "s",
			x->kind == ABSENT_TARGET ? "not usable: " : "");
		put_line(f, x->why ? x->why : "");
		fputc('\n', f);
	}
}

void console_causes(FILE *f, const struct causes *cs, size_t shown)
{
	if (!cs->n)
		return;
	fprintf(f, "linkmatrix: failed tests by cause (%zu test%s, %zu cause%s):\n", cs->tests,
		cs->tests == 1 ? "" : "s", cs->n, cs->n == 1 ? "" : "s");
	for (size_t i = 0; i < cs->n; i++) {
		const struct cause_group *g = &cs->v[i];
		fputs("  ", f);
		put_line(f, g->cause);
		fprintf(f, " (%zu):\n", g->ids.n);
		for (size_t k = 0; k < g->ids.n && k < shown; k++) {
			char *id = xvisible(g->ids.v[k], 4096);
			fprintf(f, "    %s\n", id);
			free(id);
		}
		if (g->ids.n > shown)
			fprintf(f, "    ... and %zu more\n", g->ids.n - shown);
	}
}

void absences_free(struct absences *a)
{
	free(a->v);
	*a = (struct absences){ 0 };
}

/* "?" where no test's CPU seconds are known (no wait4 where it ran). */
static void cpu_cell(char *buf, size_t n, double secs, const char *fmt)
{
	if (secs < 0)
		snprintf(buf, n, "?");
	else
		snprintf(buf, n, fmt, secs);
}

void console_link_times(FILE *f, const struct link_times *t)
{
	if (!t->n)
		return;
	char **names = xcalloc(t->n, sizeof *names);
	int w = (int)strlen("linker");
	for (size_t i = 0; i < t->n; i++) {
		names[i] = xvisible(t->rows[i].linker, 64);
		int len = (int)strlen(names[i]);
		w = len > w ? len : w;
	}
	fprintf(f, "linkmatrix: link seconds of the linker under test, per linker (cached: tests "
		"whose links came from the cache, with the times it kept from when they ran):\n");
	fprintf(f, "  %-*s %6s %6s %10s %10s %12s %12s\n", w, "linker", "tests", "cached", "wall",
		"CPU", "median wall", "median CPU");
	for (size_t i = 0; i < t->n; i++) {
		const struct link_row *r = &t->rows[i];
		char cpu[32], mcpu[32];
		cpu_cell(cpu, sizeof cpu, r->cpu_known ? r->cpu : -1, "%.2f");
		cpu_cell(mcpu, sizeof mcpu, r->median_cpu, "%.3f");
		fprintf(f, "  %-*s %6zu %6zu %10.2f %10s %12.3f %12s\n", w, names[i], r->tests, r->cached,
			r->wall, cpu, r->median_wall, mcpu);
		free(names[i]);
	}
	free(names);
}

void console_slowest(FILE *f, const struct slowest *s)
{
	fprintf(f, "linkmatrix: the %zu slowest tests of %zu (seconds of the test, of its links):\n",
		s->n, s->seen);
	for (size_t i = 0; i < s->n; i++) {
		char link[32] = "-";
		if (s->v[i].link >= 0)
			snprintf(link, sizeof link, "%.2f", s->v[i].link);
		char *id = xvisible(s->v[i].id, 4096);
		fprintf(f, "  %8.2f %8s  %s\n", s->v[i].secs, link, id);
		free(id);
	}
}
