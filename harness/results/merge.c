/* Reports of shards made one: the same cases, the same harness, no test
 * twice. The records are sorted like any run's, so the merged files equal
 * an unsharded run's but for timings and run metadata. */
#include "results/merge.h"

#include <stdlib.h>
#include <string.h>

static int check_same(const struct report *a, const char *an, const struct report *b,
		      const char *bn, struct strbuf *err)
{
	if (strcmp(a->harness_version, b->harness_version)) {
		sb_addf(err, "%s was written by linkmatrix %s and %s by %s: merge the reports of "
			"one version", an, a->harness_version, bn, b->harness_version);
		return -1;
	}
	if (strcmp(a->cases_digest, b->cases_digest)) {
		sb_addf(err, "%s and %s ran different case sets (%s, %s): merge shards of one "
			"run of one case tree", an, bn, a->cases_digest, b->cases_digest);
		return -1;
	}
	if (a->shard_count != b->shard_count) {
		sb_addf(err, "%s is shard %u/%u and %s shard %u/%u: merge shards of one split", an,
			a->shard_index, a->shard_count, bn, b->shard_index, b->shard_count);
		return -1;
	}
	return 0;
}

static int by_id(const void *x, const void *y)
{
	return strcmp(((const struct record *)x)->id, ((const struct record *)y)->id);
}

int report_merge(const struct report *in, char *const *names, size_t n, struct report *out,
		 struct strbuf *err)
{
	memset(out, 0, sizeof *out);
	if (!n) {
		sb_adds(err, "nothing to merge");
		return -1;
	}
	size_t total = 0;
	bool *seen = xcalloc(in[0].shard_count + 1, sizeof *seen);
	bool complete = true;
	for (size_t i = 0; i < n; i++) {
		if (i && check_same(&in[0], names[0], &in[i], names[i], err) < 0) {
			free(seen);
			return -1;
		}
		unsigned k = in[i].shard_index;
		if (in[i].shard_count && (k == 0 || k > in[i].shard_count || seen[k])) {
			sb_addf(err, k && k <= in[i].shard_count
				? "%s is shard %u/%u, which an earlier input is too"
				: "%s says it is shard %u/%u", names[i], k, in[i].shard_count);
			free(seen);
			return -1;
		}
		if (in[i].shard_count)
			seen[k] = true;
		complete &= in[i].complete;
		total += in[i].n;
	}
	for (unsigned k = 1; k <= in[0].shard_count; k++)
		complete &= seen[k];
	free(seen);
	*out = in[0];
	memset(&out->arena, 0, sizeof out->arena);
	out->doc = NULL;
	out->complete = complete;
	out->shard_index = out->shard_count = 0;
	out->v = arena_alloc(&out->arena, (total + 1) * sizeof *out->v);
	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(in[i].started, out->started) < 0)
			out->started = in[i].started;
		if (strcmp(in[i].ended, out->ended) > 0)
			out->ended = in[i].ended;
		memcpy(out->v + out->n, in[i].v, in[i].n * sizeof *out->v);
		out->n += in[i].n;
	}
	/* A test in two inputs means overlapping shards or the same file twice. */
	struct record *ids = arena_alloc(&out->arena, (total + 1) * sizeof *ids);
	memcpy(ids, out->v, total * sizeof *ids);
	if (total)
		qsort(ids, total, sizeof *ids, by_id);
	for (size_t i = 1; i < total; i++)
		if (!strcmp(ids[i].id, ids[i - 1].id)) {
			sb_addf(err, "test '%s' is in more than one input", ids[i].id);
			report_free(out);
			return -1;
		}
	report_finish(out);
	return 0;
}
