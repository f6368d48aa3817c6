/* Failures grouped by cause: the rules an output breaks decide the cause
 * where there are any; else the message, with quoted names, paths,
 * numbers, symbol+offset places and the cache's word taken out, so that
 * one linker bug met in many cases is one group, and two bugs stay two.
 * The test's own names stay: they are words too. Outcomes that are not
 * bad have no cause. */
#include <stdlib.h>

#include "results/causes.h"
#include "tap.h"

static struct rep_cmd link_cmd = { .cmd = "gcc -o main main.o", .cwd = "/w", .status = "exit 1" };

static struct record fail(const char *case_name, const char *linker, enum stage st,
			  const char *msg)
{
	return (struct record){ .id = case_name, .case_name = case_name, .variant = "default",
				.target = "x86_64-linux-gnu", .linker = linker,
				.outcome = OUT_FAIL, .stage = st, .message = msg, .failed_cmd = -1 };
}

/* The command that decided rec: its status is in cmd, not always in the
 * message (one from the cache). */
static void failed_by(struct record *rec, struct rep_cmd *cmd)
{
	rec->cmds = cmd;
	rec->ncmds = 1;
	rec->failed_cmd = 0;
}

static void check(const struct record *rec, const char *want, const char *name)
{
	char *got = record_cause(rec);
	is_str(got, want, name);
	free(got);
}

static void single(void)
{
	struct record a = fail("tls", "lld", STAGE_LINK,
			       "linking libtls.so: exit 1: ld.lld: error: undefined symbol: `foo'");
	failed_by(&a, &link_cmd);
	check(&a, "link: linking {file}: exit N: ld.lld: error: undefined symbol: '...'",
	      "a failed command: the step's file and the symbol's name taken out");
	struct record b = fail("modes", "wild", STAGE_RUN, "./main killed by signal 9 (SIGKILL)");
	struct rep_finding f[] = {
		{ "main", "illumos-phdr-needs-interp", "illumos", "PT_PHDR", "SIGKILL", false },
		{ "main", "an-expected-one", "illumos", "x", "y", true },
		{ "lib.so", "illumos-phdr-needs-interp", "illumos", "PT_PHDR", "SIGKILL", false },
	};
	b.findings = f;
	b.nfindings = 3;
	check(&b, "run: breaks illumos-phdr-needs-interp",
	      "rules broken: the stage and each unexpected rule once");
	struct record c = fail("exit-code", "mold", STAGE_EXPECT,
			       "./main: exit status 3, expected 42 with mold");
	check(&c, "expect: {path}: exit status N, expected N with mold",
	      "a message: paths and numbers taken out");
	struct record u = fail("undefined", "lld", STAGE_LINK,
			       "linking main: exit 1 (from the cache): ld.lld: error: undefined symbol: x");
	struct rep_cmd cached = { .cmd = "cc", .cwd = "/w", .status = "exit 1 (from the cache)" };
	failed_by(&u, &cached);
	check(&u, "link: linking {file}: exit N: ld.lld: error: undefined symbol: x",
	      "a link from the cache is the same cause; a case named as a word keeps the word");
	struct record k = fail("ctor", "bfd", STAGE_RUN,
			       "main killed by signal 11 (SIGSEGV): before main (at boom+0x9 in "
			       "libboom.so, file offset 0x5af); nothing maps the first page");
	check(&k, "run: main killed by signal N (SIGSEGV): before main (at {symbol}+N in "
	      "libboom.so, file offset N); nothing maps the first page",
	      "a place in code: the symbol and offsets taken out");
	struct record d = fail("x", "bfd", STAGE_ELF_EXPECT,
			       "the linker's R_X86_64_PC32 at 0x401000 in x86_64");
	check(&d, "elf-expect: the linker's R_X86_64_PC32 at N in x86_64",
	      "an apostrophe in a word is no quote; digits in a name stay");
	struct record t = fail("slow", "gold", STAGE_RUN, "./main timed out after 10 s");
	t.outcome = OUT_TIMEOUT;
	check(&t, "timeout at run: {path} timed out after N s", "a timeout says so");
	struct record e = fail("crash", "gold", STAGE_RUN, "./main killed by signal 11 (SIGSEGV)");
	check(&e, "run: {path} killed by signal N (SIGSEGV)", "a FAIL says its stage");
	e.outcome = OUT_ERROR;
	check(&e, "error at run: {path} killed by signal N (SIGSEGV)",
	      "an ERROR with the same message is another cause");
	e.stage = STAGE_NONE;
	check(&e, "ERROR: {path} killed by signal N (SIGSEGV)", "and without a stage, its outcome");
	struct record x = fail("fixed", "lld", STAGE_NONE, NULL);
	x.outcome = OUT_XPASS;
	check(&x, "passed, but a known failure says it fails (XPASS)", "an XPASS");
	struct record p = fail("ok", "lld", STAGE_NONE, NULL);
	p.outcome = OUT_PASS;
	ok(record_cause(&p) == NULL, "a PASS has no cause");
	p.outcome = OUT_XFAIL;
	ok(record_cause(&p) == NULL, "nor an XFAIL");
	p.outcome = OUT_SKIP;
	ok(record_cause(&p) == NULL, "nor a SKIP");
	char lng[600];
	memset(lng, 'a', sizeof lng);
	memcpy(lng + 199, "\xc3\xa9\xc3\xa9", 4);
	lng[sizeof lng - 1] = 0;
	struct record l = fail("long", "lld", STAGE_LINK, lng);
	char *cause = record_cause(&l);
	ok(cause && strlen(cause) <= strlen("link: ") + 200 &&
	   ((unsigned char)cause[strlen(cause) - 1] & 0xc0) != 0xc0,
	   "a long message is cut, not in a character");
	free(cause);
	struct record m = fail("multi", "lld", STAGE_LINK, "first line\nsecond line");
	check(&m, "link: first line", "only the message's first line");
	/* One bug (a linker that exits 0 and writes nothing) was two causes,
	 * the files the cases link being named in the message. */
	struct rep_cmd silent = { .cmd = "gcc -o x x.o", .cwd = "/w", .status = "exit 0" };
	struct record s1 = fail("hello", "fault-silent", STAGE_LINK,
				"linking hello: exit 0, but hello was not written");
	struct record s2 = fail("shared-lib", "fault-silent", STAGE_LINK,
				"linking libanswer.so: exit 0, but libanswer.so was not written");
	failed_by(&s1, &silent);
	failed_by(&s2, &silent);
	check(&s1, "link: linking {file}: exit N, but {file} was not written",
	      "the file a step names is taken out");
	check(&s2, "link: linking {file}: exit N, but {file} was not written",
	      "whatever the case names it");
	/* A link restored from the cache has a status its message does not
	 * hold ("exit 0 (from the cache)"): the cause was cut at the status
	 * for one and not the other, one bug in two groups. */
	struct rep_cmd restored = { .cmd = "gcc -o x x.o", .cwd = "/w",
				    .status = "exit 0 (from the cache)" };
	struct record s3 = fail("bsymbolic", "fault-silent", STAGE_LINK,
				"linking libs.so: exit 0, but libs.so was not written");
	failed_by(&s3, &restored);
	check(&s3, "link: linking {file}: exit N, but {file} was not written",
	      "a link from the cache whose message lacks its status: the same cause");
	struct record le = fail("link-error", "mold", STAGE_LINK,
				"linking main was expected to fail, but succeeded");
	check(&le, "link: linking {file} was expected to fail, but succeeded",
	      "also where no command's status cuts the message");
	struct record o = fail("objs", "bfd", STAGE_LINK,
			       "linking main: exit 1: ld: main.o: in function 'f': no main");
	failed_by(&o, &link_cmd);
	check(&o, "link: linking {file}: exit N: ld: main.o: in function '...': no {file}",
	      "only as a whole name: main.o is another");
}

static void grouped(void)
{
	struct record v[] = {
		fail("a", "lld", STAGE_RUN, "./a killed by signal 11 (SIGSEGV)"),
		fail("b", "mold", STAGE_EXPECT, "./main: stdout does not match 'hello'"),
		fail("c", "lld", STAGE_RUN, "./c/bin killed by signal 11 (SIGSEGV)"),
		fail("d", "bfd", STAGE_RUN, "./d killed by signal 6 (SIGABRT)"),
		fail("e", "gold", STAGE_RUN, "./e killed by signal 11 (SIGSEGV)"),
	};
	v[3].outcome = OUT_PASS;
	struct causes c = { 0 };
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		causes_add(&c, &v[i]);
	causes_sort(&c);
	is_int(c.tests, 4, "the tests that went wrong, the PASS left out");
	if (!ok(c.n == 2, "two causes"))
		return;
	is_str(c.v[0].cause, "run: {path} killed by signal N (SIGSEGV)", "the largest group first");
	ok(c.v[0].ids.n == 3 && !strcmp(c.v[0].ids.v[0], "a") && !strcmp(c.v[0].ids.v[2], "e"),
	   "its ids in the order added");
	is_str(c.v[1].cause, "expect: {path}: stdout does not match '...'", "then the other");
	causes_free(&c);
	ok(c.n == 0 && c.v == NULL, "freed");
}

int main(void)
{
	tap_start();
	single();
	grouped();
	return tap_done();
}
