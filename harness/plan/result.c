#include "plan/result.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[OUT_COUNT] = {
	"PASS", "FAIL", "XFAIL", "XPASS", "SKIP", "ERROR", "TIMEOUT",
};

static const char *const stage_names[STAGE_COUNT] = {
	"", "load", "compile", "link", "proof", "mode", "elf-rule", "elf-expect", "run", "expect", "compare", "diff",
	"suite-script",
};

const char *outcome_name(enum outcome o) { return outcome_names[o]; }
const char *stage_name(enum stage s) { return stage_names[s]; }

bool outcome_is_bad(enum outcome o)
{
	return o == OUT_FAIL || o == OUT_ERROR || o == OUT_TIMEOUT || o == OUT_XPASS;
}

static char *dup_bytes(const struct strbuf *sb)
{
	return xstrndup(sb->buf ? sb->buf : "", sb->len);
}

size_t result_log(struct result *r, const struct proc *p, const char *cwd)
{
	r->logs = xrealloc(r->logs, (r->nlogs + 1) * sizeof *r->logs);
	struct cmdlog *l = &r->logs[r->nlogs];
	struct strbuf sb = STRBUF_INIT;
	sb_add_argv(&sb, p->argv);
	l->cmd = sb_detach(&sb);
	l->cwd = xstrdup(cwd ? cwd : ".");
	proc_describe(p, &sb);
	l->how = sb_detach(&sb);
	l->out = dup_bytes(&p->out);
	l->err = dup_bytes(&p->err);
	l->out_len = p->out.len;
	l->err_len = p->err.len;
	l->out_total = p->out_total;
	l->err_total = p->err_total;
	l->secs = p->wall;
	return r->nlogs++;
}

void link_time_add(struct link_time *lt, double wall, double cpu, bool cached)
{
	lt->links++;
	lt->cached += cached;
	lt->wall += wall;
	/* Unknown once, unknown for the test: a partial sum would look fast. */
	lt->cpu = lt->cpu < 0 || cpu < 0 ? -1 : lt->cpu + cpu;
}

void result_set(struct result *r, enum outcome o, enum stage s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(r->message);
	r->message = xvasprintf(fmt, ap);
	va_end(ap);
	r->outcome = o;
	r->stage = s;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void result_note(struct result *r, const char *file, const char *rule, const char *profile,
		 const char *where, const char *consequence, bool expected)
{
	r->notes = xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
	r->notes[r->nnotes++] = (struct rule_note){ xstrdup(file), xstrdup(rule), xstrdup(profile),
						    xstrdup(where), xstrdup(consequence), expected };
}

void result_copy(struct result *dst, const struct result *src)
{
	result_free(dst);
	*dst = *src;
	dst->message = dup_or_null(src->message);
	dst->detail = dup_or_null(src->detail);
	dst->diff = dup_or_null(src->diff);
	dst->logs = xcalloc(src->nlogs, sizeof *dst->logs);
	for (size_t i = 0; i < src->nlogs; i++) {
		const struct cmdlog *s = &src->logs[i];
		struct cmdlog *d = &dst->logs[i];
		*d = *s;
		d->cmd = xstrdup(s->cmd);
		d->cwd = xstrdup(s->cwd);
		d->how = xstrdup(s->how);
		d->out = xstrndup(s->out, s->out_len);
		d->err = xstrndup(s->err, s->err_len);
	}
	dst->warnings = (struct strvec)STRVEC_INIT;
	for (size_t i = 0; i < src->warnings.n; i++)
		sv_push(&dst->warnings, src->warnings.v[i]);
	dst->notes = NULL;
	dst->nnotes = 0;
	for (size_t i = 0; i < src->nnotes; i++) {
		const struct rule_note *n = &src->notes[i];
		result_note(dst, n->file, n->rule, n->profile, n->where, n->consequence, n->expected);
	}
}

void result_drop_outputs(struct result *r, size_t upto)
{
	for (size_t i = 0; i < upto && i < r->nlogs; i++) {
		struct cmdlog *l = &r->logs[i];
		free(l->out), free(l->err);
		l->out = xstrdup(""), l->err = xstrdup("");
		l->out_len = l->err_len = 0;
	}
}

void result_drop_logs(struct result *r)
{
	for (size_t i = 0; i < r->nlogs; i++) {
		struct cmdlog *l = &r->logs[i];
		free(l->cmd), free(l->cwd), free(l->how), free(l->out), free(l->err);
	}
	free(r->logs);
	r->logs = NULL;
	r->nlogs = 0;
	r->failed_log = NO_LOG;
}

void result_free(struct result *r)
{
	result_drop_logs(r);
	for (size_t i = 0; i < r->nnotes; i++) {
		struct rule_note *n = &r->notes[i];
		free(n->file), free(n->rule), free(n->profile), free(n->where), free(n->consequence);
	}
	free(r->notes);
	sv_clear(&r->warnings);
	free(r->message);
	free(r->detail);
	free(r->diff);
	memset(r, 0, sizeof *r);
	r->failed_log = NO_LOG;
}
