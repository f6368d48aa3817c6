/* The JUnit XML reports, in two files, as no one file can satisfy every
 * reader (reports/README.md):
 *
 * junit.xml, for the CI readers (GitLab, GitHub's reporters, Jenkins'
 * junit step): the Jenkins xunit plugin's schema (junit-10.xsd) but for
 * each testcase's file, which that schema lacks and GitLab and GitHub's
 * annotators read; a failure's deciding command's output also in the
 * testcase's system-out and system-err, where Jenkins and GitLab show it.
 *
 * junit-ant.xml, what Ant's junit and junitreport tasks write: valid
 * against Ant's schema and the xunit plugin's both (the plugin ignores a
 * file that is not), so without what Ant's schema has no place for.
 *
 * One testsuite per target x linker, one testcase per case:variant. XFAIL
 * is skipped (a known failure), XPASS a failure (it may be fixed: look),
 * ERROR an error, TIMEOUT a failure of type timeout. */
#include "report/junit.h"

#include <stdlib.h>
#include <string.h>

enum flavour { JUNIT_CI, JUNIT_ANT };

/* Bytes of each output in a failure's text and system-out/err. */
enum { OUTPUT_CAP = 4096 };

/* XML 1.0 text: escaped, control characters and bytes that are not UTF-8
 * replaced, as a reader rejects the whole file for one of them. */
static void xml_text(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		const char *esc = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
				: c == '"' ? "&quot;" : c == '\'' ? "&apos;" : NULL;
		if (esc) {
			sb_adds(sb, esc), i++;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			sb_adds(sb, "\xef\xbf\xbd"), i++;
		} else {
			size_t len = utf8_seq_len(p + i, n - i);
			if (len)
				sb_add(sb, p + i, len), i += len;
			else
				sb_adds(sb, "\xef\xbf\xbd"), i++;
		}
	}
}

static void xml_str(struct strbuf *sb, const char *s)
{
	xml_text(sb, s ? s : "", s ? strlen(s) : 0);
}

/* ` name="value"`, the value escaped. */
static void attr(struct strbuf *sb, const char *name, const char *value)
{
	sb_addf(sb, " %s=\"", name);
	xml_str(sb, value);
	sb_addc(sb, '"');
}

/* An output's first OUTPUT_CAP bytes (NULs and all: the escaping replaces
 * them), saying so when there was more. */
static void capped(struct strbuf *t, const char *s, size_t len, size_t total)
{
	sb_add(t, s, len < OUTPUT_CAP ? len : OUTPUT_CAP);
	if (total < len)
		total = len;
	if (total > OUTPUT_CAP)
		sb_addf(t, "\n[the first %d of %zu bytes]", OUTPUT_CAP, total);
}

/* What a reader of a failure wants first: the message, the deciding
 * command and its output, the rule findings, the diff. */
static void failure_text(struct strbuf *t, const struct record *rec,
			 const struct verdict_opts *v)
{
	char *repro = report_repro(v, rec);
	sb_addf(t, "%s\nstage: %s\nrepro: %s\n", rec->message ? rec->message : "",
		stage_name(rec->stage), repro);
	free(repro);
	if (rec->failed_cmd >= 0) {
		const struct rep_cmd *c = &rec->cmds[rec->failed_cmd];
		sb_addf(t, "command (in %s): %s\nstatus: %s\n", c->cwd, c->cmd, c->status);
		if (c->out_len) {
			sb_adds(t, "stdout:\n");
			capped(t, c->out, c->out_len, c->out_total);
			sb_addc(t, '\n');
		}
		if (c->err_len) {
			sb_adds(t, "stderr:\n");
			capped(t, c->err, c->err_len, c->err_total);
			sb_addc(t, '\n');
		}
	}
	for (size_t i = 0; i < rec->nfindings; i++) {
		const struct rep_finding *f = &rec->findings[i];
		sb_addf(t, "finding: %s breaks %s [%s]: %s -> %s%s\n", f->file, f->rule, f->profile,
			f->where, f->consequence, f->expected ? " (expected)" : "");
	}
	if (rec->detail)
		sb_addf(t, "detail:\n%s\n", rec->detail);
	if (rec->diff)
		sb_addf(t, "diff:\n%s\n", rec->diff);
}

/* <system-out> or <system-err> of a testcase: one output of the deciding
 * command, if it printed anything. */
static void system_output(struct strbuf *sb, const char *el, const char *s, size_t len,
			  size_t total)
{
	if (!len)
		return;
	struct strbuf t = STRBUF_INIT;
	capped(&t, s, len, total);
	sb_addf(sb, "      <%s>", el);
	xml_text(sb, t.buf, t.len);
	sb_addf(sb, "</%s>\n", el);
	sb_free(&t);
}

static void failure(struct strbuf *sb, const struct record *rec, const struct verdict_opts *v,
		    enum flavour fl)
{
	const char *el = rec->outcome == OUT_ERROR ? "error" : "failure";
	const char *type = rec->outcome == OUT_TIMEOUT ? "timeout"
			 : rec->outcome == OUT_XPASS ? "xpass" : stage_name(rec->stage);
	sb_addf(sb, "      <%s type=\"%s\" message=\"", el, *type ? type : "error");
	if (rec->outcome == OUT_XPASS) {
		sb_adds(sb, "passed, but a known failure says it should not: ");
		xml_str(sb, rec->xfail);
	} else {
		xml_str(sb, rec->message);
	}
	sb_adds(sb, "\">");
	struct strbuf t = STRBUF_INIT;
	failure_text(&t, rec, v);
	xml_text(sb, t.buf, t.len);
	sb_free(&t);
	sb_addf(sb, "</%s>\n", el);
	if (fl == JUNIT_CI && rec->failed_cmd >= 0) {
		const struct rep_cmd *c = &rec->cmds[rec->failed_cmd];
		system_output(sb, "system-out", c->out, c->out_len, c->out_total);
		system_output(sb, "system-err", c->err, c->err_len, c->err_total);
	}
}

static void testcase(struct strbuf *sb, const char *suite, const struct record *rec,
		     const struct verdict_opts *v, enum flavour fl)
{
	sb_adds(sb, "    <testcase");
	attr(sb, "classname", suite);
	sb_adds(sb, " name=\"");
	xml_str(sb, rec->case_name);
	if (*rec->variant) {
		sb_addc(sb, ':');
		xml_str(sb, rec->variant);
	}
	sb_addf(sb, "\" time=\"%.3f\"", rec->secs);
	if (fl == JUNIT_CI)
		attr(sb, "file", rec->case_in_root);
	sb_adds(sb, ">\n");
	switch (rec->outcome) {
	case OUT_SKIP:
	case OUT_XFAIL:
		sb_adds(sb, "      <skipped message=\"");
		if (rec->outcome == OUT_XFAIL)
			sb_adds(sb, "known failure: ");
		xml_str(sb, rec->outcome == OUT_XFAIL ? rec->xfail : rec->message);
		sb_adds(sb, "\"/>\n");
		break;
	case OUT_FAIL:
	case OUT_TIMEOUT:
	case OUT_XPASS:
	case OUT_ERROR:
		failure(sb, rec, v, fl);
		break;
	default:
		break;
	}
	sb_adds(sb, "    </testcase>\n");
}

struct suite {
	char *target, *linker;     /* copies: a spooled record's strings last until the next */
	size_t tests, failures, errors, skipped;
	double secs;
};

static bool same_suite(const struct suite *s, const struct record *rec)
{
	return !strcmp(s->target, rec->target) && !strcmp(s->linker, rec->linker);
}

/* Both schemas' timestamp: ISO 8601 without a zone (Ant's pattern is
 * YYYY-MM-DDTHH:MM:SS); the report's start is UTC ("...Z"), so it is the
 * first 19 bytes, or nothing when they are not such a time (a results.json
 * written by hand). */
static void timestamp(struct strbuf *sb, const char *started)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	for (size_t i = 0; i < sizeof form - 1; i++) {
		char c = started ? started[i] : 0;
		if (form[i] == 'd' ? c < '0' || c > '9' : c != form[i])
			return;
	}
	sb_addf(sb, " timestamp=\"%.19s\"", started);
}

static void property(struct strbuf *sb, const char *name, const char *value)
{
	sb_adds(sb, "    <property");
	attr(sb, "name", name);
	attr(sb, "value", value);
	sb_adds(sb, "/>\n");
}

/* What says where a suite ran: the run, and the linker under test. */
static void properties(struct strbuf *sb, const struct report *r, const struct suite *s)
{
	sb_adds(sb, "    <properties>\n");
	property(sb, "linkmatrix.version", r->harness_version);
	property(sb, "linkmatrix.run_id", r->run_id);
	if (r->host_system && *r->host_system)
		property(sb, "linkmatrix.host_system", r->host_system);
	/* A CI reader that counts these tests learns they are not all. */
	if (!r->complete)
		property(sb, "linkmatrix.incomplete", r->incomplete ? r->incomplete : "yes");
	const struct rep_linker *l = *s->linker ? report_linker(r, s->linker) : NULL;
	if (l) {
		property(sb, "linker.path", l->path);
		property(sb, "linker.version", l->version);
	}
	sb_adds(sb, "    </properties>\n");
}

static void suite_start(struct strbuf *sb, const struct report *r, const struct suite *s,
			const char *name, size_t id)
{
	sb_adds(sb, "  <testsuite");
	attr(sb, "name", name);
	sb_addf(sb, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
		"time=\"%.3f\" id=\"%zu\"", s->tests, s->failures, s->errors, s->skipped,
		s->secs, id);
	attr(sb, "package", s->target);
	/* Ant's schema wants a host, and says "localhost" when unknown. */
	attr(sb, "hostname", r->host && *r->host ? r->host : "localhost");
	timestamp(sb, r->started);
	sb_adds(sb, ">\n");
	properties(sb, r, s);
}

static void stream(const struct report *r, struct report_sink *out, enum flavour fl)
{
	struct strbuf *sb = out->sb;
	/* Suites in first-seen order of the sorted records' target x linker. */
	struct suite *sv = NULL;
	size_t ns = 0;
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		size_t k = 0;
		while (k < ns && !same_suite(&sv[k], rec))
			k++;
		if (k == ns) {
			sv = xrealloc(sv, (ns + 1) * sizeof *sv);
			sv[ns++] = (struct suite){ xstrdup(rec->target), xstrdup(rec->linker), 0, 0, 0, 0, 0 };
		}
		struct suite *s = &sv[k];
		s->tests++;
		s->secs += rec->secs;
		s->failures += rec->outcome == OUT_FAIL || rec->outcome == OUT_TIMEOUT ||
			       rec->outcome == OUT_XPASS;
		s->errors += rec->outcome == OUT_ERROR;
		s->skipped += rec->outcome == OUT_SKIP || rec->outcome == OUT_XFAIL;
	}
	report_iter_end(&it);
	struct suite all = { NULL, NULL, 0, 0, 0, 0, 0 };
	for (size_t k = 0; k < ns; k++) {
		all.tests += sv[k].tests, all.failures += sv[k].failures;
		all.errors += sv[k].errors, all.secs += sv[k].secs;
	}
	sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	/* Ant's schema allows no attribute here; the xunit plugin's no skipped. */
	if (fl == JUNIT_ANT)
		sb_adds(sb, "<testsuites>\n");
	else
		sb_addf(sb, "<testsuites name=\"linkmatrix\" tests=\"%zu\" failures=\"%zu\" "
			"errors=\"%zu\" time=\"%.3f\">\n", all.tests, all.failures, all.errors,
			all.secs);
	for (size_t k = 0; k < ns; k++) {
		const struct suite *s = &sv[k];
		char *name = *s->target ? xasprintf("%s.%s", s->target, s->linker)
					: xstrdup("case-files");
		suite_start(sb, r, s, name, k);
		for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it))
			if (same_suite(s, rec)) {
				testcase(sb, name, rec, &r->verdict, fl);
				report_sink_record_done(out);
			}
		report_iter_end(&it);
		/* Ant's schema wants the suite's outputs, which a testcase's
		 * failure text holds here. */
		if (fl == JUNIT_ANT)
			sb_adds(sb, "    <system-out/>\n    <system-err/>\n");
		sb_adds(sb, "  </testsuite>\n");
		free(name);
	}
	sb_adds(sb, "</testsuites>\n");
	for (size_t k = 0; k < ns; k++)
		free(sv[k].target), free(sv[k].linker);
	free(sv);
}

void report_stream_junit(const struct report *r, struct report_sink *out)
{
	stream(r, out, JUNIT_CI);
}

void report_stream_junit_ant(const struct report *r, struct report_sink *out)
{
	stream(r, out, JUNIT_ANT);
}
