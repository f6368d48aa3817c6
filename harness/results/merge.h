/* linkmatrix report merge: the reports of shards as one. */
#ifndef LM_REPORT_MERGE_H
#define LM_REPORT_MERGE_H

#include "results/report.h"

/* Merges in[0..n-1] (named names[i] in messages), each in report order
 * (as report_open_json reads them), into out: its run's fields borrowed
 * from in[0] (keep the inputs until out is freed), its records kept in an
 * unlinked file in dir, made once the inputs agree. Refuses inputs of
 * other harness versions, case sets or splits, a shard given twice, a test
 * in two inputs, an input that does not read to its end. out is complete
 * when every input is and every shard is there. */
int report_merge(const struct report *in, char *const *names, size_t n, const char *dir,
		 struct report *out, struct strbuf *err);

#endif
