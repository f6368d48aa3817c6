/* results.json, the source every other report is made from. */
#ifndef LM_REPORT_RESULTS_H
#define LM_REPORT_RESULTS_H

#include "results/report.h"

void report_stream_json(const struct report *r, struct report_sink *s);
/* 0, or -1 with a one-line reason in err and nothing left to free. On
 * success the report borrows from the loaded document; report_free
 * releases both. */
int report_read_json(struct report *r, const char *path, struct strbuf *err);

#endif
