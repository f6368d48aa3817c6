#include "report/tap.h"

#include <stdlib.h>
#include <string.h>

/* Enough of a failing command's output to see why, not a flood. */
enum { EXCERPT = 4096 };


/* Appends one character of s (at *i) that YAML can carry, or '?'. */
static void safe_char(struct strbuf *sb, const unsigned char *p, size_t *i, size_t len)
{
	size_t n = p[*i] >= 0x80 ? utf8_seq_len(p + *i, len - *i) : 0;
	if (n) {
		sb_add(sb, p + *i, n);
		*i += n - 1;
	} else if (p[*i] == '\t' || (p[*i] >= 0x20 && p[*i] < 0x7f)) {
		sb_addc(sb, (char)p[*i]);
	} else {
		sb_addc(sb, '?');
	}
}

static void quoted(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_addc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			sb_addf(sb, "\\%c", p[i]);
		else if (p[i] == '\n')
			sb_adds(sb, "\\n");
		else
			safe_char(sb, p, &i, len);
	}
	sb_addc(sb, '"');
}

/* prove's YAMLish reader takes `|` but no indentation indicator, so text
 * whose first line starts with white space goes in double quotes. */
void yaml_block(struct strbuf *sb, const char *s, size_t len, int indent, size_t max)
{
	bool cut = len > max;
	if (cut)
		len = max;
	if (!len || s[0] == ' ' || s[0] == '\t' || s[0] == '\n') {
		quoted(sb, s, len);
		sb_adds(sb, cut ? " # cut\n" : "\n");
		return;
	}
	/* The block's own line break ends the text; every line inside it,
	 * blank ones too, carries the indentation, or prove's YAMLish reader
	 * loses its place. */
	while (len && s[len - 1] == '\n')
		len--;
	sb_addf(sb, "|\n%*s", indent, "");
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n')
			sb_addf(sb, "\n%*s", indent, "");
		else
			safe_char(sb, p, &i, len);
	}
	if (cut)
		sb_addf(sb, "\n%*s[... cut]", indent, "");
	sb_addc(sb, '\n');
}

static void yaml_str(struct strbuf *sb, const char *key, const char *s)
{
	sb_addf(sb, "  %s: ", key);
	if (strchr(s, '\n')) {
		yaml_block(sb, s, strlen(s), 4, EXCERPT);
	} else {
		quoted(sb, s, strlen(s));
		sb_addc(sb, '\n');
	}
}

static void diagnostics(struct strbuf *sb, const struct record *r,
			const struct verdict_opts *v)
{
	sb_adds(sb, "  ---\n");
	yaml_str(sb, "outcome", outcome_name(r->outcome));
	if (r->stage)
		yaml_str(sb, "stage", stage_name(r->stage));
	if (r->message)
		yaml_str(sb, "message", r->message);
	if (r->xfail)
		yaml_str(sb, "known-failure", r->xfail);
	char *repro = report_repro(v, r);
	yaml_str(sb, "repro", repro);
	free(repro);
	if (r->failed_cmd >= 0) {
		const struct rep_cmd *l = &r->cmds[r->failed_cmd];
		yaml_str(sb, "cwd", l->cwd);
		yaml_str(sb, "command", l->cmd);
		yaml_str(sb, "status", l->status);
		if (l->out_len) {
			sb_adds(sb, "  stdout: ");
			yaml_block(sb, l->out, l->out_len, 4, EXCERPT);
		}
		if (l->err_len) {
			sb_adds(sb, "  stderr: ");
			yaml_block(sb, l->err, l->err_len, 4, EXCERPT);
		}
	}
	if (r->nfindings)
		sb_adds(sb, "  findings:\n");
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct rep_finding *n = &r->findings[i];
		const char *keys[] = { "rule", "profile", "file", "where", "consequence" };
		const char *vals[] = { n->rule, n->profile, n->file, n->where, n->consequence };
		for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
			sb_addf(sb, "    %s%s: ", k ? "  " : "- ", keys[k]);
			quoted(sb, vals[k], strlen(vals[k]));
			sb_addc(sb, '\n');
		}
		sb_addf(sb, "      expected: %s\n", n->expected ? "true" : "false");
	}
	if (r->detail && *r->detail) {
		sb_adds(sb, "  detail: ");
		yaml_block(sb, r->detail, strlen(r->detail), 4, 4 * EXCERPT);
	}
	if (r->diff && *r->diff && r->diff != r->detail) {
		sb_adds(sb, "  diff: ");
		yaml_block(sb, r->diff, strlen(r->diff), 4, 4 * EXCERPT);
	}
	sb_adds(sb, "  ...\n");
}

/* Ends what was added since start as one line: a directive's text, or a
 * comment's, ends at the line. */
static void one_line(struct strbuf *sb, size_t start)
{
	for (size_t i = start; i < sb->len; i++)
		if (sb->buf[i] == '\n')
			sb->buf[i] = ' ';
	sb_addc(sb, '\n');
}

/* A description with TAP 13's escapes, a backslash before '#' and before
 * a backslash: a bare '#' would start a directive, and "# TODO" in a name
 * makes prove count a failure as a pass. */
static void description(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
}

void tap_point(struct strbuf *sb, size_t n, const struct record *r, const struct verdict_opts *v)
{
	size_t start = sb->len;
	bool ok = r->outcome == OUT_PASS || r->outcome == OUT_SKIP;
	/* A TODO point that fails does not fail the TAP stream: that is XFAIL.
	 * XPASS is reported as a failure, as the exit status does. */
	sb_addf(sb, "%sok %zu - ", ok ? "" : "not ", n);
	description(sb, r->id);
	switch (r->outcome) {
	case OUT_SKIP:
		sb_addf(sb, " # SKIP %s", r->message ? r->message : "");
		break;
	case OUT_XFAIL:
		sb_addf(sb, " # TODO known failure: %s", r->xfail);
		break;
	default:
		break;
	}
	one_line(sb, start);
	/* What a pass may hide: comments, which no TAP reader counts. */
	for (size_t i = 0; i < r->nwarnings; i++) {
		start = sb->len;
		sb_addf(sb, "# warning: %s", r->warnings[i]);
		one_line(sb, start);
	}
	if (!ok)
		diagnostics(sb, r, v);
}

void report_stream_tap(const struct report *r, struct report_sink *out)
{
	struct strbuf *sb = out->sb;
	sb_adds(sb, TAP_HEADER);
	struct record_iter it;
	size_t n = 0;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		tap_point(sb, ++n, rec, &r->verdict);
		report_sink_record_done(out);
	}
	report_iter_end(&it);
	sb_addf(sb, "1..%zu\n", r->n);
	/* A merge's reason names its input files: one line, whatever their bytes. */
	char *why = r->complete ? NULL : xvisible(r->incomplete ? r->incomplete
						  : "the run did not finish", 4096);
	if (why)
		sb_addf(sb, "# incomplete: %s\n", why);
	free(why);
}
