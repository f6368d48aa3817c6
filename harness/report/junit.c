/* junit.xml as GitLab, Jenkins and GitHub's test reporters read it: one
 * testsuite per target x linker, one testcase per case:variant. XFAIL is
 * skipped (a known failure), XPASS a failure (it may be fixed: look),
 * ERROR an error, TIMEOUT a failure of type timeout. */
#include "report/junit.h"

#include <stdlib.h>
#include <string.h>

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
		if (c->out_len)
			sb_addf(t, "stdout:\n%.*s\n", (int)(c->out_len > 4096 ? 4096 : c->out_len), c->out);
		if (c->err_len)
			sb_addf(t, "stderr:\n%.*s\n", (int)(c->err_len > 4096 ? 4096 : c->err_len), c->err);
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

static void testcase(struct strbuf *sb, const char *suite, const struct record *rec,
		     const struct verdict_opts *v)
{
	sb_adds(sb, "    <testcase classname=\"");
	xml_str(sb, suite);
	sb_adds(sb, "\" name=\"");
	if (*rec->variant)
		sb_addf(sb, "%s:%s", rec->case_name, rec->variant);
	else
		xml_str(sb, rec->case_name);
	sb_addf(sb, "\" time=\"%.3f\" file=\"", rec->secs);
	xml_str(sb, rec->case_file);
	sb_adds(sb, "\">\n");
	const char *msg = rec->message ? rec->message : "";
	struct strbuf t = STRBUF_INIT;
	switch (rec->outcome) {
	case OUT_SKIP:
	case OUT_XFAIL:
		sb_adds(sb, "      <skipped message=\"");
		if (rec->outcome == OUT_XFAIL)
			sb_adds(sb, "known failure: ");
		xml_str(sb, rec->outcome == OUT_XFAIL ? rec->xfail : msg);
		sb_adds(sb, "\"/>\n");
		break;
	case OUT_FAIL:
	case OUT_TIMEOUT:
	case OUT_XPASS:
	case OUT_ERROR: {
		const char *el = rec->outcome == OUT_ERROR ? "error" : "failure";
		const char *type = rec->outcome == OUT_TIMEOUT ? "timeout"
				 : rec->outcome == OUT_XPASS ? "xpass" : stage_name(rec->stage);
		sb_addf(sb, "      <%s type=\"%s\" message=\"", el, *type ? type : "error");
		if (rec->outcome == OUT_XPASS) {
			sb_adds(sb, "passed, but a known failure says it should not: ");
			xml_str(sb, rec->xfail);
		} else {
			xml_str(sb, msg);
		}
		sb_adds(sb, "\">");
		failure_text(&t, rec, v);
		xml_text(sb, t.buf, t.len);
		sb_addf(sb, "</%s>\n", el);
		break;
	}
	default:
		break;
	}
	sb_free(&t);
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

void report_stream_junit(const struct report *r, struct report_sink *out)
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
		all.errors += sv[k].errors, all.skipped += sv[k].skipped, all.secs += sv[k].secs;
	}
	sb_addf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"linkmatrix\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"%.3f\">\n", all.tests, all.failures, all.errors,
		all.skipped, all.secs);
	for (size_t k = 0; k < ns; k++) {
		const struct suite *s = &sv[k];
		char *name = *s->target ? xasprintf("%s.%s", s->target, s->linker)
					: xstrdup("case-files");
		sb_adds(sb, "  <testsuite name=\"");
		xml_str(sb, name);
		sb_addf(sb, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
			"time=\"%.3f\">\n", s->tests, s->failures, s->errors, s->skipped, s->secs);
		for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it))
			if (same_suite(s, rec)) {
				testcase(sb, name, rec, &r->verdict);
				report_sink_record_done(out);
			}
		report_iter_end(&it);
		sb_adds(sb, "  </testsuite>\n");
		free(name);
	}
	sb_adds(sb, "</testsuites>\n");
	for (size_t k = 0; k < ns; k++)
		free(sv[k].target), free(sv[k].linker);
	free(sv);
}
