/* results.json, the source every other report is made from. */
#ifndef LM_REPORT_RESULTS_H
#define LM_REPORT_RESULTS_H

#include "results/report.h"

void report_stream_json(const struct report *r, struct report_sink *s);

/* results.json as a report read as it goes: the run's own fields now
 * (strings in r's arena), the records by report_first and report_next,
 * each checked as it comes (in report order, no test twice) and valid
 * until the next: in one pass, in the memory of one record whatever the
 * file's size. r->n and r->counts stay 0. 0, or -1 with a one-line reason
 * in err and nothing to free. */
int report_open_json(struct report *r, const char *path, struct strbuf *err);
/* After that pass: reads what is left, then 0 when the whole file was
 * right to its end, or -1 with why in err. 0 for a report not read from a
 * file. */
int report_json_done(const struct report *r, struct strbuf *err);
/* results.json read whole (strictly, to its end) into a report like a
 * run's, which can be read any number of times: its records kept in an
 * unlinked file in $TMPDIR (report_spool). 0, or -1 with a one-line reason
 * in err and nothing to free. */
int report_read_json(struct report *r, const char *path, struct strbuf *err);

#endif
