/* Every report format for ten thousand results: written, whole, well
 * formed where this test can tell, the HTML page under 5 MB and safe
 * whatever the tests printed; the time each takes is printed for
 * bench/reports-10k.sh (no timing is asserted: machines differ). The
 * files are left in $LM_BUILDDIR/reports-10k for a look in a browser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/html.h"
#include "report/junit.h"
#include "report/write.h"
#include "results/report.h"
#include "results/results.h"
#include "tap.h"

enum { N = 10000, PER_CASE = 5 };

static const char *const report_files[] = { "results.json", "junit.xml", "junit-ant.xml",
					     "results.tap", "index.html" };

static const char *const linkers[PER_CASE] = { "bfd", "gold", "lld", "mold", "wild" };

/* Text a careless page would choke on: the end of its script element, the
 * start of a comment that changes how the parser reads the rest. */
static const char hostile[] = "</script><!--<script> <b>&amp;</b> \"q\" \\ \xe2\x9c\x93";

static enum outcome outcome_of(size_t i)
{
	return i % 7 == 0 ? OUT_FAIL : i % 11 == 0 ? OUT_SKIP : i % 13 == 0 ? OUT_XFAIL
	     : i % 101 == 0 ? OUT_XPASS : i % 211 == 0 ? OUT_ERROR : i % 307 == 0 ? OUT_TIMEOUT
	     : OUT_PASS;
}

/* Compile, link, run, each with 2 KiB on stdout and stderr: more than a
 * real failure prints, to show the page's output budget holds. */
static void commands(struct report *r, struct record *rec, const char *out)
{
	static const char *const argv[] = { "gcc -c -o main.o main.c",
					    "gcc -B shims/lld -Wl,-v -o main main.o", "./main" };
	rec->ncmds = 3;
	rec->cmds = arena_alloc(&r->arena, 3 * sizeof *rec->cmds);
	for (size_t k = 0; k < 3; k++)
		rec->cmds[k] = (struct rep_cmd){ argv[k], "/tmp/lm/work/case/default/x86_64-linux-gnu/lld",
						 "exit 0", out, out, 2048, 2048, 2048, 2048, 0.01 };
	rec->failed_cmd = 2;
	rec->cmds[2].status = "killed by signal 11 (SIGSEGV)";
	rec->cmds[2].err_total = 70000;   /* the capture kept 2 KiB of it */
}

static void finding(struct report *r, struct record *rec)
{
	rec->nfindings = 1;
	rec->findings = arena_alloc(&r->arena, sizeof *rec->findings);
	rec->findings[0] = (struct rep_finding){ "main", "gabi-textrel", "gabi",
						 "1 relocation into read-only memory",
						 "SIGSEGV while relocating", false };
}

/* A report shaped like a big nightly run: every outcome, findings,
 * failing commands with their outputs, diffs. */
static void synthesize(struct report *r, const char *out)
{
	memset(r, 0, sizeof *r);
	r->harness_version = "0.1.0", r->run_id = "synthetic", r->host = "test";
	r->host_system = "linux-x86_64";
	r->started = "2026-11-25T00:00:00Z", r->ended = "2026-11-25T01:00:00Z";
	r->complete = true, r->cases_digest = "fnv1a64:0:2000", r->ncases = N / PER_CASE;
	static struct rep_linker ls[PER_CASE];
	for (size_t i = 0; i < PER_CASE; i++)
		ls[i] = (struct rep_linker){ linkers[i], "/usr/bin/ld", "1.0", "", true, linkers[i] };
	r->linkers = ls, r->nlinkers = PER_CASE;
	static struct rep_target t = { "x86_64-linux-gnu", "linux", "x86_64", "glibc",
				       "linux-glibc-2.36", "", true };
	r->targets = &t, r->ntargets = 1;
	static const char *tags[] = { "tls", "shared" };
	r->v = arena_alloc(&r->arena, N * sizeof *r->v);
	for (size_t i = 0; i < N; i++) {
		struct record *rec = &r->v[r->n++];
		memset(rec, 0, sizeof *rec);
		char *name = arena_alloc(&r->arena, 32);
		snprintf(name, 32, "case-%04zu", i / PER_CASE);
		char *id = arena_alloc(&r->arena, 96);
		snprintf(id, 96, "%s:default x86_64-linux-gnu %s", name, linkers[i % PER_CASE]);
		rec->id = id, rec->case_name = name, rec->case_file = "cases/x.yaml";
		rec->case_in_root = "x.yaml";
		rec->variant = "default", rec->target = "x86_64-linux-gnu";
		rec->linker = linkers[i % PER_CASE];
		rec->tags = tags, rec->ntags = i % 3 ? 2 : 0;
		rec->outcome = outcome_of(i);
		rec->secs = 0.05;
		rec->failed_cmd = -1;
		if (rec->outcome == OUT_SKIP) {
			rec->message = "requires os illumos";
			continue;
		}
		commands(r, rec, out);
		if (rec->outcome == OUT_PASS) {
			rec->failed_cmd = -1;
			rec->cmds[2].status = "exit 0";
			continue;
		}
		rec->stage = STAGE_RUN;
		rec->message = i == 7 ? hostile : "main: killed by signal 11 (SIGSEGV)";
		rec->xfail = rec->outcome == OUT_XFAIL ? "a known failure" : NULL;
		if (i == 7) {
			rec->cmds[2].out = rec->cmds[2].err = hostile;
			rec->cmds[2].out_len = rec->cmds[2].out_total = strlen(hostile);
			rec->cmds[2].err_len = strlen(hostile);
		}
		if (i % 2 == 0)
			finding(r, rec);
		if (i % 3 == 0)
			rec->diff = "main against bfd's: 1 difference\nkey  a | b\nreloc.into-read-only  1 | 0\n";
		if (i % 5 == 0)
			rec->detail = "stdout: want 'hello', got ''";
	}
	report_finish(r);
}

static long size_of(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	struct stat st;
	long n = stat(p, &st) == 0 ? (long)st.st_size : -1;
	free(p);
	return n;
}

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The page made of the synthetic report: safe, whole, within budget. */
static void check_page(const char *dir, const struct report *r)
{
	char *path = path_join(dir, "index.html"), *page = NULL;
	size_t len = 0;
	if (!ok(read_file(path, &page, &len) == 0, "index.html reads back")) {
		free(path);
		return;
	}
	is_int((long long)occurrences(page, "</script"), 2, "only the page's own two </script>");
	is_int((long long)occurrences(page, "<!--"), 0, "no <!-- from the data");
	ok(strstr(page, "\\u003c/script>\\u003c!--\\u003cscript>"), "'<' in the data is \\u003c");
	ok(!strstr(page, "@DATA@"), "the marker was replaced");
	ok(strstr(page, "id=\"data\">{\"meta\":{") && strstr(page, "]}</script>"),
	   "the data is one JSON object inside its script element");
	ok(strstr(page, "\"ecut\":["), "cut outputs say so");
	/* "k":[ cannot occur in a string: there its quotes are \". */
	size_t want = (size_t)r->n - r->counts[OUT_PASS] - r->counts[OUT_SKIP];
	is_int((long long)occurrences(page, "\"k\":["), (long long)want,
	       "commands only for the tests that did not pass");
	free(page);
	free(path);
}

/* The page's failures by cause: results/causes.c's groups, the largest
 * first, each bad result's "C" the index of its group. Two causes whose
 * bytes differ only where they are not UTF-8 stay two, as in the run's
 * summary, though the page shows both as U+FFFD. */
static void page_causes(void)
{
	static struct rep_target t = { "x86_64-linux-gnu", "linux", "x86_64", "glibc",
				       "linux-glibc-2.36", "", true };
	static const struct { const char *name; enum outcome o; const char *msg; } v[] = {
		{ "alpha", OUT_FAIL, "./a killed by signal 11 (SIGSEGV)" },
		{ "beta", OUT_FAIL, "<b>bold & \xff" },
		{ "gamma", OUT_PASS, NULL },
		{ "delta", OUT_FAIL, "./d killed by signal 11 (SIGSEGV)" },
		{ "epsilon", OUT_FAIL, "<b>bold & \xfe" },
	};
	struct report r;
	memset(&r, 0, sizeof r);
	r.harness_version = "0.1.0", r.run_id = "causes", r.host = "test";
	r.started = r.ended = "2026-11-25T00:00:00Z", r.complete = true;
	r.targets = &t, r.ntargets = 1;
	r.v = arena_alloc(&r.arena, ARRAY_LEN(v) * sizeof *r.v);
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		r.v[r.n++] = (struct record){ .id = v[i].name, .case_name = v[i].name,
					      .variant = "default", .target = t.name, .linker = "lld",
					      .outcome = v[i].o, .message = v[i].msg, .failed_cmd = -1,
					      .stage = v[i].o == OUT_FAIL ? STAGE_RUN : STAGE_NONE };
	report_finish(&r);
	struct strbuf sb = STRBUF_INIT;
	struct report_sink sink = { &sb, -1, 0 };
	report_stream_html(&r, &sink);
	ok(strstr(sb.buf, "\"causes\":[{\"c\":\"run: {path} killed by signal N (SIGSEGV)\",\"o\":\"FAIL\","
			  "\"i\":[\"alpha\",\"delta\"]},{\"c\":\"run: \\u003cb>bold & \\ufffd\",\"o\":\"FAIL\",\"i\":[\"epsilon\"]},"
			  "{\"c\":\"run: \\u003cb>bold & \\ufffd\",\"o\":\"FAIL\",\"i\":[\"beta\"]}],\"results\":["),
	   "the groups, the largest first, two causes that differ in bytes not UTF-8 two");
	const char *const in[] = { "\"c\":\"alpha\"", "\"C\":0,", "\"c\":\"beta\"", "\"C\":2,",
				   "\"c\":\"delta\"", "\"C\":0,", "\"c\":\"epsilon\"", "\"C\":1," };
	const char *at = sb.buf;
	for (size_t i = 0; at && i < ARRAY_LEN(in); i++)
		at = strstr(at, in[i]);
	ok(at, "each bad result's C: its group");
	is_int((long long)occurrences(sb.buf, "\"C\":"), 4, "none for the PASS");
	sb_free(&sb);
	report_free(&r);
}

static void time_format(const char *name, void (*write)(const struct report *, struct report_sink *),
			const struct report *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct report_sink sink = { &sb, -1, 0 };
	double t0 = now_seconds();
	write(r, &sink);
	printf("# %-12s %.3f s, %zu bytes\n", name, now_seconds() - t0, sb.len);
	sb_free(&sb);
}

static bool same_file(const char *a, const char *b)
{
	char *x, *y;
	size_t nx, ny;
	bool same = read_file(a, &x, &nx) == 0 && read_file(b, &y, &ny) == 0 && nx == ny &&
		    !memcmp(x, y, nx);
	free(x), free(y);
	return same;
}

/* The same records kept in a spool file (as a run keeps them) give every
 * report file byte for byte: each field goes out and comes back. */
static void spooled(const struct report *r, const char *dir)
{
	struct report s = *r;
	s.v = NULL, s.n = 0, s.cap = 0, s.arena = (struct arena){ 0 };
	memset(s.counts, 0, sizeof s.counts);
	char *sdir = xasprintf("%s/spooled", dir);
	mkdir_p(sdir);
	if (!ok(report_spool(&s, sdir) == 0, "a spool file is made"))
		return;
	for (size_t i = 0; i < r->n; i++)
		report_spool_record(&s, &r->v[i]);
	struct strbuf err = STRBUF_INIT;
	ok(reports_write(sdir, &s, &err) == 0, "reports written from the spool: %s", sb_str(&err));
	for (size_t i = 0; i < ARRAY_LEN(report_files); i++) {
		char *a = path_join(dir, report_files[i]), *b = path_join(sdir, report_files[i]);
		ok(same_file(a, b), "%s from the spool is the same, byte for byte", report_files[i]);
		free(a), free(b);
	}
	ok(!memcmp(s.counts, r->counts, sizeof s.counts), "and the counts too");
	sb_free(&err);
	report_free(&s);
	free(sdir);
}

int main(void)
{
	tap_start();
	const char *b = getenv("LM_BUILDDIR");
	char *dir = b ? path_join(b, "reports-10k") : xstrdup("/tmp/lm-reports-10k");
	rm_rf(dir);
	mkdir_p(dir);
	char out[2049];
	memset(out, 'x', 2048);
	for (size_t i = 63; i < 2048; i += 64)
		out[i] = '\n';
	out[2048] = 0;
	struct report r;
	synthesize(&r, out);
	struct strbuf err = STRBUF_INIT;
	double t0 = now_seconds();
	int rc = reports_write(dir, &r, &err);
	double secs = now_seconds() - t0;
	ok(rc == 0, "all formats written for %d results: %s", N, sb_str(&err));
	printf("# writing every report file for %d results: %.3f s\n", N, secs);
	time_format("results.json", report_stream_json, &r);
	time_format("junit.xml", report_stream_junit, &r);
	time_format("junit-ant.xml", report_stream_junit_ant, &r);
	time_format("index.html", report_stream_html, &r);
	for (size_t i = 0; i < ARRAY_LEN(report_files); i++) {
		long n = size_of(dir, report_files[i]);
		ok(n > 0, "%s: %ld bytes", report_files[i], n);
	}
	long html = size_of(dir, "index.html");
	ok(html > 0 && html < 5L * 1024 * 1024, "index.html under 5 MB (%ld bytes)", html);
	check_page(dir, &r);
	struct report back;
	char *json = path_join(dir, "results.json");
	sb_reset(&err);
	if (ok(report_read_json(&back, json, &err) == 0, "results.json reads back: %s", sb_str(&err))) {
		is_int((long long)back.n, N, "with every result");
		for (int o = 0; o < OUT_COUNT; o++)
			if (!ok(back.counts[o] == r.counts[o] && r.counts[o] > 0, "%zu %s",
				r.counts[o], outcome_name((enum outcome)o)))
				break;
		report_free(&back);
	}
	free(json);
	spooled(&r, dir);
	report_free(&r);
	page_causes();
	sb_free(&err);
	free(dir);
	return tap_done();
}
