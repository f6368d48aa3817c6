/* index.html: one self-contained page (no network, works from file://)
 * made of harness/report/page.html with the run's data inside. */
#ifndef LM_REPORT_HTML_H
#define LM_REPORT_HTML_H

#include "results/report.h"

void report_stream_html(const struct report *r, struct report_sink *out);

#endif
