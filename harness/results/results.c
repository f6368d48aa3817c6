/* results.json: written from a report, read back into one (merge,
 * compare, run --failed and --baseline). The schema is
 * docs/results-json.md; the reader is strict (an unknown key is an error)
 * so a file from another schema version is refused, not half-read. It
 * reads a record at a time, so a file of any size is read in the memory
 * of its largest record. */
#include "results/results.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "results/jsonread.h"
#include "util/json.h"

/* ---- writing ------------------------------------------------------------- */

static void kstrn_capped(struct json *j, const char *k, const char *s, size_t len)
{
	json_key(j, k);
	json_strn(j, s ? s : "", len > REPORT_OUTPUT_CAP ? REPORT_OUTPUT_CAP : len);
}

/* Outputs only for tests that did not pass: for the others they are
 * noise, and ten thousand of them would make the file hundreds of MB. */
static void kstrs(struct json *j, const char *k, const char *const *v, size_t n)
{
	json_key(j, k);
	json_arr(j);
	for (size_t i = 0; i < n; i++)
		json_str(j, v[i]);
	json_arr_end(j);
}

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

/* Only for a test that linked; its CPU seconds where they are known. */
static void write_link(struct json *j, const struct link_time *lt)
{
	if (!lt->links)
		return;
	json_key(j, "link");
	json_obj(j);
	json_kint(j, "links", lt->links);
	json_kint(j, "cached", lt->cached);
	json_key(j, "seconds");
	json_num(j, lt->wall);
	if (lt->cpu >= 0) {
		json_key(j, "cpu_seconds");
		json_num(j, lt->cpu);
	}
	json_obj_end(j);
}

static void write_record(struct json *j, const struct record *rec, const struct verdict_opts *v)
{
	json_obj(j);
	json_kstr(j, "id", rec->id);
	json_kstr(j, "case", rec->case_name);
	json_kstr(j, "case_file", rec->case_file);
	json_kstr(j, "case_file_in_root", rec->case_in_root);
	json_kstr(j, "variant", rec->variant);
	json_kstr(j, "target", rec->target);
	json_kstr(j, "linker", rec->linker);
	kstrs(j, "tags", rec->tags, rec->ntags);
	json_kstr(j, "outcome", outcome_name(rec->outcome));
	json_kstr(j, "stage", stage_name(rec->stage));
	json_kstr(j, "message", rec->message ? rec->message : "");
	json_kstr(j, "detail", rec->detail ? rec->detail : "");
	json_kstr(j, "known_failure", rec->xfail ? rec->xfail : "");
	json_kstr(j, "diff", rec->diff ? rec->diff : "");
	json_kstr(j, "died", rec->died ? rec->died : "");
	kstrs(j, "warnings", rec->warnings, rec->nwarnings);
	/* As in index.html: what passed or was skipped has nothing to replay. */
	bool replay = rec->outcome != OUT_PASS && rec->outcome != OUT_SKIP;
	char *repro = replay ? report_repro(v, rec) : NULL;
	json_kstr(j, "repro", repro ? repro : "");
	free(repro);
	json_key(j, "seconds");
	json_num(j, rec->secs);
	write_link(j, &rec->link);
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

/* Not for a report that has none (a merge of files that lack them). */
static void write_verdict(struct json *j, const struct verdict_opts *v)
{
	if (!v->recorded)
		return;
	json_key(j, "verdict_options");
	json_obj(j);
	kstrs(j, "check_profile", v->profiles, v->nprofiles);
	kstrs(j, "environment", v->env, v->nenv);
	if (v->nadded)
		kstrs(j, "added_linkers", v->added, v->nadded);
	json_kstr(j, "known_failures", v->known_failures ? v->known_failures : "");
	json_kstr(j, "diff_reference", v->diff_reference ? v->diff_reference : "");
	json_kstr(j, "linkers_dir", v->linkers_dir ? v->linkers_dir : "");
	json_kstr(j, "targets_dir", v->targets_dir ? v->targets_dir : "");
	json_key(j, "timeout");
	json_num(j, v->timeout);
	json_key(j, "build_timeout");
	json_num(j, v->build_timeout);
	json_obj_end(j);
}

/* Not for a run of cases (nor a merge of them). */
static void write_suite(struct json *j, const struct suite_id *s)
{
	if (!s->kind)
		return;
	json_key(j, "suite");
	json_obj(j);
	json_kstr(j, "kind", s->kind);
	json_kstr(j, "version", s->version);
	json_kstr(j, "scripts_digest", s->scripts_digest);
	json_kstr(j, "dir", s->dir);
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
	if (!r->complete && r->incomplete)
		json_kstr(j, "incomplete", r->incomplete);
	json_kstr(j, "cases_digest", r->cases_digest);
	json_kint(j, "cases", (long long)r->ncases);
	json_key(j, "shard");
	json_obj(j);
	json_kint(j, "index", r->shard_index);
	json_kint(j, "count", r->shard_count);
	json_obj_end(j);
	kstrs(j, "argv", r->argv, r->nargv);
	write_suite(j, &r->suite);
	write_verdict(j, &r->verdict);
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
		if (l->family && *l->family)
			json_kstr(j, "family", l->family);
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
		write_record(&j, rec, &r->verdict);
		report_sink_record_done(s);
	}
	report_iter_end(&it);
	json_arr_end(&j);
	json_obj_end(&j);
	sb_addc(s->sb, '\n');
}

/* ---- reading --------------------------------------------------------------- */

/* What one read may take: a run's own fields, then each result (its
 * outputs are cut at 16 KiB when written; a result this big is made to
 * exhaust memory, not by a run). */
#define HEAD_MAX (64ull << 20)
#define RECORD_MAX (64ull << 20)
/* More cases than any tree holds; bytes more than any program writes. */
#define CASES_MAX 1000000000LL
#define BYTES_MAX (SIZE_MAX < LLONG_MAX ? (long long)SIZE_MAX : LLONG_MAX)

/* What a JSON value becomes; one table of fields per object says which. */
enum kind {
	F_STR,      /* const char * */
	F_TEXT,     /* const char *, NULL for "" (no message, no diff) */
	F_BYTES,    /* const char *, its length in the size_t at aux: outputs keep their NULs */
	F_STRS,     /* const char **, how many in the size_t at aux */
	F_OBJS,     /* elem's structs, how many in the size_t at aux */
	F_OBJ,      /* elem's fields, of this same struct, from a nested object */
	F_BOOL,
	F_ENUM,     /* int: i for the string name(i), i from 0 to max */
	F_UINT,     /* whole numbers from min to max, as unsigned, long or size_t */
	F_LONG,
	F_SIZE,
	F_SECS,     /* double, finite, 0 or more */
	F_ANY,      /* an object, checked as JSON and not kept (the summary is recomputed) */
	F_RESULTS,  /* the records: read one at a time by next_record, never here */
};

struct table;

struct field {
	const char *key;
	enum kind kind;
	bool required;
	size_t off, aux;
	long long min, max;
	const struct table *elem;
	const char *(*name)(int);
};

struct table {
	const char *what;
	size_t size;
	const struct field *f;
	size_t n;
	/* What no field says alone: false, with why, refuses the object. */
	bool (*check)(const void *obj, struct strbuf *why);
};

#define FIELD(req, T, k, kd, m, ...) \
	{ .key = k, .kind = kd, .required = req, .off = offsetof(T, m), __VA_ARGS__ }
#define REQ(...) FIELD(true, __VA_ARGS__)
#define OPT(...) FIELD(false, __VA_ARGS__)
#define TABLE(T, what, fields, check) { what, sizeof(T), fields, ARRAY_LEN(fields), check }

static const struct field cmd_fields[] = {
	REQ(struct rep_cmd, "command", F_STR, cmd),
	REQ(struct rep_cmd, "cwd", F_STR, cwd),
	REQ(struct rep_cmd, "status", F_STR, status),
	REQ(struct rep_cmd, "seconds", F_SECS, secs),
	REQ(struct rep_cmd, "stdout", F_BYTES, out, .aux = offsetof(struct rep_cmd, out_len)),
	REQ(struct rep_cmd, "stdout_bytes", F_SIZE, out_total, .max = BYTES_MAX),
	REQ(struct rep_cmd, "stderr", F_BYTES, err, .aux = offsetof(struct rep_cmd, err_len)),
	REQ(struct rep_cmd, "stderr_bytes", F_SIZE, err_total, .max = BYTES_MAX),
};
static const struct table cmd_table = TABLE(struct rep_cmd, "a command", cmd_fields, NULL);

static const struct field finding_fields[] = {
	REQ(struct rep_finding, "file", F_STR, file),
	REQ(struct rep_finding, "rule", F_STR, rule),
	REQ(struct rep_finding, "profile", F_STR, profile),
	REQ(struct rep_finding, "where", F_STR, where),
	REQ(struct rep_finding, "consequence", F_STR, consequence),
	REQ(struct rep_finding, "expected", F_BOOL, expected),
};
static const struct table finding_table = TABLE(struct rep_finding, "a finding", finding_fields,
						NULL);

/* A record as read: its enums as indexes, its repro (made again from the
 * record when written) read and dropped. */
struct jrec {
	struct record rec;
	int outcome, stage;
	const char *repro;
};

static const char *outcome_at(int i) { return outcome_name((enum outcome)i); }
static const char *stage_at(int i) { return stage_name((enum stage)i); }

static bool check_record(const void *obj, struct strbuf *why)
{
	const struct record *rec = &((const struct jrec *)obj)->rec;
	if (rec->failed_cmd < 0 || (size_t)rec->failed_cmd < rec->ncmds)
		return true;
	sb_addf(why, "a result: 'failed_command' is %ld, and it has %zu commands", rec->failed_cmd,
		rec->ncmds);
	return false;
}

static bool check_link(const void *obj, struct strbuf *why)
{
	const struct link_time *lt = &((const struct jrec *)obj)->rec.link;
	if (lt->links && lt->cached <= lt->links)
		return true;
	sb_addf(why, "link: %u links, %u of them cached: at least one, and no more cached", lt->links,
		lt->cached);
	return false;
}

static const struct field link_fields[] = {
	REQ(struct jrec, "links", F_UINT, rec.link.links, .max = UINT_MAX),
	REQ(struct jrec, "cached", F_UINT, rec.link.cached, .max = UINT_MAX),
	REQ(struct jrec, "seconds", F_SECS, rec.link.wall),
	/* Left out where the CPU time is unknown (no wait4). */
	OPT(struct jrec, "cpu_seconds", F_SECS, rec.link.cpu),
};
static const struct table link_table = TABLE(struct jrec, "link", link_fields, check_link);

static const struct field record_fields[] = {
	REQ(struct jrec, "id", F_STR, rec.id),
	REQ(struct jrec, "case", F_STR, rec.case_name),
	REQ(struct jrec, "case_file", F_STR, rec.case_file),
	REQ(struct jrec, "variant", F_STR, rec.variant),
	REQ(struct jrec, "target", F_STR, rec.target),
	REQ(struct jrec, "linker", F_STR, rec.linker),
	REQ(struct jrec, "tags", F_STRS, rec.tags, .aux = offsetof(struct jrec, rec.ntags)),
	REQ(struct jrec, "outcome", F_ENUM, outcome, .max = OUT_COUNT - 1, .name = outcome_at),
	REQ(struct jrec, "stage", F_ENUM, stage, .max = STAGE_COUNT - 1, .name = stage_at),
	REQ(struct jrec, "message", F_TEXT, rec.message),
	REQ(struct jrec, "detail", F_TEXT, rec.detail),
	REQ(struct jrec, "known_failure", F_TEXT, rec.xfail),
	REQ(struct jrec, "diff", F_TEXT, rec.diff),
	/* Added after schema 1 was out: optional to read. */
	OPT(struct jrec, "died", F_TEXT, rec.died),
	OPT(struct jrec, "warnings", F_STRS, rec.warnings,
	    .aux = offsetof(struct jrec, rec.nwarnings)),
	OPT(struct jrec, "case_file_in_root", F_STR, rec.case_in_root),
	REQ(struct jrec, "repro", F_STR, repro),
	REQ(struct jrec, "seconds", F_SECS, rec.secs),
	/* Added after schema 1 was out: optional to read; and only a test
	 * that linked has it. */
	OPT(struct jrec, "link", F_OBJ, rec, .elem = &link_table),
	REQ(struct jrec, "failed_command", F_LONG, rec.failed_cmd, .min = -1, .max = LONG_MAX),
	REQ(struct jrec, "commands", F_OBJS, rec.cmds, .aux = offsetof(struct jrec, rec.ncmds),
	    .elem = &cmd_table),
	REQ(struct jrec, "findings", F_OBJS, rec.findings,
	    .aux = offsetof(struct jrec, rec.nfindings), .elem = &finding_table),
};
static const struct table record_table = TABLE(struct jrec, "a result", record_fields,
					       check_record);
/* The keys an object has are bits of a mask: the largest table fits. */
_Static_assert(ARRAY_LEN(record_fields) <= 64, "more keys than a mask has bits");

static const struct field linker_fields[] = {
	REQ(struct rep_linker, "name", F_STR, name),
	REQ(struct rep_linker, "found", F_BOOL, found),
	REQ(struct rep_linker, "path", F_STR, path),
	REQ(struct rep_linker, "version", F_STR, version),
	REQ(struct rep_linker, "why", F_STR, why),
	/* Added after schema 1 was out: optional to read. */
	OPT(struct rep_linker, "family", F_STR, family),
};
static const struct table linker_table = TABLE(struct rep_linker, "a linker", linker_fields, NULL);

static const struct field target_fields[] = {
	REQ(struct rep_target, "name", F_STR, name),
	REQ(struct rep_target, "usable", F_BOOL, usable),
	REQ(struct rep_target, "os", F_STR, os),
	REQ(struct rep_target, "arch", F_STR, arch),
	REQ(struct rep_target, "libc", F_STR, libc),
	REQ(struct rep_target, "profile", F_STR, profile),
	REQ(struct rep_target, "why", F_STR, why),
};
static const struct table target_table = TABLE(struct rep_target, "a target", target_fields, NULL);

/* The run's own fields, and the two checked before the others. */
struct jhead {
	struct report rep;
	const char *schema;
	long version;
};

/* A shard count sizes what merge allocates: bounded, and the index in it. */
static bool check_shard(const void *obj, struct strbuf *why)
{
	const struct report *r = &((const struct jhead *)obj)->rep;
	if (r->shard_count ? r->shard_index >= 1 && r->shard_index <= r->shard_count : !r->shard_index)
		return true;
	sb_addf(why, "shard %u/%u: the index must be from 1 to the count (0/0: not sharded)",
		r->shard_index, r->shard_count);
	return false;
}

static const struct field shard_fields[] = {
	REQ(struct jhead, "index", F_UINT, rep.shard_index, .max = SHARD_MAX),
	REQ(struct jhead, "count", F_UINT, rep.shard_count, .max = SHARD_MAX),
};
static const struct table shard_table = TABLE(struct jhead, "shard", shard_fields, check_shard);

/* A timeout as a run takes it (run --timeout): a file's 0 would replay
 * as no timeout at all. */
/* What run --failed would set: LINKMATRIX_ variables alone. */
static bool check_env(const struct verdict_opts *v, struct strbuf *why)
{
	for (size_t i = 0; i < v->nenv; i++) {
		const char *e = v->env[i];
		size_t n = strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		if (strncmp(e, "LINKMATRIX_", 11) || n == 11 || e[n] != '=') {
			char *shown = xvisible(e, 64);
			sb_addf(why, "verdict_options: environment '%s' is not LINKMATRIX_NAME=value",
				shown);
			free(shown);
			return false;
		}
	}
	return true;
}

static bool check_verdict(const void *obj, struct strbuf *why)
{
	const struct verdict_opts *v = &((const struct jhead *)obj)->rep.verdict;
	if (!check_env(v, why))
		return false;
	if (timeout_ok(v->timeout) && timeout_ok(v->build_timeout))
		return true;
	sb_addf(why, "verdict_options: timeouts %g and %g: each must be above 0, up to a week "
		"(%d)", v->timeout, v->build_timeout, TIMEOUT_MAX);
	return false;
}

#define VERDICT(k, kd, m, ...) REQ(struct jhead, k, kd, rep.verdict.m, __VA_ARGS__)
static const struct field verdict_fields[] = {
	VERDICT("check_profile", F_STRS, profiles,
		.aux = offsetof(struct jhead, rep.verdict.nprofiles)),
	VERDICT("environment", F_STRS, env, .aux = offsetof(struct jhead, rep.verdict.nenv)),
	/* Added after schema 1 was out: optional to read. */
	OPT(struct jhead, "added_linkers", F_STRS, rep.verdict.added,
	    .aux = offsetof(struct jhead, rep.verdict.nadded)),
	VERDICT("known_failures", F_STR, known_failures),
	VERDICT("diff_reference", F_STR, diff_reference),
	VERDICT("linkers_dir", F_STR, linkers_dir),
	VERDICT("targets_dir", F_STR, targets_dir),
	VERDICT("timeout", F_SECS, timeout),
	VERDICT("build_timeout", F_SECS, build_timeout),
};
static const struct table verdict_table = TABLE(struct jhead, "verdict_options", verdict_fields,
						check_verdict);

/* Each a word: a report that says it is a suite's says which. */
static bool check_suite(const void *obj, struct strbuf *why)
{
	const struct suite_id *s = &((const struct jhead *)obj)->rep.suite;
	if (*s->kind && *s->version && *s->scripts_digest)
		return true;
	sb_adds(why, "suite: kind, version and scripts_digest must not be empty");
	return false;
}

#define SUITE(k, m) REQ(struct jhead, k, F_STR, rep.suite.m)
static const struct field suite_fields[] = {
	SUITE("kind", kind), SUITE("version", version), SUITE("scripts_digest", scripts_digest),
	SUITE("dir", dir),
};
static const struct table suite_table = TABLE(struct jhead, "suite", suite_fields, check_suite);

enum { SCHEMA, VERSION };   /* their places in head_fields */

static const struct field head_fields[] = {
	REQ(struct jhead, "schema", F_STR, schema),
	REQ(struct jhead, "version", F_LONG, version, .max = INT_MAX),
	REQ(struct jhead, "harness_version", F_STR, rep.harness_version),
	REQ(struct jhead, "run_id", F_STR, rep.run_id),
	REQ(struct jhead, "host", F_STR, rep.host),
	REQ(struct jhead, "host_system", F_STR, rep.host_system),
	REQ(struct jhead, "started", F_STR, rep.started),
	REQ(struct jhead, "ended", F_STR, rep.ended),
	REQ(struct jhead, "complete", F_BOOL, rep.complete),
	/* Optional: why not complete; older files lack it. */
	OPT(struct jhead, "incomplete", F_STR, rep.incomplete),
	REQ(struct jhead, "cases_digest", F_STR, rep.cases_digest),
	REQ(struct jhead, "cases", F_SIZE, rep.ncases, .max = CASES_MAX),
	REQ(struct jhead, "shard", F_OBJ, rep, .elem = &shard_table),
	REQ(struct jhead, "argv", F_STRS, rep.argv, .aux = offsetof(struct jhead, rep.nargv)),
	/* Optional: only a suite's report has it. */
	OPT(struct jhead, "suite", F_OBJ, rep, .elem = &suite_table),
	/* Optional: files written before it lack it (rep.verdict.recorded). */
	OPT(struct jhead, "verdict_options", F_OBJ, rep, .elem = &verdict_table),
	REQ(struct jhead, "linkers", F_OBJS, rep.linkers, .aux = offsetof(struct jhead, rep.nlinkers),
	    .elem = &linker_table),
	REQ(struct jhead, "targets", F_OBJS, rep.targets, .aux = offsetof(struct jhead, rep.ntargets),
	    .elem = &target_table),
	REQ(struct jhead, "summary", F_ANY, rep.counts),
	REQ(struct jhead, "results", F_RESULTS, rep),
};
static const struct table head_table = TABLE(struct jhead, "results.json", head_fields, NULL);

struct results_file {
	struct record_reader rd;    /* first: the report's reader is a results_file */
	struct jread j;
	struct arena *arena;        /* where what is read now goes */
	struct arena arenas[2];
	struct jrec rec[2];         /* the last record read and the one before, for the order */
	int cur;
	size_t n;                   /* records read */
	bool end;                   /* the file read to its end */
};

static const struct jpos nowhere = { 0, 0 };

static bool read_object(struct results_file *f, const struct table *t, void *obj);

static const char *keep(struct results_file *f, bool empty_is_null)
{
	const struct strbuf *s = &f->j.s;
	if (!s->len && empty_is_null)
		return NULL;
	char *d = arena_alloc(f->arena, s->len + 1);
	memcpy(d, s->buf, s->len);
	return d;
}

/* A list grows in the arena; the copies it outgrew stay there, so it
 * costs at most twice its size. */
static void *grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 4;
	void *w = arena_alloc(a, *cap * size);
	if (n)
		memcpy(w, v, n * size);
	return w;
}

static bool read_strs(struct results_file *f, const struct field *fd, char *obj, const char *name)
{
	if (!jr_arr(&f->j, name))
		return false;
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int k;
	while ((k = jr_item(&f->j)) > 0 && jr_str(&f->j, name)) {
		v = grow(f->arena, v, n, &cap, sizeof *v);
		v[n++] = keep(f, false);
	}
	*(const char ***)(void *)(obj + fd->off) = v;
	*(size_t *)(void *)(obj + fd->aux) = n;
	return k == 0;
}

static bool read_objs(struct results_file *f, const struct field *fd, char *obj, const char *name)
{
	if (!jr_arr(&f->j, name))
		return false;
	size_t size = fd->elem->size, n = 0, cap = 0;
	char *v = NULL;
	int k;
	while ((k = jr_item(&f->j)) > 0) {
		v = grow(f->arena, v, n, &cap, size);
		if (!read_object(f, fd->elem, v + n * size))
			return false;
		n++;
	}
	memcpy(obj + fd->off, &v, sizeof v);
	*(size_t *)(void *)(obj + fd->aux) = n;
	return k == 0;
}

static bool read_enum(struct results_file *f, const struct field *fd, char *at, const char *name)
{
	const struct strbuf *s = &f->j.s;
	if (!jr_str(&f->j, name))
		return false;
	for (int i = 0; i <= fd->max; i++)
		if (strlen(fd->name(i)) == s->len && !memcmp(fd->name(i), s->buf, s->len)) {
			*(int *)(void *)at = i;
			return true;
		}
	char *v = xvisible(s->buf, 64);
	jr_fail(&f->j, "%s: unknown value '%s'", name, v);
	free(v);
	return false;
}

static bool read_int(struct results_file *f, const struct field *fd, char *at, const char *name)
{
	long long v;
	if (!jr_int(&f->j, name, fd->min, fd->max, &v))
		return false;
	if (fd->kind == F_UINT)
		*(unsigned *)(void *)at = (unsigned)v;
	else if (fd->kind == F_LONG)
		*(long *)(void *)at = (long)v;
	else
		*(size_t *)(void *)at = (size_t)v;
	return true;
}

static bool read_secs(struct results_file *f, char *at, const char *name)
{
	double v;
	if (!jr_num(&f->j, name, &v))
		return false;
	if (v < 0) {
		jr_fail(&f->j, "%s must be 0 or more, not %s", name, f->j.s.buf);
		return false;
	}
	*(double *)(void *)at = v;
	return true;
}

static bool read_field(struct results_file *f, const struct field *fd, char *obj,
		       const char *what)
{
	char name[96];
	snprintf(name, sizeof name, "%s: '%s'", what, fd->key);
	char *at = obj + fd->off;
	switch (fd->kind) {
	case F_STR:
	case F_TEXT:
	case F_BYTES:
		if (!jr_str(&f->j, name))
			return false;
		*(const char **)(void *)at = keep(f, fd->kind == F_TEXT);
		if (fd->kind == F_BYTES)
			*(size_t *)(void *)(obj + fd->aux) = f->j.s.len;
		return true;
	case F_STRS: return read_strs(f, fd, obj, name);
	case F_OBJS: return read_objs(f, fd, obj, name);
	case F_OBJ: return read_object(f, fd->elem, obj);
	case F_BOOL: return jr_bool(&f->j, name, (bool *)at);
	case F_ENUM: return read_enum(f, fd, at, name);
	case F_UINT:
	case F_LONG:
	case F_SIZE: return read_int(f, fd, at, name);
	case F_SECS: return read_secs(f, at, name);
	/* jr_obj says what else it is. */
	case F_ANY: return jr_peek(&f->j) == '{' ? jr_skip(&f->j) : jr_obj(&f->j, name);
	case F_RESULTS: break;
	}
	return false;
}

static size_t find_field(const struct table *t, const struct strbuf *key)
{
	size_t i = 0;
	while (i < t->n && (strlen(t->f[i].key) != key->len || memcmp(t->f[i].key, key->buf, key->len)))
		i++;
	return i;
}

/* Field i of t, named by the key just read: known, and not seen before. */
static bool take_field(struct results_file *f, const struct table *t, size_t i,
		       unsigned long long *seen)
{
	if (i < t->n && !(*seen & 1ull << i)) {
		*seen |= 1ull << i;
		return true;
	}
	char *v = xvisible(f->j.s.buf, 64);
	if (i < t->n) {
		jr_fail(&f->j, "duplicate key '%s' in %s", v, t->what);
	} else {
		struct strbuf known = STRBUF_INIT;
		for (size_t k = 0; k < t->n; k++)
			sb_addf(&known, "%s%s", k ? ", " : "", t->f[k].key);
		jr_fail(&f->j, "unknown key '%s' in %s (known: %s)", v, t->what, known.buf);
		sb_free(&known);
	}
	free(v);
	return false;
}

/* Every required key there, and what t->check says: else refused, at the
 * object's start. */
static bool complete(struct results_file *f, const struct table *t, unsigned long long seen,
		     struct jpos start, const void *obj)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->f[i].required && !(seen & 1ull << i)) {
			jr_fail_at(&f->j, start, "%s: missing required key '%s'", t->what, t->f[i].key);
			return false;
		}
	struct strbuf why = STRBUF_INIT;
	if (t->check && !t->check(obj, &why))
		jr_fail_at(&f->j, start, "%s", why.buf);
	sb_free(&why);
	return !jr_failed(&f->j);
}

static bool read_object(struct results_file *f, const struct table *t, void *obj)
{
	if (!jr_obj(&f->j, t->what))
		return false;
	struct jpos start = f->j.at;
	unsigned long long seen = 0;
	int k;
	while ((k = jr_key(&f->j)) > 0) {
		size_t i = find_field(t, &f->j.s);
		if (!take_field(f, t, i, &seen) || !read_field(f, &t->f[i], obj, t->what))
			return false;
	}
	return k == 0 && complete(f, t, seen, start, obj);
}

/* The schema and its version, before the rest: a file of another schema
 * is said to be one, not reported as a list of unknown keys. */
static bool schema_ok(struct results_file *f, const struct jhead *h, unsigned long long seen)
{
	const char *schema = seen & 1ull << SCHEMA ? h->schema : NULL;
	if (!schema || strcmp(schema, REPORT_SCHEMA)) {
		char *v = xvisible(schema ? schema : "none", 64);
		jr_fail_at(&f->j, nowhere, "not a linkmatrix results file (schema '%s')", v);
		free(v);
	} else if (seen & 1ull << VERSION && h->version != REPORT_SCHEMA_VERSION) {
		jr_fail_at(&f->j, nowhere, "results schema version %ld; this linkmatrix reads version %d",
			   h->version, REPORT_SCHEMA_VERSION);
	}
	return !jr_failed(&f->j);
}

/* The run's own fields, up to the first result. The schema and version
 * come first, "results" last, so that the records can be read as they
 * come. */
static bool read_head(struct results_file *f, struct jhead *h)
{
	struct jread *j = &f->j;
	if (jr_peek(j) != '{') {
		jr_fail_at(j, nowhere, "not a linkmatrix results file (not a JSON object)");
		return false;
	}
	jr_obj(j, head_table.what);
	struct jpos start = j->at;
	unsigned long long seen = 0;
	int k;
	while ((k = jr_key(j)) > 0) {
		size_t i = find_field(&head_table, &j->s);
		if ((i != SCHEMA && i != VERSION && !schema_ok(f, h, seen)) ||
		    !take_field(f, &head_table, i, &seen))
			return false;
		if (head_fields[i].kind == F_RESULTS)
			return complete(f, &head_table, seen, start, h) &&
			       jr_arr(j, "results.json: 'results'");
		if (!read_field(f, &head_fields[i], (char *)h, head_table.what))
			return false;
	}
	return k == 0 && schema_ok(f, h, seen) && complete(f, &head_table, seen, start, h);
}

static bool in_order(struct results_file *f, const struct record *prev, const struct record *rec,
		     struct jpos at)
{
	int d = record_cmp(prev, rec);
	if (d < 0)
		return true;
	char *a = xvisible(rec->id, 200), *b = xvisible(prev->id, 200);
	if (d)
		jr_fail_at(&f->j, at, "'%s' after '%s': results must be sorted by case, variant, "
			   "target and linker", a, b);
	else
		jr_fail_at(&f->j, at, "test '%s' is in this file twice", a);
	free(a);
	free(b);
	return false;
}

/* After the last result: the file ends with the object. */
static void finish(struct results_file *f)
{
	int k = jr_key(&f->j);
	if (k > 0) {
		char *v = xvisible(f->j.s.buf, 64);
		jr_fail(&f->j, "'%s' after 'results', which must come last", v);
		free(v);
	}
	f->end = k == 0 && jr_end(&f->j);
}

static const struct record *next_record(struct results_file *f)
{
	if (f->end || jr_failed(&f->j))
		return NULL;
	jr_limit(&f->j, RECORD_MAX, "a result of more than 64 MiB");
	int k = jr_item(&f->j);
	if (k == 0)
		finish(f);
	if (k <= 0)
		return NULL;
	int c = !f->cur;
	struct jrec *jr = &f->rec[c];
	arena_free(&f->arenas[c]);
	f->arena = &f->arenas[c];
	*jr = (struct jrec){ .rec.failed_cmd = -1, .rec.link.cpu = -1 };
	struct jpos at = f->j.at;   /* jr_item peeked the record's '{' */
	if (!read_object(f, &record_table, jr) ||
	    (f->n && !in_order(f, &f->rec[f->cur].rec, &jr->rec, at)))
		return NULL;
	jr->rec.outcome = (enum outcome)jr->outcome;
	jr->rec.stage = (enum stage)jr->stage;
	if (!jr->rec.case_in_root)   /* a file written before it was kept */
		jr->rec.case_in_root = jr->rec.case_file;
	f->cur = c;
	f->n++;
	return &jr->rec;
}

static const struct record *read_record(struct record_reader *rd, bool first)
{
	struct results_file *f = (struct results_file *)rd;
	if (first && f->n)
		jr_fail_at(&f->j, nowhere, "read twice: its results are read once, as they come");
	return next_record(f);
}

static void close_file(struct record_reader *rd)
{
	struct results_file *f = (struct results_file *)rd;
	jr_close(&f->j);
	arena_free(&f->arenas[0]);
	arena_free(&f->arenas[1]);
	free(f);
}

int report_open_json(struct report *r, const char *path, struct strbuf *err)
{
	memset(r, 0, sizeof *r);
	struct results_file *f = xcalloc(1, sizeof *f);
	f->rd = (struct record_reader){ read_record, close_file };
	struct jhead h = { 0 };
	f->arena = &h.rep.arena;
	if (jr_open(&f->j, path) == 0) {
		jr_limit(&f->j, HEAD_MAX, "the run's own fields take more than 64 MiB");
		read_head(f, &h);
	}
	if (jr_failed(&f->j)) {
		sb_adds(err, f->j.err.buf);
		arena_free(&h.rep.arena);
		close_file(&f->rd);
		return -1;
	}
	*r = h.rep;
	r->verdict.recorded = r->verdict.timeout > 0;   /* check_verdict: > 0 where read */
	r->verdict.suite = r->suite.kind;
	r->reader = &f->rd;
	f->arena = NULL;   /* h's, gone: each record sets its own */
	return 0;
}

/* The report's reader, when it reads a results.json. */
static struct results_file *file_of(const struct report *r)
{
	return r->reader && r->reader->read == read_record ? (struct results_file *)r->reader : NULL;
}

int report_json_done(const struct report *r, struct strbuf *err)
{
	struct results_file *f = file_of(r);
	if (!f)
		return 0;
	while (next_record(f))
		;
	if (!jr_failed(&f->j))
		return 0;
	sb_adds(err, f->j.err.buf);
	return -1;
}

int report_read_json(struct report *r, const char *path, struct strbuf *err)
{
	if (report_open_json(r, path, err) < 0)
		return -1;
	struct results_file *f = file_of(r);
	const char *tmp = getenv("TMPDIR");
	const char *dir = tmp && *tmp ? tmp : "/tmp";
	int rc = report_spool(r, dir);
	if (rc < 0)
		sb_addf(err, "cannot make a temporary file in %s: %s", dir, strerror(errno));
	for (const struct record *rec; rc == 0 && (rec = next_record(f));)
		report_spool_record(r, rec);
	if (rc == 0)
		rc = report_json_done(r, err);
	if (rc == 0 && (fflush(r->spool) != 0 || r->spool_err)) {
		sb_addf(err, "cannot write a temporary file in %s: %s", dir,
			strerror(r->spool_err ? r->spool_err : errno));
		rc = -1;
	}
	close_file(&f->rd);
	r->reader = NULL;
	if (rc < 0)
		report_free(r);
	return rc;
}
