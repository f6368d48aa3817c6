#include "results/rerun.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"

static const char *copy(struct rerun *rr, const char *s)
{
	return s ? arena_strdup(&rr->arena, s) : NULL;
}

static const char **copy_strs(struct rerun *rr, const char **v, size_t n)
{
	const char **to = arena_alloc(&rr->arena, (n + 1) * sizeof *to);
	for (size_t i = 0; i < n; i++)
		to[i] = copy(rr, v[i]);
	return to;
}

/* Everything of it, as the report it was read from is freed. */
static void keep_verdict(struct rerun *rr, const struct verdict_opts *v)
{
	struct verdict_opts *to = &rr->verdict;
	*to = *v;
	to->profiles = copy_strs(rr, v->profiles, v->nprofiles);
	to->env = copy_strs(rr, v->env, v->nenv);
	to->added = copy_strs(rr, v->added, v->nadded);
	to->known_failures = copy(rr, v->known_failures);
	to->diff_reference = copy(rr, v->diff_reference);
	to->linkers_dir = copy(rr, v->linkers_dir);
	to->targets_dir = copy(rr, v->targets_dir);
}

static void select_bad(struct rerun *rr, const struct record *rec)
{
	if (!outcome_is_bad(rec->outcome))
		return;
	if (!*rec->variant) {
		sv_push_once(&rr->broken, rec->id);
		sv_push_once(&rr->files, rec->id);
		return;
	}
	sv_push(&rr->ids, rec->id);
	sv_push_once(&rr->files, rec->case_file);
	sv_push_once(&rr->targets, rec->target);
	sv_push_once(&rr->linkers, rec->linker);
}

int rerun_load(struct rerun *rr, const char *path, struct strbuf *err)
{
	memset(rr, 0, sizeof *rr);
	struct report r;
	if (report_open_json(&r, path, err) < 0)
		return -1;
	keep_verdict(rr, &r.verdict);
	struct record_iter it;
	for (const struct record *rec = report_first(&it, &r); rec; rec = report_next(&it))
		select_bad(rr, rec);
	report_iter_end(&it);
	int rc = report_json_done(&r, err);
	report_free(&r);
	if (rc < 0)
		rerun_free(rr);
	else
		sv_sort(&rr->ids, 0);
	return rc;
}

void rerun_free(struct rerun *rr)
{
	sv_clear(&rr->ids);
	sv_clear(&rr->files);
	sv_clear(&rr->broken);
	sv_clear(&rr->targets);
	sv_clear(&rr->linkers);
	arena_free(&rr->arena);
}
