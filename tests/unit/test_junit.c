/* The JUnit reports of a small report of every outcome whose names are
 * hostile: every name escaped (a variant's once was not), a failure's
 * output in system-out and system-err, capped, each suite's timestamp and
 * hostname; junit-ant.xml valid against both schemas (xmllint), junit.xml
 * well-formed (reports.t validates a real run's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/junit.h"
#include "results/report.h"
#include "tap.h"

/* The schema's complaints, if any, as TAP comments. */
static bool run_quiet(const char *cmd)
{
	char *quiet = xasprintf("%s >/dev/null 2>&1", cmd);
	bool passed = system(quiet) == 0;
	free(quiet);
	if (!passed) {
		char *loud = xasprintf("%s 2>&1 | sed 's/^/# /' >&2", cmd);
		if (system(loud) != 0)
			fprintf(stderr, "# (and sed failed)\n");
		free(loud);
	}
	return passed;
}

/* Markup, quotes, a control byte and a byte that is not UTF-8. */
#define HOSTILE "<&\"'\x01\xff"
#define HOSTILE_XML "&lt;&amp;&quot;&apos;\xef\xbf\xbd\xef\xbf\xbd"

static char big_err[5000];

static struct record *add(struct report *r, const char *name, const char *variant,
			  enum outcome o)
{
	struct record *rec = &r->v[r->n++];
	memset(rec, 0, sizeof *rec);
	rec->id = name, rec->case_name = name, rec->case_file = "cases/x.yaml";
	rec->case_in_root = "x.yaml";
	rec->variant = variant, rec->target = "x86_64-linux-gnu", rec->linker = "lld";
	rec->outcome = o, rec->stage = STAGE_LINK, rec->failed_cmd = -1, rec->secs = 0.5;
	rec->message = "why " HOSTILE;
	return rec;
}

static void synthesize(struct report *r, const char *host)
{
	memset(r, 0, sizeof *r);
	r->harness_version = "0.1.0", r->run_id = "run " HOSTILE, r->host = host;
	r->host_system = "linux-x86_64";
	r->started = "2026-11-25T10:20:30Z", r->ended = "2026-11-25T11:00:00Z";
	r->complete = true;
	static struct rep_linker l = { "lld", "/usr/bin/ld.lld", "16.0.6", "", true, "lld" };
	r->linkers = &l, r->nlinkers = 1;
	r->v = arena_alloc(&r->arena, 8 * sizeof *r->v);
	add(r, "a" HOSTILE, "v" HOSTILE, OUT_PASS);
	struct record *f = add(r, "b", "default", OUT_FAIL);
	static struct rep_cmd cmd;
	memset(big_err, 'e', sizeof big_err);
	big_err[1] = '\0';
	cmd = (struct rep_cmd){ "cc -o main main.o", "/tmp/w", "exit 1", "out " HOSTILE, big_err,
				strlen("out " HOSTILE), sizeof big_err, 0, 0, 0.1 };
	f->cmds = &cmd, f->ncmds = 1, f->failed_cmd = 0;
	add(r, "c", "default", OUT_SKIP);
	add(r, "d", "default", OUT_XFAIL)->xfail = "known " HOSTILE;
	add(r, "e", "default", OUT_TIMEOUT);
	add(r, "f", "default", OUT_XPASS)->xfail = "known " HOSTILE;
	struct record *broken = add(r, "/cases/bad " HOSTILE ".yaml", "", OUT_ERROR);
	broken->case_file = broken->case_in_root = broken->case_name;
	broken->target = broken->linker = "";
	broken->stage = STAGE_LOAD;
	report_finish(r);
}

static char *write_to(const char *dir, const char *name, const struct report *r,
		      void (*write)(const struct report *, struct report_sink *))
{
	struct strbuf sb = STRBUF_INIT;
	struct report_sink sink = { &sb, -1, 0 };
	write(r, &sink);
	char *path = path_join(dir, name);
	FILE *fp = fopen(path, "w");
	ok(fp && fwrite(sb.buf, 1, sb.len, fp) == sb.len && fclose(fp) == 0, "%s written", name);
	sb_free(&sb);
	return path;
}

static bool has(const char *path, const char *what)
{
	char *s = NULL;
	size_t n = 0;
	bool found = read_file(path, &s, &n) == 0 && strstr(s, what);
	free(s);
	return found;
}

static bool xmllint(const char *schema, const char *file)
{
	const char *src = getenv("LM_SRCDIR");
	char *cmd = schema
		? xasprintf("xmllint --noout --schema '%s/tests/e2e/junit-schemas/%s' '%s'",
			    src ? src : ".", schema, file)
		: xasprintf("xmllint --noout '%s'", file);
	bool valid = run_quiet(cmd);
	free(cmd);
	return valid;
}

int main(void)
{
	tap_start();
	const char *b = getenv("LM_BUILDDIR");
	char *dir = b ? path_join(b, "junit-unit") : xstrdup("/tmp/lm-junit-unit");
	rm_rf(dir);
	mkdir_p(dir);
	struct report r;
	synthesize(&r, "host " HOSTILE);
	char *ci = write_to(dir, "junit.xml", &r, report_stream_junit);
	char *ant = write_to(dir, "junit-ant.xml", &r, report_stream_junit_ant);

	ok(has(ci, " name=\"a" HOSTILE_XML ":v" HOSTILE_XML "\""),
	   "a case:variant name is escaped, its variant too");
	ok(has(ci, "<system-out>out " HOSTILE_XML "</system-out>"),
	   "a failure's stdout is its testcase's system-out, escaped");
	ok(has(ci, "<system-err>e\xef\xbf\xbd" "eee"), "its stderr the system-err, NUL replaced");
	ok(has(ci, "\n[the first 4096 of 5000 bytes]</system-err>"), "capped, saying so");
	ok(has(ci, "<failure type=\"link\" message=\"why " HOSTILE_XML "\">why "),
	   "the failure keeps its message and text");
	ok(has(ci, " hostname=\"host " HOSTILE_XML "\" timestamp=\"2026-11-25T10:20:30\">"),
	   "each suite has the host and the start, without a zone");
	ok(has(ci, "<property name=\"linker.version\" value=\"16.0.6\"/>"),
	   "and the linker's version as a property");
	ok(has(ci, "\" file=\"x.yaml\">"), "a case's file is from its case root");
	ok(has(ci, " file=\"/cases/bad " HOSTILE_XML ".yaml\">"), "a file name is escaped");
	ok(has(ci, "\n<testsuites name=\"linkmatrix\" tests=\"7\" failures=\"3\" errors=\"1\" "
		   "time=\"3.500\">\n"), "the root has the counts but skipped (the xunit schema has none)");
	ok(xmllint(NULL, ci), "junit.xml is well-formed");
	ok(!has(ant, " file=") && !has(ant, "<system-out>"),
	   "junit-ant.xml has no file nor testcase output (Ant's schema has no place)");
	ok(xmllint("ant-junit.xsd", ant), "junit-ant.xml is valid against Ant's schema");
	ok(xmllint("jenkins-junit-10.xsd", ant), "and the Jenkins xunit plugin's");

	/* No host known: Ant's schema wants one; it says "localhost". */
	report_free(&r);
	synthesize(&r, "");
	free(ant);
	ant = write_to(dir, "junit-ant.xml", &r, report_stream_junit_ant);
	ok(has(ant, " hostname=\"localhost\""), "an unknown host is localhost");
	ok(xmllint("ant-junit.xsd", ant), "  still valid");
	ok(!has(ant, "linkmatrix.incomplete"), "a complete run says nothing of it");
	report_free(&r);
	/* Stopped by --max-failures: the suites say so, the reason as data. */
	synthesize(&r, "h");
	r.complete = false;
	r.incomplete = "stopped after 3 failures " HOSTILE;
	free(ant);
	ant = write_to(dir, "junit-ant.xml", &r, report_stream_junit_ant);
	ok(has(ant, "<property name=\"linkmatrix.incomplete\" value=\"stopped after 3 failures "
		    HOSTILE_XML "\"/>"), "an incomplete run's suites say why, escaped");
	ok(xmllint("ant-junit.xsd", ant), "  still valid");
	report_free(&r);
	free(ci), free(ant), free(dir);
	return tap_done();
}
