/* linkmatrix report merge: the reports of shards as one. */
#ifndef LM_REPORT_MERGE_H
#define LM_REPORT_MERGE_H

#include "results/report.h"

/* Merges in[0..n-1] (named names[i] in messages) into out, which borrows
 * their strings: keep them until out is freed. Refuses inputs of other
 * harness versions, case sets or splits, a shard given twice, a test in two
 * inputs. out is complete when every input is and every shard is there. */
int report_merge(const struct report *in, char *const *names, size_t n, struct report *out,
		 struct strbuf *err);

#endif
