#include "results/rerun.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rerun_load(struct rerun *rr, const char *path, struct strbuf *err)
{
	memset(rr, 0, sizeof *rr);
	struct report r;
	if (report_read_json(&r, path, err) < 0)
		return -1;
	for (size_t i = 0; i < r.n; i++) {
		const struct record *rec = &r.v[i];
		if (!outcome_is_bad(rec->outcome))
			continue;
		if (!*rec->variant) {
			sv_push_once(&rr->broken, rec->id);
			sv_push_once(&rr->files, rec->id);
			continue;
		}
		sv_push(&rr->ids, rec->id);
		sv_push_once(&rr->files, rec->case_file);
		sv_push_once(&rr->targets, rec->target);
		sv_push_once(&rr->linkers, rec->linker);
	}
	report_free(&r);
	if (rr->ids.n)
		qsort(rr->ids.v, rr->ids.n, sizeof *rr->ids.v, cmp_str);
	return 0;
}

bool rerun_has(const struct strvec *ids, const char *s, bool prefix)
{
	size_t lo = 0, hi = ids->n, n = strlen(s);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ids->v[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ids->n && (prefix ? !strncmp(ids->v[lo], s, n) : !strcmp(ids->v[lo], s));
}

void rerun_free(struct rerun *rr)
{
	sv_clear(&rr->ids);
	sv_clear(&rr->files);
	sv_clear(&rr->broken);
	sv_clear(&rr->targets);
	sv_clear(&rr->linkers);
}
