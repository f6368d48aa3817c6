/* results.json read back a record at a time: what the writer writes reads
 * back the same, byte for byte, whatever bytes a program printed; every
 * way a file can be wrong is refused with its place and a reason (numbers
 * out of range among them: a shard count of 4294967295 made merge
 * overflow the heap); shards merge in report order, in a walk that leaves
 * no file behind, whether it succeeds or not. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results/compare.h"
#include "results/merge.h"
#include "results/report.h"
#include "results/rerun.h"
#include "results/results.h"
#include "tap.h"

static char *dir;

static const char *const linkers[] = { "bfd", "lld" };

/* Commands and a finding, as a failed test has them. */
static void failed(struct report *r, struct record *rec, const char *out, size_t len)
{
	rec->stage = STAGE_RUN;
	rec->message = "main: killed by signal 11 (SIGSEGV)";
	rec->ncmds = 2;
	rec->cmds = arena_alloc(&r->arena, 2 * sizeof *rec->cmds);
	rec->cmds[0] = (struct rep_cmd){ "gcc -o main main.c", "/tmp/w", "exit 0", "", "", 0, 0, 0, 0,
					 0.25 };
	rec->cmds[1] = (struct rep_cmd){ "./main", "/tmp/w", "killed by signal 11 (SIGSEGV)", out, out,
					 len, len, 70000, len, 0.5 };
	rec->failed_cmd = 1;
	rec->nfindings = 1;
	rec->findings = arena_alloc(&r->arena, sizeof *rec->findings);
	rec->findings[0] = (struct rep_finding){ "main", "gabi-textrel", "gabi", "1 relocation",
						 "SIGSEGV while relocating", true };
}

/* A report of cases c<first>, c<first+step>, ... (n of them), each with
 * two linkers, the second's test failing; shard i/s. */
static void synth(struct report *r, int first, int step, int n, unsigned i, unsigned s,
		  const char *out, size_t len)
{
	memset(r, 0, sizeof *r);
	r->harness_version = "0.1.0", r->run_id = "run-1", r->host = "h";
	r->host_system = "linux-x86_64", r->started = "2026-01-01T00:00:00Z";
	r->ended = "2026-01-01T00:01:00Z", r->complete = true;
	r->cases_digest = "fnv1a64:0:9", r->ncases = 9;
	r->shard_index = i, r->shard_count = s;
	static const char *argv[] = { "run", "--shard" };
	r->argv = argv, r->nargv = 2;
	static struct rep_linker ls[] = { { "bfd", "/usr/bin/ld.bfd", "2.40", "", true, "bfd" },
					  { "lld", "", "", "not installed", false, "lld" } };
	r->linkers = ls, r->nlinkers = 2;
	static struct rep_target t = { "x86_64-linux-gnu", "linux", "x86_64", "glibc",
				       "linux-glibc-2.36", "", true };
	r->targets = &t, r->ntargets = 1;
	static const char *tags[] = { "exe", "tls" };
	r->v = arena_alloc(&r->arena, 2 * (size_t)n * sizeof *r->v);
	for (int c = first; c < first + n * step; c += step)
		for (size_t l = 0; l < 2; l++) {
			struct record *rec = &r->v[r->n++];
			char *name = arena_alloc(&r->arena, 16), *id = arena_alloc(&r->arena, 64);
			snprintf(name, 16, "c%03d", c);
			snprintf(id, 64, "%s:default x86_64-linux-gnu %s", name, linkers[l]);
			*rec = (struct record){ .id = id, .case_name = name, .case_file = "/no/c.yaml",
						.case_in_root = "c.yaml",
						.variant = "default", .target = "x86_64-linux-gnu",
						.linker = linkers[l], .tags = tags, .ntags = 2,
						.secs = 0.75, .failed_cmd = -1 };
			if (l) {
				rec->outcome = OUT_FAIL;
				failed(r, rec, out, len);
			}
		}
	report_finish(r);
}

static void json_text(const struct report *r, struct strbuf *sb)
{
	struct report_sink sink = { sb, -1, 0 };
	report_stream_json(r, &sink);
}

static char *put(const char *name, const char *text, size_t len)
{
	char *path = path_join(dir, name);
	if (write_file(path, text, len) < 0)
		ok(0, "write %s", path);
	return path;
}

/* text with the first `from` made `to`. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at) {
		ok(0, "'%s' is in the file to edit", from);
		return xstrdup(text);
	}
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* The error a file gets, read through to its end. */
static char *error_of(const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct report r;
	if (report_open_json(&r, path, &err) == 0) {
		report_json_done(&r, &err);
		report_free(&r);
	}
	return sb_detach(&err);
}

static bool dir_empty(const char *d)
{
	DIR *dp = opendir(d);
	size_t n = 0;
	for (struct dirent *e; dp && (e = readdir(dp));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (dp)
		closedir(dp);
	return dp && !n;
}

/* Written, read back whole, written again: the same bytes. */
static void round_trip(const char *text)
{
	char *path = put("round.json", text, strlen(text));
	struct strbuf err = STRBUF_INIT, again = STRBUF_INIT;
	struct report r;
	if (ok(report_read_json(&r, path, &err) == 0, "a results.json reads back: %s", sb_str(&err))) {
		json_text(&r, &again);
		ok(!strcmp(again.buf, text), "and is written again byte for byte");
		is_int((long long)r.n, 6, "with its 6 results");
		is_int((long long)r.counts[OUT_FAIL], 3, "3 of them failing");
		report_free(&r);
	}
	sb_free(&err);
	sb_free(&again);
	free(path);
}

/* What programs print goes back as it came: NUL, C1 controls, U+2028,
 * U+FFFE, escapes, a code point past U+FFFF. libyaml, which read the
 * file before, refused U+0080 and U+FFFE and made U+0085 a space. */
static void hostile_bytes(void)
{
	static const char out[] = "a\0b \xc2\x80 \xc2\x85 \xe2\x80\xa8 \xef\xbf\xbe \xf0\x9f\x98\x80 \x1b[2J\x7f";
	size_t len = sizeof out - 1;
	struct report w;
	synth(&w, 1, 1, 1, 0, 0, out, len);
	w.v[1].message = "\xc2\x85 next line";
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	json_text(&w, &text);
	char *path = put("bytes.json", text.buf, text.len);
	struct report r;
	struct record_iter it;
	if (ok(report_open_json(&r, path, &err) == 0, "a file of every kind of byte opens: %s",
	       sb_str(&err))) {
		report_first(&it, &r);
		const struct record *rec = report_next(&it);
		ok(rec && rec->cmds[1].out_len == len && !memcmp(rec->cmds[1].out, out, len),
		   "stdout reads back byte for byte, NUL and all");
		is_str(rec ? rec->message : NULL, "\xc2\x85 next line", "U+0085 stays U+0085");
		ok(!report_next(&it) && report_json_done(&r, &err) == 0, "to the file's end: %s",
		   sb_str(&err));
		report_iter_end(&it);
		report_free(&r);
	}
	report_free(&w);
	sb_free(&text);
	sb_free(&err);
	free(path);
}

static const struct {
	const char *from, *to, *want;
} bad[] = {
	{ "\"schema\": \"linkmatrix-results\"", "\"schema\": \"other\"",
	  ": not a linkmatrix results file (schema 'other')" },
	{ "\"schema\": \"linkmatrix-results\",", "",
	  ": not a linkmatrix results file (schema 'none')" },
	{ "\"version\": 1", "\"version\": 2",
	  ": results schema version 2; this linkmatrix reads version 1" },
	{ "\"count\": 3", "\"count\": 4294967295",
	  "shard: 'count' must be a whole number from 0 to 100000, not 4294967295" },
	{ "\"index\": 1", "\"index\": 4", "shard 4/3: the index must be from 1 to the count" },
	{ "\"index\": 1", "\"index\": -1", "shard: 'index' must be a whole number from 0" },
	{ "\"cases\": 9", "\"cases\": -9", "'cases' must be a whole number from 0 to 1000000000" },
	{ "\"cases\": 9", "\"cases\": 09", "'cases': '09' is not a JSON number" },
	{ "\"cases\": 9", "\"cases\": 9.5", "'cases' must be a whole number" },
	{ "\"failed_command\": 1", "\"failed_command\": 2",
	  "a result: 'failed_command' is 2, and it has 2 commands" },
	{ "\"failed_command\": -1", "\"failed_command\": -2",
	  "a result: 'failed_command' must be a whole number from -1" },
	{ "\"seconds\": 0.75", "\"seconds\": -0.75", "a result: 'seconds' must be 0 or more" },
	{ "\"seconds\": 0.75", "\"seconds\": 1e999", "a result: 'seconds' must be a finite number" },
	{ "\"seconds\": 0.75", "\"seconds\": null", "a result: 'seconds' must be a number, not null" },
	{ "\"seconds\": 0.5", "\"seconds\": \"0.5\"", "a command: 'seconds' must be a number, not a string" },
	{ "\"stdout_bytes\": 70000", "\"stdout_bytes\": -1",
	  "a command: 'stdout_bytes' must be a whole number from 0" },
	{ "\"outcome\": \"FAIL\"", "\"outcome\": \"BROKEN\"", "a result: 'outcome': unknown value 'BROKEN'" },
	{ "\"diff\": \"\"", "\"diff\": \"\", \"diff\": \"\"", "duplicate key 'diff' in a result" },
	{ "\"known_failure\": \"\",", "", "a result: missing required key 'known_failure'" },
	{ "\"expected\": true", "\"expected\": 1", "a finding: 'expected' must be true or false" },
	{ "\"usable\": true", "\"usable\": tru", "not JSON here (not 'true')" },
	{ "\"tags\": [\n        \"exe\",\n        \"tls\"\n      ]", "\"tags\": [\"exe\",]",
	  "expected a value after ','" },
	{ "\"argv\": [", "\"argv\": [[[[[[[[[[[[[[[[[[", "results.json: 'argv' must be a string, not a list" },
	{ "\"summary\": {", "\"summary\": {\"x\": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]], ",
	  "nested more than 16 levels deep" },
	{ "\"summary\": {", "\"summary\": [", "results.json: 'summary' must be an object, not a list" },
	{ "\"message\": \"main", "\"message\": \"\x01main", "a control character (0x01) in a string" },
	{ "\"message\": \"main", "\"message\": \"\xffmain", "a byte that is not UTF-8 (0xff)" },
	{ "\"message\": \"main", "\"message\": \"\\qmain", "unknown escape '\\q'" },
	{ "\"message\": \"main", "\"message\": \"\\u12", "\\u needs four hex digits" },
	{ "\"message\": \"main", "\"message\": \"\\ud800main", "\\ud800 is half of a surrogate pair" },
	{ "\"case\": \"c001\"", "\"case\": \"c009\"",
	  "'c001:default x86_64-linux-gnu lld' after 'c001:default x86_64-linux-gnu bfd': results must be sorted" },
	{ "\"linker\": \"lld\"", "\"linker\": \"bfd\"",
	  "test 'c001:default x86_64-linux-gnu lld' is in this file twice" },
	{ "\"results\": [", "\"results\": {", "results.json: 'results' must be a list, not an object" },
	{ "\"harness_version\": \"0.1.0\",", "",
	  "results.json: missing required key 'harness_version'" },
	{ "\n  ]\n}", "\n  ],\n  \"late\": 1\n}", "'late' after 'results', which must come last" },
	{ "\n  ]\n}", "\n  ]\n}\n{}", "more after the end of the JSON value: an object" },
	{ "{\n  \"schema\"", "[\n  \"schema\"", ": not a linkmatrix results file (not a JSON object)" },
	{ "\"id\": \"c001:default x86_64-linux-gnu bfd\"", "\"id\": \"c001:default\nx\"",
	  "a control character (0x0a) in a string" },
};

static void refused(const char *text)
{
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *t = edit(text, bad[i].from, bad[i].to);
		char *path = put("bad.json", t, strlen(t)), *err = error_of(path);
		if (!ok(strstr(err, bad[i].want) && !strncmp(err, path, strlen(path)),
			"refused, naming the file: %s", bad[i].want))
			printf("# got: %s\n", err);
		free(err);
		free(path);
		free(t);
	}
	/* Where: line and column of the key. */
	char *t = edit(text, "\"detail\":", "\"details\":");
	const char *at = strstr(t, "\"details\"");
	int line = 1, col = 1;
	for (const char *p = t; p < at; p++)
		line += *p == '\n', col = *p == '\n' ? 1 : col + 1;
	char *path = put("bad.json", t, strlen(t)), *err = error_of(path);
	char *want = xasprintf("%s:%d:%d: unknown key 'details' in a result (known: id, case, case_file,",
			       path, line, col);
	if (!ok(!strncmp(err, want, strlen(want)), "an unknown key is named with its line and column"))
		printf("# got: %s\n# want: %s\n", err, want);
	free(want), free(err), free(path), free(t);
	/* Cut anywhere: never read as whole. */
	size_t len = strlen(text), cuts = 0, said = 0;
	for (size_t n = 0; n + 2 < len; n += 97) {
		path = put("cut.json", text, n);
		err = error_of(path);
		cuts++;
		said += *err != 0;
		free(err), free(path);
	}
	is_int((long long)said, (long long)cuts, "a file cut short anywhere is refused");
	path = path_join(dir, "no-such.json");
	err = error_of(path);
	ok(strstr(err, "no-such.json: cannot read: No such file or directory"), "a missing file: %s", err);
	free(err), free(path);
}

/* One result bigger than any run writes: refused once 64 MiB are read,
 * not read whole into memory. */
static void huge_record(const char *text)
{
	size_t big = (64u << 20) + 16;
	char *xs = xmalloc(big + 1);
	memset(xs, 'x', big);
	xs[big] = 0;
	char *to = xasprintf("\"message\": \"%s", xs);
	free(xs);
	char *t = edit(text, "\"message\": \"", to);
	free(to);
	char *path = put("huge.json", t, strlen(t)), *err = error_of(path);
	ok(strstr(err, ": a result of more than 64 MiB"), "a result of more than 64 MiB is refused");
	free(err), free(path), free(t);
}

static char *shard_file(const char *name, int first, int step, int n, unsigned i, unsigned s)
{
	struct report r;
	struct strbuf sb = STRBUF_INIT;
	synth(&r, first, step, n, i, s, "out\n", 4);
	json_text(&r, &sb);
	char *path = put(name, sb.buf, sb.len);
	sb_free(&sb);
	report_free(&r);
	return path;
}

/* The merged report: in report order, complete or not, and the JSON
 * `want` when given. */
static void check_merged(const struct report *out, bool complete, const char *want)
{
	/* Ids sort as names do here: one variant, one target. */
	struct record_iter it;
	char *prev = xstrdup("");
	size_t sorted = 0;
	for (const struct record *rec = report_first(&it, out); rec; rec = report_next(&it)) {
		sorted += strcmp(prev, rec->id) < 0;
		free(prev);
		prev = xstrdup(rec->id);
	}
	report_iter_end(&it);
	free(prev);
	ok(sorted == out->n && out->complete == complete, "%zu merged records, in report order, %s",
	   out->n, complete ? "complete" : "incomplete");
	if (!want)
		return;
	struct strbuf sb = STRBUF_INIT;
	json_text(out, &sb);
	ok(!strcmp(sb.buf, want), "the unsharded run's results.json, byte for byte");
	sb_free(&sb);
}

/* Merges files into a fresh directory: 0 or -1 with the error in err. */
static int merge_files(char **paths, size_t n, bool complete, const char *want, struct strbuf *err)
{
	struct report *in = xcalloc(n, sizeof *in), out;
	char *mdir = path_join(dir, "merged");
	rm_rf(mdir);
	size_t opened = 0;
	int rc = 0;
	while (rc == 0 && opened < n)
		rc = report_open_json(&in[opened], paths[opened], err), opened += rc == 0;
	if (rc == 0)
		rc = report_merge(in, paths, n, mdir, &out, err);
	/* The records wait in a file already unlinked: none is seen, none left. */
	ok(access(mdir, F_OK) < 0 || dir_empty(mdir), "no file in the output directory");
	if (rc == 0) {
		check_merged(&out, complete, want);
		report_free(&out);
	}
	for (size_t i = 0; i < opened; i++)
		report_free(&in[i]);
	free(in);
	free(mdir);
	return rc;
}

static void merges(void)
{
	char *s[4] = { shard_file("s1.json", 1, 3, 3, 1, 3), shard_file("s2.json", 2, 3, 3, 2, 3),
		       shard_file("s3.json", 3, 3, 3, 3, 3), NULL };
	struct report whole;
	synth(&whole, 1, 1, 9, 0, 0, "out\n", 4);
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	json_text(&whole, &want);
	ok(merge_files(s, 3, true, want.buf, &err) == 0, "three interleaved shards merge: %s",
	   sb_str(&err));
	ok(merge_files(s, 2, false, NULL, &err) == 0, "two of three merge: %s", sb_str(&err));

	char *twice[2] = { s[1], s[1] };
	ok(merge_files(twice, 2, false, NULL, &err) < 0 &&
	   strstr(sb_str(&err), "is shard 2/3, which an earlier input is too"),
	   "a shard given twice is refused");

	s[3] = shard_file("s4.json", 4, 3, 2, 1, 2);   /* another split */
	char *split[2] = { s[3], s[2] };
	sb_reset(&err);
	ok(merge_files(split, 2, false, NULL, &err) < 0 && strstr(sb_str(&err), "merge shards of one split"),
	   "shards of two splits are refused (shard 3 of 3 against a count of 2)");

	char *over = shard_file("over.json", 3, 1, 2, 2, 3);   /* c003, c004: c004 is in s1 */
	char *two[2] = { s[0], over };
	sb_reset(&err);
	ok(merge_files(two, 2, false, NULL, &err) < 0 &&
	   strstr(sb_str(&err), "test 'c004:default x86_64-linux-gnu bfd' is in more than one input"),
	   "a test in two inputs is refused: %s", sb_str(&err));

	/* An input that goes wrong after its first records. */
	char *text = NULL;
	size_t len = 0;
	read_file(s[2], &text, &len);
	char *cut = put("cut.json", text, len - 40);
	char *broken[2] = { s[0], cut };
	sb_reset(&err);
	ok(merge_files(broken, 2, false, NULL, &err) < 0 && strstr(sb_str(&err), "cut.json:"),
	   "an input cut short fails the merge: %s", sb_str(&err));
	free(text);
	free(cut);
	free(over);
	for (int i = 0; i < 4; i++)
		free(s[i]);
	report_free(&whole);
	sb_free(&err), sb_free(&want);
}

/* Compare and rerun read a file once, as it comes; an error anywhere in
 * it is theirs too. */
static void readers(const char *text)
{
	char *old = put("old.json", text, strlen(text));
	char *t = edit(text, "\"outcome\": \"FAIL\"", "\"outcome\": \"PASS\"");
	char *now = put("now.json", t, strlen(t));
	struct report a, b;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	report_open_json(&a, old, &err);
	report_open_json(&b, now, &err);
	size_t newly = report_compare(&b, &a, &out);
	ok(newly == 1 && strstr(out.buf, "1 newly failing, 0 newly passing") &&
	   report_json_done(&a, &err) == 0 && report_json_done(&b, &err) == 0,
	   "compare reads two files as they come");
	struct record_iter it;
	ok(!report_first(&it, &a) && report_json_done(&a, &err) < 0 && strstr(sb_str(&err), "read twice"),
	   "a file's records are read once");
	report_free(&a), report_free(&b);

	struct rerun rr;
	sb_reset(&err);
	ok(rerun_load(&rr, old, &err) == 0 && rr.ids.n == 3 && rr.files.n == 1 && rr.linkers.n == 1,
	   "rerun takes the 3 failed tests, one case file, one linker: %s", sb_str(&err));
	rerun_free(&rr);
	char *cut = put("cut.json", text, strlen(text) / 2);
	sb_reset(&err);
	ok(rerun_load(&rr, cut, &err) < 0 && !rr.ids.n && strstr(sb_str(&err), "cut.json:"),
	   "a file cut short gives no rerun: %s", sb_str(&err));
	free(cut), free(old), free(now), free(t);
	sb_free(&err), sb_free(&out);
}

int main(void)
{
	tap_start();
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/lm-test-results.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	dir = mkdtemp(tmpl);
	if (!ok(dir != NULL, "a scratch directory"))
		return tap_done();
	struct report r;
	synth(&r, 1, 1, 3, 1, 3, "line 1\nline 2\n", 14);
	struct strbuf text = STRBUF_INIT;
	json_text(&r, &text);
	round_trip(text.buf);
	hostile_bytes();
	refused(text.buf);
	huge_record(text.buf);
	merges();
	readers(text.buf);
	report_free(&r);
	sb_free(&text);
	rm_rf(dir);
	free(tmpl);
	return tap_done();
}
