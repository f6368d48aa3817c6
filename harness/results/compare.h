/* linkmatrix report compare, and run --baseline. */
#ifndef LM_REPORT_COMPARE_H
#define LM_REPORT_COMPARE_H

#include "results/report.h"

/* Appends to out what changed from old to new, newly failing first,
 * reading each once, in report order (a report_open_json one then says
 * by report_json_done whether it read whole). Returns the number of newly
 * failing tests. */
size_t report_compare(const struct report *old, const struct report *new, struct strbuf *out);

#endif
