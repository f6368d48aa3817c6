#include "report/html.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "page_html.h"   /* generated from page.html: static const char page_html[] */

/* Bytes of the deciding command's outputs the page carries: the end,
 * where a linker's errors come after collect2's echo of its command line,
 * and ten thousand results stay under 5 MB. results.json has more. */
#define PAGE_OUTPUT_CAP 512

static void capped(struct json *j, const char *s, size_t len)
{
	size_t skip = len > PAGE_OUTPUT_CAP ? len - PAGE_OUTPUT_CAP : 0;
	json_strn(j, s ? s + skip : "", len - skip);
}

/* Short keys: the page carries ten thousand of these. Commands only for
 * tests that did not pass, outputs only of the command that decided. */
static void record(struct json *j, const struct record *r)
{
	json_obj(j);
	json_kstr(j, "c", r->case_name);
	json_kstr(j, "v", r->variant);
	json_kstr(j, "t", r->target);
	json_kstr(j, "l", r->linker);
	json_kstr(j, "o", outcome_name(r->outcome));
	if (r->stage)
		json_kstr(j, "s", stage_name(r->stage));
	if (r->message)
		json_kstr(j, "m", r->message);
	if (r->xfail)
		json_kstr(j, "x", r->xfail);
	if (r->ntags) {
		json_key(j, "g");
		json_arr(j);
		for (size_t i = 0; i < r->ntags; i++)
			json_str(j, r->tags[i]);
		json_arr_end(j);
	}
	char *repro = report_repro(r);
	json_kstr(j, "r", repro);
	free(repro);
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
	bool passed = r->outcome == OUT_PASS || r->outcome == OUT_SKIP;
	if (!passed && r->ncmds) {
		json_kint(j, "fc", r->failed_cmd);
		json_key(j, "k");
		json_arr(j);
		for (size_t i = 0; i < r->ncmds; i++) {
			const struct rep_cmd *c = &r->cmds[i];
			json_arr(j);
			bool deciding = (long)i == r->failed_cmd;
			json_str(j, c->cmd), json_str(j, c->cwd), json_str(j, c->status);
			capped(j, c->out, deciding ? c->out_len : 0);
			capped(j, c->err, deciding ? c->err_len : 0);
			json_bool(j, c->out_total > (deciding ? PAGE_OUTPUT_CAP : 0));
			json_bool(j, c->err_total > (deciding ? PAGE_OUTPUT_CAP : 0));
			json_arr_end(j);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
}

static void data(const struct report *r, struct strbuf *sb)
{
	struct json j;
	json_init(&j, sb, false);
	json_obj(&j);
	json_key(&j, "meta");
	json_obj(&j);
	json_kstr(&j, "version", r->harness_version);
	json_kstr(&j, "run", r->run_id);
	json_kstr(&j, "host", r->host);
	json_kstr(&j, "system", r->host_system);
	if (r->comparison)
		json_kstr(&j, "compare", r->comparison);
	json_kstr(&j, "started", r->started);
	json_kstr(&j, "ended", r->ended);
	json_kbool(&j, "complete", r->complete);
	json_obj_end(&j);
	json_key(&j, "linkers");
	json_arr(&j);
	for (size_t i = 0; i < r->nlinkers; i++) {
		json_obj(&j);
		json_kstr(&j, "n", r->linkers[i].name);
		json_kbool(&j, "f", r->linkers[i].found);
		json_kstr(&j, "v", r->linkers[i].version);
		json_kstr(&j, "w", r->linkers[i].why);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "targets");
	json_arr(&j);
	for (size_t i = 0; i < r->ntargets; i++) {
		json_obj(&j);
		json_kstr(&j, "n", r->targets[i].name);
		json_kbool(&j, "u", r->targets[i].usable);
		json_kstr(&j, "p", r->targets[i].profile);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "results");
	json_arr(&j);
	for (size_t i = 0; i < r->n; i++)
		record(&j, &r->v[i]);
	json_arr_end(&j);
	json_obj_end(&j);
}

void report_write_html(const struct report *r, struct strbuf *sb)
{
	static const char marker[] = "@DATA@";
	const char *at = strstr(page_html, marker);
	struct strbuf js = STRBUF_INIT;
	data(r, &js);
	sb_add(sb, page_html, (size_t)(at - page_html));
	/* Inside <script>, "</" could end the element: JSON lets it be "<\/". */
	for (size_t i = 0; i < js.len; i++) {
		if (js.buf[i] == '<' && i + 1 < js.len && js.buf[i + 1] == '/')
			sb_adds(sb, "<\\");
		else
			sb_addc(sb, js.buf[i]);
	}
	sb_adds(sb, at + sizeof marker - 1);
	sb_free(&js);
}
