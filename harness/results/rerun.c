#include "results/rerun.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"

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
	sv_sort(&rr->ids, 0);
	return 0;
}

void rerun_free(struct rerun *rr)
{
	sv_clear(&rr->ids);
	sv_clear(&rr->files);
	sv_clear(&rr->broken);
	sv_clear(&rr->targets);
	sv_clear(&rr->linkers);
}
