#include "results/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/exec.h"

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void from_result(struct report *r, struct record *rec, const struct result *res)
{
	rec->outcome = res->outcome;
	rec->stage = res->stage;
	rec->message = res->message;
	rec->detail = res->detail;
	rec->xfail = res->xfail_reason;
	rec->diff = res->diff;
	rec->died = res->died;
	rec->warnings = (const char **)res->warnings.v;
	rec->nwarnings = res->warnings.n;
	rec->secs = res->secs;
	rec->link = res->link;
	rec->failed_cmd = res->failed_log == NO_LOG ? -1 : (long)res->failed_log;
	rec->ncmds = res->nlogs;
	/* Most tests pass, with no commands kept and no findings: no arrays. */
	rec->cmds = res->nlogs ? arena_alloc(&r->arena, res->nlogs * sizeof *rec->cmds) : NULL;
	for (size_t i = 0; i < res->nlogs; i++) {
		const struct cmdlog *l = &res->logs[i];
		rec->cmds[i] = (struct rep_cmd){ l->cmd, l->cwd, l->how, l->out, l->err, l->out_len,
						 l->err_len, l->out_total, l->err_total, l->secs };
	}
	rec->nfindings = res->nnotes;
	rec->findings = res->nnotes ? arena_alloc(&r->arena, res->nnotes * sizeof *rec->findings)
				    : NULL;
	for (size_t i = 0; i < res->nnotes; i++) {
		const struct rule_note *n = &res->notes[i];
		rec->findings[i] = (struct rep_finding){ n->file, n->rule, n->profile, n->where,
							 n->consequence, n->expected };
	}
}

void record_from_test(struct report *r, struct record *rec, const struct test *t)
{
	rec->id = t->id;
	if (t->u) {
		rec->case_name = t->u->c->name;
		rec->case_file = t->u->c->path;
		rec->case_in_root = t->u->c->path + t->u->c->root_len;
		rec->variant = t->u->v->name;
		rec->target = t->u->t->name;
		rec->linker = t->l->name;
		rec->tags = t->u->c->tags.v;
		rec->ntags = t->u->c->tags.n;
	} else {
		rec->case_name = rec->case_file = t->id;
		rec->case_in_root = t->id + t->root_len;
		rec->variant = rec->target = rec->linker = "";
	}
	from_result(r, rec, &t->res);
}

static const char *own(struct report *r, const char *s)
{
	return s ? arena_strdup(&r->arena, s) : NULL;
}

static const char *own_bytes(struct report *r, const char *s, size_t n)
{
	char *d = arena_alloc(&r->arena, n + 1);
	if (n)
		memcpy(d, s, n);
	return d;
}

/* Copies what rec borrows from its test into r's arena, so the test (and
 * its case) can be freed while the run goes on. What the case gives, the
 * tests of one unit share (`unit`, the last unit's record); the target's
 * and linker's names live as long as the run. */
static void own_record(struct report *r, struct record *rec, const struct record *unit)
{
	rec->id = own(r, rec->id);
	if (unit) {
		rec->case_name = unit->case_name;
		rec->case_file = unit->case_file;
		rec->case_in_root = unit->case_in_root;
		rec->variant = unit->variant;
		rec->tags = unit->tags;
	} else {
		rec->case_name = own(r, rec->case_name);
		rec->case_file = own(r, rec->case_file);
		rec->case_in_root = own(r, rec->case_in_root);
		rec->variant = own(r, rec->variant);
		const char **tags = arena_alloc(&r->arena, (rec->ntags + 1) * sizeof *tags);
		for (size_t i = 0; i < rec->ntags; i++)
			tags[i] = own(r, rec->tags[i]);
		rec->tags = tags;
	}
	rec->message = own(r, rec->message);
	rec->detail = own(r, rec->detail);
	rec->xfail = own(r, rec->xfail);
	rec->diff = own(r, rec->diff);
	for (size_t i = 0; i < rec->ncmds; i++) {
		struct rep_cmd *c = &rec->cmds[i];
		c->cmd = own(r, c->cmd);
		c->cwd = own(r, c->cwd);
		c->status = own(r, c->status);
		c->out = own_bytes(r, c->out, c->out_len);
		c->err = own_bytes(r, c->err, c->err_len);
	}
	for (size_t i = 0; i < rec->nfindings; i++) {
		struct rep_finding *f = &rec->findings[i];
		f->file = own(r, f->file);
		f->rule = own(r, f->rule);
		f->profile = own(r, f->profile);
		f->where = own(r, f->where);
		f->consequence = own(r, f->consequence);
	}
}

/* The plan's tests that are done, as records; copied into r's arena, or
 * borrowing from the plan. */
static void add_plan(struct report *r, const struct plan *p, bool copy)
{
	const struct unit *last = NULL;
	size_t unit_rec = 0;
	for (size_t i = 0; i < p->ntests; i++) {
		const struct test *t = p->tests[i];
		if (!t->done)
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 256;
			r->v = xrealloc(r->v, r->cap * sizeof *r->v);
		}
		struct record *rec = &r->v[r->n];
		*rec = (struct record){ 0 };
		record_from_test(r, rec, t);
		if (copy)
			own_record(r, rec, t->u && t->u == last ? &r->v[unit_rec] : NULL);
		if (t->u && t->u != last)
			last = t->u, unit_rec = r->n;
		r->n++;
	}
}

/* A spooled report sorts the plan's records, borrowing from it, and
 * writes them out while the plan is there. */
void report_add_plan(struct report *r, const struct plan *p)
{
	if (!r->spool) {
		add_plan(r, p, true);
		return;
	}
	struct report w = { 0 };
	add_plan(&w, p, false);
	report_finish(&w);
	for (size_t i = 0; i < w.n; i++)
		report_spool_record(r, &w.v[i]);
	report_free(&w);
}

void report_set_meta(struct report *r, const struct report_meta *m)
{
	r->harness_version = m->harness_version;
	r->run_id = m->run_id;
	r->started = m->started;
	r->ended = m->ended;
	r->complete = !m->incomplete;
	r->incomplete = m->incomplete ? arena_strdup(&r->arena, m->incomplete) : NULL;
	r->cases_digest = m->cases_digest;
	r->ncases = m->ncases;
	r->shard_index = m->shard_index;
	r->shard_count = m->shard_count;
	r->argv = (const char **)m->argv;
	r->nargv = m->nargv;
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	r->host = arena_strdup(&r->arena, host);
	char *sys = xasprintf("%s-%s", host_os(), host_arch());
	r->host_system = arena_strdup(&r->arena, sys);
	free(sys);
	r->nlinkers = m->ls->n;
	r->linkers = arena_alloc(&r->arena, (m->ls->n + 1) * sizeof *r->linkers);
	for (size_t i = 0; i < m->ls->n; i++) {
		const struct linker *l = &m->ls->v[i];
		r->linkers[i] = (struct rep_linker){ l->name, or_empty(l->host.path),
						     or_empty(l->host.version), or_empty(l->host.why),
						     l->host.found, l->family };
	}
	r->ntargets = m->ts->n;
	r->targets = arena_alloc(&r->arena, (m->ts->n + 1) * sizeof *r->targets);
	for (size_t i = 0; i < m->ts->n; i++) {
		const struct target *t = &m->ts->v[i];
		r->targets[i] = (struct rep_target){ t->name, t->os, t->arch, t->libc, t->prof.name,
						     or_empty(t->why), t->usable };
	}
	r->suite = m->suite;
	r->verdict.suite = m->suite.kind;
}

int record_cmp(const struct record *a, const struct record *b)
{
	int d = strcmp(a->case_name, b->case_name);
	if (!d)
		d = strcmp(a->variant, b->variant);
	if (!d)
		d = strcmp(a->target, b->target);
	if (!d)
		d = strcmp(a->linker, b->linker);
	return d;
}

static int by_name(const void *a, const void *b)
{
	return record_cmp(a, b);
}

void report_finish(struct report *r)
{
	if (r->spool)
		return;   /* sorted and counted as it was written */
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, by_name);
	memset(r->counts, 0, sizeof r->counts);
	for (size_t i = 0; i < r->n; i++)
		r->counts[r->v[i].outcome]++;
}

void report_free(struct report *r)
{
	if (r->reader)
		r->reader->close(r->reader);
	arena_free(&r->arena);
	if (r->cap)
		free(r->v);
	if (r->spool)
		fclose(r->spool);
	memset(r, 0, sizeof *r);
}

const struct rep_linker *report_linker(const struct report *r, const char *name)
{
	for (size_t i = 0; i < r->nlinkers; i++)
		if (!strcmp(r->linkers[i].name, name))
			return &r->linkers[i];
	return NULL;
}

char *report_cases_digest(const struct loaded_case *cases, size_t n)
{
	/* FNV-1a, 64 bits, over each file's path base and bytes in load
	 * order: it tells case sets apart, it is not a seal. */
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++) {
		char *data = NULL;
		size_t len = 0;
		const char *base = path_base(cases[i].path);
		for (const char *p = base; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		if (read_file(cases[i].path, &data, &len) == 0)
			for (size_t k = 0; k < len; k++)
				h = (h ^ (unsigned char)data[k]) * 1099511628211ull;
		free(data);
	}
	return xasprintf("fnv1a64:%016llx:%zu", (unsigned long long)h, n);
}

/* " --name VALUE", quoted. */
static void add_opt(struct strbuf *sb, const char *name, const char *value)
{
	sb_addf(sb, " --%s ", name);
	sb_add_shquoted(sb, value);
}

void verdict_opts_args(struct strbuf *sb, const struct verdict_opts *v)
{
	for (size_t i = 0; i < v->nadded; i++)
		add_opt(sb, "linker", v->added[i]);
	for (size_t i = 0; i < v->nprofiles; i++)
		add_opt(sb, "check-profile", v->profiles[i]);
	const struct { const char *name, *value; } strs[] = {
		{ "known-failures", v->known_failures }, { "diff-reference", v->diff_reference },
		{ "linkers-dir", v->linkers_dir }, { "targets-dir", v->targets_dir },
	};
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (strs[i].value && *strs[i].value)
			add_opt(sb, strs[i].name, strs[i].value);
	/* Defaults left out; an older file's 0 is no timeout given. */
	if (v->timeout > 0 && v->timeout != EXEC_RUN_TIMEOUT)
		sb_addf(sb, " --timeout %.10g", v->timeout);
	if (v->build_timeout > 0 && v->build_timeout != EXEC_BUILD_TIMEOUT)
		sb_addf(sb, " --build-timeout %.10g", v->build_timeout);
}

void verdict_opts_env(struct strbuf *sb, const struct verdict_opts *v)
{
	for (size_t i = 0; i < v->nenv; i++) {
		const char *eq = strchr(v->env[i], '=');
		sb_addf(sb, "%.*s=", (int)(eq - v->env[i]), v->env[i]);
		sb_add_shquoted(sb, eq + 1);
		sb_addc(sb, ' ');
	}
}

void verdict_opts_line(struct strbuf *sb, const struct verdict_opts *v)
{
	struct strbuf args = STRBUF_INIT;
	verdict_opts_env(sb, v);
	verdict_opts_args(&args, v);
	if (args.len)
		sb_adds(sb, args.buf + 1);   /* after the env's space, or at the start */
	else if (sb->len)
		sb->buf[--sb->len] = 0;
	sb_free(&args);
}

bool verdict_opts_same(const struct verdict_opts *a, const struct verdict_opts *b,
		       struct strbuf *why)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	verdict_opts_line(&x, a);
	verdict_opts_line(&y, b);
	bool same = !strcmp(sb_str(&x), sb_str(&y));
	if (!same)
		sb_addf(why, "'%s' and '%s'", x.len ? x.buf : "(none)", y.len ? y.buf : "(none)");
	sb_free(&x);
	sb_free(&y);
	return same;
}

/* Its command where it ran: the directory whose linker names run the
 * linker is kept when a script fails. */
static char *script_repro(const struct record *rec)
{
	struct strbuf sb = STRBUF_INIT;
	if (rec->failed_cmd < 0) {
		sb_adds(&sb, "bash -x ");
		sb_add_shquoted(&sb, rec->case_file);
		return sb_detach(&sb);
	}
	const struct rep_cmd *c = &rec->cmds[rec->failed_cmd];
	sb_adds(&sb, "cd ");
	sb_add_shquoted(&sb, c->cwd);
	sb_addf(&sb, " && %s", c->cmd);
	return sb_detach(&sb);
}

char *report_repro(const struct verdict_opts *v, const struct record *rec)
{
	struct strbuf sb = STRBUF_INIT;
	if (v->suite)
		return script_repro(rec);
	if (!*rec->variant) {
		sb_adds(&sb, "linkmatrix validate ");
		sb_add_shquoted(&sb, rec->case_file);
		return sb_detach(&sb);
	}
	/* Absolute, so the command works from wherever it is pasted. */
	char *abs = realpath(rec->case_file, NULL);
	char *arg = xasprintf("%s:%s", abs ? abs : rec->case_file, rec->variant);
	free(abs);
	char *dir = xasprintf("repro/%s-%s-%s-%s", rec->case_name, rec->variant, rec->target,
			      rec->linker);
	verdict_opts_env(&sb, v);
	sb_adds(&sb, "linkmatrix repro ");
	sb_add_shquoted(&sb, arg);
	sb_addf(&sb, " --linker %s --target %s", rec->linker, rec->target);
	verdict_opts_args(&sb, v);
	sb_adds(&sb, " -o ");
	sb_add_shquoted(&sb, dir);
	sb_adds(&sb, " && ");
	sb_add_shquoted(&sb, dir);
	sb_adds(&sb, "/repro.sh");
	free(arg);
	free(dir);
	return sb_detach(&sb);
}

void report_sink_record_done(struct report_sink *s)
{
	if (s->fd < 0 || s->sb->len < (256u << 10))
		return;
	if (!s->err && write_all(s->fd, s->sb->buf, s->sb->len) < 0)
		s->err = errno;
	sb_reset(s->sb);
}
