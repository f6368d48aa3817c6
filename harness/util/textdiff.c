#include "util/textdiff.h"

#include <stdlib.h>
#include <string.h>

struct lines {
	const char **p;
	size_t *len, n;
};

static void split(const char *s, size_t n, struct lines *l)
{
	size_t cap = 1;
	for (size_t i = 0; i < n; i++)
		cap += s[i] == '\n';
	l->p = xcalloc(cap, sizeof *l->p);
	l->len = xcalloc(cap, sizeof *l->len);
	l->n = 0;
	for (const char *q = s; q < s + n;) {
		const char *nl = memchr(q, '\n', (size_t)(s + n - q));
		size_t len = nl ? (size_t)(nl - q) : (size_t)(s + n - q);
		l->p[l->n] = q, l->len[l->n++] = len;
		q += len + 1;
	}
}

static bool eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->p[i], b->p[j], a->len[i]);
}

static void line(struct strbuf *out, char tag, const struct lines *l, size_t i)
{
	sb_addc(out, tag);
	sb_add(out, l->p[i], l->len[i]);
	sb_addc(out, '\n');
}

/* Edit script by longest common subsequence; ops[k] is ' ', '-' or '+'
 * with the line index it shows. */
struct op {
	char tag;
	size_t i;
};

static size_t script(const struct lines *a, const struct lines *b, struct op *ops)
{
	size_t n = a->n, m = b->n;
	unsigned short *t = xcalloc((n + 1) * (m + 1), sizeof *t);
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			T(i, j) = eq(a, i, b, j) ? (unsigned short)(T(i + 1, j + 1) + 1)
				: T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
	size_t i = 0, j = 0, k = 0;
	while (i < n || j < m) {
		if (i < n && j < m && eq(a, i, b, j))
			ops[k++] = (struct op){ ' ', i }, i++, j++;
		else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1)))
			ops[k++] = (struct op){ '-', i++ };   /* removals before additions */
		else
			ops[k++] = (struct op){ '+', j++ };
	}
#undef T
	free(t);
	return k;
}

void text_diff(const char *a, size_t alen, const char *b, size_t blen, int ctx,
	       struct strbuf *out)
{
	struct lines la, lb;
	split(a, alen, &la);
	split(b, blen, &lb);
	if (la.n > TEXTDIFF_MAX_LINES || lb.n > TEXTDIFF_MAX_LINES) {
		size_t i = 0;
		while (i < la.n && i < lb.n && eq(&la, i, &lb, i))
			i++;
		sb_addf(out, "@@ first difference at line %zu @@\n", i + 1);
		if (i < la.n)
			line(out, '-', &la, i);
		if (i < lb.n)
			line(out, '+', &lb, i);
	} else {
		struct op *ops = xcalloc(la.n + lb.n + 1, sizeof *ops);
		size_t k = script(&la, &lb, ops);
		/* Changes, with ctx lines of context around each; "..." where
		 * unchanged lines are left out. */
		size_t shown = (size_t)-1;
		for (size_t x = 0; x < k; x++) {
			bool near = false;
			size_t from = x >= (size_t)ctx ? x - (size_t)ctx : 0;
			for (size_t y = from; y < k && y <= x + (size_t)ctx && !near; y++)
				near = ops[y].tag != ' ';
			if (!near)
				continue;
			if (shown != (size_t)-1 ? x > shown + 1 : x > 0)
				sb_adds(out, "...\n");
			line(out, ops[x].tag, ops[x].tag == '+' ? &lb : &la, ops[x].i);
			shown = x;
		}
		if (shown != (size_t)-1 && shown + 1 < k)
			sb_adds(out, "...\n");
		free(ops);
	}
	free(la.p), free(la.len), free(lb.p), free(lb.len);
}
