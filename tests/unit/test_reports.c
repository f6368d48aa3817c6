/* Every report format for ten thousand results: written, whole, well
 * formed where this test can tell, the HTML page under 5 MB; the time it
 * takes is printed for bench/reports-10k.sh (no timing is asserted). The
 * files are left in $LM_BUILDDIR/reports-10k for the browser test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report.h"
#include "report/results.h"
#include "report/write.h"
#include "tap.h"

enum { N = 10000 };

static const char *const linkers[] = { "bfd", "gold", "lld", "mold", "wild" };

/* A report shaped like a big nightly run: every outcome, findings, failing
 * commands with 2 KiB of output. */
static void synthesize(struct report *r, char *out)
{
	memset(r, 0, sizeof *r);
	r->harness_version = "0.1.0", r->run_id = "synthetic", r->host = "test";
	r->host_system = "linux-x86_64";
	r->started = "2026-11-25T00:00:00Z", r->ended = "2026-11-25T01:00:00Z";
	r->complete = true, r->cases_digest = "fnv1a64:0:2000", r->ncases = 2000;
	static struct rep_linker ls[5];
	for (size_t i = 0; i < 5; i++)
		ls[i] = (struct rep_linker){ linkers[i], "/usr/bin/ld", "1.0", "", true };
	r->linkers = ls, r->nlinkers = 5;
	static struct rep_target t = { "x86_64-linux-gnu", "linux", "x86_64", "glibc",
				       "linux-glibc-2.36", "", true };
	r->targets = &t, r->ntargets = 1;
	static const char *tags[] = { "tls", "shared" };
	r->v = arena_alloc(&r->arena, N * sizeof *r->v);
	for (size_t i = 0; i < N; i++) {
		struct record *rec = &r->v[r->n++];
		char *name = arena_alloc(&r->arena, 32);
		snprintf(name, 32, "case-%04zu", i / 5);
		char *id = arena_alloc(&r->arena, 96);
		snprintf(id, 96, "%s:default x86_64-linux-gnu %s", name, linkers[i % 5]);
		rec->id = id, rec->case_name = name, rec->case_file = "cases/x.yaml";
		rec->variant = "default", rec->target = "x86_64-linux-gnu", rec->linker = linkers[i % 5];
		rec->tags = tags, rec->ntags = 2;
		rec->outcome = (enum outcome)(i % 7 == 0 ? OUT_FAIL : i % 11 == 0 ? OUT_SKIP
					    : i % 13 == 0 ? OUT_XFAIL : OUT_PASS);
		rec->stage = rec->outcome == OUT_FAIL ? STAGE_RUN : STAGE_NONE;
		rec->message = rec->outcome == OUT_PASS ? NULL : "main killed by signal 11 (SIGSEGV)";
		rec->xfail = rec->outcome == OUT_XFAIL ? "a known failure" : NULL;
		rec->secs = 0.05;
		rec->failed_cmd = -1;
		rec->ncmds = 3;
		rec->cmds = arena_alloc(&r->arena, 3 * sizeof *rec->cmds);
		for (size_t k = 0; k < 3; k++)
			rec->cmds[k] = (struct rep_cmd){ "gcc -o main main.o", "/tmp/work", "exit 0", out,
							 out, 2048, 2048, 2048, 2048, 0.01 };
		if (rec->outcome == OUT_FAIL) {
			rec->failed_cmd = 2;
			rec->nfindings = 1;
			rec->findings = arena_alloc(&r->arena, sizeof *rec->findings);
			rec->findings[0] = (struct rep_finding){ "main", "gabi-textrel", "gabi",
								 "1 relocation into read-only memory",
								 "SIGSEGV while relocating", false };
			rec->diff = "main against bfd's: 1 difference\nkey  a | b\nreloc.into-read-only  1 | 0\n";
		}
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
	printf("# writing results.json, junit.xml, results.tap and index.html for %d results: "
	       "%.3f s\n", N, secs);
	const char *files[] = { "results.json", "junit.xml", "results.tap", "index.html" };
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		long n = size_of(dir, files[i]);
		ok(n > 0, "%s: %ld bytes", files[i], n);
	}
	long html = size_of(dir, "index.html");
	ok(html > 0 && html < 5L * 1024 * 1024, "index.html under 5 MB (%ld bytes)", html);
	struct report back;
	char *json = path_join(dir, "results.json");
	sb_reset(&err);
	if (ok(report_read_json(&back, json, &err) == 0, "results.json reads back: %s", sb_str(&err))) {
		is_int((long long)back.n, N, "with every result");
		is_int((long long)back.counts[OUT_FAIL], (long long)r.counts[OUT_FAIL], "and the same outcomes");
		report_free(&back);
	}
	free(json);
	report_free(&r);
	sb_free(&err);
	free(dir);
	return tap_done();
}
