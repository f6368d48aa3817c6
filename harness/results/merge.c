/* Reports of shards made one: the same cases, the same harness, no test
 * twice. Each input is in report order, like any run's, so one merge walk
 * over them all, a record at a time, gives the merged records in order:
 * the merged files equal an unsharded run's but for timings and run
 * metadata, and memory does not grow with the number of results. */
#include "results/merge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"

static const char *suite_named(const struct suite_id *s)
{
	return s->kind ? s->kind : "no suite (a run of cases)";
}

/* The suite first: its versions may share a script set, and its script
 * sets are told apart in its terms. */
static int check_suite(const struct report *a, const char *an, const struct report *b,
		       const char *bn, struct strbuf *err)
{
	const struct suite_id *x = &a->suite, *y = &b->suite;
	if (!x->kind && !y->kind)
		return 0;
	if (!x->kind || !y->kind || strcmp(x->kind, y->kind))
		sb_addf(err, "%s is of %s and %s of %s: merge the reports of one suite", an,
			suite_named(x), bn, suite_named(y));
	else if (strcmp(x->version, y->version))
		sb_addf(err, "%s ran %s suite version %s and %s version %s: merge the shards of one "
			"version of the suite", an, x->kind, x->version, bn, y->version);
	else if (strcmp(x->scripts_digest, y->scripts_digest))
		sb_addf(err, "%s and %s ran different scripts of %s %s (%s, %s): merge the shards of "
			"one run", an, bn, x->kind, x->version, x->scripts_digest, y->scripts_digest);
	return err->len ? -1 : 0;
}

static int check_same(const struct report *a, const char *an, const struct report *b,
		      const char *bn, struct strbuf *err)
{
	if (strcmp(a->harness_version, b->harness_version)) {
		sb_addf(err, "%s was written by linkmatrix %s and %s by %s: merge the reports of "
			"one version", an, a->harness_version, bn, b->harness_version);
		return -1;
	}
	if (check_suite(a, an, b, bn, err) < 0)
		return -1;
	if (strcmp(a->cases_digest, b->cases_digest)) {
		sb_addf(err, "%s and %s ran different case sets (%s, %s): merge shards of one "
			"run of one case tree", an, bn, a->cases_digest, b->cases_digest);
		return -1;
	}
	struct strbuf why = STRBUF_INIT;
	if (a->verdict.recorded && b->verdict.recorded &&
	    !verdict_opts_same(&a->verdict, &b->verdict, &why)) {
		sb_addf(err, "%s and %s decided outcomes with other options (%s): merge shards of "
			"one run", an, bn, why.buf);
		sb_free(&why);
		return -1;
	}
	if (a->shard_count != b->shard_count) {
		sb_addf(err, "%s is shard %u/%u and %s shard %u/%u: merge shards of one split", an,
			a->shard_index, a->shard_count, bn, b->shard_index, b->shard_count);
		return -1;
	}
	return 0;
}

/* One harness, one case tree, one split, each shard once. The reader
 * bounds each count and keeps each index in it (0/0 unsharded), and
 * check_same makes every count in[0]'s. Why the merge is incomplete in
 * why: an input's own reason, a shard missing. */
static int check_inputs(const struct report *in, char *const *names, size_t n,
			struct strbuf *why, struct strbuf *err)
{
	bool *seen = xcalloc((size_t)in[0].shard_count + 1, sizeof *seen);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned k = in[i].shard_index;
		if (i && check_same(&in[0], names[0], &in[i], names[i], err) < 0) {
			rc = -1;
		} else if (k && seen[k]) {
			sb_addf(err, "%s is shard %u/%u, which an earlier input is too", names[i], k,
				in[i].shard_count);
			rc = -1;
		} else {
			seen[k] = true;
		}
		if (!in[i].complete)
			sb_addf(why, "%s%s: %s", why->len ? "; " : "", names[i],
				in[i].incomplete ? in[i].incomplete : "incomplete");
	}
	for (unsigned k = 1; k <= in[0].shard_count; k++)
		if (!seen[k])
			sb_addf(why, "%sshard %u/%u missing", why->len ? "; " : "", k, in[0].shard_count);
	free(seen);
	return rc;
}

/* The inputs with a record left, as a binary heap by that record's report
 * order (the least at 0): each record merged costs log(inputs)
 * comparisons. */
struct heap {
	size_t *v, n;
	const struct record **head;   /* each input's next record */
};

static bool before(const struct heap *h, size_t a, size_t b)
{
	return record_cmp(h->head[h->v[a]], h->head[h->v[b]]) < 0;
}

static void sift_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < h->n && before(h, l, m))
			m = l;
		if (l + 1 < h->n && before(h, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		size_t t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
}

/* The least record when another input has it too: an equal one is then
 * one of the least's children. */
static const struct record *twice(const struct heap *h)
{
	for (size_t c = 1; c <= 2 && c < h->n; c++)
		if (!record_cmp(h->head[h->v[c]], h->head[h->v[0]]))
			return h->head[h->v[0]];
	return NULL;
}

static int merge_records(const struct report *in, size_t n, struct report *out, struct strbuf *err)
{
	struct record_iter *it = xcalloc(n, sizeof *it);
	struct heap h = { xcalloc(n, sizeof *h.v), 0, xcalloc(n, sizeof *h.head) };
	for (size_t i = 0; i < n; i++)
		if ((h.head[i] = report_first(&it[i], &in[i])))
			h.v[h.n++] = i;
	for (size_t i = h.n / 2; i-- > 0;)
		sift_down(&h, i);
	const struct record *dup = NULL;
	while (h.n && !(dup = twice(&h))) {
		size_t i = h.v[0];
		report_spool_record(out, h.head[i]);
		if (!(h.head[i] = report_next(&it[i])))
			h.v[0] = h.v[--h.n];
		sift_down(&h, 0);
	}
	int rc = 0;
	if (dup) {
		/* A test in two inputs: overlapping shards, or one file twice. */
		sb_addf(err, "test '%s' is in more than one input", dup->id);
		rc = -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && report_json_done(&in[i], err) < 0)
			rc = -1;
		report_iter_end(&it[i]);
	}
	free(it);
	free(h.v);
	free(h.head);
	return rc;
}

int report_merge(const struct report *in, char *const *names, size_t n, const char *dir,
		 struct report *out, struct strbuf *err)
{
	memset(out, 0, sizeof *out);
	struct strbuf why = STRBUF_INIT;
	if (!n) {
		sb_adds(err, "nothing to merge");
		return -1;
	}
	if (check_inputs(in, names, n, &why, err) < 0) {
		sb_free(&why);
		return -1;
	}
	const struct report *a = &in[0];
	*out = (struct report){
		.harness_version = a->harness_version, .run_id = a->run_id, .host = a->host,
		.host_system = a->host_system, .started = a->started, .ended = a->ended,
		.complete = !why.len, .cases_digest = a->cases_digest, .ncases = a->ncases,
		.argv = a->argv, .nargv = a->nargv, .verdict = a->verdict, .suite = a->suite, .linkers = a->linkers, .nlinkers = a->nlinkers,
		.targets = a->targets, .ntargets = a->ntargets,
	};
	if (why.len)
		out->incomplete = arena_strdup(&out->arena, why.buf);
	sb_free(&why);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(in[i].started, out->started) < 0)
			out->started = in[i].started;
		if (strcmp(in[i].ended, out->ended) > 0)
			out->ended = in[i].ended;
	}
	if (mkdir_p(dir) < 0 || report_spool(out, dir) < 0) {
		sb_addf(err, "cannot make a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	if (merge_records(in, n, out, err) < 0) {
		report_free(out);
		return -1;
	}
	return 0;
}
