/* results.json: written from a report, read back into one (merge, compare).
 * The schema is docs/results-json.md; the reader is strict (an unknown key
 * is an error) so a file from another schema version is refused, not
 * half-read. JSON is read with libyaml: our JSON is plain YAML flow style. */
#include "results/results.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* ---- writing ------------------------------------------------------------- */

static void kstrn_capped(struct json *j, const char *k, const char *s, size_t len)
{
	json_key(j, k);
	json_strn(j, s ? s : "", len > REPORT_OUTPUT_CAP ? REPORT_OUTPUT_CAP : len);
}

/* Outputs only for tests that did not pass: for the others they are
 * noise, and ten thousand of them would make the file hundreds of MB. */
static void write_cmd(struct json *j, const struct rep_cmd *c, bool outputs)
{
	json_obj(j);
	json_kstr(j, "command", c->cmd);
	json_kstr(j, "cwd", c->cwd);
	json_kstr(j, "status", c->status);
	json_key(j, "seconds");
	json_num(j, c->secs);
	kstrn_capped(j, "stdout", c->out, outputs ? c->out_len : 0);
	json_key(j, "stdout_bytes");
	json_uint(j, c->out_total);
	kstrn_capped(j, "stderr", c->err, outputs ? c->err_len : 0);
	json_key(j, "stderr_bytes");
	json_uint(j, c->err_total);
	json_obj_end(j);
}

static void write_record(struct json *j, const struct record *rec)
{
	json_obj(j);
	json_kstr(j, "id", rec->id);
	json_kstr(j, "case", rec->case_name);
	json_kstr(j, "case_file", rec->case_file);
	json_kstr(j, "variant", rec->variant);
	json_kstr(j, "target", rec->target);
	json_kstr(j, "linker", rec->linker);
	json_key(j, "tags");
	json_arr(j);
	for (size_t i = 0; i < rec->ntags; i++)
		json_str(j, rec->tags[i]);
	json_arr_end(j);
	json_kstr(j, "outcome", outcome_name(rec->outcome));
	json_kstr(j, "stage", stage_name(rec->stage));
	json_kstr(j, "message", rec->message ? rec->message : "");
	json_kstr(j, "detail", rec->detail ? rec->detail : "");
	json_kstr(j, "known_failure", rec->xfail ? rec->xfail : "");
	json_kstr(j, "diff", rec->diff ? rec->diff : "");
	json_kstr(j, "died", rec->died ? rec->died : "");
	json_key(j, "warnings");
	json_arr(j);
	for (size_t i = 0; i < rec->nwarnings; i++)
		json_str(j, rec->warnings[i]);
	json_arr_end(j);
	/* As in index.html: what passed or was skipped has nothing to replay. */
	bool replay = rec->outcome != OUT_PASS && rec->outcome != OUT_SKIP;
	char *repro = replay ? report_repro(rec) : NULL;
	json_kstr(j, "repro", repro ? repro : "");
	free(repro);
	json_key(j, "seconds");
	json_num(j, rec->secs);
	json_kint(j, "failed_command", rec->failed_cmd);
	json_key(j, "commands");
	json_arr(j);
	bool outputs = rec->outcome != OUT_PASS && rec->outcome != OUT_SKIP;
	for (size_t i = 0; i < rec->ncmds; i++)
		write_cmd(j, &rec->cmds[i], outputs);
	json_arr_end(j);
	json_key(j, "findings");
	json_arr(j);
	for (size_t i = 0; i < rec->nfindings; i++) {
		const struct rep_finding *f = &rec->findings[i];
		json_obj(j);
		json_kstr(j, "file", f->file);
		json_kstr(j, "rule", f->rule);
		json_kstr(j, "profile", f->profile);
		json_kstr(j, "where", f->where);
		json_kstr(j, "consequence", f->consequence);
		json_kbool(j, "expected", f->expected);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void write_meta(struct json *j, const struct report *r)
{
	json_kstr(j, "schema", REPORT_SCHEMA);
	json_kint(j, "version", REPORT_SCHEMA_VERSION);
	json_kstr(j, "harness_version", r->harness_version);
	json_kstr(j, "run_id", r->run_id);
	json_kstr(j, "host", r->host);
	json_kstr(j, "host_system", r->host_system ? r->host_system : "");
	json_kstr(j, "started", r->started);
	json_kstr(j, "ended", r->ended);
	json_kbool(j, "complete", r->complete);
	json_kstr(j, "cases_digest", r->cases_digest);
	json_kint(j, "cases", (long long)r->ncases);
	json_key(j, "shard");
	json_obj(j);
	json_kint(j, "index", r->shard_index);
	json_kint(j, "count", r->shard_count);
	json_obj_end(j);
	json_key(j, "argv");
	json_arr(j);
	for (size_t i = 0; i < r->nargv; i++)
		json_str(j, r->argv[i]);
	json_arr_end(j);
	json_key(j, "linkers");
	json_arr(j);
	for (size_t i = 0; i < r->nlinkers; i++) {
		const struct rep_linker *l = &r->linkers[i];
		json_obj(j);
		json_kstr(j, "name", l->name);
		json_kbool(j, "found", l->found);
		json_kstr(j, "path", l->path);
		json_kstr(j, "version", l->version);
		json_kstr(j, "why", l->why);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "targets");
	json_arr(j);
	for (size_t i = 0; i < r->ntargets; i++) {
		const struct rep_target *t = &r->targets[i];
		json_obj(j);
		json_kstr(j, "name", t->name);
		json_kbool(j, "usable", t->usable);
		json_kstr(j, "os", t->os);
		json_kstr(j, "arch", t->arch);
		json_kstr(j, "libc", t->libc);
		json_kstr(j, "profile", t->profile);
		json_kstr(j, "why", t->why);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "summary");
	json_obj(j);
	for (int o = 0; o < OUT_COUNT; o++)
		json_kint(j, outcome_name((enum outcome)o), (long long)r->counts[o]);
	json_obj_end(j);
}

void report_stream_json(const struct report *r, struct report_sink *s)
{
	struct json j;
	json_init(&j, s->sb, true);
	json_obj(&j);
	write_meta(&j, r);
	json_key(&j, "results");
	json_arr(&j);
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		write_record(&j, rec);
		report_sink_record_done(s);
	}
	report_iter_end(&it);
	json_arr_end(&j);
	json_obj_end(&j);
	sb_addc(s->sb, '\n');
}


/* ---- reading --------------------------------------------------------------- */

/* Decoding targets with the types yamldoc fills (long, not size_t). */
struct jcmd {
	const char *command, *cwd, *status, *out, *err;
	double secs;
	long out_bytes, err_bytes;
};

static const struct yfield cmd_fields[] = {
	YFIELD_REQ(struct jcmd, "command", YF_STR, command),
	YFIELD_REQ(struct jcmd, "cwd", YF_STR, cwd),
	YFIELD_REQ(struct jcmd, "status", YF_STR, status),
	YFIELD_REQ(struct jcmd, "seconds", YF_NUM, secs),
	YFIELD_REQ(struct jcmd, "stdout", YF_STR, out),
	YFIELD_REQ(struct jcmd, "stdout_bytes", YF_INT, out_bytes),
	YFIELD_REQ(struct jcmd, "stderr", YF_STR, err),
	YFIELD_REQ(struct jcmd, "stderr_bytes", YF_INT, err_bytes),
};

static const struct yfield finding_fields[] = {
	YFIELD_REQ(struct rep_finding, "file", YF_STR, file),
	YFIELD_REQ(struct rep_finding, "rule", YF_STR, rule),
	YFIELD_REQ(struct rep_finding, "profile", YF_STR, profile),
	YFIELD_REQ(struct rep_finding, "where", YF_STR, where),
	YFIELD_REQ(struct rep_finding, "consequence", YF_STR, consequence),
	YFIELD_REQ(struct rep_finding, "expected", YF_BOOL, expected),
};

static size_t seq_len(const yaml_node_t *v)
{
	return v->type == YAML_SEQUENCE_NODE
		? (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) : 0;
}

static bool want_seq(struct ydoc *y, yaml_node_t *v, const char *what)
{
	if (v->type == YAML_SEQUENCE_NODE)
		return true;
	yerr(y, v, "%s must be a list", what);
	return false;
}

static bool dec_cmds(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct record *rec = obj;
	if (!want_seq(y, v, "commands"))
		return false;
	rec->cmds = arena_alloc(y->arena, (seq_len(v) + 1) * sizeof *rec->cmds);
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		struct jcmd c = { 0 };
		if (!y_fields(y, ydoc_node(y, *it), "a command", cmd_fields, ARRAY_LEN(cmd_fields), &c)) {
			ok = false;
			continue;
		}
		rec->cmds[rec->ncmds++] = (struct rep_cmd){
			c.command, c.cwd, c.status, c.out, c.err, strlen(c.out), strlen(c.err),
			(size_t)(c.out_bytes < 0 ? 0 : c.out_bytes), (size_t)(c.err_bytes < 0 ? 0 : c.err_bytes),
			c.secs };
	}
	return ok;
}

static bool dec_findings(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct record *rec = obj;
	if (!want_seq(y, v, "findings"))
		return false;
	rec->findings = arena_alloc(y->arena, (seq_len(v) + 1) * sizeof *rec->findings);
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		struct rep_finding *f = &rec->findings[rec->nfindings];
		if (y_fields(y, ydoc_node(y, *it), "a finding", finding_fields,
			     ARRAY_LEN(finding_fields), f))
			rec->nfindings++;
		else
			ok = false;
	}
	return ok;
}

static bool named(const char *s, const char *(*name)(int), int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name(i), s)) {
			*out = i;
			return true;
		}
	return false;
}

static const char *outcome_at(int i) { return outcome_name((enum outcome)i); }
static const char *stage_at(int i) { return stage_name((enum stage)i); }

/* The record as read, with its enum fields as strings and its tags. */
struct jrec {
	struct record rec;
	const char *outcome, *stage, *repro;
	struct slist tags, warnings;
	long failed;
};

static bool dec_rec_cmds(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return dec_cmds(y, v, &((struct jrec *)obj)->rec);
}

static bool dec_rec_findings(struct ydoc *y, yaml_node_t *v, void *obj)
{
	return dec_findings(y, v, &((struct jrec *)obj)->rec);
}

static const struct yfield record_fields[] = {
	YFIELD_REQ(struct jrec, "id", YF_STR, rec.id),
	YFIELD_REQ(struct jrec, "case", YF_STR, rec.case_name),
	YFIELD_REQ(struct jrec, "case_file", YF_STR, rec.case_file),
	YFIELD_REQ(struct jrec, "variant", YF_STR, rec.variant),
	YFIELD_REQ(struct jrec, "target", YF_STR, rec.target),
	YFIELD_REQ(struct jrec, "linker", YF_STR, rec.linker),
	YFIELD_REQ(struct jrec, "tags", YF_STRLIST, tags),
	YFIELD_REQ(struct jrec, "outcome", YF_STR, outcome),
	YFIELD_REQ(struct jrec, "stage", YF_STR, stage),
	YFIELD_REQ(struct jrec, "message", YF_STR, rec.message),
	YFIELD_REQ(struct jrec, "detail", YF_STR, rec.detail),
	YFIELD_REQ(struct jrec, "known_failure", YF_STR, rec.xfail),
	YFIELD_REQ(struct jrec, "diff", YF_STR, rec.diff),
	/* Added after schema 1 was out: optional to read. */
	YFIELD(struct jrec, "died", YF_STR, rec.died),
	YFIELD(struct jrec, "warnings", YF_STRLIST, warnings),
	YFIELD_REQ(struct jrec, "repro", YF_STR, repro),
	YFIELD_REQ(struct jrec, "seconds", YF_NUM, rec.secs),
	YFIELD_REQ(struct jrec, "failed_command", YF_INT, failed),
	YFIELD_FN_REQ("commands", dec_rec_cmds),
	YFIELD_FN_REQ("findings", dec_rec_findings),
};

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The file as decoded: the report, and the head fields checked first. */
struct jfile {
	const char *schema;
	long version, ncases;
	struct report rep;
};

static bool dec_results(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct report *r = &((struct jfile *)obj)->rep;
	if (!want_seq(y, v, "results"))
		return false;
	r->v = arena_alloc(y->arena, (seq_len(v) + 1) * sizeof *r->v);
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it) {
		yaml_node_t *e = ydoc_node(y, *it);
		struct jrec jr = { .failed = -1 };
		int o = 0, s = 0;
		if (!y_fields(y, e, "a result", record_fields, ARRAY_LEN(record_fields), &jr)) {
			ok = false;
			continue;
		}
		if (!named(jr.outcome, outcome_at, OUT_COUNT, &o) ||
		    !named(jr.stage, stage_at, STAGE_COUNT, &s)) {
			yerr(y, e, "unknown outcome '%s' or stage '%s'", jr.outcome, jr.stage);
			ok = false;
			continue;
		}
		struct record *rec = &r->v[r->n++];
		*rec = jr.rec;
		rec->outcome = (enum outcome)o;
		rec->stage = (enum stage)s;
		rec->tags = jr.tags.v;
		rec->ntags = jr.tags.n;
		rec->warnings = jr.warnings.v;
		rec->nwarnings = jr.warnings.n;
		rec->failed_cmd = jr.failed >= 0 && (size_t)jr.failed < rec->ncmds ? jr.failed : -1;
		rec->message = or_null(rec->message);
		rec->detail = or_null(rec->detail);
		rec->xfail = or_null(rec->xfail);
		rec->diff = or_null(rec->diff);
		rec->died = or_null(rec->died);
	}
	return ok;
}

static const struct yfield linker_fields[] = {
	YFIELD_REQ(struct rep_linker, "name", YF_STR, name),
	YFIELD_REQ(struct rep_linker, "found", YF_BOOL, found),
	YFIELD_REQ(struct rep_linker, "path", YF_STR, path),
	YFIELD_REQ(struct rep_linker, "version", YF_STR, version),
	YFIELD_REQ(struct rep_linker, "why", YF_STR, why),
};

static const struct yfield target_fields[] = {
	YFIELD_REQ(struct rep_target, "name", YF_STR, name),
	YFIELD_REQ(struct rep_target, "usable", YF_BOOL, usable),
	YFIELD_REQ(struct rep_target, "os", YF_STR, os),
	YFIELD_REQ(struct rep_target, "arch", YF_STR, arch),
	YFIELD_REQ(struct rep_target, "libc", YF_STR, libc),
	YFIELD_REQ(struct rep_target, "profile", YF_STR, profile),
	YFIELD_REQ(struct rep_target, "why", YF_STR, why),
};

static bool dec_linkers(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct report *r = &((struct jfile *)obj)->rep;
	if (!want_seq(y, v, "linkers"))
		return false;
	r->linkers = arena_alloc(y->arena, (seq_len(v) + 1) * sizeof *r->linkers);
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it)
		ok &= y_fields(y, ydoc_node(y, *it), "a linker", linker_fields, ARRAY_LEN(linker_fields),
			       &r->linkers[r->nlinkers++]);
	return ok;
}

static bool dec_targets(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct report *r = &((struct jfile *)obj)->rep;
	if (!want_seq(y, v, "targets"))
		return false;
	r->targets = arena_alloc(y->arena, (seq_len(v) + 1) * sizeof *r->targets);
	bool ok = true;
	Y_FOREACH_ITEM(y, v, it)
		ok &= y_fields(y, ydoc_node(y, *it), "a target", target_fields, ARRAY_LEN(target_fields),
			       &r->targets[r->ntargets++]);
	return ok;
}

struct jshard {
	long index, count;
};

static const struct yfield shard_fields[] = {
	YFIELD_REQ(struct jshard, "index", YF_INT, index),
	YFIELD_REQ(struct jshard, "count", YF_INT, count),
};

static bool dec_shard(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct report *r = &((struct jfile *)obj)->rep;
	struct jshard s = { 0 };
	if (!y_fields(y, v, "shard", shard_fields, ARRAY_LEN(shard_fields), &s))
		return false;
	r->shard_index = s.index > 0 ? (unsigned)s.index : 0;
	r->shard_count = s.count > 0 ? (unsigned)s.count : 0;
	return true;
}

static bool dec_argv(struct ydoc *y, yaml_node_t *v, void *obj)
{
	struct report *r = &((struct jfile *)obj)->rep;
	struct slist l = { 0 };
	if (!y_strlist(y, v, "argv", &l))
		return false;
	r->argv = l.v;
	r->nargv = l.n;
	return true;
}

/* The summary is recomputed from the results: read, not trusted. */
static bool skip(struct ydoc *y, yaml_node_t *v, void *obj)
{
	(void)obj;
	return y_map(y, v, "summary");
}

static const struct yfield report_fields[] = {
	YFIELD_REQ(struct jfile, "schema", YF_STR, schema),
	YFIELD_REQ(struct jfile, "version", YF_INT, version),
	YFIELD_REQ(struct jfile, "harness_version", YF_STR, rep.harness_version),
	YFIELD_REQ(struct jfile, "run_id", YF_STR, rep.run_id),
	YFIELD_REQ(struct jfile, "host", YF_STR, rep.host),
	YFIELD_REQ(struct jfile, "host_system", YF_STR, rep.host_system),
	YFIELD_REQ(struct jfile, "started", YF_STR, rep.started),
	YFIELD_REQ(struct jfile, "ended", YF_STR, rep.ended),
	YFIELD_REQ(struct jfile, "complete", YF_BOOL, rep.complete),
	YFIELD_REQ(struct jfile, "cases_digest", YF_STR, rep.cases_digest),
	YFIELD_REQ(struct jfile, "cases", YF_INT, ncases),
	YFIELD_FN_REQ("shard", dec_shard),
	YFIELD_FN_REQ("argv", dec_argv),
	YFIELD_FN_REQ("linkers", dec_linkers),
	YFIELD_FN_REQ("targets", dec_targets),
	YFIELD_FN_REQ("summary", skip),
	YFIELD_FN_REQ("results", dec_results),
};

/* The schema and its version, before the rest: a file of another schema
 * is said to be one, not reported as a list of unknown keys. */
static bool right_schema(struct ydoc *y, yaml_node_t *root, struct strbuf *err)
{
	const char *schema = NULL;
	long version = 0;
	Y_FOREACH_PAIR(y, root, p) {
		yaml_node_t *k = ydoc_node(y, p->key), *v = ydoc_node(y, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		if (!strcmp(key, "schema") && v->type == YAML_SCALAR_NODE)
			schema = (const char *)v->data.scalar.value;
		else if (!strcmp(key, "version") && v->type == YAML_SCALAR_NODE)
			version = strtol((const char *)v->data.scalar.value, NULL, 10);
	}
	if (!schema || strcmp(schema, REPORT_SCHEMA))
		sb_addf(err, "%s: not a linkmatrix results file (schema '%s')", y->file,
			schema ? schema : "none");
	else if (version != REPORT_SCHEMA_VERSION)
		sb_addf(err, "%s: results schema version %ld; this linkmatrix reads version %d",
			y->file, version, REPORT_SCHEMA_VERSION);
	return !err->len;
}

int report_read_json(struct report *r, const char *path, struct strbuf *err)
{
	memset(r, 0, sizeof *r);
	r->doc = xcalloc(1, sizeof *r->doc);
	struct diags d = { 0 };
	struct jfile jf = { 0 };
	int rc = -1;
	size_t start = err->len;
	if (ydoc_load(r->doc, path, &r->arena, &d) == 0) {
		yaml_node_t *root = ydoc_root(r->doc);
		if (!root || root->type != YAML_MAPPING_NODE)
			sb_addf(err, "%s: not a linkmatrix results file", path);
		else if (right_schema(r->doc, root, err) &&
			 y_fields(r->doc, root, "results.json", report_fields, ARRAY_LEN(report_fields), &jf))
			rc = 0;
	}
	if (rc < 0 && err->len == start)
		diag_format(&d, err);
	diag_free(&d);
	if (rc < 0) {
		report_free(r);
		return rc;
	}
	struct arena a = r->arena;
	struct ydoc *doc = r->doc;
	*r = jf.rep;
	r->arena = a;
	r->doc = doc;
	r->ncases = jf.ncases > 0 ? (size_t)jf.ncases : 0;
	report_finish(r);
	return 0;
}
