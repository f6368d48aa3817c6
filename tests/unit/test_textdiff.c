/* The line diff shown when a program's output differs from the
 * reference's. */
#include <string.h>

#include "tap.h"
#include "util/textdiff.h"

static void diff_is(const char *a, const char *b, int ctx, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	text_diff(a, strlen(a), b, strlen(b), ctx, &sb);
	is_str(sb_str(&sb), want, name);
	sb_free(&sb);
}

int main(void)
{
	tap_start();
	diff_is("a\nb\nc\n", "a\nb\nc\n", 2, "", "equal texts: nothing");
	diff_is("a\nb\nc\n", "a\nB\nc\n", 0, "...\n-b\n+B\n...\n", "a changed line, no context");
	diff_is("1\n2\n3\n4\n5\n6\n7\n", "1\n2\n3\n4\n5\n6\nx\n7\n", 1, "...\n 6\n+x\n 7\n",
		"an added line, one line of context, the rest left out");
	diff_is("ctor a\nctor b\nmain\n", "ctor b\nctor a\nmain\n", 1,
		"-ctor a\n ctor b\n+ctor a\n main\n", "constructors in another order");
	diff_is("x\n", "", 2, "-x\n", "all output missing");
	struct strbuf big = STRBUF_INIT, big2 = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		sb_addf(&big, "%d\n", i), sb_addf(&big2, "%d\n", i == 700 ? -1 : i);
	struct strbuf sb = STRBUF_INIT;
	text_diff(big.buf, big.len, big2.buf, big2.len, 2, &sb);
	is_str(sb_str(&sb), "@@ first difference at line 701 @@\n-700\n+-1\n",
	       "long outputs: the first difference only");
	sb_free(&sb), sb_free(&big), sb_free(&big2);
	return tap_done();
}
