#include "report/console.h"

#include <ctype.h>
#include <string.h>
#include <unistd.h>

void console_init(struct console *c, FILE *f, size_t total, bool quiet)
{
	memset(c, 0, sizeof *c);
	c->f = f;
	c->tty = isatty(fileno(f));
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

static void result_line(struct console *c, const struct test *t)
{
	const struct result *r = &t->res;
	char *id = xvisible(t->id, 4096);
	fprintf(c->f, "%-7s %s", outcome_name(r->outcome), id);
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
	} else if (bad || !c->quiet) {
		result_line(c, t);
	}
	fflush(c->f);
}
