#include "report/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_html.h"   /* generated from page.html: static const char page_html[] */
#include "results/causes.h"
#include "results/linktimes.h"
#include "results/versions.h"
#include "util/json.h"

/* Bytes of each command output the page carries at most, and all outputs
 * together: a run where thousands of tests fail still gives a page a
 * browser opens in a blink (results.json has more of every output). */
#define PAGE_OUTPUT_CAP 2048
#define PAGE_OUTPUT_MIN 64
#define PAGE_OUTPUT_BUDGET (1u << 20)

/* PASS and SKIP carry no commands: nothing there to look into. */
static bool with_commands(const struct record *r)
{
	return r->outcome != OUT_PASS && r->outcome != OUT_SKIP;
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The output bytes the page would carry with each output cut to cap. */
static size_t output_bytes(const struct report *r, size_t cap)
{
	size_t sum = 0;
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		if (!with_commands(rec))
			continue;
		for (size_t k = 0; k < rec->ncmds; k++)
			sum += min_size(rec->cmds[k].out_len, cap) + min_size(rec->cmds[k].err_len, cap);
	}
	report_iter_end(&it);
	return sum;
}

/* The largest cap, up to PAGE_OUTPUT_CAP, that keeps all outputs within
 * the budget: short outputs stay whole, long ones share what is left. */
static size_t output_cap(const struct report *r)
{
	if (output_bytes(r, PAGE_OUTPUT_CAP) <= PAGE_OUTPUT_BUDGET)
		return PAGE_OUTPUT_CAP;
	size_t lo = PAGE_OUTPUT_MIN, hi = PAGE_OUTPUT_CAP;
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (output_bytes(r, mid) <= PAGE_OUTPUT_BUDGET)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The end of an output, where a linker's errors come after collect2's
 * echo of its command line; when that is not all of it, "<k>cut": [the
 * first byte shown, the byte after the last, bytes written]. */
static void output(struct json *j, const char *k, const char *s, size_t len, size_t total,
		   size_t cap)
{
	size_t from = len > cap ? len - cap : 0;
	/* Not in the middle of a UTF-8 sequence: it would show as U+FFFD. */
	while (from < len && from > 0 && ((unsigned char)s[from] & 0xc0) == 0x80)
		from++;
	json_key(j, k);
	json_strn(j, s ? s + from : "", len - from);
	if (from > 0 || total > len) {
		char key[8];
		snprintf(key, sizeof key, "%scut", k);
		json_key(j, key);
		json_arr(j);
		json_uint(j, from);
		json_uint(j, len);
		json_uint(j, total > len ? total : len);
		json_arr_end(j);
	}
}

static void commands(struct json *j, const struct record *r, size_t cap)
{
	json_kint(j, "fc", r->failed_cmd);
	json_key(j, "k");
	json_arr(j);
	for (size_t i = 0; i < r->ncmds; i++) {
		const struct rep_cmd *c = &r->cmds[i];
		json_obj(j);
		json_kstr(j, "c", c->cmd);
		json_kstr(j, "w", c->cwd);
		json_kstr(j, "s", c->status);
		output(j, "o", c->out, c->out_len, c->out_total, cap);
		output(j, "e", c->err, c->err_len, c->err_total, cap);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* The run's failures by cause, the largest group first, and the same
 * groups in the order of their causes: a test finds its group by bsearch,
 * which a run of thousands of failures with as many causes needs. */
struct page_causes {
	struct causes c;
	const struct cause_group **by_cause;
};

static int cause_order(const void *a, const void *b)
{
	const struct cause_group *const *x = a, *const *y = b;
	return strcmp((*x)->cause, (*y)->cause);
}

static int cause_is(const void *cause, const void *g)
{
	return strcmp(cause, (*(const struct cause_group *const *)g)->cause);
}

/* The index of r's group, -1 for a test that did not go wrong. */
static long long group_of(const struct page_causes *pc, const struct record *r)
{
	char *cause = record_cause(r);
	const struct cause_group *const *g =
		cause ? bsearch(cause, pc->by_cause, pc->c.n, sizeof *pc->by_cause, cause_is) : NULL;
	free(cause);
	return g ? (long long)(*g - pc->c.v) : -1;
}

/* Short keys: the page carries ten thousand of these. C: the index of the
 * test's group in "causes". */
static void record(struct json *j, const struct record *r, size_t cap,
		   const struct verdict_opts *v, const struct page_causes *pc)
{
	long long group = group_of(pc, r);
	json_obj(j);
	json_kstr(j, "c", r->case_name);
	json_kstr(j, "v", r->variant);
	json_kstr(j, "t", r->target);
	json_kstr(j, "l", r->linker);
	json_kstr(j, "o", outcome_name(r->outcome));
	if (group >= 0)
		json_kint(j, "C", group);
	if (r->stage)
		json_kstr(j, "s", stage_name(r->stage));
	if (r->message)
		json_kstr(j, "m", r->message);
	if (r->xfail)
		json_kstr(j, "x", r->xfail);
	if (r->nwarnings) {
		json_key(j, "w");
		json_arr(j);
		for (size_t i = 0; i < r->nwarnings; i++)
			json_str(j, r->warnings[i]);
		json_arr_end(j);
	}
	if (r->ntags) {
		json_key(j, "g");
		json_arr(j);
		for (size_t i = 0; i < r->ntags; i++)
			json_str(j, r->tags[i]);
		json_arr_end(j);
	}
	/* What passed or was skipped has nothing to replay, and 10,000 of
	 * these commands are a fifth of the page. */
	if (r->outcome != OUT_PASS && r->outcome != OUT_SKIP) {
		char *repro = report_repro(v, r);
		json_kstr(j, "r", repro);
		free(repro);
	}
	if (r->nfindings) {
		json_key(j, "f");
		json_arr(j);
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct rep_finding *f = &r->findings[i];
			json_arr(j);
			json_str(j, f->file), json_str(j, f->rule), json_str(j, f->profile);
			json_str(j, f->where), json_str(j, f->consequence), json_bool(j, f->expected);
			json_arr_end(j);
		}
		json_arr_end(j);
	}
	if (r->detail)
		json_kstr(j, "d", r->detail);
	if (r->diff)
		json_kstr(j, "D", r->diff);
	if (with_commands(r) && r->ncmds)
		commands(j, r, cap);
	json_obj_end(j);
}

static void meta(struct json *j, const struct report *r)
{
	json_key(j, "meta");
	json_obj(j);
	json_kstr(j, "version", r->harness_version);
	json_kstr(j, "run", r->run_id);
	json_kstr(j, "host", r->host);
	json_kstr(j, "system", r->host_system);
	if (r->comparison)
		json_kstr(j, "compare", r->comparison);
	struct strbuf vers = STRBUF_INIT;
	report_version_changes(r, &vers);
	if (vers.len)
		json_kstr(j, "versions", vers.buf);
	sb_free(&vers);
	if (r->suite.kind) {
		char *suite = xasprintf("%s %s (%s)", r->suite.kind, r->suite.version, r->suite.dir);
		json_kstr(j, "suite", suite);
		free(suite);
	}
	json_kstr(j, "started", r->started);
	json_kstr(j, "ended", r->ended);
	json_kbool(j, "complete", r->complete);
	if (!r->complete && r->incomplete)
		json_kstr(j, "incomplete", r->incomplete);
	json_obj_end(j);
	json_key(j, "linkers");
	json_arr(j);
	for (size_t i = 0; i < r->nlinkers; i++) {
		json_obj(j);
		json_kstr(j, "n", r->linkers[i].name);
		json_kbool(j, "f", r->linkers[i].found);
		json_kstr(j, "v", r->linkers[i].version);
		json_kstr(j, "w", r->linkers[i].why);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "targets");
	json_arr(j);
	for (size_t i = 0; i < r->ntargets; i++) {
		json_obj(j);
		json_kstr(j, "n", r->targets[i].name);
		json_kbool(j, "u", r->targets[i].usable);
		json_kstr(j, "p", r->targets[i].profile);
		json_kstr(j, "w", r->targets[i].why);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* The table of link times, a row per linker: n linker, t tests, k cached,
 * w and mw wall seconds in all and the median, u and mu CPU (absent where
 * unknown). */
static void times(struct json *j, const struct report *r)
{
	struct link_times lt = { 0 };
	link_times_of(&lt, r);
	json_key(j, "times");
	json_arr(j);
	for (size_t i = 0; i < lt.n; i++) {
		const struct link_row *row = &lt.rows[i];
		json_obj(j);
		json_kstr(j, "n", row->linker);
		json_kint(j, "t", (long long)row->tests);
		json_kint(j, "k", (long long)row->cached);
		json_key(j, "w");
		json_num(j, row->wall);
		json_key(j, "mw");
		json_num(j, row->median_wall);
		if (row->cpu_known) {
			json_key(j, "u");
			json_num(j, row->cpu);
			json_key(j, "mu");
			json_num(j, row->median_cpu);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	link_times_free(&lt);
}

/* The failures grouped by cause, as the run's summary groups them, the
 * largest first: c its cause, o its outcome, i its tests' ids. The page
 * links an id to the test of the same rank among the results whose "C"
 * names the group: both are in the order of the results. */
static void cause_groups(struct json *j, const struct report *r, struct page_causes *pc)
{
	struct causes *c = &pc->c;
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it))
		causes_add(c, rec);
	report_iter_end(&it);
	causes_sort(c);
	pc->by_cause = xmalloc((c->n + 1) * sizeof *pc->by_cause);
	for (size_t k = 0; k < c->n; k++)
		pc->by_cause[k] = &c->v[k];
	qsort(pc->by_cause, c->n, sizeof *pc->by_cause, cause_order);
	json_key(j, "causes");
	json_arr(j);
	for (size_t k = 0; k < c->n; k++) {
		json_obj(j);
		json_kstr(j, "c", c->v[k].cause);
		json_kstr(j, "o", outcome_name(c->v[k].outcome));
		json_key(j, "i");
		json_arr(j);
		for (size_t i = 0; i < c->v[k].ids.n; i++)
			json_str(j, c->v[k].ids.v[i]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Every '<' of the JSON (they are all inside strings) as \u003c: then
 * neither "</script" nor "<!--" can occur, and the parser cannot end the
 * data early or run into a script's "escaped" states, whatever a test
 * printed. */
static void add_script_safe(struct strbuf *sb, const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *lt = memchr(s, '<', (size_t)(end - s));
		size_t span = lt ? (size_t)(lt - s) : (size_t)(end - s);
		sb_add(sb, s, span);
		if (!lt)
			break;
		sb_adds(sb, "\\u003c");
		s = lt + 1;
	}
}

/* The page with its data in place of the marker; the data goes through
 * add_script_safe a record at a time, so no copy of all of it is made. */
void report_stream_html(const struct report *r, struct report_sink *out)
{
	static const char marker[] = "@DATA@";
	const char *at = strstr(page_html, marker);
	struct strbuf js = STRBUF_INIT;
	struct json j;
	sb_add(out->sb, page_html, (size_t)(at - page_html));
	json_init(&j, &js, false);
	json_obj(&j);
	meta(&j, r);
	times(&j, r);
	size_t cap = output_cap(r);
	json_kint(&j, "cap", (long long)cap);
	struct page_causes causes = { 0 };
	cause_groups(&j, r, &causes);
	json_key(&j, "results");
	json_arr(&j);
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		record(&j, rec, cap, &r->verdict, &causes);
		add_script_safe(out->sb, js.buf, js.len);
		sb_reset(&js);
		report_sink_record_done(out);
	}
	report_iter_end(&it);
	json_arr_end(&j), json_obj_end(&j);
	add_script_safe(out->sb, js.buf, js.len);
	sb_adds(out->sb, at + sizeof marker - 1);
	causes_free(&causes.c);
	free(causes.by_cause);
	sb_free(&js);
}
